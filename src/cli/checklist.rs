//! What `due`, `week` and `plan` have in common: load, select teams, plan a range, render
//! (with the checks `--format email` needs before it writes anything).

use std::io::Write;

use jiff::civil::Date;

use super::{ChecklistArgs, Context, EnvelopeArgs, Exit, UsageError};
use crate::catalog::Catalog;
use crate::journal::{JournalError, Record, RecordFilter, Store};
use crate::plan::{Plan, View, check_range, keep_team_ranges, plan};
use crate::render::email::{self, EmailError, EmailSettings};
use crate::render::{
    Format, carried_of_team, check_table_rows, occurrences_of_team, render_plan, stream_plan,
};
use crate::track::apply_journal;
use crate::track::tracking_floor;

/// The plan for `from..=to` and `teams`, with the journal's statuses and carried-over
/// work when a journal exists: what `due`, `week`, `plan` and `mail` all show. With it, the
/// warning to give when the journal exists but could not be read (the plan then has no
/// statuses).
pub fn tracked_plan(
    context: &Context,
    catalog: &Catalog,
    teams: &[usize],
    range: (Date, Date),
    view: View,
) -> anyhow::Result<(Plan, Option<String>)> {
    let (from, to) = range;
    check_range(from, to).map_err(|e| UsageError(e.to_string()))?;
    let tracking = read_tracking(context, catalog, teams)?;
    let plan = plan_with_journal(context, catalog, teams, range, view, &tracking)?;
    Ok((plan, tracking.warning()))
}

/// What the journal gives a checklist.
enum Tracking {
    /// There is no journal yet: no statuses.
    Untracked,
    /// The journal's start of tracking and the records the checklist needs.
    Tracked(Date, Vec<Record>),
    /// The journal is there but could not be read now: no statuses, and this warning.
    Unavailable(String),
}

impl Tracking {
    /// The one-line warning of a checklist written without its journal.
    fn warning(&self) -> Option<String> {
        match self {
            Self::Unavailable(warning) => Some(warning.clone()),
            _ => None,
        }
    }
}

/// Reads what a checklist of `teams` needs from the journal. A journal that cannot be
/// reached (PostgreSQL down, the SQLite file locked past its time-out) is not an error
/// here: the 7 a.m. checklist still goes out, without statuses, and the run ends with
/// [`Exit::Degraded`] so monitoring sees the fault. Anything else wrong with the journal
/// (not a journal, a newer schema) stays an error.
fn read_tracking(
    context: &Context,
    catalog: &Catalog,
    teams: &[usize],
) -> anyhow::Result<Tracking> {
    tracking_of(context, context.journal_for_reading(), catalog, teams)
}

/// [`read_tracking`] from the journal as opened.
///
/// The journal's leave and swaps are read from the same store, for [`Context::cover`]; a
/// journal out of reach gives none (the one warning says so), rather than a second wait.
fn tracking_of(
    context: &Context,
    journal: anyhow::Result<Option<Box<dyn Store>>>,
    catalog: &Catalog,
    teams: &[usize],
) -> anyhow::Result<Tracking> {
    let read = || -> anyhow::Result<Tracking> {
        let Some(store) = journal? else {
            // No journal, so no leave or swaps either: [`Context::cover`] need not look again.
            context.keep_cover(crate::people::Cover::none());
            return Ok(Tracking::Untracked);
        };
        let (start, records) = tracked_records(store.as_ref(), catalog, teams)?;
        if catalog.tasks.iter().any(|task| task.assignment.is_some()) {
            let cover = super::cover::cover_in(
                store.as_ref(),
                jiff::civil::Date::MIN,
                jiff::civil::Date::MAX,
            )?;
            context.keep_cover(cover);
        }
        Ok(Tracking::Tracked(start, records))
    };
    match read() {
        Err(error) if unavailable(&error) => {
            context.keep_cover(crate::people::Cover::none());
            let reason = format!("{error:#}").replace(['\n', '\r'], " ");
            Ok(Tracking::Unavailable(format!(
                "the journal could not be read, so this checklist shows no statuses (done, skipped, overdue), no carried-over work and no leave or swaps: {reason}"
            )))
        }
        other => other,
    }
}

/// Whether `error` is the journal being out of reach rather than wrong.
fn unavailable(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        matches!(
            cause.downcast_ref::<JournalError>(),
            Some(JournalError::Unavailable { .. })
        )
    })
}

/// [`tracked_plan`] with the journal already read.
fn plan_with_journal(
    context: &Context,
    catalog: &Catalog,
    teams: &[usize],
    (from, to): (Date, Date),
    view: View,
    tracking: &Tracking,
) -> anyhow::Result<Plan> {
    let mut plan = plan(catalog, from, to, teams, view).map_err(|e| UsageError(e.to_string()))?;
    if let Tracking::Tracked(tracking_start, records) = tracking {
        apply_journal(
            &mut plan,
            catalog,
            records,
            *tracking_start,
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
/// format; with `--quiet-if-empty`, writes nothing when nothing is due. Ends in
/// [`Exit::Degraded`], with a warning on standard error (and in a `--format email`
/// message), when the journal could not be read.
pub fn run(
    context: &Context,
    args: &ChecklistArgs,
    view: View,
    range: impl FnOnce(&Catalog) -> anyhow::Result<(Date, Date)>,
    out: &mut dyn Write,
) -> anyhow::Result<Exit> {
    run_checklist(context, args, view, range, None, out)
}

/// Each team's own range (team, first day, last day), as `due`, `week` and `plan` show
/// it when teams have time zones of their own.
type TeamRanges<'a> = &'a dyn Fn(&Catalog, &[usize]) -> anyhow::Result<Vec<(usize, Date, Date)>>;

/// [`run`] for ranges that are each team's own (`ranges` gives them per team, from each
/// team's own "today"): when the teams' ranges differ (their time zones put them on
/// different dates), the checklist covers all of them, each team's work in its own range
/// only (see [`keep_team_ranges`]), as a range.
pub fn run_per_team(
    context: &Context,
    args: &ChecklistArgs,
    view: View,
    range: impl FnOnce(&Catalog) -> anyhow::Result<(Date, Date)>,
    ranges: impl Fn(&Catalog, &[usize]) -> anyhow::Result<Vec<(usize, Date, Date)>>,
    out: &mut dyn Write,
) -> anyhow::Result<Exit> {
    run_checklist(context, args, view, range, Some(&ranges), out)
}

fn run_checklist(
    context: &Context,
    args: &ChecklistArgs,
    mut view: View,
    range: impl FnOnce(&Catalog) -> anyhow::Result<(Date, Date)>,
    team_ranges: Option<TeamRanges<'_>>,
    out: &mut dyn Write,
) -> anyhow::Result<Exit> {
    if context.format() == Format::Nagios {
        return Err(UsageError(
            "a checklist has no nagios format; use table, text, markdown, json, csv, html or email (nagios is for `socctl overdue`)"
                .to_owned(),
        )
        .into());
    }
    let opened = context.opened_catalog()?;
    let head = opened.head();
    let teams = context.teams(head, args.team.as_deref())?;
    let person = context.person(head, &args.person)?;
    let mut range = range(head)?;
    let mut kept_days = None;
    if let Some(ranges_of) = team_ranges.filter(|_| head.has_team_calendars()) {
        let ranges = ranges_of(head, &teams)?;
        let first = ranges.iter().map(|(_, first, _)| *first).min();
        let last = ranges.iter().map(|(_, _, last)| *last).max();
        if let (Some(first), Some(last)) = (first, last) {
            range = (first, last);
            // Teams on different days (or weeks): one range holding each team's own. When
            // they agree, the range is everyone's (and a long plan still streams).
            if ranges.iter().any(|r| (r.1, r.2) != (first, last)) {
                view = View::Range;
                kept_days = Some(ranges);
            }
        }
    }
    check_range(range.0, range.1).map_err(|e| UsageError(e.to_string()))?;
    let journal = context.journal_for_reading();
    if matches!(journal, Ok(None))
        && view == View::Day
        && range.0 == range.1
        && kept_days.is_none()
        && person.is_none()
        && context.format() == Format::Json
        && let Some(exit) =
            super::due::write_json_day(context, &opened, &teams, range.0, args, out)?
    {
        // Left to the end of the process, as the long way leaves its catalog and plan.
        context.hand_back(opened);
        return Ok(exit);
    }
    // Without a journal nothing is carried over: the checklist shows only the tasks that
    // fall in its range, and a compiled catalog decodes only those (a day of a
    // 100,000-task catalog then skips the text of every task not due).
    let catalog = match &journal {
        Ok(None) => opened.into_tasks_in(&teams, range.0, range.1)?,
        _ => opened.into_whole()?,
    };
    let tracking = tracking_of(context, journal, &catalog, &teams)?;
    let warning = tracking.warning();
    let exit = match &warning {
        Some(warning) => {
            eprintln!("socctl: warning: {warning}");
            Exit::Degraded
        }
        None => Exit::Success,
    };
    // A range without a journal is written as it is computed, a day at a time, so a
    // century of a large catalog never sits in memory (a table must see every row first).
    if !matches!(tracking, Tracking::Tracked(..))
        && kept_days.is_none()
        && view == View::Range
        && context.format().streams()
        && !args.quiet_if_empty
        && person.is_none()
    {
        let options = checklist_options(context, &catalog)?;
        stream_plan(out, &catalog, range, &teams, context.format(), &options)?;
        context.hand_back(catalog);
        return Ok(exit);
    }
    if view == View::Range && context.format() == Format::Table {
        check_table_rows(&catalog, range, &teams).map_err(|e| UsageError(e.to_string()))?;
    }
    let mut plan = plan_with_journal(context, &catalog, &teams, range, view, &tracking)?;
    if let Some(days) = &kept_days {
        keep_team_ranges(&mut plan, &catalog, days);
    }
    drop(tracking);
    if let Some(person) = &person {
        crate::people::keep_assigned(&catalog, &mut plan, &context.cover(&catalog), person);
    }
    if args.quiet_if_empty && plan.occurrences.is_empty() && plan.carried.is_empty() {
        return Ok(exit);
    }
    write_plan(context, &catalog, &plan, &args.mail, warning, out)?;
    // The command ends here: large values go back to the caller, which may leave them to
    // the end of the process.
    context.hand_back((catalog, plan));
    Ok(exit)
}

/// How a checklist is rendered: [`Context::render_options`] with the time it is made, in
/// the catalog's zone, for the printed page.
fn checklist_options(
    context: &Context,
    catalog: &Catalog,
) -> anyhow::Result<crate::render::RenderOptions> {
    Ok(crate::render::RenderOptions {
        printed: Some(context.now(catalog)?),
        ..context.render_options_for(catalog)
    })
}

/// The envelope `--format email` would use, checked: one team, a sender and recipients. A
/// usage error (exit 2) before anything is written otherwise.
fn checked_settings(
    catalog: &Catalog,
    plan: &Plan,
    envelope: &EnvelopeArgs,
    locale: &crate::i18n::Locale,
    warning: Option<String>,
) -> Result<EmailSettings, UsageError> {
    let usage = |e: EmailError| UsageError(e.to_string());
    let [team] = plan.teams[..] else {
        return Err(usage(EmailError::NotOneTeam {
            teams: plan.teams.len(),
        }));
    };
    let settings = EmailSettings {
        warning,
        ..envelope.settings()
    };
    email::sender(catalog, &settings).map_err(usage)?;
    email::recipients(catalog, team, &settings, locale).map_err(usage)?;
    Ok(settings)
}

/// Renders the plan of `due`, `week` or `plan` in the chosen format, with the envelope for
/// `--format email` (and in its body the `warning` of a journal that could not be read).
fn write_plan(
    context: &Context,
    catalog: &Catalog,
    plan: &Plan,
    envelope: &EnvelopeArgs,
    warning: Option<String>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let format = context.format();
    let mut options = checklist_options(context, catalog)?;
    if format == Format::Email {
        options.email = checked_settings(catalog, plan, envelope, &options.locale, warning)?;
    }
    render_plan(out, catalog, plan, format, &options)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A checklist that found no journal knows there is no leave and no swaps: the
    /// assignees' cover is settled then, not looked for in the journal a second time.
    #[test]
    fn no_journal_settles_the_cover_without_a_second_look() {
        let directory = tempfile::tempdir().unwrap();
        let context = Context::for_tests(Some(directory.path().join("journal.db")));
        let catalog = crate::catalog::fixture("shipped");
        assert!(catalog.tasks.iter().any(|task| task.assignment.is_some()));
        let teams: Vec<usize> = (0..catalog.teams.len()).collect();
        let tracking =
            tracking_of(&context, context.journal_for_reading(), &catalog, &teams).unwrap();
        assert!(matches!(tracking, Tracking::Untracked));
        assert!(context.cover.get().is_some());
    }
}
