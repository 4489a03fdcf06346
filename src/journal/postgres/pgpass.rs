//! `~/.pgpass` (or `$PGPASSFILE`): the password file every PostgreSQL client reads, with
//! libpq's rules: `host:port:database:user:password` lines, `*` matching anything, `\`
//! escaping `:` and `\`, `#` comments, and the file ignored unless only its owner can read
//! it.

use std::path::{Path, PathBuf};

use super::connect::PgEnv;

/// The password file's location: `$PGPASSFILE`, else `~/.pgpass`.
pub(crate) fn location(env: &PgEnv) -> Option<PathBuf> {
    env.passfile
        .clone()
        .or_else(|| env.home.as_ref().map(|home| home.join(".pgpass")))
}

/// What happened when looking for a password.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Lookup {
    /// A line matched.
    Found(String),
    /// The file is missing or no line matched.
    NotFound,
    /// The file is readable by others, so it was ignored (as libpq does); the message says
    /// how to fix it.
    Ignored(String),
}

/// Finds the password for `host:port:database:user` in the file at `path`.
pub(crate) fn lookup(path: &Path, host: &str, port: u16, database: &str, user: &str) -> Lookup {
    let Ok(metadata) = std::fs::metadata(path) else {
        return Lookup::NotFound;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if metadata.permissions().mode() & 0o077 != 0 {
            return Lookup::Ignored(format!(
                "{} was ignored: other users can read it; `chmod 0600 {}` (as libpq requires)",
                path.display(),
                path.display()
            ));
        }
    }
    if !metadata.is_file() {
        return Lookup::NotFound;
    }
    let Ok(text) = std::fs::read_to_string(path) else {
        return Lookup::NotFound;
    };
    find(&text, &[host, &port.to_string(), database, user]).map_or(Lookup::NotFound, Lookup::Found)
}

/// The password of the first line whose four fields match `wanted`.
fn find(text: &str, wanted: &[&str; 4]) -> Option<String> {
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter_map(split)
        .find(|fields| {
            fields[..4]
                .iter()
                .zip(wanted)
                .all(|(field, wanted)| field == "*" || field == wanted)
        })
        .map(|mut fields| fields.swap_remove(4))
}

/// The five fields of a line, unescaped; `None` for a line with fewer. The password is
/// everything after the fourth separator.
fn split(line: &str) -> Option<Vec<String>> {
    let mut fields = vec![String::new()];
    let mut chars = line.trim_end_matches('\r').chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    fields.last_mut()?.push(next);
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            _ => fields.last_mut()?.push(c),
        }
    }
    (fields.len() == 5).then_some(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# comment\n\
        db.example:5432:journal:alice:first\n\
        *:*:journal:bob:b\\:c\\\\d\n\
        localhost:5433:*:*:any:colon\n\
        short:line\n\
        *:*:*:carol:last\n";

    #[test]
    fn the_first_matching_line_wins_with_wildcards_and_escapes() {
        let cases = [
            (["db.example", "5432", "journal", "alice"], Some("first")),
            (["db.example", "5433", "journal", "alice"], None),
            (["other", "1", "journal", "bob"], Some("b:c\\d")),
            (["localhost", "5433", "x", "y"], Some("any:colon")),
            (["anywhere", "1", "db", "carol"], Some("last")),
            (["short", "line", "x", "y"], None),
        ];
        for (wanted, expected) in cases {
            assert_eq!(
                find(FILE, &wanted).as_deref(),
                expected,
                "{wanted:?} in {FILE}"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_file_others_can_read_is_ignored() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pgpass");
        std::fs::write(&path, "*:*:*:*:secret\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(
            lookup(&path, "h", 5432, "d", "u"),
            Lookup::Found("secret".to_owned())
        );
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(
            matches!(lookup(&path, "h", 5432, "d", "u"), Lookup::Ignored(m) if m.contains("chmod 0600"))
        );
        assert_eq!(
            lookup(&dir.path().join("missing"), "h", 5432, "d", "u"),
            Lookup::NotFound
        );
    }
}
