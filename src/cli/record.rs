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
    /// Who records it [default: $USER]
    #[arg(long)]
    pub by: Option<String>,
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
    mut_arg("by", |a| a.help("Who did it [default: $USER]")),
)]
pub struct DoneArgs {
    /// The task id
    pub task: String,
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
    mut_arg("by", |a| a.help("Who decided [default: $USER]")),
)]
pub struct SkipArgs {
    /// The task id
    pub task: String,
    /// Why it is not done (required: an auditor will ask)
    #[arg(long)]
    pub reason: String,
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
    mut_arg("by", |a| a.help("Who retracts it [default: $USER]")),
)]
pub struct UndoArgs {
    /// The task id
    pub task: String,
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
    mut_arg("by", |a| a.help("Who triggered it [default: $USER]")),
)]
pub struct TriggerArgs {
    /// The task id (its cadence must include "as needed")
    pub task: String,
    /// Why the work is needed
    #[arg(long)]
    pub reason: String,
    /// When and by whom.
    #[command(flatten)]
    pub when: DayAndAuthor,
    /// The ticket.
    #[command(flatten)]
    pub ticket: TicketArg,
}

/// The task, today, the day named by `--date`, and the journal, checked for recording.
struct Draft<'c> {
    task: &'c Task,
    today: Date,
    day: Date,
    /// The occurrence named with `--occurrence`, if any.
    occurrence: Option<Date>,
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

    /// The journal to write to, created now if it does not exist yet.
    fn store(&mut self, context: &Context) -> anyhow::Result<&mut Box<dyn Store>> {
        let store = match self.existing.take() {
            Some(store) => store,
            None => context.journal_for_writing(self.today)?,
        };
        Ok(self.existing.insert(store))
    }
}

fn begin<'c>(
    context: &Context,
    catalog: &'c Catalog,
    task: &str,
    date: Option<&DateArg>,
    allow_future: bool,
) -> anyhow::Result<Draft<'c>> {
    let task = super::next::find_tasks(catalog, std::slice::from_ref(&task.to_owned()))?[0];
    let today = context.today(catalog)?;
    let day = context.date(catalog, date)?;
    if day > today && !allow_future {
        return Err(UsageError(format!(
            "{day} is in the future (today is {today}); record work on the day it happens or later"
        ))
        .into());
    }
    let existing = context.journal_for_reading()?;
    Ok(Draft {
        task,
        today,
        day,
        occurrence: None,
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
    out: &mut dyn Write,
    record: &Record,
    message: &str,
) -> anyhow::Result<()> {
    if context.listing_format(&record.action.to_string())? == ListingFormat::Json {
        write_json(out, record)?;
    } else {
        // Names and notes may come from a colleague or an import: no terminal controls.
        writeln!(out, "{}", crate::catalog::escape_controls(message))?;
    }
    Ok(())
}

/// Runs `socctl done` and `socctl skip`.
fn settle(
    context: &Context,
    out: &mut dyn Write,
    task: &str,
    (date, occurrence): (Option<&DateArg>, Option<&DateArg>),
    action: Action,
    fill: impl FnOnce(&mut Record),
) -> anyhow::Result<()> {
    let catalog = context.catalog()?;
    let mut draft = begin(context, &catalog, task, date, false)?;
    draft.occurrence = occurrence
        .map(|d| context.date(&catalog, Some(d)))
        .transpose()?;
    let recording = draft.recording()?;
    let records = draft.records(&catalog, &recording)?;
    let occurrence = settles(&catalog, &recording, &records).map_err(UsageError::from)?;
    let mut record = Record::new(
        &recording.task.id,
        occurrence,
        action,
        recording.day,
        &environment::login_name(),
        environment::now(),
    );
    fill(&mut record);
    if let Some(previous) = draft.store(context)?.append_unless_settled(&record)? {
        return Err(anyhow::anyhow!(
            "`{}` due {occurrence} is already {} (on {}, by {}, recorded {}); nothing recorded. `socctl undo {} --date {}` retracts it",
            previous.task,
            previous.action,
            previous.on,
            previous.by,
            crate::calendar::format_instant(previous.recorded_at, &catalog.calendar.time_zone),
            previous.task,
            previous.on
        ));
    }
    let timing = match action {
        Action::Done if record.on > occurrence => " (late)".to_owned(),
        Action::Done => " (on time)".to_owned(),
        _ => String::new(),
    };
    let message = format!(
        "{}: {} due {occurrence}{timing}, by {}",
        action, record.task, record.by
    );
    write_recorded(context, out, &record, &message)
}

/// Runs `socctl done`.
pub fn run_done(context: &Context, args: &DoneArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    settle(
        context,
        out,
        &args.task,
        (args.when.date.as_ref(), args.occurrence.occurrence.as_ref()),
        Action::Done,
        |record| {
            if let Some(by) = &args.when.by {
                record.by.clone_from(by);
            }
            record.note.clone_from(&args.note);
            record.reference.clone_from(&args.ticket.reference);
        },
    )
}

/// Runs `socctl skip`.
pub fn run_skip(context: &Context, args: &SkipArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    settle(
        context,
        out,
        &args.task,
        (args.when.date.as_ref(), args.occurrence.occurrence.as_ref()),
        Action::Skipped,
        |record| {
            if let Some(by) = &args.when.by {
                record.by.clone_from(by);
            }
            record.note = Some(args.reason.clone());
            record.reference.clone_from(&args.ticket.reference);
        },
    )
}

/// Runs `socctl undo`: appends a retraction of the latest record in force for the
/// occurrence whose window contains the day.
pub fn run_undo(context: &Context, args: &UndoArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let catalog = context.catalog()?;
    let mut draft = begin(context, &catalog, &args.task, args.when.date.as_ref(), true)?;
    draft.occurrence = args
        .occurrence
        .occurrence
        .as_ref()
        .map(|d| context.date(&catalog, Some(d)))
        .transpose()?;
    let recording = draft.recording()?;
    let records = draft.records(&catalog, &recording)?;
    let retracted = retracts(&catalog, &recording, &records)
        .map_err(UsageError::from)?
        .clone();
    let target = retracted.occurrence;
    let mut record = Record::new(
        &retracted.task,
        target,
        Action::Undone,
        draft.today,
        &environment::login_name(),
        environment::now(),
    );
    record.undoes = Some(retracted.id.clone());
    if let Some(by) = &args.when.by {
        record.by.clone_from(by);
    }
    record.note.clone_from(&args.note);
    draft
        .store(context)?
        .append(std::slice::from_ref(&record))?;
    let message = format!(
        "undone: {} {} due {target} (recorded {} by {})",
        retracted.task,
        retracted.action,
        crate::calendar::format_instant(retracted.recorded_at, &catalog.calendar.time_zone),
        retracted.by
    );
    write_recorded(context, out, &record, &message)
}

/// Runs `socctl trigger`.
pub fn run_trigger(
    context: &Context,
    args: &TriggerArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let catalog = context.catalog()?;
    let mut draft = begin(context, &catalog, &args.task, args.when.date.as_ref(), true)?;
    let task = draft.task;
    if !task.cadence.as_needed {
        return Err(UsageError(format!(
            "`{}` is scheduled `{}`, not \"as needed\"; only tasks whose cadence includes \"as needed\" can be triggered",
            task.id, task.cadence
        ))
        .into());
    }
    let mut record = Record::new(
        &task.id,
        draft.day,
        Action::Triggered,
        draft.day,
        &environment::login_name(),
        environment::now(),
    );
    if let Some(by) = &args.when.by {
        record.by.clone_from(by);
    }
    record.note = Some(args.reason.clone());
    record.reference.clone_from(&args.ticket.reference);
    if let Some(previous) = draft.store(context)?.append_unless_settled(&record)? {
        return Err(anyhow::anyhow!(
            "`{}` is already triggered for {} (by {}, recorded {}); nothing recorded",
            previous.task,
            previous.occurrence,
            previous.by,
            crate::calendar::format_instant(previous.recorded_at, &catalog.calendar.time_zone)
        ));
    }
    let message = format!(
        "triggered: {} due {}, by {}",
        record.task, record.occurrence, record.by
    );
    write_recorded(context, out, &record, &message)
}
