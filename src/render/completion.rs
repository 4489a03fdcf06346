//! What every format of the completion report (`socctl report`) shares: the dispatch to
//! the format modules, which write the report beside their plans and listings, and the
//! figures' columns and wording.

use std::io::{self, Write};

use super::{Format, RenderOptions, csv, html, json, markdown, table, text};
use crate::catalog::Catalog;
use crate::i18n::Locale;
use crate::track::completion::{Report, Tally};

/// Writes a report in `format`; every format but e-mail has one.
pub fn render_report(
    out: &mut dyn Write,
    catalog: &Catalog,
    report: &Report,
    format: Format,
    options: &RenderOptions,
) -> io::Result<()> {
    match format {
        Format::Table => table::report(out, catalog, report, options),
        Format::Text => text::report(out, catalog, report, options),
        Format::Markdown => markdown::report(out, catalog, report, options),
        Format::Json => json::report(out, catalog, report, options),
        Format::Csv => csv::report(out, catalog, report, options),
        Format::Html => html::report(out, catalog, report, options),
        Format::Email | Format::Nagios => Err(io::Error::new(
            io::ErrorKind::Unsupported,
            format!("socctl report has no {} format", format.name()),
        )),
    }
}

/// A column of figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Column {
    Due,
    OnTime,
    Late,
    Skipped,
    Missed,
    Overdue,
    Open,
    Triggered,
    Rate,
    MedianDelay,
}

impl Column {
    pub(super) fn key(self) -> &'static str {
        match self {
            Self::Due => "column_due",
            Self::OnTime => "column_on_time",
            Self::Late => "column_late",
            Self::Skipped => "column_skipped",
            Self::Missed => "column_missed",
            Self::Overdue => "column_overdue",
            Self::Open => "column_open",
            Self::Triggered => "column_triggered",
            Self::Rate => "column_rate",
            Self::MedianDelay => "column_median_delay",
        }
    }

    pub(super) fn cell(self, tally: &Tally, locale: &Locale) -> String {
        let count = match self {
            Self::Due => tally.due,
            Self::OnTime => tally.on_time,
            Self::Late => tally.late,
            Self::Skipped => tally.skipped,
            Self::Missed => tally.missed,
            Self::Overdue => tally.overdue,
            Self::Open => tally.open,
            Self::Triggered => tally.triggered,
            Self::Rate => return rate_text(tally.completion_rate(), locale),
            Self::MedianDelay => return delay_text(tally.median_delay_days(), locale),
        };
        count.to_string()
    }
}

/// The figures shown: the triggered and overdue counts only when there are some, as a time
/// column appears only for timed tasks.
pub(super) fn columns(report: &Report) -> Vec<Column> {
    use Column::{Due, Late, MedianDelay, Missed, OnTime, Open, Overdue, Rate, Skipped, Triggered};
    let mut columns = vec![Due, OnTime, Late, Skipped, Missed];
    // Overdue with the window still open happens only under a deadline before the window's
    // end (`deadline: due day` on a `weekly` task): shown when it happened.
    if report.total.overdue > 0 {
        columns.push(Overdue);
    }
    columns.push(Open);
    if report.total.triggered > 0 {
        columns.push(Triggered);
    }
    columns.extend([Rate, MedianDelay]);
    columns
}

/// What stands for "no value" in a cell.
pub(super) const NONE: &str = "—";

/// A rate as whole percent; never 100 % unless all was done, never 0 % if anything was.
pub(super) fn rate_text(rate: Option<f64>, locale: &Locale) -> String {
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
pub(super) fn delay_text(days: Option<f64>, locale: &Locale) -> String {
    let Some(days) = days else {
        return NONE.to_owned();
    };
    if days.fract() == 0.0 {
        format!("{days:.0}")
    } else {
        format!("{days:.1}").replace('.', locale.text("decimal_point"))
    }
}

pub(super) fn heading(catalog: &Catalog, report: &Report, locale: &Locale) -> String {
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
pub(super) fn tracking(report: &Report, locale: &Locale) -> String {
    match report.tracking_start {
        Some(start) => locale.format("report_tracking_since", &[("date", &start.to_string())]),
        None => locale.text("report_no_journal").to_owned(),
    }
}

/// The summary of all teams is shown only when there is more than one team to sum up.
pub(super) fn has_summary(report: &Report) -> bool {
    report.teams.len() > 1
}

#[cfg(test)]
pub(super) mod sample {
    //! A small catalog and journal whose report every format's tests render.

    use jiff::civil::date;

    use super::render_report;
    use crate::catalog::Catalog;
    use crate::i18n::Locale;
    use crate::journal::{Action, Record};
    use crate::render::{Format, RenderOptions};
    use crate::track::completion::Report;
    use crate::track::{Period, report};

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

    pub(crate) fn sample(teams: &[usize], journal: bool) -> (Catalog, Report) {
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
            now: today.to_datetime(jiff::civil::Time::midnight()),
        };
        let report = report(
            &catalog,
            if journal { &records } else { &[] },
            teams,
            period,
        );
        (catalog, report)
    }

    /// The sample report in `format` and `language`, 100 columns wide.
    pub(crate) fn render_to_string(
        format: Format,
        language: &str,
        teams: &[usize],
        journal: bool,
    ) -> String {
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
}

#[cfg(test)]
mod tests {
    use super::{delay_text, rate_text};
    use crate::i18n::Locale;

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
}
