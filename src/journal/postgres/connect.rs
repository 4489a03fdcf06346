//! Reaching a PostgreSQL journal: the `postgres://` URL (with libpq's `sslmode` and
//! `sslrootcert`, set up in [`super::tls`]), the password (URL, `PGPASSWORD`, `~/.pgpass`),
//! time-outs, and errors that name the server and say what to check — never the password.

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use postgres::config::Host;

use super::pgpass;
use super::session::{Session, Stalled};
use super::tls::{self, TlsMode};
use crate::journal::JournalError;

/// How long connecting may take unless the URL says otherwise (`connect_timeout=`).
pub(crate) const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long one statement may run unless the URL's `options` set `statement_timeout`.
pub(crate) const STATEMENT_TIMEOUT: &str = "30s";

/// [`STATEMENT_TIMEOUT`] as a duration.
const STATEMENT_LIMIT: Duration = Duration::from_secs(30);

/// How long one statement of an import or copy may run: they move up to millions of rows.
pub(crate) const BULK_STATEMENT_TIMEOUT: &str = "15min";

/// [`BULK_STATEMENT_TIMEOUT`] as a duration.
const BULK_LIMIT: Duration = Duration::from_secs(15 * 60);

/// What socctl adds to a statement time-out before it stops waiting itself: the server
/// cancels a statement that runs too long and says so; this is for a server that says
/// nothing at all.
const GRACE: Duration = Duration::from_secs(5);

/// The `statement_timeout` an `options` parameter sets (`-c statement_timeout=5s`), in
/// PostgreSQL's units (milliseconds when none is given); `Some(None)` for 0, which turns
/// the server's limit off (socctl's own limits then stay the defaults).
fn statement_timeout_in(options: &str) -> Option<Result<Option<Duration>, String>> {
    let at = options.find("statement_timeout")?;
    let value = options[at + "statement_timeout".len()..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let value: String = value
        .chars()
        .take_while(|c| !c.is_whitespace())
        .filter(|c| *c != '\'' && *c != '"')
        .collect();
    let digits = value
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(value.len());
    let (number, unit) = value.split_at(digits);
    let scale_us: u64 = match unit.trim() {
        "us" => 1,
        "" | "ms" => 1_000,
        "s" => 1_000_000,
        "min" => 60_000_000,
        "h" => 3_600_000_000,
        "d" => 86_400_000_000,
        _ => u64::MAX,
    };
    let parsed = number
        .parse::<u64>()
        .ok()
        .filter(|_| scale_us != u64::MAX)
        .and_then(|n| n.checked_mul(scale_us));
    Some(match parsed {
        Some(0) => Ok(None),
        Some(us) => Ok(Some(Duration::from_micros(us))),
        None => Err(format!(
            "statement_timeout `{value}` in the URL's options is not a time socctl understands; write a whole number with us, ms, s, min, h or d (e.g. statement_timeout=30s)"
        )),
    })
}

/// Whether a `--journal` value names a PostgreSQL database rather than a SQLite file.
pub fn is_postgres_url(text: &str) -> bool {
    let lower = text.get(..13).unwrap_or(text).to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

/// What a PostgreSQL client takes from its environment, gathered by the caller: libpq's
/// variables and the home directory. The journal never reads the environment itself.
#[derive(Debug, Clone, Default)]
pub struct PgEnv {
    /// `PGSSLMODE`: the TLS mode when the URL sets none.
    pub sslmode: Option<String>,
    /// `PGSSLROOTCERT`: the root certificate file when the URL names none.
    pub sslrootcert: Option<PathBuf>,
    /// The user when the URL names none (the CLI passes `PGUSER`, else the login name).
    pub user: Option<String>,
    /// `PGPASSWORD`: the password when the URL has none.
    pub password: Option<String>,
    /// `PGPASSFILE`: the password file to read instead of `~/.pgpass`.
    pub passfile: Option<PathBuf>,
    /// The home directory, for `~/.pgpass` and `~/.postgresql/root.crt`.
    pub home: Option<PathBuf>,
}

/// A PostgreSQL journal's address, parsed and checked, ready to connect.
#[derive(Clone)]
pub struct PgTarget {
    /// The URL with any password replaced by `***`.
    shown: String,
    config: postgres::Config,
    tls: TlsMode,
    root_cert: Option<PathBuf>,
    /// Where the password came from, for the hint when it is refused.
    password_from: &'static str,
    /// A note about an ignored `.pgpass`, added to authentication errors.
    pgpass_note: Option<String>,
    /// The URL sets its own statement time-out.
    own_statement_timeout: bool,
    /// How long socctl waits for one exchange of ordinary statements.
    statement_limit: Duration,
    /// How long socctl waits for an import.
    bulk_limit: Duration,
}

impl std::fmt::Debug for PgTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

impl std::fmt::Display for PgTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

/// A `postgres://` URL cut into its user part and the rest, before any decoding.
///
/// The user part ends at the LAST `@` of the URL, so a password may hold `@ / ? # : & %`
/// unencoded (`postgres://u:a/b?c@d@host/db` is user `u`, password `a/b?c@d`); a `@` after
/// the host (in the database name or a parameter) must then be written `%40`. The one
/// exception keeps URLs without a user part working: when the text before the last `@`
/// has no `:` but a `/`, `?` or `#`, that `@` belongs to the path or the parameters.
/// The user name is everything before the first `:` of the user part.
#[derive(Debug, PartialEq, Eq)]
struct UrlParts<'a> {
    /// `postgres` or `postgresql`, as written.
    scheme: &'a str,
    /// The user name, still percent-encoded.
    user: Option<&'a str>,
    /// The password, still percent-encoded.
    password: Option<&'a str>,
    /// `host[:port][/database][?parameters]`.
    rest: &'a str,
}

fn split_url(url: &str) -> Option<UrlParts<'_>> {
    let (scheme, after) = url.split_once("://")?;
    // A `password=` parameter ends the search: its value may hold a raw `@` too.
    let searched = &after[..password_parameter_start(after).unwrap_or(after.len())];
    let user_info = searched.rfind('@').and_then(|at| {
        let candidate = &after[..at];
        if !candidate.contains(':') && candidate.contains(['/', '?', '#']) {
            let boundary = candidate.find(['/', '?', '#']).unwrap_or(at);
            after[..boundary].rfind('@')
        } else {
            Some(at)
        }
    });
    Some(match user_info {
        Some(at) => {
            let (user, password) = match after[..at].split_once(':') {
                Some((user, password)) => (user, Some(password)),
                None => (&after[..at], None),
            };
            UrlParts {
                scheme,
                user: Some(user),
                password,
                rest: &after[at + 1..],
            }
        }
        None => UrlParts {
            scheme,
            user: None,
            password: None,
            rest: after,
        },
    })
}

/// Where a `?password=` or `&password=` parameter starts in `after` (the URL after `://`),
/// if one follows a complete `host/database` (a `/` after the text's last `@`).
fn password_parameter_start(after: &str) -> Option<usize> {
    let lower = after.to_ascii_lowercase();
    lower
        .match_indices("password=")
        .map(|(at, _)| at)
        .filter(|&at| at > 0 && matches!(lower.as_bytes()[at - 1], b'?' | b'&'))
        .find(|&at| {
            let before = &after[..at - 1];
            before[before.rfind('@').map_or(0, |i| i + 1)..].contains('/')
        })
}

/// The `key=value` parameters of a URL, in order. A `password=` value runs on over any
/// following `&` pieces that are not `key=value` pairs, so an unencoded `&` in it stays
/// part of the password rather than becoming a parameter named after the rest of it.
fn parameters(query: &str) -> Vec<(&str, Option<&str>)> {
    // Each parameter as (key, where its value starts in `query`, where it ends).
    let mut found: Vec<(&str, Option<(usize, usize)>)> = Vec::new();
    let mut start = 0;
    for piece in query.split('&') {
        let end = start + piece.len();
        match found.last_mut() {
            Some((key, Some((_, value_end))))
                if key.eq_ignore_ascii_case("password") && !piece.contains('=') =>
            {
                *value_end = end;
            }
            _ => found.push(match piece.split_once('=') {
                Some((key, _)) => (key, Some((start + key.len() + 1, end))),
                None => (piece, None),
            }),
        }
        start = end + 1;
    }
    found
        .into_iter()
        .map(|(key, value)| (key, value.map(|(from, to)| &query[from..to])))
        .collect()
}

/// The URL with the password (in the user part or a `password=` parameter) hidden.
pub fn redact(url: &str) -> String {
    let Some(parts) = split_url(url) else {
        return url.to_owned();
    };
    let mut shown = format!("{}://", parts.scheme);
    if let Some(user) = parts.user {
        shown.push_str(user);
        if parts.password.is_some() {
            shown.push_str(":***");
        }
        shown.push('@');
    }
    let (main, query) = parts
        .rest
        .split_once('?')
        .map_or((parts.rest, None), |(m, q)| (m, Some(q)));
    shown.push_str(main);
    if let Some(query) = query {
        let shown_parameters: Vec<String> = parameters(query)
            .into_iter()
            .map(|(key, value)| match value {
                Some(_) if key.eq_ignore_ascii_case("password") => format!("{key}=***"),
                Some(value) => format!("{key}={value}"),
                None => key.to_owned(),
            })
            .collect();
        shown.push('?');
        shown.push_str(&shown_parameters.join("&"));
    }
    shown
}

fn percent_decode(text: &str) -> String {
    String::from_utf8_lossy(&crate::codec::percent_decode(text)).into_owned()
}

impl PgTarget {
    /// Parses a `postgres://user[:password]@host[:port]/database[?parameters]` URL, with
    /// `env` for what the URL leaves out.
    pub fn parse(url: &str, env: &PgEnv) -> Result<Self, JournalError> {
        let shown = redact(url);
        let bad = |reason: String| JournalError::Postgres {
            journal: shown.clone(),
            reason,
        };
        let parts = split_url(url).ok_or_else(|| {
            bad("is not a URL; write postgres://user@host:port/database".to_owned())
        })?;
        let (main, query) = parts
            .rest
            .split_once('?')
            .map_or((parts.rest, None), |(m, q)| (m, Some(q)));
        // libpq's defaults: PGSSLMODE and PGSSLROOTCERT, then ~/.postgresql/root.crt.
        let mut mode = env.sslmode.clone();
        let mut root_cert = env.sslrootcert.clone().or_else(|| {
            env.home
                .as_ref()
                .map(|home| home.join(".postgresql").join("root.crt"))
                .filter(|path| path.is_file())
        });
        let mut passed = Vec::new();
        let mut password_parameter = None;
        let mut statement_limit = None;
        for (key, value) in query.map(parameters).unwrap_or_default() {
            match (key, value) {
                ("sslmode", value) => mode = Some(percent_decode(value.unwrap_or_default())),
                ("sslrootcert", value) => {
                    root_cert = Some(PathBuf::from(percent_decode(value.unwrap_or_default())));
                }
                ("password", Some(value)) => {
                    password_parameter = Some(crate::codec::percent_decode(value));
                }
                (key, Some(value)) => {
                    if key == "options" {
                        statement_limit = statement_timeout_in(&percent_decode(value))
                            .transpose()
                            .map_err(bad)?;
                    }
                    passed.push(format!("{key}={value}"));
                }
                (key, None) => passed.push(key.to_owned()),
            }
        }
        let tls = match mode.as_deref() {
            None => TlsMode::Prefer,
            Some(mode) => TlsMode::from_sslmode(mode).ok_or_else(|| {
                bad(format!(
                    "unknown sslmode `{mode}`; use disable, prefer, require, verify-ca or verify-full"
                ))
            })?,
        };
        let own_statement_timeout = statement_limit.is_some();
        let statement_limit = statement_limit.flatten();
        let mut rebuilt = format!("{}://{main}", parts.scheme);
        if !passed.is_empty() {
            rebuilt.push('?');
            rebuilt.push_str(&passed.join("&"));
        }
        let mut config = postgres::Config::from_str(&rebuilt)
            .map_err(|e| bad(format!("not a usable PostgreSQL URL: {e}")))?;
        if config.get_hosts().is_empty() {
            return Err(bad(
                "the URL names no host; write postgres://user@host:port/database".to_owned(),
            ));
        }
        if config.get_dbname().is_none() {
            return Err(bad(
                "the URL names no database; write postgres://user@host:port/database".to_owned(),
            ));
        }
        if let Some(user) = parts.user.filter(|user| !user.is_empty()) {
            config.user(&percent_decode(user));
        }
        if let Some(password) = parts
            .password
            .map(crate::codec::percent_decode)
            .or(password_parameter)
        {
            config.password(password);
        }
        if config.get_user().is_none()
            && let Some(user) = &env.user
        {
            config.user(user);
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        config.application_name("socctl");
        config.ssl_mode(match tls {
            TlsMode::Disable => postgres::config::SslMode::Disable,
            TlsMode::Prefer => postgres::config::SslMode::Prefer,
            _ => postgres::config::SslMode::Require,
        });
        let mut target = Self {
            shown,
            config,
            tls,
            root_cert,
            password_from: "the URL",
            pgpass_note: None,
            own_statement_timeout,
            statement_limit: statement_limit.unwrap_or(STATEMENT_LIMIT),
            bulk_limit: statement_limit.unwrap_or(BULK_LIMIT),
        };
        target.find_password(env);
        Ok(target)
    }

    /// Fills in the password from `PGPASSWORD` or the password file when the URL has none.
    fn find_password(&mut self, env: &PgEnv) {
        if self.config.get_password().is_some() {
            return;
        }
        if let Some(password) = &env.password {
            self.config.password(password);
            self.password_from = "PGPASSWORD";
            return;
        }
        self.password_from = "none (no password in the URL, PGPASSWORD or ~/.pgpass)";
        let Some(file) = pgpass::location(env) else {
            return;
        };
        let host = self.host();
        let (user, database) = (
            self.config.get_user().unwrap_or_default().to_owned(),
            self.config.get_dbname().unwrap_or_default().to_owned(),
        );
        match pgpass::lookup(&file, &host, self.port(), &database, &user) {
            pgpass::Lookup::Found(password) => {
                self.config.password(password);
                self.password_from = "the password file";
            }
            pgpass::Lookup::NotFound => {}
            pgpass::Lookup::Ignored(note) => self.pgpass_note = Some(note),
        }
    }

    /// The (first) host, as the URL names it.
    pub fn host(&self) -> String {
        match self.config.get_hosts().first() {
            Some(Host::Tcp(name)) => name.clone(),
            #[cfg(unix)]
            Some(Host::Unix(path)) => path.display().to_string(),
            None => "localhost".to_owned(),
        }
    }

    /// The (first) port.
    pub fn port(&self) -> u16 {
        self.config.get_ports().first().copied().unwrap_or(5432)
    }

    fn error(&self, reason: String) -> JournalError {
        JournalError::Postgres {
            journal: self.shown.clone(),
            reason,
        }
    }

    /// Connects, with TLS as `sslmode` asks, and sets the statement time-out, all within
    /// the connect time-out; the connection is then driven through a [`Session`], which
    /// gives up on a server that stops answering.
    pub(crate) fn connect(&self) -> Result<Session, JournalError> {
        let tls_config =
            tls::client_config(self.tls, self.root_cert.as_deref()).map_err(|e| self.error(e))?;
        let tls = tokio_postgres_rustls::MakeRustlsConnect::new(tls_config);
        // The client's connect_timeout bounds only the TCP connect; like libpq's, ours bounds
        // the whole start-up (TLS, authentication, the first SET), so a server that accepts
        // and then says nothing cannot hang socctl. The abandoned attempt ends with the
        // process.
        let limit = self.connect_limit();
        let (sender, receiver) = std::sync::mpsc::channel();
        let config = self.config.clone();
        let set_timeout = (!self.own_statement_timeout)
            .then(|| format!("SET statement_timeout = '{STATEMENT_TIMEOUT}'"));
        std::thread::spawn(move || {
            let connected = config.connect(tls).map(|mut client| {
                let set = set_timeout.map_or(Ok(()), |sql| client.batch_execute(&sql));
                (client, set)
            });
            let _ = sender.send(connected);
        });
        match receiver.recv_timeout(limit) {
            Ok(Ok((client, Ok(())))) => Ok(Session::start(client)),
            Ok(Ok((_, Err(e)))) => Err(self.query_error(&e)),
            Ok(Err(e)) => Err(self.connect_error(&e)),
            Err(_) => Err(self.error(format!(
                "PostgreSQL at {}:{} did not answer within the connect time-out ({}); check that the server runs and that the host and port are right (connect_timeout= in the URL sets the time-out)",
                self.host(),
                self.port(),
                seconds(limit)
            ))),
        }
    }

    /// How long connecting may take.
    fn connect_limit(&self) -> Duration {
        self.config
            .get_connect_timeout()
            .copied()
            .unwrap_or(CONNECT_TIMEOUT)
    }

    /// How long socctl waits for one exchange of ordinary statements (a read, or one
    /// recording's transaction): the statement time-out and a grace period.
    pub(crate) fn statement_limit(&self) -> Duration {
        self.statement_limit + GRACE
    }

    /// How long socctl waits for a whole import: the bulk statement time-out and a grace
    /// period.
    pub(crate) fn bulk_limit(&self) -> Duration {
        self.bulk_limit + GRACE
    }

    /// Whether the URL sets its own statement time-out (which then governs imports too).
    pub(crate) fn own_statement_timeout(&self) -> bool {
        self.own_statement_timeout
    }

    /// The error for an exchange the server did not finish within `limit`.
    pub(crate) fn stalled(&self, stalled: &Stalled, limit: Duration) -> JournalError {
        self.error(match stalled {
            Stalled::Timeout => format!(
                "PostgreSQL at {}:{} stopped answering: no reply within {} (the statement time-out and {} s of grace; statement_timeout in the URL's options sets it); the server did not confirm the transaction, so it is either all there or not there at all (running the command again is safe)",
                self.host(),
                self.port(),
                seconds(limit),
                GRACE.as_secs()
            ),
            Stalled::Failed => format!(
                "the connection to PostgreSQL at {}:{} failed inside socctl; nothing more was sent",
                self.host(),
                self.port()
            ),
        })
    }

    /// An error while connecting, with what to check.
    fn connect_error(&self, error: &postgres::Error) -> JournalError {
        let at = format!("{}:{}", self.host(), self.port());
        let user = self.config.get_user().unwrap_or_default();
        let database = self.config.get_dbname().unwrap_or_default();
        let detail = chain(error);
        if let Some(db) = error.as_db_error() {
            let code = db.code().code();
            let reason = if code.starts_with("28") {
                let mut text = format!(
                    "PostgreSQL at {at} refused user `{user}`: {}; check the password (taken from {}); socctl reads it from the URL, PGPASSWORD or ~/.pgpass (PGPASSFILE)",
                    db.message(),
                    self.password_from
                );
                if let Some(note) = &self.pgpass_note {
                    text.push_str("; ");
                    text.push_str(note);
                }
                text
            } else if code == "3D000" {
                format!(
                    "the database `{database}` does not exist on {at}; create it first (e.g. `createdb -h {} -p {} {database}`)",
                    self.host(),
                    self.port()
                )
            } else {
                format!("PostgreSQL at {at} refused the connection: {detail}")
            };
            return self.error(reason);
        }
        let lower = detail.to_lowercase();
        let reason = if lower.contains("password missing") {
            format!(
                "PostgreSQL at {at} asks for a password and none was found; put it in PGPASSWORD or ~/.pgpass (PGPASSFILE){}",
                self.pgpass_note
                    .as_ref()
                    .map(|n| format!("; {n}"))
                    .unwrap_or_default()
            )
        } else if lower.contains("certificate")
            || lower.contains("tls")
            || lower.contains("ssl")
            || lower.contains("handshake")
        {
            format!(
                "TLS with PostgreSQL at {at} failed: {detail}; check sslmode, sslrootcert and that the host name matches the server certificate"
            )
        } else if lower.contains("timed out") || lower.contains("timeout") {
            format!(
                "PostgreSQL at {at} did not answer within {} s: {detail}; check that the server runs and that the host and port are right",
                self.config
                    .get_connect_timeout()
                    .map_or(0, Duration::as_secs)
            )
        } else {
            format!(
                "cannot reach PostgreSQL at {at}: {detail}; check that the server runs and that the host and port are right"
            )
        };
        self.error(reason)
    }

    /// The connection broke while sending data.
    pub(crate) fn lost(&self, error: &dyn std::error::Error) -> JournalError {
        self.error(format!(
            "lost the connection to PostgreSQL at {}:{}: {}; the server did not confirm the transaction, so it is either all there or not there at all (running the command again is safe)",
            self.host(),
            self.port(),
            chain(error)
        ))
    }

    /// An error from a statement on an open connection.
    pub(crate) fn query_error(&self, error: &postgres::Error) -> JournalError {
        let at = format!("{}:{}", self.host(), self.port());
        let mut io = false;
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            io |= cause.is::<std::io::Error>();
            source = cause.source();
        }
        let reason = if error.is_closed() || io {
            format!(
                "lost the connection to PostgreSQL at {at}: {}; the server did not confirm the transaction, so it is either all there or not there at all (running the command again is safe)",
                chain(error)
            )
        } else if error.code() == Some(&postgres::error::SqlState::QUERY_CANCELED) {
            format!(
                "PostgreSQL at {at} cancelled a statement that ran too long ({}); nothing of it was committed",
                chain(error)
            )
        } else {
            format!("PostgreSQL at {at}: {}", chain(error))
        };
        let failure = self.error(reason);
        // The server went away or a statement waited past its time-out (a lock held too
        // long): the journal could not be read now, though nothing is wrong in it.
        if io || unreachable(error) {
            failure.unavailable()
        } else {
            failure
        }
    }
}

/// Whether `error` says the server went away or a statement waited past its time-out.
fn unreachable(error: &postgres::Error) -> bool {
    use postgres::error::SqlState;
    error.is_closed()
        || error.code().is_some_and(|code| {
            [
                SqlState::QUERY_CANCELED,
                SqlState::LOCK_NOT_AVAILABLE,
                SqlState::ADMIN_SHUTDOWN,
                SqlState::CRASH_SHUTDOWN,
                SqlState::CANNOT_CONNECT_NOW,
            ]
            .contains(code)
        })
}

/// A duration for messages: `2 s`, `1.5 s`, `15 min`.
fn seconds(limit: Duration) -> String {
    let millis = limit.as_millis();
    if millis.is_multiple_of(60_000) && millis >= 60_000 {
        format!("{} min", millis / 60_000)
    } else if millis.is_multiple_of(1000) {
        format!("{} s", millis / 1000)
    } else {
        format!("{:.1} s", limit.as_secs_f64())
    }
}

/// The error and its causes, on one line.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    impl PgTarget {
        /// Parses `url` in an empty environment.
        fn parse_default(url: &str) -> Result<Self, JournalError> {
            Self::parse(url, &PgEnv::default())
        }
    }

    #[test]
    fn passwords_never_show() {
        let cases = [
            (
                "postgres://alice:s3cr%40t@db.example:5433/journal?sslmode=require",
                "postgres://alice:***@db.example:5433/journal?sslmode=require",
            ),
            (
                "postgresql://bob@db/j?password=hunter2&sslmode=disable",
                "postgresql://bob@db/j?password=***&sslmode=disable",
            ),
            ("postgres://db/j", "postgres://db/j"),
            ("postgres://u:p:q@h/d", "postgres://u:***@h/d"),
            (
                "postgres://user:Ab/Cd?Ef@host/db",
                "postgres://user:***@host/db",
            ),
            ("postgres://u:a@b@host/db", "postgres://u:***@host/db"),
            (
                "postgres://u@h/d?password=a&b&sslmode=disable",
                "postgres://u@h/d?password=***&sslmode=disable",
            ),
        ];
        for (url, shown) in cases {
            assert_eq!(redact(url), shown);
        }
    }

    /// Passwords holding every character a URL gives a meaning to, written raw and
    /// percent-encoded: the password is found whole and never shown.
    #[test]
    fn special_characters_in_passwords_are_parsed_and_hidden() {
        let passwords = [
            "Ab/Cd?Ef", "a@b", "a@b@c", "p#q", "50%", "x:y:z", "a&b", "/?#@%:&", "%41%",
        ];
        for password in passwords {
            let encoded: String = password
                .bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect();
            let mut urls = vec![
                (
                    format!("postgres://alice:{encoded}@db.example:5433/journal?sslmode=disable"),
                    "user part, encoded",
                ),
                (
                    format!(
                        "postgres://bob@db.example:5433/journal?password={encoded}&sslmode=disable"
                    ),
                    "parameter, encoded",
                ),
            ];
            // `%` followed by two hex digits is an escape, so `%41%` written raw is `A%`.
            if !password.contains("%41") {
                urls.push((
                    format!("postgres://alice:{password}@db.example:5433/journal?sslmode=disable"),
                    "user part, raw",
                ));
            }
            if !password.contains("%41") {
                urls.push((
                    format!(
                        "postgres://bob@db.example:5433/journal?password={password}&sslmode=disable"
                    ),
                    "parameter, raw",
                ));
            }
            for (url, how) in urls {
                let target =
                    PgTarget::parse_default(&url).unwrap_or_else(|e| panic!("{how}: {url}: {e}"));
                assert_eq!(
                    target.config.get_password(),
                    Some(password.as_bytes()),
                    "{how}: {url}"
                );
                assert_eq!(target.host(), "db.example", "{how}: {url}");
                assert_eq!(target.port(), 5433, "{how}: {url}");
                assert_eq!(target.config.get_dbname(), Some("journal"), "{how}: {url}");
                assert_eq!(target.tls, TlsMode::Disable, "{how}: {url}");
                let shown = target.to_string();
                let user = if url.contains("alice") {
                    "alice:***@"
                } else {
                    "bob@"
                };
                assert!(
                    shown.starts_with(&format!("postgres://{user}db.example:5433/journal?")),
                    "{how}: {shown}"
                );
                for form in [password, encoded.as_str()] {
                    assert!(!shown.contains(form), "{how}: {url} shown as {shown}");
                }
            }
        }
    }

    #[test]
    fn the_user_part_ends_at_the_last_at_sign() {
        let parts = |url| split_url(url).map(|p| (p.user, p.password, p.rest));
        assert_eq!(
            parts("postgres://u:a/b?c@d@host/db"),
            Some((Some("u"), Some("a/b?c@d"), "host/db"))
        );
        assert_eq!(parts("postgres://u@h/d"), Some((Some("u"), None, "h/d")));
        // No user part: a `@` in the parameters stays there.
        assert_eq!(
            parts("postgres://h/d?sslrootcert=/a@b/ca.pem"),
            Some((None, None, "h/d?sslrootcert=/a@b/ca.pem"))
        );
        assert_eq!(
            parts("postgres://u@h/d?sslrootcert=/a@b/ca.pem"),
            Some((Some("u"), None, "h/d?sslrootcert=/a@b/ca.pem"))
        );
        assert_eq!(parts("postgres://h/d"), Some((None, None, "h/d")));
    }

    #[test]
    fn statement_timeouts_in_options_set_the_limits() {
        for (options, expected) in [
            (
                "-c statement_timeout=2s",
                Some(Ok(Some(Duration::from_secs(2)))),
            ),
            (
                "-c statement_timeout=1500",
                Some(Ok(Some(Duration::from_millis(1500)))),
            ),
            (
                "-c statement_timeout=2min -c x=y",
                Some(Ok(Some(Duration::from_secs(120)))),
            ),
            ("-c statement_timeout=0", Some(Ok(None))),
            ("-c search_path=x", None),
        ] {
            assert_eq!(statement_timeout_in(options), expected, "{options}");
        }
        assert!(matches!(
            statement_timeout_in("-c statement_timeout=soon"),
            Some(Err(_))
        ));
        let target = PgTarget::parse_default(
            "postgres://u:p@h/d?options=-c%20statement_timeout%3D2s&connect_timeout=1",
        )
        .unwrap();
        assert_eq!(target.statement_limit(), Duration::from_secs(2) + GRACE);
        assert_eq!(target.bulk_limit(), Duration::from_secs(2) + GRACE);
        assert!(target.own_statement_timeout());
        let defaulted = PgTarget::parse_default("postgres://u:p@h/d").unwrap();
        assert_eq!(defaulted.statement_limit(), STATEMENT_LIMIT + GRACE);
        assert_eq!(defaulted.bulk_limit(), BULK_LIMIT + GRACE);
        let error = PgTarget::parse_default(
            "postgres://u:secret@h/d?options=-c%20statement_timeout%3Dsoon",
        )
        .unwrap_err()
        .to_string();
        assert!(error.contains("statement_timeout `soon`"), "{error}");
        assert!(!error.contains("secret"), "{error}");
    }

    #[test]
    fn urls_are_parsed_with_libpq_tls_modes() {
        let target =
            PgTarget::parse_default("postgres://alice:pw@db.example:5433/journal?sslmode=verify-full&sslrootcert=%2Ftmp%2Fca.pem&connect_timeout=3")
                .unwrap();
        assert_eq!(target.host(), "db.example");
        assert_eq!(target.port(), 5433);
        assert_eq!(target.tls, TlsMode::VerifyFull);
        assert_eq!(target.root_cert, Some(PathBuf::from("/tmp/ca.pem")));
        assert_eq!(
            target.config.get_connect_timeout(),
            Some(&Duration::from_secs(3))
        );
        assert_eq!(target.config.get_password(), Some(&b"pw"[..]));
        assert!(!target.to_string().contains("pw@"));
        let defaulted = PgTarget::parse_default("postgres://alice:pw@db/journal").unwrap();
        assert_eq!(defaulted.tls, TlsMode::Prefer);
        assert_eq!(defaulted.port(), 5432);
        assert_eq!(
            defaulted.config.get_connect_timeout(),
            Some(&CONNECT_TIMEOUT)
        );
        for (url, message) in [
            ("postgres://h/j?sslmode=maybe", "unknown sslmode `maybe`"),
            ("postgres://u:secret@/j", "names no host"),
            ("postgres://u:secret@h", "names no database"),
        ] {
            let error = PgTarget::parse_default(url).unwrap_err().to_string();
            assert!(error.contains(message), "{url}: {error}");
            assert!(!error.contains("secret"), "{error}");
        }
    }

    #[test]
    fn only_postgres_urls_select_postgres() {
        for (text, expected) in [
            ("postgres://h/d", true),
            ("PostgreSQL://h/d", true),
            ("journal.db", false),
            ("./postgres://x", false),
            ("/var/lib/postgres.db", false),
        ] {
            assert_eq!(is_postgres_url(text), expected, "{text}");
        }
    }
}
