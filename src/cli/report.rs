//! `socctl report`: how each team's occurrences ended — done on time, late, skipped, missed
//! or still open — with the completion rate and the median delay, per team and per task.

use std::io::Write;

use super::{Context, DateArg, RangeEnd, UsageError, check_order};
use crate::calendar::{add_days, days_between};
use crate::journal::RecordFilter;
use crate::render::Format;
use crate::track::MAX_TRACKED_DAYS;
use crate::track::{Period, report, report_by_person};

/// How the report counts, for `socctl report --help`.
const COUNTING: &str = "\
Counting: an occurrence due in the range is done on time when its `done` record is dated on or \
before the due date, late when dated after it, skipped when a `skipped` record names it, missed \
when its window (up to the next occurrence) has passed with neither, and open while its window \
still runs (triggered \"as needed\" work stays open until done). Occurrences before the journal \
started tracking, or after today, are not counted.

Completion = done / (done + skipped + missed), i.e. done / (due - open): open occurrences can \
still be done, and a skip counts as not done, so skipping never raises the rate.

Median delay = the median, over done occurrences, of the days from due date to done (0 when \
on time).

A task owned by several teams counts for each of them, and once in the total.";

/// Arguments of `socctl report`.
#[derive(Debug, clap::Args)]
#[command(after_long_help = COUNTING)]
pub struct Args {
    /// First due date counted: today, yesterday or YYYY-MM-DD [default: the day the journal started tracking]
    #[arg(long)]
    pub from: Option<DateArg>,
    /// Last due date counted [default: today; later days are not due yet]
    #[arg(long)]
    pub to: Option<DateArg>,
    /// Only this team (id, name or alias, case-insensitive)
    #[arg(long, short, env = "SOCCTL_TEAM", add = clap_complete::ArgValueCandidates::new(crate::cli::shell::team_or_group_candidates))]
    pub team: Option<String>,
    /// One line per person instead: due, on time, late, missed, covered for others (see docs/people.md)
    #[arg(long)]
    pub by_person: bool,
}

/// Runs `socctl report`.
pub fn run(context: &Context, args: &Args, out: &mut dyn Write) -> anyhow::Result<()> {
    let format = context.format();
    if matches!(format, Format::Email | Format::Nagios) {
        return Err(UsageError(format!(
            "`socctl report` has no {} format; use table, text, markdown, json, csv or html",
            format.name()
        ))
        .into());
    }
    let catalog = context.catalog()?;
    let teams = context.teams(&catalog, args.team.as_deref())?;
    let now = context.now(&catalog)?;
    let today = now.date();
    // A typed range is checked before the journal is read; --from's default is the day the
    // journal started tracking.
    let to = match &args.to {
        Some(to) => RangeEnd::typed(context.date(&catalog, Some(to))?),
        None => RangeEnd::by_default(today, "today"),
    };
    let from = match &args.from {
        Some(from) => {
            let from = context.date(&catalog, Some(from))?;
            check_order(RangeEnd::typed(from), to)?;
            Some(from)
        }
        None => None,
    };
    let to = to.date;
    let (tracking_start, records) = match context.journal_for_reading()? {
        Some(store) => (
            Some(store.tracking_start()?),
            store.records(&RecordFilter::default())?,
        ),
        None => {
            eprintln!(
                "socctl: no journal yet at {}: record something with `socctl done` first",
                context.journal_location()?
            );
            (None, Vec::new())
        }
    };
    let from = from.unwrap_or_else(|| tracking_start.unwrap_or(today));
    let period = Period {
        tracking_start,
        from,
        to,
        now,
    };
    if args.by_person {
        let cover = match context.journal_for_reading()? {
            Some(store) => super::cover::cover_in(store.as_ref(), from, to)?,
            None => crate::people::Cover::none(),
        };
        let tallies = report_by_person(&catalog, &records, &teams, period, &cover);
        let format = context.listing_format("report --by-person")?;
        crate::render::render_listing(
            out,
            &crate::listing::by_person::by_person_rows(tallies),
            format,
            &context.render_options(),
        )?;
        return Ok(());
    }
    let report = report(&catalog, &records, &teams, period);
    // Statuses are worked out for a century at most: say so rather than let the period
    // printed suggest more was counted.
    let counted_to = to.min(today);
    let counted_from = tracking_start.map_or(from, |start| from.max(start));
    if tracking_start.is_some() && days_between(counted_from, counted_to) >= MAX_TRACKED_DAYS {
        let horizon = add_days(counted_to, 1 - MAX_TRACKED_DAYS).unwrap_or(counted_from);
        eprintln!(
            "socctl: only the last {MAX_TRACKED_DAYS} days (from {horizon}) are counted: the journal's statuses are worked out for a century at most"
        );
    }
    if report.from > report.to && tracking_start.is_some() {
        eprintln!(
            "socctl: nothing to count from {} to {}: occurrences are counted from the day the journal started tracking up to today",
            report.from, report.to
        );
    }
    // The print date, as the checklists have it (now, in the catalog's zone).
    let options = crate::render::RenderOptions {
        printed: Some(context.now(&catalog)?),
        ..context.render_options()
    };
    crate::render::render_report(out, &catalog, &report, format, &options)?;
    Ok(())
}
