//! End-to-end tests of the completion journal: `done`, `skip`, `undo`, `trigger`, the
//! status columns of `due` and `week`, `overdue`, `history`, `journal export/import/info`,
//! and the journal's reliability (concurrent writers, a killed import, files that are not
//! journals). Every test runs the real binary in a temporary directory with a clean
//! environment (`support/mod.rs`), the journal at `<tmp>/journal.db` (SOCCTL_JOURNAL) and
//! "today" fixed through SOCCTL_TODAY.
//!
//! The behavioural tests run twice: as written, on SQLite, and again on a fresh PostgreSQL
//! database each (`<module>::on_postgres::<test>`, listed with [`on_postgres!`]); see
//! `support/postgres.rs` for how the tests find a server. They need one, so plain `cargo
//! test` lists them as ignored; `scripts/test` runs them. `journal/postgres.rs` holds what
//! only PostgreSQL has: many hosts at once, a killed server, TLS, passwords, `journal copy`.
//!
//! Expected dates and counts are worked out from the shipped catalog and the calendar, not
//! copied from socctl's output; the comments say how. 2026-11-23 is a Monday.

#[allow(dead_code)]
mod support;

/// Runs the named tests of the current module again, each on a fresh PostgreSQL database.
/// They need a server, so plain `cargo test` lists them as ignored.
macro_rules! on_postgres {
    ($($test:ident),* $(,)?) => {
        /// The same tests on PostgreSQL.
        mod on_postgres {
            $(
                #[test]
                #[ignore = "needs PostgreSQL: run scripts/test"]
                fn $test() {
                    crate::journal::env::on_postgres(super::$test);
                }
            )*
        }
    };
}

/// The test modules, in `tests/journal/`.
mod journal {
    mod cover;
    mod deadlines;
    mod degraded;
    mod env;
    mod history;
    mod location;
    mod network;
    mod notify;
    mod postgres;
    mod races;
    mod recording;
    mod reliability;
    mod status;
    mod teams;
    mod transfer;
    mod validation;
}
