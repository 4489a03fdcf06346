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
    /// URL leaves out); anything else is a path, unless SQLite would not keep a database
    /// there (see [`not_persistent`]).
    pub fn parse(value: &Path, env: &PgEnv) -> Result<Self, JournalError> {
        match value.to_str() {
            Some(text) if is_postgres_url(text) => {
                Ok(Self::Postgres(Box::new(PgTarget::parse(text, env)?)))
            }
            _ => match not_persistent(value) {
                Some(why) => Err(JournalError::NotPersistent(format!(
                    "the journal `{}` would not keep its records: {why}; give a file (e.g. ~/.local/state/socctl/journal.db) or a postgres:// URL",
                    value.display()
                ))),
                None => Ok(Self::Sqlite(value.to_owned())),
            },
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

/// Why SQLite would not keep a database at `value`, when it would not: `:memory:` and the
/// empty name are databases that vanish when socctl exits, and a `file:` URI (the bundled
/// SQLite reads them even from a plain path) can say `mode=memory`, `vfs=memdb` or
/// `mode=ro`. A file whose name starts with `file:` is still reachable as `./file:…`.
fn not_persistent(value: &Path) -> Option<&'static str> {
    let bytes = value.as_os_str().as_encoded_bytes();
    if bytes.is_empty() {
        Some("an empty name is a temporary database to SQLite, deleted when socctl exits")
    } else if bytes == b":memory:" {
        Some("SQLite keeps `:memory:` in memory, and it is gone when socctl exits")
    } else if bytes.starts_with(b"file:") {
        Some(
            "it is a SQLite URI, which can name an in-memory or read-only database (write ./file:… for a file whose name starts with `file:`)",
        )
    } else {
        None
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_places_sqlite_keeps_are_journals() {
        let env = PgEnv::default();
        for value in [
            "",
            ":memory:",
            "file::memory:",
            "file:journal.db?mode=memory&cache=shared",
            "file:///var/lib/socctl/journal.db?vfs=memdb",
        ] {
            let error = Location::parse(Path::new(value), &env).expect_err(value);
            assert!(
                matches!(error, JournalError::NotPersistent(_)),
                "{value}: {error}"
            );
            assert!(
                error.to_string().contains("would not keep its records"),
                "{error}"
            );
        }
        for value in [
            "journal.db",
            "./file:journal.db",
            "/tmp/:memory:",
            ":memory",
            "FILE.db",
        ] {
            assert!(
                matches!(
                    Location::parse(Path::new(value), &env),
                    Ok(Location::Sqlite(_))
                ),
                "{value}"
            );
        }
    }
}
