//! `socctl roles`: the roles and responsibilities matrix with each team's maintenance tasks.

use std::io::Write;

use comfy_table::Cell;
use serde::Serialize;

use super::{Context, ListingFormat};
use crate::render::{escape_markdown, new_table, safe, safe_cell, write_json};

/// Arguments of `socctl roles`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only this team (id, name or alias, case-insensitive)
    #[arg(long, short, env = "SOCCTL_TEAM")]
    pub team: Option<String>,
}

#[derive(Serialize)]
struct RoleRecord<'a> {
    team: &'a str,
    name: &'a str,
    responsibilities: &'a [String],
    defender_tasks: &'a [String],
    maintenance_tasks: Vec<MaintenanceTask<'a>>,
}

#[derive(Serialize)]
struct MaintenanceTask<'a> {
    task: &'a str,
    title: &'a str,
    cadence: String,
}

/// Runs `socctl roles`.
pub fn run(context: &Context, args: &Args, out: &mut dyn Write) -> anyhow::Result<()> {
    let catalog = context.catalog()?;
    let teams = context.teams(&catalog, args.team.as_deref())?;
    let language = context.language();
    let records: Vec<RoleRecord<'_>> = teams
        .iter()
        .map(|&index| {
            let team = &catalog.teams[index];
            RoleRecord {
                team: &team.id,
                name: team.name_in(language),
                responsibilities: &team.responsibilities,
                defender_tasks: &team.defender_tasks,
                maintenance_tasks: catalog
                    .tasks
                    .iter()
                    .filter(|t| t.teams.contains(&index))
                    .map(|t| MaintenanceTask {
                        task: &t.id,
                        title: t.title_in(language),
                        cadence: t.cadence.to_string(),
                    })
                    .collect(),
            }
        })
        .collect();
    match context.listing_format("roles")? {
        ListingFormat::Json => write_json(out, &records)?,
        ListingFormat::Markdown => {
            for r in &records {
                writeln!(out, "## {}\n", escape_markdown(&safe(r.name)))?;
                writeln!(out, "### Roles and responsibilities\n")?;
                for item in r.responsibilities {
                    writeln!(out, "- {}", escape_markdown(&safe(item)))?;
                }
                writeln!(out, "\n### Microsoft Defender XDR tasks\n")?;
                for item in r.defender_tasks {
                    writeln!(out, "- {}", escape_markdown(&safe(item)))?;
                }
                writeln!(out, "\n### Maintenance tasks\n")?;
                for task in &r.maintenance_tasks {
                    writeln!(
                        out,
                        "- {} (`{}`) — {}",
                        escape_markdown(&safe(task.title)),
                        safe(task.task),
                        escape_markdown(&safe(&task.cadence))
                    )?;
                }
                writeln!(out)?;
            }
        }
        ListingFormat::Table | ListingFormat::Text | ListingFormat::Csv => {
            let mut table = new_table(
                &context.render_options(),
                &[
                    "Team",
                    "Roles and responsibilities",
                    "Defender XDR tasks",
                    "Maintenance tasks",
                ],
            );
            for r in &records {
                let bullets = |items: &[String]| {
                    items
                        .iter()
                        .map(|i| format!("• {}", safe(i)))
                        .collect::<Vec<_>>()
                        .join("\n")
                };
                let tasks = r
                    .maintenance_tasks
                    .iter()
                    .map(|t| format!("• {} ({})", safe(t.title), safe(&t.cadence)))
                    .collect::<Vec<_>>()
                    .join("\n");
                table.add_row(vec![
                    safe_cell(r.name),
                    Cell::new(bullets(r.responsibilities)),
                    Cell::new(bullets(r.defender_tasks)),
                    Cell::new(tasks),
                ]);
            }
            writeln!(out, "{table}")?;
        }
    }
    Ok(())
}
