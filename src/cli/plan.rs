//! `socctl plan`: every occurrence in a date range.

use std::io::Write;

use super::{Context, DateArg, EnvelopeArgs, UsageError};
use crate::plan::{View, plan};

/// Arguments of `socctl plan`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// First day, inclusive (today, tomorrow, yesterday or YYYY-MM-DD)
    #[arg(long)]
    pub from: DateArg,
    /// Last day, inclusive
    #[arg(long)]
    pub to: DateArg,
    /// Only this team (id, name or alias, case-insensitive)
    #[arg(long, short, env = "SOCCTL_TEAM")]
    pub team: Option<String>,
    /// Print nothing (and exit 0) when nothing is due, so cron sends no empty mail
    #[arg(long, short)]
    pub quiet_if_empty: bool,
    /// Sender and recipients for --format email.
    #[command(flatten)]
    pub mail: EnvelopeArgs,
}

/// Runs `socctl plan`.
pub fn run(context: &Context, args: &Args, out: &mut dyn Write) -> anyhow::Result<()> {
    let catalog = context.catalog()?;
    let teams = context.teams(&catalog, args.team.as_deref())?;
    let from = context.date(&catalog, Some(&args.from))?;
    let to = context.date(&catalog, Some(&args.to))?;
    let plan =
        plan(&catalog, from, to, &teams, View::Range).map_err(|e| UsageError(e.to_string()))?;
    if args.quiet_if_empty && plan.occurrences.is_empty() {
        return Ok(());
    }
    super::mail::write_plan(context, &catalog, &plan, &args.mail, out)
}
