//! What only the PostgreSQL journal has: many hosts writing at once, two analysts racing
//! for one occurrence, a server killed mid-import, passwords, time-outs, TLS, schemas that
//! are not socctl's, and `journal copy` between SQLite and PostgreSQL.
//!
//! The behavioural suite runs on PostgreSQL too (the `on_postgres` modules); these tests
//! check what it cannot. Each needs a server, so plain `cargo test` lists them as ignored;
//! `scripts/test` runs them.

use std::collections::HashSet;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::env::{Journaled, args};
use crate::support::postgres::{self, Database, PrivateCluster, Server};
use crate::support::{Tool, require};

/// A fresh database on the test server.
fn database() -> Database {
    postgres::server().database()
}

/// One `done` record as an export line.
fn record_line(id: &str, task: &str, occurrence: &str, by: &str) -> String {
    json!({"id": id, "task": task, "occurrence": occurrence, "action": "done",
           "on": occurrence, "by": by, "recorded_at": format!("{occurrence}T08:00:00Z")})
    .to_string()
}

/// The day `n` days after 2024-01-01.
fn nth_day(n: usize) -> String {
    let offset = i64::try_from(n).expect("small");
    super::env::day("2024-01-01")
        .checked_add(jiff::Span::new().days(offset))
        .expect("a date")
        .to_string()
}

/// Runs `command`, killing it after `limit`: a socctl that hangs fails the test rather
/// than the whole suite.
pub(super) fn output_within(command: &mut std::process::Command, limit: Duration) -> Output {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("running socctl");
    let started = Instant::now();
    while child.try_wait().expect("polling socctl").is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            let output = child.wait_with_output().expect("waiting for socctl");
            panic!("socctl still running after {limit:?}: {output:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("waiting for socctl")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
#[ignore = "needs PostgreSQL: run scripts/test"]
fn eight_hosts_writing_250_records_each_at_once_lose_nothing() {
    const WRITERS: usize = 8;
    const PER_WRITER: usize = 250;
    const PER_IMPORT: usize = 25;
    let database = database();
    let j = Journaled::on(database);
    let tasks = [
        "update-escalation-tickets",
        "track-mdvm-remediation",
        "secure-score-report",
        "portal-license-management",
    ];
    let mut expected = HashSet::new();
    let mut files = vec![Vec::new(); WRITERS];
    for (writer, writer_files) in files.iter_mut().enumerate() {
        for batch in 0..PER_WRITER / PER_IMPORT {
            let mut lines = String::new();
            for n in batch * PER_IMPORT..(batch + 1) * PER_IMPORT {
                let id = crate::support::uuid_for(&format!("host{writer}-{n:03}"));
                // Writers share tasks and neighbouring days, so their records interleave in
                // the indexes; each settles an occurrence of its own (a second `done` of
                // one is refused).
                let line = record_line(
                    &id,
                    tasks[n % tasks.len()],
                    &nth_day(n * WRITERS + writer),
                    &id,
                );
                lines.push_str(&line);
                lines.push('\n');
                expected.insert(id);
            }
            writer_files.push(j.env.write(&format!("h{writer}-{batch:02}.jsonl"), lines));
        }
    }
    assert_eq!(expected.len(), WRITERS * PER_WRITER);
    // All start together on an empty database, so they also race to create the schema.
    j.import_concurrently(&files, PER_IMPORT);
    assert_eq!(j.exported_ids(), expected, "missing or duplicated records");
    assert_eq!(j.stored_records(), WRITERS * PER_WRITER);
    assert_eq!(j.record_count(), WRITERS * PER_WRITER);
}

#[test]
#[ignore = "needs PostgreSQL: run scripts/test"]
fn two_analysts_racing_for_one_occurrence_record_it_once_every_time() {
    const ROUNDS: usize = 100;
    let database = database();
    let j = Journaled::on(database);
    j.ok("2026-11-23", &["done", "secure-score-report"]);
    // Round r races for the daily occurrence r days before today.
    let dates: Vec<String> = (1..=ROUNDS)
        .map(|r| {
            super::env::day("2026-11-23")
                .checked_sub(jiff::Span::new().days(i64::try_from(r).expect("small")))
                .expect("a date")
                .to_string()
        })
        .collect();
    for date in &dates {
        let commands: Vec<Vec<String>> = ["alice", "bob"]
            .iter()
            .map(|who| {
                args(&[
                    "done",
                    "update-escalation-tickets",
                    "--all-teams",
                    "--date",
                    date,
                    "--by",
                    who,
                ])
            })
            .collect();
        let outputs = j.race("2026-11-23", &commands);
        let winners = outputs.iter().filter(|o| o.status.success()).count();
        assert_eq!(winners, 1, "{date}: {outputs:#?}");
        let loser = outputs
            .iter()
            .find(|o| !o.status.success())
            .expect("a loser");
        let message = stderr(loser);
        assert_eq!(loser.status.code(), Some(1), "{message}");
        assert!(
            message.contains(&format!("due {date} is already done"))
                && message.contains("nothing recorded"),
            "{date}: {message}"
        );
    }
    let history = j.history("2026-11-23", &["--task", "update-escalation-tickets"]);
    let mut occurrences: Vec<&str> = history
        .iter()
        .map(|r| r["occurrence"].as_str().expect("a date"))
        .collect();
    occurrences.sort_unstable();
    let mut wanted: Vec<&str> = dates.iter().map(String::as_str).collect();
    wanted.sort_unstable();
    assert_eq!(occurrences, wanted, "exactly one record per occurrence");
    assert_eq!(j.stored_records(), ROUNDS + 1);
}

#[test]
#[ignore = "needs PostgreSQL: run scripts/test"]
fn processes_starting_together_on_an_empty_database_create_the_schema_once() {
    let database = database();
    let j = Journaled::on(database);
    let tasks = [
        "update-escalation-tickets",
        "track-mdvm-remediation",
        "secure-score-report",
        "portal-license-management",
        "service-administration",
        "deploy-automation-scripts",
    ];
    let commands: Vec<Vec<String>> = tasks
        .iter()
        .map(|task| args(&["done", task, "--all-teams"]))
        .collect();
    for output in j.race("2026-11-23", &commands) {
        assert!(output.status.success(), "{output:?}");
    }
    let database = j.database.as_ref().expect("a database");
    let mut client = database.connect();
    let versions: Vec<i32> = client
        .query("SELECT version FROM socctl.schema_migrations", &[])
        .expect("reading the migrations")
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert_eq!(versions, [1, 2, 3, 4, 5, 6]);
    assert_eq!(j.stored_records(), tasks.len());
    // Upgrading an up-to-date database again changes nothing.
    j.ok("2026-11-23", &["journal", "info"]);
    assert_eq!(j.stored_records(), tasks.len());
}

/// Writes `count` records with ids `bulk{attempt}-…` to `path`.
fn write_bulk(path: &Path, attempt: usize, count: usize) {
    let mut out = BufWriter::new(fs::File::create(path).expect("creating the bulk file"));
    for n in 0..count {
        writeln!(
            out,
            "{}",
            record_line(
                &crate::support::uuid_for(&format!("bulk{attempt}-{n:06}")),
                "update-escalation-tickets",
                &nth_day(attempt * 250_000 + n),
                "bulk"
            )
        )
        .expect("writing the bulk file");
    }
    out.flush().expect("writing the bulk file");
}

/// Waits until a statement of socctl's matching `pattern` runs in `database`, or socctl
/// has finished; returns whether the statement was seen.
fn wait_for_statement(
    cluster: &Server,
    database: &str,
    pattern: &str,
    child: &mut std::process::Child,
) -> bool {
    let mut admin = cluster.connect("postgres");
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        if child.try_wait().expect("polling socctl").is_some() {
            return false;
        }
        let seen: bool = admin
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM pg_stat_activity
                  WHERE datname = $1 AND pid <> pg_backend_pid() AND state = 'active'
                    AND query ILIKE $2)",
                &[&database, &pattern],
            )
            .expect("reading pg_stat_activity")
            .get(0);
        if seen {
            return true;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    false
}

#[test]
#[ignore = "needs PostgreSQL: run scripts/test"]
fn a_server_killed_mid_import_leaves_all_or_nothing() {
    const BULK: usize = 200_000;
    require(&[Tool::PostgresServer]);
    let cluster = PrivateCluster::start("kill", false).expect("a private cluster");
    let server = Server::at(&cluster.url);
    let database = server.database();
    let name = database.name.clone();
    let j = Journaled::on(database);
    j.ok("2026-11-23", &["done", "secure-score-report"]);
    let mut previous = j.stored_records();
    assert_eq!(previous, 1);
    let mut interrupted = 0;
    // Attempt 0 kills the server while the records stream in (COPY), attempt 1 while they
    // are inserted into the journal's table; both inside the import's transaction.
    for (attempt, pattern) in ["%copy%", "%insert into socctl.records%"]
        .iter()
        .enumerate()
    {
        let file = j.root().join(format!("bulk-{attempt}.jsonl"));
        write_bulk(&file, attempt, BULK);
        let mut child = j
            .std_cmd("2026-11-23")
            .args(["journal", "import"])
            .arg(&file)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("running socctl");
        let seen = wait_for_statement(&server, &name, pattern, &mut child);
        if seen {
            cluster.kill();
        }
        let started = Instant::now();
        let output = child.wait_with_output().expect("waiting for socctl");
        let message = stderr(&output);
        if seen && !output.status.success() {
            interrupted += 1;
            assert_eq!(output.status.code(), Some(1), "{message}");
            assert!(
                message.contains("PostgreSQL at 127.0.0.1:"),
                "the error names the server: {message}"
            );
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "socctl took {:?} to notice",
                started.elapsed()
            );
        } else {
            assert!(output.status.success(), "{message}");
        }
        if seen {
            cluster.restart();
        }
        let count = j.stored_records();
        assert!(
            count == previous || count == previous + BULK,
            "attempt {attempt}: {count} records, expected {previous} or {}",
            previous + BULK
        );
        if output.status.success() {
            assert_eq!(
                count,
                previous + BULK,
                "a finished import lost records: {message} {}",
                String::from_utf8_lossy(&output.stdout)
            );
        }
        eprintln!(
            "attempt {attempt}: killed {seen}, socctl {:?}, {count} records",
            output.status.code()
        );
        previous = count;
    }
    assert!(interrupted > 0, "no import was interrupted by the kill");
    // The journal works again after the restart, and a repeated import completes the set.
    j.ok("2026-11-23", &["done", "track-mdvm-remediation"]);
    assert_eq!(j.stored_records(), previous + 1);
}

/// `postgres://socctl:PASSWORD@127.0.0.1:PORT/DATABASE` with another password.
fn with_password(url: &str, password: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a URL");
    let (userinfo, host) = rest.split_once('@').expect("a user");
    let user = userinfo.split(':').next().expect("a user name");
    format!(
        "{scheme}://{user}{}@{host}",
        if password.is_empty() {
            String::new()
        } else {
            format!(":{password}")
        }
    )
}

#[test]
#[ignore = "needs PostgreSQL: run scripts/test"]
fn a_wrong_password_is_a_clear_error_that_never_shows_the_password() {
    const WRONG: &str = "Wr0ng-pa55word";
    let database = database();
    let url = with_password(&database.url, WRONG);
    let j = Journaled::on(database);
    for args in [
        &["done", "secure-score-report"][..],
        &["due"],
        &["journal", "info"],
    ] {
        let output = j
            .std_cmd("2026-11-23")
            .env("SOCCTL_JOURNAL", &url)
            .args(args)
            .output()
            .expect("running socctl");
        let message = stderr(&output);
        // A checklist still goes out without statuses (exit 4, degraded); the rest fail.
        let exit = if args[0] == "due" { 4 } else { 1 };
        assert_eq!(output.status.code(), Some(exit), "{args:?}: {message}");
        assert!(
            message.contains("password") && message.contains("PGPASSWORD"),
            "{args:?}: {message}"
        );
        assert!(message.contains("127.0.0.1"), "names the host: {message}");
        assert!(!message.contains(WRONG), "shows the password: {message}");
    }
    assert!(!j.database.as_ref().expect("a database").has_journal());
}

#[test]
#[ignore = "needs PostgreSQL: run scripts/test"]
fn passwords_come_from_the_url_pgpassword_or_pgpass() {
    let database = database();
    let password = database
        .url
        .split_once("://")
        .and_then(|(_, rest)| rest.split_once('@'))
        .and_then(|(userinfo, _)| userinfo.split_once(':'))
        .map(|(_, p)| p.to_owned())
        .expect("the test URL has a password");
    let bare = with_password(&database.url, "");
    let j = Journaled::on(database);
    // PGPASSWORD.
    let output = j
        .std_cmd("2026-11-23")
        .env("SOCCTL_JOURNAL", &bare)
        .env("PGPASSWORD", &password)
        .args(["done", "secure-score-report"])
        .output()
        .expect("running socctl");
    assert!(output.status.success(), "{}", stderr(&output));
    // ~/.pgpass, readable by its owner only.
    let pgpass = j.env.home().join(".pgpass");
    fs::write(&pgpass, format!("127.0.0.1:*:*:socctl:{password}\n")).expect("writing .pgpass");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&pgpass, fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    let output = j
        .std_cmd("2026-11-23")
        .env("SOCCTL_JOURNAL", &bare)
        .args(["done", "track-mdvm-remediation"])
        .output()
        .expect("running socctl");
    assert!(output.status.success(), "{}", stderr(&output));
    // A .pgpass others can read is ignored, as libpq ignores it, and the error says why.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&pgpass, fs::Permissions::from_mode(0o644)).expect("chmod");
        let output = j
            .std_cmd("2026-11-23")
            .env("SOCCTL_JOURNAL", &bare)
            .args(["done", "update-escalation-tickets", "--all-teams"])
            .output()
            .expect("running socctl");
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{message}");
        assert!(message.contains(".pgpass"), "{message}");
        assert!(!message.contains(&password), "{message}");
    }
    assert_eq!(j.stored_records(), 2);
}

#[test]
#[ignore = "needs PostgreSQL: run scripts/test"]
fn an_unreachable_server_is_a_clear_error_within_the_time_out() {
    let database = database();
    let j = Journaled::on(database);
    // A closed port: refused at once.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        listener.local_addr().expect("an address").port()
    };
    let url = format!("postgres://socctl:secret@127.0.0.1:{closed}/journal");
    let started = Instant::now();
    let output = j
        .std_cmd("2026-11-23")
        .env("SOCCTL_JOURNAL", &url)
        .args(["done", "secure-score-report"])
        .output()
        .expect("running socctl");
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(
        message.contains(&format!("127.0.0.1:{closed}")),
        "{message}"
    );
    assert!(!message.contains("secret"), "{message}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    // A server that accepts the connection and never answers: the connect time-out ends it.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = silent.local_addr().expect("an address").port();
    let url = format!("postgres://socctl:secret@127.0.0.1:{port}/journal?connect_timeout=2");
    let started = Instant::now();
    let output = output_within(
        j.std_cmd("2026-11-23")
            .env("SOCCTL_JOURNAL", &url)
            .args(["due"]),
        Duration::from_secs(20),
    );
    let elapsed = started.elapsed();
    let message = stderr(&output);
    // `due` still writes the checklist without statuses and says why (exit 4, degraded).
    assert_eq!(output.status.code(), Some(4), "{message}");
    assert!(
        elapsed >= Duration::from_secs(2) && elapsed < Duration::from_secs(8),
        "gave up after {elapsed:?}: {message}"
    );
    assert!(message.contains(&format!("127.0.0.1:{port}")), "{message}");
    drop(silent);
    assert!(!j.database.as_ref().expect("a database").has_journal());
}

#[test]
#[ignore = "needs PostgreSQL: run scripts/test"]
fn schemas_that_are_not_this_socctls_journal_are_refused_untouched() {
    let database = database();
    let mut client = database.connect();
    let j = Journaled::on(database);
    // Another program's `socctl` schema.
    client
        .batch_execute("CREATE SCHEMA socctl; CREATE TABLE socctl.other (x int)")
        .expect("creating a foreign schema");
    for args in [
        &["done", "secure-score-report"][..],
        &["due"],
        &["journal", "info"],
    ] {
        let message = j.fails("2026-11-23", args, 1);
        assert!(
            message.contains("not a socctl journal"),
            "{args:?}: {message}"
        );
    }
    let tables: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'socctl'",
            &[],
        )
        .expect("counting tables")
        .get(0);
    assert_eq!(tables, 1, "the foreign schema was changed");
    // A journal from a newer socctl.
    client
        .batch_execute("DROP SCHEMA socctl CASCADE")
        .expect("dropping the schema");
    j.ok("2026-11-23", &["done", "secure-score-report"]);
    client
        .batch_execute("INSERT INTO socctl.schema_migrations (version) VALUES (99)")
        .expect("pretending to be newer");
    for args in [
        &["done", "track-mdvm-remediation"][..],
        &["due"],
        &["history"],
    ] {
        let message = j.fails("2026-11-23", args, 1);
        assert!(
            message.contains("schema 99") && message.contains("upgrade socctl"),
            "{args:?}: {message}"
        );
    }
    assert_eq!(j.stored_records(), 1);
}

#[test]
#[ignore = "needs PostgreSQL: run scripts/test"]
fn journal_copy_moves_everything_between_sqlite_and_postgres_idempotently() {
    let database = database();
    // A SQLite journal with every kind of record and hostile text.
    let source = Journaled::shipped();
    assert!(source.database.is_none());
    source.ok(
        "2026-11-20",
        &[
            "done",
            "secure-score-report",
            "--note",
            r#"quote " and \ backslash 'single'"#,
        ],
    );
    source.ok(
        "2026-11-21",
        &[
            "skip",
            "portal-license-management",
            "--reason",
            "監視 🛡️\nline two\ttab",
        ],
    );
    source.ok(
        "2026-11-22",
        &[
            "trigger",
            "ir-tabletop-exercise",
            "--all-teams",
            "--reason",
            "'; DROP TABLE records; --",
        ],
    );
    source.ok(
        "2026-11-23",
        &[
            "done",
            "update-escalation-tickets",
            "--all-teams",
            "--ref",
            "https://t.example/?a=1&b=\"2\"",
        ],
    );
    source.ok(
        "2026-11-23",
        &["undo", "update-escalation-tickets", "--all-teams"],
    );
    source.ok(
        "2026-11-23",
        &["done", "track-mdvm-remediation", "--date", "2026-11-01"],
    );
    let original = source.ok("2026-11-23", &["journal", "export"]);
    let records = original.lines().count() - 1;
    assert_eq!(records, 6);
    let sqlite = source.journal();
    let sqlite = sqlite.to_str().expect("a UTF-8 path");
    let url = database.url.clone();
    let target = Journaled::on(database);

    let copied = target.ok(
        "2026-11-23",
        &["journal", "copy", "--from", sqlite, "--to", &url],
    );
    assert!(
        copied.contains(&format!("copied {records} records")),
        "{copied}"
    );
    assert!(copied.contains("(0 already present)"), "{copied}");
    assert!(
        !copied.contains("socctl-test"),
        "shows the password: {copied}"
    );
    // The PostgreSQL journal exports exactly the same (header with tracking start included).
    assert_eq!(target.ok("2026-11-23", &["journal", "export"]), original);
    // Idempotent: a second copy adds nothing.
    let again = target.ok(
        "2026-11-23",
        &["journal", "copy", "--from", sqlite, "--to", &url],
    );
    assert!(
        again.contains("copied 0 records")
            && again.contains(&format!("({records} already present)")),
        "{again}"
    );
    assert_eq!(target.stored_records(), records);
    // And back to a new SQLite file.
    let back = target.root().join("back.db");
    let back = back.to_str().expect("a UTF-8 path");
    let copied = target.ok(
        "2026-11-23",
        &["journal", "copy", "--from", &url, "--to", back],
    );
    assert!(
        copied.contains(&format!("copied {records} records")),
        "{copied}"
    );
    assert_eq!(
        target.ok("2026-11-23", &["journal", "export", "--journal", back]),
        original
    );
    // Every store shows the same plan and the same overdue work.
    for args in [
        &["due", "--format", "json"][..],
        &["week", "--format", "json"],
        &["overdue", "--format", "json"],
    ] {
        let from_sqlite = source.ok("2026-11-23", args);
        let mut with_back = args.to_vec();
        with_back.extend(["--journal", back]);
        assert_eq!(
            target.ok("2026-11-23", args),
            from_sqlite,
            "{args:?} on PostgreSQL"
        );
        assert_eq!(
            target.ok("2026-11-23", &with_back),
            from_sqlite,
            "{args:?} after the round trip"
        );
    }
    // The settlement copied over is enforced by PostgreSQL: 2026-11-20, a Friday, is in the
    // window of Monday 2026-11-16, done on that Friday in the SQLite journal.
    let message = target.fails(
        "2026-11-23",
        &["done", "secure-score-report", "--date", "2026-11-20"],
        1,
    );
    assert!(message.contains("already done"), "{message}");
    // Copying a journal onto itself is refused.
    let message = target.fails(
        "2026-11-23",
        &["journal", "copy", "--from", &url, "--to", &url],
        1,
    );
    assert!(message.contains("same journal"), "{message}");
    assert!(
        !message.contains("socctl-test"),
        "shows the password: {message}"
    );
    // A missing source is an error, not an empty copy.
    let missing = target.root().join("missing.db");
    let message = target.fails(
        "2026-11-23",
        &[
            "journal",
            "copy",
            "--from",
            missing.to_str().expect("UTF-8"),
            "--to",
            &url,
        ],
        1,
    );
    assert!(message.contains("missing.db"), "{message}");
}

#[test]
#[ignore = "needs PostgreSQL: run scripts/test"]
fn text_postgresql_cannot_hold_is_refused_and_nothing_is_written() {
    let database = database();
    let j = Journaled::on(database);
    j.ok("2026-11-23", &["done", "secure-score-report"]);
    let lines = [
        record_line(&crate::support::uuid_for("fine-1"), "update-escalation-tickets", "2026-11-20", "a"),
        json!({"id": crate::support::uuid_for("nul-1"), "task": "update-escalation-tickets", "occurrence": "2026-11-21",
               "action": "done", "on": "2026-11-21", "by": "b", "recorded_at": "2026-11-21T08:00:00Z",
               "note": "before\u{0}after"})
        .to_string(),
    ];
    let file = j.env.write("nul.jsonl", lines.join("\n") + "\n");
    let message = j.fails(
        "2026-11-23",
        &["journal", "import", file.to_str().expect("UTF-8")],
        1,
    );
    assert!(message.contains("NUL"), "{message}");
    assert!(
        message.contains("nothing was written") || message.contains("nothing was imported"),
        "{message}"
    );
    assert_eq!(j.stored_records(), 1, "a refused import wrote records");
    // Quotes, backslashes, SQL and JSON escapes come back byte for byte.
    let hostile = [
        r#"He said "ship it" \ and left, 'twice'"#,
        r"C:\Users\soc\new\table.txt \\server\share",
        "'; DROP TABLE socctl.records; --",
        "\\N \\. end-of-COPY markers and a tab\there",
        "$1 $$ dollar $$ quoting",
    ];
    let mut lines = Vec::new();
    for (n, note) in hostile.iter().enumerate() {
        let mut record: Value = serde_json::from_str(&record_line(
            &crate::support::uuid_for(&format!("hostile-{n}")),
            "track-mdvm-remediation",
            &nth_day(n),
            note,
        ))
        .expect("JSON");
        record["note"] = json!(note);
        record["ref"] = json!(format!("{note}#ref"));
        lines.push(record);
    }
    let text: String = lines.iter().map(|l| l.to_string() + "\n").collect();
    let file = j.env.write("hostile.jsonl", text);
    j.ok(
        "2026-11-23",
        &["journal", "import", file.to_str().expect("UTF-8")],
    );
    let exported: Vec<Value> = j
        .export()
        .iter()
        .map(|line| serde_json::from_str(line).expect("JSON"))
        .filter(|r: &Value| r["task"] == "track-mdvm-remediation")
        .collect();
    assert_eq!(exported.len(), hostile.len());
    for record in &lines {
        assert!(
            exported.contains(record),
            "{record} did not come back exactly"
        );
    }
}

#[test]
#[ignore = "needs PostgreSQL: run scripts/test"]
fn tls_verify_full_checks_the_certificate_and_the_host_name() {
    require(&[Tool::PostgresServer, Tool::OpenSsl]);
    let cluster = PrivateCluster::start("tls", true).expect("a private cluster with TLS");
    let server = Server::at(&cluster.url);
    let database = server.database();
    let port = cluster.port();
    let ca = cluster.ca();
    let ca = ca.to_str().expect("a UTF-8 path");
    let name = database.name.clone();
    let j = Journaled::on(database);
    let url = |host: &str, query: &str| {
        format!("postgres://socctl:socctl-test@{host}:{port}/{name}?{query}")
    };
    let run = |url: &str, args: &[&str]| {
        j.std_cmd("2026-11-23")
            .env("SOCCTL_JOURNAL", url)
            .args(args)
            .output()
            .expect("running socctl")
    };
    // The certificate names `localhost` and is signed by the test CA: verify-full passes.
    let good = url(
        "localhost",
        &format!("sslmode=verify-full&sslrootcert={ca}"),
    );
    let output = run(&good, &["done", "secure-score-report"]);
    assert!(output.status.success(), "{}", stderr(&output));
    // The same certificate reached as 127.0.0.1 does not name that host: refused (which
    // also shows the connection is TLS: a plain one has no certificate to refuse).
    let wrong_host = url(
        "127.0.0.1",
        &format!("sslmode=verify-full&sslrootcert={ca}"),
    );
    let output = run(&wrong_host, &["done", "track-mdvm-remediation"]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(
        message.contains("TLS") || message.contains("certificate"),
        "{message}"
    );
    // Without the private CA (public roots only) the chain is not trusted.
    let no_ca = url("localhost", "sslmode=verify-full");
    let output = run(&no_ca, &["done", "track-mdvm-remediation"]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(
        message.contains("TLS") || message.contains("certificate"),
        "{message}"
    );
    // verify-ca checks the chain only; require encrypts without checking.
    let output = run(
        &url("127.0.0.1", &format!("sslmode=verify-ca&sslrootcert={ca}")),
        &["history"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let output = run(&url("127.0.0.1", "sslmode=require"), &["history"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(j.stored_records(), 1);
}

#[test]
#[ignore = "needs PostgreSQL: run scripts/test"]
fn a_statement_blocked_past_the_statement_time_out_is_a_clear_error() {
    let database = database();
    let url = format!("{}?options=-c%20statement_timeout%3D1s", database.url);
    let j = Journaled::on(database);
    j.ok("2026-11-23", &["done", "secure-score-report"]);
    // Another session holds the records table: socctl's read waits, then is cancelled.
    let mut holder = j.database.as_ref().expect("a database").connect();
    let mut transaction = holder.transaction().expect("a transaction");
    transaction
        .batch_execute("LOCK TABLE socctl.records IN ACCESS EXCLUSIVE MODE")
        .expect("locking the records");
    let started = Instant::now();
    let output = output_within(
        j.std_cmd("2026-11-23")
            .env("SOCCTL_JOURNAL", &url)
            .args(["done", "track-mdvm-remediation"]),
        Duration::from_secs(30),
    );
    let elapsed = started.elapsed();
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(
        message.contains("ran too long") && message.contains("127.0.0.1"),
        "{message}"
    );
    assert!(
        elapsed >= Duration::from_secs(1) && elapsed < Duration::from_secs(10),
        "gave up after {elapsed:?}"
    );
    transaction.rollback().expect("releasing the lock");
    assert_eq!(
        j.stored_records(),
        1,
        "the cancelled command wrote a record"
    );
    // With the lock gone, the same command works.
    let output = j
        .std_cmd("2026-11-23")
        .env("SOCCTL_JOURNAL", &url)
        .args(["done", "track-mdvm-remediation"])
        .output()
        .expect("running socctl");
    assert!(output.status.success(), "{}", stderr(&output));
}

/// The helper that gives every test its own database edits URLs correctly.
#[test]
fn the_database_of_a_url_is_replaced() {
    use postgres::with_database;
    assert_eq!(
        with_database("postgres://u:p@127.0.0.1:5/postgres", "t1"),
        "postgres://u:p@127.0.0.1:5/t1"
    );
    assert_eq!(
        with_database("postgres://u@h:5/postgres?sslmode=disable", "t1"),
        "postgres://u@h:5/t1?sslmode=disable"
    );
    assert_eq!(with_database("postgres://h", "t1"), "postgres://h/t1");
}

/// A PostgreSQL journal of schema 1, with a retraction made twice by the race of old: the
/// first recording command upgrades it to schema 2 (teams, per-team settlements, one
/// retraction per record), and its records mean every team.
#[test]
#[ignore = "needs PostgreSQL: run scripts/test"]
fn a_schema_1_journal_is_upgraded_and_read_as_before() {
    let database = database();
    let j = Journaled::on(database);
    let records = super::env::schema_1_records();
    {
        let mut client = j.database.as_ref().expect("a database").connect();
        client
            .batch_execute(&format!(
                "CREATE SCHEMA socctl;
                 CREATE TABLE socctl.schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
                 {}
                 INSERT INTO socctl.schema_migrations (version) VALUES (1);
                 INSERT INTO socctl.meta (key, value) VALUES ('created_on', '2026-11-16');",
                include_str!("../../src/journal/migrations/postgres/0001_records.sql")
            ))
            .expect("schema 1");
        let insert = "INSERT INTO socctl.records (id, task, occurrence, action, happened_on, by_whom, recorded_at, undoes)
                      VALUES ($1, 'update-escalation-tickets', $2::text::date, $3, $2::text::date, 'old', $4, $5)";
        for (id, occurrence, action, at, undoes) in &records {
            client
                .execute(insert, &[id, occurrence, action, at, undoes])
                .expect("a schema 1 record");
        }
        client
            .execute(
                "INSERT INTO socctl.settlements (task, occurrence, kind, record_id) VALUES ('update-escalation-tickets', '2026-11-23', 'settled', $1)",
                &[&records[3].0],
            )
            .expect("its settlement");
    }
    super::env::assert_schema_1_upgraded(&j);
    // The old record of every team still holds the settlement: a team's own is refused.
    let message = j.fails(
        "2026-11-23",
        &["done", "update-escalation-tickets", "--team", "csirt"],
        1,
    );
    assert!(
        message.contains("is already done for all teams"),
        "{message}"
    );
}
