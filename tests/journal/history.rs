//! `socctl history`: newest first, its filters, its JSON objects, and tasks that left the
//! catalog.

use serde_json::Value;

use super::env::{Journaled, field, shipped_tasks_without};

/// Records five things (numbered in the order they are recorded) and returns the journal:
///
/// | # | today | task | occurrence | on | by |
/// |---|---|---|---|---|---|
/// | 1 | 11-23 | update-escalation-tickets (done, backfill) | 11-20 | 11-20 | alice |
/// | 2 | 11-23 | secure-score-report (done, ref SEC-1) | 11-23 | 11-23 | bob |
/// | 3 | 11-23 | track-mdvm-remediation (skipped: outage) | 11-23 | 11-23 | carol |
/// | 4 | 11-25 | update-escalation-tickets (done) | 11-25 | 11-25 | dave |
/// | 5 | 11-25 | update-phishing-dlp-campaigns (done, monthly on day 1) | 11-01 | 11-24 | erin |
fn five_records() -> Journaled {
    let j = Journaled::shipped();
    j.ok(
        "2026-11-23",
        &[
            "done",
            "update-escalation-tickets",
            "--all-teams",
            "--date",
            "2026-11-20",
            "--by",
            "alice",
        ],
    );
    j.ok(
        "2026-11-23",
        &[
            "done",
            "secure-score-report",
            "--by",
            "bob",
            "--ref",
            "SEC-1",
        ],
    );
    j.ok(
        "2026-11-23",
        &[
            "skip",
            "track-mdvm-remediation",
            "--reason",
            "outage",
            "--by",
            "carol",
        ],
    );
    j.ok(
        "2026-11-25",
        &[
            "done",
            "update-escalation-tickets",
            "--all-teams",
            "--by",
            "dave",
        ],
    );
    j.ok(
        "2026-11-25",
        &[
            "done",
            "update-phishing-dlp-campaigns",
            "--date",
            "2026-11-24",
            "--by",
            "erin",
        ],
    );
    j
}

/// The `by` of each record: who recorded it names it here.
fn who(history: &[Value]) -> Vec<&str> {
    history.iter().map(|r| field(r, "by")).collect()
}

#[test]
fn history_is_newest_first_with_every_field() {
    let j = five_records();
    let history = j.history("2026-11-25", &[]);
    assert_eq!(who(&history), ["erin", "dave", "carol", "bob", "alice"]);
    let stamps: Vec<jiff::Timestamp> = history
        .iter()
        .map(|r| field(r, "recorded_at").parse().expect("an RFC 3339 time"))
        .collect();
    assert!(stamps.windows(2).all(|w| w[0] > w[1]), "{stamps:?}");
    let expected = [
        (
            "update-phishing-dlp-campaigns",
            "2026-11-01",
            "done",
            "2026-11-24",
        ),
        (
            "update-escalation-tickets",
            "2026-11-25",
            "done",
            "2026-11-25",
        ),
        (
            "track-mdvm-remediation",
            "2026-11-23",
            "skipped",
            "2026-11-23",
        ),
        ("secure-score-report", "2026-11-23", "done", "2026-11-23"),
        (
            "update-escalation-tickets",
            "2026-11-20",
            "done",
            "2026-11-20",
        ),
    ];
    for (record, (task, occurrence, action, on)) in history.iter().zip(expected) {
        assert_eq!(field(record, "task"), task, "{record}");
        assert_eq!(field(record, "occurrence"), occurrence, "{record}");
        assert_eq!(field(record, "action"), action, "{record}");
        assert_eq!(field(record, "on"), on, "{record}");
        assert_eq!(record["in_catalog"], true, "{record}");
        assert!(uuid_like(field(record, "id")), "{record}");
    }
    let note = |r: &Value| r.get("note").cloned().unwrap_or(Value::Null);
    let reference = |r: &Value| r.get("ref").cloned().unwrap_or(Value::Null);
    assert_eq!(note(&history[2]), "outage");
    assert_eq!(reference(&history[3]), "SEC-1");
    assert_eq!(note(&history[0]), Value::Null);
    assert_eq!(reference(&history[0]), Value::Null);
    let ids: std::collections::HashSet<&str> = history.iter().map(|r| field(r, "id")).collect();
    assert_eq!(ids.len(), 5);
    // The table and Markdown forms list the same records.
    let table = j.ok("2026-11-25", &["history"]);
    let markdown = j.ok("2026-11-25", &["history", "--format", "markdown"]);
    for name in ["alice", "bob", "carol", "dave", "erin", "SEC-1", "outage"] {
        assert!(table.contains(name), "{name}: {table}");
        assert!(markdown.contains(name), "{name}: {markdown}");
    }
    let position = |name: &str| table.find(name).expect("listed");
    assert!(position("erin") < position("dave") && position("bob") < position("alice"));
}

fn uuid_like(id: &str) -> bool {
    id.len() == 36
        && id.chars().enumerate().all(|(i, c)| {
            matches!(i, 8 | 13 | 18 | 23) == (c == '-') && (c == '-' || c.is_ascii_hexdigit())
        })
}

#[test]
fn history_filters_by_task_team_and_days() {
    let j = five_records();
    let today = "2026-11-25";
    assert_eq!(
        who(&j.history(today, &["--task", "update-escalation-tickets"])),
        ["dave", "alice"]
    );
    // Monitoring owns track-mdvm-remediation and secure-score-report, and is one of "all
    // SOC teams" that own update-escalation-tickets.
    assert_eq!(
        who(&j.history(today, &["--team", "monitoring"])),
        ["dave", "carol", "bob", "alice"]
    );
    // SOC Oversight (by alias, any case): portal, phishing/DLP and escalation tickets.
    assert_eq!(
        who(&j.history(today, &["--team", "soc oversight"])),
        ["erin", "dave", "alice"]
    );
    assert_eq!(
        who(&j.history(
            today,
            &["--team", "monitoring", "--task", "secure-score-report"]
        )),
        ["bob"]
    );
    assert!(
        j.history(today, &["--team", "csirt", "--task", "secure-score-report"])
            .is_empty()
    );
    // --since and --until are about the day the work was done (`on`), inclusive.
    assert_eq!(
        who(&j.history(today, &["--since", "2026-11-23"])),
        ["erin", "dave", "carol", "bob"]
    );
    assert_eq!(
        who(&j.history(today, &["--until", "2026-11-23"])),
        ["carol", "bob", "alice"]
    );
    assert_eq!(
        who(&j.history(today, &["--since", "2026-11-21", "--until", "2026-11-24"])),
        ["erin", "carol", "bob"]
    );
    assert_eq!(
        who(&j.history(today, &["--since", "yesterday", "--until", "today"])),
        ["erin", "dave"]
    );
    assert!(j.history(today, &["--since", "2026-11-26"]).is_empty());
    let stderr = j.fails(
        today,
        &["history", "--since", "2026-11-25", "--until", "2026-11-24"],
        2,
    );
    assert!(stderr.contains("2026-11-25"), "{stderr}");
    j.fails(today, &["history", "--team", "no-such-team"], 2);
}

#[test]
fn a_task_removed_from_the_catalog_keeps_its_history() {
    let j = five_records();
    j.env.write(
        "tasks.yaml",
        shipped_tasks_without("update-phishing-dlp-campaigns"),
    );
    // `check` still passes, but warns that the journal has records for a task it lacks.
    let check = j.ok("2026-11-25", &["check"]);
    assert!(
        check.contains("warning: the journal")
            && check.contains(
                "has 1 record for task `update-phishing-dlp-campaigns`, which is not in the catalog"
            ),
        "{check}"
    );
    let problems = j.json("2026-11-25", &["check"]);
    assert_eq!(problems.as_array().map(Vec::len), Some(1), "{problems}");
    assert_eq!(problems[0]["severity"], "warning");
    let history = j.history("2026-11-25", &[]);
    assert_eq!(history.len(), 5);
    assert_eq!(history[0]["task"], "update-phishing-dlp-campaigns");
    assert_eq!(history[0]["in_catalog"], false);
    assert!(history[1..].iter().all(|r| r["in_catalog"] == true));
    let only = j.history("2026-11-25", &["--task", "update-phishing-dlp-campaigns"]);
    assert_eq!(who(&only), ["erin"]);
    let table = j.ok("2026-11-25", &["history"]);
    assert!(
        table.contains("update-phishing-dlp-campaigns (no longer in the catalog)"),
        "{table}"
    );
    // The other commands carry on without it.
    let due = j.json("2026-11-25", &["due"]);
    assert!(super::env::of_task(&due, "update-phishing-dlp-campaigns").is_empty());
    j.ok("2026-11-25", &["overdue"]);
    j.ok("2026-11-25", &["journal", "export"]);
}

on_postgres! {
    history_is_newest_first_with_every_field,
    history_filters_by_task_team_and_days,
    a_task_removed_from_the_catalog_keeps_its_history,
}
