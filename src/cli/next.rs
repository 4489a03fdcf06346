//! `socctl next`: the next due dates of each task.

use std::io::Write;

use super::{Context, DateArg};
use crate::journal::RecordFilter;
use crate::listing::next::{Whose, next_rows};
use crate::render::render_listing;

/// Arguments of `socctl next`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Task ids [default: every scheduled task]; a task that is only "as needed" named here
    /// gets a row saying so, with its last trigger
    #[arg(add = clap_complete::ArgValueCandidates::new(crate::cli::shell::task_candidates))]
    pub tasks: Vec<String>,
    /// Only tasks of this team (id, name or alias, case-insensitive)
    #[arg(long, short, env = "SOCCTL_TEAM")]
    pub team: Option<String>,
    /// How many dates per task; with --person or --me, how many of the person's own turns
    /// (of each task named, or of all tasks together when none is named)
    #[arg(long, short = 'n', default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub count: u32,
    /// Start looking on this day [default: today]
    #[arg(long, short)]
    pub date: Option<DateArg>,
    /// The person's own next turns (after leave and swaps) instead of each task's dates.
    #[command(flatten)]
    pub person: super::PersonArgs,
}

/// Runs `socctl next`.
pub fn run(context: &Context, args: &Args, out: &mut dyn Write) -> anyhow::Result<()> {
    let format = context.listing_format("next")?;
    let catalog = context.catalog()?;
    let from = context.date(&catalog, args.date.as_ref())?;
    let mut tasks = super::resolve::tasks(&catalog, &args.tasks)?;
    if args.team.is_some() {
        let teams = context.teams(&catalog, args.team.as_deref())?;
        tasks.retain(|task| task.teams.iter().any(|team| teams.contains(team)));
    }
    // Only named tasks that are only "as needed" need the journal: for their last trigger.
    let named = !args.tasks.is_empty();
    let as_needed: Vec<String> = tasks
        .iter()
        .filter(|task| named && task.cadence.rule.is_none())
        .map(|task| task.id.clone())
        .collect();
    let store = if as_needed.is_empty() {
        None
    } else {
        context.journal_for_reading()?
    };
    let records = match store {
        Some(store) => store.records(&RecordFilter {
            tasks: as_needed,
            ..RecordFilter::default()
        })?,
        None => Vec::new(),
    };
    // Leave and swaps matter only to tasks that name someone.
    let cover = if tasks.iter().any(|task| task.assignment.is_some()) {
        super::cover::load(context, &catalog, from, jiff::civil::Date::MAX)?
    } else {
        crate::people::Cover::none()
    };
    let person = context.person(&catalog, &args.person)?;
    let whose = match &person {
        None => Whose::Everyone,
        // Named tasks: the person's next `count` of each; else of all tasks together.
        Some(id) => Whose::Person {
            id,
            per_task: named,
        },
    };
    let rows = next_rows(
        &catalog,
        &tasks,
        from,
        args.count as usize,
        named.then_some(records.as_slice()),
        &cover,
        whose,
    );
    render_listing(out, &rows, format, &context.render_options())?;
    Ok(())
}
