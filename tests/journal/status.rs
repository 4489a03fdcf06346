//! Statuses in `due` and `week`, `overdue`, carried-over work, and when tracking starts.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::env::{Journaled, every, field, of_task};
use crate::support::{assert_occurrence_contract, items, task_ids};

/// The shipped tasks scheduled weekly on Monday (two of them also "as needed").
const WEEKLY: [&str; 4] = [
    "deploy-automation-scripts",
    "portal-license-management",
    "secure-score-report",
    "service-administration",
];

/// The shipped daily tasks.
const DAILY: [&str; 2] = ["track-mdvm-remediation", "update-escalation-tickets"];

#[test]
fn without_a_journal_status_is_null_and_reading_creates_nothing() {
    let j = Journaled::shipped();
    for command in ["due", "week"] {
        let plan = j.json("2026-11-23", &[command]);
        assert!(!items(&plan).is_empty());
        assert_occurrence_contract(&plan);
        for occurrence in items(&plan) {
            for name in ["status", "done_at", "done_by"] {
                assert_eq!(occurrence[name], Value::Null, "{occurrence}");
            }
        }
    }
    assert_eq!(j.json("2026-11-23", &["overdue"]), serde_json::json!([]));
    assert_eq!(j.json("2026-11-23", &["history"]), serde_json::json!([]));
    // Monitoring cannot tell without a journal: not 0 (issue 11 §7).
    j.fails("2026-11-23", &["overdue", "--exit-code"], 1);
    j.ok("2026-11-23", &["history", "--task", "secure-score-report"]);
    j.ok("2026-11-23", &["due", "--format", "text"]);
    j.ok("2026-11-23", &["week", "--format", "markdown"]);
    assert_eq!(j.ok("2026-11-23", &["journal", "export"]), "");
    let info = j.ok("2026-11-23", &["journal", "info"]);
    assert!(info.contains("not created yet"), "{info}");
    j.assert_no_journal("a command that only reads");

    // The same at the default location, $XDG_STATE_HOME/socctl/journal.db…
    for args in [&["due"][..], &["week"], &["overdue"], &["history"]] {
        let output = j
            .std_cmd("2026-11-23")
            .env_remove("SOCCTL_JOURNAL")
            .args(args)
            .output()
            .expect("running socctl");
        assert!(output.status.success(), "{args:?}: {output:?}");
    }
    // …and at a path given with --journal.
    let other = j.root().join("other.db");
    let flag = other.to_str().expect("a UTF-8 path");
    j.ok("2026-11-23", &["due", "--journal", flag]);
    assert!(!other.exists());
    j.assert_no_journal("a command that only reads");

    // Recording creates the default journal, directories included.
    let output = j
        .std_cmd("2026-11-23")
        .env_remove("SOCCTL_JOURNAL")
        .args(["done", "update-escalation-tickets", "--all-teams"])
        .output()
        .expect("running socctl");
    assert!(output.status.success(), "{output:?}");
    assert!(j.state().join("socctl").join("journal.db").is_file());
    assert!(!j.journal().exists());
}

#[test]
fn a_week_shows_every_status() {
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
    j.ok(
        "2026-11-23",
        &["skip", "track-mdvm-remediation", "--reason", "outage"],
    );
    j.ok(
        "2026-11-25",
        &[
            "trigger",
            "ir-tabletop-exercise",
            "--all-teams",
            "--reason",
            "drill",
        ],
    );
    // Today is Wednesday 2026-11-25, the week is Monday 23 to Sunday 29 November.
    let week = j.json("2026-11-25", &["week"]);
    assert_occurrence_contract(&week);
    let statuses = |task: &str| -> Vec<(String, String)> {
        of_task(&week, task)
            .iter()
            .map(|o| (field(o, "date").to_owned(), field(o, "status").to_owned()))
            .collect()
    };
    let daily = |first: &str| {
        let mut expected = vec![
            ("2026-11-23".to_owned(), first.to_owned()),
            // Its window ended on the 25th: overdue.
            ("2026-11-24".to_owned(), "overdue".to_owned()),
            // Its window contains today.
            ("2026-11-25".to_owned(), "open".to_owned()),
        ];
        for date in every(1, "2026-11-26", "2026-11-29") {
            expected.push((date, "upcoming".to_owned()));
        }
        expected
    };
    assert_eq!(statuses("update-escalation-tickets"), daily("done"));
    assert_eq!(statuses("track-mdvm-remediation"), daily("skipped"));
    for task in WEEKLY {
        // Due Monday, window up to next Monday: open all week.
        assert_eq!(
            statuses(task),
            [("2026-11-23".to_owned(), "open".to_owned())],
            "{task}"
        );
    }
    assert_eq!(
        statuses("ir-tabletop-exercise"),
        [("2026-11-25".to_owned(), "triggered".to_owned())]
    );
    let done = &of_task(&week, "update-escalation-tickets")[0];
    assert_eq!(done["done_at"], "2026-11-23");
    assert_eq!(done["done_by"], "alice");
    let skipped = &of_task(&week, "track-mdvm-remediation")[0];
    assert_eq!(skipped["done_at"], Value::Null);
    assert_eq!(skipped["done_by"], Value::Null);
    let all: BTreeSet<&str> = items(&week).iter().map(|o| field(o, "status")).collect();
    assert_eq!(
        all,
        BTreeSet::from([
            "done",
            "open",
            "overdue",
            "skipped",
            "triggered",
            "upcoming"
        ])
    );
}

/// Why an occurrence was skipped shows beside its status in every checklist format: in the
/// words of the status line, or as a field of its own in JSON and CSV (issue 13 §7).
#[test]
fn a_skip_reason_shows_in_every_format() {
    let j = Journaled::shipped();
    j.ok(
        "2026-11-23",
        &[
            "skip",
            "track-mdvm-remediation",
            "--reason",
            "change freeze",
            "--by",
            "bob",
        ],
    );
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
    // The skip was recorded on its due day, by bob.
    let shown = "skipped 2026-11-23 (bob): change freeze";
    let words = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    for command in ["due", "week"] {
        for format in ["text", "markdown"] {
            let output = j.ok(
                "2026-11-23",
                &[command, "--team", "monitoring", "-f", format],
            );
            assert!(
                words(&output).contains(shown),
                "{command} {format}:\n{output}"
            );
        }
        let table = j
            .std_cmd("2026-11-23")
            .env("COLUMNS", "400")
            .args([
                command,
                "--team",
                "monitoring",
                "-f",
                "table",
                "--color",
                "never",
            ])
            .output()
            .expect("running socctl");
        let table = String::from_utf8(table.stdout).expect("UTF-8");
        assert!(table.contains(shown), "{command} table:\n{table}");
        let html = j.ok(
            "2026-11-23",
            &[command, "--team", "monitoring", "-f", "html"],
        );
        assert!(
            html.contains("skipped <span class=\"date\">2026-11-23</span> (bob): change freeze"),
            "{command} html:\n{html}"
        );
        let raw = j.ok(
            "2026-11-23",
            &[command, "--team", "monitoring", "-f", "email"],
        );
        let message = mail_parser::MessageParser::default()
            .parse(raw.as_bytes())
            .expect("a message");
        let text = message.body_text(0).expect("a text part");
        assert!(words(&text).contains(shown), "{command} email:\n{text}");
        let html = message.body_html(0).expect("an HTML part");
        assert!(
            html.contains("(bob): change freeze"),
            "{command} email:\n{html}"
        );

        let plan = j.json("2026-11-23", &[command]);
        assert_occurrence_contract(&plan);
        let skipped = &of_task(&plan, "track-mdvm-remediation")[0];
        assert_eq!(skipped["status"], "skipped");
        assert_eq!(skipped["reason"], "change freeze");
        let done = &of_task(&plan, "update-escalation-tickets")[0];
        assert_eq!(done["reason"], Value::Null);
        let later = &of_task(&plan, "track-mdvm-remediation");
        if let Some(upcoming) = later.get(1) {
            assert_eq!(upcoming["reason"], Value::Null);
        }

        let csv = j.ok("2026-11-23", &[command, "-f", "csv"]);
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let header = reader.headers().expect("a header").clone();
        let column = |name: &str| {
            header
                .iter()
                .position(|field| field == name)
                .unwrap_or_else(|| panic!("no {name} column: {header:?}"))
        };
        let (task, status, reason) = (column("task"), column("status"), column("reason"));
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
        let reasons: Vec<(&str, &str, &str)> = rows
            .iter()
            .filter(|row| row[status] == *"skipped" || !row[reason].is_empty())
            .map(|row| (&row[task], &row[status], &row[reason]))
            .collect();
        assert_eq!(
            reasons,
            [("track-mdvm-remediation", "skipped", "change freeze")],
            "{command} csv"
        );
    }
}

/// `(task, count, since, last)` of every `overdue --format json` line.
fn runs(overdue: &Value) -> BTreeSet<(String, u64, String, String)> {
    items(overdue)
        .iter()
        .map(|r| {
            (
                field(r, "task").to_owned(),
                r["count"].as_u64().expect("a count"),
                field(r, "since").to_owned(),
                field(r, "last").to_owned(),
            )
        })
        .collect()
}

#[test]
fn tracking_starts_when_the_journal_is_created() {
    let j = Journaled::shipped();
    // The journal is created on Monday 2026-11-23, with both daily tasks done that day.
    for task in DAILY {
        j.ok("2026-11-23", &["done", task, "--all-teams"]);
    }
    let info = j.ok("2026-11-23", &["journal", "info"]);
    assert!(info.contains("tracking since: 2026-11-23"), "{info}");
    // Right after creation nothing is overdue: today's windows are still open.
    j.ok("2026-11-23", &["overdue", "--exit-code"]);
    assert_eq!(j.json("2026-11-23", &["overdue"]), serde_json::json!([]));

    // A month later, on Wednesday 2026-12-23, nothing more having been recorded:
    // - each daily task is overdue every day from 2026-11-24 to 2026-12-22 (the window of
    //   the 22nd ends on the 23rd): 7 days in November and 22 in December, 29;
    // - each weekly task is overdue on Mondays 2026-11-23, 11-30, 12-07 and 12-14; the
    //   window of 2026-12-21 runs to 12-28, so that one is open: 4;
    // - update-phishing-dlp-campaigns (monthly on day 1): its occurrence of 2026-11-01 has a
    //   window to 2026-12-01 that contains the creation day, so it is tracked, and overdue
    //   since its window closed: 1. The one of 2026-12-01 (window to 2027-01-01) is open.
    let today = "2026-12-23";
    let mut expected = BTreeSet::new();
    for task in DAILY {
        expected.insert((
            task.to_owned(),
            29,
            "2026-11-24".to_owned(),
            "2026-12-22".to_owned(),
        ));
    }
    for task in WEEKLY {
        expected.insert((
            task.to_owned(),
            4,
            "2026-11-23".to_owned(),
            "2026-12-14".to_owned(),
        ));
    }
    expected.insert((
        "update-phishing-dlp-campaigns".to_owned(),
        1,
        "2026-11-01".to_owned(),
        "2026-11-01".to_owned(),
    ));
    let overdue = j.json(today, &["overdue"]);
    assert_eq!(runs(&overdue), expected, "{overdue}");
    // Sorted by the first overdue day.
    let since: Vec<&str> = items(&overdue).iter().map(|r| field(r, "since")).collect();
    assert!(since.is_sorted(), "{since:?}");
    let text = j.ok(today, &["overdue"]);
    assert!(text.contains("overdue ×29 since 2026-11-24"), "{text}");
    assert!(text.contains("overdue ×4 since 2026-11-23"), "{text}");
    // Overdue work makes `--exit-code` exit 3, and the list is still printed.
    let output = j.run(today, &["overdue", "--exit-code", "--format", "json"]);
    assert_eq!(output.status.code(), Some(3), "{output:?}");
    let printed: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(runs(&printed), expected);

    // --all: one entry per overdue occurrence, 2 × 29 + 4 × 4 + 1 = 75.
    let all = j.json(today, &["overdue", "--all"]);
    assert_eq!(items(&all).len(), 75, "{all}");
    let mut by_task: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for entry in items(&all) {
        assert_eq!(entry["count"], 1, "{entry}");
        assert_eq!(entry["since"], entry["last"], "{entry}");
        by_task
            .entry(field(entry, "task"))
            .or_default()
            .push(field(entry, "since").to_owned());
    }
    for task in DAILY {
        let mut dates = by_task[task].clone();
        dates.sort();
        assert_eq!(dates, every(1, "2026-11-24", "2026-12-22"), "{task}");
    }
    for task in WEEKLY {
        let mut dates = by_task[task].clone();
        dates.sort();
        assert_eq!(dates, every(7, "2026-11-23", "2026-12-14"), "{task}");
    }
    // Nothing before the window that was open when the journal was created, ever.
    for entry in items(&overdue).iter().chain(items(&all)) {
        let floor = if entry["task"] == "update-phishing-dlp-campaigns" {
            "2026-11-01"
        } else {
            "2026-11-23"
        };
        assert!(field(entry, "since") >= floor, "{entry}");
    }

    // `due` lists the carried-over work first: one entry per overdue run, plus the
    // occurrences from before today still open (the weekly ones of Monday 2026-12-21 and
    // the monthly one of 2026-12-01); then the day's own occurrences.
    let due = j.json(today, &["due"]);
    let entries = items(&due);
    let carried = entries
        .iter()
        .take_while(|o| o["carried"] == true)
        .collect::<Vec<_>>();
    let rest = &entries[carried.len()..];
    assert!(rest.iter().all(|o| o.get("carried").is_none()), "{due}");
    let mut expected_carried = BTreeSet::new();
    for task in DAILY {
        expected_carried.insert((task, "overdue", 29, "2026-11-24", "2026-12-22"));
    }
    for task in WEEKLY {
        expected_carried.insert((task, "overdue", 4, "2026-11-23", "2026-12-14"));
        expected_carried.insert((task, "open", 1, "2026-12-21", "2026-12-21"));
    }
    expected_carried.insert((
        "update-phishing-dlp-campaigns",
        "overdue",
        1,
        "2026-11-01",
        "2026-11-01",
    ));
    expected_carried.insert((
        "update-phishing-dlp-campaigns",
        "open",
        1,
        "2026-12-01",
        "2026-12-01",
    ));
    let found: BTreeSet<(&str, &str, u64, &str, &str)> = carried
        .iter()
        .map(|o| {
            (
                field(o, "task"),
                field(o, "status"),
                o["count"].as_u64().expect("a count"),
                field(o, "since"),
                field(o, "date"),
            )
        })
        .collect();
    assert_eq!(found, expected_carried, "{due}");
    let since: Vec<&str> = carried.iter().map(|o| field(o, "since")).collect();
    assert!(since.is_sorted(), "{since:?}");
    // Wednesday's own occurrences: the two daily tasks, open.
    let today_tasks: BTreeSet<(&str, &str, &str)> = rest
        .iter()
        .map(|o| (field(o, "task"), field(o, "date"), field(o, "status")))
        .collect();
    assert_eq!(
        today_tasks,
        BTreeSet::from([
            ("track-mdvm-remediation", "2026-12-23", "open"),
            ("update-escalation-tickets", "2026-12-23", "open"),
        ])
    );
    // The text form says the same.
    let text = j.ok(today, &["due", "--format", "text"]);
    assert!(text.contains("overdue ×29 since 2026-11-24"), "{text}");
}

/// An occurrence done in the middle of missed ones splits the run: the missed days before
/// and after it do not "follow each other".
#[test]
fn a_done_occurrence_splits_an_overdue_run() {
    let j = Journaled::shipped();
    j.ok(
        "2026-11-23",
        &["done", "update-escalation-tickets", "--all-teams"],
    );
    j.ok(
        "2026-12-23",
        &[
            "done",
            "update-escalation-tickets",
            "--all-teams",
            "--date",
            "2026-12-01",
        ],
    );
    // Missed: 2026-11-24 to 11-30 (7 days), then 2026-12-02 to 12-22 (21 days).
    let expected = BTreeSet::from([
        (
            "update-escalation-tickets".to_owned(),
            7,
            "2026-11-24".to_owned(),
            "2026-11-30".to_owned(),
        ),
        (
            "update-escalation-tickets".to_owned(),
            21,
            "2026-12-02".to_owned(),
            "2026-12-22".to_owned(),
        ),
    ]);
    // `due` shows two carried-over runs…
    let due = j.json("2026-12-23", &["due"]);
    let carried: BTreeSet<(String, u64, String, String)> =
        of_task(&due, "update-escalation-tickets")
            .iter()
            .filter(|o| o["carried"] == true)
            .map(|o| {
                (
                    field(o, "task").to_owned(),
                    o["count"].as_u64().expect("a count"),
                    field(o, "since").to_owned(),
                    field(o, "date").to_owned(),
                )
            })
            .collect();
    assert_eq!(carried, expected, "{due}");
    // …and `overdue` must agree with it.
    let overdue = j.json("2026-12-23", &["overdue", "--team", "csirt"]);
    let found: BTreeSet<_> = runs(&overdue)
        .into_iter()
        .filter(|r| r.0 == "update-escalation-tickets")
        .collect();
    assert_eq!(found, expected, "{overdue}");
}

/// The order of `due` is "date, time, team and task" whether or not a journal exists.
#[test]
fn a_journal_does_not_change_the_order_of_due() {
    let j = Journaled::shipped();
    let before = j.json("2026-11-23", &["due"]);
    let week_before = j.json("2026-11-23", &["week"]);
    j.ok(
        "2026-11-23",
        &[
            "trigger",
            "ir-tabletop-exercise",
            "--all-teams",
            "--reason",
            "drill",
        ],
    );
    let after = j.json("2026-11-23", &["due"]);
    let mut expected = task_ids(&before);
    // The triggered exercise joins the list; everything else keeps its place.
    // Carried-over work (the monthly campaign due 2026-11-01, still open) comes first and
    // is not part of the day's order.
    let after_ids: Vec<&str> = items(&after)
        .iter()
        .filter(|o| o["carried"] != true)
        .map(|o| field(o, "task"))
        .filter(|t| *t != "ir-tabletop-exercise")
        .collect();
    expected.retain(|t| *t != "ir-tabletop-exercise");
    assert_eq!(after_ids, expected);
    let week_after = j.json("2026-11-23", &["week"]);
    let dated = |plan: &Value| -> Vec<(String, String)> {
        items(plan)
            .iter()
            .filter(|o| o["task"] != "ir-tabletop-exercise" && o["carried"] != true)
            .map(|o| (field(o, "date").to_owned(), field(o, "task").to_owned()))
            .collect()
    };
    assert_eq!(dated(&week_after), dated(&week_before));
}

on_postgres! {
    without_a_journal_status_is_null_and_reading_creates_nothing,
    a_week_shows_every_status,
    a_skip_reason_shows_in_every_format,
    tracking_starts_when_the_journal_is_created,
    a_done_occurrence_splits_an_overdue_run,
    a_journal_does_not_change_the_order_of_due,
}
