//! `socctl check`: validate both catalog files and report every problem at once.

use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;

use super::{Context, EXIT_FAILURE, EXIT_OK, ListingFormat, UsageError};
use crate::catalog::{Catalog, Diagnostic, Severity, load};
use crate::config;
use crate::render::write_json;

/// Arguments of `socctl check`.
#[derive(Debug, clap::Args)]
pub struct Args {}

#[derive(Serialize)]
struct Problem<'a> {
    severity: &'static str,
    file: String,
    line: u64,
    column: u64,
    message: &'a str,
    hint: Option<&'a str>,
}

/// Warnings about journal records whose task is no longer in the catalog: renamed or removed
/// tasks keep their history, but their records no longer count anywhere.
fn journal_warnings(
    context: &Context,
    catalog: &Catalog,
    tasks_path: &std::path::Path,
) -> anyhow::Result<Vec<Diagnostic>> {
    let Some(store) = context.journal_for_reading()? else {
        return Ok(Vec::new());
    };
    let journal = context.journal_location()?;
    Ok(store
        .task_counts()?
        .into_iter()
        .filter(|(task, _)| catalog.task(task).is_none())
        .map(|(task, count)| Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::file_error(
                tasks_path,
                format!(
                    "the journal {} has {count} record{} for task `{task}`, which is not in the catalog",
                    journal,
                    if count == 1 { "" } else { "s" }
                ),
            )
        }
        .with_hint(format!(
            "if it was renamed, its history stays under the old id (`socctl history --task {task}`); nothing was deleted"
        )))
        .collect())
}

/// Runs `socctl check`: exit 0 only when both files are clean.
pub fn run(context: &Context, _args: &Args, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let paths = context.catalog_paths()?;
    let today = config::today(&jiff::tz::TimeZone::UTC).map_err(UsageError)?;
    let mut loaded = load(&paths.tasks, &paths.roles, today);
    if let Some(catalog) = &loaded.catalog {
        loaded
            .diagnostics
            .0
            .extend(journal_warnings(context, catalog, &paths.tasks)?);
    }
    let diagnostics = &loaded.diagnostics;
    match context.listing_format("check")? {
        ListingFormat::Json => {
            let problems: Vec<Problem<'_>> = diagnostics
                .0
                .iter()
                .map(|d| Problem {
                    severity: if d.severity == Severity::Error {
                        "error"
                    } else {
                        "warning"
                    },
                    file: d.file.display().to_string(),
                    line: d.line,
                    column: d.column,
                    message: &d.message,
                    hint: d.hint.as_deref(),
                })
                .collect();
            write_json(out, &problems)?;
        }
        ListingFormat::Table
        | ListingFormat::Text
        | ListingFormat::Csv
        | ListingFormat::Markdown => match &loaded.catalog {
            Some(catalog) if !diagnostics.has_errors() => writeln!(
                out,
                "{}, {}: ok ({} tasks, {} teams)",
                paths.tasks.display(),
                paths.roles.display(),
                catalog.tasks.len(),
                catalog.teams.len()
            )
            .and_then(|()| diagnostics.0.iter().try_for_each(|d| writeln!(out, "{d}")))?,
            _ => writeln!(out, "{diagnostics}")?,
        },
    }
    Ok(ExitCode::from(if diagnostics.has_errors() {
        EXIT_FAILURE
    } else {
        EXIT_OK
    }))
}
