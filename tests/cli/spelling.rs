//! One spelling for each option (issue 13 §3): ranges are `--from`/`--to` on every command
//! that takes one, with the old `--since`/`--until` still accepted; the sender and
//! recipients of mail are `--mail-from`/`--mail-to` everywhere; and each subcommand's
//! `--help` lists its own options before the global ones, which have a heading of their own.

use crate::support::TestEnv;

/// The global options, as `socctl --help` lists them (written out here, not read from clap).
const GLOBAL: [&str; 9] = [
    "--catalog",
    "--roles",
    "--tz",
    "--format",
    "--lang",
    "--journal",
    "--output",
    "--color",
    "--no-cache",
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
        (&["history"], &["--team", "--task", "--since", "--until"]),
        (&["report"], &["--from", "--to", "--team"]),
        (&["export", "ics"], &["--team", "--from", "--until"]),
        (
            &["mail"],
            &["--smtp", "--all-teams", "--from", "--to", "--timeout"],
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
