//! A running `socctl serve` for the tests that drive one (tests/serve.rs,
//! tests/serve_browser.rs): accounts made in the test's journal by the real commands, as an
//! administrator would, and the server started on a loopback port chosen by the system,
//! its address read from its first line.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

use super::TestEnv;

/// How long the server may take to start in a debug build on a busy machine.
pub(crate) const START: Duration = Duration::from_secs(30);

/// Runs `socctl --journal JOURNAL ARGS` in `env` with `stdin` as its standard input; its
/// standard output. A failure fails the test with socctl's message.
pub(crate) fn socctl(env: &TestEnv, journal: &OsStr, args: &[&str], stdin: &str) -> String {
    let mut child = env
        .std_cmd()
        .arg("--journal")
        .arg(journal)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting socctl");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("writing to socctl");
    let output = child.wait_with_output().expect("running socctl");
    assert!(
        output.status.success(),
        "socctl {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// The records of `journal`, as `socctl history -f json` lists them (an array).
pub(crate) fn history(env: &TestEnv, journal: &OsStr) -> Value {
    let text = socctl(env, journal, &["history", "-f", "json"], "");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("history is not JSON ({e}): {text}"))
}

/// Adds the account `name` to `journal`: `socctl user add NAME --role ROLE [--team T]…
/// --password-stdin`. The one place the tests know how accounts are made.
pub(crate) fn add_account(
    env: &TestEnv,
    journal: &OsStr,
    name: &str,
    role: &str,
    teams: &[&str],
    password: &str,
) {
    let mut args = vec!["user", "add", name, "--role", role, "--password-stdin"];
    for team in teams {
        args.extend(["--team", team]);
    }
    socctl(env, journal, &args, &format!("{password}\n"));
}

/// A running `socctl serve`, killed when dropped.
pub(crate) struct Served {
    /// The process.
    pub(crate) child: Child,
    /// Where it listens.
    pub(crate) address: SocketAddr,
    /// Its standard error after the first line, as it comes.
    pub(crate) log: mpsc::Receiver<String>,
}

impl Served {
    /// Starts `socctl --journal JOURNAL serve --listen 127.0.0.1:0 EXTRA…` in `env` and
    /// waits for it to say where it serves (http or https).
    pub(crate) fn start(env: &TestEnv, journal: &OsStr, extra: &[&str]) -> Self {
        let mut child = env
            .std_cmd()
            .arg("--journal")
            .arg(journal)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starting socctl serve");
        let stderr = child.stderr.take().expect("stderr");
        let (sender, log) = mpsc::channel();
        std::thread::spawn(move || {
            // Read to the end even when nobody listens any more: a closed pipe would kill
            // the server at its next message.
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                let _ = sender.send(line);
            }
        });
        let first = log.recv_timeout(START).unwrap_or_else(|_| {
            let _ = child.kill();
            panic!("socctl serve did not start within {START:?}")
        });
        let address = first
            .strip_prefix("socctl: serving the board on http://")
            .or_else(|| first.strip_prefix("socctl: serving the board on https://"))
            .and_then(|rest| rest.strip_suffix('/'))
            .unwrap_or_else(|| panic!("unexpected first line: {first}"))
            .parse()
            .expect("an address");
        Self {
            child,
            address,
            log,
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
