//! Markdown checklists (`- [ ] …`) grouped by team and day.

use std::io::{self, Write};

use super::{
    Grid, RenderOptions, carried_label, carried_of_team, days_of_team, format_time,
    occurrence_status, plan_heading,
};
use crate::catalog::Catalog;
use crate::plan::{Plan, View};
use crate::track::Status;

/// Escapes catalog text for CommonMark (and GitHub tables): every character that could open
/// emphasis, code, a link, an image, raw HTML, an entity, a table cell, strikethrough or a
/// closing heading sequence is backslash-escaped, and line breaks become spaces so an item
/// stays one line. Catalog text never starts a line (it follows `- [ ] ` or `## `), so list
/// markers need no escape.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\r' | '\n' | '\t' => escaped.push(' '),
            // ESC, BEL and the rest could drive a terminal reading the Markdown.
            c if c.is_control() => escaped.extend(c.escape_unicode()),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '!' | '|' | '~' | '&' => {
                escaped.push('\\');
                escaped.push(c);
            }
            _ => escaped.push(c),
        }
    }
    escaped
}

pub(super) fn plan(
    out: &mut (impl Write + ?Sized),
    catalog: &Catalog,
    plan: &Plan,
    options: &RenderOptions,
) -> io::Result<()> {
    let locale = &options.locale;
    let language = options.language();
    writeln!(out, "# {}", escape(&plan_heading(catalog, plan, locale)))?;
    for &team in &plan.teams {
        writeln!(
            out,
            "\n## {}\n",
            escape(catalog.teams[team].name_in(language))
        )?;
        for item in carried_of_team(catalog, plan, team) {
            let task = &catalog.tasks[item.task];
            writeln!(
                out,
                "- [ ] ⚠ **{}** (`{}`) — {}",
                escape(task.title_in(language)),
                task.id,
                escape(&carried_label(locale, item))
            )?;
        }
        let days = days_of_team(catalog, plan, team);
        if days.is_empty() {
            writeln!(out, "{}", escape(locale.text("nothing_due")))?;
        }
        for (index, (date, occurrences)) in days.iter().enumerate() {
            if plan.view != View::Day {
                if index > 0 {
                    writeln!(out)?;
                }
                writeln!(out, "### {}\n", escape(&locale.long_date(*date)))?;
            }
            for occurrence in occurrences {
                let task = &catalog.tasks[occurrence.task];
                let time = occurrence
                    .time
                    .map(|t| format!("{} ", format_time(t)))
                    .unwrap_or_default();
                let status = occurrence_status(locale, occurrence);
                let status = if status.is_empty() {
                    String::new()
                } else {
                    format!(" — {}", escape(&status))
                };
                writeln!(
                    out,
                    "- {} {time}**{}** (`{}`) — {}{status}",
                    if occurrence.status == Some(Status::Done) {
                        "[x]"
                    } else {
                        "[ ]"
                    },
                    escape(task.title_in(language)),
                    task.id,
                    escape(task.cadence_in(language))
                )?;
            }
        }
    }
    Ok(())
}

/// A listing cell for a Markdown table: escaped, list items joined by line breaks.
fn listing_cell(cell: &crate::listing::Cell) -> String {
    match cell {
        crate::listing::Cell::Text(text) => escape(text),
        crate::listing::Cell::List(items) => items
            .iter()
            .map(|item| escape(item))
            .collect::<Vec<_>>()
            .join("<br>"),
    }
}

/// A listing as a Markdown (GitHub) table.
pub(super) fn listing(out: &mut (impl Write + ?Sized), grid: &Grid) -> io::Result<()> {
    if let (true, Some(empty)) = (grid.rows.is_empty(), &grid.empty) {
        return writeln!(out, "{}", escape(empty));
    }
    let line = |cells: Vec<String>| format!("| {} |", cells.join(" | "));
    writeln!(
        out,
        "{}",
        line(grid.headers.iter().map(|h| escape(h)).collect())
    )?;
    writeln!(out, "{}", line(vec!["---".to_owned(); grid.headers.len()]))?;
    for row in &grid.rows {
        writeln!(out, "{}", line(row.iter().map(listing_cell).collect()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::listing::{Cell, Layout};

    #[test]
    fn listings_are_tables_with_escaped_cells() {
        let mut grid = Grid::sample(&["Task", "Title"], &[&["a|b", "*x* <y>"]], Layout::Records);
        grid.rows[0].push(Cell::List(vec!["one".to_owned(), "[two]".to_owned()]));
        grid.headers.push("Items".to_owned());
        let mut out = Vec::new();
        listing(&mut out, &grid).expect("rendering");
        assert_eq!(
            String::from_utf8(out).expect("UTF-8"),
            "| Task | Title | Items |\n| --- | --- | --- |\n| a\\|b | \\*x\\* \\<y\\> | one<br>\\[two\\] |\n"
        );
    }
}
