//! `socctl check`: validate both catalog files and report every problem at once.

use std::io::Write;

use super::{Context, Exit, ListingFormat, UsageError};
use crate::catalog::{Catalog, Diagnostic, Severity, load};
use crate::listing::check::{Checked, problem_rows};
use crate::render::{render_listing, write_diagnostics};

/// Arguments of `socctl check`.
#[derive(Debug, clap::Args)]
pub struct Args {}

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
pub fn run(context: &Context, _args: &Args, out: &mut dyn Write) -> anyhow::Result<Exit> {
    let format = context.listing_format("check")?;
    let paths = context.catalog_paths()?;
    let today = super::environment::today(&jiff::tz::TimeZone::UTC).map_err(UsageError)?;
    let mut loaded = load(&paths.tasks, &paths.roles, today);
    if let Some(catalog) = &loaded.catalog {
        loaded
            .diagnostics
            .0
            .extend(journal_warnings(context, catalog, &paths.tasks)?);
    }
    let diagnostics = &loaded.diagnostics;
    let checked = Checked {
        tasks_file: &paths.tasks,
        roles_file: &paths.roles,
        counts: loaded
            .catalog
            .as_ref()
            .filter(|_| !diagnostics.has_errors())
            .map(|catalog| (catalog.tasks.len(), catalog.teams.len())),
    };
    let rows = problem_rows(&diagnostics.0, checked);
    let options = context.render_options();
    if format == ListingFormat::Text {
        // Compilers' `file:line:column: error: message` lines, which editors and grep read.
        write_diagnostics(out, rows.empty.as_ref(), diagnostics, &options)?;
    } else {
        render_listing(out, &rows, format, &options)?;
    }
    let exit = if diagnostics.has_errors() {
        Exit::Failure
    } else {
        Exit::Success
    };
    context.hand_back(loaded);
    Ok(exit)
}
