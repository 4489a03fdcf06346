//! `socctl away` and `socctl swap`: leave and swaps, recorded in the journal as cover
//! records, and [`load`], the cover every command that shows assignees reads.

use std::io::Write;

use jiff::civil::Date;

use super::{Context, DateArg, ListingFormat, UsageError, environment};
use crate::catalog::{Catalog, Task, suggestions};
use crate::journal::{CoverKind, CoverRecord, Store};
use crate::people::{Cover, Rota};

/// The cover records in force (leave and swaps) that touch `from` ..= `to`, for the
/// assignments of `catalog`'s tasks; [`Cover::none`] when there is no journal yet. A
/// journal that cannot be read now (PostgreSQL unreachable, an older schema) leaves the
/// catalog's own assignments, with a warning on standard error: a listing still shows.
pub fn load(context: &Context, catalog: &Catalog, from: Date, to: Date) -> anyhow::Result<Cover> {
    let _ = catalog;
    let read = context.journal_for_reading().and_then(|store| match store {
        Some(store) => Ok(cover_in(store.as_ref(), from, to)?),
        None => Ok(Cover::none()),
    });
    Ok(read.unwrap_or_else(|error| {
        eprintln!(
            "socctl: warning: leave and swaps were not read, so assignees are the catalog's own: {error:#}"
        );
        Cover::none()
    }))
}

/// The cover of `store`'s records that touch `from` ..= `to`.
pub(super) fn cover_in(
    store: &dyn Store,
    from: Date,
    to: Date,
) -> Result<Cover, crate::journal::JournalError> {
    Ok(Cover::touching(&store.covers()?, from, to))
}

/// Arguments of `socctl away`.
#[derive(Debug, clap::Args)]
pub struct AwayArgs {
    /// The member who is away (a member id of roles.yaml)
    #[arg(required_unless_present_any = ["list", "cancel"])]
    person: Option<String>,
    /// The first day away (or, with --list, of the listing)
    #[arg(long, value_name = "DATE", required_unless_present_any = ["list", "cancel"])]
    from: Option<DateArg>,
    /// The last day away, included (or, with --list, of the listing)
    #[arg(long, value_name = "DATE", required_unless_present_any = ["list", "cancel"])]
    to: Option<DateArg>,
    /// Who does their turns meanwhile [default: the next available member in rotation order]
    #[arg(long, value_name = "MEMBER")]
    cover: Option<String>,
    /// Why (shown in --list)
    #[arg(long, value_name = "TEXT")]
    reason: Option<String>,
    /// List the leave and swaps in force instead
    #[arg(long, conflicts_with_all = ["person", "cover", "reason", "cancel"])]
    list: bool,
    /// With --list: only this member's leave and swaps
    #[arg(
        long = "person",
        id = "person_filter",
        value_name = "MEMBER",
        requires = "list"
    )]
    person_filter: Option<String>,
    /// Cancel the leave or swap with this id (appends a cancellation; see --list)
    #[arg(long, value_name = "ID", conflicts_with_all = ["person", "from", "to", "cover"])]
    cancel: Option<String>,
    /// Who records it [default: $SOCCTL_BY, else the login name]
    #[arg(long)]
    by: Option<String>,
}

/// Arguments of `socctl swap`.
#[derive(Debug, clap::Args)]
pub struct SwapArgs {
    /// The task id
    #[arg(add = clap_complete::ArgValueCandidates::new(crate::cli::shell::task_candidates))]
    task: String,
    /// The occurrence's due date
    #[arg(long, value_name = "DUE_DATE")]
    occurrence: DateArg,
    /// The team whose occurrence it is (id, name or alias); implied for a task of one team
    #[arg(long, value_name = "TEAM")]
    team: Option<String>,
    /// Who takes it (a member of that team)
    #[arg(long, value_name = "MEMBER")]
    to: String,
    /// Why
    #[arg(long, value_name = "TEXT")]
    reason: Option<String>,
    /// Who records it [default: $SOCCTL_BY, else the login name]
    #[arg(long)]
    by: Option<String>,
}

/// Every member id of the catalog, in catalog order, once each.
fn member_ids(catalog: &Catalog) -> Vec<&str> {
    let mut ids: Vec<&str> = Vec::new();
    for member in catalog.teams.iter().flat_map(|t| &t.members) {
        if !ids.contains(&member.id.as_str()) {
            ids.push(&member.id);
        }
    }
    ids
}

/// The member `id` names, or a usage error listing the members with the nearest.
fn person<'c>(catalog: &'c Catalog, id: &str, what: &str) -> Result<&'c str, UsageError> {
    let ids = member_ids(catalog);
    if let Some(found) = ids.iter().find(|known| **known == id) {
        return Ok(found);
    }
    let near = suggestions(id, ids.iter().copied());
    Err(UsageError(format!(
        "{what}`{id}` is not a member of any team in roles.yaml; nothing recorded. Members: {}{}",
        if ids.is_empty() {
            "none".to_owned()
        } else {
            ids.join(", ")
        },
        super::resolve::did_you_mean(&near)
    )))
}

/// The indexes of the teams `id` is ever a member of.
fn teams_of(catalog: &Catalog, id: &str) -> Vec<usize> {
    (0..catalog.teams.len())
        .filter(|&t| catalog.teams[t].members.iter().any(|m| m.id == id))
        .collect()
}

fn author(by: Option<&str>) -> Result<String, UsageError> {
    environment::author(by).ok_or_else(|| {
        UsageError(
            "who makes this record is unknown: give --by NAME or set SOCCTL_BY (no login name is set either); nothing recorded".to_owned(),
        )
    })
}

/// Appends `record`, or refuses it (exit 2) when it clashes with the journal's cover.
fn append(
    context: &Context,
    catalog: &Catalog,
    record: &CoverRecord,
    out: &mut dyn Write,
    message: &str,
) -> anyhow::Result<()> {
    let json = context.listing_format("away")? == ListingFormat::Json;
    let mut store = context.journal_for_writing(context.today(catalog)?)?;
    if let Some(clash) = store.append_cover(record)? {
        return Err(UsageError(format!("{clash}; nothing recorded")).into());
    }
    if json {
        crate::render::write_json(out, record)?;
    } else {
        writeln!(out, "{}", crate::catalog::escape_controls(message))?;
    }
    Ok(())
}

/// Runs `socctl away`.
pub fn run_away(context: &Context, args: &AwayArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let catalog = context.catalog()?;
    if args.list {
        return list(context, &catalog, args, out);
    }
    let by = author(args.by.as_deref())?;
    if let Some(id) = &args.cancel {
        let record = CoverRecord::new(
            CoverKind::Cancel {
                cancels: id.clone(),
            },
            &by,
            environment::now(),
        );
        return append(
            context,
            &catalog,
            &record,
            out,
            &format!("cancelled: {id}, by {by}"),
        );
    }
    let (Some(id), Some(from), Some(to)) = (&args.person, &args.from, &args.to) else {
        return Err(UsageError("give PERSON --from DATE --to DATE".to_owned()).into());
    };
    let person = person(&catalog, id, "")?;
    let from = super::RangeEnd::typed(context.date(&catalog, Some(from))?);
    let to = super::RangeEnd::typed(context.date(&catalog, Some(to))?);
    super::args::check_order(from, to)?;
    let (from, to) = (from.date, to.date);
    if let Some(cover) = &args.cover {
        let cover = self::person(&catalog, cover, "the cover ")?;
        if cover == person {
            return Err(UsageError(format!(
                "{person} cannot cover their own leave; name another member with --cover, or leave it out for the next available one; nothing recorded"
            ))
            .into());
        }
        let shared = teams_of(&catalog, person)
            .into_iter()
            .filter(|t| teams_of(&catalog, cover).contains(t))
            .count();
        if shared == 0 {
            let mates: Vec<&str> = teams_of(&catalog, person)
                .into_iter()
                .flat_map(|t| catalog.teams[t].members.iter().map(|m| m.id.as_str()))
                .filter(|m| *m != person)
                .collect();
            return Err(UsageError(format!(
                "the cover {cover} is in none of {person}'s teams, so cannot do their turns; {person}'s team-mates: {}; nothing recorded",
                if mates.is_empty() { "none".to_owned() } else { mates.join(", ") }
            ))
            .into());
        }
    }
    let mut record = CoverRecord::new(
        CoverKind::Away {
            person: person.to_owned(),
            from,
            to,
            cover: args.cover.clone(),
        },
        &by,
        environment::now(),
    );
    record.note.clone_from(&args.reason);
    let message = format!(
        "away: {person} from {from} to {to}{}, by {by} (id {})",
        args.cover
            .as_deref()
            .map(|c| format!(", covered by {c}"))
            .unwrap_or_default(),
        record.id
    );
    append(context, &catalog, &record, out, &message)
}

/// The team of `task` that `team` names (implied for a task of one team).
fn team_index(catalog: &Catalog, task: &Task, team: Option<&str>) -> anyhow::Result<usize> {
    let id = super::record::team_of(catalog, task, team, false)?.unwrap_or_default();
    Ok(catalog
        .teams
        .iter()
        .position(|t| t.id == id)
        .unwrap_or_default())
}

/// Runs `socctl swap`.
pub fn run_swap(context: &Context, args: &SwapArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let catalog = context.catalog()?;
    let task = super::resolve::task(&catalog, &args.task)?;
    let team = team_index(&catalog, task, args.team.as_deref())?;
    let occurrence = context.date(&catalog, Some(&args.occurrence))?;
    let by = author(args.by.as_deref())?;
    if task.assignment.is_none() {
        return Err(UsageError(format!(
            "`{}` names nobody (no assignee or rotation in tasks.yaml), so there is no turn to swap; nothing recorded",
            task.id
        ))
        .into());
    }
    let due = task
        .schedule(catalog.calendar_of(team))
        .and_then(|s| s.occurrences_from(occurrence).next());
    let Some(due) = due.filter(|d| d.date == occurrence) else {
        return Err(UsageError(format!(
            "`{}` has no occurrence due {occurrence}{}; swap names an occurrence by its due date; nothing recorded",
            task.id,
            due.map(|d| format!(" (the next is due {})", d.date))
                .unwrap_or_default()
        ))
        .into());
    };
    let team_id = catalog.teams[team].id.as_str();
    let members = &catalog.teams[team].members;
    if !members
        .iter()
        .any(|m| m.id == args.to && m.active_on(occurrence))
    {
        let ids: Vec<&str> = members
            .iter()
            .filter(|m| m.active_on(occurrence))
            .map(|m| m.id.as_str())
            .collect();
        let near = suggestions(&args.to, ids.iter().copied());
        return Err(UsageError(format!(
            "`{}` is not a member of team {team_id} on {occurrence}; nothing recorded. Its members then: {}{}",
            args.to,
            if ids.is_empty() { "none".to_owned() } else { ids.join(", ") },
            super::resolve::did_you_mean(&near)
        ))
        .into());
    }
    let cover = match context.journal_for_reading()? {
        Some(store) => cover_in(store.as_ref(), occurrence, occurrence)?,
        None => Cover::none(),
    };
    if cover.away(&args.to, occurrence).is_some() {
        return Err(UsageError(format!(
            "{} is away on {occurrence}, so cannot take it; nothing recorded",
            args.to
        ))
        .into());
    }
    let before = Rota::new(&catalog, task, team, &cover)
        .assignee(due.date, due.time)
        .map_or("unassigned".to_owned(), |m| m.id.clone());
    let mut record = CoverRecord::new(
        CoverKind::Swap {
            task: task.id.clone(),
            occurrence,
            team: team_id.to_owned(),
            to: args.to.clone(),
        },
        &by,
        environment::now(),
    );
    record.note.clone_from(&args.reason);
    let message = format!(
        "swapped: {} due {occurrence} for {team_id} from {before} to {}, by {by} (id {})",
        task.id, args.to, record.id
    );
    append(context, &catalog, &record, out, &message)
}

/// One line of `away --list`.
#[derive(serde::Serialize)]
struct Listed<'a> {
    #[serde(flatten)]
    record: &'a CoverRecord,
}

/// Runs `socctl away --list`.
fn list(
    context: &Context,
    catalog: &Catalog,
    args: &AwayArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let filter = args
        .person_filter
        .as_deref()
        .map(|p| person(catalog, p, "--person "))
        .transpose()?;
    let from = args
        .from
        .as_ref()
        .map(|d| context.date(catalog, Some(d)))
        .transpose()?;
    let to = args
        .to
        .as_ref()
        .map(|d| context.date(catalog, Some(d)))
        .transpose()?;
    if let (Some(f), Some(t)) = (from, to) {
        super::args::check_order(super::RangeEnd::typed(f), super::RangeEnd::typed(t))?;
    }
    let records = match context.journal_for_reading()? {
        Some(store) => store.covers()?,
        None => Vec::new(),
    };
    let (first, last) = (from.unwrap_or(Date::MIN), to.unwrap_or(Date::MAX));
    let shown: Vec<&CoverRecord> = CoverRecord::effective(&records)
        .into_iter()
        .filter(|r| match &r.kind {
            CoverKind::Away {
                person,
                from,
                to,
                cover,
            } => {
                *from <= last
                    && *to >= first
                    && filter.is_none_or(|p| p == person || cover.as_deref() == Some(p))
            }
            CoverKind::Swap { occurrence, to, .. } => {
                first <= *occurrence && *occurrence <= last && filter.is_none_or(|p| p == to)
            }
            CoverKind::Cancel { .. } => false,
        })
        .collect();
    if context.listing_format("away")? == ListingFormat::Json {
        let listed: Vec<Listed<'_>> = shown.iter().map(|record| Listed { record }).collect();
        return Ok(crate::render::write_json(out, &listed)?);
    }
    if shown.is_empty() {
        writeln!(out, "no leave or swaps recorded")?;
    }
    for record in shown {
        let line = match &record.kind {
            CoverKind::Away {
                person,
                from,
                to,
                cover,
            } => format!(
                "{}  away  {person}  {from} to {to}  cover: {}",
                record.id,
                cover.as_deref().unwrap_or("next available")
            ),
            CoverKind::Swap {
                task,
                occurrence,
                team,
                to,
            } => format!(
                "{}  swap  {task} due {occurrence} for {team} to {to}",
                record.id
            ),
            CoverKind::Cancel { .. } => continue,
        };
        let reason = record
            .note
            .as_deref()
            .map(|n| format!("  ({n})"))
            .unwrap_or_default();
        writeln!(
            out,
            "{}",
            crate::catalog::escape_controls(&format!("{line}{reason}  by {}", record.by))
        )?;
    }
    Ok(())
}
