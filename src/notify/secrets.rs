//! A channel's credentials, read from where roles.yaml points (`env:VAR`, `file:/path`),
//! with errors that say where and never what.

use std::io::Read as _;

use crate::catalog::SecretRef;

/// The most bytes read from a secret file.
const MAX_SECRET_BYTES: u64 = 64 * 1024;

/// Why a credential could not be had; never its value.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// The variable is not set (or empty).
    #[error("env:{0} is not set in socctl's environment (cron's environment is not your shell's)")]
    Unset(String),
    /// The file could not be read.
    #[error("cannot read file:{path}: {reason}")]
    Unreadable {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// The file is empty.
    #[error("file:{0} is empty")]
    Empty(String),
}

/// The value `reference` points at: a variable (looked up with `variable`, the CLI's
/// environment reader) or a file's first line, trimmed.
pub fn resolve(
    reference: &SecretRef,
    variable: &dyn Fn(&str) -> Option<String>,
) -> Result<String, SecretError> {
    match reference {
        SecretRef::Inline(value) => Ok(value.clone()),
        SecretRef::Env(name) => variable(name)
            .map(|value| value.trim().to_owned())
            .filter(|value| !value.is_empty())
            .ok_or_else(|| SecretError::Unset(name.clone())),
        SecretRef::File(path) => {
            let shown = path.display().to_string();
            let unreadable = |reason: String| SecretError::Unreadable {
                path: shown.clone(),
                reason,
            };
            let file = std::fs::File::open(path).map_err(|e| unreadable(e.to_string()))?;
            let mut bytes = Vec::new();
            file.take(MAX_SECRET_BYTES)
                .read_to_end(&mut bytes)
                .map_err(|e| unreadable(e.to_string()))?;
            let text = String::from_utf8(bytes)
                .map_err(|_| unreadable("it is not UTF-8 text".to_owned()))?;
            let line = text.lines().next().unwrap_or_default().trim().to_owned();
            if line.is_empty() {
                return Err(SecretError::Empty(shown));
            }
            Ok(line)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_resolve_and_errors_never_hold_the_value() {
        let env = |name: &str| (name == "HOOK").then(|| " https://x.example/SECRET \n".to_owned());
        assert_eq!(
            resolve(&SecretRef::Env("HOOK".into()), &env).unwrap(),
            "https://x.example/SECRET"
        );
        let unset = resolve(&SecretRef::Env("NOPE".into()), &env).unwrap_err();
        assert_eq!(
            unset.to_string(),
            "env:NOPE is not set in socctl's environment (cron's environment is not your shell's)"
        );
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), "s3cret\nsecond line\n").unwrap();
        assert_eq!(
            resolve(&SecretRef::File(file.path().to_owned()), &env).unwrap(),
            "s3cret"
        );
        std::fs::write(file.path(), "\n").unwrap();
        let empty = resolve(&SecretRef::File(file.path().to_owned()), &env).unwrap_err();
        assert!(empty.to_string().ends_with("is empty"), "{empty}");
    }
}
