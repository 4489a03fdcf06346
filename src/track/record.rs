//! Recording what happened to an occurrence (`done`, `skip`, `undo`, `trigger`): the team a
//! record is for, what is refused, which occurrence it settles, the record built, and the
//! write that refuses a second record of one occurrence. The command line and the board
//! both come here with plain values; the clock, the login name and where the journal is
//! stay with them.
//!
//! A record is made in three steps, so that nothing is read or written for a record that
//! cannot be made: [`Request::check`] (the arguments alone, before the journal is opened),
//! [`prepare`] (against the journal as it is, if it exists yet) and [`Prepared::write`]
//! (to the journal, which the caller creates in between when it did not exist).

use jiff::Timestamp;
use jiff::civil::Date;

use super::settle::{Recording, SettleError, records_from, retracts, settles};
use crate::catalog::{Catalog, Task, TeamSelector};
use crate::journal::{Action, JournalError, Record, RecordFilter, Store};
use crate::people::{Cover, Rota};

/// What is recorded, with its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Act {
    /// `done`: the work was done.
    Done {
        /// A note.
        note: Option<String>,
        /// The ticket behind it.
        reference: Option<String>,
    },
    /// `skip`: the occurrence is not done, on purpose.
    Skip {
        /// Why (required: an auditor will ask).
        reason: String,
        /// The ticket behind it.
        reference: Option<String>,
    },
    /// `undo`: the latest record in force for the occurrence is retracted.
    Undo {
        /// Why.
        note: Option<String>,
    },
    /// `trigger`: an "as needed" task is due.
    Trigger {
        /// Why the work is needed.
        reason: String,
        /// The ticket behind it.
        reference: Option<String>,
    },
}

impl Act {
    /// The command's name (`done`, `skip`, `undo`, `trigger`).
    pub fn name(&self) -> &'static str {
        match self {
            Self::Done { .. } => "done",
            Self::Skip { .. } => "skip",
            Self::Undo { .. } => "undo",
            Self::Trigger { .. } => "trigger",
        }
    }

    /// Whether the day given may be after today: a retraction or a trigger may name a day
    /// to come; work is recorded on the day it happens or later.
    fn allows_future(&self) -> bool {
        matches!(self, Self::Undo { .. } | Self::Trigger { .. })
    }
}

/// A record about to be made, as its maker gave it, resolved to plain values.
#[derive(Debug, Clone)]
pub struct Request<'c> {
    /// The task.
    pub task: &'c Task,
    /// The team (id) whose obligation it is ([`team_of`]); `None`: every team of the task.
    pub team: Option<&'c str>,
    /// Today, in the time zone of the team [`day_team`] names.
    pub today: Date,
    /// The day given (`--date`; today when none was).
    pub day: Date,
    /// The occurrence named outright (`--occurrence`).
    pub occurrence: Option<Date>,
    /// Who makes the record.
    pub by: String,
    /// When it is made.
    pub now: Timestamp,
}

/// Why `--team` (or its absence) names no team of a task.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TeamError {
    /// The name is no team (nor alias) of the catalog.
    #[error("`{name}` is not a team of `{task}`; its teams: {owners}")]
    Unknown {
        /// The name given.
        name: String,
        /// The task id.
        task: String,
        /// The task's teams, `id (name)`, comma-separated.
        owners: String,
    },
    /// The team exists but does not own the task.
    #[error("team `{team}` does not own `{task}`; its teams: {owners}")]
    NotAnOwner {
        /// The team's id.
        team: String,
        /// The task id.
        task: String,
        /// The task's teams, `id (name)`, comma-separated.
        owners: String,
    },
    /// A task of several teams, and neither a team nor all of them named.
    #[error(
        "`{task}` is the work of several teams, each recorded on its own: name one with --team (its teams: {owners}), or give --all-teams for work they did together"
    )]
    Several {
        /// The task id.
        task: String,
        /// The task's teams, `id (name)`, comma-separated.
        owners: String,
    },
}

/// The team a record of `task` settles: `team` (one of the task's teams, by id, name or
/// alias), implied for a task of one team, `None` with `all_teams`; a task of several
/// teams without either is refused with the list of its teams.
pub fn team_of<'c>(
    catalog: &'c Catalog,
    task: &Task,
    team: Option<&str>,
    all_teams: bool,
) -> Result<Option<&'c str>, TeamError> {
    let owners = || {
        task.teams
            .iter()
            .map(|&t| format!("{} ({})", catalog.teams[t].id, catalog.teams[t].name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(name) = team {
        let Some(TeamSelector::Team(index)) = catalog.find_team(name) else {
            return Err(TeamError::Unknown {
                name: name.to_owned(),
                task: task.id.clone(),
                owners: owners(),
            });
        };
        if !task.teams.contains(&index) {
            return Err(TeamError::NotAnOwner {
                team: catalog.teams[index].id.clone(),
                task: task.id.clone(),
                owners: owners(),
            });
        }
        return Ok(Some(catalog.teams[index].id.as_str()));
    }
    match task.teams[..] {
        [only] => Ok(Some(catalog.teams[only].id.as_str())),
        _ if all_teams => Ok(None),
        _ => Err(TeamError::Several {
            task: task.id.clone(),
            owners: owners(),
        }),
    }
}

/// The team (index) whose day a record of `task` for `team` is dated in: that team, or
/// for every team of the task, its first.
pub fn day_team(catalog: &Catalog, task: &Task, team: Option<&str>) -> Option<usize> {
    team.and_then(|id| catalog.teams.iter().position(|t| t.id == id))
        .or_else(|| task.teams.first().copied())
}

/// Why a record was not made.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// `skip` or `trigger` without a reason.
    #[error("`{action}` needs a reason (an auditor will ask); nothing recorded")]
    NoReason {
        /// The command.
        action: &'static str,
    },
    /// Work recorded on a day to come.
    #[error(
        "{day} is in the future (today is {today}); record work on the day it happens or later"
    )]
    FutureDay {
        /// The day given.
        day: Date,
        /// Today.
        today: Date,
    },
    /// An occurrence named that is not due yet.
    #[error(
        "--occurrence {occurrence} is in the future (today is {today}); an occurrence is recorded once it is due"
    )]
    FutureOccurrence {
        /// The occurrence named.
        occurrence: Date,
        /// Today.
        today: Date,
    },
    /// A trigger of a task that is not "as needed".
    #[error(
        "`{task}` is scheduled `{cadence}`, not \"as needed\"; only tasks whose cadence includes \"as needed\" can be triggered"
    )]
    NotAsNeeded {
        /// The task id.
        task: String,
        /// Its cadence, as written.
        cadence: String,
    },
    /// No occurrence fits the day or occurrence given, or nothing is there to undo.
    #[error(transparent)]
    Settle(#[from] SettleError),
    /// Work done before the occurrence it settles is due.
    #[error(
        "`{task}` due {occurrence} cannot be done on {day}, before it is due; give --date on or after {occurrence}, or --occurrence of the one the work was for; nothing recorded"
    )]
    BeforeDue {
        /// The task id.
        task: String,
        /// The occurrence the day settles.
        occurrence: Date,
        /// The day given.
        day: Date,
    },
    /// `done` or `skip` of an occurrence settled already by a record in force.
    #[error(
        "`{}` due {} is already {}{} (on {}, by {}, recorded {}); nothing recorded. `{}` retracts it",
        .previous.task, .previous.occurrence, .previous.action, .team, .previous.on,
        .previous.by, .recorded, .undo
    )]
    AlreadySettled {
        /// The record in force.
        previous: Box<Record>,
        /// " for team T", " for all teams" or "".
        team: String,
        /// When it was recorded, in the catalog's time zone.
        recorded: String,
        /// The command that retracts it.
        undo: String,
    },
    /// `undo` of a record another `undo` retracted first.
    #[error(
        "`{}` {} due {}{} (recorded {} by {}) is already undone (by {}, recorded {}); nothing recorded",
        .retracted.task, .retracted.action, .retracted.occurrence, .team, .recorded,
        .retracted.by, .previous.by, .undone
    )]
    AlreadyUndone {
        /// The record meant to be retracted.
        retracted: Box<Record>,
        /// The retraction that came first.
        previous: Box<Record>,
        /// " for team T", " for all teams" or "".
        team: String,
        /// When the retracted record was recorded, in the catalog's time zone.
        recorded: String,
        /// When the first retraction was recorded, in the catalog's time zone.
        undone: String,
    },
    /// `trigger` of an occurrence triggered already.
    #[error(
        "`{}` is already triggered for {}{} (by {}, recorded {}); nothing recorded",
        .previous.task, .previous.occurrence, .team, .previous.by, .recorded
    )]
    AlreadyTriggered {
        /// The trigger in force.
        previous: Box<Record>,
        /// " for team T", " for all teams" or "".
        team: String,
        /// When it was recorded, in the catalog's time zone.
        recorded: String,
    },
    /// The journal could not be read or written.
    #[error(transparent)]
    Journal(#[from] JournalError),
}

impl RecordError {
    /// Whether the record was refused for what was given (the CLI's exit 2), rather than
    /// for what the journal holds or for the journal itself.
    pub fn is_refusal(&self) -> bool {
        match self {
            Self::Settle(error) => !matches!(error, SettleError::AlreadyUndone { .. }),
            Self::NoReason { .. }
            | Self::FutureDay { .. }
            | Self::FutureOccurrence { .. }
            | Self::NotAsNeeded { .. }
            | Self::BeforeDue { .. } => true,
            Self::AlreadySettled { .. }
            | Self::AlreadyUndone { .. }
            | Self::AlreadyTriggered { .. }
            | Self::Journal(_) => false,
        }
    }
}

impl Request<'_> {
    /// The refusals that need nothing but the request: a blank reason, work on a day to
    /// come, an occurrence not due yet, a trigger of a scheduled task.
    pub fn check(&self, act: &Act) -> Result<(), RecordError> {
        if let Act::Skip { reason, .. } | Act::Trigger { reason, .. } = act
            && reason.trim().is_empty()
        {
            return Err(RecordError::NoReason { action: act.name() });
        }
        if self.day > self.today && !act.allows_future() {
            return Err(RecordError::FutureDay {
                day: self.day,
                today: self.today,
            });
        }
        if let Some(occurrence) = self.occurrence.filter(|o| *o > self.today) {
            return Err(RecordError::FutureOccurrence {
                occurrence,
                today: self.today,
            });
        }
        if matches!(act, Act::Trigger { .. }) && !self.task.cadence.as_needed {
            return Err(RecordError::NotAsNeeded {
                task: self.task.id.clone(),
                cadence: self.task.cadence.to_string(),
            });
        }
        Ok(())
    }

    /// A new record of this request's task, team and author.
    fn record(&self, occurrence: Date, action: Action, on: Date) -> Record {
        let mut record = Record::new(&self.task.id, occurrence, action, on, &self.by, self.now);
        record.team = self.team.map(str::to_owned);
        record
    }

    /// Who is assigned the occurrence due `occurrence` for the request's team, with the
    /// journal's leave and swaps: recorded beside the author. `None` for a record of every
    /// team of a task of several, or a task that names nobody.
    fn assignee_at(
        &self,
        catalog: &Catalog,
        journal: Option<&dyn Store>,
        occurrence: Date,
    ) -> Result<Option<String>, JournalError> {
        let task = self.task;
        let Some(team) = self.team else {
            return Ok(None);
        };
        if task.assignment.is_none() {
            return Ok(None);
        }
        let Some(index) = catalog.teams.iter().position(|t| t.id == team) else {
            return Ok(None);
        };
        let cover = match journal {
            Some(store) => Cover::touching(&store.covers()?, occurrence, occurrence),
            None => Cover::none(),
        };
        let time = task
            .schedule(&catalog.calendar)
            .and_then(|s| s.occurrences_from(occurrence).next())
            .filter(|o| o.date == occurrence)
            .and_then(|o| o.time);
        Ok(Rota::new(catalog, task, index, &cover)
            .assignee(occurrence, time)
            .map(|m| m.id.clone()))
    }
}

/// A record that passed every rule, ready to be written.
#[derive(Debug, Clone)]
pub struct Prepared<'c> {
    task: &'c Task,
    /// The record to write.
    pub record: Record,
    /// For `undo`, the record it retracts.
    pub retracted: Option<Record>,
}

/// What was written, and a sentence saying so.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The record.
    pub record: Record,
    /// What it records, in a sentence (`done: T due D (on time), by B`).
    pub message: String,
}

/// The record `act` makes for `request`, checked against `journal` as it is (`None`
/// before it exists: no records, tracking starting today).
pub fn prepare<'c>(
    catalog: &Catalog,
    request: &Request<'c>,
    act: &Act,
    journal: Option<&dyn Store>,
) -> Result<Prepared<'c>, RecordError> {
    request.check(act)?;
    let task = request.task;
    let recording = Recording {
        task,
        day: request.day,
        today: request.today,
        named: request.occurrence,
        tracking_start: match journal {
            Some(store) => store.tracking_start()?,
            None => request.today,
        },
        team: request.team,
    };
    let records = match journal {
        Some(store) => store.records(&RecordFilter {
            tasks: vec![task.id.clone()],
            occurrences_from: Some(records_from(catalog, &recording)),
            ..RecordFilter::default()
        })?,
        None => Vec::new(),
    };
    let (record, retracted) = match act {
        Act::Done { note, reference } => {
            let occurrence = settles(catalog, &recording, &records)?;
            if request.day < occurrence {
                return Err(RecordError::BeforeDue {
                    task: task.id.clone(),
                    occurrence,
                    day: request.day,
                });
            }
            let mut record = request.record(occurrence, Action::Done, request.day);
            record.note.clone_from(note);
            record.reference.clone_from(reference);
            record.assignee = request.assignee_at(catalog, journal, occurrence)?;
            (record, None)
        }
        Act::Skip { reason, reference } => {
            let occurrence = settles(catalog, &recording, &records)?;
            let mut record = request.record(occurrence, Action::Skipped, request.day);
            record.note = Some(reason.clone());
            record.reference.clone_from(reference);
            record.assignee = request.assignee_at(catalog, journal, occurrence)?;
            (record, None)
        }
        Act::Undo { note } => {
            let retracted = retracts(catalog, &recording, &records)?.clone();
            let mut record = request.record(retracted.occurrence, Action::Undone, request.today);
            // A retraction is for what it retracts.
            record.team.clone_from(&retracted.team);
            record.undoes = Some(retracted.id.clone());
            record.note.clone_from(note);
            (record, Some(retracted))
        }
        Act::Trigger { reason, reference } => {
            let mut record = request.record(request.day, Action::Triggered, request.day);
            record.note = Some(reason.clone());
            record.reference.clone_from(reference);
            (record, None)
        }
    };
    Ok(Prepared {
        task,
        record,
        retracted,
    })
}

impl Prepared<'_> {
    /// Appends the record to `store` unless a record in force settled its occurrence
    /// first (a concurrent `done`, `undo` or `trigger`), which is refused.
    pub fn write(self, catalog: &Catalog, store: &mut dyn Store) -> Result<Recorded, RecordError> {
        let zone = &catalog.calendar.time_zone;
        let at = |record: &Record| crate::calendar::format_instant(record.recorded_at, zone);
        let task = self.task;
        let record = self.record;
        if let Some(previous) = store.append_unless_settled(&record)? {
            return Err(match (record.action, self.retracted) {
                (Action::Undone, Some(retracted)) => RecordError::AlreadyUndone {
                    team: for_team(task, &retracted),
                    recorded: at(&retracted),
                    undone: at(&previous),
                    retracted: Box::new(retracted),
                    previous: Box::new(previous),
                },
                (Action::Triggered, _) => RecordError::AlreadyTriggered {
                    team: for_team(task, &previous),
                    recorded: at(&previous),
                    previous: Box::new(previous),
                },
                _ => RecordError::AlreadySettled {
                    team: for_team(task, &previous),
                    recorded: at(&previous),
                    undo: undo_command(task, &previous),
                    previous: Box::new(previous),
                },
            });
        }
        let message = match (record.action, &self.retracted) {
            (Action::Undone, Some(retracted)) => format!(
                "undone: {} {} due {}{} (recorded {} by {})",
                retracted.task,
                retracted.action,
                retracted.occurrence,
                for_team(task, retracted),
                at(retracted),
                retracted.by
            ),
            (Action::Triggered, _) => format!(
                "triggered: {} due {}{}, by {}",
                record.task,
                record.occurrence,
                for_team(task, &record),
                record.by
            ),
            (action, _) => {
                let timing = match action {
                    Action::Done if record.on > record.occurrence => " (late)",
                    Action::Done => " (on time)",
                    _ => "",
                };
                format!(
                    "{action}: {} due {}{timing}{}, by {}",
                    record.task,
                    record.occurrence,
                    for_team(task, &record),
                    record.by
                )
            }
        };
        Ok(Recorded { record, message })
    }
}

/// " for team T" for a record of one team of a task of several, " for all teams" for a
/// record of all of them, "" for a task of one team.
fn for_team(task: &Task, record: &Record) -> String {
    match (&record.team, task.teams.len()) {
        (Some(team), 2..) => format!(" for team {team}"),
        (None, 2..) => " for all teams".to_owned(),
        _ => String::new(),
    }
}

/// The command that retracts exactly `record` (the latest in force for its occurrence and
/// team, which is what `undo` retracts).
pub fn undo_command(task: &Task, record: &Record) -> String {
    let team = match (&record.team, task.teams.len()) {
        (Some(team), 2..) => format!(" --team {team}"),
        (None, 2..) => " --all-teams".to_owned(),
        _ => String::new(),
    };
    format!(
        "socctl undo {} --occurrence {}{team}",
        record.task, record.occurrence
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::SqliteStore;
    use jiff::civil::date;

    // The catalog of the settling rules' tests: weekly-review (weekly on Monday) and on-call
    // (as needed) of alpha, shared (daily) of alpha and beta (alias `b`).
    use crate::track::settle::tests::{TODAY, catalog};

    /// Monday 23 November 2026, when the weekly review was due (today is the 25th).
    const MONDAY: Date = date(2026, 11, 23);

    fn request(catalog: &Catalog, task: usize, day: Date) -> Request<'_> {
        let task = &catalog.tasks[task];
        Request {
            task,
            team: team_of(catalog, task, None, false).unwrap(),
            today: TODAY,
            day,
            occurrence: None,
            by: "ana".to_owned(),
            // A fixed instant: the engine takes the time, it never reads the clock.
            now: "2026-11-25T09:30:00Z".parse().unwrap(),
        }
    }

    fn done() -> Act {
        Act::Done {
            note: Some("checked".to_owned()),
            reference: None,
        }
    }

    /// Prepares and writes `act` for `request` on `store`.
    fn make(
        catalog: &Catalog,
        request: &Request<'_>,
        act: &Act,
        store: &mut SqliteStore,
    ) -> Result<Recorded, RecordError> {
        prepare(catalog, request, act, Some(&*store))?.write(catalog, store)
    }

    #[test]
    fn done_settles_the_occurrence_of_the_days_window_and_says_whether_late() {
        let catalog = catalog();
        let mut store = SqliteStore::in_memory(date(2026, 11, 2)).unwrap();
        let recorded = make(&catalog, &request(&catalog, 0, TODAY), &done(), &mut store).unwrap();
        assert_eq!(
            recorded.message,
            "done: weekly-review due 2026-11-23 (late), by ana"
        );
        let record = &recorded.record;
        assert_eq!(
            (record.occurrence, record.on, record.action),
            (MONDAY, TODAY, Action::Done)
        );
        assert_eq!(record.team.as_deref(), Some("alpha"));
        assert_eq!(record.note.as_deref(), Some("checked"));
        assert_eq!(record.recorded_at.to_string(), "2026-11-25T09:30:00Z");

        // The same occurrence again, on Monday itself: settled already, with the way back.
        let again = make(&catalog, &request(&catalog, 0, MONDAY), &done(), &mut store).unwrap_err();
        assert!(!again.is_refusal());
        assert_eq!(
            again.to_string(),
            "`weekly-review` due 2026-11-23 is already done (on 2026-11-25, by ana, recorded 2026-11-25 09:30:00 UTC); nothing recorded. `socctl undo weekly-review --occurrence 2026-11-23` retracts it"
        );
    }

    #[test]
    fn a_record_without_a_journal_is_prepared_against_an_empty_one() {
        let catalog = catalog();
        let prepared = prepare(&catalog, &request(&catalog, 0, MONDAY), &done(), None).unwrap();
        assert_eq!(prepared.record.occurrence, MONDAY);
        let mut store = SqliteStore::in_memory(TODAY).unwrap();
        let recorded = prepared.write(&catalog, &mut store).unwrap();
        assert_eq!(
            recorded.message,
            "done: weekly-review due 2026-11-23 (on time), by ana"
        );
    }

    #[test]
    fn undo_retracts_the_record_in_force_once() {
        let catalog = catalog();
        let mut store = SqliteStore::in_memory(date(2026, 11, 2)).unwrap();
        make(&catalog, &request(&catalog, 0, TODAY), &done(), &mut store).unwrap();
        let undo = Act::Undo { note: None };
        let undone = make(&catalog, &request(&catalog, 0, TODAY), &undo, &mut store).unwrap();
        assert_eq!(
            undone.message,
            "undone: weekly-review done due 2026-11-23 (recorded 2026-11-25 09:30:00 UTC by ana)"
        );
        assert_eq!(undone.record.action, Action::Undone);
        assert_eq!(undone.record.on, TODAY);
        let twice = make(&catalog, &request(&catalog, 0, TODAY), &undo, &mut store).unwrap_err();
        assert!(matches!(
            twice,
            RecordError::Settle(SettleError::AlreadyUndone { .. })
        ));
        assert!(!twice.is_refusal());
    }

    #[test]
    fn a_trigger_makes_an_as_needed_task_due_and_only_once() {
        let catalog = catalog();
        let mut store = SqliteStore::in_memory(date(2026, 11, 2)).unwrap();
        let trigger = Act::Trigger {
            reason: "incident 42".to_owned(),
            reference: Some("INC-42".to_owned()),
        };
        let triggered = make(&catalog, &request(&catalog, 1, TODAY), &trigger, &mut store).unwrap();
        assert_eq!(
            triggered.message,
            "triggered: on-call due 2026-11-25, by ana"
        );
        assert_eq!(triggered.record.reference.as_deref(), Some("INC-42"));
        let again = make(&catalog, &request(&catalog, 1, TODAY), &trigger, &mut store).unwrap_err();
        assert!(matches!(again, RecordError::AlreadyTriggered { .. }));
        let done = make(&catalog, &request(&catalog, 1, TODAY), &done(), &mut store).unwrap();
        assert_eq!(done.record.occurrence, TODAY);
    }

    #[test]
    fn refusals_need_only_the_request() {
        let catalog = catalog();
        let tomorrow = date(2026, 11, 26);
        let cases: [(Request<'_>, Act, &str); 5] = [
            (
                request(&catalog, 0, tomorrow),
                done(),
                "2026-11-26 is in the future (today is 2026-11-25); record work on the day it happens or later",
            ),
            (
                Request {
                    occurrence: Some(date(2026, 11, 30)),
                    ..request(&catalog, 0, TODAY)
                },
                done(),
                "--occurrence 2026-11-30 is in the future (today is 2026-11-25); an occurrence is recorded once it is due",
            ),
            (
                request(&catalog, 0, TODAY),
                Act::Skip {
                    reason: "  ".to_owned(),
                    reference: None,
                },
                "`skip` needs a reason (an auditor will ask); nothing recorded",
            ),
            (
                request(&catalog, 0, TODAY),
                Act::Trigger {
                    reason: "why".to_owned(),
                    reference: None,
                },
                "`weekly-review` is scheduled `weekly on monday`, not \"as needed\"; only tasks whose cadence includes \"as needed\" can be triggered",
            ),
            (
                request(&catalog, 1, TODAY),
                done(),
                "`on-call` is \"as needed\" and nothing is triggered on or before 2026-11-25; run `socctl trigger on-call --reason …` first",
            ),
        ];
        for (request, act, message) in cases {
            let error = prepare(&catalog, &request, &act, None).unwrap_err();
            assert!(error.is_refusal(), "{error}");
            assert_eq!(error.to_string(), message);
        }
        // A retraction may name a day to come.
        assert!(
            request(&catalog, 0, tomorrow)
                .check(&Act::Undo { note: None })
                .is_ok()
        );
    }

    #[test]
    fn the_team_is_named_implied_or_all() {
        let catalog = catalog();
        let [weekly, _, shared] = [0, 1, 2].map(|i| &catalog.tasks[i]);
        assert_eq!(team_of(&catalog, weekly, None, false), Ok(Some("alpha")));
        assert_eq!(
            team_of(&catalog, shared, Some("b"), false),
            Ok(Some("beta"))
        );
        assert_eq!(team_of(&catalog, shared, None, true), Ok(None));
        assert_eq!(
            team_of(&catalog, shared, None, false)
                .unwrap_err()
                .to_string(),
            "`shared` is the work of several teams, each recorded on its own: name one with --team (its teams: alpha (Alpha), beta (Beta)), or give --all-teams for work they did together"
        );
        assert_eq!(
            team_of(&catalog, weekly, Some("beta"), false)
                .unwrap_err()
                .to_string(),
            "team `beta` does not own `weekly-review`; its teams: alpha (Alpha)"
        );
        assert!(matches!(
            team_of(&catalog, weekly, Some("gamma"), false),
            Err(TeamError::Unknown { .. })
        ));
        assert_eq!(day_team(&catalog, shared, None), Some(0));
        assert_eq!(day_team(&catalog, shared, Some("beta")), Some(1));
    }
}
