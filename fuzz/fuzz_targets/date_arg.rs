//! Date arguments (`--date`, `--from`, `--to`, `SOCCTL_TODAY`): a date in 0001–9999,
//! a relative word, or a message; resolving never panics, even at the calendar's edges.
#![no_main]

use jiff::civil::date;
use libfuzzer_sys::fuzz_target;
use socctl::calendar::parse_date;
use socctl::cli::DateArg;

fuzz_target!(|text: &str| {
    if let Some(parsed) = parse_date(text) {
        assert!((1..=9999).contains(&parsed.year()));
        assert_eq!(parsed.to_string(), text);
    }
    match text.parse::<DateArg>() {
        Ok(arg) => {
            for today in [date(1, 1, 1), date(2026, 11, 23), date(9999, 12, 31)] {
                if let Some(resolved) = arg.resolve(today) {
                    assert!((1..=9999).contains(&resolved.year()));
                }
            }
            if let DateArg::On(on) = arg {
                assert_eq!(on.to_string(), text.trim());
            }
        }
        Err(message) => assert!(message.contains("is not a date"), "{message}"),
    }
});
