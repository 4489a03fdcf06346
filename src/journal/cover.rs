//! Cover records: leave, swaps and their cancellations. They change who does an
//! occurrence, never whether it was done; `socctl away` and `socctl swap` write them.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// What a cover record says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum CoverKind {
    /// `person` is away from `from` to `to` (both included); `cover` does their turns.
    Away {
        /// Who is away (a member id).
        person: String,
        /// The first day away.
        from: Date,
        /// The last day away.
        to: Date,
        /// Who covers; `None`: the next available member in rotation order.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cover: Option<String>,
    },
    /// `team`'s occurrence of `task` due on `occurrence` goes to `to`.
    Swap {
        /// The task id.
        task: String,
        /// The occurrence's due date.
        occurrence: Date,
        /// The team id.
        team: String,
        /// Who takes it (a member id).
        to: String,
    },
    /// The cover record `cancels` no longer holds.
    Cancel {
        /// The id of the cancelled record.
        cancels: String,
    },
}

/// One cover record. The JSON form (inside `{"cover": …}`) is its line in an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverRecord {
    /// Unique id (UUID), kept across export and import.
    pub id: String,
    /// What it says.
    #[serde(flatten)]
    pub kind: CoverKind,
    /// Who recorded it.
    pub by: String,
    /// When it was recorded.
    pub recorded_at: Timestamp,
    /// The reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl CoverRecord {
    /// A new record with a fresh id.
    pub fn new(kind: CoverKind, by: &str, recorded_at: Timestamp) -> Self {
        Self {
            id: uuid::Uuid::new_v4().to_string(),
            kind,
            by: by.to_owned(),
            recorded_at,
            note: None,
        }
    }

    /// The records still in force: not cancelled, without the cancellations themselves.
    pub fn effective(records: &[CoverRecord]) -> Vec<&CoverRecord> {
        let cancelled: std::collections::HashSet<&str> = records
            .iter()
            .filter_map(|r| match &r.kind {
                CoverKind::Cancel { cancels } => Some(cancels.as_str()),
                _ => None,
            })
            .collect();
        records
            .iter()
            .filter(|r| {
                !matches!(r.kind, CoverKind::Cancel { .. }) && !cancelled.contains(r.id.as_str())
            })
            .collect()
    }

    /// A short description for messages.
    pub fn describe(&self) -> String {
        match &self.kind {
            CoverKind::Away {
                person,
                from,
                to,
                cover,
            } => format!(
                "{person} away {from} to {to}{} (record {})",
                cover
                    .as_deref()
                    .map(|c| format!(", covered by {c}"))
                    .unwrap_or_default(),
                self.id
            ),
            CoverKind::Swap {
                task,
                occurrence,
                team,
                to,
            } => format!(
                "`{task}` due {occurrence} for {team} swapped to {to} (record {})",
                self.id
            ),
            CoverKind::Cancel { cancels } => {
                format!("the cancellation of {cancels} (record {})", self.id)
            }
        }
    }
}

/// Why `record` cannot be recorded beside `existing` (every cover record of the journal):
/// the record in force it clashes with and how. Both stores apply this rule under their
/// write lock, so conflicting recordings made at once end as some serial order gives.
///
/// - leave of a person already away on one of those days;
/// - leave naming a cover who is away on one of those days, or of someone who covers
///   another's leave on one of those days;
/// - a swap of an occurrence (task, date, team) that is already swapped;
/// - a cancellation of a record already cancelled, or of a record that is not there.
pub fn cover_clash(record: &CoverRecord, existing: &[CoverRecord]) -> Option<String> {
    let effective = CoverRecord::effective(existing);
    match &record.kind {
        CoverKind::Away {
            person,
            from,
            to,
            cover,
        } => {
            for other in &effective {
                let CoverKind::Away {
                    person: other_person,
                    from: other_from,
                    to: other_to,
                    cover: other_cover,
                } = &other.kind
                else {
                    continue;
                };
                if other_from > to || other_to < from {
                    continue;
                }
                if other_person == person {
                    return Some(format!(
                        "{person} is already away then: {}",
                        other.describe()
                    ));
                }
                if cover.as_deref() == Some(other_person.as_str()) {
                    return Some(format!(
                        "the cover {other_person} is away then: {}",
                        other.describe()
                    ));
                }
                if other_cover.as_deref() == Some(person.as_str()) {
                    return Some(format!(
                        "{person} covers someone else's leave then: {}",
                        other.describe()
                    ));
                }
            }
            None
        }
        CoverKind::Swap {
            task,
            occurrence,
            team,
            ..
        } => effective
            .iter()
            .find(|other| {
                matches!(&other.kind, CoverKind::Swap { task: t, occurrence: o, team: m, .. }
                    if t == task && o == occurrence && m == team)
            })
            .map(|other| format!("it is already swapped: {}", other.describe())),
        CoverKind::Cancel { cancels } => {
            if let Some(done) = existing
                .iter()
                .find(|r| matches!(&r.kind, CoverKind::Cancel { cancels: c } if c == cancels))
            {
                return Some(format!("{cancels} is already cancelled by {}", done.id));
            }
            if !existing
                .iter()
                .any(|r| &r.id == cancels && !matches!(r.kind, CoverKind::Cancel { .. }))
            {
                return Some(format!(
                    "there is no leave or swap record {cancels}; `socctl away --list` shows them with their ids"
                ));
            }
            None
        }
    }
}

/// The cover records of an import or a copy that cannot go beside `existing` (every cover
/// record of the journal), as (index in `records`, why), in order. Each record is checked
/// with [`cover_clash`] (the rule of `socctl away` and `socctl swap`) against the journal
/// and the records before it in `records` that are accepted, so an import that clashes
/// with itself is refused too. A record whose id is already there (in the journal or
/// earlier in `records`) with the same content is skipped, which keeps imports idempotent;
/// with other content it is refused. Both stores apply this under their cover write lock,
/// in the transaction that writes the import.
pub fn batch_clashes(records: &[CoverRecord], existing: &[CoverRecord]) -> Vec<(usize, String)> {
    let mut known: std::collections::HashMap<&str, &CoverRecord> =
        existing.iter().map(|r| (r.id.as_str(), r)).collect();
    let mut accepted = existing.to_vec();
    let mut clashes = Vec::new();
    for (index, record) in records.iter().enumerate() {
        if let Some(&other) = known.get(record.id.as_str()) {
            if other != record {
                clashes.push((
                    index,
                    format!(
                        "cover record {} reuses the id of a different record, {}",
                        record.describe(),
                        other.describe()
                    ),
                ));
            }
            continue;
        }
        if let Some(why) = cover_clash(record, &accepted) {
            clashes.push((index, format!("cover record {}: {why}", record.describe())));
            continue;
        }
        known.insert(&record.id, record);
        accepted.push(record.clone());
    }
    clashes
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn away(person: &str, from: Date, to: Date, cover: Option<&str>) -> CoverRecord {
        CoverRecord::new(
            CoverKind::Away {
                person: person.into(),
                from,
                to,
                cover: cover.map(Into::into),
            },
            "x",
            "2027-01-01T00:00:00Z".parse().unwrap(),
        )
    }

    #[test]
    fn overlapping_leave_and_covers_clash_and_cancellations_release_them() {
        let ana = away("ana", date(2027, 1, 10), date(2027, 1, 14), Some("ben"));
        let existing = vec![ana.clone()];
        // Ends the day before, or starts the day after: no overlap.
        assert!(
            cover_clash(
                &away("ana", date(2027, 1, 15), date(2027, 1, 20), None),
                &existing
            )
            .is_none()
        );
        assert!(
            cover_clash(
                &away("ana", date(2027, 1, 1), date(2027, 1, 9), None),
                &existing
            )
            .is_none()
        );
        // The same person on an overlapping day.
        assert!(
            cover_clash(
                &away("ana", date(2027, 1, 14), date(2027, 1, 20), None),
                &existing
            )
            .is_some()
        );
        // ben covers ana on 01-10: ben cannot be away then.
        assert!(
            cover_clash(
                &away("ben", date(2027, 1, 1), date(2027, 1, 10), None),
                &existing
            )
            .is_some()
        );
        // cai away naming ana (away) as cover.
        assert!(
            cover_clash(
                &away("cai", date(2027, 1, 12), date(2027, 1, 12), Some("ana")),
                &existing
            )
            .is_some()
        );
        let cancel = CoverRecord::new(
            CoverKind::Cancel {
                cancels: ana.id.clone(),
            },
            "x",
            "2027-01-02T00:00:00Z".parse().unwrap(),
        );
        assert!(cover_clash(&cancel, &existing).is_none());
        let existing = vec![ana, cancel.clone()];
        assert!(
            cover_clash(
                &away("ben", date(2027, 1, 1), date(2027, 1, 10), None),
                &existing
            )
            .is_none()
        );
        // A second cancellation of the same record clashes.
        assert!(cover_clash(&cancel, &existing).is_some());
    }

    #[test]
    fn an_import_is_checked_against_the_journal_and_itself() {
        let ana = away("ana", date(2027, 1, 10), date(2027, 1, 14), Some("ben"));
        let existing = vec![ana.clone()];
        // Importing what is there (same id, same content) is no clash: imports are idempotent.
        assert!(batch_clashes(std::slice::from_ref(&ana), &existing).is_empty());
        // The same id with other content is.
        let mut changed = ana.clone();
        changed.by = "y".into();
        let clashes = batch_clashes(&[changed], &existing);
        assert_eq!(clashes.len(), 1);
        assert!(clashes[0].1.contains("reuses the id"), "{clashes:?}");
        // Two records of the file that clash with each other, neither with the journal: the
        // second is refused and named.
        let cai = away("cai", date(2027, 2, 1), date(2027, 2, 5), None);
        let cai_again = away("cai", date(2027, 2, 5), date(2027, 2, 9), None);
        let clashes = batch_clashes(&[cai.clone(), cai_again.clone()], &existing);
        assert_eq!(clashes.len(), 1, "{clashes:?}");
        assert_eq!(clashes[0].0, 1);
        assert!(clashes[0].1.contains(&cai_again.id), "{clashes:?}");
        assert!(clashes[0].1.contains(&cai.id), "{clashes:?}");
        // Leave, its cancellation and new leave on the same days, in that order, are fine.
        let cancel = CoverRecord::new(
            CoverKind::Cancel {
                cancels: cai.id.clone(),
            },
            "x",
            "2027-01-02T00:00:00Z".parse().unwrap(),
        );
        assert!(batch_clashes(&[cai, cancel, cai_again], &existing).is_empty());
        // The file's leave of ben when ben covers ana's leave in the journal.
        let ben = away("ben", date(2027, 1, 14), date(2027, 1, 15), None);
        let clashes = batch_clashes(&[ben], &existing);
        assert_eq!(clashes.len(), 1);
        assert!(
            clashes[0].1.contains("covers someone else's leave"),
            "{clashes:?}"
        );
    }
}
