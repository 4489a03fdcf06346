//! What the renderer targets share: a small valid catalog built around fuzzer text.
//!
//! The input's first byte picks the cadence, language, time zone and view; the rest, split
//! at 0xFF bytes (never part of UTF-8, so a clean separator), gives up to six pieces of
//! text: title, description, team name, and the Danish title, team name and description.
//! Each piece is written into a fixed YAML skeleton as a double-quoted scalar with every
//! character outside printable ASCII as a `\u`/`\U` escape, so any text (CR, LF, NUL, ESC,
//! U+202E, …) reaches the catalog as it is and the renderers see it whole; the parser is
//! fuzzed by `catalog_load`, these targets fuzz what comes after it.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::Path;

use jiff::civil::{Date, date};
use socctl::catalog::{Catalog, load_sources};
use socctl::i18n::Locale;
use socctl::plan::{Plan, View, plan};
use socctl::render::RenderOptions;

/// Cadences a valid catalog may have: all-day, timed, monthly with short months, crontab
/// (written as an `RDATE` list in iCalendar), and never scheduled.
const CADENCES: [&str; 8] = [
    "daily",
    "weekly on monday, thursday",
    "daily at 09:30",
    "monthly on day 31",
    "cron: 30 8 * * 1-5",
    "every 3 days",
    "workdays at 23:59",
    "as needed",
];

const LANGUAGES: [&str; 4] = ["en", "da", "fr", "ja"];

/// A fuzzer input as a catalog, ready to plan.
pub struct Case {
    /// The loaded catalog (two teams: the fuzzed one, `fuzzed`, and a plain one).
    pub catalog: Catalog,
    /// The first day planned.
    pub from: Date,
    /// The last day planned.
    pub to: Date,
    /// Which view the plan uses.
    pub view: View,
    /// Language and no colour.
    pub options: RenderOptions,
    /// The text pieces as given (after lossy UTF-8 decoding).
    pub pieces: Vec<String>,
}

impl Case {
    /// The plan of `teams` over the case's range.
    pub fn plan(&self, teams: &[usize]) -> Plan {
        plan(&self.catalog, self.from, self.to, teams, self.view).expect("a valid range")
    }
}

/// `text` as a YAML double-quoted scalar that decodes to exactly `text`.
pub fn yaml_quoted(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            ' '..='~' => quoted.push(c),
            c if (c as u32) <= 0xFFFF => {
                let _ = write!(quoted, "\\u{:04X}", c as u32);
            }
            c => {
                let _ = write!(quoted, "\\U{:08X}", c as u32);
            }
        }
    }
    quoted.push('"');
    quoted
}

/// Builds the case for `data`, or `None` when the catalog does not load (empty titles and
/// names, and text the catalog refuses, are not what these targets are about).
pub fn case(data: &[u8]) -> Option<Case> {
    let (&selector, rest) = data.split_first()?;
    let mut pieces: Vec<String> = rest
        .split(|b| *b == 0xFF)
        .take(6)
        .map(|piece| String::from_utf8_lossy(piece).into_owned())
        .collect();
    pieces.resize(6, String::new());
    let q = |i: usize| yaml_quoted(&pieces[i]);
    let cadence = CADENCES[usize::from(selector & 7)];
    let language = LANGUAGES[usize::from((selector >> 3) & 3)];
    let zone = if selector & 0x20 == 0 {
        "Europe/Copenhagen"
    } else {
        "UTC"
    };
    let view = match selector >> 6 {
        0 => View::Day,
        1 => View::Week,
        _ => View::Range,
    };
    let tasks = format!(
        "version: 1\n\
         timezone: {zone}\n\
         holidays: [2026-12-24, 2026-12-25]\n\
         tasks:\n\
         \x20 - id: fuzzed-task\n\
         \x20   title: {title}\n\
         \x20   description: {description}\n\
         \x20   cadence: \"{cadence}\"\n\
         \x20   team: fuzzed\n\
         \x20   start: 2026-11-02\n\
         \x20   shift: next-workday\n\
         \x20   translations:\n\
         \x20     da: {{title: {da_title}, description: {da_description}}}\n\
         \x20 - id: plain-task\n\
         \x20   title: Plain work\n\
         \x20   cadence: daily\n\
         \x20   team: [fuzzed, plain]\n",
        title = q(0),
        description = q(1),
        da_title = q(3),
        da_description = q(5),
    );
    let roles = format!(
        "version: 1\n\
         mail_from: soc@example.org\n\
         teams:\n\
         \x20 - id: fuzzed\n\
         \x20   name: {name}\n\
         \x20   email: fuzzed@example.org\n\
         \x20   translations:\n\
         \x20     da: {{name: {da_name}}}\n\
         \x20 - id: plain\n\
         \x20   name: Plain\n\
         \x20   email: plain@example.org\n",
        name = q(2),
        da_name = q(4),
    );
    let from = date(2026, 11, 23);
    let loaded = load_sources(
        Path::new("tasks.yaml"),
        &tasks,
        Path::new("roles.yaml"),
        &roles,
        from,
    );
    if std::env::var_os("SOCCTL_FUZZ_DEBUG").is_some() {
        eprintln!("{tasks}\n{roles}\n{}", loaded.diagnostics);
    }
    let catalog = loaded.catalog?;
    let to = match view {
        View::Day => from,
        View::Week => date(2026, 11, 29),
        View::Range => date(2027, 1, 10),
    };
    Some(Case {
        catalog,
        from,
        to,
        view,
        options: RenderOptions {
            locale: Locale::new(language),
            ..RenderOptions::default()
        },
        pieces,
    })
}
