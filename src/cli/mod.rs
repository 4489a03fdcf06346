//! The command line: clap types, one module per subcommand, and the run that ties them
//! together; [`exit`] maps its errors to exit codes.

mod args;
pub mod check;
pub mod checklist;
pub mod cover;
pub mod destination;
pub mod due;
mod environment;
pub mod exit;
pub mod explain;
pub mod export;
pub mod history;
pub mod journal;
pub mod mail;
pub mod next;
pub mod notify;
pub mod overdue;
pub mod people;
pub mod plan;
pub mod record;
pub mod report;
mod resolve;
pub mod roles;
pub mod serve;
pub mod shell;
pub mod tasks;
pub mod teams;
pub mod tickets;
pub mod token;
pub mod tree;
pub mod user;
pub mod week;

use std::any::Any;
use std::cell::RefCell;
use std::ffi::OsString;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

pub use args::{ChecklistArgs, DateArg, EnvelopeArgs, PersonArgs, RangeEnd, check_order};
pub use exit::Exit;

use crate::catalog::{Catalog, Diagnostics, Opened, open_cached};
use crate::config;
use crate::i18n::Locale;
use crate::journal::{Location, Store};
use crate::render::{Format, RenderOptions, terminal_text};

/// The heading of the options every subcommand takes, shown after its own in `--help`.
pub const GLOBAL_OPTIONS: &str = "Global options";

/// socctl — what your SOC team must do today, this week, and when.
#[derive(Debug, Parser)]
#[command(name = "socctl", version, about, long_about = None, propagate_version = true, max_term_width = 100, disable_help_subcommand = true)]
pub struct Cli {
    /// The task catalog [default: ./tasks.yaml, then $XDG_CONFIG_HOME/socctl/tasks.yaml]
    #[arg(long, global = true, help_heading = GLOBAL_OPTIONS, env = "SOCCTL_CATALOG", value_name = "PATH")]
    pub catalog: Option<PathBuf>,
    /// The teams file [default: roles.yaml beside the catalog, then ./, then $XDG_CONFIG_HOME/socctl/]
    #[arg(long, global = true, help_heading = GLOBAL_OPTIONS, env = "SOCCTL_ROLES", value_name = "PATH")]
    pub roles: Option<PathBuf>,
    /// Time zone to work in, overriding the catalog's (IANA name, e.g. Europe/Copenhagen)
    #[arg(long, global = true, help_heading = GLOBAL_OPTIONS, env = "SOCCTL_TZ", value_name = "ZONE")]
    pub tz: Option<String>,
    /// Output format [default: table on a terminal, text otherwise]
    #[arg(long, short = 'f', global = true, help_heading = GLOBAL_OPTIONS, env = "SOCCTL_FORMAT", value_enum)]
    pub format: Option<FormatArg>,
    /// Language: en, da, fr, ja, or one the catalog has text in; a locale (ja_JP.UTF-8, fr-CA)
    /// names its language [default: from LC_ALL, LC_MESSAGES or LANG, else English]
    #[arg(long, global = true, help_heading = GLOBAL_OPTIONS, env = "SOCCTL_LANG", value_name = "CODE")]
    pub lang: Option<String>,
    /// The completion journal: a SQLite file, or postgres://user@host:port/database for
    /// one journal shared by the whole SOC [default: $XDG_STATE_HOME/socctl/journal.db]
    #[arg(long, global = true, help_heading = GLOBAL_OPTIONS, env = "SOCCTL_JOURNAL", value_name = "PATH|URL")]
    pub journal: Option<PathBuf>,
    /// Write to this file instead of standard output (replaced only when complete)
    #[arg(long, short = 'o', global = true, help_heading = GLOBAL_OPTIONS, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// When to use colour (never when NO_COLOR is set)
    #[arg(long, global = true, help_heading = GLOBAL_OPTIONS, env = "SOCCTL_COLOR", value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Read the catalog's YAML every time instead of its compiled copy in $XDG_CACHE_HOME/socctl
    #[arg(long, global = true, help_heading = GLOBAL_OPTIONS, env = "SOCCTL_NO_CACHE", value_parser = clap::builder::FalseyValueParser::new())]
    pub no_cache: bool,
    /// The field delimiter of --format csv: `,`, `;` (Danish and French Excel) or `tab`
    #[arg(long, global = true, help_heading = GLOBAL_OPTIONS, env = "SOCCTL_CSV_DELIMITER", value_name = ",|;|tab", value_parser = args::parse_csv_delimiter)]
    // No clap default: one would be parsed and copied into the subcommand's matches on
    // every run; unset means a comma (see `execute`).
    pub csv_delimiter: Option<crate::render::CsvDelimiter>,
    /// Start --format csv with a UTF-8 byte order mark, so Excel reads the file as UTF-8
    #[arg(long, global = true, help_heading = GLOBAL_OPTIONS, env = "SOCCTL_CSV_BOM", value_parser = clap::builder::FalseyValueParser::new())]
    pub csv_bom: bool,
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
    /// A Nagios/Icinga plugin status line with performance data (`overdue` only)
    Nagios,
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
            FormatArg::Nagios => Self::Nagios,
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
// Each subcommand's arguments are built only when it runs (or for --help, completions
// and the man page): building all of them cost --version a third of its time.
#[command(defer = true)]
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
    /// The members of the teams, and what is assigned to each of them next
    People(people::Args),
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
    /// Send the day's reminders to each team's Teams, Slack and webhook channels, each once
    Notify(notify::Args),
    /// Record that a person is away (leave), with who covers their turns; --list, --cancel
    Away(cover::AwayArgs),
    /// Hand one team's occurrence of a task to another member
    Swap(cover::SwapArgs),
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
    /// Serve the board: the checklists, recording and the API over HTTP (see docs/serve.md)
    Serve(serve::Args),
    /// Hand the tasks with `ticket: true` to ServiceNow (push) and record the closed ones as done (pull)
    Tickets(tickets::Args),
    /// The board's accounts (socctl serve): add, list, remove, passwd, disable, enable
    User(user::Args),
    /// API tokens for the board: create (the secret is shown once), list, revoke
    Token(token::Args),
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
    /// `--csv-delimiter` and `--csv-bom`.
    csv: crate::render::CsvSettings,
    /// What the command hands back instead of freeing (see [`Leftovers`]).
    leftovers: RefCell<Leftovers>,
    /// The catalog, when it was read to check the language before the command ran.
    kept_catalog: RefCell<Option<Catalog>>,
    /// The journal's cover records, once read (see [`Context::cover`]).
    cover: std::cell::OnceCell<crate::people::Cover>,
}

impl Context {
    /// Keeps `value` (a large catalog or plan) until the run is over, to hand it back in
    /// [`Finished::leftovers`] rather than free it here.
    pub fn hand_back(&self, value: impl Any) {
        self.leftovers.borrow_mut().0.push(Box::new(value));
    }

    /// Finds the catalog files, or says where socctl looked and how to point it at them.
    pub fn catalog_paths(&self) -> anyhow::Result<config::CatalogPaths> {
        config::find_catalog(
            self.cli_catalog.as_deref(),
            self.cli_roles.as_deref(),
            environment::config_dir().as_deref(),
        )
        .map_err(|e| {
            anyhow::anyhow!(
                "{e}\n  hint: pass --catalog PATH (or set SOCCTL_CATALOG), or run socctl where tasks.yaml is"
            )
        })
    }

    /// Finds, loads and validates the catalog, applying `--tz`.
    pub fn catalog(&self) -> anyhow::Result<Catalog> {
        Ok(self.opened_catalog()?.into_whole()?)
    }

    /// [`Context::catalog`], with a compiled catalog's tasks still encoded: the command
    /// then decodes only those it needs ([`Opened::into_tasks_in`]).
    pub fn opened_catalog(&self) -> anyhow::Result<Opened> {
        if let Some(catalog) = self.kept_catalog.borrow_mut().take() {
            return Ok(Opened::Whole(catalog));
        }
        let paths = self.catalog_paths()?;
        // Validation needs today only to tell whether a rule still fires; before the catalog's
        // zone is known, UTC's today is as good as any.
        let today = environment::today(&jiff::tz::TimeZone::UTC).map_err(UsageError)?;
        // Where the compiled catalog lives is only worked out by commands that load one.
        let cache = if self.no_cache {
            None
        } else {
            environment::cache_settings()
        };
        let mut opened = open_cached(&paths.tasks, &paths.roles, today, cache.as_ref())?;
        if let Some(name) = &self.tz {
            let zone = crate::calendar::time_zone(name).ok_or_else(|| {
                UsageError(format!(
                    "unknown time zone `{name}` in --tz; use an IANA name such as Europe/Copenhagen"
                ))
            })?;
            // One zone for every team: `--tz` overrides the teams' own zones too.
            opened.head_mut().set_time_zone(&zone, name);
        }
        Ok(opened)
    }

    /// Keeps a catalog already read, for the command's [`Context::catalog`].
    fn keep_catalog(&self, catalog: Option<Catalog>) {
        *self.kept_catalog.borrow_mut() = catalog;
    }

    /// Today in the catalog's time zone.
    pub fn today(&self, catalog: &Catalog) -> anyhow::Result<jiff::civil::Date> {
        Ok(environment::today(&catalog.calendar.time_zone).map_err(UsageError)?)
    }

    /// The civil time now in the catalog's time zone, which deadlines are held against.
    pub fn now(&self, catalog: &Catalog) -> anyhow::Result<jiff::civil::DateTime> {
        Ok(environment::now_in(&catalog.calendar.time_zone).map_err(UsageError)?)
    }

    /// Today for team `team`: the one clock reading, in the team's own time zone.
    pub fn today_of_team(
        &self,
        catalog: &Catalog,
        team: usize,
    ) -> anyhow::Result<jiff::civil::Date> {
        Ok(catalog.now_of_team(team, self.now(catalog)?).date())
    }

    /// Resolves a date argument against today in team `team`'s zone (`None`: the
    /// catalog's).
    pub fn date_of_team(
        &self,
        catalog: &Catalog,
        team: Option<usize>,
        arg: Option<&DateArg>,
    ) -> anyhow::Result<jiff::civil::Date> {
        let today = match team {
            Some(team) => self.today_of_team(catalog, team)?,
            None => self.today(catalog)?,
        };
        Ok(arg
            .map_or(Some(today), |arg| arg.resolve(today))
            .ok_or_else(|| UsageError("the date is out of range".to_owned()))?)
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
        Ok(catalog.members(resolve::team(catalog, name)?))
    }

    /// The member id `--person` or `--me` names, if either was given: `--me` is the member
    /// `SOCCTL_PERSON` names, else the one whose id is the login name.
    pub fn person(&self, catalog: &Catalog, args: &PersonArgs) -> anyhow::Result<Option<String>> {
        if let Some(name) = &args.person {
            return Ok(Some(resolve::person(catalog, name, "--person")?.to_owned()));
        }
        if !args.me {
            return Ok(None);
        }
        if let Some(name) = environment::env_var("SOCCTL_PERSON") {
            return Ok(Some(
                resolve::person(catalog, &name, "SOCCTL_PERSON")?.to_owned(),
            ));
        }
        let login = environment::login_user();
        let found = login.as_deref().and_then(|login| {
            catalog
                .teams
                .iter()
                .flat_map(|t| &t.members)
                .find(|m| m.id == login)
        });
        match found {
            Some(member) => Ok(Some(member.id.clone())),
            None => Err(UsageError(format!(
                "--me: no member of roles.yaml has the id {}; set SOCCTL_PERSON to your member id (export SOCCTL_PERSON=ana), or use --person ID",
                login.map_or_else(|| "of your login name ($USER and $LOGNAME are unset)".to_owned(), |l| format!("`{l}` (your login name)"))
            ))
            .into()),
        }
    }

    /// Where the journal is: `--journal`, `SOCCTL_JOURNAL`, else the default location.
    pub fn journal_location(&self) -> anyhow::Result<Location> {
        let value = self.journal.clone().or_else(environment::default_journal).ok_or_else(|| {
            anyhow::anyhow!("cannot tell where the journal goes: set --journal PATH, SOCCTL_JOURNAL, XDG_STATE_HOME or HOME")
        })?;
        // libpq's variables matter only to a PostgreSQL journal: a SQLite one skips reading them.
        let pg_env = match value.to_str() {
            Some(text) if crate::journal::is_postgres_url(text) => environment::pg_env(),
            _ => crate::journal::PgEnv::default(),
        };
        Ok(Location::parse(&value, &pg_env)?)
    }

    /// The journal, when one exists; commands that only read never create it (nor, on
    /// PostgreSQL, its schema).
    pub fn journal_for_reading(&self) -> anyhow::Result<Option<Box<dyn Store>>> {
        Ok(self.journal_location()?.open_existing()?)
    }

    /// The journal, if it exists, for a command about to write to it: one of an older
    /// schema is upgraded now (a read-only command leaves it as it is). Nothing is created.
    pub fn journal_for_recording(
        &self,
        today: jiff::civil::Date,
    ) -> anyhow::Result<Option<Box<dyn Store>>> {
        match self.journal_location()?.open_existing() {
            Err(crate::journal::JournalError::Outdated { .. }) => {
                Ok(Some(self.journal_for_writing(today)?))
            }
            other => Ok(other?),
        }
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
        let no_color = environment::env_var("NO_COLOR").is_some();
        let color = !no_color
            && match self.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => self.terminal,
            };
        // $COLUMNS, else the terminal's width; 80 columns when neither says (piped output).
        let columns = environment::env_var("COLUMNS")
            .and_then(|c| c.parse().ok())
            .filter(|&c: &u16| c > 0);
        let terminal = || {
            self.terminal
                .then(|| comfy_table::Table::new().width())
                .flatten()
        };
        let width = columns
            .or_else(terminal)
            .or(Some(crate::render::DEFAULT_WIDTH));
        RenderOptions {
            locale: self.locale.clone(),
            color,
            width,
            email: crate::render::email::EmailSettings::default(),
            csv: self.csv,
            printed: None,
            cover: std::sync::Arc::new(crate::people::Cover::none()),
        }
    }

    /// [`Context::render_options`] with the journal's cover records, for output that shows
    /// who does `catalog`'s occurrences.
    pub fn render_options_for(&self, catalog: &Catalog) -> RenderOptions {
        RenderOptions {
            cover: std::sync::Arc::new(self.cover(catalog)),
            ..self.render_options()
        }
    }

    /// The journal's cover records (leave and swaps), which decide who does an occurrence
    /// alongside the catalog's assignments: the one place the CLI obtains them, for every
    /// command that shows or filters by assignees. Read once, and only when a task of
    /// `catalog` names someone (no journal, or one that cannot be read, gives none, with a
    /// warning for the latter).
    pub fn cover(&self, catalog: &Catalog) -> crate::people::Cover {
        if !catalog.tasks.iter().any(|task| task.assignment.is_some()) {
            return crate::people::Cover::none();
        }
        self.cover
            .get_or_init(|| {
                cover::load(
                    self,
                    catalog,
                    jiff::civil::Date::MIN,
                    jiff::civil::Date::MAX,
                )
                .unwrap_or_default()
            })
            .clone()
    }

    /// Keeps `cover` (read with the command's other records, or none when the journal is
    /// out of reach) as what [`Context::cover`] gives, unless it was read already.
    pub fn keep_cover(&self, cover: crate::people::Cover) {
        let _ = self.cover.set(cover);
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
            if format == Format::Nagios {
                return UsageError(format!(
                    "`socctl {command}` has no nagios format; use {} (nagios is for `socctl overdue`)",
                    ListingFormat::NAMES
                ))
                .into();
            }
            UsageError(format!(
                "`socctl {command}` has no {name} format; use {} ({name} is for due, week and plan)",
                ListingFormat::NAMES
            ))
            .into()
        })
    }
}

/// How a run ended: its exit code, and the large values its command built.
#[must_use]
pub struct Finished {
    /// The exit code.
    pub exit: Exit,
    /// What the command handed back instead of freeing.
    pub leftovers: Leftovers,
}

impl Finished {
    fn new(exit: Exit) -> Self {
        Self {
            exit,
            leftovers: Leftovers::default(),
        }
    }
}

/// Large values a command built (a catalog, a plan), handed back rather than freed: a
/// process about to exit may `mem::forget` them, as freeing a large catalog piece by piece
/// costs more than the system reclaiming the memory of the process at once. Dropped, they
/// are freed as usual.
#[derive(Default)]
pub struct Leftovers(Vec<Box<dyn Any>>);

/// Runs socctl on `args` (the program name first) as the binary does: parses them, runs
/// the command with its output on standard output or in the `--output` file, and reports
/// any error on standard error. Reads the environment and the clock, and nothing else in
/// the process: it can run many times in one process.
pub fn run<I, T>(args: I) -> Finished
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let words: Vec<OsString> = args.into_iter().map(Into::into).collect();
    // clap's command tree is kept to the end with the leftovers: freeing its few thousand
    // pieces costs more than the rest of a small command.
    let mut command = tree::tree(&words);
    let parsed = command
        .try_get_matches_from_mut(words)
        .and_then(|mut matches| {
            <Cli as clap::FromArgMatches>::from_arg_matches_mut(&mut matches)
                .map_err(|error| error.format(&mut command))
        });
    let mut finished = run_parsed(parsed);
    finished.leftovers.0.push(Box::new(command));
    finished
}

/// [`run`] once the arguments are parsed (or refused).
fn run_parsed(parsed: Result<Cli, clap::Error>) -> Finished {
    let cli = match parsed {
        Ok(cli) => cli,
        Err(error) => return print_clap(&error),
    };
    let result = match cli.output.clone() {
        Some(path) => run_to_file(cli, &path),
        None => stdout_is_open().and_then(|()| {
            let stdout = io::stdout();
            let terminal = stdout.is_terminal();
            let mut out = io::BufWriter::new(exit::Watched::new(stdout.lock()));
            execute(cli, &mut out, terminal)
                .and_then(|finished| {
                    out.flush()?;
                    Ok(finished)
                })
                .map_err(|error| out.get_ref().explain(error))
        }),
    };
    result.unwrap_or_else(|error| {
        report_error(&error);
        Finished::new(Exit::of_error(&error))
    })
}

/// Prints what clap has to say: usage errors on standard error, `--help` and `--version` on
/// standard output, where a write that fails (`socctl --version >/dev/full`) is an error.
fn print_clap(error: &clap::Error) -> Finished {
    if error.use_stderr() {
        let _ = error.print();
        return Finished::new(Exit::of_clap(error));
    }
    let mut stdout = exit::Watched::new(io::stdout().lock());
    let written = stdout_is_open().and_then(|()| {
        write!(stdout, "{}", error.render())?;
        stdout.flush()?;
        Ok(())
    });
    match written.map_err(|error| stdout.explain(error)) {
        Ok(()) => Finished::new(Exit::of_clap(error)),
        Err(error) => {
            report_error(&error);
            Finished::new(Exit::of_error(&error))
        }
    }
}

/// Refuses to run with standard output closed (`socctl … >&-`), where everything written
/// would be lost while the run looked like a success. The Rust runtime opens /dev/null for
/// a closed standard output before `main` (read-write, which a shell's `>/dev/null` never
/// does), so that is what a closed one looks like here.
fn stdout_is_open() -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd as _;
        use std::os::unix::fs::{FileTypeExt as _, MetadataExt as _};
        let stdout = io::stdout();
        let fd = stdout.as_fd();
        let closed = match rustix::fs::fcntl_getfl(fd) {
            Err(_) => true,
            Ok(flags) if flags & rustix::fs::OFlags::RWMODE == rustix::fs::OFlags::RDWR => {
                let null = std::fs::metadata("/dev/null").ok();
                let ours = fd
                    .try_clone_to_owned()
                    .ok()
                    .and_then(|fd| std::fs::File::from(fd).metadata().ok());
                matches!((null, ours), (Some(null), Some(ours))
                    if ours.file_type().is_char_device() && ours.rdev() == null.rdev())
            }
            Ok(_) => false,
        };
        if closed {
            return Err(exit::OutputError::Closed.into());
        }
    }
    Ok(())
}

/// Says what went wrong on standard error (nothing for a closed pipe).
fn report_error(error: &anyhow::Error) {
    if exit::is_broken_pipe(error) {
        return;
    }
    if let Some(diagnostics) = error.downcast_ref::<Diagnostics>() {
        eprintln!("{}", terminal_text(&diagnostics.to_string()));
        eprintln!("socctl: the catalog has errors; run `socctl check` after fixing them");
        return;
    }
    // Error text can quote catalog, journal or server text: keep its lines, but show
    // control characters as escapes rather than sending them to the terminal.
    let text = format!("{error:#}");
    let lines: Vec<String> = text.lines().map(crate::catalog::escape_controls).collect();
    eprintln!("socctl: {}", terminal_text(&lines.join("\n")));
}

/// Runs a parsed command line, writing its output to `out` (`terminal`: a terminal).
pub fn execute(cli: Cli, out: &mut dyn Write, terminal: bool) -> anyhow::Result<Finished> {
    let mut context = Context {
        cli_catalog: cli.catalog,
        cli_roles: cli.roles,
        tz: cli.tz,
        format: cli.format.map(Format::from),
        locale: Locale::english(),
        color: cli.color,
        terminal,
        journal: cli.journal,
        no_cache: cli.no_cache,
        csv: crate::render::CsvSettings {
            delimiter: cli
                .csv_delimiter
                .unwrap_or(crate::render::CsvDelimiter::Comma),
            bom: cli.csv_bom,
        },
        leftovers: RefCell::default(),
        kept_catalog: RefCell::default(),
        cover: std::cell::OnceCell::new(),
    };
    let language = resolve::language(&context, environment::language(cli.lang.as_deref()))?;
    context.locale = Locale::new(&language);
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
    let success = |result: anyhow::Result<()>| result.map(|()| Exit::Success);
    let exit = match cli.command {
        Command::Due(args) => due::run(&context, &args, out),
        Command::Week(args) => week::run(&context, &args, out),
        Command::Plan(args) => plan::run(&context, &args, out),
        Command::Next(args) => success(next::run(&context, &args, out)),
        Command::Tasks(args) => success(tasks::run_list(&context, &args, out)),
        Command::Show(args) => success(tasks::run_show(&context, &args, out)),
        Command::Teams(args) => success(teams::run(&context, &args, out)),
        Command::People(args) => success(people::run(&context, &args, out)),
        Command::Roles(args) => success(roles::run(&context, &args, out)),
        Command::Check(args) => check::run(&context, &args, out),
        Command::Explain(args) => success(explain::run(&context, &args, out)),
        Command::Export(args) => success(export::run(&context, &args, out)),
        Command::Mail(args) => mail::run(&context, &args, out),
        Command::Notify(args) => notify::run(&context, &args, out),
        Command::Away(args) => success(cover::run_away(&context, &args, out)),
        Command::Swap(args) => success(cover::run_swap(&context, &args, out)),
        Command::Done(args) => success(record::run_done(&context, &args, out)),
        Command::Skip(args) => success(record::run_skip(&context, &args, out)),
        Command::Undo(args) => success(record::run_undo(&context, &args, out)),
        Command::Trigger(args) => success(record::run_trigger(&context, &args, out)),
        Command::Overdue(args) => overdue::run(&context, &args, out),
        Command::History(args) => success(history::run(&context, &args, out)),
        Command::Report(args) => success(report::run(&context, &args, out)),
        Command::Journal(args) => success(journal::run(&context, &args, out)),
        Command::Serve(args) => success(serve::run(&context, &args)),
        Command::Tickets(args) => tickets::run(&context, &args, out),
        Command::User(args) => success(user::run(&context, &args, out)),
        Command::Token(args) => success(token::run(&context, &args, out)),
        Command::Completions(args) => success(shell::completions(&args, out)),
        Command::Man(args) => success(shell::man(&args, out)),
        Command::Help(args) => success(shell::help(&args, out)),
    }?;
    Ok(Finished {
        exit,
        leftovers: context.leftovers.into_inner(),
    })
}

#[cfg(test)]
impl Context {
    /// A context with every global option at its default, the journal at `journal`.
    fn for_tests(journal: Option<PathBuf>) -> Self {
        Self {
            cli_catalog: None,
            cli_roles: None,
            tz: None,
            format: None,
            locale: Locale::english(),
            color: ColorChoice::Never,
            terminal: false,
            journal,
            no_cache: true,
            csv: crate::render::CsvSettings {
                delimiter: crate::render::CsvDelimiter::Comma,
                bom: false,
            },
            leftovers: RefCell::default(),
            kept_catalog: RefCell::default(),
            cover: std::cell::OnceCell::new(),
        }
    }
}

/// Runs with output to `-o FILE`, by the rules of [`destination`]: a file is replaced only
/// when complete; FIFOs and devices are written in place.
fn run_to_file(cli: Cli, path: &std::path::Path) -> anyhow::Result<Finished> {
    destination::write_to(path, |out| execute(cli, out, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_can_be_called_twice_in_one_process() {
        let directory = tempfile::tempdir().unwrap();
        let page = directory.path().join("socctl.1");
        for _ in 0..2 {
            let finished = run([
                OsString::from("socctl"),
                "--output".into(),
                page.clone().into(),
                "man".into(),
            ]);
            assert_eq!(finished.exit, Exit::Success);
            assert!(std::fs::read_to_string(&page).unwrap().contains(".TH"));
        }
        let refused = run(["socctl", "no-such-command"]);
        assert_eq!(refused.exit, Exit::Usage);
    }
}
