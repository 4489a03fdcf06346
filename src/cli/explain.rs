//! `socctl explain`: how a cadence is read and when it falls next, as
//! `systemd-analyze calendar` does for timers.

use std::fmt::Write as _;
use std::io::Write;

use super::{Context, DateArg, UsageError};
use crate::cadence::parse_with_aliases;
use crate::calendar::{Calendar, Shift};
use crate::listing::explain::{Question, explain};
use crate::render::render_listing;

/// Arguments of `socctl explain`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The cadence, e.g. "monthly on the last workday" or "cron: 0 9 * * 1-5"
    pub cadence: String,
    /// How many dates to show
    #[arg(long, short = 'n', default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub count: u32,
    /// Show dates from this day on [default: today]
    #[arg(long)]
    pub from: Option<DateArg>,
    /// The task's `start` (anchor of "every N …" rules) [default: --from]
    #[arg(long)]
    pub start: Option<DateArg>,
    /// Shift for non-work days: none, next-workday, previous-workday
    #[arg(long, default_value = "none", value_parser = parse_shift)]
    pub shift: Shift,
}

fn parse_shift(text: &str) -> Result<Shift, String> {
    Shift::parse(text).ok_or_else(|| format!("use one of: {}", Shift::NAMES.join(", ")))
}

/// Runs `socctl explain`: uses the catalog's calendar when one is found, else the defaults.
pub fn run(context: &Context, args: &Args, out: &mut dyn Write) -> anyhow::Result<()> {
    let format = context.listing_format("explain")?;
    // Defaults only when no catalog was asked for and none is found: a mistyped --catalog
    // is an error, not a silent switch to UTC and Monday-to-Friday.
    let explicit = context.cli_catalog.is_some() || context.cli_roles.is_some();
    let found = context.catalog_paths().is_ok();
    let (calendar, aliases, zone_name) = if found || explicit {
        let catalog = context.catalog()?;
        (
            catalog.calendar,
            catalog.cadence_aliases,
            catalog.time_zone_name,
        )
    } else {
        let mut calendar = Calendar::default();
        let mut zone_name = "UTC".to_owned();
        if let Some(name) = &context.tz {
            calendar.time_zone = crate::calendar::time_zone(name).ok_or_else(|| {
                UsageError(format!(
                    "unknown time zone `{name}` in --tz; use an IANA name such as Europe/Copenhagen"
                ))
            })?;
            zone_name.clone_from(name);
        }
        (calendar, std::collections::BTreeMap::new(), zone_name)
    };
    let cadence =
        parse_with_aliases(&args.cadence, calendar.week_start, &aliases).map_err(|error| {
            let mut message = format!("cannot read `{}`: {}", args.cadence, error.message);
            if let Some(hint) = error.hint {
                let _ = write!(message, "\n  hint: {hint}");
            }
            message.push_str("\n  accepted forms:");
            for form in crate::cadence::ACCEPTED_FORMS {
                let _ = write!(message, "\n    {form}");
            }
            UsageError(message)
        })?;
    let today = super::environment::today(&calendar.time_zone).map_err(UsageError)?;
    let from = args
        .from
        .map_or(Some(today), |d| d.resolve(today))
        .ok_or_else(|| UsageError("date out of range".to_owned()))?;
    let start = match args.start {
        Some(start) => start.resolve(today),
        None if cadence
            .rule
            .as_ref()
            .is_some_and(crate::cadence::Rule::needs_anchor) =>
        {
            Some(from)
        }
        None => None,
    };
    let explanation = explain(Question {
        original: &args.cadence,
        cadence: &cadence,
        calendar: &calendar,
        zone: &zone_name,
        from,
        start,
        shift: args.shift,
        count: args.count as usize,
    });
    render_listing(out, &explanation, format, &context.render_options())?;
    Ok(())
}
