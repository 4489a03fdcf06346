//! `servicenow:` in `roles.yaml`: where `socctl tickets` hands work to ServiceNow (the
//! instance, the table, which states count as closed, how a record's fields are filled),
//! and the field templates' placeholders. Credentials are never part of the catalog.

use std::collections::BTreeMap;

use super::yaml::Spanned;

use super::yaml::{Document, Node};

const SERVICENOW_FIELDS: &[&str] = &[
    "instance",
    "table",
    "closed_states",
    "fields",
    "assignment_groups",
];

/// The placeholders a field template may use, each with what it stands for.
pub const PLACEHOLDERS: &[(&str, &str)] = &[
    ("task", "the task's id"),
    ("title", "the task's title"),
    ("description", "the task's description"),
    ("team", "the team's id"),
    ("team_name", "the team's name"),
    ("due", "the occurrence's due date (YYYY-MM-DD)"),
    ("group", "the team's entry in `assignment_groups`"),
];

/// How `socctl tickets` talks to ServiceNow.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ServiceNow {
    /// The instance's base URL, without a trailing slash (`https://example.service-now.com`).
    pub instance: String,
    /// The table records are created in (`sc_task`, `incident`, …).
    pub table: String,
    /// The values of `state` that mean the work is done.
    pub closed_states: Vec<String>,
    /// Each field of a new record and its template, in order.
    pub fields: Vec<(String, String)>,
    /// The ServiceNow assignment group of each team (team id → group), for `{group}`.
    pub assignment_groups: BTreeMap<String, String>,
    /// The line `servicenow:` is on in `roles.yaml`.
    pub line: u64,
}

/// The `state` values that mean closed, for the tables whose choices ServiceNow ships:
/// incident 6 Resolved and 7 Closed; sc_task and change_task 3 Closed Complete (their 4
/// Closed Incomplete and 7 Closed Skipped are not work done).
pub fn default_closed_states(table: &str) -> Option<&'static [&'static str]> {
    match table {
        "incident" => Some(&["6", "7"]),
        "sc_task" | "change_task" => Some(&["3"]),
        _ => None,
    }
}

/// The fields every record gets unless `fields:` sets them otherwise.
fn default_fields(groups: bool) -> Vec<(String, String)> {
    let mut fields = vec![
        ("short_description".to_owned(), "{title}".to_owned()),
        (
            "description".to_owned(),
            "{description}\n\nsocctl task {task}, due {due}, team {team_name}.".to_owned(),
        ),
    ];
    if groups {
        fields.push(("assignment_group".to_owned(), "{group}".to_owned()));
    }
    fields
}

/// One piece of a template: literal text or a placeholder's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'t> {
    /// Text as written (`{{` and `}}` already made single).
    Text(String),
    /// `{name}`.
    Placeholder(&'t str),
}

/// Cuts a template into text and placeholders; `{{` and `}}` are literal braces.
pub fn parse_template(template: &str) -> Result<Vec<Piece<'_>>, String> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut rest = template;
    while let Some(at) = rest.find(['{', '}']) {
        text.push_str(&rest[..at]);
        let brace = &rest[at..];
        if brace.starts_with("{{") || brace.starts_with("}}") {
            text.push_str(&brace[..1]);
            rest = &brace[2..];
            continue;
        }
        if brace.starts_with('}') {
            return Err("has a `}` without its `{` (write `}}` for a brace)".to_owned());
        }
        let Some(end) = brace.find('}') else {
            return Err("has a `{` without its `}` (write `{{` for a brace)".to_owned());
        };
        let name = &brace[1..end];
        if !PLACEHOLDERS.iter().any(|(known, _)| *known == name) {
            return Err(format!(
                "uses `{{{name}}}`, which is not a placeholder; use {}",
                placeholder_list()
            ));
        }
        if !text.is_empty() {
            pieces.push(Piece::Text(std::mem::take(&mut text)));
        }
        pieces.push(Piece::Placeholder(name));
        rest = &brace[end + 1..];
    }
    text.push_str(rest);
    if !text.is_empty() {
        pieces.push(Piece::Text(text));
    }
    Ok(pieces)
}

/// `{task}, {title}, …`, for messages.
fn placeholder_list() -> String {
    PLACEHOLDERS
        .iter()
        .map(|(name, _)| format!("{{{name}}}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether `template` uses `{name}`.
pub fn uses_placeholder(template: &str, name: &str) -> bool {
    parse_template(template).is_ok_and(|pieces| pieces.contains(&Piece::Placeholder(name)))
}

/// A ServiceNow column name: lowercase letters, digits and underscores.
fn is_column(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Checks an instance URL: `https://HOST[:PORT]`, or `http://` to a loopback address only
/// (a test server), with no user name, password, path or query. Gives it without a
/// trailing slash.
pub fn check_instance(url: &str) -> Result<String, String> {
    let url = url.trim().trim_end_matches('/');
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| format!("`{url}` is not a URL; write https://example.service-now.com"))?;
    if rest.contains('@') {
        return Err(
            "the instance URL holds a user name or password; credentials come from SOCCTL_SERVICENOW_USER and SOCCTL_SERVICENOW_PASSWORD (or SOCCTL_SERVICENOW_TOKEN), never from roles.yaml".to_owned(),
        );
    }
    if rest.is_empty() || rest.contains(['/', '?', '#', ' ']) {
        return Err(format!(
            "`{url}` is not an instance's address; write only the scheme and host, e.g. https://example.service-now.com"
        ));
    }
    let host = match rest.strip_prefix('[') {
        Some(bracketed) => bracketed.split(']').next().unwrap_or_default(),
        None => rest.rsplit_once(':').map_or(rest, |(host, _)| host),
    };
    match scheme.to_ascii_lowercase().as_str() {
        "https" => Ok(url.to_owned()),
        "http" if matches!(host, "127.0.0.1" | "localhost" | "::1") => Ok(url.to_owned()),
        "http" => Err(format!(
            "`{url}` is not encrypted; use https:// (http:// is accepted only for a loopback test server)"
        )),
        _ => Err(format!(
            "`{url}` is not an https:// URL; write https://example.service-now.com"
        )),
    }
}

/// Reads `servicenow:`; `teams` are the ids of roles.yaml's teams, for `assignment_groups`.
pub(super) fn read_servicenow(
    doc: &mut Document<'_>,
    node: &Spanned<Node>,
    teams: &[String],
) -> Option<ServiceNow> {
    let mut fields = doc.fields(node, "`servicenow`")?;
    let mut ok = true;
    let instance = match fields.get("instance") {
        Some(n) => doc
            .text(n, "instance")
            .and_then(|text| match check_instance(&text) {
                Ok(url) => Some(url),
                Err(message) => {
                    doc.error(
                        &n.referenced,
                        format!("`servicenow.instance`: {message}"),
                        None,
                    );
                    None
                }
            }),
        None => {
            doc.error(
                &node.referenced,
                "`servicenow` has no `instance`",
                Some("add `instance: https://example.service-now.com`".to_owned()),
            );
            None
        }
    };
    let table = match fields.get("table") {
        Some(n) => doc.text(n, "table").map(|t| t.trim().to_owned()).filter(|t| {
            let valid = is_column(t);
            if !valid {
                doc.error(
                    &n.referenced,
                    format!("`{t}` is not a ServiceNow table name"),
                    Some("table names are lowercase letters, digits and `_`, such as `sc_task` or `incident`".to_owned()),
                );
            }
            valid
        }),
        None => Some("sc_task".to_owned()),
    };
    let closed_node = fields.get("closed_states");
    let given_states: Option<Vec<String>> = closed_node.map(|n| {
        doc.text_list(n, "closed_states")
            .into_iter()
            .map(|(text, _)| text.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect()
    });
    let closed_states = match (given_states, &table) {
        (Some(states), _) if !states.is_empty() => states,
        (Some(_), _) => {
            if let Some(n) = closed_node {
                doc.error(
                    &n.referenced,
                    "`closed_states` is empty",
                    Some(
                        "list the `state` values that mean the work is done, e.g. `[\"3\"]`"
                            .to_owned(),
                    ),
                );
            }
            ok = false;
            Vec::new()
        }
        (None, Some(table)) => match default_closed_states(table) {
            Some(states) => states.iter().map(|&s| s.to_owned()).collect(),
            None => {
                doc.error(
                    &node.referenced,
                    format!("`servicenow` uses the table `{table}`, whose closed states socctl does not know"),
                    Some("add `closed_states: [\"3\"]` with the `state` values that mean the work is done (socctl knows incident, sc_task and change_task)".to_owned()),
                );
                ok = false;
                Vec::new()
            }
        },
        (None, None) => Vec::new(),
    };
    let mut assignment_groups = BTreeMap::new();
    if let Some(n) = fields.get("assignment_groups") {
        match &n.value {
            Node::Map(entries) => {
                for (key, value) in entries {
                    let Some(group) = doc.text(value, "assignment_groups") else {
                        continue;
                    };
                    if !teams.iter().any(|team| *team == key.value) {
                        doc.error(
                            &key.referenced,
                            format!("`{}` in `assignment_groups` is not a team's id", key.value),
                            Some(format!("teams: {}", teams.join(", "))),
                        );
                        ok = false;
                        continue;
                    }
                    assignment_groups.insert(key.value.to_string(), group.trim().to_owned());
                }
            }
            other => {
                doc.error(
                    &n.referenced,
                    format!(
                        "`assignment_groups` must be a mapping of team id to ServiceNow group, found {}",
                        other.kind()
                    ),
                    Some("write `assignment_groups: {soc-oversight: \"SOC Oversight\"}`".to_owned()),
                );
                ok = false;
            }
        }
    }
    let mut record_fields = default_fields(!assignment_groups.is_empty());
    if let Some(n) = fields.get("fields") {
        match &n.value {
            Node::Map(entries) => {
                for (key, value) in entries {
                    let name = key.value.trim();
                    if !is_column(name) {
                        doc.error(
                            &key.referenced,
                            format!("`{name}` is not a ServiceNow field name"),
                            Some("field names are lowercase letters, digits and `_`, such as `short_description`".to_owned()),
                        );
                        ok = false;
                        continue;
                    }
                    if name == "correlation_id" || name.starts_with("sys_") {
                        doc.error(
                            &key.referenced,
                            format!("`{name}` is set by socctl or by ServiceNow, not by `fields`"),
                            Some("socctl puts the occurrence's id in `correlation_id`; remove this field".to_owned()),
                        );
                        ok = false;
                        continue;
                    }
                    let template = match &value.value {
                        Node::Null => String::new(),
                        _ => match doc.text(value, name) {
                            Some(text) => text,
                            None => {
                                ok = false;
                                continue;
                            }
                        },
                    };
                    if let Err(message) = parse_template(&template) {
                        doc.error(
                            &value.referenced,
                            format!("the template of `{name}` {message}"),
                            None,
                        );
                        ok = false;
                        continue;
                    }
                    record_fields.retain(|(field, _)| field != name);
                    // An empty template leaves a default field out.
                    if !template.is_empty() {
                        record_fields.push((name.to_owned(), template));
                    }
                }
            }
            other => {
                doc.error(
                    &n.referenced,
                    format!(
                        "`fields` must be a mapping of ServiceNow field to template, found {}",
                        other.kind()
                    ),
                    Some("write `fields: {short_description: \"{title}\"}`".to_owned()),
                );
                ok = false;
            }
        }
    }
    fields.finish(doc, "`servicenow`", SERVICENOW_FIELDS);
    if !ok {
        return None;
    }
    Some(ServiceNow {
        instance: instance?,
        table: table?,
        closed_states,
        fields: record_fields,
        assignment_groups,
        line: node.referenced.line(),
    })
}

/// The tasks that opt in with `ticket: true`, for the checks that need both files.
pub(super) struct Opted<'a> {
    pub(super) tasks_path: &'a std::path::Path,
    pub(super) roles_path: &'a std::path::Path,
    pub(super) tasks: &'a [super::Task],
    pub(super) teams: &'a [super::Team],
}

impl Opted<'_> {
    /// A task that opts in while roles.yaml has no `servicenow:` (a warning: nothing is
    /// handed over), and a team of such a task without the assignment group a template's
    /// `{group}` needs (an error: its records would go to no one).
    pub(super) fn check(&self, servicenow: Option<&ServiceNow>) -> Vec<super::Diagnostic> {
        let mut found = Vec::new();
        let opted = self.tasks.iter().filter(|t| t.ticket);
        let Some(servicenow) = servicenow else {
            for task in opted {
                found.push(super::Diagnostic {
                    severity: super::Severity::Warning,
                    line: task.line,
                    column: 1,
                    ..super::Diagnostic::file_error(
                        self.tasks_path,
                        format!("task `{}` has `ticket: true`, but roles.yaml has no `servicenow:`, so `socctl tickets` has nowhere to create its records", task.id),
                    )
                }
                .with_hint("add `servicenow: {instance: https://example.service-now.com}` to roles.yaml (see docs/tickets.md), or remove `ticket: true`"));
            }
            return found;
        };
        let grouped: Vec<&str> = servicenow
            .fields
            .iter()
            .filter(|(_, template)| uses_placeholder(template, "group"))
            .map(|(field, _)| field.as_str())
            .collect();
        if grouped.is_empty() {
            return found;
        }
        let mut missing: Vec<&str> = Vec::new();
        for task in opted {
            for &team in &task.teams {
                let id = self.teams[team].id.as_str();
                if !servicenow.assignment_groups.contains_key(id) && !missing.contains(&id) {
                    missing.push(id);
                }
            }
        }
        if !missing.is_empty() {
            found.push(super::Diagnostic {
                line: servicenow.line,
                column: 1,
                ..super::Diagnostic::file_error(
                    self.roles_path,
                    format!(
                        "`servicenow` fills `{}` with `{{group}}`, but `assignment_groups` has no group for {}, whose tasks have `ticket: true`",
                        grouped.join("`, `"),
                        missing.join(", ")
                    ),
                )
            }
            .with_hint(format!("add `{}: \"GROUP NAME\"` under `assignment_groups`", missing[0])));
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_cut_into_text_and_placeholders() {
        assert_eq!(
            parse_template("[{team}] {title} {{x}}").unwrap(),
            vec![
                Piece::Text("[".to_owned()),
                Piece::Placeholder("team"),
                Piece::Text("] ".to_owned()),
                Piece::Placeholder("title"),
                Piece::Text(" {x}".to_owned()),
            ]
        );
        assert!(parse_template("{nope}").unwrap_err().contains("`{nope}`"));
        assert!(parse_template("a { b").is_err());
        assert!(parse_template("a } b").is_err());
        assert!(uses_placeholder("x {group}", "group"));
        assert!(!uses_placeholder("x {{group}}", "group"));
    }

    #[test]
    fn instance_urls_are_https_or_loopback() {
        assert_eq!(
            check_instance("https://acme.service-now.com/").unwrap(),
            "https://acme.service-now.com"
        );
        assert_eq!(
            check_instance("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert!(check_instance("http://[::1]:9").is_ok());
        assert!(check_instance("http://acme.service-now.com").is_err());
        assert!(
            check_instance("https://u:p@acme.service-now.com")
                .unwrap_err()
                .contains("SOCCTL_SERVICENOW_USER")
        );
        assert!(check_instance("https://acme.service-now.com/api").is_err());
        assert!(check_instance("ftp://acme").is_err());
    }
}
