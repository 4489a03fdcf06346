//! `socctl overdue`: what is past its window and not done, for people and for monitoring.

use std::io::Write;
use std::process::ExitCode;

use comfy_table::Cell;
use serde::Serialize;

use super::{Context, EXIT_OK, ListingFormat};
use crate::journal::Record;
use crate::render::{escape_markdown, new_table, safe, safe_cell, write_json};
use crate::track::{Status, TaskRecords, Tracked, collapse_overdue, records_by_task, track_task};

/// Exit code of `overdue --exit-code` when something is overdue.
pub const EXIT_OVERDUE: u8 = 3;

/// Arguments of `socctl overdue`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only this team (id, name or alias, case-insensitive)
    #[arg(long, short, env = "SOCCTL_TEAM")]
    pub team: Option<String>,
    /// Exit with 3 when anything is overdue (0 when nothing is), for monitoring systems
    #[arg(long)]
    pub exit_code: bool,
    /// One line per overdue occurrence instead of one per run
    #[arg(long)]
    pub all: bool,
}

#[derive(Serialize)]
struct OverdueRecord<'a> {
    task: &'a str,
    title: &'a str,
    teams: Vec<&'a str>,
    count: usize,
    since: jiff::civil::Date,
    last: jiff::civil::Date,
}

/// Runs `socctl overdue`.
pub fn run(context: &Context, args: &Args, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let catalog = context.catalog()?;
    let teams = context.teams(&catalog, args.team.as_deref())?;
    let today = context.today(&catalog)?;
    let format = context.listing_format("overdue")?;
    let Some(store) = context.journal_for_reading()? else {
        if format == ListingFormat::Json {
            write_json(out, &Vec::<()>::new())?;
        } else {
            writeln!(
                out,
                "nothing is tracked yet: no journal at {}",
                context.journal_location()?
            )?;
        }
        return Ok(ExitCode::from(EXIT_OK));
    };
    let (tracking_start, records) =
        super::checklist::tracked_records(store.as_ref(), &catalog, &teams)?;
    let by_task = records_by_task(&records);
    let mut rows = Vec::new();
    for (index, task) in catalog.tasks.iter().enumerate() {
        if !task.teams.iter().any(|t| teams.contains(t)) {
            continue;
        }
        let own: &[&Record] = by_task.get(task.id.as_str()).map_or(&[], Vec::as_slice);
        let tracked: Vec<Tracked> = track_task(
            &catalog,
            index,
            &TaskRecords::new(own),
            tracking_start,
            today,
            today,
        );
        // Runs are collapsed over the whole list, so a done occurrence splits two runs.
        let runs = if args.all {
            tracked
                .iter()
                .filter(|t| t.status == Status::Overdue)
                .map(|t| (1, t.date, t.date))
                .collect::<Vec<_>>()
        } else {
            collapse_overdue(&catalog, &tracked)
                .into_iter()
                .map(|r| (r.count, r.since, r.last))
                .collect()
        };
        for (count, since, last) in runs {
            rows.push(OverdueRecord {
                task: &task.id,
                title: task.title_in(context.language()),
                teams: task
                    .teams
                    .iter()
                    .map(|&t| catalog.teams[t].id.as_str())
                    .collect(),
                count,
                since,
                last,
            });
        }
    }
    rows.sort_by_key(|r| (r.since, r.task));
    let locale = &context.render_options().locale;
    match format {
        ListingFormat::Json => write_json(out, &rows)?,
        ListingFormat::Markdown => {
            for row in &rows {
                writeln!(
                    out,
                    "- [ ] **{}** (`{}`) — overdue ×{} since {}",
                    escape_markdown(&safe(row.title)),
                    row.task,
                    row.count,
                    row.since
                )?;
            }
        }
        ListingFormat::Table | ListingFormat::Text | ListingFormat::Csv if rows.is_empty() => {
            writeln!(out, "nothing overdue")?;
        }
        ListingFormat::Table | ListingFormat::Text | ListingFormat::Csv => {
            let header = [
                "column_task",
                "column_title",
                "column_team",
                "column_status",
            ]
            .map(|k| locale.text(k));
            let mut table = new_table(&context.render_options(), &header);
            for row in &rows {
                let label = if row.count == 1 {
                    format!("overdue since {}", row.since)
                } else {
                    format!("overdue ×{} since {}", row.count, row.since)
                };
                table.add_row(vec![
                    safe_cell(row.task),
                    safe_cell(row.title),
                    safe_cell(&row.teams.join(", ")),
                    Cell::new(label),
                ]);
            }
            writeln!(out, "{table}")?;
        }
    }
    Ok(ExitCode::from(if args.exit_code && !rows.is_empty() {
        EXIT_OVERDUE
    } else {
        EXIT_OK
    }))
}
