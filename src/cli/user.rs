//! `socctl user`: the board's accounts (`socctl serve`), kept in the journal's database.
//! Passwords come from a terminal with echo off, or from standard input with
//! `--password-stdin`; never from the command line, where `ps` and the shell's history
//! would show them.

use std::io::{BufRead, IsTerminal, Write};

use super::resolve::did_you_mean;
use super::{Context, UsageError, environment};
use crate::access::{Account, Role};
use crate::catalog::{Catalog, TeamSelector, suggestions};
use crate::journal::Location;
use crate::journal::accounts::{JournalDirectory, Policy, invalid_name};
use crate::listing::accounts::account_rows;
use crate::render::render_listing;

/// The shortest password `user add` and `user passwd` accept (OWASP's minimum).
const MIN_PASSWORD: usize = 8;
/// The longest (Argon2 takes any length; this bounds the work a typo can cause).
const MAX_PASSWORD: usize = 1024;

/// Arguments of `socctl user`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: UserCommand,
}

/// The `socctl user` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum UserCommand {
    /// Add a board account (the password is asked for, or read with --password-stdin)
    Add(AddArgs),
    /// The board accounts
    List,
    /// Remove an account, ending its sessions and deleting its API tokens
    Remove(NameArgs),
    /// Set an account's password (its sessions end)
    Passwd(PasswdArgs),
    /// Stop an account from logging in: its sessions end and its API tokens are revoked
    Disable(NameArgs),
    /// Let a disabled account log in again (its revoked tokens stay revoked)
    Enable(NameArgs),
}

/// Arguments of `socctl user add`.
#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// The login name
    pub name: String,
    /// A team the account records for (id, name or alias; a group adds its teams); repeat for more
    #[arg(long = "team", value_name = "TEAM")]
    pub teams: Vec<String>,
    /// What the account may do: viewer (reads), member (records for its teams), lead (also undoes and triggers), admin (everything)
    #[arg(long, value_parser = parse_role)]
    pub role: Role,
    /// Read the password from the first line of standard input instead of asking
    #[arg(long)]
    pub password_stdin: bool,
}

/// Arguments of `socctl user passwd`.
#[derive(Debug, clap::Args)]
pub struct PasswdArgs {
    /// The login name
    pub name: String,
    /// Read the password from the first line of standard input instead of asking
    #[arg(long)]
    pub password_stdin: bool,
}

/// An account's name.
#[derive(Debug, clap::Args)]
pub struct NameArgs {
    /// The login name
    pub name: String,
}

/// A role as `--role` takes it.
pub(super) fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(text.trim()).ok_or_else(|| {
        format!("`{text}` is not a role; use viewer, member, lead or admin (see docs/serve.md)")
    })
}

/// Runs `socctl user`.
pub fn run(context: &Context, args: &Args, out: &mut dyn Write) -> anyhow::Result<()> {
    match &args.command {
        UserCommand::Add(args) => add(context, args, out),
        UserCommand::List => list(context, out),
        UserCommand::Remove(args) => {
            let directory = existing(context, &args.name)?;
            if !directory.remove_account(&args.name)? {
                return Err(unknown_account(&directory, &args.name)?.into());
            }
            writeln!(
                out,
                "removed account {}; its sessions ended and its API tokens were deleted",
                args.name
            )?;
            Ok(())
        }
        UserCommand::Passwd(args) => {
            let directory = existing(context, &args.name)?;
            if !directory
                .accounts()?
                .iter()
                .any(|a| a.account.name == args.name)
            {
                return Err(unknown_account(&directory, &args.name)?.into());
            }
            let password = read_password(&args.name, args.password_stdin)?;
            if !directory.set_password(&args.name, &password)? {
                return Err(unknown_account(&directory, &args.name)?.into());
            }
            writeln!(
                out,
                "changed the password of {}; its sessions ended",
                args.name
            )?;
            Ok(())
        }
        UserCommand::Disable(args) => {
            let directory = existing(context, &args.name)?;
            if !directory.set_disabled(&args.name, Some(environment::now()))? {
                return Err(unknown_account(&directory, &args.name)?.into());
            }
            writeln!(
                out,
                "disabled account {}; its sessions ended and its API tokens were revoked",
                args.name
            )?;
            Ok(())
        }
        UserCommand::Enable(args) => {
            let directory = existing(context, &args.name)?;
            if !directory.set_disabled(&args.name, None)? {
                return Err(unknown_account(&directory, &args.name)?.into());
            }
            writeln!(out, "enabled account {}", args.name)?;
            Ok(())
        }
    }
}

fn add(context: &Context, args: &AddArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    if let Some(why) = invalid_name(&args.name) {
        return Err(UsageError(format!(
            "`{}` cannot be a login name: {why}; use 1 to 64 characters without spaces",
            crate::catalog::escape_controls(&args.name)
        ))
        .into());
    }
    let catalog = context.catalog()?;
    let teams = team_ids(&catalog, &args.teams)?;
    if teams.is_empty() && matches!(args.role, Role::Member | Role::Lead) {
        return Err(UsageError(format!(
            "a {} records for their teams: give --team TEAM (one or more; teams: {})",
            args.role.as_str(),
            catalog
                .teams
                .iter()
                .map(|t| t.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .into());
    }
    let today = context.today(&catalog)?;
    let directory = open(context, today)?;
    if directory
        .accounts()?
        .iter()
        .any(|a| a.account.name == args.name)
    {
        return Err(taken(&args.name).into());
    }
    let password = read_password(&args.name, args.password_stdin)?;
    let account = Account {
        name: args.name.clone(),
        role: args.role,
        teams,
    };
    if !directory.add_account(&account, &password, environment::now())? {
        return Err(taken(&args.name).into());
    }
    let teams = if account.teams.is_empty() {
        String::new()
    } else {
        format!(" for {}", account.teams.join(", "))
    };
    writeln!(
        out,
        "added account {} ({}{teams})",
        account.name,
        account.role.as_str()
    )?;
    Ok(())
}

fn taken(name: &str) -> UsageError {
    UsageError(format!(
        "there is already an account `{name}`; change its password with `socctl user passwd {name}`, or remove it first"
    ))
}

fn list(context: &Context, out: &mut dyn Write) -> anyhow::Result<()> {
    let format = context.listing_format("user list")?;
    let accounts = match context.journal_location()?.open_existing()? {
        Some(_) => open(context, today_utc())?.accounts()?,
        None => Vec::new(),
    };
    render_listing(
        out,
        &account_rows(&accounts),
        format,
        &context.render_options(),
    )?;
    Ok(())
}

/// The catalog team ids `names` name (a group stands for its teams), in order, once each.
pub(super) fn team_ids(catalog: &Catalog, names: &[String]) -> anyhow::Result<Vec<String>> {
    let mut ids: Vec<String> = Vec::new();
    for name in names {
        let teams = match super::resolve::team(catalog, name)? {
            TeamSelector::Team(index) => vec![index],
            TeamSelector::Group(index) => catalog.groups[index].members.clone(),
        };
        for index in teams {
            let id = &catalog.teams[index].id;
            if !ids.contains(id) {
                ids.push(id.clone());
            }
        }
    }
    Ok(ids)
}

/// Today in UTC, for a journal the command does not create (it exists already).
pub(super) fn today_utc() -> jiff::civil::Date {
    environment::now().to_zoned(jiff::tz::TimeZone::UTC).date()
}

/// The accounts of the journal, created (or upgraded) now if needed.
pub(super) fn open(
    context: &Context,
    today: jiff::civil::Date,
) -> anyhow::Result<JournalDirectory> {
    open_with(context, today, Policy::default())
}

/// [`open`] with sessions and logins under `policy` (`socctl serve`'s).
pub(super) fn open_with(
    context: &Context,
    today: jiff::civil::Date,
    policy: Policy,
) -> anyhow::Result<JournalDirectory> {
    // Creates the default location's directory, and the journal, as recording does.
    drop(context.journal_for_writing(today)?);
    Ok(JournalDirectory::open(
        context.journal_location()?,
        today,
        policy,
    )?)
}

/// The accounts of an existing journal; with none yet, there is no account `name`.
pub(super) fn existing(context: &Context, name: &str) -> anyhow::Result<JournalDirectory> {
    let location: Location = context.journal_location()?;
    if location.open_existing()?.is_none() {
        return Err(UsageError(format!(
            "no account `{name}`: there is no journal at {location} yet; add accounts with `socctl user add`"
        ))
        .into());
    }
    open(context, today_utc())
}

/// The error for a name no account has: the accounts, and the nearest of them.
pub(super) fn unknown_account(
    directory: &JournalDirectory,
    name: &str,
) -> anyhow::Result<UsageError> {
    let accounts = directory.accounts()?;
    let names: Vec<&str> = accounts.iter().map(|a| a.account.name.as_str()).collect();
    if names.is_empty() {
        return Ok(UsageError(format!(
            "no account `{name}`: there are no accounts yet; add one with `socctl user add`"
        )));
    }
    let near = suggestions(name, names.iter().copied());
    Ok(UsageError(format!(
        "no account `{name}`; accounts: {}{}",
        names.join(", "),
        did_you_mean(&near)
    )))
}

/// The password for `name`: the first line of standard input with `from_stdin`, else
/// asked twice on the terminal with echo off.
fn read_password(name: &str, from_stdin: bool) -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    let password = if from_stdin {
        let mut line = String::new();
        stdin
            .lock()
            .read_line(&mut line)
            .map_err(|e| anyhow::anyhow!("cannot read the password from standard input: {e}"))?;
        line.strip_suffix('\n')
            .map_or(line.as_str(), |l| l.strip_suffix('\r').unwrap_or(l))
            .to_owned()
    } else if stdin.is_terminal() {
        let first = prompt(&format!("Password for {name}: "))?;
        check_password(&first)?;
        let second = prompt("Again, to be sure: ")?;
        if first != second {
            return Err(
                UsageError("the two passwords differ; nothing was changed".to_owned()).into(),
            );
        }
        first
    } else {
        return Err(UsageError(
            "no password: socctl asks for it on a terminal, or reads it from standard input with --password-stdin (never from the command line)".to_owned(),
        )
        .into());
    };
    check_password(&password)?;
    Ok(password)
}

fn check_password(password: &str) -> Result<(), UsageError> {
    let length = password.chars().count();
    if length < MIN_PASSWORD {
        return Err(UsageError(format!(
            "the password is too short ({length} characters); use at least {MIN_PASSWORD}, a passphrase of a few words is best"
        )));
    }
    if password.len() > MAX_PASSWORD {
        return Err(UsageError(format!(
            "the password is longer than {MAX_PASSWORD} bytes"
        )));
    }
    Ok(())
}

/// Asks on standard error and reads a line from the terminal on standard input, echo off.
/// Echo goes off before the question shows, so nothing typed in answer is ever echoed.
fn prompt(question: &str) -> anyhow::Result<String> {
    let mut stderr = std::io::stderr();
    let line = without_echo(|| {
        write!(stderr, "{question}")?;
        stderr.flush()?;
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map(|_| line)
    })?;
    writeln!(stderr)?;
    Ok(line.trim_end_matches(['\n', '\r']).to_owned())
}

#[cfg(unix)]
fn without_echo<R>(read: impl FnOnce() -> std::io::Result<R>) -> anyhow::Result<R> {
    use rustix::termios::{LocalModes, OptionalActions, tcgetattr, tcsetattr};
    let stdin = std::io::stdin();
    let saved = tcgetattr(&stdin)
        .map_err(|e| anyhow::anyhow!("cannot turn the terminal's echo off: {e}"))?;
    let mut quiet = saved.clone();
    quiet.local_modes.remove(LocalModes::ECHO);
    tcsetattr(&stdin, OptionalActions::Now, &quiet)
        .map_err(|e| anyhow::anyhow!("cannot turn the terminal's echo off: {e}"))?;
    let result = read();
    let _ = tcsetattr(&stdin, OptionalActions::Now, &saved);
    Ok(result?)
}

#[cfg(not(unix))]
fn without_echo<R>(_read: impl FnOnce() -> std::io::Result<R>) -> anyhow::Result<R> {
    Err(UsageError(
        "socctl cannot turn echo off on this terminal: give the password on standard input with --password-stdin".to_owned(),
    )
    .into())
}
