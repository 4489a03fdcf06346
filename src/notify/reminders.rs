//! What is due to be said: the reminders of one team for one run, from the day's plan (with
//! the journal's statuses) and the journal's overdue work. Pure: today and the plans are
//! inputs.

use jiff::civil::Date;

use super::{Item, Kind, Message};
use crate::catalog::Catalog;
use crate::i18n::Locale;
use crate::listing::overdue::OverdueRow;
use crate::plan::{Plan, Status};
use crate::track::Standing;

/// One reminder: its kind, the occurrence it is about (the sent-log's key with the team and
/// channel) and its line in the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    /// The kind.
    pub kind: Kind,
    /// The task id (empty for a digest).
    pub task: String,
    /// The occurrence's due date (a digest: the week's first day).
    pub occurrence: Date,
    /// Its time of day, when the task has one (which turn of a rotation it is).
    pub time: Option<jiff::civil::Time>,
    /// The line it adds to the message (none for a digest's own key).
    pub item: Option<Item>,
}

/// The occurrences of `plan` on `plan.to` that are team `team`'s and still to do, as
/// reminders of `kind`: `Due` for today's plan, `HeadsUp` for the plan from today to the
/// day ahead, where a task that falls again before that day (a daily task, with a lead
/// time of a day) gets no heads-up: its earlier occurrence is the reminder.
pub fn from_plan(
    catalog: &Catalog,
    plan: &Plan,
    team: usize,
    kind: Kind,
    locale: &Locale,
) -> Vec<Reminder> {
    let mut reminders: Vec<Reminder> = Vec::new();
    let occurrences: Vec<_> = crate::render::occurrences_of_team(catalog, plan, team).collect();
    for occurrence in &occurrences {
        if occurrence.date != plan.to
            || matches!(occurrence.status, Some(Status::Done | Status::Skipped))
        {
            continue;
        }
        let sooner = occurrences
            .iter()
            .any(|o| o.task == occurrence.task && o.date < occurrence.date);
        if kind == Kind::HeadsUp && sooner {
            continue;
        }
        let task = &catalog.tasks[occurrence.task];
        if reminders
            .iter()
            .any(|r| r.task == task.id && r.occurrence == occurrence.date)
        {
            continue;
        }
        let mut note = locale.format(
            "notify_item_due",
            &[("date", &locale.short_date(occurrence.date))],
        );
        if let Some(time) = occurrence.time {
            note = format!("{note} {}", time.strftime("%H:%M"));
        }
        reminders.push(Reminder {
            kind,
            task: task.id.clone(),
            occurrence: occurrence.date,
            time: occurrence.time,
            item: Some(Item {
                task: task.id.clone(),
                title: task.title_in(locale.code()).to_owned(),
                occurrence: occurrence.date,
                note,
                url: None,
            }),
        });
    }
    reminders
}

/// The overdue occurrences of `rows` (one row an occurrence: `overdue --all`'s rows) that
/// are team `team_id`'s: each an `Overdue` reminder, and an `Escalation` as well once it
/// is `escalate_after` days or more past its due date on `today`.
pub fn overdue(
    rows: &[OverdueRow<'_>],
    team_id: &str,
    today: Date,
    escalate_after: u32,
    locale: &Locale,
) -> (Vec<Reminder>, Vec<Reminder>) {
    let mut overdue = Vec::new();
    let mut escalation = Vec::new();
    for row in rows.iter().filter(|r| r.teams.contains(&team_id)) {
        let item = Item {
            task: row.task.to_owned(),
            title: row.title.to_owned(),
            occurrence: row.since,
            note: locale.format(
                "notify_item_overdue",
                &[("date", &locale.short_date(row.since))],
            ),
            url: None,
        };
        let reminder = |kind| Reminder {
            kind,
            task: row.task.to_owned(),
            occurrence: row.since,
            time: None,
            item: Some(item.clone()),
        };
        overdue.push(reminder(Kind::Overdue));
        let days = (today - row.since).get_days();
        if days >= i32::try_from(escalate_after).unwrap_or(i32::MAX) {
            escalation.push(reminder(Kind::Escalation));
        }
    }
    (overdue, escalation)
}

/// The lines of a lead's weekly digest: team `team_id`'s runs of overdue and missed work
/// (`overdue`'s rows, one a run).
pub fn digest_items(rows: &[OverdueRow<'_>], team_id: &str, locale: &Locale) -> Vec<Item> {
    rows.iter()
        .filter(|r| r.teams.contains(&team_id))
        .map(|row| {
            let key = match (row.status, row.count) {
                (Standing::Missed, _) => "notify_item_missed",
                (_, 1) => "notify_item_overdue",
                _ => "notify_item_overdue_run",
            };
            Item {
                task: row.task.to_owned(),
                title: row.title.to_owned(),
                occurrence: row.since,
                note: locale.format(
                    key,
                    &[
                        ("date", &locale.short_date(row.since)),
                        ("count", &row.count.to_string()),
                    ],
                ),
                url: None,
            }
        })
        .collect()
}

/// The message of `kind` for team `team` about `date`, with `items`; to the team, or with
/// `person` (a member's id and name) to that person about the team's work assigned to them.
pub fn message(
    catalog: &Catalog,
    (team, person): (usize, Option<(&str, &str)>),
    (kind, date): (Kind, Date),
    items: Vec<Item>,
    locale: &Locale,
) -> Message {
    let team_name = catalog.teams[team].name_in(locale.code()).to_owned();
    let audience = match person {
        Some((_, name)) => format!("{name} ({team_name})"),
        None => team_name.clone(),
    };
    let days = catalog.notify.escalate_after_days.to_string();
    let key = match kind {
        Kind::Due => "notify_due",
        Kind::HeadsUp => "notify_heads_up",
        Kind::Overdue => "notify_overdue",
        Kind::Escalation => "notify_escalation",
        Kind::Digest => "notify_digest",
    };
    let title = locale.format(
        key,
        &[
            ("team", &audience),
            ("date", &locale.short_date(date)),
            ("days", &days),
        ],
    );
    let board = catalog
        .notify
        .board_url
        .clone()
        .map(|url| (url, locale.text("notify_open_board").to_owned()));
    let mut items = items;
    if let Some((url, _)) = &board {
        for item in items.iter_mut().filter(|item| !item.task.is_empty()) {
            item.url = Some(super::task_url(url, &item.task));
        }
    }
    let empty = (kind == Kind::Digest && items.is_empty())
        .then(|| locale.text("notify_digest_empty").to_owned());
    Message {
        kind,
        team: catalog.teams[team].id.clone(),
        team_name,
        person: person.map(|(id, _)| id.to_owned()),
        title,
        date,
        language: locale.code().to_owned(),
        items,
        empty,
        board,
        open_task: locale.text("notify_open_task").to_owned(),
    }
}
