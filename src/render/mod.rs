//! Output formats. Each renderer takes a finished [`Plan`] (or other computed data) and
//! writes to any `impl Write`, so tests render into a `Vec<u8>`.

mod completion;
mod csv;
mod days;
pub mod email;
mod html;
mod ics;
mod json;
mod layout;
mod markdown;
mod table;
mod terminal;
mod text;

use std::io::{self, Write};

use serde::Serialize;

use crate::calendar::format_time;
use crate::catalog::Catalog;
use crate::i18n::Locale;
use crate::listing::{Cell, Layout, Listing};
use crate::plan::{Carried, Plan, PlannedOccurrence, View};
use crate::track::Status;

pub(crate) use days::Days;

/// An output format. (The command line has its own copy, `cli::FormatArg`, so that clap
/// stays in the CLI layer.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A table sized to the terminal (the default on a terminal).
    Table,
    /// Plain text within 78 columns, no colour: for cron and e-mail bodies (the default when
    /// output is not a terminal).
    Text,
    /// A Markdown checklist to paste or print.
    Markdown,
    /// Machine-readable JSON.
    Json,
    /// RFC 4180 CSV, one occurrence a row, for spreadsheets.
    Csv,
    /// A standalone, printable HTML page.
    Html,
    /// A complete e-mail (RFC 5322) for one team, for `sendmail -t`.
    Email,
    /// One Nagios/Icinga plugin status line with performance data (`overdue` only).
    Nagios,
}

impl Format {
    /// Whether [`stream_plan`] writes a range in this format as it is computed. A table
    /// needs every row to size its columns, and an e-mail is one message.
    pub fn streams(self) -> bool {
        !matches!(self, Self::Table | Self::Email | Self::Nagios)
    }

    /// The name the command line uses for the format.
    pub fn name(self) -> &'static str {
        match self {
            Self::Table => "table",
            Self::Text => "text",
            Self::Markdown => "markdown",
            Self::Json => "json",
            Self::Csv => "csv",
            Self::Html => "html",
            Self::Email => "email",
            Self::Nagios => "nagios",
        }
    }
}

/// The formats of listings (`tasks`, `teams`, `history`, …): the plan's formats but the
/// page and message ones, which are for checklists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListingFormat {
    /// A table sized to the terminal.
    Table,
    /// Plain text within 78 columns: no box drawing, no colour.
    Text,
    /// A Markdown table.
    Markdown,
    /// RFC 4180 CSV with the JSON field names as headers.
    Csv,
    /// JSON: the rows' fields, the same in every language.
    Json,
}

impl ListingFormat {
    /// The names of the listing formats, for messages.
    pub const NAMES: &'static str = "table, text, markdown, csv or json";

    /// The listing form of `format`, if it has one.
    pub fn of(format: Format) -> Option<Self> {
        match format {
            Format::Table => Some(Self::Table),
            Format::Text => Some(Self::Text),
            Format::Markdown => Some(Self::Markdown),
            Format::Csv => Some(Self::Csv),
            Format::Json => Some(Self::Json),
            Format::Html | Format::Email | Format::Nagios => None,
        }
    }
}

/// A listing laid out for the text formats: translated headers and rows of cells.
pub(crate) struct Grid {
    /// The translated column headers.
    headers: Vec<String>,
    /// The CSV headers (the JSON field names).
    fields: Vec<&'static str>,
    /// One cell per column in every row.
    rows: Vec<Vec<Cell>>,
    /// What to say instead of an empty table, translated.
    empty: Option<String>,
    /// How the rows read as plain text.
    layout: Layout,
    /// Which columns may be left out when empty ([`crate::listing::Column::optional`]).
    optional: Vec<bool>,
}

impl Grid {
    fn new(listing: &(impl Listing + ?Sized), locale: &Locale) -> Self {
        Self::of(listing, locale, listing.rows(locale))
    }

    /// The grid of a listing for CSV (see [`Listing::csv_rows`]).
    fn csv(listing: &(impl Listing + ?Sized), locale: &Locale) -> Self {
        Self::of(listing, locale, listing.csv_rows(locale))
    }

    fn of(listing: &(impl Listing + ?Sized), locale: &Locale, rows: Vec<Vec<Cell>>) -> Self {
        let columns = listing.columns();
        Self {
            headers: columns
                .iter()
                .map(|c| locale.text(c.header).to_owned())
                .collect(),
            fields: columns.iter().map(|c| c.field).collect(),
            rows,
            empty: listing.empty().map(|note| note.text(locale)),
            layout: listing.layout(),
            optional: columns.iter().map(|c| c.optional).collect(),
        }
    }
}

impl Grid {
    /// The grid without its optional columns that are empty in every row (`tasks`
    /// without any `estimate`), for the formats people read; CSV keeps every column, so
    /// scripts find the same ones whatever the catalog holds.
    fn without_empty_columns(mut self) -> Self {
        if self.layout != Layout::Records || self.rows.is_empty() {
            return self;
        }
        let empty: Vec<bool> = (0..self.headers.len())
            .map(|column| {
                self.optional.get(column).copied().unwrap_or(false)
                    && self.rows.iter().all(|row| match row.get(column) {
                        Some(Cell::Text(text)) => text.is_empty(),
                        Some(Cell::List(items)) => items.is_empty(),
                        None => true,
                    })
            })
            .collect();
        if !empty.contains(&true) {
            return self;
        }
        let keep = |index: &usize| !empty[*index];
        self.headers = take(self.headers, keep);
        self.fields = take(self.fields, keep);
        self.rows = self.rows.into_iter().map(|row| take(row, keep)).collect();
        self.optional = take(self.optional, keep);
        self
    }
}

/// The items of `items` whose index `keep` accepts.
fn take<T>(items: Vec<T>, keep: impl Fn(&usize) -> bool) -> Vec<T> {
    items
        .into_iter()
        .enumerate()
        .filter(|(index, _)| keep(index))
        .map(|(_, item)| item)
        .collect()
}

/// The shipped, timed and iCalendar fixtures' catalogs, each with its plan for all its
/// teams from 2025-12-01 to 2027-12-31 (more days than [`DateTexts`] keeps at once).
#[cfg(test)]
pub(crate) fn fixture_plans() -> Vec<(&'static str, Catalog, Plan)> {
    ["shipped", "timed", "ics"]
        .into_iter()
        .map(|name| {
            let catalog = crate::catalog::fixture(name);
            let teams: Vec<usize> = (0..catalog.teams.len()).collect();
            let plan = crate::plan::plan(
                &catalog,
                jiff::civil::date(2025, 12, 1),
                jiff::civil::date(2027, 12, 31),
                &teams,
                View::Range,
            )
            .unwrap();
            (name, catalog, plan)
        })
        .collect()
}

#[cfg(test)]
impl Grid {
    /// A grid of `headers` (also the CSV fields) and one-line rows, for renderer tests.
    pub(crate) fn sample(headers: &[&'static str], rows: &[&[&str]], layout: Layout) -> Self {
        Self {
            headers: headers.iter().map(|&h| h.to_owned()).collect(),
            fields: headers.to_vec(),
            rows: rows
                .iter()
                .map(|row| row.iter().map(|&cell| Cell::text(cell)).collect())
                .collect(),
            empty: Some("nothing here".to_owned()),
            layout,
            optional: vec![false; headers.len()],
        }
    }
}

/// `date` as `YYYY-MM-DD` bytes, as ISO 8601 and `Date`'s `Display` write the years 1 to
/// 9999 (always four digits), built in place: the plan's writers call it twice for every
/// occurrence they write.
pub(crate) fn iso_date(date: jiff::civil::Date) -> [u8; 10] {
    let (year, month, day) = (
        date.year().unsigned_abs(),
        date.month().unsigned_abs(),
        date.day().unsigned_abs(),
    );
    let digit = |value: u16| b'0' + (value % 10) as u8;
    [
        digit(year / 1000),
        digit(year / 100),
        digit(year / 10),
        digit(year),
        b'-',
        digit(u16::from(month / 10)),
        digit(u16::from(month)),
        b'-',
        digit(u16::from(day / 10)),
        digit(u16::from(day)),
    ]
}

/// The [`iso_date`] texts of the dates written lately, each built once, the first time it
/// is asked for: a year's plan writes the same few hundred dates millions of times (an
/// entry's date and its window's end).
pub(crate) struct DateTexts {
    /// A text by month, day and the year's last bit: two years in a row never share a
    /// place, and finding one is a few instructions (no day count).
    kept: Vec<(jiff::civil::Date, [u8; 10])>,
}

impl DateTexts {
    /// Nothing kept yet.
    pub(crate) fn new() -> Self {
        Self { kept: Vec::new() }
    }

    /// `date`'s text.
    pub(crate) fn text(&mut self, date: jiff::civil::Date) -> [u8; 10] {
        if self.kept.is_empty() {
            // Every place starts with a date whose text it does not hold: 0001-01-01 never
            // sits at 9999-12-31's place and the rest are filled in as asked for.
            self.kept = vec![(crate::calendar::LAST_DATE, [0; 10]); 1024];
        }
        let place = (usize::from(date.year().unsigned_abs() & 1) << 9)
            | (usize::from(date.month().unsigned_abs()) << 5)
            | usize::from(date.day().unsigned_abs());
        let kept = &mut self.kept[place & 1023];
        if kept.0 != date || kept.1[0] == 0 {
            *kept = (date, iso_date(date));
        }
        kept.1
    }
}

/// Writes a listing in `format`.
pub fn render_listing(
    out: &mut (impl Write + ?Sized),
    listing: &impl Listing,
    format: ListingFormat,
    options: &RenderOptions,
) -> io::Result<()> {
    let grid = || Grid::new(listing, &options.locale);
    match format {
        ListingFormat::Table => table::listing(out, &grid().without_empty_columns(), options),
        ListingFormat::Text => text::listing(out, &grid().without_empty_columns()),
        ListingFormat::Markdown => markdown::listing(out, &grid().without_empty_columns()),
        ListingFormat::Csv => csv::listing(out, &Grid::csv(listing, &options.locale), options.csv),
        ListingFormat::Json => write_json(out, listing),
    }
}

/// How to render: language and terminal capabilities.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// Interface words and the language code for catalog translations.
    pub locale: Locale,
    /// Whether to use colour.
    pub color: bool,
    /// Output width in columns, when known.
    pub width: Option<u16>,
    /// Sender, recipients and date of `--format email` messages.
    pub email: email::EmailSettings,
    /// The delimiter and byte order mark of CSV.
    pub csv: CsvSettings,
    /// When the checklist is made, in the catalog's time zone, for the printed page (the
    /// clock is read by the CLI, never here); `None` leaves the print date out.
    pub printed: Option<jiff::civil::DateTime>,
    /// The journal's cover records, which decide who does an occurrence alongside the
    /// catalog's assignments (see [`crate::people`]).
    pub cover: std::sync::Arc<crate::people::Cover>,
}

impl Default for RenderOptions {
    fn default() -> Self {
        Self {
            locale: Locale::english(),
            color: false,
            width: None,
            email: email::EmailSettings::default(),
            csv: CsvSettings::default(),
            printed: None,
            cover: std::sync::Arc::default(),
        }
    }
}

impl RenderOptions {
    /// The language code catalog text is looked up in.
    pub fn language(&self) -> &str {
        self.locale.code()
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

/// The time zones a plan's dates and times are in: its teams' zones, each once, in team
/// order (the catalog's when the plan has no team).
pub fn plan_zones<'c>(catalog: &'c Catalog, plan: &Plan) -> Vec<&'c str> {
    let mut zones = Vec::new();
    for &team in &plan.teams {
        let zone = catalog.zone_name_of(team);
        if !zones.contains(&zone) {
            zones.push(zone);
        }
    }
    if zones.is_empty() {
        zones.push(catalog.time_zone_name.as_str());
    }
    zones
}

/// A team's heading in a plan: its name in `language`, and its time zone in parentheses
/// when the plan's teams are in several (`Tokyo (Asia/Tokyo)`), so a printed sheet says
/// which clock each team's times are on.
pub fn team_heading<'c>(
    catalog: &'c Catalog,
    plan: &Plan,
    team: usize,
    language: &str,
) -> std::borrow::Cow<'c, str> {
    let name = catalog.teams[team].name_in(language);
    if plan_zones(catalog, plan).len() > 1 {
        format!("{name} ({})", catalog.zone_name_of(team)).into()
    } else {
        name.into()
    }
}

/// The zone of an occurrence's date and time: its team's (for an entry of every team of a
/// task, the first team's, which they share; see `Catalog::splits`).
pub fn occurrence_zone(catalog: &Catalog, task: usize, team: Option<usize>) -> &str {
    let owner = team.or_else(|| catalog.tasks[task].teams.first().copied());
    owner.map_or(catalog.time_zone_name.as_str(), |t| catalog.zone_name_of(t))
}

/// The heading of a plan, in the render language: what range it covers, in which time
/// zone (or zones, when its teams keep their own: `(Europe/Copenhagen, Asia/Tokyo)`).
pub fn plan_heading(catalog: &Catalog, plan: &Plan, locale: &Locale) -> String {
    let zones = plan_zones(catalog, plan).join(", ");
    let zone = zones.as_str();
    match plan.view {
        View::Day => locale.format(
            "heading_due",
            &[("date", &locale.long_date(plan.from)), ("zone", zone)],
        ),
        View::Week => {
            // The ISO week holding most of the days: the one of the week's fourth day.
            let middle = crate::calendar::add_days(plan.from, 3).unwrap_or(plan.from);
            let (year, week) = crate::calendar::iso_week(middle);
            locale.format(
                "heading_week",
                &[
                    ("week", &format!("{year}-W{week:02}")),
                    ("from", &locale.long_date(plan.from)),
                    ("to", &locale.long_date(plan.to)),
                    ("zone", zone),
                ],
            )
        }
        View::Range => locale.format(
            "heading_plan",
            &[
                ("from", &plan.from.to_string()),
                ("to", &plan.to.to_string()),
                ("zone", zone),
            ],
        ),
    }
}

/// The occurrences of a plan owned by `team`.
pub fn occurrences_of_team<'p>(
    catalog: &'p Catalog,
    plan: &'p Plan,
    team: usize,
) -> impl Iterator<Item = &'p PlannedOccurrence> {
    plan.occurrences.iter().filter(move |o| {
        o.team.map_or_else(
            || catalog.tasks[o.task].teams.contains(&team),
            |t| t == team,
        )
    })
}

/// Who does an occurrence for one team, in words for people: the member's id, `unassigned`
/// (in the render language) when nobody is available, and `None` when the task names
/// nobody in particular (nothing is shown).
pub fn assignee_label(locale: &Locale, who: crate::people::Who<'_>) -> Option<String> {
    match who {
        crate::people::Who::Anyone => None,
        crate::people::Who::Nobody => Some(locale.text("assignment_unassigned").to_owned()),
        crate::people::Who::Member(member) => Some(member.id.clone()),
    }
}

/// [`assignee_label`] as a phrase for a checklist line: `assigned to ana`, `unassigned`.
pub fn assignee_phrase(locale: &Locale, who: crate::people::Who<'_>) -> Option<String> {
    match who {
        crate::people::Who::Member(member) => {
            Some(format!("{} {}", locale.text("field_assignment"), member.id))
        }
        other => assignee_label(locale, other),
    }
}

/// The carried-over work of a plan owned by `team`.
pub fn carried_of_team<'p>(
    catalog: &'p Catalog,
    plan: &'p Plan,
    team: usize,
) -> impl Iterator<Item = &'p Carried> {
    plan.carried.iter().filter(move |c| {
        c.team.map_or_else(
            || catalog.tasks[c.task].teams.contains(&team),
            |t| t == team,
        )
    })
}

/// A status in the render language ("open", "åben", "未完了").
pub fn status_label(locale: &Locale, status: Status) -> &str {
    locale.text(match status {
        Status::Upcoming => "status_upcoming",
        Status::Open => "status_open",
        Status::Done => "status_done",
        Status::Skipped => "status_skipped",
        Status::Overdue => "status_overdue",
        Status::Triggered => "status_triggered",
    })
}

/// How carried-over work reads: "overdue ×30 since 2026-10-22, deadline passed at the end
/// of 2026-10-22", "still open from 2026-11-23, on time until the end of 2026-11-29".
pub fn carried_label(locale: &Locale, carried: &Carried) -> String {
    let key = match (carried.status, carried.deadline) {
        (Status::Overdue, Some(_)) => "carried_overdue_deadline",
        (Status::Overdue, None) => "carried_overdue",
        (Status::Triggered, _) => "carried_triggered",
        (_, Some(_)) => "carried_open_deadline",
        (_, None) => "carried_open",
    };
    let deadline = carried
        .deadline
        .map(|d| locale.deadline(d))
        .unwrap_or_default();
    locale.format(
        key,
        &[
            ("count", &carried.count.to_string()),
            ("since", &carried.since.to_string()),
            ("deadline", &deadline),
        ],
    )
}

/// The mark of a carried-over entry, in plain text and as a symbol: overdue work is
/// flagged (`[!]`, ⚠), work still open from an earlier window is not (`[>]`, ↪).
pub fn carried_mark(carried: &Carried) -> (&'static str, &'static str) {
    if carried.status == Status::Overdue {
        ("[!]", "\u{26a0}")
    } else {
        ("[>]", "\u{21aa}")
    }
}

/// The status of an occurrence for display, with who settled it and when ("done 2026-11-23
/// (alice)"), and for a skipped one why ("skipped 2026-11-24 (bob): change freeze"); empty
/// without a journal. The reason is journal text: each format escapes it as it escapes the
/// rest of the status.
pub fn occurrence_status(locale: &Locale, occurrence: &PlannedOccurrence) -> String {
    let Some(status) = occurrence.status else {
        return String::new();
    };
    match &occurrence.settled_by {
        Some(record) => {
            let mut shown = format!(
                "{} {} ({})",
                status_label(locale, status),
                record.on,
                record.by
            );
            if let Some(reason) = skip_reason(occurrence) {
                shown.push_str(": ");
                shown.push_str(reason);
            }
            shown
        }
        None => status_label(locale, status).to_owned(),
    }
}

/// Why a skipped occurrence was skipped: the `skipped` record's note (`skip --reason`);
/// `None` for any other occurrence, or a skip recorded without one (an old import).
pub fn skip_reason(occurrence: &PlannedOccurrence) -> Option<&str> {
    occurrence
        .settled_by
        .as_ref()
        .filter(|r| r.action == crate::journal::Action::Skipped)
        .and_then(|r| r.note.as_deref())
        .filter(|note| !note.is_empty())
}

/// Writes the plan of `from..=to` for `teams`, without a journal, in `format`, computed a
/// day at a time as it is written ([`crate::plan::stream`]): the same bytes as
/// [`render_plan`] of the whole plan, in memory that grows with the catalog, not the range.
/// Formats that do not [`Format::streams`] get the whole plan. The range must be one
/// [`crate::plan::check_range`] accepts.
pub fn stream_plan(
    out: &mut (impl Write + ?Sized),
    catalog: &Catalog,
    (from, to): (jiff::civil::Date, jiff::civil::Date),
    teams: &[usize],
    format: Format,
    options: &RenderOptions,
) -> io::Result<()> {
    let frame = Plan {
        from,
        to,
        view: View::Range,
        teams: teams.to_vec(),
        occurrences: Vec::new(),
        tracked: false,
        carried: Vec::new(),
    };
    let days = Days::streamed(catalog, &frame);
    match format {
        Format::Json if !catalog.has_team_calendars() => {
            let mut writer = JsonPlanWriter::new(catalog, options);
            crate::plan::stream_entries(catalog, from, to, teams, |day| writer.day(out, day))?;
            writer.finish(out)
        }
        Format::Csv if !catalog.has_team_calendars() => {
            csv::stream_plan(out, catalog, (from, to), teams, options)
        }
        Format::Json => {
            let mut writer = JsonPlanWriter::new(catalog, options);
            crate::plan::stream(catalog, from, to, teams, |day| writer.occurrences(out, day))?;
            writer.finish(out)
        }
        Format::Text => text::plan(out, catalog, &days, options),
        Format::Markdown => markdown::plan(out, catalog, &days, options),
        Format::Csv => csv::plan(out, catalog, &days, options),
        Format::Html => html::plan(out, catalog, &days, options),
        Format::Table | Format::Email | Format::Nagios => {
            let plan = crate::plan::plan(catalog, from, to, teams, View::Range)
                .map_err(io::Error::other)?;
            render_plan(out, catalog, &plan, format, options)
        }
    }
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
        Format::Text => text::plan(out, catalog, &Days::of(catalog, plan), options),
        Format::Markdown => markdown::plan(out, catalog, &Days::of(catalog, plan), options),
        Format::Json => json::plan(out, catalog, plan, options),
        Format::Csv => csv::plan(out, catalog, &Days::of(catalog, plan), options),
        Format::Html => html::plan(out, catalog, &Days::of(catalog, plan), options),
        Format::Email => email::plan(out, catalog, plan, options),
        Format::Nagios => Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "a plan has no nagios format",
        )),
    }
}

pub use self::csv::{
    Delimiter as CsvDelimiter, HEADER as CSV_HEADER, LIST_SEPARATOR as CSV_LIST_SEPARATOR,
    Settings as CsvSettings, neutralize_formula,
};
pub use completion::render_report;
pub(crate) use html::escape as escape_html;
pub use ics::write_calendar;
pub use json::{PlanWriter as JsonPlanWriter, due_day as write_due_day_json, write_json};
pub use markdown::escape as escape_markdown;
pub use table::{
    DEFAULT_WIDTH, MAX_TABLE_ROWS, TableTooLarge, check_table_rows, new_table, safe, safe_cell,
};
pub use terminal::{TerminalSafe, is_unsafe_for_terminal, terminal_text};
pub use text::{MAX_WIDTH as TEXT_WIDTH, wrap, write_diagnostics};

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    #[test]
    fn date_texts_are_iso_dates_however_far_apart() {
        let mut texts = super::DateTexts::new();
        for (day, text) in [
            (date(2026, 1, 1), "2026-01-01"),
            (date(2026, 12, 31), "2026-12-31"),
            (date(2026, 1, 1), "2026-01-01"),
            (date(2025, 12, 31), "2025-12-31"),
            (date(9999, 12, 31), "9999-12-31"),
            (date(1, 1, 1), "0001-01-01"),
            (date(1, 1, 2), "0001-01-02"),
        ] {
            assert_eq!(texts.text(day), text.as_bytes(), "{text}");
            assert_eq!(texts.text(day), text.as_bytes(), "{text} again");
        }
        let mut texts = super::DateTexts::new();
        assert_eq!(texts.text(date(2026, 3, 1)), *b"2026-03-01");
        for (day, text) in [
            (date(2026, 3, 2), "2026-03-02"),
            (date(2027, 7, 1), "2027-07-01"),
            (date(2031, 1, 1), "2031-01-01"),
            (date(2026, 2, 28), "2026-02-28"),
        ] {
            assert_eq!(texts.text(day), text.as_bytes(), "{text}");
        }
    }

    #[test]
    fn iso_dates_have_four_digit_years_and_two_digit_months_and_days() {
        for (day, text) in [
            (date(1, 1, 1), "0001-01-01"),
            (date(999, 9, 9), "0999-09-09"),
            (date(2024, 2, 29), "2024-02-29"),
            (date(2026, 11, 23), "2026-11-23"),
            (date(9999, 12, 31), "9999-12-31"),
        ] {
            assert_eq!(super::iso_date(day), text.as_bytes(), "{text}");
        }
    }
}
