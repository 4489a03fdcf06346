//! RFC 4180 CSV: a header row, one occurrence a row, UTF-8. Field names are the JSON
//! contract's, in English, so scripts keep working whatever the language.

use std::io::{self, Write};

use super::{DateTexts, Days, Grid, RenderOptions};
use crate::catalog::Catalog;
use crate::track::completion::{Report, Tally, round_rate};

/// The header row.
pub const HEADER: [&str; 15] = [
    "date",
    "time",
    "task",
    "title",
    "teams",
    "cadence",
    "window_end",
    "as_needed",
    "description",
    "team_names",
    "status",
    "done_at",
    "done_by",
    "reason",
    "assignee",
];

/// The column after [`HEADER`] when teams keep time zones or holidays of their own (as
/// JSON's `time_zone` field): the IANA zone of the row's date and time, its team's.
pub(super) const ZONE_FIELD: &str = "time_zone";

/// What joins the items of a list cell (a task's teams, their names, a team's aliases) in
/// every CSV: a character that is none of the field delimiters (`,`, `;`, tab), with spaces
/// so a spreadsheet shows it readably.
pub const LIST_SEPARATOR: &str = " | ";

/// How CSV is written for a spreadsheet: the field delimiter and whether a UTF-8 byte
/// order mark comes first (Danish and French Excel expect `;` and the mark).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// The field delimiter: `,` (RFC 4180's), `;` or tab.
    pub delimiter: Delimiter,
    /// Whether the output starts with the UTF-8 byte order mark (EF BB BF).
    pub bom: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            delimiter: Delimiter::Comma,
            bom: false,
        }
    }
}

/// A CSV field delimiter: only those that never occur in [`LIST_SEPARATOR`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delimiter {
    /// `,`, RFC 4180's and the default.
    Comma,
    /// `;`, what Excel expects where the decimal separator is a comma (Danish, French).
    Semicolon,
    /// A tab (tab-separated values).
    Tab,
}

impl Delimiter {
    /// The accepted spellings, for messages.
    pub const NAMES: &'static str = "`,`, `;` or `tab`";

    /// The delimiter `text` names: `,`, `;`, `tab` (or a tab character); `None` for
    /// anything else.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "," => Some(Self::Comma),
            ";" => Some(Self::Semicolon),
            "\t" => Some(Self::Tab),
            other if other.eq_ignore_ascii_case("tab") => Some(Self::Tab),
            _ => None,
        }
    }

    /// The delimiter's byte.
    pub fn byte(self) -> u8 {
        match self {
            Self::Comma => b',',
            Self::Semicolon => b';',
            Self::Tab => b'\t',
        }
    }
}

/// A CSV writer on `out` by `settings`, with records ending in CRLF, after the byte order
/// mark when one is asked for.
fn writer<W: Write>(mut out: W, settings: Settings) -> io::Result<::csv::Writer<W>> {
    if settings.bom {
        out.write_all("\u{feff}".as_bytes())?;
    }
    Ok(::csv::WriterBuilder::new()
        .delimiter(settings.delimiter.byte())
        .terminator(::csv::Terminator::CRLF)
        .from_writer(out))
}

/// Makes a cell safe to open in a spreadsheet: text starting with `=`, `+`, `-`, `@`, a tab or
/// a carriage return would run as a formula, so it gets a leading apostrophe (OWASP's advice;
/// spreadsheets show the text, not the apostrophe).
pub fn neutralize_formula(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// A plan's rows so far: the byte order mark if asked for and the header line, with a
/// `time_zone` field when `zoned`.
fn header(settings: Settings, zoned: bool) -> Rows {
    let mut rows = Rows::new(settings.delimiter.byte());
    rows.buffer.reserve(64 * 1024);
    if settings.bom {
        rows.buffer.extend_from_slice("\u{feff}".as_bytes());
    }
    for (position, name) in HEADER
        .iter()
        .chain(zoned.then_some(&ZONE_FIELD))
        .enumerate()
    {
        rows.cell(position, name.as_bytes());
    }
    rows.end();
    rows
}

pub(super) fn plan(
    out: &mut (impl Write + ?Sized),
    catalog: &Catalog,
    days: &Days<'_>,
    options: &RenderOptions,
) -> io::Result<()> {
    let settings = options.csv;
    // Teams in zones of their own: each row says which clock its time is on.
    let zoned = catalog.has_team_calendars();
    let mut rows = header(settings, zoned);
    let language = options.language();
    let mut assigner = crate::people::Assigner::new(catalog, &options.cover);
    let mut who = String::new();
    // Whether each task names anyone, side by side: most rows need nothing else of their
    // task beyond its cells, which are kept (see [`Rows`]).
    let names_anyone: Vec<bool> = catalog
        .tasks
        .iter()
        .map(|task| task.assignment.is_some())
        .collect();
    let mut dates = DateTexts::new();
    days.all(|occurrences| {
        for occurrence in occurrences {
            who.clear();
            if names_anyone[occurrence.task] {
                // Its items line up with the `teams` cell's: every team of the task.
                let teams = &catalog.tasks[occurrence.task].teams;
                assignee_cell(&mut who, &mut assigner, occurrence, teams);
            }
            if !zoned
                && who.is_empty()
                && occurrence.team.is_none()
                && occurrence.status.is_none()
                && occurrence.settled_by.is_none()
            {
                rows.plain_row(catalog, occurrence, language, &mut dates);
            } else {
                let zone = zoned
                    .then(|| super::occurrence_zone(catalog, occurrence.task, occurrence.team));
                rows.row(catalog, occurrence, language, &who, zone);
            }
            if rows.buffer.len() >= 60 * 1024 {
                out.write_all(&rows.buffer)?;
                rows.buffer.clear();
            }
        }
        Ok(())
    })?;
    out.write_all(&rows.buffer)?;
    out.flush()
}

/// [`plan`] of `from..=to` for `teams` without a journal, of a catalog without team
/// calendars, computed by position ([`crate::plan::stream_entries`]): the same bytes. A
/// row of a task that names nobody is four copies: the group's date and time, the task's
/// cells up to `cadence`, the group's window end, the task's cells after it.
pub(super) fn stream_plan(
    out: &mut (impl Write + ?Sized),
    catalog: &Catalog,
    (from, to): (jiff::civil::Date, jiff::civil::Date),
    teams: &[usize],
    options: &RenderOptions,
) -> io::Result<()> {
    /// A span's start for a task whose rows are written whole (it names an assignee).
    const ASSIGNED: u32 = u32::MAX;
    const FLUSH_AT: usize = 256 * 1024;
    let mut rows = header(options.csv, false);
    let delimiter = rows.delimiter;
    let language = options.language();
    let mut assigner = crate::people::Assigner::new(catalog, &options.cover);
    let mut who = String::new();
    // Each position's cells, in output order: `,task,…,cadence`, then `,as_needed,…,
    // team_names` and the empty journal and assignee cells with the line's end.
    let mut by_position: Vec<u8> = Vec::new();
    // Where they are (start, middle, end); end 0 before the task's first row.
    let mut spans: Vec<(u32, u32, u32)> = Vec::new();
    // Each group's date and time cells and window end cell, and the day they were made for.
    let mut parts: Vec<(u32, Vec<u8>, Vec<u8>)> = Vec::new();
    let mut days = 0_u32;
    crate::plan::stream_entries(catalog, from, to, teams, |day| {
        if spans.len() != day.tasks.len() {
            spans = vec![(0, 0, 0); day.tasks.len()];
        }
        if parts.len() < day.current.len() {
            parts.resize(day.current.len(), (0, Vec::new(), Vec::new()));
        }
        days += 1;
        let date = super::iso_date(day.date);
        for entry in day.entries {
            let position = entry.position as usize;
            let task = day.tasks[position];
            let current = day.current[entry.group as usize];
            let occurrence = || day.occurrence(*entry);
            if spans[position].2 == 0 {
                spans[position] = if catalog.tasks[task].assignment.is_some() {
                    (ASSIGNED, 0, 1)
                } else {
                    // Offsets fit: a catalog file holds far less than 4 GB of text.
                    let start = by_position.len() as u32;
                    std::mem::swap(&mut rows.buffer, &mut by_position);
                    rows.task_cells(catalog, &occurrence(), language, TaskCells::Head);
                    let middle = rows.buffer.len() as u32;
                    rows.task_cells(catalog, &occurrence(), language, TaskCells::Tail);
                    // `status`, `done_at`, `done_by`, `reason` and `assignee`, all empty.
                    rows.buffer.extend_from_slice(&[delimiter; 5]);
                    rows.buffer.extend_from_slice(b"\r\n");
                    std::mem::swap(&mut rows.buffer, &mut by_position);
                    (start, middle, by_position.len() as u32)
                };
            }
            let (start, middle, end) = spans[position];
            if start == ASSIGNED {
                let occurrence = occurrence();
                assignee_cell(
                    &mut who,
                    &mut assigner,
                    &occurrence,
                    &catalog.tasks[task].teams,
                );
                rows.row(catalog, &occurrence, language, &who, None);
            } else {
                let (made, before, after) = &mut parts[entry.group as usize];
                if *made != days {
                    // Dates and times never need quoting (no delimiter is a digit, `-` or `:`).
                    *made = days;
                    before.clear();
                    before.extend_from_slice(&date);
                    before.push(delimiter);
                    if let Some(time) = current.time {
                        let (hour, minute) =
                            (time.hour().unsigned_abs(), time.minute().unsigned_abs());
                        before.extend_from_slice(&[
                            b'0' + hour / 10,
                            b'0' + hour % 10,
                            b':',
                            b'0' + minute / 10,
                            b'0' + minute % 10,
                        ]);
                    }
                    after.clear();
                    after.push(delimiter);
                    if let Some(end) = current.window_end {
                        after.extend_from_slice(&super::iso_date(end));
                    }
                }
                let buffer = &mut rows.buffer;
                buffer.extend_from_slice(before);
                buffer.extend_from_slice(&by_position[start as usize..middle as usize]);
                buffer.extend_from_slice(after);
                buffer.extend_from_slice(&by_position[middle as usize..end as usize]);
            }
            if rows.buffer.len() >= FLUSH_AT {
                out.write_all(&rows.buffer)?;
                rows.buffer.clear();
            }
        }
        Ok::<(), io::Error>(())
    })?;
    out.write_all(&rows.buffer)?;
    out.flush()
}

/// The `assignee` cell, into `cell`: the member's id; empty when the task names nobody or
/// nobody is available. An entry of several teams has one item per team, in the order of
/// its `teams` cell, joined by [`LIST_SEPARATOR`] (an unassigned team's item empty).
fn assignee_cell(
    cell: &mut String,
    assigner: &mut crate::people::Assigner<'_>,
    occurrence: &crate::plan::PlannedOccurrence,
    plan_teams: &[usize],
) {
    cell.clear();
    let owners = assigner.teams_of(occurrence, plan_teams);
    let ids: Vec<String> = owners
        .into_iter()
        .map(|team| {
            assigner
                .of(occurrence, team)
                .member()
                .map(|m| m.id.clone())
                .unwrap_or_default()
        })
        .collect();
    if ids.iter().all(String::is_empty) {
        return;
    }
    cell.push_str(&ids.join(LIST_SEPARATOR));
}

/// A plan's rows, written straight into a buffer the way [`writer`]'s CSV writer writes
/// them (the tests compare the two): each cell [`neutralize_formula`]d, then quoted when it
/// holds the delimiter, a quote, a carriage return or a line feed (quotes inside doubled),
/// cells joined by the delimiter, rows ending in CRLF. A year of a large catalog is
/// millions of rows, and this writes each without an allocation.
///
/// The cells that are the task's own (`task` to `cadence`, `as_needed` to `team_names`)
/// are written once per task, into `kept`, and copied from there for its next rows: a
/// task's text is scattered in memory, and reading it again for every row of a year is
/// what a large catalog's plan waited on.
struct Rows {
    buffer: Vec<u8>,
    delimiter: u8,
    /// Each task's own cells, written out: `,task,…,cadence` then `,as_needed,…,team_names`.
    kept: Vec<u8>,
    /// Where a task's cells are in `kept` (start, middle, end), plus one in `slots`.
    spans: Vec<(u32, u32, u32)>,
    /// For each task: 0 when its cells are not kept yet, else its index in `spans` plus one.
    slots: Vec<u32>,
}

impl Rows {
    fn new(delimiter: u8) -> Self {
        Self {
            buffer: Vec::new(),
            delimiter,
            kept: Vec::new(),
            spans: Vec::new(),
            slots: Vec::new(),
        }
    }

    /// Appends cell number `position` of a row (0 is the first).
    fn cell(&mut self, position: usize, text: &[u8]) {
        if position > 0 {
            self.buffer.push(self.delimiter);
        }
        let formula = matches!(
            text.first(),
            Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
        );
        let delimiter = self.delimiter;
        if !text
            .iter()
            .any(|&b| b == delimiter || b == b'"' || b == b'\r' || b == b'\n')
        {
            if formula {
                self.buffer.push(b'\'');
            }
            self.buffer.extend_from_slice(text);
            return;
        }
        self.buffer.push(b'"');
        if formula {
            self.buffer.push(b'\'');
        }
        for &byte in text {
            if byte == b'"' {
                self.buffer.push(b'"');
            }
            self.buffer.push(byte);
        }
        self.buffer.push(b'"');
    }

    /// Appends cell `position`: the items' texts joined by [`LIST_SEPARATOR`].
    fn list_cell<'t>(&mut self, position: usize, mut items: impl Iterator<Item = &'t str>) {
        let first = items.next().unwrap_or_default();
        let Some(second) = items.next() else {
            return self.cell(position, first.as_bytes());
        };
        let mut joined = String::with_capacity(64);
        joined.push_str(first);
        for item in std::iter::once(second).chain(items) {
            joined.push_str(LIST_SEPARATOR);
            joined.push_str(item);
        }
        self.cell(position, joined.as_bytes());
    }

    /// Appends a date cell, `YYYY-MM-DD` (years 1 to 9999, as `Date`'s `Display` writes them).
    fn date_cell(&mut self, position: usize, date: Option<jiff::civil::Date>) {
        let Some(date) = date else {
            return self.cell(position, b"");
        };
        self.cell(position, &super::iso_date(date));
    }

    /// Ends a row.
    fn end(&mut self) {
        self.buffer.extend_from_slice(b"\r\n");
    }

    /// One occurrence's row.
    fn row(
        &mut self,
        catalog: &Catalog,
        occurrence: &crate::plan::PlannedOccurrence,
        language: &str,
        assignee: &str,
        zone: Option<&str>,
    ) {
        self.date_cell(0, Some(occurrence.date));
        match occurrence.time {
            Some(time) => {
                let (hour, minute) = (time.hour().unsigned_abs(), time.minute().unsigned_abs());
                self.cell(
                    1,
                    &[
                        b'0' + hour / 10,
                        b'0' + hour % 10,
                        b':',
                        b'0' + minute / 10,
                        b'0' + minute % 10,
                    ],
                );
            }
            None => self.cell(1, b""),
        }
        if occurrence.team.is_some() {
            // The occurrence of one team of a task of several names that team only.
            self.task_cells(catalog, occurrence, language, TaskCells::Head);
            self.date_cell(6, occurrence.window_end);
            self.task_cells(catalog, occurrence, language, TaskCells::Tail);
        } else {
            let (start, middle, end) = self.spans_of(catalog, occurrence, language);
            self.buffer.extend_from_slice(&self.kept[start..middle]);
            self.date_cell(6, occurrence.window_end);
            self.buffer.extend_from_slice(&self.kept[middle..end]);
        }
        self.cell(
            10,
            occurrence
                .status
                .map_or("", crate::track::Status::as_str)
                .as_bytes(),
        );
        let done = occurrence
            .settled_by
            .as_ref()
            .filter(|r| r.action == crate::journal::Action::Done);
        self.date_cell(11, done.map(|r| r.on));
        self.cell(12, done.map_or("", |r| r.by.as_str()).as_bytes());
        self.cell(
            13,
            super::skip_reason(occurrence)
                .unwrap_or_default()
                .as_bytes(),
        );
        self.cell(14, assignee.as_bytes());
        if let Some(zone) = zone {
            self.cell(15, zone.as_bytes());
        }
        self.end();
    }

    /// Where the kept cells of `occurrence`'s task are in `kept` (start, middle, end),
    /// written there first if they are not yet; for an occurrence of all its task's teams.
    fn spans_of(
        &mut self,
        catalog: &Catalog,
        occurrence: &crate::plan::PlannedOccurrence,
        language: &str,
    ) -> (usize, usize, usize) {
        if self.slots.is_empty() {
            self.slots = vec![0; catalog.tasks.len()];
        }
        if self.slots[occurrence.task] == 0 {
            let start = self.kept.len();
            std::mem::swap(&mut self.buffer, &mut self.kept);
            self.task_cells(catalog, occurrence, language, TaskCells::Head);
            let middle = self.buffer.len();
            self.task_cells(catalog, occurrence, language, TaskCells::Tail);
            let end = self.buffer.len();
            std::mem::swap(&mut self.buffer, &mut self.kept);
            // Offsets fit: a catalog file holds far less than 4 GB of text.
            self.spans.push((start as u32, middle as u32, end as u32));
            self.slots[occurrence.task] = self.spans.len() as u32;
        }
        let (start, middle, end) = self.spans[self.slots[occurrence.task] as usize - 1];
        (start as usize, middle as usize, end as usize)
    }

    /// The row of an occurrence of all its task's teams with no journal entry, nobody
    /// assigned and no zone cell: the bytes [`Self::row`] writes for it, in one go, its
    /// dates from `dates`. Dates and times never need quoting (no delimiter is a digit,
    /// `-` or `:`).
    fn plain_row(
        &mut self,
        catalog: &Catalog,
        occurrence: &crate::plan::PlannedOccurrence,
        language: &str,
        dates: &mut DateTexts,
    ) {
        let (start, middle, end) = self.spans_of(catalog, occurrence, language);
        let date = dates.text(occurrence.date);
        let window_end = occurrence.window_end.map(|end| dates.text(end));
        let delimiter = self.delimiter;
        let buffer = &mut self.buffer;
        buffer.reserve(end - start + 64);
        buffer.extend_from_slice(&date);
        buffer.push(delimiter);
        if let Some(time) = occurrence.time {
            let (hour, minute) = (time.hour().unsigned_abs(), time.minute().unsigned_abs());
            buffer.extend_from_slice(&[
                b'0' + hour / 10,
                b'0' + hour % 10,
                b':',
                b'0' + minute / 10,
                b'0' + minute % 10,
            ]);
        }
        buffer.extend_from_slice(&self.kept[start..middle]);
        buffer.push(delimiter);
        if let Some(text) = window_end {
            buffer.extend_from_slice(&text);
        }
        buffer.extend_from_slice(&self.kept[middle..end]);
        // `status`, `done_at`, `done_by`, `reason` and `assignee`, all empty.
        buffer.extend_from_slice(&[delimiter; 5]);
        buffer.extend_from_slice(b"\r\n");
    }

    /// The task's own cells of a row: `task` to `cadence` (`Head`) or `as_needed` to
    /// `team_names` (`Tail`), each after a delimiter.
    fn task_cells(
        &mut self,
        catalog: &Catalog,
        occurrence: &crate::plan::PlannedOccurrence,
        language: &str,
        which: TaskCells,
    ) {
        let task = &catalog.tasks[occurrence.task];
        // The occurrence of one team of a task of several names that team only.
        let owners = occurrence
            .team
            .as_ref()
            .map_or(&task.teams[..], std::slice::from_ref);
        match which {
            TaskCells::Head => {
                self.cell(2, task.id.as_bytes());
                self.cell(3, task.title_in(language).as_bytes());
                self.list_cell(4, owners.iter().map(|&t| catalog.teams[t].id.as_str()));
                self.cell(5, task.cadence_in(language).as_bytes());
            }
            TaskCells::Tail => {
                self.cell(
                    7,
                    if task.cadence.as_needed {
                        b"true"
                    } else {
                        b"false"
                    },
                );
                self.cell(8, task.description_in(language).as_bytes());
                self.list_cell(
                    9,
                    owners.iter().map(|&t| catalog.teams[t].name_in(language)),
                );
            }
        }
    }
}

/// Which of a task's own cells [`Rows::task_cells`] writes.
#[derive(Clone, Copy)]
enum TaskCells {
    Head,
    Tail,
}

/// A listing as CSV: the JSON field names as the header row, list items joined by
/// [`LIST_SEPARATOR`].
pub(super) fn listing(
    out: &mut (impl Write + ?Sized),
    grid: &Grid,
    settings: Settings,
) -> io::Result<()> {
    let mut writer = writer(out, settings)?;
    writer.write_record(&grid.fields)?;
    for row in &grid.rows {
        writer.write_record(row.iter().map(|cell| match cell {
            crate::listing::Cell::Text(text) => neutralize_formula(text).into_owned(),
            crate::listing::Cell::List(items) => {
                neutralize_formula(&items.join(LIST_SEPARATOR)).into_owned()
            }
        }))?;
    }
    writer.flush()
}

/// The CSV header: which row it is (`task`, `team` or `total`), whose, then the figures.
const REPORT_HEADER: [&str; 15] = [
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
    "overdue",
    "open",
    "triggered",
    "completion_rate",
    "median_delay_days",
];

/// RFC 4180: a row per team and task, a row per team, a total row; rates from 0 to 1.
pub(super) fn report(
    out: &mut dyn Write,
    catalog: &Catalog,
    report: &Report,
    options: &RenderOptions,
) -> io::Result<()> {
    let language = options.language();
    let mut writer = writer(out, options.csv)?;
    writer.write_record(REPORT_HEADER)?;
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
                tally.overdue,
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

#[cfg(test)]
mod tests {
    use super::{
        Delimiter, Grid, LIST_SEPARATOR, Rows, Settings, listing, neutralize_formula, writer,
    };
    use crate::listing::{Cell, Layout};

    /// A plan's rows are written without the csv crate's writer, but must be byte for byte
    /// what it writes: the same cells through it (neutralized as before) are the reference.
    #[test]
    fn plan_rows_are_written_as_the_csv_writer_writes_them() {
        let cells = [
            "",
            "plain",
            "a,b",
            "a;b",
            "tab\there",
            "say \"hi\"",
            "\"",
            "line\nbreak",
            "cr\rhere",
            "=1+1",
            "-2",
            "+x",
            "@SUM(A1)",
            "\tcmd",
            "\rcmd",
            "=a,\"b\"",
            "-\n",
            "æøå, 日本; x",
            "'quoted'",
            "2026-11-23",
            "a | b",
        ];
        for delimiter in [Delimiter::Comma, Delimiter::Semicolon, Delimiter::Tab] {
            // Every cell in every position: each rotation of the list is a row.
            for shift in 0..cells.len() {
                let row: Vec<&str> = cells.iter().cycle().skip(shift).take(16).copied().collect();
                let settings = Settings {
                    delimiter,
                    bom: false,
                };
                let mut reference = writer(Vec::new(), settings).expect("a writer");
                reference
                    .write_record(row.iter().map(|cell| neutralize_formula(cell).into_owned()))
                    .expect("writing");
                let expected = reference.into_inner().expect("flushing");
                let mut ours = Rows::new(delimiter.byte());
                for (position, cell) in row.iter().enumerate() {
                    ours.cell(position, cell.as_bytes());
                }
                ours.end();
                assert_eq!(
                    String::from_utf8_lossy(&ours.buffer),
                    String::from_utf8_lossy(&expected),
                    "{delimiter:?} {row:?}"
                );
            }
        }
        // Lists and dates as cells.
        let mut ours = Rows::new(b',');
        ours.list_cell(0, ["a", "b,c", "d"].into_iter());
        ours.list_cell(1, ["-x"].into_iter());
        ours.list_cell(2, std::iter::empty());
        ours.date_cell(3, Some(jiff::civil::date(7, 3, 9)));
        ours.date_cell(4, None);
        ours.end();
        assert_eq!(
            String::from_utf8_lossy(&ours.buffer),
            "\"a | b,c | d\",'-x,,0007-03-09,\r\n"
        );
    }

    /// A plain row (no journal, nobody assigned, no zone) written in one go is the row
    /// [`Rows::row`] writes, cell by cell, for every delimiter; and its date, time and
    /// window cells are the occurrence's, as the csv crate reads them.
    #[test]
    fn plain_rows_are_the_rows_written_cell_by_cell() {
        for (name, catalog, whole) in crate::render::fixture_plans() {
            assert!(whole.occurrences.iter().any(|o| o.time.is_some()) || name != "timed");
            for delimiter in [Delimiter::Comma, Delimiter::Semicolon, Delimiter::Tab] {
                let mut cells = Rows::new(delimiter.byte());
                let mut plain = Rows::new(delimiter.byte());
                let mut dates = super::DateTexts::new();
                for occurrence in &whole.occurrences {
                    cells.row(&catalog, occurrence, "en", "", None);
                    plain.plain_row(&catalog, occurrence, "en", &mut dates);
                }
                assert!(cells.buffer == plain.buffer, "{name} {delimiter:?}");
                let mut reader = ::csv::ReaderBuilder::new()
                    .delimiter(delimiter.byte())
                    .has_headers(false)
                    .from_reader(&plain.buffer[..]);
                let mut count = 0;
                for (record, occurrence) in reader.records().zip(&whole.occurrences) {
                    let record = record.unwrap();
                    let time = occurrence
                        .time
                        .map(|t| format!("{:02}:{:02}", t.hour(), t.minute()))
                        .unwrap_or_default();
                    let window_end = occurrence
                        .window_end
                        .map(|d| d.to_string())
                        .unwrap_or_default();
                    assert_eq!(record.len(), 15);
                    assert_eq!(&record[0], occurrence.date.to_string());
                    assert_eq!(&record[1], time);
                    assert_eq!(&record[2], catalog.tasks[occurrence.task].id);
                    assert_eq!(&record[6], window_end);
                    assert!(record.iter().skip(10).all(str::is_empty));
                    count += 1;
                }
                assert_eq!(count, whole.occurrences.len());
            }
        }
    }

    #[test]
    fn listings_are_rfc_4180_with_formulas_neutralized() {
        let mut grid = Grid::sample(
            &["task", "note"],
            &[&["a", "=1+1"], &["b", "line\nbreak, \"quoted\"; tab\tend"]],
            Layout::Records,
        );
        grid.rows[0][0] = Cell::List(vec!["x".to_owned(), "y".to_owned()]);
        for delimiter in [Delimiter::Comma, Delimiter::Semicolon, Delimiter::Tab] {
            for bom in [false, true] {
                let mut out = Vec::new();
                listing(&mut out, &grid, Settings { delimiter, bom }).expect("rendering");
                assert_eq!(out.starts_with(b"\xef\xbb\xbf"), bom, "{delimiter:?}");
                let text = &out[if bom { 3 } else { 0 }..];
                let separator = [b',', b';', b'\t'][delimiter as usize];
                assert_eq!(
                    text.split(|&b| b == b'\n').next(),
                    Some(
                        &[
                            b't', b'a', b's', b'k', separator, b'n', b'o', b't', b'e', b'\r'
                        ][..]
                    )
                );
                let mut reader = ::csv::ReaderBuilder::new()
                    .delimiter(separator)
                    .from_reader(text);
                assert_eq!(reader.headers().expect("a header"), vec!["task", "note"]);
                let rows: Vec<Vec<String>> = reader
                    .records()
                    .map(|r| r.expect("a record").iter().map(str::to_owned).collect())
                    .collect();
                assert_eq!(
                    rows,
                    [
                        ["x | y", "'=1+1"],
                        ["b", "line\nbreak, \"quoted\"; tab\tend"]
                    ]
                );
            }
        }
    }

    #[test]
    fn delimiters_are_named_and_others_refused() {
        for (text, expected) in [
            (",", Some(Delimiter::Comma)),
            (";", Some(Delimiter::Semicolon)),
            ("tab", Some(Delimiter::Tab)),
            ("TAB", Some(Delimiter::Tab)),
            ("\t", Some(Delimiter::Tab)),
            ("|", None),
            (" ", None),
            (",,", None),
            ("", None),
            ("comma", None),
        ] {
            assert_eq!(Delimiter::parse(text), expected, "{text:?}");
        }
        // No list separator holds a delimiter, so a list never needs quoting for it.
        for delimiter in [Delimiter::Comma, Delimiter::Semicolon, Delimiter::Tab] {
            assert!(!LIST_SEPARATOR.as_bytes().contains(&delimiter.byte()));
        }
    }

    #[test]
    fn formulas_are_neutralized() {
        for hostile in [
            "=HYPERLINK(\"http://x\")",
            "+1",
            "-2+3",
            "@SUM(A1)",
            "\tcmd",
            "\rcmd",
        ] {
            assert_eq!(neutralize_formula(hostile), format!("'{hostile}"));
        }
        for harmless in ["Update tickets", "2026-11-23", "", "a=b"] {
            assert_eq!(neutralize_formula(harmless), harmless);
        }
    }
}

#[cfg(test)]
mod report_tests {
    use crate::render::Format;
    use crate::render::completion::sample::render_to_string;

    #[test]
    fn csv_rows_per_task_team_and_total_with_formulas_neutralized() {
        let text = render_to_string(Format::Csv, "en", &[0, 1], true);
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(
            lines[0],
            "scope,team,team_name,task,title,due,on_time,late,skipped,missed,overdue,open,triggered,completion_rate,median_delay_days"
        );
        // Alpha: 2 tasks + team row; Beta: 2 tasks + team row; total; trailing empty.
        assert_eq!(lines.len(), 1 + 3 + 3 + 1 + 1, "{text}");
        assert!(
            lines[1].starts_with("task,alpha,Alpha & <Omega>,daily-check,\"'=HYPERLINK"),
            "{text}"
        );
        assert_eq!(
            lines[3],
            "team,alpha,Alpha & <Omega>,,,26,1,2,0,21,0,2,0,0.125,1"
        );
        assert_eq!(lines[7], "total,,,,,27,1,2,0,21,0,3,1,0.125,1");
    }
}
