//! The compiled-catalog cache seen from the command line: used when the catalog is
//! unchanged, never when it changed, and never with `--no-cache`.

use crate::support::TestEnv;

fn cache_files(env: &TestEnv) -> Vec<std::path::PathBuf> {
    let dir = env.home().join(".cache").join("socctl");
    match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .map(|e| e.expect("a directory entry").path())
            .collect(),
        Err(_) => Vec::new(),
    }
}

#[test]
fn the_cache_follows_every_edit_of_the_catalog() {
    let env = TestEnv::shipped();
    let before = env.stdout(&["due", "--team", "monitoring", "-f", "json"]);
    assert_eq!(
        cache_files(&env).len(),
        1,
        "the first run compiles the catalog"
    );
    // The second run reads the cache and must say exactly the same.
    assert_eq!(
        env.stdout(&["due", "--team", "monitoring", "-f", "json"]),
        before
    );
    let tasks = env.work().join("tasks.yaml");
    let text = std::fs::read_to_string(&tasks).unwrap();
    let edited = text.replacen(
        "Generate Secure Score report",
        "Generate the weekly Secure Score report",
        1,
    );
    assert!(
        edited != text,
        "the shipped catalog has the title this test edits"
    );
    std::fs::write(&tasks, &edited).unwrap();
    // 2026-11-23 is a Monday: the weekly Secure Score report is due.
    let after = env.stdout(&["due", "--team", "monitoring", "-f", "json"]);
    assert!(
        after.contains("Generate the weekly Secure Score report"),
        "{after}"
    );
    assert!(!before.contains("the weekly Secure Score"));
    // A broken edit is an error, not the cached good copy.
    std::fs::write(
        &tasks,
        text.replacen("cadence: \"Daily\"", "cadence: \"Dayly\"", 1),
    )
    .unwrap();
    let output = env
        .cmd()
        .args(["due", "--team", "monitoring"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("Dayly"), "{stderr}");
}

#[test]
fn no_cache_reads_the_yaml_and_writes_nothing() {
    let env = TestEnv::shipped();
    let flag = env.stdout(&["--no-cache", "due", "-f", "json"]);
    assert!(cache_files(&env).is_empty());
    let variable = env
        .cmd()
        .env("SOCCTL_NO_CACHE", "1")
        .args(["due", "-f", "json"])
        .output()
        .unwrap();
    assert!(variable.status.success());
    assert!(cache_files(&env).is_empty());
    assert_eq!(String::from_utf8(variable.stdout).unwrap(), flag);
    // Falsey values leave the cache on.
    env.cmd()
        .env("SOCCTL_NO_CACHE", "0")
        .args(["due"])
        .assert()
        .success();
    assert_eq!(cache_files(&env).len(), 1);
}

#[test]
fn a_cache_directory_that_cannot_be_made_does_not_stop_a_command() {
    let env = TestEnv::shipped();
    let blocker = env.write("not-a-directory", "");
    let output = env
        .cmd()
        .env("SOCCTL_CACHE_DIR", blocker.join("cache"))
        .args(["due", "--team", "monitoring", "-f", "json"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Without a journal a cached `due`, `week` or `plan` decodes only the tasks that fall in its
/// range; what it prints is what the YAML gives, for every team, format and range.
#[test]
fn a_checklist_from_the_cache_is_the_checklist_from_the_yaml() {
    let env = TestEnv::shipped();
    let cases: [&[&str]; 6] = [
        &["due", "-f", "json"],
        &["due", "--date", "2026-12-25", "-f", "json"],
        &[
            "due",
            "--team",
            "monitoring",
            "--date",
            "2026-12-01",
            "-f",
            "csv",
        ],
        &["due", "--date", "2027-01-01", "-f", "text"],
        &["week", "-f", "json"],
        &[
            "plan",
            "--from",
            "2026-12-01",
            "--to",
            "2027-01-31",
            "-f",
            "csv",
        ],
    ];
    for args in cases {
        let yaml = env.stdout(&[&["--no-cache"], args].concat());
        // The first run with the cache compiles the catalog, the second reads it.
        assert_eq!(env.stdout(args), yaml, "{args:?}, compiling");
        assert_eq!(cache_files(&env).len(), 1);
        assert_eq!(env.stdout(args), yaml, "{args:?}, from the cache");
        assert!(yaml.len() > 100, "{args:?} prints a checklist: {yaml}");
    }
    assert!(
        !env.home().join(".local/state/socctl").exists(),
        "no journal was created"
    );
}

/// A team's holidays move its occurrences (here Tokyo's Monday review, to the Tuesday after
/// Vernal Equinox Day observed, 2027-03-22): a compiled catalog that picks the day's tasks
/// must pick them in each team's calendar, not the catalog's, where the review stays on
/// Monday and Tuesday has none.
#[test]
fn the_cache_picks_a_day_s_tasks_in_each_team_s_calendar() {
    let tasks = crate::support::fixture_text("zones", "tasks.yaml");
    // The zones fixture without Copenhagen's holiday file, which is never cached.
    let roles = crate::support::fixture_text("zones", "roles.yaml")
        .replace("    holidays_ics: holidays-dk-2027.ics\n", "");
    assert!(!roles.contains("holidays_ics"));
    let env = TestEnv::with_catalog(tasks, roles);
    let args: &[&str] = &["due", "--team", "tyo", "--date", "2027-03-23", "-f", "json"];
    let yaml = env.stdout(&[&["--no-cache"], args].concat());
    let plan: serde_json::Value = serde_json::from_str(&yaml).expect("JSON");
    // Re-serialised compactly, so the pair reads the same however socctl spaces it.
    assert!(
        plan.to_string().contains("\"task\":\"weekly-review\""),
        "{yaml}"
    );
    assert_eq!(env.stdout(args), yaml, "compiling");
    assert_eq!(cache_files(&env).len(), 1);
    assert_eq!(env.stdout(args), yaml, "from the cache");
}

/// `due -f json` without a journal reads a day straight from the compiled catalog's bytes:
/// the output is the plan's, byte for byte (all-day work first, then by time; within a time
/// by first team in roles.yaml order, then id; the next occurrence as `window_end`; text
/// escaped as everywhere else), whether the catalog comes from the YAML, is being compiled
/// or is read back.
#[test]
fn a_day_from_the_compiled_catalog_is_written_as_the_plan_writes_it() {
    let roles = "version: 1\nteams:\n  - id: red\n    name: \"Red\"\n  - id: blue\n    name: \"Blue\"\n  - id: green\n    name: \"Green\"\n";
    let tasks = r#"version: 1
timezone: Europe/Copenhagen
tasks:
  - id: zeta-daily
    title: "Zeta \"quoted\" – ü"
    description: "Every day"
    cadence: daily
    team: blue
  - id: alpha-weekly
    title: "Alpha"
    description: "Mondays at nine"
    cadence: weekly on monday at 09:00
    team: blue
  - id: beta-monthly
    title: "Beta"
    description: "The first of the month"
    cadence: monthly on day 1 and as needed
    team: [red, blue]
  - id: gamma-early
    title: "Gamma"
    description: "Half past seven"
    cadence: daily at 07:30
    team: red
  - id: delta-tuesday
    title: "Delta"
    description: "Not on a Monday"
    cadence: weekly on tuesday
    team: red
"#;
    let env = TestEnv::with_catalog(tasks, roles);
    let tail = r#""status":null,"done_at":null,"done_by":null,"reason":null,"assignee":null"#;
    // 2026-06-01 is a Monday and the first of a month.
    let expected = [
        format!(
            r#"{{"task":"beta-monthly","title":"Beta","teams":["red","blue"],"date":"2026-06-01","time":null,"window_end":"2026-07-01",{tail},"cadence":"monthly on day 1 and as needed","as_needed":true,"description":"The first of the month"}}"#
        ),
        format!(
            r#"{{"task":"zeta-daily","title":"Zeta \"quoted\" – ü","teams":["blue"],"date":"2026-06-01","time":null,"window_end":"2026-06-02",{tail},"cadence":"daily","as_needed":false,"description":"Every day"}}"#
        ),
        format!(
            r#"{{"task":"gamma-early","title":"Gamma","teams":["red"],"date":"2026-06-01","time":"07:30","window_end":"2026-06-02",{tail},"cadence":"daily at 07:30","as_needed":false,"description":"Half past seven"}}"#
        ),
        format!(
            r#"{{"task":"alpha-weekly","title":"Alpha","teams":["blue"],"date":"2026-06-01","time":"09:00","window_end":"2026-06-08",{tail},"cadence":"weekly on monday at 09:00","as_needed":false,"description":"Mondays at nine"}}"#
        ),
    ];
    let array = |entries: &[&String]| {
        let lines: Vec<&str> = entries.iter().map(|e| e.as_str()).collect();
        format!("[\n{}\n]\n", lines.join(",\n"))
    };
    // Blue's work: beta-monthly is red's and blue's, gamma-early only red's.
    let blue = array(&[&expected[0], &expected[1], &expected[3]]);
    let expected = array(&expected.iter().collect::<Vec<_>>());
    for args in [
        &["due", "--date", "2026-06-01", "-f", "json"][..],
        &[
            "due",
            "--date",
            "2026-06-01",
            "--team",
            "blue",
            "-f",
            "json",
        ][..],
        &["due", "--date", "2026-06-02", "--team", "red", "-f", "json"][..],
        &[
            "due",
            "--date",
            "2026-06-03",
            "--team",
            "red",
            "-f",
            "json",
            "--quiet-if-empty",
        ][..],
    ] {
        let yaml = env.stdout(&[&["--no-cache"], args].concat());
        assert_eq!(env.stdout(args), yaml, "{args:?}, compiling");
        assert_eq!(env.stdout(args), yaml, "{args:?}, from the cache");
        match args[2] {
            "2026-06-01" if args.len() == 5 => assert_eq!(yaml, expected),
            "2026-06-01" => assert_eq!(yaml, blue),
            "2026-06-02" => assert!(yaml.contains("delta-tuesday"), "{yaml}"),
            _ => assert!(yaml.contains("gamma-early"), "{yaml}"),
        }
    }
    // Nothing due for the team: `[]`, and nothing at all with --quiet-if-empty.
    for (quiet, empty) in [(false, "[]\n"), (true, "")] {
        let mut args = vec![
            "due",
            "--date",
            "2026-06-01",
            "--team",
            "green",
            "-f",
            "json",
        ];
        if quiet {
            args.push("--quiet-if-empty");
        }
        assert_eq!(env.stdout(&[&["--no-cache"], &args[..]].concat()), empty);
        assert_eq!(env.stdout(&args), empty, "{args:?}, from the cache");
    }
}
