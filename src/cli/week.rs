//! `socctl week`: the checklist for one week.

use std::io::Write;

use super::{ChecklistArgs, Context, DateArg, Exit};
use crate::plan::{View, week_of};

/// Arguments of `socctl week`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A day in the week: today, tomorrow, yesterday or YYYY-MM-DD [default: today]
    #[arg(long, short)]
    pub date: Option<DateArg>,
    /// Teams, quiet mode and e-mail envelope.
    #[command(flatten)]
    pub checklist: ChecklistArgs,
}

/// Runs `socctl week`.
pub fn run(context: &Context, args: &Args, out: &mut dyn Write) -> anyhow::Result<Exit> {
    let range = |catalog: &_| Ok(week_of(catalog, context.date(catalog, args.date.as_ref())?));
    super::checklist::run(context, &args.checklist, View::Week, range, out)
}
