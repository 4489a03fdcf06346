//! Where the journal may live: what SQLite would not keep (`:memory:`, a `file:` URI) is
//! refused before anything opens; so is a FIFO, a socket, a device or a directory, at once
//! rather than after a hang; a read-only journal (file, directory or file system) is read
//! but not written, and says "read-only"; a full disk says so and leaves the journal as it
//! was.
//!
//! The tests that need root (mknod, mount) are ignored by plain `cargo test`; run
//! `scripts/test` as root. They fail, rather than pass, when not run as root.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use super::env::{Journaled, of_task};
use super::postgres::output_within;
use super::reliability::{bound_by_file_modes, inspect, record_line};

/// Longer than any refusal takes, shorter than a hang: the guard of every command here.
const HANG_GUARD: Duration = Duration::from_secs(20);

/// Runs `command` (socctl) with no standard input, failing the test if it is still
/// running after [`HANG_GUARD`].
fn run_guarded(mut command: Command) -> Output {
    command.stdin(Stdio::null());
    output_within(&mut command, HANG_GUARD)
}

/// Runs `socctl --journal journal args…` on 2026-11-23 under the hang guard.
fn run_on(j: &Journaled, journal: &Path, args: &[&str]) -> Output {
    let mut command = j.std_cmd("2026-11-23");
    command.arg("--journal").arg(journal).args(args);
    run_guarded(command)
}

/// An import file of `count` records of `track-mdvm-remediation`, ids `{prefix}-…`.
fn import_file(j: &Journaled, prefix: &str, count: usize) -> PathBuf {
    let mut lines = String::new();
    // Each record settles an occurrence of its own (a daily task, one day further back
    // each), with a UUID: what an import takes.
    for n in 0..count {
        let day = super::env::day("2026-11-20")
            .checked_sub(jiff::Span::new().days(i64::try_from(n).expect("small")))
            .expect("a date")
            .to_string();
        lines.push_str(&record_line(
            &crate::support::uuid_for(&format!("{prefix}-{n:05}")),
            "track-mdvm-remediation",
            &day,
            "importer",
            "2026-11-23T08:00:00Z",
        ));
        lines.push('\n');
    }
    j.env.write(&format!("{prefix}.jsonl"), lines)
}

/// The commands that write, with an import file of one record.
fn writers(import: &Path) -> Vec<Vec<String>> {
    let import = import.to_str().expect("a UTF-8 path").to_owned();
    [
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
        &["journal", "import", &import],
    ]
    .iter()
    .map(|args| args.iter().map(|&a| a.to_owned()).collect())
    .collect()
}

/// The commands that only read.
const READERS: [&[&str]; 7] = [
    &["due"],
    &["week", "--format", "json"],
    &["overdue"],
    &["history"],
    &["report"],
    &["journal", "info"],
    &["journal", "export"],
];

/// Every file under `directory` with its bytes, sorted (compared with `assert!`, so that a
/// failure names the command rather than printing the bytes).
fn snapshot(directory: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = fs::read_dir(directory)
        .expect("listing")
        .map(|entry| {
            let path = entry.expect("an entry").path();
            let bytes = if path.is_file() {
                fs::read(&path).expect("reading")
            } else {
                Vec::new()
            };
            (path, bytes)
        })
        .collect();
    files.sort();
    files
}

#[test]
fn what_sqlite_would_not_keep_is_refused_before_anything_opens() {
    let j = Journaled::shipped();
    let import = import_file(&j, "one", 1);
    let import = import.to_str().expect("a UTF-8 path");
    let before = snapshot(&j.env.work());
    for value in [
        ":memory:",
        "file::memory:",
        "file:journal.db?mode=memory&cache=shared",
        "file:journal.db",
    ] {
        for args in [
            &["done", "update-escalation-tickets", "--all-teams"][..],
            &[
                "skip",
                "update-escalation-tickets",
                "--all-teams",
                "--reason",
                "x",
            ],
            &["journal", "import", import],
            &["due"],
            &["journal", "info"],
            &["journal", "export"],
        ] {
            // Through --journal and through SOCCTL_JOURNAL.
            let mut flag = j.std_cmd("2026-11-23");
            flag.arg("--journal").arg(value).args(args);
            let mut variable = j.std_cmd("2026-11-23");
            variable.env("SOCCTL_JOURNAL", value).args(args);
            for command in [flag, variable] {
                let output = run_guarded(command);
                let stderr = String::from_utf8_lossy(&output.stderr);
                assert_eq!(output.status.code(), Some(2), "{value} {args:?}: {stderr}");
                assert!(output.stdout.is_empty(), "{value} {args:?}: {output:?}");
                assert!(
                    stderr.contains(&format!("the journal `{value}` would not keep its records")),
                    "{value} {args:?}: {stderr}"
                );
            }
        }
    }
    // `journal copy` to or from such a place is refused the same way.
    j.ok(
        "2026-11-23",
        &["done", "update-escalation-tickets", "--all-teams"],
    );
    let real = j.location();
    let real = real.to_str().expect("a UTF-8 path");
    for (from, to) in [(real, ":memory:"), (":memory:", real)] {
        let stderr = j.fails(
            "2026-11-23",
            &["journal", "copy", "--from", from, "--to", to],
            2,
        );
        assert!(stderr.contains("would not keep its records"), "{stderr}");
    }
    assert!(snapshot(&j.env.work()) == before, "a file appeared");
    assert_eq!(j.record_count(), 1);
}

#[test]
fn an_empty_journal_variable_counts_as_unset() {
    let j = Journaled::shipped();
    let output = j
        .std_cmd("2026-11-23")
        .env("SOCCTL_JOURNAL", "")
        .args(["done", "update-escalation-tickets", "--all-teams"])
        .output()
        .expect("running socctl");
    assert!(output.status.success(), "{output:?}");
    assert!(j.state().join("socctl").join("journal.db").is_file());
    assert!(!j.journal().exists());
}

/// Runs the writers and readers on `journal`, which is no file: each must fail at once
/// (exit 1) saying `what` it is, and leave `directory` as it was.
fn assert_refused_at_once(j: &Journaled, journal: &Path, what: &str) {
    let directory = journal.parent().expect("a directory");
    let before = snapshot(directory);
    let import = import_file(j, "refused", 1);
    let mut commands = writers(&import);
    commands.extend(
        READERS
            .iter()
            .map(|args| args.iter().map(|&a| a.to_owned()).collect()),
    );
    for args in &commands {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = run_on(j, journal, &args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains(what), "{args:?}: {stderr}");
        assert!(
            stderr.contains(journal.to_str().expect("UTF-8")),
            "{stderr}"
        );
        assert!(
            snapshot(directory) == before,
            "{args:?} changed the directory"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_a_socket_or_a_directory_is_refused_at_once() {
    let j = Journaled::shipped();
    let places = j.root().join("places");
    fs::create_dir(&places).expect("mkdir");
    let fifo = places.join("fifo.db");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    assert_refused_at_once(&j, &fifo, "is a named pipe (FIFO)");

    let socket = places.join("socket.db");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).expect("a socket");
    assert_refused_at_once(&j, &socket, "is a socket");

    let directory = places.join("directory.db");
    fs::create_dir(&directory).expect("mkdir");
    assert_refused_at_once(&j, &directory, "is a directory");

    // A real journal with a FIFO where SQLite keeps its write-ahead log.
    let beside = j.root().join("beside");
    fs::create_dir(&beside).expect("mkdir");
    let journal = beside.join("journal.db");
    let path = journal.to_str().expect("UTF-8");
    j.ok(
        "2026-11-23",
        &[
            "--journal",
            path,
            "done",
            "update-escalation-tickets",
            "--all-teams",
        ],
    );
    let made = Command::new("mkfifo")
        .arg(beside.join("journal.db-wal"))
        .status()
        .expect("mkfifo");
    assert!(made.success());
    assert_refused_at_once(
        &j,
        &journal,
        "journal.db-wal beside it is a named pipe (FIFO)",
    );
}

/// Fails the test unless it runs as root.
#[cfg(unix)]
fn require_root(why: &str) {
    assert!(
        rustix::process::geteuid().is_root(),
        "this test needs root ({why}): run scripts/test as root"
    );
}

#[cfg(unix)]
#[test]
#[ignore = "needs root (mknod): run scripts/test as root"]
fn a_device_is_refused_at_once() {
    require_root("mknod");
    let j = Journaled::shipped();
    let devices = j.root().join("devices");
    fs::create_dir(&devices).expect("mkdir");
    // /dev/null, /dev/zero and the first loop device, made here so that whatever SQLite
    // might create beside them lands in the test's directory.
    for (name, kind, major, minor, what) in [
        ("null.db", "c", "1", "3", "is a character device"),
        ("zero.db", "c", "1", "5", "is a character device"),
        ("loop.db", "b", "7", "0", "is a block device"),
    ] {
        let device = devices.join(name);
        let made = Command::new("mknod")
            .arg(&device)
            .args([kind, major, minor])
            .status()
            .expect("mknod");
        assert!(made.success(), "mknod {name}");
        assert_refused_at_once(&j, &device, what);
    }
}

/// A journal in `directory` holding alice's `done` of update-escalation-tickets.
fn alices_journal(j: &Journaled, directory: &Path) -> PathBuf {
    let journal = directory.join("journal.db");
    let mut command = j.std_cmd("2026-11-23");
    command.arg("--journal").arg(&journal).args([
        "done",
        "update-escalation-tickets",
        "--all-teams",
        "--by",
        "alice",
    ]);
    let output = run_guarded(command);
    assert!(output.status.success(), "{output:?}");
    journal
}

/// Runs `socctl --journal journal args…` unable to write what file modes forbid.
#[cfg(unix)]
fn run_bound(j: &Journaled, journal: &Path, args: &[&str]) -> Output {
    let mut command = j.std_cmd("2026-11-23");
    command.arg("--journal").arg(journal).args(args);
    run_guarded(bound_by_file_modes(&command))
}

/// With `journal` (holding alice's `done` of update-escalation-tickets and nothing else)
/// read-only because of `why`: every reader works and shows the record, every writer
/// fails saying "read-only" and `why`, and the journal is left byte for byte as it was.
#[cfg(unix)]
fn assert_read_only(j: &Journaled, journal: &Path, why: &str, run: impl Fn(&[&str]) -> Output) {
    let before = fs::read(journal).expect("reading the journal");
    let unchanged = |after: &str| {
        assert!(
            fs::read(journal).expect("reading the journal") == before,
            "{after} changed the journal"
        );
    };
    let import = import_file(j, "ro", 1);
    for args in writers(&import) {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = run(&args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("cannot write the journal") && stderr.contains("read-only"),
            "{args:?}: {stderr}"
        );
        assert!(stderr.contains(why), "{args:?}: {stderr}");
        assert!(!stderr.contains("not a socctl journal"), "{stderr}");
        unchanged(&format!("{args:?}"));
    }
    let ok = |args: &[&str]| -> String {
        let output = run(args);
        assert!(output.status.success(), "{args:?}: {output:?}");
        String::from_utf8(output.stdout).expect("UTF-8")
    };
    for args in READERS {
        ok(args);
    }
    let due: serde_json::Value =
        serde_json::from_str(&ok(&["due", "--format", "json"])).expect("JSON");
    assert_eq!(
        of_task(&due, "update-escalation-tickets")[0]["done_by"],
        "alice"
    );
    let export = ok(&["journal", "export"]);
    let records: Vec<serde_json::Value> = export
        .lines()
        .skip(1)
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect();
    assert_eq!(records.len(), 1, "{export}");
    assert_eq!(records[0]["by"], "alice");
    assert!(ok(&["journal", "info"]).contains("records: 1"));
    unchanged("a reader");
}

#[cfg(unix)]
#[test]
fn a_journal_in_a_read_only_directory_is_read_but_not_written() {
    use std::os::unix::fs::PermissionsExt;
    let j = Journaled::shipped();
    let directory = j.root().join("read-only");
    fs::create_dir(&directory).expect("mkdir");
    let journal = alices_journal(&j, &directory);
    fs::set_permissions(&directory, fs::Permissions::from_mode(0o555)).expect("chmod");
    // The directory really is unwritable for the commands below.
    let mut probe = Command::new("sh");
    probe.args(["-c", ": >\"$0/probe\""]).arg(&directory);
    let probed = bound_by_file_modes(&probe).output().expect("running sh");
    assert!(
        !probed.status.success(),
        "{} is still writable, so this test would check nothing",
        directory.display()
    );
    assert_read_only(
        &j,
        &journal,
        &format!("may not write its directory {}", directory.display()),
        |args| run_bound(&j, &journal, args),
    );
    fs::set_permissions(&directory, fs::Permissions::from_mode(0o755)).expect("chmod");
}

#[cfg(unix)]
#[test]
fn a_read_only_journal_file_is_read_but_not_written() {
    use std::os::unix::fs::PermissionsExt;
    let j = Journaled::shipped();
    let directory = j.root().join("file");
    fs::create_dir(&directory).expect("mkdir");
    let journal = alices_journal(&j, &directory);
    fs::set_permissions(&journal, fs::Permissions::from_mode(0o444)).expect("chmod");
    assert_read_only(
        &j,
        &journal,
        "the file's permissions do not let this user write it",
        |args| run_bound(&j, &journal, args),
    );
}

/// A tmpfs mounted for a test, unmounted when dropped.
#[cfg(unix)]
struct Mounted(PathBuf);

#[cfg(unix)]
impl Mounted {
    /// Mounts a tmpfs with `options` (e.g. `size=256k`) at `at`.
    fn tmpfs(at: &Path, options: &str) -> Self {
        fs::create_dir_all(at).expect("mkdir");
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", options, "socctl-test"])
            .arg(at)
            .status()
            .expect("mount");
        assert!(
            status.success(),
            "mount -t tmpfs -o {options} at {}",
            at.display()
        );
        Self(at.to_owned())
    }

    fn remount(&self, options: &str) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,{options}")])
            .arg(&self.0)
            .status()
            .expect("mount");
        assert!(status.success(), "mount -o remount,{options}");
    }
}

#[cfg(unix)]
impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

#[cfg(unix)]
#[test]
#[ignore = "needs root (mount): run scripts/test as root"]
fn a_journal_on_a_read_only_file_system_is_read_but_not_written() {
    require_root("mount");
    let j = Journaled::shipped();
    let mount = Mounted::tmpfs(&j.root().join("rofs"), "size=1m");
    let journal = alices_journal(&j, &mount.0);
    mount.remount("ro");
    // Root too is bound by a read-only file system: no need to drop capabilities.
    assert_read_only(&j, &journal, "on a read-only file system", |args| {
        run_on(&j, &journal, args)
    });
}

/// Fills the file system holding `directory` with a file `filler`, then gives back `keep`
/// bytes of it.
#[cfg(unix)]
fn fill(directory: &Path, keep: u64) -> PathBuf {
    let filler = directory.join("filler");
    let mut file = fs::File::create(&filler).expect("creating the filler");
    let block = vec![0_u8; 4096];
    while file.write_all(&block).is_ok() {}
    let _ = file.flush();
    let length = file.metadata().expect("the filler's size").len();
    file.set_len(length.saturating_sub(keep))
        .expect("shrinking the filler");
    filler
}

#[cfg(unix)]
#[test]
#[ignore = "needs root (mount): run scripts/test as root"]
fn a_full_disk_says_so_and_writes_nothing() {
    require_root("mount");
    let j = Journaled::shipped();
    // A real file system that fills up: 256 KiB of tmpfs. (SQLite's max_page_count would
    // only imitate one.)
    let mount = Mounted::tmpfs(&j.root().join("small"), "size=256k");
    let journal = alices_journal(&j, &mount.0);
    let before = fs::read(&journal).expect("reading the journal");
    let bulk = import_file(&j, "bulk", 3000);
    let bulk = bulk.to_str().expect("UTF-8");
    // No room at all; then room for a record or two but not for 3000 (about 600 KB), so
    // the import runs out of space in the middle of its transaction.
    let done: &[&str] = &["done", "track-mdvm-remediation"];
    let import: &[&str] = &["journal", "import", bulk];
    for (keep, commands) in [(0, vec![done, import]), (64 << 10, vec![import])] {
        let filler = fill(&mount.0, keep);
        for args in commands {
            let output = run_on(&j, &journal, args);
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(1), "{keep} {args:?}: {stderr}");
            assert!(
                stderr.contains("cannot write the journal") && stderr.contains("the disk is full"),
                "{keep} {args:?}: {stderr}"
            );
            assert!(!stderr.contains("read-only"), "{stderr}");
            assert!(
                fs::read(&journal).expect("reading") == before,
                "{keep} {args:?} changed the journal"
            );
        }
        fs::remove_file(filler).expect("removing the filler");
        assert_eq!(inspect(&journal), ("ok".to_owned(), 1), "keep {keep}");
    }
    // With room again, the journal takes records as before.
    let output = run_on(&j, &journal, &["done", "track-mdvm-remediation"]);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(inspect(&journal), ("ok".to_owned(), 2));
}
