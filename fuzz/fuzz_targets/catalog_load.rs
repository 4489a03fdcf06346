//! Catalog loading: any bytes, as tasks.yaml (and roles.yaml after a NUL byte), come back
//! as a catalog or as located diagnostics; a catalog that loads also plans a fortnight.
#![no_main]

use std::path::Path;

use jiff::civil::date;
use libfuzzer_sys::fuzz_target;
use socctl::catalog::load_sources;
use socctl::people::{Cover, plan_assignees};
use socctl::plan::{View, plan};

const ROLES: &str = include_str!("../../roles.yaml");

fuzz_target!(|data: &[u8]| {
    // Text before the first NUL is tasks.yaml, after it roles.yaml; without a NUL the
    // shipped roles.yaml is used, so the tasks file gets past the team checks.
    let (tasks, roles) = match data.iter().position(|b| *b == 0) {
        Some(at) => (
            String::from_utf8_lossy(&data[..at]),
            String::from_utf8_lossy(&data[at + 1..]),
        ),
        None => (String::from_utf8_lossy(data), ROLES.into()),
    };
    let today = date(2026, 11, 23);
    let loaded = load_sources(
        Path::new("tasks.yaml"),
        &tasks,
        Path::new("roles.yaml"),
        &roles,
        today,
    );
    assert_eq!(loaded.catalog.is_some(), !loaded.diagnostics.has_errors());
    for diagnostic in &loaded.diagnostics.0 {
        assert!(!diagnostic.message.is_empty());
        let shown = diagnostic.to_string();
        assert!(
            shown.starts_with("tasks.yaml") || shown.starts_with("roles.yaml"),
            "{shown}"
        );
    }
    if let Some(catalog) = loaded.catalog {
        let teams: Vec<usize> = (0..catalog.teams.len()).collect();
        let to = date(2026, 12, 6);
        let planned = plan(&catalog, today, to, &teams, View::Range).expect("a valid range");
        for occurrence in &planned.occurrences {
            assert!((today..=to).contains(&occurrence.date));
        }
        // Every assignee is a member of the team they are assigned for, on that day.
        let assigned = plan_assignees(&catalog, &planned, &Cover::none());
        assert_eq!(assigned.len(), planned.occurrences.len());
        for (occurrence, teams) in planned.occurrences.iter().zip(assigned) {
            for (team, member) in teams {
                if let Some(member) = member {
                    assert!(catalog.teams[team].members.contains(member));
                    assert!(member.active_on(occurrence.date));
                }
            }
        }
    }
});
