//! People: `members` in roles.yaml, `assignee` and `rotation` in tasks.yaml, and what
//! `check`, `people`, `show` and `next` make of them.
//!
//! Lines and columns of the diagnostics were counted by hand in the YAML below (1-based,
//! in characters); the comment above each says what sits there.

use serde_json::Value;

use crate::support::{TestEnv, items, text};

const BROKEN_ROLES: &str = "\
version: 1
teams:
  - id: ops
    name: Operations
    members:
      - id: Ana_B
        name: Ana
        email: ana@example.org
      - id: ben
        name: Ben
        email: not-an-address
      - id: cai
        name: Cai
        email: cai@example.org
        since: 2027-03-01
        until: 2027-02-01
      - id: dee
        name: Dee
        email: dee@example.org
        until: 2027-06-30
      - id: dee
        name: Dee
        email: dee@example.org
        since: 2027-06-01
        lead: yes
  - id: soc
    name: SOC
    members:
      - id: dee
        name: Dee Other
        email: dee@example.org
";

const ONE_TASK: &str =
    "version: 1\ntasks:\n  - id: a\n    title: A\n    cadence: weekly on monday\n    team: ops\n";

/// `check`'s output lines for a catalog, with its exit code.
fn check(env: &TestEnv) -> (Option<i32>, String) {
    let output = env.cmd().arg("check").output().expect("running socctl");
    (
        output.status.code(),
        String::from_utf8(output.stdout).expect("UTF-8"),
    )
}

/// Asserts that `output` has a line starting with `diagnostic` whose next line (the hint)
/// contains `hint`.
fn assert_reported(output: &str, diagnostic: &str, hint: &str) {
    let lines: Vec<&str> = output.lines().collect();
    let index = lines
        .iter()
        .position(|line| line.starts_with(diagnostic))
        .unwrap_or_else(|| panic!("missing: {diagnostic}\nin:\n{output}"));
    assert!(
        lines.get(index + 1).is_some_and(|l| l.contains(hint)),
        "{diagnostic}: expected a hint with {hint:?}\nin:\n{output}"
    );
}

#[test]
fn check_reports_every_problem_with_members() {
    let env = TestEnv::with_catalog(ONE_TASK, BROKEN_ROLES);
    let (code, output) = check(&env);
    assert_eq!(code, Some(1), "{output}");
    // Line 6 `      - id: Ana_B`: six spaces, `- `, `id:` (9-11), a space, the value at 13.
    assert_reported(
        &output,
        "roles.yaml:6:13: error: member id `Ana_B` is not kebab-case",
        "e.g. `ana-b`",
    );
    // Line 11 `        email: not-an-address`: `email:` is 9-14, the value starts at 16.
    assert!(
        output
            .lines()
            .any(|l| l.starts_with("roles.yaml:11:16: error: ") && l.contains("`not-an-address`")),
        "{output}"
    );
    // Line 16 `        until: 2027-02-01`: the value starts at 16.
    assert_reported(
        &output,
        "roles.yaml:16:16: error: member `cai` of team `ops` leaves on 2027-02-01, before joining on 2027-03-01",
        "swap them or fix the dates",
    );
    // Line 25 `        lead: yes`: `lead:` is 9-13, the value at 15.
    assert_reported(
        &output,
        "roles.yaml:25:15: error: `lead` of member `dee` of team `ops` must be `true` or `false`, not `yes`",
        "`lead: true`",
    );
    // Line 21 `      - id: dee` starts the second entry for dee (its first key at 9), whose
    // period (from 2027-06-01) overlaps the first's (to 2027-06-30).
    assert_reported(
        &output,
        "roles.yaml:21:9: error: member `dee` is listed twice in team `ops` for overlapping periods (until 2027-06-30 and since 2027-06-01)",
        "the entry on line 17 covers until 2027-06-30",
    );
    // Line 29 `      - id: dee` in team soc: the same id with another name.
    assert_reported(
        &output,
        "roles.yaml:29:9: error: member `dee` has the name `Dee Other` here and `Dee` on line 17",
        "one id is one person in every team",
    );
    assert!(output.contains("6 errors, 0 warnings"), "{output}");
}

const ROLES: &str = "\
version: 1
teams:
  - id: ops
    name: Operations
    members:
      - {id: ana, name: Ana Example, email: ana@example.org, lead: true}
      - {id: ben, name: Ben Example, email: ben@example.org, until: 2026-06-30}
  - id: soc
    name: SOC
    members:
      - {id: sol, name: Sol Example, email: sol@example.org}
";

const BROKEN_TASKS: &str = "\
version: 1
tasks:
  - id: fixed-unknown
    title: A
    cadence: weekly on monday
    team: ops
    assignee: anna
  - id: other-team
    title: B
    cadence: weekly on monday
    team: ops
    assignee: sol
  - id: both
    title: C
    cadence: weekly on monday
    team: ops
    assignee: ana
    rotation: {anchor: 2027-01-04}
  - id: bad-rotation
    title: D
    cadence: weekly on monday
    team: ops
    rotation:
      handover: fortnightly
  - id: gone
    title: E
    cadence: weekly on monday
    team: ops
    rotation:
      members: [ben]
      anchor: 2027-01-04
  - id: two-in-one-team
    title: F
    cadence: weekly on monday
    team: ops
    assignee: [ana, ben]
";

#[test]
fn check_reports_every_problem_with_assignees_and_rotations() {
    let env = TestEnv::with_catalog(BROKEN_TASKS, ROLES);
    let (code, output) = check(&env);
    assert_eq!(code, Some(1), "{output}");
    // Line 7 `    assignee: anna`: `assignee:` is 5-13, the value at 15.
    assert_reported(
        &output,
        "tasks.yaml:7:15: error: unknown member `anna` in `assignee` of task `fixed-unknown`",
        "did you mean `ana`? members of ops: ana, ben",
    );
    // Line 12 `    assignee: sol`: sol is in team soc.
    assert_reported(
        &output,
        "tasks.yaml:12:15: error: `sol` in `assignee` of task `other-team` is a member of soc, not of the task's team",
        "members of ops: ana, ben",
    );
    // Line 18 `    rotation: {anchor: 2027-01-04}`: the value at 15.
    assert_reported(
        &output,
        "tasks.yaml:18:15: error: task `both` has both an `assignee` and a `rotation`",
        "keep `assignee`",
    );
    // Line 24 `      handover: fortnightly`: `handover:` is 7-15, the value at 17; the
    // rotation mapping itself starts there too (its first key at 7) and has no anchor.
    assert_reported(
        &output,
        "tasks.yaml:24:17: error: cannot read the handover `fortnightly` of task `bad-rotation`",
        "`every occurrence`, `every 2 occurrences` or `weekly on monday at 09:00`",
    );
    assert_reported(
        &output,
        "tasks.yaml:24:7: error: the rotation of task `bad-rotation` has no `anchor`",
        "add `anchor: YYYY-MM-DD`",
    );
    // Line 25 `  - id: gone`: the task's mapping starts at 5. ben left on 2026-06-30, before
    // the anchor 2027-01-04 (and before today, 2026-11-23).
    assert_reported(
        &output,
        "tasks.yaml:25:5: warning: nobody in the rotation of task `gone` is a member of team `ops` on or after 2027-01-04",
        "add members to team `ops`",
    );
    // Line 36 `    assignee: [ana, ben]`: `[` at 15, `ana` 16-18, `, `, `ben` at 21.
    assert_reported(
        &output,
        "tasks.yaml:36:21: error: task `two-in-one-team` has two assignees in team `ops`: `ana` and `ben`",
        "one assignee per team",
    );
    assert!(output.contains("6 errors, 1 warning"), "{output}");
}

#[test]
fn an_assignee_who_left_and_a_team_without_one_are_warnings() {
    // ben left on 2026-06-30, before today (2026-11-23); `all` has two teams and the one
    // assignee is in ops, so soc's occurrences are unassigned. Line 6 `    assignee: ben`
    // has the value at 15.
    let tasks = "version: 1\ntasks:\n  - id: a\n    title: A\n    cadence: weekly on monday\n    assignee: ben\n    team: all\n";
    let env = TestEnv::with_catalog(tasks, ROLES);
    let (code, output) = check(&env);
    assert_eq!(code, Some(0), "{output}");
    assert_reported(
        &output,
        "tasks.yaml:6:15: warning: `ben`, the assignee of task `a` in team `ops`, is no longer a member on 2026-11-23",
        "name someone who is in the team",
    );
    assert_reported(
        &output,
        "tasks.yaml:6:15: warning: task `a` has no assignee in team `soc`",
        "one member of each team",
    );
}

#[test]
fn people_lists_members_with_their_teams_and_next_turns() {
    let env = TestEnv::fixture("people");
    let value = env.json(&["people", "--date", "2027-01-18", "-f", "json"]);
    let ids: Vec<&str> = items(&value).iter().map(|p| text(p, "id")).collect();
    assert_eq!(ids, ["ana", "ben", "cai", "dee"]);
    let ana = &items(&value)[0];
    assert_eq!(text(ana, "chat"), "@ana");
    let teams: Vec<(&str, bool, Option<&str>)> = items(&ana["teams"])
        .iter()
        .map(|m| (text(m, "team"), m["lead"] == true, m["since"].as_str()))
        .collect();
    assert_eq!(
        teams,
        [
            ("monitoring", true, None),
            ("csirt", false, Some("2027-02-01"))
        ]
    );
    let turns = |person: &Value| -> Vec<(String, String, String)> {
        items(&person["next"])
            .iter()
            .map(|t| {
                (
                    text(t, "date").to_owned(),
                    text(t, "task").to_owned(),
                    text(t, "team").to_owned(),
                )
            })
            .collect()
    };
    let owned = |rows: &[(&str, &str, &str)]| -> Vec<(String, String, String)> {
        rows.iter()
            .map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), (*c).to_owned()))
            .collect()
    };
    // Worked out from the fixture's rotations (see the tables in src/people/rota.rs): from
    // Monday 2027-01-18 ana's next Friday report is the 22nd (the turn of two from 01-15),
    // her weekly review the 25th, triage the 26th (cai's turn runs to the 25th's 09:00),
    // the tabletop of monitoring the 27th and of csirt (which she joins on 02-01) the
    // 3rd, the access review on the 1st, the DST checks from their anchors in March.
    assert_eq!(
        turns(ana),
        owned(&[
            ("2027-01-22", "friday-report", "monitoring"),
            ("2027-01-25", "weekly-review", "monitoring"),
            ("2027-01-26", "triage", "monitoring"),
            ("2027-01-27", "tabletop", "monitoring"),
            ("2027-02-01", "access-review", "monitoring"),
            ("2027-02-03", "tabletop", "csirt"),
            ("2027-03-21", "dst-night", "csirt"),
            ("2027-03-22", "dst-morning", "csirt"),
        ])
    );
    // ben left on 2027-01-13: nothing comes round to him again.
    assert!(items(&items(&value)[1]["next"]).is_empty());
    // cai joins on the 18th: the weekly review that day, triage standing in for ben that
    // morning, the tabletop on the 20th, the Friday report turn from the 29th.
    assert_eq!(
        turns(&items(&value)[2]),
        owned(&[
            ("2027-01-18", "weekly-review", "monitoring"),
            ("2027-01-18", "triage", "monitoring"),
            ("2027-01-20", "tabletop", "monitoring"),
            ("2027-01-29", "friday-report", "monitoring"),
        ])
    );

    // --team keeps the members of one team; the text names the team of shared tasks.
    let csirt = env.stdout(&[
        "people",
        "--team",
        "csirt",
        "--date",
        "2027-01-18",
        "-f",
        "text",
    ]);
    assert!(
        csirt.contains("Person: ana") && csirt.contains("Person: dee"),
        "{csirt}"
    );
    assert!(!csirt.contains("Person: ben"), "{csirt}");
    assert!(csirt.contains("2027-01-20 tabletop (csirt)"), "{csirt}");
    assert!(csirt.contains("2027-03-29 03:15 dst-night"), "{csirt}");

    // The membership notes are in the render language.
    let french = env.stdout(&["--lang", "fr", "people", "--team", "csirt", "-f", "text"]);
    assert!(
        french.contains("  • monitoring (responsable)\n"),
        "{french}"
    );
    assert!(
        french.contains("  • csirt (depuis le 2027-02-01)\n"),
        "{french}"
    );

    // CSV: a header of the English field names, one row a person.
    let csv = env.stdout(&["people", "--date", "2027-01-18", "-f", "csv"]);
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("id,name,email,teams,next"));
    assert_eq!(csv.lines().count(), 5, "{csv}");
}

#[test]
fn people_says_when_nobody_is_listed() {
    let env = TestEnv::one_team(ONE_TASK);
    let output = env.stdout(&["people", "-f", "text"]);
    assert!(
        output.contains("No members are listed in roles.yaml."),
        "{output}"
    );
    assert_eq!(
        env.json(&["people", "-f", "json"]),
        Value::Array(Vec::new())
    );
}

#[test]
fn next_and_show_give_the_assignee() {
    let env = TestEnv::fixture("people");
    // The Wednesday tabletop belongs to both teams: from 2027-01-18, monitoring's turns go
    // cai (01-20), ana (01-27); csirt has only dee until ana joins on 02-01.
    let next = env.json(&[
        "next",
        "tabletop",
        "-n",
        "2",
        "--date",
        "2027-01-18",
        "-f",
        "json",
    ]);
    let assignees: Vec<Vec<(&str, Option<&str>)>> = items(&next)
        .iter()
        .map(|row| {
            items(&row["assignees"])
                .iter()
                .map(|a| (text(a, "team"), a["member"].as_str()))
                .collect()
        })
        .collect();
    assert_eq!(
        assignees,
        [
            [("monitoring", Some("cai")), ("csirt", Some("dee"))],
            [("monitoring", Some("ana")), ("csirt", Some("dee"))],
        ]
    );
    // A task that names nobody has no `assignees` field; the text gains a column.
    let unowned = env.json(&["next", "unowned", "-n", "1", "-f", "json"]);
    assert!(items(&unowned)[0].get("assignees").is_none(), "{unowned}");
    let table = env.stdout(&[
        "next",
        "weekly-review",
        "-n",
        "2",
        "--date",
        "2027-01-18",
        "-f",
        "text",
    ]);
    assert_eq!(
        table,
        "Task           Date        Day  Time  Cadence           Assignee\n\
         weekly-review  2027-01-18  Mon        weekly on monday  cai\n\
         weekly-review  2027-01-25  Mon        weekly on monday  ana\n"
    );
    // The DST rotation starts on 2027-03-15: before it nobody holds it.
    let early = env.stdout(&[
        "next",
        "dst-morning",
        "-n",
        "1",
        "--date",
        "2027-03-14",
        "-f",
        "csv",
    ]);
    assert!(early.trim_end().ends_with(",unassigned"), "{early}");

    // `show`: the rule, and who does the next occurrence: today (2026-11-23) that is
    // Friday 2026-11-27, before the rotation's anchor (2027-01-01), so nobody; on
    // 2027-01-18 it is Friday the 22nd, the second of ana's turn of two from 01-15.
    let show = env.json(&["show", "friday-report", "-f", "json"]);
    assert_eq!(text(&show["assignment"], "kind"), "rotation");
    assert_eq!(text(&show["assignment"], "handover"), "every 2 occurrences");
    assert_eq!(text(&show["assignment"], "anchor"), "2027-01-01");
    assert_eq!(
        show["assignment"]["members"],
        serde_json::json!(["cai", "ana"])
    );
    let turn = &items(&show["next_turns"])[0];
    assert_eq!(
        (text(turn, "team"), text(turn, "date"), &turn["member"]),
        ("monitoring", "2026-11-27", &Value::Null)
    );
    let later = env
        .cmd()
        .env("SOCCTL_TODAY", "2027-01-18")
        .args(["show", "friday-report", "-f", "json"])
        .output()
        .expect("running socctl");
    let later: Value = serde_json::from_slice(&later.stdout).expect("JSON");
    let turn = &items(&later["next_turns"])[0];
    assert_eq!(
        (text(turn, "date"), text(turn, "member")),
        ("2027-01-22", "ana")
    );
    let fixed = env.json(&["show", "access-review", "-f", "json"]);
    assert_eq!(
        fixed["assignment"],
        serde_json::json!({"kind": "fixed", "assignees": [{"team": "monitoring", "member": "ana"}]})
    );
    let shown = env.stdout(&["show", "weekly-review", "-f", "text"]);
    assert!(
        shown.contains("assigned to: rotates among the members of monitoring, handed")
            && shown.contains("from 2027-01-04"),
        "{shown}"
    );
}

#[test]
fn the_shipped_catalog_has_placeholder_members_in_every_team() {
    let env = TestEnv::shipped();
    let people = env.json(&["people", "-f", "json"]);
    // Two members in each of the five teams, three in monitoring; one lead per team.
    assert_eq!(items(&people).len(), 11, "{people}");
    assert!(
        items(&people)
            .iter()
            .all(|p| text(p, "email").ends_with("@example.org")
                && text(p, "name").ends_with(" Placeholder")),
        "{people}"
    );
    let leads = items(&people)
        .iter()
        .filter(|p| items(&p["teams"]).iter().any(|m| m["lead"] == true))
        .count();
    assert_eq!(leads, 5);
    let monitoring = env.json(&["people", "--team", "Overvågning", "-f", "json"]);
    let ids: Vec<&str> = items(&monitoring).iter().map(|p| text(p, "id")).collect();
    assert_eq!(ids, ["mia-monitor", "max-monitor", "mo-monitor"]);
}

#[test]
fn an_assignee_in_a_team_without_members_says_so() {
    // Line 7 `    assignee: ana`: the value at 15; ops (tests/fixtures/one-team) lists nobody.
    let tasks = format!("{ONE_TASK}    assignee: ana\n");
    let env = TestEnv::one_team(tasks);
    let (code, output) = check(&env);
    assert_eq!(code, Some(1), "{output}");
    assert_reported(
        &output,
        "tasks.yaml:7:15: error: unknown member `ana` in `assignee` of task `a`",
        "no `members` are listed for ops in roles.yaml",
    );
    // A task whose team is unknown gets that error only, not one about its assignee.
    let env = TestEnv::one_team(format!(
        "{}    assignee: ana\n",
        ONE_TASK.replace("team: ops", "team: nobody")
    ));
    let (_, output) = check(&env);
    assert!(output.contains("unknown team `nobody`"), "{output}");
    assert!(!output.contains("assignee"), "{output}");
}
