//! Dynamic shell completion (`COMPLETE=bash socctl …`, clap_complete's protocol): task ids
//! and team names come from the catalog the command line would use, and a catalog that is
//! missing or broken gives no candidates, never an error on the user's shell.
//!
//! The expected ids are read off the shipped tasks.yaml and roles.yaml by hand.

use std::ffi::OsStr;

use crate::support::{SHIPPED_TASKS, SHIPPED_TEAMS, TestEnv, manifest_dir};

/// The shipped teams and tasks, in file order (read off roles.yaml and tasks.yaml).
const TEAMS: [&str; 5] = SHIPPED_TEAMS;
const TASKS: [&str; 8] = SHIPPED_TASKS;

/// What bash would be offered for the last of `words` (the line as typed, the program
/// first), as the registration script asks: the words after `--`, the index of the word
/// being completed, candidates one a line. Options (`--…`) are left out.
fn bash(env: &TestEnv, vars: &[(&str, &OsStr)], words: &[&str]) -> Vec<String> {
    let output = env
        .std_cmd()
        .env("COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", (words.len() - 1).to_string())
        .env("_CLAP_IFS", "\n")
        .envs(vars.iter().copied())
        .arg("--")
        .args(words)
        .output()
        .expect("running socctl");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{words:?}: {:?} {stderr}",
        output.status
    );
    assert!(stderr.is_empty(), "{words:?} wrote to the shell: {stderr}");
    String::from_utf8(output.stdout)
        .expect("UTF-8")
        .lines()
        .filter(|c| !c.is_empty() && !c.starts_with('-'))
        .map(str::to_owned)
        .collect()
}

#[test]
fn task_ids_and_teams_come_from_the_catalog() {
    let env = TestEnv::shipped();
    let mut teams: Vec<&str> = TEAMS.to_vec();
    teams.push("all");
    for line in [
        &["socctl", "due", "--team", ""][..],
        &["socctl", "week", "-t", ""],
        &["socctl", "tasks", "--team", ""],
        &["socctl", "history", "--team", ""],
        &["socctl", "report", "--team", ""],
        &["socctl", "overdue", "--team", ""],
        &["socctl", "export", "ics", "--team", ""],
    ] {
        assert_eq!(bash(&env, &[], line), teams, "{line:?}");
    }
    // A record is one team's (or every team's, with --all-teams): no groups.
    assert_eq!(
        bash(
            &env,
            &[],
            &["socctl", "done", "secure-score-report", "--team", ""]
        ),
        TEAMS
    );
    assert_eq!(
        bash(&env, &[], &["socctl", "due", "--team", "m"]),
        ["monitoring"]
    );
    for line in [
        &["socctl", "show", ""][..],
        &["socctl", "done", ""],
        &["socctl", "skip", ""],
        &["socctl", "undo", ""],
        &["socctl", "next", ""],
        &["socctl", "history", "--task", ""],
    ] {
        assert_eq!(bash(&env, &[], line), TASKS, "{line:?}");
    }
    assert_eq!(
        bash(&env, &[], &["socctl", "show", "update-e"]),
        ["update-escalation-tickets"]
    );
    // Only "as needed" tasks can be triggered: the three "… and as needed" and the one
    // "As needed".
    assert_eq!(
        bash(&env, &[], &["socctl", "trigger", ""]),
        [
            "service-administration",
            "update-phishing-dlp-campaigns",
            "deploy-automation-scripts",
            "ir-tabletop-exercise",
        ]
    );
    // Subcommands and options still complete.
    assert_eq!(bash(&env, &[], &["socctl", "wee"]), ["week"]);
}

#[test]
fn the_catalog_is_the_one_the_command_line_names() {
    // No catalog where the shell is; another one elsewhere.
    let env = TestEnv::empty();
    let other = TestEnv::with_catalog(
        "version: 1\ntimezone: UTC\ntasks:\n  - id: sweep\n    title: Sweep\n    cadence: daily\n    team: red\n",
        "version: 1\nteams:\n  - id: red\n    name: Red\n  - id: blue\n    name: Blue\n",
    );
    let tasks = other.work().join("tasks.yaml");
    let tasks = tasks.to_str().expect("UTF-8");
    // Every catalog has the group `all` (docs/catalog.md), after its teams.
    let fixture_teams = || ["red", "blue", "all"];
    assert_eq!(
        bash(&env, &[], &["socctl", "due", "--team", ""]),
        Vec::<String>::new()
    );
    let assign = format!("--catalog={tasks}");
    for line in [
        &["socctl", "--catalog", tasks, "due", "--team", ""][..],
        &["socctl", "due", "--catalog", tasks, "--team", ""],
        &["socctl", &assign, "due", "--team", ""],
    ] {
        assert_eq!(bash(&env, &[], line), fixture_teams(), "{line:?}");
    }
    assert_eq!(
        bash(
            &env,
            &[("SOCCTL_CATALOG", OsStr::new(tasks))],
            &["socctl", "due", "--team", ""]
        ),
        fixture_teams()
    );
    // The command line wins over the variable, as it does for commands.
    let shipped = manifest_dir().join("tasks.yaml");
    assert_eq!(
        bash(
            &env,
            &[("SOCCTL_CATALOG", shipped.as_os_str())],
            &["socctl", "--catalog", tasks, "due", "--team", ""]
        ),
        fixture_teams()
    );
    assert_eq!(
        bash(
            &env,
            &[("SOCCTL_CATALOG", shipped.as_os_str())],
            &["socctl", "show", ""]
        ),
        TASKS
    );
}

#[test]
fn a_broken_or_missing_catalog_gives_no_candidates() {
    let broken = TestEnv::fixture("broken");
    let missing = TestEnv::empty();
    let directory = TestEnv::empty();
    let dir = directory.work();
    for (env, vars) in [
        (&broken, vec![]),
        (&missing, vec![]),
        (
            &missing,
            vec![("SOCCTL_CATALOG", OsStr::new("/nonexistent/tasks.yaml"))],
        ),
        (&directory, vec![("SOCCTL_CATALOG", dir.as_os_str())]),
    ] {
        for line in [
            &["socctl", "due", "--team", ""][..],
            &["socctl", "show", ""],
            &["socctl", "--catalog", "", "show", ""],
            &["socctl", "--catalog"],
        ] {
            assert_eq!(bash(env, &vars, line), Vec::<String>::new(), "{line:?}");
        }
    }
}

#[test]
fn descriptions_cannot_reach_the_terminal_as_control_sequences() {
    let env = TestEnv::with_catalog(
        "version: 1\ntimezone: UTC\ntasks:\n  - id: sweep\n    title: \"Sweep \\e]52;c;SGVsbG8=\\a \\u202Elogs\\tnow\\nX\"\n    cadence: daily\n    team: ops\n",
        "version: 1\nteams:\n  - id: ops\n    name: \"Ops \\e[2J team\"\n",
    );
    // fish reads `value<TAB>description` lines.
    let output = env
        .std_cmd()
        .env("COMPLETE", "fish")
        .args(["--", "socctl", "show", ""])
        .output()
        .expect("running socctl");
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    let sweep = text
        .lines()
        .find(|l| l.starts_with("sweep\t"))
        .unwrap_or_else(|| panic!("{text}"));
    assert_eq!(
        sweep,
        r"sweep	Sweep \u{1b}]52;c;SGVsbG8=\u{7} \u{202e}logs\tnow\nX"
    );
    let output = env
        .std_cmd()
        .env("COMPLETE", "fish")
        .args(["--", "socctl", "due", "--team", ""])
        .output()
        .expect("running socctl");
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(text.contains("ops\tOps \\u{1b}[2J team\n"), "{text}");
}

#[test]
fn the_shell_scripts_ask_socctl_and_the_old_ones_still_work() {
    let env = TestEnv::empty();
    for (shell, marker) in [
        (
            "bash",
            "complete -o nospace -o bashdefault -o nosort -F _clap_complete_socctl socctl",
        ),
        ("zsh", "#compdef socctl"),
        ("fish", "complete --keep-order --exclusive --command socctl"),
    ] {
        let output = env
            .std_cmd()
            .env("COMPLETE", shell)
            .output()
            .expect("running socctl");
        assert!(output.status.success(), "{shell}: {output:?}");
        let script = String::from_utf8(output.stdout).expect("UTF-8");
        assert!(script.contains(marker), "{shell}: {script}");
        assert!(script.contains("COMPLETE="), "{shell}: {script}");
    }
    // `COMPLETE` empty or 0: socctl runs as usual.
    for value in ["", "0"] {
        let output = env
            .std_cmd()
            .env("COMPLETE", value)
            .args(["completions", "bash"])
            .output()
            .expect("running socctl");
        assert!(output.status.success());
        assert!(String::from_utf8_lossy(&output.stdout).contains("complete -F _socctl"));
    }
}

/// The script bash sources, run by bash itself: its completion function fills COMPREPLY
/// from socctl's answer.
#[test]
fn bash_itself_completes_from_the_sourced_script() {
    let env = TestEnv::shipped();
    let bin = crate::support::socctl_binary()
        .parent()
        .expect("the binary's directory")
        .to_owned();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let script = r#"source <(COMPLETE=bash socctl)
COMP_WORDS=(socctl due --team m); COMP_CWORD=3; COMP_TYPE=9
_clap_complete_socctl socctl m --team; printf '[%s]\n' "${COMPREPLY[@]}"
COMP_WORDS=(socctl show update-); COMP_CWORD=2
_clap_complete_socctl socctl update- show; printf '[%s]\n' "${COMPREPLY[@]}""#;
    let output = env
        .command("bash")
        .env("PATH", path)
        .args(["--norc", "-c", script])
        .output()
        .expect("running bash");
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        String::from_utf8(output.stdout).expect("UTF-8"),
        // Two shipped ids start with `update-`.
        "[monitoring]\n[update-phishing-dlp-campaigns]\n[update-escalation-tickets]\n",
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}
