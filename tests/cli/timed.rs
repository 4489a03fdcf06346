//! `tests/fixtures/timed`: times of day, a Sunday week start, teams in non-alphabetical
//! order, and a daylight-saving gap.
//!
//! Calendar facts (Python `datetime`/`zoneinfo`): 2026-11-22 is a Sunday; Europe/Copenhagen
//! springs forward on Sunday 2026-03-29 from 02:00 to 03:00, so 02:30 does not exist then.

use predicates::prelude::*;
use serde_json::Value;

use crate::support::{TestEnv, assert_occurrence_contract, items, text};

/// `(date, time, task)` of every record.
fn rows(value: &Value) -> Vec<(&str, Option<&str>, &str)> {
    items(value)
        .iter()
        .map(|r| (text(r, "date"), r["time"].as_str(), text(r, "task")))
        .collect()
}

#[test]
fn occurrences_sort_by_date_time_team_order_then_id() {
    let env = TestEnv::fixture("timed");
    let due = env.json(&["due", "--date", "2026-11-23", "-f", "json"]);
    assert_occurrence_contract(&due);
    // Monday: the untimed task first, then by time; at 08:00 gamma's task before beta's
    // (gamma comes first in roles.yaml), and beta's two by id.
    assert_eq!(
        rows(&due),
        [
            ("2026-11-23", None, "untimed"),
            ("2026-11-23", Some("02:30"), "night"),
            ("2026-11-23", Some("07:30"), "early"),
            ("2026-11-23", Some("08:00"), "gamma-morning"),
            ("2026-11-23", Some("08:00"), "alpha-morning"),
            ("2026-11-23", Some("08:00"), "zulu-morning"),
        ]
    );
    let early = &items(&due)[2];
    assert_eq!(text(early, "cadence"), "weekly on monday at 07:30");
    assert_eq!(text(early, "window_end"), "2026-11-30");
    // "Beta Team" (the name) resolved to beta.
    assert_eq!(items(&due)[4]["teams"], serde_json::json!(["beta"]));
}

#[test]
fn a_week_starting_on_sunday_runs_to_saturday() {
    let env = TestEnv::fixture("timed");
    let week = env.json(&["week", "--date", "2026-11-25", "-f", "json"]);
    let dates: Vec<&str> = items(&week).iter().map(|r| text(r, "date")).collect();
    assert_eq!(dates.first(), Some(&"2026-11-22"));
    assert_eq!(dates.last(), Some(&"2026-11-28"));
    // `weekly` falls on the week start.
    let plan_week: Vec<_> = rows(&week)
        .into_iter()
        .filter(|(_, _, task)| *task == "week-start")
        .collect();
    assert_eq!(plan_week, [("2026-11-22", None, "week-start")]);
    // 4 daily tasks x 7 days, 2 Monday tasks, 1 Sunday task.
    assert_eq!(items(&week).len(), 4 * 7 + 2 + 1);
    env.cmd()
        .args(["week", "--date", "2026-11-28", "-f", "table"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            // Six of the seven days are in ISO week 48, so the week is labelled W48.
            "Week 2026-W48: Sunday 22 November 2026 to Saturday 28 November 2026 (Europe/Copenhagen)\n",
        ));
    let tasks = env.json(&["tasks", "-f", "json"]);
    assert_eq!(text(&items(&tasks)[5], "cadence"), "weekly on sunday");
}

#[test]
fn a_time_in_a_daylight_saving_gap_moves_forward() {
    let env = TestEnv::fixture("timed");
    let plan = env.json(&[
        "plan",
        "--from",
        "2026-03-28",
        "--to",
        "2026-03-30",
        "--team",
        "beta",
        "-f",
        "json",
    ]);
    let night: Vec<_> = rows(&plan)
        .into_iter()
        .filter(|(_, _, task)| *task == "night")
        .collect();
    assert_eq!(
        night,
        [
            ("2026-03-28", Some("02:30"), "night"),
            ("2026-03-29", Some("03:30"), "night"),
            ("2026-03-30", Some("02:30"), "night"),
        ]
    );
    // In UTC there is no gap.
    let utc = env.json(&[
        "--tz",
        "UTC",
        "plan",
        "--from",
        "2026-03-29",
        "--to",
        "2026-03-29",
        "--team",
        "beta",
        "-f",
        "json",
    ]);
    assert!(
        rows(&utc).contains(&("2026-03-29", Some("02:30"), "night")),
        "{utc}"
    );
}

#[test]
fn a_team_with_nothing_due_says_so() {
    let env = TestEnv::fixture("timed");
    // Markdown items carry the time before the title.
    env.cmd()
        .args([
            "due",
            "--date",
            "2026-11-24",
            "--team",
            "gamma",
            "-f",
            "markdown",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "- [ ] 08:00 **Morning sweep** (`gamma-morning`) — daily at 08:00",
        ));
    let env = TestEnv::one_team(
        "version: 1\ntasks:\n  - id: drill\n    title: Drill\n    cadence: as needed\n    team: ops\n",
    );
    env.cmd()
        .arg("due")
        .assert()
        .success()
        .stdout("Due Monday 23 November 2026 (UTC)\n\nOperations\n  Nothing due.\n");
    env.cmd()
        .args(["due", "-f", "markdown"])
        .assert()
        .success()
        .stdout("# Due Monday 23 November 2026 (UTC)\n\n## Operations\n\nNothing due.\n");
    env.cmd()
        .args(["due", "-f", "json"])
        .assert()
        .success()
        .stdout("[]\n");
}
