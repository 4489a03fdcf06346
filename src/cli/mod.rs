//! The command line: clap types, one module per subcommand, and the one place that maps
//! errors to exit codes.

mod args;
pub mod check;
pub mod checklist;
pub mod destination;
pub mod due;
pub mod explain;
pub mod export;
pub mod history;
pub mod journal;
pub mod mail;
pub mod next;
pub mod overdue;
pub mod plan;
pub mod record;
pub mod report;
pub mod roles;
pub mod shell;
pub mod tasks;
pub mod teams;
pub mod week;

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

pub use args::{ChecklistArgs, DateArg, EnvelopeArgs};

use crate::catalog::{Catalog, Diagnostics, load_valid_cached};
use crate::config;
use crate::i18n::Locale;
use crate::journal::{Location, Store};
use crate::render::{Format, RenderOptions, terminal_text};

/// Exit code: success.
pub const EXIT_OK: u8 = 0;
/// Exit code: the command failed (invalid catalog, I/O error).
pub const EXIT_FAILURE: u8 = 1;
/// Exit code: the command line was wrong.
pub const EXIT_USAGE: u8 = 2;

/// socctl — what your SOC team must do today, this week, and when.
#[derive(Debug, Parser)]
#[command(name = "socctl", version, about, long_about = None, propagate_version = true, max_term_width = 100, disable_help_subcommand = true)]
pub struct Cli {
    /// The task catalog [default: ./tasks.yaml, then $XDG_CONFIG_HOME/socctl/tasks.yaml]
    #[arg(long, global = true, env = "SOCCTL_CATALOG", value_name = "PATH")]
    pub catalog: Option<PathBuf>,
    /// The teams file [default: roles.yaml beside the catalog, then ./, then $XDG_CONFIG_HOME/socctl/]
    #[arg(long, global = true, env = "SOCCTL_ROLES", value_name = "PATH")]
    pub roles: Option<PathBuf>,
    /// Time zone to work in, overriding the catalog's (IANA name, e.g. Europe/Copenhagen)
    #[arg(long, global = true, env = "SOCCTL_TZ", value_name = "ZONE")]
    pub tz: Option<String>,
    /// Output format [default: table on a terminal, text otherwise]
    #[arg(long, short = 'f', global = true, env = "SOCCTL_FORMAT", value_enum)]
    pub format: Option<FormatArg>,
    /// Language for catalog text (en, da, fr, ja) [default: from LC_ALL, LC_MESSAGES or LANG]
    #[arg(long, global = true, env = "SOCCTL_LANG", value_name = "CODE")]
    pub lang: Option<String>,
    /// The completion journal: a SQLite file, or postgres://user@host:port/database for
    /// one journal shared by the whole SOC [default: $XDG_STATE_HOME/socctl/journal.db]
    #[arg(long, global = true, env = "SOCCTL_JOURNAL", value_name = "PATH|URL")]
    pub journal: Option<PathBuf>,
    /// Write to this file instead of standard output (replaced only when complete)
    #[arg(long, short = 'o', global = true, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// When to use colour (never when NO_COLOR is set)
    #[arg(long, global = true, env = "SOCCTL_COLOR", value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Read the catalog's YAML every time instead of its compiled copy in $XDG_CACHE_HOME/socctl
    #[arg(long, global = true, env = "SOCCTL_NO_CACHE", value_parser = clap::builder::FalseyValueParser::new())]
    pub no_cache: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The output formats, as the command line names them (see [`Format`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// A table sized to the terminal (the default on a terminal)
    Table,
    /// Plain text within 78 columns, no colour: for cron and e-mail bodies (the default when
    /// output is not a terminal)
    Text,
    /// A Markdown checklist to paste or print
    Markdown,
    /// Machine-readable JSON
    Json,
    /// RFC 4180 CSV, one occurrence a row, for spreadsheets
    Csv,
    /// A standalone, printable HTML page
    Html,
    /// A complete e-mail (RFC 5322) for one team, for `sendmail -t`
    Email,
}

impl From<FormatArg> for Format {
    fn from(format: FormatArg) -> Self {
        match format {
            FormatArg::Table => Self::Table,
            FormatArg::Text => Self::Text,
            FormatArg::Markdown => Self::Markdown,
            FormatArg::Json => Self::Json,
            FormatArg::Csv => Self::Csv,
            FormatArg::Html => Self::Html,
            FormatArg::Email => Self::Email,
        }
    }
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal, unless NO_COLOR is set.
    Auto,
    /// Always colour, unless NO_COLOR is set.
    Always,
    /// Never colour.
    Never,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// What is due on a day (default today), grouped by team
    Due(due::Args),
    /// The checklist for the week containing a day, grouped by team and day
    Week(week::Args),
    /// Every occurrence in a date range, sorted by date, time, team and task
    Plan(plan::Args),
    /// The next due dates of each task
    Next(next::Args),
    /// The task catalog with canonical cadences
    Tasks(tasks::ListArgs),
    /// One task in full
    Show(tasks::ShowArgs),
    /// The teams
    Teams(teams::Args),
    /// The roles and responsibilities matrix, with each team's maintenance tasks
    Roles(roles::Args),
    /// Validate tasks.yaml and roles.yaml, reporting every problem
    Check(check::Args),
    /// Show how a cadence is read and when it falls next
    Explain(explain::Args),
    /// Export the schedule to other tools
    Export(export::Args),
    /// Mail each team its checklist through an SMTP server
    Mail(mail::Args),
    /// Record that a task's occurrence was done
    Done(record::DoneArgs),
    /// Record that a task's occurrence is deliberately not done, with a reason
    Skip(record::SkipArgs),
    /// Retract the latest record for a task's occurrence (appends a retraction)
    Undo(record::UndoArgs),
    /// Call for "as needed" work: an occurrence due on a day, shown until done
    Trigger(record::TriggerArgs),
    /// What is past its window and not done (--exit-code: 3 when anything is)
    Overdue(overdue::Args),
    /// The journal's records, newest first
    History(history::Args),
    /// How each team's work ended: done on time, late, skipped, missed, open; completion rate and median delay
    Report(report::Args),
    /// Export, import or inspect the journal
    Journal(journal::Args),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    Completions(shell::CompletionsArgs),
    /// Print the manual page (roff), for `man -l -` or a man directory; `man cadences` for socctl-cadences(7)
    Man(shell::ManArgs),
    /// Print the help of a subcommand (`help journal copy`), or the cadence language (`help cadences`)
    Help(shell::HelpArgs),
}

pub use crate::render::ListingFormat;

/// An error in what the user typed: exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// What every command gets: the global options, resolved.
pub struct Context {
    cli_catalog: Option<PathBuf>,
    cli_roles: Option<PathBuf>,
    tz: Option<String>,
    format: Option<Format>,
    locale: Locale,
    color: ColorChoice,
    /// Whether output goes to a terminal (stdout is one and no `--output` file was given).
    terminal: bool,
    journal: Option<PathBuf>,
    /// `--no-cache`: always read the catalog's YAML.
    no_cache: bool,
}

impl Context {
    /// Finds the catalog files, or says where socctl looked and how to point it at them.
    pub fn catalog_paths(&self) -> anyhow::Result<config::CatalogPaths> {
        config::find_catalog(self.cli_catalog.as_deref(), self.cli_roles.as_deref()).map_err(|e| {
            anyhow::anyhow!(
                "{e}\n  hint: pass --catalog PATH (or set SOCCTL_CATALOG), or run socctl where tasks.yaml is"
            )
        })
    }

    /// Finds, loads and validates the catalog, applying `--tz`.
    pub fn catalog(&self) -> anyhow::Result<Catalog> {
        let paths = self.catalog_paths()?;
        // Validation needs today only to tell whether a rule still fires; before the catalog's
        // zone is known, UTC's today is as good as any.
        let today = config::today(&jiff::tz::TimeZone::UTC).map_err(UsageError)?;
        // Where the compiled catalog lives is only worked out by commands that load one.
        let cache = if self.no_cache {
            None
        } else {
            config::cache_settings()
        };
        let mut catalog = load_valid_cached(&paths.tasks, &paths.roles, today, cache.as_ref())?;
        if let Some(name) = &self.tz {
            let zone = crate::calendar::time_zone(name).ok_or_else(|| {
                UsageError(format!(
                    "unknown time zone `{name}` in --tz; use an IANA name such as Europe/Copenhagen"
                ))
            })?;
            catalog.calendar.time_zone = zone;
            catalog.time_zone_name.clone_from(name);
        }
        Ok(catalog)
    }

    /// Today in the catalog's time zone.
    pub fn today(&self, catalog: &Catalog) -> anyhow::Result<jiff::civil::Date> {
        Ok(config::today(&catalog.calendar.time_zone).map_err(UsageError)?)
    }

    /// Resolves a date argument against today in the catalog's zone.
    pub fn date(
        &self,
        catalog: &Catalog,
        arg: Option<&DateArg>,
    ) -> anyhow::Result<jiff::civil::Date> {
        let today = self.today(catalog)?;
        Ok(arg
            .map_or(Some(today), |arg| arg.resolve(today))
            .ok_or_else(|| UsageError("the date is out of range".to_owned()))?)
    }

    /// The teams a `--team` argument selects (all teams when absent).
    pub fn teams(&self, catalog: &Catalog, team: Option<&str>) -> anyhow::Result<Vec<usize>> {
        let Some(name) = team else {
            return Ok((0..catalog.teams.len()).collect());
        };
        match catalog.find_team(name) {
            Some(selector) => Ok(catalog.members(selector)),
            None => {
                let known: Vec<String> = catalog
                    .teams
                    .iter()
                    .map(|t| format!("{} ({})", t.id, t.name))
                    .collect();
                Err(UsageError(format!(
                    "unknown team `{name}`; teams: {}",
                    known.join(", ")
                ))
                .into())
            }
        }
    }

    /// Where the journal is: `--journal`, `SOCCTL_JOURNAL`, else the default location.
    pub fn journal_location(&self) -> anyhow::Result<Location> {
        let value = self.journal.clone().or_else(config::default_journal).ok_or_else(|| {
            anyhow::anyhow!("cannot tell where the journal goes: set --journal PATH, SOCCTL_JOURNAL, XDG_STATE_HOME or HOME")
        })?;
        Ok(Location::parse(&value)?)
    }

    /// The journal, when one exists; commands that only read never create it (nor, on
    /// PostgreSQL, its schema).
    pub fn journal_for_reading(&self) -> anyhow::Result<Option<Box<dyn Store>>> {
        Ok(self.journal_location()?.open_existing()?)
    }

    /// The journal for recording, created (with its directory, at the default location)
    /// when missing; tracking starts `today`.
    pub fn journal_for_writing(&self, today: jiff::civil::Date) -> anyhow::Result<Box<dyn Store>> {
        let location = self.journal_location()?;
        if self.journal.is_none()
            && let Location::Sqlite(path) = &location
            && let Some(directory) = path.parent()
        {
            std::fs::create_dir_all(directory)
                .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", directory.display()))?;
        }
        Ok(location.open_for_writing(today)?)
    }

    /// The language code for catalog text.
    pub fn language(&self) -> &str {
        self.locale.code()
    }

    /// How to render: language, colour (only on a terminal, never with `NO_COLOR`), width.
    pub fn render_options(&self) -> RenderOptions {
        let no_color = config::env_var("NO_COLOR").is_some();
        let color = !no_color
            && match self.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => self.terminal,
            };
        // Tables that are not on a terminal keep to 100 columns (or $COLUMNS).
        let columns = config::env_var("COLUMNS").and_then(|c| c.parse().ok());
        let width = if self.terminal {
            columns.or_else(|| comfy_table::Table::new().width())
        } else {
            columns.or(Some(100))
        };
        RenderOptions {
            locale: self.locale.clone(),
            color,
            width,
            email: crate::render::email::EmailSettings::default(),
        }
    }

    /// The chosen format: `--format`, else a table on a terminal and plain text elsewhere.
    pub fn format(&self) -> Format {
        self.format.unwrap_or(if self.terminal {
            Format::Table
        } else {
            Format::Text
        })
    }

    /// The format for listings (`tasks`, `teams`, …), which have no HTML or e-mail form.
    pub fn listing_format(&self, command: &str) -> anyhow::Result<ListingFormat> {
        let format = self.format();
        ListingFormat::of(format).ok_or_else(|| {
            let name = format.name();
            UsageError(format!(
                "`socctl {command}` has no {name} format; use {} ({name} is for due, week and plan)",
                ListingFormat::NAMES
            ))
            .into()
        })
    }
}

/// Runs a parsed command line, writing its output to `out`.
pub fn run(cli: Cli, out: &mut dyn Write, terminal: bool) -> anyhow::Result<ExitCode> {
    let context = Context {
        cli_catalog: cli.catalog,
        cli_roles: cli.roles,
        tz: cli.tz,
        format: cli.format.map(Format::from),
        locale: Locale::new(&config::language(cli.lang.as_deref())),
        color: cli.color,
        terminal,
        journal: cli.journal,
        no_cache: cli.no_cache,
    };
    // On a terminal no format lets catalog, journal or server text drive it; only a
    // table's own colours pass.
    let mut shown;
    let out: &mut dyn Write = if terminal {
        let colours = context.format() == Format::Table && context.render_options().color;
        shown = crate::render::TerminalSafe::new(out, colours);
        &mut shown
    } else {
        out
    };
    match cli.command {
        Command::Due(args) => due::run(&context, &args, out),
        Command::Week(args) => week::run(&context, &args, out),
        Command::Plan(args) => plan::run(&context, &args, out),
        Command::Next(args) => next::run(&context, &args, out),
        Command::Tasks(args) => tasks::run_list(&context, &args, out),
        Command::Show(args) => tasks::run_show(&context, &args, out),
        Command::Teams(args) => teams::run(&context, &args, out),
        Command::Roles(args) => roles::run(&context, &args, out),
        Command::Check(args) => return check::run(&context, &args, out),
        Command::Explain(args) => explain::run(&context, &args, out),
        Command::Export(args) => export::run(&context, &args, out),
        Command::Mail(args) => mail::run(&context, &args, out),
        Command::Done(args) => record::run_done(&context, &args, out),
        Command::Skip(args) => record::run_skip(&context, &args, out),
        Command::Undo(args) => record::run_undo(&context, &args, out),
        Command::Trigger(args) => record::run_trigger(&context, &args, out),
        Command::Overdue(args) => return overdue::run(&context, &args, out),
        Command::History(args) => history::run(&context, &args, out),
        Command::Report(args) => report::run(&context, &args, out),
        Command::Journal(args) => journal::run(&context, &args, out),
        Command::Completions(args) => shell::completions(&args, out),
        Command::Man(args) => shell::man(&args, out),
        Command::Help(args) => shell::help(&args, out),
    }?;
    Ok(ExitCode::from(EXIT_OK))
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<destination::DestinationError>()
                .is_some_and(destination::DestinationError::is_broken_pipe)
    })
}

/// An empty `SOCCTL_*` variable means "unset", as for XDG variables; clap would read it as
/// an empty value.
fn forget_empty_socctl_variables() {
    let empty: Vec<_> = std::env::vars_os()
        .filter(|(name, value)| name.to_string_lossy().starts_with("SOCCTL_") && value.is_empty())
        .map(|(name, _)| name)
        .collect();
    for name in empty {
        // SAFETY: called first thing in `main`, before any other thread exists.
        unsafe { std::env::remove_var(name) };
    }
}

/// Runs with output to `-o FILE`, by the rules of [`destination`]: a file is replaced only
/// when complete; FIFOs and devices are written in place.
fn run_to_file(cli: Cli, path: &std::path::Path) -> anyhow::Result<ExitCode> {
    destination::write_to(path, |out| run(cli, out, false))
}

/// The binary's entry point: parses arguments, runs, reports errors, picks the exit code.
pub fn main() -> ExitCode {
    forget_empty_socctl_variables();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let code = if error.use_stderr() {
                EXIT_USAGE
            } else {
                EXIT_OK
            };
            let _ = error.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.output.clone() {
        Some(path) => run_to_file(cli, &path),
        None => {
            let stdout = io::stdout();
            let terminal = stdout.is_terminal();
            let mut out = io::BufWriter::new(stdout.lock());
            run(cli, &mut out, terminal).and_then(|code| {
                out.flush()?;
                Ok(code)
            })
        }
    };
    match result {
        Ok(code) => code,
        // `socctl due | head -1`: the reader left; that is not an error.
        Err(error) if is_broken_pipe(&error) => ExitCode::from(EXIT_OK),
        Err(error) => {
            if let Some(diagnostics) = error.downcast_ref::<Diagnostics>() {
                eprintln!("{}", terminal_text(&diagnostics.to_string()));
                eprintln!("socctl: the catalog has errors; run `socctl check` after fixing them");
                return ExitCode::from(EXIT_FAILURE);
            }
            // Error text can quote catalog, journal or server text: keep its lines, but show
            // control characters as escapes rather than sending them to the terminal.
            let text = format!("{error:#}");
            let lines: Vec<String> = text.lines().map(crate::catalog::escape_controls).collect();
            eprintln!("socctl: {}", terminal_text(&lines.join("\n")));
            if error.downcast_ref::<UsageError>().is_some() {
                ExitCode::from(EXIT_USAGE)
            } else {
                ExitCode::from(EXIT_FAILURE)
            }
        }
    }
}
