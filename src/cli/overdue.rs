//! `socctl overdue`: what is past its window and not done, for people and for monitoring.

use std::io::Write;

use super::{Context, Exit};
use crate::listing::overdue::{OverdueQuery, no_journal, overdue_rows};
use crate::render::render_listing;

/// Arguments of `socctl overdue`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only this team (id, name or alias, case-insensitive)
    #[arg(long, short, env = "SOCCTL_TEAM")]
    pub team: Option<String>,
    /// Exit with 3 when anything is overdue (0 when nothing is), for monitoring systems
    #[arg(long)]
    pub exit_code: bool,
    /// One line per overdue occurrence instead of one per run
    #[arg(long)]
    pub all: bool,
}

/// Runs `socctl overdue`.
pub fn run(context: &Context, args: &Args, out: &mut dyn Write) -> anyhow::Result<Exit> {
    let catalog = context.catalog()?;
    let teams = context.teams(&catalog, args.team.as_deref())?;
    let now = context.now(&catalog)?;
    let format = context.listing_format("overdue")?;
    let Some(store) = context.journal_for_reading()? else {
        let location = context.journal_location()?.to_string();
        render_listing(
            out,
            &no_journal(&location),
            format,
            &context.render_options(),
        )?;
        return Ok(Exit::Success);
    };
    let (tracking_start, records) =
        super::checklist::tracked_records(store.as_ref(), &catalog, &teams)?;
    let query = OverdueQuery {
        teams: &teams,
        tracking_start,
        now,
        every_occurrence: args.all,
    };
    let rows = overdue_rows(&catalog, &records, query, context.language());
    render_listing(out, &rows, format, &context.render_options())?;
    Ok(if args.exit_code && !rows.rows.is_empty() {
        Exit::Overdue
    } else {
        Exit::Success
    })
}
