//! `socctl export ics`, checked from outside: the file is parsed and expanded by independent
//! RFC 5545 software (Python's `icalendar` and `recurring_ical_events`, through
//! `tests/oracle/expand_ics.py`), and the instances must be exactly the occurrences
//! `socctl plan -f json` lists for the same range: same dates, same wall-clock times, same
//! tasks, same titles, nothing more (the oracle looks 400 days beyond both ends).
//!
//! The structural checks (CRLF, 75-octet lines, nesting, UIDs) need nothing but Rust.
//!
//! The oracle tests need those Python packages, so plain `cargo test` lists them as
//! ignored; `scripts/test` installs the packages and runs them.

#[allow(dead_code)]
mod support;

use std::collections::BTreeSet;
use std::fs;

use serde_json::Value;
use support::{TODAY, TestEnv, Tool, oracle_script, python, require};

/// The Python packages of the oracle.
const ORACLE: Tool = Tool::Python(&["icalendar", "recurring_ical_events"]);

/// One instance: date, `HH:MM` or empty, task id, title.
type Row = (String, String, String, String);

/// A date `days` away from `date` (`YYYY-MM-DD`).
fn shift(date: &str, days: i64) -> String {
    let date: jiff::civil::Date = date.parse().expect("a date");
    date.checked_add(jiff::Span::new().days(days))
        .expect("a date in range")
        .to_string()
}

/// What the independent parser makes of `ics`: every instance from 400 days before `from`
/// to 400 days after `until`, with times read in `zone`.
fn oracle(ics: &[u8], zone: &str, from: &str, until: &str) -> Vec<Row> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("export.ics");
    fs::write(&file, ics).expect("writing the export");
    let output = python()
        .arg(oracle_script("expand_ics.py"))
        .arg(&file)
        .args([zone, &shift(from, -400), &shift(until, 400)])
        .output()
        .expect("running the oracle");
    assert!(
        output.status.success(),
        "the oracle failed: {}\n{}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(ics)
    );
    let mut rows: Vec<Row> = String::from_utf8(output.stdout)
        .expect("UTF-8 from the oracle")
        .lines()
        .map(|line| {
            let row: (String, String, String, String) =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{line}: {e}"));
            let task = row
                .2
                .strip_suffix("@socctl")
                .unwrap_or_else(|| panic!("UID {} does not end in @socctl", row.2))
                .to_owned();
            (row.0, row.1, task, row.3)
        })
        .collect();
    rows.sort();
    rows
}

/// A title as iCalendar TEXT can carry it: line breaks become LF, other control
/// characters spaces.
fn as_ical_text(title: &str) -> String {
    title
        .replace("\r\n", "\n")
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

/// `socctl plan --from … --to … -f json` as rows.
fn plan(env: &TestEnv, from: &str, until: &str, extra: &[&str]) -> Vec<Row> {
    let mut args = vec!["plan", "--from", from, "--to", until, "-f", "json"];
    args.extend_from_slice(extra);
    let json: Value = serde_json::from_slice(&env.bytes(&args)).expect("plan JSON");
    let text = |record: &Value, field: &str| record[field].as_str().unwrap_or_default().to_owned();
    let mut rows: Vec<Row> = json
        .as_array()
        .expect("a JSON array")
        .iter()
        .map(|r| {
            (
                text(r, "date"),
                text(r, "time"),
                text(r, "task"),
                as_ical_text(&text(r, "title")),
            )
        })
        .collect();
    rows.sort();
    rows
}

/// Exports `from`..=`until` with `extra` arguments, checks the structure, and compares the
/// oracle's expansion with the plan.
fn assert_expands_to_plan(env: &TestEnv, zone: &str, from: &str, until: &str, extra: &[&str]) {
    let mut args = vec!["export", "ics", "--from", from, "--until", until];
    args.extend_from_slice(extra);
    let ics = env.bytes(&args);
    check_structure(&ics);
    let expected = plan(env, from, until, extra);
    assert!(!expected.is_empty(), "nothing planned for {extra:?}");
    let got = oracle(&ics, zone, from, until);
    if got != expected {
        let got_set: BTreeSet<&Row> = got.iter().collect();
        let expected_set: BTreeSet<&Row> = expected.iter().collect();
        let missing: Vec<_> = expected_set.difference(&got_set).take(20).collect();
        let extra_rows: Vec<_> = got_set.difference(&expected_set).take(20).collect();
        panic!(
            "{zone} {extra:?}: the calendar expands to {} instances, the plan has {}\n\
             in the plan, not the calendar: {missing:#?}\n\
             in the calendar, not the plan: {extra_rows:#?}",
            got.len(),
            expected.len()
        );
    }
}

/// Checks RFC 5545's syntax rules the parsers are lenient about, and returns the UIDs.
fn check_structure(ics: &[u8]) -> Vec<String> {
    assert!(ics.ends_with(b"\r\n"), "the file must end with CRLF");
    let mut logical: Vec<String> = Vec::new();
    // Every physical line ends in CRLF, so splitting at LF leaves an empty last piece.
    let mut physicals: Vec<&[u8]> = ics.split(|&b| b == b'\n').collect();
    assert_eq!(physicals.pop(), Some(&b""[..]));
    for (number, physical) in physicals.into_iter().enumerate() {
        let line = physical
            .strip_suffix(b"\r")
            .unwrap_or_else(|| panic!("line {} ends in a bare LF", number + 1));
        assert!(!line.contains(&b'\r'), "bare CR on line {}", number + 1);
        assert!(
            line.len() <= 75,
            "line {} is {} octets: {}",
            number + 1,
            line.len(),
            String::from_utf8_lossy(line)
        );
        // Folding never splits a UTF-8 character: every physical line is UTF-8 on its own.
        let line = std::str::from_utf8(line)
            .unwrap_or_else(|e| panic!("line {} is not UTF-8 by itself: {e}", number + 1));
        match line.strip_prefix([' ', '\t']) {
            Some(continuation) => logical
                .last_mut()
                .expect("a continuation line after a content line")
                .push_str(continuation),
            None => logical.push(line.to_owned()),
        }
    }
    let mut stack: Vec<&str> = Vec::new();
    let mut uids = Vec::new();
    for line in &logical {
        assert!(!line.is_empty(), "an empty content line");
        assert!(
            !line.chars().any(|c| c.is_control() && c != '\t'),
            "a control character in {line:?}"
        );
        if let Some(name) = line.strip_prefix("BEGIN:") {
            stack.push(name);
        } else if let Some(name) = line.strip_prefix("END:") {
            assert_eq!(
                stack.pop(),
                Some(name),
                "END:{name} does not close its BEGIN"
            );
        } else if let Some(uid) = line.strip_prefix("UID:") {
            assert_eq!(stack.last(), Some(&"VEVENT"), "UID outside a VEVENT");
            uids.push(uid.to_owned());
        }
        if stack.is_empty() {
            assert_eq!(line, "END:VCALENDAR", "content after the calendar");
        }
    }
    assert!(stack.is_empty(), "unclosed components: {stack:?}");
    assert_eq!(logical.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
    let events = logical.iter().filter(|l| *l == "BEGIN:VEVENT").count();
    assert_eq!(events, uids.len(), "every VEVENT has one UID");
    let unique: BTreeSet<&String> = uids.iter().collect();
    assert_eq!(unique.len(), uids.len(), "duplicate UIDs: {uids:?}");
    uids
}

#[test]
#[ignore = "needs Python with icalendar and recurring_ical_events: run scripts/test"]
fn the_shipped_catalog_expands_to_the_plan() {
    require(&[ORACLE]);
    let env = TestEnv::shipped();
    assert_expands_to_plan(&env, "UTC", TODAY, "2027-11-23", &[]);
    assert_expands_to_plan(&env, "UTC", TODAY, "2027-11-23", &["--team", "monitoring"]);
    assert_expands_to_plan(&env, "UTC", TODAY, "2027-11-23", &["--lang", "ja"]);
}

#[test]
#[ignore = "needs Python with icalendar and recurring_ical_events: run scripts/test"]
fn every_rule_expands_to_the_plan() {
    require(&[ORACLE]);
    // Holidays, shifts both ways, every rule type, `at` times across four DST changes in
    // Europe/Copenhagen (02:30 on spring-forward nights), crontab rules, a leap year.
    let env = TestEnv::fixture("ics");
    let (from, until) = (TODAY, "2029-03-31");
    assert_expands_to_plan(&env, "Europe/Copenhagen", from, until, &[]);
    assert_expands_to_plan(&env, "Europe/Copenhagen", from, until, &["--team", "blue"]);
    assert_expands_to_plan(&env, "Europe/Copenhagen", from, until, &["--lang", "ja"]);
    // Other zones: UTC (times with Z), half-hour DST, a half-hour offset, the southern
    // hemisphere, and a zone without DST.
    for zone in [
        "UTC",
        "America/New_York",
        "Australia/Lord_Howe",
        "Asia/Kolkata",
        "America/Sao_Paulo",
    ] {
        assert_expands_to_plan(&env, zone, from, until, &["--tz", zone]);
    }
    // A horizon that starts on a weekend and a holiday, and a short one.
    assert_expands_to_plan(&env, "Europe/Copenhagen", "2026-12-26", "2027-02-28", &[]);
    assert_expands_to_plan(&env, "Europe/Copenhagen", "2027-01-01", "2027-01-01", &[]);
}

#[test]
#[ignore = "needs Python with icalendar and recurring_ical_events: run scripts/test"]
fn sunday_weeks_and_other_workdays_expand_to_the_plan() {
    require(&[ORACLE]);
    // Weeks from Sunday, work days Sunday to Thursday: WKST and BYDAY come from the catalog.
    let env = TestEnv::one_team(
        "version: 1\n\
         timezone: Asia/Jerusalem\n\
         week_start: sunday\n\
         workdays: [sun, mon, tue, wed, thu]\n\
         holidays: [2027-04-22, 2027-09-12, 2027-10-11]\n\
         tasks:\n\
         \x20 - {id: pairs, title: Pairs, cadence: 'every 2 weeks on saturday, sunday', start: 2026-11-29, team: ops}\n\
         \x20 - {id: triples, title: Triples, cadence: 'every 3 weeks on monday, saturday at 08:00', start: 2026-12-05, shift: next-workday, team: ops}\n\
         \x20 - {id: friday, title: Friday, cadence: weekly on friday, shift: previous-workday, team: ops}\n\
         \x20 - {id: work, title: Work, cadence: workdays, team: ops}\n\
         \x20 - {id: first, title: First, cadence: monthly on the first workday, team: ops}\n\
         \x20 - {id: last, title: Last, cadence: 'monthly on the last workday at 16:00', team: ops}\n\
         \x20 - {id: daily, title: Daily, cadence: daily, shift: previous-workday, team: ops}\n",
    );
    assert_expands_to_plan(&env, "Asia/Jerusalem", TODAY, "2028-06-30", &[]);
}

#[test]
fn the_file_is_well_formed_and_uids_are_stable() {
    let env = TestEnv::fixture("ics");
    let first = env.bytes(&["export", "ics", "--until", "2027-06-30"]);
    let uids = check_structure(&first);
    // One event per task with occurrences; none for a purely "as needed" one.
    assert!(uids.contains(&"morning-check@socctl".to_owned()));
    assert!(!uids.iter().any(|u| u.starts_with("as-needed-only")));
    // Hostile text stays inside its property: no forged components or UIDs.
    assert_eq!(uids.iter().filter(|u| u.contains("forged")).count(), 0);
    let text = String::from_utf8(first.clone()).expect("UTF-8");
    assert_eq!(text.matches("BEGIN:VCALENDAR").count(), 1);
    assert!(
        text.contains("SUMMARY:Evil\\; title\\, with \\\\ backslash\\nEND:VEVENT\\nBEGIN:VEVENT")
    );
    // The same export is the same file; a later one has the same UIDs.
    assert_eq!(
        env.bytes(&["export", "ics", "--until", "2027-06-30"]),
        first
    );
    let later = env.bytes(&[
        "export",
        "ics",
        "--from",
        "2026-12-07",
        "--until",
        "2027-06-30",
    ]);
    assert_eq!(check_structure(&later), uids);
    // Japanese text is folded between characters (check_structure reads each line as UTF-8).
    let japanese = env.bytes(&["export", "ics", "--lang", "ja", "--until", "2027-01-31"]);
    check_structure(&japanese);
    let japanese = String::from_utf8(japanese).expect("UTF-8");
    assert!(
        japanese.contains("\r\n ビティを追跡し、資産所有者に報告する\r\n"),
        "{japanese}"
    );
    // A VTIMEZONE for the catalog's zone; none for UTC, whose times end in Z.
    assert!(text.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Copenhagen\r\n"));
    assert!(text.contains("DTSTART;TZID=Europe/Copenhagen:20261123T080000\r\n"));
    let utc = String::from_utf8(env.bytes(&["--tz", "UTC", "export", "ics"])).expect("UTF-8");
    assert!(!utc.contains("VTIMEZONE"));
    assert!(utc.contains("DTSTART:20261123T080000Z\r\n"));
}

#[test]
fn the_default_horizon_is_a_year_and_output_can_go_to_a_file() {
    let env = TestEnv::shipped();
    let default = env.bytes(&["export", "ics"]);
    assert_eq!(
        default,
        env.bytes(&["export", "ics", "--from", TODAY, "--until", "2027-11-23"])
    );
    assert!(String::from_utf8_lossy(&default).contains("UNTIL=20271123"));
    // --format does not apply to export.
    assert_eq!(default, env.bytes(&["-f", "json", "export", "ics"]));
    env.bytes(&["export", "ics", "-o", "soc.ics"]);
    assert_eq!(
        fs::read(env.work().join("soc.ics")).expect("soc.ics"),
        default
    );
}

#[test]
fn bad_ranges_and_teams_are_usage_errors() {
    let env = TestEnv::shipped();
    for args in [
        &[
            "export",
            "ics",
            "--from",
            "2027-01-01",
            "--until",
            "2026-12-31",
        ][..],
        &["export", "ics", "--until", "2200-01-01"],
        &["export", "ics", "--team", "nobody"],
        &["export", "ics", "--until", "someday"],
    ] {
        let output = env.cmd().args(args).output().expect("running socctl");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
}
