//! Where a journal is: a SQLite file, or a PostgreSQL database named by a `postgres://` URL.

use std::path::{Path, PathBuf};

use jiff::civil::Date;

use super::{JournalError, PgEnv, PgTarget, PostgresStore, SqliteStore, Store, is_postgres_url};

/// A journal's location, as `--journal` / `SOCCTL_JOURNAL` name it.
#[derive(Debug, Clone)]
pub enum Location {
    /// A SQLite file.
    Sqlite(PathBuf),
    /// A PostgreSQL database.
    Postgres(Box<PgTarget>),
}

impl Location {
    /// A `postgres://` or `postgresql://` URL selects PostgreSQL (`env` fills in what the
    /// URL leaves out); anything else is a path.
    pub fn parse(value: &Path, env: &PgEnv) -> Result<Self, JournalError> {
        match value.to_str() {
            Some(text) if is_postgres_url(text) => {
                Ok(Self::Postgres(Box::new(PgTarget::parse(text, env)?)))
            }
            _ => Ok(Self::Sqlite(value.to_owned())),
        }
    }

    /// The journal, when one exists; never creates a file, a schema or a table.
    pub fn open_existing(&self) -> Result<Option<Box<dyn Store>>, JournalError> {
        Ok(match self {
            Self::Sqlite(path) => {
                SqliteStore::open_existing(path)?.map(|s| Box::new(s) as Box<dyn Store>)
            }
            Self::Postgres(target) => {
                PostgresStore::open_existing(target)?.map(|s| Box::new(s) as Box<dyn Store>)
            }
        })
    }

    /// The journal for recording, created (or upgraded) when needed; a new journal tracks
    /// from `today`.
    pub fn open_for_writing(&self, today: Date) -> Result<Box<dyn Store>, JournalError> {
        Ok(match self {
            Self::Sqlite(path) => Box::new(SqliteStore::open_for_writing(path, today)?),
            Self::Postgres(target) => Box::new(PostgresStore::open_for_writing(target, today)?),
        })
    }
}

impl std::fmt::Display for Location {
    /// The path, or the URL without its password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Sqlite(path) => write!(f, "{}", path.display()),
            Self::Postgres(target) => write!(f, "{target}"),
        }
    }
}
