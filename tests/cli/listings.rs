//! The listings (`tasks`, `show`, `teams`, `roles`, `next`, `history`, `overdue`,
//! `explain`, `check`) in every listing format, each read back by an independent parser:
//! JSON by serde_json, CSV by the csv crate, Markdown tables by their pipes; text stays
//! within 78 columns without box drawing, and headers follow `--lang`.

use unicode_width::UnicodeWidthStr;

use crate::support::{TODAY, TestEnv};

/// The characters of box-drawing tables.
const BOX: &[char] = &[
    '─', '│', '┌', '┐', '└', '┘', '┆', '╞', '╪', '═', '┬', '┴', '┼',
];

/// `--lang lang args…`.
fn in_lang<'a>(lang: &'a str, args: &[&'a str]) -> Vec<&'a str> {
    let mut all = vec!["--lang", lang];
    all.extend(args);
    all
}

/// Runs `socctl args… -f format` and returns stdout.
fn run(env: &TestEnv, args: &[&str], format: &str) -> String {
    run_on(env, TODAY, args, format)
}

/// Runs `socctl args… -f format` on the day `today`, expecting success, and returns stdout.
fn run_on(env: &TestEnv, today: &str, args: &[&str], format: &str) -> String {
    let output = env
        .cmd()
        .env("SOCCTL_TODAY", today)
        .args(args)
        .args(["-f", format])
        .output()
        .expect("running socctl");
    assert!(
        output.status.success(),
        "socctl {args:?} -f {format} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// The cells of a Markdown table row, unescaped pipes only.
fn markdown_cells(line: &str) -> Vec<String> {
    let inner = line
        .strip_prefix('|')
        .and_then(|l| l.strip_suffix('|'))
        .unwrap_or_else(|| panic!("not a table row: {line}"));
    let mut cells = vec![String::new()];
    let mut escaped = false;
    for c in inner.chars() {
        match c {
            '|' if !escaped => cells.push(String::new()),
            c => {
                escaped = c == '\\' && !escaped;
                cells.last_mut().expect("a cell").push(c);
            }
        }
    }
    cells.iter().map(|c| c.trim().to_owned()).collect()
}

/// Checks a listing in every format: `rows` rows (JSON array items, CSV records, Markdown
/// table rows) of `columns` columns, text plain and narrow, the table drawn.
fn assert_every_format(env: &TestEnv, args: &[&str], rows: usize, columns: usize) {
    assert_every_format_on(env, TODAY, args, rows, columns);
}

/// As [`assert_every_format`], on the day `today`.
fn assert_every_format_on(env: &TestEnv, today: &str, args: &[&str], rows: usize, columns: usize) {
    assert_every_format_with(env, today, args, rows, (columns, columns));
}

/// As [`assert_every_format_on`], with `(csv, markdown)` columns: Markdown leaves out an
/// optional column no row fills, CSV keeps it.
fn assert_every_format_with(
    env: &TestEnv,
    today: &str,
    args: &[&str],
    rows: usize,
    (csv_columns, columns): (usize, usize),
) {
    let run = |env: &TestEnv, args: &[&str], format: &str| run_on(env, today, args, format);
    let json: serde_json::Value =
        serde_json::from_str(&run(env, args, "json")).expect("the JSON parses");
    if let Some(items) = json.as_array() {
        assert_eq!(items.len(), rows, "{args:?} JSON: {json}");
    }
    let csv_text = run(env, args, "csv");
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    assert_eq!(
        reader.headers().expect("a CSV header").len(),
        csv_columns,
        "{args:?} CSV header:\n{csv_text}"
    );
    let records: Vec<csv::StringRecord> = reader
        .records()
        .collect::<Result<_, _>>()
        .expect("the CSV parses");
    assert_eq!(records.len(), rows, "{args:?} CSV:\n{csv_text}");
    assert!(records.iter().all(|r| r.len() == csv_columns), "{csv_text}");
    let markdown = run(env, args, "markdown");
    let table_rows: Vec<Vec<String>> = markdown
        .lines()
        .filter(|l| l.starts_with('|'))
        .map(markdown_cells)
        .collect();
    if rows > 0 {
        assert_eq!(table_rows.len(), rows + 2, "{args:?} Markdown:\n{markdown}");
        assert!(
            table_rows.iter().all(|r| r.len() == columns),
            "{args:?} Markdown:\n{markdown}"
        );
        assert!(table_rows[1].iter().all(|c| c == "---"), "{markdown}");
    }
    let text = run(env, args, "text");
    assert_plain(args, &text);
    let table = run(env, args, "table");
    if rows > 0 {
        assert!(table.contains('┌'), "{args:?} table:\n{table}");
    }
}

/// Text output: no box drawing, no escape sequences, every line within 78 columns.
fn assert_plain(args: &[&str], text: &str) {
    assert!(
        !text.contains(BOX),
        "{args:?} text has box drawing:\n{text}"
    );
    assert!(
        !text.contains('\u{1b}'),
        "{args:?} text has escapes:\n{text}"
    );
    for line in text.lines() {
        assert!(line.width() <= 78, "{args:?} line too wide: {line:?}");
        assert_eq!(line, line.trim_end(), "{args:?} trailing spaces: {line:?}");
    }
}

/// The header row of a listing's Markdown table under `--lang lang`.
fn markdown_headers(env: &TestEnv, lang: &str, args: &[&str]) -> Vec<String> {
    let markdown = run(env, &in_lang(lang, args), "markdown");
    let header = markdown
        .lines()
        .find(|l| l.starts_with('|'))
        .unwrap_or_else(|| panic!("no table in:\n{markdown}"));
    markdown_cells(header)
}

/// Headers in French and Japanese: the expected words, in table, text and Markdown, and
/// none of the English headers that differ from them.
fn assert_translated(env: &TestEnv, args: &[&str], french: &[&str], japanese: &[&str]) {
    assert_translated_headers(env, args, french, japanese, true);
}

/// As [`assert_translated`]; `in_text` when the text form shows the headers (field
/// listings show only their labels).
fn assert_translated_headers(
    env: &TestEnv,
    args: &[&str],
    french: &[&str],
    japanese: &[&str],
    in_text: bool,
) {
    let english = markdown_headers(env, "en", args);
    for (lang, expected) in [("fr", french), ("ja", japanese)] {
        let headers = markdown_headers(env, lang, args);
        assert_eq!(headers, expected, "{lang} {args:?}");
        let all = in_lang(lang, args);
        let text = run(env, &all, "text");
        let table = run(env, &all, "table");
        // Text leaves out empty values, so only the first column is sure to show.
        assert!(
            !in_text || text.contains(expected[0]),
            "{lang} text lacks {}:\n{text}",
            expected[0]
        );
        for word in expected {
            assert!(table.contains(word), "{lang} table lacks {word}:\n{table}");
        }
        for word in english.iter().filter(|w| !expected.contains(&w.as_str())) {
            assert!(
                !text
                    .lines()
                    .any(|l| l.starts_with(&format!("{word}:"))
                        || l.starts_with(&format!("{word}  "))),
                "{lang} text keeps the English {word}:\n{text}"
            );
            let header_lines: Vec<&str> = table.lines().take(3).collect();
            assert!(
                !header_lines
                    .iter()
                    .any(|l| l.contains(&format!(" {word} "))),
                "{lang} table keeps the English {word}:\n{table}"
            );
        }
    }
}

#[test]
fn teams_in_every_format() {
    let env = TestEnv::shipped();
    assert_every_format(&env, &["teams"], 5, 5);
    assert_translated(
        &env,
        &["teams"],
        &["Équipe", "Nom", "Autres noms", "Courriel", "Tâches"],
        &["チーム", "名前", "別名", "メール", "タスク数"],
    );
    // CSV headers are the JSON field names, whatever the language.
    let csv_text = run(&env, &["--lang", "ja", "teams"], "csv");
    assert!(
        csv_text.starts_with("id,name,aliases,email,task_count\r\n"),
        "{csv_text}"
    );
}

#[test]
fn tasks_in_every_format() {
    let env = TestEnv::shipped();
    // No shipped task has an estimate: CSV keeps the column, the others leave it out.
    assert_every_format_with(&env, TODAY, &["tasks"], 8, (5, 4));
    assert_every_format_with(&env, TODAY, &["tasks", "--team", "csirt"], 2, (5, 4));
    assert_translated(
        &env,
        &["tasks"],
        &["Tâche", "Titre", "Équipes", "Cadence"],
        &["タスク", "タイトル", "チーム", "頻度"],
    );
}

#[test]
fn show_in_every_format_field_by_field() {
    let env = TestEnv::shipped();
    // Sixteen fields (its rotation adds `assigned to` and `next turns`); JSON is one object.
    assert_every_format(&env, &["show", "secure-score-report"], 16, 2);
    let text = run(&env, &["show", "secure-score-report"], "text");
    // Labels right-aligned, long values wrapped under the value column.
    assert!(
        text.contains("\n        cadence: weekly on monday\n"),
        "{text}"
    );
    assert!(
        text.contains("\n     references: Microsoft Defender XDR SecOps guide, Step 6: Identify SOC\n                 maintenance tasks\n"),
        "{text}"
    );
    assert_translated_headers(
        &env,
        &["show", "secure-score-report"],
        &["Champ", "Valeur"],
        &["項目", "値"],
        false,
    );
    let french = run(
        &env,
        &["--lang", "fr", "show", "secure-score-report"],
        "text",
    );
    assert!(french.contains("  tel qu'écrit: Weekly SOC\n"), "{french}");
}

#[test]
fn roles_in_every_format() {
    let env = TestEnv::shipped();
    assert_every_format(&env, &["roles"], 5, 4);
    let text = run(&env, &["roles", "--team", "csirt"], "text");
    assert!(
        text.starts_with(
            "Team: Computer Security Incident Response Team (CSIRT)\n\
             Roles and responsibilities:\n  \
             • Investigates and responds to cyber incidents\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("\n  • Collaborate and maintain Microsoft Defender XDR incident response\n    playbooks\n"),
        "{text}"
    );
    assert_translated(
        &env,
        &["roles"],
        &[
            "Équipe",
            "Rôles et responsabilités",
            "Tâches Defender XDR",
            "Tâches de maintenance",
        ],
        &[
            "チーム",
            "役割と責任",
            "Defender XDR のタスク",
            "保守タスク",
        ],
    );
}

#[test]
fn next_in_every_format() {
    let env = TestEnv::shipped();
    // Seven scheduled tasks (the tabletop exercise is only as needed), three dates each.
    // Five columns and the assignee (shipped tasks have rotations).
    assert_every_format(&env, &["next", "-n", "3"], 21, 6);
    // Few enough columns to align: a header row, then one line a date. The report turns
    // among mia, max and mo each Monday from 2026-11-02: the 23rd is the fourth Monday
    // (mia again), the 30th the fifth (max).
    let text = run(&env, &["next", "-n", "2", "secure-score-report"], "text");
    assert_eq!(
        text,
        "Task                 Date        Day  Time  Cadence           Assignee\n\
         secure-score-report  2026-11-23  Mon        weekly on monday  mia-monitor\n\
         secure-score-report  2026-11-30  Mon        weekly on monday  max-monitor\n"
    );
    let french = run(
        &env,
        &["--lang", "fr", "next", "-n", "1", "secure-score-report"],
        "text",
    );
    assert!(french.starts_with("Tâche  "), "{french}");
    assert!(
        french.contains(" lun. ") || french.contains(" lun "),
        "{french}"
    );
    // A timed catalog: a table leaves out a column empty in every row, Time included.
    assert_translated(
        &TestEnv::fixture("timed"),
        &["next", "-n", "1"],
        &["Tâche", "Date", "Jour", "Heure", "Cadence"],
        &["タスク", "日付", "曜日", "時刻", "頻度"],
    );
}

/// Records `socctl done task --date on --by alice` on the day `on`.
fn done(env: &TestEnv, task: &str, on: &str, extra: &[&str]) {
    let output = env
        .cmd()
        .env("SOCCTL_TODAY", on)
        .args(["--journal", "journal.db", "done", task, "--by", "alice"])
        .args(extra)
        .output()
        .expect("running socctl");
    assert!(output.status.success(), "{output:?}");
}

#[test]
fn history_in_every_format() {
    let env = TestEnv::shipped();
    let args = ["--journal", "journal.db", "history"];
    // No journal yet: an empty array, a header row, a sentence.
    assert_eq!(run(&env, &args, "json"), "[]\n");
    assert_eq!(
        run(&env, &args, "csv"),
        "recorded_at,task,occurrence,action,on,status,by,assignee,note,ref\r\n"
    );
    assert!(run(&env, &args, "text").starts_with("no journal yet at "));
    assert!(run(&env, &in_lang("fr", &args), "text").starts_with("pas encore de journal à "));
    done(
        &env,
        "update-escalation-tickets",
        TODAY,
        &["--all-teams", "--note", "=cmd|' /C calc'!A0"],
    );
    done(&env, "secure-score-report", TODAY, &["--ref", "T-1"]);
    // secure-score-report rotates among Monitoring's three members every occurrence from
    // Monday 2026-11-02: mia-monitor, max-monitor, mo-monitor, then mia-monitor again on
    // 2026-11-23, so its record names her and the Assignee column is shown everywhere.
    assert_every_format_with(&env, TODAY, &args, 2, (10, 10));
    let json: serde_json::Value = serde_json::from_str(&run(&env, &args, "json")).unwrap();
    let score = json
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["task"] == "secure-score-report")
        .expect("the Secure Score record");
    assert_eq!(score["assignee"], "mia-monitor", "{json}");
    // A note that looks like a formula stays text in a spreadsheet.
    let csv_text = run(&env, &args, "csv");
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let notes: Vec<String> = reader
        .records()
        .map(|r| r.expect("a record")[8].to_owned())
        .collect();
    assert!(
        notes.contains(&"'=cmd|' /C calc'!A0".to_owned()),
        "{csv_text}"
    );
    let text = run(&env, &args, "text");
    assert!(text.contains("Recorded (UTC): "), "{text}");
    assert_translated(
        &env,
        &args,
        &[
            "Enregistré (UTC)",
            "Tâche",
            "Échéance",
            "Opération",
            "Effectué le",
            "Statut",
            "Par",
            "Responsable",
            "Remarque",
            "Réf.",
        ],
        &[
            "記録日時 (UTC)",
            "タスク",
            "期日",
            "操作",
            "実施日",
            "状態",
            "実施者",
            "担当者",
            "メモ",
            "参照",
        ],
    );
}

#[test]
fn overdue_in_every_format() {
    let env = TestEnv::shipped();
    let args = ["--journal", "journal.db", "overdue"];
    assert_eq!(run(&env, &args, "json"), "[]\n");
    assert!(run(&env, &args, "text").starts_with("nothing is tracked yet: no journal at "));
    // The journal starts tracking on Monday 2026-11-23; on Thursday, the daily tasks
    // (escalation tickets, MDVM remediation) are overdue for Monday to Wednesday, and the
    // weekly Monday tasks for Monday.
    done(&env, "update-escalation-tickets", TODAY, &["--all-teams"]);
    let thursday = "2026-11-26";
    let json: serde_json::Value =
        serde_json::from_str(&run_on(&env, thursday, &args, "json")).expect("JSON");
    let rows = json.as_array().expect("an array").len();
    assert!(rows >= 2, "{json}");
    assert_every_format_on(&env, thursday, &args, rows, 4);
    let text = run_on(&env, thursday, &args, "text");
    assert!(text.contains("Status: overdue"), "{text}");
    let french = run_on(
        &env,
        thursday,
        &["--lang", "fr", "overdue", "--journal", "journal.db"],
        "text",
    );
    assert!(
        french.contains("Statut : ") || french.contains("Statut: "),
        "{french}"
    );
    assert!(french.contains("en retard"), "{french}");
    // Nothing overdue yet on the first day.
    assert_eq!(run(&env, &args, "text"), "nothing overdue\n");
}

#[test]
fn explain_in_every_format() {
    let env = TestEnv::shipped();
    let args = [
        "explain",
        "daily at 09:00 and as needed",
        "-n",
        "3",
        "--from",
        "2026-01-01",
    ];
    // Original, normalized, calendar, three dates and the as-needed note.
    assert_every_format(&env, &args, 7, 2);
    let text = run(&env, &args, "text");
    assert!(
        text.contains("\n    Next elapse: Thu 2026-01-01 09:00\n"),
        "{text}"
    );
    assert!(
        text.ends_with("\n                 (and whenever triggered as needed)\n"),
        "{text}"
    );
    let french = run(&env, &in_lang("fr", &args), "text");
    assert!(
        french.contains("Prochaine échéance: jeu. 2026-01-01 09:00\n"),
        "{french}"
    );
    assert!(!french.contains("Next elapse"), "{french}");
    let japanese = run(&env, &in_lang("ja", &args), "text");
    assert!(
        japanese.contains("次回: 木 2026-01-01 09:00\n"),
        "{japanese}"
    );
    assert!(
        japanese.contains("2 回目: 金 2026-01-02 09:00\n"),
        "{japanese}"
    );
    assert_translated_headers(&env, &args, &["Champ", "Valeur"], &["項目", "値"], false);
}

/// Runs `socctl check -f format` where it fails with exit 1, and returns stdout.
fn failed_check(env: &TestEnv, args: &[&str]) -> String {
    let output = env.cmd().args(args).output().expect("running socctl");
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    String::from_utf8(output.stdout).expect("UTF-8")
}

#[test]
fn check_in_every_format() {
    // A clean catalog: no rows, a sentence in the text formats.
    let env = TestEnv::shipped();
    assert_every_format(&env, &["check"], 0, 6);
    for format in ["text", "table", "markdown"] {
        assert_eq!(
            run(&env, &["check"], format),
            "tasks.yaml, roles.yaml: ok (8 tasks, 5 teams)\n"
        );
    }
    assert_eq!(
        run(&env, &["--lang", "fr", "check"], "text"),
        "tasks.yaml, roles.yaml : ok (8 tâches, 5 équipes)\n"
    );
    // A broken one: one row a problem in CSV, Markdown and the table.
    let broken = TestEnv::fixture("broken");
    let json: serde_json::Value =
        serde_json::from_str(&failed_check(&broken, &["check", "-f", "json"])).expect("JSON");
    let problems = json.as_array().expect("an array").len();
    assert!(problems >= 3, "{json}");
    let csv_text = failed_check(&broken, &["check", "-f", "csv"]);
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    assert_eq!(
        reader.headers().expect("a header"),
        vec!["severity", "file", "line", "column", "message", "hint"]
    );
    assert_eq!(reader.records().count(), problems, "{csv_text}");
    let markdown = failed_check(&broken, &["check", "-f", "markdown"]);
    assert_eq!(
        markdown.lines().filter(|l| l.starts_with('|')).count(),
        problems + 2,
        "{markdown}"
    );
    let french = failed_check(&broken, &["--lang", "fr", "check", "-f", "markdown"]);
    assert!(
        french.starts_with("| Gravité | Fichier | Ligne | Colonne | Problème | Conseil |\n"),
        "{french}"
    );
    assert!(french.contains("| erreur | tasks.yaml |"), "{french}");
    let table = failed_check(&broken, &["--lang", "ja", "check", "-f", "table"]);
    assert!(
        table.contains("重大度") && table.contains("エラー"),
        "{table}"
    );
    // Text keeps the compilers' one-line form.
    let text = failed_check(&broken, &["check", "-f", "text"]);
    assert!(text.starts_with("tasks.yaml:3:11: error: "), "{text}");
    assert!(!text.contains(BOX), "{text}");
}

#[test]
fn listings_refuse_page_formats_naming_theirs() {
    let env = TestEnv::shipped();
    for format in ["html", "email"] {
        let output = env
            .cmd()
            .args(["teams", "-f", format])
            .output()
            .expect("running socctl");
        assert_eq!(output.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(&format!(
                "`socctl teams` has no {format} format; use table, text, markdown, csv or json"
            )),
            "{stderr}"
        );
    }
}

/// A task's `estimate` is read as a length of time, shown in its canonical form by `show`
/// and `tasks` in every format (issue 13 §7), and anything else is a located error.
#[test]
fn estimates_are_checked_and_shown() {
    const ROLES: &str = "version: 1\nteams:\n  - id: ops\n    name: Ops\n";
    let tasks = |estimate: &str| {
        format!(
            "version: 1\ntimezone: UTC\ntasks:\n  - id: sweep\n    title: Sweep\n    cadence: daily\n    team: ops\n    estimate: {estimate}\n  - id: tidy\n    title: Tidy\n    cadence: weekly\n    team: ops\n"
        )
    };
    // Line 8 is `    estimate: …`: the value starts in column 15.
    for (written, problem) in [
        ("soon", "`soon` is not a length of time"),
        ("0", "`0` is not a length of time"),
        ("0m", "`0m` is no time at all"),
        ("\"-2h\"", "`-2h` is negative"),
        (
            "2 months",
            "`2 months` counts months or years, which differ in length",
        ),
    ] {
        let env = TestEnv::with_catalog(tasks(written), ROLES);
        let expected = format!(
            "tasks.yaml:8:15: error: {problem} in `estimate` of task `sweep`\n  hint: write a length of time such as `30m`, `2h`, `1h30m`, `2 hours`, `90 minutes` or `1 day`\n1 error, 0 warnings\n"
        );
        env.cmd().arg("check").assert().code(1).stdout(expected);
        env.cmd().arg("tasks").assert().code(1);
    }
    // Each accepted spelling, and its canonical form (worked out by hand).
    for (written, canonical) in [
        ("2 hours", "2 hours"),
        ("30m", "30 minutes"),
        ("1h30m", "1 hour 30 minutes"),
        ("90 minutes", "1 hour 30 minutes"),
    ] {
        let env = TestEnv::with_catalog(tasks(written), ROLES);
        env.cmd().arg("check").assert().code(0);
        let show = run(&env, &["show", "sweep"], "text");
        assert!(
            show.contains(&format!("\n       estimate: {canonical}\n")),
            "{show}"
        );
        let detail: serde_json::Value =
            serde_json::from_str(&run(&env, &["show", "sweep"], "json")).expect("JSON");
        assert_eq!(detail["estimate"], canonical);
        let listed: serde_json::Value =
            serde_json::from_str(&run(&env, &["tasks"], "json")).expect("JSON");
        assert_eq!(listed[0]["estimate"], canonical);
        assert_eq!(listed[1]["estimate"], serde_json::Value::Null);
        let csv_text = run(&env, &["tasks"], "csv");
        let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
        assert_eq!(
            reader.headers().expect("a header"),
            vec!["id", "title", "teams", "cadence", "estimate"]
        );
        let rows: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.expect("a row").iter().map(str::to_owned).collect())
            .collect();
        assert_eq!(rows[0][4], canonical);
        assert_eq!(rows[1][4], "");
        let markdown = run(&env, &["tasks"], "markdown");
        assert!(
            markdown.contains(&format!("| sweep | Sweep | ops | daily | {canonical} |")),
            "{markdown}"
        );
        let table = run(&env, &["tasks"], "table");
        assert!(
            table.contains("Estimate") && table.contains(canonical),
            "{table}"
        );
    }
}
