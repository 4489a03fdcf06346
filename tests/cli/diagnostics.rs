//! Catalog problems: every one reported at once as `file:line:column: error: …`, and the
//! files socctl must refuse without hanging or crashing.
//!
//! Lines and columns are 1-based and were counted in the fixture files by hand; the
//! comment above each expectation says what sits there.

use std::time::{Duration, Instant};

use predicates::prelude::*;
use serde_json::Value;

use crate::support::{TestEnv, fixture_path, items, text};

/// The diagnostics `tests/fixtures/broken` must produce: (line prefix, hint fragment).
const BROKEN: [(&str, &str); 8] = [
    // Line 3 is `timezone: Europe/Copenhagn`; the value starts after 10 characters.
    (
        "tasks.yaml:3:11: error: unknown time zone `Europe/Copenhagn`",
        "hint: did you mean `Europe/Copenhagen`?",
    ),
    // Line 9 is `    titel: …`: the key starts in column 5.
    (
        "tasks.yaml:9:5: error: unknown field `titel` in a task",
        "hint: did you mean `title`? fields of a task: id, title,",
    ),
    // Line 10 is `  - id: weekly-review`, the second task with the id of line 5.
    (
        "tasks.yaml:10:9: error: duplicate task id `weekly-review`",
        "hint: first defined on line 5; ids must be unique",
    ),
    // Line 16 is `    cadence: fortnightly`: the value starts in column 14.
    (
        "tasks.yaml:16:14: error: cannot read the cadence `fortnightly` of task `fortnight`: \
         `fortnightly` is not a cadence socctl understands",
        "hint: accepted forms:",
    ),
    // Line 21 is `    team: Monitorng`.
    (
        "tasks.yaml:21:11: error: unknown team `Monitorng` in task `bad-team`",
        "hint: did you mean `monitoring`? known: monitoring, csirt, all",
    ),
    // Line 25 is `    start: 2026-02-30` (February never has a 30th).
    (
        "tasks.yaml:25:12: error: `2026-02-30` in `start` is not a valid date",
        "hint: write dates as YYYY-MM-DD",
    ),
    // Line 29 is `    cadence: "cron: 0 0 30 2 *"`: the quoted value starts in column 14.
    (
        "tasks.yaml:29:14: error: the cadence `cron: 0 0 30 2 *` of task `never` never falls \
         on any date",
        "hint: check the rule with `socctl explain`",
    ),
    // roles.yaml line 1 is `version: 2`.
    (
        "roles.yaml:1:10: error: unsupported catalog version `2`",
        "hint: this socctl reads version 1",
    ),
];

/// Asserts that `output` holds every diagnostic of the broken fixture, in order, each with
/// its hint on a following line, and the summary line.
fn assert_broken_diagnostics(output: &str) {
    let lines: Vec<&str> = output.lines().collect();
    let mut position = 0;
    for (diagnostic, hint) in BROKEN {
        let index = lines[position..]
            .iter()
            .position(|line| *line == diagnostic)
            .unwrap_or_else(|| panic!("missing or out of order: {diagnostic}\nin:\n{output}"))
            + position;
        assert!(
            lines[index + 1].trim_start().starts_with(hint),
            "{diagnostic}: expected hint {hint:?}, got {:?}",
            lines[index + 1]
        );
        position = index + 1;
    }
    let errors = lines
        .iter()
        .filter(|line| line.contains(": error: "))
        .count();
    assert_eq!(errors, BROKEN.len(), "{output}");
    assert!(lines.contains(&"8 errors, 0 warnings"), "{output}");
}

#[test]
fn check_reports_every_problem_at_once() {
    let env = TestEnv::fixture("broken");
    let output = env.cmd().arg("check").output().expect("running socctl");
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    assert_broken_diagnostics(&stdout);
    // The cadence hint lists the accepted forms, one per line.
    assert!(
        stdout
            .contains("\n          monthly on the first workday  |  monthly on the last workday\n"),
        "{stdout}"
    );
    assert!(stdout.contains("\n          as needed\n"), "{stdout}");
}

#[test]
fn check_reports_problems_as_json() {
    let env = TestEnv::fixture("broken");
    let output = env
        .cmd()
        .args(["check", "-f", "json"])
        .output()
        .expect("running socctl");
    assert_eq!(output.status.code(), Some(1));
    let problems: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let positions: Vec<(&str, u64, u64)> = items(&problems)
        .iter()
        .map(|p| {
            assert_eq!(text(p, "severity"), "error");
            (
                text(p, "file"),
                p["line"].as_u64().expect("a line"),
                p["column"].as_u64().expect("a column"),
            )
        })
        .collect();
    assert_eq!(
        positions,
        [
            ("tasks.yaml", 3, 11),
            ("tasks.yaml", 9, 5),
            ("tasks.yaml", 10, 9),
            ("tasks.yaml", 16, 14),
            ("tasks.yaml", 21, 11),
            ("tasks.yaml", 25, 12),
            ("tasks.yaml", 29, 14),
            ("roles.yaml", 1, 10),
        ]
    );
    assert!(
        text(&items(&problems)[3], "hint")
            .contains("\n  monthly on the first workday  |  monthly on the last workday\n"),
        "{problems}"
    );
}

#[test]
fn commands_refuse_a_broken_catalog_with_the_same_diagnostics() {
    let env = TestEnv::fixture("broken");
    for args in [
        &["due"][..],
        &["week"],
        &["plan", "--from", "2026-11-01", "--to", "2026-11-30"],
        &["next"],
        &["tasks"],
        &["teams"],
    ] {
        let output = env.cmd().args(args).output().expect("running socctl");
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
        let stderr = String::from_utf8(output.stderr).expect("UTF-8");
        assert_broken_diagnostics(&stderr);
        assert!(
            stderr.ends_with(
                "socctl: the catalog has errors; run `socctl check` after fixing them\n"
            ),
            "{stderr}"
        );
    }
}

#[test]
fn a_yaml_syntax_error_in_roles_is_reported_alone() {
    // roles.yaml line 4 is `    name: Monitoring: SOC`: the second colon is in column 21.
    // The tasks file is fine; its team cannot be resolved, but that would only repeat the
    // roles.yaml problem, so it is not reported.
    let env = TestEnv::fixture("syntax");
    env.cmd()
        .arg("check")
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with(
            "roles.yaml:4:21: error: YAML syntax: a second `: ` on this line (YAML reads the text before it as a key)\n  hint: put a value that contains `: ` in quotes",
        ))
        .stdout(predicate::str::ends_with("\n1 error, 0 warnings\n"));
    env.cmd()
        .arg("due")
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::starts_with(
            "roles.yaml:4:21: error: YAML syntax:",
        ));
}

#[test]
fn a_yaml_syntax_error_in_tasks_is_reported_with_one_in_roles() {
    let env = TestEnv::fixture("syntax");
    // Line 4 is `    title: Triage: the queue`: the second colon is in column 18.
    env.write(
        "tasks.yaml",
        "version: 1\ntasks:\n  - id: triage\n    title: Triage: the queue\n    cadence: daily\n    team: monitoring\n",
    );
    let output = env.cmd().arg("check").output().expect("running socctl");
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    // Each error is followed by its hint.
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{stdout}");
    assert!(
        lines[0].starts_with("tasks.yaml:4:18: error: YAML syntax:"),
        "{stdout}"
    );
    assert!(lines[1].starts_with("  hint: "), "{stdout}");
    assert!(
        lines[2].starts_with("roles.yaml:4:21: error: YAML syntax:"),
        "{stdout}"
    );
    assert!(lines[3].starts_with("  hint: "), "{stdout}");
    assert_eq!(lines[4], "2 errors, 0 warnings");
}

#[test]
fn a_missing_catalog_names_the_places_searched() {
    let env = TestEnv::empty();
    let xdg = env.config().join("socctl").join("tasks.yaml");
    env.cmd()
        .arg("due")
        .assert()
        .code(1)
        .stdout("")
        .stderr(format!(
            "socctl: no tasks.yaml found; searched: tasks.yaml, {}\n  hint: pass --catalog PATH \
             (or set SOCCTL_CATALOG), or run socctl where tasks.yaml is\n",
            xdg.display()
        ));
    env.cmd()
        .arg("check")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "no tasks.yaml found; searched: tasks.yaml, {}",
            xdg.display()
        )));
    // Without XDG_CONFIG_HOME, the configuration directory is ~/.config.
    let home = env.home().join(".config").join("socctl").join("tasks.yaml");
    env.cmd()
        .env_remove("XDG_CONFIG_HOME")
        .arg("due")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "searched: tasks.yaml, {}",
            home.display()
        )));
    // An explicit path is the only place searched.
    env.cmd()
        .args(["--catalog", "elsewhere/tasks.yaml", "due"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "no tasks.yaml found; searched: elsewhere/tasks.yaml\n",
        ));
}

#[test]
fn a_missing_roles_file_names_the_places_searched() {
    let env = TestEnv::empty();
    env.write(
        "sub/tasks.yaml",
        std::fs::read(fixture_path("syntax").join("tasks.yaml")).expect("fixture"),
    );
    let xdg = env.config().join("socctl").join("roles.yaml");
    env.cmd()
        .args(["--catalog", "sub/tasks.yaml", "due"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "no roles.yaml found; searched: sub/roles.yaml, roles.yaml, {}",
            xdg.display()
        )));
}

#[test]
fn a_directory_is_not_a_catalog() {
    let env = TestEnv::shipped();
    std::fs::create_dir(env.work().join("catalog")).expect("mkdir");
    let message = "catalog: error: is a directory, not a catalog file\n  hint: point at the \
                   YAML file itself, e.g. `--catalog dir/tasks.yaml`\n";
    // `check` reports on stdout, other commands refuse on stderr.
    env.cmd()
        .args(["--catalog", "catalog", "--roles", "roles.yaml", "check"])
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with(message));
    env.cmd()
        .args(["--catalog", "catalog", "--roles", "roles.yaml", "due"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::starts_with(message));
}

#[test]
fn invalid_utf8_is_reported_where_it_starts() {
    let env = TestEnv::shipped();
    // "version: 1\n" is 11 bytes and "tasks:\n" 7, so the 0xE9 after "  - id: caf" is byte 29,
    // on line 3, column 12.
    env.write("tasks.yaml", b"version: 1\ntasks:\n  - id: caf\xe9\n");
    env.cmd()
        .arg("check")
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with(
            "tasks.yaml:3:12: error: is not valid UTF-8 (byte 29)\n  hint: save the file as UTF-8\n",
        ));
}

#[test]
fn an_alias_bomb_is_refused_quickly() {
    let env = TestEnv::fixture("bomb");
    let started = Instant::now();
    env.cmd()
        .arg("check")
        .timeout(Duration::from_secs(60))
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with("tasks.yaml:"))
        .stdout(predicate::str::contains(": error: YAML syntax:"))
        .stdout(predicate::str::ends_with("\n1 error, 0 warnings\n"));
    // Expanded, the document would have 9^9 (387 million) strings; a debug build rejects
    // it in a couple of seconds.
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn control_characters_in_values_are_escaped_in_diagnostics() {
    let env = TestEnv::fixture("crlf");
    let output = env.cmd().arg("check").output().expect("running socctl");
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(!stdout.contains('\r'), "{stdout:?}");
    // Line 5 is `  - id: "Bad\r\nsocctl: all good"`, line 8 `    team: "Moni\r\ntoring"`.
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        [
            "tasks.yaml:5:9: error: task id `Bad\\r\\nsocctl: all good` is not kebab-case",
            "  hint: ids are lowercase letters, digits and single hyphens, e.g. `bad-socctl-all-good`",
            "tasks.yaml:8:11: error: unknown team `Moni\\r\\ntoring` in task `Bad\\r\\nsocctl: all good`",
            "  hint: did you mean `monitoring`? known: monitoring, all; a team matches its id, name or any alias in roles.yaml",
            "2 errors, 0 warnings",
        ]
    );
}

#[test]
fn a_title_with_a_line_break_stays_on_one_line() {
    let env = TestEnv::fixture("crlf");
    env.write(
        "tasks.yaml",
        "version: 1\ntasks:\n  - id: handover\n    title: \"First line\\r\\n- [x] forged item\"\n    \
         cadence: daily\n    team: monitoring\n",
    );
    let markdown = env.stdout(&["due", "-f", "markdown"]);
    let checklist: Vec<&str> = markdown.lines().filter(|l| l.starts_with("- [")).collect();
    assert_eq!(
        checklist,
        // The line break became a space, so "- [x]" is text inside the item, not a new item.
        ["- [ ] **First line  - \\[x\\] forged item** (`handover`) — daily"]
    );
    let json = env.json(&["due", "-f", "json"]);
    assert_eq!(
        text(&items(&json)[0], "title"),
        "First line\r\n- [x] forged item"
    );
}

#[test]
fn bad_dates_are_usage_errors() {
    let env = TestEnv::shipped();
    for date in ["2026-13-01", "2026-02-30", "23/11/2026", "tomorrowish", ""] {
        env.cmd()
            .args(["due", "--date", date])
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(
                "is not a date; use YYYY-MM-DD (e.g. 2026-11-23), today, tomorrow or yesterday",
            ));
    }
    env.cmd()
        .args(["plan", "--from", "2026-11-01", "--to", "someday"])
        .assert()
        .code(2);
    env.cmd()
        .env("SOCCTL_TODAY", "23 November")
        .arg("due")
        .assert()
        .code(2)
        .stderr(
            "socctl: SOCCTL_TODAY=`23 November` is not a date (YYYY-MM-DD, years 0001 to 9999) or a date and time (YYYY-MM-DDTHH:MM)\n",
        );
}

/// A rule whose last date has passed (a cron year) is a warning, not an error: the catalog
/// cannot turn invalid overnight and stop every command, `overdue --exit-code` included.
#[test]
fn a_rule_that_is_over_is_a_warning_not_an_error() {
    let env = TestEnv::one_team(
        "version: 1\ntasks:\n  - id: migration\n    title: One-off migration\n    cadence: \"cron: 0 0 9 1 6 * 2025\"\n    team: ops\n",
    );
    let output = env.cmd().arg("check").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("tasks.yaml:5:14: warning: the cadence `cron: 0 0 9 1 6 * 2025` of task `migration` no longer falls on or after 2026-11-23"),
        "{text}"
    );
    env.cmd().arg("due").assert().success();
}

/// An address mail cannot send to is a catalog defect, found by `check` and refused by every
/// command, as mail refuses it (issue 13 §7): `monitoring@@example.org` used to pass `check`
/// and then fail `due -f email` with exit 2.
#[test]
fn an_address_mail_refuses_is_a_catalog_defect() {
    let tasks = "version: 1\ntimezone: UTC\ntasks:\n  - id: sweep\n    title: Sweep\n    cadence: daily\n    team: monitoring\n";
    for address in [
        "monitoring@@example.org",
        "a b@example.org",
        "x@exa mple.org",
        "x@-example.org",
        "x@example..org",
    ] {
        // Line 6 is `    email: "…"`: the quoted value starts in column 12.
        let roles = format!(
            "version: 1\nmail_from: soc@example.org\nteams:\n  - id: monitoring\n    name: Monitoring\n    email: \"{address}\"\n"
        );
        let env = TestEnv::with_catalog(tasks, &roles);
        let expected = format!(
            "roles.yaml:6:12: error: `{address}` is not an e-mail address\n  hint: write a bare address such as `soc@example.org`\n1 error, 0 warnings\n"
        );
        env.cmd()
            .arg("check")
            .assert()
            .code(1)
            .stdout(expected.clone());
        for args in [
            &["due"][..],
            &["due", "--team", "monitoring", "-f", "email"],
        ] {
            env.cmd()
                .args(args)
                .env("SOCCTL_TODAY", "2026-11-23")
                .assert()
                .code(1)
                .stderr(predicate::str::contains(format!(
                    "roles.yaml:6:12: error: `{address}` is not an e-mail address"
                )));
        }
    }
    // Also the sender's.
    let roles = "version: 1\nmail_from: \"soc@@example.org\"\nteams:\n  - id: monitoring\n    name: Monitoring\n    email: monitoring@example.org\n";
    let env = TestEnv::with_catalog(tasks, roles);
    env.cmd()
        .arg("check")
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with(
            "roles.yaml:2:12: error: `soc@@example.org` is not an e-mail address\n",
        ));
    // What mail sends to passes.
    let roles = "version: 1\nmail_from: soc@example.org\nteams:\n  - id: monitoring\n    name: Monitoring\n    email: mon.team+soc@mail.example.org\n";
    let env = TestEnv::with_catalog(tasks, roles);
    env.cmd().arg("check").assert().code(0);
    env.cmd()
        .args(["due", "--team", "monitoring", "-f", "email"])
        .env("SOCCTL_TODAY", "2026-11-23")
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "To: Monitoring <mon.team+soc@mail.example.org>",
        ));
}
