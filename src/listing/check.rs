//! `socctl check`: the problems found in the catalog files, one row each.

use serde::Serialize;

use super::{Cell, Column, Note, Row, Rows};
use crate::catalog::{Diagnostic, Severity};
use crate::i18n::Locale;

/// A problem in a catalog file (or the journal's view of it).
#[derive(Debug, Clone, Serialize)]
pub struct ProblemRow<'a> {
    /// `error` or `warning`.
    pub severity: &'static str,
    /// The file it is in.
    pub file: String,
    /// Its line, 1-based (0 for the whole file).
    pub line: u64,
    /// Its column, 1-based.
    pub column: u64,
    /// What is wrong.
    pub message: &'a str,
    /// How to fix it.
    pub hint: Option<&'a str>,
}

impl Row for ProblemRow<'_> {
    const COLUMNS: &'static [Column] = &[
        Column::new("severity", "column_severity"),
        Column::new("file", "column_file"),
        Column::new("line", "column_line"),
        Column::new("column", "column_column"),
        Column::new("message", "column_message"),
        Column::new("hint", "column_hint"),
    ];

    fn cells(&self, locale: &Locale) -> Vec<Cell> {
        // A hint of several lines (the accepted forms of a cadence) stays one item a line.
        let hint: Vec<&str> = self.hint.map(|h| h.lines().collect()).unwrap_or_default();
        let hint = if hint.len() > 1 {
            Cell::list(&hint)
        } else {
            Cell::text(hint.concat())
        };
        vec![
            Cell::text(locale.text(match self.severity {
                "error" => "severity_error",
                _ => "severity_warning",
            })),
            Cell::text(&self.file),
            Cell::text(self.line.to_string()),
            Cell::text(self.column.to_string()),
            Cell::text(self.message),
            hint,
        ]
    }
}

/// What was checked, for the message of a clean catalog.
#[derive(Debug, Clone, Copy)]
pub struct Checked<'c> {
    /// The tasks file.
    pub tasks_file: &'c std::path::Path,
    /// The roles file.
    pub roles_file: &'c std::path::Path,
    /// How many tasks and teams it holds, when it loaded without errors.
    pub counts: Option<(usize, usize)>,
}

/// The rows of `diagnostics`, in the order found; a clean catalog says so.
pub fn problem_rows<'a>(
    diagnostics: &'a [Diagnostic],
    checked: Checked<'_>,
) -> Rows<ProblemRow<'a>> {
    let rows = Rows::new(
        diagnostics
            .iter()
            .map(|d| ProblemRow {
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
            .collect(),
    );
    match checked.counts {
        Some((tasks, teams)) => rows.or_else(
            Note::new("check_ok")
                .with("tasks_file", checked.tasks_file.display().to_string())
                .with("roles_file", checked.roles_file.display().to_string())
                .with("tasks", tasks.to_string())
                .with("teams", teams.to_string()),
        ),
        None => rows,
    }
}
