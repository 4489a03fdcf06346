//! `socctl journal export`, `import`, `copy` and `info`: backups, and moving between
//! machines and between SQLite and PostgreSQL.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context as _;

use super::Context;
use crate::journal::exchange::{ImportFile, check_import, parse_import, write_export};
use crate::journal::{JournalError, Location, RecordFilter};

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
            let records = store.records(&RecordFilter::default())?;
            let covers = store.covers()?;
            write_export(out, store.tracking_start()?, &records, &covers)?;
            Ok(())
        }
        Action::Import { file } => {
            let import = read_records(file)?;
            let catalog = context.catalog()?;
            // Nothing false is written: every line is checked against the journal first.
            let existing = match context.journal_for_recording(context.today(&catalog)?)? {
                Some(store) => store.records(&RecordFilter::default())?,
                None => Vec::new(),
            };
            let check = check_import(file, &import, &existing);
            if !check.problems.is_empty() {
                // All or nothing: a refused record means nothing is written.
                anyhow::bail!(
                    "{}\n{}: {} new, {} already present, {} refused; nothing was imported",
                    check.problems.join("\n"),
                    file.display(),
                    check.new,
                    check.present,
                    check.refused()
                );
            }
            let mut store = context.journal_for_writing(context.today(&catalog)?)?;
            // The cover records are checked by the store, under the lock it writes with.
            let appended =
                match store.import(&import.records, &import.covers, import.tracking_since) {
                    Err(JournalError::CoverClash { index, reason }) => {
                        let line = import.cover_lines.get(index).copied().unwrap_or_default();
                        anyhow::bail!("{}:{line}: {reason}; nothing was imported", file.display());
                    }
                    other => other?,
                };
            writeln!(
                out,
                "imported: {} new, {} already present, 0 refused",
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
    let env = super::environment::pg_env();
    let source = Location::parse(from, &env)?;
    let target = Location::parse(to, &env)?;
    if source.to_string() == target.to_string() {
        anyhow::bail!("--from and --to name the same journal ({source}); nothing was copied");
    }
    let Some(reader) = source.open_existing()? else {
        anyhow::bail!("there is no journal at {source}; nothing was copied");
    };
    let since = reader.tracking_start()?;
    let records = reader.records(&RecordFilter::default())?;
    let covers = reader.covers()?;
    drop(reader);
    // A new target tracks from the source's first day; an older target keeps its own.
    let mut writer = target.open_for_writing(since)?;
    let appended = match writer.import(&records, &covers, Some(since)) {
        Err(JournalError::CoverClash { reason, .. }) => {
            anyhow::bail!("{source}: {reason}; nothing was copied to {target}")
        }
        other => other?,
    };
    writeln!(
        out,
        "copied {} records from {source} to {target} ({} already present)",
        appended.added, appended.present
    )?;
    Ok(())
}

/// Reads a JSON Lines export (an optional header line, then records) from `file`, or from
/// standard input for `-`.
fn read_records(file: &PathBuf) -> anyhow::Result<ImportFile> {
    Ok(if file.as_os_str() == "-" {
        parse_import(std::io::stdin().lock(), file)?
    } else {
        let opened =
            std::fs::File::open(file).with_context(|| format!("cannot read {}", file.display()))?;
        parse_import(std::io::BufReader::new(opened), file)?
    })
}
