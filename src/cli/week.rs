//! `socctl week`: the checklist for one week.

use std::io::Write;

use super::{ChecklistArgs, Context, DateArg, Exit};
use crate::plan::{View, week_of};

/// Arguments of `socctl week`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A day in the week: today, tomorrow, yesterday or YYYY-MM-DD [default: today, in each team's time zone]
    #[arg(long, short)]
    pub date: Option<DateArg>,
    /// Teams, quiet mode and e-mail envelope.
    #[command(flatten)]
    pub checklist: ChecklistArgs,
}

/// Runs `socctl week`.
pub fn run(context: &Context, args: &Args, out: &mut dyn Write) -> anyhow::Result<Exit> {
    let range = |catalog: &_| Ok(week_of(catalog, context.date(catalog, args.date.as_ref())?));
    // Each team's own week: the one holding "today" (or "tomorrow"…) in the team's zone.
    let weeks = |catalog: &crate::catalog::Catalog, teams: &[usize]| {
        teams
            .iter()
            .map(|&team| {
                let day = context.date_of_team(catalog, Some(team), args.date.as_ref())?;
                let (first, last) = week_of(catalog, day);
                Ok((team, first, last))
            })
            .collect::<anyhow::Result<Vec<_>>>()
    };
    super::checklist::run_per_team(context, &args.checklist, View::Week, range, weeks, out)
}
