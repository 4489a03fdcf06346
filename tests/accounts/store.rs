//! Where a test's accounts live: a SQLite journal in a temporary directory, or, for the
//! PostgreSQL run of a test ([`on_postgres`]), a fresh database of its own; and the stored
//! rows read straight through SQLite or PostgreSQL, not socctl.

use std::cell::Cell;
use std::ffi::OsString;
use std::path::Path;

use socctl::journal::accounts::{JournalDirectory, Policy};
use socctl::journal::{Location, PgEnv};

use crate::support::postgres::{self, Database};

thread_local! {
    static ON_POSTGRES: Cell<bool> = const { Cell::new(false) };
}

/// Runs `test` with every `Stored` it makes on a fresh PostgreSQL database.
pub(crate) fn on_postgres(test: fn()) {
    postgres::server();
    ON_POSTGRES.with(|flag| flag.set(true));
    test();
}

/// A journal for one test.
pub(crate) struct Stored {
    pub(crate) dir: tempfile::TempDir,
    pub(crate) database: Option<Database>,
}

impl Stored {
    /// A journal not created yet: a SQLite file to be, or an empty database.
    pub(crate) fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("a temporary directory"),
            database: ON_POSTGRES
                .with(Cell::get)
                .then(|| postgres::server().database()),
        }
    }

    /// What SOCCTL_JOURNAL is set to.
    pub(crate) fn location_text(&self) -> OsString {
        match &self.database {
            Some(database) => OsString::from(&database.url),
            None => self.dir.path().join("journal.db").into_os_string(),
        }
    }

    /// The journal's location.
    pub(crate) fn location(&self) -> Location {
        Location::parse(Path::new(&self.location_text()), &PgEnv::default()).expect("a location")
    }

    /// A directory (one connection, as one server has) on the journal.
    pub(crate) fn directory(&self, policy: Policy) -> JournalDirectory {
        JournalDirectory::open(
            self.location(),
            "2026-11-23".parse().expect("a date"),
            policy,
        )
        .expect("opening the accounts")
    }

    /// Every value of every row of `table`, as text, straight from the database.
    pub(crate) fn table_text(&self, table: &str) -> Vec<Vec<String>> {
        if let Some(database) = &self.database {
            let mut client = database.connect();
            let rows = client
                .query(
                    &format!("SELECT to_jsonb(t)::text FROM socctl.{table} t"),
                    &[],
                )
                .expect("reading a table");
            return rows
                .iter()
                .map(|row| vec![row.get::<_, String>(0)])
                .collect();
        }
        let connection =
            rusqlite::Connection::open(self.dir.path().join("journal.db")).expect("opening");
        let mut statement = connection
            .prepare(&format!("SELECT * FROM {table}"))
            .expect("a query");
        let columns = statement.column_count();
        statement
            .query_map([], |row| {
                (0..columns)
                    .map(|i| {
                        row.get::<_, rusqlite::types::Value>(i).map(|v| match v {
                            rusqlite::types::Value::Text(text) => text,
                            rusqlite::types::Value::Integer(n) => n.to_string(),
                            rusqlite::types::Value::Null => String::new(),
                            other => format!("{other:?}"),
                        })
                    })
                    .collect()
            })
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("rows")
    }

    /// The failure count stored for `name`.
    pub(crate) fn failures(&self, name: &str) -> i64 {
        if let Some(database) = &self.database {
            return database
                .connect()
                .query_opt(
                    "SELECT failures::bigint FROM socctl.login_failures WHERE name = $1",
                    &[&name],
                )
                .expect("reading failures")
                .map_or(0, |row| row.get(0));
        }
        let connection =
            rusqlite::Connection::open(self.dir.path().join("journal.db")).expect("opening");
        connection
            .query_row(
                "SELECT failures FROM login_failures WHERE name = ?1",
                [name],
                |row| row.get(0),
            )
            .unwrap_or(0)
    }
}
