//! The sent-log of `socctl notify`: which reminder went to which channel, claimed before it
//! is sent and marked after, so that each goes out once (both stores apply the same rule
//! below under their write lock).

use std::time::Duration;

use jiff::Timestamp;
use jiff::civil::Date;

/// One reminder's place in the sent-log: the occurrence (task, due date, team), the kind of
/// reminder and the channel. A digest has no task (`""`) and the week's first day.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NotificationKey {
    /// The task id; empty for a digest.
    pub task: String,
    /// The occurrence's due date; a digest's week's first day.
    pub occurrence: Date,
    /// The team id.
    pub team: String,
    /// `due`, `heads-up`, `overdue`, `escalation` or `digest`.
    pub kind: String,
    /// The channel id, or `mail:ADDRESS`.
    pub channel: String,
}

/// What the sent-log holds for a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationState {
    /// `claimed`, `sent` or `failed`.
    pub state: String,
    /// Who claimed it last (host and process).
    pub claimed_by: String,
    /// When (RFC 3339).
    pub claimed_at: String,
    /// How many claims it has had.
    pub attempts: i64,
    /// Why the last attempt failed.
    pub error: Option<String>,
}

/// The outcome of claiming a reminder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// This run holds the claim (its id) and is to send; `previous` is what was there: a
    /// failed attempt or a claim that never finished (a run that died), retried now.
    Mine {
        /// The claim id, to finish it with.
        claim: String,
        /// The earlier, unfinished or failed, attempt.
        previous: Option<NotificationState>,
    },
    /// Already sent.
    Sent(NotificationState),
    /// Another run claimed it moments ago and is sending it.
    Busy(NotificationState),
}

/// What a claim's holder did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// It was delivered.
    Sent,
    /// It was not; why.
    Failed(String),
}

/// What to do about a key, given what the sent-log holds (both stores decide this under
/// their write lock).
pub(super) enum Decision {
    /// Nothing there: insert a claim.
    Insert,
    /// Failed, or claimed long ago and never finished: take it over.
    TakeOver,
    /// Leave it: sent, or being sent.
    Leave(Claim),
}

pub(super) fn decide(
    existing: Option<NotificationState>,
    now: Timestamp,
    stale_after: Duration,
) -> Decision {
    let Some(existing) = existing else {
        return Decision::Insert;
    };
    match existing.state.as_str() {
        "sent" => Decision::Leave(Claim::Sent(existing)),
        "failed" => Decision::TakeOver,
        _ => {
            let stale = existing.claimed_at.parse::<Timestamp>().map_or(true, |at| {
                now.duration_since(at).unsigned_abs() >= stale_after
            });
            if stale {
                Decision::TakeOver
            } else {
                Decision::Leave(Claim::Busy(existing))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(state: &str, claimed_at: &str) -> NotificationState {
        NotificationState {
            state: state.to_owned(),
            claimed_by: "host pid 1".to_owned(),
            claimed_at: claimed_at.to_owned(),
            attempts: 1,
            error: None,
        }
    }

    #[test]
    fn a_claim_is_taken_over_only_when_failed_or_stale() {
        let now: Timestamp = "2026-11-23T08:00:00Z".parse().unwrap();
        let stale = Duration::from_secs(15 * 60);
        let decide = |existing| decide(existing, now, stale);
        assert!(matches!(decide(None), Decision::Insert));
        assert!(matches!(
            decide(Some(state("sent", "2026-11-23T07:59:00Z"))),
            Decision::Leave(Claim::Sent(_))
        ));
        assert!(matches!(
            decide(Some(state("failed", "2026-11-23T07:59:00Z"))),
            Decision::TakeOver
        ));
        // Claimed 14 minutes ago: another run is sending it.
        assert!(matches!(
            decide(Some(state("claimed", "2026-11-23T07:46:00Z"))),
            Decision::Leave(Claim::Busy(_))
        ));
        // 15 minutes: the run died; take it over. An unreadable time counts as stale.
        assert!(matches!(
            decide(Some(state("claimed", "2026-11-23T07:45:00Z"))),
            Decision::TakeOver
        ));
        assert!(matches!(
            decide(Some(state("claimed", "garbled"))),
            Decision::TakeOver
        ));
    }
}
