//! `socctl next`: the next due dates of each task.

use std::io::Write;

use super::{Context, DateArg, UsageError};
use crate::catalog::Catalog;
use crate::listing::next::next_rows;
use crate::render::render_listing;

/// Arguments of `socctl next`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Task ids [default: every scheduled task]
    #[arg(add = clap_complete::ArgValueCandidates::new(crate::cli::shell::task_candidates))]
    pub tasks: Vec<String>,
    /// How many dates per task
    #[arg(long, short = 'n', default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub count: u32,
    /// Start looking on this day [default: today]
    #[arg(long, short)]
    pub date: Option<DateArg>,
}

/// Looks up tasks by id, with a clear error naming the unknown ones.
pub(super) fn find_tasks<'c>(
    catalog: &'c Catalog,
    ids: &[String],
) -> anyhow::Result<Vec<&'c crate::catalog::Task>> {
    if ids.is_empty() {
        return Ok(catalog.tasks.iter().collect());
    }
    ids.iter()
        .map(|id| {
            catalog.task(id).ok_or_else(|| {
                let known: Vec<&str> = catalog.tasks.iter().map(|t| t.id.as_str()).collect();
                UsageError(format!("unknown task `{id}`; tasks: {}", known.join(", "))).into()
            })
        })
        .collect()
}

/// Runs `socctl next`.
pub fn run(context: &Context, args: &Args, out: &mut dyn Write) -> anyhow::Result<()> {
    let format = context.listing_format("next")?;
    let catalog = context.catalog()?;
    let from = context.date(&catalog, args.date.as_ref())?;
    let tasks = find_tasks(&catalog, &args.tasks)?;
    let rows = next_rows(&catalog, &tasks, from, args.count as usize);
    render_listing(out, &rows, format, &context.render_options())?;
    Ok(())
}
