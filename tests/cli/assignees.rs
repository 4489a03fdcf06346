//! Who does it, in `due`, `week` and `plan` (every format), and `--person` / `--me` on the
//! commands that list occurrences.
//!
//! The people fixture's monitoring team lists ana, ben (until 2027-01-13) and cai (since
//! 2027-01-18); csirt lists dee, then ana from 2027-02-01. Worked by hand (docs/people.md):
//! `weekly-review` (Mondays, every occurrence from 2027-01-04) goes ana 01-04, ben 01-11,
//! cai 01-18, ana 01-25, cai 02-01 (ben has left), ana 02-08; the Wednesday `tabletop` of
//! both teams goes, in monitoring, ana 01-06, ben 01-13, cai 01-20, ana 01-27, cai 02-03,
//! ana 02-10, and in csirt dee until ana's first turn on 02-03.

use std::io::Write as _;
use std::process::Stdio;

use serde_json::{Value, json};

use crate::support::{TestEnv, Tool, items, python, require, text};

const RANGE: [&str; 4] = ["--from", "2027-01-04", "--to", "2027-02-10"];

fn plan_json(env: &TestEnv, extra: &[&str]) -> Value {
    let mut args = vec!["plan"];
    args.extend(RANGE);
    args.extend(extra);
    args.extend(["-f", "json"]);
    env.json(&args)
}

/// `(date, assignee)` of every entry of `task`.
fn turns<'v>(plan: &'v Value, task: &str) -> Vec<(&'v str, &'v Value)> {
    items(plan)
        .iter()
        .filter(|r| text(r, "task") == task)
        .map(|r| (text(r, "date"), &r["assignee"]))
        .collect()
}

#[test]
fn plan_json_gives_each_occurrence_its_assignee() {
    let env = TestEnv::fixture("people");
    let plan = plan_json(&env, &[]);
    assert_eq!(
        turns(&plan, "weekly-review"),
        [
            ("2027-01-04", &json!("ana")),
            ("2027-01-11", &json!("ben")),
            ("2027-01-18", &json!("cai")),
            ("2027-01-25", &json!("ana")),
            ("2027-02-01", &json!("cai")),
            ("2027-02-08", &json!("ana")),
        ]
    );
    // A task of several teams, untracked: one entry, `assignee` null, one turn per team.
    let tabletop: Vec<&Value> = items(&plan)
        .iter()
        .filter(|r| text(r, "task") == "tabletop")
        .collect();
    assert_eq!(tabletop.len(), 6);
    assert_eq!(tabletop[2]["date"], "2027-01-20");
    assert_eq!(tabletop[2]["assignee"], Value::Null);
    assert_eq!(
        tabletop[2]["assignees"],
        json!([{"team": "monitoring", "member": "cai"}, {"team": "csirt", "member": "dee"}])
    );
    assert_eq!(
        tabletop[4]["assignees"],
        json!([{"team": "monitoring", "member": "cai"}, {"team": "csirt", "member": "ana"}])
    );
    // A task that names nobody: null, and no `assignees`.
    let unowned = items(&plan)
        .iter()
        .find(|r| text(r, "task") == "unowned")
        .expect("an unowned task in the range");
    assert_eq!(unowned["assignee"], Value::Null);
    assert!(unowned.get("assignees").is_none(), "{unowned}");
}

#[test]
fn person_keeps_only_their_turns() {
    let env = TestEnv::fixture("people");
    let plan = plan_json(&env, &["--person", "cai"]);
    assert_eq!(
        turns(&plan, "weekly-review"),
        [("2027-01-18", &json!("cai")), ("2027-02-01", &json!("cai"))]
    );
    // Their part of the tabletop: monitoring's entries, each for that team alone.
    let tabletop: Vec<(&str, &str, &Value)> = items(&plan)
        .iter()
        .filter(|r| text(r, "task") == "tabletop")
        .map(|r| (text(r, "date"), text(r, "team"), &r["assignee"]))
        .collect();
    assert_eq!(
        tabletop,
        [
            ("2027-01-20", "monitoring", &json!("cai")),
            ("2027-02-03", "monitoring", &json!("cai")),
        ]
    );
    assert!(
        items(&plan).iter().all(|r| r["assignee"] == "cai"),
        "{plan}"
    );
    // ana's tabletop turns: monitoring's 01-06, 01-27 and 02-10, and csirt's 02-03 (her
    // first there after dee); each entry for that team alone.
    let ana = plan_json(&env, &["--person", "Ana Example"]);
    let tabletop: Vec<(&str, &str)> = items(&ana)
        .iter()
        .filter(|r| text(r, "task") == "tabletop")
        .map(|r| (text(r, "date"), text(r, "team")))
        .collect();
    assert_eq!(
        tabletop,
        [
            ("2027-01-06", "monitoring"),
            ("2027-01-27", "monitoring"),
            ("2027-02-03", "csirt"),
            ("2027-02-10", "monitoring"),
        ]
    );
}

#[test]
fn text_markdown_table_and_html_show_the_assignee() {
    let env = TestEnv::fixture("people");
    let args = ["due", "--date", "2027-01-18", "--team", "monitoring"];
    let run = |format: &str| {
        let mut all = args.to_vec();
        all.extend(["-f", format]);
        env.stdout(&all)
    };
    assert!(
        run("text").contains("weekly-review · weekly on monday · assigned to cai\n"),
        "{}",
        run("text")
    );
    assert!(
        run("markdown").contains("(`weekly-review`) — weekly on monday — assigned to cai\n"),
        "{}",
        run("markdown")
    );
    let table = run("table");
    assert!(table.contains("Assignee"), "{table}");
    assert!(table.contains("cai"), "{table}");
    assert!(
        run("html").contains(
            "<span class=\"task\">weekly-review</span> <span class=\"assignee\">cai</span>"
        ),
        "{}",
        run("html")
    );
    // The shipped catalog without any assignment: no assignee column.
    let plain = TestEnv::fixture("timed").stdout(&["due", "-f", "table"]);
    assert!(!plain.contains("Assignee"), "{plain}");
}

#[test]
fn an_unknown_person_is_a_usage_error_with_the_nearest() {
    let env = TestEnv::fixture("people");
    let output = env.cmd().args(["due", "--person", "caj"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("unknown member `caj` in --person"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `cai`?"), "{stderr}");
}

#[test]
fn me_is_socctl_person_else_the_login_name() {
    let env = TestEnv::fixture("people");
    let dates = |value: &Value| -> Vec<String> {
        turns(value, "weekly-review")
            .into_iter()
            .map(|(d, _)| d.to_owned())
            .collect()
    };
    let me = |vars: &[(&str, &str)]| {
        let mut cmd = env.cmd();
        cmd.args(["plan"]).args(RANGE).args(["--me", "-f", "json"]);
        for (name, value) in vars {
            cmd.env(name, value);
        }
        cmd.output().unwrap()
    };
    let by_variable = me(&[("SOCCTL_PERSON", "ben"), ("USER", "ana")]);
    assert!(by_variable.status.success());
    let value: Value = serde_json::from_slice(&by_variable.stdout).unwrap();
    assert_eq!(dates(&value), ["2027-01-11"]);
    let by_login = me(&[("LOGNAME", "ana")]);
    let value: Value = serde_json::from_slice(&by_login.stdout).unwrap();
    assert_eq!(dates(&value), ["2027-01-04", "2027-01-25", "2027-02-08"]);
    let nobody = me(&[("USER", "zed")]);
    assert_eq!(nobody.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&nobody.stderr);
    assert!(
        stderr.contains("`zed`") && stderr.contains("SOCCTL_PERSON"),
        "{stderr}"
    );
}

#[test]
fn next_and_export_ics_keep_the_persons_dates() {
    let env = TestEnv::fixture("people");
    // ana's next three reviews (not ana's among the next three dates).
    let next = env.json(&[
        "next",
        "weekly-review",
        "-n",
        "3",
        "--date",
        "2027-01-04",
        "--person",
        "ana",
        "-f",
        "json",
    ]);
    let dates: Vec<&str> = items(&next).iter().map(|r| text(r, "date")).collect();
    assert_eq!(dates, ["2027-01-04", "2027-01-25", "2027-02-08"]);
    let ics = env.stdout(&[
        "export",
        "ics",
        "--from",
        "2027-01-04",
        "--to",
        "2027-02-08",
        "--person",
        "cai",
    ]);
    let review = ics
        .split("BEGIN:VEVENT")
        .find(|event| event.contains("UID:weekly-review@socctl"))
        .expect("the review's event");
    // The weekly rule from the range's first Monday, every Monday but cai's (01-18, 02-01)
    // excluded.
    assert!(
        review.contains("RRULE:FREQ=WEEKLY;BYDAY=MO;WKST=MO;UNTIL=20270208\r\n"),
        "{review}"
    );
    assert!(
        review.contains("EXDATE;VALUE=DATE:20270104,20270111,20270125,20270208\r\n"),
        "{review}"
    );
}

/// Team ops, ana then ben. `review` (Mondays) rotates every occurrence from 2027-01-04:
/// ana 01-04, ben 01-11, ana 01-18, ben 01-25, ana 02-01. `patch` (Wednesdays) is ben's.
/// `audit` (the 15th) is ana's: Fri 01-15, Mon 02-15. `report` (Fridays) hands over every two
/// occurrences from Fri 2027-01-01: ana 01-01 and 01-08, ben 01-15 and 01-22, ana 01-29.
const NEXT_TASKS: &str = "\
version: 1
timezone: UTC
tasks:
  - id: review
    title: Review
    cadence: weekly on monday
    team: ops
    rotation:
      handover: every occurrence
      anchor: 2027-01-04
  - id: patch
    title: Patch
    cadence: weekly on wednesday
    team: ops
    assignee: ben
  - id: audit
    title: Audit
    cadence: monthly on day 15
    team: ops
    assignee: ana
  - id: report
    title: Report
    cadence: weekly on friday
    team: ops
    rotation:
      handover: every 2 occurrences
      anchor: 2027-01-01
  - id: unowned
    title: Nobody's
    cadence: daily
    team: ops
";

const NEXT_ROLES: &str = "\
version: 1
teams:
  - id: ops
    name: Operations
    members:
      - id: ana
        name: Ana Example
        email: ana@example.org
      - id: ben
        name: Ben Example
        email: ben@example.org
";

/// `(task, date, assignee)` of `next … -f json` from Monday 2027-01-04.
fn next_of(env: &TestEnv, args: &[&str]) -> Vec<(String, String, String)> {
    let mut all = vec!["next", "--date", "2027-01-04", "-f", "json"];
    all.extend(args);
    items(&env.json(&all))
        .iter()
        .map(|row| {
            let assignees = row["assignees"].as_array().expect("assignees");
            assert_eq!(assignees.len(), 1, "{row}");
            (
                text(row, "task").to_owned(),
                text(row, "date").to_owned(),
                assignees[0]["member"].as_str().unwrap_or("-").to_owned(),
            )
        })
        .collect()
}

fn rows(expected: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    expected
        .iter()
        .map(|(t, d, m)| ((*t).to_owned(), (*d).to_owned(), (*m).to_owned()))
        .collect()
}

#[test]
fn next_person_gives_the_persons_own_next_turns() {
    let env = TestEnv::with_catalog(NEXT_TASKS, NEXT_ROLES);
    // No task named: the person's next N of all tasks together, by date.
    assert_eq!(
        next_of(&env, &["--person", "ana", "-n", "4"]),
        rows(&[
            ("review", "2027-01-04", "ana"),
            ("report", "2027-01-08", "ana"),
            ("audit", "2027-01-15", "ana"),
            ("review", "2027-01-18", "ana"),
        ])
    );
    assert_eq!(
        next_of(&env, &["--person", "ben", "-n", "3"]),
        rows(&[
            ("patch", "2027-01-06", "ben"),
            ("review", "2027-01-11", "ben"),
            ("patch", "2027-01-13", "ben"),
        ])
    );
    // A task named: the person's next N of it.
    assert_eq!(
        next_of(&env, &["review", "--person", "ana", "-n", "3"]),
        rows(&[
            ("review", "2027-01-04", "ana"),
            ("review", "2027-01-18", "ana"),
            ("review", "2027-02-01", "ana"),
        ])
    );
    // Two named: N of each, task by task.
    assert_eq!(
        next_of(&env, &["report", "audit", "--person", "ben", "-n", "2"]),
        rows(&[
            ("report", "2027-01-15", "ben"),
            ("report", "2027-01-22", "ben"),
        ])
    );
    assert_eq!(
        next_of(&env, &["audit", "report", "--person", "ana", "-n", "2"]),
        rows(&[
            ("audit", "2027-01-15", "ana"),
            ("audit", "2027-02-15", "ana"),
            ("report", "2027-01-08", "ana"),
            ("report", "2027-01-29", "ana"),
        ])
    );
}

#[test]
#[ignore = "needs Python: run scripts/test"]
fn csv_has_an_assignee_column_read_by_python() {
    require(&[Tool::Python(&[])]);
    let env = TestEnv::fixture("people");
    let mut args = vec!["plan"];
    args.extend(RANGE);
    args.extend(["-f", "csv"]);
    let csv = env.stdout(&args);
    let script = "import csv, io, json, sys\n\
        rows = list(csv.DictReader(io.StringIO(sys.stdin.read(), newline=''), strict=True))\n\
        print(json.dumps([[r['task'], r['date'], r['teams'], r['assignee']] for r in rows]))";
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
    let rows: Vec<[String; 4]> = serde_json::from_slice(&output.stdout).unwrap();
    let review: Vec<&str> = rows
        .iter()
        .filter(|r| r[0] == "weekly-review")
        .map(|r| r[3].as_str())
        .collect();
    assert_eq!(review, ["ana", "ben", "cai", "ana", "cai", "ana"]);
    // The tabletop's items line up with its teams.
    let tabletop = rows
        .iter()
        .find(|r| r[0] == "tabletop" && r[1] == "2027-02-03")
        .expect("the tabletop of 02-03");
    assert_eq!(tabletop[2], "monitoring | csirt");
    assert_eq!(tabletop[3], "cai | ana");
}
