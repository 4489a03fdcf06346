//! Reading `tasks.yaml` and `roles.yaml`: both files read as text, then each document
//! checked ([`super::roles`], then [`super::tasks`], which refers to the teams) and the
//! catalog assembled. Every problem is collected, none stops the reading.

use std::collections::BTreeMap;
use std::path::Path;

use jiff::civil::Date;

use crate::calendar::Calendar;

use super::diagnostic::{Diagnostic, Diagnostics};
use super::model::Catalog;
use super::roles::{Roles, TeamIndex, read_roles};
use super::tasks::read_tasks;
use super::yaml::Document;

/// Catalog files larger than this are refused before parsing (a 100,000-task catalog is
/// about 40 MB).
pub const MAX_FILE_BYTES: u64 = 128 * 1024 * 1024;

/// The result of reading a catalog: the catalog when it has no errors, and every problem found.
#[derive(Debug)]
pub struct Loaded {
    /// The catalog, when it has no errors.
    pub catalog: Option<Catalog>,
    /// Every error and warning, in file order.
    pub diagnostics: Diagnostics,
    /// When the catalog has errors but none in the calendar settings of tasks.yaml (only in
    /// its tasks, or in roles.yaml): those settings, which `explain` uses in a catalog that
    /// is being fixed. `None` for a valid catalog, which holds its calendar itself.
    pub calendar: Option<CalendarSettings>,
}

/// The calendar part of tasks.yaml: time zone, week start, work days, holidays and aliases.
#[derive(Debug, Clone)]
pub struct CalendarSettings {
    /// Work days, holidays, week start and time zone.
    pub calendar: Calendar,
    /// The time zone as written (`UTC` when none is).
    pub time_zone_name: String,
    /// The catalog's `cadence_aliases`.
    pub cadence_aliases: BTreeMap<String, String>,
}

impl Loaded {
    /// The catalog, or every problem when it has errors.
    pub fn into_valid(self) -> Result<Catalog, Diagnostics> {
        match self.catalog {
            Some(catalog) if !self.diagnostics.has_errors() => Ok(catalog),
            _ => Err(self.diagnostics),
        }
    }
}

/// Reads and validates both files; `today` decides whether a rule still fires.
pub fn load(tasks_path: &Path, roles_path: &Path, today: Date) -> Loaded {
    match read_both(tasks_path, roles_path) {
        Ok((tasks, roles)) => load_sources(tasks_path, &tasks, roles_path, &roles, today),
        Err(diagnostics) => Loaded {
            catalog: None,
            diagnostics,
            calendar: None,
        },
    }
}

/// Reads, validates and returns the catalog, or every problem when it has errors.
pub fn load_valid(
    tasks_path: &Path,
    roles_path: &Path,
    today: Date,
) -> Result<Catalog, Diagnostics> {
    load(tasks_path, roles_path, today).into_valid()
}

/// Reads both catalog files as text, or says what is wrong with either or both.
pub(crate) fn read_both(
    tasks_path: &Path,
    roles_path: &Path,
) -> Result<(String, String), Diagnostics> {
    match (read_file(tasks_path), read_file(roles_path)) {
        (Ok(tasks), Ok(roles)) => Ok((tasks, roles)),
        (tasks, roles) => Err(Diagnostics(
            [tasks.err(), roles.err()].into_iter().flatten().collect(),
        )),
    }
}

/// Reads a catalog file as UTF-8 text, refusing what is not a regular file or is too large.
pub fn read_file(path: &Path) -> Result<String, Diagnostic> {
    let metadata = std::fs::metadata(path)
        .map_err(|e| Diagnostic::file_error(path, format!("cannot read: {e}")))?;
    if metadata.is_dir() {
        return Err(
            Diagnostic::file_error(path, "is a directory, not a catalog file")
                .with_hint("point at the YAML file itself, e.g. `--catalog dir/tasks.yaml`"),
        );
    }
    if !metadata.is_file() {
        return Err(Diagnostic::file_error(
            path,
            "is not a regular file (a pipe, socket or device)",
        )
        .with_hint("socctl reads catalogs from regular files only"));
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::file_error(
            path,
            format!(
                "is {} MB; socctl reads catalogs up to {} MB",
                metadata.len() >> 20,
                MAX_FILE_BYTES >> 20
            ),
        ));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::file_error(path, format!("cannot read: {e}")))?;
    String::from_utf8(bytes).map_err(|error| {
        let offset = error.utf8_error().valid_up_to();
        let bytes = error.as_bytes();
        let line = bytes[..offset].split(|b| *b == b'\n').count();
        let column = offset
            - bytes[..offset]
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |p| p + 1)
            + 1;
        Diagnostic {
            line: line as u64,
            column: column as u64,
            ..Diagnostic::file_error(path, format!("is not valid UTF-8 (byte {offset})"))
        }
        .with_hint("save the file as UTF-8")
    })
}

/// How many nodes the YAML of `source` holds, read as a first run reads it (socctl's
/// scanner, or the full parser for what it leaves), without checking any catalog field:
/// for benchmarks of the YAML alone (`load/yaml-tree`).
#[doc(hidden)]
pub fn yaml_nodes(source: &str) -> usize {
    fn count(node: &super::yaml::Spanned<super::yaml::Node<'_>>) -> usize {
        1 + match &node.value {
            super::yaml::Node::Seq(items) => items.iter().map(count).sum(),
            super::yaml::Node::Map(entries) => entries.iter().map(|(_, v)| 1 + count(v)).sum(),
            _ => 0,
        }
    }
    Document::new(Path::new("tasks.yaml"), source)
        .parse()
        .map_or(0, |root| count(&root))
}

/// Validates both files from their text (`*_path` only names them in messages).
pub fn load_sources(
    tasks_path: &Path,
    tasks_source: &str,
    roles_path: &Path,
    roles_source: &str,
    today: Date,
) -> Loaded {
    let mut roles_doc = Document::new(roles_path, roles_source);
    let Roles {
        servicenow,
        teams,
        groups,
        mail_from,
        notify,
    } = roles_doc
        .parse()
        .map(|root| read_roles(&mut roles_doc, &root))
        .unwrap_or_default();
    // Unknown team names are only worth reporting when roles.yaml gave us teams to compare with.
    let roles_ok = !teams.is_empty();
    let index = TeamIndex::new(&teams, &groups);

    let mut tasks_doc = Document::new(tasks_path, tasks_source);
    let settings = tasks_doc
        .parse()
        .map(|mut root| read_tasks(&mut tasks_doc, &mut root, &index, roles_ok, today));

    let mut diagnostics = roles_doc.diagnostics;
    diagnostics.extend(tasks_doc.diagnostics);
    if let Some(settings) = &settings {
        let roles_failed = diagnostics
            .iter()
            .any(|d| d.severity == super::Severity::Error && d.file == roles_path);
        if !roles_failed {
            let tickets = super::servicenow::Opted {
                tasks_path,
                roles_path,
                tasks: &settings.tasks,
                teams: &teams,
            };
            diagnostics.extend(tickets.check(servicenow.as_ref()));
        }
    }
    // Tasks before roles reads more naturally: the file the user edits most comes first.
    // Holiday files named in either come after both.
    diagnostics.sort_by(|a, b| {
        let rank = |d: &Diagnostic| (d.file != tasks_path, d.file != roles_path);
        (rank(a), &a.file, a.line, a.column).cmp(&(rank(b), &b.file, b.line, b.column))
    });
    let diagnostics = Diagnostics(diagnostics);
    let calendar = settings
        .as_ref()
        // A valid catalog carries its calendar itself.
        .filter(|settings| settings.calendar_ok && diagnostics.has_errors())
        .map(|settings| CalendarSettings {
            calendar: settings.calendar.clone(),
            time_zone_name: settings.time_zone_name.clone(),
            cadence_aliases: settings.cadence_aliases.clone(),
        });
    let catalog = match settings {
        Some(settings) if !diagnostics.has_errors() => Some(Catalog {
            tasks_path: tasks_path.to_owned(),
            roles_path: roles_path.to_owned(),
            calendar: settings.calendar,
            time_zone_name: settings.time_zone_name,
            cadence_aliases: settings.cadence_aliases,
            servicenow,
            tasks: settings.tasks,
            teams,
            groups,
            mail_from,
            notify,
        })
        .map(|mut catalog: Catalog| {
            catalog.resolve_team_calendars();
            catalog
        }),
        _ => None,
    };
    Loaded {
        catalog,
        diagnostics,
        calendar,
    }
}
