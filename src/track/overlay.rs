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
    for (index, task) in catalog.tasks.iter().enumerate() {
        if !task.teams.iter().any(|team| plan.teams.contains(team)) {
            continue;
        }
        let records =
            TaskRecords::new(by_task.get(task.id.as_str()).map_or(&[][..], Vec::as_slice));
        let tracked = track_task(catalog, index, &records, tracking_start, plan.to, now);
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
                    }),
            );
            continue;
        }
        for item in tracked.into_iter().filter(|t| t.date >= plan.from) {
            match positions
                .get(&(index, item.date))
                .map(|&position| &mut plan.occurrences[position])
            {
                Some(occurrence) => {
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
                }),
                None => {}
            }
        }
    }
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
    plan.occurrences.retain(|o| !replaced.contains(&o.task));
    plan.occurrences.extend(added);
    sort_occurrences(catalog, &mut plan.occurrences);
    carried.sort_by_key(|c| (c.since, c.task));
    plan.carried = carried;
    plan.tracked = true;
}
