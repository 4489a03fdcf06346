//! The text and CSV formats, `--output`, `--quiet-if-empty`, languages, completions and
//! the manual page.

use std::fs;
use std::io::Write as _;
use std::process::Stdio;

use unicode_width::UnicodeWidthStr;

use crate::support::{TestEnv, Tool, python, require};

/// Parses CSV with Python's `csv` module, an implementation independent of socctl's.
fn python_csv(text: &str) -> Vec<Vec<String>> {
    let printed = run_python(
        "import csv, json, sys; print(json.dumps(list(csv.reader(sys.stdin))))",
        text,
    );
    serde_json::from_str(&printed).unwrap()
}

#[test]
fn text_is_the_default_when_piped_and_keeps_within_78_columns() {
    let env = TestEnv::shipped();
    for language in ["en", "da", "fr", "ja"] {
        let text = env.stdout(&["--lang", language, "week"]);
        assert!(!text.contains('\u{1b}'), "{text}");
        assert!(!text.contains('┆'), "text, not a table: {text}");
        for line in text.lines() {
            assert!(
                line.width() <= 78,
                "{language}: {line:?} is {} columns",
                line.width()
            );
        }
    }
    let text = env.stdout(&["due", "--team", "monitoring"]);
    assert!(
        text.starts_with("Due Monday 23 November 2026 (UTC)\n\nMonitoring\n  [ ] "),
        "{text}"
    );
    // Monday: two daily tasks and the weekly Secure Score report.
    assert_eq!(
        text.lines().filter(|l| l.starts_with("  [ ] ")).count(),
        3,
        "{text}"
    );
}

#[test]
fn interface_words_follow_the_language() {
    let env = TestEnv::shipped();
    let danish = env
        .cmd()
        .env("LANG", "da_DK.UTF-8")
        .args(["due", "--team", "csirt"])
        .output()
        .unwrap();
    let danish = String::from_utf8(danish.stdout).unwrap();
    assert!(
        danish.starts_with("Forfalder mandag den 23. november 2026 (UTC)\n"),
        "{danish}"
    );
    assert!(
        danish.contains("Opdater SOC-eskaleringsbilletter"),
        "{danish}"
    );
    let french = env.stdout(&["--lang", "fr", "due", "--team", "csirt", "-f", "table"]);
    assert!(
        french.contains("Tâche") && french.contains("Titre") && french.contains("Cadence"),
        "{french}"
    );
    // No task of the shipped catalog has a time: the empty Time column is left out.
    assert!(!french.contains("Heure"), "{french}");
    let japanese = env.stdout(&["--lang", "ja", "due", "--team", "monitoring"]);
    assert!(
        japanese.starts_with("2026年11月23日(月)の予定 (UTC)\n\n監視\n"),
        "{japanese}"
    );
    // Nothing due, in each language (no team has anything on an empty catalog day).
    let env = TestEnv::fixture("hostile");
    env.write("tasks.yaml", "version: 1\ntasks:\n  - id: t\n    title: T\n    cadence: monthly on day 2\n    team: ops\n");
    assert!(
        env.stdout(&["--lang", "fr", "due"])
            .contains("Rien à faire.")
    );
    assert!(
        env.stdout(&["--lang", "ja", "due"])
            .contains("予定はありません。")
    );
}

#[test]
fn japanese_tables_stay_aligned() {
    let env = TestEnv::shipped();
    let table = env.stdout(&["--lang", "ja", "due", "-f", "table"]);
    let rows: Vec<&str> = table
        .lines()
        .filter(|l| l.starts_with(['│', '┌', '╞', '└']))
        .collect();
    assert!(rows.len() > 10, "{table}");
    // Every line of one table has the same display width (wide characters count two).
    for block in table.split("\n\n").filter(|b| b.contains('┌')) {
        let widths: Vec<usize> = block
            .lines()
            .filter(|l| l.starts_with(['│', '┌', '╞', '└']))
            .map(UnicodeWidthStr::width)
            .collect();
        assert!(
            widths.windows(2).all(|w| w[0] == w[1]),
            "{block}\n{widths:?}"
        );
    }
}

#[test]
#[ignore = "needs Python: run scripts/test"]
fn csv_is_rfc_4180_and_neutralizes_formulas() {
    require(&[Tool::Python(&[])]);
    let env = TestEnv::fixture("hostile");
    let output = env.cmd().args(["due", "-f", "csv"]).output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("\r\n"), "RFC 4180 records end in CRLF");
    let rows = python_csv(&text);
    assert_eq!(
        rows[0],
        [
            "date",
            "time",
            "task",
            "title",
            "teams",
            "cadence",
            "window_end",
            "as_needed",
            "description",
            "team_names",
            "status",
            "done_at",
            "done_by",
            "reason",
            "assignee"
        ]
    );
    assert_eq!(rows.len(), 4, "{rows:?}");
    let formula = rows.iter().find(|r| r[2] == "formula").unwrap();
    assert_eq!(formula[0], "2026-11-23");
    assert_eq!(
        formula[3],
        "'=HYPERLINK(\"http://evil.example/\",\"click\")"
    );
    assert_eq!(
        formula[8],
        "'-2+3; \"quoted\", with commas\r\nand a second line <script>alert(1)</script>"
    );
    assert_eq!(
        formula[9], "Ops; =cmd|' /C calc'!A0",
        "a cell starting with a letter is left alone"
    );
    let markup = rows.iter().find(|r| r[2] == "markup").unwrap();
    assert_eq!(markup[8], "'@SUM(A1:A9)");
    let japanese = rows.iter().find(|r| r[2] == "japanese").unwrap();
    assert_eq!(japanese[3], "セキュア スコア レポートを生成する");
    assert_eq!(japanese[6], "2026-11-24");
}

#[test]
#[ignore = "needs Python: run scripts/test"]
fn csv_in_another_language_keeps_english_field_names() {
    require(&[Tool::Python(&[])]);
    let env = TestEnv::shipped();
    let rows =
        python_csv(&env.stdout(&["--lang", "da", "due", "--team", "monitoring", "-f", "csv"]));
    assert_eq!(rows[0][3], "title");
    assert!(
        rows.iter().any(|r| r[3] == "Generér sikker score-rapport"),
        "{rows:?}"
    );
}

#[test]
fn hostile_text_cannot_break_text_or_markdown() {
    let env = TestEnv::fixture("hostile");
    let text = env.stdout(&["due"]);
    // The CR/LF in a description never reaches the text format, and titles stay one item.
    assert_eq!(
        text.lines().filter(|l| l.starts_with("  [ ] ")).count(),
        3,
        "{text}"
    );
    let markdown = env.stdout(&["due", "-f", "markdown"]);
    assert!(
        markdown.contains("\\<img src=x onerror=alert(1)\\>"),
        "{markdown}"
    );
    // Every `<` is escaped, so no raw HTML reaches a Markdown renderer.
    assert!(
        markdown
            .match_indices('<')
            .all(|(i, _)| markdown[..i].ends_with('\\')),
        "{markdown}"
    );
    assert!(
        markdown.contains("\\*bold\\* \\[link\\](http://evil.example)"),
        "{markdown}"
    );
    assert!(markdown.contains("\\& \\| \\`code\\`"), "{markdown}");
}

#[test]
fn quiet_if_empty_prints_nothing_only_when_nothing_is_due() {
    let env = TestEnv::fixture("hostile");
    env.write("tasks.yaml", "version: 1\ntasks:\n  - id: t\n    title: T\n    cadence: weekly on friday\n    team: ops\n");
    for command in [
        &["due", "--quiet-if-empty"][..],
        &["due", "-q", "-f", "json"],
        &["plan", "--from", "2026-11-23", "--to", "2026-11-26", "-q"],
    ] {
        env.cmd().args(command).assert().success().stdout("");
    }
    // Friday 2026-11-27 has the task.
    let due = env.stdout(&["due", "--date", "2026-11-27", "--quiet-if-empty"]);
    assert!(due.contains("[ ] T"), "{due}");
    let week = env.stdout(&["week", "--quiet-if-empty"]);
    assert!(week.contains("Friday 27 November 2026"), "{week}");
}

#[test]
fn output_files_are_written_whole_or_not_at_all() {
    let env = TestEnv::shipped();
    let path = env.work().join("week.md");
    env.cmd()
        .args(["week", "-f", "markdown", "-o", "week.md"])
        .assert()
        .success()
        .stdout("");
    let written = fs::read_to_string(&path).unwrap();
    assert!(
        written.starts_with("# Week 2026-W48: Monday 23 November 2026"),
        "{written}"
    );
    // A failing run leaves the earlier file exactly as it was, and no temporary files.
    env.cmd()
        .args(["week", "--team", "nobody", "-o", "week.md"])
        .assert()
        .code(2);
    assert_eq!(fs::read_to_string(&path).unwrap(), written);
    let names: Vec<_> = fs::read_dir(env.work())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 3, "tasks.yaml, roles.yaml, week.md: {names:?}");
    // A directory that does not exist is a clear error.
    let failure = env
        .cmd()
        .args(["due", "-o", "missing/dir/due.txt"])
        .output()
        .unwrap();
    assert_eq!(failure.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&failure.stderr),
        "socctl: cannot write missing/dir/due.txt: its directory does not exist\n"
    );
}

#[test]
fn completions_and_manual_page() {
    let env = TestEnv::empty();
    for (shell, marker) in [
        ("bash", "complete -F _socctl"),
        ("zsh", "#compdef socctl"),
        ("fish", "complete -c socctl"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let script = env.stdout(&["completions", shell]);
        assert!(script.contains(marker), "{shell}: {script}");
        assert!(
            script.contains("due") && script.contains("quiet-if-empty"),
            "{shell}"
        );
    }
    env.cmd().args(["completions", "tcsh"]).assert().code(2);
    let man = env.stdout(&["man"]);
    assert!(man.contains(".TH socctl 1"), "{man}");
    assert!(man.contains(".SH \"SOCCTL DUE\""), "{man}");
    assert!(man.contains("SOCCTL_CATALOG"), "{man}");
}

/// Runs a Python snippet on `input`, returning what it prints.
fn run_python(script: &str, input: &str) -> String {
    let mut child = python()
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("running Python");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "python failed");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
#[ignore = "needs Python with markdown-it-py: run scripts/test"]
fn markdown_is_commonmark_with_one_item_per_occurrence_and_no_raw_html() {
    require(&[Tool::Python(&["markdown_it"])]);
    let env = TestEnv::fixture("hostile");
    let markdown = env.stdout(&["week", "-f", "markdown"]);
    // markdown-it-py is a CommonMark-compliant parser independent of socctl.
    let script = r#"
import json, sys
from markdown_it import MarkdownIt
tokens = MarkdownIt("commonmark").enable("table").parse(sys.stdin.read())
print(json.dumps({
    "items": sum(1 for t in tokens if t.type == "list_item_open"),
    "headings": ["".join(c.content for c in tokens[i + 1].children) for i, t in enumerate(tokens) if t.type == "heading_open"],
    "html": [t.content for t in tokens if t.type in ("html_block", "html_inline")]
        + [c.content for t in tokens if t.children for c in t.children if c.type == "html_inline"],
    "links": sum(1 for t in tokens if t.children for c in t.children if c.type == "link_open"),
    "emphasis": sum(1 for t in tokens if t.children for c in t.children if c.type in ("em_open", "strong_open")),
    "text": "".join(c.content for t in tokens if t.children for c in t.children if c.type in ("text", "code_inline")),
}))
"#;
    let parsed = run_python(script, &markdown);
    let parsed: serde_json::Value = serde_json::from_str(&parsed).unwrap();
    // 3 daily tasks x 7 days, one item each.
    assert_eq!(parsed["items"], 21, "{markdown}");
    assert_eq!(
        parsed["html"],
        serde_json::json!([]),
        "no raw HTML survives: {markdown}"
    );
    assert_eq!(
        parsed["links"], 0,
        "no catalog link becomes a link: {markdown}"
    );
    // Only socctl's own **title** emphasis: one strong per item.
    assert_eq!(parsed["emphasis"], 21, "{markdown}");
    let text = parsed["text"].as_str().unwrap();
    assert!(
        text.contains("*bold* [link](http://evil.example) <img src=x onerror=alert(1)> & | "),
        "{text}"
    );
    assert!(
        text.contains("セキュア スコア レポートを生成する"),
        "{text}"
    );
    let headings = &parsed["headings"];
    assert_eq!(headings[1], "Ops; =cmd|' /C calc'!A0", "{headings}");
}

#[test]
#[ignore = "needs Python: run scripts/test"]
fn json_round_trips_hostile_and_japanese_text_through_an_independent_parser() {
    require(&[Tool::Python(&[])]);
    let env = TestEnv::fixture("hostile");
    let json = env.stdout(&["due", "-f", "json"]);
    let script = "import json, sys\nrecords = json.load(sys.stdin)\nprint(json.dumps({r['task']: [r['title'], r['description']] for r in records}))";
    let parsed = run_python(script, &json);
    let parsed: serde_json::Value = serde_json::from_str(&parsed).unwrap();
    assert_eq!(
        parsed["formula"][0],
        "=HYPERLINK(\"http://evil.example/\",\"click\")"
    );
    assert_eq!(
        parsed["formula"][1],
        "-2+3; \"quoted\", with commas\r\nand a second line <script>alert(1)</script>"
    );
    assert_eq!(parsed["japanese"][0], "セキュア スコア レポートを生成する");
    assert_eq!(
        parsed["markup"][0],
        "*bold* [link](http://evil.example) <img src=x onerror=alert(1)> & | `code`"
    );
}

#[cfg(unix)]
#[test]
fn output_files_get_the_usual_permissions_or_keep_their_own() {
    use std::os::unix::fs::PermissionsExt as _;
    let env = TestEnv::shipped();
    env.cmd().args(["due", "-o", "new.txt"]).assert().success();
    let mode = |name: &str| {
        fs::metadata(env.work().join(name))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode("new.txt"), 0o644);
    let existing = env.write("shared.txt", "old");
    fs::set_permissions(&existing, fs::Permissions::from_mode(0o664)).unwrap();
    env.cmd()
        .args(["due", "-o", "shared.txt"])
        .assert()
        .success();
    assert_eq!(mode("shared.txt"), 0o664);
}

/// `report -f html` says when it was made, as the checklists' HTML does, under the heading.
#[test]
fn the_html_report_has_the_print_date_of_the_checklists() {
    let env = TestEnv::shipped();
    let printed = "<p class=\"printed\">Printed Monday 23 November 2026 at 14:05</p>";
    for args in [&["week"][..], &["report"]] {
        let output = env
            .cmd()
            .env("SOCCTL_TODAY", "2026-11-23T14:05")
            .args(args)
            .args(["-f", "html"])
            .output()
            .unwrap();
        assert!(output.status.success(), "{args:?}");
        let html = String::from_utf8(output.stdout).unwrap();
        let header = &html[html.find("<header>").unwrap()..html.find("</header>").unwrap()];
        assert!(header.contains(printed), "{args:?}: {header}");
    }
}
