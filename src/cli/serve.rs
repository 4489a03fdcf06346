//! `socctl serve`: the board, a web view and JSON API over the same catalog and journal.
//! This module turns the command line into [`crate::serve::Settings`] and implements
//! [`crate::serve::Engine`] over the very functions the other commands run, each given a
//! [`Context`] that holds the server's current catalog.

use std::cell::RefCell;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use jiff::SignedDuration;

use super::{
    ChecklistArgs, ColorChoice, Context, DateArg, EnvelopeArgs, PersonArgs, UsageError, environment,
};
use crate::access::Directory;
use crate::catalog::Catalog;
use crate::i18n::Locale;
use crate::journal::JournalError;
use crate::journal::accounts::Policy;
use crate::render::Format;
use crate::serve::{Cidr, EngineError, Limits, RecordAction, Recording, Settings, View};

/// Arguments of `socctl serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The address to listen on (loopback unless you mean otherwise)
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDRESS:PORT")]
    pub listen: SocketAddr,
    /// TLS certificate chain (PEM); with --tls-key, serves HTTPS
    #[arg(long, requires = "tls_key", value_name = "PEM")]
    pub tls_cert: Option<PathBuf>,
    /// TLS private key (PEM)
    #[arg(long, requires = "tls_cert", value_name = "PEM")]
    pub tls_key: Option<PathBuf>,
    /// A header naming the logged-in user, set by a reverse proxy doing single sign-on
    /// (e.g. X-Forwarded-User); honoured only from --trusted-proxy addresses
    #[arg(long, requires = "trusted_proxy", value_name = "HEADER")]
    pub auth_proxy_header: Option<String>,
    /// An address range (CIDR, e.g. 127.0.0.1/32) whose --auth-proxy-header is believed;
    /// repeatable
    #[arg(long, value_name = "CIDR", value_parser = parse_cidr)]
    pub trusted_proxy: Vec<Cidr>,
    /// How long a session may go unused before it ends (30m, 1h, …; at most 30d)
    #[arg(long, env = "SOCCTL_SESSION_IDLE", default_value = "30m", value_name = "DURATION", value_parser = parse_session_length)]
    pub session_idle: SignedDuration,
    /// How long a session lasts at most after the login, used or not (12h, 8h, …; at most 30d)
    #[arg(long, env = "SOCCTL_SESSION_MAX", default_value = "12h", value_name = "DURATION", value_parser = parse_session_length)]
    pub session_max: SignedDuration,
    /// How often the catalog files are checked for edits, in seconds
    #[arg(long, default_value_t = 2, value_name = "SECONDS")]
    pub reload_interval: u64,
    /// How long a client may take to send a request's headers, in seconds
    #[arg(long, default_value_t = 10, value_name = "SECONDS")]
    pub header_timeout: u64,
    /// Run `socctl notify` at this time of day (HH:MM) in each team's own time zone;
    /// repeatable. A time already past when the server starts runs at once
    #[arg(long, value_name = "HH:MM", value_parser = parse_notify_at)]
    pub notify_at: Vec<jiff::civil::Time>,
    /// Also run `socctl notify` for every team this often (90s, 15m, 1h …), from the start
    #[arg(long, value_name = "DURATION", value_parser = parse_notify_every)]
    pub notify_every: Option<SignedDuration>,
    /// Stop a scheduled `socctl notify` run that takes longer than this many seconds
    #[arg(long, default_value_t = 600, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub notify_limit: u64,
    /// How many recordings the server makes at once; on PostgreSQL, the journal connections
    /// it keeps for them (further requests wait their turn, up to 10 s)
    #[arg(long, env = "SOCCTL_JOURNAL_CONNECTIONS", default_value_t = crate::serve::DEFAULT_JOURNAL_CONNECTIONS, value_name = "N", value_parser = parse_connections)]
    pub journal_connections: usize,
}

/// The most `--journal-connections`: far more than a journal takes at once.
const MOST_CONNECTIONS: usize = 256;

/// `--journal-connections`' value: 1 to [`MOST_CONNECTIONS`].
fn parse_connections(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(n) if (1..=MOST_CONNECTIONS).contains(&n) => Ok(n),
        _ => Err(format!(
            "`{text}` is not a number of journal connections; give a whole number from 1 to {MOST_CONNECTIONS} (the default, {}, suits most servers; PostgreSQL's max_connections is shared by every client)",
            crate::serve::DEFAULT_JOURNAL_CONNECTIONS
        )),
    }
}

/// `--notify-at`'s value: a time of day, `HH:MM`.
fn parse_notify_at(text: &str) -> Result<jiff::civil::Time, String> {
    let text = text.trim();
    let valid = text.len() == 5 && text.as_bytes()[2] == b':';
    valid
        .then(|| jiff::civil::Time::strptime("%H:%M", text).ok())
        .flatten()
        .ok_or_else(|| format!("`{text}` is not a time of day; write HH:MM, such as 08:00"))
}

/// `--notify-every`'s value: a length of time, at least a second.
fn parse_notify_every(text: &str) -> Result<SignedDuration, String> {
    parse_duration(text).ok_or_else(|| {
        format!("`{text}` is not a length of time; write a whole number and a unit: 90s, 15m, 1h")
    })
}

/// `--trusted-proxy`'s value.
fn parse_cidr(text: &str) -> Result<Cidr, String> {
    text.parse()
}

/// The longest `--session-idle` and `--session-max`.
const LONGEST_SESSION: SignedDuration = SignedDuration::from_hours(30 * 24);

/// A length of time as `--session-idle`, `--session-max` and `token create --expires`
/// write it: a whole number of seconds, minutes, hours or days (`90s`, `30m`, `12h`,
/// `90d`), at least 1; `None` for anything else.
pub(super) fn parse_duration(text: &str) -> Option<SignedDuration> {
    let text = text.trim();
    let unit = text.chars().last()?;
    let number: i64 = text[..text.len() - unit.len_utf8()].parse().ok()?;
    let seconds_per = match unit {
        's' => 1,
        'm' => 60,
        'h' => 60 * 60,
        'd' => 24 * 60 * 60,
        _ => return None,
    };
    if number < 1 {
        return None;
    }
    Some(SignedDuration::from_secs(number.checked_mul(seconds_per)?))
}

/// `--session-idle`'s and `--session-max`'s value: 1 second to 30 days.
fn parse_session_length(text: &str) -> Result<SignedDuration, String> {
    let length = parse_duration(text).ok_or_else(|| {
        format!(
            "`{text}` is not a length of time; write a whole number and a unit: 90s, 30m, 12h or 2d"
        )
    })?;
    if length > LONGEST_SESSION {
        return Err(format!(
            "`{text}` is longer than 30 days; a session should end well before that (log in again instead)"
        ));
    }
    Ok(length)
}

/// The session policy `args` ask for; an idle limit past the maximum is refused.
fn policy(args: &Args) -> Result<Policy, UsageError> {
    if args.session_idle > args.session_max {
        return Err(UsageError(format!(
            "--session-idle ({}) is longer than --session-max ({}): every session would end at its maximum first; give a shorter --session-idle or a longer --session-max",
            words(args.session_idle),
            words(args.session_max)
        )));
    }
    let default = Policy::default();
    Ok(Policy {
        idle: args.session_idle,
        absolute: args.session_max,
        // The last use is written at most this often, so the idle limit is exact to a
        // thirtieth of itself (a minute for the default half hour).
        refresh: default.refresh.min(args.session_idle / 30),
        ..default
    })
}

/// A length of time in the units it was most likely written in.
fn words(length: SignedDuration) -> String {
    let seconds = length.as_secs();
    for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60)] {
        if seconds % size == 0 {
            return format!("{}{unit}", seconds / size);
        }
    }
    format!("{seconds}s")
}

/// Runs `socctl serve` until SIGTERM or ctrl-c.
pub fn run(context: &Context, args: &Args) -> anyhow::Result<()> {
    let engine = Arc::new(CliEngine {
        catalog: context.cli_catalog.clone(),
        roles: context.cli_roles.clone(),
        tz: context.tz.clone(),
        journal: context.journal.clone(),
        locale: context.locale.clone(),
        probe: std::sync::Mutex::new(None),
        connections: matches!(
            context.journal_location(),
            Ok(crate::journal::Location::Postgres(_))
        )
        .then(|| Connections::new(args.journal_connections)),
    });
    let directory = directory(context, args)?;
    let proxy_header = args
        .auth_proxy_header
        .as_deref()
        .map(|name| {
            axum::http::HeaderName::try_from(name).map_err(|_| {
                UsageError(format!(
                    "--auth-proxy-header `{name}` is not a header name; e.g. X-Forwarded-User"
                ))
            })
        })
        .transpose()?;
    let settings = Settings {
        listen: args.listen,
        tls: args.tls_cert.clone().zip(args.tls_key.clone()),
        proxy_header,
        trusted_proxies: args.trusted_proxy.clone(),
        limits: Limits {
            header_read: Duration::from_secs(args.header_timeout.max(1)),
            ..Limits::default()
        },
        reload_every: Duration::from_secs(args.reload_interval.max(1)),
        notify: notify_schedule(context, args)?,
        journal_connections: args.journal_connections,
        password_checks: crate::serve::cores(),
        jobs: crate::serve::jobs_for(crate::serve::cores()),
    };
    crate::serve::run(settings, engine, directory)
}

/// The server's own `socctl notify` runs, when `--notify-at` or `--notify-every` asks for
/// them: socctl itself, run with the catalog, journal, zone and language the server has.
fn notify_schedule(
    context: &Context,
    args: &Args,
) -> anyhow::Result<Option<crate::serve::schedule::NotifySchedule>> {
    if args.notify_at.is_empty() && args.notify_every.is_none() {
        return Ok(None);
    }
    let program = environment::current_exe().ok_or_else(|| {
        UsageError(
            "--notify-at and --notify-every run socctl itself, but its own path cannot be found"
                .to_owned(),
        )
    })?;
    let mut global: Vec<std::ffi::OsString> = Vec::new();
    for (flag, value) in [
        ("--catalog", &context.cli_catalog),
        ("--roles", &context.cli_roles),
        ("--journal", &context.journal),
    ] {
        if let Some(value) = value {
            global.extend([flag.into(), value.into()]);
        }
    }
    if let Some(tz) = &context.tz {
        global.extend(["--tz".into(), tz.into()]);
    }
    global.extend(["--lang".into(), context.locale.code().into()]);
    Ok(Some(crate::serve::schedule::NotifySchedule {
        at: args.notify_at.clone(),
        every: args
            .notify_every
            .map(|every| Duration::from_secs(every.as_secs().unsigned_abs())),
        limit: Duration::from_secs(args.notify_limit),
        program,
        global,
        clock: Arc::new(|zone| environment::now_in(zone).ok()),
    }))
}

/// The journal's accounts, sessions and tokens; a journal without accounts (or no journal
/// yet) is refused, since nobody could log in.
fn directory(context: &Context, args: &Args) -> anyhow::Result<Arc<dyn Directory>> {
    let policy = policy(args)?;
    let location = context.journal_location()?;
    let none = || {
        UsageError(format!(
            "socctl serve has nobody to let in: the journal at {location} has no accounts yet; add the first with `socctl user add NAME --role admin` (see docs/serve.md)"
        ))
    };
    if location.open_existing()?.is_none() {
        return Err(none().into());
    }
    let directory = super::user::open_with(context, super::user::today_utc(), policy)?;
    if directory.accounts()?.is_empty() {
        return Err(none().into());
    }
    Ok(Arc::new(directory))
}

/// The engine of the board: each call runs a command's own code on a [`Context`] made for
/// it, holding the catalog the server has loaded.
struct CliEngine {
    catalog: Option<PathBuf>,
    roles: Option<PathBuf>,
    tz: Option<String>,
    journal: Option<PathBuf>,
    locale: Locale,
    /// The connection the journal's version is read on, kept open between requests.
    probe: std::sync::Mutex<Option<Probe>>,
    /// The connections recordings reuse, on PostgreSQL (a SQLite journal is opened for
    /// each, which costs little and follows a file put in its place).
    connections: Option<Connections>,
}

/// Open PostgreSQL journals kept between recordings: the server's queue lets at most
/// `most` recordings run at once, so at most that many are ever open here.
struct Connections {
    most: usize,
    idle: std::sync::Mutex<Vec<Box<dyn crate::journal::Store>>>,
}

impl Connections {
    fn new(most: usize) -> Self {
        Self {
            most,
            idle: std::sync::Mutex::new(Vec::with_capacity(most)),
        }
    }

    /// An open journal to record on, when one is kept, still answers and is still at
    /// this socctl's schema (two reads). Otherwise it is closed, and the recording opens
    /// the journal afresh, with the checks and refusals of a first open: the server may
    /// have restarted meanwhile, or a newer socctl migrated the journal.
    fn take(&self) -> Option<Box<dyn crate::journal::Store>> {
        let store = self
            .idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .pop()?;
        store.still_current().is_ok().then_some(store)
    }

    /// Keeps `store` for the next recording.
    fn give_back(&self, store: Box<dyn crate::journal::Store>) {
        let mut idle = self
            .idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if idle.len() < self.most {
            idle.push(store);
        }
    }
}

/// An open journal kept to read its change counters.
struct Probe {
    store: Box<dyn crate::journal::Store>,
    /// The SQLite file's device and inode when it was opened.
    file: Option<(u64, u64)>,
}

/// The device and inode of the SQLite journal at `location` (`None` for PostgreSQL, or
/// when there is no file).
fn file_identity(location: &crate::journal::Location) -> Option<(u64, u64)> {
    #[cfg(unix)]
    if let crate::journal::Location::Sqlite(path) = location {
        use std::os::unix::fs::MetadataExt as _;
        return std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()));
    }
    let _ = location;
    None
}

impl CliEngine {
    /// A context as the command line would make it, writing `format`, with `catalog`
    /// already loaded.
    fn context(&self, format: Format, catalog: Option<&Catalog>) -> Context {
        Context {
            cli_catalog: self.catalog.clone(),
            cli_roles: self.roles.clone(),
            tz: self.tz.clone(),
            format: Some(format),
            locale: self.locale.clone(),
            color: ColorChoice::Never,
            terminal: false,
            journal: self.journal.clone(),
            // The server holds the catalog itself; the compiled copy would only race it.
            no_cache: true,
            csv: crate::render::CsvSettings::default(),
            leftovers: RefCell::default(),
            kept_catalog: RefCell::new(catalog.cloned()),
            cover: std::cell::OnceCell::new(),
        }
    }

    /// Runs `command` with JSON output and `catalog`.
    fn json(
        &self,
        catalog: &Catalog,
        command: impl FnOnce(&Context, &mut Vec<u8>) -> anyhow::Result<()>,
        recording: bool,
    ) -> Result<Vec<u8>, EngineError> {
        let context = self.context(Format::Json, Some(catalog));
        let mut out = Vec::new();
        command(&context, &mut out).map_err(|error| classify(&error, recording))?;
        Ok(out)
    }
}

/// The board's name for what went wrong.
fn classify(error: &anyhow::Error, recording: bool) -> EngineError {
    let text = format!("{error:#}");
    let journal = error.chain().find_map(|c| c.downcast_ref::<JournalError>());
    if error.downcast_ref::<UsageError>().is_some() {
        EngineError::Usage(text)
    } else if matches!(
        journal,
        Some(JournalError::Unavailable { .. } | JournalError::ReadOnly { .. })
    ) {
        // Out of reach, or not writable now (held locked past the busy time-out by other
        // writers, a full disk): the request may succeed later, so 503, not 500.
        EngineError::Unavailable(text)
    } else if journal.is_some() {
        EngineError::Failed(text)
    } else if recording
        && error
            .downcast_ref::<crate::track::record::RecordError>()
            .is_some()
    {
        // What remains of a recording's own errors are what the journal holds already:
        // already done, already undone, already triggered.
        EngineError::Conflict(text)
    } else {
        EngineError::Failed(text)
    }
}

/// A checklist written without the journal's statuses is, for the board, the journal
/// being out of reach (503), not a page that looks as if nothing were done.
fn degraded(context: &Context, exit: super::Exit) -> anyhow::Result<()> {
    if exit == super::Exit::Degraded {
        return Err(JournalError::Unavailable {
            journal: context
                .journal_location()
                .map(|location| location.to_string())
                .unwrap_or_default(),
            reason: "it could not be read, so the board would show no statuses; try again shortly"
                .to_owned(),
        }
        .into());
    }
    Ok(())
}

/// The `due` and `week` arguments for `team`.
fn checklist(team: Option<&String>) -> ChecklistArgs {
    ChecklistArgs {
        team: team.cloned(),
        quiet_if_empty: false,
        mail: EnvelopeArgs::default(),
        person: PersonArgs::default(),
    }
}

impl crate::serve::Engine for CliEngine {
    fn catalog_files(&self) -> Vec<PathBuf> {
        let mut files = self
            .context(Format::Json, None)
            .catalog_paths()
            .map(|paths| vec![paths.tasks, paths.roles])
            .unwrap_or_default();
        let holidays = crate::catalog::holiday_files(&files);
        files.extend(holidays);
        files
    }

    fn load(&self) -> Result<Catalog, String> {
        let context = self.context(Format::Text, None);
        match context.catalog() {
            Ok(catalog) => Ok(catalog),
            Err(error) => {
                // `socctl check`'s report, which says what is wrong and where.
                let mut out = Vec::new();
                let _ = super::check::run(&context, &super::check::Args {}, &mut out);
                let report = String::from_utf8_lossy(&out).into_owned();
                Err(if report.trim().is_empty() {
                    format!("{error:#}")
                } else {
                    report
                })
            }
        }
    }

    fn view(&self, catalog: &Catalog, view: &View) -> Result<Vec<u8>, EngineError> {
        let on = |date: &Option<jiff::civil::Date>| date.map(DateArg::On);
        match view {
            View::Due { date, team } => self.json(
                catalog,
                |context, out| {
                    let args = super::due::Args {
                        date: on(date),
                        checklist: checklist(team.as_ref()),
                    };
                    degraded(context, super::due::run(context, &args, out)?)
                },
                false,
            ),
            View::Week { date, team } => self.json(
                catalog,
                |context, out| {
                    let args = super::week::Args {
                        date: on(date),
                        checklist: checklist(team.as_ref()),
                    };
                    degraded(context, super::week::run(context, &args, out)?)
                },
                false,
            ),
            View::Show { task } => self.json(
                catalog,
                |context, out| {
                    super::tasks::run_show(
                        context,
                        &super::tasks::ShowArgs { task: task.clone() },
                        out,
                    )
                },
                false,
            ),
            View::Next { task } => self.json(
                catalog,
                |context, out| {
                    let args = super::next::Args {
                        tasks: vec![task.clone()],
                        team: None,
                        count: 5,
                        date: None,
                        person: PersonArgs::default(),
                    };
                    super::next::run(context, &args, out)
                },
                false,
            ),
            View::History { task } => self.json(
                catalog,
                |context, out| {
                    let args = super::history::Args {
                        team: None,
                        task: Some(task.clone()),
                        from: None,
                        to: None,
                    };
                    super::history::run(context, &args, out)
                },
                false,
            ),
            View::Teams => self.json(
                catalog,
                |context, out| super::teams::run(context, &super::teams::Args {}, out),
                false,
            ),
            View::Roles => self.json(
                catalog,
                |context, out| super::roles::run(context, &super::roles::Args { team: None }, out),
                false,
            ),
            View::Report { team, from, to } => self.json(
                catalog,
                |context, out| {
                    let args = super::report::Args {
                        from: on(from),
                        to: on(to),
                        team: team.clone(),
                        by_person: false,
                    };
                    super::report::run(context, &args, out)
                },
                false,
            ),
            View::Calendar { team } => self.json(
                catalog,
                |context, out| {
                    let args = super::export::Args {
                        format: super::export::ExportFormat::Ics(super::export::IcsArgs {
                            team: Some(team.clone()),
                            from: None,
                            to: None,
                            person: PersonArgs::default(),
                        }),
                    };
                    super::export::run(context, &args, out)
                },
                false,
            ),
            View::PersonCalendar { person } => self.json(
                catalog,
                |context, out| {
                    let args = super::export::Args {
                        format: super::export::ExportFormat::Ics(super::export::IcsArgs {
                            team: None,
                            from: None,
                            to: None,
                            person: PersonArgs {
                                person: Some(person.clone()),
                                me: false,
                            },
                        }),
                    };
                    super::export::run(context, &args, out)
                },
                false,
            ),
        }
    }

    fn record(
        &self,
        catalog: &Catalog,
        by: &str,
        recording: &Recording,
    ) -> Result<Vec<u8>, EngineError> {
        use crate::track::record::Act;
        let note = recording.note.clone();
        let reference = recording.reference.clone();
        let act = match recording.action {
            RecordAction::Done => Act::Done { note, reference },
            RecordAction::Skip => Act::Skip {
                reason: note.unwrap_or_default(),
                reference,
            },
            RecordAction::Undo => Act::Undo { note },
            RecordAction::Trigger => Act::Trigger {
                reason: note.unwrap_or_default(),
                reference,
            },
        };
        let date = recording.date.map(DateArg::On);
        let occurrence = match recording.action {
            RecordAction::Trigger => None,
            _ => recording.occurrence.map(DateArg::On),
        };
        let given = super::record::Given {
            task: &recording.task,
            date: date.as_ref(),
            occurrence: occurrence.as_ref(),
            team: recording.team.as_deref(),
            all_teams: recording.all_teams,
            by: Some(by),
        };
        let context = self.context(Format::Json, Some(catalog));
        let mut kept = self.connections.as_ref().and_then(Connections::take);
        let recorded = super::record::make_on(&context, catalog, &given, &act, &mut kept)
            .map_err(|error| classify(&error, true));
        if let (Some(connections), Some(store)) = (&self.connections, kept) {
            // A connection the journal failed on is closed; the next recording opens another.
            if !matches!(
                recorded,
                Err(EngineError::Unavailable(_) | EngineError::Failed(_))
            ) {
                connections.give_back(store);
            }
        }
        let recorded = recorded?;
        let mut out = Vec::new();
        crate::render::write_json(&mut out, &recorded.record)
            .map_err(|error| EngineError::Failed(format!("{error:#}")))?;
        Ok(out)
    }

    fn ready(&self) -> Result<(), String> {
        let context = self.context(Format::Json, None);
        let reach = || -> anyhow::Result<()> {
            if let Some(store) = context.journal_for_reading()? {
                store.tracking_start()?;
            }
            Ok(())
        };
        reach().map_err(|error| format!("{error:#}"))
    }

    fn today(&self, catalog: &Catalog) -> Result<jiff::civil::Date, EngineError> {
        environment::today(&catalog.calendar.time_zone).map_err(EngineError::Usage)
    }

    fn now(&self, catalog: &Catalog) -> Result<jiff::civil::DateTime, EngineError> {
        environment::now_in(&catalog.calendar.time_zone).map_err(EngineError::Usage)
    }

    fn journal_version(&self) -> Option<crate::serve::JournalVersion> {
        let location = self.context(Format::Json, None).journal_location().ok()?;
        let file = file_identity(&location);
        let mut probe = self
            .probe
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // A file put in the journal's place is another journal: read that one.
        if probe.as_ref().is_some_and(|open| open.file != file) {
            *probe = None;
        }
        if probe.is_none() {
            let store = location.open_existing().ok().flatten()?;
            *probe = Some(Probe { store, file });
        }
        match probe.as_ref()?.store.changes() {
            Ok(changes) => Some(crate::serve::JournalVersion { file, changes }),
            Err(_) => {
                // Reconnect at the next request (PostgreSQL restarted, say); until the
                // counters can be read, nothing is served from memory.
                *probe = None;
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_a_whole_number_and_a_unit() {
        for (text, seconds) in [
            ("90s", 90),
            ("30m", 30 * 60),
            ("12h", 12 * 3600),
            ("2d", 2 * 86_400),
            (" 1s ", 1),
        ] {
            assert_eq!(
                parse_duration(text),
                Some(SignedDuration::from_secs(seconds)),
                "{text}"
            );
        }
        for bad in [
            "",
            "m",
            "5",
            "5x",
            "0m",
            "-1m",
            "1.5h",
            "1 h",
            "99999999999999999d",
        ] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
        assert!(parse_session_length("30d").is_ok());
        assert!(parse_session_length("721h").is_err());
    }

    fn args(idle: &str, max: &str) -> Args {
        use clap::Parser as _;
        #[derive(clap::Parser)]
        struct Serve {
            #[command(flatten)]
            args: Args,
        }
        Serve::parse_from(["serve", "--session-idle", idle, "--session-max", max]).args
    }

    #[test]
    fn the_policy_takes_the_session_lengths() {
        let default = policy(&args("30m", "12h")).unwrap();
        assert_eq!(default.idle, SignedDuration::from_mins(30));
        assert_eq!(default.absolute, SignedDuration::from_hours(12));
        // A minute for half an hour idle; a thirtieth of a short idle limit.
        assert_eq!(default.refresh, SignedDuration::from_mins(1));
        let short = policy(&args("3s", "6s")).unwrap();
        assert_eq!(short.refresh, SignedDuration::from_millis(100));
        assert_eq!(short.max_failures, Policy::default().max_failures);
        assert!(policy(&args("12h", "12h")).is_ok());
        let error = policy(&args("2h", "1h")).unwrap_err();
        assert!(
            error
                .0
                .contains("--session-idle (2h) is longer than --session-max (1h)"),
            "{}",
            error.0
        );
    }
}
