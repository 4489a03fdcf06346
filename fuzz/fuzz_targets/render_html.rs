//! HTML plans: no markup from the catalog text survives unescaped. Every piece of fuzzed
//! text carries a marker, `<x-fuzz a="x-fuzz" b='x-fuzz'>`, which must never appear raw;
//! every tag in the page is one the renderer writes; every `&` starts a character reference.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use socctl::render::{Format, render_plan};

const MARKER: &str = "<x-fuzz a=\"x-fuzz\" b='x-fuzz'>";

/// The elements the HTML renderer writes.
const TAGS: &[&str] = &[
    "!DOCTYPE", "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "p",
    "section", "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
    "input", "label", "span", "footer", "small", "strong", "em", "time", "div", "ul", "li", "abbr",
    "br", "b", "i", "h3", "main",
];

fuzz_target!(|data: &[u8]| {
    let Some(&selector) = data.first() else {
        return;
    };
    // The marker goes before, inside and after each piece of text.
    let mut marked = vec![selector];
    for (i, piece) in data[1..].split(|b| *b == 0xFF).take(6).enumerate() {
        if i > 0 {
            marked.push(0xFF);
        }
        let middle = piece.len() / 2;
        marked.extend_from_slice(MARKER.as_bytes());
        marked.extend_from_slice(&piece[..middle]);
        marked.extend_from_slice(MARKER.as_bytes());
        marked.extend_from_slice(&piece[middle..]);
        marked.extend_from_slice(MARKER.as_bytes());
    }
    let Some(case) = common::case(&marked) else {
        return;
    };
    let plan = case.plan(&[0, 1]);
    let mut out = Vec::new();
    render_plan(&mut out, &case.catalog, &plan, Format::Html, &case.options).expect("rendering");
    let page = String::from_utf8(out).expect("UTF-8");
    for raw in [
        "<x-fuzz", "\"x-fuzz", "'x-fuzz", "x-fuzz\"", "x-fuzz'", "'>",
    ] {
        assert!(!page.contains(raw), "{raw} unescaped in\n{page}");
    }
    for (at, _) in page.match_indices('<') {
        let rest = &page[at + 1..];
        let name: String = rest
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '!')
            .collect();
        assert!(
            TAGS.contains(&name.as_str()),
            "an unexpected tag <{name} at byte {at}:\n{page}"
        );
    }
    for (at, _) in page.match_indices('&') {
        let rest = &page[at + 1..];
        let reference: String = rest.chars().take_while(|c| *c != ';').take(10).collect();
        let valid = ["amp", "lt", "gt", "quot", "#39", "nbsp", "ndash", "mdash"]
            .contains(&reference.as_str())
            || (reference.starts_with('#') && reference[1..].chars().all(|c| c.is_ascii_digit()));
        assert!(
            valid,
            "a bare & at byte {at}: {:?}",
            &page[at..(at + 20).min(page.len())]
        );
    }
});
