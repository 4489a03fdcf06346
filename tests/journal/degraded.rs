//! When the journal cannot be read, the checklist still goes out: with the SQLite file
//! locked past its busy time-out, or PostgreSQL on a port nobody listens on, `due`,
//! `week` and `plan` print the checklist without statuses, warn in one line on standard
//! error (and at the top of a `--format email` body), and exit 4, neither success nor
//! failure, so monitoring sees the fault. Commands that write still fail (exit 1).
//! On PostgreSQL a lock shows as a statement cancelled at its time-out (`options=-c
//! statement_timeout=…` in the URL sets it). `socctl mail` in the same situation is tested
//! against an SMTP server in `tests/mail_smtp.rs`.

use std::path::Path;
use std::process::Output;

use mail_parser::MessageParser;

use super::env::{Journaled, of_task};

/// Exit status of a checklist written without its journal (`Exit::Degraded`).
const DEGRADED: i32 = 4;

/// The checklists that must still go out, as arguments.
const CHECKLISTS: [&[&str]; 6] = [
    &["due"],
    &["due", "--format", "json"],
    &["week"],
    &["week", "--format", "json"],
    &[
        "plan",
        "--from",
        "2026-11-23",
        "--to",
        "2026-11-29",
        "--format",
        "json",
    ],
    &["due", "--team", "monitoring", "--format", "email"],
];

/// Runs `socctl args…` on 2026-11-23 with the journal at `journal`.
fn run_with(j: &Journaled, journal: &std::ffi::OsStr, args: &[&str]) -> Output {
    j.std_cmd("2026-11-23")
        .env("SOCCTL_JOURNAL", journal)
        .env("SOCCTL_MAIL_FROM", "socctl@example.org")
        .args(args)
        .output()
        .expect("running socctl")
}

/// The text part of a message, its lines joined with spaces (the text part wraps).
fn text_part(raw: &[u8]) -> (String, String) {
    let message = MessageParser::default()
        .parse(raw)
        .unwrap_or_else(|| panic!("not a message:\n{}", String::from_utf8_lossy(raw)));
    let text = message.body_text(0).expect("a text part");
    let html = message.body_html(0).expect("an HTML part");
    (
        text.split_whitespace().collect::<Vec<_>>().join(" "),
        html.into_owned(),
    )
}

/// Runs every checklist with the journal at `journal`, which cannot be read: each must
/// print what it prints without any journal, warn once on standard error with `reason`,
/// and exit 4. Runs them at once (a lock makes each wait out the time-out).
fn assert_degraded(j: &Journaled, journal: &std::ffi::OsStr, reason: &str) {
    let missing = j.root().join("no-journal-here.db");
    assert!(!missing.exists());
    let outputs: Vec<(Output, Output)> = std::thread::scope(|scope| {
        let handles: Vec<_> = CHECKLISTS
            .iter()
            .map(|args| {
                let missing = missing.as_os_str();
                scope.spawn(move || (run_with(j, journal, args), run_with(j, missing, args)))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a thread"))
            .collect()
    });
    for (args, (degraded, untracked)) in CHECKLISTS.iter().zip(outputs) {
        let stderr = String::from_utf8_lossy(&degraded.stderr);
        assert_eq!(
            degraded.status.code(),
            Some(DEGRADED),
            "{args:?}: {stderr}\n{}",
            String::from_utf8_lossy(&degraded.stdout)
        );
        assert!(untracked.status.success(), "{args:?}: {untracked:?}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: one line: {stderr}");
        assert!(
            stderr.starts_with(
                "socctl: warning: the journal could not be read, so this checklist shows no statuses"
            ),
            "{args:?}: {stderr}"
        );
        assert!(stderr.contains(reason), "{args:?}: {stderr}");
        if args.contains(&"email") {
            let (text, html) = text_part(&degraded.stdout);
            let (plain, _) = text_part(&untracked.stdout);
            assert!(
                text.starts_with("Warning: the journal could not be read"),
                "{text}"
            );
            assert!(text.contains(reason), "{text}");
            assert!(
                text.ends_with(&plain),
                "the checklist follows:\n{text}\n{plain}"
            );
            assert!(
                html.contains("<strong>Warning:</strong> the journal could not be read"),
                "{html}"
            );
        } else {
            assert_eq!(
                String::from_utf8_lossy(&degraded.stdout),
                String::from_utf8_lossy(&untracked.stdout),
                "{args:?}: the checklist without statuses"
            );
        }
    }
    // Writing is no checklist: it fails.
    let output = run_with(j, journal, &["done", "secure-score-report"]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
}

#[test]
fn a_journal_locked_past_its_time_out_still_gives_the_checklist() {
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
    let journal = j.journal();
    let due = j.json("2026-11-23", &["due"]);
    assert_eq!(
        of_task(&due, "update-escalation-tickets")[0]["done_by"],
        "alice"
    );
    {
        // Another process holding the journal: a connection that keeps an exclusive lock,
        // which in WAL mode shuts out readers too.
        let holder = rusqlite::Connection::open(&journal).expect("opening the journal");
        holder
            .execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;")
            .expect("locking");
        let count: i64 = holder
            .query_row("SELECT count(*) FROM records", [], |row| row.get(0))
            .expect("reading under the lock");
        assert_eq!(count, 1);
        assert_degraded(
            &j,
            journal.as_os_str(),
            &format!(
                "journal {}: another process has held the journal locked for longer than the 10 s time-out",
                journal.display()
            ),
        );
    }
    // The lock released, statuses are back and the exit is 0.
    let due = j.json("2026-11-23", &["due"]);
    assert_eq!(
        of_task(&due, "update-escalation-tickets")[0]["done_by"],
        "alice"
    );
    assert_eq!(j.record_count(), 1);
}

#[test]
fn an_unreachable_postgresql_still_gives_the_checklist() {
    // A port nobody listens on: bound, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let j = Journaled::shipped();
    let url = format!("postgres://socctl@127.0.0.1:{port}/socctl?connect_timeout=5");
    assert_degraded(&j, std::ffi::OsStr::new(&url), &format!("127.0.0.1:{port}"));
    assert!(!Path::new(&j.journal()).exists());
}

#[test]
#[ignore = "needs PostgreSQL: run scripts/test"]
fn a_postgresql_journal_locked_past_the_statement_time_out_still_gives_the_checklist() {
    let j = Journaled::on(crate::support::postgres::server().database());
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
    let database = j.database.as_ref().expect("a database");
    // Another session holding the records table: every read waits, here for the 2 s
    // statement time-out the URL sets.
    let mut holder = database.connect();
    let mut lock = holder.transaction().expect("a transaction");
    lock.batch_execute("LOCK TABLE socctl.records IN ACCESS EXCLUSIVE MODE")
        .expect("locking the records");
    let separator = if database.url.contains('?') { '&' } else { '?' };
    let url = format!(
        "{}{separator}options=-c%20statement_timeout%3D2s",
        database.url
    );
    assert_degraded(
        &j,
        std::ffi::OsStr::new(&url),
        "cancelled a statement that ran too long",
    );
    lock.rollback().expect("releasing the lock");
    let due = j.json("2026-11-23", &["due"]);
    assert_eq!(
        of_task(&due, "update-escalation-tickets")[0]["done_by"],
        "alice"
    );
}
