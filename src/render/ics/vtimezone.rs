//! How times of day are written (floating, UTC or with a `TZID`), and the `VTIMEZONE`
//! that defines a `TZID` from the time zone database.

use jiff::civil::{Date, Time};
use jiff::tz::{Offset, TimeZone};

use super::fold::Lines;
use super::value::{date_time_value, escape_text, offset_value, param_value};
use crate::calendar::add_days;
use crate::catalog::Catalog;

/// How times of day are written.
#[derive(Clone)]
pub(super) enum ZoneStyle {
    /// In UTC, with `Z`.
    Utc,
    /// As wall-clock times with a `TZID` and a `VTIMEZONE`.
    Named { zone: TimeZone, tzid: String },
}

impl ZoneStyle {
    pub(super) fn of(catalog: &Catalog) -> Self {
        Self::of_zone(&catalog.calendar.time_zone, &catalog.time_zone_name)
    }

    /// The style of `zone` (named `name` when the database gives it no name).
    pub(super) fn of_zone(zone: &TimeZone, name: &str) -> Self {
        let name = zone.iana_name().unwrap_or(name).to_owned();
        if ["UTC", "Etc/UTC"]
            .iter()
            .any(|u| name.eq_ignore_ascii_case(u))
        {
            Self::Utc
        } else {
            Self::Named {
                zone: zone.clone(),
                tzid: name,
            }
        }
    }

    /// The `TZID`, or `None` for UTC.
    pub(super) fn tzid(&self) -> Option<&str> {
        match self {
            Self::Utc => None,
            Self::Named { tzid, .. } => Some(tzid),
        }
    }

    /// The parameters and value of a date-time property: `;TZID=…:local` or `:utcZ`.
    pub(super) fn date_time(&self, date: Date, time: Time) -> String {
        let value = date_time_value(date.to_datetime(time));
        match self {
            Self::Utc => format!(":{value}Z"),
            Self::Named { tzid, .. } => format!(";TZID={}:{value}", param_value(tzid)),
        }
    }

    /// The instant at the end of `date` in this zone, in UTC, as an `RRULE` `UNTIL` value.
    pub(super) fn end_of_day_utc(&self, date: Date) -> String {
        let last = date.to_datetime(Time::constant(23, 59, 59, 0));
        let utc = match self {
            Self::Utc => Some(last),
            Self::Named { zone, .. } => zone
                .to_ambiguous_timestamp(last)
                .later()
                .ok()
                .map(|ts| Offset::UTC.to_datetime(ts)),
        };
        format!("{}Z", date_time_value(utc.unwrap_or(last)))
    }
}

/// A `VTIMEZONE` for `zone` that covers `first` to `last`: the transition in force on
/// `first` and every one up to `last`, each as its own `STANDARD` or `DAYLIGHT`
/// sub-component.
pub(super) fn write_vtimezone(
    lines: &mut Lines,
    zone: &TimeZone,
    tzid: &str,
    first: Date,
    last: Date,
) {
    // Near the ends of the engine's range the margins shrink, and an instant may be out of
    // jiff's range: then the range's own ends do.
    let instant = |date: Date, fallback: jiff::Timestamp| {
        zone.to_ambiguous_timestamp(date.to_datetime(Time::midnight()))
            .compatible()
            .unwrap_or(fallback)
    };
    let begin = instant(add_days(first, -1).unwrap_or(first), jiff::Timestamp::MIN);
    let end = instant(add_days(last, 2).unwrap_or(last), jiff::Timestamp::MAX);
    lines.push("BEGIN:VTIMEZONE");
    lines.push(&format!("TZID:{}", escape_text(tzid)));
    let mut transitions: Vec<_> = zone.preceding(begin).take(1).collect();
    transitions.extend(zone.following(begin).take_while(|t| t.timestamp() <= end));
    if transitions.is_empty() {
        let info = zone.to_offset_info(begin);
        let offset = offset_value(info.offset());
        lines.push("BEGIN:STANDARD");
        lines.push(&format!(
            "DTSTART:{}",
            date_time_value(info.offset().to_datetime(begin))
        ));
        lines.push(&format!("TZOFFSETFROM:{offset}"));
        lines.push(&format!("TZOFFSETTO:{offset}"));
        lines.push(&format!("TZNAME:{}", escape_text(info.abbreviation())));
        lines.push("END:STANDARD");
    }
    for transition in &transitions {
        let at = transition.timestamp();
        let before = at
            .checked_sub(jiff::SignedDuration::from_secs(1))
            .map_or(transition.offset(), |ts| zone.to_offset(ts));
        let kind = if transition.dst().is_dst() {
            "DAYLIGHT"
        } else {
            "STANDARD"
        };
        lines.push(&format!("BEGIN:{kind}"));
        lines.push(&format!(
            "DTSTART:{}",
            date_time_value(before.to_datetime(at))
        ));
        lines.push(&format!("TZOFFSETFROM:{}", offset_value(before)));
        lines.push(&format!("TZOFFSETTO:{}", offset_value(transition.offset())));
        lines.push(&format!(
            "TZNAME:{}",
            escape_text(transition.abbreviation())
        ));
        lines.push(&format!("END:{kind}"));
    }
    lines.push("END:VTIMEZONE");
}
