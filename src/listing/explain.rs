//! `socctl explain`: how a cadence is read and when it falls next, field by field (as
//! `systemd-analyze calendar` shows a timer).

use jiff::civil::Date;
use serde::Serialize;

use super::{Cell, Column, FIELD_COLUMNS, Layout, Listing, Note};
use crate::cadence::{Cadence, Schedule};
use crate::calendar::format_time;
use crate::calendar::{Calendar, Shift, weekday_name};
use crate::i18n::Locale;

/// A cadence explained: its readings and its next dates.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// The cadence as typed.
    pub original: String,
    /// Its canonical form.
    pub canonical: String,
    /// Whether it can be triggered as needed.
    pub as_needed: bool,
    /// Whether it has a schedule.
    pub scheduled: bool,
    /// Its next dates.
    pub dates: Vec<DateRow>,
    /// The calendar it was read in, for the text formats.
    #[serde(skip)]
    pub setting: Setting,
}

/// A date a cadence falls on.
#[derive(Debug, Clone, Serialize)]
pub struct DateRow {
    /// The day.
    pub date: Date,
    /// The time of day, `HH:MM`, when the rule has one.
    pub time: Option<String>,
}

/// The calendar and range an explanation was worked out in.
#[derive(Debug, Clone)]
pub struct Setting {
    /// The time zone's name.
    pub zone: String,
    /// The first day of the week.
    pub week_start: jiff::civil::Weekday,
    /// How many holidays the calendar has.
    pub holidays: usize,
    /// How dates move off non-work days.
    pub shift: Shift,
    /// The anchor of "every N …" rules, when there is one.
    pub start: Option<Date>,
    /// The first day looked at.
    pub from: Date,
}

/// What to explain: a parsed cadence and where to look for its dates.
#[derive(Debug, Clone, Copy)]
pub struct Question<'q> {
    /// The cadence as typed.
    pub original: &'q str,
    /// The cadence, parsed.
    pub cadence: &'q Cadence,
    /// The calendar of work days and holidays.
    pub calendar: &'q Calendar,
    /// The time zone's name.
    pub zone: &'q str,
    /// The first day looked at.
    pub from: Date,
    /// The anchor of "every N …" rules.
    pub start: Option<Date>,
    /// How dates move off non-work days.
    pub shift: Shift,
    /// How many dates to give.
    pub count: usize,
}

/// Works out the next dates of `question.cadence`.
pub fn explain(question: Question<'_>) -> Explanation {
    let cadence = question.cadence;
    let dates = cadence
        .rule
        .as_ref()
        .map(|rule| {
            let schedule = Schedule {
                rule,
                at: cadence.at,
                start: question.start,
                shift: question.shift,
                calendar: question.calendar,
            };
            schedule
                .occurrences_from(question.from)
                .take(question.count)
                .map(|o| DateRow {
                    date: o.date,
                    time: o.time.map(format_time),
                })
                .collect()
        })
        .unwrap_or_default();
    Explanation {
        original: question.original.to_owned(),
        canonical: cadence.to_string(),
        as_needed: cadence.as_needed,
        scheduled: cadence.rule.is_some(),
        dates,
        setting: Setting {
            zone: question.zone.to_owned(),
            week_start: question.calendar.week_start,
            holidays: question.calendar.holidays.len(),
            shift: question.shift,
            start: question.start,
            from: question.from,
        },
    }
}

impl Listing for Explanation {
    fn columns(&self) -> &'static [Column] {
        FIELD_COLUMNS
    }

    fn rows(&self, locale: &Locale) -> Vec<Vec<Cell>> {
        let setting = &self.setting;
        let field =
            |key: &str, value: String| vec![Cell::text(locale.text(key)), Cell::Text(value)];
        let mut calendar = Note::new("explain_calendar_value")
            .with("zone", &setting.zone)
            .with("weekday", weekday_name(setting.week_start))
            .with("count", setting.holidays.to_string())
            .text(locale);
        if setting.shift != Shift::None {
            calendar = Note::new("explain_shift")
                .with("calendar", calendar)
                .with("shift", setting.shift.to_string())
                .text(locale);
        }
        let mut rows = vec![
            field("explain_original", self.original.clone()),
            field("explain_normalized", self.canonical.clone()),
            field("explain_calendar", calendar),
        ];
        if let Some(start) = setting.start {
            rows.push(field("explain_anchor", start.to_string()));
        }
        if !self.scheduled {
            rows.push(field(
                "explain_next",
                locale.text("explain_never_scheduled").to_owned(),
            ));
            return rows;
        }
        if self.dates.is_empty() {
            rows.push(field(
                "explain_next",
                Note::new("explain_never")
                    .with("date", setting.from.to_string())
                    .text(locale),
            ));
        }
        for (index, date) in self.dates.iter().enumerate() {
            let label = if index == 0 {
                locale.text("explain_next").to_owned()
            } else {
                Note::new("explain_iteration")
                    .with("number", (index + 1).to_string())
                    .text(locale)
            };
            let mut value = format!(
                "{} {}",
                locale.weekday_short(date.date.weekday()),
                date.date
            );
            if let Some(time) = &date.time {
                value.push(' ');
                value.push_str(time);
            }
            rows.push(vec![Cell::Text(label), Cell::Text(value)]);
        }
        if self.as_needed {
            rows.push(vec![
                Cell::text(""),
                Cell::text(locale.text("explain_as_needed")),
            ]);
        }
        rows
    }

    fn layout(&self) -> Layout {
        Layout::Fields
    }
}
