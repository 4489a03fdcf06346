//! `socctl serve` in a real browser: Debian's headless Chromium, driven by
//! `tests/browser/board.mjs` (playwright-core), logs in, records and undoes through the
//! board's own forms in separate sessions, and checks every page with axe-core at a
//! desktop's 1280×800 and a phone's 390×844, where no page may scroll sideways.
//!
//! The expected outcomes come from docs/serve.md's rules (a member records for the team,
//! a lead also undoes, a member of another team sees no form and is refused; a logged-out
//! session no longer works), not from the server's answers. Set
//! `SOCCTL_TEST_SCREENSHOTS=DIR` to keep the board's screenshots (board-1280.png,
//! board-390.png) in DIR.

#[allow(dead_code)]
mod support;

use std::process::Stdio;
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{Value, json};
use support::serve::Served;
use support::{TestEnv, Tool, require};

/// How long the whole browser scenario may take (five browsers, twelve axe runs).
const SCENARIO: Duration = Duration::from_secs(300);

/// The team of the scenario, and a task of that team's alone that is due on the test day
/// (shipped tasks.yaml: `secure-score-report`, teams `[monitoring]`, daily on work days;
/// 2026-11-23 is a Monday).
const TEAM: &str = "monitoring";
const TASK: &str = "secure-score-report";

/// The accounts of the scenario: (name, role, teams, password).
const ACCOUNTS: [(&str, &str, &[&str], &str); 3] = [
    ("ana", "member", &["monitoring"], "pw-ana-board"),
    ("leo", "lead", &["monitoring"], "pw-leo-board"),
    ("cas", "member", &["csirt"], "pw-cas-board"),
];

/// `socctl serve` on `env`'s journal, with the accounts of [`ACCOUNTS`] added to it.
fn start(env: &TestEnv) -> Served {
    let journal = env.journal();
    for (name, role, teams, password) in ACCOUNTS {
        support::serve::add_account(env, journal.as_os_str(), name, role, teams, password);
    }
    Served::start(env, journal.as_os_str(), &[])
}

/// Runs the driver with `config`, killed after [`SCENARIO`]; its JSON report.
fn drive(env: &TestEnv, config: &Value) -> Value {
    let file = env.write("browser.json", config.to_string());
    let child = support::node()
        .arg(support::manifest_dir().join("tests/browser/board.mjs"))
        .arg(&file)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting node");
    let pid = child.id();
    let (done, finished) = mpsc::channel::<()>();
    let guard = std::thread::spawn(move || {
        if finished.recv_timeout(SCENARIO).is_err() {
            // The driver hangs: end it (and so its browsers' pipe) by its own id.
            let _ = std::process::Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
        }
    });
    let output = child.wait_with_output().expect("running node");
    let _ = done.send(());
    let _ = guard.join();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the browser driver failed ({}):\n{stderr}\n{stdout}",
        output.status
    );
    serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("the driver's report is not JSON ({e}):\n{stdout}\n{stderr}"))
}

/// The board's row as the driver saw it: its status text and the forms it offers.
fn row(report: &Value, step: &str) -> (String, Vec<String>) {
    let row = &report["steps"][step];
    assert!(row.is_object(), "no row of {TASK} at step {step}: {report}");
    let forms = row["forms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_owned())
        .collect();
    (row["status"].as_str().unwrap().to_owned(), forms)
}

#[test]
#[ignore = "needs chromium, node: run scripts/test"]
fn the_board_works_in_a_real_browser_and_passes_axe() {
    require(&[Tool::Chromium, Tool::BrowserDriver]);
    let env = TestEnv::shipped();
    let server = start(&env);
    let profile = env.root().join("browser-profiles");
    std::fs::create_dir_all(&profile).unwrap();
    let screenshots = std::env::var_os("SOCCTL_TEST_SCREENSHOTS").filter(|s| !s.is_empty());
    let pages = [
        "/",
        "/week/monitoring",
        "/task/secure-score-report",
        "/teams",
        "/report",
    ];
    let account = |i: usize| json!([ACCOUNTS[i].0, ACCOUNTS[i].3]);
    let config = json!({
        "base": format!("http://{}", server.address),
        "profile": profile,
        "screenshots": screenshots.as_ref().map(|s| s.to_string_lossy().into_owned()),
        "accounts": {"member": account(0), "lead": account(1), "other": account(2)},
        "team": TEAM,
        "task": TASK,
        "occurrence": support::TODAY,
        "pages": pages,
    });
    let report = drive(&env, &config);
    assert!(report["error"].is_null(), "the scenario stopped: {report}");
    let steps = &report["steps"];
    let none: Vec<String> = Vec::new();
    let record = vec!["/record/done".to_owned(), "/record/skip".to_owned()];

    // Logged in, the member lands on today's list, with a section per team.
    assert_eq!(steps["after_login"], "/");
    assert_eq!(steps["title"], "Today · socctl");
    let sections = steps["sections"].as_array().unwrap();
    for team in [
        "soc-oversight",
        "threat-intelligence",
        "monitoring",
        "engineering-secops",
        "csirt",
    ] {
        assert!(
            sections.contains(&json!(format!("team-{team}"))),
            "{team}: {sections:?}"
        );
    }
    // Nothing recorded yet in the journal that holds the accounts (made today, so it
    // tracks today): open, with the member's forms.
    assert_eq!(row(&report, "before"), ("open".to_owned(), record.clone()));
    // Done with a note through the form: the member sees it done and may not undo.
    assert_eq!(steps["after_done_url"], "/");
    let done = format!("done by ana on {}", support::TODAY);
    assert_eq!(
        row(&report, "member_after_done"),
        (done.clone(), none.clone())
    );
    // The lead, in a browser of its own, sees it done, the note on the task's page, and
    // may undo; after the undo both see it open again.
    assert_eq!(
        row(&report, "lead_sees"),
        (done, vec!["/record/undo".to_owned()])
    );
    assert_eq!(steps["lead_task_page_has_note"], true);
    assert_eq!(
        row(&report, "lead_after_undo"),
        ("open".to_owned(), record.clone())
    );
    assert_eq!(
        row(&report, "member_after_undo"),
        ("open".to_owned(), record)
    );
    // A member of another team sees no form on the row, and a forged form is refused
    // and records nothing.
    assert_eq!(
        row(&report, "other_sees"),
        ("open".to_owned(), none.clone())
    );
    assert_eq!(steps["other_forged"], 403);
    assert_eq!(row(&report, "after_forged"), ("open".to_owned(), none));
    // Logged out: the old cookie, replayed in another browser, is sent to the login and
    // refused by the API.
    assert_eq!(steps["after_logout_url"], "/login");
    assert_eq!(steps["replayed_cookie_url"], "/login");
    assert_eq!(steps["replayed_cookie_status"], 401);

    // No console error or warning, no page error (CSP violations are console errors);
    // the forged POST's 403 is the one the browser is expected to log.
    assert_eq!(report["console"], json!([]), "console messages: {report}");
    let expected = report["expected_console"].as_array().unwrap();
    assert!(
        expected
            .iter()
            .all(|m| m["text"].as_str().unwrap().contains("403")),
        "{expected:?}"
    );

    // axe-core ran on every page at both sizes, with no serious or critical violation.
    let runs = report["axe"].as_array().unwrap();
    for page in std::iter::once("/login").chain(pages) {
        for (width, height) in [(1280, 800), (390, 844)] {
            let run = runs
                .iter()
                .find(|r| r["page"] == page && r["width"] == width && r["height"] == height)
                .unwrap_or_else(|| panic!("axe did not run on {page} at {width}×{height}"));
            assert!(
                run["passes"].as_u64().unwrap() > 0,
                "axe checked nothing: {run}"
            );
            // Nothing scrolls sideways: the page fits the window's width.
            assert_eq!(
                run["scroll_width"], width,
                "{page} at {width}×{height} is wider than the window: {run}"
            );
            assert_eq!(
                run["violations"],
                json!([]),
                "{page} at {width}×{height}: {run}"
            );
        }
    }
    // The journal holds what the browser did: ana's done, leo's undo, nothing of cas's.
    let history = support::serve::history(&env, env.journal().as_os_str());
    let actions: Vec<(&str, &str, &str)> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["action"].as_str().unwrap(),
                r["by"].as_str().unwrap(),
                r["note"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        actions,
        [
            ("undone", "leo", "undone from the browser test"),
            ("done", "ana", "checked from the browser test"),
        ]
    );
}
