//! The journal under stress: concurrent writers, a writer killed mid-import, and files
//! that are not (usable) journals. Each failure must exit 1 with a clear message and leave
//! the file byte-for-byte as it was.

use std::collections::HashSet;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Barrier;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use serde_json::json;

use super::env::{Journaled, args, day};

/// Runs `PRAGMA integrity_check` and counts the records, straight through SQLite.
pub(super) fn inspect(journal: &Path) -> (String, usize) {
    let connection = rusqlite::Connection::open(journal).expect("opening the journal");
    let integrity: String = connection
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .expect("integrity_check");
    let count: i64 = connection
        .query_row("SELECT count(*) FROM records", [], |row| row.get(0))
        .expect("counting records");
    (integrity, usize::try_from(count).expect("a count"))
}

/// One `done` record as an export line, with a chosen id.
pub(super) fn record_line(
    id: &str,
    task: &str,
    occurrence: &str,
    by: &str,
    recorded_at: &str,
) -> String {
    json!({"id": id, "task": task, "occurrence": occurrence, "action": "done",
           "on": occurrence, "by": by, "recorded_at": recorded_at})
    .to_string()
}

#[test]
fn two_processes_recording_500_each_at_once_lose_nothing() {
    const BATCHES: usize = 50;
    const PER_BATCH: usize = 10;
    let j = Journaled::shipped();
    let tasks = ["update-escalation-tickets", "track-mdvm-remediation"];
    let first_day = day("2025-01-01");
    let first_moment: Timestamp = "2026-11-23T08:00:00Z".parse().expect("a time");
    // Writer w's record n: its own id, its own task, occurrence n days after 2025-01-01.
    let mut expected = HashSet::new();
    let mut batches = vec![Vec::new(), Vec::new()];
    for (writer, task) in tasks.iter().enumerate() {
        for batch in 0..BATCHES {
            let mut lines = String::new();
            for n in batch * PER_BATCH..(batch + 1) * PER_BATCH {
                let id = crate::support::uuid_for(&format!("writer{writer}-{n:03}"));
                let offset = i64::try_from(n).expect("small");
                let occurrence = first_day
                    .checked_add(jiff::Span::new().days(offset))
                    .expect("a date");
                let moment = first_moment
                    .checked_add(jiff::Span::new().seconds(offset))
                    .expect("a time");
                lines.push_str(&record_line(
                    &id,
                    task,
                    &occurrence.to_string(),
                    &format!("writer-{writer}"),
                    &moment.to_string(),
                ));
                lines.push('\n');
                expected.insert(id);
            }
            batches[writer].push(j.env.write(&format!("w{writer}-{batch:02}.jsonl"), lines));
        }
    }
    assert_eq!(expected.len(), 1000);
    // Both writers start together on a journal that does not exist yet, so they also race
    // to create it.
    j.import_concurrently(&batches, PER_BATCH);
    assert_eq!(j.export().len(), 1000);
    assert_eq!(j.exported_ids(), expected, "missing or duplicated records");
    assert_eq!(j.record_count(), 1000);
    assert_eq!(j.stored_records(), 1000);
}

#[test]
fn two_processes_recording_with_done_at_once_lose_nothing() {
    const DAYS: usize = 25;
    let j = Journaled::shipped();
    j.ok("2026-11-23", &["done", "secure-score-report"]);
    let dates = super::env::every(1, "2026-10-01", "2026-10-25");
    assert_eq!(dates.len(), DAYS);
    let start = Barrier::new(2);
    std::thread::scope(|scope| {
        for task in ["update-escalation-tickets", "track-mdvm-remediation"] {
            let (j, start, dates) = (&j, &start, &dates);
            scope.spawn(move || {
                start.wait();
                for date in dates {
                    j.ok("2026-11-23", &["done", task, "--all-teams", "--date", date]);
                }
            });
        }
    });
    assert_eq!(j.record_count(), 1 + 2 * DAYS);
    for task in ["update-escalation-tickets", "track-mdvm-remediation"] {
        let history = j.history("2026-11-23", &["--task", task]);
        let mut occurrences: Vec<&str> = history
            .iter()
            .map(|r| r["occurrence"].as_str().expect("a date"))
            .collect();
        occurrences.sort_unstable();
        assert_eq!(
            occurrences,
            dates.iter().map(String::as_str).collect::<Vec<_>>()
        );
    }
}

#[test]
fn concurrent_dones_of_one_occurrence_record_it_once() {
    const WRITERS: usize = 6;
    let j = Journaled::shipped();
    // Started together on a journal that does not exist yet.
    let commands: Vec<Vec<String>> = (0..WRITERS)
        .map(|writer| {
            let by = format!("writer-{writer}");
            args(&[
                "done",
                "update-escalation-tickets",
                "--all-teams",
                "--by",
                &by,
            ])
        })
        .collect();
    let outputs = j.race("2026-11-23", &commands);
    let succeeded = outputs.iter().filter(|o| o.status.success()).count();
    assert_eq!(succeeded, 1, "{outputs:#?}");
    for output in outputs.iter().filter(|o| !o.status.success()) {
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains("already done"), "{stderr}");
    }
    let history = j.history("2026-11-23", &[]);
    assert_eq!(history.len(), 1, "{history:?}");
}

/// Writes `count` records with ids standing for `bulk{attempt}-…` to `path`, each for an
/// occurrence of its own (a second `done` of one occurrence is refused), attempts apart.
fn write_bulk(path: &Path, attempt: usize, count: usize) {
    let mut out = BufWriter::new(fs::File::create(path).expect("creating the bulk file"));
    let first = day("1000-01-01");
    for n in 0..count {
        let offset = i64::try_from(attempt * 250_000 + n).expect("small");
        let occurrence = first
            .checked_add(jiff::Span::new().days(offset))
            .expect("a date");
        let id = crate::support::uuid_for(&format!("bulk{attempt}-{n:06}"));
        writeln!(
            out,
            r#"{{"id":"{id}","task":"update-escalation-tickets","occurrence":"{occurrence}","action":"done","on":"{occurrence}","by":"bulk","recorded_at":"2026-11-23T08:00:00Z"}}"#
        )
        .expect("writing the bulk file");
    }
    out.flush().expect("writing the bulk file");
}

#[cfg(unix)]
#[test]
fn an_import_killed_midway_leaves_all_or_nothing() {
    use std::os::unix::process::ExitStatusExt;
    const BULK: usize = 200_000;
    // Once the write-ahead log holds this much, the import's transaction is under way (a
    // whole import of BULK records writes about 45 MB of it before committing).
    const MID_WRITE: u64 = 4 << 20;
    let j = Journaled::shipped();
    j.ok(
        "2026-11-23",
        &["done", "update-escalation-tickets", "--all-teams"],
    );
    j.ok("2026-11-23", &["done", "track-mdvm-remediation"]);
    let mut previous = j.record_count();
    assert_eq!(previous, 2);
    let wal = j.root().join("journal.db-wal");
    // Attempt 0 kills the import while it writes; attempt 1 kills it after 200 ms, which
    // is usually while it reads its file. Finishing before the kill is "all" and valid.
    for attempt in 0..2 {
        let file = j.root().join(format!("bulk-{attempt}.jsonl"));
        write_bulk(&file, attempt, BULK);
        let mut child = j
            .std_cmd("2026-11-23")
            .args(["journal", "import"])
            .arg(&file)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("running socctl");
        let started = Instant::now();
        if attempt == 0 {
            while child.try_wait().expect("polling socctl").is_none()
                && fs::metadata(&wal).map_or(0, |m| m.len()) < MID_WRITE
                && started.elapsed() < Duration::from_secs(120)
            {
                std::thread::sleep(Duration::from_millis(5));
            }
        } else {
            std::thread::sleep(Duration::from_millis(200));
        }
        // SIGKILL; an error only means it has already exited.
        let _ = child.kill();
        let status = child.wait().expect("waiting for socctl");
        let killed = status.signal() == Some(9);
        assert!(killed || status.success(), "{status:?}");
        // socctl opens the journal after the crash and sees all or nothing.
        let count = j.record_count();
        assert!(
            count == previous || count == previous + BULK,
            "attempt {attempt}: {count} records, expected {previous} or {}",
            previous + BULK
        );
        if !killed {
            assert_eq!(count, previous + BULK, "a finished import lost records");
        }
        assert_eq!(inspect(&j.journal()), ("ok".to_owned(), count));
        eprintln!(
            "attempt {attempt}: {} after {:?}, {count} records",
            if killed { "killed" } else { "finished" },
            started.elapsed()
        );
        previous = count;
        fs::remove_file(&file).expect("removing the bulk file");
    }
    // The journal is still writable.
    j.ok("2026-11-23", &["done", "secure-score-report"]);
    assert_eq!(j.record_count(), previous + 1);
}

/// Runs every command that opens the journal against `journal`, expecting each to fail
/// with exit 1 and a message containing `message`, and the directory holding it to be left
/// exactly as it was.
fn assert_refused_untouched(j: &Journaled, journal: &Path, message: &str) {
    let directory = journal.parent().expect("a directory");
    let snapshot = || -> Vec<(PathBuf, Vec<u8>)> {
        let mut files: Vec<_> = fs::read_dir(directory)
            .expect("listing")
            .map(|entry| {
                let path = entry.expect("an entry").path();
                let bytes = fs::read(&path).expect("reading");
                (path, bytes)
            })
            .collect();
        files.sort();
        files
    };
    let before = snapshot();
    let import = j.env.write(
        "one.jsonl",
        record_line(
            &crate::support::uuid_for("one"),
            "update-escalation-tickets",
            "2026-11-20",
            "a",
            "2026-11-23T08:00:00Z",
        ) + "\n",
    );
    let import = import.to_str().expect("a UTF-8 path");
    let commands: [&[&str]; 13] = [
        &["done", "update-escalation-tickets", "--all-teams"],
        &[
            "skip",
            "update-escalation-tickets",
            "--all-teams",
            "--reason",
            "x",
        ],
        &["undo", "update-escalation-tickets", "--all-teams"],
        &[
            "trigger",
            "ir-tabletop-exercise",
            "--all-teams",
            "--reason",
            "x",
        ],
        &["due"],
        &["week"],
        &["overdue"],
        &["overdue", "--exit-code"],
        &["history"],
        &["journal", "info"],
        &["journal", "export"],
        &["journal", "import", import],
        &["due", "--format", "json"],
    ];
    let path = journal.to_str().expect("a UTF-8 path");
    for args in commands {
        let mut all = vec!["--journal", path];
        all.extend(args);
        let stderr = j.fails("2026-11-23", &all, 1);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(stderr.contains(path), "names the file: {stderr}");
        assert_eq!(
            snapshot(),
            before,
            "{args:?} changed {}",
            directory.display()
        );
    }
}

#[test]
fn a_file_that_is_not_a_database_is_refused_and_left_unchanged() {
    let j = Journaled::shipped();
    let journal = j.root().join("bad").join("journal.db");
    fs::create_dir_all(journal.parent().expect("a directory")).expect("mkdir");
    fs::write(&journal, "not a database, just text\n".repeat(40)).expect("writing");
    assert_refused_untouched(&j, &journal, "is not a socctl journal");
}

#[test]
fn another_programs_database_is_refused_and_left_unchanged() {
    let j = Journaled::shipped();
    let journal = j.root().join("other").join("journal.db");
    fs::create_dir_all(journal.parent().expect("a directory")).expect("mkdir");
    let connection = rusqlite::Connection::open(&journal).expect("creating");
    connection
        .execute_batch("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('mine');")
        .expect("a table");
    drop(connection);
    assert_refused_untouched(&j, &journal, "is not a socctl journal");
}

#[test]
fn a_journal_of_a_newer_schema_is_refused_and_left_unchanged() {
    let j = Journaled::shipped();
    let journal = j.root().join("newer").join("journal.db");
    fs::create_dir_all(journal.parent().expect("a directory")).expect("mkdir");
    let connection = rusqlite::Connection::open(&journal).expect("creating");
    connection
        .execute_batch(
            "CREATE TABLE records (id TEXT PRIMARY KEY, task TEXT, occurrence TEXT, action TEXT,
                                   happened_on TEXT, by_whom TEXT, recorded_at TEXT, note TEXT,
                                   reference TEXT, undoes TEXT, colour TEXT);
             CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
             INSERT INTO meta VALUES ('created_on', '2026-01-01');
             PRAGMA user_version = 99;",
        )
        .expect("a newer journal");
    drop(connection);
    assert_refused_untouched(&j, &journal, "schema 99");
}

#[test]
fn a_journal_in_a_missing_directory_is_a_clear_error() {
    let j = Journaled::shipped();
    let missing = j.root().join("missing");
    let journal = missing.join("dir").join("journal.db");
    let path = journal.to_str().expect("a UTF-8 path");
    for args in [
        &[
            "--journal",
            path,
            "done",
            "update-escalation-tickets",
            "--all-teams",
        ][..],
        &[
            "--journal",
            path,
            "skip",
            "track-mdvm-remediation",
            "--reason",
            "x",
        ],
        &["--journal", path, "journal", "import", "-"],
    ] {
        let stderr = j.fails("2026-11-23", args, 1);
        assert!(stderr.contains("does not exist"), "{args:?}: {stderr}");
        assert!(stderr.contains(path), "{args:?}: {stderr}");
    }
    // The same through SOCCTL_JOURNAL.
    let output = j
        .std_cmd("2026-11-23")
        .env("SOCCTL_JOURNAL", &journal)
        .args(["done", "update-escalation-tickets", "--all-teams"])
        .output()
        .expect("running socctl");
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(
        !missing.exists(),
        "an explicit journal path's directory was created"
    );
    // Reading from there is fine: there is simply no journal.
    j.ok("2026-11-23", &["--journal", path, "due"]);
    // Monitoring cannot tell whether anything is overdue there: not 0 (issue 11 §7).
    let stderr = j.fails(
        "2026-11-23",
        &["--journal", path, "overdue", "--exit-code"],
        1,
    );
    assert!(stderr.contains("cannot tell"), "{stderr}");
    assert!(!missing.exists());
}

/// `command` unable to write a file whose mode forbids it: as it is, or, when the tests
/// run as root (whom file modes do not bind), through util-linux's `setpriv` without the
/// capability that lets root ignore them (CAP_DAC_OVERRIDE).
#[cfg(unix)]
pub(super) fn bound_by_file_modes(command: &std::process::Command) -> std::process::Command {
    let mut bound = if rustix::process::geteuid().is_root() {
        let mut setpriv = std::process::Command::new("setpriv");
        setpriv
            .args([
                "--bounding-set=-dac_override",
                "--inh-caps=-dac_override",
                "--",
            ])
            .arg(command.get_program());
        setpriv
    } else {
        std::process::Command::new(command.get_program())
    };
    bound.env_clear().args(command.get_args());
    for (key, value) in command.get_envs() {
        if let Some(value) = value {
            bound.env(key, value);
        }
    }
    if let Some(dir) = command.get_current_dir() {
        bound.current_dir(dir);
    }
    bound
}

/// Runs `socctl args…` on 2026-11-23, unable to write a read-only file.
#[cfg(unix)]
fn run_read_only(j: &Journaled, args: &[&str]) -> std::process::Output {
    let mut command = j.std_cmd("2026-11-23");
    command.args(args);
    bound_by_file_modes(&command)
        .output()
        .expect("running socctl")
}

/// [`run_read_only`], expecting exit 1; returns stderr.
#[cfg(unix)]
fn fails_read_only(j: &Journaled, args: &[&str]) -> String {
    let output = run_read_only(j, args);
    assert_eq!(
        output.status.code(),
        Some(1),
        "socctl {args:?}\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stderr).expect("UTF-8 error output")
}

#[cfg(unix)]
#[test]
fn a_read_only_journal_is_refused_for_writing_and_left_unchanged() {
    use std::os::unix::fs::PermissionsExt;
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
    let before = fs::read(&journal).expect("reading the journal");
    fs::set_permissions(&journal, fs::Permissions::from_mode(0o444)).expect("chmod");
    // The file really is unwritable for the commands below.
    let mut probe = std::process::Command::new("sh");
    probe.args(["-c", ": >>\"$0\""]).arg(&journal);
    let probed = bound_by_file_modes(&probe).output().expect("running sh");
    assert!(
        !probed.status.success(),
        "{} is still writable, so this test would check nothing",
        journal.display()
    );
    for args in [
        &["done", "track-mdvm-remediation"][..],
        &["skip", "track-mdvm-remediation", "--reason", "x"],
        &["undo", "update-escalation-tickets", "--all-teams"],
        &[
            "trigger",
            "ir-tabletop-exercise",
            "--all-teams",
            "--reason",
            "x",
        ],
    ] {
        let stderr = fails_read_only(&j, args);
        assert!(
            stderr.contains("cannot write the journal") && stderr.contains("read-only"),
            "{args:?}: {stderr}"
        );
        assert!(
            stderr.contains(journal.to_str().expect("UTF-8")),
            "{stderr}"
        );
        assert_eq!(fs::read(&journal).expect("reading"), before, "{args:?}");
    }
    let import = j.env.write(
        "one.jsonl",
        record_line(
            &crate::support::uuid_for("one"),
            "track-mdvm-remediation",
            "2026-11-20",
            "a",
            "2026-11-23T08:00:00Z",
        ) + "\n",
    );
    let stderr = fails_read_only(&j, &["journal", "import", import.to_str().expect("UTF-8")]);
    assert!(stderr.contains("cannot write the journal"), "{stderr}");
    // Reading still works.
    let read = |args: &[&str]| -> serde_json::Value {
        let output = run_read_only(&j, args);
        assert!(output.status.success(), "{args:?}: {output:?}");
        serde_json::from_slice(&output.stdout).expect("JSON")
    };
    let due = read(&["due", "--format", "json"]);
    let tickets = super::env::of_task(&due, "update-escalation-tickets");
    assert_eq!(tickets[0]["done_by"], "alice");
    let history = read(&["history", "--format", "json"]);
    assert_eq!(history.as_array().map(Vec::len), Some(1), "{history}");
    assert_eq!(fs::read(&journal).expect("reading"), before);
}

on_postgres! {
    two_processes_recording_500_each_at_once_lose_nothing,
    two_processes_recording_with_done_at_once_lose_nothing,
    concurrent_dones_of_one_occurrence_record_it_once,
}

/// A journal of schema 1 (before records named teams), with a retraction made twice by
/// the race of old: the first recording command upgrades it to schema 2, its records mean
/// every team, and the record retracted twice stays retracted once.
#[test]
fn a_schema_1_journal_is_upgraded_and_read_as_before() {
    let j = Journaled::shipped();
    let journal = j.journal();
    {
        let connection = rusqlite::Connection::open(&journal).expect("creating");
        connection
            .execute_batch(include_str!(
                "../../src/journal/migrations/0001_records.sql"
            ))
            .expect("schema 1");
        connection
            .execute_batch(
                "PRAGMA user_version = 1;
                 INSERT INTO meta (key, value) VALUES ('created_on', '2026-11-16');",
            )
            .expect("schema 1");
        let insert = "INSERT INTO records (id, task, occurrence, action, happened_on, by_whom, recorded_at, undoes)
                      VALUES (?1, 'update-escalation-tickets', ?2, ?3, ?2, 'old', ?4, ?5)";
        for (id, occurrence, action, at, undoes) in super::env::schema_1_records() {
            connection
                .execute(
                    insert,
                    rusqlite::params![id, occurrence, action, at, undoes],
                )
                .expect("a schema 1 record");
        }
    }
    super::env::assert_schema_1_upgraded(&j);
}
