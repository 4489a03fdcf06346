//! The SQLite journal: one file, WAL mode, a busy timeout, numbered migrations built into
//! the binary, one transaction per command.

use std::path::{Path, PathBuf};
use std::time::Duration;

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::{
    Connection, ErrorCode, OpenFlags, OptionalExtension, TransactionBehavior, params_from_iter,
};

use super::{Action, Appended, CoverKind, CoverRecord, JournalError, Record, RecordFilter, Store};

mod accounts;

/// The migrations, in order; migration N takes the schema from version N-1 to N.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_records.sql"),
    include_str!("migrations/0002_teams_and_retractions.sql"),
    include_str!("migrations/0003_people_and_cover.sql"),
    include_str!("migrations/0004_notifications.sql"),
    include_str!("migrations/0005_accounts.sql"),
    include_str!("migrations/0006_changes.sql"),
];

/// The newest journal schema this socctl knows.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// How long a writer waits for another process holding the journal.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// A journal in a SQLite file.
pub struct SqliteStore {
    connection: Connection,
    path: PathBuf,
}

pub(super) fn timestamp_text(timestamp: Timestamp) -> String {
    // Fixed width, so text order is time order.
    timestamp.strftime("%Y-%m-%dT%H:%M:%S%.9fZ").to_string()
}

impl SqliteStore {
    /// Opens an existing journal for reading, or `None` when there is none yet. A journal
    /// that needs a schema upgrade is upgraded only by [`SqliteStore::open_for_writing`].
    ///
    /// A journal in a directory or on a file system this user cannot write is still read:
    /// SQLite needs to create `journal.db-shm` to read a WAL journal, so, when no
    /// write-ahead log is pending, the file is read as immutable instead.
    pub fn open_existing(path: &Path) -> Result<Option<Self>, JournalError> {
        if !regular_file(path)? {
            return Ok(None);
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let connection = Connection::open_with_flags(path, flags)
            .or_else(|_| Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY))
            .map_err(|e| opening(path, &e))?;
        let mut store = Self {
            connection,
            path: path.to_owned(),
        };
        store.configure()?;
        if let Err(error) = store.probe() {
            let unshared = cannot_share(&error) || disk_full(path, &error);
            if !unshared || wal_pending(path) {
                return Err(store.unreadable(&error));
            }
            store.connection = Connection::open_with_flags(
                immutable_uri(path),
                OpenFlags::SQLITE_OPEN_READ_ONLY
                    | OpenFlags::SQLITE_OPEN_URI
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(|e| opening(path, &e))?;
            store.configure()?;
            store.probe().map_err(|e| store.unreadable(&e))?;
        }
        let version = store.check_schema()?;
        if version == 0 {
            // An empty file: a journal another process is creating right now, or an empty
            // placeholder. Nothing is recorded in it yet.
            return Ok(None);
        }
        if version < SCHEMA_VERSION {
            return Err(JournalError::Outdated {
                path: path.display().to_string(),
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        Ok(Some(store))
    }

    /// Opens the journal for writing, creating it (and its schema) when missing; `today`
    /// is recorded as the day tracking starts. A location this user cannot write is
    /// refused before SQLite opens anything.
    pub fn open_for_writing(path: &Path, today: Date) -> Result<Self, JournalError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
            && !parent.is_dir()
        {
            return Err(JournalError::ReadOnly {
                path: path.display().to_string(),
                reason: format!("the directory {} does not exist", parent.display()),
            });
        }
        let exists = regular_file(path)?;
        if let Some(why) = why_read_only(path, exists) {
            return Err(read_only(path, &why));
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let connection = Connection::open_with_flags(path, flags).map_err(|e| writing(path, &e))?;
        // SQLite falls back to reading a file it may not write.
        if connection
            .is_readonly(rusqlite::MAIN_DB)
            .unwrap_or_default()
        {
            return Err(read_only(path, "the file may not be written"));
        }
        let mut store = Self {
            connection,
            path: path.to_owned(),
        };
        store.configure()?;
        store.probe().map_err(|e| {
            if cannot_share(&e) || disk_full(path, &e) {
                writing(path, &e)
            } else {
                store.unreadable(&e)
            }
        })?;
        let version = store.check_schema()?;
        if version < SCHEMA_VERSION {
            store.migrate(version, today)?;
        }
        Ok(store)
    }

    /// An in-memory journal, for tests.
    pub fn in_memory(today: Date) -> Result<Self, JournalError> {
        let connection =
            Connection::open_in_memory().map_err(|e| database(Path::new(":memory:"), e))?;
        let mut store = Self {
            connection,
            path: PathBuf::from(":memory:"),
        };
        store.migrate(0, today)?;
        Ok(store)
    }

    fn configure(&self) -> Result<(), JournalError> {
        self.connection
            .busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| database(&self.path, e))?;
        // Read through memory mapping: a large journal costs page faults, not a system call
        // per page. Harmless where unsupported.
        let _ = self
            .connection
            .pragma_update(None, "mmap_size", 256_i64 * 1024 * 1024);
        Ok(())
    }

    /// The first read of the file: whether SQLite can read it at all (a lock, a
    /// directory it cannot create `-shm` in, a file that is not a database show here).
    fn probe(&self) -> rusqlite::Result<()> {
        self.connection
            .query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))
    }

    /// What an error of the first read means: locked, unreadable, or not a journal.
    fn unreadable(&self, error: &rusqlite::Error) -> JournalError {
        let path = self.path.display().to_string();
        if is_locked(error) {
            return locked(&self.path);
        }
        if disk_full(&self.path, error) {
            return JournalError::Unreadable {
                path,
                reason: DISK_FULL.to_owned(),
            };
        }
        if cannot_share(error) {
            return JournalError::Unreadable {
                reason: format!(
                    "{error}: its directory is read-only and a write-ahead log ({}-wal) is pending; run a socctl command that can write there once, to fold the log into the journal",
                    self.path.display()
                ),
                path,
            };
        }
        JournalError::NotAJournal {
            path,
            reason: error.to_string(),
        }
    }

    /// Reads the schema version without writing anything, so a file that is not a journal,
    /// or comes from a newer socctl, is left exactly as it was.
    fn check_schema(&self) -> Result<i64, JournalError> {
        let not_a_journal = |error: rusqlite::Error| {
            if is_locked(&error) {
                locked(&self.path)
            } else {
                JournalError::NotAJournal {
                    path: self.path.display().to_string(),
                    reason: error.to_string(),
                }
            }
        };
        let tables: i64 = self
            .connection
            .query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))
            .map_err(not_a_journal)?;
        let version: i64 = self
            .connection
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(not_a_journal)?;
        if version > SCHEMA_VERSION {
            return Err(JournalError::TooNew {
                path: self.path.display().to_string(),
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        if version == 0 && tables > 0 {
            return Err(JournalError::NotAJournal {
                path: self.path.display().to_string(),
                reason: "it is another program's SQLite database".to_owned(),
            });
        }
        if version > 0 {
            let has_records: bool = self
                .connection
                .query_row(
                    "SELECT count(*) FROM sqlite_schema WHERE name = 'records'",
                    [],
                    |row| row.get::<_, i64>(0),
                )
                .map(|n| n == 1)
                .map_err(not_a_journal)?;
            if !has_records {
                return Err(JournalError::NotAJournal {
                    path: self.path.display().to_string(),
                    reason: "it has a schema version but no records table".to_owned(),
                });
            }
        }
        Ok(version)
    }

    fn migrate(&mut self, from: i64, today: Date) -> Result<(), JournalError> {
        let path = self.path.clone();
        // WAL lets readers work while a writer records; set once, it stays with the file.
        let _ = self.connection.pragma_update(None, "journal_mode", "WAL");
        let transaction = self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| writing(&path, &e))?;
        // Another process may have migrated while we waited for the lock.
        let current: i64 = transaction
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(|e| database(&path, e))?;
        for (index, migration) in MIGRATIONS
            .iter()
            .enumerate()
            .skip(usize::try_from(current.max(from)).unwrap_or(0))
        {
            transaction
                .execute_batch(migration)
                .map_err(|e| writing(&path, &e))?;
            transaction
                .pragma_update(None, "user_version", index as i64 + 1)
                .map_err(|e| writing(&path, &e))?;
        }
        transaction
            .execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('created_on', ?1)",
                [today.to_string()],
            )
            .map_err(|e| writing(&path, &e))?;
        transaction.commit().map_err(|e| writing(&path, &e))
    }

    /// Where the journal is.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

fn database(path: &Path, source: rusqlite::Error) -> JournalError {
    if is_locked(&source) {
        return locked(path);
    }
    JournalError::Database {
        path: path.display().to_string(),
        source,
    }
}

/// A failure to write: read-only, a full disk, a lock, or what SQLite said. A full disk
/// shows as SQLite's own code, or, while opening, as a `-shm` or `-wal` file it could not
/// create or grow.
fn writing(path: &Path, error: &rusqlite::Error) -> JournalError {
    let code = error.sqlite_error_code();
    if code == Some(ErrorCode::DiskFull) {
        return read_only_because(path, DISK_FULL);
    }
    if cannot_share(error) || code == Some(ErrorCode::SystemIoFailure) {
        if let Some(why) = why_read_only(path, path.is_file()) {
            return read_only(path, &why);
        }
        if low_on_space(path) {
            return read_only_because(path, DISK_FULL);
        }
        if code != Some(ErrorCode::SystemIoFailure) {
            return read_only(path, "SQLite may not write it");
        }
    }
    if is_locked(error) {
        return read_only_because(
            path,
            &format!(
                "another process has held it locked for longer than {} s; try again when it is done",
                BUSY_TIMEOUT.as_secs()
            ),
        );
    }
    read_only_because(path, &error.to_string())
}

/// An error opening the file at all.
fn opening(path: &Path, error: &rusqlite::Error) -> JournalError {
    if disk_full(path, error) {
        return JournalError::Unreadable {
            path: path.display().to_string(),
            reason: DISK_FULL.to_owned(),
        };
    }
    JournalError::Unreadable {
        path: path.display().to_string(),
        reason: error.to_string(),
    }
}

/// What a write that ran out of space says; SQLite rolled the transaction back.
const DISK_FULL: &str = "the disk is full, so nothing was written (the journal is as it was); free some space on its file system and run the command again";

fn read_only_because(path: &Path, reason: &str) -> JournalError {
    JournalError::ReadOnly {
        path: path.display().to_string(),
        reason: reason.to_owned(),
    }
}

/// The journal cannot be written because `why`.
fn read_only(path: &Path, why: &str) -> JournalError {
    read_only_because(
        path,
        &format!(
            "it is read-only ({why}); nothing was written. Commands that only read (due, week, history, report, journal export) still work"
        ),
    )
}

/// Another process holds the file locked, and kept it past the busy time-out.
fn locked(path: &Path) -> JournalError {
    JournalError::Unavailable {
        journal: path.display().to_string(),
        reason: format!(
            "another process has held the journal locked for longer than the {} s time-out",
            BUSY_TIMEOUT.as_secs()
        ),
    }
}

fn is_locked(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

/// Whether SQLite could not open or create the files a WAL journal is read through
/// (`-shm`, `-wal`): a read-only directory or file system.
fn cannot_share(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen)
    ) || matches!(error, rusqlite::Error::SqliteFailure(e, _) if e.extended_code == rusqlite::ffi::SQLITE_IOERR_SHMOPEN)
}

/// Whether `error` came from the disk being full: SQLite's own code, or a file it could
/// not create or grow (`-shm`, `-wal`) on a file system with next to no space left.
fn disk_full(path: &Path, error: &rusqlite::Error) -> bool {
    match error.sqlite_error_code() {
        Some(ErrorCode::DiskFull) => true,
        Some(ErrorCode::SystemIoFailure) => low_on_space(path),
        _ => {
            cannot_share(error)
                && why_read_only(path, path.is_file()).is_none()
                && low_on_space(path)
        }
    }
}

/// Whether the file system holding `path` has next to no space left for this user.
fn low_on_space(path: &Path) -> bool {
    free_space(path).is_some_and(|free| free < 1 << 20)
}

/// The bytes available to this user on the file system holding `path`.
#[cfg(unix)]
fn free_space(path: &Path) -> Option<u64> {
    let stats = rustix::fs::statvfs(directory_of(path)).ok()?;
    Some(stats.f_bavail.saturating_mul(stats.f_frsize))
}

#[cfg(not(unix))]
fn free_space(_: &Path) -> Option<u64> {
    None
}

/// The directory holding `path` (`.` for a bare file name).
fn directory_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// `path` with `suffix` appended to its name: SQLite's `-wal`, `-shm` and `-journal`.
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Whether a journal file is at `path`. Anything but a regular file there, or at the
/// names SQLite gives the files beside it, is refused before SQLite opens it: a FIFO
/// blocks the first read forever, and a device or socket keeps no records.
fn regular_file(path: &Path) -> Result<bool, JournalError> {
    let mut exists = false;
    for (index, file) in [
        path.to_owned(),
        beside(path, "-wal"),
        beside(path, "-shm"),
        beside(path, "-journal"),
    ]
    .iter()
    .enumerate()
    {
        match std::fs::metadata(file) {
            Ok(metadata) if metadata.is_file() => exists |= index == 0,
            Ok(metadata) => {
                let what = file_kind(metadata.file_type());
                let reason = if index == 0 {
                    format!("it is {what}, not a file SQLite can keep records in")
                } else {
                    format!(
                        "{} beside it is {what}, where SQLite needs a file of its own",
                        file.display()
                    )
                };
                return Err(JournalError::NotAJournal {
                    path: path.display().to_string(),
                    reason,
                });
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => {
                return Err(JournalError::Unreadable {
                    path: path.display().to_string(),
                    reason: format!("{}: {error}", file.display()),
                });
            }
        }
    }
    Ok(exists)
}

/// What kind of thing a path that is not a regular file is, in words.
fn file_kind(kind: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
    }
    if kind.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    }
}

/// Whether a write-ahead log with records not yet in the journal file may be pending: a
/// `-wal` file that is not empty. Without one, the journal file holds every record.
fn wal_pending(path: &Path) -> bool {
    std::fs::metadata(beside(path, "-wal")).is_ok_and(|m| m.len() > 0)
}

/// A URI that opens `path` as immutable: SQLite reads it without locks or `-shm`, which a
/// read-only directory or file system does not let it create.
fn immutable_uri(path: &Path) -> String {
    use std::fmt::Write;
    let mut uri = String::from("file:");
    for &byte in path.as_os_str().as_encoded_bytes() {
        if byte.is_ascii_alphanumeric() || b"/-_.~".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            let _ = write!(uri, "%{byte:02X}");
        }
    }
    uri.push_str("?immutable=1");
    uri
}

/// Why this user cannot write the journal at `path` (which `exists`, or is to be
/// created), when the file, its directory or the file system forbids it. SQLite writes
/// `-wal` and `-shm` files beside the journal, so the directory must be writable too.
#[cfg(unix)]
fn why_read_only(path: &Path, exists: bool) -> Option<String> {
    use rustix::fs::{Access, access};
    use rustix::io::Errno;
    let directory = directory_of(path);
    let check = |target: &Path, what: String| match access(target, Access::WRITE_OK) {
        Err(Errno::ROFS) => Some("it is on a read-only file system".to_owned()),
        Err(Errno::ACCESS | Errno::PERM) => Some(what),
        _ => None,
    };
    if exists
        && let Some(why) = check(
            path,
            "the file's permissions do not let this user write it".to_owned(),
        )
    {
        return Some(why);
    }
    check(
        directory,
        format!(
            "this user may not write its directory {}, where SQLite keeps the journal's -wal and -shm files",
            directory.display()
        ),
    )
}

#[cfg(not(unix))]
fn why_read_only(_: &Path, _: bool) -> Option<String> {
    None
}

const COLUMNS: &str = "id, task, occurrence, action, happened_on, by_whom, recorded_at, note, reference, undoes, team, assignee";

fn read_record(row: &rusqlite::Row<'_>) -> rusqlite::Result<Result<Record, String>> {
    let id: String = row.get(0)?;
    let occurrence: String = row.get(2)?;
    let action: String = row.get(3)?;
    let on: String = row.get(4)?;
    let recorded_at: String = row.get(6)?;
    let parsed = (|| {
        Ok(Record {
            task: row.get(1).map_err(|e| e.to_string())?,
            occurrence: occurrence
                .parse()
                .map_err(|_| format!("bad occurrence `{occurrence}`"))?,
            action: Action::parse(&action).ok_or_else(|| format!("bad action `{action}`"))?,
            on: on.parse().map_err(|_| format!("bad date `{on}`"))?,
            by: row.get(5).map_err(|e| e.to_string())?,
            recorded_at: recorded_at
                .parse()
                .map_err(|_| format!("bad time `{recorded_at}`"))?,
            note: row.get(7).map_err(|e| e.to_string())?,
            reference: row.get(8).map_err(|e| e.to_string())?,
            undoes: row.get(9).map_err(|e| e.to_string())?,
            team: row.get(10).map_err(|e| e.to_string())?,
            assignee: row.get(11).map_err(|e| e.to_string())?,
            id: id.clone(),
        })
    })();
    Ok(parsed.map_err(|e: String| format!("journal record {id}: {e}")))
}

fn insert(transaction: &rusqlite::Transaction<'_>, record: &Record) -> rusqlite::Result<usize> {
    let added = transaction.execute(
        "INSERT OR IGNORE INTO records (id, task, occurrence, action, happened_on, by_whom, recorded_at, note, reference, undoes, team, assignee)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        rusqlite::params![
            record.id,
            record.task,
            record.occurrence.to_string(),
            record.action.as_str(),
            record.on.to_string(),
            record.by,
            timestamp_text(record.recorded_at),
            record.note,
            record.reference,
            record.undoes,
            record.team,
            record.assignee,
        ],
    )?;
    if added == 1
        && let Some(undoes) = &record.undoes
    {
        // An import may bring a second retraction of a record (journals from before schema
        // 2 could hold them): kept as history, the first one stays the one in force.
        // Recording checks for one first, under the write lock.
        transaction.execute(
            "INSERT OR IGNORE INTO retractions (undoes, record_id) VALUES (?1, ?2)",
            [undoes, &record.id],
        )?;
    }
    Ok(added)
}

const COVER_COLUMNS: &str = "id, kind, person, from_date, to_date, cover, task, occurrence, team, cancels, by_whom, recorded_at, note";

fn read_cover(row: &rusqlite::Row<'_>) -> rusqlite::Result<Result<CoverRecord, String>> {
    let id: String = row.get(0)?;
    let kind: String = row.get(1)?;
    let text = |index: usize| -> rusqlite::Result<Option<String>> { row.get(index) };
    let fields: Vec<Option<String>> = (2..13).map(text).collect::<rusqlite::Result<_>>()?;
    let parsed = (|| {
        let field = |index: usize, name: &str| -> Result<String, String> {
            fields[index - 2]
                .clone()
                .ok_or_else(|| format!("`{kind}` without `{name}`"))
        };
        let date = |index: usize, name: &str| -> Result<Date, String> {
            let value = field(index, name)?;
            value.parse().map_err(|_| format!("bad {name} `{value}`"))
        };
        let kind = match kind.as_str() {
            "away" => CoverKind::Away {
                person: field(2, "person")?,
                from: date(3, "from_date")?,
                to: date(4, "to_date")?,
                cover: fields[3].clone(),
            },
            "swap" => CoverKind::Swap {
                task: field(6, "task")?,
                occurrence: date(7, "occurrence")?,
                team: field(8, "team")?,
                to: field(2, "person")?,
            },
            "cancel" => CoverKind::Cancel {
                cancels: field(9, "cancels")?,
            },
            other => return Err(format!("bad kind `{other}`")),
        };
        let recorded_at = field(11, "recorded_at")?;
        Ok(CoverRecord {
            id: id.clone(),
            kind,
            by: field(10, "by_whom")?,
            recorded_at: recorded_at
                .parse()
                .map_err(|_| format!("bad time `{recorded_at}`"))?,
            note: fields[10].clone(),
        })
    })();
    Ok(parsed.map_err(|e: String| format!("journal cover record {id}: {e}")))
}

/// The columns of a cover record, in [`COVER_COLUMNS`] order after `id`.
pub(super) fn cover_fields(record: &CoverRecord) -> [Option<String>; 13] {
    let mut fields: [Option<String>; 13] = Default::default();
    fields[0] = Some(record.id.clone());
    match &record.kind {
        CoverKind::Away {
            person,
            from,
            to,
            cover,
        } => {
            fields[1] = Some("away".into());
            fields[2] = Some(person.clone());
            fields[3] = Some(from.to_string());
            fields[4] = Some(to.to_string());
            fields[5].clone_from(cover);
        }
        CoverKind::Swap {
            task,
            occurrence,
            team,
            to,
        } => {
            fields[1] = Some("swap".into());
            fields[2] = Some(to.clone());
            fields[6] = Some(task.clone());
            fields[7] = Some(occurrence.to_string());
            fields[8] = Some(team.clone());
        }
        CoverKind::Cancel { cancels } => {
            fields[1] = Some("cancel".into());
            fields[9] = Some(cancels.clone());
        }
    }
    fields[10] = Some(record.by.clone());
    fields[11] = Some(timestamp_text(record.recorded_at));
    fields[12].clone_from(&record.note);
    fields
}

fn insert_cover(
    transaction: &rusqlite::Transaction<'_>,
    record: &CoverRecord,
) -> rusqlite::Result<usize> {
    let added = transaction.execute(
        &format!(
            "INSERT OR IGNORE INTO covers ({COVER_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
        ),
        params_from_iter(cover_fields(record)),
    )?;
    if added == 1
        && let CoverKind::Cancel { cancels } = &record.kind
    {
        transaction.execute(
            "INSERT OR IGNORE INTO cancellations (cancels, record_id) VALUES (?1, ?2)",
            [cancels, &record.id],
        )?;
    }
    Ok(added)
}

fn read_covers(connection: &Connection, path: &Path) -> Result<Vec<CoverRecord>, JournalError> {
    let mut statement = connection
        .prepare(&format!(
            "SELECT {COVER_COLUMNS} FROM covers ORDER BY recorded_at, id"
        ))
        .map_err(|e| database(path, e))?;
    let rows = statement
        .query_map([], read_cover)
        .map_err(|e| database(path, e))?;
    let mut records = Vec::new();
    for row in rows {
        records.push(
            row.map_err(|e| database(path, e))?
                .map_err(JournalError::Invalid)?,
        );
    }
    Ok(records)
}

impl Store for SqliteStore {
    fn changes(&self) -> Result<super::Changes, JournalError> {
        self.connection
            .prepare_cached("SELECT journal, access FROM changes WHERE id = 1")
            .and_then(|mut statement| {
                statement.query_row([], |row| {
                    Ok(super::Changes {
                        journal: row.get(0)?,
                        access: row.get(1)?,
                    })
                })
            })
            .map_err(|e| database(&self.path, e))
    }

    fn claim_notification(
        &mut self,
        key: &super::NotificationKey,
        by: &str,
        now: Timestamp,
        stale_after: Duration,
    ) -> Result<super::Claim, JournalError> {
        claim_notification(
            &mut self.connection,
            &self.path,
            key,
            (by, now),
            stale_after,
        )
    }

    fn finish_notification(
        &mut self,
        key: &super::NotificationKey,
        claim: &str,
        delivery: &super::Delivery,
        now: Timestamp,
    ) -> Result<(), JournalError> {
        finish_notification(&self.connection, &self.path, key, claim, delivery, now)
    }

    fn notification(
        &self,
        key: &super::NotificationKey,
    ) -> Result<Option<super::NotificationState>, JournalError> {
        read_notification(&self.connection, key).map_err(|e| database(&self.path, e))
    }

    fn covers(&self) -> Result<Vec<CoverRecord>, JournalError> {
        read_covers(&self.connection, &self.path)
    }

    fn append_cover(&mut self, record: &CoverRecord) -> Result<Option<String>, JournalError> {
        let path = self.path.clone();
        // IMMEDIATE takes the write lock before reading: the check and the insert are one
        // step for every other writer.
        let transaction = self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| writing(&path, &e))?;
        let existing = read_covers(&transaction, &path)?;
        if let Some(clash) = super::cover_clash(record, &existing) {
            return Ok(Some(clash));
        }
        insert_cover(&transaction, record).map_err(|e| writing(&path, &e))?;
        transaction.commit().map_err(|e| writing(&path, &e))?;
        Ok(None)
    }

    fn tracking_start(&self) -> Result<Date, JournalError> {
        let text: Option<String> = self
            .connection
            .query_row(
                "SELECT value FROM meta WHERE key = 'created_on'",
                [],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| database(&self.path, e))?;
        let text = text.ok_or_else(|| {
            JournalError::Invalid(format!("{} has no creation date", self.path.display()))
        })?;
        text.parse().map_err(|_| {
            JournalError::Invalid(format!(
                "{}: bad creation date `{text}`",
                self.path.display()
            ))
        })
    }

    fn import(
        &mut self,
        records: &[Record],
        covers: &[CoverRecord],
        tracking_since: Option<Date>,
    ) -> Result<Appended, JournalError> {
        let path = self.path.clone();
        // IMMEDIATE takes the write lock before the cover records are read: their check and
        // the writes are one step for every other writer, as in `append_cover`.
        let transaction = self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| writing(&path, &e))?;
        if !covers.is_empty() {
            let existing = read_covers(&transaction, &path)?;
            if let Some((index, reason)) =
                super::batch_clashes(covers, &existing).into_iter().next()
            {
                return Err(JournalError::CoverClash { index, reason });
            }
        }
        let mut appended = Appended::default();
        for record in records {
            if insert(&transaction, record).map_err(|e| writing(&path, &e))? == 1 {
                appended.added += 1;
            } else {
                appended.present += 1;
            }
        }
        for record in covers {
            if insert_cover(&transaction, record).map_err(|e| writing(&path, &e))? == 1 {
                appended.added += 1;
            } else {
                appended.present += 1;
            }
        }
        if let Some(date) = tracking_since {
            // ISO dates compare correctly as text.
            transaction
                .execute(
                    "UPDATE meta SET value = ?1 WHERE key = 'created_on' AND value > ?1",
                    [date.to_string()],
                )
                .map_err(|e| writing(&path, &e))?;
        }
        transaction.commit().map_err(|e| writing(&path, &e))?;
        Ok(appended)
    }

    fn append_unless_settled(&mut self, record: &Record) -> Result<Option<Record>, JournalError> {
        let path = self.path.clone();
        // IMMEDIATE takes the write lock before reading, so two processes cannot both see
        // "not done yet" and both record.
        let transaction = self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| writing(&path, &e))?;
        let existing = {
            let mut statement = transaction
                .prepare(&format!("SELECT {COLUMNS} FROM records WHERE task = ?1 AND occurrence = ?2 ORDER BY recorded_at, id"))
                .map_err(|e| database(&path, e))?;
            let rows = statement
                .query_map([&record.task, &record.occurrence.to_string()], read_record)
                .map_err(|e| database(&path, e))?;
            let mut existing = Vec::new();
            for row in rows {
                existing.push(
                    row.map_err(|e| database(&path, e))?
                        .map_err(JournalError::Invalid)?,
                );
            }
            existing
        };
        if let Some(clash) = super::clash(record, &existing) {
            return Ok(Some(clash));
        }
        if let Some(undoes) = &record.undoes {
            // The retraction in force, wherever it was filed.
            let found = transaction
                .query_row(
                    &format!("SELECT {COLUMNS} FROM records WHERE id = (SELECT record_id FROM retractions WHERE undoes = ?1)"),
                    [undoes],
                    read_record,
                )
                .optional()
                .map_err(|e| database(&path, e))?;
            if let Some(found) = found {
                return Ok(Some(found.map_err(JournalError::Invalid)?));
            }
        }
        insert(&transaction, record).map_err(|e| writing(&path, &e))?;
        transaction.commit().map_err(|e| writing(&path, &e))?;
        Ok(None)
    }

    fn task_counts(&self) -> Result<Vec<(String, usize)>, JournalError> {
        let mut statement = self
            .connection
            .prepare("SELECT task, count(*) FROM records GROUP BY task ORDER BY task")
            .map_err(|e| database(&self.path, e))?;
        let rows = statement
            .query_map([], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
            })
            .map_err(|e| database(&self.path, e))?;
        let mut counts = Vec::new();
        for row in rows {
            let (task, count) = row.map_err(|e| database(&self.path, e))?;
            counts.push((task, usize::try_from(count).unwrap_or_default()));
        }
        Ok(counts)
    }

    fn records(&self, filter: &RecordFilter) -> Result<Vec<Record>, JournalError> {
        let mut conditions = Vec::new();
        let mut values: Vec<String> = Vec::new();
        if !filter.tasks.is_empty() {
            let marks = vec!["?"; filter.tasks.len()].join(", ");
            conditions.push(format!("task IN ({marks})"));
            values.extend(filter.tasks.iter().cloned());
        }
        if let Some(date) = filter.occurrences_from {
            conditions.push("occurrence >= ?".to_owned());
            values.push(date.to_string());
        }
        if let Some(date) = filter.since {
            conditions.push("happened_on >= ?".to_owned());
            values.push(date.to_string());
        }
        if let Some(date) = filter.until {
            conditions.push("happened_on <= ?".to_owned());
            values.push(date.to_string());
        }
        let mut sql = format!("SELECT {COLUMNS} FROM records");
        if !conditions.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&conditions.join(" AND "));
        }
        sql.push_str(" ORDER BY recorded_at, id");
        let mut statement = self
            .connection
            .prepare(&sql)
            .map_err(|e| database(&self.path, e))?;
        let rows = statement
            .query_map(params_from_iter(values.iter()), read_record)
            .map_err(|e| database(&self.path, e))?;
        let mut records = Vec::new();
        for row in rows {
            records.push(
                row.map_err(|e| database(&self.path, e))?
                    .map_err(JournalError::Invalid)?,
            );
        }
        Ok(records)
    }
}

// The sent-log of `socctl notify` (migration 4).

fn read_notification(
    connection: &Connection,
    key: &super::NotificationKey,
) -> rusqlite::Result<Option<super::NotificationState>> {
    connection
        .query_row(
            "SELECT state, claimed_by, claimed_at, attempts, error FROM notifications
             WHERE task = ?1 AND occurrence = ?2 AND team = ?3 AND kind = ?4 AND channel = ?5",
            rusqlite::params![
                key.task,
                key.occurrence.to_string(),
                key.team,
                key.kind,
                key.channel
            ],
            |row| {
                Ok(super::NotificationState {
                    state: row.get(0)?,
                    claimed_by: row.get(1)?,
                    claimed_at: row.get(2)?,
                    attempts: row.get(3)?,
                    error: row.get(4)?,
                })
            },
        )
        .optional()
}

/// Claims `key` under the write lock (BEGIN IMMEDIATE): the read and the insert or update
/// are one step for every other writer.
fn claim_notification(
    connection: &mut Connection,
    path: &Path,
    key: &super::NotificationKey,
    (by, now): (&str, Timestamp),
    stale_after: Duration,
) -> Result<super::Claim, JournalError> {
    use super::notifications::{Decision, decide};
    let transaction = connection
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| writing(path, &e))?;
    let existing = read_notification(&transaction, key).map_err(|e| database(path, e))?;
    let claim = uuid::Uuid::new_v4().to_string();
    let at = timestamp_text(now);
    let params = rusqlite::params![
        key.task,
        key.occurrence.to_string(),
        key.team,
        key.kind,
        key.channel,
        claim,
        by,
        at
    ];
    let outcome = match decide(existing.clone(), now, stale_after) {
        Decision::Leave(outcome) => return Ok(outcome),
        Decision::Insert => {
            transaction
                .execute(
                    "INSERT INTO notifications (task, occurrence, team, kind, channel, state, claim, claimed_by, claimed_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, 'claimed', ?6, ?7, ?8)",
                    params,
                )
                .map_err(|e| writing(path, &e))?;
            super::Claim::Mine {
                claim,
                previous: None,
            }
        }
        Decision::TakeOver => {
            transaction
                .execute(
                    "UPDATE notifications SET state = 'claimed', claim = ?6, claimed_by = ?7, claimed_at = ?8,
                         finished_at = NULL, attempts = attempts + 1
                     WHERE task = ?1 AND occurrence = ?2 AND team = ?3 AND kind = ?4 AND channel = ?5",
                    params,
                )
                .map_err(|e| writing(path, &e))?;
            super::Claim::Mine {
                claim,
                previous: existing,
            }
        }
    };
    transaction.commit().map_err(|e| writing(path, &e))?;
    Ok(outcome)
}

fn finish_notification(
    connection: &Connection,
    path: &Path,
    key: &super::NotificationKey,
    claim: &str,
    delivery: &super::Delivery,
    now: Timestamp,
) -> Result<(), JournalError> {
    let (state, error) = match delivery {
        super::Delivery::Sent => ("sent", None),
        super::Delivery::Failed(why) => ("failed", Some(why.as_str())),
    };
    connection
        .execute(
            "UPDATE notifications SET state = ?1, error = ?2, finished_at = ?3
             WHERE task = ?4 AND occurrence = ?5 AND team = ?6 AND kind = ?7 AND channel = ?8 AND claim = ?9",
            rusqlite::params![
                state,
                error,
                timestamp_text(now),
                key.task,
                key.occurrence.to_string(),
                key.team,
                key.kind,
                key.channel,
                claim
            ],
        )
        .map_err(|e| writing(path, &e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn record(task: &str, occurrence: Date, action: Action) -> Record {
        Record::new(
            task,
            occurrence,
            action,
            occurrence,
            "analyst",
            "2026-11-23T08:00:00Z".parse().unwrap(),
        )
    }

    #[test]
    fn appends_and_reads_back_exactly() {
        let mut store = SqliteStore::in_memory(date(2026, 11, 1)).unwrap();
        assert_eq!(store.tracking_start().unwrap(), date(2026, 11, 1));
        let mut hostile = record("t", date(2026, 11, 23), Action::Skipped);
        hostile.note = Some("it's '; DROP TABLE records; --\nline two 🙂 監視".to_owned());
        hostile.reference = Some("https://tickets.example/?q=\"x\"&y=1".to_owned());
        let appended = store
            .append(&[
                hostile.clone(),
                record("u", date(2026, 11, 22), Action::Done),
            ])
            .unwrap();
        assert_eq!(
            appended,
            Appended {
                added: 2,
                present: 0
            }
        );
        // The same records again add nothing: imports are idempotent.
        assert_eq!(
            store.append(&[hostile.clone()]).unwrap(),
            Appended {
                added: 0,
                present: 1
            }
        );
        let all = store.records(&RecordFilter::default()).unwrap();
        assert_eq!(all.len(), 2);
        let read = all.iter().find(|r| r.task == "t").unwrap();
        assert_eq!(read, &hostile);
        let filtered = store
            .records(&RecordFilter {
                tasks: vec!["u".into()],
                ..RecordFilter::default()
            })
            .unwrap();
        assert_eq!(filtered.len(), 1);
    }

    #[test]
    fn a_conflict_stops_the_append() {
        let mut store = SqliteStore::in_memory(date(2026, 11, 1)).unwrap();
        let first = record("t", date(2026, 11, 23), Action::Done);
        assert_eq!(store.append_unless_settled(&first).unwrap(), None);
        let second = record("t", date(2026, 11, 23), Action::Skipped);
        assert_eq!(store.append_unless_settled(&second).unwrap(), Some(first));
        assert_eq!(store.records(&RecordFilter::default()).unwrap().len(), 1);
    }
}
