//! The one place socctl reads the process environment and the clock. Each reading becomes a
//! plain value that the library takes as an input.

use std::path::{Path, PathBuf};

use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::catalog::CacheSettings;
use crate::journal::PgEnv;

/// Reads an environment variable, treating an empty value as unset (as XDG requires).
pub(super) fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// The command line a shell asks completions for: the words after socctl's own first `--`
/// (the shell runs `COMPLETE=bash socctl -- socctl due --team …`).
pub(super) fn completed_words() -> Vec<std::ffi::OsString> {
    std::env::args_os()
        .skip_while(|word| word != "--")
        .skip(1)
        .collect()
}

/// The per-user configuration directory for socctl (`$XDG_CONFIG_HOME/socctl`, else
/// `~/.config/socctl`).
pub(super) fn config_dir() -> Option<PathBuf> {
    env_var("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| env_var("HOME").map(|home| Path::new(&home).join(".config")))
        .map(|dir| dir.join("socctl"))
}

/// The default journal location: `$XDG_STATE_HOME/socctl/journal.db`, else
/// `~/.local/state/socctl/journal.db` (an empty XDG variable counts as unset).
pub(super) fn default_journal() -> Option<PathBuf> {
    env_var("XDG_STATE_HOME")
        .map(PathBuf::from)
        .or_else(|| env_var("HOME").map(|home| Path::new(&home).join(".local").join("state")))
        .map(|dir| dir.join("socctl").join("journal.db"))
}

/// Where the compiled catalog is cached: `$SOCCTL_CACHE_DIR`, else
/// `$XDG_CACHE_HOME/socctl`, else `~/.cache/socctl`; `None` when none of them is set or
/// socctl cannot tell which build it is.
pub(super) fn cache_settings() -> Option<CacheSettings> {
    let directory = env_var("SOCCTL_CACHE_DIR").map(PathBuf::from).or_else(|| {
        env_var("XDG_CACHE_HOME")
            .map(|dir| Path::new(&dir).join("socctl"))
            .or_else(|| env_var("HOME").map(|home| Path::new(&home).join(".cache").join("socctl")))
    })?;
    // The executable's size and modification time tell builds of one version apart.
    let executable = std::fs::metadata(std::env::current_exe().ok()?).ok()?;
    let modified = executable
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some(CacheSettings {
        directory,
        build: format!("{} {}", executable.len(), modified.as_nanos()),
    })
}

/// The login name: `$USER`, else `$LOGNAME`, else `unknown` (for PostgreSQL's user name).
pub(super) fn login_name() -> String {
    env_var("USER")
        .or_else(|| env_var("LOGNAME"))
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The login name, `$USER`, else `$LOGNAME`, when either is set (for `--me`).
pub(super) fn login_user() -> Option<String> {
    env_var("USER").or_else(|| env_var("LOGNAME"))
}

/// Who makes a record: `--by`, else `$SOCCTL_BY`, else the login name (`$USER`, else
/// `$LOGNAME`); `None` when none of them names anyone (blank counts as unset).
pub(super) fn author(flag: Option<&str>) -> Option<String> {
    flag.map(str::to_owned)
        .or_else(|| env_var("SOCCTL_BY"))
        .or_else(|| env_var("USER"))
        .or_else(|| env_var("LOGNAME"))
        .filter(|name| !name.trim().is_empty())
}

/// The current instant: when a record is made, the `Date` of e-mails. With [`today`], the
/// only places socctl reads the clock.
pub(super) fn now() -> jiff::Timestamp {
    jiff::Timestamp::now()
}

/// The path of the running socctl, for running it again (`serve --notify-at`).
pub(super) fn current_exe() -> Option<std::path::PathBuf> {
    std::env::current_exe().ok()
}

/// Today's date in `zone`: `SOCCTL_TODAY` when set, else the system clock.
/// The one place socctl reads the clock for dates.
pub(super) fn today(zone: &TimeZone) -> Result<Date, String> {
    Ok(now_in(zone)?.date())
}

/// The civil time now in `zone`, which deadlines are held against: `SOCCTL_TODAY`
/// (`YYYY-MM-DD`, meaning its first moment, or `YYYY-MM-DDTHH:MM[:SS]`) when set, else the
/// system clock.
pub(super) fn now_in(zone: &TimeZone) -> Result<jiff::civil::DateTime, String> {
    if let Some(text) = env_var("SOCCTL_TODAY") {
        let text = text.trim();
        if let Some(date) = crate::calendar::parse_date(text) {
            return Ok(date.to_datetime(jiff::civil::Time::midnight()));
        }
        // With an offset (`2027-03-15T02:00Z`), one instant: the wall clock in `zone` then.
        if let Ok(instant) = text.parse::<jiff::Timestamp>() {
            return Ok(instant.to_zoned(zone.clone()).datetime());
        }
        return text
            .parse::<jiff::civil::DateTime>()
            .ok()
            .filter(|_| text.len() >= 16 && text.as_bytes()[10] == b'T')
            .ok_or_else(|| {
                format!(
                    "SOCCTL_TODAY=`{text}` is not a date (YYYY-MM-DD, years 0001 to 9999) or a \
                     date and time (YYYY-MM-DDTHH:MM)"
                )
            });
    }
    Ok(jiff::Timestamp::now().to_zoned(zone.clone()).datetime())
}

/// The language asked for: the flag or `SOCCTL_LANG`, then the locale of `LC_ALL`,
/// `LC_MESSAGES` or `LANG`.
pub(super) fn language(flag: Option<&str>) -> crate::config::Language {
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .into_iter()
        .find_map(env_var);
    crate::config::language(flag, locale.as_deref())
}

/// What a PostgreSQL journal takes from the environment, as libpq does: `PGSSLMODE`,
/// `PGSSLROOTCERT`, `PGUSER` (else the login name), `PGPASSWORD`, `PGPASSFILE` and `HOME`.
pub(super) fn pg_env() -> PgEnv {
    PgEnv {
        sslmode: env_var("PGSSLMODE"),
        sslrootcert: env_var("PGSSLROOTCERT").map(PathBuf::from),
        user: Some(env_var("PGUSER").unwrap_or_else(login_name)),
        password: env_var("PGPASSWORD"),
        passfile: env_var("PGPASSFILE").map(PathBuf::from),
        home: env_var("HOME").map(PathBuf::from),
    }
}
