//! `--format email` messages: whatever the catalog text (the team's name reaches Subject and
//! To), the header block is 7-bit, has no bare CR or LF (LF line ends in the local form,
//! CRLF on the wire), every line is at most 998 octets, every line either starts a header
//! socctl writes or continues one (folded with leading white space), each header appears
//! once, and the Subject and the To name decode back to the catalog's text on one line.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use mail_parser::MessageParser;
use socctl::render::email::{header_text, message, subject};
use socctl::render::{Format, render_plan};

const HEADERS: &[&str] = &[
    "From",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "User-Agent",
    "Auto-Submitted",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
];

/// The header block of `raw`, whose line end is `eol`, as lines.
fn header_lines<'a>(raw: &'a [u8], eol: &str) -> Vec<&'a str> {
    let text = std::str::from_utf8(raw).expect("7-bit");
    let end = text.find(&format!("{eol}{eol}")).expect("a header block");
    text[..end].split(eol).collect()
}

fn check_headers(lines: &[&str]) {
    let mut seen = Vec::new();
    for line in lines {
        assert!(line.is_ascii(), "not 7-bit: {line:?}");
        assert!(!line.contains(['\r', '\n']), "a bare CR or LF: {line:?}");
        // RFC 5322 section 2.1.1: a line MUST be at most 998 octets (78 is a SHOULD, which
        // lettre keeps by folding at white space only: a long word stays whole).
        assert!(line.len() <= 998, "{} octets: {line:?}", line.len());
        if line.starts_with([' ', '\t']) {
            assert!(!seen.is_empty(), "a continuation first");
            assert!(!line.trim().is_empty(), "a blank continuation: {line:?}");
            continue;
        }
        let (name, _) = line
            .split_once(": ")
            .unwrap_or_else(|| panic!("not a header: {line:?}"));
        assert!(HEADERS.contains(&name), "an unexpected header {name:?}");
        assert!(!seen.contains(&name), "{name} twice");
        seen.push(name);
    }
}

fuzz_target!(|data: &[u8]| {
    let Some(case) = common::case(data) else {
        return;
    };
    let plan = case.plan(&[0]);
    let mut out = Vec::new();
    render_plan(&mut out, &case.catalog, &plan, Format::Email, &case.options).expect("rendering");
    assert!(!out.contains(&b'\r'), "a CR in the local form");
    check_headers(&header_lines(&out, "\n"));

    let built =
        message(&case.catalog, &plan, 0, &case.options, &case.options.email).expect("a message");
    let wire = built.formatted();
    for (at, byte) in wire.iter().enumerate() {
        match byte {
            b'\r' => assert_eq!(wire.get(at + 1), Some(&b'\n'), "a bare CR at {at}"),
            b'\n' => assert!(at > 0 && wire[at - 1] == b'\r', "a bare LF at {at}"),
            _ => {}
        }
    }
    check_headers(&header_lines(&wire, "\r\n"));
    // The same header block as the local form, but for its line ends.
    assert_eq!(
        header_lines(&wire, "\r\n").len(),
        header_lines(&out, "\n").len()
    );

    let parsed = MessageParser::default()
        .parse(&out)
        .expect("a parsable message");
    let language = case.options.language();
    let expected = subject(&case.catalog, &plan, 0, &case.options.locale);
    assert!(!expected.contains(|c: char| c.is_control()));
    assert_eq!(parsed.subject(), Some(expected.as_str()));
    let to: Vec<_> = parsed.to().expect("To").iter().collect();
    assert_eq!(to.len(), 1);
    assert_eq!(to[0].address(), Some("fuzzed@example.org"));
    let name = header_text(case.catalog.teams[0].name_in(language));
    assert_eq!(to[0].name().unwrap_or_default(), name);
});
