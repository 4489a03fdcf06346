//! Plain text: stable, no colour, every line within 78 columns (wide characters counted
//! as two). The format for cron mail and e-mail bodies.

use std::borrow::Cow;
use std::io::{self, Write};

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::completion as figures;
use super::safe;
use super::{
    Days, Grid, RenderOptions, assignee_phrase, carried_label, carried_mark, carried_of_team,
    format_time, occurrence_status, plan_heading,
};
use crate::catalog::Catalog;
use crate::listing::{Cell, Layout};
use crate::plan::View;
use crate::track::Status;
use crate::track::completion::{Report, Tally};

/// The widest line the text format writes.
pub const MAX_WIDTH: usize = 78;

/// Wraps `text` into lines of at most `width` display columns; a word wider than a line
/// (or a run of CJK text without spaces) is broken between characters. Control characters
/// become spaces, so catalog text cannot forge lines of its own.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_width = 0;
    for word in clean.split(' ').filter(|w| !w.is_empty()) {
        let word_width = word.width();
        let space = usize::from(!line.is_empty());
        if line_width + space + word_width <= width {
            if space == 1 {
                line.push(' ');
            }
            line.push_str(word);
            line_width += space + word_width;
            continue;
        }
        if word_width <= width {
            lines.push(std::mem::take(&mut line));
            line.push_str(word);
            line_width = word_width;
            continue;
        }
        // Too wide for any line: fill the current line, then break between characters.
        if !line.is_empty() {
            line.push(' ');
            line_width += 1;
        }
        for c in word.chars() {
            let char_width = c.width().unwrap_or(0);
            if line_width + char_width > width {
                // Without the space put before the word, if nothing of it fitted.
                let full = std::mem::take(&mut line);
                lines.push(full.strip_suffix(' ').unwrap_or(&full).to_owned());
                line_width = 0;
            }
            line.push(c);
            line_width += char_width;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

pub(super) fn write_wrapped(
    out: &mut (impl Write + ?Sized),
    first: &str,
    rest: &str,
    text: &str,
) -> io::Result<()> {
    write_wrapped_within(out, MAX_WIDTH, first, rest, text)
}

/// [`write_wrapped`] within `width` columns instead of [`MAX_WIDTH`].
fn write_wrapped_within(
    out: &mut (impl Write + ?Sized),
    width: usize,
    first: &str,
    rest: &str,
    text: &str,
) -> io::Result<()> {
    let indent = first.width().max(rest.width());
    for (index, line) in wrap(text, width.saturating_sub(indent).max(1))
        .iter()
        .enumerate()
    {
        let prefix = if index == 0 { first } else { rest };
        writeln!(out, "{prefix}{}{line}", " ".repeat(indent - prefix.width()))?;
    }
    Ok(())
}

/// The tick box of an occurrence: ticked when done, a dash when skipped.
pub(super) fn tick(occurrence: &crate::plan::PlannedOccurrence) -> &'static str {
    match occurrence.status {
        Some(Status::Done) => "[x]",
        Some(Status::Skipped) => "[-]",
        _ => "[ ]",
    }
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
    write_wrapped(out, "", "", &plan_heading(catalog, plan, locale))?;
    let mut assigner = crate::people::Assigner::new(catalog, &options.cover);
    for &team in &plan.teams {
        writeln!(out)?;
        write_wrapped(
            out,
            "",
            "",
            &super::team_heading(catalog, plan, team, language),
        )?;
        let carried: Vec<_> = carried_of_team(catalog, plan, team).collect();
        if !carried.is_empty() {
            write_wrapped(out, "  ", "  ", locale.text("carried_over"))?;
            for item in carried {
                let task = &catalog.tasks[item.task];
                let mark = format!("    {} ", carried_mark(item).0);
                write_wrapped(out, &mark, "        ", task.title_in(language))?;
                let detail = format!("{} · {}", task.id, carried_label(locale, item));
                write_wrapped(out, "        ", "        ", &detail)?;
            }
        }
        let mut any = false;
        days.of_team(team, |date, occurrences| {
            any = true;
            if plan.view != View::Day {
                write_wrapped(out, "  ", "  ", &locale.long_date(date))?;
            }
            let indent = if plan.view == View::Day { "  " } else { "    " };
            for &occurrence in occurrences {
                let task = &catalog.tasks[occurrence.task];
                let time = occurrence
                    .time
                    .map(|t| format!("{} ", format_time(t)))
                    .unwrap_or_default();
                let first = format!("{indent}{} ", tick(occurrence));
                let rest = format!("{indent}    ");
                write_wrapped(
                    out,
                    &first,
                    &rest,
                    &format!("{time}{}", task.title_in(language)),
                )?;
                let mut detail = format!("{} · {}", task.id, task.cadence_in(language));
                let status = occurrence_status(locale, occurrence);
                if !status.is_empty() {
                    detail.push_str(" · ");
                    detail.push_str(&status);
                }
                if let Some(who) = assignee_phrase(locale, assigner.of(occurrence, team)) {
                    detail.push_str(" · ");
                    detail.push_str(&who);
                }
                write_wrapped(out, &rest, &rest, &detail)?;
            }
            Ok(())
        })?;
        // Nothing is written between the carried-over work and the days.
        if !any {
            write_wrapped(out, "  ", "  ", locale.text("nothing_due"))?;
        }
    }
    Ok(())
}

/// A listing as plain text: aligned columns when every record fits on a line, else a
/// `Header: value` block per record; field listings as right-aligned `label: value` lines.
pub(super) fn listing(out: &mut (impl Write + ?Sized), grid: &Grid) -> io::Result<()> {
    if let (true, Some(empty)) = (grid.rows.is_empty(), &grid.empty) {
        return write_wrapped(out, "", "", empty);
    }
    match grid.layout {
        Layout::Fields => fields(out, grid),
        Layout::Records => match column_widths(grid) {
            Some(widths) => columns(out, grid, &widths),
            None => blocks(out, grid),
        },
    }
}

/// The text form of `socctl check`: the compilers' `file:line:column: error: message`
/// lines that editors and grep read, after a line saying the catalog is fine when it is.
/// Messages and hints arrive with their control characters escaped.
pub fn write_diagnostics(
    out: &mut (impl Write + ?Sized),
    ok: Option<&crate::listing::Note>,
    diagnostics: &crate::catalog::Diagnostics,
    options: &RenderOptions,
) -> io::Result<()> {
    match ok {
        Some(ok) => {
            writeln!(out, "{}", safe(&ok.text(&options.locale)))?;
            for diagnostic in &diagnostics.0 {
                writeln!(out, "{diagnostic}")?;
            }
            Ok(())
        }
        None => writeln!(out, "{diagnostics}"),
    }
}

/// The separator between aligned columns.
const GAP: &str = "  ";

/// The widths of aligned columns, when every cell is one line and a record fits in
/// [`MAX_WIDTH`].
fn column_widths(grid: &Grid) -> Option<Vec<usize>> {
    let mut widths: Vec<usize> = grid.headers.iter().map(|h| h.width()).collect();
    for row in &grid.rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            let Cell::Text(text) = cell else {
                return None;
            };
            *width = (*width).max(safe(text).width());
        }
    }
    let total = widths.iter().sum::<usize>() + GAP.len() * widths.len().saturating_sub(1);
    (total <= MAX_WIDTH).then_some(widths)
}

/// One line of aligned columns, without trailing spaces.
fn aligned(cells: &[Cow<'_, str>], widths: &[usize]) -> String {
    let mut line = String::new();
    for (index, (cell, width)) in cells.iter().zip(widths).enumerate() {
        if index > 0 {
            line.push_str(GAP);
        }
        line.push_str(cell);
        line.push_str(&" ".repeat(width.saturating_sub(cell.width())));
    }
    line.trim_end().to_owned()
}

fn columns(out: &mut (impl Write + ?Sized), grid: &Grid, widths: &[usize]) -> io::Result<()> {
    let headers: Vec<Cow<'_, str>> = grid.headers.iter().map(|h| Cow::from(h.as_str())).collect();
    writeln!(out, "{}", aligned(&headers, widths))?;
    for row in &grid.rows {
        let cells: Vec<Cow<'_, str>> = row
            .iter()
            .map(|cell| match cell {
                Cell::Text(text) => safe(text),
                Cell::List(_) => Cow::Borrowed(""),
            })
            .collect();
        writeln!(out, "{}", aligned(&cells, widths))?;
    }
    Ok(())
}

/// `text` padded on the left (`right`) or right to `width` columns.
fn pad(text: &str, width: usize, right: bool) -> String {
    let padding = " ".repeat(width.saturating_sub(text.width()));
    if right {
        format!("{padding}{text}")
    } else {
        format!("{text}{padding}")
    }
}

fn blocks(out: &mut (impl Write + ?Sized), grid: &Grid) -> io::Result<()> {
    // Values start after the widest label of a one-line value (lists start on the next
    // line); labels wider than a third of the line leave values too little room.
    let label_width = grid
        .headers
        .iter()
        .enumerate()
        .filter(|(index, _)| {
            grid.rows
                .iter()
                .any(|row| matches!(row.get(*index), Some(Cell::Text(_))))
        })
        .map(|(_, h)| h.width())
        .max()
        .unwrap_or(0)
        .min(MAX_WIDTH / 3);
    let rest = " ".repeat(label_width + 2);
    for (index, row) in grid.rows.iter().enumerate() {
        if index > 0 {
            writeln!(out)?;
        }
        for (header, cell) in grid.headers.iter().zip(row) {
            let label = pad(&format!("{header}: "), label_width + 2, false);
            match cell {
                Cell::Text(text) if text.is_empty() => {}
                Cell::Text(text) => write_wrapped(out, &label, &rest, &safe(text))?,
                Cell::List(items) if items.is_empty() => {}
                Cell::List(items) => {
                    writeln!(out, "{}", label.trim_end())?;
                    for item in items {
                        write_wrapped(out, "  • ", "    ", &safe(item))?;
                    }
                }
            }
        }
    }
    Ok(())
}

fn fields(out: &mut (impl Write + ?Sized), grid: &Grid) -> io::Result<()> {
    let label_of = |row: &[Cell]| match row.first() {
        Some(Cell::Text(label)) => label.clone(),
        _ => String::new(),
    };
    let label_width = grid
        .rows
        .iter()
        .map(|row| label_of(row).width())
        .max()
        .unwrap_or(0)
        .min(MAX_WIDTH / 3);
    let rest = " ".repeat(label_width + 2);
    for row in &grid.rows {
        let label = label_of(row);
        let first = if label.is_empty() {
            rest.clone()
        } else {
            format!("{}: ", pad(&safe(&label), label_width, true))
        };
        let items: Vec<&str> = match row.get(1) {
            Some(Cell::Text(text)) => vec![text.as_str()],
            Some(Cell::List(items)) => items.iter().map(String::as_str).collect(),
            None => Vec::new(),
        };
        if items.iter().all(|item| item.is_empty()) {
            writeln!(out, "{}", first.trim_end())?;
            continue;
        }
        for (index, item) in items.iter().enumerate() {
            let prefix = if index == 0 {
                first.as_str()
            } else {
                rest.as_str()
            };
            write_wrapped(out, prefix, &rest, &safe(item))?;
        }
    }
    Ok(())
}

/// Writes `items` joined by " · ", wrapped within the text width after `indent`; an item
/// wraps inside only when it alone is too wide for a line.
fn write_items(
    out: &mut dyn Write,
    width: usize,
    indent: &str,
    items: &[String],
) -> io::Result<()> {
    let width = width.saturating_sub(indent.width()).max(1);
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

pub(super) fn report(
    out: &mut dyn Write,
    catalog: &Catalog,
    report: &Report,
    options: &RenderOptions,
) -> io::Result<()> {
    report_within(out, catalog, report, options, MAX_WIDTH)
}

/// The report as text within `width` columns: what the table format writes when its
/// tables would not fit.
pub(super) fn report_within(
    out: &mut dyn Write,
    catalog: &Catalog,
    report: &Report,
    options: &RenderOptions,
    width: usize,
) -> io::Result<()> {
    let write_wrapped = |out: &mut dyn Write, first: &str, rest: &str, text: &str| {
        write_wrapped_within(out, width, first, rest, text)
    };
    let write_items = |out: &mut dyn Write, indent: &str, items: &[String]| {
        write_items(out, width, indent, items)
    };
    let locale = &options.locale;
    let language = options.language();
    let columns = figures::columns(report);
    let figures = |tally: &Tally| -> Vec<String> {
        columns
            .iter()
            .map(|c| format!("{}: {}", locale.text(c.key()), c.cell(tally, locale)))
            .collect()
    };
    write_wrapped(out, "", "", &figures::heading(catalog, report, locale))?;
    write_wrapped(out, "", "", &figures::tracking(report, locale))?;
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
            let rule = crate::listing::tasks::deadline_rule(locale, entry);
            write_wrapped(
                out,
                "    ",
                "      ",
                &format!("{}: {rule}", locale.text("field_deadline")),
            )?;
            write_items(out, "    ", &figures(&task.tally))?;
        }
    }
    if figures::has_summary(report) {
        writeln!(out)?;
        write_wrapped(out, "", "", locale.text("report_all_teams"))?;
        write_items(out, "  ", &figures(&report.total))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_word_boundaries_within_the_width() {
        let lines = wrap(
            "Track Microsoft Defender Vulnerability Management remediation activity",
            30,
        );
        assert_eq!(
            lines,
            [
                "Track Microsoft Defender",
                "Vulnerability Management",
                "remediation activity"
            ]
        );
    }

    #[test]
    fn wide_characters_count_double_and_break_between_characters() {
        // 12 Japanese characters are 24 columns wide.
        let lines = wrap("セキュアスコアレポートを生成", 10);
        assert!(lines.iter().all(|l| l.width() <= 10), "{lines:?}");
        assert_eq!(lines.concat(), "セキュアスコアレポートを生成");
        assert_eq!(lines[0], "セキュアス");
    }

    #[test]
    fn a_full_line_keeps_no_space_before_a_broken_word() {
        // "日本語" (6 columns) is too wide for any line of 4, so it is broken; "abc" and the
        // space fill the first line and "日" needs 2 more: the line ends without its space.
        assert_eq!(wrap("abc 日本語", 4), ["abc", "日本", "語"]);
        assert_eq!(wrap("abcd 日本語", 4), ["abcd", "日本", "語"]);
    }

    fn listing_text(grid: &Grid) -> String {
        let mut out = Vec::new();
        listing(&mut out, grid).expect("rendering");
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn narrow_listings_are_aligned_columns() {
        let grid = Grid::sample(
            &["Task", "Date"],
            &[&["a", "2026-11-23"], &["longer-id", "2026-11-24"]],
            Layout::Records,
        );
        assert_eq!(
            listing_text(&grid),
            "Task       Date\na          2026-11-23\nlonger-id  2026-11-24\n"
        );
    }

    #[test]
    fn wide_listings_are_blocks_wrapped_within_the_width() {
        let title = "Track Microsoft Defender Vulnerability Management remediation activity \
                     every single day without fail";
        let grid = Grid::sample(
            &["Task", "Title", "Note"],
            &[&["mdvm", title, ""], &["other\u{1b}[2J", "Short", "n"]],
            Layout::Records,
        );
        let text = listing_text(&grid);
        assert!(
            text.starts_with("Task:  mdvm\nTitle: Track Microsoft"),
            "{text}"
        );
        // An empty value is left out; records are separated by a blank line.
        assert!(
            text.contains("activity\n       every single day without fail\n\nTask:  other"),
            "{text}"
        );
        assert!(text.contains(r"other\u{1b}[2J"), "{text}");
        assert!(!text.contains('\u{1b}'), "{text}");
        assert!(text.lines().all(|l| l.width() <= MAX_WIDTH), "{text}");
    }

    #[test]
    fn field_listings_right_align_their_labels() {
        let grid = Grid::sample(
            &["Field", "Value"],
            &[
                &["id", "x"],
                &["description", "y"],
                &["", "(note)"],
                &["tags", ""],
            ],
            Layout::Fields,
        );
        assert_eq!(
            listing_text(&grid),
            "         id: x\ndescription: y\n             (note)\n       tags:\n"
        );
    }

    #[test]
    fn empty_listings_say_so() {
        let grid = Grid::sample(&["Task"], &[], Layout::Records);
        assert_eq!(listing_text(&grid), "nothing here\n");
    }

    #[test]
    fn control_characters_cannot_start_a_line() {
        assert_eq!(wrap("title\r\nBcc: evil", 78), ["title Bcc: evil"]);
        assert_eq!(wrap("", 78), [""]);
    }
}

#[cfg(test)]
mod report_tests {
    use unicode_width::UnicodeWidthStr;

    use crate::render::completion::sample::render_to_string;
    use crate::render::{Format, TEXT_WIDTH};

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
}
