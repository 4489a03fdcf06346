//! Tables at 60, 80 and 120 columns (`COLUMNS`), on the shipped catalog, a catalog of long
//! ids and in Japanese: no line wider than the width, ids and dates whole, titles wrapped
//! between words, empty columns left out, a readable report.
//!
//! Widths are measured here, not with socctl's code: a character of the East Asian Wide or
//! Fullwidth blocks counts two columns, any other one.

use crate::support::TestEnv;

/// Every command whose default table is laid out to the width, with its arguments.
const COMMANDS: &[&[&str]] = &[
    &["due"],
    &["week"],
    &["plan", "--from", "2026-11-01", "--to", "2026-11-30"],
    &["next", "-n", "3"],
    &["tasks"],
    &["show", "update-escalation-tickets"],
    &["teams"],
    &["roles"],
    &["history"],
    &["overdue"],
    &["report", "--from", "2026-11-01"],
    &["check"],
    &["explain", "monthly on the last friday"],
    &["people"],
];

/// The display width of `line`: two columns for the wide ranges of CJK text (Hangul Jamo,
/// CJK radicals to Yi, Hangul syllables, CJK compatibility ideographs, vertical and
/// compatibility forms, fullwidth forms), one for anything else.
fn width(line: &str) -> usize {
    line.chars()
        .map(|c| match u32::from(c) {
            0x1100..=0x115F
            | 0x2E80..=0x303E
            | 0x3041..=0x33FF
            | 0x3400..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xA000..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6 => 2,
            _ => 1,
        })
        .sum()
}

/// The shipped catalog with a journal: two days of done work, one skip.
fn shipped_with_journal() -> TestEnv {
    let env = TestEnv::shipped();
    for (task, date) in [
        ("update-escalation-tickets", "2026-11-20"),
        ("update-escalation-tickets", "2026-11-23"),
        ("secure-score-report", "2026-11-23"),
    ] {
        env.cmd()
            .env("SOCCTL_TODAY", date)
            .args(["done", task, "--team", "monitoring", "--by", "alice"])
            .args(["--note", "checked the queue"])
            .assert()
            .success();
    }
    env.cmd()
        .args([
            "skip",
            "portal-license-management",
            "--by",
            "bob",
            "--reason",
            "holiday",
        ])
        .assert()
        .success();
    env
}

/// `socctl args` as a table at `columns` columns in `lang`.
fn table(env: &TestEnv, lang: &str, columns: &str, args: &[&str]) -> String {
    let output = env
        .cmd()
        .env("COLUMNS", columns)
        .args(["--lang", lang, "-f", "table", "--color", "never"])
        .args(args)
        .output()
        .expect("running socctl");
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// The task ids of a tasks.yaml, read from its `- id:` lines.
fn ids_of(tasks_yaml: &str) -> Vec<String> {
    tasks_yaml
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("- id: "))
        .map(|id| id.trim().to_owned())
        .collect()
}

/// The (id, English title) pairs of a tasks.yaml: a `title:` line right after an `- id:`.
fn titles_of(tasks_yaml: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = tasks_yaml.lines().collect();
    lines
        .windows(2)
        .filter_map(|pair| {
            let id = pair[0].trim_start().strip_prefix("- id: ")?;
            let title = pair[1].trim_start().strip_prefix("title: ")?;
            Some((
                id.trim().to_owned(),
                title.trim().trim_matches('"').to_owned(),
            ))
        })
        .collect()
}

fn shipped_tasks_yaml() -> String {
    std::fs::read_to_string(crate::support::manifest_dir().join("tasks.yaml")).expect("tasks.yaml")
}

#[test]
fn no_line_is_wider_than_the_width_in_any_table() {
    let env = shipped_with_journal();
    for columns in ["60", "80", "120"] {
        let limit: usize = columns.parse().unwrap();
        for lang in ["en", "ja"] {
            for args in COMMANDS {
                let out = table(&env, lang, columns, args);
                assert!(!out.trim().is_empty(), "{lang} {args:?}:\n{out}");
                for line in out.lines() {
                    assert!(
                        width(line) <= limit,
                        "{lang} {args:?} at {columns}: {} columns: {line}\n{out}",
                        width(line)
                    );
                }
            }
        }
    }
}

#[test]
fn every_task_id_of_the_shipped_catalog_stays_whole() {
    let env = shipped_with_journal();
    let ids = ids_of(&shipped_tasks_yaml());
    assert_eq!(ids.len(), 8, "{ids:?}");
    // These commands name every task of the catalog.
    for args in [
        &["tasks"][..],
        &["plan", "--from", "2026-11-01", "--to", "2026-11-30"],
        &["report", "--from", "2026-11-01"],
    ] {
        for columns in ["60", "80", "120"] {
            let out = table(&env, "en", columns, args);
            for id in &ids {
                // A plan has no date for work "as needed".
                if args[0] == "plan" && id == "ir-tabletop-exercise" {
                    continue;
                }
                assert!(
                    out.lines().any(|line| line.contains(id.as_str())),
                    "{args:?} at {columns}: {id} is broken or missing:\n{out}"
                );
            }
        }
    }
    // The ids `week` shows at 80 columns (the old layout cut them: `update-escalation-tic`
    // / `kets`): every task-looking fragment is a whole id.
    let week = table(&env, "en", "80", &["week"]);
    let fragments: Vec<&str> = week
        .split(['│', '┆', ' ', '\n'])
        .filter(|piece| {
            piece.contains('-') && piece.chars().all(|c| c.is_ascii_lowercase() || c == '-')
        })
        .collect();
    assert!(fragments.len() > 20, "{week}");
    for fragment in fragments {
        assert!(
            ids.iter().any(|id| id == fragment)
                || SHIPPED_MEMBERS.contains(&fragment)
                || fragment == "anti-phishing",
            "a broken id: {fragment}\n{week}"
        );
    }
}

/// The placeholder members of the shipped roles.yaml, whose ids a week's table shows.
const SHIPPED_MEMBERS: [&str; 11] = [
    "oda-oversight",
    "sam-oversight",
    "tia-intel",
    "ivo-intel",
    "mia-monitor",
    "max-monitor",
    "mo-monitor",
    "eli-engineer",
    "ena-engineer",
    "cy-responder",
    "ria-responder",
];

/// The rows of a box-drawn table: each row's cells, the lines of a cell joined by spaces
/// (a row starts where its first cell has text).
fn rows(table: &str) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut in_body = false;
    for line in table.lines() {
        if line.starts_with('╞') {
            in_body = true;
            continue;
        }
        if line.starts_with('└') {
            in_body = false;
            continue;
        }
        if !in_body || !line.starts_with('│') {
            continue;
        }
        let cells: Vec<&str> = line
            .trim_start_matches('│')
            .trim_end_matches('│')
            .split('┆')
            .map(str::trim)
            .collect();
        if !cells[0].is_empty() || rows.is_empty() {
            rows.push(cells.iter().map(|c| (*c).to_owned()).collect());
        } else if let Some(row) = rows.last_mut() {
            for (kept, more) in row.iter_mut().zip(cells) {
                if !more.is_empty() {
                    if !kept.is_empty() {
                        kept.push(' ');
                    }
                    kept.push_str(more);
                }
            }
        }
    }
    rows
}

#[test]
fn titles_wrap_between_words() {
    let env = shipped_with_journal();
    let titles = titles_of(&shipped_tasks_yaml());
    assert_eq!(titles.len(), 8, "{titles:?}");
    let title_of = |id: &str| {
        titles
            .iter()
            .find(|(i, _)| i == id)
            .map_or_else(|| panic!("no title for {id}"), |(_, t)| t.clone())
    };
    // `week`: no Time column, as no task has a time.
    for columns in ["60", "80", "120"] {
        let week = table(&env, "en", columns, &["week"]);
        if columns != "120" {
            // Too narrow for whole ids beside the titles: a block a row (at 80 too, since
            // the shipped tasks' assignees take a column of their own).
            assert!(!week.contains('┆'), "{week}");
            for (id, title) in &titles {
                if week.contains(&format!("Task:    {id}\n")) {
                    let block = week.split(&format!("Task:    {id}\n")).nth(1).unwrap();
                    let shown: Vec<&str> = block
                        .split("Cadence:")
                        .next()
                        .unwrap()
                        .trim_start_matches("Title:")
                        .split_whitespace()
                        .collect();
                    assert_eq!(shown.join(" "), *title, "{week}");
                }
            }
            continue;
        }
        let parsed = rows(&week);
        assert!(parsed.len() >= 15, "{week}");
        for row in parsed {
            // Date, Task, Title, Cadence, Assignee, Status (the journal is on).
            assert_eq!(row.len(), 6, "{row:?}\n{week}");
            assert_eq!(row[2], title_of(&row[1]), "at {columns}:\n{week}");
        }
    }
    // `tasks` at 120: Task, Title, Teams, Cadence, with long titles and team lists wrapped.
    let tasks = table(&env, "en", "120", &["tasks"]);
    let parsed = rows(&tasks);
    assert_eq!(parsed.len(), 8, "{tasks}");
    assert!(tasks.lines().count() > 8 + 4, "nothing wrapped:\n{tasks}");
    for row in parsed {
        assert_eq!(row[1], title_of(&row[0]), "{tasks}");
    }
}

#[test]
fn a_column_empty_in_every_row_is_left_out() {
    let shipped = TestEnv::shipped();
    for columns in ["80", "400"] {
        let due = table(&shipped, "en", columns, &["due"]);
        assert!(due.contains("│ Task "), "{due}");
        assert!(!due.contains("Time"), "{due}");
        let next = table(&shipped, "en", columns, &["next", "-n", "1"]);
        assert!(next.contains("Task") && !next.contains("Time"), "{next}");
    }
    // With timed tasks the column stays, and is empty only for the untimed one.
    let timed = TestEnv::fixture("timed");
    let week = table(&timed, "en", "120", &["week"]);
    assert!(week.contains("┆ Time "), "{week}");
    assert!(week.contains("08:00"), "{week}");
}

#[test]
fn the_report_reads_whole_words_at_80_columns() {
    let env = shipped_with_journal();
    let headers = [
        "Due",
        "On time",
        "Late",
        "Skipped",
        "Missed",
        "Open",
        "Completion",
        "Median delay (days)",
    ];
    // At 80 columns the 29-column id and eight figures do not fit a table: a block a task,
    // every figure named in full.
    let report = table(&env, "en", "80", &["report", "--from", "2026-11-01"]);
    for header in headers {
        assert!(
            report.contains(&format!("{header}: ")),
            "{header}:\n{report}"
        );
    }
    assert!(
        report.contains("\n  update-phishing-dlp-campaigns — "),
        "{report}"
    );
    assert!(!report.contains('┆'), "{report}");
    // No line is a stack of header letters: every line holds a word of 3 letters or more.
    for line in report.lines().filter(|l| !l.trim().is_empty()) {
        assert!(
            line.split(|c: char| !c.is_alphanumeric())
                .any(|word| word.chars().count() >= 3),
            "{line}\n{report}"
        );
    }
    // At 120 columns it is a table, each header word on one line.
    let wide = table(&env, "en", "120", &["report", "--from", "2026-11-01"]);
    let header_line = wide
        .lines()
        .find(|line| line.starts_with("│ Task"))
        .unwrap_or_else(|| panic!("no table:\n{wide}"));
    for header in headers {
        assert!(
            header_line.contains(&format!(" {header} ")),
            "{header}:\n{wide}"
        );
    }
    // Japanese at 80 columns: blocks too, in Japanese words.
    let japanese = table(&env, "ja", "80", &["report", "--from", "2026-11-01"]);
    assert!(
        japanese.contains("update-phishing-dlp-campaigns"),
        "{japanese}"
    );
    assert!(!japanese.contains('┆'), "{japanese}");
}

#[test]
fn piped_tables_without_columns_are_80_columns_wide() {
    let env = TestEnv::shipped();
    for args in [&["week"][..], &["tasks"], &["report"]] {
        let piped = env
            .cmd()
            .env_remove("COLUMNS")
            .args(["-f", "table"])
            .args(args)
            .output()
            .expect("running socctl");
        let at_80 = table(&env, "en", "80", args);
        assert_eq!(String::from_utf8_lossy(&piped.stdout), at_80, "{args:?}");
    }
    // The week table is wide enough to need all 80.
    let week = table(&env, "en", "80", &["week"]);
    assert!(week.lines().any(|l| width(l) > 70), "{week}");
}

#[test]
fn long_ids_stay_whole_and_only_an_id_wider_than_the_width_passes_it() {
    let long = "investigate-and-document-every-privileged-role-assignment"; // 57
    let longer = format!("{long}-across-all-production-subscriptions"); // 93
    let env = TestEnv::one_team(format!(
        "version: 1\ntasks:\n  - id: {long}\n    title: \"Review privileged role assignments in every subscription\"\n    cadence: daily\n    team: ops\n  - id: {longer}\n    title: \"Review them again, in every production subscription\"\n    cadence: daily\n    team: ops\n"
    ));
    assert_eq!(width(long), 57);
    assert_eq!(width(&longer), 93);
    for columns in ["60", "80", "120"] {
        let limit: usize = columns.parse().unwrap();
        for args in [&["due"][..], &["week"], &["tasks"], &["next", "-n", "2"]] {
            let out = table(&env, "en", columns, args);
            for id in [long, longer.as_str()] {
                assert!(
                    out.lines().any(|line| line.contains(id)),
                    "{args:?} at {columns}: {id} broken:\n{out}"
                );
            }
            for line in out.lines() {
                if width(line) > limit {
                    // Only the id wider than the width itself, on a line of its own.
                    assert_eq!(line, longer, "{args:?} at {columns}:\n{out}");
                }
            }
        }
    }
}

#[test]
fn japanese_tables_count_wide_characters_twice() {
    let env = TestEnv::shipped();
    for columns in ["80", "120"] {
        let limit: usize = columns.parse().unwrap();
        let due = table(&env, "ja", columns, &["due"]);
        // Every line of a drawn table is as wide as its top border.
        for block in due.split("\n\n").filter(|b| b.contains('┌')) {
            let lines: Vec<&str> = block.lines().skip_while(|l| !l.starts_with('┌')).collect();
            let top = width(lines[0]);
            assert!(top <= limit, "{due}");
            for line in &lines {
                assert_eq!(width(line), top, "{line}\n{due}");
            }
        }
        assert!(due.contains("タスク"), "{due}");
    }
}
