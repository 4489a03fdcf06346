//! `socctl plan`: every occurrence in a date range.

use std::io::Write;

use super::{ChecklistArgs, Context, DateArg, Exit, RangeEnd, check_order};
use crate::calendar::{LAST_DATE, add_days};
use crate::plan::View;

/// How many days `plan` covers when `--to` is not given: four weeks, `--from` included.
pub const DEFAULT_DAYS: i64 = 28;

/// Arguments of `socctl plan`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// First day, inclusive: today, tomorrow, yesterday or YYYY-MM-DD [default: today, in each team's time zone]
    #[arg(long)]
    pub from: Option<DateArg>,
    /// Last day, inclusive [default: four weeks from --from, i.e. 27 days after it]
    #[arg(long)]
    pub to: Option<DateArg>,
    /// Teams, quiet mode and e-mail envelope.
    #[command(flatten)]
    pub checklist: ChecklistArgs,
}

/// Runs `socctl plan`.
pub fn run(context: &Context, args: &Args, out: &mut dyn Write) -> anyhow::Result<Exit> {
    let range = |catalog: &_| {
        let from = match &args.from {
            Some(from) => RangeEnd::typed(context.date(catalog, Some(from))?),
            None => RangeEnd::by_default(context.today(catalog)?, "today"),
        };
        let to = match &args.to {
            Some(to) => context.date(catalog, Some(to))?,
            None => add_days(from.date, DEFAULT_DAYS - 1).unwrap_or(LAST_DATE),
        };
        check_order(from, RangeEnd::typed(to))?;
        Ok((from.date, to))
    };
    // Each team's own range: --from (default today) and --to read in the team's zone.
    let ranges = |catalog: &crate::catalog::Catalog, teams: &[usize]| {
        teams
            .iter()
            .map(|&team| {
                let from = match &args.from {
                    Some(from) => {
                        RangeEnd::typed(context.date_of_team(catalog, Some(team), Some(from))?)
                    }
                    None => RangeEnd::by_default(
                        context.date_of_team(catalog, Some(team), None)?,
                        "today",
                    ),
                };
                let to = match &args.to {
                    Some(to) => context.date_of_team(catalog, Some(team), Some(to))?,
                    None => add_days(from.date, DEFAULT_DAYS - 1).unwrap_or(LAST_DATE),
                };
                check_order(from, RangeEnd::typed(to))?;
                Ok((team, from.date, to))
            })
            .collect::<anyhow::Result<Vec<_>>>()
    };
    super::checklist::run_per_team(context, &args.checklist, View::Range, range, ranges, out)
}
