//! Leave and swaps (`socctl away`, `socctl swap`): cover records in the journal, who they
//! hand occurrences to, what they refuse, how they race, and `report --by-person`. On
//! SQLite and, through `on_postgres!`, on PostgreSQL.
//!
//! The catalog: team ops with ana, ben and cai (in that order); `review` is weekly on
//! Monday, rotating among them every occurrence from Monday 2027-01-04, so the catalog's own
//! turns are 01-04 ana, 01-11 ben, 01-18 cai, 01-25 ana, 02-01 ben, 02-08 cai.

use serde_json::Value;

use super::env::Journaled;

const TASKS: &str = "\
version: 1
timezone: UTC
tasks:
  - id: review
    title: Weekly review
    cadence: weekly on monday
    team: ops
    rotation:
      handover: every occurrence
      anchor: 2027-01-04
  - id: unowned
    title: Nobody's
    cadence: weekly on monday
    team: ops
";

const ROLES: &str = "\
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
      - id: cai
        name: Cai Example
        email: cai@example.org
  - id: other
    name: Other
    members:
      - id: dee
        name: Dee Example
        email: dee@example.org
";

/// Before the first Monday: recording now makes the journal track from here.
const EARLY: &str = "2027-01-01";
/// Wednesday after the last Monday of the table.
const LATE: &str = "2027-02-10";

fn journaled() -> Journaled {
    Journaled::with_catalog(TASKS, ROLES)
}

/// The member of each `review` occurrence from 2027-01-04 on, six Mondays (`-`: nobody).
fn turns(j: &Journaled) -> Vec<String> {
    let next = j.json(
        EARLY,
        &["next", "review", "--date", "2027-01-04", "--count", "6"],
    );
    crate::support::items(&next)
        .iter()
        .map(|row| {
            let assignees = row["assignees"].as_array().expect("assignees");
            assert_eq!(assignees.len(), 1, "{row}");
            assignees[0]["member"].as_str().unwrap_or("-").to_owned()
        })
        .collect()
}

/// The cover records in force, from `away --list --format json`.
fn listed(j: &Journaled) -> Vec<Value> {
    match j.json(EARLY, &["away", "--list"]) {
        Value::Array(items) => items,
        other => panic!("away --list printed {other}"),
    }
}

/// Records the leave and the swap of the hand-worked table.
fn record_the_table(j: &Journaled) {
    // ben away Mon 01-11 and Tue 01-12, cai covering.
    j.ok(
        EARLY,
        &[
            "away",
            "ben",
            "--from",
            "2027-01-11",
            "--to",
            "2027-01-12",
            "--cover",
            "cai",
        ],
    );
    // ana away on 01-25, nobody named.
    j.ok(
        EARLY,
        &[
            "away",
            "ana",
            "--from",
            "2027-01-25",
            "--to",
            "2027-01-25",
            "--reason",
            "dentist",
        ],
    );
    // ben's turn of 02-01 goes to ana.
    j.ok(
        EARLY,
        &[
            "swap",
            "review",
            "--occurrence",
            "2027-02-01",
            "--to",
            "ana",
        ],
    );
    // Everybody away on 02-08.
    for person in ["ana", "ben", "cai"] {
        j.ok(
            EARLY,
            &["away", person, "--from", "2027-02-08", "--to", "2027-02-08"],
        );
    }
}

#[test]
fn leave_with_and_without_cover_a_swap_and_nobody_available() {
    let j = journaled();
    // No journal: the catalog's own turns.
    assert_eq!(turns(&j), ["ana", "ben", "cai", "ana", "ben", "cai"]);
    record_the_table(&j);
    // 01-04 ana. 01-11 ben is away, cai named: cai. 01-18 cai's own turn (the rotation did
    // not move). 01-25 ana away with nobody named: the next after her in order, ben.
    // 02-01 ben's turn, swapped to ana. 02-08 cai's turn, all three away: nobody.
    assert_eq!(turns(&j), ["ana", "cai", "cai", "ben", "ana", "-"]);
    let list = listed(&j);
    assert_eq!(list.len(), 6, "{list:#?}");
    assert_eq!(list[1]["kind"], "away");
    assert_eq!(list[1]["person"], "ana");
    assert_eq!(list[1]["note"], "dentist");
    assert!(list[1].get("cover").is_none(), "{list:#?}");
    assert_eq!(list[2]["kind"], "swap");
    assert_eq!(list[2]["to"], "ana");
    // --person: ana's leave and what she takes.
    let anas = j.json(
        EARLY,
        &[
            "away",
            "--list",
            "--person",
            "ana",
            "--from",
            "2027-01-20",
            "--to",
            "2027-02-01",
        ],
    );
    let kinds: Vec<&str> = crate::support::items(&anas)
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["away", "swap"], "{anas:#}");
    // Cancelling ben's leave gives 01-11 back to him; cancelling twice is refused.
    let id = list[0]["id"].as_str().expect("an id").to_owned();
    j.ok(EARLY, &["away", "--cancel", &id]);
    assert_eq!(turns(&j), ["ana", "ben", "cai", "ben", "ana", "-"]);
    let message = j.fails(EARLY, &["away", "--cancel", &id], 2);
    assert!(message.contains("already cancelled"), "{message}");
}

/// The same hand-worked table through the checklists: `plan`'s `assignee` field and
/// `due --person` follow the leave and the swap as `next` does.
#[test]
fn checklists_show_who_covers() {
    let j = journaled();
    record_the_table(&j);
    let plan = j.json(
        EARLY,
        &["plan", "--from", "2027-01-04", "--to", "2027-02-08"],
    );
    let review: Vec<Value> = crate::support::items(&plan)
        .iter()
        // Not the carried-over Monday before the anchor (2026-12-28, nobody's turn).
        .filter(|o| o["task"] == "review" && o["carried"] != true)
        .map(|o| o["assignee"].clone())
        .collect();
    assert_eq!(
        review,
        ["ana", "cai", "cai", "ben", "ana"]
            .iter()
            .map(|m| Value::from(*m))
            .chain([Value::Null])
            .collect::<Vec<_>>(),
        "{plan:#}"
    );
    // On 01-11 cai covers for ben: the review is on cai's list and not on ben's.
    let on = |person: &str| -> Vec<String> {
        let due = j.json(EARLY, &["due", "--date", "2027-01-11", "--person", person]);
        crate::support::items(&due)
            .iter()
            .filter(|o| o["carried"] != true)
            .map(|o| o["task"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(on("cai"), ["review"]);
    assert!(on("ben").is_empty());
}

/// `people` gives each member's next turn after leave and swaps: from Monday 01-11, cai
/// covers ben that day, ben covers ana on 01-25, and ana takes ben's 02-01 by the swap.
#[test]
fn people_give_the_next_turns_after_leave_and_swaps() {
    let j = journaled();
    record_the_table(&j);
    let people = j.json(EARLY, &["people", "--date", "2027-01-11"]);
    let next = |person: &str| -> Vec<String> {
        let row = crate::support::items(&people)
            .iter()
            .find(|row| row["id"] == person)
            .cloned()
            .unwrap_or_else(|| panic!("{person} in {people:#}"));
        row["next"]
            .as_array()
            .expect("next turns")
            .iter()
            .filter(|turn| turn["task"] == "review")
            .map(|turn| turn["date"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(next("cai"), ["2027-01-11"], "{people:#}");
    assert_eq!(next("ben"), ["2027-01-25"], "{people:#}");
    assert_eq!(next("ana"), ["2027-02-01"], "{people:#}");
}

#[test]
fn the_monitoring_line_counts_unassigned_occurrences_of_the_coming_week() {
    let j = journaled();
    record_the_table(&j);
    let line = |today: &str| {
        let output = j.run(today, &["overdue", "--format", "nagios"]);
        String::from_utf8(output.stdout).expect("UTF-8")
    };
    // From Monday 02-08 to 02-14: the review of 02-08, everybody away.
    assert!(
        line("2027-02-08")
            .trim_end()
            .ends_with(" 'unassigned'=1;;;0"),
        "{}",
        line("2027-02-08")
    );
    // From 02-09 to 02-15: the review of 02-15 is ana's.
    assert!(
        line("2027-02-09")
            .trim_end()
            .ends_with(" 'unassigned'=0;;;0"),
        "{}",
        line("2027-02-09")
    );
}

#[test]
fn refusals_write_nothing_and_exit_2() {
    let j = journaled();
    j.ok(
        EARLY,
        &["away", "ana", "--from", "2027-01-25", "--to", "2027-01-29"],
    );
    let cases: &[(&[&str], &str)] = &[
        (
            &["away", "anna", "--from", "2027-01-04", "--to", "2027-01-05"],
            "`anna` is not a member of any team",
        ),
        (
            &["away", "ben", "--from", "2027-01-05", "--to", "2027-01-04"],
            "--from 2027-01-05 is after --to 2027-01-04",
        ),
        (
            &[
                "away",
                "ben",
                "--from",
                "2027-01-04",
                "--to",
                "2027-01-05",
                "--cover",
                "ben",
            ],
            "cannot cover their own leave",
        ),
        (
            &[
                "away",
                "ben",
                "--from",
                "2027-01-04",
                "--to",
                "2027-01-05",
                "--cover",
                "dee",
            ],
            "is in none of ben's teams",
        ),
        (
            &[
                "away",
                "ben",
                "--from",
                "2027-01-04",
                "--to",
                "2027-01-05",
                "--cover",
                "zed",
            ],
            "the cover `zed` is not a member",
        ),
        (
            // ana is away on 01-29.
            &[
                "away",
                "ben",
                "--from",
                "2027-01-29",
                "--to",
                "2027-02-02",
                "--cover",
                "ana",
            ],
            "the cover ana is away then",
        ),
        (
            &["away", "ana", "--from", "2027-01-20", "--to", "2027-01-25"],
            "ana is already away then",
        ),
        (
            &[
                "swap",
                "review",
                "--occurrence",
                "2027-01-11",
                "--to",
                "dee",
            ],
            "`dee` is not a member of team ops on 2027-01-11",
        ),
        (
            &[
                "swap",
                "review",
                "--occurrence",
                "2027-01-12",
                "--to",
                "cai",
            ],
            "`review` has no occurrence due 2027-01-12 (the next is due 2027-01-18)",
        ),
        (
            &[
                "swap",
                "review",
                "--occurrence",
                "2027-01-25",
                "--to",
                "ana",
            ],
            "ana is away on 2027-01-25",
        ),
        (
            &[
                "swap",
                "unowned",
                "--occurrence",
                "2027-01-11",
                "--to",
                "ana",
            ],
            "names nobody",
        ),
        (
            &[
                "swap",
                "reveiw",
                "--occurrence",
                "2027-01-11",
                "--to",
                "ana",
            ],
            "did you mean `review`?",
        ),
        (
            &["away", "--cancel", "0b6c5a6e-3f0e-4c57-9d5e-2a8f1c7b9e10"],
            "there is no leave or swap record",
        ),
    ];
    for (args, expected) in cases {
        let message = j.fails(EARLY, args, 2);
        assert!(message.contains(expected), "{args:?}: {message}");
    }
    let message = j.fails(
        EARLY,
        &["away", "anna", "--from", "2027-01-04", "--to", "2027-01-05"],
        2,
    );
    assert!(message.contains("did you mean `ana`?"), "{message}");
    assert_eq!(listed(&j).len(), 1);
}

#[test]
fn done_records_the_assignee_and_report_by_person_counts_it() {
    let j = journaled();
    record_the_table(&j);
    // 01-04 on time; 01-11 done late on Wednesday, while cai covered ben; 01-18 not done
    // (missed: its window ended 01-25); 01-25 on time; 02-01 not done (missed, the window
    // ended 02-08); 02-08 nobody, overdue.
    j.ok(
        LATE,
        &[
            "done",
            "review",
            "--occurrence",
            "2027-01-04",
            "--date",
            "2027-01-04",
        ],
    );
    j.ok(
        LATE,
        &[
            "done",
            "review",
            "--occurrence",
            "2027-01-11",
            "--date",
            "2027-01-13",
        ],
    );
    j.ok(
        LATE,
        &[
            "done",
            "review",
            "--occurrence",
            "2027-01-25",
            "--date",
            "2027-01-25",
        ],
    );
    // Cancelling ben's leave afterwards does not change who was assigned when it was done.
    let ben = listed(&j)[0]["id"].as_str().unwrap().to_owned();
    j.ok(LATE, &["away", "--cancel", &ben]);
    let history = j.history(LATE, &["--task", "review"]);
    let assignees: Vec<(&str, &str)> = history
        .iter()
        .map(|r| {
            (
                r["occurrence"].as_str().unwrap(),
                r["assignee"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    assert_eq!(
        assignees,
        [
            ("2027-01-25", "ben"),
            ("2027-01-11", "cai"),
            ("2027-01-04", "ana")
        ]
    );
    assert_eq!(history[0]["by"], super::env::USER);
    let csv = j.ok(LATE, &["history", "--format", "csv"]);
    let header = csv.lines().next().unwrap();
    assert!(header.contains(",by,assignee,"), "{header}");
    // By person (hand-worked):
    //   ana: 01-04 (on time), 02-01 (missed, by the swap: covered)      → 2, 1, 0, 1, 1
    //   ben: 01-25 (on time, for ana: covered)                          → 1, 1, 0, 0, 1
    //   cai: 01-11 (late, recorded while covering ben), 01-18 (missed)  → 2, 0, 1, 1, 1
    //   unassigned: 02-08 (overdue)                                     → 1, 0, 0, 0, 0
    let report = j.json(LATE, &["report", "--by-person"]);
    let rows: Vec<(String, u64, u64, u64, u64, u64)> = crate::support::items(&report)
        .iter()
        .map(|r| {
            (
                r["person"].as_str().unwrap_or("unassigned").to_owned(),
                r["due"].as_u64().unwrap(),
                r["on_time"].as_u64().unwrap(),
                r["late"].as_u64().unwrap(),
                r["missed"].as_u64().unwrap(),
                r["covered"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected: Vec<(String, u64, u64, u64, u64, u64)> = [
        ("ana", 2, 1, 0, 1, 1),
        ("ben", 1, 1, 0, 0, 1),
        ("cai", 2, 0, 1, 1, 1),
        ("unassigned", 1, 0, 0, 0, 0),
    ]
    .iter()
    .map(|(p, a, b, c, d, e)| ((*p).to_owned(), *a, *b, *c, *d, *e))
    .collect();
    assert_eq!(rows, expected, "{report:#}");
}

#[test]
fn export_and_import_carry_cover_records() {
    let j = journaled();
    record_the_table(&j);
    let export = j.ok(EARLY, &["journal", "export"]);
    let covers = export
        .lines()
        .filter(|l| l.starts_with("{\"cover\":"))
        .count();
    assert_eq!(covers, 6, "{export}");
    let file = j.env.write("export.jsonl", &export);
    let other = journaled();
    let imported = other.ok(EARLY, &["journal", "import", file.to_str().unwrap()]);
    assert!(
        imported.contains("imported: 6 new, 0 already present"),
        "{imported}"
    );
    assert_eq!(turns(&other), ["ana", "cai", "cai", "ben", "ana", "-"]);
    // Again: nothing new.
    let again = other.ok(EARLY, &["journal", "import", file.to_str().unwrap()]);
    assert!(
        again.contains("imported: 0 new, 6 already present"),
        "{again}"
    );
    // `journal copy` (from this store to a SQLite file) carries them too.
    let copy = j.root().join("copy.db");
    let location = j.location();
    let copied = j.ok(
        EARLY,
        &[
            "journal",
            "copy",
            "--from",
            location.to_str().unwrap(),
            "--to",
            copy.to_str().unwrap(),
        ],
    );
    assert!(copied.contains("copied 6 records"), "{copied}");
    let list = j.ok(
        EARLY,
        &[
            "--journal",
            copy.to_str().unwrap(),
            "away",
            "--list",
            "--format",
            "json",
        ],
    );
    let list: Value = serde_json::from_str(&list).expect("JSON");
    assert_eq!(crate::support::items(&list).len(), 6, "{list:#}");
}

#[test]
fn next_person_follows_leave_and_swaps() {
    let j = journaled();
    record_the_table(&j);
    // The catalog's turns go on: 02-15 ana, 02-22 ben, 03-01 cai, 03-08 ana, 03-15 ben.
    // ana: 01-04 her own; 01-25 skipped (away: ben's); 02-01 hers by the swap; 02-08
    // skipped (unassigned); 02-15 her own. cai: 01-11 covering ben; 01-18 his own; 03-01.
    // ben: 01-11 skipped (away: cai's); 01-25 covering ana; 02-01 skipped (swapped to ana);
    // 02-22; 03-15.
    for (person, expected) in [
        ("ana", ["2027-01-04", "2027-02-01", "2027-02-15"]),
        ("cai", ["2027-01-11", "2027-01-18", "2027-03-01"]),
        ("ben", ["2027-01-25", "2027-02-22", "2027-03-15"]),
    ] {
        for named in [false, true] {
            let mut args = vec![
                "next",
                "--date",
                "2027-01-04",
                "--person",
                person,
                "-n",
                "3",
            ];
            if named {
                args.push("review");
            }
            let next = j.json(EARLY, &args);
            let rows: Vec<(&str, &str, &str)> = crate::support::items(&next)
                .iter()
                .map(|row| {
                    (
                        row["task"].as_str().unwrap(),
                        row["date"].as_str().unwrap(),
                        row["assignees"][0]["member"].as_str().unwrap_or("-"),
                    )
                })
                .collect();
            let want: Vec<(&str, &str, &str)> =
                expected.iter().map(|d| ("review", *d, person)).collect();
            assert_eq!(rows, want, "{person} (task named: {named})");
        }
    }
}

#[test]
fn overdue_person_lists_their_own_overdue_turns_and_monitors_them() {
    let j = journaled();
    record_the_table(&j);
    // cai's turn of 01-11 (covering ben) done late; nothing else done. On Wednesday 02-10
    // every other Monday's review is overdue, past its window (missed): 01-04 ana, 01-18
    // cai, 01-25 ben (covering ana), 02-01 ana (the swap), 02-08 nobody; `unowned` is
    // nobody's. The deadline of a Monday is the end of that Monday.
    j.ok(LATE, &["done", "review", "--occurrence", "2027-01-11"]);
    let rows = |args: &[&str]| -> Vec<(String, u64, String, String, String)> {
        let mut all = vec!["overdue"];
        all.extend(args);
        crate::support::items(&j.json(LATE, &all))
            .iter()
            .map(|r| {
                (
                    r["task"].as_str().unwrap().to_owned(),
                    r["count"].as_u64().unwrap(),
                    r["since"].as_str().unwrap().to_owned(),
                    r["status"].as_str().unwrap().to_owned(),
                    r["deadline"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let row = |count: u64, since: &str, deadline: &str| {
        (
            "review".to_owned(),
            count,
            since.to_owned(),
            "missed".to_owned(),
            deadline.to_owned(),
        )
    };
    // ana's two turns are one run of her own: two occurrences since 01-04.
    assert_eq!(
        rows(&["--person", "ana"]),
        [row(2, "2027-01-04", "2027-01-05T00:00:00")]
    );
    assert_eq!(
        rows(&["--person", "ana", "--all"]),
        [
            row(1, "2027-01-04", "2027-01-05T00:00:00"),
            row(1, "2027-02-01", "2027-02-02T00:00:00")
        ]
    );
    // cai's 01-11 is done: only 01-18 is left.
    assert_eq!(
        rows(&["--person", "cai"]),
        [row(1, "2027-01-18", "2027-01-19T00:00:00")]
    );
    // ben's is the turn he covered for ana; his own (01-11) is cai's and done.
    assert_eq!(
        rows(&["--person", "ben"]),
        [row(1, "2027-01-25", "2027-01-26T00:00:00")]
    );
    // dee is in another team.
    assert!(rows(&["--person", "dee"]).is_empty());
    // The monitoring line counts the person's occurrences only. Days past the oldest
    // deadline, at the first moment of 02-10: from 01-05, 36 (31 to 02-05, then 5); from
    // 01-19, 22 (13 to 02-01, then 9). `unassigned`: the review of 02-15, in the coming
    // week, is ana's, so 0.
    let nagios = |person: &str| {
        let output = j.run(LATE, &["overdue", "--format", "nagios", "--person", person]);
        (
            output.status.code(),
            String::from_utf8(output.stdout).expect("UTF-8"),
        )
    };
    assert_eq!(
        nagios("ana"),
        (
            Some(2),
            "SOCCTL CRITICAL - 2 overdue occurrences of 1 task; oldest: review due 2027-01-04, deadline passed 36 days ago | 'ops'=2;1;;0 'ops_days'=36;;7;0 'other'=0;1;;0 'other_days'=0;;7;0 'unassigned'=0;;;0\n".to_owned()
        )
    );
    assert_eq!(
        nagios("cai"),
        (
            Some(2),
            "SOCCTL CRITICAL - 1 overdue occurrence of 1 task; oldest: review due 2027-01-18, deadline passed 22 days ago | 'ops'=1;1;;0 'ops_days'=22;;7;0 'other'=0;1;;0 'other_days'=0;;7;0 'unassigned'=0;;;0\n".to_owned()
        )
    );
    let (code, line) = nagios("dee");
    assert_eq!(code, Some(0), "{line}");
    assert!(line.starts_with("SOCCTL OK - nothing overdue | 'ops'=0;1;;0 'ops_days'=0;;7;0 'other'=0;1;;0 'other_days'=0;;7;0"), "{line}");
    // --exit-code: 3 for someone with overdue work, 0 for someone without.
    assert_eq!(
        j.run(LATE, &["overdue", "--exit-code", "--person", "ben"])
            .status
            .code(),
        Some(3)
    );
    assert_eq!(
        j.run(LATE, &["overdue", "--exit-code", "--person", "dee"])
            .status
            .code(),
        Some(0)
    );
}

/// The id of the only cover record in force of `j` for `person`.
fn leave_of(j: &Journaled, person: &str) -> String {
    let found: Vec<String> = listed(j)
        .iter()
        .filter(|r| r["person"] == person)
        .map(|r| r["id"].as_str().expect("an id").to_owned())
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    found[0].clone()
}

/// A journal with one completion (review of 01-04, done on 01-05) and `leave` (argument
/// lists of `away`), exported to `name` in `into`'s directory; the export's lines.
fn export_with(
    into: &Journaled,
    name: &str,
    leave: &[&[&str]],
) -> (Journaled, std::path::PathBuf, Vec<String>) {
    let source = journaled();
    source.ok(
        "2027-01-05",
        &["done", "review", "--occurrence", "2027-01-04"],
    );
    for args in leave {
        source.ok(EARLY, args);
    }
    let export = source.ok(LATE, &["journal", "export"]);
    let file = into.env.write(name, &export);
    let lines = export.lines().map(str::to_owned).collect();
    (source, file, lines)
}

#[test]
fn an_import_whose_cover_clashes_with_the_journal_writes_nothing() {
    let target = journaled();
    // In the journal: ana away 01-10 to 01-14, ben covering.
    target.ok(
        EARLY,
        &[
            "away",
            "ana",
            "--from",
            "2027-01-10",
            "--to",
            "2027-01-14",
            "--cover",
            "ben",
        ],
    );
    let ana = leave_of(&target, "ana");
    // In the file: the completion, and ben away on 01-14 and 01-15, when he covers ana.
    let (source, file, lines) = export_with(
        &target,
        "export.jsonl",
        &[&["away", "ben", "--from", "2027-01-14", "--to", "2027-01-15"]],
    );
    let ben = leave_of(&source, "ben");
    let file = file.to_str().unwrap();
    let message = target.fails(LATE, &["journal", "import", file], 1);
    // Line 1 is the header, line 2 the completion, line 3 ben's leave.
    assert!(lines[2].contains(&ben), "{lines:#?}");
    assert!(message.contains("export.jsonl:3:"), "{message}");
    assert!(message.contains(&ben), "{message}");
    assert!(message.contains(&ana), "{message}");
    assert!(message.contains("covers someone else's leave"), "{message}");
    assert!(message.contains("nothing was imported"), "{message}");
    // Nothing: neither the completion nor the leave.
    assert_eq!(target.stored_records(), 0);
    assert!(target.history(LATE, &[]).is_empty());
    assert_eq!(listed(&target).len(), 1);
    // `journal copy` from that journal refuses the same way.
    let (from, to) = (source.location(), target.location());
    let message = target.fails(
        LATE,
        &[
            "journal",
            "copy",
            "--from",
            from.to_str().unwrap(),
            "--to",
            to.to_str().unwrap(),
        ],
        1,
    );
    assert!(message.contains(&ben), "{message}");
    assert!(message.contains("nothing was copied"), "{message}");
    assert_eq!(target.stored_records(), 0);
    assert_eq!(listed(&target).len(), 1);
    // Once ana's leave is cancelled the same file imports, whole.
    target.ok(EARLY, &["away", "--cancel", &ana]);
    let imported = target.ok(LATE, &["journal", "import", file]);
    assert!(
        imported.contains("imported: 2 new, 0 already present, 0 refused"),
        "{imported}"
    );
    assert_eq!(target.stored_records(), 1);
    assert_eq!(leave_of(&target, "ben"), ben);
}

#[test]
fn an_import_whose_cover_clashes_with_itself_writes_nothing() {
    let target = journaled();
    let (_, _, mut lines) = export_with(
        &target,
        "export.jsonl",
        &[&["away", "cai", "--from", "2027-02-01", "--to", "2027-02-05"]],
    );
    // A second leave of cai, 02-05 to 02-09, from another journal: it overlaps the first on
    // 02-05.
    let mut second: Value = serde_json::from_str(&lines[2]).expect("a cover line");
    let first = second["cover"]["id"].as_str().unwrap().to_owned();
    let id = "0b6c5a6e-3f0e-4c57-9d5e-2a8f1c7b9e10";
    second["cover"]["id"] = id.into();
    second["cover"]["from"] = "2027-02-05".into();
    second["cover"]["to"] = "2027-02-09".into();
    lines.push(second.to_string());
    let file = target.env.write("export.jsonl", &(lines.join("\n") + "\n"));
    let message = target.fails(LATE, &["journal", "import", file.to_str().unwrap()], 1);
    assert!(message.contains("export.jsonl:4:"), "{message}");
    assert!(message.contains(id), "{message}");
    assert!(message.contains(&first), "{message}");
    assert!(message.contains("cai is already away then"), "{message}");
    assert_eq!(target.stored_records(), 0);
    assert!(listed(&target).is_empty());
    // Without the second leave it imports.
    lines.pop();
    let file = target.env.write("export.jsonl", &(lines.join("\n") + "\n"));
    let imported = target.ok(LATE, &["journal", "import", file.to_str().unwrap()]);
    assert!(imported.contains("imported: 2 new"), "{imported}");
}

#[test]
fn a_clean_import_with_cancelled_and_renewed_leave_round_trips() {
    let target = journaled();
    // cai away 02-01 to 02-05, cancelled, then away 02-03 to 02-09: each record fine after
    // the ones before it, though the two leaves overlap.
    let source = journaled();
    source.ok(
        "2027-01-05",
        &["done", "review", "--occurrence", "2027-01-04"],
    );
    source.ok(
        EARLY,
        &["away", "cai", "--from", "2027-02-01", "--to", "2027-02-05"],
    );
    let first = leave_of(&source, "cai");
    source.ok(EARLY, &["away", "--cancel", &first]);
    source.ok(
        EARLY,
        &["away", "cai", "--from", "2027-02-03", "--to", "2027-02-09"],
    );
    let renewed = leave_of(&source, "cai");
    let export = source.ok(LATE, &["journal", "export"]);
    let file = target.env.write("export.jsonl", &export);
    let file = file.to_str().unwrap();
    let imported = target.ok(LATE, &["journal", "import", file]);
    assert!(
        imported.contains("imported: 4 new, 0 already present, 0 refused"),
        "{imported}"
    );
    assert_eq!(leave_of(&target, "cai"), renewed);
    assert_eq!(target.ok(LATE, &["journal", "export"]), export);
    // Again, and into the journal it came from: all there, no clash with itself.
    for journal in [&target, &source] {
        let again = journal.ok(LATE, &["journal", "import", file]);
        assert!(
            again.contains("imported: 0 new, 4 already present, 0 refused"),
            "{again}"
        );
    }
}

fn words(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_owned).collect()
}

#[test]
fn conflicting_cover_recorded_at_once_ends_as_a_serial_order_gives() {
    let j = journaled();
    for round in 0..5_u32 {
        let day = format!("2027-03-{:02}", round * 2 + 1);
        // ana covered by ben, and ben covered by ana, the same day: any one excludes all
        // the others (the same person twice, or a cover who is away).
        let commands: Vec<Vec<String>> = (0..12)
            .map(|n| {
                if n % 2 == 0 {
                    words(&format!("away ana --from {day} --to {day} --cover ben"))
                } else {
                    words(&format!("away ben --from {day} --to {day} --cover ana"))
                }
            })
            .collect();
        let outputs = j.race(EARLY, &commands);
        let winners = outputs.iter().filter(|o| o.status.success()).count();
        assert_eq!(winners, 1, "round {round}: {outputs:#?}");
        for loser in outputs.iter().filter(|o| !o.status.success()) {
            let message = String::from_utf8_lossy(&loser.stderr);
            assert_eq!(loser.status.code(), Some(2), "{message}");
            assert!(message.contains("nothing recorded"), "{message}");
        }
    }
    assert_eq!(listed(&j).len(), 5);
    // Swaps of one occurrence at once: one of them.
    let swaps: Vec<Vec<String>> = ["ana", "ben", "cai"]
        .iter()
        .cycle()
        .take(12)
        .map(|to| words(&format!("swap review --occurrence 2027-01-18 --to {to}")))
        .collect();
    let outputs = j.race(EARLY, &swaps);
    assert_eq!(
        outputs.iter().filter(|o| o.status.success()).count(),
        1,
        "{outputs:#?}"
    );
    // Cancellations of one record at once: one of them.
    let id = listed(&j)[0]["id"].as_str().unwrap().to_owned();
    let cancels = vec![words(&format!("away --cancel {id}")); 12];
    let outputs = j.race(EARLY, &cancels);
    assert_eq!(
        outputs.iter().filter(|o| o.status.success()).count(),
        1,
        "{outputs:#?}"
    );
    assert_eq!(listed(&j).len(), 5);
}

/// A journal of schema 2 (before cover records and assignees): reading it asks for an
/// upgrade, the first recording command (`away`) upgrades it to schema 3, and its records
/// read as before, without an assignee.
#[test]
fn a_schema_2_journal_is_upgraded_to_3_by_the_first_cover_record() {
    let j = journaled();
    let id = "0b6c5a6e-3f0e-4c57-9d5e-2a8f1c7b9e10";
    if let Some(database) = &j.database {
        let mut client = database.connect();
        client
            .batch_execute(&format!(
                "CREATE SCHEMA socctl;
                 CREATE TABLE socctl.schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
                 {}
                 {}
                 INSERT INTO socctl.schema_migrations (version) VALUES (1), (2);
                 INSERT INTO socctl.meta (key, value) VALUES ('created_on', '2027-01-01');
                 INSERT INTO socctl.records (id, task, occurrence, action, happened_on, by_whom, recorded_at, team)
                   VALUES ('{id}', 'review', '2027-01-04', 'done', '2027-01-04', 'old', '2027-01-04T10:00:00.000000000Z', 'ops');
                 INSERT INTO socctl.settlements (task, occurrence, team, kind, record_id)
                   VALUES ('review', '2027-01-04', 'ops', 'settled', '{id}');",
                include_str!("../../src/journal/migrations/postgres/0001_records.sql"),
                include_str!("../../src/journal/migrations/postgres/0002_teams_and_retractions.sql"),
            ))
            .expect("schema 2");
    } else {
        let connection = rusqlite::Connection::open(j.journal()).expect("creating");
        connection
            .execute_batch(include_str!(
                "../../src/journal/migrations/0001_records.sql"
            ))
            .expect("schema 1");
        connection
            .execute_batch(include_str!(
                "../../src/journal/migrations/0002_teams_and_retractions.sql"
            ))
            .expect("schema 2");
        connection
            .execute_batch(&format!(
                "PRAGMA user_version = 2;
                 INSERT INTO meta (key, value) VALUES ('created_on', '2027-01-01');
                 INSERT INTO records (id, task, occurrence, action, happened_on, by_whom, recorded_at, team)
                   VALUES ('{id}', 'review', '2027-01-04', 'done', '2027-01-04', 'old', '2027-01-04T10:00:00.000000000Z', 'ops');"
            ))
            .expect("a schema 2 record");
    }
    let message = j.fails(LATE, &["journal", "info"], 1);
    assert!(message.contains("journal schema 2"), "{message}");
    j.ok(
        LATE,
        &[
            "away",
            "ben",
            "--from",
            "2027-01-11",
            "--to",
            "2027-01-11",
            "--cover",
            "cai",
        ],
    );
    let info = j.ok(LATE, &["journal", "info"]);
    assert!(
        info.contains("schema: 6") && info.contains("records: 1"),
        "{info}"
    );
    let history = j.history(LATE, &[]);
    assert_eq!(history.len(), 1);
    assert_eq!(history[0]["id"], id);
    assert!(history[0].get("assignee").is_none(), "{history:#?}");
    // The old record still settles its occurrence, and the new leave counts.
    let message = j.fails(LATE, &["done", "review", "--occurrence", "2027-01-04"], 1);
    assert!(message.contains("is already done"), "{message}");
    assert_eq!(turns(&j)[..2], ["ana", "cai"]);
}

on_postgres! {
    checklists_show_who_covers,
    people_give_the_next_turns_after_leave_and_swaps,
    a_schema_2_journal_is_upgraded_to_3_by_the_first_cover_record,
    the_monitoring_line_counts_unassigned_occurrences_of_the_coming_week,
    leave_with_and_without_cover_a_swap_and_nobody_available,
    refusals_write_nothing_and_exit_2,
    done_records_the_assignee_and_report_by_person_counts_it,
    export_and_import_carry_cover_records,
    an_import_whose_cover_clashes_with_the_journal_writes_nothing,
    next_person_follows_leave_and_swaps,
    overdue_person_lists_their_own_overdue_turns_and_monitors_them,
    an_import_whose_cover_clashes_with_itself_writes_nothing,
    a_clean_import_with_cancelled_and_renewed_leave_round_trips,
    conflicting_cover_recorded_at_once_ends_as_a_serial_order_gives,
}
