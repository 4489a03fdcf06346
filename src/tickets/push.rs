//! `socctl tickets push`: a record for each due occurrence that has none yet. Each batch of
//! occurrences is looked up by correlation id first, so a re-run (or a second host running
//! the same job afterwards) finds the records and creates nothing.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::Occurrence;
use super::shape::{Ticket, new_record};
use super::table::{BATCH, Table, TableError};
use crate::catalog::{Catalog, ServiceNow};

/// What became of one occurrence.
#[derive(Debug, Clone)]
pub enum Pushed {
    /// A record was created.
    Created(Ticket),
    /// It had a record already.
    Present(Ticket),
    /// `--dry-run`: this record would be created.
    WouldCreate(Map<String, Value>),
    /// The lookup or the creation failed (the text says why, without secrets).
    Failed(String),
}

/// Whether an error means every further call will fail too (no answer, refused
/// credentials or table), so the run stops rather than repeating it for each occurrence.
fn is_fatal(error: &TableError) -> bool {
    matches!(
        error,
        TableError::Unreachable { .. }
            | TableError::Unauthorized { .. }
            | TableError::Forbidden { .. }
            | TableError::Garbled { .. }
    )
}

/// Pushes `occurrences` (of tasks in `catalog`) to `table`; with `dry_run`, only looks.
/// `each` sees every outcome as it happens.
pub fn push(
    catalog: &Catalog,
    servicenow: &ServiceNow,
    table: &Table<'_>,
    occurrences: &[Occurrence],
    dry_run: bool,
    mut each: impl FnMut(&Occurrence, &Pushed),
) -> Vec<(Occurrence, Pushed)> {
    let mut done: Vec<(Occurrence, Pushed)> = Vec::with_capacity(occurrences.len());
    let mut stopped: Option<String> = None;
    for batch in occurrences.chunks(BATCH) {
        let mut settle = |occurrence: &Occurrence, outcome: Pushed| {
            each(occurrence, &outcome);
            done.push((occurrence.clone(), outcome));
        };
        if let Some(reason) = &stopped {
            for occurrence in batch {
                settle(occurrence, Pushed::Failed(format!("not tried: {reason}")));
            }
            continue;
        }
        let found = match table.find(batch) {
            Ok(found) => found,
            Err(error) => {
                let text = error.to_string();
                for occurrence in batch {
                    settle(occurrence, Pushed::Failed(text.clone()));
                }
                stopped = Some("an earlier call to ServiceNow failed".to_owned());
                continue;
            }
        };
        let by_id: HashMap<&str, &Ticket> = found
            .iter()
            .map(|t| (t.correlation_id.as_str(), t))
            .collect();
        for occurrence in batch {
            if let Some(reason) = &stopped {
                settle(occurrence, Pushed::Failed(format!("not tried: {reason}")));
                continue;
            }
            if let Some(ticket) = by_id.get(occurrence.correlation_id().as_str()) {
                settle(occurrence, Pushed::Present((*ticket).clone()));
                continue;
            }
            let Some(task) = catalog.tasks.iter().find(|t| t.id == occurrence.task) else {
                continue;
            };
            let fields = new_record(servicenow, catalog, task, occurrence);
            if dry_run {
                settle(occurrence, Pushed::WouldCreate(fields));
                continue;
            }
            match table.create(&fields) {
                // A table without `correlation_id` (one that does not extend `task`) drops
                // it, and ServiceNow ignores a query on a field it does not have: every run
                // would then create the records again. Stop at the first.
                Ok(ticket) if ticket.correlation_id != occurrence.correlation_id() => {
                    stopped = Some("an earlier record lost its correlation id".to_owned());
                    settle(
                        occurrence,
                        Pushed::Failed(format!(
                            "{} was created as {}, but the table did not keep its correlation_id, so socctl could not find it again and would create it on every run; use a table that extends task (sc_task, incident, change_task …) and delete {}",
                            occurrence.correlation_id(),
                            ticket.number,
                            ticket.number
                        )),
                    );
                }
                Ok(ticket) => settle(occurrence, Pushed::Created(ticket)),
                Err(error) => {
                    if is_fatal(&error) {
                        stopped = Some("an earlier call to ServiceNow failed".to_owned());
                    }
                    settle(occurrence, Pushed::Failed(error.to_string()));
                }
            }
        }
    }
    done
}
