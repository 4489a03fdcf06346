//! `socctl due`: what is due on one day.

use std::io::Write;

use super::{Context, DateArg, EnvelopeArgs};
use crate::plan::{View, plan};

/// Arguments of `socctl due`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only this team (id, name or alias, case-insensitive)
    #[arg(long, short, env = "SOCCTL_TEAM")]
    pub team: Option<String>,
    /// Print nothing (and exit 0) when nothing is due, so cron sends no empty mail
    #[arg(long, short)]
    pub quiet_if_empty: bool,
    /// The day: today, tomorrow, yesterday or YYYY-MM-DD [default: today in the catalog's time zone]
    #[arg(long, short)]
    pub date: Option<DateArg>,
    /// Sender and recipients for --format email.
    #[command(flatten)]
    pub mail: EnvelopeArgs,
}

/// Runs `socctl due`.
pub fn run(context: &Context, args: &Args, out: &mut dyn Write) -> anyhow::Result<()> {
    let catalog = context.catalog()?;
    let teams = context.teams(&catalog, args.team.as_deref())?;
    let date = context.date(&catalog, args.date.as_ref())?;
    let plan = plan(&catalog, date, date, &teams, View::Day)?;
    if args.quiet_if_empty && plan.occurrences.is_empty() {
        return Ok(());
    }
    super::mail::write_plan(context, &catalog, &plan, &args.mail, out)
}
