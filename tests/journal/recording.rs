//! `done`, `skip`, `undo` and `trigger`: which occurrence a record settles, what is refused,
//! and what `due`, `week` and `history` show afterwards.

use serde_json::Value;

use super::env::{Journaled, USER, field, of_task};
use crate::support::SHIPPED_TASKS;

#[test]
fn done_settles_the_occurrence_whose_window_contains_the_day() {
    let j = Journaled::shipped();
    // The journal exists from Monday 2026-11-23.
    j.ok(
        "2026-11-23",
        &["done", "update-escalation-tickets", "--all-teams"],
    );
    // secure-score-report is weekly on Monday; Wednesday 2026-11-25 lies in the window of
    // Monday 2026-11-23 (up to, not including, Monday 2026-11-30): done late.
    let record = j.json("2026-11-25", &["done", "secure-score-report"]);
    assert_eq!(field(&record, "occurrence"), "2026-11-23", "{record}");
    assert_eq!(field(&record, "on"), "2026-11-25", "{record}");
    assert_eq!(field(&record, "action"), "done", "{record}");
    assert_eq!(field(&record, "by"), USER, "{record}");
    // A backfill: Sunday 2026-11-22 is in the window of Monday 2026-11-16.
    let text = j.ok(
        "2026-11-25",
        &["done", "portal-license-management", "--date", "2026-11-22"],
    );
    assert!(text.contains("2026-11-16"), "{text}");
    // Yesterday, for a daily task, is yesterday's occurrence.
    let record = j.json(
        "2026-11-25",
        &[
            "done",
            "update-escalation-tickets",
            "--all-teams",
            "--date",
            "yesterday",
        ],
    );
    assert_eq!(field(&record, "occurrence"), "2026-11-24", "{record}");

    let week = j.json("2026-11-25", &["week"]);
    let score = of_task(&week, "secure-score-report");
    assert_eq!(score.len(), 1, "{week}");
    assert_eq!(score[0]["status"], "done");
    assert_eq!(score[0]["done_at"], "2026-11-25");
    assert_eq!(score[0]["done_by"], USER);
    let text = j.ok("2026-11-25", &["done", "track-mdvm-remediation"]);
    assert!(text.contains("on time"), "{text}");
    let history = j.history("2026-11-25", &["--task", "secure-score-report"]);
    assert_eq!(history.len(), 1);
}

/// The first record ever, made on Wednesday for Monday's occurrence, creates the journal
/// on Wednesday; the occurrence it settles must still show as done, not as untracked.
#[test]
fn a_first_record_for_an_earlier_occurrence_shows_as_done() {
    let j = Journaled::shipped();
    j.ok("2026-11-25", &["done", "secure-score-report"]);
    let week = j.json("2026-11-25", &["week"]);
    let score = of_task(&week, "secure-score-report");
    assert_eq!(score.len(), 1, "{week}");
    assert_eq!(score[0]["status"], "done", "{}", score[0]);
    assert_eq!(score[0]["done_at"], "2026-11-25");
    assert_eq!(score[0]["done_by"], USER);
}

#[test]
fn done_reports_late_work_as_late() {
    let j = Journaled::shipped();
    let text = j.ok("2026-11-25", &["done", "secure-score-report"]);
    assert!(text.contains("late"), "{text}");
    assert!(!text.contains("on time"), "{text}");
}

#[test]
fn future_days_are_refused() {
    let j = Journaled::shipped();
    for args in [
        &[
            "done",
            "update-escalation-tickets",
            "--all-teams",
            "--date",
            "2026-11-24",
        ][..],
        &[
            "done",
            "update-escalation-tickets",
            "--all-teams",
            "--date",
            "tomorrow",
        ],
        &[
            "skip",
            "update-escalation-tickets",
            "--all-teams",
            "--reason",
            "x",
            "--date",
            "2027-01-01",
        ],
    ] {
        let stderr = j.fails("2026-11-23", args, 2);
        assert!(stderr.contains("future"), "{args:?}: {stderr}");
    }
    j.assert_no_journal("a refused `done`");
}

#[test]
fn unknown_tasks_are_refused_with_the_list_of_tasks() {
    let j = Journaled::shipped();
    for command in ["done", "undo"] {
        let stderr = j.fails("2026-11-23", &[command, "update-escalation-ticket"], 2);
        assert!(stderr.contains("update-escalation-ticket`"), "{stderr}");
        for task in SHIPPED_TASKS {
            assert!(stderr.contains(task), "{task} missing from: {stderr}");
        }
    }
    let stderr = j.fails(
        "2026-11-23",
        &["skip", "no-such-task", "--reason", "because"],
        2,
    );
    assert!(stderr.contains("no-such-task"), "{stderr}");
    j.assert_no_journal("a refused `done`");
}

/// A catalog whose only task starts on Monday 2026-11-16 and falls on Wednesdays: its
/// first occurrence is Wednesday 2026-11-18.
const STARTING_TASK: &str = "version: 1
timezone: UTC
tasks:
  - id: new-weekly
    title: New weekly review
    cadence: weekly on wednesday
    team: monitoring
    start: 2026-11-16
  - id: daily-check
    title: Daily check
    cadence: daily
    team: monitoring
";

#[test]
fn a_day_before_the_first_occurrence_is_refused() {
    let j = Journaled::with_tasks(STARTING_TASK);
    j.ok("2026-11-23", &["done", "daily-check"]);
    // 2026-11-17 (after `start`, before the first Wednesday) has no window.
    let stderr = j.fails(
        "2026-11-23",
        &["done", "new-weekly", "--date", "2026-11-17"],
        2,
    );
    assert!(stderr.contains("2026-11-18"), "{stderr}");
    assert!(stderr.contains("first occurrence"), "{stderr}");
    j.fails(
        "2026-11-23",
        &["done", "new-weekly", "--date", "2026-01-05"],
        2,
    );
    assert_eq!(j.record_count(), 1, "a refused backfill recorded something");
    // Thursday 2026-11-19 is in the window of 2026-11-18.
    let record = j.json(
        "2026-11-23",
        &["done", "new-weekly", "--date", "2026-11-19"],
    );
    assert_eq!(field(&record, "occurrence"), "2026-11-18");
}

/// A refused command should not create the journal, since creating it starts tracking.
#[test]
fn refused_records_leave_no_journal_behind() {
    let j = Journaled::with_tasks(STARTING_TASK);
    j.fails(
        "2026-11-23",
        &["done", "new-weekly", "--date", "2026-11-17"],
        2,
    );
    j.assert_no_journal("`done` before the first occurrence");
    let shipped = Journaled::shipped();
    shipped.fails(
        "2026-11-23",
        &["trigger", "portal-license-management", "--reason", "x"],
        2,
    );
    shipped.assert_no_journal("`trigger` of a scheduled task");
}

#[test]
fn recording_an_occurrence_twice_is_reported_and_not_duplicated() {
    let j = Journaled::shipped();
    j.ok(
        "2026-11-23",
        &[
            "done",
            "update-escalation-tickets",
            "--all-teams",
            "--by",
            "alice",
        ],
    );
    let first = j.history("2026-11-23", &[]);
    let recorded_at = field(&first[0], "recorded_at").to_owned();
    let stderr = j.fails(
        "2026-11-23",
        &[
            "done",
            "update-escalation-tickets",
            "--all-teams",
            "--by",
            "bob",
        ],
        1,
    );
    assert!(stderr.contains("already done"), "{stderr}");
    assert!(stderr.contains("alice"), "names who: {stderr}");
    // When: the day and the moment of the first record, to the second in the catalog's
    // zone (UTC in the shipped catalog), not in nanoseconds.
    assert!(stderr.contains("2026-11-23"), "{stderr}");
    let when = format!("{} {} UTC", &recorded_at[..10], &recorded_at[11..19]);
    assert!(stderr.contains(&when), "names when: {stderr}");
    // The same weekly occurrence from another day of its window, and a skip of a done one.
    j.ok(
        "2026-11-23",
        &["done", "secure-score-report", "--by", "carol"],
    );
    let stderr = j.fails("2026-11-26", &["done", "secure-score-report"], 1);
    assert!(stderr.contains("carol"), "{stderr}");
    j.fails(
        "2026-11-26",
        &["skip", "secure-score-report", "--reason", "too late anyway"],
        1,
    );

    let history = j.history("2026-11-26", &[]);
    assert_eq!(history.len(), 2, "{history:?}");
    let due = j.json("2026-11-23", &["due"]);
    let tickets = of_task(&due, "update-escalation-tickets");
    assert_eq!(tickets.len(), 1);
    assert_eq!(tickets[0]["done_by"], "alice");
}

#[test]
fn skip_records_a_reason_and_the_occurrence_shows_skipped() {
    let j = Journaled::shipped();
    // --reason is required.
    j.fails("2026-11-23", &["skip", "track-mdvm-remediation"], 2);
    j.assert_no_journal("`skip` without a reason");
    // A blank one is none: the board refuses it too, by the same rule.
    let stderr = j.fails(
        "2026-11-23",
        &["skip", "track-mdvm-remediation", "--reason", "  "],
        2,
    );
    assert!(
        stderr.contains("`skip` needs a reason (an auditor will ask); nothing recorded"),
        "{stderr}"
    );
    j.assert_no_journal("`skip` with a blank reason");
    j.ok(
        "2026-11-23",
        &[
            "skip",
            "track-mdvm-remediation",
            "--reason",
            "MDVM portal outage",
            "--ref",
            "INC-1",
        ],
    );
    let due = j.json("2026-11-23", &["due"]);
    let mdvm = of_task(&due, "track-mdvm-remediation");
    assert_eq!(mdvm[0]["status"], "skipped", "{due}");
    assert_eq!(mdvm[0]["done_at"], Value::Null);
    assert_eq!(mdvm[0]["done_by"], Value::Null);
    // Skipped is settled: not overdue the next day, and `done` is refused.
    let overdue = j.json("2026-11-24", &["overdue"]);
    let tasks = crate::support::task_ids(&overdue);
    assert!(tasks.contains(&"update-escalation-tickets"), "{overdue}");
    assert!(!tasks.contains(&"track-mdvm-remediation"), "{overdue}");
    let stderr = j.fails("2026-11-23", &["done", "track-mdvm-remediation"], 1);
    assert!(stderr.contains("skipped"), "{stderr}");
    let history = j.history("2026-11-23", &[]);
    assert_eq!(history.len(), 1);
    assert_eq!(history[0]["action"], "skipped");
    assert_eq!(history[0]["note"], "MDVM portal outage");
    assert_eq!(history[0]["ref"], "INC-1");
}

#[test]
fn undo_appends_a_retraction_and_reopens_the_occurrence() {
    let j = Journaled::shipped();
    j.ok(
        "2026-11-23",
        &["done", "track-mdvm-remediation", "--by", "alice"],
    );
    j.ok(
        "2026-11-23",
        &[
            "undo",
            "track-mdvm-remediation",
            "--by",
            "bob",
            "--note",
            "wrong task",
        ],
    );
    let history = j.history("2026-11-23", &[]);
    assert_eq!(history.len(), 2, "both records stay: {history:?}");
    // Newest first: the retraction, then what it retracts.
    assert_eq!(history[0]["action"], "undone");
    assert_eq!(history[0]["by"], "bob");
    assert_eq!(history[0]["note"], "wrong task");
    assert_eq!(history[0]["occurrence"], "2026-11-23");
    assert_eq!(history[0]["undoes"], history[1]["id"]);
    assert_eq!(history[1]["action"], "done");

    let due = j.json("2026-11-23", &["due"]);
    let mdvm = of_task(&due, "track-mdvm-remediation");
    assert_eq!(mdvm[0]["status"], "open", "{due}");
    assert_eq!(mdvm[0]["done_by"], Value::Null);
    // The next day the retracted occurrence is overdue again.
    let overdue = j.json("2026-11-24", &["overdue"]);
    let tasks: Vec<&str> = crate::support::task_ids(&overdue);
    assert!(tasks.contains(&"track-mdvm-remediation"), "{overdue}");
    // Nothing is left to undo: the record is already undone (the journal refuses, exit 1,
    // as for "already done"); doing it again is allowed and counts.
    let message = j.fails(
        "2026-11-24",
        &["undo", "track-mdvm-remediation", "--date", "2026-11-23"],
        1,
    );
    assert!(
        message.contains("`track-mdvm-remediation` done due 2026-11-23")
            && message.contains("is already undone; nothing recorded"),
        "{message}"
    );
    j.ok(
        "2026-11-24",
        &["done", "track-mdvm-remediation", "--date", "2026-11-23"],
    );
    let overdue = j.json("2026-11-24", &["overdue"]);
    assert!(
        !crate::support::task_ids(&overdue).contains(&"track-mdvm-remediation"),
        "{overdue}"
    );
    assert_eq!(j.history("2026-11-24", &[]).len(), 3);
}

#[test]
fn only_as_needed_tasks_can_be_triggered() {
    let j = Journaled::shipped();
    let stderr = j.fails(
        "2026-11-23",
        &["trigger", "portal-license-management", "--reason", "x"],
        2,
    );
    assert!(stderr.contains("as needed"), "{stderr}");
    // An "as needed" task is done only once triggered.
    let stderr = j.fails(
        "2026-11-23",
        &["done", "ir-tabletop-exercise", "--all-teams"],
        2,
    );
    assert!(stderr.contains("trigger"), "{stderr}");
    assert_eq!(j.history("2026-11-23", &[]).len(), 0);
}

#[test]
fn triggered_work_shows_in_due_until_done() {
    let j = Journaled::shipped();
    j.ok(
        "2026-11-23",
        &[
            "trigger",
            "ir-tabletop-exercise",
            "--all-teams",
            "--reason",
            "new ransomware playbook",
        ],
    );
    let due = j.json("2026-11-23", &["due"]);
    let exercise = of_task(&due, "ir-tabletop-exercise");
    assert_eq!(exercise.len(), 1, "{due}");
    assert_eq!(exercise[0]["status"], "triggered");
    assert_eq!(exercise[0]["date"], "2026-11-23");
    assert_eq!(exercise[0]["window_end"], Value::Null);
    // Two days later it is carried over, still triggered, never overdue.
    let due = j.json("2026-11-25", &["due", "--team", "csirt"]);
    let exercise = of_task(&due, "ir-tabletop-exercise");
    assert_eq!(exercise.len(), 1, "{due}");
    assert_eq!(exercise[0]["status"], "triggered");
    assert_eq!(exercise[0]["carried"], true);
    assert_eq!(exercise[0]["since"], "2026-11-23");
    let overdue = j.json("2026-11-25", &["overdue"]);
    assert!(
        !crate::support::task_ids(&overdue).contains(&"ir-tabletop-exercise"),
        "{overdue}"
    );
    // Triggering the same day twice is reported.
    j.fails(
        "2026-11-23",
        &[
            "trigger",
            "ir-tabletop-exercise",
            "--all-teams",
            "--reason",
            "again",
        ],
        1,
    );
    // `done` settles the triggered occurrence, however late.
    let record = j.json(
        "2026-11-25",
        &["done", "ir-tabletop-exercise", "--all-teams"],
    );
    assert_eq!(field(&record, "occurrence"), "2026-11-23");
    let due = j.json("2026-11-25", &["due"]);
    assert!(of_task(&due, "ir-tabletop-exercise").is_empty(), "{due}");
    let week = j.json("2026-11-25", &["week"]);
    let exercise = of_task(&week, "ir-tabletop-exercise");
    assert_eq!(exercise.len(), 1, "{week}");
    assert_eq!(exercise[0]["status"], "done");
    assert_eq!(exercise[0]["done_at"], "2026-11-25");
    assert_eq!(exercise[0]["done_by"], USER);
}

/// `done --format json` prints the record it stored, exactly as `history` and
/// `journal export` later show it (same id, same `recorded_at`).
#[test]
fn the_record_printed_is_the_record_stored() {
    let j = Journaled::shipped();
    let printed = j.json(
        "2026-11-23",
        &[
            "done",
            "update-escalation-tickets",
            "--all-teams",
            "--note",
            "n",
        ],
    );
    let mut stored = j.history("2026-11-23", &[]).remove(0);
    stored
        .as_object_mut()
        .expect("an object")
        .remove("in_catalog");
    // History adds how the record's occurrence ended (done on its due day: on time).
    assert_eq!(
        stored.as_object_mut().expect("an object").remove("status"),
        Some(Value::from("on_time"))
    );
    assert_eq!(printed, stored);
    let exported: Value = serde_json::from_str(&j.export()[0]).expect("JSON");
    assert_eq!(printed, exported);
}

/// `--occurrence` names the due date; `--date` stays the day the work was done. Yesterday's
/// daily check done this morning is late, not on time, and today's check stays open.
#[test]
fn occurrence_names_the_due_date_and_date_the_day_of_the_work() {
    let j = Journaled::shipped();
    let text = j.ok(
        "2026-11-24",
        &[
            "done",
            "update-escalation-tickets",
            "--all-teams",
            "--occurrence",
            "yesterday",
        ],
    );
    assert!(text.contains("due 2026-11-23 (late)"), "{text}");
    let record: Value = serde_json::from_str(&j.export()[0]).expect("JSON");
    assert_eq!(
        (field(&record, "occurrence"), field(&record, "on")),
        ("2026-11-23", "2026-11-24")
    );
    let due = j.json("2026-11-24", &["due"]);
    let today = of_task(&due, "update-escalation-tickets");
    assert_eq!(today.last().map(|o| field(o, "status")), Some("open"));
    // A day that is not a due date of the task is refused, naming it.
    let stderr = j.fails(
        "2026-11-24",
        &[
            "done",
            "portal-license-management",
            "--occurrence",
            "2026-11-22",
        ],
        2,
    );
    assert!(
        stderr.contains("no occurrence of `portal-license-management` is due on 2026-11-22"),
        "{stderr}"
    );
}

/// An old triggered occurrence still open does not swallow the regular weekly `done`; a
/// trigger inside the current window does get it.
#[test]
fn an_old_trigger_does_not_take_over_the_scheduled_occurrence() {
    let j = Journaled::shipped();
    // service-administration is "Weekly and as needed": Mondays, plus triggers.
    j.ok(
        "2026-11-04",
        &[
            "trigger",
            "service-administration",
            "--reason",
            "licence audit",
        ],
    );
    let text = j.ok("2026-11-23", &["done", "service-administration"]);
    assert!(text.contains("due 2026-11-23 (on time)"), "{text}");
    // Triggered on Tuesday 2026-11-24, inside the window of Monday's (already done) one.
    j.ok(
        "2026-11-24",
        &[
            "trigger",
            "service-administration",
            "--reason",
            "new SaaS tenant",
        ],
    );
    let text = j.ok("2026-11-25", &["done", "service-administration"]);
    assert!(text.contains("due 2026-11-24 (late)"), "{text}");
}

/// A backfill for a week that began before the journal existed can be undone, as the
/// "already done" message suggests.
#[test]
fn a_backfill_from_before_tracking_can_be_undone() {
    let j = Journaled::shipped();
    // Thursday 2026-11-19: the weekly task's occurrence is Monday 2026-11-16.
    let text = j.ok(
        "2026-11-19",
        &["done", "portal-license-management", "--date", "2026-11-19"],
    );
    assert!(text.contains("due 2026-11-16 (late)"), "{text}");
    let text = j.ok(
        "2026-11-19",
        &["undo", "portal-license-management", "--date", "2026-11-19"],
    );
    assert!(
        text.contains("undone: portal-license-management done due 2026-11-16"),
        "{text}"
    );
}

on_postgres! {
    done_settles_the_occurrence_whose_window_contains_the_day,
    a_first_record_for_an_earlier_occurrence_shows_as_done,
    done_reports_late_work_as_late,
    future_days_are_refused,
    unknown_tasks_are_refused_with_the_list_of_tasks,
    a_day_before_the_first_occurrence_is_refused,
    refused_records_leave_no_journal_behind,
    recording_an_occurrence_twice_is_reported_and_not_duplicated,
    skip_records_a_reason_and_the_occurrence_shows_skipped,
    undo_appends_a_retraction_and_reopens_the_occurrence,
    only_as_needed_tasks_can_be_triggered,
    triggered_work_shows_in_due_until_done,
    the_record_printed_is_the_record_stored,
    occurrence_names_the_due_date_and_date_the_day_of_the_work,
    an_old_trigger_does_not_take_over_the_scheduled_occurrence,
    a_backfill_from_before_tracking_can_be_undone,
}
