//! `socctl people`: the members of the teams and what is assigned to them next.

use std::io::Write;

use super::{Context, DateArg};
use crate::listing::people::people_rows;
use crate::render::render_listing;

/// Arguments of `socctl people`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only members of this team (id, name or alias, case-insensitive)
    #[arg(long, short, env = "SOCCTL_TEAM")]
    pub team: Option<String>,
    /// Look for their next turns from this day [default: today]
    #[arg(long, short)]
    pub date: Option<DateArg>,
}

/// Runs `socctl people`.
pub fn run(context: &Context, args: &Args, out: &mut dyn Write) -> anyhow::Result<()> {
    let format = context.listing_format("people")?;
    let catalog = context.catalog()?;
    let teams = context.teams(&catalog, args.team.as_deref())?;
    let from = context.date(&catalog, args.date.as_ref())?;
    let cover = context.cover(&catalog);
    let rows = people_rows(&catalog, &teams, from, &cover);
    render_listing(out, &rows, format, &context.render_options())?;
    Ok(())
}
