//! Holiday files (`holidays_ics:`): untrusted iCalendar text never panics, and every
//! problem it reports is at a line of the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use socctl::catalog::parse_holidays;

fuzz_target!(|text: &str| {
    let (holidays, problems) = parse_holidays(text);
    let lines = text.split('\n').count() as u64;
    for problem in &problems {
        assert!(
            (1..=lines.max(1)).contains(&problem.line),
            "{problem:?} outside 1..={lines}"
        );
    }
    for annual in &holidays.annual {
        assert!(annual.falls_on(annual.first));
    }
});
