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

/// `due -f json` without a journal, straight from a compiled catalog's bytes to the output
/// ([`crate::catalog::Opened::due_day`]): the bytes the plan would give, for a fraction of
/// the work and memory on a day when most of a large catalog is due. `None` when that
/// path does not apply; the checklist then takes the long way.
pub(super) fn write_json_day(
    context: &Context,
    opened: &crate::catalog::Opened,
    teams: &[usize],
    date: jiff::civil::Date,
    args: &ChecklistArgs,
    out: &mut dyn Write,
) -> anyhow::Result<Option<Exit>> {
    let Some(day) = opened.due_day(teams, date, context.language()) else {
        return Ok(None);
    };
    // The checks the long way makes before it writes (the clock as `SOCCTL_NOW` sets it).
    context.now(opened.head())?;
    if !(args.quiet_if_empty && day.is_empty()) {
        crate::render::write_due_day_json(out, opened.head(), &day)?;
    }
    // The tasks decoded for their assignees are left to the end of the process too.
    context.hand_back(day.into_assigned());
    Ok(Some(Exit::Success))
}
