//! `socctl explain`: how a cadence is read and when it falls next, as
//! `systemd-analyze calendar` does for timers.

use std::fmt::Write as _;
use std::io::Write;

use serde::Serialize;

use super::{Context, DateArg, ListingFormat, UsageError};
use crate::cadence::{Schedule, parse_with_aliases};
use crate::calendar::{Calendar, Shift, weekday_name};
use crate::render::{format_time, write_json};

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

#[derive(Serialize)]
struct Explanation {
    original: String,
    canonical: String,
    as_needed: bool,
    scheduled: bool,
    dates: Vec<DateRecord>,
}

#[derive(Serialize)]
struct DateRecord {
    date: jiff::civil::Date,
    time: Option<String>,
}

/// Runs `socctl explain`: uses the catalog's calendar when one is found, else the defaults.
pub fn run(context: &Context, args: &Args, out: &mut dyn Write) -> anyhow::Result<()> {
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
    let dates: Vec<DateRecord> = cadence
        .rule
        .as_ref()
        .map(|rule| {
            let schedule = Schedule {
                rule,
                at: cadence.at,
                start,
                shift: args.shift,
                calendar: &calendar,
            };
            schedule
                .occurrences_from(from)
                .take(args.count as usize)
                .map(|o| DateRecord {
                    date: o.date,
                    time: o.time.map(format_time),
                })
                .collect()
        })
        .unwrap_or_default();
    let explanation = Explanation {
        original: args.cadence.clone(),
        canonical: cadence.to_string(),
        as_needed: cadence.as_needed,
        scheduled: cadence.rule.is_some(),
        dates,
    };
    if context.listing_format("explain")? == ListingFormat::Json {
        write_json(out, &explanation)?;
        return Ok(());
    }
    writeln!(out, "  Original form: {}", explanation.original)?;
    writeln!(out, "Normalized form: {}", explanation.canonical)?;
    writeln!(
        out,
        "       Calendar: {zone_name}, weeks start on {}, {} holidays{}",
        weekday_name(calendar.week_start),
        calendar.holidays.len(),
        if args.shift == Shift::None {
            String::new()
        } else {
            format!(", shift {}", args.shift)
        }
    )?;
    if let Some(start) = start {
        writeln!(out, "         Anchor: {start}")?;
    }
    if !explanation.scheduled {
        writeln!(
            out,
            "    Next elapse: never scheduled; appears only when triggered"
        )?;
        return Ok(());
    }
    if explanation.dates.is_empty() {
        writeln!(
            out,
            "    Next elapse: never (the rule does not fall on or after {from})"
        )?;
    }
    for (index, record) in explanation.dates.iter().enumerate() {
        let label = if index == 0 {
            "    Next elapse".to_owned()
        } else {
            format!("{:>15}", format!("Iter. #{}", index + 1))
        };
        let time = record
            .time
            .as_ref()
            .map(|t| format!(" {t}"))
            .unwrap_or_default();
        writeln!(
            out,
            "{label}: {}{time}",
            record.date.strftime("%a %Y-%m-%d")
        )?;
    }
    if explanation.as_needed {
        writeln!(out, "                 (and whenever triggered as needed)")?;
    }
    Ok(())
}
