//! The board's accounts, login sessions and API tokens, kept in the journal's database
//! (both stores): [`JournalDirectory`] is the [`Directory`] `socctl serve` authenticates
//! through, and what `socctl user` and `socctl token` administer.
//!
//! Nothing secret is stored. Passwords are Argon2id PHC strings (OWASP's parameters:
//! 19 MiB, 2 passes, 1 lane); a session's cookie value and a token's secret are 32 bytes
//! from the operating system's generator, stored as their SHA-256 (a slow hash adds
//! nothing to 256 random bits). Failed logins are counted in the database by one upsert
//! per attempt, so every server on a shared PostgreSQL journal sees the same count, and
//! they are counted per name tried, known or not, so neither the answer nor a lockout
//! tells which names exist.

use std::sync::{Mutex, PoisonError};

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use jiff::{SignedDuration, Timestamp};
use sha2::{Digest, Sha256};

use super::{JournalError, Location, PostgresStore, SqliteStore};
use crate::access::{
    AccessError, Account, Directory, Login, NewSession, Principal, Role, Scope, Session,
};

/// How long sessions live and when logins lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// A session unused this long ends (idle expiry).
    pub idle: SignedDuration,
    /// A session ends this long after the login, used or not (absolute expiry).
    pub absolute: SignedDuration,
    /// A session's last use is written at most this often (each write is a transaction;
    /// the idle expiry is exact to this much).
    pub refresh: SignedDuration,
    /// Failed logins of one name, within [`Policy::window`], that lock it.
    pub max_failures: u32,
    /// The window failures are counted in.
    pub window: SignedDuration,
    /// How long a lockout lasts.
    pub lockout: SignedDuration,
}

impl Default for Policy {
    /// 30 minutes idle, 12 hours at most; 5 failures in 15 minutes lock for 15 minutes.
    fn default() -> Self {
        Self {
            idle: SignedDuration::from_mins(30),
            absolute: SignedDuration::from_hours(12),
            refresh: SignedDuration::from_mins(1),
            max_failures: 5,
            window: SignedDuration::from_mins(15),
            lockout: SignedDuration::from_mins(15),
        }
    }
}

/// An account as `socctl user list` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountInfo {
    /// The account.
    pub account: Account,
    /// When it was added.
    pub created: Timestamp,
    /// When it was disabled, if it is.
    pub disabled: Option<Timestamp>,
}

/// An API token as `socctl token list` shows it (never its secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    /// The token's id.
    pub id: String,
    /// The account it acts as.
    pub account: String,
    /// Its label (`--name`).
    pub label: Option<String>,
    /// What it may be used for.
    pub scopes: Vec<Scope>,
    /// When it was made.
    pub created: Timestamp,
    /// When it stops working, if ever.
    pub expires: Option<Timestamp>,
    /// When it was revoked, if it was.
    pub revoked: Option<Timestamp>,
}

/// A token just made: its id and its secret, shown once and never again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewToken {
    /// The token's id (for `socctl token revoke`).
    pub id: String,
    /// The secret: `Authorization: Bearer SECRET`, or `?token=SECRET` for a calendar feed.
    pub secret: String,
}

/// The prefix of every token secret, so secret scanners and people recognise one.
pub const TOKEN_PREFIX: &str = "socctl_";

/// A scope as `--scope` and the database spell it: `read`, `record`, `calendar:TEAM`,
/// `calendar-person:MEMBER`, `metrics`.
pub fn scope_text(scope: &Scope) -> String {
    match scope {
        Scope::Read => "read".to_owned(),
        Scope::Record => "record".to_owned(),
        Scope::Calendar(team) => format!("calendar:{team}"),
        Scope::PersonCalendar(person) => format!("calendar-person:{person}"),
        Scope::Metrics => "metrics".to_owned(),
    }
}

/// The scope `text` spells (see [`scope_text`]), or `None`.
pub fn parse_scope(text: &str) -> Option<Scope> {
    let id = |prefix: &str| {
        text.strip_prefix(prefix)
            .filter(|id| !id.is_empty() && !id.contains(char::is_whitespace))
            .map(str::to_owned)
    };
    match text {
        "read" => Some(Scope::Read),
        "record" => Some(Scope::Record),
        "metrics" => Some(Scope::Metrics),
        _ => id("calendar:")
            .map(Scope::Calendar)
            .or_else(|| id("calendar-person:").map(Scope::PersonCalendar)),
    }
}

/// Why a login name cannot be an account's, or `None` when it can: 1 to 64 characters,
/// none of them a space or a control character (it is shown in logs, pages and headers).
pub fn invalid_name(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        Some("it is empty")
    } else if name.chars().count() > 64 {
        Some("it is longer than 64 characters")
    } else if name.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Some("it contains a space or a control character")
    } else {
        None
    }
}

/// The Argon2id hasher with OWASP's recommended parameters (m = 19 MiB, t = 2, p = 1).
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("OWASP's Argon2id parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// `password` hashed with Argon2id and a fresh salt, as a PHC string.
pub fn hash_password(password: &str) -> Result<String, AccessError> {
    hasher()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| AccessError(format!("cannot hash the password: {e}")))
}

/// Whether `password` matches the PHC string `stored` (false for a malformed one).
fn verify(password: &str, stored: &str) -> bool {
    argon2::PasswordHash::new(stored)
        .is_ok_and(|hash| hasher().verify_password(password.as_bytes(), &hash).is_ok())
}

/// A hash no password is checked against but the unknown names' ones, so a login of an
/// unknown name costs what a known one's does.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        let mut password = [0_u8; 32];
        let _ = getrandom::fill(&mut password);
        hash_password(&hex(&password)).unwrap_or_default()
    })
}

/// `bytes` random bytes from the operating system, as lowercase hex.
fn random_hex(bytes: usize) -> Result<String, AccessError> {
    let mut buffer = vec![0_u8; bytes];
    getrandom::fill(&mut buffer).map_err(|e| {
        AccessError(format!(
            "the operating system's random number generator failed: {e}"
        ))
    })?;
    Ok(hex(&buffer))
}

/// A session or token secret's stored form: its SHA-256, in hex.
pub fn secret_hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut text, byte| {
        let _ = write!(text, "{byte:02x}");
        text
    })
}

/// An account row as stored.
#[derive(Debug, Clone)]
pub(crate) struct StoredAccount {
    pub(crate) name: String,
    pub(crate) password: String,
    pub(crate) role: String,
    pub(crate) teams: String,
    pub(crate) created: Timestamp,
    pub(crate) disabled: Option<Timestamp>,
}

impl StoredAccount {
    fn account(&self) -> Result<Account, JournalError> {
        Ok(Account {
            name: self.name.clone(),
            role: Role::parse(&self.role).ok_or_else(|| {
                JournalError::Invalid(format!(
                    "account `{}` has the unknown role `{}` in the journal",
                    self.name, self.role
                ))
            })?,
            teams: self.teams.split_whitespace().map(str::to_owned).collect(),
        })
    }
}

/// A session row as stored.
#[derive(Debug, Clone)]
pub(crate) struct StoredSession {
    pub(crate) account: StoredAccount,
    pub(crate) last_seen: Timestamp,
    pub(crate) expires: Timestamp,
    pub(crate) csrf: String,
}

/// A token row as stored.
#[derive(Debug, Clone)]
pub(crate) struct StoredToken {
    pub(crate) id: String,
    pub(crate) secret_hash: String,
    pub(crate) account: String,
    pub(crate) label: Option<String>,
    pub(crate) scopes: String,
    pub(crate) created: Timestamp,
    pub(crate) expires: Option<Timestamp>,
    pub(crate) revoked: Option<Timestamp>,
}

impl StoredToken {
    fn info(&self) -> Result<TokenInfo, JournalError> {
        Ok(TokenInfo {
            id: self.id.clone(),
            account: self.account.clone(),
            label: self.label.clone(),
            scopes: self
                .scopes
                .split_whitespace()
                .map(|text| {
                    parse_scope(text).ok_or_else(|| {
                        JournalError::Invalid(format!(
                            "token {} has the unknown scope `{text}` in the journal",
                            self.id
                        ))
                    })
                })
                .collect::<Result<_, _>>()?,
            created: self.created,
            expires: self.expires,
            revoked: self.revoked,
        })
    }
}

/// The failure count of a name, as one attempt left it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Attempt {
    /// The end of the lockout in force, if any (may be in the past: no longer in force).
    pub(crate) locked_until: Option<Timestamp>,
}

/// The rows behind a [`JournalDirectory`], in each store's SQL. Every method is one
/// statement or one transaction.
pub(crate) trait AccountRows: Send {
    /// Adds an account; `false` when the name is taken.
    fn insert_account(&mut self, account: &StoredAccount) -> Result<bool, JournalError>;
    /// The account named `name`.
    fn stored_account(&mut self, name: &str) -> Result<Option<StoredAccount>, JournalError>;
    /// Every account, by name.
    fn stored_accounts(&mut self) -> Result<Vec<StoredAccount>, JournalError>;
    /// Removes an account with its sessions, tokens and failure count; `false` when none.
    fn delete_account(&mut self, name: &str) -> Result<bool, JournalError>;
    /// Replaces the password and ends the account's sessions; `false` when no account.
    fn update_password(&mut self, name: &str, password: &str) -> Result<bool, JournalError>;
    /// Disables (`Some(when)`: its sessions end, its tokens are revoked) or enables
    /// (`None`) the account; `false` when no account.
    fn update_disabled(
        &mut self,
        name: &str,
        disabled: Option<Timestamp>,
    ) -> Result<bool, JournalError>;
    /// Counts a login attempt of `name` at `now`, atomically: a lockout in force stays as
    /// it is; a window that ended (or a lockout that did) starts over at 1; else one more,
    /// and past `policy.max_failures` the name is locked until `now + policy.lockout`.
    fn count_attempt(
        &mut self,
        name: &str,
        now: Timestamp,
        policy: &Policy,
    ) -> Result<Attempt, JournalError>;
    /// A failed attempt: the name locks now when it has reached `policy.max_failures`;
    /// also forgets the counts whose window and lockout are over.
    fn count_failure(
        &mut self,
        name: &str,
        now: Timestamp,
        policy: &Policy,
    ) -> Result<Attempt, JournalError>;
    /// A successful login: the name's count starts over.
    fn clear_failures(&mut self, name: &str) -> Result<(), JournalError>;
    /// Adds a session.
    fn insert_session(
        &mut self,
        secret_hash: &str,
        account: &str,
        now: Timestamp,
        expires: Timestamp,
        csrf: &str,
    ) -> Result<(), JournalError>;
    /// The session with this hash, with its account.
    fn stored_session(&mut self, secret_hash: &str) -> Result<Option<StoredSession>, JournalError>;
    /// Sets the session's last use.
    fn touch_session(&mut self, secret_hash: &str, now: Timestamp) -> Result<(), JournalError>;
    /// Removes the session.
    fn delete_session(&mut self, secret_hash: &str) -> Result<(), JournalError>;
    /// Adds a token.
    fn insert_token(&mut self, token: &StoredToken) -> Result<(), JournalError>;
    /// The token with this hash, with its account.
    fn stored_token(
        &mut self,
        secret_hash: &str,
    ) -> Result<Option<(StoredToken, StoredAccount)>, JournalError>;
    /// Every token, oldest first.
    fn stored_tokens(&mut self) -> Result<Vec<StoredToken>, JournalError>;
    /// Revokes the token `id` at `now` (a revoked one stays as it was); `false` when none.
    fn revoke(&mut self, id: &str, now: Timestamp) -> Result<bool, JournalError>;
}

/// The [`Directory`] over the journal's database: one connection, reopened after a
/// failure (a PostgreSQL server that went away and came back serves again without a
/// restart). Password hashing runs outside the connection's lock.
pub struct JournalDirectory {
    location: Location,
    today: jiff::civil::Date,
    policy: Policy,
    rows: Mutex<Option<Box<dyn AccountRows>>>,
}

impl std::fmt::Debug for JournalDirectory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JournalDirectory")
            .field("location", &self.location.to_string())
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl JournalDirectory {
    /// The accounts in the journal at `location`, creating or upgrading its schema when
    /// needed (a new journal tracks from `today`).
    pub fn open(
        location: Location,
        today: jiff::civil::Date,
        policy: Policy,
    ) -> Result<Self, JournalError> {
        let rows = open_rows(&location, today)?;
        Ok(Self {
            location,
            today,
            policy,
            rows: Mutex::new(Some(rows)),
        })
    }

    /// The policy in force.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Runs `job` on the connection, opening one when there is none; a failure drops the
    /// connection, so the next call opens a new one.
    fn with<R>(
        &self,
        job: impl FnOnce(&mut dyn AccountRows) -> Result<R, JournalError>,
    ) -> Result<R, JournalError> {
        let mut guard = self.rows.lock().unwrap_or_else(PoisonError::into_inner);
        if guard.is_none() {
            *guard = Some(open_rows(&self.location, self.today)?);
        }
        let rows = guard.as_mut().expect("a connection was just opened");
        let result = job(rows.as_mut());
        if result.is_err() {
            *guard = None;
        }
        result
    }

    /// Adds an account with `password` (hashed here); `false` when the name is taken.
    pub fn add_account(
        &self,
        account: &Account,
        password: &str,
        now: Timestamp,
    ) -> Result<bool, JournalError> {
        let password = hash_password(password).map_err(|e| JournalError::Invalid(e.0))?;
        let stored = StoredAccount {
            name: account.name.clone(),
            password,
            role: account.role.as_str().to_owned(),
            teams: account.teams.join(" "),
            created: now,
            disabled: None,
        };
        self.with(|rows| rows.insert_account(&stored))
    }

    /// Every account, by name.
    pub fn accounts(&self) -> Result<Vec<AccountInfo>, JournalError> {
        let stored = self.with(|rows| rows.stored_accounts())?;
        stored
            .iter()
            .map(|row| {
                Ok(AccountInfo {
                    account: row.account()?,
                    created: row.created,
                    disabled: row.disabled,
                })
            })
            .collect()
    }

    /// Removes the account `name`, ending its sessions and deleting its tokens; `false`
    /// when there is none.
    pub fn remove_account(&self, name: &str) -> Result<bool, JournalError> {
        self.with(|rows| rows.delete_account(name))
    }

    /// Sets the password of `name` (hashed here) and ends its sessions; `false` when
    /// there is no such account.
    pub fn set_password(&self, name: &str, password: &str) -> Result<bool, JournalError> {
        let password = hash_password(password).map_err(|e| JournalError::Invalid(e.0))?;
        self.with(|rows| rows.update_password(name, &password))
    }

    /// Disables the account `name` at `now` (it can no longer log in; its sessions end and
    /// its tokens are revoked) or, with `None`, enables it; `false` when there is none.
    pub fn set_disabled(&self, name: &str, now: Option<Timestamp>) -> Result<bool, JournalError> {
        self.with(|rows| rows.update_disabled(name, now))
    }

    /// Makes a token for the account `account`; `None` when there is no such account.
    pub fn create_token(
        &self,
        account: &str,
        scopes: &[Scope],
        expires: Option<Timestamp>,
        label: Option<&str>,
        now: Timestamp,
    ) -> Result<Option<NewToken>, JournalError> {
        let random = |bytes| random_hex(bytes).map_err(|e| JournalError::Invalid(e.0));
        let secret = format!("{TOKEN_PREFIX}{}", random(32)?);
        let token = StoredToken {
            id: random(6)?,
            secret_hash: secret_hash(&secret),
            account: account.to_owned(),
            label: label.map(str::to_owned),
            scopes: scopes.iter().map(scope_text).collect::<Vec<_>>().join(" "),
            created: now,
            expires,
            revoked: None,
        };
        self.with(|rows| {
            if rows.stored_account(account)?.is_none() {
                return Ok(None);
            }
            rows.insert_token(&token)?;
            Ok(Some(NewToken {
                id: token.id.clone(),
                secret,
            }))
        })
    }

    /// Every token, oldest first, without secrets.
    pub fn tokens(&self) -> Result<Vec<TokenInfo>, JournalError> {
        let stored = self.with(|rows| rows.stored_tokens())?;
        stored.iter().map(StoredToken::info).collect()
    }

    /// Revokes the token `id` at `now`; `false` when there is none.
    pub fn revoke_token(&self, id: &str, now: Timestamp) -> Result<bool, JournalError> {
        self.with(|rows| rows.revoke(id, now))
    }
}

fn open_rows(
    location: &Location,
    today: jiff::civil::Date,
) -> Result<Box<dyn AccountRows>, JournalError> {
    Ok(match location {
        Location::Sqlite(path) => Box::new(SqliteStore::open_for_writing(path, today)?),
        Location::Postgres(target) => Box::new(PostgresStore::open_for_writing(target, today)?),
    })
}

#[allow(clippy::needless_pass_by_value)] // Used as `map_err(access)`.
fn access(error: JournalError) -> AccessError {
    AccessError(error.to_string())
}

impl Directory for JournalDirectory {
    fn login(&self, name: &str, password: &str, now: Timestamp) -> Result<Login, AccessError> {
        let policy = self.policy;
        if invalid_name(name).is_some() {
            // No account can have it: refused at the cost of a check, and not stored.
            let _ = verify(password, dummy_hash());
            return Ok(Login::Refused);
        }
        // Counted before the password is checked, so a burst of attempts at once cannot
        // all pass before the first failure is counted.
        let (attempt, stored) = self
            .with(|rows| {
                let attempt = rows.count_attempt(name, now, &policy)?;
                let stored = rows.stored_account(name)?;
                Ok((attempt, stored))
            })
            .map_err(access)?;
        if let Some(until) = attempt.locked_until.filter(|until| *until > now) {
            return Ok(Login::LockedUntil(until));
        }
        let accepted = match &stored {
            Some(account) => verify(password, &account.password) && account.disabled.is_none(),
            None => {
                let _ = verify(password, dummy_hash());
                false
            }
        };
        if accepted && let Some(stored) = stored {
            let account = stored.account().map_err(access)?;
            self.with(|rows| rows.clear_failures(name))
                .map_err(access)?;
            return Ok(Login::Accepted(account));
        }
        let after = self
            .with(|rows| rows.count_failure(name, now, &policy))
            .map_err(access)?;
        Ok(match after.locked_until.filter(|until| *until > now) {
            Some(until) => Login::LockedUntil(until),
            None => Login::Refused,
        })
    }

    fn open_session(&self, account: &Account, now: Timestamp) -> Result<NewSession, AccessError> {
        let secret = random_hex(32)?;
        let csrf = random_hex(32)?;
        let expires = now
            .saturating_add(self.policy.absolute)
            .map_err(|e| AccessError(e.to_string()))?;
        let hash = secret_hash(&secret);
        self.with(|rows| rows.insert_session(&hash, &account.name, now, expires, &csrf))
            .map_err(access)?;
        Ok(NewSession {
            secret,
            session: Session {
                account: account.clone(),
                csrf,
                expires,
            },
        })
    }

    fn session(&self, secret: &str, now: Timestamp) -> Result<Option<Session>, AccessError> {
        let hash = secret_hash(secret);
        let policy = self.policy;
        self.with(|rows| {
            let Some(stored) = rows.stored_session(&hash)? else {
                return Ok(None);
            };
            let idle_since = now.saturating_sub(policy.idle).unwrap_or(now);
            if stored.expires <= now
                || stored.last_seen <= idle_since
                || stored.account.disabled.is_some()
            {
                rows.delete_session(&hash)?;
                return Ok(None);
            }
            if now.duration_since(stored.last_seen) >= policy.refresh {
                rows.touch_session(&hash, now)?;
            }
            Ok(Some(Session {
                account: stored.account.account()?,
                csrf: stored.csrf,
                expires: stored.expires,
            }))
        })
        .map_err(access)
    }

    fn close_session(&self, secret: &str) -> Result<(), AccessError> {
        let hash = secret_hash(secret);
        self.with(|rows| rows.delete_session(&hash)).map_err(access)
    }

    fn token(&self, secret: &str, now: Timestamp) -> Result<Option<Principal>, AccessError> {
        if !secret.starts_with(TOKEN_PREFIX) {
            return Ok(None);
        }
        let hash = secret_hash(secret);
        let found = self.with(|rows| rows.stored_token(&hash)).map_err(access)?;
        let Some((token, account)) = found else {
            return Ok(None);
        };
        if token.revoked.is_some()
            || token.expires.is_some_and(|expires| expires <= now)
            || account.disabled.is_some()
        {
            return Ok(None);
        }
        let info = token.info().map_err(access)?;
        Ok(Some(Principal::Token {
            id: info.id,
            account: account.account().map_err(access)?,
            scopes: info.scopes,
        }))
    }

    fn account(&self, name: &str) -> Result<Option<Account>, AccessError> {
        let stored = self
            .with(|rows| rows.stored_account(name))
            .map_err(access)?;
        match stored {
            Some(stored) if stored.disabled.is_none() => {
                Ok(Some(stored.account().map_err(access)?))
            }
            _ => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_read_back_as_written() {
        for scope in [
            Scope::Read,
            Scope::Record,
            Scope::Calendar("soc".to_owned()),
            Scope::PersonCalendar("ana".to_owned()),
            Scope::Metrics,
        ] {
            assert_eq!(parse_scope(&scope_text(&scope)), Some(scope));
        }
        assert_eq!(
            parse_scope("calendar-person:max-monitor"),
            Some(Scope::PersonCalendar("max-monitor".to_owned()))
        );
        for bad in [
            "",
            "admin",
            "calendar:",
            "calendar",
            "Read",
            "Metrics",
            "metrics:x",
            "calendar:a b",
            "calendar-person:",
            "calendar-person",
            "calendar-person:a b",
        ] {
            assert_eq!(parse_scope(bad), None, "{bad}");
        }
    }

    #[test]
    fn secrets_are_stored_as_their_sha256() {
        // SHA-256 of "abc" (FIPS 180-2, appendix B.1).
        assert_eq!(
            secret_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn passwords_hash_as_argon2id_with_owasp_parameters() {
        let hash = hash_password("correct horse").expect("a hash");
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(verify("correct horse", &hash));
        assert!(!verify("correct horsf", &hash));
        assert!(!verify("correct horse", "not a PHC string"));
        // A fresh salt each time.
        assert_ne!(hash, hash_password("correct horse").expect("a hash"));
    }

    #[test]
    fn names_are_refused_with_their_reason() {
        assert_eq!(invalid_name("ana"), None);
        assert_eq!(invalid_name("ana.b@example.org"), None);
        assert!(invalid_name("").is_some());
        assert!(invalid_name("a b").is_some());
        assert!(invalid_name("a\u{1b}b").is_some());
        assert!(invalid_name(&"x".repeat(65)).is_some());
        assert_eq!(invalid_name(&"x".repeat(64)), None);
    }
}
