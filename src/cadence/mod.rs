//! The recurrence language: what a cadence says, how it prints back, and when it falls.
//!
//! A [`Cadence`] is parsed once from catalog text ([`parse`]), prints back in one canonical
//! form ([`Cadence`]'s `Display`), and yields dates through a [`Schedule`], which adds the
//! task's anchor date and shift rule and the catalog's calendar.

mod cron;
mod parse;
mod rule;
mod schedule;

pub use parse::{ACCEPTED_FORMS, CadenceError, normalize_phrase, parse, parse_with_aliases};
#[cfg(test)]
pub(crate) use rule::{CRONER_PARSES, forget_parsed};
pub use rule::{Cadence, MonthDay, Ordinal, Rule};
pub use schedule::{Occurrence, Occurrences, Schedule};
