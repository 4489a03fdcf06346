//! `TestEnv`: a temporary home, configuration directory and working directory, and a
//! `socctl` command that sees only them.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// The date every test runs on unless it says otherwise: a Monday.
pub(crate) const TODAY: &str = "2026-11-23";

/// The team ids of the shipped roles.yaml, in file order.
pub(crate) const SHIPPED_TEAMS: [&str; 5] = [
    "soc-oversight",
    "threat-intelligence",
    "monitoring",
    "engineering-secops",
    "csirt",
];

/// A temporary directory holding `home/`, `config/` (XDG_CONFIG_HOME) and `work/` (the
/// working directory of every command).
pub(crate) struct TestEnv {
    root: TempDir,
}

impl TestEnv {
    /// An environment with no catalog anywhere.
    pub(crate) fn empty() -> Self {
        let root = tempfile::tempdir().expect("a temporary directory");
        for dir in ["home", "config", "work"] {
            fs::create_dir_all(root.path().join(dir)).expect("creating a directory");
        }
        Self { root }
    }

    /// An environment whose working directory holds the shipped tasks.yaml and roles.yaml.
    pub(crate) fn shipped() -> Self {
        let env = Self::empty();
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        for file in ["tasks.yaml", "roles.yaml"] {
            fs::copy(manifest.join(file), env.work().join(file)).expect("copying the catalog");
        }
        env
    }

    /// An environment whose working directory holds the files of `tests/fixtures/<name>/`.
    pub(crate) fn fixture(name: &str) -> Self {
        let env = Self::empty();
        let dir = fixture_path(name);
        for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let entry = entry.expect("a directory entry");
            fs::copy(entry.path(), env.work().join(entry.file_name())).expect("copying a fixture");
        }
        env
    }

    /// The working directory of every command.
    pub(crate) fn work(&self) -> PathBuf {
        self.root.path().join("work")
    }

    /// `$HOME`.
    pub(crate) fn home(&self) -> PathBuf {
        self.root.path().join("home")
    }

    /// `$XDG_CONFIG_HOME`.
    pub(crate) fn config(&self) -> PathBuf {
        self.root.path().join("config")
    }

    /// Writes a file relative to the working directory (creating directories) and returns
    /// its path.
    pub(crate) fn write(&self, relative: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.work().join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("creating a directory");
        }
        fs::write(&path, contents).expect("writing a file");
        path
    }

    /// A `socctl` command with a clean environment: only PATH, HOME, XDG_CONFIG_HOME and
    /// SOCCTL_TODAY are set, and it runs in the working directory.
    pub(crate) fn cmd(&self) -> Command {
        let mut command = Command::cargo_bin("socctl").expect("the socctl binary");
        command
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home())
            .env("XDG_CONFIG_HOME", self.config())
            .env("SOCCTL_TODAY", TODAY)
            // Wide enough that table cells never wrap, so tests can search for whole phrases.
            .env("COLUMNS", "400")
            .current_dir(self.work());
        command
    }

    /// Runs `socctl args…`, expects success, and parses stdout as JSON.
    pub(crate) fn json(&self, args: &[&str]) -> Value {
        let output = self.cmd().args(args).output().expect("running socctl");
        assert!(
            output.status.success(),
            "socctl {args:?} failed with {:?}\nstderr: {}",
            output.status.code(),
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
            panic!(
                "socctl {args:?} printed no JSON ({e}):\n{}",
                String::from_utf8_lossy(&output.stdout)
            )
        })
    }

    /// Runs `socctl args…`, expects success, and returns stdout.
    pub(crate) fn stdout(&self, args: &[&str]) -> String {
        let output = self.cmd().args(args).output().expect("running socctl");
        assert!(
            output.status.success(),
            "socctl {args:?} failed with {:?}\nstderr: {}",
            output.status.code(),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("UTF-8 output")
    }
}

/// `tests/fixtures/<name>`.
pub(crate) fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join(name)
}

/// The array items of a JSON value.
pub(crate) fn items(value: &Value) -> &[Value] {
    value
        .as_array()
        .unwrap_or_else(|| panic!("expected a JSON array, got {value}"))
}

/// A string field of a JSON object.
pub(crate) fn text<'v>(value: &'v Value, field: &str) -> &'v str {
    value[field]
        .as_str()
        .unwrap_or_else(|| panic!("`{field}` is not a string in {value}"))
}

/// The `task` field of every record, in order.
pub(crate) fn task_ids(value: &Value) -> Vec<&str> {
    items(value).iter().map(|r| text(r, "task")).collect()
}

/// `(date, task)` for every record, in order.
pub(crate) fn dated_tasks(value: &Value) -> Vec<(&str, &str)> {
    items(value)
        .iter()
        .map(|r| (text(r, "date"), text(r, "task")))
        .collect()
}

/// Asserts that every record of a `due`, `week` or `plan` JSON array has exactly the fields
/// of the JSON contract, with the contract's types: dates as `YYYY-MM-DD`, `time` as
/// `HH:MM` or null, `window_end` a date after `date` or null.
pub(crate) fn assert_occurrence_contract(value: &Value) {
    let fields = [
        "as_needed",
        "cadence",
        "date",
        "description",
        "done_at",
        "done_by",
        "status",
        "task",
        "teams",
        "time",
        "title",
        "window_end",
    ];
    let is_date = |text: &str| {
        text.len() == 10
            && text.char_indices().all(|(i, c)| {
                if i == 4 || i == 7 {
                    c == '-'
                } else {
                    c.is_ascii_digit()
                }
            })
    };
    for record in items(value) {
        let object = record
            .as_object()
            .unwrap_or_else(|| panic!("not an object: {record}"));
        // Carried-over work from a journal adds `carried`, `count` and `since`.
        let carried = ["carried", "count", "since"];
        let mut keys: Vec<&str> = object
            .keys()
            .map(String::as_str)
            .filter(|key| record["carried"] != true || !carried.contains(key))
            .collect();
        keys.sort_unstable();
        assert_eq!(keys, fields, "{record}");
        for field in ["task", "title", "cadence", "description"] {
            assert!(record[field].is_string(), "{field} in {record}");
        }
        assert!(record["as_needed"].is_boolean(), "{record}");
        let teams = record["teams"]
            .as_array()
            .unwrap_or_else(|| panic!("teams in {record}"));
        assert!(
            !teams.is_empty() && teams.iter().all(Value::is_string),
            "{record}"
        );
        let date = text(record, "date");
        assert!(is_date(date), "{record}");
        match &record["time"] {
            Value::Null => {}
            Value::String(time) => {
                assert!(time.len() == 5 && time.as_bytes()[2] == b':', "{record}");
            }
            other => panic!("time is {other} in {record}"),
        }
        match &record["window_end"] {
            Value::Null => {}
            Value::String(end) => assert!(is_date(end) && end.as_str() > date, "{record}"),
            other => panic!("window_end is {other} in {record}"),
        }
    }
}
