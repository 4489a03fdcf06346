//! Cadence text: parsed or refused with a message, never a panic; what parses prints back
//! in a canonical form that parses to itself, and lists dates in order, inside the calendar.
#![no_main]

use std::collections::BTreeMap;

use jiff::civil::{Weekday, date};
use libfuzzer_sys::fuzz_target;
use socctl::cadence::{Schedule, parse, parse_with_aliases};
use socctl::calendar::{Calendar, Shift};

fuzz_target!(|text: &str| {
    let aliases = BTreeMap::from([
        ("weekly soc".to_owned(), "weekly on friday".to_owned()),
        ("patch tuesday".to_owned(), "monthly on the second tuesday".to_owned()),
    ]);
    let _ = parse_with_aliases(text, Weekday::Monday, &aliases);
    let cadence = match parse(text, Weekday::Sunday) {
        Ok(cadence) => cadence,
        Err(error) => {
            assert!(!error.message.is_empty());
            return;
        }
    };
    let canonical = cadence.to_string();
    let again = parse(&canonical, Weekday::Sunday)
        .unwrap_or_else(|e| panic!("{text:?} printed as {canonical:?}, which fails: {e}"));
    assert_eq!(again.to_string(), canonical);
    let Some(rule) = &cadence.rule else {
        return;
    };
    let calendar = Calendar::default();
    // Near the start, the middle and the end of the calendar's range.
    for (from, shift) in [
        (date(1, 1, 1), Shift::None),
        (date(2026, 11, 23), Shift::NextWorkday),
        (date(2026, 11, 23), Shift::PreviousWorkday),
        (date(9999, 11, 1), Shift::NextWorkday),
    ] {
        let schedule = Schedule {
            rule,
            at: cadence.at,
            start: Some(from),
            shift,
            calendar: &calendar,
        };
        let mut previous = None;
        for occurrence in schedule.occurrences_from(from).take(8) {
            assert!(occurrence.date >= from, "{canonical}: {occurrence:?} before {from}");
            assert!(previous < Some(occurrence.date), "{canonical}: not increasing");
            previous = Some(occurrence.date);
        }
    }
});
