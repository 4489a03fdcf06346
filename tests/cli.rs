//! End-to-end tests of the `socctl` binary: each runs the real executable in a temporary
//! directory with a clean environment (see `support/mod.rs`) and "today" fixed to Monday
//! 2026-11-23 through SOCCTL_TODAY.
//!
//! Expected dates are worked out from the catalog and the calendar, not copied from
//! socctl's output; the comments say how.

#[allow(dead_code)]
mod support;

/// The test modules, in `tests/cli/`.
mod cli {
    mod assignees;
    mod cache;
    mod completion;
    mod destination;
    mod diagnostics;
    mod discovery;
    mod formats;
    mod layout;
    mod listings;
    mod manual;
    mod names;
    mod output;
    mod people;
    mod pipes;
    mod shipped;
    mod spelling;
    mod spreadsheets;
    mod timed;
    mod zones;
}
