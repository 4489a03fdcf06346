//! End-to-end tests of the `socctl` binary: each runs the real executable in a temporary
//! directory with a clean environment (see `cli/support.rs`) and "today" fixed to Monday
//! 2026-11-23 through SOCCTL_TODAY.
//!
//! Expected dates are worked out from the catalog and the calendar, not copied from
//! socctl's output; the comments say how.

/// The test modules, in `tests/cli/`.
mod cli {
    mod cache;
    mod diagnostics;
    mod discovery;
    mod formats;
    mod listings;
    mod output;
    mod shipped;
    mod support;
    mod timed;
}
