//! `socctl tasks` and `socctl show`: the catalog, and one task in full.

use std::io::Write;

use super::Context;
use crate::listing::tasks::{TaskDetail, task_rows};
use crate::render::render_listing;

/// Arguments of `socctl tasks`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Only tasks of this team (id, name or alias, case-insensitive)
    #[arg(long, short, env = "SOCCTL_TEAM", add = clap_complete::ArgValueCandidates::new(crate::cli::shell::team_or_group_candidates))]
    pub team: Option<String>,
}

/// Arguments of `socctl show`.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The task id
    #[arg(add = clap_complete::ArgValueCandidates::new(crate::cli::shell::task_candidates))]
    pub task: String,
}

/// Runs `socctl tasks`.
pub fn run_list(context: &Context, args: &ListArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let format = context.listing_format("tasks")?;
    let catalog = context.catalog()?;
    let teams = context.teams(&catalog, args.team.as_deref())?;
    let rows = task_rows(&catalog, &teams, context.language());
    render_listing(out, &rows, format, &context.render_options())?;
    Ok(())
}

/// Runs `socctl show`.
pub fn run_show(context: &Context, args: &ShowArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let format = context.listing_format("show")?;
    let catalog = context.catalog()?;
    let task = super::resolve::task(&catalog, &args.task)?;
    let today = context.today(&catalog)?;
    let detail = TaskDetail::new(&catalog, task, &context.render_options().locale).with_next_turns(
        &catalog,
        task,
        today,
        &context.cover(&catalog),
    );
    render_listing(out, &detail, format, &context.render_options())?;
    Ok(())
}
