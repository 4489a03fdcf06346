//! `Journaled`: a `TestEnv` whose every command uses one journal (`SOCCTL_JOURNAL`), a
//! state directory in the temporary directory (`XDG_STATE_HOME`), `USER=tester`, and the
//! day the test chooses as today.
//!
//! The journal is a SQLite file in the temporary directory, or, for the PostgreSQL run of a
//! test ([`on_postgres`]), a fresh database of its own on the test server.

use std::cell::Cell;
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::Output;

use jiff::civil::Date;
use serde_json::Value;

use crate::support::TestEnv;
use crate::support::postgres::{self, Database};

thread_local! {
    /// Whether the test running on this thread uses PostgreSQL (each test has its thread).
    static ON_POSTGRES: Cell<bool> = const { Cell::new(false) };
}

/// Runs `test` with every `Journaled` it makes on a fresh PostgreSQL database; fails when
/// there is no server.
pub(crate) fn on_postgres(test: fn()) {
    postgres::server();
    ON_POSTGRES.with(|flag| flag.set(true));
    test();
}

/// Whether this test runs against PostgreSQL.
pub(crate) fn postgres_run() -> bool {
    ON_POSTGRES.with(Cell::get)
}

/// The login name every command runs under (the default of `--by`).
pub(crate) const USER: &str = "tester";

/// A temporary catalog and journal.
pub(crate) struct Journaled {
    pub(crate) env: TestEnv,
    /// The PostgreSQL database, for a PostgreSQL run.
    pub(crate) database: Option<Database>,
}

impl Journaled {
    /// The shipped tasks.yaml and roles.yaml, and no journal yet.
    pub(crate) fn shipped() -> Self {
        Self::in_env(TestEnv::shipped())
    }

    /// The shipped roles.yaml with `tasks` as tasks.yaml.
    pub(crate) fn with_tasks(tasks: &str) -> Self {
        let env = TestEnv::shipped();
        env.write("tasks.yaml", tasks);
        Self::in_env(env)
    }

    /// `tasks` as tasks.yaml and `roles` as roles.yaml, and no journal yet.
    pub(crate) fn with_catalog(tasks: &str, roles: &str) -> Self {
        Self::in_env(TestEnv::with_catalog(tasks, roles))
    }

    /// The shipped catalog with `database` (on any server) as the journal.
    pub(crate) fn on(database: Database) -> Self {
        Self {
            env: TestEnv::shipped(),
            database: Some(database),
        }
    }

    fn in_env(env: TestEnv) -> Self {
        let database = postgres_run().then(|| postgres::server().database());
        Self { env, database }
    }

    /// What SOCCTL_JOURNAL is set to: the SQLite file, or the database's URL.
    pub(crate) fn location(&self) -> OsString {
        match &self.database {
            Some(database) => OsString::from(&database.url),
            None => self.journal().into_os_string(),
        }
    }

    /// The number of records, counted straight through SQLite or PostgreSQL (not socctl);
    /// for SQLite after an integrity check.
    pub(crate) fn stored_records(&self) -> usize {
        if let Some(database) = &self.database {
            return database.record_count();
        }
        let connection = rusqlite::Connection::open(self.journal()).expect("opening the journal");
        let integrity: String = connection
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))
            .expect("integrity_check");
        assert_eq!(integrity, "ok");
        let count: i64 = connection
            .query_row("SELECT count(*) FROM records", [], |row| row.get(0))
            .expect("counting records");
        usize::try_from(count).expect("a count")
    }

    /// The temporary directory holding everything.
    pub(crate) fn root(&self) -> PathBuf {
        self.env.root().to_path_buf()
    }

    /// The journal every command uses.
    pub(crate) fn journal(&self) -> PathBuf {
        self.env.journal()
    }

    /// `$XDG_STATE_HOME` (where the default journal would go).
    pub(crate) fn state(&self) -> PathBuf {
        self.env.state()
    }

    /// A `socctl` process with the clean environment of `TestEnv::cmd`, plus the journal,
    /// the state directory, `USER` and today.
    pub(crate) fn std_cmd(&self, today: &str) -> std::process::Command {
        let mut command = self.env.std_cmd();
        command
            .env("XDG_STATE_HOME", self.state())
            .env("SOCCTL_JOURNAL", self.location())
            .env("SOCCTL_TODAY", today)
            .env("USER", USER);
        command
    }

    /// Runs every command of `commands` on `today` at once, one process each, released
    /// together.
    pub(crate) fn race(&self, today: &str, commands: &[Vec<String>]) -> Vec<Output> {
        let start = std::sync::Barrier::new(commands.len());
        std::thread::scope(|scope| {
            let handles: Vec<_> = commands
                .iter()
                .map(|args| {
                    let start = &start;
                    let mut command = self.std_cmd(today);
                    command
                        .args(args)
                        .stdout(std::process::Stdio::piped())
                        .stderr(std::process::Stdio::piped());
                    scope.spawn(move || {
                        start.wait();
                        command.output().expect("running socctl")
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("a racer"))
                .collect()
        })
    }

    /// Runs `socctl args…` on `today`.
    pub(crate) fn run(&self, today: &str, args: &[&str]) -> Output {
        self.std_cmd(today)
            .args(args)
            .output()
            .expect("running socctl")
    }

    /// Runs `socctl args…` on `today`, expects success and returns stdout.
    pub(crate) fn ok(&self, today: &str, args: &[&str]) -> String {
        let output = self.run(today, args);
        assert!(
            output.status.success(),
            "socctl {args:?} (today {today}) failed with {:?}\nstdout: {}\nstderr: {}",
            output.status.code(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("UTF-8 output")
    }

    /// Runs `socctl args… --format json` on `today`, expects success and parses stdout.
    pub(crate) fn json(&self, today: &str, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        let stdout = self.ok(today, &all);
        serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("socctl {all:?} printed no JSON ({e}):\n{stdout}"))
    }

    /// Runs `socctl args…` on `today`, expects exit code `code` and returns stderr.
    pub(crate) fn fails(&self, today: &str, args: &[&str], code: i32) -> String {
        let output = self.run(today, args);
        assert_eq!(
            output.status.code(),
            Some(code),
            "socctl {args:?} (today {today})\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stderr).expect("UTF-8 error output")
    }

    /// `history --format json`, newest first.
    pub(crate) fn history(&self, today: &str, args: &[&str]) -> Vec<Value> {
        let mut all = vec!["history"];
        all.extend(args);
        match self.json(today, &all) {
            Value::Array(records) => records,
            other => panic!("history printed {other}"),
        }
    }

    /// The ids of every record, from `journal export`.
    pub(crate) fn exported_ids(&self) -> std::collections::HashSet<String> {
        self.export()
            .iter()
            .map(|line| {
                let record: Value = serde_json::from_str(line).expect("JSON");
                record["id"].as_str().expect("an id").to_owned()
            })
            .collect()
    }

    /// Runs one process per writer, all released at once, each importing its files in
    /// turn; every import must add exactly `per_file` records, none already present.
    pub(crate) fn import_concurrently(&self, writers: &[Vec<PathBuf>], per_file: usize) {
        let start = std::sync::Barrier::new(writers.len());
        let imported = format!("imported: {per_file} new, 0 already present, 0 refused");
        std::thread::scope(|scope| {
            for files in writers {
                let (start, imported) = (&start, &imported);
                scope.spawn(move || {
                    start.wait();
                    for file in files {
                        let output = self
                            .std_cmd("2026-11-23")
                            .args(["journal", "import"])
                            .arg(file)
                            .output()
                            .expect("running socctl");
                        let stdout = String::from_utf8_lossy(&output.stdout);
                        assert!(
                            output.status.success() && stdout.contains(imported.as_str()),
                            "{}: {output:?}",
                            file.display()
                        );
                    }
                });
            }
        });
    }

    /// `journal export`, one string a line.
    /// The exported records, one JSON line each, without the header line (checked here:
    /// it names the schema and the day tracking started).
    pub(crate) fn export(&self) -> Vec<String> {
        let text = self.ok("2026-11-23", &["journal", "export"]);
        let mut lines = text.lines();
        let header: serde_json::Value =
            serde_json::from_str(lines.next().unwrap_or("{}")).expect("a JSON header");
        assert_eq!(header["socctl_journal"]["schema"], 6, "{header}");
        assert!(
            header["socctl_journal"]["tracking_since"].is_string(),
            "{header}"
        );
        lines.map(str::to_owned).collect()
    }

    /// The number of records, as `journal info` reports it.
    pub(crate) fn record_count(&self) -> usize {
        let info = self.ok("2026-11-23", &["journal", "info"]);
        info.lines()
            .find_map(|line| line.strip_prefix("records: "))
            .unwrap_or_else(|| panic!("no record count in `journal info`:\n{info}"))
            .trim()
            .parse()
            .expect("a number of records")
    }

    /// Asserts that neither the journal (file or PostgreSQL schema) nor the default state
    /// directory exists.
    pub(crate) fn assert_no_journal(&self, after: &str) {
        if let Some(database) = &self.database {
            assert!(
                !database.has_journal(),
                "{after} created the journal's schema"
            );
        }
        for path in [
            self.journal(),
            self.root().join("journal.db-wal"),
            self.root().join("journal.db-shm"),
            self.state(),
        ] {
            assert!(!path.exists(), "{after} created {}", path.display());
        }
    }
}

/// A command line as [`Journaled::race`] takes it.
pub(crate) fn args(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| (*w).to_owned()).collect()
}

/// A date from `YYYY-MM-DD`.
pub(crate) fn day(text: &str) -> Date {
    text.parse().expect("a date")
}

/// Every `step`-th day from `from` to `to`, inclusive, as `YYYY-MM-DD`.
pub(crate) fn every(step: i64, from: &str, to: &str) -> Vec<String> {
    let (mut date, to) = (day(from), day(to));
    let mut dates = Vec::new();
    while date <= to {
        dates.push(date.to_string());
        date = date
            .checked_add(jiff::Span::new().days(step))
            .expect("a date in range");
    }
    dates
}

/// A string field of a JSON object.
pub(crate) fn field<'v>(value: &'v Value, name: &str) -> &'v str {
    value[name]
        .as_str()
        .unwrap_or_else(|| panic!("`{name}` is not a string in {value}"))
}

/// The entries of a `due` / `week` JSON array for one task, in order.
pub(crate) fn of_task<'v>(value: &'v Value, task: &str) -> Vec<&'v Value> {
    crate::support::items(value)
        .iter()
        .filter(|o| o["task"] == task)
        .collect()
}

/// The shipped tasks.yaml without task `id` (a task removed from the catalog).
pub(crate) fn shipped_tasks_without(id: &str) -> String {
    let tasks = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tasks.yaml"),
    )
    .expect("reading the shipped tasks.yaml");
    let start = tasks
        .find(&format!("\n  - id: {id}\n"))
        .unwrap_or_else(|| panic!("no task {id} in tasks.yaml"));
    let end = tasks[start + 1..]
        .find("\n  - id: ")
        .map_or(tasks.len(), |offset| start + 1 + offset);
    format!("{}{}", &tasks[..start], &tasks[end..])
}

/// The records of a schema-1 journal (before per-team records and the one-retraction rule),
/// for the upgrade tests of both stores: (id, occurrence, action, recorded_at, undoes) of
/// `update-escalation-tickets` by `old`. The done of 2026-11-20 is retracted twice (which
/// the old race allowed); the done of 2026-11-23 stands.
pub(crate) fn schema_1_records() -> Vec<(
    String,
    &'static str,
    &'static str,
    &'static str,
    Option<String>,
)> {
    let done = crate::support::uuid_for("old-done");
    vec![
        (
            done.clone(),
            "2026-11-20",
            "done",
            "2026-11-20T08:00:00.000000000Z",
            None,
        ),
        (
            crate::support::uuid_for("old-undo-1"),
            "2026-11-20",
            "undone",
            "2026-11-20T09:00:00.000000000Z",
            Some(done.clone()),
        ),
        (
            crate::support::uuid_for("old-undo-2"),
            "2026-11-20",
            "undone",
            "2026-11-20T09:00:00.000000001Z",
            Some(done),
        ),
        (
            crate::support::uuid_for("old-done-2"),
            "2026-11-23",
            "done",
            "2026-11-23T08:00:00.000000000Z",
            None,
        ),
    ]
}

/// What a journal of [`schema_1_records`] reads as on either store: reading alone refuses
/// its old schema and the first recording command upgrades it to the current one, every
/// record kept; the old done of the 23rd is every team's (one entry for all of them) and
/// that of the 20th, retracted twice, stays retracted.
pub(crate) fn assert_schema_1_upgraded(j: &Journaled) {
    // Reading does not upgrade; recording does.
    let message = j.fails("2026-11-23", &["journal", "info"], 1);
    assert!(message.contains("journal schema 1"), "{message}");
    j.ok("2026-11-23", &["done", "track-mdvm-remediation"]);
    let info = j.ok("2026-11-23", &["journal", "info"]);
    assert!(
        info.contains("schema: 6") && info.contains("records: 5"),
        "{info}"
    );
    let due = j.json("2026-11-23", &["due"]);
    let tickets = of_task(&due, "update-escalation-tickets");
    let today: Vec<&&Value> = tickets
        .iter()
        .filter(|o| o["date"] == "2026-11-23")
        .collect();
    // Every team alike: one entry for all of them.
    assert_eq!(today.len(), 1, "{due}");
    assert!(today.iter().all(|o| o["status"] == "done"), "{due}");
    let message = j.fails(
        "2026-11-23",
        &[
            "undo",
            "update-escalation-tickets",
            "--occurrence",
            "2026-11-20",
            "--all-teams",
        ],
        1,
    );
    assert!(message.contains("is already undone"), "{message}");
}
