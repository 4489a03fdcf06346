//! Hostile and broken input on the command line: alias bombs, deep nesting, huge files,
//! invalid UTF-8, directories and FIFOs as catalogs, rules that never fire or fire every
//! second, and dates at the edges of the calendar (years 1 and 9999).
//!
//! Every case runs the real binary in a temporary directory with an address-space limit
//! (`ulimit -v`) and a kill timer, and must end with a clear message (exit 1 or 2) or a
//! correct answer: never a hang, a signal, an abort or a panic. Speed is measured in
//! BENCHMARKS.md ("Hostile input"), not here; the timer only catches hangs.
//!
//! Expected dates were worked out with Python's `datetime` (proleptic Gregorian, like
//! socctl), not taken from socctl's output: 0001-01-01 is a Monday, 9999-12-31 a Friday,
//! 9999-12-27 a Monday, and 9999-12-31 minus 36,524 days is 9899-12-31.

#[allow(dead_code)]
mod support;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;
use std::time::Duration;

use assert_cmd::Command;
use support::{TestEnv, socctl_binary};

/// Address space allowed to every run, in KiB: far above what socctl needs for these
/// catalogs (a few tens of MB), far below what expanding a bomb would take.
const MEMORY_LIMIT_KIB: u64 = 512 * 1024;

/// Longer than any of these cases takes in a debug build, short enough to call a hang.
const HANG_GUARD: Duration = Duration::from_secs(20);

/// The roles of every catalog here: one team.
const ROLES: &str = support::ONE_TEAM_ROLES;

/// A one-task catalog's tasks.yaml: a task owned by the only team, on `cadence`.
fn tasks_with(cadence: &str) -> String {
    format!(
        "version: 1\ntasks:\n  - id: rotate-keys\n    title: Rotate keys\n    cadence: \"{cadence}\"\n    team: ops\n"
    )
}

/// A [`TestEnv`] whose working directory holds `tasks.yaml`, `roles.yaml` and the journal.
struct Env(TestEnv);

/// How a run ended.
#[derive(Debug)]
struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Env {
    fn new(tasks: impl AsRef<[u8]>, roles: impl AsRef<[u8]>) -> Self {
        Self(TestEnv::with_catalog(tasks, roles))
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.0.work().join(relative)
    }

    fn write(&self, relative: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        self.0.write(relative, contents)
    }

    /// Runs `socctl args…` on `today` under the memory limit and the hang guard, and checks
    /// that it ended by itself, without a signal or a panic.
    fn run(&self, today: &str, args: &[&str]) -> Outcome {
        self.run_with(today, args, &[], HANG_GUARD, MEMORY_LIMIT_KIB)
    }

    /// [`Env::run`] with more variables, another hang guard and another memory limit.
    fn run_with(
        &self,
        today: &str,
        args: &[&str],
        vars: &[(&str, &str)],
        guard: Duration,
        limit_kib: u64,
    ) -> Outcome {
        // `exec` keeps the limit and makes the shell's exit status socctl's own.
        let script = format!("ulimit -v {limit_kib} && exec \"$0\" \"$@\"");
        let mut shell = self.0.command("sh");
        shell
            .arg("-c")
            .arg(script)
            .arg(socctl_binary())
            .args(args)
            .env("SOCCTL_JOURNAL", self.path("journal.db"))
            .env("SOCCTL_TODAY", today)
            .envs(vars.iter().copied())
            .env("USER", "tester");
        let output = Command::from_std(shell)
            .timeout(guard)
            .output()
            .expect("running socctl");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        // No exit code: killed by a signal (the hang guard's, or an abort).
        let code = output.status.code().unwrap_or_else(|| {
            panic!(
                "socctl {args:?} did not exit by itself ({:?}; hang guard {guard:?})\nstderr: {stderr}",
                output.status
            )
        });
        assert!(
            code != 101 && !stderr.contains("panicked"),
            "socctl {args:?} panicked:\n{stderr}"
        );
        Outcome {
            code,
            stdout,
            stderr,
        }
    }

    /// Runs and expects success.
    fn ok(&self, today: &str, args: &[&str]) -> String {
        let outcome = self.run(today, args);
        assert_eq!(outcome.code, 0, "socctl {args:?}: {}", outcome.stderr);
        outcome.stdout
    }
}

/// Parses JSON output.
fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// One field of every object of a JSON array, as text (`null` for a missing one).
fn field(array: &serde_json::Value, name: &str) -> Vec<String> {
    array
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {array}"))
        .iter()
        .map(|item| match &item[name] {
            serde_json::Value::String(text) => text.clone(),
            other => other.to_string(),
        })
        .collect()
}

/// `check` refuses the tasks file with exit 1 and a message on stdout that names it.
fn assert_refused(env: &Env, expected: &[&str]) -> Outcome {
    let outcome = env.run("2026-11-23", &["check"]);
    assert_eq!(outcome.code, 1, "{outcome:?}");
    assert!(outcome.stdout.starts_with("tasks.yaml"), "{outcome:?}");
    for fragment in expected {
        assert!(
            outcome.stdout.contains(fragment),
            "{fragment:?} in {outcome:?}"
        );
    }
    // Other commands refuse too, on stderr, with the same diagnostics.
    let due = env.run("2026-11-23", &["due"]);
    assert_eq!(due.code, 1, "{due:?}");
    assert!(due.stdout.is_empty(), "{due:?}");
    for fragment in expected {
        assert!(due.stderr.contains(fragment), "{fragment:?} in {due:?}");
    }
    outcome
}

// ---------------------------------------------------------------------------------------
// Catalog files

#[test]
fn a_billion_laughs_is_refused_within_bounded_memory() {
    let bomb =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bomb/tasks.yaml"))
            .expect("the bomb fixture");
    let env = Env::new(bomb, ROLES);
    assert_refused(
        &env,
        &[
            "error: YAML syntax: too many values once anchors and aliases are expanded",
            "hint: an alias repeated inside aliases multiplies (a \"billion laughs\" file)",
        ],
    );
}

#[test]
fn ten_thousand_levels_of_flow_nesting_are_refused() {
    let depth = 10_000;
    for (open, close) in [("[", "]"), ("{a: ", "}")] {
        let tasks = format!(
            "version: 1\ntasks: {}{}\n",
            open.repeat(depth),
            close.repeat(depth)
        );
        let env = Env::new(tasks, ROLES);
        // The limit is reported where it is crossed: still on line 2.
        assert_refused(
            &env,
            &[
                "tasks.yaml:2:",
                "error: YAML syntax: lists and mappings are nested too deeply",
                "look for unclosed brackets",
            ],
        );
    }
}

#[test]
fn ten_thousand_levels_of_block_nesting_are_refused() {
    let depth = 10_000;
    // Compact nested sequences: `- - - … x` is 10,000 lists deep on one line.
    let compact = format!("version: 1\ntasks:\n{}x\n", "- ".repeat(depth));
    // Indented mappings, one space deeper per level (about 50 MB).
    let mut indented = String::from("version: 1\ntasks:\n");
    for level in 0..depth {
        let _ = writeln!(indented, "{}a:", " ".repeat(level + 1));
    }
    for tasks in [compact, indented] {
        let env = Env::new(tasks, ROLES);
        assert_refused(
            &env,
            &["error: YAML syntax: lists and mappings are nested too deeply"],
        );
    }
}

#[test]
fn a_200_mb_catalog_is_refused_by_its_size_before_it_is_read() {
    let env = Env::new("", ROLES);
    // Sparse: 200 MB long without writing 200 MB. Reading it would find only NUL bytes,
    // which the size check must not get as far as.
    let file = std::fs::File::create(env.path("tasks.yaml")).expect("creating tasks.yaml");
    file.set_len(200 << 20).expect("sizing tasks.yaml");
    let outcome = assert_refused(
        &env,
        &["tasks.yaml: error: is 200 MB; socctl reads catalogs up to 128 MB"],
    );
    assert!(!outcome.stdout.contains("UTF-8"), "{outcome:?}");
}

#[test]
fn invalid_utf8_anywhere_is_refused_with_its_place() {
    // A lone continuation byte first, then an unfinished sequence at the very end.
    let env = Env::new(b"\x80version: 1\n".as_slice(), ROLES);
    assert_refused(
        &env,
        &[
            "tasks.yaml:1:1: error: is not valid UTF-8 (byte 0)",
            "save the file as UTF-8",
        ],
    );
    let env = Env::new(b"version: 1\ntasks: []\n\xe2\x82".as_slice(), ROLES);
    assert_refused(
        &env,
        &["tasks.yaml:3:1: error: is not valid UTF-8 (byte 21)"],
    );
    // In roles.yaml, the message names roles.yaml.
    let env = Env::new(
        tasks_with("daily"),
        b"version: 1\nteams:\n  - id: \xff\n".as_slice(),
    );
    let outcome = env.run("2026-11-23", &["check"]);
    assert_eq!(outcome.code, 1, "{outcome:?}");
    assert!(
        outcome
            .stdout
            .contains("roles.yaml:3:9: error: is not valid UTF-8 (byte 26)"),
        "{outcome:?}"
    );
}

#[test]
fn a_directory_as_either_file_is_refused() {
    let env = Env::new(tasks_with("daily"), ROLES);
    std::fs::create_dir(env.path("dir")).expect("mkdir");
    for args in [
        ["--catalog", "dir", "--roles", "roles.yaml", "check"],
        ["--catalog", "tasks.yaml", "--roles", "dir", "check"],
    ] {
        let outcome = env.run("2026-11-23", &args);
        assert_eq!(outcome.code, 1, "{outcome:?}");
        assert!(
            outcome
                .stdout
                .starts_with("dir: error: is a directory, not a catalog file"),
            "{outcome:?}"
        );
    }
}

#[test]
fn a_fifo_nobody_writes_to_is_refused_without_blocking() {
    let env = Env::new(tasks_with("daily"), ROLES);
    let fifo = env.path("pipe.yaml");
    // coreutils' mkfifo: the standard library cannot make a FIFO, and coreutils is on every
    // system these tests run on (Debian marks it essential), so this is no outside tool.
    let made = StdCommand::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    for args in [
        ["--catalog", "pipe.yaml", "--roles", "roles.yaml", "check"],
        ["--catalog", "tasks.yaml", "--roles", "pipe.yaml", "check"],
    ] {
        // Opening a FIFO for reading blocks until a writer comes: the hang guard would
        // fire if socctl tried.
        let outcome = env.run("2026-11-23", &args);
        assert_eq!(outcome.code, 1, "{outcome:?}");
        assert!(
            outcome
                .stdout
                .starts_with("pipe.yaml: error: is not a regular file (a pipe, socket or device)"),
            "{outcome:?}"
        );
    }
    // A symbolic link to the FIFO is no way round it.
    std::os::unix::fs::symlink(&fifo, env.path("link.yaml")).expect("symlink");
    let outcome = env.run(
        "2026-11-23",
        &["--catalog", "link.yaml", "--roles", "roles.yaml", "due"],
    );
    assert_eq!(outcome.code, 1, "{outcome:?}");
    assert!(
        outcome
            .stderr
            .contains("link.yaml: error: is not a regular file"),
        "{outcome:?}"
    );
}

// ---------------------------------------------------------------------------------------
// Cadences

#[test]
fn a_rule_that_never_fires_is_an_error_not_a_hang() {
    // 30 February and 31 April do not exist in any year.
    for cron in ["0 0 30 2 *", "0 9 31 4 *", "0 0 0 31 11 * *"] {
        let env = Env::new(tasks_with(&format!("cron: {cron}")), ROLES);
        assert_refused(
            &env,
            &[&format!(
                "tasks.yaml:5:14: error: the cadence `cron: {cron}` of task `rotate-keys` never falls on any date"
            )],
        );
    }
}

#[test]
fn a_rule_that_fires_every_second_is_refused_with_the_fix() {
    for (cron, seconds, rest) in [
        ("* * * * * *", "*", "* * * * *"),
        ("*/5 0 9 * * 1-5", "*/5", "0 9 * * 1-5"),
        ("0,30 0 9 * * * 2030", "0,30", "0 9 * * * 2030"),
    ] {
        let env = Env::new(tasks_with(&format!("cron: {cron}")), ROLES);
        assert_refused(
            &env,
            &[
                &format!(
                    "the seconds field of `{cron}` is `{seconds}`, which fires more than once a minute"
                ),
                &format!(
                    "write one second (`0 {rest}`) or drop the seconds field and write 5 fields"
                ),
            ],
        );
    }
    // One fixed second is an ordinary daily rule: due today at 09:00.
    let env = Env::new(tasks_with("cron: 30 0 9 * * *"), ROLES);
    let due = env.ok("2026-11-23", &["due", "-f", "json"]);
    assert!(due.contains(r#""date":"2026-11-23""#), "{due}");
    assert!(due.contains(r#""time":"09:00""#), "{due}");
}

// ---------------------------------------------------------------------------------------
// Dates at the edges

#[test]
fn the_first_and_last_days_of_the_calendar_are_answered() {
    let env = Env::new(tasks_with("daily"), ROLES);
    let first = env.ok("2026-11-23", &["due", "--date", "0001-01-01", "-f", "text"]);
    assert!(first.starts_with("Due Monday 1 January 0001"), "{first}");
    assert!(first.contains("Rotate keys"), "{first}");
    let last = env.ok("2026-11-23", &["due", "--date", "9999-12-31", "-f", "text"]);
    assert!(last.starts_with("Due Friday 31 December 9999"), "{last}");
    assert!(last.contains("Rotate keys"), "{last}");
    // Relative words at the edges: there is no day before 0001-01-01 or after 9999-12-31.
    for (today, word) in [("0001-01-01", "yesterday"), ("9999-12-31", "tomorrow")] {
        let outcome = env.run(today, &["due", "--date", word]);
        assert_eq!(outcome.code, 2, "{outcome:?}");
        assert!(
            outcome.stderr.contains("the date is out of range"),
            "{outcome:?}"
        );
    }
    // Past the edges is not a date.
    for text in ["0000-12-31", "10000-01-01", "-0001-01-01"] {
        let outcome = env.run("2026-11-23", &["due", &format!("--date={text}")]);
        assert_eq!(outcome.code, 2, "{outcome:?}");
        assert!(outcome.stderr.contains("is not a date"), "{outcome:?}");
    }
}

#[test]
fn today_on_the_last_day_of_the_calendar() {
    let env = Env::new(tasks_with("daily"), ROLES);
    let due = env.ok("9999-12-31", &["due", "-f", "text"]);
    assert!(due.starts_with("Due Friday 31 December 9999"), "{due}");
    // `next` stops at the end of the calendar: one daily occurrence is left.
    let next = json(&env.ok("9999-12-31", &["next", "-n", "5", "-f", "json"]));
    assert_eq!(field(&next, "date"), ["9999-12-31"]);
    // The last week (Monday 27 December on) is cut at 31 December: five days.
    let week = json(&env.ok("9999-12-31", &["week", "-f", "json"]));
    assert_eq!(
        field(&week, "date"),
        [
            "9999-12-27",
            "9999-12-28",
            "9999-12-29",
            "9999-12-30",
            "9999-12-31"
        ]
    );
    let ics = env.ok("9999-12-25", &["export", "ics", "--until", "9999-12-31"]);
    assert!(ics.starts_with("BEGIN:VCALENDAR"), "{ics}");
    assert!(ics.contains("UNTIL=99991231"), "{ics}");
    // Without --until, a year after 9999-12-25 is cut at the calendar's end.
    let ics = env.ok("9999-12-25", &["export", "ics"]);
    assert!(ics.contains("UNTIL=99991231"), "{ics}");
}

#[test]
fn reversed_ranges_are_refused_with_both_dates() {
    let env = Env::new(tasks_with("daily"), ROLES);
    let reversed = "--from 2026-12-01 is after --to 2026-11-01; a range includes both its first and its last day";
    for args in [
        &["plan", "--from", "2026-12-01", "--to", "2026-11-01"][..],
        &["report", "--from", "2026-12-01", "--to", "2026-11-01"],
        &[
            "export",
            "ics",
            "--from",
            "2026-12-01",
            "--until",
            "2026-11-01",
        ],
    ] {
        let outcome = env.run("2026-11-23", args);
        assert_eq!(outcome.code, 2, "{args:?}: {outcome:?}");
        assert!(outcome.stderr.contains(reversed), "{args:?}: {outcome:?}");
    }
    // With a journal and without one.
    let outcome = env.run(
        "2026-11-23",
        &["history", "--since", "2026-12-01", "--until", "2026-11-01"],
    );
    assert_eq!(outcome.code, 2, "{outcome:?}");
    env.ok("2026-11-23", &["done", "rotate-keys"]);
    let outcome = env.run(
        "2026-11-23",
        &["history", "--since", "2026-12-01", "--until", "2026-11-01"],
    );
    assert_eq!(outcome.code, 2, "{outcome:?}");
    // The old spellings are the same options: the same message.
    assert!(outcome.stderr.contains(reversed), "{outcome:?}");
}

#[test]
fn a_century_is_planned_and_longer_ranges_are_refused() {
    let env = Env::new(tasks_with("yearly on 01-01"), ROLES);
    // 2026-01-01 to 2125-12-31 is 36,524 days and holds 100 New Year's Days.
    let plan = json(&env.ok(
        "2026-11-23",
        &[
            "plan",
            "--from",
            "2026-01-01",
            "--to",
            "2125-12-31",
            "-f",
            "json",
        ],
    ));
    let dates = field(&plan, "date");
    assert_eq!(dates.len(), 100);
    assert_eq!(
        (dates[0].as_str(), dates[99].as_str()),
        ("2026-01-01", "2125-01-01")
    );
    for (from, to, days) in [
        ("1900-01-01", "2026-11-01", 46_326),
        ("0001-01-01", "9999-12-31", 3_652_059),
    ] {
        for args in [
            &["plan", "--from", from, "--to", to][..],
            &["export", "ics", "--from", from, "--until", to],
        ] {
            let outcome = env.run("2026-11-23", args);
            assert_eq!(outcome.code, 2, "{args:?}: {outcome:?}");
            assert!(
                outcome.stderr.contains(&format!(
                    "the range {from} to {to} is {days} days; socctl plans at most 36525 days (100 years) at once"
                )),
                "{args:?}: {outcome:?}"
            );
        }
    }
    // `export ics` from today to the calendar's end is refused the same way.
    let outcome = env.run("2026-11-23", &["export", "ics", "--until", "9999-12-31"]);
    assert_eq!(outcome.code, 2, "{outcome:?}");
    assert!(
        outcome.stderr.contains("socctl plans at most 36525 days"),
        "{outcome:?}"
    );
}

/// A journal started in 2026 and a clock at 9999-12-31 (or a plan far ahead): statuses are
/// worked out for the last century only, so the answer comes at once, in bounded memory.
#[test]
fn a_journal_eight_thousand_years_old_is_tracked_for_a_century() {
    let env = Env::new(tasks_with("daily"), ROLES);
    env.ok("2026-11-23", &["done", "rotate-keys"]);
    let overdue = json(&env.ok("9999-12-31", &["overdue", "-f", "json"]));
    // Tracked from 9899-12-31: every day up to 9999-12-30 is overdue, 9999-12-31 is open.
    assert_eq!(field(&overdue, "count"), ["36524"]);
    assert_eq!(field(&overdue, "since"), ["9899-12-31"]);
    assert_eq!(field(&overdue, "last"), ["9999-12-30"]);
    let due = json(&env.ok("9999-12-31", &["due", "-f", "json"]));
    assert_eq!(field(&due, "status"), ["overdue", "open"]);
    assert_eq!(field(&due, "count"), ["36524", "null"]);
    let outcome = env.run("9999-12-31", &["report", "-f", "json"]);
    assert_eq!(outcome.code, 0, "{outcome:?}");
    let report = json(&outcome.stdout);
    assert_eq!(report["teams"][0]["missed"], 36_524);
    assert_eq!(report["teams"][0]["open"], 1);
    assert!(
        outcome.stderr.contains(
            "socctl: only the last 36525 days (from 9899-12-31) are counted: the journal's statuses are worked out for a century at most"
        ),
        "{outcome:?}"
    );
    let plan = json(&env.ok(
        "2026-11-23",
        &[
            "plan",
            "--from",
            "9999-12-25",
            "--to",
            "9999-12-31",
            "-f",
            "json",
        ],
    ));
    assert_eq!(field(&plan, "status"), ["upcoming"; 7]);
}

// ---------------------------------------------------------------------------------------
// Journal import

#[test]
fn an_import_line_without_end_is_refused_at_a_megabyte() {
    let env = Env::new(tasks_with("daily"), ROLES);
    // Like /dev/zero: bytes and no line break. 2 MB is enough to cross the limit.
    env.write("zeros.jsonl", vec![0_u8; 2 << 20]);
    let outcome = env.run("2026-11-23", &["journal", "import", "zeros.jsonl"]);
    assert_eq!(outcome.code, 1, "{outcome:?}");
    assert!(
        outcome.stderr.contains(
            "zeros.jsonl:1: the line is longer than 1 MB, so it is not a journal record; nothing was imported"
        ),
        "{outcome:?}"
    );
    env.write("latin1.jsonl", b"{\"id\":\"caf\xe9\"}\n".as_slice());
    let outcome = env.run("2026-11-23", &["journal", "import", "latin1.jsonl"]);
    assert_eq!(outcome.code, 1, "{outcome:?}");
    assert!(
        outcome
            .stderr
            .contains("latin1.jsonl:1: not UTF-8, so not a journal record; nothing was imported"),
        "{outcome:?}"
    );
    assert!(!env.path("journal.db").exists());
}

/// A century of daily triggers (an import can bring them, with a header that moves tracking
/// back): each is looked up among a century of scheduled days, which must not take their
/// product in time.
#[test]
fn a_century_of_triggers_is_answered_at_once() {
    let env = Env::new(tasks_with("daily and as needed"), ROLES);
    let mut import =
        String::from("{\"socctl_journal\":{\"schema\":1,\"tracking_since\":\"1926-11-24\"}}\n");
    // Every day from 1926-11-24 for 36,000 days (to 2025-06-16), each a scheduled day.
    let first = jiff::civil::date(1926, 11, 24);
    for n in 0..36_000 {
        let day = first
            .checked_add(jiff::Span::new().days(n))
            .expect("a date");
        let _ = writeln!(
            import,
            r#"{{"id":"{}","task":"rotate-keys","occurrence":"{day}","action":"triggered","on":"{day}","by":"x","recorded_at":"{day}T08:00:00Z"}}"#,
            support::uuid_for(&format!("t{n}"))
        );
    }
    env.write("triggers.jsonl", import);
    let imported = env.ok("2026-11-23", &["journal", "import", "triggers.jsonl"]);
    assert!(
        imported.contains("imported: 36000 new, 0 already present, 0 refused"),
        "{imported}"
    );
    // Triggers on scheduled days add nothing: 1926-11-24 to 2026-11-22 is 36,524 overdue
    // days, and today is open.
    let due = json(&env.ok("2026-11-23", &["due", "-f", "json"]));
    assert_eq!(field(&due, "status"), ["overdue", "open"]);
    assert_eq!(field(&due, "count"), ["36524", "null"]);
    assert_eq!(field(&due, "since"), ["1926-11-24", "null"]);
}

/// Found by the cadence_parse fuzz target: a crontab time field that matches nothing (`,`)
/// never fires, and proving it walked every hour to the year 9999. A catalog of such rules
/// is refused at once, each with its line.
#[test]
fn many_rules_with_an_empty_time_field_are_refused_at_once() {
    let mut tasks = String::from("version: 1\ntasks:\n");
    for n in 0..100 {
        let _ = write!(
            tasks,
            "  - id: t{n}\n    title: T\n    cadence: \"cron: 9 , 17 * * 04-5\"\n    team: ops\n"
        );
    }
    let env = Env::new(tasks, ROLES);
    let outcome = assert_refused(
        &env,
        &[
            "tasks.yaml:5:14: error: cannot read the cadence `cron: 9 , 17 * * 04-5` of task `t0`: the minute field of `9 , 17 * * 04-5` matches no value, so the rule never fires",
        ],
    );
    assert!(
        outcome.stdout.ends_with("100 errors, 0 warnings\n"),
        "{outcome:?}"
    );
}

/// Found by the journal_import fuzz target: a retraction of a record that is neither
/// earlier in the file nor in the journal was refused by the database as "cannot write the
/// journal: FOREIGN KEY constraint failed", and left an empty journal behind.
#[test]
fn an_import_retracting_an_unknown_record_names_it() {
    let env = Env::new(tasks_with("daily"), ROLES);
    // The ids are UUIDs, as every record's must be.
    let (a, u) = (
        "0a000000-0000-4000-8000-00000000000a",
        "0e000000-0000-4000-8000-00000000000e",
    );
    let done = r#"{"id":"0a000000-0000-4000-8000-00000000000a","task":"rotate-keys","occurrence":"2026-11-20","action":"done","on":"2026-11-20","by":"x","recorded_at":"2026-11-20T08:00:00Z"}"#;
    let undone = r#"{"id":"0e000000-0000-4000-8000-00000000000e","task":"rotate-keys","occurrence":"2026-11-20","action":"undone","on":"2026-11-21","by":"x","recorded_at":"2026-11-21T08:00:00Z","undoes":"0a000000-0000-4000-8000-00000000000a"}"#;
    // The retraction alone, then before what it retracts: both refused, nothing written.
    for (name, text, new) in [
        ("orphan.jsonl", format!("{undone}\n"), 0),
        ("reversed.jsonl", format!("{undone}\n{done}\n"), 1),
    ] {
        env.write(name, text);
        let outcome = env.run("2026-11-23", &["journal", "import", name]);
        assert_eq!(outcome.code, 1, "{outcome:?}");
        assert_eq!(
            outcome.stderr,
            format!(
                "socctl: {name}:1: record `{u}` retracts `{a}`, which is neither earlier in the file nor in the journal\n{name}: {new} new, 0 already present, 1 refused; nothing was imported\n"
            )
        );
        assert!(!env.path("journal.db").exists(), "{name}");
    }
    // In file order, or with the retracted record already in the journal, it imports.
    env.write("ordered.jsonl", format!("{done}\n{undone}\n"));
    let imported = env.ok("2026-11-23", &["journal", "import", "ordered.jsonl"]);
    assert!(
        imported.contains("imported: 2 new, 0 already present, 0 refused"),
        "{imported}"
    );
    env.write("later.jsonl", format!("{undone}\n"));
    let imported = env.ok("2026-11-23", &["journal", "import", "later.jsonl"]);
    assert!(
        imported.contains("imported: 0 new, 1 already present, 0 refused"),
        "{imported}"
    );
}

// ---------------------------------------------------------------------------------------
// Huge text

/// Far longer than a megabyte of text takes to lay out in any format in a debug build (a
/// few seconds of CPU; a loaded two-core machine has stretched that to 20 s of wall time),
/// far shorter than the hours quadratic wrapping would take (a 100 KB title took over a
/// minute, a megabyte a hundred times that).
const LAYOUT_GUARD: Duration = Duration::from_secs(300);

/// The terminal widths a layout test runs `format` at: only tables follow the width.
fn widths(format: &str) -> &'static [&'static str] {
    if format == "table" {
        &["20", "400"]
    } else {
        &["20"]
    }
}

/// `socctl COMMAND -f FORMAT --color never` on 2026-11-23 at `columns` columns, within the
/// layout's time and memory limits.
fn laid_out(env: &Env, command: &str, format: &str, columns: &str) -> Outcome {
    env.run_with(
        "2026-11-23",
        &[command, "-f", format, "--color", "never"],
        &[("COLUMNS", columns)],
        LAYOUT_GUARD,
        MEMORY_LIMIT_KIB,
    )
}

/// A title and a note of a megabyte (one word, then words) are laid out in every format in
/// time linear in their size: table wrapping at 20 columns used to be quadratic (a 100 KB
/// title took over a minute).
#[test]
fn a_megabyte_of_title_or_note_is_laid_out_in_every_format() {
    const MEGABYTE: usize = 1_000_000;
    let word = "x".repeat(MEGABYTE);
    let words = "word ".repeat(MEGABYTE / 5);
    for title in [&word, words.trim_end()] {
        let env = Env::new(
            format!(
                "version: 1\ntasks:\n  - id: big\n    title: \"{title}\"\n    cadence: daily\n    team: ops\n"
            ),
            "version: 1\nmail_from: soc@example.org\nteams:\n  - id: ops\n    name: Operations\n    email: ops@example.org\n",
        );
        for format in ["table", "text", "markdown", "csv", "json", "html", "email"] {
            for &columns in widths(format) {
                let outcome = laid_out(&env, "due", format, columns);
                assert_eq!(outcome.code, 0, "{format}: {}", outcome.stderr);
                assert!(outcome.stdout.len() > MEGABYTE, "{format}");
            }
        }
        // A note just under the import's line limit, with `--by` and `--ref` as large: a
        // skip, so that the note is also the reason every checklist format shows.
        let note = &title[..MEGABYTE / 3];
        let record = serde_json::json!({
            "id": "6f1d2c1e-0000-4000-8000-000000000001",
            "task": "big",
            "occurrence": "2026-11-23",
            "action": "skipped",
            "on": "2026-11-23",
            "by": note,
            "recorded_at": "2026-11-23T08:00:00Z",
            "note": note,
            "ref": note,
        });
        env.write(
            "import.jsonl",
            format!(
                "{{\"socctl_journal\":{{\"schema\":1,\"tracking_since\":\"2026-11-01\"}}}}\n{record}\n"
            ),
        );
        env.ok("2026-11-23", &["journal", "import", "import.jsonl"]);
        // The skip's reason in every checklist format. (A table at 20 columns is left out:
        // a status cell of a megabyte, reason or `--by` alike, takes it past the memory
        // limit — a limit of the table layout, not of the reason.)
        for format in ["table", "text", "markdown", "csv", "json", "html", "email"] {
            let outcome = laid_out(&env, "due", format, "400");
            assert_eq!(outcome.code, 0, "due {format}: {}", outcome.stderr);
            // The title and the reason, at least.
            assert!(
                outcome.stdout.len() > MEGABYTE + MEGABYTE / 4,
                "due {format}"
            );
        }
        for format in ["table", "text", "markdown", "csv", "json"] {
            for &columns in widths(format) {
                let outcome = laid_out(&env, "history", format, columns);
                assert_eq!(outcome.code, 0, "history {format}: {}", outcome.stderr);
                assert!(outcome.stdout.len() > MEGABYTE, "history {format}");
            }
        }
    }
}

/// A century of 20 daily tasks is 730,500 occurrences: held whole, the plan alone passes
/// 64 MB of address space (it did, and the run was aborted); written as it is computed, a
/// day at a time, every format stays within it.
#[test]
fn a_century_of_daily_tasks_is_written_in_flat_memory_in_every_format() {
    let mut tasks = String::from("version: 1\ntasks:\n");
    for n in 0..20 {
        let _ = write!(
            tasks,
            "  - id: task-{n:02}\n    title: Daily task {n}\n    cadence: daily\n    team: ops\n"
        );
    }
    let env = Env::new(tasks, ROLES);
    for format in ["csv", "text", "markdown", "html", "json"] {
        let outcome = env.run_with(
            "2026-11-23",
            &[
                "plan",
                "--from",
                "2000-01-01",
                "--to",
                "2099-12-31",
                "-f",
                format,
            ],
            &[],
            Duration::from_secs(120),
            64 * 1024,
        );
        assert_eq!(outcome.code, 0, "{format}: {}", outcome.stderr);
        assert!(outcome.stdout.contains("task-19"), "{format}");
    }
    // A table must hold its rows: it refuses this many, and says what does not.
    let outcome = env.run(
        "2026-11-23",
        &[
            "plan",
            "--from",
            "2000-01-01",
            "--to",
            "2099-12-31",
            "-f",
            "table",
        ],
    );
    assert_eq!(outcome.code, 2, "{outcome:?}");
    assert!(
        outcome.stderr.contains(
            "the table would have more than 100000 rows (2000-01-01 to 2099-12-31); use -f text, csv, json, markdown or html"
        ),
        "{outcome:?}"
    );
}
