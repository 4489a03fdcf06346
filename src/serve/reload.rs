//! The catalog's hot reload: the modification times and sizes of the catalog files and of
//! the holiday calendars they name are polled; an edit that loads replaces the catalog,
//! one that does not keeps the last good catalog and leaves `check`'s report for the
//! admins' banner.

use std::path::PathBuf;
use std::sync::Arc;

use super::State;

/// The modification time and size of each file (`None` when it cannot be read).
pub(super) fn stamps(files: &[PathBuf]) -> Vec<Option<(std::time::SystemTime, u64)>> {
    files
        .iter()
        .map(|file| {
            let metadata = std::fs::metadata(file).ok()?;
            Some((metadata.modified().ok()?, metadata.len()))
        })
        .collect()
}

/// Reloads the catalog when its files changed since the last look.
pub(super) fn reload_if_edited(state: &State) {
    let now = stamps(&state.engine.catalog_files());
    {
        let mut last = state
            .stamps
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if *last == now {
            return;
        }
        *last = now;
    }
    match state.engine.load() {
        Ok(catalog) => {
            *state
                .catalog
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(catalog);
            let had_problem = state
                .problem
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .take();
            if had_problem.is_some() {
                eprintln!("socctl: the catalog is valid again and in force");
            } else {
                eprintln!("socctl: the catalog was edited; the new one is in force");
            }
        }
        Err(report) => {
            eprintln!(
                "socctl: the catalog was edited but has errors; the last good one stays in force:\n{}",
                crate::render::terminal_text(&report)
            );
            *state
                .problem
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(report);
        }
    }
}

/// Polls the catalog files every `reload_every` for as long as the server runs.
pub(super) fn spawn(state: Arc<State>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(state.settings.reload_every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let state = state.clone();
            super::blocking(move || reload_if_edited(&state)).await;
        }
    });
}
