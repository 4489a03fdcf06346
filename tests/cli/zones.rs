//! `tests/fixtures/zones`: teams in Copenhagen, New York and Tokyo in a UTC catalog, the
//! Danish holidays of 2027 from an iCalendar file, a US and a Japanese holiday on the teams.
//!
//! Calendar facts, worked out by hand from the IANA rules: in 2027 the US springs forward
//! on Sunday 14 March (EST UTC−5 → EDT UTC−4 at 02:00 local), the EU on Sunday 28 March
//! (CET UTC+1 → CEST UTC+2 at 01:00 UTC); Tokyo is UTC+9 all year. Easter Sunday 2027 is
//! 28 March, so 2. påskedag is Monday 29 March; 22 March 2027 is Japan's substitute
//! Vernal Equinox Day. 15, 22 and 29 March 2027 are Mondays.

use serde_json::Value;

use std::io::Write as _;
use std::process::Stdio;

use crate::support::{TestEnv, Tool, items, python, require, text};

/// `(team, date, task)` of every occurrence, sorted.
fn rows(value: &Value) -> Vec<(String, String, String)> {
    let mut rows: Vec<(String, String, String)> = items(value)
        .iter()
        .map(|r| {
            let team = r["team"]
                .as_str()
                .map_or_else(|| r["teams"][0].as_str().unwrap().to_owned(), str::to_owned);
            (team, text(r, "date").to_owned(), text(r, "task").to_owned())
        })
        .collect();
    rows.sort();
    rows
}

fn due_at(env: &TestEnv, instant: &str, extra: &[&str]) -> Vec<(String, String, String)> {
    let mut args = vec!["due", "-f", "json"];
    args.extend_from_slice(extra);
    let output = env
        .cmd()
        .env("SOCCTL_TODAY", instant)
        .args(&args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    rows(&serde_json::from_slice(&output.stdout).unwrap())
}

fn row(team: &str, date: &str, task: &str) -> (String, String, String) {
    (team.to_owned(), date.to_owned(), task.to_owned())
}

#[test]
fn each_team_has_its_own_today_across_the_date_line() {
    let env = TestEnv::fixture("zones");
    // 22:30 UTC on Sunday 14 March: 07:30 Monday in Tokyo, 23:30 Sunday in Copenhagen
    // (CET), 18:30 Sunday in New York (EDT since that morning).
    assert_eq!(
        due_at(&env, "2027-03-14T22:30:00Z", &[]),
        [
            row("cph", "2027-03-14", "standup"),
            row("nyc", "2027-03-14", "standup"),
            row("tyo", "2027-03-15", "standup"),
            row("tyo", "2027-03-15", "tokyo-patching"),
            row("tyo", "2027-03-15", "weekly-review"),
        ]
    );
    // 15:30 UTC on Monday: Tokyo is already on Tuesday 00:30.
    assert_eq!(
        due_at(&env, "2027-03-15T15:30:00Z", &[]),
        [
            row("cph", "2027-03-15", "standup"),
            row("cph", "2027-03-15", "weekly-review"),
            row("nyc", "2027-03-15", "standup"),
            row("nyc", "2027-03-15", "weekly-review"),
            row("tyo", "2027-03-16", "standup"),
        ]
    );
}

/// `socctl ARGS -f json` at `instant` (SOCCTL_TODAY), its rows.
fn rows_at(env: &TestEnv, instant: &str, args: &[&str]) -> Vec<(String, String, String)> {
    let mut all = args.to_vec();
    all.extend(["-f", "json"]);
    let output = env
        .cmd()
        .env("SOCCTL_TODAY", instant)
        .args(&all)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    rows(&serde_json::from_slice(&output.stdout).unwrap())
}

/// Every day from `first` to `last` (both included), as text.
fn days(first: &str, last: &str) -> Vec<String> {
    let (first, last): (jiff::civil::Date, jiff::civil::Date) =
        (first.parse().unwrap(), last.parse().unwrap());
    first
        .series(jiff::Span::new().days(1))
        .take_while(|d| *d <= last)
        .map(|d| d.to_string())
        .collect()
}

/// The rows of `team`'s daily standup from `first` to `last` and its Monday tasks.
fn team_rows(
    team: &str,
    first: &str,
    last: &str,
    mondays: &[(&str, &str)],
) -> Vec<(String, String, String)> {
    let mut rows: Vec<_> = days(first, last)
        .iter()
        .map(|d| row(team, d, "standup"))
        .collect();
    rows.extend(mondays.iter().map(|(d, task)| row(team, d, task)));
    rows
}

#[test]
fn week_and_plan_start_from_each_teams_own_today_across_the_date_line() {
    let env = TestEnv::fixture("zones");
    // 22:30 UTC on Sunday 14 March: Monday 15 March 07:30 in Tokyo, still Sunday in
    // Copenhagen and New York. Tokyo's week is 15-21 March; the others' 8-14 March (weeks
    // start on Monday). Mondays: 8 March (review), 15 March (review, Tokyo's patching).
    let mut want = team_rows(
        "cph",
        "2027-03-08",
        "2027-03-14",
        &[("2027-03-08", "weekly-review")],
    );
    want.extend(team_rows(
        "nyc",
        "2027-03-08",
        "2027-03-14",
        &[("2027-03-08", "weekly-review")],
    ));
    want.extend(team_rows(
        "tyo",
        "2027-03-15",
        "2027-03-21",
        &[
            ("2027-03-15", "tokyo-patching"),
            ("2027-03-15", "weekly-review"),
        ],
    ));
    want.sort();
    assert_eq!(rows_at(&env, "2027-03-14T22:30:00Z", &["week"]), want);
    // A date given is the same week for everyone.
    let mut given = team_rows(
        "cph",
        "2027-03-15",
        "2027-03-21",
        &[("2027-03-15", "weekly-review")],
    );
    given.extend(team_rows(
        "nyc",
        "2027-03-15",
        "2027-03-21",
        &[("2027-03-15", "weekly-review")],
    ));
    given.extend(team_rows(
        "tyo",
        "2027-03-15",
        "2027-03-21",
        &[
            ("2027-03-15", "tokyo-patching"),
            ("2027-03-15", "weekly-review"),
        ],
    ));
    given.sort();
    assert_eq!(
        rows_at(
            &env,
            "2027-03-14T22:30:00Z",
            &["week", "--date", "2027-03-17"]
        ),
        given
    );
    // `plan` from each team's today to 16 March: Copenhagen and New York from Sunday the
    // 14th, Tokyo from Monday the 15th.
    let mut want = team_rows(
        "cph",
        "2027-03-14",
        "2027-03-16",
        &[("2027-03-15", "weekly-review")],
    );
    want.extend(team_rows(
        "nyc",
        "2027-03-14",
        "2027-03-16",
        &[("2027-03-15", "weekly-review")],
    ));
    want.extend(team_rows(
        "tyo",
        "2027-03-15",
        "2027-03-16",
        &[
            ("2027-03-15", "tokyo-patching"),
            ("2027-03-15", "weekly-review"),
        ],
    ));
    want.sort();
    assert_eq!(
        rows_at(
            &env,
            "2027-03-14T22:30:00Z",
            &["plan", "--to", "2027-03-16"]
        ),
        want
    );
    // The default four weeks are each team's own: 28 days from its today.
    let plan = rows_at(&env, "2027-03-14T22:30:00Z", &["plan"]);
    for (team, first, last) in [
        ("cph", "2027-03-14", "2027-04-10"),
        ("nyc", "2027-03-14", "2027-04-10"),
        ("tyo", "2027-03-15", "2027-04-11"),
    ] {
        let standups: Vec<String> = plan
            .iter()
            .filter(|(t, _, task)| t == team && task == "standup")
            .map(|(_, d, _)| d.clone())
            .collect();
        assert_eq!(standups, days(first, last), "{team}");
    }
}

#[test]
fn us_and_european_daylight_saving_change_on_their_own_dates() {
    let env = TestEnv::fixture("zones");
    let day_of = |instant: &str, team: &str| -> Vec<String> {
        let mut days: Vec<String> = due_at(&env, instant, &["--team", team])
            .into_iter()
            .map(|(_, date, _)| date)
            .collect();
        days.dedup();
        days
    };
    // 04:30 UTC: before the US change New York (EST, UTC−5) is at 23:30 on Sunday 7 March;
    // after it (EDT, UTC−4), at 00:30 on Monday 22 March.
    assert_eq!(day_of("2027-03-08T04:30:00Z", "nyc"), ["2027-03-07"]);
    assert_eq!(day_of("2027-03-22T04:30:00Z", "nyc"), ["2027-03-22"]);
    // 22:30 UTC: before the EU change Copenhagen (CET) is at 23:30 on Sunday 21 March;
    // after it (CEST), at 00:30 on Monday 29 March. New York has the US offset all along.
    assert_eq!(day_of("2027-03-21T22:30:00Z", "cph"), ["2027-03-21"]);
    assert_eq!(day_of("2027-03-28T22:30:00Z", "cph"), ["2027-03-29"]);
    assert_eq!(day_of("2027-03-28T22:30:00Z", "nyc"), ["2027-03-28"]);
}

#[test]
fn a_date_is_every_teams_own_day_in_its_own_calendar() {
    let env = TestEnv::fixture("zones");
    // Monday 29 March is 2. påskedag in Copenhagen only (from the .ics): its weekly review
    // shifts to Tuesday 30 March. New York and Tokyo have theirs on the Monday.
    let monday = env.json(&["due", "--date", "2027-03-29", "-f", "json"]);
    assert_eq!(
        rows(&monday),
        [
            row("cph", "2027-03-29", "standup"),
            row("nyc", "2027-03-29", "standup"),
            row("nyc", "2027-03-29", "weekly-review"),
            row("tyo", "2027-03-29", "standup"),
            row("tyo", "2027-03-29", "tokyo-patching"),
            row("tyo", "2027-03-29", "weekly-review"),
        ]
    );
    // Monday 22 March is Tokyo's holiday: its review moves to Tuesday 23 March; the patch
    // window (no shift) stays.
    let tokyo = env.json(&["due", "--date", "2027-03-22", "--team", "tyo", "-f", "json"]);
    assert_eq!(
        rows(&tokyo),
        [
            row("tyo", "2027-03-22", "standup"),
            row("tyo", "2027-03-22", "tokyo-patching"),
        ]
    );
    let tuesday = env.json(&["due", "--date", "2027-03-30", "--team", "all", "-f", "json"]);
    assert!(rows(&tuesday).contains(&row("cph", "2027-03-30", "weekly-review")));
    assert!(!rows(&tuesday).contains(&row("nyc", "2027-03-30", "weekly-review")));
    // The file's yearly RRULE for 1 January holds in every year: 1 January 2029 is a
    // Monday (2027 starts on a Friday, 2028 is a leap year), so that review moves to
    // Tuesday 2 January; Christmas is listed for 2026 and 2027 only, so Monday 25 December
    // 2028 is a work day.
    let plan = env.json(&[
        "plan",
        "--from",
        "2028-12-25",
        "--to",
        "2029-01-07",
        "--team",
        "cph",
        "-f",
        "json",
    ]);
    let reviews: Vec<String> = rows(&plan)
        .into_iter()
        .filter(|(_, _, task)| task == "weekly-review")
        .map(|(_, date, _)| date)
        .collect();
    assert_eq!(reviews, ["2028-12-25", "2029-01-02"]);
}

#[test]
fn tz_puts_every_team_in_one_zone() {
    let env = TestEnv::fixture("zones");
    // With --tz UTC, 22:30 UTC on Sunday is Sunday for Tokyo too.
    assert_eq!(
        due_at(&env, "2027-03-14T22:30:00Z", &["--tz", "UTC"]),
        [
            row("cph", "2027-03-14", "standup"),
            row("nyc", "2027-03-14", "standup"),
            row("tyo", "2027-03-14", "standup"),
        ]
    );
}

#[test]
fn done_settles_the_occurrence_of_the_teams_own_day() {
    let env = TestEnv::fixture("zones");
    let done = |team: &str| {
        let output = env
            .cmd()
            .env("SOCCTL_TODAY", "2027-03-14T22:30:00Z")
            .args(["done", "weekly-review", "--team", team, "--by", "ann"])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    // Tokyo's today is Monday 15 March: that Monday's review. New York's is Sunday 14
    // March: the review of Monday 8 March.
    assert!(done("tyo").contains("due 2027-03-15"), "{}", done("tyo"));
    assert!(done("nyc").contains("due 2027-03-08"));
    // With the journal, each team's day still shows its own: Tokyo's Monday review done;
    // the others are on Sunday, with no review that day.
    let output = env
        .cmd()
        .env("SOCCTL_TODAY", "2027-03-14T22:30:00Z")
        .args(["due", "-f", "json"])
        .output()
        .unwrap();
    let due: Value = serde_json::from_slice(&output.stdout).unwrap();
    let review: Vec<&Value> = items(&due)
        .iter()
        .filter(|r| text(r, "task") == "weekly-review")
        .collect();
    assert_eq!(review.len(), 1, "{due:#}");
    assert_eq!(text(review[0], "team"), "tyo");
    assert_eq!(text(review[0], "date"), "2027-03-15");
    assert_eq!(text(review[0], "status"), "done");
    assert_eq!(text(review[0], "time_zone"), "Asia/Tokyo");
}

#[test]
fn check_reports_holiday_files_with_their_lines() {
    let env = TestEnv::fixture("zones");
    env.write(
        "holidays-dk-2027.ics",
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270230\r\nEND:VEVENT\r\n\
         BEGIN:VEVENT\r\nDTSTART:20270105T090000Z\r\nSUMMARY:Meeting\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    );
    let output = env.cmd().arg("check").output().unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned()
        + &String::from_utf8_lossy(&output.stdout);
    assert!(
        stderr.contains("holidays-dk-2027.ics:4:1: error: `20270230` in DTSTART"),
        "{stderr}"
    );
    assert!(
        stderr.contains("holidays-dk-2027.ics:7:1: warning: `Meeting` is a timed event"),
        "{stderr}"
    );
    std::fs::remove_file(env.work().join("holidays-dk-2027.ics")).unwrap();
    let output = env.cmd().arg("check").output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned()
        + &String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success());
    // roles.yaml line 8 names the file.
    assert!(
        stderr.contains("roles.yaml:8:19: error: the holiday file"),
        "{stderr}"
    );
    env.write("holidays-dk-2027.ics", "Date,Name\n2027-01-01,Nytårsdag\n");
    let output = env.cmd().arg("check").output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned()
        + &String::from_utf8_lossy(&output.stdout);
    assert!(
        stderr.contains("holidays-dk-2027.ics:1:1: error: is not an iCalendar file"),
        "{stderr}"
    );
}

/// `socctl ARGS` at 22:30 UTC on Sunday 14 March 2027 (Tokyo's Monday), its standard output.
fn at_the_date_line(env: &TestEnv, args: &[&str]) -> String {
    let output = env
        .cmd()
        .env("SOCCTL_TODAY", "2027-03-14T22:30:00Z")
        .env("COLUMNS", "200")
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn headings_name_each_teams_zone() {
    let env = TestEnv::fixture("zones");
    // Copenhagen and New York on Sunday, Tokyo on Monday: a range over both days, in the
    // three teams' zones (the catalog's own, UTC, is nobody's).
    let range =
        "Plan from 2027-03-14 to 2027-03-15 (Europe/Copenhagen, America/New_York, Asia/Tokyo)";
    let teams = [
        "Copenhagen (Europe/Copenhagen)",
        "New York (America/New_York)",
        "Tokyo (Asia/Tokyo)",
    ];
    for format in ["text", "table"] {
        let out = at_the_date_line(&env, &["due", "-f", format]);
        // The heading may wrap: its first paragraph, with the line breaks as spaces.
        let first = out.split("\n\n").next().unwrap();
        assert_eq!(
            first.split_whitespace().collect::<Vec<_>>().join(" "),
            range,
            "{format}:\n{out}"
        );
        let lines: Vec<&str> = out.lines().map(str::trim).collect();
        for team in teams {
            assert!(lines.contains(&team), "{format}: no `{team}`:\n{out}");
        }
        assert!(!out.contains("(UTC)"), "{format}:\n{out}");
    }
    let markdown = at_the_date_line(&env, &["due", "-f", "markdown"]);
    // Markdown escapes the underscore of New_York.
    let escaped = |text: &str| text.replace('_', "\\_");
    assert!(
        markdown.starts_with(&format!("# {}\n", escaped(range))),
        "{markdown}"
    );
    for team in teams {
        assert!(
            markdown.contains(&format!("\n## {}\n", escaped(team))),
            "{markdown}"
        );
    }
    let html = at_the_date_line(&env, &["due", "-f", "html"]);
    assert!(html.contains(&format!("<h1>{range}</h1>")), "{html}");
    for team in teams {
        assert!(html.contains(&format!("<h2>{team}</h2>")), "{html}");
    }
    // One team: its zone in the heading, its name alone.
    let tokyo = at_the_date_line(&env, &["week", "--team", "tyo", "-f", "text"]);
    let lines: Vec<&str> = tokyo.lines().collect();
    assert_eq!(
        lines[..3],
        [
            "Week 2027-W11: Monday 15 March 2027 to Sunday 21 March 2027 (Asia/Tokyo)",
            "",
            "Tokyo"
        ],
        "{tokyo}"
    );
    // A catalog whose teams keep the catalog's zone: as before, and no zone column.
    let people = TestEnv::fixture("people");
    let due = people.stdout(&["due", "--date", "2027-01-04", "-f", "text"]);
    assert_eq!(
        due.lines().next(),
        Some("Due Monday 4 January 2027 (Europe/Copenhagen)")
    );
    assert!(due.lines().any(|l| l == "Monitoring"), "{due}");
    let csv = people.stdout(&["due", "--date", "2027-01-04", "-f", "csv"]);
    assert!(
        csv.lines().next().unwrap().ends_with(",reason,assignee"),
        "{csv}"
    );
}

#[test]
#[ignore = "needs Python: run scripts/test"]
fn csv_gives_each_rows_zone_read_by_python() {
    require(&[Tool::Python(&[])]);
    let env = TestEnv::fixture("zones");
    let csv = at_the_date_line(&env, &["due", "-f", "csv"]);
    let script = "import csv, io, json, sys\n\
        reader = csv.DictReader(io.StringIO(sys.stdin.read(), newline=''), strict=True)\n\
        rows = [[r['teams'], r['date'], r['time'], r['task'], r['time_zone']] for r in reader]\n\
        print(json.dumps({'fields': reader.fieldnames, 'rows': rows}))";
    let mut child = python()
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("running Python");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(csv.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "python failed");
    let read: Value = serde_json::from_slice(&output.stdout).unwrap();
    // The zone is the last column, after the ones every plan CSV has.
    let fields: Vec<&str> = read["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert_eq!(fields.len(), 16, "{fields:?}");
    assert_eq!(fields[14..], ["assignee", "time_zone"]);
    let rows: Vec<[String; 5]> = serde_json::from_value(read["rows"].clone()).unwrap();
    let row = |team: &str, date: &str, time: &str, task: &str, zone: &str| {
        [team, date, time, task, zone].map(str::to_owned)
    };
    // Each team's 09:00 is on its own clock, and the row says which.
    assert_eq!(
        rows,
        [
            row("cph", "2027-03-14", "09:00", "standup", "Europe/Copenhagen"),
            row("nyc", "2027-03-14", "09:00", "standup", "America/New_York"),
            row("tyo", "2027-03-15", "", "weekly-review", "Asia/Tokyo"),
            row("tyo", "2027-03-15", "08:00", "tokyo-patching", "Asia/Tokyo"),
            row("tyo", "2027-03-15", "09:00", "standup", "Asia/Tokyo"),
        ]
    );
}
