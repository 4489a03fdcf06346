//! `socctl done`, `skip`, `undo` and `trigger`: recording what happened to an occurrence.

use std::io::Write;

use jiff::civil::Date;

use super::{Context, DateArg, ListingFormat, UsageError};
use crate::catalog::{Catalog, Task};
use crate::config;
use crate::journal::{Action, Record, RecordFilter, Store};
use crate::render::write_json;
use crate::track::{TaskRecords, first_tracked, track_task};

/// Arguments of `socctl done`.
#[derive(Debug, clap::Args)]
pub struct DoneArgs {
    /// The task id
    pub task: String,
    /// The day the work was done: it settles the occurrence whose window contains it
    /// [default: today; a past day is a backfill; a future day is refused]
    #[arg(long, short)]
    pub date: Option<DateArg>,
    /// Who did it [default: $USER]
    #[arg(long)]
    pub by: Option<String>,
    /// A note
    #[arg(long)]
    pub note: Option<String>,
    /// A ticket id or URL
    #[arg(long = "ref", value_name = "TICKET")]
    pub reference: Option<String>,
    /// The occurrence's due date, when it is not the one whose window contains --date
    /// (e.g. yesterday's daily check done today: --occurrence yesterday)
    #[arg(long, value_name = "DUE_DATE")]
    pub occurrence: Option<DateArg>,
}

/// Arguments of `socctl skip`.
#[derive(Debug, clap::Args)]
pub struct SkipArgs {
    /// The task id
    pub task: String,
    /// Why it is not done (required: an auditor will ask)
    #[arg(long)]
    pub reason: String,
    /// A day in the window of the occurrence to skip [default: today]
    #[arg(long, short)]
    pub date: Option<DateArg>,
    /// Who decided [default: $USER]
    #[arg(long)]
    pub by: Option<String>,
    /// A ticket id or URL
    #[arg(long = "ref", value_name = "TICKET")]
    pub reference: Option<String>,
    /// The occurrence's due date, when it is not the one whose window contains --date
    /// (e.g. yesterday's daily check done today: --occurrence yesterday)
    #[arg(long, value_name = "DUE_DATE")]
    pub occurrence: Option<DateArg>,
}

/// Arguments of `socctl undo`.
#[derive(Debug, clap::Args)]
pub struct UndoArgs {
    /// The task id
    pub task: String,
    /// A day in the window of the occurrence whose record to retract [default: today]
    #[arg(long, short)]
    pub date: Option<DateArg>,
    /// Who retracts it [default: $USER]
    #[arg(long)]
    pub by: Option<String>,
    /// Why
    #[arg(long)]
    pub note: Option<String>,
    /// The occurrence's due date, when it is not the one whose window contains --date
    /// (e.g. yesterday's daily check done today: --occurrence yesterday)
    #[arg(long, value_name = "DUE_DATE")]
    pub occurrence: Option<DateArg>,
}

/// Arguments of `socctl trigger`.
#[derive(Debug, clap::Args)]
pub struct TriggerArgs {
    /// The task id (its cadence must include "as needed")
    pub task: String,
    /// Why the work is needed
    #[arg(long)]
    pub reason: String,
    /// The day it is due [default: today]
    #[arg(long, short)]
    pub date: Option<DateArg>,
    /// Who triggered it [default: $USER]
    #[arg(long)]
    pub by: Option<String>,
    /// A ticket id or URL
    #[arg(long = "ref", value_name = "TICKET")]
    pub reference: Option<String>,
}

/// The task, today, the day named by `--date`, and the journal, checked for recording.
struct Recording<'c> {
    task: &'c Task,
    today: Date,
    day: Date,
    /// The occurrence named with `--occurrence`, if any.
    occurrence: Option<Date>,
    /// The journal, if it exists yet: it is created only once a record passes every check.
    existing: Option<Box<dyn Store>>,
}

impl Recording<'_> {
    /// The task's records that can matter for the day being recorded: occurrences from the
    /// earlier of that day and where the task's tracking starts (none before the journal
    /// exists).
    fn records(&self, catalog: &Catalog) -> anyhow::Result<Vec<Record>> {
        let Some(store) = &self.existing else {
            return Ok(Vec::new());
        };
        let index = catalog
            .tasks
            .iter()
            .position(|t| t.id == self.task.id)
            .unwrap_or_default();
        // Down to the occurrence whose window holds the day, which may predate tracking.
        let scheduled = self
            .task
            .schedule(&catalog.calendar)
            .and_then(|s| s.last_on_or_before(self.day))
            .map(|o| o.date);
        let floor = [
            Some(first_tracked(catalog, index, store.tracking_start()?)),
            Some(self.day),
            scheduled,
            self.occurrence,
        ]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(self.day);
        let filter = RecordFilter {
            tasks: vec![self.task.id.clone()],
            occurrences_from: Some(floor),
            ..RecordFilter::default()
        };
        Ok(store.records(&filter)?)
    }

    /// The day tracking started, or today for a journal about to be created.
    fn tracking_start(&self) -> anyhow::Result<Date> {
        Ok(match &self.existing {
            Some(store) => store.tracking_start()?,
            None => self.today,
        })
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
) -> anyhow::Result<Recording<'c>> {
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
    Ok(Recording {
        task,
        today,
        day,
        occurrence: None,
        existing,
    })
}

/// The occurrence a record for `day` belongs to: the one named with `--occurrence`; else
/// the scheduled occurrence whose window contains the day, unless an outstanding triggered
/// occurrence falls inside that window (or the task is only "as needed").
fn occurrence_for(catalog: &Catalog, recording: &Recording<'_>) -> anyhow::Result<Date> {
    let records = recording.records(catalog)?;
    let references: Vec<&Record> = records.iter().collect();
    let task_records = TaskRecords::new(&references);
    let task = recording.task;
    let triggered: Vec<Date> = Record::effective(&records)
        .into_iter()
        .filter(|r| r.action == Action::Triggered)
        .map(|r| r.occurrence)
        .collect();
    if let Some(date) = recording.occurrence {
        let scheduled = task
            .schedule(&catalog.calendar)
            .and_then(|s| s.first_on_or_after(date))
            .is_some_and(|o| o.date == date);
        if scheduled || triggered.contains(&date) {
            return Ok(date);
        }
        return Err(UsageError(format!(
            "no occurrence of `{}` is due on {date}; `socctl next {}` lists its due dates",
            task.id, task.id
        ))
        .into());
    }
    let scheduled = task
        .schedule(&catalog.calendar)
        .and_then(|s| s.last_on_or_before(recording.day))
        .map(|o| o.date);
    let open_trigger = triggered
        .iter()
        .copied()
        .filter(|date| *date <= recording.day && task_records.settled(*date).is_none())
        .max()
        .filter(|date| scheduled.is_none_or(|s| *date >= s));
    if let Some(date) = open_trigger {
        return Ok(date);
    }
    let task = recording.task;
    if task.cadence.after_done {
        // Counted from completions: the outstanding occurrence, or the next one once due.
        let index = catalog
            .tasks
            .iter()
            .position(|t| t.id == task.id)
            .unwrap_or_default();
        let tracking_start = recording.tracking_start()?;
        let tracked = track_task(
            catalog,
            index,
            &task_records,
            tracking_start,
            recording.day,
            recording.today,
        );
        if let Some(last) = tracked.last() {
            return Ok(last.date);
        }
    }
    let Some(schedule) = task.schedule(&catalog.calendar) else {
        return Err(UsageError(format!(
            "`{}` is \"as needed\" and nothing is triggered on or before {}; run `socctl trigger {} --reason …` first",
            task.id, recording.day, task.id
        ))
        .into());
    };
    match schedule.last_on_or_before(recording.day) {
        Some(occurrence) => Ok(occurrence.date),
        None => {
            let first = schedule
                .first_on_or_after(recording.day)
                .map_or_else(|| "never".to_owned(), |o| o.date.to_string());
            Err(UsageError(format!(
                "{} is before the first occurrence of `{}` ({first}); no window contains it",
                recording.day, task.id
            ))
            .into())
        }
    }
}

fn report(
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
    let mut recording = begin(context, &catalog, task, date, false)?;
    recording.occurrence = occurrence
        .map(|d| context.date(&catalog, Some(d)))
        .transpose()?;
    let occurrence = occurrence_for(&catalog, &recording)?;
    let mut record = Record::new(
        &recording.task.id,
        occurrence,
        action,
        recording.day,
        &config::login_name(),
        config::now(),
    );
    fill(&mut record);
    if let Some(previous) = recording.store(context)?.append_unless_settled(&record)? {
        return Err(anyhow::anyhow!(
            "`{}` due {occurrence} is already {} (on {}, by {}, recorded {}); nothing recorded. `socctl undo {} --date {}` retracts it",
            previous.task,
            previous.action,
            previous.on,
            previous.by,
            previous.recorded_at,
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
    report(context, out, &record, &message)
}

/// Runs `socctl done`.
pub fn run_done(context: &Context, args: &DoneArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    settle(
        context,
        out,
        &args.task,
        (args.date.as_ref(), args.occurrence.as_ref()),
        Action::Done,
        |record| {
            if let Some(by) = &args.by {
                record.by.clone_from(by);
            }
            record.note.clone_from(&args.note);
            record.reference.clone_from(&args.reference);
        },
    )
}

/// Runs `socctl skip`.
pub fn run_skip(context: &Context, args: &SkipArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    settle(
        context,
        out,
        &args.task,
        (args.date.as_ref(), args.occurrence.as_ref()),
        Action::Skipped,
        |record| {
            if let Some(by) = &args.by {
                record.by.clone_from(by);
            }
            record.note = Some(args.reason.clone());
            record.reference.clone_from(&args.reference);
        },
    )
}

/// Runs `socctl undo`: appends a retraction of the latest record in force for the
/// occurrence whose window contains the day.
pub fn run_undo(context: &Context, args: &UndoArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let catalog = context.catalog()?;
    let mut recording = begin(context, &catalog, &args.task, args.date.as_ref(), true)?;
    recording.occurrence = args
        .occurrence
        .as_ref()
        .map(|d| context.date(&catalog, Some(d)))
        .transpose()?;
    let records = recording.records(&catalog)?;
    let effective = Record::effective(&records);
    // The named occurrence; else a record for an occurrence due on the day itself (a
    // trigger, say); else the occurrence whose window holds the day.
    let target = match recording.occurrence {
        Some(date) => date,
        None => effective
            .iter()
            .filter(|r| r.occurrence == recording.day)
            .max_by_key(|r| r.recorded_at)
            .map(|r| r.occurrence)
            .map_or_else(|| occurrence_for(&catalog, &recording), Ok)?,
    };
    let Some(retracted) = effective
        .into_iter()
        .filter(|r| r.occurrence == target)
        .max_by_key(|r| r.recorded_at)
        .cloned()
    else {
        return Err(UsageError(format!(
            "nothing is recorded for `{}` due {target}; nothing to undo",
            recording.task.id
        ))
        .into());
    };
    let mut record = Record::new(
        &retracted.task,
        target,
        Action::Undone,
        recording.today,
        &config::login_name(),
        config::now(),
    );
    record.undoes = Some(retracted.id.clone());
    if let Some(by) = &args.by {
        record.by.clone_from(by);
    }
    record.note.clone_from(&args.note);
    recording
        .store(context)?
        .append(std::slice::from_ref(&record))?;
    let message = format!(
        "undone: {} {} due {target} (recorded {} by {})",
        retracted.task, retracted.action, retracted.recorded_at, retracted.by
    );
    report(context, out, &record, &message)
}

/// Runs `socctl trigger`.
pub fn run_trigger(
    context: &Context,
    args: &TriggerArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let catalog = context.catalog()?;
    let mut recording = begin(context, &catalog, &args.task, args.date.as_ref(), true)?;
    let task = recording.task;
    if !task.cadence.as_needed {
        return Err(UsageError(format!(
            "`{}` is scheduled `{}`, not \"as needed\"; only tasks whose cadence includes \"as needed\" can be triggered",
            task.id, task.cadence
        ))
        .into());
    }
    let mut record = Record::new(
        &task.id,
        recording.day,
        Action::Triggered,
        recording.day,
        &config::login_name(),
        config::now(),
    );
    if let Some(by) = &args.by {
        record.by.clone_from(by);
    }
    record.note = Some(args.reason.clone());
    record.reference.clone_from(&args.reference);
    if let Some(previous) = recording.store(context)?.append_unless_settled(&record)? {
        return Err(anyhow::anyhow!(
            "`{}` is already triggered for {} (by {}, recorded {}); nothing recorded",
            previous.task,
            previous.occurrence,
            previous.by,
            previous.recorded_at
        ));
    }
    let message = format!(
        "triggered: {} due {}, by {}",
        record.task, record.occurrence, record.by
    );
    report(context, out, &record, &message)
}
