//! `roles.yaml`: the teams and groups, their names and aliases (unique across both), and
//! the index tasks resolve their `team:` references with.

use std::collections::HashMap;

use super::yaml::{Location, Spanned};

use super::fields::{
    check_identifier, check_version, parse_time_zone, read_translations, required_text, text_list,
    unknown_name_hint,
};
use super::members::{People, read_members};
use super::model::{Group, Team, TeamSelector, TeamText, name_key};
use super::yaml::{Document, Node};

const ROLES_FIELDS: &[&str] = &[
    "version",
    "mail_from",
    "notify",
    "groups",
    "teams",
    "servicenow",
];

const TEAM_FIELDS: &[&str] = &[
    "id",
    "name",
    "aliases",
    "responsibilities",
    "defender_tasks",
    "email",
    "timezone",
    "translations",
    "members",
    "holidays",
    "holidays_ics",
    "channels",
    "language",
];

const TEAM_TEXT_FIELDS: &[&str] = &["name"];

const GROUP_FIELDS: &[&str] = &["id", "name", "aliases", "members"];

/// What `roles.yaml` holds.
#[derive(Default)]
pub(super) struct Roles {
    pub(super) servicenow: Option<super::ServiceNow>,
    pub(super) teams: Vec<Team>,
    pub(super) groups: Vec<Group>,
    pub(super) mail_from: Option<String>,
    pub(super) notify: super::channels::NotifySettings,
}

/// Reads `roles.yaml`: its version, sender, teams and groups.
pub(super) fn read_roles(doc: &mut Document<'_>, root: &Spanned<Node>) -> Roles {
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
    let mut people = People::new();
    let notify = fields
        .get("notify")
        .map(|n| super::channels::read_notify(doc, n))
        .unwrap_or_default();
    let mut inline = Vec::new();
    match fields.get("teams") {
        Some(Spanned {
            value: Node::Seq(items),
            ..
        }) => {
            for item in items {
                if let Some(team) =
                    read_team(doc, item, &mut ids, &mut names, &mut people, &mut inline)
                {
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
    let servicenow = fields.get("servicenow").and_then(|node| {
        let ids: Vec<String> = teams.iter().map(|t| t.id.clone()).collect();
        super::servicenow::read_servicenow(doc, node, &ids)
    });
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
    super::channels::check_inline(doc, &inline, notify.allow_inline_secrets);
    fields.finish(doc, "roles.yaml", ROLES_FIELDS);
    Roles {
        servicenow,
        teams,
        groups,
        mail_from,
        notify,
    }
}

/// A bare e-mail address, trimmed; reports anything else.
pub(super) fn read_email(
    doc: &mut Document<'_>,
    node: &Spanned<Node>,
    field: &str,
) -> Option<String> {
    let email = doc.text(node, field)?;
    if parse_address(email.trim()).is_some() {
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

/// The one e-mail address check, shared by catalog validation and the messages socctl
/// builds (`--format email`, `socctl mail`), so that an address `check` accepts is one mail
/// can send to: what lettre parses as an address (one `@`, a valid local part and domain),
/// further limited to a bare `local@domain.tld` of printable ASCII without the characters
/// of a display name or a list.
pub fn parse_address(address: &str) -> Option<lettre::Address> {
    let (local, domain) = address.rsplit_once('@')?;
    let plain = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && address.chars().all(|c| {
            c.is_ascii_graphic()
                && !matches!(
                    c,
                    '<' | '>' | ',' | ';' | '"' | '(' | ')' | '[' | ']' | '\\'
                )
        });
    if !plain {
        return None;
    }
    address.parse().ok()
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
    people: &mut People,
    inline: &mut Vec<Location>,
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
    let members = fields
        .get("members")
        .map(|n| read_members(doc, n, &label, people, inline))
        .unwrap_or_default();
    let (holidays, annual_holidays) = super::holidays_ics::read_holiday_fields(
        doc,
        fields.get("holidays"),
        fields.get("holidays_ics"),
    );
    let channels =
        super::channels::read_owned_channels(doc, fields.get("channels"), &label, inline);
    let language = fields
        .get("language")
        .and_then(|n| read_language(doc, n, &label));
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
        members,
        holidays,
        annual_holidays,
        calendar: None,
        channels,
        language,
    })
}

/// A team's `language`: one of socctl's built-in languages (its notifications and mail are
/// written in it), reported with the nearest code otherwise.
fn read_language(doc: &mut Document<'_>, node: &Spanned<Node>, team: &str) -> Option<String> {
    let text = doc.text(node, "language")?;
    let code = text.trim().to_lowercase();
    let codes = crate::i18n::built_in_codes();
    if codes.contains(&code.as_str()) {
        return Some(code);
    }
    let near = crate::i18n::nearest_languages(&text, &[]);
    let hint = match near.first() {
        Some(code) => format!(
            "did you mean `language: {code}`? languages: {}",
            codes.join(", ")
        ),
        None => format!("write one of {}", codes.join(", ")),
    };
    doc.error(
        &node.referenced,
        format!(
            "`language: {}` of {team} is not a language socctl writes",
            text.trim()
        ),
        Some(hint),
    );
    None
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

/// Resolves team references: every id, name and alias of every team and group.
pub(super) struct TeamIndex {
    by_name: HashMap<String, TeamSelector>,
    members: Vec<Vec<usize>>,
    pub(super) listing: Vec<String>,
    /// Each team's members, by team index, for checking tasks' assignees.
    pub(super) rosters: Vec<super::assignment::Roster>,
}

impl TeamIndex {
    pub(super) fn new(teams: &[Team], groups: &[Group]) -> Self {
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
        let rosters = teams
            .iter()
            .map(|team| super::assignment::Roster {
                team: team.id.clone(),
                members: team.members.clone(),
            })
            .collect();
        Self {
            by_name,
            members: groups.iter().map(|g| g.members.clone()).collect(),
            listing,
            rosters,
        }
    }

    /// The teams `name` stands for: one team, or a group's members.
    pub(super) fn resolve(&self, name: &str) -> Option<&[usize]> {
        match self.by_name.get(&*lookup_key(name))? {
            TeamSelector::Team(index) => Some(std::slice::from_ref(index)),
            TeamSelector::Group(index) => Some(&self.members[*index]),
        }
    }
}

/// `name` as [`name_key`] spells it, borrowed when it already is spelt so (a lowercase id,
/// as nearly every task writes its team): a large catalog resolves a team per task.
fn lookup_key(name: &str) -> std::borrow::Cow<'_, str> {
    let spelt = !name.starts_with(' ')
        && !name.ends_with(' ')
        && !name.contains("  ")
        && name
            .bytes()
            .all(|b| b == b' ' || (b.is_ascii_graphic() && !b.is_ascii_uppercase()));
    if spelt {
        std::borrow::Cow::Borrowed(name)
    } else {
        std::borrow::Cow::Owned(name_key(name))
    }
}

#[cfg(test)]
mod tests {
    use super::{lookup_key, name_key};

    /// The borrowed key is always the one `name_key` would make: names already spelt as
    /// keys, and every kind of name that is not (capitals, runs and ends of spaces, tabs,
    /// line breaks, letters beyond ASCII), each alone and inside others.
    #[test]
    fn lookup_keys_are_name_keys() {
        let parts = [
            "",
            "soc",
            "team-17",
            "Incident Response",
            "ir",
            " ",
            "  ",
            "\t",
            "\n",
            "\u{a0}",
            "É",
            "é",
            "ß",
            "İ",
            "ǅ",
            "CSIRT",
            "a b",
            "x_y.z",
            "ΣΑΣ",
            "\u{2003}",
        ];
        for a in parts {
            for b in parts {
                for c in ["", " ", "q", "Q"] {
                    let name = format!("{a}{c}{b}");
                    assert_eq!(lookup_key(&name), name_key(&name), "{name:?}");
                }
            }
        }
        assert!(matches!(
            lookup_key("team-17"),
            std::borrow::Cow::Borrowed("team-17")
        ));
    }
}
