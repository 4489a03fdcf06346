//! Concurrent recording on one occurrence: whatever the interleaving, the journal ends in a
//! state some serial order of the commands that succeeded would give, and every command
//! that failed wrote nothing. 20 processes × 20 rounds, on SQLite and on PostgreSQL.

use std::collections::{HashMap, HashSet};
use std::process::Output;

use serde_json::Value;

use super::env::{Journaled, args};

const PROCESSES: usize = 20;
const ROUNDS: usize = 20;
/// A daily task of one team (Monitoring): `--team` is implied.
const TASK: &str = "track-mdvm-remediation";
const TODAY: &str = "2026-11-23";

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The day `round` days before today: each round races for an occurrence of its own.
fn round_day(round: usize) -> String {
    super::env::day(TODAY)
        .checked_sub(jiff::Span::new().days(i64::try_from(round + 1).expect("small")))
        .expect("a date")
        .to_string()
}

#[test]
fn concurrent_undos_of_one_record_retract_it_once() {
    let j = Journaled::shipped();
    for round in 0..ROUNDS {
        let date = round_day(round);
        j.ok(TODAY, &["done", TASK, "--date", &date]);
        let undo = args(&["undo", TASK, "--occurrence", &date]);
        let outputs = j.race(TODAY, &vec![undo; PROCESSES]);
        let winners = outputs.iter().filter(|o| o.status.success()).count();
        assert_eq!(winners, 1, "round {round}: {outputs:#?}");
        for loser in outputs.iter().filter(|o| !o.status.success()) {
            let message = stderr(loser);
            assert_eq!(loser.status.code(), Some(1), "{message}");
            assert!(
                message.contains(&format!("`{TASK}` done due {date}"))
                    && message.contains("is already undone")
                    && message.contains("nothing recorded"),
                "round {round}: {message}"
            );
        }
    }
    // One done and one retraction per round: no retraction is duplicated.
    let history = j.history(TODAY, &["--task", TASK]);
    assert_eq!(history.len(), 2 * ROUNDS, "{history:#?}");
    let undone: Vec<&str> = history
        .iter()
        .filter_map(|r| r["undoes"].as_str())
        .collect();
    assert_eq!(undone.len(), ROUNDS);
    assert_eq!(undone.iter().collect::<HashSet<_>>().len(), ROUNDS);
    assert_eq!(j.stored_records(), 2 * ROUNDS);
}

/// Checks that the records of one occurrence are what a serial order gives: `done` and
/// `skipped` records each retracted at most once, by distinct retractions, and at most
/// one of them left in force; so they can be put in a row settle, undo, settle, undo, …
/// Returns how many records there are.
fn assert_serial(records: &[&Value], context: &str) -> usize {
    let settling: HashSet<&str> = records
        .iter()
        .filter(|r| matches!(r["action"].as_str(), Some("done" | "skipped")))
        .map(|r| r["id"].as_str().expect("an id"))
        .collect();
    let mut retracted: HashMap<&str, usize> = HashMap::new();
    for record in records.iter().filter(|r| r["action"] == "undone") {
        let target = record["undoes"].as_str().expect("a target");
        assert!(
            settling.contains(target),
            "{context}: retracts a record that is not a settlement"
        );
        *retracted.entry(target).or_default() += 1;
    }
    assert!(
        retracted.values().all(|n| *n == 1),
        "{context}: a record retracted twice: {records:#?}"
    );
    let in_force = settling.len() - retracted.len();
    assert!(
        in_force <= 1,
        "{context}: {in_force} settlements in force: {records:#?}"
    );
    records.len()
}

#[test]
fn mixed_done_skip_and_undo_races_leave_a_serial_state() {
    let j = Journaled::shipped();
    let mut written = 0;
    for round in 0..ROUNDS {
        let date = round_day(round);
        // A third of the racers each do, skip and undo; half the rounds start settled.
        if round % 2 == 1 {
            j.ok(TODAY, &["done", TASK, "--date", &date]);
            written += 1;
        }
        let commands: Vec<Vec<String>> = (0..PROCESSES)
            .map(|n| match n % 3 {
                0 => args(&["done", TASK, "--date", &date, "--by", &format!("r{n}")]),
                1 => args(&["skip", TASK, "--date", &date, "--reason", "racing"]),
                _ => args(&["undo", TASK, "--occurrence", &date]),
            })
            .collect();
        let outputs = j.race(TODAY, &commands);
        for (n, output) in outputs.iter().enumerate() {
            let message = stderr(output);
            if output.status.success() {
                written += 1;
                continue;
            }
            // Every refusal is one a serial order gives, and says nothing was recorded.
            let expected = match n % 3 {
                0 | 1 => {
                    message.contains("is already done") || message.contains("is already skipped")
                }
                _ => message.contains("is already undone") || message.contains("nothing to undo"),
            };
            assert!(expected, "round {round}, racer {n}: {message}");
        }
        let history = j.history(TODAY, &["--task", TASK]);
        let of_round: Vec<&Value> = history
            .iter()
            .filter(|r| r["occurrence"] == date.as_str())
            .collect();
        assert_serial(&of_round, &format!("round {round}"));
    }
    // Every success wrote one record, every refusal none.
    assert_eq!(j.history(TODAY, &["--task", TASK]).len(), written);
    assert_eq!(j.stored_records(), written);
}

on_postgres! {
    concurrent_undos_of_one_record_retract_it_once,
    mixed_done_skip_and_undo_races_leave_a_serial_state,
}
