//! Who may use the board (`socctl serve`) and what they may do: accounts with a role and
//! teams, login sessions, and API tokens (calendar feed tokens among them).
//!
//! This module is the contract between the web front end ([`crate::serve`]) and the
//! account storage in the journal's database (both stores). The front end authenticates a
//! request through a [`Directory`] and asks [`Principal::may`] before every action; the
//! directory owns hashing (Argon2id), expiry, lockout and revocation. Every call is
//! blocking: the server calls it from a blocking task, never on the async runtime.

use jiff::Timestamp;

/// What an account may do, from least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Reads the board, the week, the task pages and the report (a wall screen).
    Viewer,
    /// Also records done and skipped for the tasks of their teams.
    Member,
    /// Also undoes records and triggers as-needed tasks for their teams.
    Lead,
    /// Everything, for every team.
    Admin,
}

impl Role {
    /// The role's name as `--role` and the database spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Viewer => "viewer",
            Self::Member => "member",
            Self::Lead => "lead",
            Self::Admin => "admin",
        }
    }

    /// The role named `name` (`viewer`, `member`, `lead`, `admin`).
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "viewer" => Some(Self::Viewer),
            "member" => Some(Self::Member),
            "lead" => Some(Self::Lead),
            "admin" => Some(Self::Admin),
            _ => None,
        }
    }
}

/// A board account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The login name.
    pub name: String,
    /// What it may do.
    pub role: Role,
    /// The teams (catalog team ids) it records for; an admin's are ignored.
    pub teams: Vec<String>,
}

/// What an API token may be used for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Read every view and the JSON API.
    Read,
    /// Record (done, skip; undo and trigger when the token's role allows) for its teams.
    Record,
    /// Read one team's calendar feed (`/calendar/TEAM.ics`) and nothing else.
    Calendar(String),
    /// Read one person's calendar feed (`/calendar/person/MEMBER.ics`, what is assigned to
    /// that member of `roles.yaml`) and nothing else.
    PersonCalendar(String),
    /// Read `/metrics` and nothing else: what a Prometheus scrape is given.
    Metrics,
}

/// Who a request comes from, once authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// A logged-in account (a session cookie, or the trusted proxy's header).
    Account(Account),
    /// An API token: acts as `account` but only within `scopes`.
    Token {
        /// The token's id (never its secret), for logs and audit.
        id: String,
        /// The account the token belongs to.
        account: Account,
        /// What the token may be used for.
        scopes: Vec<Scope>,
    },
}

/// What a request wants to do, for [`Principal::may`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Permission<'a> {
    /// Read the board, week, task, report, teams pages and their JSON.
    Read,
    /// Record done or skipped for a task of `team`.
    Record {
        /// The team of the occurrence.
        team: &'a str,
    },
    /// Undo a record, or trigger an as-needed task, for `team`.
    Lead {
        /// The team of the occurrence.
        team: &'a str,
    },
    /// Read the calendar feed of `team`.
    Calendar {
        /// The team whose feed it is.
        team: &'a str,
    },
    /// Read the calendar feed of one person (a member id of `roles.yaml`).
    PersonCalendar {
        /// The member whose feed it is.
        person: &'a str,
    },
    /// Read the Prometheus metrics (`/metrics`).
    Metrics,
    /// Administration (accounts, tokens, the catalog's diagnostics banner).
    Admin,
}

impl Principal {
    /// The account behind the principal.
    pub fn account(&self) -> &Account {
        match self {
            Self::Account(account) | Self::Token { account, .. } => account,
        }
    }

    /// Whether the principal may do `permission`: the account's role and teams decide, and
    /// a token is further limited to its scopes.
    pub fn may(&self, permission: &Permission<'_>) -> bool {
        let account = self.account();
        let of_team =
            |team: &str| account.role == Role::Admin || account.teams.iter().any(|own| own == team);
        let by_role = match permission {
            Permission::Read
            | Permission::Calendar { .. }
            | Permission::PersonCalendar { .. }
            | Permission::Metrics => true,
            Permission::Record { team } => account.role >= Role::Member && of_team(team),
            Permission::Lead { team } => account.role >= Role::Lead && of_team(team),
            Permission::Admin => account.role == Role::Admin,
        };
        let by_scope = match self {
            Self::Account(_) => true,
            Self::Token { scopes, .. } => match permission {
                Permission::Read => scopes.contains(&Scope::Read),
                Permission::Record { .. } | Permission::Lead { .. } => {
                    scopes.contains(&Scope::Record)
                }
                Permission::Calendar { team } => scopes
                    .iter()
                    .any(|scope| matches!(scope, Scope::Calendar(own) if own == team)),
                Permission::PersonCalendar { person } => scopes
                    .iter()
                    .any(|scope| matches!(scope, Scope::PersonCalendar(own) if own == person)),
                // A token that reads the board may read its counts too.
                Permission::Metrics => {
                    scopes.contains(&Scope::Metrics) || scopes.contains(&Scope::Read)
                }
                Permission::Admin => false,
            },
        };
        by_role && by_scope
    }
}

/// The outcome of a password login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Login {
    /// The password is right: here is the account.
    Accepted(Account),
    /// Unknown name or wrong password (the two are not told apart).
    Refused,
    /// Too many failures: the account is locked until then, whatever the password.
    LockedUntil(Timestamp),
}

/// A live login session, as [`Directory::session`] finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The account logged in.
    pub account: Account,
    /// The session's CSRF token, to embed in forms and compare with the one posted back.
    pub csrf: String,
    /// When the session ends at the latest (absolute expiry).
    pub expires: Timestamp,
}

/// A new session: its secret (the cookie's value, shown to nobody else and stored only
/// hashed) and the session it opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    /// The cookie value.
    pub secret: String,
    /// The session.
    pub session: Session,
}

/// Why the account storage failed (the journal's database is unreachable, …).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct AccessError(pub String);

/// Accounts, sessions and tokens, kept in the journal's database (both stores:
/// [`crate::journal::accounts::JournalDirectory`]). Implementations are shared between request handlers, so they must be
/// `Send + Sync`; every method blocks.
pub trait Directory: Send + Sync {
    /// Checks `name`'s password at `now`, counting failures towards the lockout.
    fn login(&self, name: &str, password: &str, now: Timestamp) -> Result<Login, AccessError>;

    /// Opens a new session for `account` (a new secret every time: a login never reuses
    /// the session id it came with).
    fn open_session(&self, account: &Account, now: Timestamp) -> Result<NewSession, AccessError>;

    /// The live session whose cookie value is `secret`, or `None` when unknown, ended,
    /// idle too long or past its absolute expiry; a live one's idle clock restarts at `now`.
    fn session(&self, secret: &str, now: Timestamp) -> Result<Option<Session>, AccessError>;

    /// Ends the session whose cookie value is `secret` (logout); unknown secrets are fine.
    fn close_session(&self, secret: &str) -> Result<(), AccessError>;

    /// The principal of the API token whose secret is `secret`, or `None` when unknown,
    /// revoked or expired at `now`.
    fn token(&self, secret: &str, now: Timestamp) -> Result<Option<Principal>, AccessError>;

    /// The account named `name` (for the trusted proxy's header), or `None`.
    fn account(&self, name: &str) -> Result<Option<Account>, AccessError>;
}

#[cfg(test)]
mod may_table;
