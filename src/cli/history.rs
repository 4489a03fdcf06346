//! `socctl history`: the journal's records, newest first.

use std::io::Write;

use super::{Context, DateArg, UsageError};
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
    /// Only records of work on or after this day
    #[arg(long)]
    pub since: Option<DateArg>,
    /// Only records of work on or before this day
    #[arg(long)]
    pub until: Option<DateArg>,
}

/// Runs `socctl history`.
pub fn run(context: &Context, args: &Args, out: &mut dyn Write) -> anyhow::Result<()> {
    let catalog = context.catalog()?;
    let format = context.listing_format("history")?;
    let mut filter = RecordFilter {
        since: args
            .since
            .as_ref()
            .map(|d| context.date(&catalog, Some(d)))
            .transpose()?,
        until: args
            .until
            .as_ref()
            .map(|d| context.date(&catalog, Some(d)))
            .transpose()?,
        ..RecordFilter::default()
    };
    if let (Some(since), Some(until)) = (filter.since, filter.until)
        && since > until
    {
        return Err(UsageError(format!("--since {since} is after --until {until}")).into());
    }
    // A reversed range is a usage error with or without a journal.
    let Some(store) = context.journal_for_reading()? else {
        let location = context.journal_location()?.to_string();
        render_listing(
            out,
            &no_journal(&location),
            format,
            &context.render_options(),
        )?;
        return Ok(());
    };
    if let Some(task) = &args.task {
        filter.tasks.push(
            catalog
                .task(task)
                .map_or_else(|| task.clone(), |t| t.id.clone()),
        );
    }
    if args.team.is_some() {
        let teams = context.teams(&catalog, args.team.as_deref())?;
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
