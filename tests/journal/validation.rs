//! Nothing is written unless everything was valid, and nothing false is written (issue 11
//! §3): every argument is checked first, future occurrences and work before its due date
//! are refused, messages name commands that exist, records need a real author, and
//! `journal import` refuses what would contradict the journal. 2026-11-23 is a Monday;
//! `track-mdvm-remediation` is daily, of one team.

use serde_json::json;

use super::env::Journaled;

const TASK: &str = "track-mdvm-remediation";

#[test]
fn a_format_the_command_lacks_is_refused_before_anything_is_written() {
    let j = Journaled::shipped();
    for (command, extra, format) in [
        ("done", &[][..], "csv"),
        ("done", &[][..], "html"),
        ("skip", &["--reason", "r"][..], "csv"),
        ("undo", &[][..], "email"),
        ("trigger", &["--reason", "r"][..], "csv"),
    ] {
        let output = j
            .std_cmd("2026-11-23")
            .env("SOCCTL_FORMAT", format)
            .arg(command)
            .arg(TASK)
            .args(extra)
            .output()
            .expect("running socctl");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{command}: {stderr}");
        assert!(
            stderr.contains(&format!("`socctl {command}` has no {format} format")),
            "{command}: {stderr}"
        );
        assert!(
            !stderr.contains("undone") && !stderr.contains("skipped"),
            "{stderr}"
        );
    }
    j.assert_no_journal("refused formats");
}

#[test]
fn future_occurrences_and_work_before_its_due_date_are_refused() {
    let j = Journaled::shipped();
    let message = j.fails("2026-11-23", &["done", TASK, "--occurrence", "tomorrow"], 2);
    assert!(
        message.contains("--occurrence 2026-11-24 is in the future (today is 2026-11-23)"),
        "{message}"
    );
    let message = j.fails(
        "2026-11-23",
        &["skip", TASK, "--occurrence", "2026-11-25", "--reason", "r"],
        2,
    );
    assert!(message.contains("in the future"), "{message}");
    // Done on the 21st for the occurrence due the 22nd: before it was due.
    let message = j.fails(
        "2026-11-23",
        &[
            "done",
            TASK,
            "--occurrence",
            "2026-11-22",
            "--date",
            "2026-11-21",
        ],
        2,
    );
    assert!(
        message.contains("due 2026-11-22 cannot be done on 2026-11-21, before it is due")
            && message.contains("--date on or after 2026-11-22"),
        "{message}"
    );
    j.assert_no_journal("refused records");
}

#[test]
fn already_done_names_the_command_that_retracts_that_record() {
    let j = Journaled::shipped();
    // Yesterday's occurrence, done today.
    j.ok("2026-11-23", &["done", TASK, "--occurrence", "2026-11-22"]);
    let message = j.fails(
        "2026-11-23",
        &["done", TASK, "--occurrence", "2026-11-22"],
        1,
    );
    let command = format!("socctl undo {TASK} --occurrence 2026-11-22");
    assert!(
        message.contains(&format!("`{command}` retracts it")),
        "{message}"
    );
    // Running it retracts exactly that record.
    let words: Vec<&str> = command.split(' ').skip(1).collect();
    j.ok("2026-11-23", &words);
    let history = j.history("2026-11-23", &[]);
    assert_eq!(history.len(), 2);
    assert_eq!(history[0]["undoes"], history[1]["id"]);
    assert_eq!(history[1]["occurrence"], "2026-11-22");
}

#[test]
fn a_record_needs_a_real_author() {
    let j = Journaled::shipped();
    let run = |envs: &[(&str, &str)], args: &[&str]| {
        let mut command = j.std_cmd("2026-11-23");
        command.env_remove("USER").env_remove("LOGNAME");
        for (name, value) in envs {
            command.env(name, value);
        }
        command.args(args).output().expect("running socctl")
    };
    let refused = run(&[], &["done", TASK]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--by") && stderr.contains("SOCCTL_BY"),
        "{stderr}"
    );
    let blank = run(&[("SOCCTL_BY", "  ")], &["done", TASK]);
    assert_eq!(blank.status.code(), Some(2));
    j.assert_no_journal("records without an author");
    // SOCCTL_BY, then the login name; --by wins over both.
    assert!(
        run(&[("SOCCTL_BY", "bob")], &["done", TASK])
            .status
            .success()
    );
    assert!(
        run(
            &[("SOCCTL_BY", "bob"), ("USER", "carol")],
            &["done", TASK, "--occurrence", "2026-11-22", "--by", "dave"]
        )
        .status
        .success()
    );
    assert!(
        run(
            &[("LOGNAME", "erin")],
            &["done", TASK, "--occurrence", "2026-11-21"]
        )
        .status
        .success()
    );
    let mut by: Vec<String> = j
        .history("2026-11-23", &[])
        .iter()
        .map(|r| r["by"].as_str().expect("a name").to_owned())
        .collect();
    by.sort();
    assert_eq!(by, ["bob", "dave", "erin"]);
}

fn line(id: &str, occurrence: &str, action: &str, by: &str) -> String {
    json!({"id": id, "task": TASK, "occurrence": occurrence, "action": action,
           "on": occurrence, "by": by, "recorded_at": format!("{occurrence}T09:00:00Z")})
    .to_string()
}

#[test]
fn import_refuses_what_would_contradict_the_journal() {
    let j = Journaled::shipped();
    j.ok(
        "2026-11-23",
        &["done", TASK, "--occurrence", "2026-11-22", "--by", "alice"],
    );
    let before = j.export();
    let existing: serde_json::Value = serde_json::from_str(&before[0]).expect("JSON");
    let existing_id = existing["id"].as_str().expect("an id").to_owned();
    let import = |name: &str, lines: &[String]| {
        let file = j.env.write(name, lines.join("\n") + "\n");
        j.fails(
            "2026-11-23",
            &["journal", "import", file.to_str().expect("UTF-8")],
            1,
        )
    };
    let (a, b) = (crate::support::uuid_for("a"), crate::support::uuid_for("b"));
    // A second done of a settled occurrence, line by line, as `done` reports it.
    let message = import(
        "second.jsonl",
        &[
            line(&a, "2026-11-21", "done", "bob"),
            line(&b, "2026-11-22", "done", "bob"),
            line(
                &crate::support::uuid_for("c"),
                "2026-11-21",
                "skipped",
                "carol",
            ),
        ],
    );
    assert!(
        message.contains(&format!(
            "second.jsonl:2: `{TASK}` due 2026-11-22 is already done"
        )) && message.contains(&existing_id)
            && message.contains("second.jsonl:3: ")
            && message.ends_with("nothing was imported\n"),
        "{message}"
    );
    // Then the count: line 1 is new, lines 2 and 3 are refused.
    assert!(
        message
            .ends_with("second.jsonl: 1 new, 0 already present, 2 refused; nothing was imported\n"),
        "{message}"
    );
    // A record already present, a new one and a refused one.
    let message = import(
        "mixed.jsonl",
        &[
            before[0].clone(),
            line(&a, "2026-11-21", "done", "bob"),
            line(&b, "2026-11-22", "skipped", "bob"),
        ],
    );
    assert!(
        message.contains("mixed.jsonl:3: ")
            && message.ends_with(
                "mixed.jsonl: 1 new, 1 already present, 1 refused; nothing was imported\n"
            ),
        "{message}"
    );
    assert!(!message.contains("second.jsonl:1:"), "{message}");
    // A different record reusing an id: both named.
    let message = import(
        "reused.jsonl",
        &[line(&existing_id, "2026-11-20", "done", "mallory")],
    );
    assert!(
        message.contains("reused.jsonl:1:")
            && message.contains("reuses the id of a different record in the journal")
            && message.contains("by mallory")
            && message.contains("by alice"),
        "{message}"
    );
    // Ids that are not UUIDs, and a retraction of itself.
    let message = import(
        "named.jsonl",
        &[line("record-1", "2026-11-20", "done", "x")],
    );
    assert!(
        message.contains("named.jsonl:1: `id` is `record-1`, not a UUID"),
        "{message}"
    );
    let mut itself: serde_json::Value =
        serde_json::from_str(&line(&a, "2026-11-20", "undone", "x")).expect("JSON");
    itself["undoes"] = json!(a);
    let message = import("itself.jsonl", &[itself.to_string()]);
    assert!(
        message.contains("itself.jsonl:1: record") && message.contains("retracts itself"),
        "{message}"
    );
    assert_eq!(j.export(), before, "a refused import wrote something");
    // The same records again are fine (already present), as is a new occurrence.
    let file = j.env.write(
        "fine.jsonl",
        format!("{}\n{}\n", before[0], line(&a, "2026-11-21", "done", "bob")),
    );
    let text = j.ok(
        "2026-11-23",
        &["journal", "import", file.to_str().expect("UTF-8")],
    );
    assert!(
        text.contains("imported: 1 new, 1 already present, 0 refused"),
        "{text}"
    );
}

on_postgres! {
    a_format_the_command_lacks_is_refused_before_anything_is_written,
    future_occurrences_and_work_before_its_due_date_are_refused,
    already_done_names_the_command_that_retracts_that_record,
    a_record_needs_a_real_author,
    import_refuses_what_would_contradict_the_journal,
}
