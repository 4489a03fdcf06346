//! `socctl plan` against remind(1), an independent calendar program: a catalog of 1,000 tasks
//! written by `scripts/bench/generate_catalog.py` (every cadence form, holidays, both shifts) comes
//! with the same schedules as a remind file, and one year of (date, task) pairs must be the
//! same from both, for every task remind can express (the generator lists the others, with
//! the reason, in `reminders-left-out.tsv`). `scripts/bench/crosscheck.py` is the same check for any
//! size, with the differences grouped.
//!
//! They need remind and Python, so plain `cargo test` lists them as ignored;
//! `scripts/test` installs both and runs them.

#[allow(dead_code)]
mod support;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use support::{TestEnv, Tool, manifest_dir, python, require};

/// One occurrence: (date `YYYY-MM-DD`, task id).
type Pair = (String, String);

/// Runs a command, expects success and a quiet stderr, returns stdout.
fn run(command: &mut Command) -> String {
    let output = command.output().expect("running a tool");
    assert!(
        output.status.success() && output.stderr.is_empty(),
        "{command:?} failed with {:?}\nstderr: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// The generated catalog's tasks that have no REM line.
fn left_out(dir: &Path) -> BTreeSet<String> {
    std::fs::read_to_string(dir.join("reminders-left-out.tsv"))
        .expect("reading reminders-left-out.tsv")
        .lines()
        .filter_map(|line| line.split('\t').next())
        .map(str::to_owned)
        .collect()
}

/// socctl's one-year plan as (date, task) pairs, from CSV (`date,time,task,…`).
fn socctl_pairs(env: &TestEnv, year: u32) -> BTreeSet<Pair> {
    let dir = env.work();
    let csv = run(env
        .std_cmd()
        .arg("--catalog")
        .arg(dir.join("tasks.yaml"))
        .arg("--roles")
        .arg(dir.join("roles.yaml"))
        .args(["plan", "--from", &format!("{year}-01-01")])
        .args(["--to", &format!("{year}-12-31"), "-f", "csv"]));
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .is_some_and(|h| h.starts_with("date,time,task,")),
        "CSV header"
    );
    lines
        .map(|line| {
            let mut fields = line.splitn(4, ',');
            let date = fields.next().expect("a date").to_owned();
            let task = fields.nth(1).expect("a task").to_owned();
            (date, task)
        })
        .collect()
}

/// remind's pairs: `remind -s12 FILE Y-01-01` prints `yyyy/mm/dd special tag duration time
/// body` per reminder and day; the body is the task id (after a time such as `9:00am`).
fn remind_pairs(dir: &Path, year: u32) -> BTreeSet<Pair> {
    let out = run(Command::new("remind")
        .env_clear()
        .arg("-s12")
        .arg(dir.join("reminders.rem"))
        .arg(format!("{year}-01-01")));
    out.lines()
        .map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            assert!(fields.len() >= 6, "a remind -s line: {line:?}");
            (
                fields[0].replace('/', "-"),
                fields[fields.len() - 1].to_owned(),
            )
        })
        .collect()
}

/// Generates N tasks with `seed` (and `generator_args`) and compares `year` from both programs.
fn crosscheck(n: u32, seed: u32, year: u32, generator_args: &[&str]) {
    require(&[Tool::Remind, Tool::Python(&[])]);
    let env = TestEnv::empty();
    run(python()
        .arg(manifest_dir().join("scripts/bench/generate_catalog.py"))
        .arg(n.to_string())
        .arg(env.work())
        .args(["--seed", &seed.to_string()])
        .args(generator_args));
    crosscheck_generated(&env, n, seed, year);
}

fn crosscheck_generated(env: &TestEnv, n: u32, seed: u32, year: u32) {
    let left_out = left_out(&env.work());
    let ours: BTreeSet<Pair> = socctl_pairs(env, year)
        .into_iter()
        .filter(|(_, task)| !left_out.contains(task))
        .collect();
    let theirs = remind_pairs(&env.work(), year);
    // The data is not trivial: most tasks are compared, on many days.
    assert!(
        left_out.len() < n as usize / 10,
        "left out: {}",
        left_out.len()
    );
    let tasks: BTreeSet<&String> = theirs.iter().map(|(_, task)| task).collect();
    assert!(tasks.len() > n as usize * 8 / 10, "{} tasks", tasks.len());
    let only_socctl: Vec<&Pair> = ours.difference(&theirs).take(20).collect();
    let only_remind: Vec<&Pair> = theirs.difference(&ours).take(20).collect();
    assert!(
        only_socctl.is_empty() && only_remind.is_empty(),
        "N = {n}, seed {seed}, {year}: {} pairs from socctl, {} from remind\n\
         only in socctl: {only_socctl:?}\nonly in remind: {only_remind:?}\n\
         (scripts/bench/crosscheck.py groups them by cadence)",
        ours.len(),
        theirs.len()
    );
}

#[test]
#[ignore = "needs remind and Python: run scripts/test"]
fn one_year_of_a_thousand_tasks_equals_remind() {
    crosscheck(1000, 42, 2026, &[]);
}

/// A leap year, another seed: this one has a `next-workday` task starting on the Monday
/// after a weekend, whose first occurrence must not come from the Saturday before `start`.
#[test]
#[ignore = "needs remind and Python: run scripts/test"]
fn a_leap_year_with_another_seed_equals_remind() {
    crosscheck(1000, 3, 2024, &[]);
}

/// The everyday spellings (`fortnightly on monday`, `the last friday of every month`,
/// `daily at 9am`, …) written for about a third of the tasks whose form has one, with the
/// REM lines of the form they stand for: socctl reads each as that form.
#[test]
#[ignore = "needs remind and Python: run scripts/test"]
fn everyday_spellings_equal_remind() {
    require(&[Tool::Remind, Tool::Python(&[])]);
    let env = TestEnv::empty();
    run(python()
        .arg(manifest_dir().join("scripts/bench/generate_catalog.py"))
        .arg("1000")
        .arg(env.work())
        .args(["--seed", "7", "--everyday-spellings"]));
    let tasks = std::fs::read_to_string(env.work().join("tasks.yaml")).expect("tasks.yaml");
    let spelled = tasks
        .lines()
        .filter(|line| line.trim_start().starts_with("cadence:"))
        .filter(|line| {
            [
                "every other",
                "fortnightly",
                "biweekly",
                "of the month",
                "of every month",
                "of each month",
                "am\"",
                "pm\"",
                "semiannually",
                "annually on",
                "every fri",
                "every Fri",
                "every mon",
            ]
            .iter()
            .any(|spelling| line.contains(spelling))
        })
        .count();
    // The data is not trivial: many tasks are written in an everyday spelling.
    assert!(spelled > 30, "{spelled} tasks in an everyday spelling");
    crosscheck_generated(&env, 1000, 7, 2027);
}

/// The second benchmark mix (`--cron-heavy`: about half crontab rules, a quarter nth-weekday
/// ones, few daily ones), in a common year and a leap year.
#[test]
#[ignore = "needs remind and Python: run scripts/test"]
fn the_cron_heavy_mix_equals_remind() {
    crosscheck(1000, 42, 2026, &["--cron-heavy"]);
    crosscheck(1000, 5, 2024, &["--cron-heavy"]);
}
