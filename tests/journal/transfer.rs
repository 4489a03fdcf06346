//! `journal export` and `journal import`: exact round trips, idempotence, all-or-nothing
//! imports, and notes that try to break things.

use std::io::Write;
use std::process::Stdio;

use serde_json::{Value, json};

use super::env::{Journaled, field};

/// Notes, references and names that have broken other tools: quotes, SQL, newlines,
/// emoji, Japanese, markup, control characters, and a long one.
fn hostile() -> Vec<String> {
    vec![
        r#"He said "ship it" \ and left, 'twice'"#.to_owned(),
        "'; DROP TABLE records; --".to_owned(),
        "line one\nline two\r\n\tindented\n".to_owned(),
        "🛡️🔥 done by 👩🏽‍💻 at ☕".to_owned(),
        "監視チームがエスカレーション チケットを更新しました".to_owned(),
        "<script>alert('x')</script> | pipe | `code` **bold** [link](http://x)".to_owned(),
        "zero\u{200b}width\u{feff} bell\u{7} escape\u{1b}[31m red".to_owned(),
        "x".repeat(10_000),
    ]
}

/// A journal with one record of each kind: done (with note and ref), skipped, triggered,
/// done-then-undone, and a backfill.
fn varied() -> Journaled {
    let j = Journaled::shipped();
    let today = "2026-11-25";
    j.ok(
        "2026-11-23",
        &[
            "done",
            "update-escalation-tickets",
            "--all-teams",
            "--note",
            "queue empty",
            "--ref",
            "INC-4711",
        ],
    );
    j.ok(
        today,
        &["skip", "track-mdvm-remediation", "--reason", "outage"],
    );
    j.ok(
        today,
        &[
            "trigger",
            "ir-tabletop-exercise",
            "--all-teams",
            "--reason",
            "drill",
        ],
    );
    j.ok(today, &["done", "secure-score-report"]);
    j.ok(today, &["undo", "secure-score-report", "--note", "oops"]);
    j.ok(
        today,
        &[
            "done",
            "portal-license-management",
            "--date",
            "2026-11-20",
            "--by",
            "alice",
        ],
    );
    j
}

#[test]
fn export_then_import_into_a_fresh_journal_gives_the_same_export() {
    let original = varied();
    let lines = original.export();
    assert_eq!(lines.len(), 6, "{lines:?}");
    for line in &lines {
        let record: Value = serde_json::from_str(line).expect("one JSON object a line");
        for name in [
            "id",
            "task",
            "occurrence",
            "action",
            "on",
            "by",
            "recorded_at",
        ] {
            assert!(record[name].is_string(), "{name} in {line}");
        }
    }
    let undone: Vec<&String> = lines.iter().filter(|l| l.contains("\"undone\"")).collect();
    assert_eq!(undone.len(), 1);
    assert!(undone[0].contains("\"undoes\""), "{}", undone[0]);

    let copy = Journaled::shipped();
    let backup = copy.env.write("backup.jsonl", lines.join("\n") + "\n");
    let backup = backup.to_str().expect("a UTF-8 path");
    // Imported on 2026-11-23, so that the copy tracks from the same day as the original.
    let text = copy.ok("2026-11-23", &["journal", "import", backup]);
    assert!(
        text.contains("imported: 6 new, 0 already present, 0 refused"),
        "{text}"
    );
    assert_eq!(copy.export(), lines);
    assert_eq!(
        copy.history("2026-11-25", &[]),
        original.history("2026-11-25", &[])
    );
    // Importing again adds nothing, into the copy or back into the original.
    let text = copy.ok("2026-12-01", &["journal", "import", backup]);
    assert!(
        text.contains("imported: 0 new, 6 already present, 0 refused"),
        "{text}"
    );
    let text = original.ok("2026-12-01", &["journal", "import", backup]);
    assert!(
        text.contains("imported: 0 new, 6 already present, 0 refused"),
        "{text}"
    );
    assert_eq!(copy.export(), lines);
    assert_eq!(original.export(), lines);
    // The retraction still retracts after the move: secure-score-report is open again.
    let week = copy.json("2026-11-25", &["week"]);
    let score = super::env::of_task(&week, "secure-score-report");
    assert_eq!(score[0]["status"], "open", "{week}");
    assert_eq!(
        copy.json("2026-11-25", &["week"]),
        original.json("2026-11-25", &["week"])
    );
}

#[test]
fn import_reads_standard_input_and_merges() {
    let original = varied();
    let lines = original.export();
    let other = Journaled::shipped();
    other.ok("2026-11-23", &["done", "track-mdvm-remediation"]);
    let mut child = other
        .std_cmd("2026-11-25")
        .args(["journal", "import", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("running socctl");
    // The first three records, a blank line, and the first one again.
    let input = format!("{}\n{}\n\n{}\n{}\n", lines[0], lines[1], lines[2], lines[0]);
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("writing stdin");
    let output = child.wait_with_output().expect("waiting for socctl");
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("imported: 3 new, 1 already present, 0 refused"),
        "{text}"
    );
    assert_eq!(other.record_count(), 4);
    // The imported records apply here: the escalation tickets of 2026-11-23 are done (for
    // all five teams alike: one entry), the skip of 2026-11-25 too.
    let week = other.json("2026-11-25", &["week"]);
    let status = |task: &str, date: &str| {
        let found: Vec<&Value> = super::env::of_task(&week, task)
            .into_iter()
            .filter(|o| o["date"] == date)
            .collect();
        assert_eq!(found.len(), 1, "{task} {date}");
        found[0]["status"].clone()
    };
    assert_eq!(status("update-escalation-tickets", "2026-11-23"), "done");
    assert_eq!(status("track-mdvm-remediation", "2026-11-23"), "done");
    assert_eq!(status("track-mdvm-remediation", "2026-11-25"), "skipped");
    assert_eq!(status("ir-tabletop-exercise", "2026-11-25"), "triggered");
}

#[test]
fn an_import_with_one_bad_line_imports_nothing_and_names_the_line() {
    let j = Journaled::shipped();
    let good = |id: &str| {
        json!({"id": crate::support::uuid_for(id), "task": "update-escalation-tickets", "occurrence": "2026-11-20",
               "action": "done", "on": "2026-11-20", "by": "alice",
               "recorded_at": "2026-11-23T08:00:00Z"})
        .to_string()
    };
    // Into no journal: nothing is created.
    let bad = j.env.write(
        "bad.jsonl",
        format!(
            "{}\n{}\n{{\"id\": \"broken\n{}\n",
            good("a"),
            good("b"),
            good("c")
        ),
    );
    let stderr = j.fails(
        "2026-11-23",
        &["journal", "import", bad.to_str().expect("UTF-8")],
        1,
    );
    assert!(stderr.contains("bad.jsonl:3"), "{stderr}");
    j.assert_no_journal("a failed import");

    // Into an existing journal: nothing is added.
    j.ok("2026-11-23", &["done", "track-mdvm-remediation"]);
    let before = j.export();
    let stderr = j.fails("2026-11-23", &["journal", "import", "bad.jsonl"], 1);
    assert!(stderr.contains("bad.jsonl:3"), "{stderr}");
    // Well-formed JSON that is not a record is a bad line too.
    for line in [
        json!({"id": "d", "task": "t", "occurrence": "2026-11-20", "action": "finished",
               "on": "2026-11-20", "by": "a", "recorded_at": "2026-11-23T08:00:00Z"})
        .to_string(),
        json!({"id": "d", "task": "t", "occurrence": "2026-02-30", "action": "done",
               "on": "2026-11-20", "by": "a", "recorded_at": "2026-11-23T08:00:00Z"})
        .to_string(),
        json!({"id": "d", "task": "t", "action": "done"}).to_string(),
        "[1, 2, 3]".to_owned(),
    ] {
        j.env.write(
            "odd.jsonl",
            format!("{}\n{}\n{line}\n", good("e"), good("f")),
        );
        let stderr = j.fails("2026-11-23", &["journal", "import", "odd.jsonl"], 1);
        assert!(stderr.contains("odd.jsonl:3"), "{line}: {stderr}");
    }
    assert_eq!(j.export(), before);
    // A file that does not exist.
    let stderr = j.fails("2026-11-23", &["journal", "import", "missing.jsonl"], 1);
    assert!(stderr.contains("missing.jsonl"), "{stderr}");
}

#[test]
fn hostile_notes_survive_history_and_export_exactly() {
    let j = Journaled::shipped();
    let notes = hostile();
    let dates = super::env::every(1, "2026-11-10", "2026-11-17");
    assert_eq!(dates.len(), notes.len());
    for (index, (note, date)) in notes.iter().zip(&dates).enumerate() {
        // Each note is also a reference and a name, on its own occurrence.
        let reference = notes[(index + 1) % notes.len()].as_str();
        let by = notes[(index + 2) % notes.len()].as_str();
        j.ok(
            "2026-11-23",
            &[
                "done",
                "update-escalation-tickets",
                "--all-teams",
                "--date",
                date,
                "--note",
                note,
                "--ref",
                reference,
                "--by",
                by,
            ],
        );
    }
    j.ok(
        "2026-11-23",
        &["skip", "track-mdvm-remediation", "--reason", &notes[1]],
    );
    let check = |history: &[Value]| {
        assert_eq!(history.len(), notes.len() + 1);
        // Oldest last: the skip is first, then the dones in reverse.
        assert_eq!(history[0]["note"], notes[1].as_str());
        for (index, record) in history[1..].iter().rev().enumerate() {
            assert_eq!(field(record, "occurrence"), dates[index]);
            assert_eq!(field(record, "note"), notes[index], "note {index}");
            assert_eq!(
                field(record, "ref"),
                notes[(index + 1) % notes.len()],
                "ref {index}"
            );
            assert_eq!(
                field(record, "by"),
                notes[(index + 2) % notes.len()],
                "by {index}"
            );
        }
    };
    let history = j.history("2026-11-23", &[]);
    check(&history);
    // Every format copes.
    for format in ["table", "text", "markdown"] {
        j.ok("2026-11-23", &["history", "--format", format]);
    }
    let copy = Journaled::shipped();
    copy.env.write("backup.jsonl", j.export().join("\n"));
    copy.ok("2026-11-23", &["journal", "import", "backup.jsonl"]);
    check(&copy.history("2026-11-23", &[]));
    assert_eq!(copy.export(), j.export());
    assert_eq!(copy.history("2026-11-23", &[]), history);
}

#[test]
fn hostile_fields_in_an_import_file_come_back_exactly() {
    let j = Journaled::shipped();
    let mut notes = hostile();
    // Things a command line cannot carry but a JSON file can. PostgreSQL text cannot hold
    // NUL: there such a record is refused (postgres.rs checks that).
    if !super::env::postgres_run() {
        notes.push("nul\u{0}inside".to_owned());
        notes.push("\u{0}".to_owned());
    }
    notes.push(String::new());
    let records: Vec<Value> = notes
        .iter()
        .enumerate()
        .map(|(index, note)| {
            json!({"id": crate::support::uuid_for(&format!("hostile-{index}")), "task": note, "occurrence": "2026-11-20",
                   "action": "done", "on": "2026-11-21", "by": note,
                   "recorded_at": format!("2026-11-23T08:00:{index:02}Z"),
                   "note": note, "ref": note})
        })
        .collect();
    let mut file = String::new();
    for record in &records {
        file.push_str(&record.to_string());
        file.push('\n');
    }
    j.env.write("hostile.jsonl", &file);
    j.ok("2026-11-23", &["journal", "import", "hostile.jsonl"]);
    let exported: Vec<Value> = j
        .export()
        .iter()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(exported, records);
    let mut history = j.history("2026-11-23", &[]);
    history.reverse();
    for (record, original) in history.iter().zip(&records) {
        for name in ["id", "task", "by", "note", "ref"] {
            assert_eq!(record[name], original[name], "{name}");
        }
        assert_eq!(record["in_catalog"], false);
    }
}

/// Restoring a backup into a fresh journal should not forget what was overdue: the copy
/// should track from the same day as the original.
#[test]
fn a_restored_backup_reports_the_same_overdue_work() {
    let original = Journaled::shipped();
    original.ok(
        "2026-11-23",
        &["done", "update-escalation-tickets", "--all-teams"],
    );
    let copy = Journaled::shipped();
    // The whole export, header line included: it carries the day tracking started.
    copy.env.write(
        "backup.jsonl",
        original.ok("2026-11-23", &["journal", "export"]),
    );
    copy.ok("2026-12-23", &["journal", "import", "backup.jsonl"]);
    assert_eq!(
        copy.json("2026-12-23", &["overdue"]),
        original.json("2026-12-23", &["overdue"])
    );
}

/// Only a retraction may retract: an imported `done` that names another record in `undoes`
/// would silently cancel it, and an `undone` that names nothing is meaningless. An export
/// from a newer socctl is refused as a whole.
#[test]
fn an_import_cannot_smuggle_retractions_or_come_from_the_future() {
    let j = Journaled::shipped();
    let record = |id: &str, action: &str, undoes: Option<&str>| {
        let mut value = json!({"id": crate::support::uuid_for(id), "task": "update-escalation-tickets", "occurrence": "2026-11-20",
               "action": action, "on": "2026-11-20", "by": "mallory",
               "recorded_at": "2026-11-23T08:00:00Z"});
        if let Some(target) = undoes {
            value["undoes"] = json!(crate::support::uuid_for(target));
        }
        value.to_string()
    };
    j.env.write(
        "smuggled.jsonl",
        format!(
            "{}\n{}\n",
            record("a", "done", None),
            record("b", "done", Some("a"))
        ),
    );
    let stderr = j.fails("2026-11-23", &["journal", "import", "smuggled.jsonl"], 1);
    assert!(
        stderr.contains("smuggled.jsonl:2") && stderr.contains("`undoes`"),
        "{stderr}"
    );
    j.env
        .write("orphan.jsonl", record("c", "undone", None) + "\n");
    let stderr = j.fails("2026-11-23", &["journal", "import", "orphan.jsonl"], 1);
    assert!(stderr.contains("orphan.jsonl:1"), "{stderr}");
    j.assert_no_journal("refused imports");
    j.env.write(
        "future.jsonl",
        format!(
            "{}\n{}\n",
            json!({"socctl_journal": {"schema": 99, "tracking_since": "2026-11-01"}}),
            record("d", "done", None)
        ),
    );
    let stderr = j.fails("2026-11-23", &["journal", "import", "future.jsonl"], 1);
    assert!(
        stderr.contains("newer socctl") && stderr.contains("schema 99"),
        "{stderr}"
    );
    j.assert_no_journal("an import from a newer socctl");
}

on_postgres! {
    export_then_import_into_a_fresh_journal_gives_the_same_export,
    import_reads_standard_input_and_merges,
    an_import_with_one_bad_line_imports_nothing_and_names_the_line,
    hostile_notes_survive_history_and_export_exactly,
    hostile_fields_in_an_import_file_come_back_exactly,
    a_restored_backup_reports_the_same_overdue_work,
    an_import_cannot_smuggle_retractions_or_come_from_the_future,
}
