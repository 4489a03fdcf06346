//! A task's `assignee` or `rotation` in `tasks.yaml`: read, and checked against the members
//! of the task's teams in `roles.yaml`.

use super::yaml::Spanned;
use jiff::civil::{Date, Time};

use super::diagnostic::Severity;
use super::fields::parse_date;
use super::model::{Assignment, Handover, Member, Rotation};
use super::yaml::{Document, Fields, Node, nearest};
use crate::calendar::parse_weekday;

const ROTATION_FIELDS: &[&str] = &["members", "handover", "anchor"];

/// The forms `handover` accepts, for hints.
pub(super) const HANDOVER_FORMS: &str =
    "`every occurrence`, `every 2 occurrences` or `weekly on monday at 09:00`";

/// A team's id and its members, as `roles.yaml` lists them.
#[derive(Debug, Clone)]
pub(super) struct Roster {
    pub(super) team: String,
    pub(super) members: Vec<Member>,
}

impl Roster {
    fn has(&self, id: &str) -> bool {
        self.members.iter().any(|m| m.id == id)
    }

    /// Whether `id` is a member of this team on `date` or any later day.
    fn present_from(&self, id: &str, date: Date) -> bool {
        self.members
            .iter()
            .any(|m| m.id == id && m.until.is_none_or(|until| until >= date))
    }

    fn ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = Vec::new();
        for member in &self.members {
            if !ids.contains(&member.id.as_str()) {
                ids.push(&member.id);
            }
        }
        ids
    }
}

/// What a task's assignment is checked against.
pub(super) struct TaskContext<'a> {
    /// How messages name the task.
    pub(super) label: &'a str,
    /// The task's teams (indexes into the catalog's teams) and their rosters, in order.
    pub(super) teams: Vec<(usize, &'a Roster)>,
    /// Every team's roster, for saying where an id does belong.
    pub(super) all: &'a [Roster],
    /// Whether the task has a schedule (occurrences to count).
    pub(super) scheduled: bool,
    /// The task's `start`, the default anchor.
    pub(super) start: Option<Date>,
    /// The day `check` runs, for warnings about people who have left.
    pub(super) today: Date,
}

/// Reads `assignee` or `rotation` (not both), reporting every problem.
pub(super) fn read_assignment(
    doc: &mut Document<'_>,
    fields: &mut Fields<'_>,
    node: &Spanned<Node>,
    task: &TaskContext<'_>,
) -> Option<Assignment> {
    let assignee = fields.get("assignee");
    let rotation = fields.get("rotation");
    if task.teams.is_empty() {
        // The task's `team` is missing or unknown, reported already: there are no members
        // to check the names against.
        return None;
    }
    match (assignee, rotation) {
        (None, None) => None,
        (Some(_), Some(rotation)) => {
            doc.error(
                &rotation.referenced,
                format!("{} has both an `assignee` and a `rotation`", task.label),
                Some("keep `assignee` for one fixed person, or `rotation` for turns".to_owned()),
            );
            None
        }
        (Some(assignee), None) => read_fixed(doc, assignee, task).map(Assignment::Fixed),
        (None, Some(rotation)) => read_rotation(doc, rotation, node, task),
    }
}

/// Checks that `id` is a member of one of the task's teams; reports it otherwise.
fn check_member(
    doc: &mut Document<'_>,
    id: &str,
    at: &Spanned<Node>,
    field: &str,
    task: &TaskContext<'_>,
) -> bool {
    if task.teams.iter().any(|(_, roster)| roster.has(id)) {
        return true;
    }
    let teams: Vec<&str> = task.teams.iter().map(|(_, r)| r.team.as_str()).collect();
    let known: Vec<&str> = task.teams.iter().flat_map(|(_, r)| r.ids()).collect();
    let elsewhere: Vec<&str> = task
        .all
        .iter()
        .filter(|r| r.has(id))
        .map(|r| r.team.as_str())
        .collect();
    let list = if known.is_empty() {
        format!(
            "no `members` are listed for {} in roles.yaml",
            teams.join(", ")
        )
    } else {
        format!("members of {}: {}", teams.join(", "), known.join(", "))
    };
    let (message, hint) = if elsewhere.is_empty() {
        let hint = match nearest(id, known.iter().copied()) {
            Some(suggestion) => format!("did you mean `{suggestion}`? {list}"),
            None => list,
        };
        (
            format!("unknown member `{id}` in `{field}` of {}", task.label),
            hint,
        )
    } else {
        (
            format!(
                "`{id}` in `{field}` of {} is a member of {}, not of the task's team",
                task.label,
                elsewhere.join(", ")
            ),
            format!("a task is done by members of its own teams; {list}"),
        )
    };
    doc.error(&at.referenced, message, Some(hint));
    false
}

fn read_fixed(
    doc: &mut Document<'_>,
    node: &Spanned<Node>,
    task: &TaskContext<'_>,
) -> Option<Vec<(usize, String)>> {
    let mut ids: Vec<(String, usize)> = Vec::new();
    let mut ok = true;
    for (id, at) in doc.text_list(node, "assignee") {
        let id = id.trim().to_owned();
        if !check_member(doc, &id, at, "assignee", task) {
            ok = false;
            continue;
        }
        // The person does it for the first of the task's teams they are in that has no
        // assignee yet.
        let member_of: Vec<usize> = (0..task.teams.len())
            .filter(|&i| task.teams[i].1.has(&id))
            .collect();
        let Some(team) = member_of
            .iter()
            .copied()
            .find(|i| !ids.iter().any(|(_, t)| t == i))
            .or(member_of.first().copied())
        else {
            continue;
        };
        if let Some((other, _)) = ids.iter().find(|(_, t)| *t == team) {
            doc.error(
                &at.referenced,
                format!(
                    "{} has two assignees in team `{}`: `{other}` and `{id}`",
                    task.label, task.teams[team].1.team
                ),
                Some("name one assignee per team, or use a `rotation` to take turns".to_owned()),
            );
            ok = false;
            continue;
        }
        if !task.teams[team].1.present_from(&id, task.today) {
            doc.report(
                Severity::Warning,
                &at.referenced,
                format!(
                    "`{id}`, the assignee of {} in team `{}`, is no longer a member on {}",
                    task.label, task.teams[team].1.team, task.today
                ),
                Some(
                    "its occurrences from then on are unassigned: name someone who is in the team"
                        .to_owned(),
                ),
            );
        }
        ids.push((id, team));
    }
    if !ok {
        return None;
    }
    if ids.is_empty() {
        doc.error(
            &node.referenced,
            format!("`assignee` of {} is empty", task.label),
            Some("name a member id from roles.yaml".to_owned()),
        );
        return None;
    }
    for (index, (_, roster)) in task.teams.iter().enumerate() {
        if !ids.iter().any(|(_, team)| *team == index) {
            doc.report(
                Severity::Warning,
                &node.referenced,
                format!(
                    "{} has no assignee in team `{}`: its occurrences there are unassigned",
                    task.label, roster.team
                ),
                Some(
                    "list one member of each team in `assignee: [a, b]`, or use a `rotation`"
                        .to_owned(),
                ),
            );
        }
    }
    Some(
        ids.into_iter()
            .map(|(id, team)| (task.teams[team].0, id))
            .collect(),
    )
}

fn read_rotation(
    doc: &mut Document<'_>,
    node: &Spanned<Node>,
    task_node: &Spanned<Node>,
    task: &TaskContext<'_>,
) -> Option<Assignment> {
    let mut fields = doc.fields(node, &format!("`rotation` of {}", task.label))?;
    let mut ok = true;
    let mut members: Vec<String> = Vec::new();
    if let Some(list) = fields.get("members") {
        for (id, at) in doc.text_list(list, "members") {
            let id = id.trim().to_owned();
            if !check_member(doc, &id, at, "rotation.members", task) {
                ok = false;
            } else if members.contains(&id) {
                doc.error(
                    &at.referenced,
                    format!("`{id}` is listed twice in the rotation of {}", task.label),
                    Some(
                        "a rotation lists each person once; the order is the order of turns"
                            .to_owned(),
                    ),
                );
                ok = false;
            } else {
                members.push(id);
            }
        }
    }
    let handover = match fields.get("handover") {
        None => Some(Handover::Occurrences(1)),
        Some(n) => {
            let text = doc.text(n, "handover").unwrap_or_default();
            match parse_handover(&text) {
                Ok(Handover::Occurrences(_)) if !task.scheduled => {
                    doc.error(
                        &n.referenced,
                        format!(
                            "{} has no schedule, so `{text}` has no occurrences to count",
                            task.label
                        ),
                        Some(
                            "use a handover at a time, e.g. `weekly on monday at 09:00`".to_owned(),
                        ),
                    );
                    None
                }
                Ok(handover) => Some(handover),
                Err(message) => {
                    doc.error(
                        &n.referenced,
                        format!(
                            "cannot read the handover `{text}` of {}: {message}",
                            task.label
                        ),
                        Some(format!("write {HANDOVER_FORMS}")),
                    );
                    None
                }
            }
        }
    };
    let anchor = match fields.get("anchor") {
        Some(n) => parse_date(doc, n, "anchor"),
        None if task.start.is_some() => task.start,
        None => {
            doc.error(
                &node.referenced,
                format!("the rotation of {} has no `anchor`", task.label),
                Some("add `anchor: YYYY-MM-DD`, the day the first turn starts (or give the task a `start`)".to_owned()),
            );
            None
        }
    };
    fields.finish(doc, "a rotation", ROTATION_FIELDS);
    let (handover, anchor) = (handover?, anchor?);
    if !ok {
        return None;
    }
    for (_, roster) in &task.teams {
        let turns: Vec<&str> = if members.is_empty() {
            roster.ids()
        } else {
            members
                .iter()
                .map(String::as_str)
                .filter(|id| roster.has(id))
                .collect()
        };
        let from = task.today.max(anchor);
        let message = if turns.is_empty() {
            format!(
                "nobody in the rotation of {} is a member of team `{}`: its occurrences there are unassigned",
                task.label, roster.team
            )
        } else if !turns.iter().any(|id| roster.present_from(id, from)) {
            format!(
                "nobody in the rotation of {} is a member of team `{}` on or after {from}: its occurrences there are unassigned",
                task.label, roster.team
            )
        } else {
            continue;
        };
        doc.report(
            Severity::Warning,
            &task_node.referenced,
            message,
            Some(format!(
                "add members to team `{}` in roles.yaml, or list them in `rotation.members`",
                roster.team
            )),
        );
    }
    Some(Assignment::Rotation(Rotation {
        members,
        handover,
        anchor,
    }))
}

/// Reads a handover: `every occurrence`, `every N occurrences`, `weekly on DAY [at HH:MM]`.
pub(super) fn parse_handover(text: &str) -> Result<Handover, String> {
    let normal = crate::cadence::normalize_phrase(text);
    let words: Vec<&str> = normal.split(' ').collect();
    match words.as_slice() {
        ["every" | "each", "occurrence"] => Ok(Handover::Occurrences(1)),
        ["every", count, "occurrence" | "occurrences"] => match count.parse::<u32>() {
            Ok(n) if n >= 1 => Ok(Handover::Occurrences(n)),
            _ => Err(format!(
                "`{count}` is not a number of occurrences (1 or more)"
            )),
        },
        ["weekly", "on", day, rest @ ..] => {
            let day =
                parse_weekday(day).ok_or_else(|| format!("`{day}` is not a day of the week"))?;
            let time = match rest {
                [] => Time::midnight(),
                ["at", time] => Time::strptime("%H:%M", time)
                    .map_err(|_| format!("`{time}` is not a time of day (HH:MM)"))?,
                _ => return Err(format!("`{}` is not `at HH:MM`", rest.join(" "))),
            };
            Ok(Handover::Weekly { day, time })
        }
        _ => Err("socctl knows no such handover".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::{Weekday, time};

    use super::*;

    #[test]
    fn handovers_are_read_in_every_accepted_form() {
        let cases = [
            ("every occurrence", Handover::Occurrences(1)),
            ("Every  Occurrence", Handover::Occurrences(1)),
            ("every 3 occurrences", Handover::Occurrences(3)),
            (
                "weekly on monday at 09:00",
                Handover::Weekly {
                    day: Weekday::Monday,
                    time: time(9, 0, 0, 0),
                },
            ),
            (
                "weekly on fri",
                Handover::Weekly {
                    day: Weekday::Friday,
                    time: time(0, 0, 0, 0),
                },
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_handover(text), Ok(expected), "{text}");
        }
        for bad in [
            "every 0 occurrences",
            "fortnightly",
            "weekly on funday",
            "weekly on monday at 25:00",
        ] {
            assert!(parse_handover(bad).is_err(), "{bad}");
        }
    }
}
