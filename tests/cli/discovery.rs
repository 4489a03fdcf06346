//! Where socctl finds its catalog: --catalog/SOCCTL_CATALOG, else ./tasks.yaml, else
//! $XDG_CONFIG_HOME/socctl/tasks.yaml; roles.yaml beside tasks.yaml, else ./, else the
//! configuration directory.

use std::fs;
use std::path::Path;

use predicates::prelude::*;
use serde_json::{Value, json};

use crate::support::{TestEnv, dated_tasks, fixture_path};

/// Copies the shipped catalog files into `dir`.
fn install_shipped(dir: &Path) {
    fs::create_dir_all(dir).expect("mkdir");
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    for file in ["tasks.yaml", "roles.yaml"] {
        fs::copy(manifest.join(file), dir.join(file)).expect("copy");
    }
}

/// Copies a fixture's files into `dir`.
fn install_fixture(name: &str, dir: &Path) {
    fs::create_dir_all(dir).expect("mkdir");
    for file in ["tasks.yaml", "roles.yaml"] {
        fs::copy(fixture_path(name).join(file), dir.join(file)).expect("copy");
    }
}

#[test]
fn the_configuration_directory_is_used_when_the_working_directory_has_no_catalog() {
    let env = TestEnv::empty();
    let dir = env.config().join("socctl");
    install_shipped(&dir);
    env.cmd().arg("check").assert().success().stdout(format!(
        "{}, {}: ok (8 tasks, 5 teams)\n",
        dir.join("tasks.yaml").display(),
        dir.join("roles.yaml").display()
    ));
    env.cmd()
        .args(["due", "--team", "csirt", "-f", "json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("update-escalation-tickets"));
}

#[test]
fn without_xdg_config_home_the_directory_is_under_home() {
    let env = TestEnv::empty();
    let dir = env.home().join(".config").join("socctl");
    install_shipped(&dir);
    env.cmd()
        .env_remove("XDG_CONFIG_HOME")
        .arg("check")
        .assert()
        .success()
        .stdout(predicate::str::starts_with(format!(
            "{}, ",
            dir.join("tasks.yaml").display()
        )));
    // An empty XDG_CONFIG_HOME counts as unset.
    env.cmd()
        .env("XDG_CONFIG_HOME", "")
        .arg("check")
        .assert()
        .success();
}

#[test]
fn the_working_directory_wins_over_the_configuration_directory() {
    let env = TestEnv::shipped();
    install_fixture("timed", &env.config().join("socctl"));
    env.cmd()
        .arg("check")
        .assert()
        .success()
        .stdout("tasks.yaml, roles.yaml: ok (8 tasks, 5 teams)\n");
}

#[test]
fn roles_are_found_beside_the_catalog_then_here_then_in_the_configuration_directory() {
    let env = TestEnv::empty();
    install_shipped(&env.work().join("team"));
    // Beside: team/roles.yaml.
    env.cmd()
        .args(["--catalog", "team/tasks.yaml", "check"])
        .assert()
        .success()
        .stdout("team/tasks.yaml, team/roles.yaml: ok (8 tasks, 5 teams)\n");
    // Not beside: the working directory's roles.yaml.
    fs::remove_file(env.work().join("team").join("roles.yaml")).expect("rm");
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("roles.yaml"),
        env.work().join("roles.yaml"),
    )
    .expect("copy");
    env.cmd()
        .args(["--catalog", "team/tasks.yaml", "check"])
        .assert()
        .success()
        .stdout("team/tasks.yaml, roles.yaml: ok (8 tasks, 5 teams)\n");
    // Neither: the configuration directory's.
    fs::remove_file(env.work().join("roles.yaml")).expect("rm");
    let dir = env.config().join("socctl");
    install_shipped(&dir);
    env.cmd()
        .args(["--catalog", "team/tasks.yaml", "check"])
        .assert()
        .success()
        .stdout(format!(
            "team/tasks.yaml, {}: ok (8 tasks, 5 teams)\n",
            dir.join("roles.yaml").display()
        ));
}

#[test]
fn socctl_catalog_and_socctl_roles_name_the_files() {
    let env = TestEnv::empty();
    let dir = env.home().join("catalogs");
    install_shipped(&dir);
    let tasks = dir.join("tasks.yaml");
    env.cmd()
        .env("SOCCTL_CATALOG", &tasks)
        .arg("check")
        .assert()
        .success()
        .stdout(format!(
            "{}, {}: ok (8 tasks, 5 teams)\n",
            tasks.display(),
            dir.join("roles.yaml").display()
        ));
    // SOCCTL_ROLES picks another roles file; --catalog beats SOCCTL_CATALOG.
    install_fixture("timed", &env.work().join("timed"));
    env.cmd()
        .env("SOCCTL_CATALOG", &tasks)
        .env("SOCCTL_ROLES", env.work().join("timed").join("roles.yaml"))
        .args(["--catalog", "timed/tasks.yaml", "check"])
        .assert()
        .success()
        .stdout(predicate::str::ends_with("ok (7 tasks, 2 teams)\n"));
    // The variable is used by every command.
    let output = env
        .cmd()
        .env("SOCCTL_CATALOG", &tasks)
        .args([
            "due",
            "--team",
            "csirt",
            "--date",
            "2026-11-24",
            "-f",
            "json",
        ])
        .output()
        .expect("running socctl");
    assert!(output.status.success());
    let due: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(
        dated_tasks(&due),
        [("2026-11-24", "update-escalation-tickets")]
    );
}

#[test]
fn explain_works_without_any_catalog() {
    let env = TestEnv::empty();
    let explained = env.json(&["explain", "weekly on friday", "-n", "2", "-f", "json"]);
    // 2026-11-27 and 2026-12-04 are the Fridays after Monday 2026-11-23.
    assert_eq!(
        explained["dates"],
        json!([{"date": "2026-11-27", "time": null}, {"date": "2026-12-04", "time": null}])
    );
}

/// Empty `SOCCTL_*` variables should mean "unset", as `cli::environment::env_var` documents for the
/// variables it reads itself (SOCCTL_TODAY, XDG_CONFIG_HOME, NO_COLOR): a wrapper script
/// that exports `SOCCTL_TEAM="${TEAM:-}"` should get every team, not an error.
#[test]
fn empty_environment_variables_count_as_unset() {
    let env = TestEnv::shipped();
    env.cmd()
        .env("SOCCTL_TODAY", "")
        .arg("check")
        .assert()
        .success();
    for variable in [
        "SOCCTL_CATALOG",
        "SOCCTL_ROLES",
        "SOCCTL_TZ",
        "SOCCTL_FORMAT",
        "SOCCTL_COLOR",
        "SOCCTL_TEAM",
    ] {
        env.cmd()
            .env(variable, "")
            .args(["due", "--date", "2026-11-23"])
            .assert()
            .success()
            .stdout(predicate::str::starts_with(
                "Due Monday 23 November 2026 (UTC)\n",
            ));
    }
}

/// A catalog with a holiday on Friday 1 January 2027 and `fortnight`'s `cadence` on line 8,
/// column 14; `broken` makes that cadence the one (and only) error.
fn holiday_catalog(cadence: &str) -> TestEnv {
    TestEnv::one_team(format!(
        "version: 1\ntimezone: Europe/Copenhagen\nholidays: [2027-01-01]\ntasks:\n  \
         - id: fortnight\n    title: Every other Friday\n    start: 2027-01-01\n    \
         cadence: {cadence}\n    team: ops\n"
    ))
}

/// The dates of `explain CADENCE -f json` run with `args`, with its exit code and stderr.
fn explain_dates(env: &TestEnv, args: &[&str]) -> (Option<i32>, Vec<String>, String) {
    let output = env
        .cmd()
        .arg("explain")
        .args(args)
        .args(["-f", "json"])
        .output()
        .expect("running socctl");
    let stderr = String::from_utf8(output.stderr).expect("UTF-8");
    let dates = if output.stdout.is_empty() {
        Vec::new()
    } else {
        let value: Value = serde_json::from_slice(&output.stdout).expect("JSON");
        value["dates"]
            .as_array()
            .expect("dates")
            .iter()
            .map(|d| d["date"].as_str().expect("a date").to_owned())
            .collect()
    };
    (output.status.code(), dates, stderr)
}

/// The first two "first work day of the month" dates from 1 January 2027.
const FIRST_WORKDAYS_FROM_2027: &[&str] = &[
    "first workday of the month",
    "--from",
    "2027-01-01",
    "-n",
    "2",
];

/// The first work day of January 2027 is Monday 4 January in the catalog's calendar (the 1st,
/// a Friday, is its holiday) and Friday 1 January in the default one; February 2027 starts on
/// a Monday, a work day in both.
#[test]
fn explain_uses_the_catalog_calendar_when_the_catalog_loads() {
    let env = holiday_catalog("fortnightly on friday");
    env.cmd().arg("check").assert().success();
    let (code, dates, stderr) = explain_dates(&env, FIRST_WORKDAYS_FROM_2027);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(dates, ["2027-01-04", "2027-02-01"]);
    assert_eq!(stderr, "");
}

/// The catalog in the current directory has errors, but only in a task (`fortnightly`
/// without its day): the fix can still be tried, in the catalog's own calendar (Monday 4
/// January 2027 is the first work day after the holiday), and stderr says so, naming the
/// first problem.
#[test]
fn explain_works_in_a_catalog_with_broken_tasks_in_its_calendar() {
    let env = holiday_catalog("fortnightly");
    env.cmd().arg("check").assert().code(1);
    let (code, dates, stderr) = explain_dates(&env, FIRST_WORKDAYS_FROM_2027);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(dates, ["2027-01-04", "2027-02-01"]);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines,
        [
            "socctl: warning: the catalog could not be loaded: tasks.yaml:8:14: cannot read the \
             cadence `fortnightly` of task `fortnight`: `fortnightly` is not a cadence socctl \
             understands",
            "socctl: warning: explaining in the catalog's calendar, whose settings have no \
             errors: Europe/Copenhagen, 1 holiday",
        ],
        "{stderr}"
    );
    // The fix the accepted forms suggest: every other Friday from the start, Friday 1 January
    // 2027, 14 days apart.
    let (code, dates, _) = explain_dates(
        &env,
        &["fortnightly on friday", "--start", "2027-01-01", "-n", "3"],
    );
    assert_eq!(code, Some(0));
    assert_eq!(dates, ["2027-01-01", "2027-01-15", "2027-01-29"]);
    // --tz still overrides the catalog's zone.
    let (code, _, stderr) = explain_dates(&env, &["--tz", "Asia/Tokyo", "daily"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("have no errors: Asia/Tokyo, 1 holiday"),
        "{stderr}"
    );
    // A cadence that is wrong itself is still refused, with the warning before it.
    let (code, dates, stderr) = explain_dates(&env, &["fortnightly"]);
    assert_eq!(code, Some(2));
    assert!(dates.is_empty());
    assert!(
        stderr.starts_with("socctl: warning: the catalog could not be loaded: "),
        "{stderr}"
    );
    assert!(
        stderr.contains("socctl: cannot read `fortnightly`: "),
        "{stderr}"
    );
}

/// Errors outside the tasks (a misspelt `holidays`, which may be what the lead is testing)
/// make the catalog's calendar unreliable: the default one is used, with no holidays, so
/// Friday 1 January 2027 is the month's first work day.
#[test]
fn explain_in_a_catalog_with_broken_calendar_settings_uses_the_defaults() {
    let env = TestEnv::one_team(
        "version: 1\ntimezone: Europe/Copenhagen\nholiday: [2027-01-01]\ntasks:\n  \
         - id: fortnight\n    title: Every other Friday\n    cadence: daily\n    team: ops\n",
    );
    env.cmd().arg("check").assert().code(1);
    let (code, dates, stderr) = explain_dates(&env, FIRST_WORKDAYS_FROM_2027);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(dates, ["2027-01-01", "2027-02-01"]);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(
        lines[0].starts_with(
            "socctl: warning: the catalog could not be loaded: tasks.yaml:3:1: unknown field \
             `holiday`"
        ),
        "{stderr}"
    );
    assert_eq!(
        lines[1],
        "socctl: warning: explaining in the default calendar instead: UTC, weeks starting on \
         Monday, work days Monday to Friday, no holidays, no cadence aliases"
    );
    let (code, _, stderr) = explain_dates(&env, &["--tz", "Asia/Tokyo", "daily"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("default calendar instead: Asia/Tokyo, "),
        "{stderr}"
    );
}

/// Errors only in roles.yaml leave tasks.yaml's calendar sound.
#[test]
fn explain_with_broken_roles_uses_the_catalog_calendar() {
    let env = holiday_catalog("weekly on friday");
    env.write("roles.yaml", "version: 2\nteams: []\n");
    env.cmd().arg("check").assert().code(1);
    let (code, dates, stderr) = explain_dates(&env, FIRST_WORKDAYS_FROM_2027);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(dates, ["2027-01-04", "2027-02-01"]);
    assert!(
        stderr.contains("explaining in the catalog's calendar"),
        "{stderr}"
    );
}

/// The `broken` fixture has eight errors, the first an unknown time zone on line 3: the
/// warning names it and counts the others, and as the calendar settings are among them,
/// the default calendar is used.
#[test]
fn explain_in_a_broken_catalog_names_the_first_of_several_problems() {
    let env = TestEnv::fixture("broken");
    // Monday 2026-11-23 is today; the Fridays after it, every other week from Friday
    // 2026-11-27, are 27 November, 11 and 25 December.
    let (code, dates, stderr) = explain_dates(
        &env,
        &[
            "every other week on friday",
            "--start",
            "2026-11-27",
            "-n",
            "3",
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(dates, ["2026-11-27", "2026-12-11", "2026-12-25"]);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines,
        [
            "socctl: warning: the catalog could not be loaded: tasks.yaml:3:11: unknown time \
             zone `Europe/Copenhagn` (and 7 more errors; `socctl check` lists them)",
            "socctl: warning: explaining in the default calendar instead: UTC, weeks starting \
             on Monday, work days Monday to Friday, no holidays, no cadence aliases",
        ],
        "{stderr}"
    );
}

/// A catalog named on the command line that is not there is still an error, not a switch
/// to the defaults.
#[test]
fn explain_with_a_missing_catalog_named_is_an_error() {
    let env = TestEnv::empty();
    let (code, dates, stderr) = explain_dates(&env, &["--catalog", "nowhere/tasks.yaml", "daily"]);
    assert_ne!(code, Some(0), "{stderr}");
    assert!(dates.is_empty());
    assert!(!stderr.contains("default calendar"), "{stderr}");
}
