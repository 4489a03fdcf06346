//! Terminal tables (comfy-table), sized to the terminal, coloured only when allowed.

use std::borrow::Cow;
use std::io::{self, Write};

use comfy_table::{Attribute, Cell, ContentArrangement, Table, presets};

use super::completion as figures;
use super::layout::{self, Breaks};
use super::{
    Grid, RenderOptions, assignee_label, carried_label, carried_of_team, format_time,
    occurrence_status, occurrences_of_team, plan_heading,
};
use crate::catalog::Catalog;
use crate::plan::{Plan, View};
use crate::track::completion::{Report, Tally};
use comfy_table::CellAlignment;
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

/// The width of tables when neither `$COLUMNS` nor a terminal gives one (piped output).
pub const DEFAULT_WIDTH: u16 = 80;

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

/// How a cell is drawn, beyond its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Style {
    #[default]
    Plain,
    /// Work that is overdue or still open from an earlier window.
    Alert,
    /// A total.
    Strong,
}

/// A cell's text, already [`safe`], and its style.
#[derive(Debug, Clone, Default)]
struct Piece {
    text: String,
    style: Style,
}

impl Piece {
    fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            style: Style::Plain,
        }
    }

    /// Catalog or journal text, made [`safe`] (and its longest words cut).
    fn untrusted(text: &str) -> Self {
        Self::new(break_long_words(safe(text)))
    }

    fn styled(mut self, style: Style) -> Self {
        self.style = style;
        self
    }
}

/// A table before layout: its headers, how each column may break and align, its rows.
struct Sheet {
    header: Vec<String>,
    breaks: Vec<Breaks>,
    right: Vec<bool>,
    rows: Vec<Vec<Piece>>,
}

impl Sheet {
    fn new(header: Vec<String>, breaks: Vec<Breaks>) -> Self {
        let right = vec![false; header.len()];
        Self {
            header,
            breaks,
            right,
            rows: Vec::new(),
        }
    }

    /// The columns shown: those with text in some row (all of them when there is no row).
    fn shown(&self) -> Vec<usize> {
        (0..self.header.len())
            .filter(|&column| {
                self.rows.is_empty()
                    || self
                        .rows
                        .iter()
                        .any(|row| row.get(column).is_some_and(|p| !p.text.is_empty()))
            })
            .collect()
    }

    /// Each shown column's content width, if the table fits `width` with no id, date or
    /// figure broken and no word cut.
    fn widths(&self, shown: &[usize], width: Option<u16>) -> Option<Vec<usize>> {
        let cells = |column: usize| {
            self.rows
                .iter()
                .filter_map(move |row| row.get(column))
                .map(|p| p.text.as_str())
        };
        let least: Vec<usize> = shown
            .iter()
            .map(|&c| {
                cells(c)
                    .map(|text| layout::least_width(text, self.breaks[c]))
                    .chain([layout::header_least_width(&self.header[c])])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let full: Vec<usize> = shown
            .iter()
            .map(|&c| {
                cells(c)
                    .chain([self.header[c].as_str()])
                    .map(layout::full_width)
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        match width {
            None => Some(full),
            Some(width) => {
                let room = usize::from(width).checked_sub(layout::chrome(shown.len()))?;
                layout::share(&least, &full, room)
            }
        }
    }

    /// The table drawn, if it fits the width (see [`Sheet::widths`]).
    fn table(&self, options: &RenderOptions) -> Option<Table> {
        let shown = self.shown();
        let widths = self.widths(&shown, options.width)?;
        let header: Vec<String> = shown
            .iter()
            .zip(&widths)
            .map(|(&c, &w)| layout::wrap_cell(&self.header[c], w, Breaks::Words))
            .collect();
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let mut table = new_table(options, &header);
        table.set_content_arrangement(ContentArrangement::Disabled);
        for row in &self.rows {
            table.add_row(shown.iter().zip(&widths).map(|(&c, &w)| {
                let piece = row.get(c).cloned().unwrap_or_default();
                let cell = Cell::new(layout::wrap_cell(&piece.text, w, self.breaks[c]));
                match (options.color, piece.style) {
                    (false, _) | (true, Style::Plain) => cell,
                    (true, Style::Alert) => cell.fg(comfy_table::Color::Red),
                    (true, Style::Strong) => cell.add_attribute(Attribute::Bold),
                }
            }));
        }
        for (index, &c) in shown.iter().enumerate() {
            if let (true, Some(column)) = (self.right[c], table.column_mut(index)) {
                column.set_cell_alignment(CellAlignment::Right);
            }
        }
        Some(table)
    }

    /// Writes the table, or, when it cannot fit the width without breaking an id, a date,
    /// a figure or a word, a `Header: value` block per row (the text format's blocks).
    fn write(&self, out: &mut (impl Write + ?Sized), options: &RenderOptions) -> io::Result<()> {
        if let Some(table) = self.table(options) {
            return writeln!(out, "{table}");
        }
        let width = options.width.map_or(usize::MAX, usize::from);
        let shown = self.shown();
        // Values start after the widest label of a one-line value (lists start under their
        // label), if that label takes at most a third of the width.
        let label_width = shown
            .iter()
            .filter(|&&c| {
                self.rows.iter().any(|row| {
                    row.get(c)
                        .is_some_and(|p| !p.text.is_empty() && !p.text.starts_with(layout::BULLET))
                })
            })
            .map(|&c| self.header[c].width() + 1)
            .filter(|&w| w <= width / 3)
            .max()
            .unwrap_or(0);
        let indent = " ".repeat(label_width + 1);
        let room = width.saturating_sub(label_width + 1);
        for (index, row) in self.rows.iter().enumerate() {
            if index > 0 {
                writeln!(out)?;
            }
            for &c in &shown {
                let Some(piece) = row.get(c).filter(|p| !p.text.is_empty()) else {
                    continue;
                };
                let label = format!("{}:", self.header[c]);
                let padding = " ".repeat((label_width + 1).saturating_sub(label.width()));
                let label = if options.color {
                    format!("\x1b[1m{label}\x1b[0m")
                } else {
                    label
                };
                let (on, off) = match (options.color, piece.style) {
                    (true, Style::Alert) => ("\x1b[31m", "\x1b[0m"),
                    (true, Style::Strong) => ("\x1b[1m", "\x1b[0m"),
                    _ => ("", ""),
                };
                let beside = layout::wrap_cell(&piece.text, room, self.breaks[c]);
                let fits = !padding.is_empty()
                    && !piece.text.starts_with(layout::BULLET)
                    && beside.split('\n').all(|line| line.width() <= room);
                if fits {
                    for (line_index, line) in beside.split('\n').enumerate() {
                        if line_index == 0 {
                            writeln!(out, "{label}{padding}{on}{line}{off}")?;
                        } else {
                            writeln!(out, "{indent}{on}{line}{off}")?;
                        }
                    }
                    continue;
                }
                // A long label, a list or a value too wide beside the label: under it,
                // indented while the value fits, else whole from the margin.
                writeln!(out, "{label}")?;
                let under = layout::wrap_cell(&piece.text, width.saturating_sub(2), self.breaks[c]);
                let margin = if under.split('\n').all(|line| line.width() + 2 <= width) {
                    "  "
                } else {
                    ""
                };
                let under = if margin.is_empty() {
                    layout::wrap_cell(&piece.text, width, self.breaks[c])
                } else {
                    under
                };
                for line in under.split('\n') {
                    writeln!(out, "{margin}{on}{line}{off}")?;
                }
            }
        }
        Ok(())
    }
}

/// Writes a heading, a team name or a message, wrapped between words within the width,
/// in bold cyan when `title` and colour are on.
fn write_line(
    out: &mut (impl Write + ?Sized),
    text: &str,
    options: &RenderOptions,
    title: bool,
) -> io::Result<()> {
    let width = options.width.map_or(usize::MAX, usize::from);
    for line in layout::wrap_line(text, width) {
        if title && options.color {
            writeln!(out, "\x1b[1;36m{line}\x1b[0m")?;
        } else {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

pub(super) fn plan(
    out: &mut (impl Write + ?Sized),
    catalog: &Catalog,
    plan: &Plan,
    options: &RenderOptions,
) -> io::Result<()> {
    let locale = &options.locale;
    let language = options.language();
    write_line(
        out,
        &safe(&plan_heading(catalog, plan, locale)),
        options,
        false,
    )?;
    let day_column = plan.view != View::Day;
    let mut assigner = crate::people::Assigner::new(catalog, &options.cover);
    for &team in &plan.teams {
        writeln!(out)?;
        write_line(
            out,
            &safe(&super::team_heading(catalog, plan, team, language)),
            options,
            true,
        )?;
        let occurrences: Vec<_> = occurrences_of_team(catalog, plan, team).collect();
        let carried: Vec<_> = carried_of_team(catalog, plan, team).collect();
        if occurrences.is_empty() && carried.is_empty() {
            writeln!(out, "  {}", locale.text("nothing_due"))?;
            continue;
        }
        let mut header = Vec::new();
        let mut breaks = Vec::new();
        if day_column {
            header.push(locale.text("column_date"));
            breaks.push(Breaks::Never);
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
        breaks.extend([Breaks::Never, Breaks::Never, Breaks::Words, Breaks::Words]);
        // Left out (as every column empty in all rows is) when no task here is assigned.
        header.push(locale.text("column_assignee"));
        breaks.push(Breaks::Words);
        if plan.tracked {
            header.push(locale.text("column_status"));
            breaks.push(Breaks::Words);
        }
        let mut sheet = Sheet::new(header.into_iter().map(str::to_owned).collect(), breaks);
        for item in carried {
            let task = &catalog.tasks[item.task];
            let mut row = Vec::new();
            if day_column {
                row.push(Piece::new(locale.short_date(item.last)));
            }
            row.push(Piece::default());
            row.push(Piece::untrusted(&task.id));
            row.push(Piece::untrusted(task.title_in(language)));
            row.push(Piece::untrusted(task.cadence_in(language)));
            row.push(Piece::default());
            row.push(Piece::new(carried_label(locale, item)).styled(Style::Alert));
            sheet.rows.push(row);
        }
        for occurrence in occurrences {
            let task = &catalog.tasks[occurrence.task];
            let mut row = Vec::new();
            if day_column {
                row.push(Piece::new(locale.short_date(occurrence.date)));
            }
            row.push(Piece::new(
                occurrence.time.map(format_time).unwrap_or_default(),
            ));
            row.push(Piece::untrusted(&task.id));
            row.push(Piece::untrusted(task.title_in(language)));
            row.push(Piece::untrusted(task.cadence_in(language)));
            row.push(match assigner.of(occurrence, team) {
                who @ crate::people::Who::Nobody => {
                    Piece::new(assignee_label(locale, who).unwrap_or_default()).styled(Style::Alert)
                }
                who => Piece::untrusted(&assignee_label(locale, who).unwrap_or_default()),
            });
            if plan.tracked {
                row.push(Piece::untrusted(&occurrence_status(locale, occurrence)));
            }
            sheet.rows.push(row);
        }
        sheet.write(out, options)?;
    }
    Ok(())
}

/// A listing cell's text: safe text, a list one bulleted item a line.
fn listing_piece(cell: &crate::listing::Cell) -> Piece {
    match cell {
        crate::listing::Cell::Text(text) => Piece::untrusted(text),
        crate::listing::Cell::List(items) => Piece::new(
            items
                .iter()
                .map(|item| format!("• {}", break_long_words(safe(item))))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
    }
}

/// How a listing's column may break, by its field: identifiers, dates, times and counts
/// never; everything else between words.
fn listing_breaks(field: &str) -> Breaks {
    match field {
        "id" | "task" | "date" | "weekday" | "time" | "recorded_at" | "occurrence" | "on"
        | "line" | "column" | "task_count" | "email" | "severity" => Breaks::Never,
        _ => Breaks::Words,
    }
}

pub(super) fn listing(
    out: &mut (impl Write + ?Sized),
    grid: &Grid,
    options: &RenderOptions,
) -> io::Result<()> {
    if let (true, Some(empty)) = (grid.rows.is_empty(), &grid.empty) {
        return write_line(out, &safe(empty), options, false);
    }
    let breaks = grid.fields.iter().map(|f| listing_breaks(f)).collect();
    let mut sheet = Sheet::new(grid.headers.clone(), breaks);
    sheet.rows = grid
        .rows
        .iter()
        .map(|row| row.iter().map(listing_piece).collect())
        .collect();
    sheet.write(out, options)
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
    // Task ids never break; team names may wrap between words; figures never break.
    let build = |first: &str, rows: Vec<(String, &Tally)>, total: &Tally, label: Breaks| {
        let mut header = vec![first.to_owned()];
        header.extend(columns.iter().map(|c| locale.text(c.key()).to_owned()));
        let mut breaks = vec![label];
        breaks.extend(columns.iter().map(|_| Breaks::Never));
        let mut sheet = Sheet::new(header, breaks);
        sheet.right = std::iter::once(false)
            .chain(columns.iter().map(|_| true))
            .collect();
        let figures = |label: Piece, tally: &Tally, style: Style| -> Vec<Piece> {
            std::iter::once(label)
                .chain(columns.iter().map(|c| Piece::new(c.cell(tally, locale))))
                .map(|piece| piece.styled(style))
                .collect()
        };
        for (label, tally) in rows {
            sheet
                .rows
                .push(figures(Piece::untrusted(&label), tally, Style::Plain));
        }
        sheet.rows.push(figures(
            Piece::new(locale.text("report_total")),
            total,
            Style::Strong,
        ));
        sheet
    };
    let mut sheets = Vec::new();
    for team in &report.teams {
        let rows = team
            .tasks
            .iter()
            .map(|t| (catalog.tasks[t.task].id.clone(), &t.tally))
            .collect();
        let sheet = (!team.tasks.is_empty())
            .then(|| build(locale.text("column_task"), rows, &team.tally, Breaks::Never));
        sheets.push(sheet);
    }
    let summary = figures::has_summary(report).then(|| {
        let rows = report
            .teams
            .iter()
            .map(|t| (catalog.teams[t.team].name_in(language).to_owned(), &t.tally))
            .collect();
        build(
            locale.text("column_team"),
            rows,
            &report.total,
            Breaks::Words,
        )
    });
    // One layout for the whole report: tables when every one fits the width, else the
    // text format's block per task, within the width.
    let tables: Option<Vec<Option<Table>>> = sheets
        .iter()
        .chain([&summary])
        .map(|sheet| match sheet {
            Some(sheet) => sheet.table(options).map(Some),
            None => Some(None),
        })
        .collect();
    let Some(mut tables) = tables else {
        let width = options.width.map_or(usize::MAX, usize::from);
        return super::text::report_within(out, catalog, report, options, width);
    };
    let title = |out: &mut dyn Write, text: &str| {
        writeln!(out)?;
        write_line(out, text, options, true)
    };
    write_line(
        out,
        &figures::heading(catalog, report, locale),
        options,
        false,
    )?;
    write_line(out, &figures::tracking(report, locale), options, false)?;
    let summary_table = tables.pop().flatten();
    for (team, table) in report.teams.iter().zip(tables) {
        title(out, &safe(catalog.teams[team.team].name_in(language)))?;
        match table {
            Some(table) => writeln!(out, "{table}")?,
            None => writeln!(out, "  {}", locale.text("report_no_tasks"))?,
        }
    }
    if let Some(table) = summary_table {
        title(out, locale.text("report_all_teams"))?;
        writeln!(out, "{table}")?;
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
mod sheet_tests {
    use super::{Breaks, Piece, RenderOptions, Sheet};

    /// A sheet of task ids, titles and an empty time column, written at `width`.
    fn written(width: u16) -> String {
        let mut sheet = Sheet::new(
            ["Task", "Time", "Title"].map(str::to_owned).to_vec(),
            vec![Breaks::Never, Breaks::Never, Breaks::Words],
        );
        for (id, title) in [
            ("update-escalation-tickets", "Update SOC escalation tickets"),
            (
                "track-mdvm-remediation",
                "Track Microsoft Defender Vulnerability Management",
            ),
        ] {
            sheet
                .rows
                .push(vec![Piece::new(id), Piece::default(), Piece::new(title)]);
        }
        let options = RenderOptions {
            width: Some(width),
            ..RenderOptions::default()
        };
        let mut out = Vec::new();
        sheet.write(&mut out, &options).expect("writing");
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn the_empty_column_is_left_out_and_the_title_wraps_between_words() {
        // Task 25 + Title 13 ("Vulnerability") + 7 of borders = 45 at least.
        let table = written(45);
        assert_eq!(
            table,
            "\
┌───────────────────────────┬───────────────┐
│ Task                      ┆ Title         │
╞═══════════════════════════╪═══════════════╡
│ update-escalation-tickets ┆ Update SOC    │
│                           ┆ escalation    │
│                           ┆ tickets       │
│ track-mdvm-remediation    ┆ Track         │
│                           ┆ Microsoft     │
│                           ┆ Defender      │
│                           ┆ Vulnerability │
│                           ┆ Management    │
└───────────────────────────┴───────────────┘
"
        );
    }

    #[test]
    fn a_table_too_wide_for_whole_words_becomes_blocks() {
        // Values start after "Title: ", in 44 - 7 = 37 columns.
        assert_eq!(
            written(44),
            "\
Task:  update-escalation-tickets
Title: Update SOC escalation tickets

Task:  track-mdvm-remediation
Title: Track Microsoft Defender
       Vulnerability Management
"
        );
        // Too narrow for an id beside its label (19 columns): the id goes under it,
        // indented if it fits (22 + 2), from the margin if not (25 + 2 > 26).
        assert_eq!(
            written(26),
            "\
Task:
update-escalation-tickets
Title: Update SOC
       escalation tickets

Task:
  track-mdvm-remediation
Title: Track Microsoft
       Defender
       Vulnerability
       Management
"
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
