//! `socctl user` and `socctl token` through the real binary, on the shipped catalog (its
//! teams: soc-oversight, threat-intelligence, monitoring, engineering-secops, csirt), with
//! what they wrote checked through the library's directory and the database itself.

use std::io::Write;
use std::process::{Output, Stdio};

use jiff::Timestamp;
use serde_json::Value;
use socctl::access::{Account, Directory, Login, Principal, Role, Scope};
use socctl::journal::accounts::Policy;

use super::store::Stored;
use crate::support::TestEnv;

struct Board {
    env: TestEnv,
    stored: Stored,
}

impl Board {
    fn new() -> Self {
        Self {
            env: TestEnv::shipped(),
            stored: Stored::new(),
        }
    }

    /// Runs `socctl args…` with `stdin` as its standard input (not a terminal).
    fn run(&self, args: &[&str], stdin: &str) -> Output {
        let mut child = self
            .env
            .std_cmd()
            .env("SOCCTL_JOURNAL", self.stored.location_text())
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starting socctl");
        // A command refused before it reads its input closes the pipe: what it never read
        // does not matter, so a broken pipe here is not a failure.
        if let Err(error) = child
            .stdin
            .take()
            .expect("stdin")
            .write_all(stdin.as_bytes())
        {
            assert_eq!(
                error.kind(),
                std::io::ErrorKind::BrokenPipe,
                "writing stdin: {error}"
            );
        }
        child.wait_with_output().expect("running socctl")
    }

    fn ok(&self, args: &[&str], stdin: &str) -> String {
        let output = self.run(args, stdin);
        assert!(
            output.status.success(),
            "socctl {args:?}: {:?}\nstdout: {}\nstderr: {}",
            output.status.code(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("UTF-8")
    }

    /// Expects exit code `code` and returns standard error.
    fn fails(&self, args: &[&str], stdin: &str, code: i32) -> String {
        let output = self.run(args, stdin);
        assert_eq!(
            output.status.code(),
            Some(code),
            "socctl {args:?}\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stderr).expect("UTF-8")
    }

    /// `socctl KIND list --format json` (`user` or `token`), parsed.
    fn listed(&self, kind: &str) -> Value {
        serde_json::from_str(&self.ok(&[kind, "list", "--format", "json"], "")).expect("JSON")
    }

    fn add_ana(&self) {
        self.ok(
            &[
                "user",
                "add",
                "ana",
                "--team",
                "Monitoring",
                "--team",
                "csirt",
                "--role",
                "member",
                "--password-stdin",
            ],
            "correct horse battery\nnot this line\n",
        );
    }
}

/// `token create --user ana` and then `more`.
fn ana_token<'a>(more: &[&'a str]) -> Vec<&'a str> {
    [&["token", "create", "--user", "ana"], more].concat()
}

fn ana() -> Account {
    Account {
        name: "ana".to_owned(),
        role: Role::Member,
        teams: vec!["monitoring".to_owned(), "csirt".to_owned()],
    }
}

#[test]
fn user_add_takes_the_first_line_of_stdin_as_the_password() {
    let board = Board::new();
    board.add_ana();
    let directory = board.stored.directory(Policy::default());
    let now = Timestamp::now();
    // The team's name resolved to its id; the second line of stdin is not the password.
    assert_eq!(
        directory
            .login("ana", "correct horse battery", now)
            .expect("login"),
        Login::Accepted(ana())
    );
    assert_eq!(
        directory
            .login("ana", "correct horse battery\nnot this line", now)
            .expect("login"),
        Login::Refused
    );
    // A CRLF line ending is not part of the password either.
    board.ok(
        &["user", "passwd", "ana", "--password-stdin"],
        "windows line end\r\n",
    );
    assert_eq!(
        directory
            .login("ana", "windows line end", now)
            .expect("login"),
        Login::Accepted(ana())
    );
}

#[test]
fn user_list_shows_every_account_in_every_listing_format() {
    let board = Board::new();
    board.add_ana();
    board.ok(
        &[
            "user",
            "add",
            "wall",
            "--role",
            "viewer",
            "--password-stdin",
        ],
        "the wall screen\n",
    );
    let json = board.listed("user");
    let rows = json.as_array().expect("an array");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["name"], "ana");
    assert_eq!(rows[0]["role"], "member");
    assert_eq!(rows[0]["teams"], serde_json::json!(["monitoring", "csirt"]));
    assert_eq!(rows[0]["disabled"], Value::Null);
    assert_eq!(rows[1]["name"], "wall");
    assert_eq!(rows[1]["teams"], serde_json::json!([]));
    let csv = board.ok(&["user", "list", "--format", "csv"], "");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "name,role,teams,created,disabled");
    assert!(
        lines[1].starts_with("ana,member,monitoring | csirt,"),
        "{csv}"
    );
    assert!(lines[2].starts_with("wall,viewer,,"), "{csv}");
    for format in ["text", "table", "markdown"] {
        let out = board.ok(&["user", "list", "--format", format], "");
        assert!(
            out.contains("ana") && out.contains("wall") && out.contains("viewer"),
            "{format}: {out}"
        );
    }
    board.ok(&["user", "disable", "wall"], "");
    let json = board.listed("user");
    assert!(json[1]["disabled"].is_string(), "{json}");
}

#[test]
fn a_token_secret_is_printed_once_and_stored_hashed() {
    let board = Board::new();
    board.add_ana();
    let output = board.run(
        &ana_token(&[
            "--scope",
            "read",
            "--scope",
            "calendar:CSIRT",
            "--name",
            "outlook",
            "--expires",
            "never",
        ]),
        "",
    );
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    let stderr = String::from_utf8(output.stderr).expect("UTF-8");
    // Standard output is the secret alone: "socctl_" and 64 hex digits.
    let secret = stdout.strip_suffix('\n').expect("one line");
    assert!(!secret.contains('\n'), "{stdout}");
    let hex = secret.strip_prefix("socctl_").expect("the prefix");
    assert_eq!(hex.len(), 64, "{secret}");
    assert!(hex.bytes().all(|b| b.is_ascii_hexdigit()), "{secret}");
    assert!(!stderr.contains(secret), "{stderr}");
    assert!(stderr.contains("not shown again"), "{stderr}");
    // The secret works, with the scopes asked for (the team's name resolved to its id).
    let directory = board.stored.directory(Policy::default());
    let Some(Principal::Token {
        id,
        account,
        scopes,
    }) = directory.token(secret, Timestamp::now()).expect("token")
    else {
        panic!("the printed secret is not a token");
    };
    assert_eq!(account, ana());
    assert_eq!(scopes, [Scope::Read, Scope::Calendar("csirt".to_owned())]);
    // No listing shows it, and it is nowhere in the database.
    for format in ["json", "csv", "text", "table", "markdown"] {
        let listed = board.ok(&["token", "list", "--format", format], "");
        assert!(!listed.contains(hex), "{format}: {listed}");
        assert!(listed.contains(&id), "{format}: {listed}");
    }
    let json = board.listed("token");
    assert_eq!(
        json[0]["scopes"],
        serde_json::json!(["read", "calendar:csirt"])
    );
    assert_eq!(json[0]["label"], "outlook");
    assert_eq!(json[0]["expires"], Value::Null);
    assert_eq!(json[0]["state"], "active");
    let stored: String = board
        .stored
        .table_text("api_tokens")
        .into_iter()
        .flatten()
        .collect();
    assert!(!stored.contains(hex), "{stored}");
    // Revoked: the secret stops working at once.
    board.ok(&["token", "revoke", &id], "");
    assert_eq!(
        directory.token(secret, Timestamp::now()).expect("token"),
        None
    );
    let json = board.listed("token");
    assert_eq!(json[0]["state"], "revoked");
}

#[test]
fn a_person_calendar_token_is_for_a_member_of_the_catalog() {
    let board = Board::new();
    board.add_ana();
    // A member by their id in another case, and one by their full name (roles.yaml:
    // max-monitor is "Max Placeholder", mo-monitor "Mo Placeholder"): both stored by id.
    let secret = board.ok(
        &ana_token(&[
            "--scope",
            "calendar-person:Max-Monitor",
            "--scope",
            "calendar-person:mo placeholder",
        ]),
        "",
    );
    let directory = board.stored.directory(Policy::default());
    let Some(Principal::Token { scopes, .. }) = directory
        .token(secret.trim(), Timestamp::now())
        .expect("token")
    else {
        panic!("the printed secret is not a token");
    };
    assert_eq!(
        scopes,
        [
            Scope::PersonCalendar("max-monitor".to_owned()),
            Scope::PersonCalendar("mo-monitor".to_owned()),
        ]
    );
    let json = board.listed("token");
    assert_eq!(
        json[0]["scopes"],
        serde_json::json!(["calendar-person:max-monitor", "calendar-person:mo-monitor"])
    );
}

#[test]
fn a_token_expires_after_its_days_or_at_the_end_of_its_date() {
    let board = Board::new();
    board.add_ana();
    let before = Timestamp::now();
    board.ok(&ana_token(&["--scope", "record"]), "");
    let after = Timestamp::now();
    board.ok(
        &ana_token(&[
            "--scope",
            "record",
            "--expires",
            "2099-03-14",
            "--tz",
            "Europe/Copenhagen",
        ]),
        "",
    );
    let json = board.listed("token");
    // The default: 90 days of 24 hours from the moment it was made (listed to the second).
    let expires: Timestamp = json[0]["expires"]
        .as_str()
        .expect("a time")
        .parse()
        .expect("a time");
    let ninety = jiff::SignedDuration::from_hours(90 * 24);
    let second = jiff::SignedDuration::from_secs(1);
    assert!(
        before + ninety - second <= expires && expires <= after + ninety,
        "{before} {expires} {after}"
    );
    // In Europe/Copenhagen (--tz; UTC+1 in mid-March, before summer time), the end of
    // 14 March is 23:00 UTC.
    assert_eq!(json[1]["expires"], "2099-03-14T23:00:00Z");
    let stderr = board.fails(
        &ana_token(&["--scope", "record", "--expires", "2020-01-01"]),
        "",
        2,
    );
    assert!(stderr.contains("is in the past"), "{stderr}");
}

#[test]
fn a_token_lives_for_hours_minutes_or_seconds() {
    let board = Board::new();
    board.add_ana();
    let create =
        |expires: &str| board.ok(&ana_token(&["--scope", "read", "--expires", expires]), "");
    let before = Timestamp::now();
    create("12h");
    create("30m");
    create("90s");
    let after = Timestamp::now();
    let json = board.listed("token");
    let second = jiff::SignedDuration::from_secs(1);
    for (row, seconds) in [(0, 12 * 3600), (1, 30 * 60), (2, 90)] {
        let expires: Timestamp = json[row]["expires"]
            .as_str()
            .expect("a time")
            .parse()
            .expect("a time");
        let length = jiff::SignedDuration::from_secs(seconds);
        assert!(
            before + length - second <= expires && expires <= after + length,
            "{row}: {before} {expires} {after}"
        );
    }
    for bad in ["0m", "1.5h", "h"] {
        let stderr = board.fails(&ana_token(&["--scope", "read", "--expires", bad]), "", 2);
        assert!(
            stderr.contains(&format!("--expires `{bad}` is not a number of days")),
            "{stderr}"
        );
    }
    let stderr = board.fails(
        &ana_token(&["--scope", "read", "--expires", "3661d"]),
        "",
        2,
    );
    assert!(stderr.contains("at most 3660 days"), "{stderr}");
}

#[test]
fn removing_a_user_ends_its_tokens_and_disabling_refuses_its_logins() {
    let board = Board::new();
    board.add_ana();
    let secret = board.ok(&ana_token(&["--scope", "read"]), "");
    let directory = board.stored.directory(Policy::default());
    let session = directory
        .open_session(&ana(), Timestamp::now())
        .expect("a session");
    board.ok(&["user", "disable", "ana"], "");
    assert_eq!(
        directory
            .login("ana", "correct horse battery", Timestamp::now())
            .expect("login"),
        Login::Refused
    );
    assert_eq!(
        directory
            .session(&session.secret, Timestamp::now())
            .expect("session"),
        None
    );
    // No new token for a disabled account (enabling it would bring the token to life).
    let stderr = board.fails(&ana_token(&["--scope", "read"]), "", 2);
    assert!(stderr.contains("account `ana` is disabled"), "{stderr}");
    board.ok(&["user", "enable", "ana"], "");
    let secret_2 = board.ok(&ana_token(&["--scope", "read"]), "");
    board.ok(&["user", "remove", "ana"], "");
    for secret in [&secret, &secret_2] {
        assert_eq!(
            directory
                .token(secret.trim(), Timestamp::now())
                .expect("token"),
            None
        );
    }
    assert!(
        board
            .ok(&["token", "list", "--format", "csv"], "")
            .lines()
            .count()
            == 1
    );
    let stderr = board.fails(&["user", "remove", "ana"], "", 2);
    assert!(stderr.contains("no account `ana`"), "{stderr}");
}

#[test]
fn mistakes_are_refused_in_socctls_words() {
    let board = Board::new();
    board.add_ana();
    let enough = "long enough\n";
    // (arguments, standard input, what standard error must say); every one exits 2.
    let cases: &[(&[&str], &str, &[&str])] = &[
        // A team that is not in the catalog: the nearest one named.
        (
            &[
                "user",
                "add",
                "bo",
                "--team",
                "monitorng",
                "--role",
                "member",
                "--password-stdin",
            ],
            enough,
            &["unknown team `monitorng`", "did you mean `monitoring`?"],
        ),
        (
            &[
                "user",
                "add",
                "bo",
                "--team",
                "csirt",
                "--role",
                "boss",
                "--password-stdin",
            ],
            enough,
            &["`boss` is not a role; use viewer, member, lead or admin"],
        ),
        // No password: standard input is not a terminal and --password-stdin was not given.
        (
            &["user", "add", "bo", "--team", "csirt", "--role", "member"],
            "",
            &["--password-stdin", "never from the command line"],
        ),
        (
            &[
                "user",
                "add",
                "bo",
                "--team",
                "csirt",
                "--role",
                "member",
                "--password-stdin",
            ],
            "short\n",
            &["too short (5 characters); use at least 8"],
        ),
        (
            &["user", "add", "bo", "--role", "member", "--password-stdin"],
            enough,
            &["give --team TEAM"],
        ),
        (
            &["user", "add", "ana", "--role", "viewer", "--password-stdin"],
            enough,
            &["already an account `ana`"],
        ),
        (
            &["user", "add", "a b", "--role", "viewer", "--password-stdin"],
            enough,
            &["cannot be a login name"],
        ),
        (
            &["user", "passwd", "anna", "--password-stdin"],
            enough,
            &["no account `anna`", "did you mean `ana`?"],
        ),
        (
            &["token", "create", "--user", "anna", "--scope", "read"],
            "",
            &["no account `anna`", "did you mean `ana`?"],
        ),
        (
            &["token", "create", "--user", "ana", "--scope", "admin"],
            "",
            &["`admin` is not a scope"],
        ),
        (
            &[
                "token",
                "create",
                "--user",
                "ana",
                "--scope",
                "calendar:csrt",
            ],
            "",
            &["unknown team `csrt`", "did you mean `csirt`?"],
        ),
        (
            &[
                "token",
                "create",
                "--user",
                "ana",
                "--scope",
                "calendar-person:max-monitr",
            ],
            "",
            &[
                "unknown member `max-monitr` in --scope calendar-person:max-monitr",
                "did you mean `max-monitor`?",
            ],
        ),
        // A team is not a person.
        (
            &[
                "token",
                "create",
                "--user",
                "ana",
                "--scope",
                "calendar-person:monitoring",
            ],
            "",
            &[
                "unknown member `monitoring`",
                "members: cy-responder, eli-engineer",
            ],
        ),
        (
            &[
                "token",
                "create",
                "--user",
                "ana",
                "--scope",
                "read",
                "--expires",
                "soon",
            ],
            "",
            &["--expires `soon` is not a number of days"],
        ),
        (&["token", "revoke", "0000"], "", &["no token `0000`"]),
    ];
    for (args, stdin, expected) in cases {
        let stderr = board.fails(args, stdin, 2);
        for words in *expected {
            assert!(stderr.contains(words), "{args:?}: {stderr}");
        }
    }
    // Nothing was added by any of it.
    let json = board.listed("user");
    assert_eq!(json.as_array().map(Vec::len), Some(1));
    assert_eq!(
        board
            .ok(&["token", "list", "--format", "csv"], "")
            .lines()
            .count(),
        1
    );
}

on_postgres!(
    user_add_takes_the_first_line_of_stdin_as_the_password,
    user_list_shows_every_account_in_every_listing_format,
    a_token_secret_is_printed_once_and_stored_hashed,
    a_person_calendar_token_is_for_a_member_of_the_catalog,
    a_token_expires_after_its_days_or_at_the_end_of_its_date,
    a_token_lives_for_hours_minutes_or_seconds,
    removing_a_user_ends_its_tokens_and_disabling_refuses_its_logins,
    mistakes_are_refused_in_socctls_words,
);

/// Drives `socctl ARGS…` on a pseudo-terminal: waits for each prompt before typing the
/// password (`PW`) at it, and prints everything the terminal showed.
const PTY_DRIVER: &str = r#"
import os, pty, select, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
shown = b""
def read_until(marker):
    global shown
    end = time.time() + 60
    while marker not in shown:
        ready, _, _ = select.select([fd], [], [], max(0, end - time.time()))
        if not ready:
            sys.exit("no %r on the terminal: %r" % (marker, shown))
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            chunk = b""
        if not chunk:
            break
        shown += chunk
password = os.environ["PW"].encode()
read_until(b"Password for ana: ")
os.write(fd, password + b"\n")
read_until(b"Again, to be sure: ")
os.write(fd, password + b"\n")
read_until(b"\x00")
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(shown)
sys.exit(os.waitstatus_to_exitcode(status))
"#;

#[test]
#[ignore = "needs Python: run scripts/test"]
fn on_a_terminal_the_password_is_asked_twice_and_never_echoed() {
    crate::support::require(&[crate::support::Tool::Python(&[])]);
    let board = Board::new();
    let password = "typed at the terminal";
    let output = crate::support::python()
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", board.env.home())
        .env("XDG_CONFIG_HOME", board.env.config())
        .env("SOCCTL_JOURNAL", board.stored.location_text())
        .env("PW", password)
        .current_dir(board.env.work())
        .arg("-c")
        .arg(PTY_DRIVER)
        .arg(crate::support::socctl_binary())
        .args(["user", "add", "ana", "--role", "viewer"])
        .output()
        .expect("running the terminal driver");
    let shown = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{output:?}");
    assert!(shown.contains("added account ana (viewer)"), "{shown}");
    assert!(
        !shown.contains(password),
        "the password was echoed: {shown}"
    );
    let directory = board.stored.directory(Policy::default());
    assert!(matches!(
        directory
            .login("ana", password, Timestamp::now())
            .expect("login"),
        Login::Accepted(_)
    ));
}
