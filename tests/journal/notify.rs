//! `socctl notify` sends each reminder once per channel, however many runs race for it:
//! six processes at once, round after round, against a loopback webhook receiver, on SQLite
//! and on PostgreSQL (the sent-log's claim is made under the store's write lock and its key
//! is unique). The channels' URLs and secrets come from `file:` references.

use std::collections::HashMap;
use std::process::Output;

use super::env::Journaled;
use crate::support::http_sink::Sink;

const TASKS: &str = "version: 1
timezone: Europe/Copenhagen
tasks:
  - {id: t01, title: Task one, cadence: daily, team: ops}
  - {id: t02, title: Task two, cadence: daily, team: ops}
  - {id: t03, title: Task three, cadence: daily, team: ops}
  - {id: t04, title: Task four, cadence: daily, team: ops}
  - {id: t05, title: Task five, cadence: daily, team: ops}
  - {id: t06, title: Task six, cadence: daily, team: ops}
";

const ROUNDS: usize = 5;
/// Runs racing in each round.
const RUNS: usize = 6;

fn summary(output: &Output) -> (usize, usize, usize) {
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text.lines().last().unwrap_or_default();
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|w| !w.is_empty())
        .map(|w| w.parse().expect("a count"))
        .collect();
    assert_eq!(numbers.len(), 3, "not a summary line: {line}");
    (numbers[0], numbers[1], numbers[2])
}

/// The catalog of [`TASKS`] with two webhook channels to `sink` (`/a/…`, `/b/…`), and the
/// journal made (a digest goes to no channel here).
fn journaled(sink: &Sink) -> Journaled {
    let j = Journaled::with_catalog(
        TASKS,
        "version: 1\nteams:\n  - {id: ops, name: Operations}\n",
    );
    let root = j.root();
    for (name, value) in [
        ("a.url", format!("{}/a/TOKEN-A", sink.url)),
        ("b.url", format!("{}/b/TOKEN-B", sink.url)),
        ("secret", "signing-secret\n".to_owned()),
    ] {
        std::fs::write(root.join(name), value).expect("a file");
    }
    let roles = format!(
        "version: 1
teams:
  - id: ops
    name: Operations
    channels:
      - {{id: hook-a, kind: webhook, url: 'file:{a}', secret: 'file:{s}', reminders: [due]}}
      - {{id: hook-b, kind: webhook, url: 'file:{b}', secret: 'file:{s}', reminders: [due]}}
",
        a = root.join("a.url").display(),
        b = root.join("b.url").display(),
        s = root.join("secret").display(),
    );
    j.env.write("roles.yaml", roles);
    j.ok("2026-11-23", &["notify", "--kind", "digest"]);
    j
}

#[test]
fn notify_runs_at_once_send_each_reminder_once() {
    let sink = Sink::ok();
    let j = journaled(&sink);
    let notify: Vec<String> = ["notify", "--kind", "due"].map(String::from).to_vec();
    for round in 0..ROUNDS {
        let today = format!("2026-11-{}", 23 + round);
        let outputs = j.race(&today, &vec![notify.clone(); RUNS]);
        let (mut sent, mut already) = (0, 0);
        for output in &outputs {
            assert_eq!(
                output.status.code(),
                Some(0),
                "{}",
                String::from_utf8_lossy(&output.stderr)
            );
            let (s, a, failed) = summary(output);
            assert_eq!(failed, 0);
            sent += s;
            already += a;
        }
        // 6 tasks × 2 channels, sent by one run, skipped by the others.
        assert_eq!((sent, already), (12, 12 * (RUNS - 1)), "round {round}");
    }
    // What the receiver got: each task's occurrence once per channel, every day.
    let mut seen: HashMap<(String, String, String), usize> = HashMap::new();
    for request in sink.received() {
        let channel = request.path.split('/').nth(1).expect("a path").to_owned();
        for item in request.json()["items"].as_array().expect("items") {
            let key = (
                channel.clone(),
                item["task"].as_str().expect("a task").to_owned(),
                item["occurrence"].as_str().expect("a date").to_owned(),
            );
            *seen.entry(key).or_default() += 1;
        }
    }
    assert_eq!(seen.len(), 2 * 6 * ROUNDS, "{seen:?}");
    assert!(seen.values().all(|&n| n == 1), "{seen:?}");
    // A later run on the last day sends nothing more.
    let again = j.run(
        &format!("2026-11-{}", 23 + ROUNDS - 1),
        &["notify", "--kind", "due"],
    );
    assert_eq!(summary(&again), (0, 12, 0));
}

/// Writes a sent-log row in state `claimed` straight into the store, as a run that died
/// between its claim and its send leaves it.
fn leave_claim(j: &Journaled, task: &str, claimed_at: &str) {
    let sql = format!(
        "INSERT INTO {{table}} (task, occurrence, team, kind, channel, state, claim, claimed_by, claimed_at)
         VALUES ('{task}', '2026-11-23', 'ops', 'due', 'hook-a', 'claimed', 'c-{task}', 'root@crashed pid 1', '{claimed_at}')"
    );
    match &j.database {
        Some(database) => {
            database
                .connect()
                .batch_execute(&sql.replace("{table}", "socctl.notifications"))
                .expect("a claim");
        }
        None => {
            rusqlite::Connection::open(j.journal())
                .expect("the journal")
                .execute_batch(&sql.replace("{table}", "notifications"))
                .expect("a claim");
        }
    }
}

#[test]
fn a_claim_that_never_finished_is_shown_then_taken_over_once_stale() {
    let sink = Sink::ok();
    let j = journaled(&sink);
    // t01: claimed long ago by a run that died; t02: claimed a moment ago (being sent).
    leave_claim(&j, "t01", "2000-01-01T00:00:00.000000000Z");
    let now = jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%S%.9fZ")
        .to_string();
    leave_claim(&j, "t02", &now);
    let dry = j.ok("2026-11-23", &["notify", "--kind", "due", "--dry-run"]);
    assert!(
        dry.contains("  t01 2026-11-23: Task one (due Mon 23 Nov) (claimed by root@crashed pid 1 at 2000-01-01T00:00:00.000000000Z and never finished: a later run sends it again)"),
        "{dry}"
    );
    let output = j.run("2026-11-23", &["notify", "--kind", "due"]);
    let errors = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{errors}");
    assert!(
        errors.contains("t01 2026-11-23: the claim of root@crashed pid 1 at 2000-01-01T00:00:00.000000000Z never finished; sending it again"),
        "{errors}"
    );
    // t02's fresh claim is another run's: left to it (counted as already sent).
    assert_eq!(summary(&output), (11, 1, 0));
    let to_a: Vec<String> = sink
        .received()
        .iter()
        .filter(|r| r.path.starts_with("/a/"))
        .flat_map(|r| {
            r.json()["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|i| i["task"].as_str().expect("a task").to_owned())
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(to_a, ["t01", "t03", "t04", "t05", "t06"]);
}

/// The sent-log's rows marked sent: channel, task, occurrence (both stores).
fn sent_channels(j: &Journaled) -> Vec<(String, String, String)> {
    let sql = "SELECT channel, task, {occurrence} FROM {table} WHERE state = 'sent' ORDER BY channel, task, occurrence";
    match &j.database {
        Some(database) => database
            .connect()
            .query(
                &sql.replace("{table}", "socctl.notifications")
                    .replace("{occurrence}", "occurrence::text"),
                &[],
            )
            .expect("the sent-log")
            .iter()
            .map(|row| (row.get(0), row.get(1), row.get(2)))
            .collect(),
        None => {
            let connection = rusqlite::Connection::open(j.journal()).expect("the journal");
            let mut statement = connection
                .prepare(
                    &sql.replace("{table}", "notifications")
                        .replace("{occurrence}", "occurrence"),
                )
                .expect("a query");
            statement
                .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
                .expect("the sent-log")
                .map(|row| row.expect("a row"))
                .collect()
        }
    }
}

/// What a message said: its `person` and its title.
type Said = (Option<String>, String);

/// The `(task, occurrence)` items of the messages to paths starting with `prefix`, and what
/// each message said.
fn items_to(sink: &Sink, prefix: &str) -> (Vec<(String, String)>, Vec<Said>) {
    let mut items = Vec::new();
    let mut messages = Vec::new();
    for request in sink.to(prefix) {
        let body = request.json();
        messages.push((
            body["person"].as_str().map(str::to_owned),
            body["title"].as_str().expect("a title").to_owned(),
        ));
        for item in body["items"].as_array().expect("items") {
            items.push((
                item["task"].as_str().expect("a task").to_owned(),
                item["occurrence"].as_str().expect("a date").to_owned(),
            ));
        }
    }
    (items, messages)
}

#[test]
fn a_persons_own_channels_get_what_is_assigned_to_them_after_leave_and_swaps_once() {
    let sink = Sink::ok();
    let j = Journaled::with_catalog(
        "version: 1
timezone: Europe/Copenhagen
tasks:
  - {id: for-ana, title: Ana's task, cadence: daily, team: ops, assignee: ana}
  - {id: for-ben, title: Ben's task, cadence: daily, team: ops, assignee: ben}
  - {id: for-all, title: Anyone's task, cadence: daily, team: ops}
",
        "version: 1\nteams:\n  - {id: ops, name: Operations}\n",
    );
    let root = j.root();
    for (name, value) in [
        ("team.url", format!("{}/team/TOKEN", sink.url)),
        ("ana.url", format!("{}/ana/TOKEN", sink.url)),
        ("ben.url", format!("{}/ben/TOKEN", sink.url)),
        ("secret", "signing-secret\n".to_owned()),
    ] {
        std::fs::write(root.join(name), value).expect("a file");
    }
    let file = |name: &str| root.join(name).display().to_string();
    // Every channel is called `hook`: the team's and each person's must still be told
    // apart by the sent-log.
    let roles = format!(
        "version: 1
teams:
  - id: ops
    name: Operations
    channels:
      - {{id: hook, kind: webhook, url: 'file:{team}', secret: 'file:{s}'}}
    members:
      - id: ana
        name: Ana Example
        email: ana@example.org
        channels:
          - {{id: hook, kind: webhook, url: 'file:{ana}', secret: 'file:{s}', reminders: [due]}}
      - id: ben
        name: Ben Example
        email: ben@example.org
        channels:
          - {{id: hook, kind: webhook, url: 'file:{ben}', secret: 'file:{s}'}}
      - {{id: cai, name: Cai Example, email: cai@example.org}}
",
        team = file("team.url"),
        ana = file("ana.url"),
        ben = file("ben.url"),
        s = file("secret"),
    );
    j.env.write("roles.yaml", roles);
    // Monday: ana is away, ben covers. Tuesday: ben's occurrence is swapped to cai, who
    // has no channel of their own.
    j.ok(
        "2026-11-20",
        &[
            "away",
            "ana",
            "--from",
            "2026-11-23",
            "--to",
            "2026-11-23",
            "--cover",
            "ben",
        ],
    );
    j.ok(
        "2026-11-20",
        &[
            "swap",
            "for-ben",
            "--occurrence",
            "2026-11-24",
            "--team",
            "ops",
            "--to",
            "cai",
        ],
    );
    let first = j.run("2026-11-23", &["notify", "--kind", "due"]);
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    // The team's 3, and ben's 2 (his own and ana's, covered).
    assert_eq!(summary(&first), (5, 0, 0));
    let again = j.run("2026-11-23", &["notify", "--kind", "due"]);
    assert_eq!(summary(&again), (0, 5, 0));
    let tuesday = j.run("2026-11-24", &["notify", "--kind", "due"]);
    // The team's 3, and ana's own; ben's went to cai, who has no channel.
    assert_eq!(summary(&tuesday), (4, 0, 0));

    let pair = |task: &str, day: &str| (task.to_owned(), day.to_owned());
    let (team, _) = items_to(&sink, "/team/");
    assert_eq!(team.len(), 6, "{team:?}");
    let (ana, ana_messages) = items_to(&sink, "/ana/");
    assert_eq!(ana, [pair("for-ana", "2026-11-24")]);
    assert_eq!(
        ana_messages,
        [(
            Some("ana".to_owned()),
            "Ana Example (Operations): due today, Tue 24 Nov".to_owned()
        )]
    );
    let (ben, ben_messages) = items_to(&sink, "/ben/");
    assert_eq!(
        ben,
        [pair("for-ana", "2026-11-23"), pair("for-ben", "2026-11-23")]
    );
    assert_eq!(
        ben_messages,
        [(
            Some("ben".to_owned()),
            "Ben Example (Operations): due today, Mon 23 Nov".to_owned()
        )]
    );
    // The team's messages carry no person.
    assert!(
        sink.to("/team/")
            .iter()
            .all(|r| r.json().get("person").is_none())
    );
    // The sent-log keeps each person's `hook` apart from the team's.
    let rows = sent_channels(&j);
    let count = |channel: &str| rows.iter().filter(|(c, _, _)| c == channel).count();
    assert_eq!(
        (
            count("hook"),
            count("person:ana:hook"),
            count("person:ben:hook")
        ),
        (6, 1, 2),
        "{rows:?}"
    );
    assert_eq!(rows.len(), 9, "{rows:?}");
}

on_postgres! {
    notify_runs_at_once_send_each_reminder_once,
    a_claim_that_never_finished_is_shown_then_taken_over_once_stale,
    a_persons_own_channels_get_what_is_assigned_to_them_after_leave_and_swaps_once,
}
