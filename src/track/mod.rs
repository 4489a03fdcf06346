//! Tracking: the schedule held against the journal. Where each occurrence stands
//! ([`status`]), a plan with those statuses ([`overlay`]), how each team's work ended over a
//! period ([`completion`]), which occurrence a new record is about ([`settle`]) and the
//! rules of making one ([`record`]). Pure data: the journal's records come in; only
//! [`record`] reads them from, and writes one to, the store it is handed.

pub mod completion;
pub mod overlay;
pub mod record;
pub mod settle;
pub mod status;

pub use completion::{Period, PersonTally, Report, Tally, report, report_by_person};
pub use overlay::apply_journal;
pub use status::{
    MAX_TRACKED_DAYS, Standing, Status, TaskRecords, Tracked, collapse_overdue, first_tracked,
    record_standings, records_by_task, track_task, tracking_floor,
};
