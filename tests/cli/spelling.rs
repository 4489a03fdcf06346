//! One spelling for each option (issue 13 §3): ranges are `--from`/`--to` on every command
//! that takes one, with the old `--since`/`--until` still accepted; the sender and
//! recipients of mail are `--mail-from`/`--mail-to` everywhere; and each subcommand's
//! `--help` lists its own options before the global ones, which have a heading of their own.

use serde_json::Value;

use crate::support::{TestEnv, dated_tasks, items, text};

/// One daily task, `rotate-keys`, of the one team `ops`.
const DAILY: &str = "version: 1\ntasks:\n  - id: rotate-keys\n    title: Rotate keys\n    cadence: daily\n    team: ops\n";

/// Runs `socctl args…` on the day `today` and returns its exit code, stdout and stderr.
fn run_on(env: &TestEnv, today: &str, args: &[&str]) -> (i32, String, String) {
    let output = env
        .cmd()
        .env("SOCCTL_TODAY", today)
        .args(args)
        .output()
        .expect("running socctl");
    (
        output.status.code().expect("an exit code"),
        String::from_utf8(output.stdout).expect("UTF-8 output"),
        String::from_utf8(output.stderr).expect("UTF-8 errors"),
    )
}

/// Runs `socctl args…` on the day `today`, expecting success, and returns stdout.
fn ok_on(env: &TestEnv, today: &str, args: &[&str]) -> String {
    let (code, stdout, stderr) = run_on(env, today, args);
    assert_eq!(code, 0, "socctl {args:?}: {stderr}");
    stdout
}

/// The days a `plan -f json` covers, first and last, and how many occurrences it has.
fn plan_days(json: &str) -> (String, String, usize) {
    let value: Value = serde_json::from_str(json).expect("JSON");
    let dates: Vec<&str> = dated_tasks(&value).into_iter().map(|(d, _)| d).collect();
    (
        dates.first().expect("a first day").to_string(),
        dates.last().expect("a last day").to_string(),
        dates.len(),
    )
}

/// The global options, as `socctl --help` lists them (written out here, not read from clap).
const GLOBAL: [&str; 11] = [
    "--catalog",
    "--roles",
    "--tz",
    "--format",
    "--lang",
    "--journal",
    "--output",
    "--color",
    "--no-cache",
    "--csv-delimiter",
    "--csv-bom",
];

/// The long name of each option line of a help text, in order: the first `--name` of
/// every line that starts, after indentation, with `-`.
fn option_names(help: &str) -> Vec<String> {
    help.lines()
        .filter(|line| line.trim_start().starts_with('-'))
        .filter_map(|line| {
            let at = line.find("--")?;
            let name: String = line[at..]
                .chars()
                .take_while(|c| *c == '-' || c.is_ascii_alphanumeric())
                .collect();
            Some(name)
        })
        .collect()
}

#[test]
fn each_subcommand_lists_its_own_options_before_the_global_ones() {
    let env = TestEnv::empty();
    // Each subcommand with some of its own options, picked from its definition.
    let cases: [(&[&str], &[&str]); 8] = [
        (
            &["due"],
            &["--date", "--team", "--quiet-if-empty", "--mail-from"],
        ),
        (&["plan"], &["--from", "--to", "--team", "--mail-to"]),
        (&["history"], &["--team", "--task", "--from", "--to"]),
        (&["report"], &["--from", "--to", "--team"]),
        (&["export", "ics"], &["--team", "--from", "--to"]),
        (
            &["mail"],
            &[
                "--smtp",
                "--all-teams",
                "--mail-from",
                "--mail-to",
                "--timeout",
            ],
        ),
        (&["journal", "copy"], &["--from", "--to"]),
        (&["overdue"], &["--exit-code", "--warning", "--critical"]),
    ];
    for (command, own) in cases {
        for flag in ["-h", "--help"] {
            let mut args = command.to_vec();
            args.push(flag);
            let help = env.stdout(&args);
            let (before, after) = help.split_once("\nGlobal options:\n").unwrap_or_else(|| {
                panic!("socctl {args:?}: no \"Global options:\" heading:\n{help}")
            });
            assert!(before.contains("\nOptions:\n"), "socctl {args:?}:\n{help}");
            let before = option_names(before);
            let after = option_names(after);
            for name in own {
                assert!(
                    before.iter().any(|n| n == name),
                    "socctl {args:?}: {name} is not listed before the global options:\n{help}"
                );
            }
            for name in GLOBAL {
                assert!(
                    !before.iter().any(|n| n == name),
                    "socctl {args:?}: the global {name} is listed among the command's own options:\n{help}"
                );
            }
            assert_eq!(after, GLOBAL, "socctl {args:?}:\n{help}");
        }
    }
    // The old spellings are hidden: one spelling for each option.
    for (command, hidden) in [
        (&["mail"][..], &["--from", "--to"][..]),
        (&["history"], &["--since", "--until"]),
        (&["export", "ics"], &["--until"]),
    ] {
        let mut args = command.to_vec();
        args.push("--help");
        let help = env.stdout(&args);
        for name in hidden {
            assert!(
                !option_names(&help).iter().any(|n| n == name),
                "socctl {args:?} lists {name}:\n{help}"
            );
        }
    }
    // The top level has the same heading, after its own -h and -V.
    let help = env.stdout(&["--help"]);
    let (before, after) = help.split_once("\nGlobal options:\n").expect("a heading");
    assert_eq!(
        option_names(before.split_once("\nOptions:\n").expect("options").1),
        ["--help", "--version"]
    );
    assert_eq!(option_names(after), GLOBAL);
}

#[test]
fn the_manual_and_the_completions_still_list_every_option() {
    let env = TestEnv::empty();
    let man = env.stdout(&["man"]);
    // The top level's globals are a section of their own; a subcommand's section lists its
    // own options only, once.
    let start = man
        .find(".SH \"GLOBAL OPTIONS\"\n")
        .expect("a GLOBAL OPTIONS section");
    let globals = &man[start
        ..man[start + 1..]
            .find("\n.SH ")
            .map_or(man.len(), |end| start + 1 + end)];
    for name in GLOBAL {
        assert!(
            globals.contains(&format!("\\fB{}\\fR", name.replace('-', "\\-"))),
            "{name}:\n{globals}"
        );
    }
    let start = man.find(".SH \"SOCCTL PLAN\"\n").expect("a plan section");
    let plan = &man[start..start + 1 + man[start + 1..].find("\n.SH ").expect("a next section")];
    assert!(
        plan.contains("\\fB\\-\\-from\\fR") && plan.contains("\\fB\\-\\-mail\\-to\\fR"),
        "{plan}"
    );
    assert!(!plan.contains("\\-\\-catalog"), "{plan}");
    // The completions offer a subcommand both its own options and the global ones.
    let fish = env.stdout(&["completions", "fish"]);
    let plan: Vec<&str> = fish
        .lines()
        .filter(|l| l.contains("__fish_socctl_using_subcommand plan\""))
        .collect();
    for name in ["--from", "--to", "--team", "--mail-from", "--mail-to"]
        .into_iter()
        .chain(GLOBAL)
    {
        let long = format!(" -l {} ", &name[2..]);
        assert!(
            plan.iter().any(|l| l.contains(&long)),
            "{name} not completed for plan:\n{}",
            plan.join("\n")
        );
    }
}

#[test]
fn plan_takes_from_alone_to_alone_or_neither() {
    let env = TestEnv::one_team(DAILY);
    let today = "2026-11-23";
    // A daily task has one occurrence a day, so the days planned are the occurrences.
    // --from alone: four weeks, 2026-12-01 and the 27 days after it (December 28th).
    let plan = ok_on(&env, today, &["plan", "--from", "2026-12-01", "-f", "json"]);
    assert_eq!(
        plan_days(&plan),
        ("2026-12-01".into(), "2026-12-28".into(), 28)
    );
    // --to alone: from today (Monday 23rd) to Thursday 26th.
    let plan = ok_on(&env, today, &["plan", "--to", "2026-11-26", "-f", "json"]);
    assert_eq!(
        plan_days(&plan),
        ("2026-11-23".into(), "2026-11-26".into(), 4)
    );
    // Neither: today and the 27 days after it, to Sunday 2026-12-20.
    let plan = ok_on(&env, today, &["plan", "-f", "json"]);
    assert_eq!(
        plan_days(&plan),
        ("2026-11-23".into(), "2026-12-20".into(), 28)
    );
    // Both, inclusive: the 1st to the 3rd is three days.
    let plan = ok_on(
        &env,
        today,
        &[
            "plan",
            "--from",
            "2026-12-01",
            "--to",
            "2026-12-03",
            "-f",
            "json",
        ],
    );
    assert_eq!(
        plan_days(&plan),
        ("2026-12-01".into(), "2026-12-03".into(), 3)
    );
    // The default end stops at the calendar's end.
    let plan = ok_on(&env, today, &["plan", "--from", "9999-12-30", "-f", "json"]);
    assert_eq!(
        plan_days(&plan),
        ("9999-12-30".into(), "9999-12-31".into(), 2)
    );
    // --to before today with --from left out: both days named, and where --from came from.
    let (code, _, stderr) = run_on(&env, today, &["plan", "--to", "2026-11-01"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("--from 2026-11-23 (today, the default) is after --to 2026-11-01"),
        "{stderr}"
    );
}

#[test]
fn a_range_that_starts_after_it_ends_names_both_days_on_every_command() {
    let env = TestEnv::one_team(DAILY);
    let today = "2026-11-23";
    let message = "socctl: --from 2026-12-01 is after --to 2026-11-01; a range includes both its first and its last day, so --from must be on or before --to\n";
    // Without a journal and with one: the message alone, before anything is read.
    for journal in [false, true] {
        if journal {
            ok_on(&env, today, &["done", "rotate-keys", "--by", "ann"]);
        }
        for command in [&["plan"][..], &["report"], &["export", "ics"], &["history"]] {
            let mut args = command.to_vec();
            args.extend(["--from", "2026-12-01", "--to", "2026-11-01"]);
            let (code, stdout, stderr) = run_on(&env, today, &args);
            assert_eq!(
                (code, stdout.as_str(), stderr.as_str()),
                (2, "", message),
                "socctl {args:?}, journal: {journal}"
            );
        }
    }
    // A default end is named as one.
    let (code, _, stderr) = run_on(&env, today, &["report", "--from", "2026-12-01"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("--from 2026-12-01 is after --to 2026-11-23 (today, the default)"),
        "{stderr}"
    );
    let (code, _, stderr) = run_on(&env, today, &["export", "ics", "--to", "2026-11-01"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("--from 2026-11-23 (today, the default) is after --to 2026-11-01"),
        "{stderr}"
    );
}

#[test]
fn history_takes_from_and_to_and_the_old_since_and_until_alike() {
    let env = TestEnv::one_team(DAILY);
    // The daily task done on Friday the 20th, Monday the 23rd and Wednesday the 25th.
    for day in ["2026-11-20", "2026-11-23", "2026-11-25"] {
        ok_on(&env, day, &["done", "rotate-keys", "--by", "ann"]);
    }
    let today = "2026-11-26";
    let days_done = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["history", "-f", "json"];
        all.extend(args);
        let value: Value = serde_json::from_str(&ok_on(&env, today, &all)).expect("JSON");
        items(&value)
            .iter()
            .map(|r| text(r, "on").to_owned())
            .collect()
    };
    // Inclusive ends, newest first.
    assert_eq!(
        days_done(&["--from", "2026-11-21", "--to", "2026-11-24"]),
        ["2026-11-23"]
    );
    assert_eq!(
        days_done(&["--from", "2026-11-23", "--to", "2026-11-25"]),
        ["2026-11-25", "2026-11-23"]
    );
    assert_eq!(
        days_done(&["--from", "2026-11-21"]),
        ["2026-11-25", "2026-11-23"]
    );
    assert_eq!(
        days_done(&["--to", "2026-11-23"]),
        ["2026-11-23", "2026-11-20"]
    );
    // The old spellings, alone or mixed with the new, print the same.
    for (new, old) in [
        (
            &["--from", "2026-11-21", "--to", "2026-11-24"][..],
            &["--since", "2026-11-21", "--until", "2026-11-24"][..],
        ),
        (
            &["--from", "2026-11-21", "--to", "2026-11-24"],
            &["--since", "2026-11-21", "--to", "2026-11-24"],
        ),
        (&["--from", "2026-11-23"], &["--since", "2026-11-23"]),
        (&["--to", "2026-11-23"], &["--until", "2026-11-23"]),
    ] {
        for format in ["text", "json", "csv"] {
            let with = |args: &[&str]| {
                let mut all = vec!["history", "-f", format];
                all.extend(args);
                ok_on(&env, today, &all)
            };
            assert_eq!(with(new), with(old), "{new:?} against {old:?} in {format}");
        }
    }
}

#[test]
fn export_ics_takes_to_and_the_old_until_alike() {
    let env = TestEnv::one_team(DAILY);
    let today = "2026-11-23";
    // The horizon's last day is the rule's UNTIL (an all-day event: a date).
    let ics = ok_on(
        &env,
        today,
        &[
            "export",
            "ics",
            "--from",
            "2026-11-23",
            "--to",
            "2026-11-30",
        ],
    );
    assert!(ics.contains("RRULE:FREQ=DAILY;UNTIL=20261130\r\n"), "{ics}");
    assert_eq!(
        ics,
        ok_on(
            &env,
            today,
            &[
                "export",
                "ics",
                "--from",
                "2026-11-23",
                "--until",
                "2026-11-30"
            ]
        )
    );
    let ics = ok_on(&env, today, &["export", "ics", "--to", "2026-12-31"]);
    assert!(ics.contains("UNTIL=20261231\r\n"), "{ics}");
    assert_eq!(
        ics,
        ok_on(&env, today, &["export", "ics", "--until", "2026-12-31"])
    );
    // Without --to: a year after --from, 2027-11-23.
    assert!(ok_on(&env, today, &["export", "ics"]).contains("UNTIL=20271123\r\n"));
}

#[test]
fn report_takes_from_and_to() {
    let env = TestEnv::one_team(DAILY);
    // Tracking starts on Friday the 20th; the task is done that day and on Monday the 23rd.
    for day in ["2026-11-20", "2026-11-23"] {
        ok_on(&env, day, &["done", "rotate-keys", "--by", "ann"]);
    }
    let report = |args: &[&str]| -> Value {
        let mut all = vec!["report", "-f", "json"];
        all.extend(args);
        serde_json::from_str(&ok_on(&env, "2026-11-25", &all)).expect("JSON")
    };
    let counts = |value: &Value| {
        let total = &value["total"];
        ["due", "on_time", "missed"].map(|field| total[field].as_u64().expect(field))
    };
    // The 20th to the 23rd, inclusive: four days due, two done on time, the 21st and 22nd
    // missed.
    let value = report(&["--from", "2026-11-20", "--to", "2026-11-23"]);
    assert_eq!(counts(&value), [4, 2, 2], "{value}");
    // The 21st to the 22nd: the two missed days only.
    let value = report(&["--from", "2026-11-21", "--to", "2026-11-22"]);
    assert_eq!(counts(&value), [2, 0, 2], "{value}");
    // --to alone counts from the start of tracking: the 20th and 21st.
    let value = report(&["--to", "2026-11-21"]);
    assert_eq!(counts(&value), [2, 1, 1], "{value}");
}
