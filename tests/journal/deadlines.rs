//! Issue 11 §2 and §7: one status rule (deadlines: on time, late, overdue, missed) giving
//! every occurrence the same status in `due`, `week`, `overdue`, `report` and `history`, and
//! monitoring (`overdue --exit-code`, `--format nagios`) that never says "all good" when it
//! cannot know.
//!
//! The fixture journal, worked out by hand from the calendar (2026-11-02 and 2026-11-16 are
//! Mondays, 2026-10-30, 11-06 and 11-13 Fridays). The journal is created on Monday 2
//! November, so tracking starts then: each task's first tracked occurrence is the one
//! whose window holds the 2nd.
//!
//! - `wk` (`weekly`: names no day, so on time anywhere in its Monday–Sunday window):
//!   2 Nov done Wednesday the 4th → on time; 9 Nov not done, window over on the 16th →
//!   missed; 16 Nov → open (today).
//! - `fri` (`weekly on friday`: names a day, due by the end of it; window Friday–Thursday):
//!   30 Oct (window 30 Oct–5 Nov holds the 2nd) not done → missed; 6 Nov done Saturday the
//!   7th → late; 13 Nov not done, deadline passed at the end of the 13th, window open to
//!   the 19th → overdue.
//! - `day` (`daily`): 2 Nov done that day → on time; 3 Nov skipped; 4–15 Nov (12 days)
//!   missed; 16 Nov → open.
//!
//! Today is Monday 16 November 2026 (its first moment: SOCCTL_TODAY has no time).

use std::collections::BTreeMap;

use serde_json::Value;

use super::env::{Journaled, field};
use crate::support::items;

const TASKS: &str = r#"
version: 1
timezone: Europe/Copenhagen
tasks:
  - id: wk
    title: "Weekly, no day named"
    cadence: weekly
    team: soc-oversight
  - id: fri
    title: "Weekly on Friday"
    cadence: weekly on friday
    team: soc-oversight
  - id: day
    title: "Daily"
    cadence: daily
    team: soc-oversight
"#;

const TODAY: &str = "2026-11-16";

fn fixture() -> Journaled {
    let j = Journaled::with_tasks(TASKS);
    j.ok("2026-11-02", &["done", "day"]);
    j.ok("2026-11-03", &["skip", "day", "--reason", "holiday cover"]);
    j.ok("2026-11-04", &["done", "wk"]);
    j.ok("2026-11-07", &["done", "fri"]);
    j
}

/// (task, due date) → standing, as worked out in the module comment, for occurrences due
/// from tracking start (2 November) on; 30 October, before it, is in `overdue` only.
fn expected() -> BTreeMap<(String, String), &'static str> {
    let mut expected = BTreeMap::new();
    let mut put = |task: &str, date: String, standing| {
        expected.insert((task.to_owned(), date), standing);
    };
    put("wk", "2026-11-02".into(), "on_time");
    put("wk", "2026-11-09".into(), "missed");
    put("wk", "2026-11-16".into(), "open");
    put("fri", "2026-11-06".into(), "late");
    put("fri", "2026-11-13".into(), "overdue");
    put("day", "2026-11-02".into(), "on_time");
    put("day", "2026-11-03".into(), "skipped");
    for d in 4..=15 {
        put("day", format!("2026-11-{d:02}"), "missed");
    }
    put("day", "2026-11-16".into(), "open");
    expected
}

/// Text with every run of whitespace (line wrapping included) made one space.
fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What a checklist's `status` says for a standing: done either way, overdue either way.
fn as_status(standing: &str) -> &'static str {
    match standing {
        "on_time" | "late" => "done",
        "missed" | "overdue" => "overdue",
        "skipped" => "skipped",
        "open" => "open",
        other => panic!("unexpected standing {other}"),
    }
}

#[test]
fn every_command_gives_each_occurrence_the_same_status() {
    let j = fixture();
    let expected = expected();

    // overdue --all: one row per overdue occurrence, with its standing; 30 October too.
    let overdue = j.json(TODAY, &["overdue", "--all"]);
    let mut listed: BTreeMap<(String, String), String> = items(&overdue)
        .iter()
        .map(|row| {
            (
                (
                    field(row, "task").to_owned(),
                    field(row, "since").to_owned(),
                ),
                field(row, "status").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        listed.remove(&("fri".to_owned(), "2026-10-30".to_owned())),
        Some("missed".to_owned())
    );
    let wanted: BTreeMap<(String, String), String> = expected
        .iter()
        .filter(|(_, s)| matches!(**s, "missed" | "overdue"))
        .map(|(k, s)| (k.clone(), (*s).to_owned()))
        .collect();
    assert_eq!(listed, wanted);
    // Each row says when its deadline passed: fri of the 13th at the end of the 13th
    // (midnight starting the 14th), wk of the 9th at the end of its window (the 15th).
    let deadline = |task: &str, since: &str| {
        items(&overdue)
            .iter()
            .find(|r| r["task"] == task && r["since"] == since)
            .map(|r| field(r, "deadline").to_owned())
            .expect("a row")
    };
    assert_eq!(deadline("fri", "2026-11-13"), "2026-11-14T00:00:00");
    assert_eq!(deadline("wk", "2026-11-09"), "2026-11-16T00:00:00");
    let text = words(&j.ok(TODAY, &["overdue", "--format", "text"]));
    assert!(
        text.contains("overdue since 2026-11-13, deadline passed: the end of 2026-11-13"),
        "{text}"
    );

    // due and week: today's occurrences, and the carried-over runs before them.
    for command in ["due", "week"] {
        let plan = j.json(TODAY, &[command]);
        for item in items(&plan) {
            let key = (
                field(item, "task").to_owned(),
                field(item, "date").to_owned(),
            );
            if item["carried"] == true {
                // A run of overdue work: every occurrence in it is missed or overdue.
                assert_eq!(item["status"], "overdue", "{command}: {item}");
                let since = field(item, "since");
                let standing = expected
                    .get(&(key.0.clone(), since.to_owned()))
                    .copied()
                    .unwrap_or("missed"); // fri 30 October, before tracking's start
                assert_eq!(as_status(standing), "overdue", "{command}: {item}");
            } else if let Some(standing) = expected.get(&key) {
                assert_eq!(item["status"], as_status(standing), "{command}: {item}");
            } else {
                assert_eq!(item["status"], "upcoming", "{command}: {item}");
            }
        }
        // The daily run: 4 to 15 November, twelve occurrences, deadline passed at the
        // end of the 4th.
        let run = items(&plan)
            .iter()
            .find(|o| o["carried"] == true && o["task"] == "day")
            .expect("the daily run");
        assert_eq!(
            (run["count"].as_u64(), field(run, "since")),
            (Some(12), "2026-11-04")
        );
        assert_eq!(field(run, "deadline"), "2026-11-05T00:00:00");
    }

    // report: each task's tally is its occurrences' standings counted.
    let report = j.json(TODAY, &["report"]);
    let team = &report["teams"]
        .as_array()
        .expect("teams")
        .iter()
        .find(|t| t["team"] == "soc-oversight")
        .expect("soc-oversight")["tasks"];
    for task in team.as_array().expect("tasks") {
        let id = field(task, "task");
        let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
        for ((t, _), standing) in &expected {
            if t == id {
                *counts.entry(standing).or_default() += 1;
            }
        }
        for standing in ["on_time", "late", "skipped", "missed", "overdue", "open"] {
            assert_eq!(
                task[standing].as_u64(),
                Some(counts.get(standing).copied().unwrap_or(0)),
                "{id} {standing}: {task}"
            );
        }
    }
    let rule = |id: &str| {
        team.as_array()
            .unwrap()
            .iter()
            .find(|t| t["task"] == id)
            .map(|t| field(t, "deadline").to_owned())
    };
    assert_eq!(rule("wk").as_deref(), Some("end of window"));
    assert_eq!(rule("fri").as_deref(), Some("due day"));

    // history: each settling record with its occurrence's standing.
    for record in j.history(TODAY, &[]) {
        let key = (
            field(&record, "task").to_owned(),
            field(&record, "occurrence").to_owned(),
        );
        assert_eq!(record["status"], expected[&key], "{record}");
    }
}

#[test]
fn carried_work_tells_open_from_overdue() {
    let j = fixture();
    // Wednesday 18 November: wk of the 16th is still open (its window runs to Sunday the
    // 22nd); fri of the 13th is overdue (due by the end of the 13th), its window open to
    // the 19th.
    let plan = j.json("2026-11-18", &["due"]);
    let carried = |task: &str| {
        items(&plan)
            .iter()
            .filter(|o| o["carried"] == true && o["task"] == task)
            .cloned()
            .collect::<Vec<Value>>()
    };
    let wk = carried("wk");
    let open = wk
        .iter()
        .find(|o| o["since"] == "2026-11-16")
        .expect("wk open");
    assert_eq!(open["status"], "open");
    assert_eq!(field(open, "deadline"), "2026-11-23T00:00:00");
    let fri = carried("fri");
    let late = fri
        .iter()
        .find(|o| o["since"] == "2026-11-13")
        .expect("fri overdue");
    assert_eq!(late["status"], "overdue");
    assert_eq!(field(late, "deadline"), "2026-11-14T00:00:00");
    // In text: different marks and words.
    let text = words(&j.ok("2026-11-18", &["due", "--format", "text"]));
    assert!(text.contains("[>] Weekly, no day named"), "{text}");
    assert!(
        text.contains("wk · still open from 2026-11-16, on time until the end of 2026-11-22"),
        "{text}"
    );
    assert!(text.contains("[!] Weekly on Friday"), "{text}");
    assert!(
        text.contains("fri · overdue ×1 since 2026-11-13, deadline passed: the end of 2026-11-13"),
        "{text}"
    );
}

#[test]
fn a_deadline_overrides_the_default_and_show_says_which() {
    let tasks = TASKS.replace(
        "    cadence: weekly\n    team: soc-oversight",
        "    cadence: weekly\n    deadline: due day\n    team: soc-oversight",
    );
    let j = Journaled::with_tasks(&tasks);
    j.ok("2026-11-02", &["done", "day"]);
    j.ok("2026-11-04", &["done", "wk"]);
    // Done on Wednesday for Monday's occurrence: late under `deadline: due day`.
    assert_eq!(
        j.history("2026-11-04", &["--task", "wk"])[0]["status"],
        "late"
    );
    // Monday the 9th not done: overdue from the 10th while its window runs to the 15th.
    let overdue = j.json("2026-11-11", &["overdue", "--all"]);
    let wk: Vec<&Value> = items(&overdue)
        .iter()
        .filter(|r| r["task"] == "wk")
        .collect();
    assert_eq!(wk.len(), 1, "{overdue}");
    assert_eq!(
        (field(wk[0], "since"), field(wk[0], "status")),
        ("2026-11-09", "overdue")
    );
    let show = words(&j.ok("2026-11-11", &["show", "wk", "--format", "text"]));
    assert!(
        show.contains("done by the end of the due day (deadline: due day)"),
        "{show}"
    );
    let show = words(&j.ok("2026-11-11", &["show", "fri", "--format", "text"]));
    assert!(
        show.contains("done by the end of the due day (default: `weekly on friday` names a"),
        "{show}"
    );
}

#[test]
fn a_bad_deadline_is_reported_where_it_is() {
    let tasks = TASKS.replace(
        "    cadence: weekly\n    team: soc-oversight",
        "    cadence: weekly\n    deadline: tomorrow\n    team: soc-oversight",
    );
    let j = Journaled::with_tasks(&tasks);
    let output = j.run(TODAY, &["check"]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    // Line 8 of tasks.yaml (the leading newline is line 1), the value after `deadline: `.
    assert!(stdout.contains("tasks.yaml:8:15"), "{stdout}");
    assert!(stdout.contains("`tomorrow` is not a deadline"), "{stdout}");
    assert!(stdout.contains("`due day`, `end of window`"), "{stdout}");
}

#[test]
fn monitoring_without_a_journal_is_never_ok() {
    let j = Journaled::with_tasks(TASKS);
    // No journal: exit 1, not 0, and say why.
    let stderr = j.fails(TODAY, &["overdue", "--exit-code"], 1);
    assert!(
        stderr.contains("cannot tell whether anything is overdue"),
        "{stderr}"
    );
    // A wrong path: the same.
    let elsewhere = j.root().join("no/such/journal.db");
    let flag = elsewhere.to_str().expect("UTF-8");
    j.fails(TODAY, &["overdue", "--exit-code", "--journal", flag], 1);
    // Something that is not a journal: an error, exit 1.
    let garbage = j.root().join("garbage.db");
    std::fs::write(&garbage, "not a database at all, just text\n".repeat(200)).unwrap();
    let flag = garbage.to_str().expect("UTF-8");
    j.fails(TODAY, &["overdue", "--exit-code", "--journal", flag], 1);
    // Nagios: UNKNOWN, exit 3, one line on stdout.
    let output = j.run(TODAY, &["overdue", "--format", "nagios"]);
    assert_eq!(output.status.code(), Some(3), "{output:?}");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(
        stdout.starts_with("SOCCTL UNKNOWN - no journal at "),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    let output = j.run(TODAY, &["overdue", "--format", "nagios", "--journal", flag]);
    assert_eq!(output.status.code(), Some(3), "{output:?}");
    // Without --exit-code, a person still gets the sentence and 0.
    j.ok(TODAY, &["overdue"]);
}

#[test]
fn nagios_states_follow_the_thresholds() {
    let j = fixture();
    let nagios = |args: &[&str]| {
        let mut all = vec!["overdue", "--format", "nagios", "--team", "soc-oversight"];
        all.extend(args);
        let output = j.run(TODAY, &all);
        (
            output.status.code(),
            String::from_utf8(output.stdout).expect("UTF-8"),
        )
    };
    // 15 overdue occurrences (fri 30 Oct and 13 Nov, wk 9 Nov, day 4–15 Nov); the oldest
    // deadline, the end of 30 October (midnight starting the 31st), passed 16 days before
    // the first moment of the 16th.
    let summary = "15 overdue occurrences of 3 tasks; oldest: fri due 2026-10-30, deadline passed 16 days ago";
    // Defaults: WARNING from 1, CRITICAL from 7 days: critical.
    assert_eq!(
        nagios(&[]),
        (
            Some(2),
            format!(
                "SOCCTL CRITICAL - {summary} | 'soc-oversight'=15;1;;0 'soc-oversight_days'=16;;7;0\n"
            )
        )
    );
    assert_eq!(
        nagios(&["--warning", "10", "--critical", "30d"]),
        (
            Some(1),
            format!(
                "SOCCTL WARNING - {summary} | 'soc-oversight'=15;10;;0 'soc-oversight_days'=16;;30;0\n"
            )
        )
    );
    assert_eq!(
        nagios(&["--warning", "20", "--critical", "17d"]),
        (
            Some(0),
            format!(
                "SOCCTL OK - {summary} | 'soc-oversight'=15;20;;0 'soc-oversight_days'=16;;17;0\n"
            )
        )
    );
    let (code, line) = nagios(&["--warning", "soon"]);
    assert_eq!(code, Some(3), "{line}");
    assert!(
        line.starts_with("SOCCTL UNKNOWN - --warning: `soon` is not a threshold"),
        "{line}"
    );
    // Other commands have no nagios format.
    j.fails(TODAY, &["due", "--format", "nagios"], 2);
    j.fails(TODAY, &["history", "--format", "nagios"], 2);
}

#[test]
fn messages_show_times_to_the_second_in_the_catalog_zone() {
    let j = fixture();
    let stderr = j.fails("2026-11-07", &["done", "fri"], 1);
    // "recorded 2026-12-01 11:24:17 CET": the real clock, so only the shape is known; no
    // nanoseconds, no UTC `Z`.
    let recorded = stderr
        .split("recorded ")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .unwrap_or_else(|| panic!("{stderr}"));
    let (stamp, zone) = recorded.rsplit_once(' ').expect("a zone");
    assert!(matches!(zone, "CET" | "CEST"), "{stderr}");
    assert_eq!(stamp.len(), "2026-11-07 10:00:00".len(), "{stderr}");
    assert!(!stamp.contains('.') && !stamp.contains('Z'), "{stderr}");
}

on_postgres! {
    every_command_gives_each_occurrence_the_same_status,
    carried_work_tells_open_from_overdue,
    a_deadline_overrides_the_default_and_show_says_which,
    nagios_states_follow_the_thresholds,
    messages_show_times_to_the_second_in_the_catalog_zone,
}
