//! The journal's export file, which `journal export` writes and `journal import` reads: JSON
//! Lines, a header line with the schema and the day tracking started, then one record a line,
//! oldest first.

use std::io::{self, BufRead, Read as _, Write};
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use super::{Action, CoverRecord, Record, SCHEMA_VERSION};

/// The first line of an export: which schema wrote it and since when it tracks.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    socctl_journal: HeaderFields,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct HeaderFields {
    schema: i64,
    tracking_since: Date,
}

/// What an import file holds: the day its journal started tracking (from the header line,
/// when there is one) and its records, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportFile {
    /// The `tracking_since` of the header line, if the file has one.
    pub tracking_since: Option<Date>,
    /// The records.
    pub records: Vec<Record>,
    /// The line of each record in the file, from 1.
    pub lines: Vec<u64>,
    /// The cover records (leave, swaps, cancellations): lines `{"cover": {…}}`.
    pub covers: Vec<CoverRecord>,
    /// The line of each cover record in the file, from 1.
    pub cover_lines: Vec<u64>,
}

/// A cover record's line in an export.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct CoverLine<'a> {
    cover: std::borrow::Cow<'a, CoverRecord>,
}

/// Why an import file was refused; each names the file (and the line) first. Nothing is
/// imported from a refused file.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file could not be read.
    #[error("cannot read {}", .file.display())]
    Read {
        /// The file.
        file: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// A line longer than any record, or a file without line breaks.
    #[error(
        "{}:{line}: the line is longer than {} MB, so it is not a journal record; nothing was imported",
        .file.display(),
        MAX_IMPORT_LINE_BYTES >> 20
    )]
    LineTooLong {
        /// The file.
        file: PathBuf,
        /// The line number, from 1.
        line: u64,
    },
    /// A line that is not UTF-8.
    #[error(
        "{}:{line}: not UTF-8, so not a journal record; nothing was imported",
        .file.display()
    )]
    NotUtf8 {
        /// The file.
        file: PathBuf,
        /// The line number, from 1.
        line: u64,
    },
    /// The header names a schema newer than this socctl's.
    #[error(
        "{}: exported by a newer socctl (journal schema {schema}; this one knows {SCHEMA_VERSION}); nothing was imported",
        .file.display()
    )]
    TooNew {
        /// The file.
        file: PathBuf,
        /// The header's schema.
        schema: i64,
    },
    /// A line that is not a record.
    #[error(
        "{}:{line}: not a journal record; nothing was imported",
        .file.display()
    )]
    NotARecord {
        /// The file.
        file: PathBuf,
        /// The line number, from 1.
        line: u64,
        /// What the JSON reader said.
        source: serde_json::Error,
    },
    /// `undoes` on a record that is not a retraction, or a retraction without it.
    #[error(
        "{}:{line}: `undoes` belongs on `undone` records, and every `undone` record needs one; nothing was imported",
        .file.display()
    )]
    MisplacedUndoes {
        /// The file.
        file: PathBuf,
        /// The line number, from 1.
        line: u64,
    },
    /// An `id` or `undoes` that is not a UUID.
    #[error(
        "{}:{line}: `{field}` is `{value}`, not a UUID (such as 0b6c5a6e-3f0e-4c57-9d5e-2a8f1c7b9e10); nothing was imported",
        .file.display()
    )]
    NotAUuid {
        /// The file.
        file: PathBuf,
        /// The line number, from 1.
        line: u64,
        /// `id` or `undoes`.
        field: &'static str,
        /// The value found.
        value: String,
    },
    /// A retraction of itself.
    #[error(
        "{}:{line}: record `{id}` retracts itself; a retraction names an earlier record; nothing was imported",
        .file.display()
    )]
    RetractsItself {
        /// The file.
        file: PathBuf,
        /// The line number, from 1.
        line: u64,
        /// The record's id.
        id: String,
    },
}

/// Writes an export: the header line (this schema, tracking since `tracking_since`), so
/// that a restored backup tracks from the same day, then `records`, one a line.
pub fn write_export(
    out: &mut dyn Write,
    tracking_since: Date,
    records: &[Record],
    covers: &[CoverRecord],
) -> io::Result<()> {
    let header = Header {
        socctl_journal: HeaderFields {
            schema: SCHEMA_VERSION,
            tracking_since,
        },
    };
    serde_json::to_writer(&mut *out, &header).map_err(io::Error::from)?;
    writeln!(out)?;
    for record in records {
        serde_json::to_writer(&mut *out, record).map_err(io::Error::from)?;
        writeln!(out)?;
    }
    for cover in covers {
        let line = CoverLine {
            cover: std::borrow::Cow::Borrowed(cover),
        };
        serde_json::to_writer(&mut *out, &line).map_err(io::Error::from)?;
        writeln!(out)?;
    }
    Ok(())
}

/// The retractions of an import that name no record earlier in the file, as (record id,
/// retracted id) in file order: they must be in the journal already. A record whose id
/// came earlier in the file is left out, as the import skips it.
pub fn retractions_from_outside(import: &ImportFile) -> Vec<(&str, &str)> {
    let mut seen = std::collections::HashSet::new();
    let mut outside = Vec::new();
    for record in &import.records {
        if !seen.insert(record.id.as_str()) {
            continue;
        }
        if let Some(undoes) = record.undoes.as_deref()
            && !seen.contains(undoes)
        {
            outside.push((record.id.as_str(), undoes));
        }
    }
    outside
}

/// The longest line `journal import` reads: a record is a few hundred bytes, a long note a
/// few thousand.
pub const MAX_IMPORT_LINE_BYTES: u64 = 1 << 20;

/// Parses the text of an import file: an optional header line, then one record a line.
/// Errors name `file` and the first bad line; nothing is written anywhere.
pub fn parse_import(mut reader: impl BufRead, file: &Path) -> Result<ImportFile, ImportError> {
    let mut records = Vec::new();
    let mut lines = Vec::new();
    let mut covers = Vec::new();
    let mut cover_lines = Vec::new();
    let mut header: Option<Header> = None;
    let mut bytes = Vec::new();
    for index in 0_u64.. {
        let line = index + 1;
        let file = || file.to_owned();
        bytes.clear();
        // Bounded, so that a file without line breaks (or /dev/zero) cannot fill memory.
        (&mut reader)
            .take(MAX_IMPORT_LINE_BYTES + 1)
            .read_until(b'\n', &mut bytes)
            .map_err(|source| ImportError::Read {
                file: file(),
                source,
            })?;
        if bytes.is_empty() {
            break;
        }
        if bytes.len() as u64 > MAX_IMPORT_LINE_BYTES {
            return Err(ImportError::LineTooLong { file: file(), line });
        }
        let Ok(text) = std::str::from_utf8(&bytes) else {
            return Err(ImportError::NotUtf8 { file: file(), line });
        };
        if text.trim().is_empty() {
            continue;
        }
        if index == 0
            && let Ok(first) = serde_json::from_str::<Header>(text)
        {
            if first.socctl_journal.schema > SCHEMA_VERSION {
                return Err(ImportError::TooNew {
                    file: file(),
                    schema: first.socctl_journal.schema,
                });
            }
            header = Some(first);
            continue;
        }
        let record: Record = match serde_json::from_str(text) {
            Ok(record) => record,
            Err(source) => {
                // A cover record (rare: only when the record does not read).
                if let Ok(cover) = serde_json::from_str::<CoverLine<'_>>(text) {
                    let cover = cover.cover.into_owned();
                    if uuid::Uuid::try_parse(&cover.id).is_err() {
                        return Err(ImportError::NotAUuid {
                            file: file(),
                            line,
                            field: "id",
                            value: crate::catalog::escape_controls(&cover.id),
                        });
                    }
                    covers.push(cover);
                    cover_lines.push(line);
                    continue;
                }
                return Err(ImportError::NotARecord {
                    file: file(),
                    line,
                    source,
                });
            }
        };
        // A retraction names what it retracts, and only a retraction may.
        if (record.action == Action::Undone) != record.undoes.is_some() {
            return Err(ImportError::MisplacedUndoes { file: file(), line });
        }
        for (field, value) in [("id", Some(&record.id)), ("undoes", record.undoes.as_ref())] {
            if let Some(value) = value
                && uuid::Uuid::try_parse(value).is_err()
            {
                return Err(ImportError::NotAUuid {
                    file: file(),
                    line,
                    field,
                    value: crate::catalog::escape_controls(value),
                });
            }
        }
        if record.undoes.as_ref() == Some(&record.id) {
            return Err(ImportError::RetractsItself {
                file: file(),
                line,
                id: record.id,
            });
        }
        records.push(record);
        lines.push(line);
    }
    Ok(ImportFile {
        tracking_since: header.map(|h| h.socctl_journal.tracking_since),
        records,
        lines,
        covers,
        cover_lines,
    })
}

/// A short description of a record, for messages: its id, action, occurrence, team, day,
/// author and time.
fn describe(record: &Record) -> String {
    format!(
        "`{}` ({} of `{}` due {}{}, on {}, by {}, recorded {})",
        record.id,
        record.action,
        record.task,
        record.occurrence,
        record
            .team
            .as_ref()
            .map_or_else(String::new, |t| format!(" for team {t}")),
        record.on,
        record.by,
        record.recorded_at
    )
}

/// What an import would do to a journal: how many of its records are new, how many are
/// already present, and why the others are refused.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportCheck {
    /// Records the journal does not hold yet.
    pub new: usize,
    /// Records the journal (or an earlier line) already holds: same id, same content.
    pub present: usize,
    /// One message a refused record, in file order, each naming the file and the line.
    pub problems: Vec<String>,
}

impl ImportCheck {
    /// How many records are refused (one problem each).
    pub fn refused(&self) -> usize {
        self.problems.len()
    }
}

/// Checks an import against the journal it goes into (`existing`, all its records): what
/// it would write that is not true of that journal, and how many records are new or
/// already present. A record already present (same id, same content) is fine: imports are
/// idempotent. Refused: a different record reusing an id (of the journal or of an earlier
/// line); a `done` or `skipped` for an occurrence already settled for a common team, or a
/// second trigger, by a record in force (as `socctl done` reports it); a retraction of a
/// record that is neither in the journal nor earlier in the file. Cover records are the
/// store's to check, under its write lock ([`super::Store::import`]).
pub fn check_import(file: &Path, import: &ImportFile, existing: &[Record]) -> ImportCheck {
    use std::collections::HashMap;
    let mut by_id: HashMap<&str, (&Record, Option<u64>)> = existing
        .iter()
        .map(|r| (r.id.as_str(), (r, None)))
        .collect();
    let mut by_occurrence: HashMap<(&str, Date), Vec<Record>> = HashMap::new();
    for record in existing {
        by_occurrence
            .entry((record.task.as_str(), record.occurrence))
            .or_default()
            .push(record.clone());
    }
    let mut problems = Vec::new();
    let mut present = 0;
    let file = file.display();
    for (record, &line) in import.records.iter().zip(&import.lines) {
        if let Some((known, known_line)) = by_id.get(record.id.as_str()) {
            if *known == record {
                present += 1;
            } else {
                let place = known_line
                    .map_or_else(|| "in the journal".to_owned(), |l| format!("on line {l}"));
                problems.push(format!(
                    "{file}:{line}: record {} reuses the id of a different record {place}, {}",
                    describe(record),
                    describe(known)
                ));
            }
            continue;
        }
        by_id.insert(&record.id, (record, Some(line)));
        if let Some(undoes) = &record.undoes
            && !by_id.contains_key(undoes.as_str())
        {
            problems.push(format!(
                "{file}:{line}: record `{}` retracts `{undoes}`, which is neither earlier in the file nor in the journal",
                record.id
            ));
            continue;
        }
        let records = by_occurrence
            .entry((record.task.as_str(), record.occurrence))
            .or_default();
        // A second retraction of a record (journals from before schema 2 may hold them)
        // changes nothing: it is kept as history.
        if record.action != Action::Undone
            && let Some(previous) = super::clash(record, records)
        {
            problems.push(format!(
                "{file}:{line}: `{}` due {} is already {}{} by record {}; record `{}` would {} it again",
                record.task,
                record.occurrence,
                previous.action,
                previous
                    .team
                    .as_ref()
                    .map_or_else(String::new, |t| format!(" for team {t}")),
                describe(&previous),
                record.id,
                match record.action {
                    Action::Triggered => "trigger",
                    _ => "settle",
                }
            ));
        }
        records.push(record.clone());
    }
    ImportCheck {
        new: import.records.len() - present - problems.len(),
        present,
        problems,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_export_reads_back_as_it_was_written() {
        let since = jiff::civil::date(2026, 11, 1);
        let record = Record::new(
            "patch-review",
            jiff::civil::date(2026, 11, 23),
            Action::Done,
            jiff::civil::date(2026, 11, 23),
            "alice",
            jiff::Timestamp::UNIX_EPOCH,
        );
        let mut text = Vec::new();
        write_export(&mut text, since, std::slice::from_ref(&record), &[]).unwrap();
        let import = parse_import(&text[..], Path::new("export.jsonl")).unwrap();
        assert_eq!(import.tracking_since, Some(since));
        assert_eq!(import.records, [record]);
    }

    #[test]
    fn refusals_name_the_file_and_line() {
        for (text, message) in [
            ("{}\n", "export.jsonl:1: not a journal record"),
            (
                "{\"socctl_journal\":{\"schema\":999,\"tracking_since\":\"2026-11-01\"}}\n",
                "export.jsonl: exported by a newer socctl (journal schema 999",
            ),
            ("\n\u{0}\u{ff}\n", "export.jsonl:2: not a journal record"),
        ] {
            let error = parse_import(text.as_bytes(), Path::new("export.jsonl")).unwrap_err();
            assert!(error.to_string().starts_with(message), "{text:?}: {error}");
        }
        let not_utf8 = parse_import(&b"\xff\n"[..], Path::new("export.jsonl")).unwrap_err();
        assert_eq!(
            not_utf8.to_string(),
            "export.jsonl:1: not UTF-8, so not a journal record; nothing was imported"
        );
    }
}
