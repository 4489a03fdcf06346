//! No input makes catalog loading panic: arbitrary text, and the shipped catalog with random
//! damage, always come back as a catalog or as located diagnostics.

use std::fmt::Write as _;
use std::path::Path;

use jiff::civil::date;
use proptest::prelude::*;
use socctl::catalog::load_sources;

const TASKS: &str = include_str!("../tasks.yaml");
const ROLES: &str = include_str!("../roles.yaml");

fn load(tasks: &str, roles: &str) -> socctl::catalog::Loaded {
    load_sources(
        Path::new("tasks.yaml"),
        tasks,
        Path::new("roles.yaml"),
        roles,
        date(2026, 11, 23),
    )
}

/// Applies `edits` (position, replacement) to `text` at character boundaries.
fn damage(text: &str, edits: &[(usize, String)]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for (position, replacement) in edits {
        let at = position % (chars.len() + 1);
        let end = (at + replacement.chars().count().max(1)).min(chars.len());
        chars.splice(at..end, replacement.chars());
    }
    chars.into_iter().collect()
}

fn check_invariants(loaded: &socctl::catalog::Loaded) {
    // A catalog comes back exactly when there are no errors.
    assert_eq!(loaded.catalog.is_some(), !loaded.diagnostics.has_errors());
    for diagnostic in &loaded.diagnostics.0 {
        assert!(!diagnostic.message.is_empty());
        // Every rendered problem names its file, and stays on its own lines.
        let shown = diagnostic.to_string();
        assert!(
            shown.starts_with("tasks.yaml") || shown.starts_with("roles.yaml"),
            "{shown}"
        );
    }
}

/// `default` cases, or `SOCCTL_PROPTEST_CASES` of them for a long run (see README,
/// Development); failures are printed, not saved beside the sources.
fn config(default: u32) -> ProptestConfig {
    let cases = std::env::var("SOCCTL_PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn arbitrary_text_never_panics(tasks in ".{0,400}", roles in ".{0,200}") {
        check_invariants(&load(&tasks, &roles));
        check_invariants(&load(&tasks, ROLES));
    }

    #[test]
    fn damaged_shipped_catalog_never_panics(
        edits in prop::collection::vec((any::<usize>(), "[ -~\\n\\t:\\-\\[\\]{}&*!|>'\"#%@`]{0,6}"), 1..6),
        roles_edits in prop::collection::vec((any::<usize>(), "[ -~\\n:\\-\\[\\]{}]{0,4}"), 0..3),
    ) {
        let tasks = damage(TASKS, &edits);
        let roles = damage(ROLES, &roles_edits);
        check_invariants(&load(&tasks, &roles));
    }

    #[test]
    fn any_cadence_text_is_accepted_or_explained(text in ".{0,60}") {
        match socctl::cadence::parse(&text, jiff::civil::Weekday::Monday) {
            // Whatever parses prints back in a canonical form that parses to itself.
            Ok(cadence) => {
                let canonical = cadence.to_string();
                let again = socctl::cadence::parse(&canonical, jiff::civil::Weekday::Monday).unwrap();
                prop_assert_eq!(again.to_string(), canonical);
            }
            Err(error) => prop_assert!(!error.message.is_empty()),
        }
    }
}

#[test]
fn the_shipped_catalog_is_clean() {
    let loaded = load(TASKS, ROLES);
    assert!(loaded.diagnostics.0.is_empty(), "{}", loaded.diagnostics);
    let catalog = loaded.catalog.unwrap();
    assert_eq!(catalog.tasks.len(), 8);
    assert_eq!(catalog.teams.len(), 5);
}

#[test]
fn deep_nesting_and_alias_bombs_are_refused_quickly() {
    let deep = format!(
        "version: 1\ntasks: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let loaded = load(&deep, ROLES);
    assert_eq!(
        loaded.diagnostics.0[0].message,
        "YAML syntax: lists and mappings are nested too deeply"
    );
    let mut bomb = String::from("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
    for (name, previous) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        let aliases = vec![format!("*{previous}"); 10].join(",");
        writeln!(bomb, "{name}: &{name} [{aliases}]").unwrap();
    }
    // 10^9 nodes if expanded; the parser's budget stops it instead.
    let loaded = load(&bomb, ROLES);
    assert!(loaded.diagnostics.has_errors());
    assert!(
        loaded.diagnostics.0[0]
            .message
            .contains("too many values once anchors and aliases are expanded"),
        "{}",
        loaded.diagnostics
    );
}

proptest! {
    #![proptest_config(config(512))]

    /// Any text given as a date is a date in 0001–9999 or refused; nothing panics.
    #[test]
    fn date_arguments_parse_or_are_refused(text in ".{0,16}", year in 0_u32..12_000, month in 0_u32..14, day in 0_u32..33) {
        for candidate in [text.clone(), format!("{year:04}-{month:02}-{day:02}")] {
            match candidate.parse::<socctl::cli::DateArg>() {
                Ok(socctl::cli::DateArg::On(date)) => {
                    prop_assert!((1..=9999).contains(&date.year()));
                    prop_assert_eq!(date.to_string(), candidate.trim().to_owned());
                }
                Ok(_) => prop_assert!(["today", "tomorrow", "yesterday"].contains(&candidate.trim().to_ascii_lowercase().as_str())),
                Err(message) => prop_assert!(message.contains("is not a date")),
            }
        }
    }

    /// Any line offered to `journal import` is a record or an error, never a panic, and a
    /// record read back serializes to the same JSON.
    #[test]
    fn journal_lines_parse_or_are_refused(line in ".{0,200}", action in "(done|skipped|triggered|undone|other)") {
        let _ = serde_json::from_str::<socctl::journal::Record>(&line);
        let shaped = format!(
            r#"{{"id":"x","task":{},"occurrence":"2026-11-23","action":"{action}","on":"2026-11-23","by":{},"recorded_at":"2026-11-23T08:00:00Z"}}"#,
            serde_json::to_string(&line).unwrap(),
            serde_json::to_string(&line).unwrap()
        );
        if let Ok(record) = serde_json::from_str::<socctl::journal::Record>(&shaped) {
            let again: socctl::journal::Record = serde_json::from_str(&serde_json::to_string(&record).unwrap()).unwrap();
            prop_assert_eq!(again, record);
        }
    }

    /// A whole import file (an optional header, then arbitrary lines) is read by the import
    /// parser into records or refused with the file named, never a panic.
    #[test]
    fn import_files_parse_or_are_refused(lines in prop::collection::vec(".{0,120}", 0..6), header: bool) {
        let mut text = String::new();
        if header {
            text.push_str(r#"{"socctl_journal":{"schema":1,"tracking_since":"2026-11-01"}}"#);
            text.push('\n');
        }
        for line in &lines {
            text.push_str(line);
            text.push('\n');
        }
        match socctl::journal::exchange::parse_import(text.as_bytes(), Path::new("import.jsonl")) {
            Ok(import) => {
                prop_assert!(import.records.len() <= lines.len());
                if header {
                    prop_assert_eq!(import.tracking_since, Some(date(2026, 11, 1)));
                }
            }
            Err(error) => prop_assert!(error.to_string().starts_with("import.jsonl"), "{error:#}"),
        }
    }
}
