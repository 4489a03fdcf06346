//! `socctl teams`: the teams.

use std::io::Write;

use super::Context;
use crate::listing::teams::team_rows;
use crate::render::render_listing;

/// Arguments of `socctl teams`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `socctl teams`.
pub fn run(context: &Context, _args: &Args, out: &mut dyn Write) -> anyhow::Result<()> {
    let format = context.listing_format("teams")?;
    let catalog = context.catalog()?;
    let rows = team_rows(&catalog, context.language());
    render_listing(out, &rows, format, &context.render_options())?;
    Ok(())
}
