//! A [`Directory`] held in memory, seeded from a JSON accounts file: for tests and
//! demonstrations of `socctl serve` (`--accounts FILE`). Its sessions end with the process;
//! the journal's directory is the one for production.
//!
//! The file holds plain-text passwords and token secrets, so it is for throwaway
//! set-ups only; the comparison is constant-time all the same.

use std::collections::HashMap;
use std::sync::Mutex;

use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;

use super::{AccessError, Account, Directory, Login, NewSession, Principal, Role, Scope, Session};

/// How long a session lives without a request.
pub const IDLE: SignedDuration = SignedDuration::from_mins(30);
/// How long a session lives at most.
pub const ABSOLUTE: SignedDuration = SignedDuration::from_hours(12);
/// Failed logins before an account locks.
pub const LOCK_AFTER: u32 = 5;
/// How long a locked account stays locked.
pub const LOCKED_FOR: SignedDuration = SignedDuration::from_mins(15);

/// The accounts file: accounts with their passwords, and API tokens.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    /// The accounts.
    #[serde(default)]
    pub accounts: Vec<SeedAccount>,
    /// The API tokens.
    #[serde(default)]
    pub tokens: Vec<SeedToken>,
    /// How long a session lives without a request, in seconds [default: 30 minutes].
    #[serde(default)]
    pub session_idle_seconds: Option<u64>,
    /// How long a session lives at most, in seconds [default: 12 hours].
    #[serde(default)]
    pub session_seconds: Option<u64>,
}

/// One account of the accounts file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedAccount {
    /// The login name.
    pub name: String,
    /// `viewer`, `member`, `lead` or `admin`.
    pub role: String,
    /// The account's teams.
    #[serde(default)]
    pub teams: Vec<String>,
    /// The password.
    pub password: String,
}

/// One API token of the accounts file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedToken {
    /// The token's id.
    pub id: String,
    /// The secret a client presents.
    pub secret: String,
    /// The account it acts as.
    pub account: String,
    /// `read`, `record`, `calendar:TEAM`.
    pub scopes: Vec<String>,
    /// When it stops working, if ever.
    #[serde(default)]
    pub expires: Option<Timestamp>,
}

struct Stored {
    account: Account,
    password: String,
    failures: u32,
    locked_until: Option<Timestamp>,
}

struct Token {
    id: String,
    account: String,
    scopes: Vec<Scope>,
    expires: Option<Timestamp>,
}

struct Live {
    account: String,
    csrf: String,
    opened: Timestamp,
    last: Timestamp,
}

#[derive(Default)]
struct Inner {
    accounts: HashMap<String, Stored>,
    tokens: HashMap<String, Token>,
    sessions: HashMap<String, Live>,
}

/// Accounts, sessions and tokens in memory.
pub struct MemoryDirectory {
    inner: Mutex<Inner>,
    idle: SignedDuration,
    absolute: SignedDuration,
}

impl Default for MemoryDirectory {
    fn default() -> Self {
        Self {
            inner: Mutex::default(),
            idle: IDLE,
            absolute: ABSOLUTE,
        }
    }
}

/// Equal strings, compared in time that depends on their lengths only.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A fresh random secret (two v4 UUIDs: 244 random bits).
fn secret() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

impl MemoryDirectory {
    /// A directory holding `seed`'s accounts and tokens; a bad role or scope is refused,
    /// naming it.
    pub fn new(seed: Seed) -> Result<Self, AccessError> {
        let seconds = |s: u64| SignedDuration::from_secs(s.min(i64::MAX as u64) as i64);
        let directory = Self {
            idle: seed.session_idle_seconds.map_or(IDLE, seconds),
            absolute: seed.session_seconds.map_or(ABSOLUTE, seconds),
            ..Self::default()
        };
        for account in seed.accounts {
            let role = Role::parse(&account.role).ok_or_else(|| {
                AccessError(format!(
                    "account `{}`: `{}` is not a role; use viewer, member, lead or admin",
                    account.name, account.role
                ))
            })?;
            directory.add(
                Account {
                    name: account.name,
                    role,
                    teams: account.teams,
                },
                &account.password,
            );
        }
        for token in seed.tokens {
            let scopes = token
                .scopes
                .iter()
                .map(|scope| match scope.as_str() {
                    "read" => Ok(Scope::Read),
                    "record" => Ok(Scope::Record),
                    other => other
                        .strip_prefix("calendar:")
                        .map(|team| Scope::Calendar(team.to_owned()))
                        .ok_or_else(|| {
                            AccessError(format!(
                                "token `{}`: `{other}` is not a scope; use read, record or calendar:TEAM",
                                token.id
                            ))
                        }),
                })
                .collect::<Result<Vec<_>, _>>()?;
            directory.add_token(
                &token.id,
                &token.secret,
                &token.account,
                scopes,
                token.expires,
            );
        }
        Ok(directory)
    }

    /// The directory of the accounts file at `path` (JSON, see [`Seed`]).
    pub fn from_file(path: &std::path::Path) -> Result<Self, AccessError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| AccessError(format!("cannot read {}: {e}", path.display())))?;
        let seed: Seed = serde_json::from_str(&text).map_err(|e| {
            AccessError(format!(
                "{}: not an accounts file ({e}); see docs/serve.md",
                path.display()
            ))
        })?;
        Self::new(seed)
    }

    /// Adds (or replaces) `account` with `password`.
    pub fn add(&self, account: Account, password: &str) {
        let mut inner = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        inner.accounts.insert(
            account.name.clone(),
            Stored {
                account,
                password: password.to_owned(),
                failures: 0,
                locked_until: None,
            },
        );
    }

    /// Adds an API token of `account` with `scopes`.
    pub fn add_token(
        &self,
        id: &str,
        secret: &str,
        account: &str,
        scopes: Vec<Scope>,
        expires: Option<Timestamp>,
    ) {
        let mut inner = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        inner.tokens.insert(
            secret.to_owned(),
            Token {
                id: id.to_owned(),
                account: account.to_owned(),
                scopes,
                expires,
            },
        );
    }
}

impl Directory for MemoryDirectory {
    fn login(&self, name: &str, password: &str, now: Timestamp) -> Result<Login, AccessError> {
        let mut inner = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let Some(stored) = inner.accounts.get_mut(name) else {
            return Ok(Login::Refused);
        };
        if let Some(until) = stored.locked_until.filter(|until| *until > now) {
            return Ok(Login::LockedUntil(until));
        }
        if same(&stored.password, password) {
            stored.failures = 0;
            stored.locked_until = None;
            return Ok(Login::Accepted(stored.account.clone()));
        }
        stored.failures += 1;
        if stored.failures >= LOCK_AFTER {
            stored.failures = 0;
            let until = now + LOCKED_FOR;
            stored.locked_until = Some(until);
            return Ok(Login::LockedUntil(until));
        }
        Ok(Login::Refused)
    }

    fn open_session(&self, account: &Account, now: Timestamp) -> Result<NewSession, AccessError> {
        let mut inner = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let new = NewSession {
            secret: secret(),
            session: Session {
                account: account.clone(),
                csrf: secret(),
                expires: now + self.absolute,
            },
        };
        inner.sessions.insert(
            new.secret.clone(),
            Live {
                account: account.name.clone(),
                csrf: new.session.csrf.clone(),
                opened: now,
                last: now,
            },
        );
        Ok(new)
    }

    fn session(&self, secret: &str, now: Timestamp) -> Result<Option<Session>, AccessError> {
        let mut inner = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let Some(live) = inner.sessions.get_mut(secret) else {
            return Ok(None);
        };
        if now >= live.opened + self.absolute || now >= live.last + self.idle {
            inner.sessions.remove(secret);
            return Ok(None);
        }
        live.last = now;
        let (name, csrf, opened) = (live.account.clone(), live.csrf.clone(), live.opened);
        Ok(inner.accounts.get(&name).map(|stored| Session {
            account: stored.account.clone(),
            csrf,
            expires: opened + self.absolute,
        }))
    }

    fn close_session(&self, secret: &str) -> Result<(), AccessError> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .sessions
            .remove(secret);
        Ok(())
    }

    fn token(&self, secret: &str, now: Timestamp) -> Result<Option<Principal>, AccessError> {
        let inner = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let Some(token) = inner.tokens.get(secret) else {
            return Ok(None);
        };
        if token.expires.is_some_and(|expires| expires <= now) {
            return Ok(None);
        }
        Ok(inner
            .accounts
            .get(&token.account)
            .map(|stored| Principal::Token {
                id: token.id.clone(),
                account: stored.account.clone(),
                scopes: token.scopes.clone(),
            }))
    }

    fn account(&self, name: &str) -> Result<Option<Account>, AccessError> {
        Ok(self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .accounts
            .get(name)
            .map(|stored| stored.account.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ana() -> Account {
        Account {
            name: "ana".into(),
            role: Role::Member,
            teams: vec!["ops".into()],
        }
    }

    #[test]
    fn sessions_expire_when_idle_and_at_the_latest() {
        let directory = MemoryDirectory::default();
        directory.add(ana(), "pw");
        let t0: Timestamp = "2026-11-23T08:00:00Z".parse().unwrap();
        let one = directory.open_session(&ana(), t0).unwrap();
        let two = directory.open_session(&ana(), t0).unwrap();
        assert_ne!(one.secret, two.secret);
        // 29 minutes apart keeps it alive; 30 minutes idle ends it.
        let t29 = t0 + SignedDuration::from_mins(29);
        assert!(directory.session(&one.secret, t29).unwrap().is_some());
        assert!(
            directory
                .session(&one.secret, t29 + SignedDuration::from_mins(30))
                .unwrap()
                .is_none()
        );
        // Kept busy, it still ends 12 hours after login.
        let mut t = t0;
        while t < t0 + SignedDuration::from_hours(12) - SignedDuration::from_mins(20) {
            t += SignedDuration::from_mins(20);
            assert!(directory.session(&two.secret, t).unwrap().is_some());
        }
        let end = t0 + SignedDuration::from_hours(12);
        assert!(directory.session(&two.secret, end).unwrap().is_none());
    }

    #[test]
    fn five_failures_lock_the_account_even_for_the_right_password() {
        let directory = MemoryDirectory::default();
        directory.add(ana(), "pw");
        let t0: Timestamp = "2026-11-23T08:00:00Z".parse().unwrap();
        for _ in 0..4 {
            assert_eq!(directory.login("ana", "no", t0).unwrap(), Login::Refused);
        }
        let until = t0 + SignedDuration::from_mins(15);
        assert_eq!(
            directory.login("ana", "no", t0).unwrap(),
            Login::LockedUntil(until)
        );
        assert_eq!(
            directory.login("ana", "pw", t0).unwrap(),
            Login::LockedUntil(until)
        );
        assert_eq!(
            directory.login("ana", "pw", until).unwrap(),
            Login::Accepted(ana())
        );
    }
}
