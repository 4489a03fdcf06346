//! `socctl explain`: how a cadence is read and when it falls next, as
//! `systemd-analyze calendar` does for timers.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;

use super::{Context, DateArg, UsageError};

use crate::cadence::parse_with_aliases;
use crate::calendar::{Calendar, Shift};
use crate::catalog::{CalendarSettings, Diagnostics, Severity, escape_controls};
use crate::listing::explain::{Question, explain};
use crate::render::{render_listing, terminal_text};

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

/// Runs `socctl explain`: uses the catalog's calendar when one is found and loads, else the
/// defaults (saying on standard error why, when a catalog was found but has errors).
pub fn run(context: &Context, args: &Args, out: &mut dyn Write) -> anyhow::Result<()> {
    let format = context.listing_format("explain")?;
    // Defaults only when no catalog was asked for and none is found: a mistyped --catalog
    // is an error, not a silent switch to UTC and Monday-to-Friday.
    let explicit = context.cli_catalog.is_some() || context.cli_roles.is_some();
    let found = context.catalog_paths().is_ok();
    let CalendarSettings {
        calendar,
        cadence_aliases: aliases,
        time_zone_name: zone_name,
    } = if found || explicit {
        match context.catalog() {
            Ok(catalog) => CalendarSettings {
                calendar: catalog.calendar,
                cadence_aliases: catalog.cadence_aliases,
                time_zone_name: catalog.time_zone_name,
            },
            // A catalog with errors is what a lead is fixing: the cadence they are trying
            // can still be explained, in the catalog's calendar when its settings are sound
            // (the errors are in tasks or roles), else in the default one, saying which.
            Err(error) => {
                let Some(diagnostics) = error.downcast_ref::<Diagnostics>() else {
                    return Err(error);
                };
                eprintln!(
                    "socctl: warning: the catalog could not be loaded: {}",
                    terminal_text(&first_problem(diagnostics))
                );
                if let Some(settings) = sound_calendar(context)? {
                    let holidays = settings.calendar.holidays.len();
                    eprintln!(
                        "socctl: warning: explaining in the catalog's calendar, whose settings \
                         have no errors: {}, {holidays} holiday{}",
                        terminal_text(&settings.time_zone_name),
                        if holidays == 1 { "" } else { "s" }
                    );
                    settings
                } else {
                    let defaults = default_calendar(context)?;
                    eprintln!(
                        "socctl: warning: explaining in the default calendar instead: {}, \
                         weeks starting on Monday, work days Monday to Friday, no holidays, no \
                         cadence aliases",
                        terminal_text(&defaults.time_zone_name)
                    );
                    defaults
                }
            }
        }
    } else {
        default_calendar(context)?
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

/// The calendar settings of a catalog that has errors, when they themselves have none
/// (with `--tz` applied, as for a valid catalog).
fn sound_calendar(context: &Context) -> anyhow::Result<Option<CalendarSettings>> {
    let paths = context.catalog_paths()?;
    let today = super::environment::today(&jiff::tz::TimeZone::UTC).map_err(UsageError)?;
    let Some(mut settings) = crate::catalog::load(&paths.tasks, &paths.roles, today).calendar
    else {
        return Ok(None);
    };
    if context.tz.is_some() {
        let defaults = default_calendar(context)?;
        settings.calendar.time_zone = defaults.calendar.time_zone;
        settings.time_zone_name = defaults.time_zone_name;
    }
    Ok(Some(settings))
}

/// The calendar without a catalog: UTC (or `--tz`), weeks from Monday, Monday to Friday,
/// no holidays, no aliases.
fn default_calendar(context: &Context) -> anyhow::Result<CalendarSettings> {
    let mut settings = CalendarSettings {
        calendar: Calendar::default(),
        time_zone_name: "UTC".to_owned(),
        cadence_aliases: BTreeMap::new(),
    };
    if let Some(name) = &context.tz {
        settings.calendar.time_zone = crate::calendar::time_zone(name).ok_or_else(|| {
            UsageError(format!(
                "unknown time zone `{name}` in --tz; use an IANA name such as Europe/Copenhagen"
            ))
        })?;
        settings.time_zone_name.clone_from(name);
    }
    Ok(settings)
}

/// The catalog's first error on one line, `file:line:column: message`, and how many more
/// there are.
fn first_problem(diagnostics: &Diagnostics) -> String {
    let mut errors = diagnostics
        .0
        .iter()
        .filter(|diagnostic| diagnostic.severity == Severity::Error);
    let Some(first) = errors.next() else {
        return "it has errors".to_owned();
    };
    let mut line = first.file.display().to_string();
    if first.line > 0 {
        let _ = write!(line, ":{}:{}", first.line, first.column);
    }
    let message = escape_controls(&first.message);
    let _ = write!(line, ": {}", message.replace('\n', " "));
    match errors.count() {
        0 => {}
        1 => line.push_str(" (and 1 more error; `socctl check` lists them)"),
        more => {
            let _ = write!(line, " (and {more} more errors; `socctl check` lists them)");
        }
    }
    line
}
