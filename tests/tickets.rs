//! `socctl tickets push` and `pull` against a fake ServiceNow on 127.0.0.1
//! (`tickets/fake.rs`), which implements the Table API calls socctl makes and keeps every
//! request: their shapes (method, path, query, JSON body, the Authorization header), a
//! re-run that creates nothing, `done` recorded from a closed record with its number and
//! closer, a 401 explained without the password, a hanging server cut off at the limit,
//! hostile catalog text arriving as JSON text; and `check`'s diagnostics of the opt-in
//! fields. "Today" is Monday 2026-11-23 (support::TODAY).

#[allow(dead_code)]
mod support;

#[path = "tickets/fake.rs"]
mod fake;

use std::time::{Duration, Instant};

use fake::{FakeServiceNow, Mode, PASSWORD, TOKEN, USER};
use serde_json::{Value, json};
use support::TestEnv;

const TASKS: &str = "version: 1
timezone: UTC
tasks:
  - id: daily-check
    title: Daily check
    description: Look at the alert queue.
    cadence: daily
    team: ops
    ticket: true
  - id: no-ticket
    title: Not handed over
    cadence: daily
    team: ops
";

fn roles(url: &str, extra: &str) -> String {
    format!(
        "version: 1
teams:
  - id: ops
    name: Operations
servicenow:
  instance: {url}
  table: sc_task
  assignment_groups:
    ops: \"SOC Operations\"
{extra}"
    )
}

/// A catalog pointing at `server`, and a journal beside it.
fn env_for(server: &FakeServiceNow, tasks: &str) -> TestEnv {
    TestEnv::with_catalog(tasks, roles(&server.url, ""))
}

/// `socctl args…` with the fake's basic credentials and the journal.
fn run(env: &TestEnv, args: &[&str]) -> std::process::Output {
    env.cmd()
        .env("SOCCTL_JOURNAL", env.journal())
        .env("SOCCTL_SERVICENOW_USER", USER)
        .env("SOCCTL_SERVICENOW_PASSWORD", PASSWORD)
        .args(args)
        .output()
        .expect("running socctl")
}

/// `socctl tickets push --from FROM --to TO`, as [`run`].
fn push(env: &TestEnv, from: &str, to: &str) -> std::process::Output {
    run(env, &["tickets", "push", "--from", from, "--to", to])
}

fn text(output: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Nothing secret in what socctl printed: not the password, not the header's value.
fn assert_no_secret(output: &std::process::Output) {
    let all = text(output);
    for secret in [PASSWORD, fake::BASIC, "c29jY3RsLWJvdDpodW50ZXIy", TOKEN] {
        assert!(!all.contains(secret), "{secret} printed:\n{all}");
    }
}

#[test]
fn push_creates_one_record_per_occurrence_in_the_table_api_shape() {
    let server = FakeServiceNow::start(Mode::Normal);
    let env = env_for(&server, TASKS);
    let output = run(&env, &["tickets", "push", "--date", "2026-11-23"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert_no_secret(&output);
    let stdout = String::from_utf8(output.stdout.clone()).unwrap();
    assert_eq!(
        stdout,
        "created SCTASK0010001: daily-check due 2026-11-23 (team ops)\n\
         tickets push: 1 created, 0 already present, 0 settled in the journal, 0 failed\n"
    );
    let seen = server.seen();
    assert_eq!(seen.len(), 2, "{seen:#?}");
    // First the lookup by correlation id (Table API GET with an encoded query) …
    let get = &seen[0];
    assert_eq!(get.method, "GET");
    assert_eq!(get.path, "/api/now/table/sc_task");
    assert_eq!(
        get.query["sysparm_query"],
        "correlation_id=socctl:daily-check:2026-11-23:ops"
    );
    assert_eq!(get.query["sysparm_limit"], "1");
    assert_eq!(
        get.query["sysparm_fields"],
        "sys_id,number,state,correlation_id,closed_by.user_name,sys_updated_by,closed_at"
    );
    assert_eq!(get.headers["accept"], "application/json");
    assert_eq!(get.headers["authorization"], fake::BASIC);
    // … then the record, a JSON object of string fields.
    let post = &seen[1];
    assert_eq!(post.method, "POST");
    assert_eq!(post.path, "/api/now/table/sc_task");
    assert!(post.headers["content-type"].starts_with("application/json"));
    assert_eq!(post.headers["authorization"], fake::BASIC);
    assert_eq!(
        post.body.as_ref().unwrap(),
        &json!({
            "short_description": "Daily check",
            "description": "Look at the alert queue.\n\nsocctl task daily-check, due 2026-11-23, team Operations.",
            "assignment_group": "SOC Operations",
            "correlation_id": "socctl:daily-check:2026-11-23:ops",
            "correlation_display": "socctl",
        })
    );
}

#[test]
fn a_second_push_finds_the_records_and_creates_none() {
    let server = FakeServiceNow::start(Mode::Normal);
    let env = env_for(&server, TASKS);
    // Three days: three occurrences of the daily task, looked up in one query.
    let first = push(&env, "2026-11-23", "2026-11-25");
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    assert!(text(&first).contains(
        "tickets push: 3 created, 0 already present, 0 settled in the journal, 0 failed"
    ));
    let lookup = &server.seen()[0];
    assert_eq!(
        lookup.query["sysparm_query"],
        "correlation_idINsocctl:daily-check:2026-11-23:ops,socctl:daily-check:2026-11-24:ops,socctl:daily-check:2026-11-25:ops"
    );
    assert_eq!(lookup.query["sysparm_limit"], "3");
    let requests = server.seen().len();
    let second = push(&env, "2026-11-23", "2026-11-25");
    assert_eq!(second.status.code(), Some(0), "{}", text(&second));
    let stdout = String::from_utf8(second.stdout).unwrap();
    assert!(
        stdout.contains("already present SCTASK0010002: daily-check due 2026-11-24 (team ops)"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with(
            "tickets push: 0 created, 3 already present, 0 settled in the journal, 0 failed\n"
        ),
        "{stdout}"
    );
    assert_eq!(server.records().len(), 3);
    let again: Vec<_> = server.seen()[requests..]
        .iter()
        .map(|s| s.method.clone())
        .collect();
    assert_eq!(again, ["GET"], "the re-run only looks");
}

#[test]
fn dry_run_looks_up_and_creates_nothing() {
    let server = FakeServiceNow::start(Mode::Normal);
    let env = env_for(&server, TASKS);
    let output = run(&env, &["tickets", "push", "--dry-run"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert_no_secret(&output);
    let stdout = String::from_utf8(output.stdout.clone()).unwrap();
    assert!(
        stdout.contains("would create: daily-check due 2026-11-23 (team ops)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("\"correlation_id\": \"socctl:daily-check:2026-11-23:ops\""),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("tickets push (dry run): 1 to create, 0 already present, 0 settled in the journal, 0 failed\n"),
        "{stdout}"
    );
    assert!(server.records().is_empty());
    assert!(server.seen().iter().all(|s| s.method == "GET"));
}

#[test]
fn pull_records_done_with_the_ticket_number_and_closer_once() {
    let server = FakeServiceNow::start(Mode::Normal);
    let env = env_for(&server, TASKS);
    let pushed = push(&env, "2026-11-22", "2026-11-23");
    assert_eq!(pushed.status.code(), Some(0), "{}", text(&pushed));
    // 2026-11-22's record closed (sc_task 3, Closed Complete) on the 23rd; the 23rd's open.
    server.close("SCTASK0010001", "3", "beth.anglin", "2026-11-23 09:30:00");
    let pulled = run(&env, &["tickets", "pull"]);
    assert_eq!(pulled.status.code(), Some(0), "{}", text(&pulled));
    assert_no_secret(&pulled);
    let stdout = String::from_utf8(pulled.stdout).unwrap();
    assert!(
        stdout.contains(
            "recorded SCTASK0010001: done: daily-check due 2026-11-22 (late), by beth.anglin"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("open SCTASK0010002 (state 1): daily-check due 2026-11-23 (team ops)"),
        "{stdout}"
    );
    // 31 days through today: 29 days before the first push have no ticket.
    assert!(
        stdout.ends_with(
            "tickets pull: 1 recorded, 0 already recorded, 1 open, 29 without a ticket, 0 failed\n"
        ),
        "{stdout}"
    );
    let history = env
        .cmd()
        .env("SOCCTL_JOURNAL", env.journal())
        .args(["history", "--format", "json"])
        .output()
        .unwrap();
    let records: Value = serde_json::from_slice(&history.stdout).unwrap();
    let records = records.as_array().expect("a list of records");
    assert_eq!(records.len(), 1, "{records:#?}");
    let record = &records[0];
    assert_eq!(record["task"], "daily-check");
    assert_eq!(record["occurrence"], "2026-11-22");
    assert_eq!(record["action"], "done");
    assert_eq!(record["on"], "2026-11-23");
    assert_eq!(record["by"], "beth.anglin");
    assert_eq!(record["ref"], "SCTASK0010001");
    // A second pull records nothing new and says why.
    let again = run(&env, &["tickets", "pull"]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
    let stdout = String::from_utf8(again.stdout).unwrap();
    assert!(
        stdout.contains(
            "already recorded SCTASK0010001: `daily-check` due 2026-11-22 is already done"
        ),
        "{stdout}"
    );
    assert!(
        stdout.ends_with(
            "tickets pull: 0 recorded, 1 already recorded, 1 open, 29 without a ticket, 0 failed\n"
        ),
        "{stdout}"
    );
}

#[test]
fn a_bearer_token_signs_in_instead() {
    let server = FakeServiceNow::start(Mode::Normal);
    let env = env_for(&server, TASKS);
    let output = env
        .cmd()
        .env("SOCCTL_SERVICENOW_TOKEN", TOKEN)
        .args(["tickets", "push"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert_no_secret(&output);
    assert_eq!(
        server.seen()[0].headers["authorization"],
        format!("Bearer {TOKEN}")
    );
}

#[test]
fn refused_credentials_are_explained_without_the_password() {
    let server = FakeServiceNow::start(Mode::Normal);
    let env = env_for(&server, TASKS);
    let output = env
        .cmd()
        .env("SOCCTL_SERVICENOW_USER", USER)
        .env("SOCCTL_SERVICENOW_PASSWORD", format!("{PASSWORD}-wrong"))
        .args(["tickets", "push"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(5), "{}", text(&output));
    let all = text(&output);
    // The fake echoes the header and the password it expected in its 401 body.
    assert!(all.contains("401 Unauthorized"), "{all}");
    assert!(all.contains("SOCCTL_SERVICENOW_USER"), "{all}");
    assert!(
        all.contains(
            "tickets push: 0 created, 0 already present, 0 settled in the journal, 1 failed"
        ),
        "{all}"
    );
    assert!(!all.contains(&format!("{PASSWORD}-wrong")), "{all}");
    assert!(!all.contains("Basic "), "{all}");
    assert!(server.records().is_empty());
    // No credentials at all: said before anything is sent.
    let none = env.cmd().args(["tickets", "push"]).output().unwrap();
    assert_eq!(none.status.code(), Some(2));
    assert!(
        text(&none).contains("SOCCTL_SERVICENOW_TOKEN"),
        "{}",
        text(&none)
    );
}

#[test]
fn a_hanging_server_is_cut_off_at_the_time_limit() {
    let server = FakeServiceNow::start(Mode::Hang);
    let env = env_for(&server, TASKS);
    let started = Instant::now();
    let output = run(
        &env,
        &[
            "tickets",
            "push",
            "--from",
            "2026-11-23",
            "--to",
            "2026-11-25",
            "--timeout",
            "2",
        ],
    );
    let took = started.elapsed();
    assert_eq!(output.status.code(), Some(5), "{}", text(&output));
    // One lookup waited out its 2 s; the rest were not tried. A generous bound.
    assert!(took < Duration::from_secs(20), "took {took:?}");
    let all = text(&output);
    assert!(all.contains("time limit"), "{all}");
    assert!(
        all.contains("0 created, 0 already present, 0 settled in the journal, 3 failed"),
        "{all}"
    );
    assert_no_secret(&output);
}

#[test]
fn hostile_catalog_text_arrives_as_json_text() {
    let server = FakeServiceNow::start(Mode::Normal);
    let title = "Quote \" backslash \\ \"}, \"state\": \"7\", \"x\": \"{ tab\t bell\u{7} ünï 日本";
    let yaml_title = serde_json::to_string(title).unwrap();
    let tasks = format!(
        "version: 1\ntimezone: UTC\ntasks:\n  - id: hostile\n    title: {yaml_title}\n    description: \"line one\\nline two </script> %s %n\"\n    cadence: daily\n    team: ops\n    ticket: true\n"
    );
    let env = env_for(&server, &tasks);
    let output = run(&env, &["tickets", "push"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let records = server.records();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["short_description"], title);
    assert_eq!(records[0]["state"], "1", "the title did not set a field");
    assert!(
        records[0]["description"]
            .as_str()
            .unwrap()
            .starts_with("line one\nline two </script> %s %n\n\n")
    );
}

#[test]
fn check_reports_the_opt_in_fields_problems() {
    // `ticket:` must be a boolean.
    let env = TestEnv::one_team(
        "version: 1\ntasks:\n  - id: a\n    title: A\n    cadence: daily\n    team: ops\n    ticket: yes please\n",
    );
    let output = env.cmd().arg("check").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output).contains("`ticket` of task `a` must be `true` or `false`, not `yes please`"),
        "{}",
        text(&output)
    );
    // Opting in without `servicenow:` is a warning: the catalog still works.
    let env = TestEnv::one_team(
        "version: 1\ntasks:\n  - id: a\n    title: A\n    cadence: daily\n    team: ops\n    ticket: true\n",
    );
    let output = env.cmd().arg("check").output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(
        text(&output).contains("tasks.yaml:3:1: warning: task `a` has `ticket: true`, but roles.yaml has no `servicenow:`"),
        "{}",
        text(&output)
    );
    // An unencrypted instance, credentials in the URL, an unknown placeholder, a table
    // without known closed states, socctl's own field, a team that is not one: each named.
    for (servicenow, expected) in [
        (
            "  instance: http://acme.service-now.com\n",
            "is not encrypted; use https://",
        ),
        (
            "  instance: https://bot:pw@acme.service-now.com\n",
            "credentials come from SOCCTL_SERVICENOW_USER",
        ),
        (
            "  instance: https://acme.service-now.com\n  fields: {short_description: \"{titel}\"}\n",
            "uses `{titel}`, which is not a placeholder",
        ),
        (
            "  instance: https://acme.service-now.com\n  table: u_soc_work\n",
            "whose closed states socctl does not know",
        ),
        (
            "  instance: https://acme.service-now.com\n  fields: {correlation_id: x}\n",
            "`correlation_id` is set by socctl",
        ),
        (
            "  instance: https://acme.service-now.com\n  assignment_groups: {opz: G}\n",
            "`opz` in `assignment_groups` is not a team's id",
        ),
        ("  table: incident\n", "`servicenow` has no `instance`"),
    ] {
        let env = TestEnv::with_catalog(
            TASKS,
            format!(
                "version: 1\nteams:\n  - id: ops\n    name: Operations\nservicenow:\n{servicenow}"
            ),
        );
        let output = env.cmd().arg("check").output().unwrap();
        assert_eq!(
            output.status.code(),
            Some(1),
            "{servicenow}: {}",
            text(&output)
        );
        assert!(
            text(&output).contains(expected),
            "{servicenow}: {}",
            text(&output)
        );
    }
    // `{group}` for a team that has none.
    let env = TestEnv::with_catalog(
        TASKS,
        "version: 1\nteams:\n  - id: ops\n    name: Operations\nservicenow:\n  instance: https://acme.service-now.com\n  fields: {assignment_group: \"{group}\"}\n",
    );
    let output = env.cmd().arg("check").output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(
        text(&output).contains("`assignment_groups` has no group for ops"),
        "{}",
        text(&output)
    );
}

#[test]
fn pull_reads_incident_states_as_configured() {
    let server = FakeServiceNow::start(Mode::Normal);
    let env = TestEnv::with_catalog(
        TASKS,
        format!(
            "version: 1\nteams:\n  - id: ops\n    name: Operations\nservicenow:\n  instance: {}\n  table: incident\n",
            server.url
        ),
    );
    let pushed = push(&env, "2026-11-21", "2026-11-23");
    assert_eq!(pushed.status.code(), Some(0), "{}", text(&pushed));
    assert_eq!(server.seen()[0].path, "/api/now/table/incident");
    // incident: 6 Resolved and 7 Closed are done; 8 Canceled is not.
    server.close("INC0010001", "6", "ana", "2026-11-21 23:30:00");
    server.close("INC0010002", "7", "bo", "2026-11-23 08:00:00");
    server.close("INC0010003", "8", "cy", "2026-11-23 08:00:00");
    let pulled = run(&env, &["tickets", "pull", "--from", "2026-11-21"]);
    assert_eq!(pulled.status.code(), Some(0), "{}", text(&pulled));
    let stdout = String::from_utf8(pulled.stdout).unwrap();
    assert!(
        stdout.contains("recorded INC0010001: done: daily-check due 2026-11-21 (on time), by ana"),
        "{stdout}"
    );
    assert!(
        stdout.contains("recorded INC0010002: done: daily-check due 2026-11-22 (late), by bo"),
        "{stdout}"
    );
    assert!(stdout.contains("open INC0010003 (state 8)"), "{stdout}");
    assert!(
        stdout.ends_with(
            "tickets pull: 2 recorded, 0 already recorded, 1 open, 0 without a ticket, 0 failed\n"
        ),
        "{stdout}"
    );
}

/// A creation is tried once: a 503 may come after ServiceNow made the record, and a retry
/// would make a second one. The next run's lookup settles it.
#[test]
fn a_failed_creation_is_not_retried() {
    let server = FakeServiceNow::start(Mode::CreateUnavailable);
    let env = env_for(&server, TASKS);
    let output = run(&env, &["tickets", "push"]);
    assert_eq!(output.status.code(), Some(5), "{}", text(&output));
    let all = text(&output);
    assert!(
        all.contains("ServiceNow answered 503 (Service Unavailable)"),
        "{all}"
    );
    assert!(
        all.contains(
            "tickets push: 0 created, 0 already present, 0 settled in the journal, 1 failed"
        ),
        "{all}"
    );
    let methods: Vec<_> = server.seen().iter().map(|s| s.method.clone()).collect();
    assert_eq!(methods, ["GET", "POST"]);
}

/// Work the journal already has done (or skipped) gets no ticket.
#[test]
fn push_leaves_out_what_the_journal_has_settled() {
    let server = FakeServiceNow::start(Mode::Normal);
    let env = env_for(&server, TASKS);
    let done = run(&env, &["done", "daily-check", "--by", "ana"]);
    assert_eq!(done.status.code(), Some(0), "{}", text(&done));
    let output = push(&env, "2026-11-23", "2026-11-24");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("already done in the journal: daily-check due 2026-11-23 (team ops)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("created SCTASK0010001: daily-check due 2026-11-24 (team ops)"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with(
            "tickets push: 1 created, 0 already present, 1 settled in the journal, 0 failed\n"
        ),
        "{stdout}"
    );
    let records = server.records();
    assert_eq!(records.len(), 1);
    assert_eq!(
        records[0]["correlation_id"],
        "socctl:daily-check:2026-11-24:ops"
    );
}

/// A task of two teams is one obligation per team: a record each (its own correlation id
/// and assignment group), and a closed record settles only its team's occurrence.
#[test]
fn a_task_of_two_teams_gets_a_record_per_team() {
    let server = FakeServiceNow::start(Mode::Normal);
    let tasks = "version: 1\ntimezone: UTC\ntasks:\n  - id: joint-review\n    title: Joint review\n    cadence: daily\n    team: [ops, intel]\n    ticket: true\n";
    let roles = format!(
        "version: 1\nteams:\n  - id: ops\n    name: Operations\n  - id: intel\n    name: Intelligence\nservicenow:\n  instance: {}\n  assignment_groups:\n    ops: \"SOC Operations\"\n    intel: \"SOC Intel\"\n",
        server.url
    );
    let env = TestEnv::with_catalog(tasks, roles);
    let pushed = run(&env, &["tickets", "push"]);
    assert_eq!(pushed.status.code(), Some(0), "{}", text(&pushed));
    let records = server.records();
    let mut made: Vec<(String, String)> = records
        .iter()
        .map(|r| {
            (
                r["correlation_id"].as_str().unwrap().to_owned(),
                r["assignment_group"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    made.sort();
    assert_eq!(
        made,
        [
            (
                "socctl:joint-review:2026-11-23:intel".to_owned(),
                "SOC Intel".to_owned()
            ),
            (
                "socctl:joint-review:2026-11-23:ops".to_owned(),
                "SOC Operations".to_owned()
            ),
        ]
    );
    let intel = records
        .iter()
        .find(|r| r["correlation_id"] == "socctl:joint-review:2026-11-23:intel")
        .unwrap()["number"]
        .as_str()
        .unwrap()
        .to_owned();
    server.close(&intel, "3", "ivy", "2026-11-23 10:00:00");
    let pulled = run(&env, &["tickets", "pull", "--date", "2026-11-23"]);
    assert_eq!(pulled.status.code(), Some(0), "{}", text(&pulled));
    let stdout = String::from_utf8(pulled.stdout).unwrap();
    assert!(
        stdout.contains(&format!(
            "recorded {intel}: done: joint-review due 2026-11-23 (on time) for team intel, by ivy"
        )),
        "{stdout}"
    );
    assert!(
        stdout.ends_with(
            "tickets pull: 1 recorded, 0 already recorded, 1 open, 0 without a ticket, 0 failed\n"
        ),
        "{stdout}"
    );
}

/// A table that drops `correlation_id` (one not extending `task`) would get the same
/// records again on every run: the first creation is reported and the rest not tried.
#[test]
fn a_table_without_correlation_ids_is_refused_after_one_record() {
    let server = FakeServiceNow::start(Mode::NoCorrelation);
    let env = env_for(&server, TASKS);
    let output = push(&env, "2026-11-23", "2026-11-24");
    assert_eq!(output.status.code(), Some(5), "{}", text(&output));
    let all = text(&output);
    assert!(
        all.contains("the table did not keep its correlation_id"),
        "{all}"
    );
    assert!(all.contains("delete SCTASK0010001"), "{all}");
    assert!(
        all.contains("0 created, 0 already present, 0 settled in the journal, 2 failed"),
        "{all}"
    );
    assert_eq!(server.records().len(), 1);
}
