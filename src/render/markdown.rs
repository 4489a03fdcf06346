//! Markdown checklists (`- [ ] …`) grouped by team and day.

use std::io::{self, Write};

use super::completion as figures;
use super::{
    Days, Grid, RenderOptions, assignee_phrase, carried_label, carried_mark, carried_of_team,
    format_time, occurrence_status, plan_heading,
};
use crate::catalog::Catalog;
use crate::plan::View;
use crate::track::Status;
use crate::track::completion::{Report, Tally};

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
    days: &Days<'_>,
    options: &RenderOptions,
) -> io::Result<()> {
    let plan = days.plan();
    let locale = &options.locale;
    let language = options.language();
    writeln!(out, "# {}", escape(&plan_heading(catalog, plan, locale)))?;
    let mut assigner = crate::people::Assigner::new(catalog, &options.cover);
    for &team in &plan.teams {
        writeln!(
            out,
            "\n## {}\n",
            escape(&super::team_heading(catalog, plan, team, language))
        )?;
        for item in carried_of_team(catalog, plan, team) {
            let task = &catalog.tasks[item.task];
            writeln!(
                out,
                "- [ ] {} **{}** (`{}`) — {}",
                carried_mark(item).1,
                escape(task.title_in(language)),
                task.id,
                escape(&carried_label(locale, item))
            )?;
        }
        let mut first_day = true;
        days.of_team(team, |date, occurrences| {
            if plan.view != View::Day {
                if !first_day {
                    writeln!(out)?;
                }
                writeln!(out, "### {}\n", escape(&locale.long_date(date)))?;
            }
            first_day = false;
            for &occurrence in occurrences {
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
                let who = assignee_phrase(locale, assigner.of(occurrence, team))
                    .map(|who| format!(" — {}", escape(&who)))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "- {} {time}**{}** (`{}`) — {}{status}{who}",
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
            Ok(())
        })?;
        // Nothing is written between the carried-over work and the days.
        if first_day {
            writeln!(out, "{}", escape(locale.text("nothing_due")))?;
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

pub(super) fn report(
    out: &mut dyn Write,
    catalog: &Catalog,
    report: &Report,
    options: &RenderOptions,
) -> io::Result<()> {
    let locale = &options.locale;
    let language = options.language();
    let columns = figures::columns(report);
    let header = |out: &mut dyn Write, first: &[&str]| -> io::Result<()> {
        let mut names: Vec<String> = first.iter().map(|key| escape(locale.text(key))).collect();
        names.extend(columns.iter().map(|c| escape(locale.text(c.key()))));
        writeln!(out, "| {} |", names.join(" | "))?;
        let rule: Vec<&str> = first
            .iter()
            .map(|_| "---")
            .chain(columns.iter().map(|_| "--:"))
            .collect();
        writeln!(out, "|{}|", rule.join("|"))
    };
    let figures = |tally: &Tally, bold: bool| -> String {
        columns
            .iter()
            .map(|c| {
                let cell = escape(&c.cell(tally, locale));
                if bold { format!("**{cell}**") } else { cell }
            })
            .collect::<Vec<_>>()
            .join(" | ")
    };
    writeln!(
        out,
        "# {}",
        escape(&figures::heading(catalog, report, locale))
    )?;
    writeln!(out, "\n{}", escape(&figures::tracking(report, locale)))?;
    let total = format!("**{}**", escape(locale.text("report_total")));
    for team in &report.teams {
        writeln!(
            out,
            "\n## {}\n",
            escape(catalog.teams[team.team].name_in(language))
        )?;
        if team.tasks.is_empty() {
            writeln!(out, "{}", escape(locale.text("report_no_tasks")))?;
            continue;
        }
        header(out, &["column_task", "column_title"])?;
        for task in &team.tasks {
            let entry = &catalog.tasks[task.task];
            writeln!(
                out,
                "| `{}` | {} | {} |",
                entry.id,
                escape(entry.title_in(language)),
                figures(&task.tally, false)
            )?;
        }
        writeln!(out, "| {total} |  | {} |", figures(&team.tally, true))?;
    }
    if figures::has_summary(report) {
        writeln!(out, "\n## {}\n", escape(locale.text("report_all_teams")))?;
        header(out, &["column_team"])?;
        for team in &report.teams {
            writeln!(
                out,
                "| {} | {} |",
                escape(catalog.teams[team.team].name_in(language)),
                figures(&team.tally, false)
            )?;
        }
        writeln!(out, "| {total} | {} |", figures(&report.total, true))?;
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

#[cfg(test)]
mod report_tests {
    use crate::render::Format;
    use crate::render::completion::sample::render_to_string;

    #[test]
    fn markdown_tables_escape_catalog_text() {
        let page = render_to_string(Format::Markdown, "en", &[0], true);
        assert!(page.starts_with("# Completion report from 2026-11-02 to 2026-11-23 (UTC)\n"));
        assert!(page.contains("\n## Alpha \\& \\<Omega\\>\n"), "{page}");
        assert!(page.contains("| Task | Title | Due | On time | Late | Skipped | Missed | Open | Completion | Median delay (days) |"));
        assert!(
            page.contains("\\<script\\>alert(1)\\</script\\> \\| \\*bold\\*"),
            "{page}"
        );
        assert!(page.contains("| **Total** |  | **26** |"), "{page}");
        // One team: no summary of all teams.
        assert!(!page.contains("All teams"));
        // Every table row has the same number of cells as its header.
        for line in page.lines().filter(|l| l.starts_with("| ")) {
            assert_eq!(line.matches(" | ").count(), 9, "{line}");
        }
    }
}
