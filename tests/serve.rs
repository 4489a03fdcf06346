//! `socctl serve`: the real binary on a loopback port, driven over raw HTTP/1.1 so that
//! the tests control every byte (cookies, Origin, oversized and slow requests).
//!
//! The accounts and API tokens are made in each test's journal by the real commands
//! (`socctl user add`, `socctl token create`: see [`seed`]); the expected outcomes of the route × role table are worked out from the rules of docs/serve.md
//! (viewers read; members also record done/skip for their teams; leads also undo and
//! trigger; admins everything; a token is further limited to its scopes), not from the
//! server's answers.

#[allow(dead_code)]
mod support;

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::TestEnv;
use support::serve::Served;

/// The accounts of every test server: name, role, the teams it wants (those the catalog
/// has), and its password is [`password`]'s.
const ACCOUNTS: [(&str, &str, &[&str]); 5] = [
    ("wall", "viewer", &[]),
    ("ana", "member", &["monitoring", "ops"]),
    ("leo", "lead", &["monitoring", "ops"]),
    ("cas", "member", &["csirt"]),
    ("root", "admin", &[]),
];

/// The password of the test account `name`.
fn password(name: &str) -> String {
    format!("pw-{name}-board")
}

/// The API tokens [`seed`] made, by their secrets (printed once by `token create`).
#[derive(Debug, Clone)]
struct Tokens {
    /// leo's, scope read.
    read: String,
    /// leo's, scope record.
    record: String,
    /// wall's, scope calendar:monitoring.
    calendar: String,
    /// wall's, scope calendar-person:max-monitor (a member of monitoring).
    person_calendar: String,
    /// wall's, scope metrics: what Prometheus scrapes with.
    metrics: String,
    /// root's, scopes read and record, made to expire a second after it was made.
    expired: String,
    /// When `expired` has expired for sure.
    expired_by: Instant,
}

impl Tokens {
    /// Waits until the expired token has expired.
    fn wait_for_expiry(&self) {
        let left = self.expired_by.saturating_duration_since(Instant::now());
        std::thread::sleep(left);
    }
}

/// Makes the test accounts ([`ACCOUNTS`]) and API tokens in `journal` through the real
/// commands: `socctl user add NAME --team T --role R --password-stdin` and `socctl token
/// create`, whose standard output is the secret. An account whose teams the catalog lacks
/// (a member or lead of the shipped catalog's teams, on a one-team fixture) is left out.
fn seed(env: &TestEnv, journal: &std::ffi::OsStr) -> Tokens {
    let run = |args: &[&str], stdin: &str| support::serve::socctl(env, journal, args, stdin);
    let teams = run(&["teams", "-f", "json"], "");
    let teams: Value = serde_json::from_str(&teams).expect("the teams as JSON");
    let known: Vec<&str> = teams
        .as_array()
        .expect("an array of teams")
        .iter()
        .filter_map(|team| team["id"].as_str())
        .collect();
    for (name, role, wanted) in ACCOUNTS {
        let teams: Vec<&str> = wanted
            .iter()
            .copied()
            .filter(|team| known.contains(team))
            .collect();
        if !wanted.is_empty() && teams.is_empty() {
            continue;
        }
        support::serve::add_account(env, journal, name, role, &teams, &password(name));
    }
    let token = |user: &str, scopes: &[&str], expires: &str| -> String {
        let mut args = vec!["token", "create", "--user", user, "--expires", expires];
        for scope in scopes {
            args.extend(["--scope", scope]);
        }
        let secret = run(&args, "").trim().to_owned();
        assert!(secret.starts_with("socctl_"), "{secret}");
        secret
    };
    let (read, record, calendar, person_calendar) = if known.contains(&"monitoring") {
        (
            token("leo", &["read"], "90d"),
            token("leo", &["record"], "90d"),
            token("wall", &["calendar:monitoring"], "90d"),
            token("wall", &["calendar-person:max-monitor"], "90d"),
        )
    } else {
        // No leo and no monitoring feed on this catalog: tokens no test uses.
        let never = || format!("socctl_{}", "f".repeat(64));
        (never(), never(), never(), never())
    };
    let metrics = token("wall", &["metrics"], "90d");
    let expired = token("root", &["read", "record"], "1s");
    Tokens {
        read,
        record,
        calendar,
        person_calendar,
        metrics,
        expired,
        expired_by: Instant::now() + Duration::from_secs(1),
    }
}

/// A running `socctl serve` ([`Served`]: its process, address and log) with the API
/// tokens of its journal.
struct Server {
    served: Served,
    /// The API tokens of its journal.
    tokens: Tokens,
}

impl std::ops::Deref for Server {
    type Target = Served;
    fn deref(&self) -> &Served {
        &self.served
    }
}

impl std::ops::DerefMut for Server {
    fn deref_mut(&mut self) -> &mut Served {
        &mut self.served
    }
}

impl Server {
    /// Seeds `env`'s journal ([`seed`]) and starts `socctl serve` on it with `extra`
    /// arguments.
    fn start(env: &TestEnv, extra: &[&str]) -> Self {
        let journal = env.journal();
        let tokens = seed(env, journal.as_os_str());
        Self::start_seeded(env, journal.as_os_str(), tokens, extra)
    }

    /// Starts `socctl serve` in `env` on `journal`, seeded already with `tokens`, with
    /// `extra` arguments (catalog edits are looked for every second).
    fn start_seeded(
        env: &TestEnv,
        journal: &std::ffi::OsStr,
        tokens: Tokens,
        extra: &[&str],
    ) -> Self {
        let args: Vec<&str> = ["--reload-interval", "1"]
            .into_iter()
            .chain(extra.iter().copied())
            .collect();
        Self {
            served: Served::start(env, journal, &args),
            tokens,
        }
    }

    /// The `Authorization` header's value for `secret`.
    fn bearer(secret: &str) -> String {
        format!("Bearer {secret}")
    }

    /// `GET path` with `headers`.
    fn get(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        self.send("GET", path, headers, "")
    }

    /// A request, answered in full (the connection is closed after it).
    fn send(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Reply {
        request(self.address, method, path, headers, body)
    }

    /// The origin of our own pages.
    fn origin(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Logs `name` in; the session cookie (`socctl=…`).
    fn login(&self, name: &str, password: &str) -> String {
        let form = self.get("/login", &[]);
        let token = form.csrf().expect("the login form's token");
        let cookie = form.cookie("socctl-login").expect("the login cookie");
        let reply = self.send(
            "POST",
            "/login",
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Cookie", &format!("socctl-login={cookie}")),
                ("Origin", &self.origin()),
            ],
            &format!("name={name}&password={password}&csrf={token}"),
        );
        assert_eq!(reply.status, 303, "login of {name}: {}", reply.body);
        format!(
            "socctl={}",
            reply.cookie("socctl").expect("a session cookie")
        )
    }

    /// A form POST with a session cookie and our own Origin.
    fn post_form(&self, path: &str, cookie: &str, form: &str) -> Reply {
        self.send(
            "POST",
            path,
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Cookie", cookie),
                ("Origin", &self.origin()),
            ],
            form,
        )
    }

    /// Sends the server SIGTERM.
    fn terminate(&self) {
        let pid = self.child.id().to_string();
        let kill = std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap();
        assert!(kill.success());
    }

    /// Waits, 20 s at most, for the server to exit after [`Server::terminate`], and
    /// requires it to exit 0.
    fn exits_cleanly(&mut self) {
        let until = Instant::now() + Duration::from_secs(20);
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < until, "still running 20 s after SIGTERM");
            std::thread::sleep(Duration::from_millis(100));
        };
        assert!(status.success(), "{status:?}");
    }

    /// Sends `head` and the start of `body`, SIGTERMs the server with that request in
    /// flight, checks that it takes no new connection, then sends the rest: the answer,
    /// after which the server has exited cleanly.
    fn answer_across_sigterm(&mut self, head: &str, body: &str) -> Reply {
        let mut stream = TcpStream::connect(self.address).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        write!(stream, "{head}{}", &body[..10]).unwrap();
        stream.flush().unwrap();
        // The request is in flight (its body half sent) when SIGTERM comes.
        std::thread::sleep(Duration::from_millis(500));
        self.terminate();
        std::thread::sleep(Duration::from_millis(500));
        // New connections are no longer taken…
        assert!(
            TcpStream::connect_timeout(&self.address, Duration::from_secs(2)).is_err()
                || self.get("/healthz", &[]).status != 200
        );
        // …but the one in flight gets its answer.
        stream.write_all(&body.as_bytes()[10..]).unwrap();
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        self.exits_cleanly();
        Reply::parse(&raw)
    }

    /// The session's CSRF token, read from the board.
    fn csrf(&self, cookie: &str) -> String {
        self.get("/", &[("Cookie", cookie)])
            .csrf()
            .expect("a form with a CSRF token on the board")
    }
}

/// A private PostgreSQL cluster named `name` (stopped when dropped) and a fresh database in
/// it, for a test that needs PostgreSQL. Keep the cluster bound (`_cluster`, not `_`) for as
/// long as the database is used; the database is dropped first.
fn private_postgres(
    name: &str,
) -> (
    support::postgres::PrivateCluster,
    support::postgres::Database,
) {
    use support::postgres::{PrivateCluster, Server as Postgres};
    support::require(&[support::Tool::PostgresServer]);
    let cluster = PrivateCluster::start(name, false).expect("a private cluster");
    let database = Postgres::at(&cluster.url).database();
    (cluster, database)
}

/// A request to the server at `address`, answered in full (the connection is closed after
/// it).
fn request(
    address: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Reply {
    try_request(address, method, path, headers, body).expect("connecting and sending")
}

/// [`request`], or `None` when the server cannot be reached or stops taking the request
/// (a reply cut off is status 0).
fn try_request(
    address: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Option<Reply> {
    let mut stream = TcpStream::connect(address).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        let _ = write!(head, "{name}: {value}\r\n");
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).ok()?;
    stream.write_all(body.as_bytes()).ok()?;
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    Some(Reply::parse(&raw))
}

/// An HTTP answer.
#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn parse(raw: &[u8]) -> Self {
        let text = String::from_utf8_lossy(raw).into_owned();
        let Some((head, body)) = text.split_once("\r\n\r\n") else {
            return Self {
                status: 0,
                headers: Vec::new(),
                body: text,
            };
        };
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|line| line.split(' ').nth(1))
            .and_then(|code| code.parse().ok())
            .unwrap_or(0);
        let headers: Vec<(String, String)> = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        let chunked = headers
            .iter()
            .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"));
        let body = if chunked {
            let mut out = String::new();
            let mut rest = body;
            while let Some((size, after)) = rest.split_once("\r\n") {
                let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
                if size == 0 {
                    break;
                }
                out.push_str(&after[..size]);
                rest = &after[size + 2..];
            }
            out
        } else {
            body.to_owned()
        };
        Self {
            status,
            headers,
            body,
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value a `Set-Cookie` gives cookie `name`.
    fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .filter(|(n, _)| n == "set-cookie")
            .filter_map(|(_, v)| v.split(';').next()?.split_once('='))
            .find(|(n, v)| *n == name && !v.is_empty())
            .map(|(_, v)| v.to_owned())
    }

    /// The first form's CSRF token in the page.
    fn csrf(&self) -> Option<String> {
        let at = self.body.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
        Some(self.body[at..].split('"').next()?.to_owned())
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// Who a row of the route table is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Nobody,
    Viewer,
    Member,
    Lead,
    OtherTeam,
    Admin,
    EndedSession,
    WrongToken,
    ExpiredToken,
    ReadToken,
    RecordToken,
    CalendarToken,
    PersonCalendarToken,
    MetricsToken,
}

#[test]
fn every_route_answers_exactly_the_roles_allowed() {
    use Who::*;
    let env = TestEnv::shipped();
    let server = Server::start(&env, &[]);
    let sessions: Vec<(Who, String)> = [
        (Viewer, "wall", "pw-wall-board"),
        (Member, "ana", "pw-ana-board"),
        (Lead, "leo", "pw-leo-board"),
        (OtherTeam, "cas", "pw-cas-board"),
        (Admin, "root", "pw-root-board"),
    ]
    .into_iter()
    .map(|(who, name, password)| (who, server.login(name, password)))
    .collect();
    // A session that has ended: logged out, its cookie kept.
    let ended = server.login("ana", "pw-ana-board");
    let csrf = server.csrf(&ended);
    assert_eq!(
        server
            .post_form("/logout", &ended, &format!("csrf={csrf}"))
            .status,
        303
    );
    // Well formed, but no token's; and the expired one past its second.
    let wrong_token = format!("socctl_{}", "0".repeat(64));
    server.tokens.wait_for_expiry();
    let everyone = [
        Nobody,
        Viewer,
        Member,
        Lead,
        OtherTeam,
        Admin,
        EndedSession,
        WrongToken,
        ExpiredToken,
        ReadToken,
        RecordToken,
        CalendarToken,
        PersonCalendarToken,
        MetricsToken,
    ];
    let readers = [Viewer, Member, Lead, OtherTeam, Admin, ReadToken];
    // (method, path, who may)
    let table: Vec<(&str, &str, Vec<Who>)> = vec![
        ("GET", "/", readers.to_vec()),
        ("GET", "/week/monitoring", readers.to_vec()),
        ("GET", "/task/secure-score-report", readers.to_vec()),
        ("GET", "/teams", readers.to_vec()),
        ("GET", "/report", readers.to_vec()),
        ("GET", "/admin", vec![Admin]),
        ("GET", "/api/due", readers.to_vec()),
        ("GET", "/api/week?team=monitoring", readers.to_vec()),
        ("GET", "/api/tasks/secure-score-report", readers.to_vec()),
        (
            "GET",
            "/api/tasks/secure-score-report/next",
            readers.to_vec(),
        ),
        (
            "GET",
            "/api/tasks/secure-score-report/history",
            readers.to_vec(),
        ),
        ("GET", "/api/teams", readers.to_vec()),
        ("GET", "/api/roles", readers.to_vec()),
        ("GET", "/api/report", readers.to_vec()),
        ("GET", "/api/catalog/problems", vec![Admin]),
        // Prometheus: every account, a read token, or a token for the metrics alone.
        (
            "GET",
            "/metrics",
            vec![
                Viewer,
                Member,
                Lead,
                OtherTeam,
                Admin,
                ReadToken,
                MetricsToken,
            ],
        ),
        // Every account may read a team's feed; of the tokens, only the feed's own.
        (
            "GET",
            "/calendar/monitoring.ics",
            vec![Viewer, Member, Lead, OtherTeam, Admin, CalendarToken],
        ),
        // A person's feed likewise: every account; of the tokens, only that person's.
        (
            "GET",
            "/calendar/person/max-monitor.ics",
            vec![Viewer, Member, Lead, OtherTeam, Admin, PersonCalendarToken],
        ),
        (
            "GET",
            "/calendar/person/mia-monitor.ics",
            vec![Viewer, Member, Lead, OtherTeam, Admin],
        ),
        // Recording a monitoring task: its members, its lead, admins; the lead's record
        // token (the read token has no record scope).
        (
            "POST",
            "/record/done",
            vec![Member, Lead, Admin, RecordToken],
        ),
        (
            "POST",
            "/record/skip",
            vec![Member, Lead, Admin, RecordToken],
        ),
        // Undo and trigger are the lead's: not the member's.
        ("POST", "/record/undo", vec![Lead, Admin, RecordToken]),
        ("POST", "/record/trigger", vec![Admin]),
        ("GET", "/healthz", everyone.to_vec()),
        ("GET", "/readyz", everyone.to_vec()),
        ("GET", "/api/openapi.json", everyone.to_vec()),
        ("GET", "/static/socctl.css", everyone.to_vec()),
    ];
    let mut wrong = Vec::new();
    for (method, path, allowed) in &table {
        for who in everyone {
            let mut headers: Vec<(&str, String)> = Vec::new();
            let cookie = match who {
                EndedSession => Some(ended.clone()),
                _ => sessions
                    .iter()
                    .find(|(w, _)| *w == who)
                    .map(|(_, c)| c.clone()),
            };
            let token = match who {
                WrongToken => Some(wrong_token.as_str()),
                ExpiredToken => Some(server.tokens.expired.as_str()),
                ReadToken => Some(server.tokens.read.as_str()),
                RecordToken => Some(server.tokens.record.as_str()),
                CalendarToken => Some(server.tokens.calendar.as_str()),
                PersonCalendarToken => Some(server.tokens.person_calendar.as_str()),
                MetricsToken => Some(server.tokens.metrics.as_str()),
                _ => None,
            };
            if let Some(cookie) = &cookie {
                headers.push(("Cookie", cookie.clone()));
            }
            if let Some(token) = token {
                headers.push(("Authorization", format!("Bearer {token}")));
            }
            let reply = if *method == "POST" {
                let action = path.rsplit('/').next().unwrap();
                // trigger needs an as-needed task: deploy-automation-scripts is
                // engineering-secops' (so only admins may); the others a monitoring task.
                let task = if action == "trigger" {
                    "deploy-automation-scripts"
                } else {
                    "secure-score-report"
                };
                let csrf = match (&cookie, who) {
                    (Some(cookie), w) if w != EndedSession => server.csrf(cookie),
                    _ => String::new(),
                };
                headers.push((
                    "Content-Type",
                    "application/x-www-form-urlencoded".to_owned(),
                ));
                headers.push(("Origin", server.origin()));
                let borrowed: Vec<(&str, &str)> =
                    headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
                server.send(
                    "POST",
                    path,
                    &borrowed,
                    &format!("csrf={csrf}&task={task}&reason=test&note=test"),
                )
            } else {
                let borrowed: Vec<(&str, &str)> =
                    headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
                server.get(path, &borrowed)
            };
            let refused = matches!(reply.status, 401 | 403)
                || (reply.status == 303 && reply.header("location") == Some("/login"));
            // Allowed: past the permission check (a record may still be refused by the
            // journal's rules: 409 already done, 422).
            let ok = !refused && reply.status < 500 && reply.status != 0;
            if ok != allowed.contains(&who) {
                wrong.push(format!(
                    "{method} {path} as {who:?}: {} (expected {})",
                    reply.status,
                    if allowed.contains(&who) {
                        "allowed"
                    } else {
                        "refused"
                    }
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The dated API routes check the read permission before they look at the dates: a
/// malformed date is a 401 to someone not logged in, and a 400 only to a reader.
#[test]
fn the_dated_api_routes_check_the_permission_before_the_dates() {
    let env = TestEnv::shipped();
    let server = Server::start(&env, &[]);
    let read = Server::bearer(&server.tokens.read);
    for path in [
        "/api/due?date=someday",
        "/api/week?date=someday",
        "/api/report?from=someday",
        "/api/report?to=someday",
    ] {
        let anonymous = server.get(path, &[]);
        assert_eq!(anonymous.status, 401, "{path}: {}", anonymous.body);
        let reader = server.get(path, &[("Authorization", &read)]);
        assert_eq!(reader.status, 400, "{path}: {}", reader.body);
        assert!(
            reader.body.contains("`someday` is not a date"),
            "{path}: {}",
            reader.body
        );
    }
}

#[test]
fn a_post_without_its_csrf_token_or_from_another_site_is_refused() {
    let env = TestEnv::shipped();
    let server = Server::start(&env, &[]);
    let cookie = server.login("ana", "pw-ana-board");
    let csrf = server.csrf(&cookie);
    let form = "task=secure-score-report&note=n";
    let no_token = server.post_form("/record/done", &cookie, form);
    assert_eq!(no_token.status, 403);
    let wrong_token = server.post_form("/record/done", &cookie, &format!("csrf=x{csrf}&{form}"));
    assert_eq!(wrong_token.status, 403);
    let body = format!("csrf={csrf}&{form}");
    for (name, value) in [
        ("Origin", "http://evil.example"),
        ("Sec-Fetch-Site", "cross-site"),
        ("Sec-Fetch-Site", "same-site"),
    ] {
        let reply = server.send(
            "POST",
            "/record/done",
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Cookie", &cookie),
                (name, value),
            ],
            &body,
        );
        assert_eq!(reply.status, 403, "{name}: {value}");
    }
    // Nothing was recorded by any of them.
    let history = support::serve::history(&env, env.journal().as_os_str());
    assert_eq!(history, Value::Array(Vec::new()));
    // The real thing: recorded by the account, with its note, then PRG back to the board.
    let done = server.post_form(
        "/record/done",
        &cookie,
        &format!("csrf={csrf}&{form}&reference=INC-7&back=/week/monitoring"),
    );
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.header("location"), Some("/week/monitoring"));
    let history = support::serve::history(&env, env.journal().as_os_str());
    let records = history.as_array().unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["task"], "secure-score-report");
    assert_eq!(records[0]["by"], "ana");
    assert_eq!(records[0]["note"], "n");
    assert_eq!(records[0]["ref"], "INC-7");
    assert_eq!(records[0]["occurrence"], support::TODAY);
    // The CLI's refusal, word for word, the second time.
    let again = server.post_form("/record/done", &cookie, &body);
    assert_eq!(again.status, 409);
    assert!(
        again.body.contains("is already done") && again.body.contains("by ana"),
        "{}",
        again.body
    );
}

#[test]
fn the_api_answers_what_the_cli_prints() {
    let env = TestEnv::shipped();
    let journal = env.journal();
    let journal = journal.to_str().unwrap();
    env.stdout(&[
        "--journal",
        journal,
        "done",
        "track-mdvm-remediation",
        "--by",
        "max",
    ]);
    let server = Server::start(&env, &[]);
    let read_bearer = Server::bearer(&server.tokens.read);
    let read = [("Authorization", read_bearer.as_str())];
    for (path, args) in [
        (
            "/api/due?team=monitoring",
            vec!["due", "--team", "monitoring"],
        ),
        (
            "/api/week?team=csirt&date=2026-11-25",
            vec!["week", "--team", "csirt", "--date", "2026-11-25"],
        ),
        ("/api/report", vec!["report"]),
        (
            "/api/tasks/track-mdvm-remediation/history",
            vec!["history", "--task", "track-mdvm-remediation"],
        ),
        ("/api/teams", vec!["teams"]),
    ] {
        let reply = server.get(path, &read);
        assert_eq!(reply.status, 200, "{path}: {}", reply.body);
        assert_eq!(reply.header("content-type"), Some("application/json"));
        let mut cli = vec!["--journal", journal, "-f", "json"];
        cli.extend(args);
        assert_eq!(reply.json(), env.json(&cli), "{path}");
    }
    // The record on the board: done, by whom.
    let board = server.get("/api/due?team=monitoring", &read).json();
    let mdvm = board
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["task"] == "track-mdvm-remediation")
        .unwrap();
    assert_eq!(mdvm["status"], "done");
    assert_eq!(mdvm["done_by"], "max");
    // Recording through the API: JSON in, the record out.
    let reply = server.send(
        "POST",
        "/api/record/skip",
        &[
            (
                "Authorization",
                Server::bearer(&server.tokens.record).as_str(),
            ),
            ("Content-Type", "application/json"),
        ],
        r#"{"task": "secure-score-report", "reason": "portal down"}"#,
    );
    assert_eq!(reply.status, 201, "{}", reply.body);
    let record = reply.json();
    assert_eq!(record["action"], "skipped");
    assert_eq!(record["by"], "leo");
    assert_eq!(record["note"], "portal down");
    let spec = server.get("/api/openapi.json", &[]).json();
    assert_eq!(spec["openapi"], "3.1.0");
    for path in ["/api/due", "/api/report", "/api/record/{action}"] {
        assert!(spec["paths"][path].is_object(), "{path}");
    }
}

#[test]
fn the_hostile_catalog_is_inert_on_every_page() {
    let env = TestEnv::fixture("hostile");
    let server = Server::start(&env, &[]);
    let cookie = server.login("root", "pw-root-board");
    let csrf = server.csrf(&cookie);
    // A record with a hostile note, shown in the task's history.
    let reply = server.post_form(
        "/record/done",
        &cookie,
        &format!("csrf={csrf}&task=markup&note=%3Cscript%3Ealert(2)%3C%2Fscript%3E"),
    );
    assert_eq!(reply.status, 303, "{}", reply.body);
    for path in [
        "/",
        "/week/ops",
        "/task/formula",
        "/task/markup",
        "/teams",
        "/report",
        "/admin",
    ] {
        let page = server.get(path, &[("Cookie", &cookie)]);
        assert_eq!(page.status, 200, "{path}");
        for raw in ["<script", "<img", "onerror=alert(1)>"] {
            assert!(!page.body.contains(raw), "{path} holds {raw}");
        }
        assert_eq!(
            page.header("content-security-policy"),
            Some(
                "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
            )
        );
        assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(page.header("referrer-policy"), Some("same-origin"));
    }
    let board = server.get("/", &[("Cookie", &cookie)]).body;
    assert!(
        board.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{board}"
    );
    let history = server.get("/task/markup", &[("Cookie", &cookie)]).body;
    assert!(history.contains("&lt;script&gt;alert(2)&lt;/script&gt;"));
}

#[test]
fn oversized_requests_are_refused() {
    let env = TestEnv::shipped();
    let server = Server::start(&env, &[]);
    let body = "a".repeat(100 * 1024);
    let reply = server.send(
        "POST",
        "/login",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        &body,
    );
    assert_eq!(reply.status, 413);
    let big = "b".repeat(20 * 1024);
    let reply = server.get("/healthz", &[("X-Big", &big)]);
    assert_eq!(reply.status, 431, "{reply:?}");
    // The server is still there.
    assert_eq!(server.get("/healthz", &[]).status, 200);
}

#[test]
fn a_slow_client_is_cut_off() {
    let env = TestEnv::shipped();
    let server = Server::start(&env, &["--header-timeout", "2"]);
    let mut stream = TcpStream::connect(server.address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let started = Instant::now();
    stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
    // One header byte every 200 ms: a slowloris that would hold the connection forever.
    let mut closed = false;
    while started.elapsed() < Duration::from_secs(20) {
        if stream.write_all(b"X").is_err() {
            closed = true;
            break;
        }
        let mut buffer = [0u8; 256];
        match stream.read(&mut buffer) {
            Ok(0) => {
                closed = true;
                break;
            }
            Ok(_) => {
                // An answer (408): the server gave up on the request.
                closed = true;
                break;
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(_) => {
                closed = true;
                break;
            }
        }
    }
    let took = started.elapsed();
    assert!(closed, "the connection was still open after {took:?}");
    assert!(
        took < Duration::from_secs(10),
        "cut off only after {took:?}"
    );
    assert!(took >= Duration::from_secs(1), "cut off after {took:?}");
}

#[test]
fn logins_are_limited_and_accounts_lock() {
    let env = TestEnv::shipped();
    let server = Server::start(&env, &[]);
    let attempt = |name: &str, password: &str| {
        let form = server.get("/login", &[]);
        let token = form.csrf().unwrap();
        let cookie = form.cookie("socctl-login").unwrap();
        server.send(
            "POST",
            "/login",
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Cookie", &format!("socctl-login={cookie}")),
            ],
            &format!("name={name}&password={password}&csrf={token}"),
        )
    };
    // A login without the form's own token is refused before the password is tried.
    let stale = server.send(
        "POST",
        "/login",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        "name=ana&password=pw-ana-board&csrf=made-up",
    );
    assert_eq!(stale.status, 403);
    for _ in 0..4 {
        assert_eq!(attempt("ana", "wrong").status, 401);
    }
    // The fifth failure locks the account: the right password no longer opens it.
    assert_eq!(attempt("ana", "wrong").status, 429);
    let locked = attempt("ana", "pw-ana-board");
    assert_eq!(locked.status, 429);
    assert!(locked.body.contains("locked"), "{}", locked.body);
    // Other accounts still log in, until the address has made ten attempts.
    assert_eq!(attempt("leo", "pw-leo-board").status, 303);
    for _ in 0..3 {
        assert_eq!(attempt("leo", "pw-leo-board").status, 303);
    }
    let limited = attempt("leo", "pw-leo-board");
    assert_eq!(limited.status, 429);
    assert!(limited.body.contains("Too many login attempts"));
    assert!(limited.header("retry-after").is_some());
}

/// The login limit counts clients, not the proxy in front of them: from a trusted proxy the
/// client is the address it forwarded; from anyone else a forwarded address is ignored.
#[test]
fn the_login_limit_counts_the_client_behind_a_trusted_proxy() {
    let attempt = |server: &Server, forwarded_for: &str| {
        let form = server.get("/login", &[]);
        let token = form.csrf().unwrap();
        let cookie = form.cookie("socctl-login").unwrap();
        server
            .send(
                "POST",
                "/login",
                &[
                    ("Content-Type", "application/x-www-form-urlencoded"),
                    ("Cookie", &format!("socctl-login={cookie}")),
                    ("X-Forwarded-For", forwarded_for),
                ],
                &format!("name=leo&password=pw-leo-board&csrf={token}"),
            )
            .status
    };
    let env = TestEnv::shipped();
    let proxied = Server::start(&env, &["--trusted-proxy", "127.0.0.1/32"]);
    for _ in 0..10 {
        assert_eq!(attempt(&proxied, "203.0.113.1"), 303);
    }
    assert_eq!(attempt(&proxied, "203.0.113.1"), 429);
    // Another client behind the same proxy has attempts of its own; an address the client
    // put in front of its own is not believed (the proxy appends the one it saw).
    assert_eq!(attempt(&proxied, "203.0.113.2"), 303);
    assert_eq!(attempt(&proxied, "203.0.113.2, 203.0.113.1"), 429);
    drop(proxied);
    // Without a trusted proxy the header is the client's own word: ignored.
    let env = TestEnv::shipped();
    let direct = Server::start(&env, &[]);
    for n in 0..10 {
        assert_eq!(attempt(&direct, &format!("198.51.100.{n}")), 303);
    }
    assert_eq!(attempt(&direct, "198.51.100.99"), 429);
}

#[test]
fn a_session_is_a_new_cookie_at_each_login_and_ends_at_logout() {
    let env = TestEnv::shipped();
    let server = Server::start(&env, &[]);
    let one = server.login("ana", "pw-ana-board");
    let two = server.login("ana", "pw-ana-board");
    assert_ne!(one, two);
    let form = server.get("/login", &[]);
    assert!(form.headers.iter().any(|(n, v)| n == "set-cookie"
        && v.contains("HttpOnly")
        && v.contains("SameSite=Strict")
        && v.contains("Path=/")));
    assert_eq!(server.get("/", &[("Cookie", &one)]).status, 200);
    let csrf = server.csrf(&one);
    assert_eq!(
        server
            .post_form("/logout", &one, &format!("csrf={csrf}"))
            .status,
        303
    );
    let after = server.get("/", &[("Cookie", &one)]);
    assert_eq!(after.status, 303);
    assert_eq!(after.header("location"), Some("/login"));
    assert_eq!(server.get("/", &[("Cookie", &two)]).status, 200);
}

#[test]
fn the_proxy_header_counts_only_from_trusted_addresses() {
    let env = TestEnv::shipped();
    let journal = env.journal();
    let tokens = seed(&env, journal.as_os_str());
    let trusted = Server::start_seeded(
        &env,
        journal.as_os_str(),
        tokens.clone(),
        &[
            "--auth-proxy-header",
            "X-Forwarded-User",
            "--trusted-proxy",
            "127.0.0.1/32",
        ],
    );
    let page = trusted.get("/", &[("X-Forwarded-User", "ana")]);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("ana (member)"));
    // It opens a session for the forms' CSRF token.
    assert!(page.cookie("socctl").is_some());
    let unknown = trusted.get("/", &[("X-Forwarded-User", "mallory")]);
    assert_eq!(unknown.status, 303);
    drop(trusted);
    let untrusted = Server::start_seeded(
        &env,
        journal.as_os_str(),
        tokens,
        &[
            "--auth-proxy-header",
            "X-Forwarded-User",
            "--trusted-proxy",
            "10.0.0.0/8",
        ],
    );
    let page = untrusted.get("/", &[("X-Forwarded-User", "ana")]);
    assert_eq!(page.status, 303);
    assert_eq!(page.header("location"), Some("/login"));
}

#[test]
fn an_invalid_catalog_edit_keeps_the_last_good_one_and_admins_see_why() {
    let env = TestEnv::one_team(
        "version: 1\ntasks:\n  - id: first-check\n    title: First check\n    cadence: daily\n    team: ops\n",
    );
    let server = Server::start(&env, &[]);
    let admin = server.login("root", "pw-root-board");
    let viewer = server.login("wall", "pw-wall-board");
    assert!(
        server
            .get("/", &[("Cookie", &viewer)])
            .body
            .contains("First check")
    );
    env.write(
        "tasks.yaml",
        "version: 1\ntasks:\n  - id: first-check\n    title: First check\n    cadence: every blue moon\n    team: ops\n",
    );
    let until = Instant::now() + Duration::from_secs(20);
    let banner = loop {
        let page = server.get("/", &[("Cookie", &admin)]);
        if page.body.contains("class=\"banner\"") {
            break page.body;
        }
        assert!(Instant::now() < until, "no banner after an invalid edit");
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(banner.contains("blue moon"), "{banner}");
    assert!(banner.contains("First check"));
    let seen = server.get("/", &[("Cookie", &viewer)]).body;
    assert!(!seen.contains("class=\"banner\""));
    assert!(seen.contains("First check"));
    env.write(
        "tasks.yaml",
        "version: 1\ntasks:\n  - id: second-check\n    title: Second check\n    cadence: daily\n    team: ops\n",
    );
    let until = Instant::now() + Duration::from_secs(20);
    loop {
        let page = server.get("/", &[("Cookie", &admin)]);
        if page.body.contains("Second check") {
            assert!(!page.body.contains("class=\"banner\""));
            break;
        }
        assert!(
            Instant::now() < until,
            "the fixed catalog was not picked up"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A holiday calendar named by the catalog is a catalog file too: editing it reloads the
/// catalog, and an invalid edit keeps the last good catalog with `check`'s report for the
/// admins.
#[test]
fn an_edited_holiday_calendar_reloads_and_an_invalid_one_keeps_the_last_good_catalog() {
    // TODAY, Monday 23 November 2026, is a holiday: nothing "every workday" is due.
    let holiday = |day: &str| {
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:{day}@test\r\nDTSTART;VALUE=DATE:{day}\r\nSUMMARY:Closed\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )
    };
    let env = TestEnv::one_team(
        "version: 1\nholidays_ics: calendars/holidays.ics\ntasks:\n  - id: first-check\n    title: First check\n    cadence: every workday\n    team: ops\n",
    );
    env.write("calendars/holidays.ics", holiday("20261123"));
    let server = Server::start(&env, &[]);
    let admin = server.login("root", "pw-root-board");
    // Whether the check is due today (Friday's, carried over, shows either way).
    let due_today = || {
        let reply = server.get("/api/due", &[("Cookie", &admin)]);
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply.body.contains("\"date\":\"2026-11-23\"")
    };
    assert!(!due_today());

    // The holiday moves to Christmas: the check is due today once the edit is seen.
    env.write("calendars/holidays.ics", holiday("20261225"));
    let until = Instant::now() + Duration::from_secs(20);
    while !due_today() {
        assert!(
            Instant::now() < until,
            "the edited holiday calendar was not picked up"
        );
        std::thread::sleep(Duration::from_millis(200));
    }

    // An invalid calendar: the admins see why, and the last good catalog stays.
    env.write("calendars/holidays.ics", "not a calendar\n");
    let until = Instant::now() + Duration::from_secs(20);
    let banner = loop {
        let page = server.get("/", &[("Cookie", &admin)]);
        if page.body.contains("class=\"banner\"") {
            break page.body;
        }
        assert!(
            Instant::now() < until,
            "no banner after an invalid holiday calendar"
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(banner.contains("holidays.ics"), "{banner}");
    assert!(due_today());
}

/// A journal that other writers hold past the busy time-out: the record is refused with
/// 503 and Retry-After (try again), not 500, and nothing is written; once free, it records.
#[test]
fn a_journal_held_by_another_writer_is_a_503_to_retry() {
    let env = TestEnv::shipped();
    let server = Server::start(&env, &[]);
    let bearer = Server::bearer(&server.tokens.record);
    let post = || {
        server.send(
            "POST",
            "/api/record/done",
            &[
                ("Authorization", bearer.as_str()),
                ("Content-Type", "application/json"),
            ],
            r#"{"task": "secure-score-report", "team": "monitoring"}"#,
        )
    };
    {
        // Another writer in the middle of a transaction: readers go on (WAL), writers wait.
        let holder = rusqlite::Connection::open(env.journal()).expect("opening the journal");
        holder
            .execute_batch("BEGIN IMMEDIATE;")
            .expect("taking the write lock");
        let busy = post();
        assert_eq!(busy.status, 503, "{}", busy.body);
        assert_eq!(busy.header("retry-after"), Some("5"));
        assert!(busy.body.contains("locked"), "{}", busy.body);
    }
    let history = support::serve::history(&env, env.journal().as_os_str());
    assert_eq!(history, Value::Array(Vec::new()));
    assert_eq!(post().status, 201);
}

/// A server killed outright (SIGKILL, no drain) right after answering keeps every record it
/// acknowledged: the 201 goes out only once the journal's transaction has committed.
#[test]
fn a_killed_server_keeps_every_record_it_acknowledged() {
    let env = TestEnv::shipped();
    let mut server = Server::start(&env, &[]);
    let tasks = [
        "update-escalation-tickets",
        "secure-score-report",
        "track-mdvm-remediation",
    ];
    let bearer = Server::bearer(&server.tokens.record);
    let acknowledged: Vec<&str> = std::thread::scope(|scope| {
        let posts: Vec<_> = tasks
            .iter()
            .map(|task| {
                let address = server.address;
                let bearer = bearer.as_str();
                scope.spawn(move || {
                    let reply = request(
                        address,
                        "POST",
                        "/api/record/done",
                        &[
                            ("Authorization", bearer),
                            ("Content-Type", "application/json"),
                        ],
                        &format!(r#"{{"task": "{task}", "team": "monitoring"}}"#),
                    );
                    (*task, reply.status)
                })
            })
            .collect();
        posts
            .into_iter()
            .map(|post| post.join().expect("a posting thread"))
            .filter(|(_, status)| *status == 201)
            .map(|(task, _)| task)
            .collect()
    });
    assert_eq!(acknowledged.len(), tasks.len(), "{acknowledged:?}");
    // SIGKILL the moment the last answer is in: no drain, no shutdown code runs.
    server.child.kill().expect("SIGKILL");
    server.child.wait().expect("the killed server");
    let history = support::serve::history(&env, env.journal().as_os_str());
    let mut recorded: Vec<&str> = history
        .as_array()
        .expect("the history as an array")
        .iter()
        .filter(|record| record["action"] == "done")
        .filter_map(|record| record["task"].as_str())
        .collect();
    recorded.sort_unstable();
    let mut expected = acknowledged.clone();
    expected.sort_unstable();
    assert_eq!(recorded, expected, "{history}");
}

/// Records a stream of done and undo by three clients at once on `server` until `server`
/// is killed outright (SIGKILL) in the middle of it; every record answered 201 is then in
/// `journal`'s history, by the id the answer gave.
fn kill_mid_stream(env: &TestEnv, server: &mut Server, journal: &str) {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicBool, Ordering};
    let tasks = [
        "update-escalation-tickets",
        "secure-score-report",
        "track-mdvm-remediation",
    ];
    let bearer = Server::bearer(&server.tokens.record);
    let address = server.address;
    let acknowledged = Mutex::new(Vec::<String>::new());
    let killed = AtomicBool::new(false);
    std::thread::scope(|scope| {
        for task in tasks {
            let (bearer, acknowledged, killed) = (&bearer, &acknowledged, &killed);
            scope.spawn(move || {
                // done, undo, done, … : each a record of its own (the token is a lead's).
                for action in ["done", "undo"].iter().cycle() {
                    if killed.load(Ordering::SeqCst) {
                        break;
                    }
                    let Some(reply) = try_request(
                        address,
                        "POST",
                        &format!("/api/record/{action}"),
                        &[
                            ("Authorization", bearer),
                            ("Content-Type", "application/json"),
                        ],
                        &format!(r#"{{"task": "{task}", "team": "monitoring"}}"#),
                    ) else {
                        break;
                    };
                    match reply.status {
                        201 => {
                            let id = reply.json()["id"].as_str().expect("an id").to_owned();
                            acknowledged.lock().unwrap().push(id);
                        }
                        // Cut off by the kill.
                        0 => break,
                        other => panic!("{action} {task}: {other} {}", reply.body),
                    }
                }
            });
        }
        // Kill once a dozen records are acknowledged, with the clients still posting.
        let until = Instant::now() + Duration::from_secs(60);
        while acknowledged.lock().unwrap().len() < 12 {
            assert!(
                Instant::now() < until,
                "12 records not acknowledged in 60 s"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        server.child.kill().expect("SIGKILL");
        killed.store(true, Ordering::SeqCst);
        server.child.wait().expect("the killed server");
    });
    let acknowledged = acknowledged.into_inner().unwrap();
    let history = support::serve::history(env, std::ffi::OsStr::new(journal));
    let written: std::collections::HashSet<&str> = history
        .as_array()
        .expect("the history as an array")
        .iter()
        .filter_map(|record| record["id"].as_str())
        .collect();
    let lost: Vec<&String> = acknowledged
        .iter()
        .filter(|id| !written.contains(id.as_str()))
        .collect();
    assert!(
        lost.is_empty(),
        "acknowledged but not in the journal: {lost:?} (of {})",
        acknowledged.len()
    );
}

/// SIGKILL in the middle of a stream of records on SQLite: nothing acknowledged is lost.
#[test]
fn a_server_killed_mid_stream_keeps_every_record_it_acknowledged() {
    let env = TestEnv::shipped();
    let mut server = Server::start(&env, &[]);
    kill_mid_stream(&env, &mut server, env.journal().to_str().unwrap());
}

/// The same on PostgreSQL.
#[test]
#[ignore = "needs PostgreSQL: run scripts/test"]
fn a_server_killed_mid_stream_on_postgresql_keeps_every_record_it_acknowledged() {
    let (_cluster, database) = private_postgres("serve-kill");
    let env = TestEnv::shipped();
    let journal = std::ffi::OsStr::new(&database.url);
    let tokens = seed(&env, journal);
    let mut server = Server::start_seeded(&env, journal, tokens, &[]);
    kill_mid_stream(&env, &mut server, &database.url);
}

/// SIGTERM while a record is on its way (its body half sent): the server finishes it,
/// answers 201 and writes it before it exits.
#[test]
fn sigterm_finishes_a_recording_in_flight() {
    let env = TestEnv::shipped();
    let mut server = Server::start(&env, &[]);
    let body = r#"{"task": "secure-score-report", "team": "monitoring", "note": "at shutdown"}"#;
    let head = format!(
        "POST /api/record/done HTTP/1.1\r\nHost: {}\r\nAuthorization: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        server.address,
        Server::bearer(&server.tokens.record),
        body.len(),
    );
    let reply = server.answer_across_sigterm(&head, body);
    assert_eq!(reply.status, 201, "{reply:?}");
    let history = support::serve::history(&env, env.journal().as_os_str());
    let notes: Vec<&str> = history
        .as_array()
        .expect("the history as an array")
        .iter()
        .filter(|record| record["task"] == "secure-score-report" && record["action"] == "done")
        .filter_map(|record| record["note"].as_str())
        .collect();
    assert_eq!(notes, ["at shutdown"], "{history}");
}

#[test]
fn health_readiness_metrics_and_calendar_feeds() {
    let env = TestEnv::shipped();
    let server = Server::start(&env, &[]);
    assert_eq!(server.get("/healthz", &[]).status, 200);
    assert_eq!(server.get("/readyz", &[]).status, 200);
    let reply = server.send(
        "POST",
        "/api/record/done",
        &[
            (
                "Authorization",
                Server::bearer(&server.tokens.record).as_str(),
            ),
            ("Content-Type", "application/json"),
        ],
        r#"{"task": "track-mdvm-remediation"}"#,
    );
    assert_eq!(reply.status, 201, "{}", reply.body);
    // A task of every team done by one of them: its entry splits into one per team, and
    // each team counts its own only.
    let reply = server.send(
        "POST",
        "/api/record/done",
        &[
            (
                "Authorization",
                Server::bearer(&server.tokens.record).as_str(),
            ),
            ("Content-Type", "application/json"),
        ],
        r#"{"task": "update-escalation-tickets", "team": "monitoring"}"#,
    );
    assert_eq!(reply.status, 201, "{}", reply.body);
    // As Prometheus scrapes: a bearer token for the metrics alone.
    let metrics = server
        .get(
            "/metrics",
            &[(
                "Authorization",
                Server::bearer(&server.tokens.metrics).as_str(),
            )],
        )
        .body;
    assert!(
        metrics.contains("socctl_records_written_total{action=\"done\"} 2"),
        "{metrics}"
    );
    assert!(metrics.contains("socctl_build_info{version=\""));
    // Monitoring on the shipped catalog's Monday 2026-11-23: update-escalation-tickets,
    // secure-score-report and track-mdvm-remediation are due; the first (every team's) is
    // done by monitoring only, the last (monitoring's own) is done.
    assert!(
        metrics.contains("socctl_occurrences{team=\"monitoring\",state=\"due\"} 3"),
        "{metrics}"
    );
    assert!(
        metrics.contains("socctl_occurrences{team=\"monitoring\",state=\"open\"} 1"),
        "{metrics}"
    );
    assert!(metrics.contains("socctl_occurrences{team=\"monitoring\",state=\"overdue\"} 0"));
    assert!(metrics.contains("socctl_http_request_duration_seconds_bucket"));
    assert!(metrics.contains("socctl_http_requests_total{route=\"/api/record/{action}\",method=\"POST\",status=\"201\"} 2"));
    let feed = server.get(
        &format!("/calendar/monitoring.ics?token={}", server.tokens.calendar),
        &[],
    );
    assert_eq!(feed.status, 200);
    assert_eq!(
        feed.header("content-type"),
        Some("text/calendar; charset=utf-8")
    );
    assert!(feed.body.starts_with("BEGIN:VCALENDAR"));
    assert!(feed.body.contains("Generate Secure Score report"));
    assert!(!feed.body.contains("Tabletop"), "another team's task");
    assert_eq!(
        server
            .get(
                &format!("/calendar/csirt.ics?token={}", server.tokens.calendar),
                &[],
            )
            .status,
        403
    );
    assert_eq!(
        server
            .get(
                &format!("/calendar/monitoring.ics?token={}", server.tokens.read),
                &[],
            )
            .status,
        403
    );
    assert_eq!(server.get("/calendar/monitoring.ics", &[]).status, 401);
    assert_eq!(
        server
            .get("/calendar/monitoring.ics?token=wrong", &[])
            .status,
        401
    );
}

/// The events of an iCalendar text, parsed: its lines unfolded (RFC 5545 §3.1: CRLF and
/// one space or tab continue the line before), each `VEVENT`'s properties by name (the
/// parameters dropped), each with its values in order.
fn ics_events(text: &str) -> Vec<std::collections::BTreeMap<String, Vec<String>>> {
    assert!(
        text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"),
        "not an iCalendar file: {text}"
    );
    let mut lines: Vec<String> = Vec::new();
    for raw in text.split("\r\n") {
        match raw.strip_prefix([' ', '\t']) {
            Some(more) => lines.last_mut().expect("a line to continue").push_str(more),
            None => lines.push(raw.to_owned()),
        }
    }
    let mut events = Vec::new();
    let mut event: Option<std::collections::BTreeMap<String, Vec<String>>> = None;
    for line in lines {
        match line.as_str() {
            "BEGIN:VEVENT" => event = Some(std::collections::BTreeMap::new()),
            "END:VEVENT" => events.push(event.take().expect("END:VEVENT after BEGIN")),
            _ => {
                if let Some(event) = event.as_mut() {
                    let (head, value) = line.split_once(':').expect("NAME:VALUE");
                    let name = head.split(';').next().unwrap_or(head);
                    event
                        .entry(name.to_owned())
                        .or_default()
                        .push(value.to_owned());
                }
            }
        }
    }
    events
}

/// A feed's expected event: UID, summary, the start of its rule, dates that are the
/// person's, dates that are not.
type Expected<'a> = (&'a str, &'a str, &'a str, &'a [&'a str], &'a [&'a str]);

#[test]
fn a_persons_calendar_feed_is_their_export_and_needs_their_token() {
    let env = TestEnv::shipped();
    let server = Server::start(&env, &[]);
    let secret = server.tokens.person_calendar.clone();
    let feed = server.get(
        &format!("/calendar/person/max-monitor.ics?token={secret}"),
        &[],
    );
    assert_eq!(feed.status, 200, "{}", feed.body);
    assert_eq!(
        feed.header("content-type"),
        Some("text/calendar; charset=utf-8")
    );
    // Byte for byte what the command prints, on the same catalog, journal and day.
    let export = env
        .std_cmd()
        .arg("--journal")
        .arg(env.journal())
        .args(["export", "ics", "--person", "max-monitor"])
        .output()
        .expect("running socctl export");
    assert!(export.status.success(), "{export:?}");
    assert_eq!(feed.body, String::from_utf8(export.stdout).expect("UTF-8"));
    // What roles.yaml and tasks.yaml give max-monitor (monitoring: mia, max, mo), worked
    // out by hand from 2026-11-23, a Monday:
    // - update-escalation-tickets, daily, weekly turns from Monday 2026-11-02 09:00 among
    //   mia, max, mo: mia 11-02, max 11-09, mo 11-16, mia 11-23, max 11-30, mo 12-07,
    //   mia 12-14, max 12-21;
    // - track-mdvm-remediation, daily, two days each among max, mo from 11-02: max
    //   11-22/23, mo 11-24/25, max 11-26/27, mo 11-28/29;
    // - secure-score-report, weekly on Monday, turns every occurrence among mia, max, mo
    //   from 11-02: mia 11-23, max 11-30, mo 12-07, mia 12-14, max 12-21.
    // Nothing of another team (portal-license-management is sam-oversight's,
    // deploy-automation-scripts ena-engineer's).
    let events = ics_events(&feed.body);
    let by_uid = |uid: &str| {
        events
            .iter()
            .find(|e| e["UID"] == [uid])
            .unwrap_or_else(|| panic!("no {uid} in {events:?}"))
    };
    let mut uids: Vec<&str> = events.iter().map(|e| e["UID"][0].as_str()).collect();
    uids.sort_unstable();
    assert_eq!(
        uids,
        [
            "secure-score-report@socctl",
            "track-mdvm-remediation@socctl",
            "update-escalation-tickets.monitoring@socctl",
        ]
    );
    let expected: [Expected<'_>; 3] = [
        (
            "update-escalation-tickets.monitoring@socctl",
            "Update SOC escalation tickets",
            "FREQ=DAILY",
            &["20261130", "20261206", "20261221", "20261227"],
            &["20261123", "20261129", "20261207", "20261220", "20261228"],
        ),
        (
            "track-mdvm-remediation@socctl",
            "Track Microsoft Defender Vulnerability Management (MDVM) remediation activity",
            "FREQ=DAILY",
            &["20261123", "20261126", "20261127"],
            &["20261124", "20261125", "20261128", "20261129"],
        ),
        (
            "secure-score-report@socctl",
            "Generate Secure Score report",
            "FREQ=WEEKLY;BYDAY=MO",
            &["20261130", "20261221"],
            &["20261123", "20261207", "20261214"],
        ),
    ];
    for (uid, summary, rule, theirs, not_theirs) in expected {
        let event = by_uid(uid);
        assert_eq!(event["SUMMARY"], [summary], "{uid}");
        assert_eq!(event["DTSTART"], ["20261123"], "{uid}");
        assert!(event["RRULE"][0].starts_with(rule), "{uid}: {event:?}");
        let excluded: Vec<&str> = event
            .get("EXDATE")
            .into_iter()
            .flatten()
            .flat_map(|dates| dates.split(','))
            .collect();
        for date in theirs {
            assert!(!excluded.contains(date), "{uid}: {date} is max's");
        }
        for date in not_theirs {
            // Before the first Monday the daily rule's days are listed; a weekly rule
            // only has Mondays to exclude.
            assert!(excluded.contains(date), "{uid}: {date} is not max's");
        }
    }
    // Another person's feed, the team feed, with max's token: refused, as the team feed
    // refuses another team's (403). A team's token does not open a person's feed of that
    // team, nor the read token; no token or a wrong one is 401.
    let status = |path: &str| server.get(path, &[]).status;
    assert_eq!(
        status(&format!("/calendar/person/mia-monitor.ics?token={secret}")),
        403
    );
    assert_eq!(
        status(&format!("/calendar/monitoring.ics?token={secret}")),
        403
    );
    assert_eq!(
        status(&format!(
            "/calendar/person/max-monitor.ics?token={}",
            server.tokens.calendar
        )),
        403
    );
    assert_eq!(
        status(&format!(
            "/calendar/person/max-monitor.ics?token={}",
            server.tokens.read
        )),
        403
    );
    assert_eq!(status("/calendar/person/max-monitor.ics"), 401);
    assert_eq!(status("/calendar/person/max-monitor.ics?token=wrong"), 401);
    // Nobody's feed: refused to the token (its scope is another member's), not found for
    // an account, which may read every feed.
    assert_eq!(
        status(&format!("/calendar/person/nobody.ics?token={secret}")),
        403
    );
    let admin = server.login("root", "pw-root-board");
    assert_eq!(
        server
            .get("/calendar/person/nobody.ics", &[("Cookie", &admin)])
            .status,
        404
    );
    assert_eq!(
        server
            .get("/calendar/person/max-monitor.ics", &[("Cookie", &admin)])
            .status,
        200
    );
    // Revoked: the same secret stops working at once.
    let list = env
        .std_cmd()
        .arg("--journal")
        .arg(env.journal())
        .args(["token", "list", "--format", "json"])
        .output()
        .expect("running socctl token list");
    let list: Value = serde_json::from_slice(&list.stdout).expect("the tokens as JSON");
    let id = list
        .as_array()
        .expect("an array of tokens")
        .iter()
        .find(|t| t["scopes"] == serde_json::json!(["calendar-person:max-monitor"]))
        .and_then(|t| t["id"].as_str())
        .expect("max-monitor's feed token")
        .to_owned();
    let revoked = env
        .std_cmd()
        .arg("--journal")
        .arg(env.journal())
        .args(["token", "revoke", &id])
        .output()
        .expect("running socctl token revoke");
    assert!(revoked.status.success(), "{revoked:?}");
    assert_eq!(
        status(&format!("/calendar/person/max-monitor.ics?token={secret}")),
        401
    );
}

#[test]
fn sigterm_stops_the_server_cleanly() {
    let env = TestEnv::shipped();
    let mut server = Server::start(&env, &[]);
    assert_eq!(server.get("/healthz", &[]).status, 200);
    server.terminate();
    server.exits_cleanly();
    // Everything it said, up to the end of its standard error.
    let mut said = Vec::new();
    while let Ok(line) = server.log.recv_timeout(Duration::from_secs(10)) {
        said.push(line);
    }
    assert!(said.iter().any(|l| l == "socctl: stopped"), "{said:?}");
}

#[test]
#[ignore = "needs openssl: run scripts/test"]
fn tls_serves_https_with_secure_cookies() {
    use rustls_pki_types::pem::PemObject as _;
    use std::sync::Arc;
    support::require(&[support::Tool::OpenSsl]);
    let env = TestEnv::shipped();
    // A throw-away CA, and a server certificate for 127.0.0.1 signed by it.
    env.write(
        "leaf.ext",
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    );
    let curve = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
    ];
    for args in [
        [
            &["req", "-x509"][..],
            &curve[..],
            &[
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-days",
                "2",
                "-subj",
                "/CN=socctl test CA",
            ][..],
        ]
        .concat(),
        [
            &["req"][..],
            &curve[..],
            &[
                "-keyout",
                "key.pem",
                "-out",
                "leaf.csr",
                "-subj",
                "/CN=127.0.0.1",
            ][..],
        ]
        .concat(),
        vec![
            "x509",
            "-req",
            "-in",
            "leaf.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "cert.pem",
            "-days",
            "2",
            "-extfile",
            "leaf.ext",
        ],
    ] {
        let made = env.command("openssl").args(&args).output().unwrap();
        assert!(
            made.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&made.stderr)
        );
    }
    let server = Server::start(&env, &["--tls-cert", "cert.pem", "--tls-key", "key.pem"]);
    let pem = std::fs::read(env.work().join("ca.pem")).unwrap();
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_pki_types::CertificateDer::pem_slice_iter(&pem) {
        roots.add(cert.unwrap()).unwrap();
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let name = rustls_pki_types::ServerName::IpAddress(server.address.ip().into());
    let connection = rustls::ClientConnection::new(Arc::new(config), name).unwrap();
    let tcp = TcpStream::connect(server.address).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut tls = rustls::StreamOwned::new(connection, tcp);
    write!(
        tls,
        "GET /login HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        server.address
    )
    .unwrap();
    let mut raw = Vec::new();
    let _ = tls.read_to_end(&mut raw);
    let reply = Reply::parse(&raw);
    assert_eq!(reply.status, 200, "{reply:?}");
    let cookie = reply.header("set-cookie").unwrap();
    assert!(cookie.starts_with("__Host-socctl-login="), "{cookie}");
    assert!(cookie.contains("; Secure"), "{cookie}");
    assert_eq!(
        reply.header("strict-transport-security"),
        Some("max-age=31536000")
    );
    // Plain HTTP on the TLS port gets no page.
    let plain = server.get("/healthz", &[]);
    assert_ne!(plain.status, 200);
}

#[test]
fn leads_trigger_as_needed_work_from_the_task_page() {
    let env = TestEnv::shipped();
    let server = Server::start(&env, &[]);
    // deploy-automation-scripts is engineering-secops' "weekly on monday and as needed".
    let member = server.login("ana", "pw-ana-board");
    let page = server.get("/task/deploy-automation-scripts", &[("Cookie", &member)]);
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("action=\"/record/trigger\""));
    let admin = server.login("root", "pw-root-board");
    let page = server.get("/task/deploy-automation-scripts", &[("Cookie", &admin)]);
    assert!(
        page.body.contains("action=\"/record/trigger\""),
        "{}",
        page.body
    );
    let csrf = page.csrf().unwrap();
    let without_reason = server.post_form(
        "/record/trigger",
        &admin,
        &format!("csrf={csrf}&task=deploy-automation-scripts&team=engineering-secops"),
    );
    assert_eq!(without_reason.status, 422);
    assert!(without_reason.body.contains("needs a reason"));
    let triggered = server.post_form(
        "/record/trigger",
        &admin,
        &format!(
            "csrf={csrf}&task=deploy-automation-scripts&team=engineering-secops&reason=new+playbook&back=/task/deploy-automation-scripts"
        ),
    );
    assert_eq!(triggered.status, 303, "{}", triggered.body);
    assert_eq!(
        triggered.header("location"),
        Some("/task/deploy-automation-scripts")
    );
    let history = server
        .get(
            "/api/tasks/deploy-automation-scripts/history",
            &[(
                "Authorization",
                Server::bearer(&server.tokens.read).as_str(),
            )],
        )
        .json();
    let records = history.as_array().unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["action"], "triggered");
    assert_eq!(records[0]["by"], "root");
    assert_eq!(records[0]["note"], "new playbook");
    // A second trigger for the day: the CLI's refusal.
    let again = server.post_form(
        "/record/trigger",
        &admin,
        &format!("csrf={csrf}&task=deploy-automation-scripts&team=engineering-secops&reason=again"),
    );
    assert_eq!(again.status, 409);
    assert!(
        again.body.contains("is already triggered"),
        "{}",
        again.body
    );
}

#[test]
fn readiness_fails_while_the_journal_cannot_be_read() {
    let env = TestEnv::shipped();
    let server = Server::start(&env, &[]);
    assert_eq!(server.get("/readyz", &[]).status, 200);
    // Something that is not a journal takes the journal's place (the server's accounts
    // stay on the file it opened).
    let garbage = env.write("garbage", "this is not a journal\n");
    std::fs::rename(&garbage, env.journal()).unwrap();
    assert_eq!(server.get("/healthz", &[]).status, 200);
    let ready = server.get("/readyz", &[]);
    assert_eq!(ready.status, 503, "{}", ready.body);
    assert!(
        ready
            .body
            .starts_with("not ready: the journal is out of reach")
    );
    // Once the journal is sound again, so is the server, without a restart.
    std::fs::remove_file(env.journal()).unwrap();
    assert_eq!(server.get("/readyz", &[]).status, 200);
}

#[test]
fn sigterm_lets_the_request_in_flight_finish() {
    let env = TestEnv::shipped();
    let mut server = Server::start(&env, &[]);
    let body = "name=ana&password=pw-ana-board&csrf=none";
    let head = format!(
        "POST /login HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        server.address,
        body.len(),
    );
    // The login form's token is wrong: 403.
    let reply = server.answer_across_sigterm(&head, body);
    assert_eq!(reply.status, 403, "{reply:?}");
}

#[test]
#[ignore = "needs PostgreSQL: run scripts/test"]
fn two_servers_on_one_postgresql_journal_and_postgresql_stopping_under_them() {
    let (cluster, database) = private_postgres("serve");
    let journal = std::ffi::OsStr::new(&database.url);
    let env = TestEnv::shipped();
    // One journal, seeded once, for both servers.
    let tokens = seed(&env, journal);
    let read_bearer = Server::bearer(&tokens.read);
    let record_bearer = Server::bearer(&tokens.record);
    let one = Server::start_seeded(&env, journal, tokens.clone(), &[]);
    let two = Server::start_seeded(&env, journal, tokens, &[]);
    let read = [("Authorization", read_bearer.as_str())];
    let record = [
        ("Authorization", record_bearer.as_str()),
        ("Content-Type", "application/json"),
    ];
    // A record through one shows on the other at its next request.
    let done = one.send(
        "POST",
        "/api/record/done",
        &record,
        r#"{"task": "secure-score-report", "note": "via one"}"#,
    );
    assert_eq!(done.status, 201, "{}", done.body);
    let board = two.get("/api/due?team=monitoring", &read).json();
    let item = board
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["task"] == "secure-score-report")
        .unwrap()
        .clone();
    assert_eq!(item["status"], "done");
    assert_eq!(item["done_by"], "leo");
    // The same occurrence through the other: the journal's refusal.
    let again = two.send(
        "POST",
        "/api/record/done",
        &record,
        r#"{"task": "secure-score-report"}"#,
    );
    assert_eq!(again.status, 409, "{}", again.body);
    // A browser's session, opened on one before the outage.
    let session = one.login("ana", "pw-ana-board");
    assert_eq!(two.get("/", &[("Cookie", &session)]).status, 200);
    let login_form = one.get("/login", &[]);
    // PostgreSQL stops: 503 for the board, the API and recording; /readyz fails.
    cluster.kill();
    assert_eq!(one.get("/readyz", &[]).status, 503);
    assert_eq!(one.get("/healthz", &[]).status, 200);
    assert_eq!(one.get("/api/due", &read).status, 503);
    let admin = two.get("/api/due?team=monitoring", &read);
    assert_eq!(admin.status, 503, "{}", admin.body);
    let refused = one.send(
        "POST",
        "/api/record/done",
        &record,
        r#"{"task": "track-mdvm-remediation"}"#,
    );
    assert_eq!(refused.status, 503, "{}", refused.body);
    // The sessions are in the journal's database too: a page and a login are 503 (try
    // again), not a 500 nor a way in.
    let page = one.get("/", &[("Cookie", &session)]);
    assert_eq!(page.status, 503, "{}", page.body);
    let login = one.send(
        "POST",
        "/login",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            (
                "Cookie",
                &format!(
                    "socctl-login={}",
                    login_form.cookie("socctl-login").expect("the login cookie")
                ),
            ),
            ("Origin", &one.origin()),
        ],
        &format!(
            "name=leo&password=pw-leo-board&csrf={}",
            login_form.csrf().expect("the login form's token")
        ),
    );
    assert_eq!(login.status, 503, "{}", login.body);
    // It comes back: so does the service, without restarting either server.
    cluster.restart();
    let until = Instant::now() + Duration::from_secs(60);
    while one.get("/readyz", &[]).status != 200 {
        assert!(
            Instant::now() < until,
            "not ready 60 s after PostgreSQL came back"
        );
        std::thread::sleep(Duration::from_millis(250));
    }
    let back = one.send(
        "POST",
        "/api/record/done",
        &record,
        r#"{"task": "track-mdvm-remediation"}"#,
    );
    assert_eq!(back.status, 201, "{}", back.body);
    assert_eq!(database.record_count(), 2);
    let board = two.get("/api/due?team=monitoring", &read);
    assert_eq!(board.status, 200);
    // The session opened before the outage is still valid, on either server.
    assert_eq!(two.get("/", &[("Cookie", &session)]).status, 200);
    assert_eq!(one.get("/", &[("Cookie", &session)]).status, 200);
}

#[test]
fn an_idle_session_expires() {
    let env = TestEnv::shipped();
    let server = Server::start(&env, &["--session-idle", "2s"]);
    let cookie = server.login("ana", "pw-ana-board");
    assert_eq!(server.get("/", &[("Cookie", &cookie)]).status, 200);
    std::thread::sleep(Duration::from_millis(2500));
    let page = server.get("/", &[("Cookie", &cookie)]);
    assert_eq!(page.status, 303);
    assert_eq!(page.header("location"), Some("/login"));
    let api = server.get("/api/due", &[("Cookie", &cookie)]);
    assert_eq!(api.status, 401);
    assert!(api.body.contains("not valid"), "{}", api.body);
}

#[test]
fn a_busy_session_outlives_its_idle_limit_but_not_its_maximum() {
    let env = TestEnv::shipped();
    let server = Server::start(&env, &["--session-idle", "3s", "--session-max", "6s"]);
    let before = Instant::now();
    let cookie = server.login("ana", "pw-ana-board");
    let after = Instant::now();
    // Used every second, it lives past 3 s idle: each use restarts its idle clock.
    let mut used = 0;
    while before.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_secs(1));
        if before.elapsed() >= Duration::from_secs(5) {
            break;
        }
        let page = server.get("/", &[("Cookie", &cookie)]);
        assert_eq!(page.status, 200, "used after {:?}", before.elapsed());
        used += 1;
    }
    assert!(used >= 4, "only {used} uses");
    // 6 s after the login it ends all the same, though last used a second ago.
    std::thread::sleep(
        (after + Duration::from_millis(6500)).saturating_duration_since(Instant::now()),
    );
    let page = server.get("/", &[("Cookie", &cookie)]);
    assert_eq!(page.status, 303);
    assert_eq!(page.header("location"), Some("/login"));
}

/// `socctl serve …` in `env` on its journal: exit code and standard error.
fn serve_fails(env: &TestEnv, args: &[&str], vars: &[(&str, &str)]) -> (Option<i32>, String) {
    let output = env
        .std_cmd()
        .arg("--journal")
        .arg(env.journal())
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(args)
        .envs(vars.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("running socctl serve");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn serve_needs_an_account_in_the_journal() {
    let env = TestEnv::shipped();
    let refused = |stderr: &str| {
        assert!(stderr.contains("has no accounts yet"), "{stderr}");
        assert!(
            stderr.contains("socctl user add NAME --role admin"),
            "{stderr}"
        );
    };
    // No journal at all: none is made.
    let (code, stderr) = serve_fails(&env, &[], &[]);
    assert_eq!(code, Some(2), "{stderr}");
    refused(&stderr);
    assert!(!env.journal().exists());
    // A journal with a record but no account.
    env.stdout(&[
        "--journal",
        env.journal().to_str().unwrap(),
        "done",
        "secure-score-report",
        "--by",
        "max",
    ]);
    let (code, stderr) = serve_fails(&env, &[], &[]);
    assert_eq!(code, Some(2), "{stderr}");
    refused(&stderr);
    // The plain-text accounts file is gone.
    let (code, stderr) = serve_fails(&env, &["--accounts", "accounts.json"], &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("--accounts"), "{stderr}");
}

#[test]
fn session_lengths_are_checked() {
    let env = TestEnv::shipped();
    for (args, vars, expected) in [
        (
            &["--session-idle", "soon"][..],
            &[][..],
            "`soon` is not a length of time",
        ),
        (
            &["--session-idle", "0m"],
            &[],
            "`0m` is not a length of time",
        ),
        (
            &["--session-max", "12"],
            &[],
            "`12` is not a length of time",
        ),
        (
            &["--session-max", "31d"],
            &[],
            "`31d` is longer than 30 days",
        ),
        (
            &["--session-idle", "2h", "--session-max", "1h"],
            &[],
            "--session-idle (2h) is longer than --session-max (1h)",
        ),
        // The environment stands for the options.
        (
            &[],
            &[("SOCCTL_SESSION_IDLE", "13h")],
            "--session-idle (13h) is longer than --session-max (12h)",
        ),
        (
            &[],
            &[("SOCCTL_SESSION_MAX", "1x")],
            "`1x` is not a length of time",
        ),
    ] {
        let (code, stderr) = serve_fails(&env, args, vars);
        assert_eq!(code, Some(2), "{args:?} {vars:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?} {vars:?}: {stderr}");
    }
}

/// The notify fixture with its channels' URLs in files pointing at `sink` (the server's
/// environment is cleared, so `env:` references would be unset), the webhook's at `hook`.
fn notify_env(sink: &support::http_sink::Sink, hook: &str) -> TestEnv {
    let env = TestEnv::fixture("notify");
    let root = env.root().to_owned();
    for (name, value) in [
        ("teams.url", format!("{}/teams/T", sink.url)),
        ("slack.url", format!("{}/slack/S", sink.url)),
        ("hook.url", hook.to_owned()),
        ("hook.secret", "secret".to_owned()),
    ] {
        std::fs::write(root.join(name), value).expect("a file");
    }
    // seed's calendar token names max-monitor.
    let roles = support::fixture_text("notify", "roles.yaml")
        .replace(
            "        lead: true\n",
            "        lead: true\n      - {id: max-monitor, name: Max Monitor, email: max@example.org}\n",
        )
        .replace(
            "env:NOTIFY_TEAMS_URL",
            &format!("'file:{}'", root.join("teams.url").display()),
        )
        .replace(
            "env:NOTIFY_SLACK_URL",
            &format!("'file:{}'", root.join("slack.url").display()),
        )
        .replace(
            "env:NOTIFY_HOOK_URL",
            &format!("'file:{}'", root.join("hook.url").display()),
        )
        .replace(
            "env:NOTIFY_HOOK_SECRET",
            &format!("'file:{}'", root.join("hook.secret").display()),
        );
    env.write("roles.yaml", roles);
    env
}

/// The server's log lines until `enough` of them contain `wanted`, within `limit`.
fn log_until(server: &Server, wanted: &str, enough: usize, limit: Duration) -> Vec<String> {
    let started = Instant::now();
    let mut lines = Vec::new();
    while lines
        .iter()
        .filter(|l: &&String| l.contains(wanted))
        .count()
        < enough
    {
        let left = limit.saturating_sub(started.elapsed());
        let line = server.log.recv_timeout(left).unwrap_or_else(|e| {
            panic!(
                "no {enough} × `{wanted}` within {limit:?} ({e}):\n{}",
                lines.join("\n")
            )
        });
        lines.push(line);
    }
    lines
}

#[test]
fn serve_runs_notify_on_its_own_schedule_and_each_reminder_goes_once() {
    let sink = support::http_sink::Sink::ok();
    let env = notify_env(&sink, &format!("{}/hook/H", sink.url));
    // 00:00 has passed on 2026-11-23 (SOCCTL_TODAY), so that slot runs at once; then every
    // second for every team.
    let server = Server::start(&env, &["--notify-at", "00:00", "--notify-every", "1s"]);
    let lines = log_until(&server, ", already sent ", 4, Duration::from_secs(120));
    assert_eq!(server.get("/healthz", &[]).status, 200);
    let summaries: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains(", already sent "))
        .collect();
    // The first run sends everything (due, heads-up, overdue work), every later run finds
    // it all sent.
    let count = |line: &str, word: &str| -> usize {
        line.rsplit(word)
            .next()
            .and_then(|rest| rest.split(',').next())
            .and_then(|n| n.trim().parse().ok())
            .expect("a count")
    };
    let sent = count(summaries[0], ": sent ");
    assert!(
        sent > 0 && summaries[0].ends_with(&format!("sent {sent}, already sent 0, failed 0")),
        "{summaries:?}"
    );
    for later in &summaries[1..] {
        assert!(
            later.ends_with(&format!("sent 0, already sent {sent}, failed 0")),
            "{summaries:?}"
        );
    }
    // What the webhook received: each reminder once, today's due list (triage, markup)
    // and the heads-up for Tuesday's review among them; a third of what was sent (3
    // channels).
    let mut seen = std::collections::HashMap::new();
    for request in sink.to("/hook/") {
        let body = request.json();
        for item in body["items"].as_array().expect("items") {
            let key = (
                body["kind"].as_str().expect("a kind").to_owned(),
                item["task"].as_str().expect("a task").to_owned(),
                item["occurrence"].as_str().expect("a date").to_owned(),
            );
            *seen.entry(key).or_insert(0) += 1;
        }
    }
    assert!(seen.values().all(|&n| n == 1), "{seen:?}");
    assert_eq!(seen.len() * 3, sent, "{seen:?}");
    for (kind, task, day) in [
        ("due", "triage", "2026-11-23"),
        ("due", "markup", "2026-11-23"),
        ("heads-up", "review", "2026-11-24"),
    ] {
        let key = (kind.to_owned(), task.to_owned(), day.to_owned());
        assert!(seen.contains_key(&key), "{key:?} not in {seen:?}");
    }
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("socctl: notify --team monitoring (2026-11-23 00:00): ")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("socctl: notify (every): ")),
        "{lines:?}"
    );
    // One message per kind per channel, whatever the number of runs.
    let messages = sink.to("/hook/").len();
    for channel in ["/teams/", "/slack/"] {
        assert_eq!(sink.to(channel).len(), messages, "{channel}");
    }
}

#[test]
fn a_scheduled_notify_that_hangs_is_stopped_at_its_limit_and_the_board_answers_meanwhile() {
    let sink = support::http_sink::Sink::start(|_, request| {
        if request.path.starts_with("/hook/") {
            support::http_sink::Answer::Hang(Duration::from_secs(60))
        } else {
            support::http_sink::Answer::ok()
        }
    });
    let env = notify_env(&sink, &format!("{}/hook/H", sink.url));
    let server = Server::start(&env, &["--notify-at", "00:00", "--notify-limit", "3"]);
    // While the run hangs on the webhook, the board answers.
    std::thread::sleep(Duration::from_secs(1));
    let started = Instant::now();
    assert_eq!(server.get("/healthz", &[]).status, 200);
    assert!(started.elapsed() < Duration::from_secs(2));
    let lines = log_until(
        &server,
        "did not finish within 3 s and was stopped",
        1,
        Duration::from_secs(60),
    );
    assert!(
        lines.iter().any(|l| l.starts_with(
            "socctl: notify --team monitoring (2026-11-23 00:00): did not finish within 3 s"
        )),
        "{lines:?}"
    );
    assert_eq!(server.get("/healthz", &[]).status, 200);
}

#[test]
fn serve_refuses_a_notify_schedule_it_cannot_read() {
    let env = TestEnv::shipped();
    for (args, wanted) in [
        (
            ["--notify-at", "8am"],
            "`8am` is not a time of day; write HH:MM, such as 08:00",
        ),
        (
            ["--notify-at", "25:00"],
            "`25:00` is not a time of day; write HH:MM, such as 08:00",
        ),
        (
            ["--notify-every", "often"],
            "`often` is not a length of time; write a whole number and a unit: 90s, 15m, 1h",
        ),
    ] {
        let (code, stderr) = serve_fails(&env, &args, &[]);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(wanted), "{args:?}: {stderr}");
    }
}

/// The board keeps its views between requests (docs/serve.md, "Kept views"): every way a
/// record reaches `journal` shows at the very next request of every server on it, and a
/// view answered from memory is byte for byte the CLI's.
fn a_change_shows_at_the_next_request(env: &TestEnv, journal: &std::ffi::OsStr) {
    let tokens = seed(env, journal);
    let read_bearer = Server::bearer(&tokens.read);
    let record_bearer = Server::bearer(&tokens.record);
    let one = Server::start_seeded(env, journal, tokens.clone(), &[]);
    let two = Server::start_seeded(env, journal, tokens, &[]);
    let read = [("Authorization", read_bearer.as_str())];
    let record = [
        ("Authorization", record_bearer.as_str()),
        ("Content-Type", "application/json"),
    ];
    let path = "/api/due?team=monitoring";
    let text = journal.to_str().expect("a UTF-8 journal");
    let cli = || {
        env.stdout(&[
            "--journal",
            text,
            "-f",
            "json",
            "due",
            "--team",
            "monitoring",
        ])
    };
    // (status, done_by) of `task` on `server`'s board.
    let standing = |server: &Server, task: &str| -> (Value, Value) {
        let reply = server.get(path, &read);
        assert_eq!(reply.status, 200, "{}", reply.body);
        let items = reply.json();
        let item = items
            .as_array()
            .expect("an array")
            .iter()
            .find(|i| i["task"] == task)
            .unwrap_or_else(|| panic!("{task} is not on the board: {items}"))
            .clone();
        (item["status"].clone(), item["done_by"].clone())
    };
    // The second answer comes from memory: the same bytes, the CLI's.
    for server in [&one, &two] {
        let first = server.get(path, &read).body;
        let second = server.get(path, &read).body;
        assert_eq!(first, second);
        assert_eq!(second, cli());
    }
    assert_ne!(standing(&one, "track-mdvm-remediation").0, "done");
    // Another process (the CLI) records: both servers show it at their next request.
    env.stdout(&[
        "--journal",
        text,
        "done",
        "track-mdvm-remediation",
        "--by",
        "max",
    ]);
    for server in [&one, &two] {
        assert_eq!(
            standing(server, "track-mdvm-remediation"),
            (json!("done"), json!("max"))
        );
    }
    assert_eq!(one.get(path, &read).body, cli());
    // A record through one server: it and the other show it at once.
    assert_ne!(standing(&two, "secure-score-report").0, "done");
    let done = one.send(
        "POST",
        "/api/record/done",
        &record,
        r#"{"task": "secure-score-report"}"#,
    );
    assert_eq!(done.status, 201, "{}", done.body);
    for server in [&two, &one] {
        assert_eq!(
            standing(server, "secure-score-report"),
            (json!("done"), json!("leo"))
        );
    }
    // Undone through the other: no longer done on either.
    let undone = two.send(
        "POST",
        "/api/record/undo",
        &record,
        r#"{"task": "secure-score-report"}"#,
    );
    assert_eq!(undone.status, 201, "{}", undone.body);
    for server in [&one, &two] {
        assert_ne!(standing(server, "secure-score-report").0, "done");
    }
    assert_eq!(two.get(path, &read).body, cli());
}

#[test]
fn a_record_from_anywhere_shows_at_the_next_request() {
    let env = TestEnv::shipped();
    let journal = env.journal();
    a_change_shows_at_the_next_request(&env, journal.as_os_str());
}

#[test]
#[ignore = "needs PostgreSQL: run scripts/test"]
fn a_record_from_anywhere_shows_at_the_next_request_on_postgresql() {
    let (_cluster, database) = private_postgres("serve-kept");
    let env = TestEnv::shipped();
    a_change_shows_at_the_next_request(&env, std::ffi::OsStr::new(&database.url));
}

/// The board keeps API tokens' principals between requests (docs/serve.md, "Kept
/// views"): a token revoked, or its account disabled, by another process is refused at the
/// very next request, on `journal`.
fn a_revoked_token_is_refused_at_the_next_request(env: &TestEnv, journal: &std::ffi::OsStr) {
    let tokens = seed(env, journal);
    let server = Server::start_seeded(env, journal, tokens.clone(), &[]);
    let cli = |args: &[&str]| {
        let output = env
            .std_cmd()
            .arg("--journal")
            .arg(journal)
            .args(args)
            .output()
            .expect("running socctl");
        assert!(output.status.success(), "{args:?}: {output:?}");
        output.stdout
    };
    let read_bearer = Server::bearer(&tokens.read);
    let record_bearer = Server::bearer(&tokens.record);
    let status = |bearer: &str| {
        server
            .get("/api/teams", &[("Authorization", bearer)])
            .status
    };
    let record = |task: &str| {
        server
            .send(
                "POST",
                "/api/record/done",
                &[
                    ("Authorization", record_bearer.as_str()),
                    ("Content-Type", "application/json"),
                ],
                &format!(r#"{{"task": "{task}"}}"#),
            )
            .status
    };
    for _ in 0..3 {
        assert_eq!(status(&read_bearer), 200);
    }
    let list: Value = serde_json::from_slice(&cli(&["token", "list", "--format", "json"]))
        .expect("the tokens as JSON");
    let id = list
        .as_array()
        .expect("an array of tokens")
        .iter()
        .find(|t| t["account"] == "leo" && t["scopes"] == json!(["read"]))
        .and_then(|t| t["id"].as_str())
        .unwrap_or_else(|| panic!("leo's read token in {list}"))
        .to_owned();
    cli(&["token", "revoke", &id]);
    assert_eq!(status(&read_bearer), 401);
    // The account of a token disabled (which revokes its tokens): they stop at once.
    assert_eq!(record("secure-score-report"), 201);
    assert_eq!(record("secure-score-report"), 409);
    cli(&["user", "disable", "leo"]);
    assert_eq!(record("track-mdvm-remediation"), 401);
}

#[test]
fn a_revoked_token_is_refused_at_the_next_request_on_sqlite() {
    let env = TestEnv::shipped();
    let journal = env.journal();
    a_revoked_token_is_refused_at_the_next_request(&env, journal.as_os_str());
}

#[test]
#[ignore = "needs PostgreSQL: run scripts/test"]
fn a_revoked_token_is_refused_at_the_next_request_on_postgresql() {
    let (_cluster, database) = private_postgres("serve-tokens");
    let env = TestEnv::shipped();
    a_revoked_token_is_refused_at_the_next_request(&env, std::ffi::OsStr::new(&database.url));
}

/// `bodies` posted to `/api/record/done` at `address` all at once: every connection is
/// opened first, then all are sent together. Each answer's status (0: cut off, or none)
/// and how long it took from the send.
fn posts_at_once(address: SocketAddr, bearer: &str, bodies: &[String]) -> Vec<(u16, Duration)> {
    let requests: Vec<String> = bodies
        .iter()
        .map(|body| {
            format!(
                "POST /api/record/done HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nAuthorization: {bearer}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            )
        })
        .collect();
    all_at_once(address, &requests)
        .into_iter()
        .map(|(reply, took)| (reply.status, took))
        .collect()
}

/// `requests` (whole HTTP/1.1 requests, each closing its connection) sent to `address` all
/// at once: every connection is opened first, then all are sent together. Each answer
/// (status 0: cut off, or none) and how long it took from the send; a socket waits 60 s
/// at most.
fn all_at_once(address: SocketAddr, requests: &[String]) -> Vec<(Reply, Duration)> {
    let barrier = std::sync::Barrier::new(requests.len());
    std::thread::scope(|scope| {
        let sent: Vec<_> = requests
            .iter()
            .map(|request| {
                let barrier = &barrier;
                scope.spawn(move || {
                    let connected = TcpStream::connect(address);
                    barrier.wait();
                    let mut stream = connected.expect("connecting");
                    stream
                        .set_read_timeout(Some(Duration::from_secs(60)))
                        .unwrap();
                    let sent = Instant::now();
                    let mut raw = Vec::new();
                    if stream.write_all(request.as_bytes()).is_ok() {
                        let _ = stream.read_to_end(&mut raw);
                    }
                    (Reply::parse(&raw), sent.elapsed())
                })
            })
            .collect();
        sent.into_iter()
            .map(|one| one.join().expect("a sending thread"))
            .collect()
    })
}

/// A connection kept for recording does not outlive the schema it was opened on: once a
/// newer socctl has migrated the journal, the next recording is refused as a fresh open is
/// (nothing written), and recording resumes when the schema is this socctl's again.
#[test]
#[ignore = "needs PostgreSQL: run scripts/test"]
fn a_kept_connection_refuses_a_journal_a_newer_socctl_migrated() {
    let (cluster, database) = private_postgres("serve-schema");
    let journal = std::ffi::OsStr::new(&database.url);
    let env = TestEnv::shipped();
    let tokens = seed(&env, journal);
    let bearer = Server::bearer(&tokens.record);
    let server = Server::start_seeded(&env, journal, tokens, &[]);
    let today = jiff::civil::Date::strptime("%Y-%m-%d", support::TODAY).unwrap();
    let day = |back: i64| today.checked_sub(jiff::Span::new().days(back)).unwrap();
    let post = |occurrence: jiff::civil::Date| {
        let body = format!(
            r#"{{"task": "track-mdvm-remediation", "team": "monitoring", "occurrence": "{occurrence}", "date": "{occurrence}"}}"#
        );
        request(
            server.address,
            "POST",
            "/api/record/done",
            &[
                ("Authorization", &bearer),
                ("Content-Type", "application/json"),
            ],
            &body,
        )
    };
    let recorded = |occurrence: jiff::civil::Date| -> i64 {
        database
            .connect()
            .query_one(
                "SELECT count(*) FROM socctl.records
                 WHERE task = 'track-mdvm-remediation' AND occurrence = $1::text::date",
                &[&occurrence.to_string()],
            )
            .expect("counting records")
            .get(0)
    };
    // Two recordings at once, so the server keeps connections open for the next ones.
    let first: Vec<String> = [day(1), day(2)]
        .iter()
        .map(|d| {
            format!(
                r#"{{"task": "track-mdvm-remediation", "team": "monitoring", "occurrence": "{d}", "date": "{d}"}}"#
            )
        })
        .collect();
    let statuses: Vec<u16> = posts_at_once(server.address, &bearer, &first)
        .iter()
        .map(|(status, _)| *status)
        .collect();
    assert_eq!(statuses, [201, 201]);
    // A newer socctl's migration, as another process would commit it.
    database
        .connect()
        .batch_execute("INSERT INTO socctl.schema_migrations (version) VALUES (99)")
        .expect("a newer schema");
    let refused = post(day(3));
    assert_ne!(refused.status, 201, "{}", refused.body);
    assert!(
        refused.body.contains("has journal schema 99") && refused.body.contains("upgrade socctl"),
        "{}",
        refused.body
    );
    assert_eq!(recorded(day(3)), 0);
    // Back at this socctl's schema: recording resumes without a restart.
    database
        .connect()
        .batch_execute("DELETE FROM socctl.schema_migrations WHERE version = 99")
        .expect("the schema back");
    assert_eq!(post(day(3)).status, 201);
    assert_eq!(recorded(day(3)), 1);
    drop(server);
    drop(cluster);
}

/// Many more concurrent recordings than the journal's role may open connections: each is
/// made in its turn on one of the server's few connections, so every distinct one is
/// recorded once and answered 201, and of one occurrence posted many times exactly one is
/// (the rest 409); every answer comes, in bounded time.
#[test]
#[ignore = "needs PostgreSQL: run scripts/test"]
fn many_concurrent_recordings_share_a_few_postgresql_connections() {
    let (cluster, database) = private_postgres("serve-pool");
    // A role that may hold 12 connections at once (a superuser ignores the limit): the
    // server's default 8 for recording, its directory's and its version probe's, and two
    // to spare.
    database
        .connect()
        .batch_execute(&format!(
            "CREATE ROLE pool_owner LOGIN PASSWORD 'pw-pool-owner' CONNECTION LIMIT 12;
             ALTER DATABASE {} OWNER TO pool_owner;",
            database.name
        ))
        .expect("creating the limited role");
    let (_, rest) = database.url.split_once('@').expect("a URL with a user");
    let url = format!("postgres://pool_owner:pw-pool-owner@{rest}");
    let journal = std::ffi::OsStr::new(&url);
    let env = TestEnv::shipped();
    let tokens = seed(&env, journal);
    let bearer = Server::bearer(&tokens.record);
    let read_bearer = Server::bearer(&tokens.read);
    let server = Server::start_seeded(&env, journal, tokens, &[]);
    let today = jiff::civil::Date::strptime("%Y-%m-%d", support::TODAY).unwrap();
    // 150 days of the daily track-mdvm-remediation, each done on its own day, all at once.
    let days: Vec<jiff::civil::Date> = (1..=150_i64)
        .map(|back| today.checked_sub(jiff::Span::new().days(back)).unwrap())
        .collect();
    let bodies: Vec<String> = days
        .iter()
        .map(|day| {
            format!(
                r#"{{"task": "track-mdvm-remediation", "team": "monitoring", "occurrence": "{day}", "date": "{day}"}}"#
            )
        })
        .collect();
    let answers = posts_at_once(server.address, &bearer, &bodies);
    let statuses: Vec<u16> = answers.iter().map(|(status, _)| *status).collect();
    assert!(statuses.iter().all(|&s| s == 201), "{statuses:?}");
    let slowest = answers.iter().map(|(_, took)| *took).max().unwrap();
    assert!(slowest < Duration::from_secs(30), "{slowest:?}");
    let counted = |from: &str| -> (i64, i64) {
        let row = database
            .connect()
            .query_one(
                "SELECT count(*), count(DISTINCT occurrence) FROM socctl.records
                 WHERE task = 'track-mdvm-remediation' AND action = 'done' AND occurrence >= $1::text::date",
                &[&from],
            )
            .expect("counting records");
        (row.get(0), row.get(1))
    };
    let first = days.last().unwrap().to_string();
    assert_eq!(counted(&first), (150, 150));
    // One occurrence (a day before all of those), 150 times at once: one record.
    let once = today.checked_sub(jiff::Span::new().days(200)).unwrap();
    let body = format!(
        r#"{{"task": "track-mdvm-remediation", "team": "monitoring", "occurrence": "{once}", "date": "{once}"}}"#
    );
    let answers = posts_at_once(server.address, &bearer, &vec![body; 150]);
    let mut statuses: Vec<u16> = answers.iter().map(|(status, _)| *status).collect();
    statuses.sort_unstable();
    let mut expected = vec![409; 149];
    expected.insert(0, 201);
    assert_eq!(statuses, expected);
    let slowest = answers.iter().map(|(_, took)| *took).max().unwrap();
    assert!(slowest < Duration::from_secs(30), "{slowest:?}");
    assert_eq!(counted(&once.to_string()), (151, 151));
    assert_eq!(database.record_count(), 151);
    // PostgreSQL restarts under the kept connections: once it answers again, the next
    // recordings are made on new ones, none refused for a connection it closed.
    cluster.kill();
    let read = [("Authorization", read_bearer.as_str())];
    assert_eq!(server.get("/api/due", &read).status, 503);
    cluster.restart();
    let until = Instant::now() + Duration::from_secs(60);
    while server.get("/api/due", &read).status != 200 {
        assert!(
            Instant::now() < until,
            "no board 60 s after PostgreSQL came back"
        );
        std::thread::sleep(Duration::from_millis(250));
    }
    std::thread::sleep(Duration::from_millis(1100));
    let later: Vec<String> = (201..=220_i64)
        .map(|back| {
            let day = today.checked_sub(jiff::Span::new().days(back)).unwrap();
            format!(
                r#"{{"task": "track-mdvm-remediation", "team": "monitoring", "occurrence": "{day}", "date": "{day}"}}"#
            )
        })
        .collect();
    let statuses: Vec<u16> = posts_at_once(server.address, &bearer, &later)
        .iter()
        .map(|(status, _)| *status)
        .collect();
    assert_eq!(statuses, vec![201; 20]);
    assert_eq!(database.record_count(), 171);
}

/// With one turn and the journal's records table held locked by another client, the
/// recording in its turn waits for the lock, and a second one waiting for that turn is
/// answered 503 with Retry-After after 10 s, in socctl's words, nothing recorded; the first
/// is recorded once the lock is let go.
#[test]
#[ignore = "needs PostgreSQL: run scripts/test"]
fn a_recording_that_waits_too_long_for_its_turn_is_a_503_to_retry() {
    let (_cluster, database) = private_postgres("serve-turns");
    let journal = std::ffi::OsStr::new(&database.url);
    let env = TestEnv::shipped();
    let tokens = seed(&env, journal);
    let bearer = Server::bearer(&tokens.record);
    let server = Server::start_seeded(&env, journal, tokens, &["--journal-connections", "1"]);
    let address = server.address;
    let post = |task: &str| {
        let started = Instant::now();
        let reply = request(
            address,
            "POST",
            "/api/record/done",
            &[
                ("Authorization", bearer.as_str()),
                ("Content-Type", "application/json"),
            ],
            &format!(r#"{{"task": "{task}", "team": "monitoring"}}"#),
        );
        (reply, started.elapsed())
    };
    let mut holder = database.connect();
    let mut lock = holder.transaction().expect("a transaction");
    lock.batch_execute("LOCK TABLE socctl.records IN EXCLUSIVE MODE")
        .expect("locking the records");
    std::thread::scope(|scope| {
        let first = scope.spawn(|| post("secure-score-report"));
        std::thread::sleep(Duration::from_secs(1));
        let (busy, waited) = post("update-escalation-tickets");
        assert_eq!(busy.status, 503, "{}", busy.body);
        assert_eq!(busy.header("retry-after"), Some("5"));
        assert!(
            busy.body.contains("the journal is busy: this server records 1 at a time (--journal-connections) and this recording waited 10 s without its turn; nothing recorded, try again shortly"),
            "{}",
            busy.body
        );
        assert!(
            waited >= Duration::from_secs(10) && waited < Duration::from_secs(20),
            "{waited:?}"
        );
        lock.rollback().expect("letting the lock go");
        let (done, took) = first.join().expect("the first recording");
        assert_eq!(done.status, 201, "{}", done.body);
        assert!(took < Duration::from_secs(30), "{took:?}");
    });
    assert_eq!(database.record_count(), 1);
}

#[test]
fn journal_connections_out_of_range_are_refused_in_socctls_words() {
    let env = TestEnv::shipped();
    for (given, vars) in [
        (vec!["--journal-connections", "0"], vec![]),
        (vec![], vec![("SOCCTL_JOURNAL_CONNECTIONS", "many")]),
        (vec!["--journal-connections", "257"], vec![]),
    ] {
        let (code, said) = serve_fails(&env, &given, &vars);
        assert_eq!(code, Some(2), "{said}");
        assert!(
            said.contains(
                "is not a number of journal connections; give a whole number from 1 to 256"
            ),
            "{said}"
        );
    }
}

/// What `load` returned, with the most threads process `pid` had while it ran and the
/// process's peak resident memory (`VmHWM`, KiB) after: /proc/PID/status read every 5 ms.
fn peaks_while<T>(pid: u32, load: impl FnOnce() -> T) -> (T, u64, u64) {
    let status = format!("/proc/{pid}/status");
    let field = |text: &str, name: &str| -> u64 {
        text.lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|value| value.split_whitespace().next()?.parse().ok())
            .unwrap_or_else(|| panic!("no {name} in {status}"))
    };
    let read = || std::fs::read_to_string(&status).expect("the server's /proc status");
    let done = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        let sampler = scope.spawn(|| {
            let mut most = 0;
            while !done.load(std::sync::atomic::Ordering::SeqCst) {
                most = most.max(field(&read(), "Threads:"));
                std::thread::sleep(Duration::from_millis(5));
            }
            most
        });
        let value = load();
        done.store(true, std::sync::atomic::Ordering::SeqCst);
        let threads = sampler.join().expect("the sampler");
        let text = read();
        (
            value,
            threads.max(field(&text, "Threads:")),
            field(&text, "VmHWM:"),
        )
    })
}

/// Twice the most threads a server has by docs/serve.md ("Limits under load"): its main
/// thread, one runtime worker per core, and for blocking work 8 recordings, a password
/// check per core, four other jobs per core (8 to 64) and the catalog's reload; 44 on 2
/// cores. A request on a thread of its own would be hundreds.
fn most_threads() -> u64 {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get) as u64;
    2 * (1 + cores + 8 + cores + (4 * cores).clamp(8, 64) + 1)
}

/// A flood of logins with wrong passwords, each of an unknown name of its own and from an
/// address of its own (forwarded by the trusted proxy, loopback, so the limit per address
/// does not stop them first): each costs an Argon2id check of 19 MiB. The checks take
/// turns, so the server's threads and memory stay bounded (150 checks at once would be 150
/// threads and 150 × 19 MiB = 2.8 GiB), and every login is answered in bounded time: 401,
/// or 503 with Retry-After when its turn did not come in time.
#[test]
fn a_flood_of_logins_takes_turns_for_the_password_checks() {
    let env = TestEnv::shipped();
    let server = Server::start(&env, &["--trusted-proxy", "127.0.0.1/32"]);
    let form = server.get("/login", &[]);
    let token = form.csrf().expect("the login form's token");
    let cookie = form.cookie("socctl-login").expect("the login cookie");
    let address = server.address;
    let logins: Vec<String> = (0..150_u32)
        .map(|i| {
            let body = format!("name=flood-{i}&password=wrong-{i}&csrf={token}");
            format!(
                "POST /login HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nOrigin: http://{address}\r\nCookie: socctl-login={cookie}\r\nX-Forwarded-For: 10.{}.{}.{}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
                i / 65_536,
                (i / 256) % 256,
                i % 256,
                body.len()
            )
        })
        .collect();
    let (answers, threads, peak) = peaks_while(server.child.id(), || all_at_once(address, &logins));
    for (reply, took) in &answers {
        match reply.status {
            401 => assert!(
                reply.body.contains("Wrong name or password"),
                "{}",
                reply.body
            ),
            503 => assert!(reply.header("retry-after").is_some(), "{:?}", reply.headers),
            other => panic!("a login answered {other}: {}", reply.body),
        }
        assert!(
            *took < Duration::from_secs(40),
            "a login answered after {took:?}"
        );
    }
    assert!(
        answers.iter().any(|(reply, _)| reply.status == 401),
        "no password was checked"
    );
    assert!(
        threads <= most_threads(),
        "{threads} threads during the logins, more than {}",
        most_threads()
    );
    assert!(
        peak < 512 * 1024,
        "peak resident memory {} MiB during the logins",
        peak / 1024
    );
}

/// A flood of board requests, each for a view not kept yet (a day of its own), with the
/// token checks before them: the blocking work takes turns, so the server's threads stay
/// bounded, and every answer is the one `socctl due --date DAY --format json` prints.
#[test]
fn a_flood_of_views_takes_turns_and_every_answer_is_right() {
    let env = TestEnv::shipped();
    let server = Server::start(&env, &[]);
    let journal = env.journal();
    let bearer = Server::bearer(&server.tokens.read);
    let address = server.address;
    let today = jiff::civil::Date::strptime("%Y-%m-%d", support::TODAY).unwrap();
    let days: Vec<jiff::civil::Date> = (0..200_i64)
        .map(|ahead| today.checked_add(jiff::Span::new().days(ahead)).unwrap())
        .collect();
    let gets: Vec<String> = days
        .iter()
        .map(|day| {
            format!(
                "GET /api/due?date={day} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nAuthorization: {bearer}\r\n\r\n"
            )
        })
        .collect();
    let (answers, threads, _) = peaks_while(server.child.id(), || all_at_once(address, &gets));
    for ((reply, took), day) in answers.iter().zip(&days) {
        assert_eq!(reply.status, 200, "{day}: {}", reply.body);
        assert!(
            *took < Duration::from_secs(40),
            "{day} answered after {took:?}"
        );
    }
    assert!(
        threads <= most_threads(),
        "{threads} threads during the views, more than {}",
        most_threads()
    );
    for at in [0, 99, 199] {
        let day = days[at].to_string();
        let printed = support::serve::socctl(
            &env,
            journal.as_os_str(),
            &["due", "--date", &day, "--format", "json"],
            "",
        );
        let printed: Value = serde_json::from_str(&printed).expect("due's JSON");
        assert_eq!(answers[at].0.json(), printed, "{day}");
    }
}
