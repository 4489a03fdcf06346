//! `socctl roles`: the roles and responsibilities matrix with each team's maintenance tasks.

use std::io::Write;

use super::Context;
use crate::listing::roles::role_rows;
use crate::render::render_listing;

/// Arguments of `socctl roles`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only this team (id, name or alias, case-insensitive)
    #[arg(long, short, env = "SOCCTL_TEAM", add = clap_complete::ArgValueCandidates::new(crate::cli::shell::team_or_group_candidates))]
    pub team: Option<String>,
}

/// Runs `socctl roles`.
pub fn run(context: &Context, args: &Args, out: &mut dyn Write) -> anyhow::Result<()> {
    let format = context.listing_format("roles")?;
    let catalog = context.catalog()?;
    let teams = context.teams(&catalog, args.team.as_deref())?;
    let rows = role_rows(&catalog, &teams, context.language());
    render_listing(out, &rows, format, &context.render_options())?;
    Ok(())
}
