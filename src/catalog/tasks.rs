//! `tasks.yaml`: the calendar settings (time zone, week start, work days, holidays,
//! cadence aliases) and the tasks, with their cadences and team references.

use std::collections::{BTreeMap, HashMap};

use super::yaml::Spanned;
use jiff::civil::Date;

use super::assignment::{TaskContext, read_assignment};
use super::diagnostic::Severity;
use super::fields::{
    check_identifier, check_version, optional_text, parse_date, parse_time_zone, read_translations,
    required_text, text_list, unknown_name_hint,
};
use super::model::{Task, TaskText};
use super::roles::TeamIndex;
use super::yaml::{Document, Node};
use super::{Deadline, Estimate};
use crate::cadence::{self, ACCEPTED_FORMS, Cadence, Schedule};
use crate::calendar::{Calendar, Shift, WeekdaySet, parse_weekday};

const TASKS_FIELDS: &[&str] = &[
    "version",
    "timezone",
    "week_start",
    "workdays",
    "holidays",
    "holidays_ics",
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
    "deadline",
    "translations",
    "tags",
    "estimate",
    "references",
    "assignee",
    "rotation",
    "ticket",
];

const TASK_TEXT_FIELDS: &[&str] = &["title", "description", "cadence"];

/// What `tasks.yaml` holds: the calendar its cadences are read in, and the tasks.
pub(super) struct TaskSettings {
    pub(super) calendar: Calendar,
    pub(super) time_zone_name: String,
    pub(super) cadence_aliases: BTreeMap<String, String>,
    pub(super) tasks: Vec<Task>,
    /// Whether every error in tasks.yaml is inside `tasks`: the calendar settings and
    /// aliases above are then as written, and `explain` can use them.
    pub(super) calendar_ok: bool,
}

/// Reads `tasks.yaml`: its version, calendar settings, cadence aliases and tasks, with team
/// references resolved through `teams` (reported unknown only when `roles_ok`).
pub(super) fn read_tasks(
    doc: &mut Document<'_>,
    root: &mut Spanned<Node>,
    teams: &TeamIndex,
    roles_ok: bool,
    today: Date,
) -> TaskSettings {
    let mut settings = TaskSettings {
        calendar: Calendar::default(),
        time_zone_name: "UTC".to_owned(),
        cadence_aliases: BTreeMap::new(),
        tasks: Vec::new(),
        calendar_ok: false,
    };
    let errors = |doc: &Document<'_>| {
        doc.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    };
    // The tasks are most of the tree: each task's subtree is dropped once it is read, so
    // that the tasks being built reuse its memory instead of adding to it.
    let items = take_task_items(root);
    let root = &*root;
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
    let (holidays, annual) = super::holidays_ics::read_holiday_fields(
        doc,
        fields.get("holidays"),
        fields.get("holidays_ics"),
    );
    settings.calendar.holidays = holidays;
    settings.calendar.annual = annual;
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
            settings
                .cadence_aliases
                .insert(phrase.value.to_string(), text);
        }
    }
    let errors_before_tasks = errors(doc);
    let mut ids = HashMap::new();
    let mut cadences = CadenceMemo::default();
    let mut label = String::new();
    match fields.get("tasks") {
        Some(Spanned {
            value: Node::Seq(_),
            ..
        }) => {
            let items = items.unwrap_or_default();
            settings.tasks.reserve(items.len());
            ids.reserve(items.len());
            for item in items {
                if let Some(task) = read_task(
                    doc,
                    &item,
                    &mut ids,
                    &mut cadences,
                    &mut label,
                    teams,
                    roles_ok,
                    &settings,
                    today,
                ) {
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
    let errors_after_tasks = errors(doc);
    fields.finish(doc, "tasks.yaml", TASKS_FIELDS);
    settings.calendar_ok = errors_before_tasks == 0 && errors(doc) == errors_after_tasks;
    settings
}

/// Takes the items of `tasks` (the first `tasks` key, the one [`Fields::get`] reads) out
/// of the root mapping, leaving an empty list in their place; `None` when `tasks` is not a
/// list.
///
/// [`Fields::get`]: super::yaml::Fields::get
fn take_task_items<'s>(root: &mut Spanned<Node<'s>>) -> Option<Vec<Spanned<Node<'s>>>> {
    let Node::Map(entries) = &mut root.value else {
        return None;
    };
    let (_, value) = entries.iter_mut().find(|(key, _)| key.value == "tasks")?;
    match &mut value.value {
        Node::Seq(items) => Some(std::mem::take(items)),
        _ => None,
    }
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

/// Cadence phrases already read in this file, with their canonical spelling: a large
/// catalog repeats a few hundred phrases, and reading one is most of a task's checks.
#[derive(Default)]
struct CadenceMemo {
    parsed: HashMap<String, Result<(Cadence, String), cadence::CadenceError>>,
}

impl CadenceMemo {
    /// Beyond this many different phrases (a catalog of generated cron lines) the memo
    /// stops growing; phrases past it are read each time.
    const MOST: usize = 4096;

    fn parse(
        &mut self,
        text: &str,
        settings: &TaskSettings,
    ) -> Result<(Cadence, String), cadence::CadenceError> {
        if let Some(known) = self.parsed.get(text) {
            return known.clone();
        }
        let parsed = cadence::parse_with_aliases(
            text,
            settings.calendar.week_start,
            &settings.cadence_aliases,
        )
        .map(|cadence| {
            let canonical = cadence.to_string();
            (cadence, canonical)
        });
        if self.parsed.len() < Self::MOST {
            self.parsed.insert(text.to_owned(), parsed.clone());
        }
        parsed
    }
}

#[allow(clippy::too_many_arguments)]
fn read_task(
    doc: &mut Document<'_>,
    node: &Spanned<Node>,
    ids: &mut HashMap<String, u64>,
    cadences: &mut CadenceMemo,
    label: &mut String,
    teams: &TeamIndex,
    roles_ok: bool,
    settings: &TaskSettings,
    today: Date,
) -> Option<Task> {
    let mut fields = doc.fields(node, "a task")?;
    let id = required_text(doc, &mut fields, "id", &node.referenced, "a task");
    // Pieced together in one buffer for all the tasks rather than formatted anew.
    label.clear();
    match &id {
        Some((id, _)) => {
            label.push_str("task `");
            label.push_str(id);
            label.push('`');
        }
        None => label.push_str("a task"),
    }
    let label = label.as_str();
    let id = id.filter(|(id, _)| {
        fields
            .get("id")
            .is_some_and(|n| check_identifier(doc, id, n, ids, "task"))
    });
    let title = required_text(doc, &mut fields, "title", &node.referenced, label);
    let description = optional_text(doc, &mut fields, "description").unwrap_or_default();
    let cadence = match fields.get("cadence") {
        Some(cadence_node) => doc.text(cadence_node, "cadence").and_then(|text| {
            match cadences.parse(&text, settings) {
                Ok((cadence, canonical)) => {
                    Some((text, cadence, canonical, cadence_node.referenced))
                }
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
            let names = doc.text_list(team_node, "team");
            team_text.reserve_exact(names.len());
            for (name, at) in names {
                match teams.resolve(&name) {
                    Some(members) => team_indexes.extend_from_slice(members),
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
        let text = doc.text_str(n, "shift")?;
        let shift = Shift::parse(text);
        if shift.is_none() {
            doc.error(
                &n.referenced,
                format!("`{text}` is not a shift"),
                Some(format!("use one of: {}", Shift::NAMES.join(", "))),
            );
        }
        shift
    });
    let deadline_set = fields.get("deadline").and_then(|n| {
        let text = doc.text_str(n, "deadline")?;
        match Deadline::parse(text) {
            Ok(deadline) => Some(deadline),
            Err(message) => {
                doc.error(
                    &n.referenced,
                    format!("{message} in `deadline` of {label}"),
                    Some(Deadline::HINT.to_owned()),
                );
                None
            }
        }
    });
    let translations = fields
        .get("translations")
        .map(|n| read_translations(doc, n, label, TASK_TEXT_FIELDS))
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
        let text = doc.text_str(n, "estimate")?;
        match Estimate::parse(text) {
            Ok(estimate) => Some(estimate),
            Err(message) => {
                doc.error(
                    &n.referenced,
                    format!("{message} in `estimate` of {label}"),
                    Some(Estimate::HINT.to_owned()),
                );
                None
            }
        }
    });
    let references = text_list(doc, &mut fields, "references");
    let ticket = super::fields::flag(
        doc,
        &mut fields,
        "ticket",
        label,
        "write `ticket: true` to hand each occurrence to ServiceNow (`socctl tickets push`), or leave it out",
    );
    // Most tasks name nobody: only those that do pay for gathering their teams' rosters.
    let assigns = fields.get("assignee").is_some() || fields.get("rotation").is_some();
    let assignment = assigns
        .then(|| {
            read_assignment(
                doc,
                &mut fields,
                node,
                &TaskContext {
                    label,
                    teams: team_indexes
                        .iter()
                        .map(|&t| (t, &teams.rosters[t]))
                        .collect(),
                    all: &teams.rosters,
                    scheduled: cadence.as_ref().is_none_or(|(_, c, _, _)| c.rule.is_some()),
                    start,
                    today,
                },
            )
        })
        .flatten();
    fields.finish(doc, "a task", TASK_FIELDS);

    let (cadence_text, cadence, canonical_cadence, cadence_at) = cadence?;
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
        canonical_cadence,
        cadence,
        team_text,
        teams: team_indexes,
        start,
        shift: shift.unwrap_or_default(),
        deadline_set,
        translations,
        assignment,
        tags,
        estimate,
        references,
        ticket,
        line: node.referenced.line(),
    })
}
