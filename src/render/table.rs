//! Terminal tables (comfy-table), sized to the terminal, coloured only when allowed.

use std::borrow::Cow;
use std::io::{self, Write};

use comfy_table::{Attribute, Cell, ContentArrangement, Table, presets};

use super::completion as figures;
use super::{
    Grid, RenderOptions, carried_label, carried_of_team, format_time, occurrence_status,
    occurrences_of_team, plan_heading,
};
use crate::catalog::Catalog;
use crate::plan::{Plan, View};
use crate::track::completion::{Report, Tally};
use comfy_table::{CellAlignment, ColumnConstraint, Width};
use unicode_width::UnicodeWidthStr;

/// Catalog or journal text made safe to print to a terminal.
///
/// Text from `tasks.yaml`, `roles.yaml` or the journal (`--note`, `--by`, `--ref`, imported
/// records) may hold control characters: a YAML `"\e]52;c;…\a"` or a shell `$'\e[2J'`
/// would otherwise reach the terminal as an escape sequence that rewrites the clipboard,
/// clears the screen or forges output. Every character for which [`char::is_control`] holds
/// is replaced:
///
/// - line feed, carriage return and tab become a space, so a value stays on its line (and
///   cannot return to the start of one to overwrite it);
/// - every other control character (C0 such as ESC and BEL, DEL, and C1 such as U+009B CSI)
///   becomes its visible escape, `\u{1b}`, as in diagnostics
///   ([`crate::catalog::escape_controls`]), so the attempt shows instead of running.
///
/// Apply it to each piece of untrusted text *before* joining pieces with `"\n"`: the line
/// breaks socctl itself puts into multi-line cells are legitimate. Text without control
/// characters is returned as is, without allocating.
pub fn safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' | '\r' | '\t' => shown.push(' '),
            c if c.is_control() => shown.extend(c.escape_unicode()),
            c => shown.push(c),
        }
    }
    Cow::Owned(shown)
}

/// A table cell holding catalog or journal text, made [`safe`] for a terminal.
pub fn safe_cell(text: &str) -> Cell {
    Cell::new(break_long_words(safe(text)))
}

/// Words wider than this many columns are cut into pieces this wide, a space between them,
/// before a table sees them. comfy-table measures and copies the rest of a word for every
/// line it cuts from it, which takes time quadratic in the word's length (a 100 KB word:
/// over a minute). No terminal shows such a word on one line, so only its pieces' joins
/// change: one space every 256 columns.
const MAX_TABLE_WORD: usize = 256;

/// `text` with every word (a run between spaces or line breaks, as comfy-table splits)
/// wider than [`MAX_TABLE_WORD`] cut into pieces; linear in the length of `text`.
fn break_long_words(text: Cow<'_, str>) -> Cow<'_, str> {
    // No character is wider than its UTF-8 encoding is long.
    if text.len() <= MAX_TABLE_WORD {
        return text;
    }
    let mut broken: Option<String> = None;
    let mut run = 0;
    for (index, c) in text.char_indices() {
        if c == ' ' || c == '\n' {
            run = 0;
        } else {
            let width = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if run + width > MAX_TABLE_WORD {
                broken
                    .get_or_insert_with(|| {
                        let mut start = String::with_capacity(text.len() + text.len() / 128);
                        start.push_str(&text[..index]);
                        start
                    })
                    .push(' ');
                run = 0;
            }
            run += width;
        }
        if let Some(broken) = &mut broken {
            broken.push(c);
        }
    }
    broken.map_or(text, Cow::Owned)
}

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

/// The most occurrences a table lays out. comfy-table holds every row, split into lines,
/// until it has sized the columns: a century of 1,000 daily tasks would take tens of
/// gigabytes. No terminal shows this many rows usefully; the text, Markdown, CSV, JSON and
/// HTML formats write any range as it is computed.
pub const MAX_TABLE_ROWS: usize = 100_000;

/// A range too large for the table format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the table would have more than {MAX_TABLE_ROWS} rows ({from} to {to}); use -f text, csv, json, markdown or html, which are written as they are computed, or a shorter range"
)]
pub struct TableTooLarge {
    /// First day.
    pub from: jiff::civil::Date,
    /// Last day.
    pub to: jiff::civil::Date,
}

/// Refuses a range whose table would hold more than [`MAX_TABLE_ROWS`] occurrences, counted
/// a day at a time (nothing is kept), before the plan is made.
pub fn check_table_rows(
    catalog: &Catalog,
    (from, to): (jiff::civil::Date, jiff::civil::Date),
    teams: &[usize],
) -> Result<(), TableTooLarge> {
    let mut rows = 0;
    crate::plan::stream(catalog, from, to, teams, |day| {
        rows += day.len();
        if rows > MAX_TABLE_ROWS {
            Err(())
        } else {
            Ok(())
        }
    })
    .map_err(|()| TableTooLarge { from, to })
}

pub(super) fn plan(
    out: &mut (impl Write + ?Sized),
    catalog: &Catalog,
    plan: &Plan,
    options: &RenderOptions,
) -> io::Result<()> {
    let locale = &options.locale;
    let language = options.language();
    writeln!(out, "{}", safe(&plan_heading(catalog, plan, locale)))?;
    let day_column = plan.view != View::Day;
    for &team in &plan.teams {
        let name = safe(catalog.teams[team].name_in(language));
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
            row.push(safe_cell(&task.id));
            row.push(safe_cell(task.title_in(language)));
            row.push(safe_cell(task.cadence_in(language)));
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
            row.push(safe_cell(&task.id));
            row.push(safe_cell(task.title_in(language)));
            row.push(safe_cell(task.cadence_in(language)));
            if plan.tracked {
                row.push(safe_cell(&occurrence_status(locale, occurrence)));
            }
            table.add_row(row);
        }
        writeln!(out, "{table}")?;
    }
    Ok(())
}

/// A listing cell for a table: safe text, a list one bulleted item a line.
fn listing_cell(cell: &crate::listing::Cell) -> Cell {
    match cell {
        crate::listing::Cell::Text(text) => safe_cell(text),
        crate::listing::Cell::List(items) => Cell::new(
            items
                .iter()
                .map(|item| format!("• {}", break_long_words(safe(item))))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
    }
}

pub(super) fn listing(
    out: &mut (impl Write + ?Sized),
    grid: &Grid,
    options: &RenderOptions,
) -> io::Result<()> {
    if let (true, Some(empty)) = (grid.rows.is_empty(), &grid.empty) {
        return writeln!(out, "{}", safe(empty));
    }
    let headers: Vec<&str> = grid.headers.iter().map(String::as_str).collect();
    let mut table = new_table(options, &headers);
    for row in &grid.rows {
        table.add_row(row.iter().map(listing_cell));
    }
    writeln!(out, "{table}")
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

pub(super) fn report(
    out: &mut dyn Write,
    catalog: &Catalog,
    report: &Report,
    options: &RenderOptions,
) -> io::Result<()> {
    let locale = &options.locale;
    let language = options.language();
    let columns = figures::columns(report);
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
            let mut row = vec![safe_cell(label)];
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
    writeln!(out, "{}", figures::heading(catalog, report, locale))?;
    writeln!(out, "{}", figures::tracking(report, locale))?;
    for team in &report.teams {
        title(out, &safe(catalog.teams[team.team].name_in(language)))?;
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
    if figures::has_summary(report) {
        title(out, locale.text("report_all_teams"))?;
        let rows = report
            .teams
            .iter()
            .map(|t| {
                (
                    safe(catalog.teams[t.team].name_in(language)).into_owned(),
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

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::{Grid, MAX_TABLE_WORD, RenderOptions, break_long_words, listing, safe};
    use crate::listing::Layout;

    #[test]
    fn listing_tables_show_controls_as_escapes() {
        let grid = Grid::sample(&["Task"], &[&["evil\u{1b}]52;c;x\u{7}"]], Layout::Records);
        let mut out = Vec::new();
        listing(&mut out, &grid, &RenderOptions::default()).expect("rendering");
        let table = String::from_utf8(out).expect("UTF-8");
        assert!(table.contains(r"evil\u{1b}]52;c;x\u{7}"), "{table}");
        assert!(
            !table.chars().any(|c| c.is_control() && c != '\n'),
            "{table}"
        );
    }

    #[test]
    fn only_words_wider_than_any_terminal_are_cut() {
        let words = "word ".repeat(100);
        assert_eq!(break_long_words(Cow::Borrowed(&words)), words);
        let exact = "x".repeat(MAX_TABLE_WORD);
        assert_eq!(break_long_words(Cow::Borrowed(&exact)), exact);
        let long = format!("a {}\n{}", "x".repeat(600), "日".repeat(200));
        let cut = break_long_words(Cow::Borrowed(&long));
        let pieces: Vec<&str> = cut.split([' ', '\n']).collect();
        assert_eq!(
            pieces,
            [
                "a",
                &"x".repeat(256),
                &"x".repeat(256),
                &"x".repeat(88),
                &"日".repeat(128),
                &"日".repeat(72)
            ]
        );
    }

    #[test]
    fn text_without_controls_is_borrowed_unchanged() {
        let text = "Sweep the logs — セキュア *bold*";
        assert!(matches!(safe(text), Cow::Borrowed(t) if t == text));
    }

    #[test]
    fn line_breaks_and_tabs_become_spaces() {
        assert_eq!(safe("one\r\ntwo\tthree\rfour"), "one  two three four");
    }

    #[test]
    fn other_controls_are_shown_as_escapes() {
        assert_eq!(safe("\u{1b}[2J"), r"\u{1b}[2J");
        assert_eq!(
            safe("\u{1b}]52;c;SGVsbG8=\u{7}"),
            r"\u{1b}]52;c;SGVsbG8=\u{7}"
        );
        assert_eq!(safe("a\u{9b}31m\u{7f}\0"), r"a\u{9b}31m\u{7f}\u{0}");
        assert!(
            !safe("\u{1b}\u{7}\u{85}\u{9b}")
                .chars()
                .any(char::is_control)
        );
    }
}

#[cfg(test)]
mod report_tests {
    use crate::render::Format;
    use crate::render::completion::sample::render_to_string;

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
