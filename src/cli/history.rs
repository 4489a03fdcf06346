//! `socctl history`: the journal's records, newest first.

use std::io::Write;

use super::{Context, DateArg, RangeEnd, check_order};
use crate::journal::RecordFilter;
use crate::listing::history::{history_rows, no_journal};
use crate::render::render_listing;

/// Arguments of `socctl history`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only tasks of this team (id, name or alias)
    #[arg(long, short, env = "SOCCTL_TEAM", add = clap_complete::ArgValueCandidates::new(crate::cli::shell::team_or_group_candidates))]
    pub team: Option<String>,
    /// Only this task (also one no longer in the catalog)
    #[arg(long, add = clap_complete::ArgValueCandidates::new(crate::cli::shell::task_candidates))]
    pub task: Option<String>,
    /// Only records of work on or after this day (inclusive)
    #[arg(long, alias = "since")]
    pub from: Option<DateArg>,
    /// Only records of work on or before this day (inclusive)
    #[arg(long, alias = "until")]
    pub to: Option<DateArg>,
}

/// Runs `socctl history`.
pub fn run(context: &Context, args: &Args, out: &mut dyn Write) -> anyhow::Result<()> {
    let catalog = context.catalog()?;
    let format = context.listing_format("history")?;
    let mut filter = RecordFilter {
        since: args
            .from
            .as_ref()
            .map(|d| context.date(&catalog, Some(d)))
            .transpose()?,
        until: args
            .to
            .as_ref()
            .map(|d| context.date(&catalog, Some(d)))
            .transpose()?,
        ..RecordFilter::default()
    };
    if let (Some(from), Some(to)) = (filter.since, filter.until) {
        check_order(RangeEnd::typed(from), RangeEnd::typed(to))?;
    }
    // A reversed range, an unknown team or task are usage errors with or without a journal.
    let teams = args
        .team
        .as_deref()
        .map(|team| context.teams(&catalog, Some(team)))
        .transpose()?;
    let store = context.journal_for_reading()?;
    if let Some(task) = &args.task {
        filter
            .tasks
            .push(known_task(&catalog, store.as_deref(), task)?);
    }
    let Some(store) = store else {
        let location = context.journal_location()?.to_string();
        render_listing(
            out,
            &no_journal(&location),
            format,
            &context.render_options(),
        )?;
        return Ok(());
    };
    if let Some(teams) = teams {
        let ids: Vec<String> = catalog
            .tasks
            .iter()
            .filter(|t| t.teams.iter().any(|x| teams.contains(x)))
            .map(|t| t.id.clone())
            .collect();
        filter.tasks = if filter.tasks.is_empty() {
            ids
        } else {
            filter
                .tasks
                .into_iter()
                .filter(|t| ids.contains(t))
                .collect()
        };
        if filter.tasks.is_empty() {
            filter.tasks.push(String::new()); // a team with no tasks has no history
        }
    }
    // Too many tasks for one query's parameters: read them all and keep the team's here.
    let keep: Option<std::collections::HashSet<String>> = (filter.tasks.len()
        > super::checklist::MAX_LISTED_TASKS)
        .then(|| std::mem::take(&mut filter.tasks).into_iter().collect());
    let mut records = store.records(&filter)?;
    if let Some(keep) = &keep {
        records.retain(|r| keep.contains(&r.task));
    }
    records.reverse();
    // The standing of each settling record: its tasks' records in full, for retractions
    // and records outside the range asked for.
    let mut tasks: Vec<String> = records.iter().map(|r| r.task.clone()).collect();
    tasks.sort_unstable();
    tasks.dedup();
    let all = if tasks.is_empty() {
        Vec::new()
    } else if tasks.len() > super::checklist::MAX_LISTED_TASKS {
        store.records(&RecordFilter::default())?
    } else {
        store.records(&RecordFilter {
            tasks,
            ..RecordFilter::default()
        })?
    };
    let standings = crate::track::record_standings(
        &catalog,
        &records,
        &all,
        store.tracking_start()?,
        context.now(&catalog)?,
    );
    let rows = history_rows(&catalog, &records, &standings);
    render_listing(out, &rows, format, &context.render_options())?;
    Ok(())
}

/// The id of the task `--task` names: a catalog task's, or one the journal has records of
/// (a task renamed or removed since); anything else is unknown, with the nearest of both.
fn known_task(
    catalog: &crate::catalog::Catalog,
    store: Option<&dyn crate::journal::Store>,
    task: &str,
) -> anyhow::Result<String> {
    if let Some(known) = catalog.task(task) {
        return Ok(known.id.clone());
    }
    let journal = match store {
        Some(store) => store.task_counts()?,
        None => Vec::new(),
    };
    if journal.iter().any(|(id, _)| id == task) {
        return Ok(task.to_owned());
    }
    let ids: Vec<&str> = journal.iter().map(|(id, _)| id.as_str()).collect();
    Err(super::resolve::unknown_task(catalog, task, &ids).into())
}
