//! `socctl export ics`, checked from outside: the file is parsed and expanded by two
//! independent RFC 5545 implementations (Python's `icalendar` and `recurring_ical_events`,
//! through `tests/oracle/expand_ics.py`, and Mozilla's ical.js, what Thunderbird uses,
//! through `tests/oracle/expand_ics.mjs`), and each one's instances must be exactly the
//! occurrences `socctl plan -f json` lists for the same range: same dates, same wall-clock
//! times, same tasks, same titles, nothing more (the oracles look 400 days beyond both
//! ends).
//!
//! The structural checks (CRLF, 75-octet lines, nesting, UIDs, and the MS-OXCICAL rules
//! Outlook needs, see [`check_outlook_rules`]) need nothing but Rust.
//!
//! The oracle tests need those Python packages and node with ical.js, so plain
//! `cargo test` lists them as ignored; `scripts/test` installs them and runs them.

#[allow(dead_code)]
mod support;

use std::collections::BTreeSet;
use std::fs;

use serde_json::Value;
use support::{TODAY, TestEnv, Tool, node, oracle_script, python, require};

/// The tools of the two oracles: the Python packages, and node with ical.js.
const ORACLES: [Tool; 2] = [
    Tool::Python(&["icalendar", "recurring_ical_events"]),
    Tool::IcalJs,
];

/// The two independent parsers.
#[derive(Clone, Copy, Debug)]
enum Parser {
    /// `tests/oracle/expand_ics.py`: icalendar and recurring_ical_events.
    Python,
    /// `tests/oracle/expand_ics.mjs`: Mozilla's ical.js.
    IcalJs,
}

/// One instance: date, `HH:MM` or empty, task id, title.
type Row = (String, String, String, String);

/// A date `days` away from `date` (`YYYY-MM-DD`).
fn shift(date: &str, days: i64) -> String {
    let date: jiff::civil::Date = date.parse().expect("a date");
    date.checked_add(jiff::Span::new().days(days))
        .expect("a date in range")
        .to_string()
}

/// The task of a UID: `<task>@socctl`, or `<task>@socctl-YYYYMMDD` for one date of a task;
/// `<task>.<team>@socctl…` for one team's events of a task whose teams are in zones of
/// their own (ids never hold a dot).
fn task_of_uid(uid: &str) -> String {
    let (task, rest) = uid
        .rsplit_once("@socctl")
        .unwrap_or_else(|| panic!("UID {uid} has no @socctl"));
    let task = task.split_once('.').map_or(task, |(task, _team)| task);
    let dated = rest
        .strip_prefix('-')
        .is_some_and(|d| d.len() == 8 && d.bytes().all(|b| b.is_ascii_digit()));
    assert!(
        rest.is_empty() || dated,
        "UID {uid} ends in neither @socctl nor @socctl-YYYYMMDD"
    );
    task.to_owned()
}

/// What `parser` makes of `ics`: every instance from 400 days before `from` to 400 days
/// after `until`, with times read in `zone`.
fn oracle(parser: Parser, ics: &[u8], zone: &str, from: &str, until: &str) -> Vec<Row> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("export.ics");
    fs::write(&file, ics).expect("writing the export");
    let mut command = match parser {
        Parser::Python => python(),
        Parser::IcalJs => node(),
    };
    let script = match parser {
        Parser::Python => "expand_ics.py",
        Parser::IcalJs => "expand_ics.mjs",
    };
    let output = command
        .arg(oracle_script(script))
        .arg(&file)
        .args([zone, &shift(from, -400), &shift(until, 400)])
        .output()
        .expect("running the oracle");
    assert!(
        output.status.success(),
        "the {parser:?} oracle failed: {}\n{}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(ics)
    );
    let mut rows: Vec<Row> = String::from_utf8(output.stdout)
        .expect("UTF-8 from the oracle")
        .lines()
        .map(|line| {
            let row: (String, String, String, String) =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{line}: {e}"));
            let task = task_of_uid(&row.2);
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
    for parser in [Parser::Python, Parser::IcalJs] {
        let got = oracle(parser, &ics, zone, from, until);
        if got != expected {
            let got_set: BTreeSet<&Row> = got.iter().collect();
            let expected_set: BTreeSet<&Row> = expected.iter().collect();
            let missing: Vec<_> = expected_set.difference(&got_set).take(20).collect();
            let extra_rows: Vec<_> = got_set.difference(&expected_set).take(20).collect();
            panic!(
                "{parser:?}, {zone} {extra:?}: the calendar expands to {} instances, the plan \
                 has {}\n\
                 in the plan, not the calendar: {missing:#?}\n\
                 in the calendar, not the plan: {extra_rows:#?}",
                got.len(),
                expected.len()
            );
        }
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
    check_outlook_rules(&logical);
    uids
}

/// The name of a content line (before its parameters) and its value.
fn name_and_value(line: &str) -> (&str, &str) {
    let (head, value) = line.split_once(':').unwrap_or((line, ""));
    (head.split(';').next().unwrap_or(head), value)
}

/// The parameters of a content line, as written (`VALUE=DATE`, `TZID=…`), sorted.
fn parameters(line: &str) -> Vec<&str> {
    let head = line.split_once(':').map_or(line, |(head, _)| head);
    let mut parameters: Vec<&str> = head.split(';').skip(1).collect();
    parameters.sort_unstable();
    parameters
}

/// The MS-OXCICAL rules docs/formats.md says socctl follows, so that Outlook imports every
/// event (checked on the unfolded `lines` of a whole calendar):
///
/// 1. An `RDATE` needs an `RRULE` in the same `VEVENT`; a `VEVENT` has at most one `RRULE`,
///    and `EXRULE` is not used.
/// 2. A monthly or yearly `RRULE` names one day of the month: `BYMONTHDAY` has one value
///    (`-1` for the last day), never with `BYSETPOS`; `BYSETPOS` has one value.
/// 3. A timed event has an end: `DURATION` or `DTEND`.
/// 4. `EXDATE` and `RDATE` values are of `DTSTART`'s kind: dates for an all-day event, times
///    in `DTSTART`'s zone for a timed one; every `TZID` has a `VTIMEZONE`.
/// 5. An `RRULE` ends: `UNTIL` (in UTC for a timed event), never `COUNT` with it.
fn check_outlook_rules(lines: &[String]) {
    let zones: BTreeSet<&str> = lines
        .iter()
        .filter_map(|l| l.strip_prefix("TZID:"))
        .collect();
    let mut in_event = false;
    let mut event: Vec<&String> = Vec::new();
    for line in lines {
        if line == "BEGIN:VEVENT" {
            in_event = true;
            event.clear();
        } else if line == "END:VEVENT" {
            in_event = false;
            check_outlook_event(&event, &zones);
        } else if in_event {
            event.push(line);
        }
    }
}

fn check_outlook_event(event: &[&String], zones: &BTreeSet<&str>) {
    let uid = event
        .iter()
        .find_map(|l| l.strip_prefix("UID:"))
        .unwrap_or("?");
    let named = |name: &str| -> Vec<&str> {
        event
            .iter()
            .filter(|l| name_and_value(l).0 == name)
            .map(|l| l.as_str())
            .collect()
    };
    let rrules = named("RRULE");
    assert!(rrules.len() <= 1, "{uid}: more than one RRULE");
    assert!(named("EXRULE").is_empty(), "{uid}: EXRULE");
    assert!(
        named("RDATE").is_empty() || !rrules.is_empty(),
        "{uid}: an RDATE without an RRULE"
    );
    let starts = named("DTSTART");
    assert_eq!(starts.len(), 1, "{uid}: one DTSTART");
    let start = starts[0];
    let start_parameters = parameters(start);
    let all_day = start_parameters.contains(&"VALUE=DATE");
    if !all_day {
        assert!(
            named("DURATION").len() + named("DTEND").len() == 1,
            "{uid}: a timed event needs one DURATION or DTEND"
        );
    }
    for parameter in &start_parameters {
        if let Some(tzid) = parameter.strip_prefix("TZID=") {
            assert!(zones.contains(tzid), "{uid}: TZID {tzid} has no VTIMEZONE");
        }
    }
    for line in named("EXDATE").into_iter().chain(named("RDATE")) {
        assert_eq!(
            parameters(line),
            start_parameters,
            "{uid}: {line} is not of DTSTART's kind ({start})"
        );
        let utc = start.ends_with('Z');
        for value in name_and_value(line).1.split(',') {
            assert_eq!(
                value.len(),
                if all_day { 8 } else { 15 + usize::from(utc) },
                "{uid}: {value}"
            );
            assert_eq!(value.ends_with('Z'), utc, "{uid}: {value}");
        }
    }
    if let Some(rrule) = rrules.first() {
        let parts: Vec<(&str, &str)> = name_and_value(rrule)
            .1
            .split(';')
            .map(|part| part.split_once('=').unwrap_or((part, "")))
            .collect();
        let part = |name: &str| parts.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
        if let Some(days) = part("BYMONTHDAY") {
            assert!(
                !days.contains(',') && part("BYSETPOS").is_none(),
                "{uid}: {rrule} names more than one day of the month"
            );
        }
        if let Some(positions) = part("BYSETPOS") {
            assert!(!positions.contains(','), "{uid}: {rrule}");
        }
        let until = part("UNTIL").unwrap_or_else(|| panic!("{uid}: {rrule} has no UNTIL"));
        assert!(part("COUNT").is_none(), "{uid}: {rrule}");
        assert_eq!(until.ends_with('Z'), !all_day, "{uid}: {rrule}");
    }
}

#[test]
#[ignore = "needs Python with icalendar and recurring_ical_events, and node with ical.js: run scripts/test"]
fn teams_in_their_own_zones_expand_to_their_own_plans() {
    require(&ORACLES);
    // March to April 2027: the US and the EU change to summer time two weeks apart, and
    // Tokyo's and Copenhagen's holidays move different teams' Mondays.
    let env = TestEnv::fixture("zones");
    for (team, zone) in [
        ("cph", "Europe/Copenhagen"),
        ("nyc", "America/New_York"),
        ("tyo", "Asia/Tokyo"),
    ] {
        assert_expands_to_plan(&env, zone, "2027-03-01", "2027-04-30", &["--team", team]);
    }
}

#[test]
fn each_team_s_events_carry_its_own_zone() {
    let env = TestEnv::fixture("zones");
    let ics = env.bytes(&[
        "export",
        "ics",
        "--from",
        "2027-03-15",
        "--until",
        "2027-03-31",
    ]);
    check_structure(&ics);
    let text = String::from_utf8(ics.clone()).unwrap();
    // The UTC catalog needs no VTIMEZONE of its own; each team's zone has one.
    for tzid in ["Europe/Copenhagen", "America/New_York", "Asia/Tokyo"] {
        assert!(
            text.contains(&format!("BEGIN:VTIMEZONE\r\nTZID:{tzid}\r\n")),
            "{tzid}"
        );
    }
    // 09:00 on each team's own clock: 13:00 UTC in New York (EDT since 14 March), 08:00 UTC
    // in Copenhagen (CET until 28 March), 00:00 UTC in Tokyo.
    for (team, tzid) in [
        ("cph", "Europe/Copenhagen"),
        ("nyc", "America/New_York"),
        ("tyo", "Asia/Tokyo"),
    ] {
        let event = event_lines(&ics, &format!("standup.{team}@socctl"));
        assert_eq!(
            lines_named(&event, "DTSTART"),
            [format!("DTSTART;TZID={tzid}:20270315T090000").as_str()]
        );
    }
    // Copenhagen's review of 29 March (2. påskedag) moves to Tuesday 30 March.
    let review = event_lines(&ics, "weekly-review.cph@socctl");
    assert!(
        review
            .iter()
            .any(|l| l.contains("EXDATE;VALUE=DATE:20270329")),
        "{review:#?}"
    );
    assert!(
        review
            .iter()
            .any(|l| l.contains("RDATE;VALUE=DATE:20270330")),
        "{review:#?}"
    );
}

#[test]
#[ignore = "needs Python with icalendar and recurring_ical_events, and node with ical.js: run scripts/test"]
fn the_shipped_catalog_expands_to_the_plan() {
    require(&ORACLES);
    let env = TestEnv::shipped();
    assert_expands_to_plan(&env, "UTC", TODAY, "2027-11-23", &[]);
    assert_expands_to_plan(&env, "UTC", TODAY, "2027-11-23", &["--team", "monitoring"]);
    assert_expands_to_plan(&env, "UTC", TODAY, "2027-11-23", &["--lang", "ja"]);
}

#[test]
#[ignore = "needs Python with icalendar and recurring_ical_events, and node with ical.js: run scripts/test"]
fn every_rule_expands_to_the_plan() {
    require(&ORACLES);
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
#[ignore = "needs Python with icalendar and recurring_ical_events, and node with ical.js: run scripts/test"]
fn sunday_weeks_and_other_workdays_expand_to_the_plan() {
    require(&ORACLES);
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
    // Recurrences keep their UIDs; single dates (`@socctl-YYYYMMDD`) keep theirs too, less
    // the dates before the later start.
    let later_uids = check_structure(&later);
    let recurring = |uids: &[String]| -> Vec<String> {
        uids.iter()
            .filter(|u| u.ends_with("@socctl"))
            .cloned()
            .collect()
    };
    assert_eq!(recurring(&later_uids), recurring(&uids));
    assert!(later_uids.iter().all(|u| uids.contains(u)));
    assert!(uids.contains(&"cron-either@socctl-20261130".to_owned()));
    assert!(!later_uids.contains(&"cron-either@socctl-20261130".to_owned()));
    assert!(later_uids.contains(&"cron-either@socctl-20261207".to_owned()));
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

/// A catalog in a DST zone with what MS-OXCICAL constrains: crontab rules an `RRULE` can
/// state and one it cannot, days 29 to 31 of the month, times with and without estimates.
const OUTLOOK_CATALOG: &str = "version: 1\n\
     timezone: Europe/Copenhagen\n\
     tasks:\n\
     \x20 - {id: weekday-cron, title: Weekdays, cadence: 'cron: 30 8 * * 1-5', team: ops}\n\
     \x20 - {id: gap-cron, title: Gap, cadence: 'cron: 30 2 * * *', team: ops}\n\
     \x20 - {id: fifteenth-cron, title: Fifteenth, cadence: 'cron: 0 6 15 * *', estimate: 1h, team: ops}\n\
     \x20 - {id: thirtieth-cron, title: Thirtieth cron, cadence: 'cron: 0 6 30 * *', team: ops}\n\
     \x20 - {id: either-cron, title: Either, cadence: 'cron: 0 7 1 * 1', team: ops}\n\
     \x20 - {id: day31, title: Day 31, cadence: monthly on day 31, team: ops}\n\
     \x20 - {id: day30, title: Day 30, cadence: 'monthly on day 30 at 10:00', team: ops}\n\
     \x20 - {id: day29, title: Day 29, cadence: monthly on day 29, team: ops}\n\
     \x20 - {id: leap, title: Leap, cadence: yearly on 02-29, team: ops}\n";

/// The unfolded content lines of the `VEVENT` with `uid`.
fn event_lines(ics: &[u8], uid: &str) -> Vec<String> {
    let text = String::from_utf8(ics.to_vec())
        .expect("UTF-8")
        .replace("\r\n ", "");
    let start = format!("BEGIN:VEVENT\r\nUID:{uid}\r\n");
    let at = text
        .find(&start)
        .unwrap_or_else(|| panic!("no VEVENT {uid}"));
    let event = &text[at..];
    let end = event.find("END:VEVENT").expect("END:VEVENT");
    event[..end].split("\r\n").map(str::to_owned).collect()
}

/// The lines of `event` whose name is `name`.
fn lines_named<'a>(event: &'a [String], name: &str) -> Vec<&'a str> {
    event
        .iter()
        .filter(|l| name_and_value(l).0 == name)
        .map(String::as_str)
        .collect()
}

#[test]
fn outlook_gets_rrules_for_crontab_and_one_day_of_the_month() {
    let env = TestEnv::one_team(OUTLOOK_CATALOG);
    let ics = env.bytes(&["export", "ics", "--from", TODAY, "--until", "2028-03-31"]);
    let uids = check_structure(&ics);
    // `30 8 * * 1-5` is a weekly rule Monday to Friday at 08:30, with nothing listed.
    let weekdays = event_lines(&ics, "weekday-cron@socctl");
    assert_eq!(
        lines_named(&weekdays, "RRULE"),
        ["RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;WKST=MO;UNTIL=20280331T215959Z"]
    );
    // TODAY, 2026-11-23, is a Monday.
    assert_eq!(
        lines_named(&weekdays, "DTSTART"),
        ["DTSTART;TZID=Europe/Copenhagen:20261123T083000"]
    );
    assert!(lines_named(&weekdays, "RDATE").is_empty());
    assert!(lines_named(&weekdays, "EXDATE").is_empty());
    // Timed events last their estimate, or half an hour.
    assert_eq!(lines_named(&weekdays, "DURATION"), ["DURATION:PT30M"]);
    let fifteenth = event_lines(&ics, "fifteenth-cron@socctl");
    assert_eq!(
        lines_named(&fifteenth, "RRULE"),
        ["RRULE:FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20280331T215959Z"]
    );
    assert_eq!(lines_named(&fifteenth, "DURATION"), ["DURATION:PT1H"]);
    // Cron's day 30 has no February: the rule's instances are exactly the cron's days.
    let thirtieth = event_lines(&ics, "thirtieth-cron@socctl");
    assert_eq!(
        lines_named(&thirtieth, "RRULE"),
        ["RRULE:FREQ=MONTHLY;BYMONTHDAY=30;UNTIL=20280331T215959Z"]
    );
    assert!(lines_named(&thirtieth, "RDATE").is_empty());
    // Daily at 02:30: the spring-forward nights (2027-03-28, 2028-03-26) are due at 03:30,
    // which is excluded from the rule and an event of its own.
    let gap = event_lines(&ics, "gap-cron@socctl");
    assert_eq!(
        lines_named(&gap, "EXDATE"),
        ["EXDATE;TZID=Europe/Copenhagen:20270328T023000,20280326T023000"]
    );
    let moved = event_lines(&ics, "gap-cron@socctl-20270328");
    assert_eq!(
        lines_named(&moved, "DTSTART"),
        ["DTSTART;TZID=Europe/Copenhagen:20270328T033000"]
    );
    // Day 1 or Mondays is no RRULE: one event per date, each with its own UID.
    assert!(!uids.iter().any(|u| u == "either-cron@socctl"));
    for date in ["20261123", "20261201", "20270101", "20270104"] {
        let single = event_lines(&ics, &format!("either-cron@socctl-{date}"));
        assert!(lines_named(&single, "RRULE").is_empty());
        assert!(lines_named(&single, "RDATE").is_empty());
        assert_eq!(
            lines_named(&single, "DTSTART"),
            [format!("DTSTART;TZID=Europe/Copenhagen:{date}T070000")]
        );
    }
    // Day 31 is every month's last day.
    let day31 = event_lines(&ics, "day31@socctl");
    assert_eq!(
        lines_named(&day31, "RRULE"),
        ["RRULE:FREQ=MONTHLY;BYMONTHDAY=-1;UNTIL=20280331"]
    );
    assert!(lines_named(&day31, "RDATE").is_empty());
    // Day 30 is BYMONTHDAY=30, and the last days of February are RDATEs.
    let day30 = event_lines(&ics, "day30@socctl");
    assert_eq!(
        lines_named(&day30, "RRULE"),
        ["RRULE:FREQ=MONTHLY;BYMONTHDAY=30;UNTIL=20280331T215959Z"]
    );
    assert_eq!(
        lines_named(&day30, "RDATE"),
        ["RDATE;TZID=Europe/Copenhagen:20270228T100000,20280229T100000"]
    );
    let day29 = event_lines(&ics, "day29@socctl");
    assert_eq!(lines_named(&day29, "RDATE"), ["RDATE;VALUE=DATE:20270228"]);
    // 29 February, and 28 February in other years.
    let leap = event_lines(&ics, "leap@socctl");
    let rrule = lines_named(&leap, "RRULE");
    assert_eq!(
        rrule,
        ["RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;UNTIL=20280331"]
    );
    assert_eq!(lines_named(&leap, "RDATE"), ["RDATE;VALUE=DATE:20270228"]);
}

#[test]
fn the_outlook_rules_catch_what_outlook_refuses() {
    let event = |body: &str| -> Vec<String> {
        let mut lines = vec!["BEGIN:VCALENDAR".to_owned(), "BEGIN:VEVENT".to_owned()];
        lines.extend(body.split('|').map(str::to_owned));
        lines.extend(["END:VEVENT".to_owned(), "END:VCALENDAR".to_owned()]);
        lines
    };
    let refused = [
        // What socctl wrote before: an RDATE list without an RRULE, and no end.
        "UID:a|DTSTART:20261123T083000Z|RDATE:20261124T083000Z",
        "UID:b|DTSTART;VALUE=DATE:20261130|RRULE:FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1;UNTIL=20271130",
        "UID:c|DTSTART:20261123T083000Z|RRULE:FREQ=DAILY;UNTIL=20271130T000000Z",
        "UID:d|DTSTART;VALUE=DATE:20261130|RRULE:FREQ=DAILY;UNTIL=20271130|EXDATE:20261201T000000Z",
    ];
    for body in refused {
        let lines = event(body);
        let result = std::panic::catch_unwind(|| check_outlook_rules(&lines));
        assert!(result.is_err(), "accepted: {body}");
    }
    check_outlook_rules(&event(
        "UID:e|DTSTART:20261123T083000Z|DURATION:PT30M|RRULE:FREQ=DAILY;UNTIL=20271130T000000Z|RDATE:20261124T093000Z",
    ));
}

#[test]
#[ignore = "needs Python with icalendar and recurring_ical_events, and node with ical.js: run scripts/test"]
fn crontab_and_month_day_rules_expand_to_the_plan() {
    require(&ORACLES);
    let env = TestEnv::one_team(OUTLOOK_CATALOG);
    assert_expands_to_plan(&env, "Europe/Copenhagen", TODAY, "2029-03-31", &[]);
    for zone in ["America/New_York", "Australia/Lord_Howe", "UTC"] {
        assert_expands_to_plan(&env, zone, TODAY, "2029-03-31", &["--tz", zone]);
    }
}
