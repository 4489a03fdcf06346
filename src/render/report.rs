//! The completion report of `socctl report` in every format but e-mail: a table, plain
//! text, Markdown, JSON, CSV and a standalone HTML page.

use std::io::{self, Write};

use comfy_table::{Attribute, Cell, CellAlignment, ColumnConstraint, Width};
use jiff::civil::Date;
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use super::text::write_wrapped;
use super::{
    Format, RenderOptions, TEXT_WIDTH, escape_html, escape_markdown, neutralize_formula, new_table,
    wrap, write_json,
};
use crate::catalog::Catalog;
use crate::i18n::Locale;
use crate::track::completion::{Report, Tally, round_rate};

/// Writes a report in `format`; every format but e-mail has one.
pub fn render_report(
    out: &mut dyn Write,
    catalog: &Catalog,
    report: &Report,
    format: Format,
    options: &RenderOptions,
) -> io::Result<()> {
    match format {
        Format::Table => table(out, catalog, report, options),
        Format::Text => text(out, catalog, report, options),
        Format::Markdown => markdown(out, catalog, report, options),
        Format::Json => json(out, catalog, report, options),
        Format::Csv => csv(out, catalog, report, options),
        Format::Html => html(out, catalog, report, options),
        Format::Email => Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "socctl report has no email format",
        )),
    }
}

/// A column of figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Due,
    OnTime,
    Late,
    Skipped,
    Missed,
    Open,
    Triggered,
    Rate,
    MedianDelay,
}

impl Column {
    fn key(self) -> &'static str {
        match self {
            Self::Due => "column_due",
            Self::OnTime => "column_on_time",
            Self::Late => "column_late",
            Self::Skipped => "column_skipped",
            Self::Missed => "column_missed",
            Self::Open => "column_open",
            Self::Triggered => "column_triggered",
            Self::Rate => "column_rate",
            Self::MedianDelay => "column_median_delay",
        }
    }

    fn cell(self, tally: &Tally, locale: &Locale) -> String {
        let count = match self {
            Self::Due => tally.due,
            Self::OnTime => tally.on_time,
            Self::Late => tally.late,
            Self::Skipped => tally.skipped,
            Self::Missed => tally.missed,
            Self::Open => tally.open,
            Self::Triggered => tally.triggered,
            Self::Rate => return rate_text(tally.completion_rate(), locale),
            Self::MedianDelay => return delay_text(tally.median_delay_days(), locale),
        };
        count.to_string()
    }
}

/// The figures shown: the triggered count only when something was triggered, as a time
/// column appears only for timed tasks.
fn columns(report: &Report) -> Vec<Column> {
    use Column::{Due, Late, MedianDelay, Missed, OnTime, Open, Rate, Skipped, Triggered};
    let mut columns = vec![Due, OnTime, Late, Skipped, Missed, Open];
    if report.total.triggered > 0 {
        columns.push(Triggered);
    }
    columns.extend([Rate, MedianDelay]);
    columns
}

/// What stands for "no value" in a cell.
const NONE: &str = "—";

/// A rate as whole percent; never 100 % unless all was done, never 0 % if anything was.
fn rate_text(rate: Option<f64>, locale: &Locale) -> String {
    let Some(rate) = rate else {
        return NONE.to_owned();
    };
    let rounded = (rate * 100.0).round() as u32;
    let shown = if rounded == 100 && rate < 1.0 {
        99
    } else if rounded == 0 && rate > 0.0 {
        1
    } else {
        rounded
    };
    locale.format("percent", &[("value", &shown.to_string())])
}

/// A median in days: a whole number, or one decimal (medians of even counts end in .5).
fn delay_text(days: Option<f64>, locale: &Locale) -> String {
    let Some(days) = days else {
        return NONE.to_owned();
    };
    if days.fract() == 0.0 {
        format!("{days:.0}")
    } else {
        format!("{days:.1}").replace('.', locale.text("decimal_point"))
    }
}

fn heading(catalog: &Catalog, report: &Report, locale: &Locale) -> String {
    locale.format(
        "report_heading",
        &[
            ("from", &report.from.to_string()),
            ("to", &report.to.to_string()),
            ("zone", &catalog.time_zone_name),
        ],
    )
}

/// "Tracking since …", or that there is no journal.
fn tracking(report: &Report, locale: &Locale) -> String {
    match report.tracking_start {
        Some(start) => locale.format("report_tracking_since", &[("date", &start.to_string())]),
        None => locale.text("report_no_journal").to_owned(),
    }
}

/// Header words longer than this (Japanese headers have no spaces) may break in a table.
const MAX_UNBROKEN_WORD: usize = 12;

/// The display width of the widest space-separated word of `text`.
fn longest_word(text: &str) -> usize {
    text.split_whitespace()
        .map(UnicodeWidthStr::width)
        .max()
        .unwrap_or(0)
}

/// The summary of all teams is shown only when there is more than one team to sum up.
fn has_summary(report: &Report) -> bool {
    report.teams.len() > 1
}

fn table(
    out: &mut dyn Write,
    catalog: &Catalog,
    report: &Report,
    options: &RenderOptions,
) -> io::Result<()> {
    let locale = &options.locale;
    let language = options.language();
    let columns = columns(report);
    // `unbroken`: the first column keeps its content's width. Task ids are copied from
    // there, so they are never broken; team names may wrap between words.
    let build = |first: &str, rows: Vec<(String, &Tally)>, total: &Tally, unbroken: bool| {
        let mut header = vec![first];
        header.extend(columns.iter().map(|c| locale.text(c.key())));
        let figures = |tally: &Tally| -> Vec<String> {
            columns.iter().map(|c| c.cell(tally, locale)).collect()
        };
        let mut body: Vec<(String, Vec<String>)> = rows
            .into_iter()
            .map(|(label, tally)| (label, figures(tally)))
            .collect();
        body.push((locale.text("report_total").to_owned(), figures(total)));
        let mut table = new_table(options, &header);
        let last = body.len() - 1;
        for (index, (label, cells)) in body.iter().enumerate() {
            let mut row = vec![crate::render::safe_cell(label)];
            row.extend(cells.iter().map(Cell::new));
            if index == last && options.color {
                row = row
                    .into_iter()
                    .map(|cell| cell.add_attribute(Attribute::Bold))
                    .collect();
            }
            table.add_row(row);
        }
        for index in 1..=columns.len() {
            if let Some(column) = table.column_mut(index) {
                column.set_cell_alignment(CellAlignment::Right);
            }
        }
        // Left alone, the layout breaks figures ("19 %") and words ("Completion") while
        // another column has room to spare. Figures are never broken, and team names and
        // header words are kept whole as far as the width allows. Widths count two spaces
        // of padding, and a table has one border more than columns.
        let labels = || std::iter::once(first).chain(body.iter().map(|(label, _)| label.as_str()));
        // The first column's least width: a task id whole, a team name's longest word.
        let label_least = labels()
            .map(|label| {
                if unbroken {
                    label.width()
                } else {
                    longest_word(label)
                }
            })
            .max()
            .unwrap_or(0)
            + 2;
        let label_full = labels().map(UnicodeWidthStr::width).max().unwrap_or(0) + 2;
        let figure_widths: Vec<usize> = (0..columns.len())
            .map(|index| {
                body.iter()
                    .map(|(_, cells)| cells[index].width())
                    .max()
                    .unwrap_or(0)
                    + 2
            })
            .collect();
        let word_widths: Vec<usize> = header[1..]
            .iter()
            .zip(&figure_widths)
            .map(|(text, &figures)| (longest_word(text).min(MAX_UNBROKEN_WORD) + 2).max(figures))
            .collect();
        // What the width leaves the first column when the others take `widths`.
        let room = |widths: &[usize]| {
            let taken = widths.iter().sum::<usize>() + header.len() + 1;
            options
                .width
                .map(|width| usize::from(width).saturating_sub(taken))
        };
        // First choice: nothing broken, labels as wide as the rest allows; then labels and
        // figures whole; at least figures whole.
        let (minimums, label_minimum) = match room(&word_widths) {
            Some(room) if room >= label_least => (word_widths, Some(label_full.min(room))),
            _ => match room(&figure_widths) {
                Some(room) if room >= label_least => (figure_widths, Some(label_least)),
                _ => (figure_widths, None),
            },
        };
        for (index, minimum) in minimums.into_iter().enumerate() {
            if let Some(column) = table.column_mut(index + 1) {
                let minimum = Width::Fixed(minimum as u16);
                column.set_constraint(ColumnConstraint::LowerBoundary(minimum));
            }
        }
        if let Some(column) = table.column_mut(0) {
            if unbroken {
                column.set_constraint(ColumnConstraint::ContentWidth);
            } else if let Some(minimum) = label_minimum {
                let minimum = Width::Fixed(minimum as u16);
                column.set_constraint(ColumnConstraint::LowerBoundary(minimum));
            }
        }
        table
    };
    let title = |out: &mut dyn Write, text: &str| {
        if options.color {
            writeln!(out, "\n\x1b[1;36m{text}\x1b[0m")
        } else {
            writeln!(out, "\n{text}")
        }
    };
    writeln!(out, "{}", heading(catalog, report, locale))?;
    writeln!(out, "{}", tracking(report, locale))?;
    for team in &report.teams {
        title(
            out,
            &crate::render::safe(catalog.teams[team.team].name_in(language)),
        )?;
        if team.tasks.is_empty() {
            writeln!(out, "  {}", locale.text("report_no_tasks"))?;
            continue;
        }
        let rows = team
            .tasks
            .iter()
            .map(|t| (catalog.tasks[t.task].id.clone(), &t.tally))
            .collect();
        writeln!(
            out,
            "{}",
            build(locale.text("column_task"), rows, &team.tally, true)
        )?;
    }
    if has_summary(report) {
        title(out, locale.text("report_all_teams"))?;
        let rows = report
            .teams
            .iter()
            .map(|t| {
                (
                    crate::render::safe(catalog.teams[t.team].name_in(language)).into_owned(),
                    &t.tally,
                )
            })
            .collect();
        writeln!(
            out,
            "{}",
            build(locale.text("column_team"), rows, &report.total, false)
        )?;
    }
    Ok(())
}

/// Writes `items` joined by " · ", wrapped within the text width after `indent`; an item
/// wraps inside only when it alone is too wide for a line.
fn write_items(out: &mut dyn Write, indent: &str, items: &[String]) -> io::Result<()> {
    let width = TEXT_WIDTH - indent.width();
    let mut line = String::new();
    for item in items {
        let separator = if line.is_empty() { "" } else { " · " };
        if line.width() + separator.width() + item.width() <= width {
            line.push_str(separator);
            line.push_str(item);
            continue;
        }
        if !line.is_empty() {
            writeln!(out, "{indent}{line}")?;
            line.clear();
        }
        if item.width() <= width {
            line.push_str(item);
        } else {
            let mut pieces = wrap(item, width);
            line = pieces.pop().unwrap_or_default();
            for piece in pieces {
                writeln!(out, "{indent}{piece}")?;
            }
        }
    }
    if !line.is_empty() {
        writeln!(out, "{indent}{line}")?;
    }
    Ok(())
}

fn text(
    out: &mut dyn Write,
    catalog: &Catalog,
    report: &Report,
    options: &RenderOptions,
) -> io::Result<()> {
    let locale = &options.locale;
    let language = options.language();
    let columns = columns(report);
    let figures = |tally: &Tally| -> Vec<String> {
        columns
            .iter()
            .map(|c| format!("{}: {}", locale.text(c.key()), c.cell(tally, locale)))
            .collect()
    };
    write_wrapped(out, "", "", &heading(catalog, report, locale))?;
    write_wrapped(out, "", "", &tracking(report, locale))?;
    for team in &report.teams {
        writeln!(out)?;
        write_wrapped(out, "", "", catalog.teams[team.team].name_in(language))?;
        if team.tasks.is_empty() {
            write_wrapped(out, "  ", "  ", locale.text("report_no_tasks"))?;
            continue;
        }
        write_items(out, "  ", &figures(&team.tally))?;
        for task in &team.tasks {
            let entry = &catalog.tasks[task.task];
            writeln!(out)?;
            write_wrapped(
                out,
                "  ",
                "  ",
                &format!("{} — {}", entry.id, entry.title_in(language)),
            )?;
            write_items(out, "    ", &figures(&task.tally))?;
        }
    }
    if has_summary(report) {
        writeln!(out)?;
        write_wrapped(out, "", "", locale.text("report_all_teams"))?;
        write_items(out, "  ", &figures(&report.total))?;
    }
    Ok(())
}

fn markdown(
    out: &mut dyn Write,
    catalog: &Catalog,
    report: &Report,
    options: &RenderOptions,
) -> io::Result<()> {
    let locale = &options.locale;
    let language = options.language();
    let columns = columns(report);
    let header = |out: &mut dyn Write, first: &[&str]| -> io::Result<()> {
        let mut names: Vec<String> = first
            .iter()
            .map(|key| escape_markdown(locale.text(key)))
            .collect();
        names.extend(
            columns
                .iter()
                .map(|c| escape_markdown(locale.text(c.key()))),
        );
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
                let cell = escape_markdown(&c.cell(tally, locale));
                if bold { format!("**{cell}**") } else { cell }
            })
            .collect::<Vec<_>>()
            .join(" | ")
    };
    writeln!(
        out,
        "# {}",
        escape_markdown(&heading(catalog, report, locale))
    )?;
    writeln!(out, "\n{}", escape_markdown(&tracking(report, locale)))?;
    let total = format!("**{}**", escape_markdown(locale.text("report_total")));
    for team in &report.teams {
        writeln!(
            out,
            "\n## {}\n",
            escape_markdown(catalog.teams[team.team].name_in(language))
        )?;
        if team.tasks.is_empty() {
            writeln!(out, "{}", escape_markdown(locale.text("report_no_tasks")))?;
            continue;
        }
        header(out, &["column_task", "column_title"])?;
        for task in &team.tasks {
            let entry = &catalog.tasks[task.task];
            writeln!(
                out,
                "| `{}` | {} | {} |",
                entry.id,
                escape_markdown(entry.title_in(language)),
                figures(&task.tally, false)
            )?;
        }
        writeln!(out, "| {total} |  | {} |", figures(&team.tally, true))?;
    }
    if has_summary(report) {
        writeln!(
            out,
            "\n## {}\n",
            escape_markdown(locale.text("report_all_teams"))
        )?;
        header(out, &["column_team"])?;
        for team in &report.teams {
            writeln!(
                out,
                "| {} | {} |",
                escape_markdown(catalog.teams[team.team].name_in(language)),
                figures(&team.tally, false)
            )?;
        }
        writeln!(out, "| {total} | {} |", figures(&report.total, true))?;
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonReport<'a> {
    from: Date,
    to: Date,
    tracking_start: Option<Date>,
    teams: Vec<JsonTeam<'a>>,
    total: &'a Tally,
}

#[derive(Serialize)]
struct JsonTeam<'a> {
    team: &'a str,
    name: &'a str,
    #[serde(flatten)]
    tally: &'a Tally,
    tasks: Vec<JsonTask<'a>>,
}

#[derive(Serialize)]
struct JsonTask<'a> {
    task: &'a str,
    title: &'a str,
    #[serde(flatten)]
    tally: &'a Tally,
}

/// One object: `from`, `to`, `tracking_start`, `teams` (each with its counts and `tasks`)
/// and `total`; field names are English whatever the language.
fn json(
    out: &mut dyn Write,
    catalog: &Catalog,
    report: &Report,
    options: &RenderOptions,
) -> io::Result<()> {
    let language = options.language();
    let value = JsonReport {
        from: report.from,
        to: report.to,
        tracking_start: report.tracking_start,
        teams: report
            .teams
            .iter()
            .map(|team| JsonTeam {
                team: &catalog.teams[team.team].id,
                name: catalog.teams[team.team].name_in(language),
                tally: &team.tally,
                tasks: team
                    .tasks
                    .iter()
                    .map(|task| JsonTask {
                        task: &catalog.tasks[task.task].id,
                        title: catalog.tasks[task.task].title_in(language),
                        tally: &task.tally,
                    })
                    .collect(),
            })
            .collect(),
        total: &report.total,
    };
    write_json(out, &value)
}

/// The CSV header: which row it is (`task`, `team` or `total`), whose, then the figures.
const CSV_HEADER: [&str; 14] = [
    "scope",
    "team",
    "team_name",
    "task",
    "title",
    "due",
    "on_time",
    "late",
    "skipped",
    "missed",
    "open",
    "triggered",
    "completion_rate",
    "median_delay_days",
];

/// RFC 4180: a row per team and task, a row per team, a total row; rates from 0 to 1.
fn csv(
    out: &mut dyn Write,
    catalog: &Catalog,
    report: &Report,
    options: &RenderOptions,
) -> io::Result<()> {
    let language = options.language();
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(out);
    writer.write_record(CSV_HEADER)?;
    let mut row = |text: [&str; 5], tally: &Tally| {
        let mut cells: Vec<String> = text
            .iter()
            .map(|cell| neutralize_formula(cell).into_owned())
            .collect();
        cells.extend(
            [
                tally.due,
                tally.on_time,
                tally.late,
                tally.skipped,
                tally.missed,
                tally.open,
                tally.triggered,
            ]
            .map(|count| count.to_string()),
        );
        cells.push(
            tally
                .completion_rate()
                .map(|rate| round_rate(rate).to_string())
                .unwrap_or_default(),
        );
        cells.push(
            tally
                .median_delay_days()
                .map(|days| days.to_string())
                .unwrap_or_default(),
        );
        writer.write_record(&cells)
    };
    for team in &report.teams {
        let id = catalog.teams[team.team].id.as_str();
        let name = catalog.teams[team.team].name_in(language);
        for task in &team.tasks {
            let entry = &catalog.tasks[task.task];
            row(
                ["task", id, name, &entry.id, entry.title_in(language)],
                &task.tally,
            )?;
        }
        row(["team", id, name, "", ""], &team.tally)?;
    }
    row(["total", "", "", "", ""], &report.total)?;
    writer.flush()
}

/// The style sheet, inline so the page stands alone.
const STYLE: &str = "
@page { size: A4 landscape; margin: 15mm; }
:root { color: #000; background: #fff; font: 10pt/1.35 sans-serif; }
body { margin: 0 auto; max-width: 70rem; padding: 0 1rem; }
h1 { font-size: 15pt; margin: 0.5rem 0 0.25rem; }
h2 { font-size: 13pt; margin: 0 0 2mm; }
header p { margin: 0 0 1rem; color: #333; }
section { margin: 0 0 1.5rem; break-inside: avoid; }
table { width: 100%; border-collapse: collapse; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { text-align: start; vertical-align: top; padding: 1mm 1.5mm; }
thead th { border-bottom: 0.5mm solid #000; font-size: 9pt; }
td { border-bottom: 0.2mm solid #999; }
tfoot th, tfoot td { border-top: 0.4mm solid #000; font-weight: bold; }
.num { text-align: end; font-variant-numeric: tabular-nums; white-space: nowrap; }
.task { font-family: monospace; font-size: 8.5pt; overflow-wrap: anywhere; }
footer { margin-top: 1rem; font-size: 8pt; color: #333; }
";

fn html(
    out: &mut dyn Write,
    catalog: &Catalog,
    report: &Report,
    options: &RenderOptions,
) -> io::Result<()> {
    let locale = &options.locale;
    let language = options.language();
    let columns = columns(report);
    let heading = escape_html(&heading(catalog, report, locale)).into_owned();
    let header = |out: &mut dyn Write, first: &[&str]| -> io::Result<()> {
        write!(out, "<thead><tr>")?;
        for key in first {
            write!(
                out,
                "<th scope=\"col\">{}</th>",
                escape_html(locale.text(key))
            )?;
        }
        for column in &columns {
            write!(
                out,
                "<th scope=\"col\" class=\"num\">{}</th>",
                escape_html(locale.text(column.key()))
            )?;
        }
        writeln!(out, "</tr></thead>")
    };
    let figures = |out: &mut dyn Write, tally: &Tally| -> io::Result<()> {
        for column in &columns {
            write!(
                out,
                "<td class=\"num\">{}</td>",
                escape_html(&column.cell(tally, locale))
            )?;
        }
        writeln!(out, "</tr>")
    };
    let total = escape_html(locale.text("report_total"));
    super::html::write_head(out, locale, &heading, &[STYLE])?;
    writeln!(out, "<body>")?;
    writeln!(
        out,
        "<header><h1>{heading}</h1><p>{}</p></header>",
        escape_html(&tracking(report, locale))
    )?;
    writeln!(out, "<main>")?;
    for team in &report.teams {
        writeln!(out, "<section class=\"team\">")?;
        writeln!(
            out,
            "<h2>{}</h2>",
            escape_html(catalog.teams[team.team].name_in(language))
        )?;
        if team.tasks.is_empty() {
            writeln!(
                out,
                "<p>{}</p>",
                escape_html(locale.text("report_no_tasks"))
            )?;
            writeln!(out, "</section>")?;
            continue;
        }
        writeln!(out, "<table>")?;
        header(out, &["column_task", "column_title"])?;
        writeln!(out, "<tbody>")?;
        for task in &team.tasks {
            let entry = &catalog.tasks[task.task];
            write!(
                out,
                "<tr><td class=\"task\">{}</td><td>{}</td>",
                escape_html(&entry.id),
                escape_html(entry.title_in(language))
            )?;
            figures(out, &task.tally)?;
        }
        writeln!(out, "</tbody>")?;
        write!(
            out,
            "<tfoot><tr><th scope=\"row\" colspan=\"2\">{total}</th>"
        )?;
        figures(out, &team.tally)?;
        writeln!(out, "</tfoot>")?;
        writeln!(out, "</table>")?;
        writeln!(out, "</section>")?;
    }
    if has_summary(report) {
        writeln!(out, "<section class=\"summary\">")?;
        writeln!(
            out,
            "<h2>{}</h2>",
            escape_html(locale.text("report_all_teams"))
        )?;
        writeln!(out, "<table>")?;
        header(out, &["column_team"])?;
        writeln!(out, "<tbody>")?;
        for team in &report.teams {
            write!(
                out,
                "<tr><th scope=\"row\">{}</th>",
                escape_html(catalog.teams[team.team].name_in(language))
            )?;
            figures(out, &team.tally)?;
        }
        writeln!(out, "</tbody>")?;
        write!(out, "<tfoot><tr><th scope=\"row\">{total}</th>")?;
        figures(out, &report.total)?;
        writeln!(out, "</tfoot>")?;
        writeln!(out, "</table>")?;
        writeln!(out, "</section>")?;
    }
    writeln!(out, "</main>")?;
    super::html::write_footer(out, catalog, locale)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{Action, Record};
    use crate::track::{Period, report};
    use jiff::civil::date;

    const TASKS: &str = r#"
version: 1
timezone: UTC
tasks:
  - id: daily-check
    title: "=HYPERLINK(\"x\") <script>alert(1)</script> | *bold*"
    cadence: daily
    team: alpha
  - id: weekly-review
    title: "Weekly review"
    cadence: weekly on monday
    team: [alpha, beta]
  - id: on-call
    title: "On-call work"
    cadence: as needed
    team: beta
"#;
    const ROLES: &str = r#"
version: 1
teams:
  - id: alpha
    name: "Alpha & <Omega>"
    translations: { ja: { name: "アルファ" } }
  - id: beta
    name: "Beta"
  - id: idle
    name: "Idle"
"#;

    fn sample(teams: &[usize], journal: bool) -> (Catalog, Report) {
        let today = date(2026, 11, 23);
        let catalog = crate::catalog::load_sources(
            "tasks.yaml".as_ref(),
            TASKS,
            "roles.yaml".as_ref(),
            ROLES,
            today,
        )
        .catalog
        .expect("a valid catalog");
        let at = "2026-11-23T08:00:00Z".parse().unwrap();
        let records = [
            Record::new(
                "daily-check",
                date(2026, 11, 2),
                Action::Done,
                date(2026, 11, 2),
                "a",
                at,
            ),
            Record::new(
                "daily-check",
                date(2026, 11, 3),
                Action::Done,
                date(2026, 11, 4),
                "a",
                at,
            ),
            Record::new(
                "weekly-review",
                date(2026, 11, 9),
                Action::Done,
                date(2026, 11, 12),
                "a",
                at,
            ),
            Record::new(
                "on-call",
                date(2026, 11, 10),
                Action::Triggered,
                date(2026, 11, 10),
                "a",
                at,
            ),
        ];
        let period = Period {
            tracking_start: journal.then_some(date(2026, 11, 2)),
            from: date(2026, 11, 2),
            to: today,
            today,
        };
        let report = report(
            &catalog,
            if journal { &records } else { &[] },
            teams,
            period,
        );
        (catalog, report)
    }

    fn render_to_string(format: Format, language: &str, teams: &[usize], journal: bool) -> String {
        let (catalog, report) = sample(teams, journal);
        let options = RenderOptions {
            locale: Locale::new(language),
            width: Some(100),
            ..RenderOptions::default()
        };
        let mut out = Vec::new();
        render_report(&mut out, &catalog, &report, format, &options).expect("rendering");
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn rates_and_delays_read_well() {
        let english = Locale::new("en");
        assert_eq!(rate_text(None, &english), "—");
        assert_eq!(rate_text(Some(5.0 / 21.0), &english), "24%");
        assert_eq!(rate_text(Some(0.999), &english), "99%");
        assert_eq!(rate_text(Some(0.001), &english), "1%");
        assert_eq!(rate_text(Some(1.0), &english), "100%");
        assert_eq!(rate_text(Some(0.0), &english), "0%");
        assert_eq!(rate_text(Some(0.5), &Locale::new("fr")), "50\u{a0}%");
        assert_eq!(delay_text(None, &english), "—");
        assert_eq!(delay_text(Some(1.0), &english), "1");
        assert_eq!(delay_text(Some(1.5), &english), "1.5");
        assert_eq!(delay_text(Some(1.5), &Locale::new("da")), "1,5");
    }

    #[test]
    fn json_has_the_documented_shape() {
        let text = render_to_string(Format::Json, "en", &[0, 1, 2], true);
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(json["from"], "2026-11-02");
        assert_eq!(json["to"], "2026-11-23");
        assert_eq!(json["tracking_start"], "2026-11-02");
        let alpha = &json["teams"][0];
        assert_eq!(alpha["team"], "alpha");
        assert_eq!(alpha["name"], "Alpha & <Omega>");
        // Alpha: daily 22 due (2 done, one a day late, 19 missed, 1 open) + weekly 4 due
        // (9th late, 2nd and 16th missed, 23rd open).
        assert_eq!(alpha["due"], 26);
        assert_eq!(alpha["on_time"], 1);
        assert_eq!(alpha["late"], 2);
        assert_eq!(alpha["missed"], 21);
        assert_eq!(alpha["open"], 2);
        assert_eq!(alpha["completion_rate"], 0.125);
        assert_eq!(alpha["median_delay_days"], 1.0);
        assert_eq!(alpha["tasks"][0]["task"], "daily-check");
        assert_eq!(alpha["tasks"][0]["due"], 22);
        assert_eq!(json["teams"][1]["triggered"], 1);
        assert_eq!(json["teams"][2]["tasks"], serde_json::json!([]));
        assert_eq!(json["teams"][2]["completion_rate"], serde_json::Value::Null);
        assert_eq!(json["total"]["due"], 27);
        // Without a journal: the same shape, nothing counted.
        let empty: serde_json::Value =
            serde_json::from_str(&render_to_string(Format::Json, "en", &[0], false)).unwrap();
        assert_eq!(empty["tracking_start"], serde_json::Value::Null);
        assert_eq!(empty["total"]["due"], 0);
        assert_eq!(
            empty["teams"][0]["tasks"][1]["median_delay_days"],
            serde_json::Value::Null
        );
    }

    #[test]
    fn csv_rows_per_task_team_and_total_with_formulas_neutralized() {
        let text = render_to_string(Format::Csv, "en", &[0, 1], true);
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(lines[0], CSV_HEADER.join(","));
        // Alpha: 2 tasks + team row; Beta: 2 tasks + team row; total; trailing empty.
        assert_eq!(lines.len(), 1 + 3 + 3 + 1 + 1, "{text}");
        assert!(
            lines[1].starts_with("task,alpha,Alpha & <Omega>,daily-check,\"'=HYPERLINK"),
            "{text}"
        );
        assert_eq!(
            lines[3],
            "team,alpha,Alpha & <Omega>,,,26,1,2,0,21,2,0,0.125,1"
        );
        assert_eq!(lines[7], "total,,,,,27,1,2,0,21,3,1,0.125,1");
    }

    #[test]
    fn html_is_standalone_and_escaped() {
        let page = render_to_string(Format::Html, "en", &[0, 1, 2], true);
        assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
        assert!(page.contains("default-src 'none'; style-src 'unsafe-inline'"));
        assert_eq!(page.matches("<script").count(), 0, "{page}");
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(page.contains("<h2>Alpha &amp; &lt;Omega&gt;</h2>"));
        assert!(page.contains("<h2>Idle</h2>\n<p>No tasks.</p>"));
        assert!(page.contains("<h2>All teams</h2>"));
        assert!(page.contains("<th scope=\"col\" class=\"num\">Triggered</th>"));
        for reference in ["http:", "https:", "src=\"", "href=", "@import", "url("] {
            assert!(!page.contains(reference), "{reference} in {page}");
        }
        assert!(page.trim_end().ends_with("</html>"));
    }

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

    #[test]
    fn text_stays_within_78_columns_in_every_language() {
        for language in ["en", "da", "fr", "ja"] {
            let page = render_to_string(Format::Text, language, &[0, 1, 2], true);
            for line in page.lines() {
                assert!(line.width() <= TEXT_WIDTH, "{language}: {line:?}");
            }
        }
        let page = render_to_string(Format::Text, "en", &[0, 1, 2], true);
        assert!(page.contains("Tracking since 2026-11-02."), "{page}");
        assert!(
            page.contains("\nAll teams\n  Due: 27 · On time: 1 · "),
            "{page}"
        );
        let empty = render_to_string(Format::Text, "en", &[0], false);
        assert!(
            empty.contains("No journal yet: nothing recorded."),
            "{empty}"
        );
    }

    #[test]
    fn tables_render_in_every_language() {
        for language in ["en", "da", "fr", "ja"] {
            let page = render_to_string(Format::Table, language, &[0, 1, 2], true);
            assert!(page.contains("daily-check"), "{page}");
        }
        let page = render_to_string(Format::Table, "en", &[0, 1], true);
        // Task ids are never broken, even in a narrow table.
        assert!(page.contains("│ weekly-review ┆"), "{page}");
        assert!(page.contains("│ Total "), "{page}");
    }
}
