//! RFC 4180 CSV: a header row, one occurrence a row, UTF-8. Field names are the JSON
//! contract's, in English, so scripts keep working whatever the language.

use std::io::{self, Write};

use super::{Days, Grid, RenderOptions};
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

pub(super) fn plan(
    out: &mut (impl Write + ?Sized),
    catalog: &Catalog,
    days: &Days<'_>,
    options: &RenderOptions,
) -> io::Result<()> {
    let mut writer = writer(out, options.csv)?;
    // Teams in zones of their own: each row says which clock its time is on.
    let zoned = catalog.has_team_calendars();
    if zoned {
        writer.write_record(HEADER.iter().chain(&[ZONE_FIELD]))?;
    } else {
        writer.write_record(HEADER)?;
    }
    let language = options.language();
    let mut assigner = crate::people::Assigner::new(catalog, &options.cover);
    days.all(|occurrences| {
        for occurrence in occurrences {
            // Its items line up with the `teams` cell's: every team of the task.
            let teams = &catalog.tasks[occurrence.task].teams;
            let who = assignee_cell(&mut assigner, occurrence, teams);
            let zone =
                zoned.then(|| super::occurrence_zone(catalog, occurrence.task, occurrence.team));
            row(&mut writer, catalog, occurrence, language, &who, zone)?;
        }
        Ok(())
    })?;
    writer.flush()
}

/// The `assignee` cell: the member's id; empty when the task names nobody or nobody is
/// available. An entry of several teams has one item per team, in the order of its
/// `teams` cell, joined by [`LIST_SEPARATOR`] (an unassigned team's item empty).
fn assignee_cell(
    assigner: &mut crate::people::Assigner<'_>,
    occurrence: &crate::plan::PlannedOccurrence,
    plan_teams: &[usize],
) -> String {
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
        return String::new();
    }
    ids.join(LIST_SEPARATOR)
}

/// One occurrence's row.
fn row<W: Write>(
    writer: &mut ::csv::Writer<W>,
    catalog: &Catalog,
    occurrence: &crate::plan::PlannedOccurrence,
    language: &str,
    assignee: &str,
    zone: Option<&str>,
) -> io::Result<()> {
    let task = &catalog.tasks[occurrence.task];
    // The occurrence of one team of a task of several names that team only.
    let owners = occurrence
        .team
        .as_ref()
        .map_or(&task.teams[..], std::slice::from_ref);
    let team_ids: Vec<&str> = owners
        .iter()
        .map(|&t| catalog.teams[t].id.as_str())
        .collect();
    let team_names: Vec<&str> = owners
        .iter()
        .map(|&t| catalog.teams[t].name_in(language))
        .collect();
    let date = occurrence.date.to_string();
    let time = occurrence.time.map(super::format_time).unwrap_or_default();
    let window_end = occurrence
        .window_end
        .map(|d| d.to_string())
        .unwrap_or_default();
    let teams = team_ids.join(LIST_SEPARATOR);
    let names = team_names.join(LIST_SEPARATOR);
    let status = occurrence.status.map_or("", crate::track::Status::as_str);
    let done = occurrence
        .settled_by
        .as_ref()
        .filter(|r| r.action == crate::journal::Action::Done);
    let done_at = done.map(|r| r.on.to_string()).unwrap_or_default();
    let done_by = done.map_or("", |r| r.by.as_str());
    let reason = super::skip_reason(occurrence).unwrap_or_default();
    let cells = [
        date.as_str(),
        time.as_str(),
        task.id.as_str(),
        task.title_in(language),
        teams.as_str(),
        task.cadence_in(language),
        window_end.as_str(),
        if task.cadence.as_needed {
            "true"
        } else {
            "false"
        },
        task.description_in(language),
        names.as_str(),
        status,
        done_at.as_str(),
        done_by,
        reason,
        assignee,
    ];
    writer.write_record(
        cells
            .iter()
            .chain(zone.as_ref())
            .map(|cell| neutralize_formula(cell).into_owned()),
    )?;
    Ok(())
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
    use super::{Delimiter, Grid, LIST_SEPARATOR, Settings, listing, neutralize_formula};
    use crate::listing::{Cell, Layout};

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
