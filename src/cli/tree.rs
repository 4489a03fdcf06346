//! clap's command tree, with only the subcommands a run needs built in full.
//!
//! The subcommands are `#[command(defer = true)]`: their arguments are added when one runs.
//! Building all 31 of them cost `socctl --version` a third of its time (about 0.5 ms, 0.6 M
//! instructions and 60 page faults for 250 KB of argument tables a run never looks at).
//! clap copies the global options into every subcommand before a deferred one is built, so
//! a deferred subcommand would list them before its own in `--help`; [`tree`] therefore
//! builds in full, first, each subcommand the command line names.

use std::ffi::OsString;

use clap::builder::{Resettable, StyledStr};
use clap::{Args, Command, CommandFactory};

use super::{Cli, check, cover, due, explain, export, history, journal, mail, next, notify};
use super::{overdue, people, plan, record, report, roles, serve, shell, tasks, teams, tickets};
use super::{token, user, week};

/// The command tree for a command line: each top-level subcommand `words` names is built in
/// full, the others are left to clap to build if they run (they do not: a command line
/// runs one subcommand, and any word that could name it is in `words`).
pub fn tree(words: &[OsString]) -> Command {
    let named = |name: &str| words.iter().any(|word| word == name);
    expand(Cli::command(), named)
}

/// The whole command tree, every subcommand built in full: for the man page, the
/// completion scripts and `socctl help`.
pub fn full_tree() -> Command {
    expand(Cli::command(), |_| true)
}

fn expand(mut command: Command, wanted: impl Fn(&str) -> bool) -> Command {
    let names: Vec<String> = command
        .get_subcommands()
        .map(|subcommand| subcommand.get_name().to_owned())
        .filter(|name| wanted(name))
        .collect();
    for name in names {
        if let Some(arguments) = arguments_of(&name) {
            // The identity replaces the derive's deferred step, which would add the same
            // arguments a second time when clap builds the subcommand.
            command = command.mut_subcommand(name, |subcommand| {
                // The variant's doc comment is its `about`, set after the arguments' own.
                let about = subcommand.get_about().cloned();
                let long_about = subcommand.get_long_about().cloned();
                let reset =
                    |text: Option<StyledStr>| text.map_or(Resettable::Reset, Resettable::Value);
                arguments(subcommand.defer(|it| it))
                    .about(reset(about))
                    .long_about(reset(long_about))
            });
        }
    }
    command
}

/// Adds a top-level subcommand's own arguments, as `#[derive(Subcommand)]` on
/// [`super::Command`] does (a test checks that every subcommand has its entry).
fn arguments_of(name: &str) -> Option<fn(Command) -> Command> {
    Some(match name {
        "due" => due::Args::augment_args,
        "week" => week::Args::augment_args,
        "plan" => plan::Args::augment_args,
        "next" => next::Args::augment_args,
        "tasks" => tasks::ListArgs::augment_args,
        "show" => tasks::ShowArgs::augment_args,
        "teams" => teams::Args::augment_args,
        "people" => people::Args::augment_args,
        "roles" => roles::Args::augment_args,
        "check" => check::Args::augment_args,
        "explain" => explain::Args::augment_args,
        "export" => export::Args::augment_args,
        "mail" => mail::Args::augment_args,
        "notify" => notify::Args::augment_args,
        "away" => cover::AwayArgs::augment_args,
        "swap" => cover::SwapArgs::augment_args,
        "done" => record::DoneArgs::augment_args,
        "skip" => record::SkipArgs::augment_args,
        "undo" => record::UndoArgs::augment_args,
        "trigger" => record::TriggerArgs::augment_args,
        "overdue" => overdue::Args::augment_args,
        "history" => history::Args::augment_args,
        "report" => report::Args::augment_args,
        "journal" => journal::Args::augment_args,
        "serve" => serve::Args::augment_args,
        "tickets" => tickets::Args::augment_args,
        "user" => user::Args::augment_args,
        "token" => token::Args::augment_args,
        "completions" => shell::CompletionsArgs::augment_args,
        "man" => shell::ManArgs::augment_args,
        "help" => shell::HelpArgs::augment_args,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_subcommand_has_its_arguments_entry() {
        let missing: Vec<_> = Cli::command()
            .get_subcommands()
            .map(|subcommand| subcommand.get_name().to_owned())
            .filter(|name| arguments_of(name).is_none())
            .collect();
        assert!(
            missing.is_empty(),
            "no entry in arguments_of for {missing:?}"
        );
    }

    /// The entry adds the subcommand's own arguments, exactly once: a wrong entry (another
    /// subcommand's arguments) or the derive's deferred step running too would show here.
    #[test]
    fn a_built_subcommand_has_its_own_arguments_once_and_the_global_ones_after() {
        let mut command = full_tree();
        command.build();
        let due = command.find_subcommand("due").expect("due");
        let ids: Vec<&str> = due
            .get_arguments()
            .map(|arg| arg.get_id().as_str())
            .collect();
        assert_eq!(ids.iter().filter(|id| **id == "date").count(), 1, "{ids:?}");
        let date = ids.iter().position(|id| *id == "date").unwrap();
        let catalog = ids.iter().position(|id| *id == "catalog").unwrap();
        assert!(date < catalog, "own before global: {ids:?}");
        let plan = command.find_subcommand("plan").expect("plan");
        assert!(plan.get_arguments().any(|arg| arg.get_id() == "from"));
        assert!(!plan.get_arguments().any(|arg| arg.get_id() == "date"));
    }

    #[test]
    fn only_the_named_subcommand_is_built_for_a_command_line() {
        let words: Vec<OsString> = ["socctl", "--tz", "UTC", "due"].map(OsString::from).into();
        let command = tree(&words);
        let own = |name: &str| {
            command
                .find_subcommand(name)
                .unwrap()
                .get_arguments()
                .count()
        };
        assert!(own("due") > 0);
        assert_eq!(own("week"), 0, "week is left to be built when it runs");
    }
}
