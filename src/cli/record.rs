//! `socctl done`, `skip`, `undo` and `trigger`: recording what happened to an occurrence.

use std::io::Write;

use jiff::civil::Date;

use super::{Context, DateArg, ListingFormat, UsageError, environment};
use crate::catalog::{Catalog, Task};
use crate::journal::{Action, Record, RecordFilter, Store};
use crate::render::write_json;
use crate::track::settle::{Recording, SettleError, records_from, retracts, settles};

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

/// The task, today, the day named by `--date`, the team, the author and the journal,
/// checked for recording.
struct Draft<'c> {
    task: &'c Task,
    today: Date,
    day: Date,
    /// The occurrence named with `--occurrence`, if any.
    occurrence: Option<Date>,
    /// The team (id) the record settles; `None` for every team of the task.
    team: Option<&'c str>,
    /// Who makes the record.
    by: String,
    /// The journal, if it exists yet: it is created only once a record passes every check.
    existing: Option<Box<dyn Store>>,
}

impl<'c> Draft<'c> {
    /// The day tracking started, or today for a journal about to be created.
    fn tracking_start(&self) -> anyhow::Result<Date> {
        Ok(match &self.existing {
            Some(store) => store.tracking_start()?,
            None => self.today,
        })
    }

    /// What the rules of [`crate::track::settle`] need to know about the record.
    fn recording(&self) -> anyhow::Result<Recording<'c>> {
        Ok(Recording {
            task: self.task,
            day: self.day,
            today: self.today,
            named: self.occurrence,
            tracking_start: self.tracking_start()?,
            team: self.team,
        })
    }

    /// The task's records that can matter for `recording` (none before the journal
    /// exists).
    fn records(&self, catalog: &Catalog, recording: &Recording<'_>) -> anyhow::Result<Vec<Record>> {
        let Some(store) = &self.existing else {
            return Ok(Vec::new());
        };
        let filter = RecordFilter {
            tasks: vec![self.task.id.clone()],
            occurrences_from: Some(records_from(catalog, recording)),
            ..RecordFilter::default()
        };
        Ok(store.records(&filter)?)
    }

    /// A new record of this draft's task, team and author.
    fn record(&self, occurrence: Date, action: Action, on: Date) -> Record {
        let mut record = Record::new(
            &self.task.id,
            occurrence,
            action,
            on,
            &self.by,
            environment::now(),
        );
        record.team = self.team.map(str::to_owned);
        record
    }

    /// The journal to write to, created now if it does not exist yet.
    fn store(&mut self, context: &Context) -> anyhow::Result<&mut Box<dyn Store>> {
        let store = match self.existing.take() {
            Some(store) => store,
            None => context.journal_for_writing(self.today)?,
        };
        Ok(self.existing.insert(store))
    }
}

/// What a recording command was given, checked before anything is read or written.
pub(super) struct Given<'a> {
    /// The command's name, for messages (`done`, `skip`, `undo`, `trigger`).
    pub(super) command: &'static str,
    pub(super) task: &'a str,
    pub(super) date: Option<&'a DateArg>,
    pub(super) occurrence: Option<&'a DateArg>,
    pub(super) teams: &'a TeamArgs,
    pub(super) by: Option<&'a str>,
    /// Whether `--date` may be after today.
    pub(super) allow_future: bool,
}

/// The team a record of `task` settles: `--team` (one of the task's teams), implied for a
/// task of one team, `None` with `--all-teams`; a task of several teams without either is
/// refused with the list of its teams.
pub(super) fn team_of<'c>(
    catalog: &'c Catalog,
    task: &Task,
    teams: &TeamArgs,
) -> anyhow::Result<Option<&'c str>> {
    let owners = || {
        task.teams
            .iter()
            .map(|&t| format!("{} ({})", catalog.teams[t].id, catalog.teams[t].name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(name) = &teams.team {
        let Some(crate::catalog::TeamSelector::Team(index)) = catalog.find_team(name) else {
            return Err(UsageError(format!(
                "`{}` is not a team of `{}`; its teams: {}{}",
                name,
                task.id,
                owners(),
                super::resolve::did_you_mean(&super::resolve::nearest_teams(
                    catalog,
                    name,
                    &task.teams,
                    false
                ))
            ))
            .into());
        };
        if !task.teams.contains(&index) {
            return Err(UsageError(format!(
                "team `{}` does not own `{}`; its teams: {}",
                catalog.teams[index].id,
                task.id,
                owners()
            ))
            .into());
        }
        return Ok(Some(catalog.teams[index].id.as_str()));
    }
    match task.teams[..] {
        [only] => Ok(Some(catalog.teams[only].id.as_str())),
        _ if teams.all_teams => Ok(None),
        _ => Err(UsageError(format!(
            "`{}` is the work of several teams, each recorded on its own: name one with --team (its teams: {}), or give --all-teams for work they did together",
            task.id,
            owners()
        ))
        .into()),
    }
}

fn begin<'c>(
    context: &Context,
    catalog: &'c Catalog,
    given: &Given<'_>,
) -> anyhow::Result<Draft<'c>> {
    // Every argument first: nothing is read or written for a command that cannot finish.
    if context.listing_format(given.command)? == ListingFormat::Csv {
        return Err(UsageError(format!(
            "`socctl {}` has no csv format; use json, or table, text or markdown for a sentence; nothing recorded",
            given.command
        ))
        .into());
    }
    let task = super::resolve::task(catalog, given.task)?;
    let team = team_of(catalog, task, given.teams)?;
    let Some(by) = environment::author(given.by) else {
        return Err(UsageError(
            "who makes this record is unknown: give --by NAME or set SOCCTL_BY (no login name is set either); nothing recorded".to_owned(),
        )
        .into());
    };
    // The team's own day: its today, in its own time zone (for every team of the task,
    // the first team's).
    let zone_team = team
        .and_then(|id| catalog.teams.iter().position(|t| t.id == id))
        .or_else(|| task.teams.first().copied());
    let today = context.date_of_team(catalog, zone_team, None)?;
    let day = context.date_of_team(catalog, zone_team, given.date)?;
    if day > today && !given.allow_future {
        return Err(UsageError(format!(
            "{day} is in the future (today is {today}); record work on the day it happens or later"
        ))
        .into());
    }
    let occurrence = given
        .occurrence
        .map(|d| context.date_of_team(catalog, zone_team, Some(d)))
        .transpose()?;
    if let Some(occurrence) = occurrence.filter(|o| *o > today) {
        return Err(UsageError(format!(
            "--occurrence {occurrence} is in the future (today is {today}); an occurrence is recorded once it is due"
        ))
        .into());
    }
    let existing = context.journal_for_recording(today)?;
    Ok(Draft {
        task,
        today,
        day,
        occurrence,
        team,
        by,
        existing,
    })
}

/// A rule refused the record: the day or occurrence given does not fit the task (exit 2).
impl From<SettleError> for UsageError {
    fn from(error: SettleError) -> Self {
        Self(error.to_string())
    }
}

/// Shows what was recorded: the record itself in JSON, else `message`.
fn write_recorded(
    context: &Context,
    command: &str,
    out: &mut dyn Write,
    record: &Record,
    message: &str,
) -> anyhow::Result<()> {
    if context.listing_format(command)? == ListingFormat::Json {
        write_json(out, record)?;
    } else {
        // Names and notes may come from a colleague or an import: no terminal controls.
        writeln!(out, "{}", crate::catalog::escape_controls(message))?;
    }
    Ok(())
}

/// " for team T" for a record of one team of a task of several, "" otherwise.
fn for_team(task: &Task, record: &Record) -> String {
    match (&record.team, task.teams.len()) {
        (Some(team), 2..) => format!(" for team {team}"),
        (None, 2..) => " for all teams".to_owned(),
        _ => String::new(),
    }
}

/// The command that retracts exactly `record` (the latest in force for its occurrence and
/// team, which is what `undo` retracts).
pub(crate) fn undo_command(task: &Task, record: &Record) -> String {
    let team = match (&record.team, task.teams.len()) {
        (Some(team), 2..) => format!(" --team {team}"),
        (None, 2..) => " --all-teams".to_owned(),
        _ => String::new(),
    };
    format!(
        "socctl undo {} --occurrence {}{team}",
        record.task, record.occurrence
    )
}

/// Who is assigned `draft`'s task's occurrence due `occurrence` for the draft's team, now
/// (with the journal's leave and swaps): recorded beside `--by`. `None` for a record of
/// every team of a task of several, or a task that names nobody.
fn assignee_at(
    catalog: &Catalog,
    draft: &Draft<'_>,
    occurrence: Date,
) -> anyhow::Result<Option<String>> {
    let task = draft.task;
    let Some(team) = draft.team else {
        return Ok(None);
    };
    if task.assignment.is_none() {
        return Ok(None);
    }
    let Some(index) = catalog.teams.iter().position(|t| t.id == team) else {
        return Ok(None);
    };
    let cover = match &draft.existing {
        Some(store) => super::cover::cover_in(store.as_ref(), occurrence, occurrence)?,
        None => crate::people::Cover::none(),
    };
    let time = task
        .schedule(&catalog.calendar)
        .and_then(|s| s.occurrences_from(occurrence).next())
        .filter(|o| o.date == occurrence)
        .and_then(|o| o.time);
    Ok(crate::people::Rota::new(catalog, task, index, &cover)
        .assignee(occurrence, time)
        .map(|m| m.id.clone()))
}

/// What a `done` or `skip` came to.
pub(super) enum Settled {
    /// The record was appended; the message says what it records.
    Recorded(Box<Record>, String),
    /// The occurrence was settled already (by a record in force); the message says so
    /// and how to retract it. Nothing was recorded.
    Already(String),
}

/// Records `done` or `skip` as `given` describes, or finds the occurrence settled already:
/// the code `socctl done`, `socctl skip` and `socctl tickets pull` share.
pub(super) fn settle_in(
    context: &Context,
    catalog: &Catalog,
    given: &Given<'_>,
    action: Action,
    fill: impl FnOnce(&mut Record),
) -> anyhow::Result<Settled> {
    let mut draft = begin(context, catalog, given)?;
    let recording = draft.recording()?;
    let records = draft.records(catalog, &recording)?;
    let occurrence = settles(catalog, &recording, &records).map_err(UsageError::from)?;
    if action == Action::Done && recording.day < occurrence {
        return Err(UsageError(format!(
            "`{}` due {occurrence} cannot be done on {}, before it is due; give --date on or after {occurrence}, or --occurrence of the one the work was for; nothing recorded",
            draft.task.id, recording.day
        ))
        .into());
    }
    let mut record = draft.record(occurrence, action, recording.day);
    fill(&mut record);
    record.assignee = assignee_at(catalog, &draft, occurrence)?;
    let task = draft.task;
    if let Some(previous) = draft.store(context)?.append_unless_settled(&record)? {
        let message = format!(
            "`{}` due {occurrence} is already {}{} (on {}, by {}, recorded {}); nothing recorded. `{}` retracts it",
            previous.task,
            previous.action,
            for_team(task, &previous),
            previous.on,
            previous.by,
            crate::calendar::format_instant(previous.recorded_at, &catalog.calendar.time_zone),
            undo_command(task, &previous),
        );
        return Ok(Settled::Already(message));
    }
    let timing = match action {
        Action::Done if record.on > occurrence => " (late)".to_owned(),
        Action::Done => " (on time)".to_owned(),
        _ => String::new(),
    };
    let message = format!(
        "{}: {} due {occurrence}{timing}{}, by {}",
        action,
        record.task,
        for_team(task, &record),
        record.by
    );
    Ok(Settled::Recorded(Box::new(record), message))
}

/// Runs `socctl done` and `socctl skip`.
fn settle(
    context: &Context,
    out: &mut dyn Write,
    given: &Given<'_>,
    action: Action,
    fill: impl FnOnce(&mut Record),
) -> anyhow::Result<()> {
    let catalog = context.catalog()?;
    match settle_in(context, &catalog, given, action, fill)? {
        Settled::Recorded(record, message) => {
            write_recorded(context, given.command, out, &record, &message)
        }
        Settled::Already(message) => Err(anyhow::anyhow!(message)),
    }
}

/// Runs `socctl done`.
pub fn run_done(context: &Context, args: &DoneArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let given = Given {
        command: "done",
        task: &args.task,
        date: args.when.date.as_ref(),
        occurrence: args.occurrence.occurrence.as_ref(),
        teams: &args.teams,
        by: args.when.by.as_deref(),
        allow_future: false,
    };
    settle(context, out, &given, Action::Done, |record| {
        record.note.clone_from(&args.note);
        record.reference.clone_from(&args.ticket.reference);
    })
}

/// Runs `socctl skip`.
pub fn run_skip(context: &Context, args: &SkipArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let given = Given {
        command: "skip",
        task: &args.task,
        date: args.when.date.as_ref(),
        occurrence: args.occurrence.occurrence.as_ref(),
        teams: &args.teams,
        by: args.when.by.as_deref(),
        allow_future: false,
    };
    settle(context, out, &given, Action::Skipped, |record| {
        record.note = Some(args.reason.clone());
        record.reference.clone_from(&args.ticket.reference);
    })
}

/// Runs `socctl undo`: appends a retraction of the latest record in force for the
/// occurrence whose window contains the day (and the team); of two `undo`s of one record
/// at once, one retracts it and the other is told it is already undone.
pub fn run_undo(context: &Context, args: &UndoArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let catalog = context.catalog()?;
    let given = Given {
        command: "undo",
        task: &args.task,
        date: args.when.date.as_ref(),
        occurrence: args.occurrence.occurrence.as_ref(),
        teams: &args.teams,
        by: args.when.by.as_deref(),
        allow_future: true,
    };
    let mut draft = begin(context, &catalog, &given)?;
    let recording = draft.recording()?;
    let records = draft.records(&catalog, &recording)?;
    let retracted = match retracts(&catalog, &recording, &records) {
        Ok(record) => record.clone(),
        // Not a usage error: the journal says so, as when a concurrent `undo` wins below.
        Err(error @ SettleError::AlreadyUndone { .. }) => return Err(error.into()),
        Err(error) => return Err(UsageError::from(error).into()),
    };
    let target = retracted.occurrence;
    let mut record = draft.record(target, Action::Undone, draft.today);
    // A retraction is for what it retracts.
    record.team.clone_from(&retracted.team);
    record.undoes = Some(retracted.id.clone());
    record.note.clone_from(&args.note);
    let task = draft.task;
    if let Some(previous) = draft.store(context)?.append_unless_settled(&record)? {
        return Err(anyhow::anyhow!(
            "`{}` {} due {target}{} (recorded {} by {}) is already undone (by {}, recorded {}); nothing recorded",
            retracted.task,
            retracted.action,
            for_team(task, &retracted),
            crate::calendar::format_instant(retracted.recorded_at, &catalog.calendar.time_zone),
            retracted.by,
            previous.by,
            crate::calendar::format_instant(previous.recorded_at, &catalog.calendar.time_zone),
        ));
    }
    let message = format!(
        "undone: {} {} due {target}{} (recorded {} by {})",
        retracted.task,
        retracted.action,
        for_team(task, &retracted),
        crate::calendar::format_instant(retracted.recorded_at, &catalog.calendar.time_zone),
        retracted.by
    );
    write_recorded(context, given.command, out, &record, &message)
}

/// Runs `socctl trigger`.
pub fn run_trigger(
    context: &Context,
    args: &TriggerArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let catalog = context.catalog()?;
    let given = Given {
        command: "trigger",
        task: &args.task,
        date: args.when.date.as_ref(),
        occurrence: None,
        teams: &args.teams,
        by: args.when.by.as_deref(),
        allow_future: true,
    };
    let mut draft = begin(context, &catalog, &given)?;
    let task = draft.task;
    if !task.cadence.as_needed {
        return Err(UsageError(format!(
            "`{}` is scheduled `{}`, not \"as needed\"; only tasks whose cadence includes \"as needed\" can be triggered",
            task.id, task.cadence
        ))
        .into());
    }
    let mut record = draft.record(draft.day, Action::Triggered, draft.day);
    record.note = Some(args.reason.clone());
    record.reference.clone_from(&args.ticket.reference);
    if let Some(previous) = draft.store(context)?.append_unless_settled(&record)? {
        return Err(anyhow::anyhow!(
            "`{}` is already triggered for {}{} (by {}, recorded {}); nothing recorded",
            previous.task,
            previous.occurrence,
            for_team(task, &previous),
            previous.by,
            crate::calendar::format_instant(previous.recorded_at, &catalog.calendar.time_zone)
        ));
    }
    let message = format!(
        "triggered: {} due {}{}, by {}",
        record.task,
        record.occurrence,
        for_team(task, &record),
        record.by
    );
    write_recorded(context, given.command, out, &record, &message)
}
