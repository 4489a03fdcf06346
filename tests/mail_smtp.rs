//! `socctl mail` against a real SMTP server, and `--format email` read back by an
//! independent MIME parser.
//!
//! The server is aiosmtpd (Python), started on 127.0.0.1 by `tests/oracle/smtp_sink.py`,
//! which keeps every message it accepts in a directory; the tests read them back with
//! `mail-parser`. The tests that need aiosmtpd are ignored by plain `cargo test`;
//! `scripts/test` installs it and runs them.
//!
//! "Today" is Monday 2026-11-23. What is due then, from the shipped tasks.yaml: the daily
//! "Update SOC escalation tickets" for every team (owner: all); the weekly tasks, which fall
//! on the week start (Monday): "Portal or license management" for
//! SOC Oversight, "Generate Secure Score report" for Monitoring, and the two "Weekly and as
//! needed" tasks of Engineering & SecOps; and Monitoring's daily MDVM tracking. So SOC
//! Oversight has 2 tasks, Threat Intelligence 1, Monitoring 3, Engineering & SecOps 3, the
//! CSIRT 1.

#[allow(dead_code)]
mod support;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use mail_parser::{Message, MessageParser, MimeHeaders};
use support::{TestEnv, Tool, oracle_script, python, require};

/// How long the server may take to start.
const START_TIMEOUT: Duration = Duration::from_secs(10);

/// A running SMTP sink, stopped when dropped (also when a test panics).
struct SmtpSink {
    child: Child,
    port: u16,
    inbox: tempfile::TempDir,
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl SmtpSink {
    /// Starts the sink; fails the test when aiosmtpd is not installed.
    fn start() -> Self {
        require(&[Tool::Python(&["aiosmtpd"])]);
        let inbox = tempfile::tempdir().expect("a temporary directory");
        let mut child = python()
            .arg(oracle_script("smtp_sink.py"))
            .arg(inbox.path())
            .arg("120")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("starting the SMTP sink");
        let stdout = child.stdout.take().expect("the sink's stdout");
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = sender.send(line);
        });
        let mut sink = Self {
            child,
            port: 0,
            inbox,
        };
        let line = receiver
            .recv_timeout(START_TIMEOUT)
            .expect("the SMTP sink did not start within 10 s");
        sink.port = line
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("the SMTP sink printed `{line}`, not a port"));
        sink
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The messages received so far, in order: (recipients of the envelope, raw message).
    fn received(&self) -> Vec<(Vec<String>, Vec<u8>)> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.inbox.path())
            .expect("reading the inbox")
            .map(|entry| entry.expect("an inbox entry").path())
            .filter(|path| path.extension().is_some_and(|e| e == "eml"))
            .collect();
        files.sort();
        files
            .into_iter()
            .map(|path| {
                let envelope: serde_json::Value = serde_json::from_slice(
                    &std::fs::read(path.with_extension("json")).expect("an envelope"),
                )
                .expect("envelope JSON");
                let recipients = envelope["rcpt_tos"]
                    .as_array()
                    .expect("rcpt_tos")
                    .iter()
                    .map(|r| r.as_str().expect("an address").to_owned())
                    .collect();
                (recipients, std::fs::read(&path).expect("a message"))
            })
            .collect()
    }
}

fn parse(raw: &[u8]) -> Message<'_> {
    MessageParser::default()
        .parse(raw)
        .unwrap_or_else(|| panic!("not a message:\n{}", String::from_utf8_lossy(raw)))
}

fn to_addresses(message: &Message<'_>) -> Vec<String> {
    message
        .to()
        .map(|to| {
            to.iter()
                .filter_map(|a| a.address())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

#[test]
#[ignore = "needs Python with aiosmtpd: run scripts/test"]
fn mail_sends_each_team_its_checklist() {
    let sink = SmtpSink::start();
    let env = TestEnv::shipped();
    let output = env
        .cmd()
        .args(["mail", "--smtp", &sink.url(), "--all-teams"])
        .timeout(Duration::from_secs(60))
        .output()
        .expect("running socctl");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "socctl mail failed: {}\n{stdout}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(stdout.matches(": sent to ").count(), 5, "{stdout}");

    // (address in roles.yaml, subject, titles due).
    let expected = [
        (
            "soc-oversight@example.org",
            "[SOC] SOC Oversight — 2 tasks due Mon 23 Nov 2026",
            &[
                "Update SOC escalation tickets",
                "Portal or license management",
            ][..],
        ),
        (
            "threat-intelligence@example.org",
            "[SOC] Threat Intelligence & Analytics — 1 task due Mon 23 Nov 2026",
            &["Update SOC escalation tickets"][..],
        ),
        (
            "monitoring@example.org",
            "[SOC] Monitoring — 3 tasks due Mon 23 Nov 2026",
            &[
                "Update SOC escalation tickets",
                "Generate Secure Score report",
                "Track Microsoft Defender Vulnerability Management (MDVM) remediation activity",
            ][..],
        ),
        (
            "engineering-secops@example.org",
            "[SOC] Engineering & SecOps — 3 tasks due Mon 23 Nov 2026",
            &[
                "Update SOC escalation tickets",
                "Service administration collaboration with SOC Teams",
                "Deploy automation scripts and services where appropriate",
            ][..],
        ),
        (
            "csirt@example.org",
            "[SOC] Computer Security Incident Response Team (CSIRT) — 1 task due Mon 23 Nov 2026",
            &["Update SOC escalation tickets"][..],
        ),
    ];
    let received = sink.received();
    assert_eq!(received.len(), 5, "one message per team");
    for ((recipients, raw), (address, subject, titles)) in received.iter().zip(expected) {
        assert_eq!(recipients, &[address], "the envelope");
        let message = parse(raw);
        assert_eq!(to_addresses(&message), [address]);
        assert_eq!(
            message
                .from()
                .and_then(|f| f.first())
                .and_then(|f| f.address()),
            Some("socctl@example.org")
        );
        assert_eq!(message.subject(), Some(subject));
        assert!(message.date().is_some() && message.message_id().is_some());
        assert!(message.bcc().is_none());
        let content_type = message.content_type().expect("Content-Type");
        assert_eq!(
            (content_type.ctype(), content_type.subtype()),
            ("multipart", Some("alternative"))
        );
        let text = message.body_text(0).expect("a text part");
        let html = message.body_html(0).expect("an HTML part");
        assert!(text.contains("Due Monday 23 November 2026 (UTC)"), "{text}");
        for title in titles {
            assert!(
                html.contains(title),
                "{title} missing for {address}:\n{html}"
            );
            // The text part wraps at 78 columns: compare word by word.
            let words: Vec<&str> = text.split_whitespace().collect();
            let wanted: Vec<&str> = title.split_whitespace().collect();
            assert!(
                words.windows(wanted.len()).any(|w| w == wanted),
                "{title} missing for {address}:\n{text}"
            );
        }
        assert_eq!(
            html.matches("type=\"checkbox\"").count(),
            titles.len(),
            "{address}"
        );
    }
}

#[test]
#[ignore = "needs Python with aiosmtpd: run scripts/test"]
fn mail_in_japanese_keeps_the_subject_intact() {
    let sink = SmtpSink::start();
    let env = TestEnv::shipped();
    env.cmd()
        .args([
            "mail",
            "--smtp",
            &sink.url(),
            "--team",
            "監視",
            "--lang",
            "ja",
        ])
        .args([
            "--mail-to",
            "Lead <lead@example.net>",
            "--mail-from",
            "soc@example.net",
        ])
        .timeout(Duration::from_secs(60))
        .assert()
        .success();
    let received = sink.received();
    assert_eq!(received.len(), 1);
    let (recipients, raw) = &received[0];
    assert_eq!(recipients, &["lead@example.net"]);
    assert!(raw.is_ascii(), "headers and bodies are encoded");
    let message = parse(raw);
    assert_eq!(
        message.subject(),
        Some("[SOC] 監視 — 2026年11月23日(月)の予定 3 件")
    );
    assert_eq!(to_addresses(&message), ["lead@example.net"]);
    assert_eq!(
        message
            .from()
            .and_then(|f| f.first())
            .and_then(|f| f.address()),
        Some("soc@example.net")
    );
    let text = message.body_text(0).expect("a text part");
    assert!(text.contains("2026年11月23日(月)の予定"), "{text}");
}

#[test]
#[ignore = "needs Python with aiosmtpd: run scripts/test"]
fn a_team_without_an_address_fails_the_run_but_not_the_others() {
    let sink = SmtpSink::start();
    let env = TestEnv::empty();
    env.write(
        "tasks.yaml",
        "version: 1\ntasks:\n  - {id: daily, title: Daily check, description: d, cadence: daily, team: alpha}\n  - {id: other, title: Other check, description: d, cadence: daily, team: beta}\n  - {id: later, title: Later, description: d, cadence: monthly on day 1, team: gamma}\n",
    );
    env.write(
        "roles.yaml",
        "version: 1\nmail_from: soc@example.org\nteams:\n  - {id: alpha, name: Alpha}\n  - {id: beta, name: Beta, email: beta@example.org}\n  - {id: gamma, name: Gamma, email: gamma@example.org}\n",
    );
    let output = env
        .cmd()
        .args([
            "mail",
            "--smtp",
            &sink.url(),
            "--all-teams",
            "--quiet-if-empty",
        ])
        .timeout(Duration::from_secs(60))
        .output()
        .expect("running socctl");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("alpha: not sent: team `alpha` has no e-mail address"),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 of 3 messages not sent (teams: alpha)"),
        "{stderr}"
    );
    assert!(
        stdout.contains("beta: sent to beta@example.org"),
        "{stdout}"
    );
    assert!(
        stdout.contains("gamma: nothing due, not mailed"),
        "{stdout}"
    );
    let received = sink.received();
    assert_eq!(received.len(), 1, "only beta's message");
    assert_eq!(received[0].0, ["beta@example.org"]);
}

#[test]
#[ignore = "needs Python with aiosmtpd: run scripts/test"]
fn tls_is_never_dropped_for_plain_text() {
    let sink = SmtpSink::start();
    let env = TestEnv::shipped();
    // The sink speaks plain SMTP only: no TLS on connect, no STARTTLS.
    for (scheme, error) in [
        ("smtps", "network error"),
        ("smtp+starttls", "STARTTLS is not supported"),
    ] {
        let output = env
            .cmd()
            .args(["mail", "--team", "csirt", "--timeout", "5", "--smtp"])
            .arg(format!("{scheme}://127.0.0.1:{}", sink.port))
            .timeout(Duration::from_secs(60))
            .output()
            .expect("running socctl");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{scheme}: {stderr}");
        assert!(stderr.contains(error), "{scheme}: {stderr}");
    }
    assert!(
        sink.received().is_empty(),
        "a message went out in plain text"
    );
}

#[test]
fn an_unreachable_server_is_a_failure_within_the_timeout() {
    // A port nobody listens on: bound, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let env = TestEnv::shipped();
    let output = env
        .cmd()
        .args(["mail", "--team", "csirt", "--timeout", "5"])
        .env(
            "SOCCTL_SMTP",
            format!("smtp://user:secret@127.0.0.1:{port}"),
        )
        .timeout(Duration::from_secs(60))
        .output()
        .expect("running socctl");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("csirt: not sent: smtp://127.0.0.1:"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("secret"),
        "the password is shown: {stderr}"
    );
}

#[test]
fn bad_smtp_urls_and_missing_senders_are_usage_errors() {
    let env = TestEnv::shipped();
    env.cmd()
        .args(["mail", "--all-teams", "--smtp", "http://mail.example.org"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("unknown scheme"));
    env.cmd()
        .args(["mail", "--smtp", "smtp://127.0.0.1:25"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--all-teams"));
    let roles = std::fs::read_to_string(env.work().join("roles.yaml")).expect("roles.yaml");
    env.write(
        "roles.yaml",
        roles.replace("mail_from: \"socctl@example.org\"\n", ""),
    );
    env.cmd()
        .args(["mail", "--all-teams", "--smtp", "smtp://127.0.0.1:25"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no sender address"));
}

#[test]
fn format_email_writes_one_message_for_sendmail() {
    let env = TestEnv::shipped();
    let raw = env
        .stdout(&["due", "--team", "monitoring", "--format", "email"])
        .into_bytes();
    assert!(!raw.contains(&b'\r'), "LF line ends for a local pipe");
    let message = parse(&raw);
    assert_eq!(
        message.subject(),
        Some("[SOC] Monitoring — 3 tasks due Mon 23 Nov 2026")
    );
    assert_eq!(to_addresses(&message), ["monitoring@example.org"]);
    assert!(message.message_id().is_some() && message.date().is_some());
    assert_eq!(message.text_body_count(), 1);
    assert_eq!(message.html_body_count(), 1);

    // Overrides from the environment; a week in one message.
    let raw = env
        .cmd()
        .args(["week", "--team", "csirt", "--format", "email"])
        .env("SOCCTL_MAIL_FROM", "Scheduler <sched@example.net>")
        .env("SOCCTL_MAIL_TO", "a@example.net, b@example.net")
        .output()
        .expect("running socctl")
        .stdout;
    let message = parse(&raw);
    assert_eq!(to_addresses(&message), ["a@example.net", "b@example.net"]);
    assert_eq!(
        message.subject(),
        Some(
            "[SOC] Computer Security Incident Response Team (CSIRT) — 7 tasks due Mon 23 Nov 2026 – Sun 29 Nov 2026"
        )
    );

    // More than one team cannot be one message; nothing is written.
    env.cmd()
        .args(["due", "--format", "email"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains(
            "--format email writes one message: pick a team with --team, or use `socctl mail --all-teams`",
        ));
    env.cmd()
        .args([
            "due",
            "--team",
            "monitoring",
            "--format",
            "email",
            "--mail-to",
            "not an address",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "is not a list of e-mail addresses",
        ));
    env.cmd()
        .args(["teams", "--format", "email"])
        .assert()
        .code(2);
}

/// `socctl mail --team monitoring` with the journal at `journal`, which cannot be read:
/// the message goes out all the same, with the warning at the top of both parts; the run
/// warns on standard error and exits 4 (done, degraded).
fn assert_mailed_without_the_journal(env: &TestEnv, journal: &std::ffi::OsStr, reason: &str) {
    let sink = SmtpSink::start();
    let output = env
        .cmd()
        .args(["mail", "--team", "monitoring", "--smtp", &sink.url()])
        .env("SOCCTL_JOURNAL", journal)
        .timeout(Duration::from_secs(60))
        .output()
        .expect("running socctl");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(4), "{stdout}\n{stderr}");
    assert!(
        stderr.starts_with("socctl: warning: the journal could not be read")
            && stderr.contains(reason),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stdout.contains("monitoring: sent to monitoring@example.org"),
        "{stdout}"
    );
    let received = sink.received();
    assert_eq!(received.len(), 1);
    let message = parse(&received[0].1);
    assert_eq!(
        message.subject(),
        Some("[SOC] Monitoring — 3 tasks due Mon 23 Nov 2026")
    );
    // The text part wraps at 78 columns: compare word by word.
    let text = message.body_text(0).expect("a text part");
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.starts_with(
            "Warning: the journal could not be read, so this checklist shows no statuses"
        ),
        "{text}"
    );
    assert!(words.contains(reason), "{text}");
    assert!(words.contains("Generate Secure Score report"), "{text}");
    let html = message.body_html(0).expect("an HTML part");
    assert!(
        html.contains("<strong>Warning:</strong> the journal could not be read"),
        "{html}"
    );
}

#[test]
#[ignore = "needs Python with aiosmtpd: run scripts/test"]
fn mail_goes_out_when_the_sqlite_journal_is_locked() {
    let env = TestEnv::shipped();
    let journal = env.journal();
    env.cmd()
        .args(["done", "secure-score-report", "--by", "alice"])
        .env("SOCCTL_JOURNAL", &journal)
        .assert()
        .success();
    // Another process holding the journal: in WAL mode only an exclusive locking mode
    // shuts out readers.
    let holder = rusqlite::Connection::open(&journal).expect("opening the journal");
    holder
        .execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;")
        .expect("locking the journal");
    let count: i64 = holder
        .query_row("SELECT count(*) FROM records", [], |row| row.get(0))
        .expect("reading under the lock");
    assert_eq!(count, 1);
    assert_mailed_without_the_journal(
        &env,
        journal.as_os_str(),
        "another process has held the journal locked for longer than the 10 s time-out",
    );
    drop(holder);
}

#[test]
#[ignore = "needs Python with aiosmtpd: run scripts/test"]
fn mail_goes_out_when_postgresql_is_down() {
    // A port nobody listens on: bound, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let url = format!("postgres://socctl@127.0.0.1:{port}/socctl");
    assert_mailed_without_the_journal(
        &TestEnv::shipped(),
        std::ffi::OsStr::new(&url),
        &format!("127.0.0.1:{port}"),
    );
}

#[test]
#[ignore = "needs Python with aiosmtpd: run scripts/test"]
fn mail_per_person_sends_each_member_their_own_list() {
    let sink = SmtpSink::start();
    let env = TestEnv::shipped();
    let output = env
        .cmd()
        .args([
            "mail",
            "--smtp",
            &sink.url(),
            "--team",
            "monitoring",
            "--per-person",
            "--quiet-if-empty",
        ])
        .timeout(Duration::from_secs(60))
        .output()
        .expect("running socctl");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "socctl mail failed: {}\n{stdout}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Monday 2026-11-23 in Monitoring (mia, max, mo), worked from the shipped rotations:
    // the escalation tickets' fourth weekly turn from 2026-11-02 is mia's ((4 - 1) mod 3 =
    // 0), so is the fourth Monday's Secure Score report; the MDVM tracking turns every two
    // days between max and mo from 11-02, and 11-23 is day 21, turn 10: max. mo has none.
    assert_eq!(
        stdout,
        "mia-monitor: sent to mia-monitor@example.org\n\
         max-monitor: sent to max-monitor@example.org\n\
         mo-monitor: nothing assigned, not mailed\n"
    );
    let received = sink.received();
    assert_eq!(received.len(), 2);
    let mut seen = Vec::new();
    for (recipients, raw) in &received {
        let message = parse(raw);
        assert_eq!(&to_addresses(&message), recipients);
        let text = message.body_text(0).expect("a text part").into_owned();
        let html = message.body_html(0).expect("an HTML part").into_owned();
        seen.push((
            recipients.join(","),
            message.subject().unwrap_or_default().to_owned(),
            text,
            html,
        ));
    }
    seen.sort();
    let (to, subject, text, html) = &seen[0];
    assert_eq!(to, "max-monitor@example.org");
    assert!(
        subject.contains("Max Placeholder") && subject.contains("1 task"),
        "{subject}"
    );
    assert!(
        text.contains("track-mdvm-remediation · daily · assigned to max-monitor"),
        "{text}"
    );
    assert!(!text.contains("secure-score-report"), "{text}");
    assert!(
        html.contains("<span class=\"assignee\">max-monitor</span>"),
        "{html}"
    );
    let (to, subject, text, _) = &seen[1];
    assert_eq!(to, "mia-monitor@example.org");
    assert!(
        subject.contains("Mia Placeholder") && subject.contains("2 tasks"),
        "{subject}"
    );
    assert!(
        text.contains("secure-score-report · weekly on monday · assigned to mia-monitor"),
        "{text}"
    );
    assert!(
        text.contains("update-escalation-tickets · daily · assigned to mia-monitor"),
        "{text}"
    );
}

#[test]
#[ignore = "needs Python with aiosmtpd: run scripts/test"]
fn notify_mails_escalations_and_the_digest_to_the_teams_lead() {
    let sink = SmtpSink::start();
    // tests/fixtures/notify: Ana leads Monitoring; its channels' URLs are left unset, so
    // they fail (exit 5) while the mail goes out.
    let env = TestEnv::fixture("notify");
    let journal = env.root().join("journal.db");
    let run = |today: &str, args: &[&str]| {
        env.std_cmd()
            .env("SOCCTL_TODAY", today)
            .env("SOCCTL_JOURNAL", &journal)
            .args(args)
            .output()
            .expect("running socctl")
    };
    // The journal starts on the 16th; by the 23rd triage and markup are overdue since
    // then, and review since the 10th (the week running when tracking began).
    run("2026-11-16", &["notify", "--kind", "digest", "--dry-run"]);
    let made = run(
        "2026-11-16",
        &["done", "review", "--by", "ana", "--date", "2026-11-16"],
    );
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let output = run(
        "2026-11-23",
        &[
            "notify",
            "--kind",
            "escalation,digest",
            "--smtp",
            &sink.url(),
        ],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(5), "{stderr}");
    let received = sink.received();
    assert_eq!(received.len(), 2, "one escalation and one digest: {stderr}");
    for (recipients, _) in &received {
        assert_eq!(recipients, &["ana@example.org"]);
    }
    let escalation = parse(&received[0].1);
    assert_eq!(
        escalation.subject(),
        Some("[SOC] Monitoring: overdue 3 days or more (to the team's lead)")
    );
    let body = escalation.body_text(0).expect("a body");
    assert!(
        body.contains("- Morning triage (triage): overdue since Mon 16 Nov"),
        "{body}"
    );
    assert!(
        body.contains("Open the board: https://board.example.org"),
        "{body}"
    );
    let digest = parse(&received[1].1);
    assert_eq!(
        digest.subject(),
        Some("[SOC] Monitoring: overdue and missed, week of Mon 23 Nov")
    );
    // Mailed once: the next run sends no mail.
    let again = run(
        "2026-11-23",
        &[
            "notify",
            "--kind",
            "escalation,digest",
            "--smtp",
            &sink.url(),
        ],
    );
    assert_eq!(again.status.code(), Some(5));
    assert_eq!(sink.received().len(), 2);
}
