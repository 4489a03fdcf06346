//! Markdown checklists (`- [ ] …`) grouped by team and day.

use std::io::{self, Write};

use super::{RenderOptions, format_time, long_date, occurrences_of_team, plan_heading};
use crate::catalog::Catalog;
use crate::plan::{Plan, View};

/// Escapes catalog text for CommonMark (and GitHub tables): every character that could open
/// emphasis, code, a link, an image, raw HTML, an entity, a table cell, strikethrough or a
/// closing heading sequence is backslash-escaped, and line breaks become spaces so an item
/// stays one line. Catalog text never starts a line (it follows `- [ ] ` or `## `), so list
/// markers need no escape.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\r' | '\n' => escaped.push(' '),
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
    writeln!(out, "# {}", escape(&plan_heading(catalog, plan)))?;
    for &team in &plan.teams {
        let team_data = &catalog.teams[team];
        writeln!(
            out,
            "\n## {}\n",
            escape(team_data.name_in(&options.language))
        )?;
        let mut current_day = None;
        let mut any = false;
        for occurrence in occurrences_of_team(catalog, plan, team) {
            if plan.view != View::Day && current_day != Some(occurrence.date) {
                if current_day.is_some() {
                    writeln!(out)?;
                }
                writeln!(out, "### {}\n", long_date(occurrence.date))?;
                current_day = Some(occurrence.date);
            }
            any = true;
            let task = &catalog.tasks[occurrence.task];
            let time = occurrence
                .time
                .map(|t| format!("{} ", format_time(t)))
                .unwrap_or_default();
            writeln!(
                out,
                "- [ ] {time}**{}** (`{}`) — {}",
                escape(task.title_in(&options.language)),
                task.id,
                escape(&task.cadence.to_string())
            )?;
        }
        if !any {
            writeln!(out, "Nothing due.")?;
        }
    }
    Ok(())
}
