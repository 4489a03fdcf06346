//! A task owned by several teams is one obligation per team (issue 11 §1): records name
//! the team they settle, and due, overdue and report show each team its own status.
//! The shipped `update-escalation-tickets` is daily and owned by all five SOC teams;
//! 2026-11-23 is a Monday.

use serde_json::Value;

use super::env::Journaled;

const TASK: &str = "update-escalation-tickets";
const TEAMS: [&str; 5] = [
    "soc-oversight",
    "threat-intelligence",
    "monitoring",
    "engineering-secops",
    "csirt",
];

/// The status of `TASK` due `date` for each team in `due`'s JSON, in team order.
fn statuses(due: &Value, date: &str) -> Vec<(String, String)> {
    super::env::of_task(due, TASK)
        .into_iter()
        .filter(|o| o["date"] == date)
        .map(|o| {
            (
                // An entry without a team is every team's (here: of those asked for).
                o["team"].as_str().unwrap_or("every team").to_owned(),
                o["status"].as_str().expect("a status").to_owned(),
            )
        })
        .collect()
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

#[test]
fn a_task_of_several_teams_needs_a_team_or_all_teams() {
    let j = Journaled::shipped();
    let message = j.fails("2026-11-23", &["done", TASK], 2);
    for team in TEAMS {
        assert!(message.contains(team), "{team}: {message}");
    }
    assert!(
        message.contains("--team") && message.contains("--all-teams"),
        "{message}"
    );
    let message = j.fails("2026-11-23", &["done", TASK, "--team", "nobody"], 2);
    assert!(
        message.contains("`nobody`") && message.contains("csirt"),
        "{message}"
    );
    // A team that does not own the task (Monitoring owns it; make sure another task of
    // one team refuses a foreign team).
    let message = j.fails(
        "2026-11-23",
        &["done", "track-mdvm-remediation", "--team", "csirt"],
        2,
    );
    assert!(message.contains("does not own"), "{message}");
    j.assert_no_journal("refused records");

    let text = j.ok("2026-11-23", &["done", TASK, "--team", "monitoring"]);
    assert!(text.contains("for team monitoring"), "{text}");
    // Each team settles its own obligation; the same team twice is refused, naming the
    // command that retracts exactly that record.
    j.ok("2026-11-23", &["done", TASK, "--team", "CSIRT"]);
    let message = j.fails("2026-11-23", &["done", TASK, "--team", "monitoring"], 1);
    assert!(
        message.contains("is already done for team monitoring")
            && message.contains(&format!(
                "`socctl undo {TASK} --occurrence 2026-11-23 --team monitoring` retracts it"
            )),
        "{message}"
    );
    // A record of every team overlaps the teams already done.
    let message = j.fails("2026-11-23", &["done", TASK, "--all-teams"], 1);
    assert!(message.contains("is already done"), "{message}");

    let due = j.json("2026-11-23", &["due"]);
    assert_eq!(
        statuses(&due, "2026-11-23"),
        pairs(&[
            ("soc-oversight", "open"),
            ("threat-intelligence", "open"),
            ("monitoring", "done"),
            ("engineering-secops", "open"),
            ("csirt", "done"),
        ])
    );
    // One team's view holds its own status only.
    let due = j.json("2026-11-23", &["due", "--team", "csirt"]);
    assert_eq!(
        statuses(&due, "2026-11-23"),
        pairs(&[("every team", "done")])
    );

    // The next day, the three teams that did nothing are overdue, in one row.
    let overdue = j.json("2026-11-24", &["overdue"]);
    let rows: Vec<&Value> = overdue
        .as_array()
        .expect("rows")
        .iter()
        .filter(|r| r["task"] == TASK)
        .collect();
    assert_eq!(rows.len(), 1, "{overdue}");
    assert_eq!(
        rows[0]["teams"],
        serde_json::json!(["soc-oversight", "threat-intelligence", "engineering-secops"]),
        "{overdue}"
    );

    // The report credits each team for its own record only.
    let report = j.json("2026-11-23", &["report"]);
    for (team, on_time) in [("monitoring", 1), ("csirt", 1), ("soc-oversight", 0)] {
        let entry = report["teams"]
            .as_array()
            .expect("teams")
            .iter()
            .find(|t| t["team"] == team)
            .expect("the team");
        let task = entry["tasks"]
            .as_array()
            .expect("tasks")
            .iter()
            .find(|t| t["task"] == TASK)
            .expect("the task");
        assert_eq!(task["on_time"], on_time, "{team}: {task}");
        assert_eq!(task["open"], 1 - on_time, "{team}: {task}");
    }

    // Undo names the team too, and retracts that team's record only.
    j.ok(
        "2026-11-23",
        &[
            "undo",
            TASK,
            "--occurrence",
            "2026-11-23",
            "--team",
            "monitoring",
        ],
    );
    let due = j.json("2026-11-23", &["due"]);
    assert_eq!(
        statuses(&due, "2026-11-23")[2],
        ("monitoring".to_owned(), "open".to_owned())
    );
    assert_eq!(
        statuses(&due, "2026-11-23")[4],
        ("csirt".to_owned(), "done".to_owned())
    );
}

#[test]
fn records_without_a_team_keep_meaning_every_team() {
    // A record exported by a socctl before journal schema 2: no team.
    let j = Journaled::shipped();
    let old = format!(
        "{}\n{}\n",
        r#"{"socctl_journal":{"schema":1,"tracking_since":"2026-11-01"}}"#,
        serde_json::json!({"id": crate::support::uuid_for("old"), "task": TASK,
            "occurrence": "2026-11-23", "action": "done", "on": "2026-11-23", "by": "alice",
            "recorded_at": "2026-11-23T08:00:00Z"})
    );
    let file = j.env.write("old.jsonl", old);
    j.ok(
        "2026-11-23",
        &["journal", "import", file.to_str().expect("UTF-8")],
    );
    // Every team stands the same: one entry, without `team`, says so for all of them.
    let due = j.json("2026-11-23", &["due"]);
    assert_eq!(
        statuses(&due, "2026-11-23"),
        pairs(&[("every team", "done")])
    );
    for team in TEAMS {
        let due = j.json("2026-11-23", &["due", "--team", team]);
        assert_eq!(
            statuses(&due, "2026-11-23"),
            pairs(&[("every team", "done")]),
            "{team}"
        );
    }
    // `--all-teams` records the same; a team's own record is refused against it.
    let message = j.fails("2026-11-23", &["done", TASK, "--team", "csirt"], 1);
    assert!(
        message.contains("is already done for all teams")
            && message.contains("--all-teams` retracts it"),
        "{message}"
    );
    // The export keeps the record without a team, and a new record names its team.
    j.ok("2026-11-24", &["done", TASK, "--team", "csirt"]);
    let lines = j.export();
    assert!(!lines[0].contains("\"team\""), "{}", lines[0]);
    assert!(lines[1].contains("\"team\":\"csirt\""), "{}", lines[1]);
}

on_postgres! {
    a_task_of_several_teams_needs_a_team_or_all_teams,
    records_without_a_team_keep_meaning_every_team,
}
