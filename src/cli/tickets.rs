//! `socctl tickets push` and `socctl tickets pull`: the ServiceNow hand-off of the tasks
//! with `ticket: true` (see docs/tickets.md).

use std::io::Write;
use std::time::Duration;

use jiff::civil::Date;

use super::record::{Given, Settled, settle_in};
use super::{Context, DateArg, Exit, RangeEnd, UsageError, check_order, environment};
use crate::calendar::add_days;
use crate::catalog::{Catalog, ServiceNow};
use crate::plan::{Status, View};
use crate::tickets::pull::{self, Read};
use crate::tickets::push::{self, Pushed};
use crate::tickets::{Credentials, Occurrence, Table};
use crate::track::record::Act;

/// How many days `tickets pull` looks back when `--from` is not given: 31, today included.
pub const PULL_DAYS: i64 = 31;

/// Arguments of `socctl tickets`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: TicketsCommand,
}

/// `tickets push` and `tickets pull`.
#[derive(Debug, clap::Subcommand)]
pub enum TicketsCommand {
    /// Create a ServiceNow record for each due occurrence of the tasks with `ticket: true`
    /// (none twice: each is looked up by its correlation id first)
    Push(PushArgs),
    /// Record `done` for the occurrences whose ServiceNow record is closed (--ref the
    /// ticket's number, --by its closer)
    Pull(PullArgs),
}

/// What push and pull share.
#[derive(Debug, clap::Args)]
pub struct Common {
    /// Only this team, or the members of this group (id, name or alias, case-insensitive)
    #[arg(long, short, add = clap_complete::ArgValueCandidates::new(crate::cli::shell::team_or_group_candidates))]
    pub team: Option<String>,
    /// First due date, inclusive: today, tomorrow, yesterday or YYYY-MM-DD
    #[arg(long, conflicts_with = "date")]
    pub from: Option<DateArg>,
    /// Last due date, inclusive [default: today]
    #[arg(long, conflicts_with = "date")]
    pub to: Option<DateArg>,
    /// Show what would be done (the records looked up, nothing created or recorded)
    #[arg(long)]
    pub dry_run: bool,
    /// Give up on ServiceNow after this many seconds for one call, retries included
    #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,
}

/// Arguments of `socctl tickets push`.
#[derive(Debug, clap::Args)]
pub struct PushArgs {
    /// The due date of the occurrences to hand over [default: today]
    #[arg(long, short)]
    pub date: Option<DateArg>,
    /// Teams, range, dry run, time limit.
    #[command(flatten)]
    pub common: Common,
}

/// Arguments of `socctl tickets pull`.
#[derive(Debug, clap::Args)]
pub struct PullArgs {
    /// Only the occurrences due on this day [default: --from 30 days ago --to today]
    #[arg(long, short)]
    pub date: Option<DateArg>,
    /// Teams, range, dry run, time limit.
    #[command(flatten)]
    pub common: Common,
}

/// Runs `socctl tickets`.
pub fn run(context: &Context, args: &Args, out: &mut dyn Write) -> anyhow::Result<Exit> {
    match &args.command {
        TicketsCommand::Push(args) => run_push(context, args, out),
        TicketsCommand::Pull(args) => run_pull(context, args, out),
    }
}

/// The catalog's `servicenow:`, or a clear error saying how to add it.
fn servicenow(catalog: &Catalog) -> anyhow::Result<&ServiceNow> {
    catalog.servicenow.as_ref().ok_or_else(|| {
        anyhow::anyhow!(
            "{} has no `servicenow:`, so socctl does not know where to hand tickets; add `servicenow: {{instance: https://example.service-now.com, table: sc_task}}` (see docs/tickets.md)",
            catalog.roles_path.display()
        )
    })
}

/// The credentials from the environment (never shown).
fn credentials() -> anyhow::Result<Credentials> {
    Ok(Credentials::from_values(
        environment::env_var("SOCCTL_SERVICENOW_USER"),
        environment::env_var("SOCCTL_SERVICENOW_PASSWORD"),
        environment::env_var("SOCCTL_SERVICENOW_TOKEN"),
    )
    .map_err(|e| UsageError(e.to_string()))?)
}

/// The due dates asked for: `--date`, else `--from`/`--to` (`to` defaulting to today and
/// `from` to `default_from` days before it).
fn range(
    context: &Context,
    catalog: &Catalog,
    date: Option<&DateArg>,
    common: &Common,
    days_back: i64,
) -> anyhow::Result<(Date, Date)> {
    if let Some(date) = date {
        let day = context.date(catalog, Some(date))?;
        return Ok((day, day));
    }
    let to = match &common.to {
        Some(to) => RangeEnd::typed(context.date(catalog, Some(to))?),
        None => RangeEnd::by_default(context.today(catalog)?, "today"),
    };
    let from = match &common.from {
        Some(from) => context.date(catalog, Some(from))?,
        None => add_days(to.date, -days_back).unwrap_or(to.date),
    };
    check_order(RangeEnd::typed(from), to)?;
    crate::plan::check_range(from, to.date).map_err(|e| UsageError(e.to_string()))?;
    Ok((from, to.date))
}

/// Each team's occurrence, due in `from..=to`, of the tasks with `ticket: true` owned by
/// `teams`, in the plan's order (triggered "as needed" work included), with where the
/// journal says it stands (`None` without a journal).
fn occurrences(
    context: &Context,
    catalog: &Catalog,
    (from, to): (Date, Date),
    teams: &[usize],
) -> anyhow::Result<Vec<(Occurrence, Option<Status>)>> {
    let (plan, warning) =
        super::checklist::tracked_plan(context, catalog, teams, (from, to), View::Range)?;
    if let Some(warning) = warning {
        eprintln!("socctl: warning: {}", safe(&warning));
    }
    let mut found = Vec::new();
    for planned in &plan.occurrences {
        let task = &catalog.tasks[planned.task];
        if !task.ticket {
            continue;
        }
        let owners: Vec<usize> = match planned.team {
            Some(team) => vec![team],
            None => task
                .teams
                .iter()
                .copied()
                .filter(|t| teams.contains(t))
                .collect(),
        };
        for team in owners {
            let occurrence = Occurrence {
                task: task.id.clone(),
                due: planned.date,
                team: catalog.teams[team].id.clone(),
            };
            found.push((occurrence, planned.status));
        }
    }
    Ok(found)
}

/// `TASK due DATE (team TEAM)`, for a line of output.
fn named(occurrence: &Occurrence) -> String {
    format!(
        "{} due {} (team {})",
        occurrence.task, occurrence.due, occurrence.team
    )
}

/// Text that came from ServiceNow, safe to print.
fn safe(text: &str) -> String {
    crate::catalog::escape_controls(text)
}

/// What push and pull set up: the catalog, its `servicenow:`, the occurrences, the
/// credentials and the HTTP client.
struct Setup {
    catalog: Catalog,
    occurrences: Vec<(Occurrence, Option<Status>)>,
    credentials: Credentials,
    transport: crate::tickets::transport::Client,
}

fn set_up(
    context: &Context,
    date: Option<&DateArg>,
    common: &Common,
    days_back: i64,
) -> anyhow::Result<Setup> {
    let catalog = context.catalog()?;
    servicenow(&catalog)?;
    let range = range(context, &catalog, date, common, days_back)?;
    let teams = context.teams(&catalog, common.team.as_deref())?;
    let occurrences = occurrences(context, &catalog, range, &teams)?;
    let credentials = credentials()?;
    let transport = crate::tickets::transport::Client::new(Duration::from_secs(common.timeout))
        .map_err(|e| anyhow::anyhow!("cannot set up the connection to ServiceNow: {e}"))?;
    Ok(Setup {
        catalog,
        occurrences,
        credentials,
        transport,
    })
}

/// Runs `socctl tickets push`.
pub fn run_push(context: &Context, args: &PushArgs, out: &mut dyn Write) -> anyhow::Result<Exit> {
    let setup = set_up(context, args.date.as_ref(), &args.common, 0)?;
    let servicenow = servicenow(&setup.catalog)?;
    let table = Table::new(servicenow, &setup.credentials, &setup.transport);
    let dry_run = args.common.dry_run;
    let (mut created, mut present, mut settled, mut failed) = (0, 0, 0, 0);
    // Work the journal already has done or skipped needs no ticket.
    let mut due = Vec::new();
    for (occurrence, status) in &setup.occurrences {
        match status {
            Some(status @ (Status::Done | Status::Skipped)) => {
                settled += 1;
                writeln!(
                    out,
                    "already {} in the journal: {}",
                    status.as_str(),
                    named(occurrence)
                )?;
            }
            _ => due.push(occurrence.clone()),
        }
    }
    let mut written = Ok(());
    push::push(
        &setup.catalog,
        servicenow,
        &table,
        &due,
        dry_run,
        |occurrence, outcome| {
            let line = match outcome {
                Pushed::Created(ticket) => {
                    created += 1;
                    format!("created {}: {}", safe(&ticket.number), named(occurrence))
                }
                Pushed::Present(ticket) => {
                    present += 1;
                    format!(
                        "already present {}: {}",
                        safe(&ticket.number),
                        named(occurrence)
                    )
                }
                Pushed::WouldCreate(fields) => {
                    created += 1;
                    let body = serde_json::to_string_pretty(fields).unwrap_or_default();
                    format!(
                        "would create: {}\n  POST {}\n{}",
                        named(occurrence),
                        table.url(),
                        body.lines()
                            .map(|l| format!("  {l}"))
                            .collect::<Vec<_>>()
                            .join("\n")
                    )
                }
                Pushed::Failed(reason) => {
                    failed += 1;
                    format!("failed: {}: {}", named(occurrence), safe(reason))
                }
            };
            if written.is_ok() {
                written = writeln!(out, "{line}");
            }
        },
    );
    written?;
    let verb = if dry_run { "to create" } else { "created" };
    let counts =
        format!("{created} {verb}, {present} already present, {settled} settled in the journal");
    summary(out, "push", dry_run, &counts, failed)
}

/// Writes the summary line (`tickets push: …, N failed`) and gives the exit: 5
/// ([`Exit::NotDelivered`]) when anything failed, as `notify` does.
fn summary(
    out: &mut dyn Write,
    command: &str,
    dry_run: bool,
    counts: &str,
    failed: usize,
) -> anyhow::Result<Exit> {
    let dry = if dry_run { " (dry run)" } else { "" };
    writeln!(out, "tickets {command}{dry}: {counts}, {failed} failed")?;
    Ok(if failed > 0 {
        Exit::NotDelivered
    } else {
        Exit::Success
    })
}

/// The day a closed ticket's work counts as done: the day ServiceNow closed it, in the
/// team's time zone, kept within the occurrence's due date and today (`done` takes no
/// earlier and no later day); today when ServiceNow does not say.
fn done_on(
    context: &Context,
    catalog: &Catalog,
    occurrence: &Occurrence,
    closed: Option<jiff::civil::DateTime>,
) -> anyhow::Result<Date> {
    let team = catalog.teams.iter().position(|t| t.id == occurrence.team);
    let today = context.date_of_team(catalog, team, None)?;
    let zone = &team
        .map_or(&catalog.calendar, |t| catalog.calendar_of(t))
        .time_zone;
    let day = closed
        .and_then(|utc| utc.to_zoned(jiff::tz::TimeZone::UTC).ok())
        .map_or(today, |zoned| zoned.with_time_zone(zone.clone()).date());
    Ok(day.clamp(occurrence.due, today.max(occurrence.due)))
}

/// Runs `socctl tickets pull`.
pub fn run_pull(context: &Context, args: &PullArgs, out: &mut dyn Write) -> anyhow::Result<Exit> {
    let setup = set_up(context, args.date.as_ref(), &args.common, PULL_DAYS - 1)?;
    let catalog = &setup.catalog;
    let servicenow = servicenow(catalog)?;
    let table = Table::new(servicenow, &setup.credentials, &setup.transport);
    let dry_run = args.common.dry_run;
    let (mut recorded, mut already, mut open, mut missing, mut failed) = (0, 0, 0, 0, 0);
    let occurrences: Vec<Occurrence> = setup.occurrences.iter().map(|(o, _)| o.clone()).collect();
    for (occurrence, state) in pull::read(&table, &occurrences, &servicenow.closed_states) {
        let line = match state {
            Read::Open(ticket) => {
                open += 1;
                format!(
                    "open {} (state {}): {}",
                    safe(&ticket.number),
                    safe(&ticket.state),
                    named(&occurrence)
                )
            }
            Read::Missing => {
                missing += 1;
                continue;
            }
            Read::Failed(reason) => {
                failed += 1;
                format!("failed: {}: {}", named(&occurrence), safe(&reason))
            }
            Read::Closed(ticket) if dry_run => {
                recorded += 1;
                format!(
                    "would record done, --ref {} --by {}: {}",
                    safe(&ticket.number),
                    safe(ticket.closer().unwrap_or("(the login name)")),
                    named(&occurrence)
                )
            }
            Read::Closed(ticket) => match record_done(context, catalog, &occurrence, &ticket) {
                Ok(Settled::Recorded(message)) => {
                    recorded += 1;
                    format!("recorded {}: {}", safe(&ticket.number), safe(&message))
                }
                Ok(Settled::Already(message)) => {
                    already += 1;
                    format!(
                        "already recorded {}: {}",
                        safe(&ticket.number),
                        safe(&message)
                    )
                }
                Err(error) => {
                    failed += 1;
                    format!(
                        "failed {}: {}: {}",
                        safe(&ticket.number),
                        named(&occurrence),
                        safe(&format!("{error:#}"))
                    )
                }
            },
        };
        writeln!(out, "{line}")?;
    }
    let verb = if dry_run { "to record" } else { "recorded" };
    let counts = format!(
        "{recorded} {verb}, {already} already recorded, {open} open, {missing} without a ticket"
    );
    summary(out, "pull", dry_run, &counts, failed)
}

/// `socctl done TASK --team TEAM --occurrence DUE --date CLOSED --ref NUMBER --by CLOSER`,
/// through `done`'s own code.
fn record_done(
    context: &Context,
    catalog: &Catalog,
    occurrence: &Occurrence,
    ticket: &crate::tickets::shape::Ticket,
) -> anyhow::Result<Settled> {
    let day = DateArg::On(done_on(context, catalog, occurrence, ticket.closed_on())?);
    let due = DateArg::On(occurrence.due);
    let given = Given {
        task: &occurrence.task,
        date: Some(&day),
        occurrence: Some(&due),
        team: Some(&occurrence.team),
        all_teams: false,
        by: ticket.closer(),
    };
    let act = Act::Done {
        note: None,
        reference: Some(ticket.number.clone()),
    };
    settle_in(context, catalog, &given, &act)
}
