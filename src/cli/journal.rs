//! `socctl journal export`, `import`, `copy` and `info`: backups, and moving between
//! machines and between SQLite and PostgreSQL.

use std::io::{BufRead, Read as _, Write};
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use super::Context;
use crate::journal::{Location, Record, RecordFilter, SCHEMA_VERSION};

/// Arguments of `socctl journal`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do with the journal.
    #[command(subcommand)]
    pub action: Action,
}

/// The journal subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Write every record as JSON Lines (one object a line), oldest first, after a header
    /// line with the day tracking started
    Export,
    /// Add the records of a JSON Lines file; records already present are skipped, so
    /// importing the same file twice adds nothing. All or nothing: one bad line imports none
    Import {
        /// The file (`-` for standard input)
        file: PathBuf,
    },
    /// Copy every record (and the day tracking started) from one journal to another: a
    /// SQLite file or a postgres:// URL each. Records already in the target are skipped, so
    /// copying again adds nothing. All or nothing
    Copy {
        /// The journal to read (it is not changed)
        #[arg(long, value_name = "PATH|URL")]
        from: PathBuf,
        /// The journal to add to (created when missing)
        #[arg(long, value_name = "PATH|URL")]
        to: PathBuf,
    },
    /// Where the journal is, its schema and how many records it holds
    Info,
}

/// Runs `socctl journal …`.
pub fn run(context: &Context, args: &Args, out: &mut dyn Write) -> anyhow::Result<()> {
    match &args.action {
        Action::Export => {
            let Some(store) = context.journal_for_reading()? else {
                return Ok(());
            };
            // A header line first, so that a restored backup tracks from the same day.
            let header = Header {
                socctl_journal: HeaderFields {
                    schema: SCHEMA_VERSION,
                    tracking_since: store.tracking_start()?,
                },
            };
            serde_json::to_writer(&mut *out, &header).map_err(std::io::Error::from)?;
            writeln!(out)?;
            for record in store.records(&RecordFilter::default())? {
                serde_json::to_writer(&mut *out, &record).map_err(std::io::Error::from)?;
                writeln!(out)?;
            }
            Ok(())
        }
        Action::Import { file } => {
            let import = read_records(file)?;
            let catalog = context.catalog()?;
            // A retraction must name a record earlier in the file or already in the journal:
            // say which one does not, rather than let the database refuse the whole import.
            let outside = retractions_from_outside(&import);
            if !outside.is_empty() {
                let known: std::collections::HashSet<String> =
                    match context.journal_for_reading()? {
                        Some(store) => store
                            .records(&RecordFilter::default())?
                            .into_iter()
                            .map(|r| r.id)
                            .collect(),
                        None => std::collections::HashSet::new(),
                    };
                if let Some((id, undoes)) = outside.iter().find(|(_, u)| !known.contains(*u)) {
                    anyhow::bail!(
                        "{}: record `{id}` retracts `{undoes}`, which is neither earlier in the file nor in the journal; nothing was imported",
                        file.display()
                    );
                }
            }
            let mut store = context.journal_for_writing(context.today(&catalog)?)?;
            let appended = store.import(&import.records, import.tracking_since)?;
            writeln!(
                out,
                "imported {} records ({} already present)",
                appended.added, appended.present
            )?;
            Ok(())
        }
        Action::Copy { from, to } => copy(from, to, out),
        Action::Info => {
            let location = context.journal_location()?;
            match context.journal_for_reading()? {
                None => writeln!(out, "journal: {location} (not created yet)")?,
                Some(store) => {
                    let count: usize = store.task_counts()?.iter().map(|(_, n)| n).sum();
                    writeln!(out, "journal: {location}")?;
                    writeln!(out, "schema: {}", crate::journal::SCHEMA_VERSION)?;
                    writeln!(out, "tracking since: {}", store.tracking_start()?)?;
                    writeln!(out, "records: {count}")?;
                }
            }
            Ok(())
        }
    }
}

/// Runs `socctl journal copy`.
fn copy(from: &std::path::Path, to: &std::path::Path, out: &mut dyn Write) -> anyhow::Result<()> {
    let source = Location::parse(from)?;
    let target = Location::parse(to)?;
    if source.to_string() == target.to_string() {
        anyhow::bail!("--from and --to name the same journal ({source}); nothing was copied");
    }
    let Some(reader) = source.open_existing()? else {
        anyhow::bail!("there is no journal at {source}; nothing was copied");
    };
    let since = reader.tracking_start()?;
    let records = reader.records(&RecordFilter::default())?;
    drop(reader);
    // A new target tracks from the source's first day; an older target keeps its own.
    let mut writer = target.open_for_writing(since)?;
    let appended = writer.import(&records, Some(since))?;
    writeln!(
        out,
        "copied {} records from {source} to {target} ({} already present)",
        appended.added, appended.present
    )?;
    Ok(())
}

/// The first line of an export: which schema wrote it and since when it tracks.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    socctl_journal: HeaderFields,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct HeaderFields {
    schema: i64,
    tracking_since: jiff::civil::Date,
}

/// What an import file holds: the day its journal started tracking (from the header line,
/// when there is one) and its records, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportFile {
    /// The `tracking_since` of the header line, if the file has one.
    pub tracking_since: Option<jiff::civil::Date>,
    /// The records.
    pub records: Vec<Record>,
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
const MAX_IMPORT_LINE_BYTES: u64 = 1 << 20;

/// Reads a JSON Lines export (an optional header line, then records) from `file`, or from
/// standard input for `-`.
fn read_records(file: &PathBuf) -> anyhow::Result<ImportFile> {
    if file.as_os_str() == "-" {
        parse_import(std::io::stdin().lock(), file)
    } else {
        let opened =
            std::fs::File::open(file).with_context(|| format!("cannot read {}", file.display()))?;
        parse_import(std::io::BufReader::new(opened), file)
    }
}

/// Parses the text of a `journal import` file: an optional header line, then one record a
/// line. Errors name `file` and the first bad line; nothing is written anywhere.
pub fn parse_import(mut reader: impl BufRead, file: &Path) -> anyhow::Result<ImportFile> {
    let mut records = Vec::new();
    let mut header: Option<Header> = None;
    let mut bytes = Vec::new();
    for index in 0_u64.. {
        bytes.clear();
        // Bounded, so that a file without line breaks (or /dev/zero) cannot fill memory.
        (&mut reader)
            .take(MAX_IMPORT_LINE_BYTES + 1)
            .read_until(b'\n', &mut bytes)
            .with_context(|| format!("cannot read {}", file.display()))?;
        if bytes.is_empty() {
            break;
        }
        if bytes.len() as u64 > MAX_IMPORT_LINE_BYTES {
            anyhow::bail!(
                "{}:{}: the line is longer than {} MB, so it is not a journal record; nothing was imported",
                file.display(),
                index + 1,
                MAX_IMPORT_LINE_BYTES >> 20
            );
        }
        let Ok(line) = std::str::from_utf8(&bytes) else {
            anyhow::bail!(
                "{}:{}: not UTF-8, so not a journal record; nothing was imported",
                file.display(),
                index + 1
            );
        };
        if line.trim().is_empty() {
            continue;
        }
        if index == 0
            && let Ok(first) = serde_json::from_str::<Header>(line)
        {
            if first.socctl_journal.schema > SCHEMA_VERSION {
                anyhow::bail!(
                    "{}: exported by a newer socctl (journal schema {}; this one knows {SCHEMA_VERSION}); nothing was imported",
                    file.display(),
                    first.socctl_journal.schema
                );
            }
            header = Some(first);
            continue;
        }
        let record: Record = serde_json::from_str(line).with_context(|| {
            format!(
                "{}:{}: not a journal record; nothing was imported",
                file.display(),
                index + 1
            )
        })?;
        // A retraction names what it retracts, and only a retraction may.
        if (record.action == crate::journal::Action::Undone) != record.undoes.is_some() {
            anyhow::bail!(
                "{}:{}: `undoes` belongs on `undone` records, and every `undone` record needs one; nothing was imported",
                file.display(),
                index + 1
            );
        }
        records.push(record);
    }
    Ok(ImportFile {
        tracking_since: header.map(|h| h.socctl_journal.tracking_since),
        records,
    })
}
