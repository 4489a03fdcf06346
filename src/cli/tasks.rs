//! `socctl tasks` and `socctl show`: the catalog, and one task in full.

use std::io::Write;

use comfy_table::Cell;
use serde::Serialize;

use super::next::find_tasks;
use super::{Context, ListingFormat};
use crate::catalog::{Catalog, Task, TaskText};
use crate::render::{escape_markdown, new_table, safe, safe_cell, write_json};

/// Arguments of `socctl tasks`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Only tasks of this team (id, name or alias, case-insensitive)
    #[arg(long, short, env = "SOCCTL_TEAM")]
    pub team: Option<String>,
}

/// Arguments of `socctl show`.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The task id
    pub task: String,
}

/// A task as `tasks` and `show` print it.
#[derive(Serialize)]
struct TaskRecord<'a> {
    id: &'a str,
    title: &'a str,
    description: &'a str,
    cadence: String,
    cadence_as_written: &'a str,
    as_needed: bool,
    scheduled: bool,
    teams: Vec<&'a str>,
    team_as_written: &'a [String],
    start: Option<String>,
    shift: String,
    tags: &'a [String],
    estimate: Option<&'a str>,
    references: &'a [String],
    translations: &'a std::collections::BTreeMap<String, TaskText>,
}

impl<'a> TaskRecord<'a> {
    fn new(catalog: &'a Catalog, task: &'a Task, language: &str) -> Self {
        Self {
            id: &task.id,
            title: task.title_in(language),
            description: task.description_in(language),
            cadence: task.cadence.to_string(),
            cadence_as_written: &task.cadence_text,
            as_needed: task.cadence.as_needed,
            scheduled: task.cadence.rule.is_some(),
            teams: task
                .teams
                .iter()
                .map(|&t| catalog.teams[t].id.as_str())
                .collect(),
            team_as_written: &task.team_text,
            start: task.start.map(|d| d.to_string()),
            shift: task.shift.to_string(),
            tags: &task.tags,
            estimate: task.estimate.as_deref(),
            references: &task.references,
            translations: &task.translations,
        }
    }
}

/// Runs `socctl tasks`.
pub fn run_list(context: &Context, args: &ListArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let catalog = context.catalog()?;
    let teams = context.teams(&catalog, args.team.as_deref())?;
    let language = context.language();
    let records: Vec<TaskRecord<'_>> = catalog
        .tasks
        .iter()
        .filter(|task| task.teams.iter().any(|t| teams.contains(t)))
        .map(|task| TaskRecord::new(&catalog, task, language))
        .collect();
    match context.listing_format("tasks")? {
        ListingFormat::Json => write_json(out, &records)?,
        ListingFormat::Markdown => {
            writeln!(out, "| Task | Title | Teams | Cadence |\n|---|---|---|---|")?;
            for r in &records {
                writeln!(
                    out,
                    "| `{}` | {} | {} | {} |",
                    safe(r.id),
                    escape_markdown(&safe(r.title)),
                    safe(&r.teams.join(", ")),
                    escape_markdown(&safe(&r.cadence))
                )?;
            }
        }
        ListingFormat::Table | ListingFormat::Text | ListingFormat::Csv => {
            let mut table = new_table(
                &context.render_options(),
                &["Task", "Title", "Teams", "Cadence"],
            );
            for r in &records {
                table.add_row(vec![
                    safe_cell(r.id),
                    safe_cell(r.title),
                    safe_cell(&r.teams.join(", ")),
                    safe_cell(&r.cadence),
                ]);
            }
            writeln!(out, "{table}")?;
        }
    }
    Ok(())
}

/// Runs `socctl show`.
pub fn run_show(context: &Context, args: &ShowArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let catalog = context.catalog()?;
    let task = find_tasks(&catalog, std::slice::from_ref(&args.task))?[0];
    let language = context.language();
    let record = TaskRecord::new(&catalog, task, language);
    let team_names: Vec<&str> = task
        .teams
        .iter()
        .map(|&t| catalog.teams[t].name_in(language))
        .collect();
    // Every value is catalog text, made safe for a terminal piece by piece, before the
    // references are put one a line.
    let joined = |items: &[String], separator: &str| {
        items
            .iter()
            .map(|item| safe(item))
            .collect::<Vec<_>>()
            .join(separator)
    };
    let rows: Vec<(&str, String)> = vec![
        ("id", safe(record.id).into_owned()),
        ("title", safe(record.title).into_owned()),
        ("description", safe(record.description).into_owned()),
        ("cadence", safe(&record.cadence).into_owned()),
        ("as written", safe(record.cadence_as_written).into_owned()),
        ("teams", safe(&team_names.join(", ")).into_owned()),
        ("team as written", joined(record.team_as_written, ", ")),
        (
            "start",
            record.start.clone().unwrap_or_else(|| "—".to_owned()),
        ),
        ("shift", record.shift.clone()),
        ("tags", joined(record.tags, ", ")),
        (
            "estimate",
            safe(record.estimate.unwrap_or("—")).into_owned(),
        ),
        ("references", joined(record.references, "\n")),
        (
            "languages",
            joined(&task.translations.keys().cloned().collect::<Vec<_>>(), ", "),
        ),
    ];
    match context.listing_format("show")? {
        ListingFormat::Json => write_json(out, &record)?,
        ListingFormat::Markdown => {
            writeln!(out, "# {}\n", escape_markdown(&safe(record.title)))?;
            for (key, value) in rows.iter().skip(2) {
                writeln!(out, "- **{key}:** {}", escape_markdown(value))?;
            }
        }
        ListingFormat::Table | ListingFormat::Text | ListingFormat::Csv => {
            let mut table = new_table(&context.render_options(), &["Field", "Value"]);
            for (key, value) in rows {
                table.add_row(vec![Cell::new(key), Cell::new(value)]);
            }
            writeln!(out, "{table}")?;
        }
    }
    Ok(())
}
