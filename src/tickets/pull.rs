//! `socctl tickets pull`, the reading half: the state of each occurrence's record. The CLI
//! records `done` for the closed ones through `socctl done`'s code.

use std::collections::HashMap;

use super::Occurrence;
use super::shape::Ticket;
use super::table::{BATCH, Table};

/// Where one occurrence's record stands.
#[derive(Debug, Clone)]
pub enum Read {
    /// Its record is in one of the closed states.
    Closed(Ticket),
    /// Its record is still open.
    Open(Ticket),
    /// It has no record.
    Missing,
    /// The lookup failed (the text says why, without secrets).
    Failed(String),
}

/// Reads the records of `occurrences` from `table`; `closed` are the states that mean done.
pub fn read(
    table: &Table<'_>,
    occurrences: &[Occurrence],
    closed: &[String],
) -> Vec<(Occurrence, Read)> {
    let mut read = Vec::with_capacity(occurrences.len());
    let mut stopped = false;
    for batch in occurrences.chunks(BATCH) {
        if stopped {
            read.extend(batch.iter().map(|o| {
                (
                    o.clone(),
                    Read::Failed("not tried: an earlier call to ServiceNow failed".to_owned()),
                )
            }));
            continue;
        }
        match table.find(batch) {
            Ok(found) => {
                let by_id: HashMap<&str, &Ticket> = found
                    .iter()
                    .map(|t| (t.correlation_id.as_str(), t))
                    .collect();
                for occurrence in batch {
                    let state = match by_id.get(occurrence.correlation_id().as_str()) {
                        Some(ticket) if closed.iter().any(|s| *s == ticket.state.trim()) => {
                            Read::Closed((*ticket).clone())
                        }
                        Some(ticket) => Read::Open((*ticket).clone()),
                        None => Read::Missing,
                    };
                    read.push((occurrence.clone(), state));
                }
            }
            Err(error) => {
                let text = error.to_string();
                read.extend(
                    batch
                        .iter()
                        .map(|o| (o.clone(), Read::Failed(text.clone()))),
                );
                stopped = true;
            }
        }
    }
    read
}
