//! The completion journal: what was done, skipped or triggered, by whom and when.
//!
//! Records are appended, never rewritten; `undo` appends a retraction. Every record names
//! its occurrence by task id and due date, so records made on different machines for the
//! same occurrence are recognised as the same. Storage sits behind [`Store`]; SQLite
//! ([`SqliteStore`]) is the default, PostgreSQL ([`PostgresStore`]) one journal shared by
//! a whole SOC. [`Location`] tells them apart from the `--journal` value; [`exchange`] is the
//! export file that moves records between journals.

pub mod accounts;
mod cover;
pub mod exchange;
mod location;
mod notifications;
mod postgres;
mod record;
mod sqlite;

pub use cover::{CoverKind, CoverRecord, batch_clashes, cover_clash};
pub use location::Location;
pub use notifications::{Claim, Delivery, NotificationKey, NotificationState};
pub use postgres::{PG_SCHEMA_VERSION, PgEnv, PgTarget, PostgresStore, is_postgres_url, redact};
pub use record::{Action, Record};
pub use sqlite::{SCHEMA_VERSION, SqliteStore};

use jiff::civil::Date;

/// Why the journal could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// The file exists but is not a journal (not SQLite, or another program's database).
    #[error("{path} is not a socctl journal ({reason}); it was left unchanged")]
    NotAJournal {
        /// The file.
        path: String,
        /// What SQLite said.
        reason: String,
    },
    /// The journal was written by a newer socctl.
    #[error(
        "{path} has journal schema {found}, but this socctl knows schema {known} at most; upgrade socctl (the file was left unchanged)"
    )]
    TooNew {
        /// The file.
        path: String,
        /// Its schema version.
        found: i64,
        /// The newest version this socctl knows.
        known: i64,
    },
    /// The journal was written by an older socctl: the first recording command upgrades it.
    #[error(
        "{path} has journal schema {found}; record something (e.g. `socctl done`) to upgrade it to {known}"
    )]
    Outdated {
        /// The file or URL.
        path: String,
        /// Its schema version.
        found: i64,
        /// The version this socctl upgrades it to.
        known: i64,
    },
    /// The journal cannot be written (read-only file or directory, full disk, …).
    #[error("cannot write the journal {path}: {reason}")]
    ReadOnly {
        /// The file.
        path: String,
        /// What went wrong.
        reason: String,
    },
    /// `--journal` names something SQLite would not keep: `:memory:`, an empty path, a
    /// `file:` URI. A mistake on the command line (exit 2), found before anything opens.
    #[error("{0}")]
    NotPersistent(String),
    /// The journal is there but cannot be read now: PostgreSQL cannot be reached, or
    /// another process has held the SQLite file locked past the busy time-out. `due`,
    /// `week` and `mail` still send the checklist, without statuses.
    #[error("journal {journal}: {reason}")]
    Unavailable {
        /// The file, or the URL without its password.
        journal: String,
        /// What went wrong and what to check.
        reason: String,
    },
    /// The journal's file cannot be looked at (a directory on its path that this user may
    /// not search, …).
    #[error("cannot read the journal {path}: {reason}")]
    Unreadable {
        /// The file.
        path: String,
        /// What went wrong.
        reason: String,
    },
    /// Any other database error.
    #[error("journal {path}: {source}")]
    Database {
        /// The file.
        path: String,
        /// The underlying error.
        source: rusqlite::Error,
    },
    /// A PostgreSQL journal could not be reached or refused a statement.
    #[error("journal {journal}: {reason}")]
    Postgres {
        /// The journal's URL, without its password.
        journal: String,
        /// What went wrong and what to check.
        reason: String,
    },
    /// A record read from the journal or an import file is malformed.
    #[error("{0}")]
    Invalid(String),
    /// An import or a copy refused as a whole: one of its cover records clashes with the
    /// journal's cover or with an earlier one of its own ([`batch_clashes`]); nothing was
    /// written.
    #[error("{reason}; nothing was imported")]
    CoverClash {
        /// Which of the cover records given (from 0).
        index: usize,
        /// Which record it is, what it clashes with and how.
        reason: String,
    },
}

impl JournalError {
    /// A PostgreSQL failure as [`JournalError::Unavailable`]: the server could not be
    /// reached (or went away), so the journal could not be read; other errors unchanged.
    #[must_use]
    pub fn unavailable(self) -> Self {
        match self {
            Self::Postgres { journal, reason } => Self::Unavailable { journal, reason },
            other => other,
        }
    }
}

/// The record that `record` would clash with among `existing` (the records of its
/// occurrence): for a `done` or `skipped`, a settling record in force for a common team (a
/// record of every team overlaps every team's); for a trigger, a trigger in force for a
/// common team; for an `undone`, the retraction already made of the same record. Both
/// stores apply this rule under a lock; the settlement and retraction keys enforce it too.
pub fn clash(record: &Record, existing: &[Record]) -> Option<Record> {
    if record.action == Action::Undone {
        return existing
            .iter()
            .filter(|r| r.action == Action::Undone && r.undoes == record.undoes)
            .min_by_key(|r| r.recorded_at)
            .cloned();
    }
    let effective = Record::effective(existing)
        .into_iter()
        .filter(|r| r.overlaps(record));
    match record.action {
        Action::Done | Action::Skipped => effective
            .filter(|r| matches!(r.action, Action::Done | Action::Skipped))
            .max_by_key(|r| r.recorded_at)
            .cloned(),
        Action::Triggered => effective
            .filter(|r| r.action == Action::Triggered)
            .max_by_key(|r| r.recorded_at)
            .cloned(),
        Action::Undone => None,
    }
}

/// Which records to read.
#[derive(Debug, Clone, Default)]
pub struct RecordFilter {
    /// Only these tasks (all when empty).
    pub tasks: Vec<String>,
    /// Only occurrences due on or after this date.
    pub occurrences_from: Option<Date>,
    /// Only records made on or after this date (by `happened_on`).
    pub since: Option<Date>,
    /// Only records made on or before this date (by `happened_on`).
    pub until: Option<Date>,
}

/// The journal's change counters (schema 6): each goes up with every committed change to
/// what it counts, in any process. Only whether a number differs from an earlier reading
/// means anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Changes {
    /// Changes to what the views are computed from: records, retractions, cover records,
    /// cancellations, the journal's meta data.
    pub journal: i64,
    /// Changes to accounts and API tokens.
    pub access: i64,
}

/// The result of appending records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Appended {
    /// Records added.
    pub added: usize,
    /// Records already present (same id), skipped.
    pub present: usize,
}

/// A journal store: SQLite or PostgreSQL, with the same behaviour.
pub trait Store: Send {
    /// The change counters now (one read of one row).
    fn changes(&self) -> Result<Changes, JournalError>;

    /// Whether a journal kept open is still at the schema this socctl knows (a newer
    /// socctl may have migrated it meanwhile): the refusal a fresh open would give when
    /// not. Also a cheap proof that the connection still answers.
    fn still_current(&self) -> Result<(), JournalError> {
        self.changes().map(|_| ())
    }

    /// The day tracking started (the journal's creation, in the catalog's time zone).
    fn tracking_start(&self) -> Result<Date, JournalError>;

    /// Appends records in one transaction: all or none. Records whose id is already present
    /// are skipped, which makes imports idempotent.
    fn append(&mut self, records: &[Record]) -> Result<Appended, JournalError> {
        self.import(records, &[], None)
    }

    /// Appends the records and cover records of an import or a copy in one transaction, all
    /// or none, and in it moves the start of tracking back to `tracking_since` if that is
    /// earlier: a restored backup is all there, with its history's start, or not at all.
    /// Records and cover records whose id is already present are skipped (imports are
    /// idempotent); the others' cover records are checked under the cover write lock with
    /// [`batch_clashes`], the rule `socctl away` and `socctl swap` follow, and the first
    /// clash refuses the whole import ([`JournalError::CoverClash`]).
    fn import(
        &mut self,
        records: &[Record],
        covers: &[CoverRecord],
        tracking_since: Option<Date>,
    ) -> Result<Appended, JournalError>;

    /// Appends `record` unless it [`clash`]es with a record of its occurrence; returns that
    /// record instead. Two processes doing this at once for the same occurrence (or, for
    /// `undone` records, the same retracted record) append one record between them.
    fn append_unless_settled(&mut self, record: &Record) -> Result<Option<Record>, JournalError>;

    /// Every task id in the journal with its number of records.
    fn task_counts(&self) -> Result<Vec<(String, usize)>, JournalError>;

    /// Records matching `filter`, oldest first (by `recorded_at`, then id).
    fn records(&self, filter: &RecordFilter) -> Result<Vec<Record>, JournalError>;

    /// Every cover record (leave, swaps, cancellations), oldest first.
    fn covers(&self) -> Result<Vec<CoverRecord>, JournalError>;

    /// Appends `record` unless it [`cover_clash`]es with the cover records already there;
    /// returns why instead. The read and the insert happen under one write lock, so two
    /// processes recording conflicting cover at once end as one serial order would.
    fn append_cover(&mut self, record: &CoverRecord) -> Result<Option<String>, JournalError>;

    /// Claims the reminder `key` for this run (`by`: host and process) unless it was sent or
    /// another run claimed it less than `stale_after` ago; two runs claiming one key at once
    /// get it once between them (the claim is made under the write lock and the key is
    /// unique).
    fn claim_notification(
        &mut self,
        key: &NotificationKey,
        by: &str,
        now: jiff::Timestamp,
        stale_after: std::time::Duration,
    ) -> Result<Claim, JournalError>;

    /// Marks the claim `claim` of `key` as sent or failed.
    fn finish_notification(
        &mut self,
        key: &NotificationKey,
        claim: &str,
        delivery: &Delivery,
        now: jiff::Timestamp,
    ) -> Result<(), JournalError>;

    /// What the sent-log holds for `key` (for `notify --dry-run`).
    fn notification(
        &self,
        key: &NotificationKey,
    ) -> Result<Option<NotificationState>, JournalError>;
}
