//! The listings (`tasks`, `show`, `teams`, `roles`, `next`, `history`, `overdue`,
//! `explain`, `check`) in every listing format, each read back by an independent parser:
//! JSON by serde_json, CSV by the csv crate, Markdown tables by their pipes; text stays
//! within 78 columns without box drawing, and headers follow `--lang`.

use unicode_width::UnicodeWidthStr;

use super::support::TestEnv;

/// The characters of box-drawing tables.
const BOX: &[char] = &[
    '─', '│', '┌', '┐', '└', '┘', '┆', '╞', '╪', '═', '┬', '┴', '┼',
];

/// Runs `socctl args… -f format` and returns stdout.
fn run(env: &TestEnv, args: &[&str], format: &str) -> String {
    let mut all = args.to_vec();
    all.extend(["-f", format]);
    env.stdout(&all)
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
    let json: serde_json::Value =
        serde_json::from_str(&run(env, args, "json")).expect("the JSON parses");
    if let Some(items) = json.as_array() {
        assert_eq!(items.len(), rows, "{args:?} JSON: {json}");
    }
    let csv_text = run(env, args, "csv");
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    assert_eq!(
        reader.headers().expect("a CSV header").len(),
        columns,
        "{args:?} CSV header:\n{csv_text}"
    );
    let records: Vec<csv::StringRecord> = reader
        .records()
        .collect::<Result<_, _>>()
        .expect("the CSV parses");
    assert_eq!(records.len(), rows, "{args:?} CSV:\n{csv_text}");
    assert!(records.iter().all(|r| r.len() == columns), "{csv_text}");
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
    let mut all = vec!["--lang", lang];
    all.extend(args);
    let markdown = run(env, &all, "markdown");
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
        let mut all = vec!["--lang", lang];
        all.extend(args);
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
    assert_every_format(&env, &["tasks"], 8, 4);
    assert_every_format(&env, &["tasks", "--team", "csirt"], 2, 4);
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
    // Thirteen fields; JSON is one object.
    assert_every_format(&env, &["show", "secure-score-report"], 13, 2);
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
    assert_every_format(&env, &["next", "-n", "3"], 21, 5);
    // Few enough columns to align: a header row, then one line a date.
    let text = run(&env, &["next", "-n", "2", "secure-score-report"], "text");
    assert_eq!(
        text,
        "Task                 Date        Day  Time  Cadence\n\
         secure-score-report  2026-11-23  Mon        weekly on monday\n\
         secure-score-report  2026-11-30  Mon        weekly on monday\n"
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
    assert_translated(
        &env,
        &["next", "-n", "1"],
        &["Tâche", "Date", "Jour", "Heure", "Cadence"],
        &["タスク", "日付", "曜日", "時刻", "頻度"],
    );
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
