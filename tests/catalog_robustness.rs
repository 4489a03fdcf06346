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

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

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
    assert!(loaded.diagnostics.has_errors());
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
        loaded.diagnostics.0[0].message.contains("budget"),
        "{}",
        loaded.diagnostics
    );
}
