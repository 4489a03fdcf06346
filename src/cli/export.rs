//! `socctl export`: the schedule in formats other tools import.

use std::io::Write;

use super::{Context, DateArg, RangeEnd, UsageError, check_order};
use crate::calendar::LAST_DATE;
use crate::plan::check_range;
use crate::render::write_calendar;

/// Arguments of `socctl export`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The format to export.
    #[command(subcommand)]
    pub format: ExportFormat,
}

/// The export formats.
#[derive(Debug, clap::Subcommand)]
pub enum ExportFormat {
    /// An iCalendar (RFC 5545) file for Outlook, Google Calendar and others: one event per
    /// task with its recurrence, covering --from to --to
    Ics(IcsArgs),
}

/// Arguments of `socctl export ics`.
#[derive(Debug, clap::Args)]
pub struct IcsArgs {
    /// Only this team's tasks (id, name or alias, case-insensitive)
    #[arg(long, short, env = "SOCCTL_TEAM", add = clap_complete::ArgValueCandidates::new(crate::cli::shell::team_or_group_candidates))]
    pub team: Option<String>,
    /// First day of the horizon, inclusive [default: today]
    #[arg(long)]
    pub from: Option<DateArg>,
    /// Last day of the horizon, inclusive: nothing after it is in the file; export again to
    /// extend [default: one year after --from]
    #[arg(long, alias = "until")]
    pub to: Option<DateArg>,
    /// Only the occurrences assigned to one person.
    #[command(flatten)]
    pub person: super::PersonArgs,
}

/// Runs `socctl export`. `--format` does not apply: the subcommand names the format.
pub fn run(context: &Context, args: &Args, out: &mut dyn Write) -> anyhow::Result<()> {
    match &args.format {
        ExportFormat::Ics(args) => ics(context, args, out),
    }
}

fn ics(context: &Context, args: &IcsArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let catalog = context.catalog()?;
    let teams = context.teams(&catalog, args.team.as_deref())?;
    let from = match &args.from {
        Some(from) => RangeEnd::typed(context.date(&catalog, Some(from))?),
        None => RangeEnd::by_default(context.today(&catalog)?, "today"),
    };
    let until = match &args.to {
        Some(to) => context.date(&catalog, Some(to))?,
        None => from
            .date
            .checked_add(jiff::Span::new().years(1))
            .map_or(LAST_DATE, |d| d.min(LAST_DATE)),
    };
    check_order(from, RangeEnd::typed(until))?;
    let from = from.date;
    check_range(from, until).map_err(|e| UsageError(e.to_string()))?;
    let person = context.person(&catalog, &args.person)?;
    write_calendar(
        out,
        &catalog,
        (&teams, person.as_deref()),
        from,
        until,
        &context.render_options_for(&catalog),
    )?;
    Ok(())
}
