//! Reaching a PostgreSQL journal: the `postgres://` URL (with libpq's `sslmode` and
//! `sslrootcert`, set up in [`super::tls`]), the password (URL, `PGPASSWORD`, `~/.pgpass`),
//! time-outs, and errors that name the server and say what to check — never the password.

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use postgres::config::Host;

use super::pgpass;
use super::tls::{self, TlsMode};
use crate::journal::JournalError;

/// How long connecting may take unless the URL says otherwise (`connect_timeout=`).
pub(crate) const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long one statement may run unless the URL's `options` set `statement_timeout`.
pub(crate) const STATEMENT_TIMEOUT: &str = "30s";

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

/// The URL with the password (in the user part or a `password=` parameter) hidden.
pub fn redact(url: &str) -> String {
    let (main, query) = url
        .split_once('?')
        .map_or((url, None), |(m, q)| (m, Some(q)));
    let mut shown = match main.split_once("://") {
        Some((scheme, rest)) => {
            let (authority, path) = rest.find('/').map_or((rest, ""), |i| rest.split_at(i));
            let authority = match authority.rsplit_once('@') {
                Some((user_info, host)) => match user_info.split_once(':') {
                    Some((user, _)) => format!("{user}:***@{host}"),
                    None => format!("{user_info}@{host}"),
                },
                None => authority.to_owned(),
            };
            format!("{scheme}://{authority}{path}")
        }
        None => main.to_owned(),
    };
    if let Some(query) = query {
        let parameters: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}=***"),
                _ => pair.to_owned(),
            })
            .collect();
        shown.push('?');
        shown.push_str(&parameters.join("&"));
    }
    shown
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = text.get(i + 1..i + 3)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
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
        let (main, query) = url
            .split_once('?')
            .map_or((url, None), |(m, q)| (m, Some(q)));
        // libpq's defaults: PGSSLMODE and PGSSLROOTCERT, then ~/.postgresql/root.crt.
        let mut mode = env.sslmode.clone();
        let mut root_cert = env.sslrootcert.clone().or_else(|| {
            env.home
                .as_ref()
                .map(|home| home.join(".postgresql").join("root.crt"))
                .filter(|path| path.is_file())
        });
        let mut passed = Vec::new();
        for pair in query.into_iter().flat_map(|q| q.split('&')) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            match key {
                "sslmode" => mode = Some(percent_decode(value)),
                "sslrootcert" => root_cert = Some(PathBuf::from(percent_decode(value))),
                _ => passed.push(pair),
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
        let own_statement_timeout = passed
            .iter()
            .any(|pair| pair.starts_with("options=") && pair.contains("statement_timeout"));
        let rebuilt = if passed.is_empty() {
            main.to_owned()
        } else {
            format!("{main}?{}", passed.join("&"))
        };
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

    /// Connects, with TLS as `sslmode` asks, and sets the statement time-out.
    pub(crate) fn connect(&self) -> Result<postgres::Client, JournalError> {
        let tls_config =
            tls::client_config(self.tls, self.root_cert.as_deref()).map_err(|e| self.error(e))?;
        let tls = tokio_postgres_rustls::MakeRustlsConnect::new(tls_config);
        // The client's connect_timeout bounds only the TCP connect; like libpq's, ours bounds
        // the whole start-up (TLS, authentication), so a server that accepts and then says
        // nothing cannot hang socctl. The abandoned attempt ends with the process.
        let limit = self
            .config
            .get_connect_timeout()
            .copied()
            .unwrap_or(CONNECT_TIMEOUT);
        let (sender, receiver) = std::sync::mpsc::channel();
        let config = self.config.clone();
        std::thread::spawn(move || {
            let _ = sender.send(config.connect(tls));
        });
        let mut client = match receiver.recv_timeout(limit) {
            Ok(connected) => connected.map_err(|e| self.connect_error(&e))?,
            Err(_) => {
                return Err(self.error(format!(
                    "PostgreSQL at {}:{} did not answer within the connect time-out ({} s); check that the server runs and that the host and port are right (connect_timeout= in the URL sets the time-out)",
                    self.host(),
                    self.port(),
                    limit.as_secs()
                )));
            }
        };
        if !self.own_statement_timeout {
            client
                .batch_execute(&format!("SET statement_timeout = '{STATEMENT_TIMEOUT}'"))
                .map_err(|e| self.query_error(&e))?;
        }
        Ok(client)
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
        self.error(reason)
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
        ];
        for (url, shown) in cases {
            assert_eq!(redact(url), shown);
        }
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
