//! `socctl man`, `socctl man cadences` and `socctl help`: the manual covers every subcommand
//! clap knows and every variable the source reads, and the cadence reference is one text.

use std::fs;
use std::path::Path;

use crate::support::TestEnv;

/// `socctl journal export` as the manual's section heading spells it.
fn heading(path: &str) -> String {
    format!(".SH \"{}\"", path.to_uppercase().replace('-', "\\-"))
}

/// Every subcommand path below `command`, at any depth: `socctl due`, `socctl journal copy`.
fn subcommand_paths(command: &clap::Command, path: &str, paths: &mut Vec<String>) {
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        let path = format!("{path} {}", sub.get_name());
        paths.push(path.clone());
        subcommand_paths(sub, &path, paths);
    }
}

/// The text of one `.SH` section of a roff page.
fn section<'m>(man: &'m str, name: &str) -> &'m str {
    let start = man
        .find(&format!("{name}\n"))
        .unwrap_or_else(|| panic!("no {name} section in:\n{man}"));
    let body = &man[start + name.len()..];
    &body[..body.find("\n.SH ").unwrap_or(body.len())]
}

/// The names of the environment variables the source reads: through `cli::environment::env_var` or a
/// clap `env` attribute.
fn variables_read_in(dir: &Path, names: &mut Vec<String>) {
    for entry in fs::read_dir(dir).expect("reading src/") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            variables_read_in(&path, names);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let source = fs::read_to_string(&path).expect("reading a source file");
        for marker in ["env_var(\"", "env = \""] {
            for (at, _) in source.match_indices(marker) {
                let rest = &source[at + marker.len()..];
                let name = &rest[..rest.find('"').expect("a closing quote")];
                if !names.iter().any(|n| n == name) {
                    names.push(name.to_owned());
                }
            }
        }
    }
}

#[test]
fn the_manual_page_has_a_section_for_every_subcommand_at_every_depth() {
    let man = TestEnv::empty().stdout(&["man"]);
    let mut paths = Vec::new();
    subcommand_paths(&socctl::cli::tree::full_tree(), "socctl", &mut paths);
    // The walk sees nested subcommands, so a missing level would fail here, not pass.
    for nested in ["socctl export ics", "socctl journal copy", "socctl help"] {
        assert!(paths.iter().any(|p| p == nested), "{nested} in {paths:?}");
    }
    let commands = section(&man, ".SH COMMANDS");
    for path in &paths {
        assert!(man.contains(&heading(path)), "no section {path}");
        let listed = format!("\\fB{}\\fR", path.replace('-', "\\-"));
        assert!(commands.contains(&listed), "{path} not in COMMANDS");
    }
    // Each section shows its own options, e.g. journal copy's --from and --to.
    let copy = section(&man, &heading("socctl journal copy"));
    assert!(
        copy.contains("\\-\\-from") && copy.contains("\\-\\-to"),
        "{copy}"
    );
}

#[test]
fn the_manual_page_has_exit_status_environment_and_files() {
    let man = TestEnv::empty().stdout(&["man"]);
    let exit = section(&man, ".SH \"EXIT STATUS\"");
    for code in ["0", "1", "2", "3", "4"] {
        assert!(exit.contains(&format!(".TP\n\\fB{code}\\fR\n")), "{exit}");
    }
    assert!(exit.contains("overdue \\-\\-exit\\-code"), "{exit}");
    assert!(
        exit.contains("Done, degraded: the journal could not be read"),
        "{exit}"
    );

    let environment = section(&man, ".SH ENVIRONMENT");
    let mut names = Vec::new();
    variables_read_in(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut names,
    );
    // The language variables are read from a list rather than one by one.
    names.extend(["LC_ALL", "LC_MESSAGES", "LANG"].map(String::from));
    for expected in ["SOCCTL_TODAY", "SOCCTL_CACHE_DIR", "PGPASSFILE", "NO_COLOR"] {
        assert!(
            names.iter().any(|n| n == expected),
            "the scan missed {expected}"
        );
    }
    for name in &names {
        assert!(
            environment.contains(name.as_str()),
            "{name} is read by socctl but not in ENVIRONMENT:\n{environment}"
        );
    }

    let files = section(&man, ".SH FILES");
    for file in [
        "./tasks.yaml",
        "$XDG_CONFIG_HOME/socctl/tasks.yaml",
        "$XDG_STATE_HOME/socctl/journal.db",
        "$XDG_CACHE_HOME/socctl/",
        "~/.pgpass",
        "~/.postgresql/root.crt",
    ] {
        assert!(files.contains(file), "{file} not in FILES:\n{files}");
    }
    assert!(section(&man, ".SH \"SEE ALSO\"").contains("socctl\\-cadences(7)"));
}

#[test]
fn help_cadences_prints_the_cadence_reference_and_help_names_subcommands() {
    let env = TestEnv::empty();
    let reference =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/cadences.md"))
            .expect("reading docs/cadences.md");
    assert_eq!(env.stdout(&["help", "cadences"]), reference);

    // `help` still gives the help of a subcommand, nested ones included.
    assert_eq!(env.stdout(&["help", "due"]), env.stdout(&["due", "--help"]));
    assert_eq!(
        env.stdout(&["help", "journal", "copy"]),
        env.stdout(&["journal", "copy", "--help"])
    );
    assert_eq!(env.stdout(&["help"]), env.stdout(&["--help"]));
    let unknown = env.cmd().args(["help", "cadense"]).output().unwrap();
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("the topic `cadences`"));

    // socctl-cadences(7) is the same page in roff: every heading and every form is there.
    let page = env.stdout(&["man", "cadences"]);
    assert!(page.starts_with(".TH socctl\\-cadences 7 "), "{page}");
    for line in reference.lines() {
        if let Some(title) = line.strip_prefix("## ") {
            assert!(
                page.contains(&format!(".SH \"{}\"", title.to_uppercase())),
                "{title}"
            );
        }
    }
    for form in [
        "monthly on the last workday",
        "every N days after done",
        "cron: <expression>",
    ] {
        assert!(
            page.contains(&form.replace('-', "\\-")),
            "{form} not in:\n{page}"
        );
    }
    assert!(!page.contains("```") && !page.contains("|---"), "{page}");
}
