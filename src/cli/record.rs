//! `socctl done`, `skip`, `undo` and `trigger`: recording what happened to an occurrence.
//! The rules are [`crate::track::record`]'s; this module resolves the command line (the
//! task's name, `--date`, the author, the journal's location) into its plain values, and
//! is also what the board's recording calls.

use std::io::Write;

use super::{Context, DateArg, ListingFormat, UsageError, environment};
use crate::catalog::{Catalog, Task};
use crate::render::write_json;
use crate::track::record::{Act, RecordError, Recorded, Request, TeamError, day_team, prepare};

/// `--date` and `--by`, which every recording command takes; each command words their help
/// for what the day means to it.
#[derive(Debug, clap::Args)]
pub struct DayAndAuthor {
    /// A day in the window of the occurrence [default: today]
    #[arg(long, short)]
    pub date: Option<DateArg>,
    /// Who records it [default: $SOCCTL_BY, else the login name]
    #[arg(long)]
    pub by: Option<String>,
}

/// `--team` and `--all-teams`: whose obligation a record settles.
#[derive(Debug, clap::Args)]
pub struct TeamArgs {
    /// The team whose obligation it is (id, name or alias); implied for a task with one team
    #[arg(long, value_name = "TEAM", conflicts_with = "all_teams", add = clap_complete::ArgValueCandidates::new(crate::cli::shell::team_candidates))]
    pub team: Option<String>,
    /// For a task of several teams: one record for all of them (work done together)
    #[arg(long)]
    pub all_teams: bool,
}

/// `--occurrence`: the occurrence a record is for, named outright.
#[derive(Debug, clap::Args)]
pub struct OccurrenceArg {
    /// The occurrence's due date, when it is not the one whose window contains --date
    /// (e.g. yesterday's daily check done today: --occurrence yesterday)
    #[arg(long, value_name = "DUE_DATE")]
    pub occurrence: Option<DateArg>,
}

/// `--ref`: the ticket behind a record.
#[derive(Debug, clap::Args)]
pub struct TicketArg {
    /// A ticket id or URL
    #[arg(long = "ref", value_name = "TICKET")]
    pub reference: Option<String>,
}

/// Arguments of `socctl done`.
#[derive(Debug, clap::Args)]
#[command(
    mut_arg("date", |a| a.help("The day the work was done: it settles the occurrence whose window contains it [default: today; a past day is a backfill; a future day is refused]")),
    mut_arg("by", |a| a.help("Who did it [default: $SOCCTL_BY, else the login name]")),
)]
pub struct DoneArgs {
    /// The task id
    #[arg(add = clap_complete::ArgValueCandidates::new(crate::cli::shell::task_candidates))]
    pub task: String,
    /// Which team.
    #[command(flatten)]
    pub teams: TeamArgs,
    /// When and by whom.
    #[command(flatten)]
    pub when: DayAndAuthor,
    /// A note
    #[arg(long)]
    pub note: Option<String>,
    /// The ticket.
    #[command(flatten)]
    pub ticket: TicketArg,
    /// The occurrence, when named.
    #[command(flatten)]
    pub occurrence: OccurrenceArg,
}

/// Arguments of `socctl skip`.
#[derive(Debug, clap::Args)]
#[command(
    mut_arg("date", |a| a.help("A day in the window of the occurrence to skip [default: today]")),
    mut_arg("by", |a| a.help("Who decided [default: $SOCCTL_BY, else the login name]")),
)]
pub struct SkipArgs {
    /// The task id
    #[arg(add = clap_complete::ArgValueCandidates::new(crate::cli::shell::task_candidates))]
    pub task: String,
    /// Why it is not done (required: an auditor will ask)
    #[arg(long)]
    pub reason: String,
    /// Which team.
    #[command(flatten)]
    pub teams: TeamArgs,
    /// When and by whom.
    #[command(flatten)]
    pub when: DayAndAuthor,
    /// The ticket.
    #[command(flatten)]
    pub ticket: TicketArg,
    /// The occurrence, when named.
    #[command(flatten)]
    pub occurrence: OccurrenceArg,
}

/// Arguments of `socctl undo`.
#[derive(Debug, clap::Args)]
#[command(
    mut_arg("date", |a| a.help("A day in the window of the occurrence whose record to retract [default: today]")),
    mut_arg("by", |a| a.help("Who retracts it [default: $SOCCTL_BY, else the login name]")),
)]
pub struct UndoArgs {
    /// The task id
    #[arg(add = clap_complete::ArgValueCandidates::new(crate::cli::shell::task_candidates))]
    pub task: String,
    /// Which team.
    #[command(flatten)]
    pub teams: TeamArgs,
    /// When and by whom.
    #[command(flatten)]
    pub when: DayAndAuthor,
    /// Why
    #[arg(long)]
    pub note: Option<String>,
    /// The occurrence, when named.
    #[command(flatten)]
    pub occurrence: OccurrenceArg,
}

/// Arguments of `socctl trigger`.
#[derive(Debug, clap::Args)]
#[command(
    mut_arg("date", |a| a.help("The day it is due [default: today]")),
    mut_arg("by", |a| a.help("Who triggered it [default: $SOCCTL_BY, else the login name]")),
)]
pub struct TriggerArgs {
    /// The task id (its cadence must include "as needed")
    #[arg(add = clap_complete::ArgValueCandidates::new(crate::cli::shell::as_needed_candidates))]
    pub task: String,
    /// Why the work is needed
    #[arg(long)]
    pub reason: String,
    /// Which team.
    #[command(flatten)]
    pub teams: TeamArgs,
    /// When and by whom.
    #[command(flatten)]
    pub when: DayAndAuthor,
    /// The ticket.
    #[command(flatten)]
    pub ticket: TicketArg,
}

/// What a recording was given, before anything is read or written: the command line's
/// values, or the board's form.
pub(super) struct Given<'a> {
    /// The task id (or a near miss, answered with suggestions).
    pub(super) task: &'a str,
    /// `--date`.
    pub(super) date: Option<&'a DateArg>,
    /// `--occurrence`.
    pub(super) occurrence: Option<&'a DateArg>,
    /// `--team`.
    pub(super) team: Option<&'a str>,
    /// `--all-teams`.
    pub(super) all_teams: bool,
    /// `--by` (else `$SOCCTL_BY`, else the login name).
    pub(super) by: Option<&'a str>,
}

/// The team a record of `task` settles ([`crate::track::record::team_of`]); a name that
/// is no team gets suggestions.
pub(super) fn team_of<'c>(
    catalog: &'c Catalog,
    task: &Task,
    team: Option<&str>,
    all_teams: bool,
) -> anyhow::Result<Option<&'c str>> {
    crate::track::record::team_of(catalog, task, team, all_teams).map_err(|error| {
        let hint = match &error {
            TeamError::Unknown { name, .. } => super::resolve::did_you_mean(
                &super::resolve::nearest_teams(catalog, name, &task.teams, false),
            ),
            _ => String::new(),
        };
        UsageError(format!("{error}{hint}")).into()
    })
}

/// A recording's error as the command line reports it: a refusal of what was given is a
/// usage error (exit 2); the journal's errors stay themselves.
fn refused(error: RecordError) -> anyhow::Error {
    match error {
        RecordError::Journal(error) => error.into(),
        error if error.is_refusal() => UsageError(error.to_string()).into(),
        error => error.into(),
    }
}

/// Makes the record `act` describes for `given`, with the rules of
/// [`crate::track::record`]: what `done`, `skip`, `undo`, `trigger`, `tickets pull` and
/// the board's recording all run. The journal is created only once the record passes
/// every check.
pub(super) fn make(
    context: &Context,
    catalog: &Catalog,
    given: &Given<'_>,
    act: &Act,
) -> anyhow::Result<Recorded> {
    make_on(context, catalog, given, act, &mut None)
}

/// [`make`] on `kept` when it holds a journal opened for recording already (one of the
/// board's connections), else on one opened now; `kept` is left holding the journal the
/// record was checked against, for the next record, whatever came of this one.
pub(super) fn make_on(
    context: &Context,
    catalog: &Catalog,
    given: &Given<'_>,
    act: &Act,
    kept: &mut Option<Box<dyn crate::journal::Store>>,
) -> anyhow::Result<Recorded> {
    // Every argument first: nothing is read or written for a command that cannot finish.
    if context.listing_format(act.name())? == ListingFormat::Csv {
        return Err(UsageError(format!(
            "`socctl {}` has no csv format; use json, or table, text or markdown for a sentence; nothing recorded",
            act.name()
        ))
        .into());
    }
    let task = super::resolve::task(catalog, given.task)?;
    let team = team_of(catalog, task, given.team, given.all_teams)?;
    let Some(by) = environment::author(given.by) else {
        return Err(UsageError(
            "who makes this record is unknown: give --by NAME or set SOCCTL_BY (no login name is set either); nothing recorded".to_owned(),
        )
        .into());
    };
    // The team's own day: its today, in its own time zone.
    let zone_team = day_team(catalog, task, team);
    let today = context.date_of_team(catalog, zone_team, None)?;
    let day = context.date_of_team(catalog, zone_team, given.date)?;
    let occurrence = given
        .occurrence
        .map(|d| context.date_of_team(catalog, zone_team, Some(d)))
        .transpose()?;
    let request = Request {
        task,
        team,
        today,
        day,
        occurrence,
        by,
        now: environment::now(),
    };
    request.check(act).map_err(refused)?;
    let existing = match kept.take() {
        Some(store) => Some(store),
        None => context.journal_for_recording(today)?,
    };
    let prepared = prepare(catalog, &request, act, existing.as_deref()).map_err(refused);
    // Kept for the next record, a refused one's too.
    *kept = existing;
    let prepared = prepared?;
    let mut store = match kept.take() {
        Some(store) => store,
        None => context.journal_for_writing(today)?,
    };
    let written = prepared.write(catalog, store.as_mut()).map_err(refused);
    *kept = Some(store);
    written
}

/// Shows what was recorded: the record itself in JSON, else its sentence.
fn write_recorded(
    context: &Context,
    act: &Act,
    out: &mut dyn Write,
    recorded: &Recorded,
) -> anyhow::Result<()> {
    if context.listing_format(act.name())? == ListingFormat::Json {
        write_json(out, &recorded.record)?;
    } else {
        // Names and notes may come from a colleague or an import: no terminal controls.
        writeln!(
            out,
            "{}",
            crate::catalog::escape_controls(&recorded.message)
        )?;
    }
    Ok(())
}

/// Runs a recording command: the record made, shown.
fn run(context: &Context, out: &mut dyn Write, given: &Given<'_>, act: &Act) -> anyhow::Result<()> {
    let catalog = context.catalog()?;
    let recorded = make(context, &catalog, given, act)?;
    write_recorded(context, act, out, &recorded)
}

/// What a `done` or `skip` came to.
pub(super) enum Settled {
    /// The record was appended; the message says what it records.
    Recorded(String),
    /// The occurrence was settled already (by a record in force); the message says so
    /// and how to retract it. Nothing was recorded.
    Already(String),
}

/// Records `done` or `skip` as `given` describes, or finds the occurrence settled already
/// (which `socctl tickets pull` counts rather than fails on).
pub(super) fn settle_in(
    context: &Context,
    catalog: &Catalog,
    given: &Given<'_>,
    act: &Act,
) -> anyhow::Result<Settled> {
    match make(context, catalog, given, act) {
        Ok(Recorded { message, .. }) => Ok(Settled::Recorded(message)),
        Err(error) => match error.downcast::<RecordError>() {
            Ok(already @ RecordError::AlreadySettled { .. }) => {
                Ok(Settled::Already(already.to_string()))
            }
            Ok(other) => Err(other.into()),
            Err(error) => Err(error),
        },
    }
}

/// Runs a recording command on its arguments: the task, `--team`/`--all-teams`, `--date`
/// and `--by`, `--occurrence` (none for `trigger`) and what it records.
fn run_with(
    context: &Context,
    out: &mut dyn Write,
    (task, teams, when): (&str, &TeamArgs, &DayAndAuthor),
    occurrence: Option<&OccurrenceArg>,
    act: &Act,
) -> anyhow::Result<()> {
    let given = Given {
        task,
        date: when.date.as_ref(),
        occurrence: occurrence.and_then(|o| o.occurrence.as_ref()),
        team: teams.team.as_deref(),
        all_teams: teams.all_teams,
        by: when.by.as_deref(),
    };
    run(context, out, &given, act)
}

/// Runs `socctl done`.
pub fn run_done(context: &Context, args: &DoneArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let act = Act::Done {
        note: args.note.clone(),
        reference: args.ticket.reference.clone(),
    };
    let named = (args.task.as_str(), &args.teams, &args.when);
    run_with(context, out, named, Some(&args.occurrence), &act)
}

/// Runs `socctl skip`.
pub fn run_skip(context: &Context, args: &SkipArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let act = Act::Skip {
        reason: args.reason.clone(),
        reference: args.ticket.reference.clone(),
    };
    let named = (args.task.as_str(), &args.teams, &args.when);
    run_with(context, out, named, Some(&args.occurrence), &act)
}

/// Runs `socctl undo`: appends a retraction of the latest record in force for the
/// occurrence whose window contains the day (and the team); of two `undo`s of one record
/// at once, one retracts it and the other is told it is already undone.
pub fn run_undo(context: &Context, args: &UndoArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let act = Act::Undo {
        note: args.note.clone(),
    };
    let named = (args.task.as_str(), &args.teams, &args.when);
    run_with(context, out, named, Some(&args.occurrence), &act)
}

/// Runs `socctl trigger`.
pub fn run_trigger(
    context: &Context,
    args: &TriggerArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let act = Act::Trigger {
        reason: args.reason.clone(),
        reference: args.ticket.reference.clone(),
    };
    let named = (args.task.as_str(), &args.teams, &args.when);
    run_with(context, out, named, None, &act)
}
