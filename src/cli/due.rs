//! `socctl due`: what is due on one day.

use std::io::Write;

use super::{ChecklistArgs, Context, DateArg, Exit};
use crate::plan::View;

/// Arguments of `socctl due`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The day: today, tomorrow, yesterday or YYYY-MM-DD [default: today in the catalog's time zone]
    #[arg(long, short)]
    pub date: Option<DateArg>,
    /// Teams, quiet mode and e-mail envelope.
    #[command(flatten)]
    pub checklist: ChecklistArgs,
}

/// Runs `socctl due`.
pub fn run(context: &Context, args: &Args, out: &mut dyn Write) -> anyhow::Result<Exit> {
    let range = |catalog: &_| {
        let date = context.date(catalog, args.date.as_ref())?;
        Ok((date, date))
    };
    // Each team's own day: "today" (and "tomorrow") in the team's own time zone.
    let days = |catalog: &crate::catalog::Catalog, teams: &[usize]| {
        teams
            .iter()
            .map(|&team| {
                let day = context.date_of_team(catalog, Some(team), args.date.as_ref())?;
                Ok((team, day, day))
            })
            .collect::<anyhow::Result<Vec<_>>>()
    };
    super::checklist::run_per_team(context, &args.checklist, View::Day, range, days, out)
}
