//! `socctl plan`: every occurrence in a date range.

use std::io::Write;

use super::{ChecklistArgs, Context, DateArg, Exit};
use crate::plan::View;

/// Arguments of `socctl plan`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// First day, inclusive (today, tomorrow, yesterday or YYYY-MM-DD)
    #[arg(long)]
    pub from: DateArg,
    /// Last day, inclusive
    #[arg(long)]
    pub to: DateArg,
    /// Teams, quiet mode and e-mail envelope.
    #[command(flatten)]
    pub checklist: ChecklistArgs,
}

/// Runs `socctl plan`.
pub fn run(context: &Context, args: &Args, out: &mut dyn Write) -> anyhow::Result<Exit> {
    let range = |catalog: &_| {
        Ok((
            context.date(catalog, Some(&args.from))?,
            context.date(catalog, Some(&args.to))?,
        ))
    };
    super::checklist::run(context, &args.checklist, View::Range, range, out)
}
