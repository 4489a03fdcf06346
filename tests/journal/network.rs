//! A PostgreSQL journal over a hostile network: passwords with every character a URL gives
//! a meaning to are never shown, and a server that stops answering (after authentication,
//! during a query, during a COPY) ends the command within its limit, with nothing half
//! written. The stalls come from a loopback proxy in this file that forwards to the test
//! server and stops forwarding at a chosen moment.

use std::io::{BufWriter, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::process::Output;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;

use super::env::Journaled;
use crate::support::postgres::{self, Database};

/// The characters a URL gives a meaning to, each in a password (and all of them at once).
const PASSWORDS: &[&str] = &[
    "Ab/Cd?Ef",
    "p@ss@word",
    "h#sh#",
    "50%off",
    "c:o:l:on",
    "amp&ersand",
    "al/?#@%:&l",
];

/// `text` with every byte but letters and digits percent-encoded.
fn encoded(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// `host:port` of the test server.
fn host_port(url: &str) -> String {
    let after = url.rsplit_once('@').map_or(url, |(_, rest)| rest);
    after.split('/').next().expect("a host").to_owned()
}

/// A login role with `password` owning a fresh database; dropped with the value (after
/// the database, which must go first).
struct Role {
    name: String,
    database: Option<Database>,
}

impl Role {
    fn new(password: &str) -> Self {
        static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let name = format!(
            "socctl_role_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let server = postgres::server();
        let database = server.database();
        let mut admin = server.connect("postgres");
        admin
            .batch_execute(&format!(
                "CREATE ROLE {name} LOGIN PASSWORD '{}'; ALTER DATABASE {} OWNER TO {name};",
                password.replace('\'', "''"),
                database.name
            ))
            .expect("creating the role");
        Self {
            name,
            database: Some(database),
        }
    }

    /// The role's URL for its database, with the password as written by `form`.
    fn url(&self, password_as_written: &str) -> String {
        let database = self.database.as_ref().expect("the database");
        format!(
            "postgres://{}:{password_as_written}@{}/{}",
            self.name,
            host_port(&database.url),
            database.name
        )
    }
}

impl Drop for Role {
    fn drop(&mut self) {
        drop(self.database.take());
        let mut admin = postgres::server().connect("postgres");
        let _ = admin.batch_execute(&format!("DROP ROLE IF EXISTS {}", self.name));
    }
}

/// Every form of `password` that must not show: as is, percent-encoded (upper and lower
/// case hex).
fn forms(password: &str) -> Vec<String> {
    let upper = encoded(password);
    let lower = upper.to_lowercase();
    vec![password.to_owned(), upper, lower]
}

/// Fails when stdout or stderr of `output` holds any form of `password`.
fn assert_hidden(output: &Output, password: &str, what: &str) {
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    for form in forms(password) {
        if form.chars().any(|c| !c.is_ascii_alphanumeric()) || form == password {
            assert!(!text.contains(&form), "{what} shows `{form}`:\n{text}");
        }
    }
}

#[test]
#[ignore = "needs PostgreSQL: run scripts/test"]
fn passwords_with_url_characters_log_in_and_never_show() {
    for password in PASSWORDS {
        let role = Role::new(password);
        let encoded_url = role.url(&encoded(password));
        let raw_url = role.url(password);
        let param_url = format!(
            "{}?password={}",
            role.url("").replace(":@", "@"),
            encoded(password)
        );
        let j = Journaled::shipped();
        let sqlite = j.root().join("copy.db");
        let sqlite = sqlite.to_str().expect("UTF-8");
        for (url, how, task) in [
            (&encoded_url, "encoded", "secure-score-report"),
            (&raw_url, "raw", "track-mdvm-remediation"),
            (
                &param_url,
                "password= parameter",
                "update-escalation-tickets",
            ),
        ] {
            for args in [
                &["done", task, "--all-teams"][..],
                &["due"],
                &["journal", "info"],
                &["journal", "copy", "--from", url, "--to", sqlite],
                &["journal", "copy", "--from", sqlite, "--to", url],
            ] {
                let output = j
                    .std_cmd("2026-11-23")
                    .env("SOCCTL_JOURNAL", url)
                    .args(args)
                    .output()
                    .expect("running socctl");
                let what = format!("{password} ({how}): {args:?}");
                assert!(
                    output.status.success(),
                    "{what}: {}",
                    String::from_utf8_lossy(&output.stderr)
                );
                assert_hidden(&output, password, &what);
            }
            // Error paths: a wrong password (the right one with more after it), a closed
            // port, a database that does not exist.
            let closed = {
                let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
                listener.local_addr().expect("an address").port()
            };
            let server = host_port(url);
            for (bad, why) in [
                (
                    url.replacen(&format!("{}:", role.name), &format!("{}:X", role.name), 1)
                        .replacen("?password=", "?password=X", 1),
                    "wrong password",
                ),
                (
                    url.replace(&server, &format!("127.0.0.1:{closed}")),
                    "closed port",
                ),
                (
                    url.replace(
                        &format!("/{}", role.database.as_ref().expect("db").name),
                        "/nosuchdb",
                    ),
                    "no database",
                ),
            ] {
                for args in [
                    &["done", "secure-score-report"][..],
                    &["due"],
                    &["journal", "info"],
                ] {
                    let output = j
                        .std_cmd("2026-11-23")
                        .env("SOCCTL_JOURNAL", &bad)
                        .args(args)
                        .output()
                        .expect("running socctl");
                    let what = format!("{password} ({how}, {why}): {args:?}");
                    assert_eq!(
                        output.status.code(),
                        Some(unreachable_exit(args)),
                        "{what}: {output:?}"
                    );
                    assert_hidden(&output, password, &what);
                    assert_hidden(&output, &format!("X{password}"), &what);
                }
            }
        }
        assert_eq!(
            postgres::connect(&role.database.as_ref().expect("db").url)
                .query_one("SELECT count(*) FROM socctl.records", &[])
                .expect("counting")
                .get::<_, i64>(0),
            3,
            "{password}: the three URLs reach one journal"
        );
    }
}

/// A proxy on loopback that forwards to `upstream` until the client has sent `marker` and
/// then `after` more bytes; from then on it forwards nothing either way but keeps every
/// connection open, like a paused server. Dropping it closes everything.
struct StallingProxy {
    port: u16,
    stalled: Arc<AtomicBool>,
    closing: Arc<AtomicBool>,
    sockets: Arc<Mutex<Vec<TcpStream>>>,
}

impl StallingProxy {
    fn start(upstream: String, marker: &'static [u8], after: usize) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        let port = listener.local_addr().expect("an address").port();
        let stalled = Arc::new(AtomicBool::new(false));
        let closing = Arc::new(AtomicBool::new(false));
        let sockets = Arc::new(Mutex::new(Vec::new()));
        let (flag, done, kept) = (stalled.clone(), closing.clone(), sockets.clone());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                if done.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(client) = client else { continue };
                let server = TcpStream::connect(&upstream).expect("reaching the test server");
                {
                    let mut kept = kept.lock().expect("the sockets");
                    kept.push(client.try_clone().expect("a socket"));
                    kept.push(server.try_clone().expect("a socket"));
                }
                let to_server = (
                    client.try_clone().expect("a socket"),
                    server.try_clone().expect("a socket"),
                );
                let (flag_up, flag_down, done_up, done_down) =
                    (flag.clone(), flag.clone(), done.clone(), done.clone());
                std::thread::spawn(move || {
                    pump(
                        to_server.0,
                        to_server.1,
                        Some((marker, after)),
                        &flag_up,
                        &done_up,
                    );
                });
                std::thread::spawn(move || pump(server, client, None, &flag_down, &done_down));
            }
        });
        Self {
            port,
            stalled,
            closing,
            sockets,
        }
    }

    fn stalled(&self) -> bool {
        self.stalled.load(Ordering::SeqCst)
    }
}

/// Copies `from` to `to` until the stall (which `trigger` sets off once `marker` and
/// `after` bytes more have passed), then holds on to both until the proxy closes.
fn pump(
    mut from: TcpStream,
    mut to: TcpStream,
    trigger: Option<(&[u8], usize)>,
    stalled: &AtomicBool,
    closing: &AtomicBool,
) {
    let mut stream: Vec<u8> = Vec::new();
    let mut stop_at: Option<usize> = None;
    let mut forwarded = 0;
    let mut buffer = [0u8; 16 * 1024];
    while !stalled.load(Ordering::SeqCst) {
        let read = match from.read(&mut buffer) {
            Ok(0) | Err(_) => {
                let _ = to.shutdown(Shutdown::Write);
                return;
            }
            Ok(read) => read,
        };
        if stalled.load(Ordering::SeqCst) {
            break;
        }
        let mut allowed = read;
        if let Some((marker, after)) = trigger {
            if stop_at.is_none() {
                let from_here = stream.len().saturating_sub(marker.len());
                stream.extend_from_slice(&buffer[..read]);
                stop_at = stream[from_here..]
                    .windows(marker.len())
                    .position(|window| window == marker)
                    .map(|at| from_here + at + marker.len() + after);
            }
            if let Some(stop) = stop_at {
                allowed = read.min(stop - forwarded.min(stop));
            }
        }
        if to.write_all(&buffer[..allowed]).is_err() {
            return;
        }
        forwarded += allowed;
        if stop_at.is_some_and(|stop| forwarded >= stop) {
            stalled.store(true, Ordering::SeqCst);
        }
    }
    while !closing.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(20));
    }
}

impl Drop for StallingProxy {
    fn drop(&mut self) {
        self.closing.store(true, Ordering::SeqCst);
        for socket in self.sockets.lock().expect("the sockets").iter() {
            let _ = socket.shutdown(Shutdown::Both);
        }
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// The journal's URL through `proxy`, with a statement time-out of 2 s (so socctl's own
/// limit is 2 s + 5 s) and a connect time-out of 3 s.
fn through(database: &Database, proxy: &StallingProxy) -> String {
    let url = database.url.replace(
        &host_port(&database.url),
        &format!("127.0.0.1:{}", proxy.port),
    );
    format!("{url}?connect_timeout=3&options=-c%20statement_timeout%3D2s")
}

/// Runs `args` with `SOCCTL_JOURNAL=url`, killing socctl after a minute (a hang fails the
/// test instead of the suite); the output and how long it took.
fn timed(j: &Journaled, url: &str, args: &[&str]) -> (Output, Duration) {
    let started = Instant::now();
    let mut child = j
        .std_cmd("2026-11-23")
        .env("SOCCTL_JOURNAL", url)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("running socctl");
    while child.try_wait().expect("polling socctl").is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!(
                "socctl {args:?} still running after 60 s: {:?}",
                child.wait_with_output()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let elapsed = started.elapsed();
    (
        child.wait_with_output().expect("waiting for socctl"),
        elapsed,
    )
}

/// The exit of a command whose journal cannot be reached: a checklist (`due`, `week`,
/// `plan`, `mail`) still goes out without statuses and exits 4 (degraded); anything else
/// fails with 1.
fn unreachable_exit(args: &[&str]) -> i32 {
    if matches!(args.first(), Some(&("due" | "week" | "plan" | "mail"))) {
        4
    } else {
        1
    }
}

/// socctl gave up at its own limit (7 s: not before the server's 2 s plus most of the
/// grace, and well before a minute) with `exit`, saying the server stopped answering.
fn assert_gave_up(output: &Output, elapsed: Duration, what: &str, exit: i32) {
    let message = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(exit), "{what}: {message}");
    assert!(
        elapsed >= Duration::from_secs(6) && elapsed < Duration::from_secs(20),
        "{what}: gave up after {elapsed:?}: {message}"
    );
    assert!(message.contains("stopped answering"), "{what}: {message}");
    assert!(
        message.contains("7 s"),
        "{what}: names the limit: {message}"
    );
    assert!(message.contains("socctl: "), "{what}: {message}");
}

#[test]
#[ignore = "needs PostgreSQL: run scripts/test"]
fn a_server_that_stops_answering_after_authentication_ends_the_command_in_time() {
    let database = postgres::server().database();
    let upstream = host_port(&database.url);
    let j = Journaled::on(database);
    for args in [
        &["done", "secure-score-report"][..],
        &["due"],
        &["journal", "info"],
    ] {
        // The first query after start-up is socctl's look for its schema.
        let proxy = StallingProxy::start(upstream.clone(), b"to_regnamespace", 0);
        let url = through(j.database.as_ref().expect("a database"), &proxy);
        let (output, elapsed) = timed(&j, &url, args);
        assert!(
            proxy.stalled(),
            "{args:?}: the proxy never stalled: {output:?}"
        );
        assert_gave_up(
            &output,
            elapsed,
            &format!("{args:?}"),
            unreachable_exit(args),
        );
    }
    assert!(!j.database.as_ref().expect("a database").has_journal());
}

#[test]
#[ignore = "needs PostgreSQL: run scripts/test"]
fn a_server_that_stops_answering_during_a_recording_leaves_nothing() {
    let database = postgres::server().database();
    let upstream = host_port(&database.url);
    let j = Journaled::on(database);
    j.ok("2026-11-23", &["done", "track-mdvm-remediation"]);
    let proxy = StallingProxy::start(upstream, b"INSERT INTO socctl.settlements", 0);
    let url = through(j.database.as_ref().expect("a database"), &proxy);
    let (output, elapsed) = timed(&j, &url, &["done", "secure-score-report"]);
    assert!(proxy.stalled(), "the proxy never stalled: {output:?}");
    assert_gave_up(&output, elapsed, "done", 1);
    drop(proxy);
    // The transaction was open when the proxy closed: the server rolled it back.
    assert_eq!(j.stored_records(), 1);
    j.ok("2026-11-23", &["done", "secure-score-report"]);
    assert_eq!(j.stored_records(), 2);
}

#[test]
#[ignore = "needs PostgreSQL: run scripts/test"]
fn a_server_that_stops_answering_during_a_copy_ends_the_import_with_nothing_written() {
    const RECORDS: usize = 20_000;
    let database = postgres::server().database();
    let upstream = host_port(&database.url);
    let j = Journaled::on(database);
    j.ok("2026-11-23", &["done", "track-mdvm-remediation"]);
    let file = j.root().join("bulk.jsonl");
    {
        let mut out = BufWriter::new(std::fs::File::create(&file).expect("creating the file"));
        // Eight tasks a day over 2,500 days: every record settles an occurrence of its own
        // (an import refuses a second `done` of one), every id a UUID.
        let tasks = crate::support::SHIPPED_TASKS;
        for n in 0..RECORDS {
            let day = super::env::day("2020-01-01")
                .checked_add(jiff::Span::new().days(i64::try_from(n / 8).expect("small")))
                .expect("a date")
                .to_string();
            let line = json!({"id": crate::support::uuid_for(&format!("stall-{n:06}")), "task": tasks[n % 8],
                "occurrence": day, "action": "done", "on": day, "by": "bulk",
                "recorded_at": format!("{day}T08:00:00Z")});
            writeln!(out, "{line}").expect("writing the file");
        }
        out.flush().expect("writing the file");
    }
    // Part of the COPY data goes through, then nothing.
    let proxy = StallingProxy::start(upstream, b"COPY socctl_import", 300_000);
    let url = through(j.database.as_ref().expect("a database"), &proxy);
    let (output, elapsed) = timed(
        &j,
        &url,
        &["journal", "import", file.to_str().expect("UTF-8")],
    );
    assert!(proxy.stalled(), "the proxy never stalled: {output:?}");
    assert_gave_up(&output, elapsed, "journal import", 1);
    drop(proxy);
    assert_eq!(j.stored_records(), 1, "nothing of the import was written");
}
