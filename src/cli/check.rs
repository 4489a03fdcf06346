//! `socctl check`: validate both catalog files and report every problem at once.

use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;

use super::{Context, EXIT_FAILURE, EXIT_OK, ListingFormat, UsageError};
use crate::catalog::{Severity, load};
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

/// Runs `socctl check`: exit 0 only when both files are clean.
pub fn run(context: &Context, _args: &Args, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let paths = context.catalog_paths()?;
    let today = config::today(&jiff::tz::TimeZone::UTC).map_err(UsageError)?;
    let loaded = load(&paths.tasks, &paths.roles, today);
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
        ListingFormat::Table | ListingFormat::Markdown => match &loaded.catalog {
            Some(catalog) if diagnostics.0.is_empty() => writeln!(
                out,
                "{}, {}: ok ({} tasks, {} teams)",
                paths.tasks.display(),
                paths.roles.display(),
                catalog.tasks.len(),
                catalog.teams.len()
            )?,
            _ => writeln!(out, "{diagnostics}")?,
        },
    }
    Ok(ExitCode::from(if diagnostics.has_errors() {
        EXIT_FAILURE
    } else {
        EXIT_OK
    }))
}
