//! What a run resolves from what the CLI read: the catalog paths, the language. Every
//! input comes in as a value; nothing here reads the environment or the clock.

use std::path::{Path, PathBuf};

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
/// `config_dir` is socctl's per-user configuration directory, if there is one.
pub fn find_catalog(
    tasks: Option<&Path>,
    roles: Option<&Path>,
    config_dir: Option<&Path>,
) -> Result<CatalogPaths, NotFound> {
    let tasks = match tasks {
        Some(path) => first_existing("tasks.yaml", vec![path.to_owned()])?,
        None => {
            let mut candidates = vec![PathBuf::from("tasks.yaml")];
            candidates.extend(config_dir.iter().map(|dir| dir.join("tasks.yaml")));
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
            candidates.extend(config_dir.iter().map(|dir| dir.join("roles.yaml")));
            candidates.dedup();
            first_existing("roles.yaml", candidates)?
        }
    };
    Ok(CatalogPaths { tasks, roles })
}

/// The language to use: the flag (or `SOCCTL_LANG`), then the language part of the
/// `locale` in force (e.g. `da` from `da_DK.UTF-8`), then English.
pub fn language(flag: Option<&str>, locale: Option<&str>) -> String {
    if let Some(language) = flag {
        return language.to_owned();
    }
    locale
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
