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

/// The language a run asked for, before the catalog is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Language {
    /// Its code (`da`, `fr-ca`): a language socctl has words for, or the language of the
    /// locale in force (English words for one socctl lacks, the catalog's text in it).
    Code(String),
    /// A language named outright (`--lang`, `SOCCTL_LANG`) that socctl has no words for:
    /// known only if the catalog has text in it.
    Unknown {
        /// As given.
        given: String,
        /// Its code, if it is shaped like one.
        code: Option<String>,
    },
}

/// The language to use: the flag (or `SOCCTL_LANG`), which must be a language socctl
/// knows; else the language of the `locale` in force (`da-dk` from `da_DK.UTF-8`; English
/// for `C`, `POSIX` or anything not shaped like a locale, never an error); else English.
/// Both may be written as locales (`ja_JP.UTF-8`, `fr-CA`).
pub fn language(flag: Option<&str>, locale: Option<&str>) -> Language {
    if let Some(given) = flag {
        return match crate::i18n::language_code(given) {
            Some(code) if crate::i18n::is_built_in(&code) => Language::Code(code),
            code => Language::Unknown {
                given: given.to_owned(),
                code,
            },
        };
    }
    Language::Code(
        locale
            .and_then(crate::i18n::language_code)
            .unwrap_or_else(|| "en".to_owned()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_must_be_known_and_the_locale_never_fails() {
        let code = |text: &str| Language::Code(text.to_owned());
        assert_eq!(language(Some("ja_JP.UTF-8"), Some("da_DK")), code("ja-jp"));
        assert_eq!(language(Some("C"), None), code("en"));
        assert_eq!(
            language(Some("jp"), Some("ja_JP.UTF-8")),
            Language::Unknown {
                given: "jp".to_owned(),
                code: Some("jp".to_owned())
            }
        );
        assert_eq!(
            language(Some("日本語"), None),
            Language::Unknown {
                given: "日本語".to_owned(),
                code: None
            }
        );
        assert_eq!(language(None, Some("da_DK.UTF-8")), code("da-dk"));
        assert_eq!(language(None, Some("fr_CA")), code("fr-ca"));
        // A locale socctl has no words for keeps its code, for the catalog's text in it.
        assert_eq!(language(None, Some("de_DE.UTF-8")), code("de-de"));
        assert_eq!(language(None, Some("POSIX")), code("en"));
        assert_eq!(language(None, Some("C.UTF-8")), code("en"));
        assert_eq!(language(None, Some("garbage value!")), code("en"));
        assert_eq!(language(None, None), code("en"));
    }
}
