//! `socctl mail` against small SMTP servers written here, on 127.0.0.1 and on `[::1]`: one
//! that answers properly (an IPv6 host works; the sender and recipients are `--mail-from`
//! and `--mail-to`, or the old `--from` and `--to`), and one that answers a byte at a time
//! (`--timeout` bounds each message's whole exchange, not each read).

#[allow(dead_code)]
mod support;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use support::TestEnv;

/// What a proper server received: the text of every message's DATA.
fn serve_properly(listener: &TcpListener, messages: &mpsc::Sender<String>) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else { return };
        let messages = messages.clone();
        std::thread::spawn(move || {
            let _ = converse(stream, &messages);
        });
    }
}

fn converse(stream: TcpStream, messages: &mpsc::Sender<String>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut out = stream;
    out.write_all(b"220 test ESMTP\r\n")?;
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let verb = line.get(..4).unwrap_or_default().to_ascii_uppercase();
        match verb.as_str() {
            "EHLO" | "HELO" => out.write_all(b"250 test\r\n")?,
            "DATA" => {
                out.write_all(b"354 go on\r\n")?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if reader.read_line(&mut line)? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" {
                        break;
                    }
                    data.push_str(&line);
                }
                let _ = messages.send(data);
                out.write_all(b"250 queued\r\n")?;
            }
            "QUIT" => {
                out.write_all(b"221 bye\r\n")?;
                return Ok(());
            }
            _ => out.write_all(b"250 ok\r\n")?,
        }
    }
}

/// A server that sends its greeting a byte every half second, for ever.
fn serve_slowly(listener: &TcpListener) {
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { return };
        std::thread::spawn(move || {
            for byte in b"220-".iter().chain(b"x".repeat(10_000).iter()) {
                if stream.write_all(&[*byte]).is_err() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(500));
            }
        });
    }
}

/// `smtp://` URL of `listener` (`[::1]:port` or `127.0.0.1:port`).
fn url_of(listener: &TcpListener) -> String {
    let address = listener.local_addr().expect("an address");
    format!("smtp://{address}")
}

fn loopbacks() -> Vec<TcpListener> {
    ["127.0.0.1:0", "[::1]:0"]
        .into_iter()
        .map(|at| TcpListener::bind(at).unwrap_or_else(|e| panic!("cannot listen on {at}: {e}")))
        .collect()
}

#[test]
fn an_ipv6_smtp_host_in_brackets_works() {
    for listener in loopbacks() {
        let url = url_of(&listener);
        let (sender, received) = mpsc::channel();
        std::thread::spawn(move || serve_properly(&listener, &sender));
        let env = TestEnv::shipped();
        let output = env
            .cmd()
            .env("SOCCTL_TODAY", "2026-11-23")
            .args(["mail", "--smtp", &url, "--team", "csirt", "--timeout", "10"])
            .args(["--mail-from", "soc@example.net"])
            .timeout(Duration::from_secs(60))
            .output()
            .expect("running socctl");
        assert!(
            output.status.success(),
            "{url}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let message = received
            .recv_timeout(Duration::from_secs(5))
            .unwrap_or_else(|_| panic!("{url}: the server received nothing"));
        assert!(message.contains("Subject:"), "{url}: {message}");
    }
}

#[test]
fn the_timeout_bounds_the_whole_send_not_each_read() {
    for listener in loopbacks() {
        let url = url_of(&listener);
        std::thread::spawn(move || serve_slowly(&listener));
        let env = TestEnv::shipped();
        let started = Instant::now();
        let output = env
            .cmd()
            .env("SOCCTL_TODAY", "2026-11-23")
            .args(["mail", "--smtp", &url, "--team", "csirt", "--timeout", "3"])
            .args(["--mail-from", "soc@example.net"])
            .timeout(Duration::from_secs(60))
            .output()
            .expect("running socctl");
        let elapsed = started.elapsed();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{url}: {stderr}");
        // 3 s, and not the 20+ s a byte every half second would take to stop.
        assert!(
            elapsed >= Duration::from_secs(3) && elapsed < Duration::from_secs(8),
            "{url}: gave up after {elapsed:?}: {stderr}"
        );
        assert!(stderr.contains("within 3 s"), "{url}: {stderr}");
        assert!(stderr.contains("not sent"), "{url}: {stderr}");
    }
}

/// The `From:` and `To:` header lines of a message's DATA.
fn from_and_to(message: &str) -> (String, String) {
    let header = |name: &str| {
        message
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .unwrap_or_else(|| panic!("no {name} in:\n{message}"))
            .trim()
            .to_owned()
    };
    (header("From:"), header("To:"))
}

#[test]
fn the_sender_and_recipients_are_mail_from_and_mail_to_and_the_old_from_and_to_still_work() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let url = url_of(&listener);
    let (sender, received) = mpsc::channel();
    std::thread::spawn(move || serve_properly(&listener, &sender));
    let env = TestEnv::shipped();
    let send = |args: &[&str], variables: &[(&str, &str)]| {
        let output = env
            .cmd()
            .env("SOCCTL_TODAY", "2026-11-23")
            .envs(variables.iter().copied())
            .args(["mail", "--smtp", &url, "--team", "csirt", "--timeout", "10"])
            .args(args)
            .timeout(Duration::from_secs(60))
            .output()
            .expect("running socctl");
        let stderr = String::from_utf8(output.stderr).expect("UTF-8");
        assert!(output.status.success(), "{args:?}: {stderr}");
        let message = received
            .recv_timeout(Duration::from_secs(5))
            .unwrap_or_else(|_| panic!("{args:?}: the server received nothing"));
        (from_and_to(&message), stderr)
    };
    let expected = ("soc@example.net".to_owned(), "lead@example.net".to_owned());
    let new = [
        "--mail-from",
        "soc@example.net",
        "--mail-to",
        "lead@example.net",
    ];
    let (headers, stderr) = send(&new, &[]);
    assert_eq!(headers, expected);
    assert_eq!(stderr, "");
    // The old spellings: the same message, and a note on standard error for each.
    let old = ["--from", "soc@example.net", "--to", "lead@example.net"];
    let (headers, stderr) = send(&old, &[]);
    assert_eq!(headers, expected);
    for (old, new) in [("--from", "--mail-from"), ("--to", "--mail-to")] {
        assert!(
            stderr.contains(&format!("`socctl mail {old}` is spelled {new} now")),
            "{stderr}"
        );
    }
    assert_eq!(stderr.lines().count(), 2, "{stderr}");
    // A typed flag, in either spelling, wins over the variables.
    let variables = [
        ("SOCCTL_MAIL_FROM", "other@example.org"),
        ("SOCCTL_MAIL_TO", "elsewhere@example.org"),
    ];
    assert_eq!(send(&new, &variables).0, expected);
    assert_eq!(send(&old, &variables).0, expected);
    let (headers, stderr) = send(&[], &variables);
    assert_eq!(
        headers,
        (
            "other@example.org".to_owned(),
            "elsewhere@example.org".to_owned()
        )
    );
    assert_eq!(stderr, "");
}

#[test]
fn each_team_is_mailed_in_its_own_language() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let url = url_of(&listener);
    let (sender, received) = mpsc::channel();
    std::thread::spawn(move || serve_properly(&listener, &sender));
    let task = |id: &str, team: &str| {
        format!(
            "  - id: {id}\n    title: Check the backups\n    cadence: daily\n    team: {team}\n    translations:\n      da: {{title: Kontrollér sikkerhedskopierne}}\n      ja: {{title: バックアップを確認する}}\n"
        )
    };
    let env = TestEnv::with_catalog(
        format!(
            "version: 1\ntimezone: Europe/Copenhagen\ntasks:\n{}{}{}",
            task("backups-dk", "ops-dk"),
            task("backups-jp", "ops-jp"),
            task("backups-en", "ops-en"),
        ),
        "version: 1
teams:
  - {id: ops-dk, name: Operations Denmark, email: dk@example.org, language: da, translations: {da: {name: Drift Danmark}}}
  - {id: ops-jp, name: Operations Japan, email: jp@example.org, language: ja, translations: {ja: {name: 東京SOC}}}
  - {id: ops-en, name: Operations, email: en@example.org}
",
    );
    let output = env
        .cmd()
        .env("SOCCTL_TODAY", "2026-11-23")
        .args(["mail", "--smtp", &url, "--all-teams", "--timeout", "10"])
        .args(["--mail-from", "soc@example.net"])
        .timeout(Duration::from_secs(60))
        .output()
        .expect("running socctl");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut subjects = std::collections::BTreeMap::new();
    for _ in 0..3 {
        let data = received
            .recv_timeout(Duration::from_secs(5))
            .expect("a message");
        let parsed = mail_parser::MessageParser::default()
            .parse(data.as_bytes())
            .expect("a message");
        let to = parsed
            .to()
            .and_then(|to| to.first())
            .and_then(|a| a.address())
            .expect("a recipient")
            .to_owned();
        let body = parsed.body_text(0).expect("a text body").into_owned();
        subjects.insert(to, (parsed.subject().expect("a subject").to_owned(), body));
    }
    // locales/da.yaml subject_one "[SOC] {team} — 1 opgave forfalder {date}", date_medium
    // "{weekday_short} {day}. {month_short} {year}"; the names from the translations.
    let (subject, body) = &subjects["dk@example.org"];
    assert_eq!(
        subject,
        "[SOC] Drift Danmark — 1 opgave forfalder man 23. nov 2026"
    );
    assert!(body.contains("Kontrollér sikkerhedskopierne"), "{body}");
    // locales/ja.yaml subject_one "[SOC] {team} — {date}の予定 1 件", date_medium
    // "{year}年{month_number}月{day}日({weekday_short})".
    let (subject, body) = &subjects["jp@example.org"];
    assert_eq!(subject, "[SOC] 東京SOC — 2026年11月23日(月)の予定 1 件");
    assert!(body.contains("バックアップを確認する"), "{body}");
    // No language: the run's (English here).
    let (subject, body) = &subjects["en@example.org"];
    assert_eq!(subject, "[SOC] Operations — 1 task due Mon 23 Nov 2026");
    assert!(body.contains("Check the backups"), "{body}");
}

#[test]
fn notify_mails_escalations_with_a_link_to_each_task_on_the_board() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let url = url_of(&listener);
    let (sender, received) = mpsc::channel();
    std::thread::spawn(move || serve_properly(&listener, &sender));
    let sink = support::http_sink::Sink::ok();
    let env = TestEnv::fixture("notify");
    let notify = |today: &str, kinds: &str| {
        env.cmd()
            .env("SOCCTL_TODAY", today)
            .env("SOCCTL_JOURNAL", env.root().join("journal.db"))
            .env("NOTIFY_TEAMS_URL", format!("{}/teams", sink.url))
            .env("NOTIFY_SLACK_URL", format!("{}/slack", sink.url))
            .env("NOTIFY_HOOK_URL", format!("{}/hook", sink.url))
            .env("NOTIFY_HOOK_SECRET", "secret")
            .args(["notify", "--kind", kinds, "--smtp", &url, "--timeout", "10"])
            .timeout(Duration::from_secs(60))
            .output()
            .expect("running socctl")
    };
    // The journal starts on Monday 2026-11-16; a week on, the daily tasks are escalated
    // (3 days or more overdue), and mailed to the lead, ana.
    assert!(notify("2026-11-16", "due").status.success());
    let output = notify("2026-11-23", "escalation");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let data = received
        .recv_timeout(Duration::from_secs(5))
        .expect("a message");
    let parsed = mail_parser::MessageParser::default()
        .parse(data.as_bytes())
        .expect("a message");
    let body = parsed
        .body_text(0)
        .expect("a text body")
        .replace("\r\n", "\n");
    // Each line, then the task's page on the board (board_url + the board's /task/ID).
    assert!(
        body.contains("- Morning triage (triage): overdue since Mon 16 Nov\n  https://board.example.org/task/triage\n"),
        "{body}"
    );
    assert!(
        body.contains(
            "(markup): overdue since Mon 16 Nov\n  https://board.example.org/task/markup\n"
        ),
        "{body}"
    );
}
