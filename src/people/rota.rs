//! The walk of a task's assignment for one team over its occurrences.

use std::collections::HashMap;
use std::sync::Arc;

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;

use crate::cadence::{Occurrence, Occurrences};
use crate::calendar::add_days;
use crate::catalog::{Assignment, Catalog, Handover, Member, Task};
use crate::journal::{CoverKind, CoverRecord};
use crate::plan::{Plan, PlannedOccurrence};

/// The journal's records that hand an occurrence to someone else: leave (with or without a
/// named cover) and swaps, those in force (not cancelled). Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct Cover {
    inner: Arc<CoverInner>,
}

#[derive(Debug, Default)]
struct CoverInner {
    /// (person, first day, last day, cover).
    leave: Vec<(String, Date, Date, Option<String>)>,
    /// (task, occurrence, team) → who takes it.
    swaps: HashMap<(String, Date, String), String>,
}

impl Cover {
    /// No cover records: every assignment is the catalog's.
    pub fn none() -> Self {
        Self::default()
    }

    /// The cover records in force among `records` (the journal's, in any order) that can
    /// touch occurrences from `from` to `to`: leave overlapping the days, swaps of an
    /// occurrence in them, and every cancellation.
    pub fn touching(records: &[CoverRecord], from: Date, to: Date) -> Self {
        let touching: Vec<CoverRecord> = records
            .iter()
            .filter(|r| match &r.kind {
                CoverKind::Away {
                    from: first,
                    to: last,
                    ..
                } => *first <= to && *last >= from,
                CoverKind::Swap { occurrence, .. } => from <= *occurrence && *occurrence <= to,
                CoverKind::Cancel { .. } => true,
            })
            .cloned()
            .collect();
        Self::from_records(&touching)
    }

    /// The cover records in force among `records` (the journal's, in any order).
    pub fn from_records(records: &[CoverRecord]) -> Self {
        let mut inner = CoverInner::default();
        for record in CoverRecord::effective(records) {
            match &record.kind {
                CoverKind::Away {
                    person,
                    from,
                    to,
                    cover,
                } => inner
                    .leave
                    .push((person.clone(), *from, *to, cover.clone())),
                CoverKind::Swap {
                    task,
                    occurrence,
                    team,
                    to,
                } => {
                    inner
                        .swaps
                        .insert((task.clone(), *occurrence, team.clone()), to.clone());
                }
                CoverKind::Cancel { .. } => {}
            }
        }
        Self {
            inner: Arc::new(inner),
        }
    }

    /// Whether there are no cover records at all.
    pub fn is_empty(&self) -> bool {
        self.inner.leave.is_empty() && self.inner.swaps.is_empty()
    }

    /// The leave `person` is on, on `date`: `Some(cover)` (the named cover, if any).
    pub fn away(&self, person: &str, date: Date) -> Option<Option<&str>> {
        self.inner
            .leave
            .iter()
            .find(|(p, from, to, _)| p == person && *from <= date && date <= *to)
            .map(|(_, _, _, cover)| cover.as_deref())
    }

    /// Who takes `team`'s occurrence of `task` due on `date` by a swap.
    pub fn swap(&self, task: &str, date: Date, team: &str) -> Option<&str> {
        self.inner
            .swaps
            .get(&(task.to_owned(), date, team.to_owned()))
            .map(String::as_str)
    }
}

/// Who does an occurrence, and who the catalog alone would give it to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Turn<'c> {
    /// Who does it, after leave and swaps; `None`: nobody (unassigned, or nobody in
    /// particular).
    pub assignee: Option<&'c Member>,
    /// Whose turn it is by the catalog (the rotation or the fixed assignee).
    pub rostered: Option<&'c Member>,
}

impl Turn<'_> {
    /// Whether the assignee does it for someone else (leave or a swap).
    pub fn covers(&self) -> bool {
        match (self.assignee, self.rostered) {
            (Some(a), Some(r)) => a.id != r.id,
            (Some(_), None) => true,
            _ => false,
        }
    }
}

/// The moment an occurrence counts as happening, for comparing with handovers: its time
/// in the catalog's zone, or the end of its day when it has none (a task due on a
/// handover day is done by the one who takes over that day).
fn moment(zone: &TimeZone, date: Date, time: Option<Time>) -> Timestamp {
    let time = time.unwrap_or(Time::MAX);
    zone.to_timestamp(DateTime::from_parts(date, time))
        .unwrap_or(Timestamp::MAX)
}

/// Where handover slots start: the task's occurrences, every N of them, or weekly times.
enum Slots<'a> {
    Occurrences {
        occurrences: Occurrences<'a>,
        every: u32,
    },
    Weekly {
        next: Option<Date>,
        time: Time,
    },
}

impl Slots<'_> {
    /// The next slot's first day and the moment it starts.
    fn next(&mut self, zone: &TimeZone) -> Option<(Date, Timestamp)> {
        match self {
            Slots::Occurrences { occurrences, every } => {
                let first = occurrences.next()?;
                for _ in 1..*every {
                    occurrences.next();
                }
                Some((first.date, moment(zone, first.date, first.time)))
            }
            Slots::Weekly { next, time } => {
                let date = (*next)?;
                *next = add_days(date, 7);
                let start = zone
                    .to_timestamp(DateTime::from_parts(date, *time))
                    .unwrap_or(Timestamp::MAX);
                Some((date, start))
            }
        }
    }
}

/// The assignment of one task for one of its teams, walked forward over occurrences in
/// order: asking for occurrences in date order costs one pass over the slots in all.
pub struct Rota<'c> {
    zone: TimeZone,
    kind: Kind<'c>,
    task: &'c str,
    team: &'c str,
    /// The people an absent assignee's turn passes to, in order: the rotation's members,
    /// or (for a fixed assignee) the team's.
    order: Vec<Vec<&'c Member>>,
    /// The team's member entries, where a swap or a named cover is looked up.
    members: &'c [Member],
    cover: Cover,
}

enum Kind<'c> {
    /// Nobody in particular.
    None,
    /// The same member's entries (their periods) every time; empty: unassigned.
    Fixed(Vec<&'c Member>),
    /// Turns among `turns` (each a person's entries in the team).
    Rotation(Box<Walk<'c>>),
}

struct Walk<'c> {
    turns: Vec<Vec<&'c Member>>,
    slots: Slots<'c>,
    /// The current slot's holder (index into `turns`), when it has one.
    holder: Option<usize>,
    /// The last holder, where the next slot's search starts.
    pointer: Option<usize>,
    /// Whether the walk has entered its first slot.
    started: bool,
    /// The next slot, once looked at.
    upcoming: Option<(Date, Timestamp)>,
    /// The moment last asked about, to restart when asked about an earlier one.
    last: Option<Timestamp>,
    restart: Box<dyn Fn() -> Slots<'c> + 'c>,
}

fn active(entries: &[&Member], date: Date) -> bool {
    entries.iter().any(|m| m.active_on(date))
}

impl<'c> Walk<'c> {
    /// The first of `turns` after `after`, in rotation order (wrapping, `after` itself
    /// last), who is a member on `date`.
    fn pick(&self, after: Option<usize>, date: Date) -> Option<usize> {
        let count = self.turns.len();
        let first = after.map_or(0, |a| a + 1);
        (0..count)
            .map(|offset| (first + offset) % count)
            .find(|&index| active(&self.turns[index], date))
    }

    fn reset(&mut self) {
        self.slots = (self.restart)();
        self.holder = None;
        self.pointer = None;
        self.started = false;
        self.upcoming = None;
    }

    fn assignee(&mut self, zone: &TimeZone, date: Date, time: Option<Time>) -> Option<&'c Member> {
        let at = moment(zone, date, time);
        if self.last.is_some_and(|last| at < last) {
            self.reset();
        }
        self.last = Some(at);
        loop {
            if self.upcoming.is_none() {
                self.upcoming = self.slots.next(zone);
            }
            match self.upcoming {
                Some((slot_date, start)) if start <= at => {
                    self.upcoming = None;
                    self.started = true;
                    self.holder = self.pick(self.pointer, slot_date);
                    if self.holder.is_some() {
                        self.pointer = self.holder;
                    }
                }
                _ => break,
            }
        }
        if !self.started {
            // Before the rotation's first slot nobody holds it.
            return None;
        }
        let index = match self.holder {
            Some(holder) if active(&self.turns[holder], date) => holder,
            // The holder left mid-slot (or nobody was there when it began): the next
            // member in rotation order stands in, and the rotation does not move.
            _ => self.pick(self.holder.or(self.pointer), date)?,
        };
        self.turns[index]
            .iter()
            .copied()
            .find(|m| m.active_on(date))
    }
}

impl<'c> Rota<'c> {
    /// The assignment of `task` in `team` (an index into [`Catalog::teams`]), with the
    /// journal's `cover` records.
    pub fn new(catalog: &'c Catalog, task: &'c Task, team: usize, cover: &Cover) -> Self {
        // The team's own calendar: its holidays, and handovers on its own clock.
        let zone = catalog.calendar_of(team).time_zone.clone();
        let members = &catalog.teams[team].members;
        let entries_of =
            |id: &str| -> Vec<&'c Member> { members.iter().filter(|m| m.id == id).collect() };
        let mut everyone: Vec<&str> = Vec::new();
        for member in members {
            if !everyone.contains(&member.id.as_str()) {
                everyone.push(&member.id);
            }
        }
        let mut order: Vec<Vec<&'c Member>> = everyone.iter().map(|id| entries_of(id)).collect();
        let kind = match &task.assignment {
            None => Kind::None,
            Some(Assignment::Fixed(pairs)) => Kind::Fixed(
                pairs
                    .iter()
                    .find(|(t, _)| *t == team)
                    .map(|(_, id)| entries_of(id))
                    .unwrap_or_default(),
            ),
            Some(Assignment::Rotation(rotation)) => {
                let mut ids: Vec<&str> = Vec::new();
                if rotation.members.is_empty() {
                    for member in members {
                        if !ids.contains(&member.id.as_str()) {
                            ids.push(&member.id);
                        }
                    }
                } else {
                    ids.extend(
                        rotation
                            .members
                            .iter()
                            .map(String::as_str)
                            .filter(|id| members.iter().any(|m| m.id == *id)),
                    );
                }
                let turns: Vec<Vec<&'c Member>> = ids.into_iter().map(entries_of).collect();
                order.clone_from(&turns);
                let anchor = rotation.anchor;
                let calendar = catalog.calendar_of(team);
                let restart: Box<dyn Fn() -> Slots<'c> + 'c> = match rotation.handover {
                    Handover::Occurrences(every) => match task.schedule(calendar) {
                        Some(schedule) => Box::new(move || Slots::Occurrences {
                            occurrences: schedule.occurrences_from(anchor),
                            every,
                        }),
                        None => Box::new(move || Slots::Weekly {
                            next: None,
                            time: Time::midnight(),
                        }),
                    },
                    Handover::Weekly { day, time } => {
                        let first = (0..7)
                            .filter_map(|offset| add_days(anchor, offset))
                            .find(|d| d.weekday() == day);
                        Box::new(move || Slots::Weekly { next: first, time })
                    }
                };
                Kind::Rotation(Box::new(Walk {
                    turns,
                    slots: restart(),
                    holder: None,
                    pointer: None,
                    started: false,
                    upcoming: None,
                    last: None,
                    restart,
                }))
            }
        };
        Self {
            zone,
            kind,
            task: &task.id,
            team: &catalog.teams[team].id,
            order,
            members,
            cover: cover.clone(),
        }
    }

    /// Whether the task is assigned to anyone at all in this team (a fixed assignee or a
    /// rotation), as opposed to nobody in particular.
    pub fn is_assigned(&self) -> bool {
        !matches!(self.kind, Kind::None)
    }

    /// Who does the occurrence on `date` (at `time`): `None` when the task names nobody, or
    /// nobody is available (unassigned). Cheapest when asked in date order.
    pub fn assignee(&mut self, date: Date, time: Option<Time>) -> Option<&'c Member> {
        self.turn(date, time).assignee
    }

    /// Who does the occurrence on `date` (at `time`) and whose turn it is by the catalog.
    ///
    /// A swap hands the occurrence to the member it names. An assignee who is away on the
    /// day passes it to their leave's named cover, when that cover is a member on the day
    /// and not away; else to the next member in rotation order (the team's order for a
    /// fixed assignee) after them who is a member on the day and not away; else nobody.
    pub fn turn(&mut self, date: Date, time: Option<Time>) -> Turn<'c> {
        let rostered = match &mut self.kind {
            Kind::None => {
                return Turn {
                    assignee: None,
                    rostered: None,
                };
            }
            Kind::Fixed(entries) => entries.iter().copied().find(|m| m.active_on(date)),
            Kind::Rotation(walk) => walk.assignee(&self.zone, date, time),
        };
        if self.cover.is_empty() {
            return Turn {
                assignee: rostered,
                rostered,
            };
        }
        let members = self.members;
        let member = |id: &str| -> Option<&'c Member> {
            members.iter().find(|m| m.id == id && m.active_on(date))
        };
        let mut who = rostered;
        if let Some(to) = self.cover.swap(self.task, date, self.team)
            && let Some(taker) = member(to)
        {
            who = Some(taker);
        }
        let available = |m: &Member| self.cover.away(&m.id, date).is_none();
        let assignee = match who {
            None => None,
            Some(person) => match self.cover.away(&person.id, date) {
                None => Some(person),
                Some(named) => named.and_then(member).filter(|m| available(m)).or_else(|| {
                    let count = self.order.len();
                    let at = self
                        .order
                        .iter()
                        .position(|e| e.first().is_some_and(|m| m.id == person.id));
                    let start = at.map_or(0, |a| a + 1);
                    (0..count)
                        .map(|offset| (start + offset) % count)
                        .filter(|&index| Some(index) != at)
                        .find_map(|index| {
                            self.order[index]
                                .iter()
                                .copied()
                                .find(|m| m.active_on(date))
                                .filter(|m| available(m))
                        })
                }),
            },
        };
        Turn { assignee, rostered }
    }
}

/// Who does `task`'s occurrence in `team`: see [`Rota::assignee`].
pub fn assignee_of<'c>(
    catalog: &'c Catalog,
    task: &'c Task,
    team: usize,
    occurrence: Occurrence,
    cover: &Cover,
) -> Option<&'c Member> {
    Rota::new(catalog, task, team, cover).assignee(occurrence.date, occurrence.time)
}

/// Who does each of `plan`'s occurrences, in the plan's order: for each occurrence one
/// `(team, assignee)` per team it is for (its own `team`, else every team of its task that
/// the plan covers, in catalog order); the assignee is `None` for a task that names nobody
/// or when nobody is available. One walk per task and team over the whole plan.
pub fn plan_assignees<'c>(
    catalog: &'c Catalog,
    plan: &Plan,
    cover: &Cover,
) -> Vec<Vec<(usize, Option<&'c Member>)>> {
    let mut rotas: HashMap<(usize, usize), Rota<'c>> = HashMap::new();
    plan.occurrences
        .iter()
        .map(|occurrence| {
            let task = &catalog.tasks[occurrence.task];
            let teams: Vec<usize> = match occurrence.team {
                Some(team) => vec![team],
                None => task
                    .teams
                    .iter()
                    .copied()
                    .filter(|team| plan.teams.contains(team))
                    .collect(),
            };
            teams
                .into_iter()
                .map(|team| {
                    let member = if task.assignment.is_none() {
                        None
                    } else {
                        rotas
                            .entry((occurrence.task, team))
                            .or_insert_with(|| Rota::new(catalog, task, team, cover))
                            .assignee(occurrence.date, occurrence.time)
                    };
                    (team, member)
                })
                .collect()
        })
        .collect()
}

/// Who does an occurrence for one team.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who<'c> {
    /// The task names nobody in particular: nothing to show.
    Anyone,
    /// The task is assigned, but nobody is available (unassigned).
    Nobody,
    /// This member does it.
    Member(&'c Member),
}

impl<'c> Who<'c> {
    /// The member, when there is one.
    pub fn member(self) -> Option<&'c Member> {
        match self {
            Who::Member(member) => Some(member),
            Who::Anyone | Who::Nobody => None,
        }
    }

    /// Whether this is the member `id`.
    pub fn is(self, id: &str) -> bool {
        self.member().is_some_and(|m| m.id == id)
    }
}

/// Who does the occurrences a renderer or a filter is given, one at a time: one [`Rota`]
/// per task and team, kept between questions, so asking in date order (per task and team)
/// costs one walk in all. Tasks that name nobody cost nothing.
pub struct Assigner<'c> {
    catalog: &'c Catalog,
    cover: &'c Cover,
    rotas: HashMap<(usize, usize), Rota<'c>>,
}

impl<'c> Assigner<'c> {
    /// An assigner for `catalog`'s tasks with the journal's `cover` records.
    pub fn new(catalog: &'c Catalog, cover: &'c Cover) -> Self {
        Self {
            catalog,
            cover,
            rotas: HashMap::new(),
        }
    }

    /// Who does `task`'s occurrence on `date` (at `time`) for `team`.
    pub fn who(&mut self, task: usize, team: usize, date: Date, time: Option<Time>) -> Who<'c> {
        let catalog = self.catalog;
        let cover = self.cover;
        let own = &catalog.tasks[task];
        if own.assignment.is_none() {
            return Who::Anyone;
        }
        let rota = self
            .rotas
            .entry((task, team))
            .or_insert_with(|| Rota::new(catalog, own, team, cover));
        rota.assignee(date, time).map_or(Who::Nobody, Who::Member)
    }

    /// Who does a planned occurrence for `team`.
    pub fn of(&mut self, occurrence: &PlannedOccurrence, team: usize) -> Who<'c> {
        self.who(occurrence.task, team, occurrence.date, occurrence.time)
    }

    /// The teams an entry of a plan for `plan_teams` stands for, in catalog order: its own
    /// `team`, else every team of its task that the plan covers.
    pub fn teams_of(&self, occurrence: &PlannedOccurrence, plan_teams: &[usize]) -> Vec<usize> {
        match occurrence.team {
            Some(team) => vec![team],
            None => self.catalog.tasks[occurrence.task]
                .teams
                .iter()
                .copied()
                .filter(|team| plan_teams.contains(team))
                .collect(),
        }
    }
}

/// Whether `id` is a member of `team` on any day.
fn in_team(catalog: &Catalog, team: usize, id: &str) -> bool {
    catalog.teams[team].members.iter().any(|m| m.id == id)
}

/// Keeps of `plan` only what is assigned to the member `person`: the teams they are in,
/// the occurrences they do (an entry of several teams becomes one entry per team of
/// theirs when they do it for only some of them), and the carried-over work whose last
/// occurrence was theirs.
pub fn keep_assigned(catalog: &Catalog, plan: &mut Plan, cover: &Cover, person: &str) {
    let mut assigner = Assigner::new(catalog, cover);
    let teams = plan.teams.clone();
    let mut kept = Vec::new();
    for occurrence in std::mem::take(&mut plan.occurrences) {
        let all = assigner.teams_of(&occurrence, &teams);
        let theirs: Vec<usize> = all
            .iter()
            .copied()
            .filter(|&team| assigner.of(&occurrence, team).is(person))
            .collect();
        if theirs.is_empty() {
            continue;
        }
        if theirs.len() == all.len() {
            kept.push(occurrence);
        } else {
            for team in theirs {
                kept.push(PlannedOccurrence {
                    team: Some(team),
                    ..occurrence.clone()
                });
            }
        }
    }
    plan.occurrences = kept;
    let carried = std::mem::take(&mut plan.carried);
    plan.carried = carried
        .into_iter()
        .filter(|c| {
            let owners: Vec<usize> = match c.team {
                Some(team) => vec![team],
                None => catalog.tasks[c.task]
                    .teams
                    .iter()
                    .copied()
                    .filter(|t| teams.contains(t))
                    .collect(),
            };
            owners
                .into_iter()
                .any(|team| assigner.who(c.task, team, c.last, None).is(person))
        })
        .collect();
    plan.teams.retain(|&team| in_team(catalog, team, person));
}

/// How far ahead [`next_assignments`] looks, in days.
pub const HORIZON_DAYS: i64 = 366;

/// Each person's next occurrence of each task assigned to them, on or after `from` and
/// within [`HORIZON_DAYS`]: (member id, task, team index, occurrence), in task order and
/// then date order.
pub fn next_assignments<'c>(
    catalog: &'c Catalog,
    from: Date,
    cover: &Cover,
) -> Vec<(&'c str, &'c Task, usize, Occurrence)> {
    let mut found = Vec::new();
    let until = add_days(from, HORIZON_DAYS).unwrap_or(Date::MAX);
    for task in &catalog.tasks {
        if task.cadence.rule.is_none() || task.assignment.is_none() {
            continue;
        }
        for &team in &task.teams {
            let Some(schedule) = task.schedule(catalog.task_calendar(task, Some(team))) else {
                continue;
            };
            let mut rota = Rota::new(catalog, task, team, cover);
            let mut seen: Vec<&str> = Vec::new();
            let people = catalog.teams[team]
                .members
                .iter()
                .map(|m| m.id.as_str())
                .collect::<std::collections::BTreeSet<_>>()
                .len();
            for occurrence in schedule.occurrences_from(from) {
                if occurrence.date > until || seen.len() == people {
                    break;
                }
                if let Some(member) = rota.assignee(occurrence.date, occurrence.time)
                    && !seen.contains(&member.id.as_str())
                {
                    seen.push(&member.id);
                    found.push((member.id.as_str(), task, team, occurrence));
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use jiff::civil::{Time, date, time};

    use super::*;

    /// Who does `task`'s occurrences in `team` on each of `days` (at `at`), by id
    /// (`-` for unassigned), asked in order through one [`Rota`].
    fn walk(
        catalog: &Catalog,
        task: &str,
        team: &str,
        days: &[Date],
        at: Option<Time>,
    ) -> Vec<String> {
        let task = catalog.task(task).unwrap();
        let team = catalog.teams.iter().position(|t| t.id == team).unwrap();
        let mut rota = Rota::new(catalog, task, team, &Cover::none());
        days.iter()
            .map(|&day| {
                rota.assignee(day, at)
                    .map_or("-".to_owned(), |m| m.id.clone())
            })
            .collect()
    }

    fn days(from: Date, step: i64, count: usize) -> Vec<Date> {
        (0..count)
            .map(|i| add_days(from, step * i as i64).unwrap())
            .collect()
    }

    // The fixture's monitoring team lists ana (always), ben (until 2027-01-13) and cai
    // (since 2027-01-18), in that order.

    #[test]
    fn every_occurrence_rotation_skips_who_is_not_a_member_on_the_day() {
        let catalog = crate::catalog::fixture("people");
        // Mondays from the anchor 2027-01-04. 01-04: first turn, ana. 01-11: after ana, ben
        // (a member until 01-13). 01-18: after ben, cai (joins that day). 01-25: after cai,
        // ana. 02-01: after ana, ben has left, so cai. 02-08: after cai, ana.
        assert_eq!(
            walk(
                &catalog,
                "weekly-review",
                "monitoring",
                &days(date(2027, 1, 4), 7, 6),
                None
            ),
            ["ana", "ben", "cai", "ana", "cai", "ana"]
        );
    }

    #[test]
    fn every_n_occurrences_keeps_a_turn_for_n_occurrences() {
        let catalog = crate::catalog::fixture("people");
        // Fridays from 2027-01-01, turns of two among [cai, ana]. Turn 1 starts 01-01: cai
        // has not joined, so ana (01-01, 01-08). Turn 2 starts 01-15: after ana comes cai,
        // still not there, so ana again (01-15, 01-22). Turn 3 starts 01-29: cai (01-29,
        // 02-05). Turn 4 starts 02-12: ana.
        assert_eq!(
            walk(
                &catalog,
                "friday-report",
                "monitoring",
                &days(date(2027, 1, 1), 7, 7),
                None
            ),
            ["ana", "ana", "ana", "ana", "cai", "cai", "ana"]
        );
    }

    #[test]
    fn weekly_handover_at_a_time_with_a_stand_in_when_the_holder_leaves_mid_turn() {
        let catalog = crate::catalog::fixture("people");
        // Daily at 08:30, handed over on Mondays at 09:00 from 2027-01-04.
        // 01-04 08:30 is before the first handover: nobody. 01-05 … 01-11 (08:30, before
        // that Monday's 09:00): ana. Turn of 01-11 09:00: ben, for 01-12 and 01-13; ben
        // leaves after 01-13, so 01-14 … 01-17 go to the next member after ben who is
        // there: cai has not joined, ana stands in; on 01-18 at 08:30 cai has joined and
        // stands in. Turn of 01-18 09:00: after ben (the last holder) comes cai, for 01-19
        // … 01-25. Turn of 01-25 09:00: ana from 01-26.
        let expected = [
            "-", "ana", "ana", "ana", "ana", "ana", "ana", "ana", // 01-04 … 01-11
            "ben", "ben", // 01-12, 01-13
            "ana", "ana", "ana", "ana", // 01-14 … 01-17
            "cai", // 01-18
            "cai", "cai", "cai", "cai", "cai", "cai", "cai", // 01-19 … 01-25
            "ana", "ana", // 01-26, 01-27
        ];
        assert_eq!(
            walk(
                &catalog,
                "triage",
                "monitoring",
                &days(date(2027, 1, 4), 1, 24),
                Some(time(8, 30, 0, 0))
            ),
            expected
        );
    }

    #[test]
    fn a_task_of_several_teams_rotates_within_each_team() {
        let catalog = crate::catalog::fixture("people");
        let wednesdays = days(date(2027, 1, 6), 7, 6);
        // monitoring: 01-06 ana, 01-13 ben (last day), 01-20 cai, 01-27 ana, 02-03 cai (ben
        // gone), 02-10 ana.
        assert_eq!(
            walk(&catalog, "tabletop", "monitoring", &wednesdays, None),
            ["ana", "ben", "cai", "ana", "cai", "ana"]
        );
        // csirt lists dee, then ana from 2027-02-01: dee alone until then, then turns.
        assert_eq!(
            walk(&catalog, "tabletop", "csirt", &wednesdays, None),
            ["dee", "dee", "dee", "dee", "ana", "dee"]
        );
    }

    #[test]
    fn a_fixed_assignee_is_assigned_while_a_member() {
        let catalog = crate::catalog::fixture("people");
        let firsts = [date(2027, 1, 1), date(2027, 2, 1)];
        assert_eq!(
            walk(&catalog, "access-review", "monitoring", &firsts, None),
            ["ana", "ana"]
        );
        // A task that names nobody has no assignee.
        assert_eq!(
            walk(&catalog, "unowned", "csirt", &firsts, None),
            ["-", "-"]
        );
    }

    #[test]
    fn weekly_handovers_keep_their_wall_clock_time_across_dst() {
        let catalog = crate::catalog::fixture("people");
        // csirt: dee, ana. Mondays 09:00 Copenhagen time from 2027-03-15: dee, then ana from
        // 03-22 09:00 CET, then dee from 03-29 09:00 CEST (the clocks went forward on
        // 03-28). 168 hours after 03-22 09:00 CET would be 03-29 10:00 CEST, which would
        // leave 03-29 09:30 with ana.
        assert_eq!(
            walk(
                &catalog,
                "dst-morning",
                "csirt",
                &days(date(2027, 3, 27), 1, 4),
                Some(time(9, 30, 0, 0))
            ),
            ["ana", "ana", "dee", "dee"]
        );
    }

    #[test]
    fn a_handover_in_the_dst_gap_happens_an_hour_later() {
        let catalog = crate::catalog::fixture("people");
        // [ana, dee], handed over on Sundays at 02:30 from 2027-03-21. On 03-28 02:30 does
        // not exist in Copenhagen (02:00 CET becomes 03:00 CEST): the handover is at 03:30
        // CEST, so the 03:15 occurrence that day is still ana's turn.
        assert_eq!(
            walk(
                &catalog,
                "dst-night",
                "csirt",
                &days(date(2027, 3, 20), 1, 10),
                Some(time(3, 15, 0, 0))
            ),
            [
                "-", "ana", "ana", "ana", "ana", "ana", "ana", "ana", "ana", "dee"
            ]
        );
    }

    #[test]
    fn asking_out_of_order_gives_the_same_answers() {
        let catalog = crate::catalog::fixture("people");
        let mondays = days(date(2027, 1, 4), 7, 6);
        let reversed: Vec<Date> = mondays.iter().rev().copied().collect();
        let mut backwards = walk(&catalog, "weekly-review", "monitoring", &reversed, None);
        backwards.reverse();
        assert_eq!(
            backwards,
            walk(&catalog, "weekly-review", "monitoring", &mondays, None)
        );
    }

    /// The fixture's catalog with its roles.yaml text changed by `edit`.
    fn with_roles(edit: impl Fn(&str) -> String) -> Catalog {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/people");
        let tasks = std::fs::read_to_string(root.join("tasks.yaml")).unwrap();
        let roles = edit(&std::fs::read_to_string(root.join("roles.yaml")).unwrap());
        crate::catalog::load_sources(
            &root.join("tasks.yaml"),
            &tasks,
            &root.join("roles.yaml"),
            &roles,
            date(2026, 11, 23),
        )
        .into_valid()
        .unwrap()
    }

    #[test]
    fn membership_changes_move_only_the_future() {
        let mondays = days(date(2027, 1, 4), 7, 8);
        // Without ben's `until` and cai's `since`: ana, ben, cai every three weeks.
        let everyone = with_roles(|roles| {
            roles
                .replace("        until: 2027-01-13\n", "")
                .replace("        since: 2027-01-18\n", "")
        });
        assert_eq!(
            walk(&everyone, "weekly-review", "monitoring", &mondays, None),
            ["ana", "ben", "cai", "ana", "ben", "cai", "ana", "ben"]
        );
        // cai leaves after 2027-01-31: up to that day nothing changes; from 02-01 (after
        // ana) ben, then (after ben, cai gone) ana, ben, …
        let cai_leaves = with_roles(|roles| {
            roles
                .replace("        until: 2027-01-13\n", "")
                .replace("        since: 2027-01-18\n", "        until: 2027-01-31\n")
        });
        assert_eq!(
            walk(&cai_leaves, "weekly-review", "monitoring", &mondays, None),
            ["ana", "ben", "cai", "ana", "ben", "ana", "ben", "ana"]
        );
        // A new member joining on 2027-02-01 (listed first, so first in the order) changes
        // nothing before that day: after ana (01-25) comes ben, then eve is next in line
        // after cai only by wrapping round to her.
        let eve_joins = with_roles(|roles| {
            roles
                .replace("        until: 2027-01-13\n", "")
                .replace("        since: 2027-01-18\n", "")
                .replacen(
                    "    members:\n",
                    "    members:\n      - id: eve\n        name: Eve Example\n        email: eve@example.org\n        since: 2027-02-01\n",
                    1,
                )
        });
        // Order: eve, ana, ben, cai. 01-04: eve absent, ana. 01-11 ben, 01-18 cai, 01-25:
        // after cai wraps to eve (absent), ana. 02-01 ben, 02-08 cai, 02-15 eve, 02-22 ana.
        assert_eq!(
            walk(&eve_joins, "weekly-review", "monitoring", &mondays, None),
            ["ana", "ben", "cai", "ana", "ben", "cai", "eve", "ana"]
        );
        for changed in [&cai_leaves, &eve_joins] {
            assert_eq!(
                walk(changed, "weekly-review", "monitoring", &mondays[..4], None),
                walk(
                    &everyone,
                    "weekly-review",
                    "monitoring",
                    &mondays[..4],
                    None
                ),
            );
        }
    }

    /// A task id, a date and who does it per team (`-`: nobody).
    type Assigned<'a> = (&'a str, Date, Vec<(&'a str, &'a str)>);

    #[test]
    fn a_plan_has_one_assignee_per_team_of_each_occurrence() {
        let catalog = crate::catalog::fixture("people");
        let teams: Vec<usize> = (0..catalog.teams.len()).collect();
        let plan = crate::plan::plan(
            &catalog,
            date(2027, 1, 18),
            date(2027, 1, 20),
            &teams,
            crate::plan::View::Range,
        )
        .unwrap();
        let assigned: Vec<Assigned<'_>> = plan
            .occurrences
            .iter()
            .zip(plan_assignees(&catalog, &plan, &Cover::none()))
            .filter(|(o, _)| {
                ["weekly-review", "triage", "tabletop"].contains(&catalog.tasks[o.task].id.as_str())
            })
            .map(|(o, who)| {
                (
                    catalog.tasks[o.task].id.as_str(),
                    o.date,
                    who.into_iter()
                        .map(|(team, m)| {
                            (
                                catalog.teams[team].id.as_str(),
                                m.map_or("-", |m| m.id.as_str()),
                            )
                        })
                        .collect(),
                )
            })
            .collect();
        let mut expected = vec![
            // Monday: the weekly review is cai's turn; triage at 08:30 is cai standing in.
            (
                "weekly-review",
                date(2027, 1, 18),
                vec![("monitoring", "cai")],
            ),
            ("triage", date(2027, 1, 18), vec![("monitoring", "cai")]),
            ("triage", date(2027, 1, 19), vec![("monitoring", "cai")]),
            ("triage", date(2027, 1, 20), vec![("monitoring", "cai")]),
            // Wednesday's tabletop: cai for monitoring, dee for csirt.
            (
                "tabletop",
                date(2027, 1, 20),
                vec![("monitoring", "cai"), ("csirt", "dee")],
            ),
        ];
        let mut assigned = assigned;
        assigned.sort();
        expected.sort();
        assert_eq!(assigned, expected);
    }

    #[test]
    fn next_assignments_finds_each_persons_next_turn_of_each_task() {
        let catalog = crate::catalog::fixture("people");
        let found: Vec<(&str, &str, Date)> =
            next_assignments(&catalog, date(2027, 1, 18), &Cover::none())
                .into_iter()
                .filter(|(_, task, _, _)| task.id == "weekly-review")
                .map(|(person, task, _, occurrence)| (person, task.id.as_str(), occurrence.date))
                .collect();
        // From 01-18: cai 01-18, ana 01-25; ben has left and never comes round again.
        assert_eq!(
            found,
            [
                ("cai", "weekly-review", date(2027, 1, 18)),
                ("ana", "weekly-review", date(2027, 1, 25))
            ]
        );
    }

    fn away(person: &str, from: Date, to: Date, cover: Option<&str>) -> CoverRecord {
        CoverRecord::new(
            CoverKind::Away {
                person: person.into(),
                from,
                to,
                cover: cover.map(Into::into),
            },
            "lead",
            "2027-01-01T00:00:00Z".parse().unwrap(),
        )
    }

    #[test]
    fn leave_and_swaps_hand_turns_over_without_moving_the_rotation() {
        let catalog = crate::catalog::fixture("people");
        let swap = CoverRecord::new(
            CoverKind::Swap {
                task: "weekly-review".into(),
                occurrence: date(2027, 2, 8),
                team: "monitoring".into(),
                to: "cai".into(),
            },
            "lead",
            "2027-01-01T00:00:00Z".parse().unwrap(),
        );
        let cancelled = away("cai", date(2027, 2, 1), date(2027, 2, 1), None);
        let cancel = CoverRecord::new(
            CoverKind::Cancel {
                cancels: cancelled.id.clone(),
            },
            "lead",
            "2027-01-02T00:00:00Z".parse().unwrap(),
        );
        let cover = Cover::from_records(&[
            away("ana", date(2027, 1, 4), date(2027, 1, 4), None),
            away("ben", date(2027, 1, 4), date(2027, 1, 4), None),
            away("cai", date(2027, 1, 18), date(2027, 1, 18), Some("ana")),
            away("ana", date(2027, 1, 25), date(2027, 2, 7), None),
            swap,
            cancelled,
            cancel,
        ]);
        let task = catalog.task("weekly-review").unwrap();
        let mut rota = Rota::new(&catalog, task, 0, &cover);
        let turns: Vec<(String, String, bool)> = days(date(2027, 1, 4), 7, 6)
            .into_iter()
            .map(|day| {
                let turn = rota.turn(day, None);
                let id = |m: Option<&Member>| m.map_or("-".to_owned(), |m| m.id.clone());
                (id(turn.assignee), id(turn.rostered), turn.covers())
            })
            .collect();
        let expected = [
            // ana away without a cover; after her ben is away too and cai not yet a member.
            ("-", "ana", false),
            ("ben", "ben", false),
            // cai away with ana named as cover.
            ("ana", "cai", true),
            // ana away without a cover: after her ben has left, so cai.
            ("cai", "ana", true),
            // The rotation did not move: cai's own turn (her cancelled leave does not count).
            ("cai", "cai", false),
            // ana's turn, swapped to cai.
            ("cai", "ana", true),
        ];
        let expected: Vec<(String, String, bool)> = expected
            .iter()
            .map(|(a, r, c)| ((*a).to_owned(), (*r).to_owned(), *c))
            .collect();
        assert_eq!(turns, expected);
    }

    #[test]
    fn a_fixed_assignee_away_passes_to_the_next_member_in_team_order() {
        let catalog = crate::catalog::fixture("people");
        let cover = Cover::from_records(&[
            away("ana", date(2027, 1, 4), date(2027, 1, 4), None),
            away("ana", date(2027, 2, 1), date(2027, 2, 1), Some("ben")),
        ]);
        let task = catalog.task("access-review").unwrap();
        let mut rota = Rota::new(&catalog, task, 0, &cover);
        // 01-04: after ana in roles.yaml order comes ben, a member until 01-13.
        assert_eq!(rota.assignee(date(2027, 1, 4), None).unwrap().id, "ben");
        assert_eq!(rota.assignee(date(2027, 1, 5), None).unwrap().id, "ana");
        // 02-01: the named cover ben has left; after ana comes ben (gone), then cai.
        assert_eq!(rota.assignee(date(2027, 2, 1), None).unwrap().id, "cai");
    }
}
