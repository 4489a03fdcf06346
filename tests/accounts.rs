//! The board's accounts, sessions and API tokens in the journal's database: the
//! [`socctl::access::Directory`] over both stores (`accounts/directory.rs`) and the
//! `socctl user` and `socctl token` commands (`accounts/commands.rs`).
//!
//! The behavioural tests run twice: as written, on SQLite, and again on a fresh PostgreSQL
//! database each (`<module>::on_postgres::<test>`, listed with [`on_postgres!`]). They need
//! a server, so plain `cargo test` lists them as ignored; `scripts/test` runs them.

#[allow(dead_code)]
mod support;

/// Runs the named tests of the current module again, each on a fresh PostgreSQL database.
macro_rules! on_postgres {
    ($($test:ident),* $(,)?) => {
        /// The same tests on PostgreSQL.
        mod on_postgres {
            $(
                #[test]
                #[ignore = "needs PostgreSQL: run scripts/test"]
                fn $test() {
                    crate::accounts::store::on_postgres(super::$test);
                }
            )*
        }
    };
}

/// The test modules, in `tests/accounts/`.
mod accounts {
    mod commands;
    mod directory;
    mod store;
}
