//! Argument types shared by several subcommands.

use std::str::FromStr;

use jiff::civil::Date;

use crate::calendar::add_days;

/// A date as typed on the command line: `today`, `tomorrow`, `yesterday` or `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateArg {
    /// Today in the catalog's time zone.
    Today,
    /// The day after today.
    Tomorrow,
    /// The day before today.
    Yesterday,
    /// A calendar date.
    On(Date),
}

impl FromStr for DateArg {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "today" => Ok(Self::Today),
            "tomorrow" => Ok(Self::Tomorrow),
            "yesterday" => Ok(Self::Yesterday),
            other => Date::strptime("%Y-%m-%d", other)
                .map(Self::On)
                .map_err(|_| format!("`{text}` is not a date; use YYYY-MM-DD (e.g. 2026-11-23), today, tomorrow or yesterday")),
        }
    }
}

impl DateArg {
    /// The date this stands for, given today.
    pub fn resolve(&self, today: Date) -> Option<Date> {
        match self {
            Self::Today => Some(today),
            Self::Tomorrow => add_days(today, 1),
            Self::Yesterday => add_days(today, -1),
            Self::On(date) => Some(*date),
        }
    }
}
