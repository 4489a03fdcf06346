//! Terminal tables (comfy-table), sized to the terminal, coloured only when allowed.

use std::io::{self, Write};

use comfy_table::{Attribute, Cell, ContentArrangement, Table, presets};

use super::{
    RenderOptions, carried_label, carried_of_team, format_time, occurrence_status,
    occurrences_of_team, plan_heading,
};
use crate::catalog::Catalog;
use crate::plan::{Plan, View};

/// A table with socctl's style, width and colour settings.
pub fn new_table(options: &RenderOptions, header: &[&str]) -> Table {
    let mut table = Table::new();
    table.load_style(presets::UTF8_FULL_CONDENSED);
    table.set_content_arrangement(ContentArrangement::Dynamic);
    if let Some(width) = options.width {
        table.set_width(width);
    }
    if options.color {
        table.enforce_styling();
        table.set_header(
            header
                .iter()
                .map(|h| Cell::new(h).add_attribute(Attribute::Bold)),
        );
    } else {
        table.force_no_tty();
        table.set_header(header.iter().copied());
    }
    table
}

pub(super) fn plan(
    out: &mut (impl Write + ?Sized),
    catalog: &Catalog,
    plan: &Plan,
    options: &RenderOptions,
) -> io::Result<()> {
    let locale = &options.locale;
    let language = options.language();
    writeln!(out, "{}", plan_heading(catalog, plan, locale))?;
    let day_column = plan.view != View::Day;
    for &team in &plan.teams {
        let name = catalog.teams[team].name_in(language);
        if options.color {
            writeln!(out, "\n\x1b[1;36m{name}\x1b[0m")?;
        } else {
            writeln!(out, "\n{name}")?;
        }
        let occurrences: Vec<_> = occurrences_of_team(catalog, plan, team).collect();
        let carried: Vec<_> = carried_of_team(catalog, plan, team).collect();
        if occurrences.is_empty() && carried.is_empty() {
            writeln!(out, "  {}", locale.text("nothing_due"))?;
            continue;
        }
        let mut header = Vec::new();
        if day_column {
            header.push(locale.text("column_date"));
        }
        header.extend(
            [
                "column_time",
                "column_task",
                "column_title",
                "column_cadence",
            ]
            .map(|key| locale.text(key)),
        );
        if plan.tracked {
            header.push(locale.text("column_status"));
        }
        let mut table = new_table(options, &header);
        for item in carried {
            let task = &catalog.tasks[item.task];
            let mut row = Vec::new();
            if day_column {
                row.push(Cell::new(locale.short_date(item.last)));
            }
            row.push(Cell::new(""));
            row.push(Cell::new(&task.id));
            row.push(Cell::new(task.title_in(language)));
            row.push(Cell::new(task.cadence_in(language)));
            let label = Cell::new(carried_label(locale, item));
            row.push(if options.color {
                label.fg(comfy_table::Color::Red)
            } else {
                label
            });
            table.add_row(row);
        }
        for occurrence in occurrences {
            let task = &catalog.tasks[occurrence.task];
            let mut row = Vec::new();
            if day_column {
                row.push(Cell::new(locale.short_date(occurrence.date)));
            }
            row.push(Cell::new(
                occurrence.time.map(format_time).unwrap_or_default(),
            ));
            row.push(Cell::new(&task.id));
            row.push(Cell::new(task.title_in(language)));
            row.push(Cell::new(task.cadence_in(language)));
            if plan.tracked {
                row.push(Cell::new(occurrence_status(locale, occurrence)));
            }
            table.add_row(row);
        }
        writeln!(out, "{table}")?;
    }
    Ok(())
}
