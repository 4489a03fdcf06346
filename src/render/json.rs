//! JSON output: serde on the same data the other formats show.

use std::io::{self, Write};

use jiff::civil::{Date, Time};
use serde::Serialize;

use super::{RenderOptions, TeamIds};
use crate::catalog::Catalog;
use crate::plan::{Carried, Plan, PlannedOccurrence};

/// Writes any serializable value as pretty JSON followed by a newline.
pub fn write_json(out: &mut (impl Write + ?Sized), value: &impl Serialize) -> io::Result<()> {
    // `io::Error::from` keeps the kind, so a closed pipe is still recognised as one.
    serde_json::to_writer_pretty(&mut *out, value).map_err(io::Error::from)?;
    writeln!(out)
}

/// The fields of an occurrence record that come from its task (the same for every
/// occurrence of that task), split around the date fields.
#[derive(Serialize)]
struct TaskHead<'a> {
    task: &'a str,
    title: &'a str,
    teams: TeamIds<'a>,
}

#[derive(Serialize)]
struct TaskTail<'a> {
    cadence: &'a str,
    as_needed: bool,
    description: &'a str,
}

/// Serializes a struct to JSON and strips its braces, leaving `"a":1,"b":2`.
fn fields_of(value: &impl Serialize) -> io::Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec(value).map_err(io::Error::other)?;
    bytes.pop();
    bytes.remove(0);
    Ok(bytes)
}

/// Appends a number as exactly `width` decimal digits (callers pass values that fit).
fn push_digits(buffer: &mut Vec<u8>, value: u32, width: u32) {
    for position in (0..width).rev() {
        buffer.push(b'0' + (value / 10_u32.pow(position) % 10) as u8);
    }
}

/// Appends `"YYYY-MM-DD"`. Dates are years 1 to 9999, always four digits, as ISO 8601 and
/// `Date`'s `Display` write them.
fn push_date(buffer: &mut Vec<u8>, date: Date) {
    buffer.push(b'"');
    push_digits(buffer, date.year().unsigned_abs().into(), 4);
    buffer.push(b'-');
    push_digits(buffer, date.month().unsigned_abs().into(), 2);
    buffer.push(b'-');
    push_digits(buffer, date.day().unsigned_abs().into(), 2);
    buffer.push(b'"');
}

/// Appends `"HH:MM"`.
fn push_time(buffer: &mut Vec<u8>, time: Time) {
    buffer.push(b'"');
    push_digits(buffer, time.hour().unsigned_abs().into(), 2);
    buffer.push(b':');
    push_digits(buffer, time.minute().unsigned_abs().into(), 2);
    buffer.push(b'"');
}

fn push_optional_date(buffer: &mut Vec<u8>, date: Option<Date>) {
    match date {
        Some(date) => push_date(buffer, date),
        None => buffer.extend_from_slice(b"null"),
    }
}

fn push_string(buffer: &mut Vec<u8>, text: &str) {
    // Serializing a &str into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *buffer, text);
}

/// The per-occurrence fields: date, time, window, and the journal's view of it.
fn push_occurrence(buffer: &mut Vec<u8>, occurrence: &PlannedOccurrence) {
    buffer.extend_from_slice(b",\"date\":");
    push_date(buffer, occurrence.date);
    buffer.extend_from_slice(b",\"time\":");
    match occurrence.time {
        Some(time) => push_time(buffer, time),
        None => buffer.extend_from_slice(b"null"),
    }
    buffer.extend_from_slice(b",\"window_end\":");
    push_optional_date(buffer, occurrence.window_end);
    buffer.extend_from_slice(b",\"status\":");
    match occurrence.status {
        Some(status) => push_string(buffer, status.as_str()),
        None => buffer.extend_from_slice(b"null"),
    }
    let done = occurrence
        .settled_by
        .as_ref()
        .filter(|r| r.action == crate::journal::Action::Done);
    buffer.extend_from_slice(b",\"done_at\":");
    push_optional_date(buffer, done.map(|r| r.on));
    buffer.extend_from_slice(b",\"done_by\":");
    match done {
        Some(record) => push_string(buffer, &record.by),
        None => buffer.extend_from_slice(b"null"),
    }
}

/// A carried-over entry: its last due date as `date`, with `carried`, `count` and `since`.
fn push_carried(buffer: &mut Vec<u8>, carried: &Carried) {
    buffer.extend_from_slice(b",\"date\":");
    push_date(buffer, carried.last);
    buffer.extend_from_slice(b",\"time\":null,\"window_end\":null,\"status\":");
    push_string(buffer, carried.status.as_str());
    buffer.extend_from_slice(b",\"done_at\":null,\"done_by\":null,\"carried\":true,\"count\":");
    buffer.extend_from_slice(carried.count.to_string().as_bytes());
    buffer.extend_from_slice(b",\"since\":");
    push_date(buffer, carried.since);
}

/// Writes a plan as one JSON array with one occurrence object per line: valid JSON that
/// also greps and diffs line by line.
///
/// Each object holds `task`, `title`, `teams`, `date`, `time`, `window_end`, `cadence`,
/// `as_needed` and `description`. The task's own fields are serialized once per task and
/// reused: a year's plan repeats them for every occurrence.
pub(super) fn plan(
    out: &mut (impl Write + ?Sized),
    catalog: &Catalog,
    plan: &Plan,
    options: &RenderOptions,
) -> io::Result<()> {
    let mut cache: Vec<Option<(Vec<u8>, Vec<u8>)>> = vec![None; catalog.tasks.len()];
    let mut buffer = Vec::with_capacity(64 * 1024);
    buffer.push(b'[');
    // Carried-over work first, as the other formats show it: one object per overdue run.
    let carried = plan.carried.iter().map(|c| (Some(c), c.task));
    let occurrences = plan.occurrences.iter().map(|o| (None, o.task));
    for (index, (carried, task_index)) in carried.chain(occurrences).enumerate() {
        buffer.extend_from_slice(if index == 0 { b"\n{" } else { b",\n{" });
        let occurrence = match carried {
            Some(_) => None,
            None => Some(&plan.occurrences[index - plan.carried.len()]),
        };
        let (head, tail) = match &mut cache[task_index] {
            Some(parts) => parts,
            slot @ None => {
                let task = &catalog.tasks[task_index];
                let head = fields_of(&TaskHead {
                    task: &task.id,
                    title: task.title_in(options.language()),
                    teams: TeamIds {
                        catalog,
                        teams: &task.teams,
                    },
                })?;
                let tail = fields_of(&TaskTail {
                    cadence: &task.canonical_cadence,
                    as_needed: task.cadence.as_needed,
                    description: task.description_in(options.language()),
                })?;
                slot.insert((head, tail))
            }
        };
        buffer.extend_from_slice(head);
        match (carried, occurrence) {
            (Some(carried), _) => push_carried(&mut buffer, carried),
            (None, Some(occurrence)) => push_occurrence(&mut buffer, occurrence),
            (None, None) => {}
        }
        buffer.push(b',');
        buffer.extend_from_slice(tail);
        buffer.push(b'}');
        if buffer.len() >= 60 * 1024 {
            out.write_all(&buffer)?;
            buffer.clear();
        }
    }
    buffer.extend_from_slice(if plan.occurrences.is_empty() && plan.carried.is_empty() {
        b"]\n"
    } else {
        b"\n]\n"
    });
    out.write_all(&buffer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times_are_iso() {
        let mut buffer = Vec::new();
        push_date(&mut buffer, jiff::civil::date(33, 2, 3));
        push_time(&mut buffer, jiff::civil::time(7, 5, 0, 0));
        assert_eq!(
            String::from_utf8(buffer).unwrap(),
            "\"0033-02-03\"\"07:05\""
        );
    }
}
