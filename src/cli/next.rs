//! `socctl next`: the next due dates of each task.

use std::io::Write;

use comfy_table::Cell;
use serde::Serialize;

use super::{Context, DateArg, ListingFormat, UsageError};
use crate::catalog::Catalog;
use crate::render::{escape_markdown, format_time, new_table, safe, safe_cell, write_json};

/// Arguments of `socctl next`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Task ids [default: every scheduled task]
    pub tasks: Vec<String>,
    /// How many dates per task
    #[arg(long, short = 'n', default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub count: u32,
    /// Start looking on this day [default: today]
    #[arg(long, short)]
    pub date: Option<DateArg>,
}

#[derive(Serialize)]
struct NextRecord<'a> {
    task: &'a str,
    date: jiff::civil::Date,
    time: Option<String>,
    cadence: String,
}

/// Looks up tasks by id, with a clear error naming the unknown ones.
pub(super) fn find_tasks<'c>(
    catalog: &'c Catalog,
    ids: &[String],
) -> anyhow::Result<Vec<&'c crate::catalog::Task>> {
    if ids.is_empty() {
        return Ok(catalog.tasks.iter().collect());
    }
    ids.iter()
        .map(|id| {
            catalog.task(id).ok_or_else(|| {
                let known: Vec<&str> = catalog.tasks.iter().map(|t| t.id.as_str()).collect();
                UsageError(format!("unknown task `{id}`; tasks: {}", known.join(", "))).into()
            })
        })
        .collect()
}

/// Runs `socctl next`.
pub fn run(context: &Context, args: &Args, out: &mut dyn Write) -> anyhow::Result<()> {
    let catalog = context.catalog()?;
    let from = context.date(&catalog, args.date.as_ref())?;
    let tasks = find_tasks(&catalog, &args.tasks)?;
    let count = args.count as usize;
    let mut records = Vec::new();
    for task in tasks {
        let Some(schedule) = task.schedule(&catalog.calendar) else {
            continue;
        };
        for occurrence in schedule.occurrences_from(from).take(count) {
            records.push(NextRecord {
                task: &task.id,
                date: occurrence.date,
                time: occurrence.time.map(format_time),
                cadence: task.cadence.to_string(),
            });
        }
    }
    match context.listing_format("next")? {
        ListingFormat::Json => write_json(out, &records)?,
        ListingFormat::Markdown => {
            let mut last = "";
            for record in &records {
                if record.task != last {
                    writeln!(
                        out,
                        "{}## {} — {}\n",
                        if last.is_empty() { "" } else { "\n" },
                        safe(record.task),
                        escape_markdown(&safe(&record.cadence))
                    )?;
                    last = record.task;
                }
                writeln!(
                    out,
                    "- {}{}",
                    record.date,
                    record
                        .time
                        .as_ref()
                        .map(|t| format!(" {t}"))
                        .unwrap_or_default()
                )?;
            }
        }
        ListingFormat::Table | ListingFormat::Text | ListingFormat::Csv => {
            let mut table = new_table(
                &context.render_options(),
                &["Task", "Date", "Day", "Time", "Cadence"],
            );
            for record in &records {
                table.add_row(vec![
                    safe_cell(record.task),
                    Cell::new(record.date),
                    Cell::new(record.date.strftime("%a")),
                    Cell::new(record.time.clone().unwrap_or_default()),
                    safe_cell(&record.cadence),
                ]);
            }
            writeln!(out, "{table}")?;
        }
    }
    Ok(())
}
