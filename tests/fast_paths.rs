//! Differential tests of socctl's short cuts against its general path.
//!
//! socctl answers the common questions the quick way: a compiled catalog cache instead of
//! the YAML, `due -f json` written straight from the cache's bytes (`Opened::due_day`), a
//! plan streamed a day at a time with the tasks that share a rule, time and shift written
//! together, crontab rules compiled to masks. Each short cut falls back to the general path
//! in some cases (translations, assignees, team calendars, a journal, `--no-cache`). A short
//! cut that prints something the general path does not is a wrong record of what is due,
//! so every test here has the general path as its oracle, never socctl's earlier output:
//!
//! 1. `due --date D -f json` from a warm cache is byte for byte `--no-cache`'s, for every
//!    day of several windows, for every team and one team, with and without translations
//!    (and `--lang`), assignees, team calendars and a journal;
//! 2. `plan --from A --to B -f json` (and `-f csv`) holds exactly the occurrences `due
//!    --date D -f json` gives for each D in A..=B, field by field;
//! 3. a damaged, cut, foreign-build or other catalog's cache file is never believed: the
//!    output is `--no-cache`'s and the file is written anew.
//!
//! The catalogs are generated here from a seeded generator (every kind of rule, times in
//! daylight-saving gaps and repeats, start dates before and after the windows, shifts,
//! holidays, three time zones), and the windows cross the DST changes of
//! Europe/Copenhagen, America/New_York and Australia/Lord_Howe, a leap day, month ends and
//! ISO week 53 of 2026.

#[allow(dead_code)]
mod support;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use serde_json::Value;
use support::TestEnv;

/// A small deterministic generator (SplitMix64): the same seed gives the same catalog on
/// every machine, so a failure names a catalog that can be written out again.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// What kind of catalog to generate.
#[derive(Clone, Copy)]
struct Shape {
    seed: u64,
    /// The catalog's time zone.
    zone: &'static str,
    week_start: &'static str,
    /// The catalog's work days.
    workdays: &'static str,
    /// Tasks and teams with Danish translations (the direct day path is off for them).
    translations: bool,
    /// Members in roles.yaml, and tasks with an assignee or a rotation.
    people: bool,
    /// Teams with time zones and holidays of their own.
    team_calendars: bool,
    tasks: usize,
}

impl Shape {
    const fn plain(seed: u64, zone: &'static str) -> Self {
        Self {
            seed,
            zone,
            week_start: "monday",
            workdays: "[mon, tue, wed, thu, fri]",
            translations: false,
            people: false,
            team_calendars: false,
            tasks: 70,
        }
    }
}

const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Times of day, among them ones in or next to a daylight-saving gap or repeat: 02:00 to
/// 03:00 is skipped in Copenhagen and New York in spring, 02:00 to 02:30 at Lord Howe;
/// 01:00 to 02:00 (New York), 02:00 to 03:00 (Copenhagen) and 01:30 to 02:00 (Lord Howe)
/// happen twice in autumn.
const TIMES: [&str; 12] = [
    "00:00", "01:30", "01:45", "02:00", "02:15", "02:30", "03:00", "08:00", "09:30", "12:00",
    "17:45", "23:59",
];

/// Crontab expressions: lists, ranges, steps, names, Quartz's `L`, `W` and `#`, seconds,
/// firings in the DST gaps and repeats, a leap-day-only rule, both day fields restricted.
const CRONS: [&str; 16] = [
    "0 9,17 * * 1-5",
    "0 7 1 * 1",
    "30 15 6 * * 3",
    "0 9 L * *",
    "0 8 * * 1#2",
    "*/30 1-3 * * 0",
    "15 2 * * *",
    "30 2 * * 0",
    "0 0 29 2 *",
    "45 1 * * SUN",
    "0 12 15W * *",
    "0 6 * * 5L",
    "0 22 31 * *",
    "0 10 * JAN,MAR,OCT MON-FRI",
    "5 0 * * 6,0",
    "0 0 9 * * 2",
];

/// A crontab expression put together from fields of every kind, one that always fires
/// (a month restriction only with days of the month every month has).
fn random_cron(rng: &mut Rng) -> String {
    let minute = rng.pick(&["0", "30", "*/15", "5-10", "0,45", "59"]);
    let hour = rng.pick(&["*", "2", "1-3", "*/6", "9-17/4", "0,23", "2,14"]);
    let day = rng.pick(&["*", "1", "15", "L", "31", "1-7", "15W", "*/10", "28-31"]);
    let weekday = rng.pick(&["*", "0", "1-5", "6,0", "5L", "1#2", "MON", "SUN-TUE", "7"]);
    let month = if matches!(*day, "*" | "1" | "15" | "L" | "1-7" | "15W" | "*/10") {
        *rng.pick(&["*", "*/2", "3", "10-12", "JAN,FEB", "*"])
    } else {
        "*"
    };
    if rng.chance(15) {
        format!("{} {minute} {hour} {day} {month} {weekday}", rng.below(60))
    } else {
        format!("{minute} {hour} {day} {month} {weekday}")
    }
}

/// Holidays of the catalog: Christmas, both ends of ISO week 53 of 2026, Easter Monday 2027
/// (the day after Europe's spring change), the Mondays after the autumn changes, the leap
/// day and the day after it.
const HOLIDAYS: [&str; 10] = [
    "2026-12-24",
    "2026-12-25",
    "2026-12-31",
    "2027-01-01",
    "2027-03-29",
    "2027-04-05",
    "2027-10-04",
    "2027-11-01",
    "2028-02-29",
    "2028-03-01",
];

/// The windows every catalog is checked over: each day of each, and a plan of each.
const WINDOWS: [(&str, &str); 8] = [
    // Christmas, ISO week 53 of 2026 (28 December to 3 January), the new year.
    ("2026-12-24", "2027-01-04"),
    // New York springs forward on 14 March 2027.
    ("2027-03-13", "2027-03-15"),
    // Copenhagen springs forward on 28 March, Lord Howe falls back on 4 April; Easter.
    ("2027-03-27", "2027-04-05"),
    // Month ends of 30 and 31 days.
    ("2027-04-30", "2027-05-01"),
    // Lord Howe springs forward on 3 October.
    ("2027-10-02", "2027-10-04"),
    // Copenhagen falls back on 31 October, New York on 7 November.
    ("2027-10-30", "2027-11-01"),
    ("2027-11-06", "2027-11-08"),
    // A leap day, between the end of February and the first of March.
    ("2028-02-28", "2028-03-01"),
];

/// A day of the month for a monthly rule: mostly days inside [`WINDOWS`], the short
/// months' missing days (29, 30, 31) among them.
fn month_day(rng: &mut Rng) -> usize {
    *rng.pick(&[1, 2, 3, 4, 5, 7, 13, 14, 15, 20, 27, 28, 29, 30, 31])
}

/// A task's cadence (and whether it needs a `start`).
fn cadence(rng: &mut Rng) -> (String, bool) {
    let day = |rng: &mut Rng| *rng.pick(&WEEKDAYS);
    let (mut text, needs_start, structured) = match rng.below(17) {
        0 => ("daily".to_owned(), false, true),
        1 => ("workdays".to_owned(), false, true),
        2 => (format!("weekly on {}", day(rng)), false, true),
        3 => {
            let (a, b) = (day(rng), day(rng));
            if a == b {
                (format!("weekly on {a}"), false, true)
            } else {
                (format!("weekly on {a}, {b}"), false, true)
            }
        }
        4 => (format!("every {} days", 2 + rng.below(5)), true, true),
        5 => (
            format!("every {} weeks on {}", 2 + rng.below(3), day(rng)),
            true,
            true,
        ),
        6 => (format!("monthly on day {}", month_day(rng)), false, true),
        7 => ("monthly on the last day".to_owned(), false, true),
        8 => {
            let nth = rng.pick(&["first", "second", "third", "fourth", "fifth", "last"]);
            (format!("monthly on the {nth} {}", day(rng)), false, true)
        }
        9 => (
            format!("monthly on the {} workday", rng.pick(&["first", "last"])),
            false,
            true,
        ),
        10 => (
            format!(
                "every {} months on day {}",
                2 + rng.below(4),
                month_day(rng)
            ),
            true,
            true,
        ),
        11 => (format!("quarterly on day {}", month_day(rng)), false, true),
        12 => {
            let date = rng.pick(&["02-29", "12-31", "01-01", "03-28", "10-31", "04-04"]);
            (format!("yearly on {date}"), false, true)
        }
        13 => (format!("cron: {}", rng.pick(&CRONS)), false, false),
        14 => (format!("cron: {}", random_cron(rng)), false, false),
        15 => ("weekly".to_owned(), false, true),
        _ => ("as needed".to_owned(), false, false),
    };
    if structured && rng.chance(45) {
        write!(text, " at {}", rng.pick(&TIMES)).unwrap();
    }
    if structured && rng.chance(10) {
        text.push_str(" and as needed");
    }
    (text, needs_start)
}

/// A `start` date: long before the windows, between them, or after some of them.
fn start(rng: &mut Rng) -> String {
    match rng.below(4) {
        0 => format!("2025-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28)),
        1 => format!("2026-12-{:02}", 20 + rng.below(12)),
        2 => format!("2027-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28)),
        _ => (*rng.pick(&["2027-03-28", "2027-03-14", "2027-10-31", "2028-02-29"])).to_owned(),
    }
}

/// The teams' members (people shapes), by team.
const MEMBERS: [(&str, [&str; 3]); 3] = [
    ("red", ["ana", "ben", "cai"]),
    ("blue", ["dee", "eli", "fay"]),
    ("green", ["gus", "hal", "ivy"]),
];

/// tasks.yaml and roles.yaml of a generated catalog.
fn generate(shape: Shape) -> (String, String) {
    let mut rng = Rng(shape.seed);
    let mut roles = String::from(
        "version: 1\ngroups:\n  - id: all\n    name: \"Every team\"\n    members: [red, blue, green]\nteams:\n",
    );
    let zones = ["America/New_York", "Australia/Lord_Howe", ""];
    for (index, (team, members)) in MEMBERS.iter().enumerate() {
        writeln!(roles, "  - id: {team}\n    name: \"Team {team}\"").unwrap();
        if shape.team_calendars && !zones[index].is_empty() {
            writeln!(roles, "    timezone: {}", zones[index]).unwrap();
            // Independence Day observed, and Australia Day.
            let holiday = ["2027-07-05", "2027-01-26", ""][index];
            writeln!(roles, "    holidays: [{holiday}, 2027-03-15]").unwrap();
        }
        if shape.translations {
            writeln!(
                roles,
                "    translations:\n      da:\n        name: \"Hold {team}\""
            )
            .unwrap();
        }
        if shape.people {
            roles.push_str("    members:\n");
            for member in members {
                writeln!(
                    roles,
                    "      - id: {member}\n        name: \"{member} Example\"\n        email: {member}@example.org"
                )
                .unwrap();
            }
        }
    }
    let mut tasks = format!(
        "version: 1\ntimezone: {}\nweek_start: {}\nworkdays: {}\nholidays: [{}]\ntasks:\n",
        shape.zone,
        shape.week_start,
        shape.workdays,
        HOLIDAYS.join(", ")
    );
    // Earlier tasks' cadences: a third of the tasks take one again (with a start, shift or
    // team of their own), so that the plan's groups of tasks sharing a rule, time and shift
    // hold tasks whose starts and shifts do and do not set them apart.
    let mut earlier: Vec<(String, bool)> = Vec::new();
    // One task every catalog has, for the journal's records.
    tasks.push_str(
        "  - id: journal-check\n    title: \"Daily journal check\"\n    cadence: daily\n    team: red\n",
    );
    for index in 0..shape.tasks {
        let (cadence, needs_start) = if !earlier.is_empty() && rng.chance(35) {
            rng.pick(&earlier).clone()
        } else {
            let fresh = cadence(&mut rng);
            earlier.push(fresh.clone());
            fresh
        };
        let team_choice = rng.below(5);
        let team = ["red", "blue", "green", "[red, blue]", "all"][team_choice];
        // Text the day path copies from the cache's bytes and must escape as the plan's
        // JSON does: quotes, a backslash, a tab, C0 and C1 controls, DEL, the line and
        // paragraph separators, an emoji, `</script>` (YAML escapes, written as they are).
        let text = if index % 5 == 0 {
            r#"\"q\" \\ \t \x01 \x1b[31m \x7f \u0085 \u2028 \u2029 😀 </script> ü"#
        } else {
            "– ü"
        };
        writeln!(
            tasks,
            "  - id: task-{index:03}\n    title: \"Task {index}: {cadence} {text}\"\n    description: \"Generated {index} {text}\"\n    cadence: \"{cadence}\"\n    team: {team}"
        )
        .unwrap();
        if needs_start || rng.chance(30) {
            writeln!(tasks, "    start: {}", start(&mut rng)).unwrap();
        }
        if rng.chance(40) {
            let shift = rng.pick(&["next-workday", "previous-workday"]);
            writeln!(tasks, "    shift: {shift}").unwrap();
        }
        if shape.translations && rng.chance(30) {
            writeln!(
                tasks,
                "    translations:\n      da:\n        title: \"Opgave {index}\"\n        description: \"Dansk {index}\""
            )
            .unwrap();
        }
        let scheduled = !cadence.starts_with("as needed");
        if shape.people && team_choice < 3 && scheduled && rng.chance(50) {
            let members = MEMBERS[team_choice].1;
            if rng.chance(40) {
                writeln!(tasks, "    assignee: {}", rng.pick(&members)).unwrap();
            } else {
                let handover = rng.pick(&[
                    "every occurrence",
                    "every 2 occurrences",
                    "weekly on monday at 09:00",
                    "weekly on sunday at 02:30",
                ]);
                writeln!(
                    tasks,
                    "    rotation:\n      handover: {handover}\n      anchor: {}",
                    rng.pick(&["2026-12-01", "2027-03-28", "2025-06-30"])
                )
                .unwrap();
            }
        }
    }
    (tasks, roles)
}

/// A catalog written into a fresh [`TestEnv`], old enough (past the cache's three-second
/// settling time) that warm runs find it by its files' status, the cache's quickest key.
fn env_of(shape: Shape) -> TestEnv {
    let (tasks, roles) = generate(shape);
    TestEnv::with_catalog(tasks, roles)
}

/// The cache directory of a [`TestEnv`] (`$HOME/.cache/socctl`).
fn cache_dir(env: &TestEnv) -> PathBuf {
    env.home().join(".cache").join("socctl")
}

/// The compiled catalog file in the cache directory (there is one catalog per env).
fn cache_file(env: &TestEnv) -> Option<PathBuf> {
    let entries = std::fs::read_dir(cache_dir(env)).ok()?;
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "bin"))
        .collect();
    assert!(files.len() <= 1, "one catalog, one cache file: {files:?}");
    files.pop()
}

/// Runs socctl with `args` (and `today` as SOCCTL_TODAY when given), expecting success.
fn run(env: &TestEnv, today: Option<&str>, args: &[&str]) -> String {
    match today {
        Some(today) => run_with(env, &[("SOCCTL_TODAY", today)], args),
        None => run_with(env, &[], args),
    }
}

/// Runs socctl with `args` and the environment variables `vars`, expecting success.
fn run_with(env: &TestEnv, vars: &[(&str, &str)], args: &[&str]) -> String {
    let mut command = env.cmd();
    for (name, value) in vars {
        command.env(name, value);
    }
    let output = command.args(args).output().expect("running socctl");
    assert!(
        output.status.success(),
        "socctl {args:?} failed with {:?}\nstderr: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// Every day of `from..=to`.
fn days(from: &str, to: &str) -> Vec<String> {
    let from: jiff::civil::Date = from.parse().unwrap();
    let to: jiff::civil::Date = to.parse().unwrap();
    from.series(jiff::ToSpan::day(1))
        .take_while(|d| *d <= to)
        .map(|d| d.to_string())
        .collect()
}

/// The first line where `a` and `b` differ, both versions, for a failure message.
fn first_difference(a: &str, b: &str) -> String {
    for (line, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!("line {}:\n  cache: {x}\n  yaml:  {y}", line + 1);
        }
    }
    format!(
        "{} lines against {} lines",
        a.lines().count(),
        b.lines().count()
    )
}

/// Collects the differences a test finds, to report them all at once with the catalog.
#[derive(Default)]
struct Findings(Vec<String>);

impl Findings {
    fn same(&mut self, what: &str, fast: &str, general: &str) {
        if fast != general {
            self.0.push(format!(
                "{what}: {}\n--- fast path:\n{fast}\n--- general path:\n{general}",
                first_difference(fast, general)
            ));
        }
    }

    fn check(&mut self, what: String, ok: bool) {
        if !ok {
            self.0.push(what);
        }
    }

    fn assert_none(self, catalog: &str) {
        assert!(
            self.0.is_empty(),
            "{} difference(s) in the catalog of {catalog}:\n\n{}",
            self.0.len(),
            self.0
                .iter()
                .take(5)
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join("\n\n")
        );
    }
}

/// The global options of a variant: a language or none.
fn with_globals<'a>(globals: &[&'a str], args: &[&'a str]) -> Vec<&'a str> {
    [globals, args].concat()
}

/// Item 1 for one catalog: for every day of every window, `due --date D -f json` from the
/// warm cache equals `--no-cache`, for all teams and for `team`; and the cache was really
/// used (its file stays the one the first run wrote). Returns each day's due JSON (all
/// teams and `team`), for item 2.
fn due_days_agree(
    env: &TestEnv,
    globals: &[&str],
    team: &str,
    stride: usize,
    findings: &mut Findings,
) -> BTreeMap<(String, bool), String> {
    // The first run compiles the catalog; every run after it reads the compiled copy.
    run(env, None, &with_globals(globals, &["due", "-f", "json"]));
    let file = cache_file(env).expect("the first run compiled the catalog");
    let inode = inode_of(&file);
    // Today and tomorrow, as the clock (SOCCTL_TODAY) gives them.
    for args in [
        &["due", "-f", "json"][..],
        &["due", "--date", "tomorrow", "-f", "json"],
    ] {
        findings.same(
            &format!("{globals:?} {args:?}"),
            &run(env, None, &with_globals(globals, args)),
            &run(
                env,
                None,
                &with_globals(globals, &[&["--no-cache"], args].concat()),
            ),
        );
    }
    let mut by_day = BTreeMap::new();
    for (from, to) in WINDOWS {
        for (index, day) in days(from, to).into_iter().enumerate() {
            // Every `stride`th day, and one team on every third of those (and in every
            // plan), to keep the run short.
            if index % stride != 0 {
                continue;
            }
            let variants: &[bool] = if index % (3 * stride) == 0 {
                &[false, true]
            } else {
                &[false]
            };
            for &one_team in variants {
                let mut args = vec!["due", "--date", &day, "-f", "json"];
                if one_team {
                    args.extend(["--team", team]);
                }
                let fast = run(env, None, &with_globals(globals, &args));
                let general = run(
                    env,
                    None,
                    &with_globals(globals, &[&["--no-cache"], &args[..]].concat()),
                );
                findings.same(&format!("{globals:?} {args:?}"), &fast, &general);
                by_day.insert((day.clone(), one_team), general);
            }
        }
    }
    assert_eq!(
        inode_of(&file),
        inode,
        "the cache file was trusted, never rewritten"
    );
    by_day
}

fn inode_of(file: &std::path::Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(file).expect("the cache file").ino()
}

/// A minimal RFC 4180 reader: rows of fields, quotes doubled inside quoted fields.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (_, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// A JSON field as the CSV writes it: text as is, null as nothing, booleans and numbers
/// as written, a list of team ids joined by ` | `.
fn as_csv_field(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        Value::Array(items) => items
            .iter()
            .map(|item| {
                item.as_str()
                    .map_or_else(|| item.to_string(), str::to_owned)
            })
            .collect::<Vec<_>>()
            .join(" | "),
        other => other.to_string(),
    }
}

/// The JSON array socctl printed.
fn parse_array(text: &str, what: &str) -> Vec<Value> {
    match serde_json::from_str(text) {
        Ok(Value::Array(items)) => items,
        other => panic!("{what} printed no JSON array ({other:?}):\n{text}"),
    }
}

/// Item 2 for one catalog: `plan` of each window, in JSON and CSV, holds exactly the
/// occurrences of the window's days' `due` (the general path's, from `by_day`), in the same
/// order, every field the same. Returns how many occurrences were compared.
fn plans_agree(
    env: &TestEnv,
    globals: &[&str],
    team: &str,
    by_day: &BTreeMap<(String, bool), String>,
    findings: &mut Findings,
) -> usize {
    let mut compared = 0;
    for (from, to) in WINDOWS {
        for one_team in [false, true] {
            let mut args = vec!["plan", "--from", from, "--to", to];
            if one_team {
                args.extend(["--team", team]);
            }
            let mut args_due = vec!["due", "-f", "json"];
            if one_team {
                args_due.extend(["--team", team]);
            }
            let expected: Vec<Value> = days(from, to)
                .into_iter()
                .flat_map(|day| {
                    let text = by_day
                        .get(&(day.clone(), one_team))
                        .cloned()
                        .unwrap_or_else(|| {
                            let args = [&["--no-cache", "due", "--date", &day][..], &args_due[1..]]
                                .concat();
                            run(env, None, &with_globals(globals, &args))
                        });
                    parse_array(&text, &format!("due --date {day}"))
                })
                .collect();
            compared += expected.len();
            for cache in [true, false] {
                let mut args = args.clone();
                if !cache {
                    args.insert(0, "--no-cache");
                }
                let what = format!("{globals:?} {args:?}");
                let json = run(
                    env,
                    None,
                    &with_globals(globals, &[&args[..], &["-f", "json"]].concat()),
                );
                let planned = parse_array(&json, &what);
                findings.check(
                    format!(
                        "{what} -f json: {} occurrences, the days' due {}",
                        planned.len(),
                        expected.len()
                    ),
                    planned.len() == expected.len(),
                );
                for (index, (plan, due)) in planned.iter().zip(&expected).enumerate() {
                    findings.check(
                        format!(
                            "{what} -f json, occurrence {index}:\n  plan: {plan}\n  due:  {due}"
                        ),
                        plan == due,
                    );
                }
                // The CSV is written by the same streaming code with or without the cache.
                if !cache {
                    continue;
                }
                let csv = run(
                    env,
                    None,
                    &with_globals(globals, &[&args[..], &["-f", "csv"]].concat()),
                );
                let rows = parse_csv(&csv);
                let Some((header, rows)) = rows.split_first() else {
                    findings.check(format!("{what} -f csv printed no header"), false);
                    continue;
                };
                findings.check(
                    format!(
                        "{what} -f csv: {} rows, the days' due {}",
                        rows.len(),
                        expected.len()
                    ),
                    rows.len() == expected.len(),
                );
                // Every column the JSON also has must say the same; `team_names` (the
                // teams' display names) is the CSV's alone.
                let shared: Vec<(usize, &String)> = header
                    .iter()
                    .enumerate()
                    .filter(|(_, name)| expected.first().is_none_or(|e| e.get(*name).is_some()))
                    .collect();
                findings.check(
                    format!("{what} -f csv: columns {header:?}"),
                    ["date", "time", "task", "teams", "window_end"]
                        .iter()
                        .all(|c| shared.iter().any(|(_, name)| name == c)),
                );
                for (index, (row, due)) in rows.iter().zip(&expected).enumerate() {
                    for &(column, name) in &shared {
                        let cell = row.get(column).map_or("", String::as_str);
                        // The entry of one team of a task of several (team calendars: JSON's
                        // `team`) names that team only in the CSV's `teams`.
                        let field = match due.get("team") {
                            Some(team) if name == "teams" => team,
                            _ => &due[name.as_str()],
                        };
                        let wanted = as_csv_field(field);
                        findings.check(
                            format!(
                                "{what} -f csv, row {index}, `{name}`: {cell:?}, due says {wanted:?} ({due})"
                            ),
                            cell == wanted,
                        );
                    }
                }
            }
        }
    }
    compared
}

/// `shape` with its seed moved by `$SOCCTL_FAST_PATHS_SEED` (0 when unset): other
/// catalogs of the same kind, for a longer search (`SOCCTL_FAST_PATHS_SEED=1000 cargo test
/// --test fast_paths`); a failure names the seed it ran with.
fn reseeded(shape: Shape) -> Shape {
    let offset = std::env::var("SOCCTL_FAST_PATHS_SEED")
        .ok()
        .and_then(|seed| seed.parse::<u64>().ok())
        .unwrap_or(0);
    Shape {
        seed: shape.seed.wrapping_add(offset),
        ..shape
    }
}

/// The long range of [`long_plan_agrees`]: sixteen months, from before the first window
/// to after the last.
const LONG: (&str, &str) = ("2026-12-01", "2028-03-31");

/// The status fields, which a plan with a journal fills in (every occurrence of a range
/// after today is `upcoming`) and one without leaves null.
const STATUS_FIELDS: [&str; 4] = ["status", "done_at", "done_by", "reason"];

/// Item 2 over a long range: `plan -f json` of [`LONG`], streamed from the warm cache a day
/// at a time (in groups of tasks sharing a rule, time and shift), against the same range
/// planned whole from the YAML, the general path a plan with a journal takes. That journal
/// (its own file, for this run alone) holds one record from before the range; the whole plan
/// then starts with earlier work carried over and gives every occurrence a status, which
/// the comparison leaves out ([`STATUS_FIELDS`]); every other field must be the same, in
/// the same order. Returns how many occurrences were compared.
fn long_plan_agrees(env: &TestEnv, globals: &[&str], team: &str, findings: &mut Findings) -> usize {
    let journal = env.root().join("whole-plan.db");
    let journal = journal.to_str().expect("a UTF-8 path");
    let with_journal = [("SOCCTL_JOURNAL", journal), ("SOCCTL_BY", "tester")];
    if !std::path::Path::new(journal).exists() {
        run_with(env, &with_journal, &["done", "journal-check"]);
    }
    let mut compared = 0;
    for one_team in [false, true] {
        let mut args = vec!["plan", "--from", LONG.0, "--to", LONG.1, "-f", "json"];
        if one_team {
            args.extend(["--team", team]);
        }
        let what = format!("{globals:?} {args:?}");
        let streamed_text = run(env, None, &with_globals(globals, &args));
        // `--quiet-if-empty` plans the range whole too (it must know whether anything is
        // due before it writes), without a journal: the same text exactly.
        let quiet = [&args[..], &["--quiet-if-empty"]].concat();
        findings.same(
            &format!("{what} streamed, against --quiet-if-empty's whole plan"),
            &streamed_text,
            &run(env, None, &with_globals(globals, &quiet)),
        );
        let streamed = parse_array(&streamed_text, &what);
        let whole_args = with_globals(globals, &[&["--no-cache"], &args[..]].concat());
        let whole: Vec<Value> = parse_array(&run_with(env, &with_journal, &whole_args), &what)
            .into_iter()
            .filter(|entry| entry["carried"] != true)
            .collect();
        let without_status = |entry: &Value| {
            let mut entry = entry.clone();
            if let Some(object) = entry.as_object_mut() {
                for field in STATUS_FIELDS {
                    object.remove(field);
                }
            }
            entry
        };
        findings.check(
            format!(
                "{what}: {} occurrences streamed, {} planned whole",
                streamed.len(),
                whole.len()
            ),
            streamed.len() == whole.len(),
        );
        for (index, (fast, general)) in streamed.iter().zip(&whole).enumerate() {
            let (fast, general) = (without_status(fast), without_status(general));
            findings.check(
                format!("{what}, occurrence {index}:\n  streamed: {fast}\n  whole:    {general}"),
                fast == general,
            );
        }
        compared += streamed.len();
    }
    compared
}

/// Items 1 and 2 for one generated catalog, in each of `variants` (global options).
fn fast_paths_agree(shape: Shape, variants: &[&[&str]], team: &str) {
    let shape = reseeded(shape);
    let env = env_of(shape);
    // Past the cache's settling time: warm runs then find the catalog by its files' status.
    std::thread::sleep(std::time::Duration::from_millis(3200));
    let mut findings = Findings::default();
    let mut occurrences = 0;
    for (variant, globals) in variants.iter().enumerate() {
        // The variants after the first on every other day.
        let stride = if variant == 0 { 1 } else { 2 };
        let by_day = due_days_agree(&env, globals, team, stride, &mut findings);
        occurrences += plans_agree(&env, globals, team, &by_day, &mut findings);
        long_plan_agrees(&env, globals, team, &mut findings);
    }
    let stamps = std::fs::read_dir(cache_dir(&env))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "stamp")
        })
        .count();
    findings.assert_none(&format!(
        "seed {} in {} (tasks.yaml then roles.yaml):\n{}\n{}",
        shape.seed,
        shape.zone,
        generate(shape).0,
        generate(shape).1
    ));
    assert_eq!(
        stamps, 1,
        "warm runs found the catalog by its files' status"
    );
    // Not a vacuous comparison: the windows hold many occurrences, of every team.
    assert!(
        occurrences > 200 * variants.len(),
        "only {occurrences} occurrences compared"
    );
}

#[test]
fn copenhagen_due_and_plan_from_the_cache_are_the_yaml_s() {
    fast_paths_agree(Shape::plain(1, "Europe/Copenhagen"), &[&[]], "blue");
}

#[test]
fn new_york_due_and_plan_from_the_cache_are_the_yaml_s() {
    let shape = Shape {
        week_start: "sunday",
        ..Shape::plain(2, "America/New_York")
    };
    fast_paths_agree(shape, &[&[]], "red");
}

/// A Sunday-to-Thursday week of work at Lord Howe, read in its own zone and with every
/// zone overridden (`--tz`), which the compiled catalog's schedules do not hold.
#[test]
fn lord_howe_due_and_plan_from_the_cache_are_the_yaml_s() {
    let shape = Shape {
        workdays: "[sun, mon, tue, wed, thu]",
        ..Shape::plain(3, "Australia/Lord_Howe")
    };
    fast_paths_agree(shape, &[&[], &["--tz", "America/New_York"]], "green");
}

/// Translated tasks send `due` the long way: with and without `--lang da`.
#[test]
fn translated_due_and_plan_from_the_cache_are_the_yaml_s() {
    let shape = Shape {
        translations: true,
        ..Shape::plain(4, "Europe/Copenhagen")
    };
    fast_paths_agree(shape, &[&[], &["--lang", "da"]], "blue");
}

/// Assigned and rotating tasks send `due` the long way.
#[test]
fn assigned_due_and_plan_from_the_cache_are_the_yaml_s() {
    let shape = Shape {
        people: true,
        ..Shape::plain(5, "America/New_York")
    };
    fast_paths_agree(shape, &[&[]], "red");
}

/// Teams in New York and at Lord Howe with holidays of their own, beside one on the
/// catalog's Copenhagen calendar.
#[test]
fn team_calendars_due_and_plan_from_the_cache_are_the_yaml_s() {
    let shape = Shape {
        team_calendars: true,
        ..Shape::plain(6, "Europe/Copenhagen")
    };
    fast_paths_agree(shape, &[&[]], "blue");
}

/// The day the journal tests run on: after the spring windows, so their days are past and
/// their work done, skipped or overdue.
const JOURNAL_TODAY: &str = "2027-04-02";

/// The status of an entry's fields left when the journal's are taken out (see
/// [`STATUS_FIELDS`]).
fn without_status(entry: &Value) -> Value {
    let mut entry = entry.clone();
    if let Some(object) = entry.as_object_mut() {
        for field in STATUS_FIELDS {
            object.remove(field);
        }
    }
    entry
}

/// Item 1 with a journal (SQLite, a few records: done, on time and late, skipped, by
/// several people): `due --date D -f json` reads the whole catalog from the warm cache,
/// never the day path, and must print what `--no-cache` prints, for every team and one,
/// on days before, on and after today. And the journal only adds to the journal-less day:
/// without the carried-over entries and the status fields, each day's entries are the
/// same as with no journal at all.
#[test]
fn due_with_a_journal_from_the_cache_is_the_yaml_s() {
    let shape = reseeded(Shape {
        people: true,
        ..Shape::plain(7, "Europe/Copenhagen")
    });
    let env = env_of(shape);
    std::thread::sleep(std::time::Duration::from_millis(3200));
    let journal = env.root().join("journal.db");
    let journal = journal.to_str().expect("a UTF-8 path");
    let absent = env.root().join("no-journal.db");
    let absent = absent.to_str().expect("a UTF-8 path");
    let with = [
        ("SOCCTL_TODAY", JOURNAL_TODAY),
        ("SOCCTL_JOURNAL", journal),
        ("SOCCTL_BY", "tester"),
    ];
    let without = [("SOCCTL_TODAY", JOURNAL_TODAY), ("SOCCTL_JOURNAL", absent)];
    // Tracking starts on the day of the first record (occurrences before it have no
    // status), before the windows.
    run_with(
        &env,
        &[
            ("SOCCTL_TODAY", "2026-12-20"),
            ("SOCCTL_JOURNAL", journal),
            ("SOCCTL_BY", "tester"),
        ],
        &["done", "journal-check"],
    );
    // Records for the first tasks due on a few days (as the YAML without a journal has
    // them), done on the day, a day late, or skipped.
    let mut records = 0;
    for (day, done_on) in [
        ("2026-12-28", "2026-12-28"),
        ("2027-03-27", "2027-03-29"),
        ("2027-03-30", "2027-03-30"),
        ("2027-04-01", "2027-04-01"),
    ] {
        let due = run_with(
            &env,
            &without,
            &["--no-cache", "due", "--date", day, "-f", "json"],
        );
        for (index, entry) in parse_array(&due, day).iter().take(4).enumerate() {
            let task = entry["task"].as_str().expect("a task id");
            let mut args = vec![if index == 3 { "skip" } else { "done" }, task];
            args.extend(["--occurrence", day, "--date", done_on]);
            if index == 3 {
                args.extend(["--reason", "change freeze"]);
            }
            if entry["teams"].as_array().is_some_and(|t| t.len() > 1) {
                args.push("--all-teams");
            }
            let by = ["ana", "dee", "gus", "tester"][index];
            let mut vars = with.to_vec();
            vars.push(("SOCCTL_BY", by));
            run_with(&env, &vars, &args);
            records += 1;
        }
    }
    assert!(records >= 12, "only {records} records made");
    // The first run compiles the catalog; the others read the compiled copy.
    run_with(&env, &with, &["due", "-f", "json"]);
    let file = cache_file(&env).expect("the first run compiled the catalog");
    let inode = inode_of(&file);
    let mut findings = Findings::default();
    let mut statuses = std::collections::BTreeSet::new();
    for (from, to) in [WINDOWS[0], WINDOWS[2]] {
        for day in days(from, to) {
            for one_team in [false, true] {
                let mut args = vec!["due", "--date", &day, "-f", "json"];
                if one_team {
                    args.extend(["--team", "red"]);
                }
                let fast = run_with(&env, &with, &args);
                let no_cache = [&["--no-cache"], &args[..]].concat();
                let general = run_with(&env, &with, &no_cache);
                findings.same(&format!("with the journal, {args:?}"), &fast, &general);
                let tracked: Vec<Value> = parse_array(&general, &day)
                    .into_iter()
                    .inspect(|entry| {
                        statuses.insert(entry["status"].to_string());
                    })
                    .filter(|entry| entry["carried"] != true)
                    .map(|entry| without_status(&entry))
                    .collect();
                let untracked: Vec<Value> = parse_array(&run_with(&env, &without, &no_cache), &day)
                    .iter()
                    .map(without_status)
                    .collect();
                findings.check(
                    format!(
                        "{args:?}: with the journal, without its own entries and statuses:\n{}\nwithout a journal:\n{}",
                        Value::Array(tracked.clone()),
                        Value::Array(untracked.clone())
                    ),
                    tracked == untracked,
                );
            }
        }
    }
    assert_eq!(inode_of(&file), inode, "the cache file was trusted");
    findings.assert_none(&format!(
        "seed {} with a journal:\n{}\n{}",
        shape.seed,
        generate(shape).0,
        generate(shape).1
    ));
    // The journal is seen: work done, skipped, overdue and carried over.
    for status in ["\"done\"", "\"skipped\"", "\"overdue\""] {
        assert!(statuses.contains(status), "{status} in {statuses:?}");
    }
}

/// What item 3's cases run: the day path (`due -f json`, all teams and one) on the days of
/// Europe's spring change and of a month end, and a streamed plan across Easter.
const INTEGRITY_CASES: [&[&str]; 3] = [
    &["due", "--date", "2027-03-28", "-f", "json"],
    &[
        "due",
        "--date",
        "2027-04-30",
        "--team",
        "blue",
        "-f",
        "json",
    ],
    &[
        "plan",
        "--from",
        "2027-03-27",
        "--to",
        "2027-04-05",
        "-f",
        "json",
    ],
];

/// The `.bin` files in the cache directory.
fn cache_files(env: &TestEnv) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(cache_dir(env))
        .map(|entries| {
            entries
                .map(|e| e.expect("a directory entry").path())
                .filter(|p| p.extension().is_some_and(|e| e == "bin"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Item 3, the cases the unit tests of `src/catalog/cache.rs` do not reach: through the
/// binary, on the day path and the streamed plan, with the catalog known by its settled
/// stamp. A cache file with one bit flipped (in the magic, the key, the hash or anywhere in
/// the payload), or cut short, or a stamp file with one bit flipped, changes nothing a
/// command prints (it is `--no-cache`'s), and the cache file is written anew, byte for byte
/// what the first run wrote.
#[test]
fn a_damaged_cache_file_is_rebuilt_never_believed() {
    let env = env_of(Shape::plain(8, "Europe/Copenhagen"));
    std::thread::sleep(std::time::Duration::from_millis(3200));
    let expected: Vec<String> = INTEGRITY_CASES
        .iter()
        .map(|case| run(&env, None, &[&["--no-cache"], *case].concat()))
        .collect();
    assert!(expected.iter().all(|e| e.len() > 1000), "{expected:?}");
    run(&env, None, INTEGRITY_CASES[0]);
    let file = cache_file(&env).expect("the first run compiled the catalog");
    let stamp = file.with_extension("stamp");
    let good = std::fs::read(&file).unwrap();
    let good_stamp = std::fs::read(&stamp).expect("the settled files' stamp");
    let mut findings = Findings::default();
    let mut round = 0;
    let mut damaged_run = |findings: &mut Findings, what: String| {
        let case = round % INTEGRITY_CASES.len();
        round += 1;
        let output = run(&env, None, INTEGRITY_CASES[case]);
        findings.same(&what, &output, &expected[case]);
        findings.check(
            format!("{what}: the cache file is written anew"),
            std::fs::read(&file).ok().as_ref() == Some(&good),
        );
    };
    // The magic, the key, the hash, then across the payload.
    let mut positions: Vec<usize> = vec![0, 5, 7, 8, 23, 39, 40, 55, 71];
    positions.extend((0..27).map(|i| 72 + i * (good.len() - 73) / 26));
    for (index, &position) in positions.iter().enumerate() {
        let mut damaged = good.clone();
        damaged[position] ^= 1 << (index % 8);
        std::fs::write(&file, &damaged).unwrap();
        damaged_run(
            &mut findings,
            format!("byte {position} of {} flipped", good.len()),
        );
    }
    for length in [0, 8, 40, 72, good.len() / 2, good.len() - 1] {
        std::fs::write(&file, &good[..length]).unwrap();
        damaged_run(
            &mut findings,
            format!("cut to {length} bytes of {}", good.len()),
        );
    }
    for position in (0..good_stamp.len()).step_by(9) {
        let mut damaged = good_stamp.clone();
        damaged[position] ^= 0x10;
        std::fs::write(&stamp, &damaged).unwrap();
        damaged_run(&mut findings, format!("stamp byte {position} flipped"));
    }
    findings.assert_none("seed 8 in Europe/Copenhagen");
}

/// Item 3: another catalog's cache file (and stamp) in this catalog's place is never
/// believed: the output is this catalog's, not the other's, and the file is this catalog's
/// again afterwards. And a cache file another build of socctl wrote for this very catalog
/// is not read either: each build rewrites it with its own key.
#[test]
fn another_catalog_s_or_build_s_cache_file_is_not_believed() {
    let env = env_of(Shape::plain(9, "America/New_York"));
    let (tasks, roles) = generate(Shape::plain(10, "Australia/Lord_Howe"));
    env.write("other/tasks.yaml", tasks);
    env.write("other/roles.yaml", roles);
    std::thread::sleep(std::time::Duration::from_millis(3200));
    let other = [
        "--catalog",
        "other/tasks.yaml",
        "--roles",
        "other/roles.yaml",
    ];
    let expected: Vec<String> = INTEGRITY_CASES
        .iter()
        .map(|case| run(&env, None, &[&["--no-cache"], *case].concat()))
        .collect();
    let other_expected: Vec<String> = INTEGRITY_CASES
        .iter()
        .map(|case| run(&env, None, &[&["--no-cache"][..], &other, case].concat()))
        .collect();
    assert_ne!(expected, other_expected, "the two catalogs differ");
    run(&env, None, INTEGRITY_CASES[0]);
    let [file] = &cache_files(&env)[..] else {
        panic!("one cache file: {:?}", cache_files(&env));
    };
    let file = file.clone();
    let good = std::fs::read(&file).unwrap();
    run(&env, None, &[&other[..], INTEGRITY_CASES[0]].concat());
    let other_file = cache_files(&env)
        .into_iter()
        .find(|f| *f != file)
        .expect("the other catalog's cache file");
    let mut findings = Findings::default();
    for (case, args) in INTEGRITY_CASES.iter().enumerate() {
        for name in ["bin", "stamp"] {
            std::fs::copy(other_file.with_extension(name), file.with_extension(name)).unwrap();
        }
        let output = run(&env, None, args);
        findings.same(
            &format!("another catalog's cache, {args:?}"),
            &output,
            &expected[case],
        );
        findings.check(
            format!("another catalog's cache, {args:?}: written anew"),
            std::fs::read(&file).ok().as_ref() == Some(&good),
        );
    }
    // Another build: a copy of the binary (its own modification time) writes the cache of
    // this catalog under its key; this build does not take it, and writes its own again.
    let copy = env.root().join("socctl-other-build");
    std::fs::copy(support::socctl_binary(), &copy).unwrap();
    let run_copy = |args: &[&str]| {
        let output = env.command(&copy).args(args).output().unwrap();
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    for (case, args) in INTEGRITY_CASES.iter().enumerate() {
        findings.same(
            &format!("the other build, {args:?}"),
            &run_copy(args),
            &expected[case],
        );
        let foreign = std::fs::read(&file).unwrap();
        findings.check(
            format!("the other build keys its cache file its own way, {args:?}"),
            foreign != good && foreign.len() == good.len(),
        );
        let output = run(&env, None, args);
        findings.same(
            &format!("after the other build, {args:?}"),
            &output,
            &expected[case],
        );
        findings.check(
            format!("after the other build, {args:?}: written anew"),
            std::fs::read(&file).ok().as_ref() == Some(&good),
        );
    }
    findings.assert_none("seed 9 in America/New_York, beside seed 10 at Lord Howe");
}
