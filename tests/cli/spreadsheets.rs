//! CSV for spreadsheets: `--csv-delimiter` and `--csv-bom` (and their variables) on every
//! command with a CSV form, read back by Python's `csv` module (with `utf-8-sig`, which is
//! how Python reads what Excel writes), and list cells separated the same way everywhere.

use std::io::Write as _;
use std::process::Stdio;

use crate::support::{SHIPPED_TEAMS, TestEnv, Tool, python, require};

/// What every list cell is joined by, whatever the delimiter.
const SEPARATOR: &str = " | ";

/// Reads CSV bytes with Python: whether they start with a UTF-8 byte order mark, and the
/// rows, decoded as `utf-8-sig` and split on `delimiter`.
fn python_csv(bytes: &[u8], delimiter: char) -> (bool, Vec<Vec<String>>) {
    let script = "import csv, io, json, sys\n\
        data = sys.stdin.buffer.read()\n\
        rows = list(csv.reader(io.StringIO(data.decode('utf-8-sig'), newline=''), delimiter=sys.argv[1], strict=True))\n\
        print(json.dumps([data.startswith(b'\\xef\\xbb\\xbf'), rows]))";
    let mut child = python()
        .args(["-c", script, &delimiter.to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("running Python");
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "python failed");
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The shipped catalog with a journal: Monday's escalation ticket done by Monitoring, the
/// Secure Score report skipped for a reason a spreadsheet would run as a formula; read on
/// Wednesday, when Tuesday's tickets are overdue.
fn tracked() -> TestEnv {
    let env = TestEnv::shipped();
    env.stdout(&[
        "done",
        "update-escalation-tickets",
        "--team",
        "monitoring",
        "--by",
        "alice",
    ]);
    env.stdout(&[
        "skip",
        "secure-score-report",
        "--reason",
        "=HYPERLINK(\"http://evil.example/\")",
        "--by",
        "bob",
    ]);
    env
}

/// Runs `socctl args… -f csv` on Wednesday 2026-11-25 with extra arguments and variables.
fn csv(env: &TestEnv, args: &[&str], extra: &[&str], vars: &[(&str, &str)]) -> Vec<u8> {
    let mut command = env.cmd();
    command.env("SOCCTL_TODAY", "2026-11-25");
    for (name, value) in vars {
        command.env(name, value);
    }
    let output = command
        .args(args)
        .args(["-f", "csv"])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{args:?} {extra:?} {vars:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// Every command with a CSV form.
const COMMANDS: [&[&str]; 14] = [
    &["due"],
    &["week"],
    &["plan", "--from", "2026-11-23", "--to", "2026-11-29"],
    &["history"],
    &["overdue"],
    &["report"],
    &["tasks"],
    &["show", "update-escalation-tickets"],
    &["teams"],
    &["roles"],
    &["next"],
    &["check"],
    &["explain", "weekly on monday"],
    &["tasks", "--team", "monitoring"],
];

#[test]
#[ignore = "needs Python: run scripts/test"]
fn every_csv_takes_the_delimiter_and_byte_order_mark_excel_expects() {
    require(&[Tool::Python(&[])]);
    let env = tracked();
    for args in COMMANDS {
        let plain = csv(&env, args, &[], &[]);
        let (bom, rows) = python_csv(&plain, ',');
        assert!(!bom, "{args:?}: no byte order mark unless asked for");
        assert!(
            rows.len() > 1 || args == ["check"],
            "{args:?}: a header and rows: {rows:?}"
        );
        assert!(
            rows.iter().all(|row| row.len() == rows[0].len()),
            "{args:?}: {rows:?}"
        );
        // The same rows with each delimiter, with and without the mark, by flag or variable.
        let variants: [(char, bool, Vec<u8>); 5] = [
            (',', true, csv(&env, args, &["--csv-bom"], &[])),
            (';', false, csv(&env, args, &["--csv-delimiter", ";"], &[])),
            (
                ';',
                true,
                csv(
                    &env,
                    args,
                    &[],
                    &[("SOCCTL_CSV_DELIMITER", ";"), ("SOCCTL_CSV_BOM", "1")],
                ),
            ),
            (
                '\t',
                true,
                csv(&env, args, &["--csv-delimiter", "tab", "--csv-bom"], &[]),
            ),
            // A flag wins over the variable; a variable of `0` leaves the mark off.
            (
                '\t',
                false,
                csv(
                    &env,
                    args,
                    &["--csv-delimiter", "tab"],
                    &[("SOCCTL_CSV_DELIMITER", ";"), ("SOCCTL_CSV_BOM", "0")],
                ),
            ),
        ];
        for (delimiter, with_bom, bytes) in variants {
            assert_eq!(
                bytes.starts_with(b"\xef\xbb\xbf"),
                with_bom,
                "{args:?} {delimiter:?}"
            );
            let (bom, parsed) = python_csv(&bytes, delimiter);
            assert_eq!(bom, with_bom);
            assert_eq!(parsed, rows, "{args:?} with {delimiter:?}, bom {with_bom}");
            // The header line is the field names joined by the delimiter, nothing quoted.
            let start = if with_bom { 3 } else { 0 };
            let header = String::from_utf8(bytes[start..].to_vec()).unwrap();
            let header = header.split("\r\n").next().unwrap();
            assert_eq!(
                header,
                rows[0].join(&delimiter.to_string()),
                "{args:?} {delimiter:?}"
            );
        }
    }
}

/// The rows of `socctl args… -f csv --csv-delimiter ;` as Python reads them, with the
/// header's field names.
fn semicolon_rows(env: &TestEnv, args: &[&str]) -> (Vec<String>, Vec<Vec<String>>) {
    let (_, mut rows) = python_csv(&csv(env, args, &["--csv-delimiter", ";"], &[]), ';');
    let header = rows.remove(0);
    (header, rows)
}

fn column(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|field| field == name)
        .unwrap_or_else(|| panic!("no {name} in {header:?}"))
}

#[test]
#[ignore = "needs Python: run scripts/test"]
fn the_new_listings_have_csv_with_lists_joined_one_way_and_formulas_neutralized() {
    require(&[Tool::Python(&[])]);
    let env = tracked();

    let (header, rows) = semicolon_rows(&env, &["history"]);
    assert_eq!(
        header,
        [
            "recorded_at",
            "task",
            "occurrence",
            "action",
            "on",
            "status",
            "by",
            "assignee",
            "note",
            "ref"
        ]
    );
    let skipped = rows
        .iter()
        .find(|row| row[1] == "secure-score-report")
        .unwrap_or_else(|| panic!("{rows:?}"));
    assert_eq!(
        skipped[column(&header, "note")],
        "'=HYPERLINK(\"http://evil.example/\")"
    );
    assert_eq!(skipped[column(&header, "by")], "bob");
    assert_eq!(rows.len(), 2, "{rows:?}");

    // On Wednesday, Tuesday's tickets are overdue for every team and Monday's for all
    // but Monitoring, which did them: one row for the four teams that stand alike.
    let (header, rows) = semicolon_rows(&env, &["overdue"]);
    assert_eq!(header, ["task", "title", "teams", "status"]);
    let others: Vec<&str> = SHIPPED_TEAMS
        .iter()
        .copied()
        .filter(|&t| t != "monitoring")
        .collect();
    assert!(
        rows.iter()
            .any(|row| row[0] == "update-escalation-tickets" && row[2] == others.join(SEPARATOR)),
        "{rows:?}"
    );

    let (header, rows) = semicolon_rows(&env, &["report"]);
    assert_eq!(header[..5], ["scope", "team", "team_name", "task", "title"]);
    assert_eq!(rows.last().unwrap()[0], "total");

    let (header, rows) = semicolon_rows(&env, &["tasks"]);
    assert_eq!(header, ["id", "title", "teams", "cadence", "estimate"]);
    let escalation = rows
        .iter()
        .find(|row| row[0] == "update-escalation-tickets")
        .unwrap();
    assert_eq!(escalation[2], SHIPPED_TEAMS.join(SEPARATOR));

    // The aliases of roles.yaml's first team, in file order.
    let (header, rows) = semicolon_rows(&env, &["teams"]);
    assert_eq!(
        rows[0][column(&header, "aliases")],
        ["SOC-oversigt", "Supervision SOC", "SOC 監視"].join(SEPARATOR)
    );

    // A plan's `teams` (ids) and `team_names` use the same separator.
    let (header, rows) = semicolon_rows(&env, &["due"]);
    let escalation = rows
        .iter()
        .find(|row| row[column(&header, "task")] == "update-escalation-tickets")
        .unwrap();
    assert_eq!(
        escalation[column(&header, "teams")],
        SHIPPED_TEAMS.join(SEPARATOR)
    );
    assert_eq!(
        escalation[column(&header, "team_names")],
        [
            "SOC Oversight",
            "Threat Intelligence & Analytics",
            "Monitoring",
            "Engineering & SecOps",
            "Computer Security Incident Response Team (CSIRT)"
        ]
        .join(SEPARATOR)
    );
}

#[test]
fn an_unknown_delimiter_is_refused_with_the_accepted_ones() {
    let env = TestEnv::shipped();
    for (flag, variable) in [(Some("|"), None), (None, Some("comma")), (Some(""), None)] {
        let mut command = env.cmd();
        if let Some(value) = variable {
            command.env("SOCCTL_CSV_DELIMITER", value);
        }
        command.args(["tasks", "-f", "csv"]);
        if let Some(value) = flag {
            command.args(["--csv-delimiter", value]);
        }
        let output = command.output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{flag:?} {variable:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(
            stderr.contains("is not a CSV delimiter; use `,`, `;` or `tab`"),
            "{stderr}"
        );
        assert!(output.stdout.is_empty());
    }
}

#[test]
fn the_byte_order_mark_goes_into_an_output_file_once() {
    let env = TestEnv::shipped();
    let path = env.work().join("tasks.csv");
    env.stdout(&[
        "tasks",
        "-f",
        "csv",
        "--csv-bom",
        "--csv-delimiter",
        ";",
        "-o",
        path.to_str().unwrap(),
    ]);
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"\xef\xbb\xbfid;title;teams;cadence;estimate\r\n"));
    assert_eq!(bytes.windows(3).filter(|w| w == b"\xef\xbb\xbf").count(), 1);
    // A plan without a journal is written a day at a time: still one mark, one header.
    let plan = env.bytes(&[
        "plan",
        "--from",
        "2026-11-01",
        "--to",
        "2026-12-31",
        "-f",
        "csv",
        "--csv-bom",
        "--csv-delimiter",
        "tab",
    ]);
    assert!(plan.starts_with(b"\xef\xbb\xbfdate\ttime\ttask\t"));
    assert_eq!(plan.windows(3).filter(|w| w == b"\xef\xbb\xbf").count(), 1);
    let text = String::from_utf8(plan).unwrap();
    assert_eq!(text.matches("date\ttime\ttask\t").count(), 1);
    // 61 days of the two daily tasks at least, a line each.
    assert!(text.lines().count() > 122, "{text}");
}
