//! `socctl teams`: the teams.

use std::io::Write;

use comfy_table::Cell;
use serde::Serialize;

use super::{Context, ListingFormat};
use crate::render::{escape_markdown, new_table, safe, safe_cell, write_json};

/// Arguments of `socctl teams`.
#[derive(Debug, clap::Args)]
pub struct Args {}

#[derive(Serialize)]
struct TeamRecord<'a> {
    id: &'a str,
    name: &'a str,
    aliases: &'a [String],
    email: Option<&'a str>,
    timezone: Option<&'a str>,
    groups: Vec<&'a str>,
    tasks: Vec<&'a str>,
}

/// Runs `socctl teams`.
pub fn run(context: &Context, _args: &Args, out: &mut dyn Write) -> anyhow::Result<()> {
    let catalog = context.catalog()?;
    let language = context.language();
    let records: Vec<TeamRecord<'_>> = catalog
        .teams
        .iter()
        .enumerate()
        .map(|(index, team)| TeamRecord {
            id: &team.id,
            name: team.name_in(language),
            aliases: &team.aliases,
            email: team.email.as_deref(),
            timezone: team.timezone.as_deref(),
            groups: catalog
                .groups
                .iter()
                .filter(|g| g.members.contains(&index))
                .map(|g| g.id.as_str())
                .collect(),
            tasks: catalog
                .tasks
                .iter()
                .filter(|t| t.teams.contains(&index))
                .map(|t| t.id.as_str())
                .collect(),
        })
        .collect();
    match context.listing_format("teams")? {
        ListingFormat::Json => write_json(out, &records)?,
        ListingFormat::Markdown => {
            writeln!(out, "| Team | Name | E-mail | Tasks |\n|---|---|---|---|")?;
            for r in &records {
                writeln!(
                    out,
                    "| `{}` | {} | {} | {} |",
                    r.id,
                    escape_markdown(&safe(r.name)),
                    escape_markdown(&safe(r.email.unwrap_or(""))),
                    r.tasks.len()
                )?;
            }
        }
        ListingFormat::Table => {
            let mut table = new_table(
                &context.render_options(),
                &["Team", "Name", "Aliases", "E-mail", "Tasks"],
            );
            for r in &records {
                table.add_row(vec![
                    safe_cell(r.id),
                    safe_cell(r.name),
                    safe_cell(&r.aliases.join(", ")),
                    safe_cell(r.email.unwrap_or("")),
                    Cell::new(r.tasks.len()),
                ]);
            }
            writeln!(out, "{table}")?;
        }
    }
    Ok(())
}
