//! The `members` of a team in `roles.yaml`: who they are, when they belong, whether they
//! lead; and the checks that hold across teams (one person, one name and address).

use std::collections::HashMap;

use super::yaml::{Location, Spanned};

use super::fields::{check_identifier, parse_date, required_text};
use super::model::Member;
use super::roles::read_email;
use super::yaml::{Document, Node};

const MEMBER_FIELDS: &[&str] = &[
    "id", "name", "email", "chat", "lead", "since", "until", "channels",
];

/// Who a person is, as the first entry naming them says: for checking the others.
pub(super) struct Person {
    name: String,
    email: String,
    line: u64,
    /// The line of the entry that gives the person's `channels`, once one has.
    channels: Option<u64>,
}

/// Every person met so far in `roles.yaml`, by id.
pub(super) type People = HashMap<String, Person>;

/// Reads a team's `members:` list, reporting every problem with an entry and between
/// entries of the same person (overlapping periods here, another name or address in
/// another team).
pub(super) fn read_members(
    doc: &mut Document<'_>,
    node: &Spanned<Node>,
    team: &str,
    people: &mut People,
    inline: &mut Vec<Location>,
) -> Vec<Member> {
    let Node::Seq(items) = &node.value else {
        doc.error(
            &node.referenced,
            format!("`members` of {team} must be a list of people"),
            Some("write one `- id: …` entry per person, with `name` and `email`".to_owned()),
        );
        return Vec::new();
    };
    let mut members: Vec<(Member, Location)> = Vec::new();
    for item in items {
        let Some(member) = read_member(doc, item, team, inline) else {
            continue;
        };
        if let Some((earlier, _)) = members
            .iter()
            .find(|(m, _)| m.id == member.id && overlaps(m, &member))
        {
            let hint = if earlier.since.is_none()
                && earlier.until.is_none()
                && member.since.is_none()
                && member.until.is_none()
            {
                format!(
                    "the first entry is on line {}; list a person once per team, or give each entry `since`/`until` dates that do not overlap",
                    earlier.line
                )
            } else {
                format!(
                    "the entry on line {} covers {}; a person's periods in one team must not overlap",
                    earlier.line,
                    period(earlier)
                )
            };
            doc.error(
                &item.referenced,
                format!(
                    "member `{}` is listed twice in {team} for overlapping periods ({} and {})",
                    member.id,
                    period(earlier),
                    period(&member)
                ),
                Some(hint),
            );
            continue;
        }
        check_person(doc, people, &member, &item.referenced);
        members.push((member, item.referenced));
    }
    members.into_iter().map(|(member, _)| member).collect()
}

/// Whether two periods share a day.
fn overlaps(a: &Member, b: &Member) -> bool {
    let starts_before_b_ends = match (a.since, b.until) {
        (Some(since), Some(until)) => since <= until,
        _ => true,
    };
    let b_starts_before_a_ends = match (b.since, a.until) {
        (Some(since), Some(until)) => since <= until,
        _ => true,
    };
    starts_before_b_ends && b_starts_before_a_ends
}

/// A period in words: `2027-01-01 to 2027-06-30`, `always`, `since …`, `until …`.
fn period(member: &Member) -> String {
    match (member.since, member.until) {
        (None, None) => "always".to_owned(),
        (Some(since), None) => format!("since {since}"),
        (None, Some(until)) => format!("until {until}"),
        (Some(since), Some(until)) => format!("{since} to {until}"),
    }
}

/// Reports a person whose name or address differs from the first entry with their id.
fn check_person(doc: &mut Document<'_>, people: &mut People, member: &Member, at: &Location) {
    let Some(person) = people.get_mut(&member.id) else {
        people.insert(
            member.id.clone(),
            Person {
                name: member.name.clone(),
                email: member.email.clone(),
                line: member.line,
                channels: (!member.channels.is_empty()).then_some(member.line),
            },
        );
        return;
    };
    if !member.channels.is_empty() {
        match person.channels {
            Some(line) => doc.error(
                at,
                format!(
                    "member `{}` has `channels` here and on line {line}",
                    member.id
                ),
                Some("a person's channels are theirs in every team: write them once, on one of their entries".to_owned()),
            ),
            None => person.channels = Some(member.line),
        }
    }
    for (field, first, this) in [
        ("name", &person.name, &member.name),
        ("email", &person.email, &member.email),
    ] {
        let differs = if field == "email" {
            !first.eq_ignore_ascii_case(this)
        } else {
            first != this
        };
        if differs {
            doc.error(
                at,
                format!(
                    "member `{}` has the {field} `{this}` here and `{first}` on line {}",
                    member.id, person.line
                ),
                Some(format!(
                    "one id is one person in every team: give both entries the same {field}, or give one of them another id"
                )),
            );
        }
    }
}

fn read_member(
    doc: &mut Document<'_>,
    node: &Spanned<Node>,
    team: &str,
    inline: &mut Vec<Location>,
) -> Option<Member> {
    let what = format!("a member of {team}");
    let mut fields = doc.fields(node, &what)?;
    let id = required_text(doc, &mut fields, "id", &node.referenced, &what);
    let label = id.as_ref().map_or_else(
        || what.clone(),
        |(id, _)| format!("member `{id}` of {team}"),
    );
    // Ids repeat legitimately (the same person in another team or period): only the form is
    // checked here, repeats by the caller.
    let id = id.filter(|(id, _)| {
        fields
            .get("id")
            .is_some_and(|n| check_identifier(doc, id, n, &mut HashMap::new(), "member"))
    });
    let name = required_text(doc, &mut fields, "name", &node.referenced, &label);
    let email = match fields.get("email") {
        Some(n) => read_email(doc, n, "email"),
        None => {
            doc.error(
                &node.referenced,
                format!("{label} has no `email`"),
                Some("add `email: name@example.org`; socctl mails people their work".to_owned()),
            );
            None
        }
    };
    let chat = fields
        .get("chat")
        .and_then(|n| doc.text(n, "chat"))
        .map(|t| t.trim().to_owned());
    let lead = super::fields::flag(
        doc,
        &mut fields,
        "lead",
        &label,
        "write `lead: true` for the team's lead, or leave it out",
    );
    let since = fields
        .get("since")
        .and_then(|n| parse_date(doc, n, "since"));
    let until_node = fields.get("until");
    let until = until_node.and_then(|n| parse_date(doc, n, "until"));
    let channels =
        super::channels::read_owned_channels(doc, fields.get("channels"), &label, inline);
    fields.finish(doc, "a member", MEMBER_FIELDS);
    if let (Some(since), Some(until), Some(at)) = (since, until, until_node)
        && until < since
    {
        doc.error(
            &at.referenced,
            format!("{label} leaves on {until}, before joining on {since}"),
            Some("`since` is the first day in the team and `until` the last: swap them or fix the dates".to_owned()),
        );
        return None;
    }
    Some(Member {
        id: id?.0,
        name: name?.0.trim().to_owned(),
        email: email?,
        chat,
        lead,
        since,
        until,
        line: node.referenced.line(),
        channels,
    })
}
