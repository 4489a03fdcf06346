//! What `due`, `week` and `plan` have in common: load, select teams, plan a range, render
//! (with the checks `--format email` needs before it writes anything).

use std::io::Write;

use jiff::civil::Date;

use super::{ChecklistArgs, Context, EnvelopeArgs, UsageError};
use crate::catalog::Catalog;
use crate::journal::{Record, RecordFilter, Store};
use crate::plan::{Plan, View, check_range, plan};
use crate::render::email::{self, EmailError, EmailSettings};
use crate::render::{
    Format, carried_of_team, check_table_rows, occurrences_of_team, render_plan, stream_plan,
};
use crate::track::apply_journal;
use crate::track::tracking_floor;

/// The plan for `from..=to` and `teams`, with the journal's statuses and carried-over
/// work when a journal exists: what `due`, `week`, `plan` and `mail` all show.
pub fn tracked_plan(
    context: &Context,
    catalog: &Catalog,
    teams: &[usize],
    range: (Date, Date),
    view: View,
) -> anyhow::Result<Plan> {
    let (from, to) = range;
    check_range(from, to).map_err(|e| UsageError(e.to_string()))?;
    let journal = context.journal_for_reading()?;
    plan_with_journal(context, catalog, teams, range, view, journal.as_deref())
}

/// [`tracked_plan`] with the journal already opened (`None`: there is none yet).
fn plan_with_journal(
    context: &Context,
    catalog: &Catalog,
    teams: &[usize],
    (from, to): (Date, Date),
    view: View,
    journal: Option<&dyn Store>,
) -> anyhow::Result<Plan> {
    let mut plan = plan(catalog, from, to, teams, view).map_err(|e| UsageError(e.to_string()))?;
    if let Some(store) = journal {
        let (tracking_start, records) = tracked_records(store, catalog, teams)?;
        apply_journal(
            &mut plan,
            catalog,
            &records,
            tracking_start,
            context.now(catalog)?,
        );
    }
    Ok(plan)
}

/// The journal's start of tracking and the records `teams`' tasks need from it: only
/// occurrences tracking can reach, an index range per task.
pub(crate) fn tracked_records(
    store: &dyn Store,
    catalog: &Catalog,
    teams: &[usize],
) -> anyhow::Result<(Date, Vec<Record>)> {
    let tracking_start = store.tracking_start()?;
    let mut tasks: Vec<String> = catalog
        .tasks
        .iter()
        .filter(|t| t.teams.iter().any(|x| teams.contains(x)))
        .map(|t| t.id.clone())
        .collect();
    // Too many to list in one query: read by date alone. Listing the tasks, even all of
    // them, lets the journal read each task's records as one range of its key; by date
    // alone it reads every record (a million-record journal: 50 ms against a second).
    if tasks.len() > MAX_LISTED_TASKS {
        tasks.clear();
    }
    let filter = RecordFilter {
        tasks,
        occurrences_from: Some(tracking_floor(catalog, tracking_start)),
        ..RecordFilter::default()
    };
    Ok((tracking_start, store.records(&filter)?))
}

/// Above this many tasks a query reads by date alone (SQLite allows 32,766 parameters).
pub(crate) const MAX_LISTED_TASKS: usize = 500;

/// Whether a team has nothing to show: nothing due and nothing carried over.
pub fn nothing_for(catalog: &Catalog, plan: &Plan, team: usize) -> bool {
    occurrences_of_team(catalog, plan, team).next().is_none()
        && carried_of_team(catalog, plan, team).next().is_none()
}

/// Plans the range that `range` picks in the loaded catalog and writes it in the chosen
/// format; with `--quiet-if-empty`, writes nothing when nothing is due.
pub fn run(
    context: &Context,
    args: &ChecklistArgs,
    view: View,
    range: impl FnOnce(&Catalog) -> anyhow::Result<(Date, Date)>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    if context.format() == Format::Nagios {
        return Err(UsageError(
            "a checklist has no nagios format; use table, text, markdown, json, csv, html or email (nagios is for `socctl overdue`)"
                .to_owned(),
        )
        .into());
    }
    let catalog = context.catalog()?;
    let teams = context.teams(&catalog, args.team.as_deref())?;
    let range = range(&catalog)?;
    check_range(range.0, range.1).map_err(|e| UsageError(e.to_string()))?;
    let journal = context.journal_for_reading()?;
    // A range without a journal is written as it is computed, a day at a time, so a
    // century of a large catalog never sits in memory (a table must see every row first).
    if journal.is_none()
        && view == View::Range
        && context.format().streams()
        && !args.quiet_if_empty
    {
        let options = context.render_options();
        stream_plan(out, &catalog, range, &teams, context.format(), &options)?;
        context.hand_back(catalog);
        return Ok(());
    }
    if view == View::Range && context.format() == Format::Table {
        check_table_rows(&catalog, range, &teams).map_err(|e| UsageError(e.to_string()))?;
    }
    let plan = plan_with_journal(context, &catalog, &teams, range, view, journal.as_deref())?;
    if args.quiet_if_empty && plan.occurrences.is_empty() && plan.carried.is_empty() {
        return Ok(());
    }
    write_plan(context, &catalog, &plan, &args.mail, out)?;
    // The command ends here: large values go back to the caller, which may leave them to
    // the end of the process.
    context.hand_back((catalog, plan));
    Ok(())
}

/// The envelope `--format email` would use, checked: one team, a sender and recipients. A
/// usage error (exit 2) before anything is written otherwise.
fn checked_settings(
    catalog: &Catalog,
    plan: &Plan,
    envelope: &EnvelopeArgs,
    locale: &crate::i18n::Locale,
) -> Result<EmailSettings, UsageError> {
    let usage = |e: EmailError| UsageError(e.to_string());
    let [team] = plan.teams[..] else {
        return Err(usage(EmailError::NotOneTeam {
            teams: plan.teams.len(),
        }));
    };
    let settings = envelope.settings();
    email::sender(catalog, &settings).map_err(usage)?;
    email::recipients(catalog, team, &settings, locale).map_err(usage)?;
    Ok(settings)
}

/// Renders the plan of `due`, `week` or `plan` in the chosen format, with the envelope for
/// `--format email`.
fn write_plan(
    context: &Context,
    catalog: &Catalog,
    plan: &Plan,
    envelope: &EnvelopeArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let format = context.format();
    let mut options = context.render_options();
    if format == Format::Email {
        options.email = checked_settings(catalog, plan, envelope, &options.locale)?;
    }
    render_plan(out, catalog, plan, format, &options)?;
    Ok(())
}
