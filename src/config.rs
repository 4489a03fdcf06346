//! What a run resolved from flags, environment and files: catalog paths, today, format.

use std::path::{Path, PathBuf};

use jiff::civil::Date;
use jiff::tz::TimeZone;

/// Where the catalog files were found, or where socctl looked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogPaths {
    /// `tasks.yaml`.
    pub tasks: PathBuf,
    /// `roles.yaml`.
    pub roles: PathBuf,
}

/// No catalog file was found; says where socctl looked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no {file} found; searched: {}", searched.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "))]
pub struct NotFound {
    /// `tasks.yaml` or `roles.yaml`.
    pub file: &'static str,
    /// Every path tried, in order.
    pub searched: Vec<PathBuf>,
}

/// Reads an environment variable, treating an empty value as unset (as XDG requires).
pub fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// The per-user configuration directory for socctl (`$XDG_CONFIG_HOME/socctl`, else
/// `~/.config/socctl`).
pub fn config_dir() -> Option<PathBuf> {
    env_var("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| env_var("HOME").map(|home| Path::new(&home).join(".config")))
        .map(|dir| dir.join("socctl"))
}

fn first_existing(file: &'static str, candidates: Vec<PathBuf>) -> Result<PathBuf, NotFound> {
    candidates
        .iter()
        .find(|path| path.exists())
        .cloned()
        .ok_or(NotFound {
            file,
            searched: candidates,
        })
}

/// Finds the catalog files: an explicit path (flag or `SOCCTL_*` variable) wins; otherwise
/// `tasks.yaml` in the current directory, then in the configuration directory, and
/// `roles.yaml` beside the tasks file, in the current directory, then the configuration directory.
pub fn find_catalog(tasks: Option<&Path>, roles: Option<&Path>) -> Result<CatalogPaths, NotFound> {
    let config = config_dir();
    let tasks = match tasks {
        Some(path) => first_existing("tasks.yaml", vec![path.to_owned()])?,
        None => {
            let mut candidates = vec![PathBuf::from("tasks.yaml")];
            candidates.extend(config.iter().map(|dir| dir.join("tasks.yaml")));
            first_existing("tasks.yaml", candidates)?
        }
    };
    let roles = match roles {
        Some(path) => first_existing("roles.yaml", vec![path.to_owned()])?,
        None => {
            let beside = tasks
                .parent()
                .map_or_else(|| PathBuf::from("roles.yaml"), |dir| dir.join("roles.yaml"));
            let mut candidates = vec![beside, PathBuf::from("roles.yaml")];
            candidates.extend(config.iter().map(|dir| dir.join("roles.yaml")));
            candidates.dedup();
            first_existing("roles.yaml", candidates)?
        }
    };
    Ok(CatalogPaths { tasks, roles })
}

/// The default journal location: `$XDG_STATE_HOME/socctl/journal.db`, else
/// `~/.local/state/socctl/journal.db` (an empty XDG variable counts as unset).
pub fn default_journal() -> Option<PathBuf> {
    env_var("XDG_STATE_HOME")
        .map(PathBuf::from)
        .or_else(|| env_var("HOME").map(|home| Path::new(&home).join(".local").join("state")))
        .map(|dir| dir.join("socctl").join("journal.db"))
}

/// Where the compiled catalog is cached: `$SOCCTL_CACHE_DIR`, else
/// `$XDG_CACHE_HOME/socctl`, else `~/.cache/socctl`; `None` when none of them is set or
/// socctl cannot tell which build it is.
pub fn cache_settings() -> Option<crate::catalog::CacheSettings> {
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
    Some(crate::catalog::CacheSettings {
        directory,
        build: format!("{} {}", executable.len(), modified.as_nanos()),
    })
}

/// Who is recording: `$USER`, else `$LOGNAME`, else `unknown`.
pub fn login_name() -> String {
    env_var("USER")
        .or_else(|| env_var("LOGNAME"))
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The current instant, for the `Date` of e-mails. With [`today`], the only places socctl
/// reads the clock.
pub fn now() -> jiff::Timestamp {
    jiff::Timestamp::now()
}

/// Today's date in `zone`: `SOCCTL_TODAY` (YYYY-MM-DD) when set, else the system clock.
/// The one place socctl reads the clock for dates.
pub fn today(zone: &TimeZone) -> Result<Date, String> {
    if let Some(text) = env_var("SOCCTL_TODAY") {
        return crate::calendar::parse_date(text.trim()).ok_or_else(|| {
            format!("SOCCTL_TODAY=`{text}` is not a date (YYYY-MM-DD, years 0001 to 9999)")
        });
    }
    Ok(jiff::Timestamp::now().to_zoned(zone.clone()).date())
}

/// The language to use: the flag or `SOCCTL_LANG`, then `LC_ALL`, `LC_MESSAGES`, `LANG`
/// (their language part, e.g. `da` from `da_DK.UTF-8`), then English.
pub fn language(flag: Option<&str>) -> String {
    if let Some(language) = flag {
        return language.to_owned();
    }
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .into_iter()
        .find_map(env_var)
        .map(|locale| {
            locale
                .split(['_', '.', '@'])
                .next()
                .unwrap_or_default()
                .to_lowercase()
        })
        .filter(|code| !code.is_empty() && code != "c" && code != "posix")
        .unwrap_or_else(|| "en".to_owned())
}
