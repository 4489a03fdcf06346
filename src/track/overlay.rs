//! The journal's view of a plan: each occurrence's status, triggered work in the range and
//! outstanding work from before it.

use std::collections::HashMap;

use jiff::civil::{Date, DateTime};

use super::status::{TaskRecords, Tracked, collapse_overdue, records_by_task, track_task};
use crate::catalog::Catalog;
use crate::journal::Record;
use crate::plan::{Carried, Plan, PlannedOccurrence, Status, sort_occurrences};

/// Adds the journal's view to a plan: each occurrence's status, triggered occurrences in
/// the range, and outstanding work from before it (`carried`), all as of `now`.
pub fn apply_journal(
    plan: &mut Plan,
    catalog: &Catalog,
    records: &[Record],
    tracking_start: Date,
    now: DateTime,
) {
    let today = now.date();
    let by_task = records_by_task(records);
    let mut carried = Vec::new();
    // Occurrences the journal adds (triggered work, completion-counted dates), and the
    // tasks whose projected occurrences it replaces.
    let mut added = Vec::new();
    let mut replaced = Vec::new();
    let positions: HashMap<(usize, Date), usize> = plan
        .occurrences
        .iter()
        .enumerate()
        .map(|(position, o)| ((o.task, o.date), position))
        .collect();
    // The plan's occurrences of each task, by position.
    let mut of_task: HashMap<usize, Vec<usize>> = HashMap::new();
    for (position, occurrence) in plan.occurrences.iter().enumerate() {
        of_task.entry(occurrence.task).or_default().push(position);
    }
    for (index, task) in catalog.tasks.iter().enumerate() {
        if !task.teams.iter().any(|team| plan.teams.contains(team)) {
            continue;
        }
        let own = by_task.get(task.id.as_str()).map_or(&[][..], Vec::as_slice);
        // A task of several teams is one obligation per team: its occurrences are split,
        // one per team planned, each with that team's own status.
        let split = task.teams.len() > 1;
        // Teams in different calendars keep their entries apart even when they agree.
        let merge = split && !catalog.splits(task);
        let obligations: Vec<Option<usize>> = if split {
            replaced.push(index);
            task.teams
                .iter()
                .copied()
                .filter(|team| plan.teams.contains(team))
                .map(Some)
                .collect()
        } else {
            vec![None]
        };
        let (mut own_carried, mut own_added) = (Vec::new(), Vec::new());
        let teams = obligations.len();
        for team in obligations {
            let records = TaskRecords::for_team(own, team.map(|t| catalog.teams[t].id.as_str()));
            let tracked = track_task(catalog, index, &records, tracking_start, plan.to, now);
            overlay_task(
                plan,
                (index, team),
                tracked,
                (
                    &positions,
                    of_task.get(&index).map_or(&[][..], Vec::as_slice),
                ),
                (&mut own_carried, &mut own_added, &mut replaced),
                catalog,
            );
        }
        if merge {
            // Where every team stands the same, one entry says so for all of them.
            carried.extend(merge_teams(own_carried, teams, |c| {
                (c.status, c.since, c.last, c.count, c.deadline)
            }));
            added.extend(merge_teams(own_added, teams, |o| {
                (o.date, o.time, o.status, o.settled_by.clone())
            }));
        } else {
            carried.extend(own_carried);
            added.extend(own_added);
        }
    }
    plan.occurrences.retain(|o| !replaced.contains(&o.task));
    plan.occurrences.extend(added);
    // Occurrences before tracking started have no standing: say so rather than guess.
    for occurrence in &mut plan.occurrences {
        if occurrence.status.is_none() && occurrence.date >= tracking_start {
            occurrence.status = Some(if occurrence.date > today {
                Status::Upcoming
            } else {
                Status::Open
            });
        }
    }
    sort_occurrences(catalog, &mut plan.occurrences);
    carried.sort_by_key(|c| (c.since, c.task));
    plan.carried = carried;
    plan.tracked = true;
}

/// What the journal says of one obligation (a task, and for a task of several teams one
/// team): its statuses, its triggered occurrences and its outstanding earlier work.
fn overlay_task(
    plan: &mut Plan,
    (index, team): (usize, Option<usize>),
    tracked: Vec<Tracked>,
    (positions, originals): (&HashMap<(usize, Date), usize>, &[usize]),
    (carried, added, replaced): (
        &mut Vec<Carried>,
        &mut Vec<PlannedOccurrence>,
        &mut Vec<usize>,
    ),
    catalog: &Catalog,
) {
    let task = &catalog.tasks[index];
    let before: Vec<Tracked> = tracked
        .iter()
        .filter(|t| t.date < plan.from)
        .cloned()
        .collect();
    for run in collapse_overdue(catalog, &before) {
        carried.push(Carried {
            task: index,
            status: Status::Overdue,
            since: run.since,
            last: run.last,
            count: run.count,
            deadline: run.deadline,
            team,
        });
    }
    for item in before
        .iter()
        .filter(|t| matches!(t.status, Status::Open | Status::Triggered))
    {
        carried.push(Carried {
            task: index,
            status: item.status,
            since: item.date,
            last: item.date,
            count: 1,
            deadline: item.deadline,
            team,
        });
    }
    if task.cadence.after_done {
        // Its dates come from completions, not from the projection in the plan.
        replaced.push(index);
        added.extend(
            tracked
                .into_iter()
                .filter(|t| t.date >= plan.from)
                .map(|item| PlannedOccurrence {
                    task: index,
                    date: item.date,
                    time: item.time,
                    window_end: item.window_end,
                    status: Some(item.status),
                    settled_by: item.settled_by.map(Box::new),
                    team,
                }),
        );
        return;
    }
    if team.is_some() {
        // One copy of each planned occurrence for this team; those tracking does not
        // reach keep no status (set below, as for every task).
        let by_date: HashMap<Date, &Tracked> = tracked.iter().map(|t| (t.date, t)).collect();
        for &position in originals {
            if plan.occurrences[position]
                .team
                .is_some_and(|own| Some(own) != team)
            {
                continue; // another team's, in its own calendar
            }
            let mut occurrence = plan.occurrences[position].clone();
            if let Some(item) = by_date.get(&occurrence.date) {
                occurrence.status = Some(item.status);
                occurrence.settled_by = item.settled_by.clone().map(Box::new);
            }
            occurrence.team = team;
            added.push(occurrence);
        }
    }
    for item in tracked.into_iter().filter(|t| t.date >= plan.from) {
        match positions.get(&(index, item.date)) {
            Some(_) if team.is_some() => {}
            Some(&position) => {
                let occurrence = &mut plan.occurrences[position];
                occurrence.status = Some(item.status);
                occurrence.settled_by = item.settled_by.map(Box::new);
            }
            None if item.triggered => added.push(PlannedOccurrence {
                task: index,
                date: item.date,
                time: None,
                window_end: None,
                status: Some(item.status),
                settled_by: item.settled_by.map(Box::new),
                team,
            }),
            None => {}
        }
    }
}

/// An entry of one team, or of every team (`team: None`).
trait TeamEntry {
    fn set_team(&mut self, team: Option<usize>);
}

impl TeamEntry for Carried {
    fn set_team(&mut self, team: Option<usize>) {
        self.team = team;
    }
}

impl TeamEntry for PlannedOccurrence {
    fn set_team(&mut self, team: Option<usize>) {
        self.team = team;
    }
}

/// The entries of a task of several teams (`teams` of them planned), with those that
/// every team has alike (the same `key`) merged into one entry for every team.
fn merge_teams<T: TeamEntry, K: PartialEq>(
    entries: Vec<T>,
    teams: usize,
    key: impl Fn(&T) -> K,
) -> Vec<T> {
    let keys: Vec<K> = entries.iter().map(&key).collect();
    let mut slots: Vec<Option<T>> = entries.into_iter().map(Some).collect();
    let mut merged = Vec::new();
    for first in 0..slots.len() {
        if slots[first].is_none() {
            continue;
        }
        let alike: Vec<usize> = (first..keys.len())
            .filter(|&other| slots[other].is_some() && keys[other] == keys[first])
            .collect();
        let mut entry = slots[first].take().expect("present");
        if alike.len() == teams {
            for &other in &alike[1..] {
                slots[other] = None;
            }
            entry.set_team(None);
        }
        merged.push(entry);
    }
    merged
}
