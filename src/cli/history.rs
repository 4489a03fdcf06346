//! `socctl history`: the journal's records, newest first.

use std::io::Write;

use comfy_table::Cell;
use serde::Serialize;

use super::{Context, DateArg, ListingFormat, UsageError};
use crate::journal::{Record, RecordFilter};
use crate::render::{escape_markdown, new_table, safe, safe_cell, write_json};

/// Arguments of `socctl history`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only tasks of this team (id, name or alias)
    #[arg(long, short, env = "SOCCTL_TEAM")]
    pub team: Option<String>,
    /// Only this task (also one no longer in the catalog)
    #[arg(long)]
    pub task: Option<String>,
    /// Only records of work on or after this day
    #[arg(long)]
    pub since: Option<DateArg>,
    /// Only records of work on or before this day
    #[arg(long)]
    pub until: Option<DateArg>,
}

#[derive(Serialize)]
struct HistoryRecord<'a> {
    #[serde(flatten)]
    record: &'a Record,
    in_catalog: bool,
}

/// Runs `socctl history`.
pub fn run(context: &Context, args: &Args, out: &mut dyn Write) -> anyhow::Result<()> {
    let catalog = context.catalog()?;
    let format = context.listing_format("history")?;
    let mut filter = RecordFilter {
        since: args
            .since
            .as_ref()
            .map(|d| context.date(&catalog, Some(d)))
            .transpose()?,
        until: args
            .until
            .as_ref()
            .map(|d| context.date(&catalog, Some(d)))
            .transpose()?,
        ..RecordFilter::default()
    };
    if let (Some(since), Some(until)) = (filter.since, filter.until)
        && since > until
    {
        return Err(UsageError(format!("--since {since} is after --until {until}")).into());
    }
    // A reversed range is a usage error with or without a journal.
    let Some(store) = context.journal_for_reading()? else {
        if format == ListingFormat::Json {
            write_json(out, &Vec::<()>::new())?;
        } else {
            writeln!(out, "no journal yet at {}", context.journal_location()?)?;
        }
        return Ok(());
    };
    if let Some(task) = &args.task {
        filter.tasks.push(
            catalog
                .task(task)
                .map_or_else(|| task.clone(), |t| t.id.clone()),
        );
    }
    if args.team.is_some() {
        let teams = context.teams(&catalog, args.team.as_deref())?;
        let ids: Vec<String> = catalog
            .tasks
            .iter()
            .filter(|t| t.teams.iter().any(|x| teams.contains(x)))
            .map(|t| t.id.clone())
            .collect();
        filter.tasks = if filter.tasks.is_empty() {
            ids
        } else {
            filter
                .tasks
                .into_iter()
                .filter(|t| ids.contains(t))
                .collect()
        };
        if filter.tasks.is_empty() {
            filter.tasks.push(String::new()); // a team with no tasks has no history
        }
    }
    // Too many tasks for one query's parameters: read them all and keep the team's here.
    let keep: Option<std::collections::HashSet<String>> = (filter.tasks.len()
        > super::checklist::MAX_LISTED_TASKS)
        .then(|| std::mem::take(&mut filter.tasks).into_iter().collect());
    let mut records = store.records(&filter)?;
    if let Some(keep) = &keep {
        records.retain(|r| keep.contains(&r.task));
    }
    records.reverse();
    let rows: Vec<HistoryRecord<'_>> = records
        .iter()
        .map(|record| HistoryRecord {
            record,
            in_catalog: catalog.task(&record.task).is_some(),
        })
        .collect();
    let task_label = |row: &HistoryRecord<'_>| {
        if row.in_catalog {
            row.record.task.clone()
        } else {
            format!("{} (no longer in the catalog)", row.record.task)
        }
    };
    match format {
        ListingFormat::Json => write_json(out, &rows)?,
        ListingFormat::Markdown => {
            writeln!(
                out,
                "| Recorded | Task | Due | Action | On | By | Note | Ref |\n|---|---|---|---|---|---|---|---|"
            )?;
            for row in &rows {
                let r = row.record;
                writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} | {} | {} |",
                    r.recorded_at.strftime("%Y-%m-%d %H:%M"),
                    escape_markdown(&safe(&task_label(row))),
                    r.occurrence,
                    r.action,
                    r.on,
                    escape_markdown(&safe(&r.by)),
                    escape_markdown(&safe(r.note.as_deref().unwrap_or(""))),
                    escape_markdown(&safe(r.reference.as_deref().unwrap_or("")))
                )?;
            }
        }
        ListingFormat::Table | ListingFormat::Text | ListingFormat::Csv if rows.is_empty() => {
            writeln!(out, "no records")?;
        }
        ListingFormat::Table | ListingFormat::Text | ListingFormat::Csv => {
            let mut table = new_table(
                &context.render_options(),
                &[
                    "Recorded (UTC)",
                    "Task",
                    "Due",
                    "Action",
                    "On",
                    "By",
                    "Note",
                    "Ref",
                ],
            );
            for row in &rows {
                let r = row.record;
                table.add_row(vec![
                    Cell::new(r.recorded_at.strftime("%Y-%m-%d %H:%M")),
                    safe_cell(&task_label(row)),
                    Cell::new(r.occurrence),
                    Cell::new(r.action),
                    Cell::new(r.on),
                    safe_cell(&r.by),
                    safe_cell(r.note.as_deref().unwrap_or("")),
                    safe_cell(r.reference.as_deref().unwrap_or("")),
                ]);
            }
            writeln!(out, "{table}")?;
        }
    }
    Ok(())
}
