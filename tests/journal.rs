//! End-to-end tests of the completion journal: `done`, `skip`, `undo`, `trigger`, the
//! status columns of `due` and `week`, `overdue`, `history`, `journal export/import/info`,
//! and the journal's reliability (concurrent writers, a killed import, files that are not
//! journals). Every test runs the real binary in a temporary directory with a clean
//! environment (`cli/support.rs`), the journal at `<tmp>/journal.db` (SOCCTL_JOURNAL) and
//! "today" fixed through SOCCTL_TODAY.
//!
//! Expected dates and counts are worked out from the shipped catalog and the calendar, not
//! copied from socctl's output; the comments say how. 2026-11-23 is a Monday.

#[allow(dead_code)]
#[path = "cli/support.rs"]
mod support;

/// The test modules, in `tests/journal/`.
mod journal {
    mod env;
    mod history;
    mod recording;
    mod reliability;
    mod status;
    mod transfer;
}
