//! iCalendar exports (RFC 5545 section 3.1): whatever the catalog text, every physical line
//! is at most 75 octets of whole UTF-8 and ends with CRLF, there is no bare CR or LF, every
//! unfolded line is a property (`NAME;…:` or `NAME:`), and the fuzzed title comes back from
//! `SUMMARY` as one line of text: it can neither end the event nor start another property.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use socctl::render::write_calendar;

/// The title as a TEXT value must read back: line breaks as LF, tabs kept, other control
/// characters as spaces (worked out here, not taken from socctl).
fn expected_text(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// Reverses RFC 5545 TEXT escaping.
fn unescape(value: &str) -> String {
    let mut text = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            text.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => text.push('\n'),
            Some(c @ ('\\' | ';' | ',')) => text.push(c),
            other => panic!("a bad escape \\{other:?} in {value:?}"),
        }
    }
    text
}

fuzz_target!(|data: &[u8]| {
    let Some(case) = common::case(data) else {
        return;
    };
    for teams in [&[0][..], &[0, 1]] {
        let mut out = Vec::new();
        write_calendar(
            &mut out,
            &case.catalog,
            (teams, None),
            case.from,
            case.to,
            &case.options,
        )
        .expect("rendering");
        assert!(out.ends_with(b"\r\n"));
        for (at, byte) in out.iter().enumerate() {
            match byte {
                b'\r' => assert_eq!(out.get(at + 1), Some(&b'\n'), "a bare CR at {at}"),
                b'\n' => assert!(at > 0 && out[at - 1] == b'\r', "a bare LF at {at}"),
                _ => {}
            }
        }
        let mut logical: Vec<String> = Vec::new();
        for physical in out[..out.len() - 2].split(|b| *b == b'\n') {
            let physical = physical.strip_suffix(b"\r").unwrap_or(physical);
            assert!(
                physical.len() <= 75,
                "{} octets: {:?}",
                physical.len(),
                String::from_utf8_lossy(physical)
            );
            let text = std::str::from_utf8(physical).expect("each line is whole UTF-8");
            match text.strip_prefix(' ') {
                Some(rest) => logical
                    .last_mut()
                    .expect("a line to continue")
                    .push_str(rest),
                None => logical.push(text.to_owned()),
            }
        }
        let mut begun = 0;
        let mut summaries = Vec::new();
        for line in &logical {
            let name_end = line.find([';', ':']).expect("a property");
            let name = &line[..name_end];
            assert!(
                !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-'),
                "not a property name: {line:?}"
            );
            match line.as_str() {
                "BEGIN:VEVENT" => begun += 1,
                "END:VEVENT" => {}
                _ if name == "SUMMARY" => summaries.push(unescape(&line[name_end + 1..])),
                _ => {}
            }
        }
        assert_eq!(logical.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
        assert_eq!(logical.last().map(String::as_str), Some("END:VCALENDAR"));
        let ended = logical.iter().filter(|l| *l == "END:VEVENT").count();
        assert_eq!(begun, ended);
        assert_eq!(summaries.len(), begun);
        let title = case.catalog.tasks[0].title_in(case.options.language());
        let fuzzed_has_event = case.plan(teams).occurrences.iter().any(|o| o.task == 0);
        if fuzzed_has_event {
            assert_eq!(summaries[0], expected_text(title));
        }
    }
});
