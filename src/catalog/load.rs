//! Reading `tasks.yaml` and `roles.yaml`: every problem is collected, none stops the reading.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde_saphyr::{Location, Spanned};

use super::diagnostic::{Diagnostic, Diagnostics, Severity};
use super::model::{
    Catalog, FORMAT_VERSION, Group, Task, TaskText, Team, TeamSelector, TeamText, name_key,
};
use super::yaml::{Document, Node, nearest};
use crate::cadence::{self, ACCEPTED_FORMS, Schedule};
use crate::calendar::{Calendar, Shift, WeekdaySet, parse_weekday};

/// Catalog files larger than this are refused before parsing (a 100,000-task catalog is
/// about 40 MB).
pub const MAX_FILE_BYTES: u64 = 128 * 1024 * 1024;

const TASKS_FIELDS: &[&str] = &[
    "version",
    "timezone",
    "week_start",
    "workdays",
    "holidays",
    "cadence_aliases",
    "tasks",
];
const TASK_FIELDS: &[&str] = &[
    "id",
    "title",
    "description",
    "cadence",
    "team",
    "start",
    "shift",
    "translations",
    "tags",
    "estimate",
    "references",
];
const TASK_TEXT_FIELDS: &[&str] = &["title", "description", "cadence"];
const ROLES_FIELDS: &[&str] = &["version", "mail_from", "groups", "teams"];
const TEAM_FIELDS: &[&str] = &[
    "id",
    "name",
    "aliases",
    "responsibilities",
    "defender_tasks",
    "email",
    "timezone",
    "translations",
];
const TEAM_TEXT_FIELDS: &[&str] = &["name"];
const GROUP_FIELDS: &[&str] = &["id", "name", "aliases", "members"];

/// The result of reading a catalog: the catalog when it has no errors, and every problem found.
#[derive(Debug)]
pub struct Loaded {
    /// The catalog, when it has no errors.
    pub catalog: Option<Catalog>,
    /// Every error and warning, in file order.
    pub diagnostics: Diagnostics,
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
        teams,
        groups,
        mail_from,
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
        .map(|root| read_tasks(&mut tasks_doc, &root, &index, roles_ok, today));

    let mut diagnostics = roles_doc.diagnostics;
    diagnostics.extend(tasks_doc.diagnostics);
    // Tasks before roles reads more naturally: the file the user edits most comes first.
    diagnostics.sort_by_key(|d| (d.file != tasks_path, d.line, d.column));
    let diagnostics = Diagnostics(diagnostics);
    let catalog = match settings {
        Some(settings) if !diagnostics.has_errors() => Some(Catalog {
            tasks_path: tasks_path.to_owned(),
            roles_path: roles_path.to_owned(),
            calendar: settings.calendar,
            time_zone_name: settings.time_zone_name,
            cadence_aliases: settings.cadence_aliases,
            tasks: settings.tasks,
            teams,
            groups,
            mail_from,
        }),
        _ => None,
    };
    Loaded {
        catalog,
        diagnostics,
    }
}

fn check_version(doc: &mut Document<'_>, version: Option<&Spanned<Node>>, at: &Location) {
    let Some(node) = version else {
        doc.error(
            at,
            "missing `version`",
            Some(format!(
                "add `version: {FORMAT_VERSION}` at the top of the file"
            )),
        );
        return;
    };
    let text = doc.text(node, "version").unwrap_or_default();
    if text.trim() != FORMAT_VERSION.to_string() {
        doc.error(
            &node.referenced,
            format!("unsupported catalog version `{text}`"),
            Some(format!(
                "this socctl reads version {FORMAT_VERSION}; a newer file needs a newer socctl"
            )),
        );
    }
}

fn is_identifier(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

fn check_identifier(
    doc: &mut Document<'_>,
    id: &str,
    node: &Spanned<Node>,
    seen: &mut HashMap<String, u64>,
    what: &str,
) -> bool {
    if !is_identifier(id) {
        let suggestion: String = id
            .to_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        doc.error(
            &node.referenced,
            format!("{what} id `{id}` is not kebab-case"),
            Some(format!(
                "ids are lowercase letters, digits and single hyphens, e.g. `{suggestion}`"
            )),
        );
        return false;
    }
    if let Some(line) = seen.get(id) {
        doc.error(
            &node.referenced,
            format!("duplicate {what} id `{id}`"),
            Some(format!("first defined on line {line}; ids must be unique")),
        );
        return false;
    }
    seen.insert(id.to_owned(), node.referenced.line());
    true
}

fn required_text(
    doc: &mut Document<'_>,
    fields: &mut super::yaml::Fields<'_>,
    key: &str,
    at: &Location,
    what: &str,
) -> Option<(String, Location)> {
    match fields.get(key) {
        Some(node) => {
            let text = doc.text(node, key)?;
            if text.trim().is_empty() {
                doc.error(
                    &node.referenced,
                    format!("`{key}` of {what} is empty"),
                    None,
                );
                return None;
            }
            Some((text, node.referenced))
        }
        None => {
            doc.error(at, format!("{what} has no `{key}`"), None);
            None
        }
    }
}

fn optional_text(
    doc: &mut Document<'_>,
    fields: &mut super::yaml::Fields<'_>,
    key: &str,
) -> Option<String> {
    fields.get(key).and_then(|node| doc.text(node, key))
}

fn text_list(
    doc: &mut Document<'_>,
    fields: &mut super::yaml::Fields<'_>,
    key: &str,
) -> Vec<String> {
    fields
        .get(key)
        .map(|node| {
            doc.text_list(node, key)
                .into_iter()
                .map(|(text, _)| text)
                .collect()
        })
        .unwrap_or_default()
}

fn parse_time_zone(doc: &mut Document<'_>, node: &Spanned<Node>, name: &str) -> Option<TimeZone> {
    match crate::calendar::time_zone(name) {
        Some(zone) => Some(zone),
        None => {
            let names: Vec<String> = crate::calendar::time_zone_database()
                .available()
                .map(|n| n.as_str().to_owned())
                .collect();
            let hint = match nearest(name, names.iter().map(String::as_str)) {
                Some(suggestion) => format!(
                    "did you mean `{suggestion}`? use an IANA name such as `Europe/Copenhagen`"
                ),
                None => "use an IANA name such as `Europe/Copenhagen`, `America/New_York` or `UTC`"
                    .to_owned(),
            };
            doc.error(
                &node.referenced,
                format!("unknown time zone `{name}`"),
                Some(hint),
            );
            None
        }
    }
}

fn parse_date(doc: &mut Document<'_>, node: &Spanned<Node>, field: &str) -> Option<Date> {
    let text = doc.text(node, field)?;
    match crate::calendar::parse_date(text.trim()) {
        Some(date) => Some(date),
        None => {
            doc.error(
                &node.referenced,
                format!("`{text}` in `{field}` is not a valid date"),
                Some("write dates as YYYY-MM-DD, e.g. 2026-12-24".to_owned()),
            );
            None
        }
    }
}

/// A bare e-mail address, trimmed; reports anything else.
fn read_email(doc: &mut Document<'_>, node: &Spanned<Node>, field: &str) -> Option<String> {
    let email = doc.text(node, field)?;
    if email_is_valid(email.trim()) {
        Some(email.trim().to_owned())
    } else {
        doc.error(
            &node.referenced,
            format!("`{email}` is not an e-mail address"),
            Some("write a bare address such as `soc@example.org`".to_owned()),
        );
        None
    }
}

fn email_is_valid(address: &str) -> bool {
    let Some((local, domain)) = address.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && address.chars().all(|c| {
            c.is_ascii_graphic()
                && !matches!(
                    c,
                    '<' | '>' | ',' | ';' | '"' | '(' | ')' | '[' | ']' | '\\'
                )
        })
}

fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts
            .all(|p| !p.is_empty() && p.len() <= 8 && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Reads a `translations:` mapping: language code → mapping of `allowed` text fields.
fn read_translations(
    doc: &mut Document<'_>,
    node: &Spanned<Node>,
    what: &str,
    allowed: &[&str],
) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut result = BTreeMap::new();
    let Some(languages) = doc.fields(node, "`translations`") else {
        return result;
    };
    for (language, texts) in languages.entries() {
        if !is_language_code(&language.value) {
            doc.error(
                &language.referenced,
                format!("`{}` is not a language code", language.value),
                Some("use a lowercase ISO 639 code such as `da`, `fr` or `ja`".to_owned()),
            );
            continue;
        }
        let Some(mut fields) = doc.fields(
            texts,
            &format!("the `{}` translation of {what}", language.value),
        ) else {
            continue;
        };
        let mut map = BTreeMap::new();
        for key in allowed {
            if let Some(text) = optional_text(doc, &mut fields, key) {
                map.insert((*key).to_owned(), text);
            }
        }
        fields.finish(doc, &format!("a `{}` translation", language.value), allowed);
        result.insert(language.value.clone(), map);
    }
    result
}

/// What `roles.yaml` holds.
#[derive(Default)]
struct Roles {
    teams: Vec<Team>,
    groups: Vec<Group>,
    mail_from: Option<String>,
}

fn read_roles(doc: &mut Document<'_>, root: &Spanned<Node>) -> Roles {
    let Some(mut fields) = doc.fields(root, "roles.yaml") else {
        return Roles::default();
    };
    check_version(doc, fields.get("version"), &root.referenced);
    let mail_from = fields
        .get("mail_from")
        .and_then(|n| read_email(doc, n, "mail_from"));
    let mut teams = Vec::new();
    let mut ids = HashMap::new();
    let mut names: HashMap<String, (String, u64)> = HashMap::new();
    match fields.get("teams") {
        Some(Spanned {
            value: Node::Seq(items),
            ..
        }) => {
            for item in items {
                if let Some(team) = read_team(doc, item, &mut ids, &mut names) {
                    teams.push(team);
                }
            }
        }
        Some(other) => doc.error(&other.referenced, "`teams` must be a list of teams", None),
        None => doc.error(
            &root.referenced,
            "roles.yaml has no `teams`",
            Some("add `teams:` with one entry per team".to_owned()),
        ),
    }
    let mut groups = Vec::new();
    match fields.get("groups") {
        Some(Spanned {
            value: Node::Seq(items),
            ..
        }) => {
            for item in items {
                if let Some(group) = read_group(doc, item, &teams, &mut ids, &mut names) {
                    groups.push(group);
                }
            }
        }
        Some(other) => doc.error(&other.referenced, "`groups` must be a list of groups", None),
        None => {}
    }
    if !groups.iter().any(|g| g.id == "all") && !teams.iter().any(|t| t.id == "all") {
        // Without an explicit `all` group, `all` means every team.
        groups.push(Group {
            id: "all".to_owned(),
            name: "All teams".to_owned(),
            aliases: Vec::new(),
            members: (0..teams.len()).collect(),
        });
    }
    fields.finish(doc, "roles.yaml", ROLES_FIELDS);
    Roles {
        teams,
        groups,
        mail_from,
    }
}

/// Claims a name for a team or group, reporting a name already used by another.
fn claim_name(
    doc: &mut Document<'_>,
    names: &mut HashMap<String, (String, u64)>,
    name: &str,
    owner: &str,
    at: &Location,
) {
    let key = name_key(name);
    match names.get(&key) {
        Some((other, line)) if other != owner => doc.error(
            at,
            format!("the name `{name}` belongs to both {other} and {owner}"),
            Some(format!("{other} claims it on line {line}; every id, name and alias must point at one team or group")),
        ),
        Some(_) => {}
        None => {
            names.insert(key, (owner.to_owned(), at.line()));
        }
    }
}

/// What teams and groups share: a checked id, the label messages use, a name and aliases.
struct Identity {
    id: Option<(String, Location)>,
    label: String,
    name: Option<(String, Location)>,
    aliases: Vec<String>,
}

/// Reads `id`, `name` (required for teams) and `aliases`, and claims every one of those
/// names for this team or group, reporting a name another one already holds.
fn read_identity(
    doc: &mut Document<'_>,
    fields: &mut super::yaml::Fields<'_>,
    node: &Spanned<Node>,
    kind: &str,
    name_required: bool,
    ids: &mut HashMap<String, u64>,
    names: &mut HashMap<String, (String, u64)>,
) -> Identity {
    let what = format!("a {kind}");
    let id = required_text(doc, fields, "id", &node.referenced, &what);
    let label = id.as_ref().map_or(what, |(id, _)| format!("{kind} `{id}`"));
    let id = id.filter(|(id, _)| {
        fields
            .get("id")
            .is_some_and(|n| check_identifier(doc, id, n, ids, kind))
    });
    let name = if name_required {
        required_text(doc, fields, "name", &node.referenced, &label)
    } else {
        fields
            .get("name")
            .and_then(|n| doc.text(n, "name").map(|text| (text, n.referenced)))
    };
    let aliases: Vec<(String, Location)> = fields
        .get("aliases")
        .map(|n| {
            doc.text_list(n, "aliases")
                .into_iter()
                .map(|(t, n)| (t, n.referenced))
                .collect()
        })
        .unwrap_or_default();
    if let Some(id) = &id {
        for (text, at) in std::iter::once(id).chain(&name).chain(&aliases) {
            claim_name(doc, names, text, &label, at);
        }
    }
    Identity {
        id,
        label,
        name,
        aliases: aliases.into_iter().map(|(alias, _)| alias).collect(),
    }
}

fn read_team(
    doc: &mut Document<'_>,
    node: &Spanned<Node>,
    ids: &mut HashMap<String, u64>,
    names: &mut HashMap<String, (String, u64)>,
) -> Option<Team> {
    let mut fields = doc.fields(node, "a team")?;
    let Identity {
        id,
        label,
        name,
        aliases,
    } = read_identity(doc, &mut fields, node, "team", true, ids, names);
    let responsibilities = text_list(doc, &mut fields, "responsibilities");
    let defender_tasks = text_list(doc, &mut fields, "defender_tasks");
    let email = fields
        .get("email")
        .and_then(|n| read_email(doc, n, "email"));
    let timezone = fields.get("timezone").and_then(|n| {
        let name = doc.text(n, "timezone")?;
        parse_time_zone(doc, n, name.trim()).map(|_| name.trim().to_owned())
    });
    let translations = fields
        .get("translations")
        .map(|n| read_translations(doc, n, &label, TEAM_TEXT_FIELDS))
        .unwrap_or_default()
        .into_iter()
        .map(|(language, mut texts)| {
            (
                language,
                TeamText {
                    name: texts.remove("name"),
                },
            )
        })
        .collect();
    fields.finish(doc, "a team", TEAM_FIELDS);
    let ((id, _), (name, _)) = (id?, name?);
    Some(Team {
        id,
        name,
        aliases,
        responsibilities,
        defender_tasks,
        email,
        timezone,
        translations,
    })
}

fn read_group(
    doc: &mut Document<'_>,
    node: &Spanned<Node>,
    teams: &[Team],
    ids: &mut HashMap<String, u64>,
    names: &mut HashMap<String, (String, u64)>,
) -> Option<Group> {
    let mut fields = doc.fields(node, "a group")?;
    let Identity {
        id,
        label,
        name,
        aliases,
    } = read_identity(doc, &mut fields, node, "group", false, ids, names);
    let mut members = Vec::new();
    if let Some(list) = fields.get("members") {
        for (member, at) in doc.text_list(list, "members") {
            let key = name_key(&member);
            match teams.iter().position(|t| name_key(&t.id) == key) {
                Some(index) if !members.contains(&index) => members.push(index),
                Some(_) => {}
                None => {
                    let hint = unknown_name_hint(&member, teams.iter().map(|t| t.id.as_str()));
                    doc.error(
                        &at.referenced,
                        format!("unknown team `{member}` in the members of {label}"),
                        Some(hint),
                    );
                }
            }
        }
    } else {
        doc.error(
            &node.referenced,
            format!("{label} has no `members`"),
            Some("list the team ids it stands for".to_owned()),
        );
    }
    members.sort_unstable();
    fields.finish(doc, "a group", GROUP_FIELDS);
    let (id, _) = id?;
    Some(Group {
        name: name.map_or_else(|| id.clone(), |(name, _)| name),
        id,
        aliases,
        members,
    })
}

fn unknown_name_hint<'a>(name: &str, known: impl Iterator<Item = &'a str> + Clone) -> String {
    let list = known.clone().collect::<Vec<_>>().join(", ");
    match nearest(name, known) {
        Some(suggestion) => format!("did you mean `{suggestion}`? known: {list}"),
        None => format!("known: {list}"),
    }
}

/// Resolves team references: every id, name and alias of every team and group.
struct TeamIndex {
    by_name: HashMap<String, TeamSelector>,
    members: Vec<Vec<usize>>,
    listing: Vec<String>,
}

impl TeamIndex {
    fn new(teams: &[Team], groups: &[Group]) -> Self {
        let mut by_name = HashMap::new();
        for (index, team) in teams.iter().enumerate() {
            for name in [&team.id, &team.name].into_iter().chain(&team.aliases) {
                by_name
                    .entry(name_key(name))
                    .or_insert(TeamSelector::Team(index));
            }
        }
        for (index, group) in groups.iter().enumerate() {
            for name in [&group.id, &group.name].into_iter().chain(&group.aliases) {
                by_name
                    .entry(name_key(name))
                    .or_insert(TeamSelector::Group(index));
            }
        }
        let listing = teams
            .iter()
            .map(|t| t.id.clone())
            .chain(groups.iter().map(|g| g.id.clone()))
            .collect();
        Self {
            by_name,
            members: groups.iter().map(|g| g.members.clone()).collect(),
            listing,
        }
    }

    fn resolve(&self, name: &str) -> Option<Vec<usize>> {
        match self.by_name.get(&name_key(name))? {
            TeamSelector::Team(index) => Some(vec![*index]),
            TeamSelector::Group(index) => Some(self.members[*index].clone()),
        }
    }
}

struct TaskSettings {
    calendar: Calendar,
    time_zone_name: String,
    cadence_aliases: BTreeMap<String, String>,
    tasks: Vec<Task>,
}

fn read_tasks(
    doc: &mut Document<'_>,
    root: &Spanned<Node>,
    teams: &TeamIndex,
    roles_ok: bool,
    today: Date,
) -> TaskSettings {
    let mut settings = TaskSettings {
        calendar: Calendar::default(),
        time_zone_name: "UTC".to_owned(),
        cadence_aliases: BTreeMap::new(),
        tasks: Vec::new(),
    };
    let Some(mut fields) = doc.fields(root, "tasks.yaml") else {
        return settings;
    };
    check_version(doc, fields.get("version"), &root.referenced);
    if let Some(node) = fields.get("timezone")
        && let Some(name) = doc.text(node, "timezone")
        && let Some(zone) = parse_time_zone(doc, node, name.trim())
    {
        settings.calendar.time_zone = zone;
        name.trim().clone_into(&mut settings.time_zone_name);
    }
    if let Some(node) = fields.get("week_start")
        && let Some(text) = doc.text(node, "week_start")
    {
        match parse_weekday(&text) {
            Some(day) => settings.calendar.week_start = day,
            None => doc.error(
                &node.referenced,
                format!("`{text}` is not a day of the week"),
                Some("use monday … sunday".to_owned()),
            ),
        }
    }
    if let Some(node) = fields.get("workdays") {
        let mut days = WeekdaySet::empty();
        for (text, item) in doc.text_list(node, "workdays") {
            match parse_weekday(&text) {
                Some(day) => days.insert(day),
                None => doc.error(
                    &item.referenced,
                    format!("`{text}` in `workdays` is not a day of the week"),
                    Some("use mon, tue, wed, thu, fri, sat, sun".to_owned()),
                ),
            }
        }
        settings.calendar.workdays = days;
    }
    if let Some(node) = fields.get("holidays") {
        let items: Vec<_> = match &node.value {
            Node::Seq(items) => items.iter().collect(),
            _ => {
                doc.error(
                    &node.referenced,
                    "`holidays` must be a list of dates",
                    Some("e.g. `holidays: [2026-12-24, 2026-12-25]`".to_owned()),
                );
                Vec::new()
            }
        };
        settings.calendar.holidays = items
            .into_iter()
            .filter_map(|item| parse_date(doc, item, "holidays"))
            .collect::<BTreeSet<_>>();
    }
    let week_start = settings.calendar.week_start;
    if let Some(node) = fields.get("cadence_aliases")
        && let Some(aliases) = doc.fields(node, "`cadence_aliases`")
    {
        for (phrase, meaning) in aliases.entries() {
            let Some(text) = doc.text(meaning, "cadence_aliases") else {
                continue;
            };
            if let Err(error) = cadence::parse(&text, week_start) {
                doc.error(
                    &meaning.referenced,
                    format!(
                        "`{text}` (the meaning of `{}`) is not a cadence: {}",
                        phrase.value, error.message
                    ),
                    Some(accepted_forms_hint(error.hint.as_deref())),
                );
                continue;
            }
            settings.cadence_aliases.insert(phrase.value.clone(), text);
        }
    }
    let mut ids = HashMap::new();
    match fields.get("tasks") {
        Some(Spanned {
            value: Node::Seq(items),
            ..
        }) => {
            settings.tasks.reserve(items.len());
            for item in items {
                if let Some(task) =
                    read_task(doc, item, &mut ids, teams, roles_ok, &settings, today)
                {
                    settings.tasks.push(task);
                }
            }
        }
        Some(other) => doc.error(&other.referenced, "`tasks` must be a list of tasks", None),
        None => doc.error(
            &root.referenced,
            "tasks.yaml has no `tasks`",
            Some("add `tasks:` with one entry per activity".to_owned()),
        ),
    }
    fields.finish(doc, "tasks.yaml", TASKS_FIELDS);
    settings
}

fn accepted_forms_hint(specific: Option<&str>) -> String {
    let mut hint = String::new();
    if let Some(specific) = specific {
        hint.push_str(specific);
        hint.push('\n');
    }
    hint.push_str("accepted forms:");
    for form in ACCEPTED_FORMS {
        hint.push_str("\n  ");
        hint.push_str(form);
    }
    hint
}

fn read_task(
    doc: &mut Document<'_>,
    node: &Spanned<Node>,
    ids: &mut HashMap<String, u64>,
    teams: &TeamIndex,
    roles_ok: bool,
    settings: &TaskSettings,
    today: Date,
) -> Option<Task> {
    let mut fields = doc.fields(node, "a task")?;
    let id = required_text(doc, &mut fields, "id", &node.referenced, "a task");
    let label = id
        .as_ref()
        .map_or_else(|| "a task".to_owned(), |(id, _)| format!("task `{id}`"));
    let id = id.filter(|(id, _)| {
        fields
            .get("id")
            .is_some_and(|n| check_identifier(doc, id, n, ids, "task"))
    });
    let title = required_text(doc, &mut fields, "title", &node.referenced, &label);
    let description = optional_text(doc, &mut fields, "description").unwrap_or_default();
    let cadence = match fields.get("cadence") {
        Some(cadence_node) => doc.text(cadence_node, "cadence").and_then(|text| {
            match cadence::parse_with_aliases(
                &text,
                settings.calendar.week_start,
                &settings.cadence_aliases,
            ) {
                Ok(cadence) => Some((text, cadence, cadence_node.referenced)),
                Err(error) => {
                    doc.error(
                        &cadence_node.referenced,
                        format!(
                            "cannot read the cadence `{text}` of {label}: {}",
                            error.message
                        ),
                        Some(accepted_forms_hint(error.hint.as_deref())),
                    );
                    None
                }
            }
        }),
        None => {
            doc.error(
                &node.referenced,
                format!("{label} has no `cadence`"),
                Some("e.g. `cadence: weekly on monday` or `cadence: as needed`".to_owned()),
            );
            None
        }
    };
    let mut team_text = Vec::new();
    let mut team_indexes = Vec::new();
    match fields.get("team") {
        Some(team_node) => {
            for (name, at) in doc.text_list(team_node, "team") {
                match teams.resolve(&name) {
                    Some(members) => team_indexes.extend(members),
                    None if roles_ok => {
                        let hint =
                            unknown_name_hint(&name, teams.listing.iter().map(String::as_str));
                        doc.error(
                            &at.referenced,
                            format!("unknown team `{name}` in {label}"),
                            Some(format!(
                                "{hint}; a team matches its id, name or any alias in roles.yaml"
                            )),
                        );
                    }
                    // roles.yaml has its own errors; unresolved names would only repeat them.
                    None => {}
                }
                team_text.push(name);
            }
            if team_text.is_empty() {
                doc.error(
                    &team_node.referenced,
                    format!("`team` of {label} is empty"),
                    None,
                );
            }
        }
        None => doc.error(
            &node.referenced,
            format!("{label} has no `team`"),
            Some("name a team id or alias from roles.yaml, a list of them, or `all`".to_owned()),
        ),
    }
    team_indexes.sort_unstable();
    team_indexes.dedup();
    let start = fields
        .get("start")
        .and_then(|n| parse_date(doc, n, "start"));
    let shift = fields.get("shift").and_then(|n| {
        let text = doc.text(n, "shift")?;
        let shift = Shift::parse(&text);
        if shift.is_none() {
            doc.error(
                &n.referenced,
                format!("`{text}` is not a shift"),
                Some(format!("use one of: {}", Shift::NAMES.join(", "))),
            );
        }
        shift
    });
    let translations = fields
        .get("translations")
        .map(|n| read_translations(doc, n, &label, TASK_TEXT_FIELDS))
        .unwrap_or_default()
        .into_iter()
        .map(|(language, mut texts)| {
            let text = TaskText {
                title: texts.remove("title"),
                description: texts.remove("description"),
                cadence: texts.remove("cadence"),
            };
            (language, text)
        })
        .collect();
    let tags = text_list(doc, &mut fields, "tags");
    let estimate = fields.get("estimate").and_then(|n| {
        let text = doc.text(n, "estimate")?;
        if text.trim().parse::<jiff::Span>().is_err() {
            doc.error(
                &n.referenced,
                format!("`{text}` is not a duration"),
                Some("write e.g. `30m`, `2h` or `1h 30m`".to_owned()),
            );
            return None;
        }
        Some(text)
    });
    let references = text_list(doc, &mut fields, "references");
    fields.finish(doc, "a task", TASK_FIELDS);

    let (cadence_text, cadence, cadence_at) = cadence?;
    if let Some(rule) = &cadence.rule
        && rule.needs_anchor()
        && !cadence.after_done
        && start.is_none()
    {
        doc.error(
            &node.referenced,
            format!(
                "{label} repeats `{cadence}`, which counts from a start date, but has no `start`"
            ),
            Some("add `start: YYYY-MM-DD`, the date of the first occurrence".to_owned()),
        );
        return None;
    }
    if let Some(rule) = &cadence.rule {
        let shift = shift.unwrap_or_default();
        let schedule = Schedule {
            rule,
            at: cadence.at,
            start,
            shift,
            calendar: &settings.calendar,
        };
        let from = start.map_or(today, |start| start.max(today));
        let hint = "check the rule with `socctl explain`: a shifted rule needs work days, a cron rule a date that exists";
        if schedule.first_on_or_after(from).is_none() {
            // A rule that fired once but is over (a cron year in the past) is worth a
            // warning; one that can never fire is an error. Neither may change with the date
            // alone from "valid" to "refused".
            let ever = start.unwrap_or(jiff::civil::date(1970, 1, 1));
            if schedule.first_on_or_after(ever).is_some() {
                doc.report(
                    Severity::Warning,
                    &cadence_at,
                    format!(
                        "the cadence `{cadence}` of {label} no longer falls on or after {from}"
                    ),
                    Some(hint.to_owned()),
                );
            } else {
                doc.error(
                    &cadence_at,
                    format!("the cadence `{cadence}` of {label} never falls on any date"),
                    Some(hint.to_owned()),
                );
            }
        }
    }
    Some(Task {
        id: id?.0,
        title: title?.0,
        description,
        cadence_text,
        canonical_cadence: cadence.to_string(),
        cadence,
        team_text,
        teams: team_indexes,
        start,
        shift: shift.unwrap_or_default(),
        translations,
        tags,
        estimate,
        references,
        line: node.referenced.line(),
    })
}
