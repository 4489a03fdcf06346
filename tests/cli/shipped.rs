//! The shipped catalog (tasks.yaml and roles.yaml at the crate root), command by command.
//!
//! Calendar facts used below (checked with Python's `datetime`): 2026-11-23 is a Monday,
//! 2026-11-24 a Tuesday, 2026-11-22 and 2026-11-29 Sundays; the Mondays of November 2026
//! are the 2nd, 9th, 16th, 23rd and 30th; 2026-11-23 is in ISO week 2026-W48.

use std::collections::{BTreeMap, BTreeSet};

use predicates::prelude::*;
use serde_json::{Value, json};

use crate::support::{
    SHIPPED_TEAMS, TestEnv, assert_occurrence_contract, dated_tasks, items, task_ids, text,
};

/// The weekly tasks of the shipped catalog ("Weekly", "Weekly SOC", "Weekly and as needed").
const WEEKLY: [&str; 4] = [
    "service-administration",
    "deploy-automation-scripts",
    "portal-license-management",
    "secure-score-report",
];
/// The daily tasks.
const DAILY: [&str; 2] = ["update-escalation-tickets", "track-mdvm-remediation"];

fn sorted<'a>(ids: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut ids: Vec<&str> = ids.into_iter().collect();
    ids.sort_unstable();
    ids
}

#[test]
fn check_accepts_the_shipped_catalog() {
    TestEnv::shipped()
        .cmd()
        .arg("check")
        .assert()
        .success()
        .stdout("tasks.yaml, roles.yaml: ok (8 tasks, 5 teams)\n")
        .stderr("");
}

#[test]
fn due_for_monitoring_on_a_monday_is_its_daily_and_weekly_tasks() {
    let env = TestEnv::shipped();
    let due = env.json(&[
        "due",
        "--team",
        "monitoring",
        "--date",
        "2026-11-23",
        "-f",
        "json",
    ]);
    // Monitoring owns track-mdvm-remediation (daily) and secure-score-report ("Weekly SOC"),
    // and, through "All SOC teams", update-escalation-tickets (daily) and
    // ir-tabletop-exercise ("As needed", never scheduled). Sorted by date, time, first owning
    // team (all -> soc-oversight comes before monitoring), then id.
    assert_eq!(
        task_ids(&due),
        [
            "update-escalation-tickets",
            "secure-score-report",
            "track-mdvm-remediation"
        ]
    );
    let records = items(&due);
    assert_eq!(
        records[0],
        json!({
            "task": "update-escalation-tickets",
            "title": "Update SOC escalation tickets",
            "teams": SHIPPED_TEAMS,
            "date": "2026-11-23",
            "time": null,
            "cadence": "daily",
            "window_end": "2026-11-24",
            "status": null,
            "done_at": null,
            "done_by": null,
            "reason": null,
            "as_needed": false,
            "description": "All SOC teams update escalation tickets (such as Sentinel, ServiceNow tickets) assigned to them.",
            // Each team's weekly turn from Monday 09:00, starting 2026-11-02: 11-23 is the
            // fourth turn, so the (4 - 1) mod n-th member of each team's n.
            "assignee": null,
            "assignees": [
                {"team": "soc-oversight", "member": "sam-oversight"},
                {"team": "threat-intelligence", "member": "ivo-intel"},
                {"team": "monitoring", "member": "mia-monitor"},
                {"team": "engineering-secops", "member": "ena-engineer"},
                {"team": "csirt", "member": "ria-responder"},
            ],
        })
    );
    assert_eq!(
        records[1],
        json!({
            "task": "secure-score-report",
            "title": "Generate Secure Score report",
            "teams": ["monitoring"],
            "date": "2026-11-23",
            "time": null,
            "cadence": "weekly on monday",
            "window_end": "2026-11-30",
            "status": null,
            "done_at": null,
            "done_by": null,
            "reason": null,
            "as_needed": false,
            "description": "Monitoring team tracks and reports Secure Score improvements.",
            // Mondays from 2026-11-02 among mia, max, mo: 11-23 is the fourth, mia again.
            "assignee": "mia-monitor",
        })
    );
    assert_eq!(text(&records[2], "window_end"), "2026-11-24");
    // Turns of two days among [max, mo] from 2026-11-02: 11-23 is day 21, turn 10, max.
    assert_eq!(records[2]["assignee"], "max-monitor");
    assert_eq!(records[2]["teams"], json!(["monitoring"]));
}

#[test]
fn due_for_every_team_on_a_monday_has_no_as_needed_only_task() {
    let env = TestEnv::shipped();
    let due = env.json(&["due", "--date", "2026-11-23", "-f", "json"]);
    assert_occurrence_contract(&due);
    let expected: Vec<&str> = sorted(DAILY.into_iter().chain(WEEKLY));
    assert_eq!(sorted(task_ids(&due)), expected);
    for record in items(&due) {
        assert_eq!(text(record, "date"), "2026-11-23");
        assert!(record["time"].is_null());
    }
    // "Weekly and as needed" is scheduled weekly and flagged as_needed.
    let flagged: BTreeSet<&str> = items(&due)
        .iter()
        .filter(|r| r["as_needed"] == json!(true))
        .map(|r| text(r, "task"))
        .collect();
    assert_eq!(
        flagged,
        BTreeSet::from(["deploy-automation-scripts", "service-administration"])
    );
}

#[test]
fn due_on_a_tuesday_has_only_daily_tasks() {
    let env = TestEnv::shipped();
    let due = env.json(&["due", "--date", "2026-11-24", "-f", "json"]);
    assert_eq!(sorted(task_ids(&due)), sorted(DAILY));
    for record in items(&due) {
        assert_eq!(text(record, "cadence"), "daily");
        assert_eq!(text(record, "window_end"), "2026-11-25");
    }
    // The monthly task falls on day 1 only.
    let sunday = env.json(&["due", "--date", "2026-11-01", "-f", "json"]);
    assert_eq!(
        sorted(task_ids(&sunday)),
        sorted(DAILY.into_iter().chain(["update-phishing-dlp-campaigns"]))
    );
    let monthly = items(&sunday)
        .iter()
        .find(|r| text(r, "task") == "update-phishing-dlp-campaigns")
        .expect("the monthly task");
    assert_eq!(text(monthly, "cadence"), "monthly on day 1 and as needed");
    assert_eq!(text(monthly, "window_end"), "2026-12-01");
    assert_eq!(monthly["as_needed"], json!(true));
}

#[test]
fn due_defaults_to_socctl_today_and_understands_relative_days() {
    let env = TestEnv::shipped();
    let today = env.json(&["due", "--team", "monitoring", "-f", "json"]);
    assert!(
        items(&today)
            .iter()
            .all(|r| text(r, "date") == "2026-11-23")
    );
    assert_eq!(items(&today).len(), 3);
    let tomorrow = env.json(&["due", "-t", "monitoring", "-d", "tomorrow", "-f", "json"]);
    assert_eq!(
        dated_tasks(&tomorrow),
        [
            ("2026-11-24", "update-escalation-tickets"),
            ("2026-11-24", "track-mdvm-remediation")
        ]
    );
    let yesterday = env.json(&["due", "-t", "monitoring", "-d", "yesterday", "-f", "json"]);
    assert!(
        items(&yesterday)
            .iter()
            .all(|r| text(r, "date") == "2026-11-22")
    );
    let other_day = env
        .cmd()
        .env("SOCCTL_TODAY", "2026-11-30")
        .args(["due", "--team", "monitoring", "-f", "json"])
        .output()
        .expect("running socctl");
    let other: Value = serde_json::from_slice(&other_day.stdout).expect("JSON");
    assert_eq!(
        dated_tasks(&other),
        [
            ("2026-11-30", "update-escalation-tickets"),
            ("2026-11-30", "secure-score-report"),
            ("2026-11-30", "track-mdvm-remediation")
        ]
    );
}

#[test]
fn teams_match_by_id_name_alias_and_translated_alias_ignoring_case() {
    let env = TestEnv::shipped();
    let expected = [
        "update-escalation-tickets",
        "secure-score-report",
        "track-mdvm-remediation",
    ];
    for name in [
        "monitoring",
        "MONITORING",
        "Monitoring",
        "  monitoring ",
        "Overvågning",
        "OVERVÅGNING",
        "Surveillance",
        "surveillance",
        "監視",
    ] {
        let due = env.json(&["due", "--team", name, "--date", "2026-11-23", "-f", "json"]);
        assert_eq!(task_ids(&due), expected, "--team {name:?}");
    }
    // Engineering & SecOps owns the two "Weekly and as needed" tasks; the source spells its
    // name two ways and the translations add more.
    for name in [
        "engineering-secops",
        "Engineering & SecOps",
        "engineering and secops",
        "Ingénierie et SecOps",
        "エンジニアリングと SecOps",
    ] {
        let due = env.json(&["due", "--team", name, "--date", "2026-11-23", "-f", "json"]);
        assert_eq!(
            sorted(task_ids(&due)),
            [
                "deploy-automation-scripts",
                "service-administration",
                "update-escalation-tickets"
            ],
            "--team {name:?}"
        );
    }
}

#[test]
fn the_all_group_task_is_due_for_every_team_including_csirt() {
    let env = TestEnv::shipped();
    for team in SHIPPED_TEAMS {
        let due = env.json(&["due", "--team", team, "--date", "2026-11-24", "-f", "json"]);
        assert!(
            task_ids(&due).contains(&"update-escalation-tickets"),
            "{team}: {due}"
        );
    }
    let csirt = env.json(&[
        "due",
        "--team",
        "CSIRT",
        "--date",
        "2026-11-23",
        "-f",
        "json",
    ]);
    assert_eq!(task_ids(&csirt), ["update-escalation-tickets"]);
    assert_eq!(items(&csirt)[0]["teams"], json!(SHIPPED_TEAMS));
    // The group itself selects every team.
    let all = env.json(&[
        "due",
        "--team",
        "All SOC teams",
        "--date",
        "2026-11-23",
        "-f",
        "json",
    ]);
    assert_eq!(items(&all).len(), 6);
    // And the CSIRT's task list includes the as-needed tabletop exercise.
    let tasks = env.json(&["tasks", "--team", "csirt", "-f", "json"]);
    let ids: Vec<&str> = items(&tasks).iter().map(|t| text(t, "id")).collect();
    assert_eq!(ids, ["update-escalation-tickets", "ir-tabletop-exercise"]);
}

#[test]
fn an_unknown_team_is_a_usage_error_listing_the_teams() {
    let env = TestEnv::shipped();
    for command in ["due", "week", "tasks", "roles"] {
        env.cmd()
            .args([command, "--team", "Red Team"])
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains("unknown team `Red Team`"))
            .stderr(predicate::str::contains(
                "soc-oversight (SOC Oversight), threat-intelligence (Threat Intelligence & Analytics), \
                 monitoring (Monitoring), engineering-secops (Engineering & SecOps), \
                 csirt (Computer Security Incident Response Team (CSIRT))",
            ));
    }
    env.cmd()
        .args([
            "plan",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-02",
            "--team",
            "nobody",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown team `nobody`"));
}

#[test]
fn week_covers_monday_to_sunday_with_every_daily_occurrence() {
    let env = TestEnv::shipped();
    let week = env.json(&["week", "--date", "2026-11-25", "-f", "json"]);
    assert_occurrence_contract(&week);
    let days = [
        "2026-11-23",
        "2026-11-24",
        "2026-11-25",
        "2026-11-26",
        "2026-11-27",
        "2026-11-28",
        "2026-11-29",
    ];
    let mut dates_by_task: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for record in items(&week) {
        dates_by_task
            .entry(text(record, "task"))
            .or_default()
            .push(text(record, "date"));
    }
    for task in DAILY {
        assert_eq!(dates_by_task[task], days, "{task}");
    }
    for task in WEEKLY {
        assert_eq!(dates_by_task[task], ["2026-11-23"], "{task}");
    }
    assert_eq!(dates_by_task.len(), DAILY.len() + WEEKLY.len());
    assert_eq!(items(&week).len(), 2 * 7 + 4);
    // window_end is exclusive: the next day for daily, the next Monday for weekly.
    for record in items(&week) {
        let expected = if text(record, "cadence") == "daily" {
            let index = days
                .iter()
                .position(|d| *d == text(record, "date"))
                .expect("a day of the week");
            days.get(index + 1).copied().unwrap_or("2026-11-30")
        } else {
            "2026-11-30"
        };
        assert_eq!(text(record, "window_end"), expected, "{record}");
    }
    // Every day of the week selects the same week; the next Monday starts another.
    for day in ["2026-11-23", "2026-11-29"] {
        assert_eq!(
            env.json(&["week", "--date", day, "-f", "json"]),
            week,
            "{day}"
        );
    }
    let next = env.json(&["week", "--date", "2026-11-30", "-f", "json"]);
    assert_eq!(text(&items(&next)[0], "date"), "2026-11-30");
    assert_eq!(
        text(items(&next).last().expect("records"), "date"),
        "2026-12-06"
    );

    env.cmd()
        .args(["week", "--date", "2026-11-25"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "Week 2026-W48: Monday 23 November 2026 to Sunday 29 November 2026 (UTC)\n",
        ));
}

#[test]
fn plan_lists_every_occurrence_in_the_range_sorted() {
    let env = TestEnv::shipped();
    let plan = env.json(&[
        "plan",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "-f",
        "json",
    ]);
    assert_occurrence_contract(&plan);
    let records = items(&plan);
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for record in records {
        *counts.entry(text(record, "task")).or_default() += 1;
    }
    // 30 days; five Mondays; day 1 once; "As needed" never.
    let expected = BTreeMap::from([
        ("update-escalation-tickets", 30),
        ("track-mdvm-remediation", 30),
        ("service-administration", 5),
        ("deploy-automation-scripts", 5),
        ("portal-license-management", 5),
        ("secure-score-report", 5),
        ("update-phishing-dlp-campaigns", 1),
    ]);
    assert_eq!(counts, expected);
    let mondays: BTreeSet<&str> = records
        .iter()
        .filter(|r| text(r, "task") == "secure-score-report")
        .map(|r| text(r, "date"))
        .collect();
    assert_eq!(
        mondays,
        BTreeSet::from([
            "2026-11-02",
            "2026-11-09",
            "2026-11-16",
            "2026-11-23",
            "2026-11-30"
        ])
    );
    // Sorted by date, time, team (first owning team in roles.yaml order), then task id.
    let team_rank = |record: &Value| {
        let first = record["teams"][0].as_str().expect("a team");
        SHIPPED_TEAMS
            .iter()
            .position(|t| *t == first)
            .expect("a known team")
    };
    let keys: Vec<(String, String, usize, String)> = records
        .iter()
        .map(|r| {
            (
                text(r, "date").to_owned(),
                r["time"].as_str().unwrap_or("").to_owned(),
                team_rank(r),
                text(r, "task").to_owned(),
            )
        })
        .collect();
    let mut expected_order = keys.clone();
    expected_order.sort();
    assert_eq!(keys, expected_order);
    // The first day: the daily ticket update, then the monthly campaign (both owned first by
    // soc-oversight, so by id), then Monitoring's daily task.
    assert_eq!(
        dated_tasks(&plan)[..3],
        [
            ("2026-11-01", "update-escalation-tickets"),
            ("2026-11-01", "update-phishing-dlp-campaigns"),
            ("2026-11-01", "track-mdvm-remediation"),
        ]
    );
    // The window of an occurrence at the end of the range reaches past it: the next day for
    // the last daily one, the next Monday for the last weekly one.
    let last_of = |task: &str| {
        records
            .iter()
            .rev()
            .find(|r| text(r, "task") == task)
            .expect("an occurrence")
    };
    let daily = last_of("update-escalation-tickets");
    assert_eq!(
        (text(daily, "date"), text(daily, "window_end")),
        ("2026-11-30", "2026-12-01")
    );
    let weekly = last_of("portal-license-management");
    assert_eq!(
        (text(weekly, "date"), text(weekly, "window_end")),
        ("2026-11-30", "2026-12-07")
    );
    assert_eq!(text(records.last().expect("records"), "date"), "2026-11-30");
}

#[test]
fn plan_refuses_a_reversed_range() {
    TestEnv::shipped()
        .cmd()
        .args(["plan", "--from", "2026-11-30", "--to", "2026-11-01"])
        .assert()
        .code(2)
        .stdout("")
        .stderr("socctl: --from 2026-11-30 is after --to 2026-11-01; a range includes both its first and its last day, so --from must be on or before --to\n");
}

#[test]
fn plan_refuses_more_than_a_century() {
    // 2000-01-01 to 2100-12-31 inclusive is 36890 days (101 years).
    TestEnv::shipped()
        .cmd()
        .args(["plan", "--from", "2000-01-01", "--to", "2100-12-31"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "the range 2000-01-01 to 2100-12-31 is 36890 days; socctl plans at most 36525 days",
        ));
}

#[test]
fn plan_accepts_exactly_a_century() {
    let env = TestEnv::one_team(
        "version: 1\ntasks:\n  - id: audit\n    title: Audit\n    cadence: yearly on 01-01\n    team: ops\n",
    );
    // 2000-01-01 to 2099-12-31 is 36525 days: allowed, one audit a year.
    let plan = env.json(&[
        "plan",
        "--from",
        "2000-01-01",
        "--to",
        "2099-12-31",
        "-f",
        "json",
    ]);
    assert_eq!(items(&plan).len(), 100);
    assert_eq!(text(&items(&plan)[99], "date"), "2099-01-01");
    assert_eq!(text(&items(&plan)[99], "window_end"), "2100-01-01");
    // One day more (to 2100-01-01) is 36526 days.
    env.cmd()
        .args(["plan", "--from", "2000-01-01", "--to", "2100-01-01"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is 36526 days"));
}

#[test]
fn next_lists_the_next_dates_of_a_task() {
    let env = TestEnv::shipped();
    let next = env.json(&["next", "update-escalation-tickets", "-n", "3", "-f", "json"]);
    // The week of 2026-11-23 is each team's fourth weekly turn from 2026-11-02.
    let fourth_turn = json!([
        {"team": "soc-oversight", "member": "sam-oversight"},
        {"team": "threat-intelligence", "member": "ivo-intel"},
        {"team": "monitoring", "member": "mia-monitor"},
        {"team": "engineering-secops", "member": "ena-engineer"},
        {"team": "csirt", "member": "ria-responder"},
    ]);
    assert_eq!(
        next,
        json!([
            {"task": "update-escalation-tickets", "date": "2026-11-23", "time": null, "cadence": "daily", "assignees": fourth_turn},
            {"task": "update-escalation-tickets", "date": "2026-11-24", "time": null, "cadence": "daily", "assignees": fourth_turn},
            {"task": "update-escalation-tickets", "date": "2026-11-25", "time": null, "cadence": "daily", "assignees": fourth_turn},
        ])
    );
    let weekly = env.json(&[
        "next",
        "secure-score-report",
        "-n",
        "3",
        "--date",
        "2026-11-24",
        "-f",
        "json",
    ]);
    assert_eq!(
        dated_tasks(&weekly),
        [
            ("2026-11-30", "secure-score-report"),
            ("2026-12-07", "secure-score-report"),
            ("2026-12-14", "secure-score-report")
        ]
    );
    // A purely "as needed" task has no dates: one row says so (no journal: never triggered).
    let as_needed = env.json(&["next", "ir-tabletop-exercise", "-f", "json"]);
    assert_eq!(
        as_needed,
        json!([{"task": "ir-tabletop-exercise", "date": null, "time": null, "cadence": "as needed", "as_needed": true, "last_trigger": null}])
    );
    // Without ids: every scheduled task, five dates each by default.
    let all = env.json(&["next", "-f", "json"]);
    assert_eq!(items(&all).len(), 7 * 5);
    env.cmd()
        .args([
            "next",
            "update-escalation-tickets",
            "-n",
            "3",
            "-f",
            "table",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("2026-11-25 ┆ Wed"));
}

#[test]
fn next_with_an_unknown_task_is_a_usage_error() {
    TestEnv::shipped()
        .cmd()
        .args(["next", "update-escalation-ticket"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "unknown task `update-escalation-ticket`; tasks: service-administration, ",
        ))
        .stderr(predicate::str::contains("ir-tabletop-exercise"));
    TestEnv::shipped()
        .cmd()
        .args(["next", "update-escalation-tickets", "-n", "0"])
        .assert()
        .code(2);
}

#[test]
fn tasks_lists_the_catalog_with_canonical_cadences() {
    let env = TestEnv::shipped();
    let tasks = env.json(&["tasks", "-f", "json"]);
    let cadences: Vec<(&str, &str, &str)> = items(&tasks)
        .iter()
        .map(|t| {
            (
                text(t, "id"),
                text(t, "cadence"),
                text(t, "cadence_as_written"),
            )
        })
        .collect();
    assert_eq!(
        cadences,
        [
            (
                "service-administration",
                "weekly on monday and as needed",
                "Weekly and as needed"
            ),
            (
                "update-phishing-dlp-campaigns",
                "monthly on day 1 and as needed",
                "Monthly and as needed"
            ),
            (
                "deploy-automation-scripts",
                "weekly on monday and as needed",
                "Weekly and as needed"
            ),
            ("portal-license-management", "weekly on monday", "Weekly"),
            ("update-escalation-tickets", "daily", "Daily"),
            ("track-mdvm-remediation", "daily", "Daily"),
            ("secure-score-report", "weekly on monday", "Weekly SOC"),
            ("ir-tabletop-exercise", "as needed", "As needed"),
        ]
    );
    let ir = &items(&tasks)[7];
    assert_eq!(ir["as_needed"], json!(true));
    assert_eq!(ir["scheduled"], json!(false));
    assert_eq!(
        items(&tasks)[0]["team_as_written"],
        json!(["Engineering & SecOps"])
    );
    assert_eq!(
        items(&tasks)[2]["team_as_written"],
        json!(["Engineering and SecOps"])
    );
    let table = env.stdout(&["tasks"]);
    for needle in [
        "weekly on monday and as needed",
        "monthly on day 1 and as needed",
        "as needed",
        "daily",
        "ir-tabletop-exercise",
    ] {
        assert!(table.contains(needle), "{needle} missing from:\n{table}");
    }
}

#[test]
fn show_gives_the_cadence_as_written_and_canonical() {
    let env = TestEnv::shipped();
    let table = env.stdout(&["show", "secure-score-report", "-f", "table"]);
    let row = |field: &str| {
        table
            .lines()
            .find(|line| line.starts_with(&format!("│ {field} ")))
            .unwrap_or_else(|| panic!("no {field} row in:\n{table}"))
            .to_owned()
    };
    assert!(row("cadence").contains("weekly on monday"), "{table}");
    assert!(row("as written").contains("Weekly SOC"), "{table}");
    assert!(row("teams").contains("Monitoring"), "{table}");
    let record = env.json(&["show", "secure-score-report", "-f", "json"]);
    assert_eq!(text(&record, "cadence"), "weekly on monday");
    assert_eq!(text(&record, "cadence_as_written"), "Weekly SOC");
    assert_eq!(record["teams"], json!(["monitoring"]));
    assert_eq!(
        text(&record["translations"]["da"], "title"),
        "Generér sikker score-rapport"
    );
    env.cmd()
        .args(["show", "no-such-task"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown task `no-such-task`"));
}

#[test]
fn teams_lists_every_team_with_its_tasks() {
    let env = TestEnv::shipped();
    let teams = env.json(&["teams", "-f", "json"]);
    let ids: Vec<&str> = items(&teams).iter().map(|t| text(t, "id")).collect();
    assert_eq!(ids, SHIPPED_TEAMS);
    let csirt = &items(&teams)[4];
    assert_eq!(
        text(csirt, "name"),
        "Computer Security Incident Response Team (CSIRT)"
    );
    assert_eq!(csirt["groups"], json!(["all"]));
    assert_eq!(
        csirt["tasks"],
        json!(["update-escalation-tickets", "ir-tabletop-exercise"])
    );
    assert_eq!(text(csirt, "email"), "csirt@example.org");
    let monitoring = &items(&teams)[2];
    assert_eq!(
        monitoring["aliases"],
        json!(["Overvågning", "Surveillance", "監視"])
    );
    let table = env.stdout(&["teams"]);
    for id in SHIPPED_TEAMS {
        assert!(table.contains(id), "{id} missing from:\n{table}");
    }
}

#[test]
fn roles_for_the_csirt_shows_its_responsibilities_and_tasks() {
    let env = TestEnv::shipped();
    let table = env.stdout(&["roles", "--team", "csirt", "-f", "table"]);
    for needle in [
        "Computer Security Incident Response Team (CSIRT)",
        "• Investigates and responds to cyber incidents",
        "• Performs forensics",
        "• May often be isolated from SOC",
        "• Collaborate and maintain Microsoft Defender XDR incident response playbooks",
        "• Update SOC escalation tickets (daily)",
        "• Run IR tabletop exercise (as needed)",
    ] {
        assert!(table.contains(needle), "{needle:?} missing from:\n{table}");
    }
    // Only the CSIRT.
    assert!(!table.contains("Tier 1, 2, 3 analysts"), "{table}");
    let roles = env.json(&["roles", "--team", "csirt", "-f", "json"]);
    assert_eq!(
        roles,
        json!([{
            "team": "csirt",
            "name": "Computer Security Incident Response Team (CSIRT)",
            "responsibilities": [
                "Investigates and responds to cyber incidents",
                "Performs forensics",
                "May often be isolated from SOC"
            ],
            "defender_tasks": [
                "Collaborate and maintain Microsoft Defender XDR incident response playbooks"
            ],
            "maintenance_tasks": [
                {"task": "update-escalation-tickets", "title": "Update SOC escalation tickets", "cadence": "daily"},
                {"task": "ir-tabletop-exercise", "title": "Run IR tabletop exercise", "cadence": "as needed"}
            ]
        }])
    );
    let everyone = env.json(&["roles", "-f", "json"]);
    assert_eq!(items(&everyone).len(), 5);
}

#[test]
fn explain_shows_the_next_dates_of_a_cadence() {
    // The last Monday-to-Friday day of January, February and March 2026 (Python:
    // last day of the month, stepped back over Saturday and Sunday).
    let env = TestEnv::shipped();
    let text_output = env.stdout(&[
        "explain",
        "monthly on the last workday",
        "--from",
        "2026-01-01",
        "-n",
        "3",
    ]);
    assert_eq!(
        text_output,
        "  Original form: monthly on the last workday\n\
         Normalized form: monthly on the last workday\n       \
         Calendar: UTC, weeks start on monday, 0 holidays\n    \
         Next elapse: Fri 2026-01-30\n       \
         Iter. #2: Fri 2026-02-27\n       \
         Iter. #3: Tue 2026-03-31\n"
    );
    let json_output = env.json(&[
        "explain",
        "monthly on the last workday",
        "--from",
        "2026-01-01",
        "-n",
        "3",
        "-f",
        "json",
    ]);
    assert_eq!(
        json_output["dates"],
        json!([
            {"date": "2026-01-30", "time": null},
            {"date": "2026-02-27", "time": null},
            {"date": "2026-03-31", "time": null},
        ])
    );
    assert_eq!(json_output["scheduled"], json!(true));
    // The catalog's cadence aliases apply.
    let alias = env.json(&["explain", "Weekly SOC", "-n", "2", "-f", "json"]);
    assert_eq!(text(&alias, "canonical"), "weekly on monday");
    assert_eq!(
        alias["dates"],
        json!([{"date": "2026-11-23", "time": null}, {"date": "2026-11-30", "time": null}])
    );
}

#[test]
fn explain_as_needed_is_never_scheduled() {
    let env = TestEnv::shipped();
    env.cmd()
        .args(["explain", "as needed"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Normalized form: as needed"))
        .stdout(predicate::str::contains(
            "Next elapse: never scheduled; appears only when triggered",
        ));
    let json_output = env.json(&["explain", "As Needed", "-f", "json"]);
    assert_eq!(
        json_output,
        json!({
            "original": "As Needed",
            "canonical": "as needed",
            "as_needed": true,
            "scheduled": false,
            "dates": [],
        })
    );
}

#[test]
fn explain_refuses_an_unknown_cadence_listing_accepted_forms() {
    // With and without a catalog to read aliases from.
    for env in [TestEnv::shipped(), TestEnv::empty()] {
        env.cmd()
            .args(["explain", "fortnightly"])
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(
                "cannot read `fortnightly`: `fortnightly` is not a cadence socctl understands",
            ))
            .stderr(predicate::str::contains("accepted forms:"))
            .stderr(predicate::str::contains(
                "monthly on the first workday  |  monthly on the last workday",
            ))
            .stderr(predicate::str::contains("cron: <crontab expression"));
    }
}
