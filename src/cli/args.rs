//! Argument types shared by several subcommands.

use std::str::FromStr;

use jiff::civil::Date;

use crate::calendar::add_days;

/// A date as typed on the command line: `today`, `tomorrow`, `yesterday` or `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateArg {
    /// Today in the catalog's time zone.
    Today,
    /// The day after today.
    Tomorrow,
    /// The day before today.
    Yesterday,
    /// A calendar date.
    On(Date),
}

impl FromStr for DateArg {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "today" => Ok(Self::Today),
            "tomorrow" => Ok(Self::Tomorrow),
            "yesterday" => Ok(Self::Yesterday),
            other => crate::calendar::parse_date(other)
                .map(Self::On)
                .ok_or_else(|| format!("`{text}` is not a date; use YYYY-MM-DD (e.g. 2026-11-23), today, tomorrow or yesterday")),
        }
    }
}

impl DateArg {
    /// The date this stands for, given today.
    pub fn resolve(&self, today: Date) -> Option<Date> {
        match self {
            Self::Today => Some(today),
            Self::Tomorrow => add_days(today, 1),
            Self::Yesterday => add_days(today, -1),
            Self::On(date) => Some(*date),
        }
    }
}

/// One end of a `--from`/`--to` range (both ends are inclusive on every command): the day,
/// and, when it was not typed, what the command's default for it is called.
#[derive(Debug, Clone, Copy)]
pub struct RangeEnd {
    /// The day.
    pub date: Date,
    /// The default that gave the day (`today`), or `None` when it was typed.
    pub default: Option<&'static str>,
}

impl RangeEnd {
    /// A day typed on the command line.
    pub fn typed(date: Date) -> Self {
        Self {
            date,
            default: None,
        }
    }

    /// A day the command chose: `what` names it in messages (`today`).
    pub fn by_default(date: Date, what: &'static str) -> Self {
        Self {
            date,
            default: Some(what),
        }
    }
}

impl std::fmt::Display for RangeEnd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.default {
            Some(what) => write!(f, "{} ({what}, the default)", self.date),
            None => write!(f, "{}", self.date),
        }
    }
}

/// Refuses a range that starts after it ends, naming both days.
pub fn check_order(from: RangeEnd, to: RangeEnd) -> Result<(), super::UsageError> {
    if from.date > to.date {
        return Err(super::UsageError(format!(
            "--from {from} is after --to {to}; a range includes both its first and its last day, so --from must be on or before --to"
        )));
    }
    Ok(())
}

/// Where `--format email` messages go: flattened into `due`, `week` and `plan`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct EnvelopeArgs {
    /// Sender of --format email messages [default: mail_from in roles.yaml]
    #[arg(long, env = "SOCCTL_MAIL_FROM", value_name = "ADDRESS", value_parser = parse_mailbox, help_heading = "E-mail")]
    pub mail_from: Option<lettre::message::Mailbox>,
    /// Recipients of --format email messages, comma-separated [default: the team's email in roles.yaml]
    #[arg(long, env = "SOCCTL_MAIL_TO", value_name = "ADDRESSES", value_parser = parse_mailboxes, help_heading = "E-mail")]
    pub mail_to: Option<lettre::message::Mailboxes>,
}

impl EnvelopeArgs {
    /// The envelope of messages written now.
    pub fn settings(&self) -> crate::render::email::EmailSettings {
        crate::render::email::EmailSettings {
            from: self.mail_from.clone(),
            to: self.mail_to.clone(),
            date: Some(super::environment::now()),
            warning: None,
        }
    }
}

/// An address as typed: `soc@example.org` or `SOC <soc@example.org>`.
pub(super) fn parse_mailbox(text: &str) -> Result<lettre::message::Mailbox, String> {
    text.trim().parse().map_err(|_| {
        format!(
            "`{text}` is not an e-mail address; write soc@example.org or \"SOC <soc@example.org>\""
        )
    })
}

/// Comma-separated addresses.
pub(super) fn parse_mailboxes(text: &str) -> Result<lettre::message::Mailboxes, String> {
    let mailboxes: lettre::message::Mailboxes = text.trim().parse().map_err(|_| {
        format!("`{text}` is not a list of e-mail addresses; write a@example.org, b@example.org")
    })?;
    if mailboxes.iter().next().is_none() {
        return Err("no e-mail address given".to_owned());
    }
    Ok(mailboxes)
}

/// What `due`, `week` and `plan` share: which teams, quiet when empty, and the envelope
/// for `--format email`.
#[derive(Debug, Clone, clap::Args)]
pub struct ChecklistArgs {
    /// Only this team (id, name or alias, case-insensitive)
    #[arg(long, short, env = "SOCCTL_TEAM", add = clap_complete::ArgValueCandidates::new(crate::cli::shell::team_or_group_candidates))]
    pub team: Option<String>,
    /// Print nothing (and exit 0) when nothing is due, so cron sends no empty mail
    #[arg(long, short)]
    pub quiet_if_empty: bool,
    /// Sender and recipients for --format email.
    #[command(flatten)]
    pub mail: EnvelopeArgs,
    /// Only what one person is assigned.
    #[command(flatten)]
    pub person: PersonArgs,
}

/// `--person` and `--me`: only the occurrences assigned to one member.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct PersonArgs {
    /// Only what is assigned to this member (id or name, case-insensitive)
    #[arg(long, value_name = "MEMBER", conflicts_with = "me")]
    pub person: Option<String>,
    /// Only what is assigned to me: the member SOCCTL_PERSON names, else the one whose id is
    /// the login name ($USER, else $LOGNAME)
    #[arg(long)]
    pub me: bool,
}

/// A CSV field delimiter as typed: `,`, `;` or `tab`.
pub(super) fn parse_csv_delimiter(text: &str) -> Result<crate::render::CsvDelimiter, String> {
    crate::render::CsvDelimiter::parse(text).ok_or_else(|| {
        format!(
            "`{text}` is not a CSV delimiter; use {} (`;` for Danish or French Excel)",
            crate::render::CsvDelimiter::NAMES
        )
    })
}
