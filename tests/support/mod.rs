//! What every integration test crate shares (each includes it with `mod support;`):
//! [`TestEnv`], a temporary directory and a `socctl` command that sees only it; the
//! fixture catalogs of `tests/fixtures/`; JSON helpers; [`require`], the one gate of the
//! tests that need a tool from outside the Rust toolchain; [`python`], the interpreter the
//! Python oracles run on; [`postgres`], the PostgreSQL test server; and [`serve`], a
//! running `socctl serve` with its accounts.
//!
//! A test that needs an outside tool is `#[ignore = "needs X: run scripts/test"]` and calls
//! [`require`] first: plain `cargo test` lists it as ignored, and `scripts/test` (the
//! README's test command), which provisions the tools, runs it with `--include-ignored`.
//! Run without its tool, such a test fails naming what is missing; it never passes
//! without running.

pub(crate) mod http_sink;
pub(crate) mod postgres;
pub(crate) mod serve;

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

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

/// The task ids of the shipped tasks.yaml, in file order.
pub(crate) const SHIPPED_TASKS: [&str; 8] = [
    "service-administration",
    "update-phishing-dlp-campaigns",
    "deploy-automation-scripts",
    "portal-license-management",
    "update-escalation-tickets",
    "track-mdvm-remediation",
    "secure-score-report",
    "ir-tabletop-exercise",
];

/// The roles of the small catalogs tests write inline: one team, `ops` ("Operations").
pub(crate) const ONE_TEAM_ROLES: &str = include_str!("../fixtures/one-team/roles.yaml");

/// A temporary directory holding `home/` (HOME), `config/` (XDG_CONFIG_HOME) and `work/`
/// (the working directory of every command).
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
        for file in ["tasks.yaml", "roles.yaml"] {
            fs::copy(manifest_dir().join(file), env.work().join(file))
                .expect("copying the catalog");
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

    /// An environment whose working directory holds `tasks` as tasks.yaml and `roles` as
    /// roles.yaml.
    pub(crate) fn with_catalog(tasks: impl AsRef<[u8]>, roles: impl AsRef<[u8]>) -> Self {
        let env = Self::empty();
        env.write("tasks.yaml", tasks);
        env.write("roles.yaml", roles);
        env
    }

    /// An environment whose working directory holds `tasks` as tasks.yaml and the one team
    /// of [`ONE_TEAM_ROLES`] as roles.yaml.
    pub(crate) fn one_team(tasks: impl AsRef<[u8]>) -> Self {
        Self::with_catalog(tasks, ONE_TEAM_ROLES)
    }

    /// The temporary directory holding everything.
    pub(crate) fn root(&self) -> &Path {
        self.root.path()
    }

    /// The working directory of every command.
    pub(crate) fn work(&self) -> PathBuf {
        self.root().join("work")
    }

    /// `$HOME`.
    pub(crate) fn home(&self) -> PathBuf {
        self.root().join("home")
    }

    /// `$XDG_CONFIG_HOME`.
    pub(crate) fn config(&self) -> PathBuf {
        self.root().join("config")
    }

    /// `$XDG_STATE_HOME` for tests that set it (where the default journal goes); not
    /// created, so a test can tell whether socctl made it.
    pub(crate) fn state(&self) -> PathBuf {
        self.root().join("state")
    }

    /// A journal path beside the working directory, for tests that set SOCCTL_JOURNAL.
    pub(crate) fn journal(&self) -> PathBuf {
        self.root().join("journal.db")
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

    /// `program` with a clean environment: only PATH, HOME, XDG_CONFIG_HOME, SOCCTL_TODAY
    /// and COLUMNS are set, and it runs in the working directory. For a `socctl` that is
    /// spawned, or started through another program (a shell setting limits, say).
    pub(crate) fn command(&self, program: impl AsRef<OsStr>) -> StdCommand {
        let mut command = StdCommand::new(program);
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

    /// `socctl` in the clean environment of [`TestEnv::command`], as a process to spawn.
    pub(crate) fn std_cmd(&self) -> StdCommand {
        self.command(socctl_binary())
    }

    /// `socctl` in the clean environment of [`TestEnv::command`], with assert_cmd's
    /// assertions.
    pub(crate) fn cmd(&self) -> Command {
        Command::from_std(self.std_cmd())
    }

    /// Runs `socctl args…`, expects success, and returns stdout as bytes.
    pub(crate) fn bytes(&self, args: &[&str]) -> Vec<u8> {
        let output = self.cmd().args(args).output().expect("running socctl");
        assert!(
            output.status.success(),
            "socctl {args:?} failed with {:?}\nstderr: {}",
            output.status.code(),
            String::from_utf8_lossy(&output.stderr)
        );
        output.stdout
    }

    /// Runs `socctl args…`, expects success, and returns stdout.
    pub(crate) fn stdout(&self, args: &[&str]) -> String {
        String::from_utf8(self.bytes(args)).expect("UTF-8 output")
    }

    /// Runs `socctl args…`, expects success, and parses stdout as JSON.
    pub(crate) fn json(&self, args: &[&str]) -> Value {
        let stdout = self.bytes(args);
        serde_json::from_slice(&stdout).unwrap_or_else(|e| {
            panic!(
                "socctl {args:?} printed no JSON ({e}):\n{}",
                String::from_utf8_lossy(&stdout)
            )
        })
    }
}

/// The crate's directory, holding the shipped catalog.
pub(crate) fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The `socctl` binary under test.
pub(crate) fn socctl_binary() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_socctl"))
}

/// `tests/fixtures/<name>`.
pub(crate) fn fixture_path(name: &str) -> PathBuf {
    manifest_dir().join("tests").join("fixtures").join(name)
}

/// The text of `tests/fixtures/<name>/<file>`.
pub(crate) fn fixture_text(name: &str, file: &str) -> String {
    let path = fixture_path(name).join(file);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `tests/oracle/<name>`: the scripts the Python oracles run.
pub(crate) fn oracle_script(name: &str) -> PathBuf {
    manifest_dir().join("tests").join("oracle").join(name)
}

/// A tool from outside the Rust toolchain that some tests need. `scripts/test` provisions
/// every one of them.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Tool {
    /// Headless Chromium, to print the HTML format.
    Chromium,
    /// poppler's `pdfinfo` and `pdftotext`, to read the printed PDFs back.
    Poppler,
    /// A font with Japanese glyphs, so the printed Japanese page has text to read back.
    JapaneseFont,
    /// remind(1), an independent calendar program.
    Remind,
    /// `openssl`, to make the throw-away CA of the PostgreSQL TLS test.
    OpenSsl,
    /// The PostgreSQL server binaries, for private clusters.
    PostgresServer,
    /// The Python interpreter of [`python`], able to import these modules.
    Python(&'static [&'static str]),
    /// node(1) and Mozilla's ical.js in `$SOCCTL_TEST_NODE_MODULES`, for
    /// `tests/oracle/expand_ics.mjs` (run it with [`node`]).
    IcalJs,
    /// node(1) with playwright-core and axe-core in `$SOCCTL_TEST_NODE_MODULES`, for
    /// `tests/browser/*.mjs` (they drive `/usr/bin/chromium`, never a downloaded browser).
    BrowserDriver,
}

impl Tool {
    /// What the tool is, in a sentence's words.
    fn name(self) -> String {
        match self {
            Self::Chromium => "chromium".to_owned(),
            Self::Poppler => "poppler's pdfinfo and pdftotext".to_owned(),
            Self::JapaneseFont => "a Japanese font (fc-list :lang=ja)".to_owned(),
            Self::Remind => "remind".to_owned(),
            Self::OpenSsl => "openssl".to_owned(),
            Self::PostgresServer => "the PostgreSQL server binaries".to_owned(),
            Self::Python([]) => {
                format!("Python ({})", python_program().to_string_lossy())
            }
            Self::Python(modules) => format!(
                "the Python modules {} for {}",
                modules.join(", "),
                python_program().to_string_lossy()
            ),
            Self::IcalJs => "node and ical.js in $SOCCTL_TEST_NODE_MODULES".to_owned(),
            Self::BrowserDriver => {
                "node with playwright-core and axe-core in $SOCCTL_TEST_NODE_MODULES".to_owned()
            }
        }
    }

    /// How to get it by hand.
    fn remedy(self) -> &'static str {
        match self {
            Self::Chromium => "apt-get install chromium",
            Self::Poppler => "apt-get install poppler-utils",
            Self::JapaneseFont => "apt-get install fonts-noto-cjk",
            Self::Remind => "apt-get install remind",
            Self::OpenSsl => "apt-get install openssl",
            Self::PostgresServer => "apt-get install postgresql",
            Self::Python([]) => "apt-get install python3",
            Self::Python(_) => {
                "scripts/test installs the pinned tests/oracle/requirements.txt in \
                 target/test-venv and sets SOCCTL_TEST_PYTHON"
            }
            Self::IcalJs => {
                "apt-get install nodejs npm; scripts/test installs a pinned ical.js in \
                 target/test-node and sets SOCCTL_TEST_NODE_MODULES"
            }
            Self::BrowserDriver => {
                "apt-get install nodejs npm; scripts/test installs pinned playwright-core and \
                 axe-core in target/test-node and sets SOCCTL_TEST_NODE_MODULES"
            }
        }
    }

    /// Whether the tool is here.
    fn present(self) -> bool {
        match self {
            Self::Chromium => on_path("chromium"),
            Self::Poppler => on_path("pdfinfo") && on_path("pdftotext"),
            Self::JapaneseFont => StdCommand::new("fc-list")
                .arg(":lang=ja")
                .output()
                .is_ok_and(|o| o.status.success() && !o.stdout.trim_ascii().is_empty()),
            Self::Remind => on_path("remind"),
            Self::OpenSsl => on_path("openssl"),
            Self::PostgresServer => postgres::server_binaries().is_some(),
            Self::Python(modules) => {
                let import = if modules.is_empty() {
                    "pass".to_owned()
                } else {
                    format!("import {}", modules.join(", "))
                };
                python()
                    .args(["-c", &import])
                    .output()
                    .is_ok_and(|o| o.status.success())
            }
            Self::IcalJs => {
                on_path("node")
                    && std::env::var_os("SOCCTL_TEST_NODE_MODULES").is_some_and(|dir| {
                        Path::new(&dir)
                            .join("ical.js")
                            .join("dist")
                            .join("ical.js")
                            .is_file()
                    })
            }
            Self::BrowserDriver => {
                on_path("node")
                    && std::env::var_os("SOCCTL_TEST_NODE_MODULES").is_some_and(|dir| {
                        let dir = Path::new(&dir);
                        dir.join("playwright-core").join("package.json").is_file()
                            && dir.join("axe-core").join("axe.min.js").is_file()
                    })
            }
        }
    }
}

/// The one gate of the tests that need an outside tool: returns when every one of `tools`
/// is here, and otherwise fails the test naming what is missing and how to get it.
pub(crate) fn require(tools: &[Tool]) {
    let missing: Vec<String> = tools
        .iter()
        .filter(|tool| !tool.present())
        .map(|tool| format!("  {} ({})", tool.name(), tool.remedy()))
        .collect();
    assert!(
        missing.is_empty(),
        "this test needs what is not here:\n{}\nRun scripts/test, which provisions every tool \
         the tests need (or fails naming what it cannot get).",
        missing.join("\n")
    );
}

/// The interpreter the Python oracles run on: `$SOCCTL_TEST_PYTHON` (scripts/test points
/// it at its virtual environment), else `python3`.
fn python_program() -> std::ffi::OsString {
    std::env::var_os("SOCCTL_TEST_PYTHON")
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| "python3".into())
}

/// A command running [`python_program`]. Gate its test with `require(&[Tool::Python(…)])`.
pub(crate) fn python() -> StdCommand {
    StdCommand::new(python_program())
}

/// A command running node(1), which finds ical.js through `$SOCCTL_TEST_NODE_MODULES`.
/// Gate its test with `require(&[Tool::IcalJs])`.
pub(crate) fn node() -> StdCommand {
    StdCommand::new("node")
}

/// Whether `name` is an executable file on PATH.
pub(crate) fn on_path(name: &str) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|dir| {
            fs::metadata(dir.join(name))
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
    })
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
        "assignee",
        "cadence",
        "date",
        "description",
        "done_at",
        "done_by",
        "reason",
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
        // Carried-over work from a journal adds `carried`, `count`, `since` and `deadline`.
        let carried = ["carried", "count", "since", "deadline"];
        let mut keys: Vec<&str> = object
            .keys()
            .map(String::as_str)
            .filter(|key| record["carried"] != true || !carried.contains(key))
            // An entry of several teams of an assigned task adds who does it per team.
            .filter(|key| *key != "assignees")
            .collect();
        assert!(
            record["assignee"].is_null() || record["assignee"].is_string(),
            "{record}"
        );
        if let Some(assignees) = record.get("assignees") {
            assert!(record["assignee"].is_null(), "{record}");
            let teams = record["teams"].as_array().expect("teams");
            let named: Vec<&Value> = assignees
                .as_array()
                .expect("assignees")
                .iter()
                .map(|a| &a["team"])
                .collect();
            assert_eq!(named, teams.iter().collect::<Vec<_>>(), "{record}");
        }
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

/// A UUID standing for `name`, the same on every run: journal records need UUID ids, and
/// tests name theirs ("writer1-007"). Two FNV-1a hashes of the name fill the 128 bits; the
/// version (4) and variant bits are set as in a random UUID.
pub(crate) fn uuid_for(name: &str) -> String {
    let hash = |seed: u64| {
        name.bytes().fold(seed, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        })
    };
    let (high, low) = (hash(0xcbf2_9ce4_8422_2325), hash(0x6c62_272e_07bb_0142));
    let high = (high & !0xf000) | 0x4000;
    let low = (low & !(0xc << 60)) | (0x8 << 60);
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        high >> 32,
        (high >> 16) & 0xffff,
        high & 0xffff,
        low >> 48,
        low & 0xffff_ffff_ffff
    )
}
