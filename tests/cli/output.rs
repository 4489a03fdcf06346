//! Output formats, languages, colour, `--help`, environment defaults and broken pipes.

use std::io::Read;
use std::process::Stdio;

use predicates::prelude::*;
use serde_json::json;

use crate::support::{TestEnv, items, task_ids, text};

const ESC: char = '\u{1b}';

#[test]
fn lang_gives_translated_titles() {
    let env = TestEnv::shipped();
    let due = env.json(&[
        "--lang",
        "da",
        "due",
        "--team",
        "csirt",
        "--date",
        "2026-11-23",
        "-f",
        "json",
    ]);
    assert_eq!(
        due,
        json!([{
            "task": "update-escalation-tickets",
            "title": "Opdater SOC-eskaleringsbilletter",
            "teams": ["soc-oversight", "threat-intelligence", "monitoring", "engineering-secops", "csirt"],
            "date": "2026-11-23",
            "time": null,
            "cadence": "daily",
            "window_end": "2026-11-24",
            "status": null,
            "done_at": null,
            "done_by": null,
            "reason": null,
            "as_needed": false,
            "description": "Alle SOC-teams' opdateringseskaleringsbilletter (f.eks. Sentinel, ServiceNow-billetter) er tildelt dem.",
            // The fourth weekly turn from 2026-11-02 in each team (see shipped.rs).
            "assignee": null,
            "assignees": [
                {"team": "soc-oversight", "member": "sam-oversight"},
                {"team": "threat-intelligence", "member": "ivo-intel"},
                {"team": "monitoring", "member": "mia-monitor"},
                {"team": "engineering-secops", "member": "ena-engineer"},
                {"team": "csirt", "member": "ria-responder"},
            ],
        }])
    );
    let monitoring = env.json(&["--lang", "da", "due", "--team", "Overvågning", "-f", "json"]);
    let titles: Vec<&str> = items(&monitoring)
        .iter()
        .map(|r| text(r, "title"))
        .collect();
    assert_eq!(
        titles,
        [
            "Opdater SOC-eskaleringsbilletter",
            "Generér sikker score-rapport",
            "Spor Microsoft 365 Defender af trusselssikkerhedsrisiko & aktivitet for afhjælpning af sikkerhedsrisiko",
        ]
    );
    // French and Japanese, through the flag and SOCCTL_LANG; cadences stay canonical English.
    let french = env.json(&["due", "--lang", "fr", "-t", "csirt", "-f", "json"]);
    assert_eq!(
        text(&items(&french)[0], "title"),
        "Mettre à jour les tickets d’escalade SOC"
    );
    assert_eq!(text(&items(&french)[0], "cadence"), "daily");
    let japanese = env
        .cmd()
        .env("SOCCTL_LANG", "ja")
        .args(["due", "-t", "csirt", "-f", "json"])
        .output()
        .expect("running socctl");
    let japanese: serde_json::Value = serde_json::from_slice(&japanese.stdout).expect("JSON");
    assert_eq!(
        text(&items(&japanese)[0], "title"),
        "SOC エスカレーション チケットを更新する"
    );
}

#[test]
fn the_language_comes_from_the_locale_and_falls_back_to_english() {
    let env = TestEnv::shipped();
    let localized = env
        .cmd()
        .env("LANG", "da_DK.UTF-8")
        .args(["due", "-t", "csirt", "-f", "json"])
        .output()
        .expect("running socctl");
    let localized: serde_json::Value = serde_json::from_slice(&localized.stdout).expect("JSON");
    assert_eq!(
        text(&items(&localized)[0], "title"),
        "Opdater SOC-eskaleringsbilletter"
    );
    // LC_ALL beats LANG; the C locale means English.
    let c_locale = env
        .cmd()
        .env("LANG", "da_DK.UTF-8")
        .env("LC_ALL", "C")
        .args(["due", "-t", "csirt", "-f", "json"])
        .output()
        .expect("running socctl");
    let c_locale: serde_json::Value = serde_json::from_slice(&c_locale.stdout).expect("JSON");
    assert_eq!(
        text(&items(&c_locale)[0], "title"),
        "Update SOC escalation tickets"
    );
    // A locale without translations falls back to English; chosen outright, it is refused.
    let german = env
        .cmd()
        .env("LANG", "de_DE.UTF-8")
        .args(["due", "-t", "csirt", "-f", "json"])
        .output()
        .expect("running socctl");
    let german: serde_json::Value = serde_json::from_slice(&german.stdout).expect("JSON");
    assert_eq!(
        text(&items(&german)[0], "title"),
        "Update SOC escalation tickets"
    );
    env.cmd()
        .args(["--lang", "de", "due", "-t", "csirt", "-f", "json"])
        .assert()
        .code(2)
        .stdout("");
    // Team names are translated in tables and headings too.
    let table = env.stdout(&["--lang", "fr", "due", "-t", "monitoring"]);
    assert!(table.contains("\nSurveillance\n"), "{table}");
}

#[test]
fn markdown_is_a_checklist_with_team_headings() {
    let env = TestEnv::shipped();
    let markdown = env.stdout(&["due", "--date", "2026-11-23", "-f", "markdown"]);
    assert!(
        markdown.starts_with("# Due Monday 23 November 2026 (UTC)\n"),
        "{markdown}"
    );
    let headings: Vec<&str> = markdown.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(
        headings,
        [
            "## SOC Oversight",
            "## Threat Intelligence \\& Analytics",
            "## Monitoring",
            "## Engineering \\& SecOps",
            "## Computer Security Incident Response Team (CSIRT)",
        ]
    );
    let items: Vec<&str> = markdown
        .lines()
        .filter(|l| l.starts_with("- [ ] "))
        .collect();
    // Per team section: soc-oversight 2 (tickets, portal), threat-intelligence 1,
    // monitoring 3, engineering-secops 3, csirt 1.
    assert_eq!(items.len(), 10, "{markdown}");
    assert!(
        items.contains(
            &"- [ ] **Generate Secure Score report** (`secure-score-report`) — weekly on monday — assigned to mia-monitor"
        ),
        "{markdown}"
    );
    assert!(
        items.contains(
            &"- [ ] **Service administration collaboration with SOC Teams** (`service-administration`) — weekly on monday and as needed"
        ),
        "{markdown}"
    );
    // A week groups each team's items by day.
    let week = env.stdout(&["week", "-t", "monitoring", "-f", "markdown"]);
    let days: Vec<&str> = week.lines().filter(|l| l.starts_with("### ")).collect();
    assert_eq!(
        days,
        [
            "### Monday 23 November 2026",
            "### Tuesday 24 November 2026",
            "### Wednesday 25 November 2026",
            "### Thursday 26 November 2026",
            "### Friday 27 November 2026",
            "### Saturday 28 November 2026",
            "### Sunday 29 November 2026",
        ]
    );
    assert_eq!(week.lines().filter(|l| l.starts_with("- [ ] ")).count(), 15);
}

#[test]
fn piped_tables_have_no_escape_codes_unless_forced() {
    let env = TestEnv::shipped();
    let plain = env.stdout(&["due", "-f", "table"]);
    assert!(!plain.contains(ESC), "{plain:?}");
    assert!(plain.contains("│ update-escalation-tickets ┆"), "{plain}");
    let forced = env.stdout(&["--color", "always", "due", "-f", "table"]);
    assert!(forced.contains(ESC), "{forced:?}");
    let from_env = env
        .cmd()
        .env("SOCCTL_COLOR", "always")
        .args(["due", "-f", "table"])
        .output()
        .expect("running socctl");
    assert!(String::from_utf8_lossy(&from_env.stdout).contains(ESC));
    let never = env.stdout(&["--color", "never", "due"]);
    assert!(!never.contains(ESC));
    // NO_COLOR wins over --color always.
    env.cmd()
        .env("NO_COLOR", "1")
        .args(["--color", "always", "due", "-f", "table"])
        .assert()
        .success()
        .stdout(predicate::str::contains(ESC).not());
    // An empty NO_COLOR does not count (no-color.org).
    env.cmd()
        .env("NO_COLOR", "")
        .args(["--color", "always", "due", "-f", "table"])
        .assert()
        .success()
        .stdout(predicate::str::contains(ESC));
    // Colour never reaches JSON or Markdown.
    for format in ["json", "markdown"] {
        env.cmd()
            .args(["--color", "always", "due", "-f", format])
            .assert()
            .success()
            .stdout(predicate::str::contains(ESC).not());
    }
}

#[test]
fn format_and_team_defaults_come_from_the_environment() {
    let env = TestEnv::shipped();
    let output = env
        .cmd()
        .env("SOCCTL_FORMAT", "json")
        .env("SOCCTL_TEAM", "csirt")
        .arg("due")
        .output()
        .expect("running socctl");
    assert!(output.status.success());
    let due: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(task_ids(&due), ["update-escalation-tickets"]);
    // Flags beat the environment.
    env.cmd()
        .env("SOCCTL_FORMAT", "json")
        .env("SOCCTL_TEAM", "csirt")
        .args(["due", "-f", "markdown", "--team", "monitoring"])
        .assert()
        .success()
        .stdout(predicate::str::contains("## Monitoring\n"))
        .stdout(predicate::str::contains("CSIRT").not());
}

#[test]
fn tz_overrides_the_catalog_time_zone() {
    let env = TestEnv::shipped();
    env.cmd()
        .args(["--tz", "Europe/Copenhagen", "due"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "Due Monday 23 November 2026 (Europe/Copenhagen)\n",
        ));
    env.cmd()
        .env("SOCCTL_TZ", "Asia/Tokyo")
        .arg("due")
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "Due Monday 23 November 2026 (Asia/Tokyo)\n",
        ));
    env.cmd()
        .args(["--tz", "Mars/Olympus_Mons", "due"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown time zone `Mars/Olympus_Mons` in --tz",
        ));
}

#[test]
fn every_subcommand_has_help() {
    let env = TestEnv::empty();
    for command in [
        "due", "week", "plan", "next", "tasks", "show", "teams", "roles", "check", "explain",
    ] {
        env.cmd()
            .args([command, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains(format!("Usage: socctl {command}")))
            .stderr("");
        env.cmd()
            .args(["help", command])
            .assert()
            .success()
            .stdout(predicate::str::contains(format!("Usage: socctl {command}")));
    }
    env.cmd()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("--catalog <PATH>"))
        .stdout(predicate::str::contains("explain"));
    env.cmd()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("socctl "));
    // No subcommand, or an unknown one, is a usage error.
    env.cmd().assert().code(2);
    env.cmd().arg("no-such-command").assert().code(2);
}

/// Runs socctl with stdout to a pipe whose reader goes away after one byte; returns the exit
/// code and stderr.
fn run_into_closed_pipe(env: &TestEnv, args: &[&str]) -> (Option<i32>, String) {
    let mut child = env
        .std_cmd()
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawning socctl");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut byte = [0_u8; 1];
    stdout.read_exact(&mut byte).expect("one byte of output");
    drop(stdout);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("reading stderr");
    let status = child.wait().expect("waiting for socctl");
    (status.code(), stderr)
}

#[test]
fn a_reader_that_leaves_early_is_not_an_error() {
    let env = TestEnv::shipped();
    // Ten years of every task for every team: megabytes of output, far beyond any pipe buffer.
    for format in ["table", "markdown", "json"] {
        let (code, stderr) = run_into_closed_pipe(
            &env,
            &[
                "plan",
                "--from",
                "2026-01-01",
                "--to",
                "2035-12-31",
                "-f",
                format,
            ],
        );
        assert!(
            !stderr.to_lowercase().contains("broken pipe"),
            "plan -f {format}: stderr {stderr:?}"
        );
        assert_eq!(code, Some(0), "plan -f {format}: stderr {stderr:?}");
    }
}

#[test]
fn a_reader_that_leaves_early_is_not_an_error_for_other_json_output() {
    let env = TestEnv::shipped();
    // 7 scheduled tasks x 10000 dates, and 10000 dates: hundreds of kilobytes of JSON.
    for args in [
        &["next", "-n", "10000", "-f", "json"][..],
        &["explain", "daily", "-n", "10000", "-f", "json"],
    ] {
        let (code, stderr) = run_into_closed_pipe(&env, args);
        assert!(
            !stderr.to_lowercase().contains("broken pipe"),
            "{args:?}: stderr {stderr:?}"
        );
        assert_eq!(code, Some(0), "{args:?}: stderr {stderr:?}");
    }
    // The same commands as tables are fine.
    for args in [
        &["next", "-n", "10000"][..],
        &["explain", "daily", "-n", "10000"],
    ] {
        let (code, stderr) = run_into_closed_pipe(&env, args);
        assert_eq!((code, stderr.as_str()), (Some(0), ""), "{args:?}");
    }
}

#[test]
fn piped_tables_keep_to_80_columns_unless_columns_says_otherwise() {
    let env = TestEnv::shipped();
    let narrow = env
        .cmd()
        .env("COLUMNS", "")
        .args(["tasks", "-f", "table"])
        .output()
        .unwrap();
    let narrow = String::from_utf8(narrow.stdout).unwrap();
    assert!(narrow.lines().count() > 8, "{narrow}");
    for line in narrow.lines() {
        assert!(line.chars().count() <= 80, "{line}");
    }
    let wide = env
        .cmd()
        .env("COLUMNS", "300")
        .args(["tasks", "-f", "table"])
        .output()
        .unwrap();
    let wide = String::from_utf8(wide.stdout).unwrap();
    assert!(
        wide.lines().any(|line| line.chars().count() > 100),
        "{wide}"
    );
}
