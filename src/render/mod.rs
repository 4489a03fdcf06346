//! Output formats. Each renderer takes finished data and writes to any `impl Write`.

mod json;
mod markdown;
mod table;

use std::io::{self, Write};

use jiff::civil::Date;
use serde::Serialize;

use crate::catalog::Catalog;
use crate::plan::{Plan, PlannedOccurrence};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table sized to the terminal (the default on a terminal).
    Table,
    /// Machine-readable JSON.
    Json,
    /// A Markdown checklist to paste or print.
    Markdown,
}

/// How to render: language and terminal capabilities.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// Language code for catalog text (`en`, `da`, `fr`, `ja`).
    pub language: String,
    /// Whether to use colour.
    pub color: bool,
    /// Terminal width, when known.
    pub width: Option<u16>,
}

impl Default for RenderOptions {
    fn default() -> Self {
        Self {
            language: "en".to_owned(),
            color: false,
            width: None,
        }
    }
}

/// The ids of a task's teams, serialized as a JSON array without collecting them first.
#[derive(Debug, Clone, Copy)]
pub struct TeamIds<'a> {
    catalog: &'a Catalog,
    teams: &'a [usize],
}

impl Serialize for TeamIds<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.teams.iter().map(|&t| &self.catalog.teams[t].id))
    }
}

/// `HH:MM`.
pub fn format_time(time: jiff::civil::Time) -> String {
    time.strftime("%H:%M").to_string()
}

/// A long date for headings: `Monday 23 November 2026`.
pub fn long_date(date: Date) -> String {
    date.strftime("%A %-d %B %Y").to_string()
}

/// The heading of a plan: what range it covers and in which time zone.
pub fn plan_heading(catalog: &Catalog, plan: &Plan) -> String {
    let zone = &catalog.time_zone_name;
    match plan.view {
        crate::plan::View::Day => format!("Due {} ({zone})", long_date(plan.from)),
        crate::plan::View::Week => {
            // The ISO week holding most of the days: the one of the week's fourth day.
            let middle = crate::calendar::add_days(plan.from, 3).unwrap_or(plan.from);
            let (year, week) = crate::calendar::iso_week(middle);
            format!(
                "Week of {} to {} (ISO week {year}-W{week:02}, {zone})",
                long_date(plan.from),
                long_date(plan.to)
            )
        }
        crate::plan::View::Range => format!("Plan from {} to {} ({zone})", plan.from, plan.to),
    }
}

/// The occurrences of a plan owned by `team`.
pub fn occurrences_of_team<'p>(
    catalog: &'p Catalog,
    plan: &'p Plan,
    team: usize,
) -> impl Iterator<Item = &'p PlannedOccurrence> {
    plan.occurrences
        .iter()
        .filter(move |o| catalog.tasks[o.task].teams.contains(&team))
}

/// Writes a plan in `format`.
pub fn render_plan(
    out: &mut (impl Write + ?Sized),
    catalog: &Catalog,
    plan: &Plan,
    format: Format,
    options: &RenderOptions,
) -> io::Result<()> {
    match format {
        Format::Table => table::plan(out, catalog, plan, options),
        Format::Json => json::plan(out, catalog, plan, options),
        Format::Markdown => markdown::plan(out, catalog, plan, options),
    }
}

pub use json::write_json;
pub use markdown::escape as escape_markdown;
pub use table::new_table;
