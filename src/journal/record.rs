//! One journal record.

use std::fmt;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Deserializer, Serialize};

/// What a record says happened to an occurrence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// The work was done.
    Done,
    /// The work was deliberately not done (with a reason).
    Skipped,
    /// "As needed" work was called for: an occurrence due on that day.
    Triggered,
    /// An earlier record is retracted.
    Undone,
}

impl Action {
    /// The name stored and printed.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Done => "done",
            Self::Skipped => "skipped",
            Self::Triggered => "triggered",
            Self::Undone => "undone",
        }
    }

    /// Parses a stored name.
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "done" => Self::Done,
            "skipped" => Self::Skipped,
            "triggered" => Self::Triggered,
            "undone" => Self::Undone,
            _ => return None,
        })
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One line of the journal. The JSON form is the export format and `history --format json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// Unique id (UUID), kept across export and import.
    pub id: String,
    /// The task id.
    pub task: String,
    /// The occurrence's due date: with the task id (and the team), the occurrence key.
    pub occurrence: Date,
    /// The team whose obligation the record settles (a team id); `None`: every team of the
    /// task, as with `--all-teams` and every record made before journal schema 2. Left out
    /// of the JSON when `None`, so exports of either schema read the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// What happened.
    pub action: Action,
    /// The day it happened (a backfill names an earlier day).
    pub on: Date,
    /// Who recorded it.
    pub by: String,
    /// When it was recorded.
    #[serde(deserialize_with = "recorded_at")]
    pub recorded_at: Timestamp,
    /// A note (for `skipped` and `triggered`, the reason).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// A ticket id or URL.
    #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// For `undone`: the id of the record it retracts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undoes: Option<String>,
    /// Who was assigned the occurrence when it was recorded (a member id); `None`: nobody
    /// in particular, or a record from before journal schema 3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
}

impl Record {
    /// A new record with a fresh id.
    pub fn new(
        task: &str,
        occurrence: Date,
        action: Action,
        on: Date,
        by: &str,
        recorded_at: Timestamp,
    ) -> Self {
        Self {
            id: uuid::Uuid::new_v4().to_string(),
            task: task.to_owned(),
            occurrence,
            team: None,
            action,
            on,
            by: by.to_owned(),
            recorded_at,
            note: None,
            reference: None,
            undoes: None,
            assignee: None,
        }
    }

    /// Whether the record concerns `team`'s obligation: it names that team, or every team.
    pub fn covers(&self, team: &str) -> bool {
        self.team.as_deref().is_none_or(|t| t == team)
    }

    /// Whether this record and `other` concern a common team's obligation (a record of
    /// every team overlaps any record).
    pub fn overlaps(&self, other: &Record) -> bool {
        match (self.team.as_deref(), other.team.as_deref()) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        }
    }

    /// The records still in force: those not retracted by an `undone`, without the
    /// `undone` records themselves.
    pub fn effective(records: &[Record]) -> Vec<&Record> {
        let retracted: std::collections::HashSet<&str> = records
            .iter()
            .filter(|r| r.action == Action::Undone)
            .filter_map(|r| r.undoes.as_deref())
            .collect();
        records
            .iter()
            .filter(|r| r.action != Action::Undone && !retracted.contains(r.id.as_str()))
            .collect()
    }
}

/// The last instant a record can carry (the end of jiff's calendar, in UTC).
const LAST_RECORDED_AT: &str = "9999-12-30T22:00:00Z";

/// Reads `recorded_at`, saying in plain words when a time cannot be recorded (a time near the
/// end of the calendar overflows, and the time library's own account of it helps nobody).
fn recorded_at<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Timestamp, D::Error> {
    let text = String::deserialize(deserializer)?;
    text.parse().map_err(|_| {
        serde::de::Error::custom(format_args!(
            "`recorded_at` is `{}`, which is not a time socctl can record; write an RFC 3339 UTC time such as `2026-11-23T09:30:00Z`, no later than {LAST_RECORDED_AT}",
            text.escape_debug()
        ))
    })
}

#[cfg(test)]
mod recorded_at_tests {
    use super::*;

    fn line(recorded_at: &str) -> String {
        format!(
            r#"{{"id":"r1","task":"a","occurrence":"9999-12-31","action":"done","on":"9999-12-31","by":"x","recorded_at":"{recorded_at}"}}"#
        )
    }

    #[test]
    fn a_time_past_the_end_of_the_calendar_is_refused_in_plain_words() {
        let error = serde_json::from_str::<Record>(&line("9999-12-31T23:59:59Z"))
            .expect_err("past the last instant");
        let shown = error.to_string();
        assert!(
            shown.starts_with("`recorded_at` is `9999-12-31T23:59:59Z`, which is not a time socctl can record; write an RFC 3339 UTC time such as `2026-11-23T09:30:00Z`, no later than 9999-12-30T22:00:00Z"),
            "{shown}"
        );
        for internal in ["timestamp", "overflow", "offset", "parameter"] {
            assert!(!shown.to_lowercase().contains(internal), "{shown}");
        }
    }

    #[test]
    fn the_last_instant_is_the_one_named() {
        let record =
            serde_json::from_str::<Record>(&line(LAST_RECORDED_AT)).expect("the last instant");
        assert_eq!(record.recorded_at.to_string(), LAST_RECORDED_AT);
        assert!(serde_json::from_str::<Record>(&line("9999-12-30T22:00:01Z")).is_err());
    }
}
