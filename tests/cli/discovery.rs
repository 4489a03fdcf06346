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
