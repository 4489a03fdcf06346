//! `socctl week`: the checklist for one week.

use std::io::Write;

use super::{Context, DateArg, EnvelopeArgs};
use crate::plan::{View, plan, week_of};

/// Arguments of `socctl week`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only this team (id, name or alias, case-insensitive)
    #[arg(long, short, env = "SOCCTL_TEAM")]
    pub team: Option<String>,
    /// Print nothing (and exit 0) when nothing is due, so cron sends no empty mail
    #[arg(long, short)]
    pub quiet_if_empty: bool,
    /// A day in the week: today, tomorrow, yesterday or YYYY-MM-DD [default: today]
    #[arg(long, short)]
    pub date: Option<DateArg>,
    /// Sender and recipients for --format email.
    #[command(flatten)]
    pub mail: EnvelopeArgs,
}

/// Runs `socctl week`.
pub fn run(context: &Context, args: &Args, out: &mut dyn Write) -> anyhow::Result<()> {
    let catalog = context.catalog()?;
    let teams = context.teams(&catalog, args.team.as_deref())?;
    let date = context.date(&catalog, args.date.as_ref())?;
    let (from, to) = week_of(&catalog, date);
    let plan = plan(&catalog, from, to, &teams, View::Week)?;
    if args.quiet_if_empty && plan.occurrences.is_empty() {
        return Ok(());
    }
    super::mail::write_plan(context, &catalog, &plan, &args.mail, out)
}
