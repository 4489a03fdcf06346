//! `socctl overdue`: what is past its deadline and not done, for people and for monitoring.

use std::io::Write;

use super::{Context, Exit, UsageError};
use crate::listing::overdue::{
    OverdueQuery, PluginState, Threshold, nagios_line, no_journal, overdue_rows,
};
use crate::render::{Format, render_listing};

/// Arguments of `socctl overdue`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only this team (id, name or alias, case-insensitive)
    #[arg(long, short, env = "SOCCTL_TEAM", add = clap_complete::ArgValueCandidates::new(crate::cli::shell::team_or_group_candidates))]
    pub team: Option<String>,
    /// Exit with 3 when anything is overdue, 0 when nothing is, 1 when socctl cannot tell
    /// (no journal, an unreadable one), for monitoring systems
    #[arg(long)]
    pub exit_code: bool,
    /// One line per overdue occurrence instead of one per run
    #[arg(long)]
    pub all: bool,
    /// With --format nagios: WARNING from this many overdue occurrences (`1`) or days
    /// past a deadline (`2d`)
    #[arg(long, default_value = "1", value_name = "COUNT|DAYSd")]
    pub warning: String,
    /// With --format nagios: CRITICAL from this many overdue occurrences (`10`) or days
    /// past a deadline (`7d`)
    #[arg(long, default_value = "7d", value_name = "COUNT|DAYSd")]
    pub critical: String,
    /// Only the overdue occurrences assigned to one person (after leave and swaps), in runs
    /// of their own.
    #[command(flatten)]
    pub person: super::PersonArgs,
}

/// Runs `socctl overdue`.
pub fn run(context: &Context, args: &Args, out: &mut dyn Write) -> anyhow::Result<Exit> {
    if context.format() == Format::Nagios {
        return run_nagios(context, args, out);
    }
    let catalog = context.catalog()?;
    let teams = context.teams(&catalog, args.team.as_deref())?;
    let now = context.now(&catalog)?;
    let format = context.listing_format("overdue")?;
    let Some(store) = context.journal_for_reading()? else {
        let location = context.journal_location()?.to_string();
        if args.exit_code {
            // Monitoring must not read "nothing is tracked" as "nothing is overdue".
            return Err(anyhow::anyhow!(
                "no journal at {location}: nothing is tracked, so socctl cannot tell whether anything is overdue; point --journal (or SOCCTL_JOURNAL) at the journal, or record something with `socctl done` first"
            ));
        }
        render_listing(
            out,
            &no_journal(&location),
            format,
            &context.render_options(),
        )?;
        return Ok(Exit::Success);
    };
    let person = context.person(&catalog, &args.person)?;
    let rows = overdue_in(
        context,
        store.as_ref(),
        &catalog,
        &teams,
        (now, args.all),
        person.as_deref(),
    )?;
    render_listing(out, &rows, format, &context.render_options())?;
    Ok(if args.exit_code && !rows.rows.is_empty() {
        Exit::Overdue
    } else {
        Exit::Success
    })
}

/// `overdue --format nagios`: one plugin status line; whatever goes wrong is UNKNOWN
/// (exit 3) on that line, as the plugin convention asks, never OK.
fn run_nagios(context: &Context, args: &Args, out: &mut dyn Write) -> anyhow::Result<Exit> {
    let (state, line) = match nagios_check(context, args) {
        Ok(result) => result,
        Err(error) => {
            let message = format!("{error:#}").replace(['\n', '|'], " ");
            (PluginState::Unknown, format!("SOCCTL UNKNOWN - {message}"))
        }
    };
    writeln!(out, "{line}")?;
    Ok(Exit::Plugin(state))
}

fn nagios_check(context: &Context, args: &Args) -> anyhow::Result<(PluginState, String)> {
    let threshold = |flag: &str, text: &str| {
        Threshold::parse(text).map_err(|message| UsageError(format!("--{flag}: {message}")))
    };
    let thresholds = (
        threshold("warning", &args.warning)?,
        threshold("critical", &args.critical)?,
    );
    let catalog = context.catalog()?;
    let teams = context.teams(&catalog, args.team.as_deref())?;
    let now = context.now(&catalog)?;
    let Some(store) = context.journal_for_reading()? else {
        anyhow::bail!(
            "no journal at {}: nothing is tracked, so socctl cannot tell whether anything is overdue",
            context.journal_location()?
        );
    };
    let person = context.person(&catalog, &args.person)?;
    let rows = overdue_in(
        context,
        store.as_ref(),
        &catalog,
        &teams,
        (now, false),
        person.as_deref(),
    )?;
    let (state, mut line) = nagios_line(&catalog, &rows, &teams, now, thresholds);
    if let Some(unassigned) = unassigned_soon(store.as_ref(), &catalog, &teams, now.date())? {
        line = format!("{line} 'unassigned'={unassigned};;;0");
    }
    Ok((state, line))
}

/// How many occurrences of `teams`' assigned tasks due from `today` through the six days
/// after it have nobody available (everyone away or not a member), after the journal's
/// leave and swaps; `None` when none of those tasks names anyone.
fn unassigned_soon(
    store: &dyn crate::journal::Store,
    catalog: &crate::catalog::Catalog,
    teams: &[usize],
    today: jiff::civil::Date,
) -> anyhow::Result<Option<usize>> {
    let assigned = catalog
        .tasks
        .iter()
        .any(|t| t.assignment.is_some() && t.teams.iter().any(|team| teams.contains(team)));
    if !assigned {
        return Ok(None);
    }
    let last = crate::calendar::add_days(today, UNASSIGNED_DAYS - 1).unwrap_or(today);
    let cover = super::cover::cover_in(store, today, last)?;
    let plan = crate::plan::plan(catalog, today, last, teams, crate::plan::View::Range)?;
    let unassigned = plan
        .occurrences
        .iter()
        .zip(crate::people::plan_assignees(catalog, &plan, &cover))
        .filter(|(o, _)| catalog.tasks[o.task].assignment.is_some())
        .map(|(_, who)| who.iter().filter(|(_, member)| member.is_none()).count())
        .sum();
    Ok(Some(unassigned))
}

/// How many days, from today, `unassigned` counts in the plugin's performance data.
const UNASSIGNED_DAYS: i64 = 7;

/// The overdue work of `teams`' tasks in `store` as of `now`, one row a run (or, with
/// `every_occurrence`, an occurrence).
fn overdue_in<'c>(
    context: &Context,
    store: &dyn crate::journal::Store,
    catalog: &'c crate::catalog::Catalog,
    teams: &[usize],
    (now, every_occurrence): (jiff::civil::DateTime, bool),
    person: Option<&str>,
) -> anyhow::Result<crate::listing::Rows<crate::listing::overdue::OverdueRow<'c>>> {
    let (tracking_start, records) = super::checklist::tracked_records(store, catalog, teams)?;
    let cover = match person {
        Some(_) => context.cover(catalog),
        None => crate::people::Cover::none(),
    };
    let query = OverdueQuery {
        teams,
        tracking_start,
        now,
        every_occurrence,
        person: person.map(|p| (p, &cover)),
    };
    Ok(overdue_rows(catalog, &records, query, context.language()))
}
