//! What the board asks of socctl's engine: the views (in the JSON of the CLI's
//! `--format json`), the calendar feed, the recording commands and the catalog itself.
//! The command line implements it over the same code its commands run
//! (`cli::serve`), so the board and the CLI cannot disagree; the board only parses
//! requests, checks permissions and renders.

use jiff::civil::Date;

use crate::catalog::Catalog;

/// A view of the board, by what the CLI command would be given.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum View {
    /// `socctl due [--date D] [--team T]`.
    Due {
        /// The day (today when `None`).
        date: Option<Date>,
        /// One team (every team when `None`).
        team: Option<String>,
    },
    /// `socctl week [--date D] --team T`.
    Week {
        /// A day of the week (today when `None`).
        date: Option<Date>,
        /// One team (every team when `None`).
        team: Option<String>,
    },
    /// `socctl show TASK`.
    Show {
        /// The task id.
        task: String,
    },
    /// `socctl next TASK --count 5`.
    Next {
        /// The task id.
        task: String,
    },
    /// `socctl history --task TASK`.
    History {
        /// The task id.
        task: String,
    },
    /// `socctl teams`.
    Teams,
    /// `socctl roles`.
    Roles,
    /// `socctl report [--team T] [--from D] [--to D]`.
    Report {
        /// One team (every team when `None`).
        team: Option<String>,
        /// First due date counted.
        from: Option<Date>,
        /// Last due date counted.
        to: Option<Date>,
    },
    /// `socctl export ics --team T`: an iCalendar file, not JSON.
    Calendar {
        /// The team.
        team: String,
    },
    /// `socctl export ics --person P`: an iCalendar file, not JSON.
    PersonCalendar {
        /// The member id.
        person: String,
    },
}

/// What a recording form or API call asks, as the recording commands take it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Recording {
    /// `done`, `skip`, `undo` or `trigger`.
    pub action: RecordAction,
    /// The task id.
    pub task: String,
    /// `--team` (`None`: implied for a task of one team).
    pub team: Option<String>,
    /// `--all-teams`.
    pub all_teams: bool,
    /// `--occurrence`.
    pub occurrence: Option<Date>,
    /// `--date`.
    pub date: Option<Date>,
    /// `--note` (done, undo) or `--reason` (skip, trigger).
    pub note: Option<String>,
    /// `--ref`.
    pub reference: Option<String>,
}

/// The recording commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RecordAction {
    /// `socctl done`.
    #[default]
    Done,
    /// `socctl skip`.
    Skip,
    /// `socctl undo`.
    Undo,
    /// `socctl trigger`.
    Trigger,
}

impl RecordAction {
    /// The action named `name` in a URL.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "done" => Some(Self::Done),
            "skip" => Some(Self::Skip),
            "undo" => Some(Self::Undo),
            "trigger" => Some(Self::Trigger),
            _ => None,
        }
    }

    /// The command's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Done => "done",
            Self::Skip => "skip",
            Self::Undo => "undo",
            Self::Trigger => "trigger",
        }
    }
}

/// Which state of the journal a view was computed from: two equal versions mean nothing
/// a view reads has changed in between (in this process or any other).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JournalVersion {
    /// The journal file's device and inode (SQLite), so that a file put in its place (a
    /// restored copy) is a new version whatever its counters say.
    pub file: Option<(u64, u64)>,
    /// The journal's change counters.
    pub changes: crate::journal::Changes,
}

/// Why the engine did not answer, in socctl's words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    /// What was asked is wrong (an unknown task, a date out of range; the CLI's exit 2).
    #[error("{0}")]
    Usage(String),
    /// What was asked contradicts the journal (already done, already undone).
    #[error("{0}")]
    Conflict(String),
    /// The journal is out of reach now.
    #[error("{0}")]
    Unavailable(String),
    /// Anything else.
    #[error("{0}")]
    Failed(String),
}

/// The engine behind the board. Every method blocks (catalog files, the journal): the
/// server calls them from blocking tasks.
pub trait Engine: Send + Sync {
    /// The catalog files and the holiday calendars they name now (valid or not), to
    /// watch for edits.
    fn catalog_files(&self) -> Vec<std::path::PathBuf>;

    /// Loads and validates the catalog now; on failure, `socctl check`'s report of it.
    fn load(&self) -> Result<Catalog, String>;

    /// The JSON (the iCalendar text for [`View::Calendar`] and [`View::PersonCalendar`])
    /// of `view` on `catalog`.
    fn view(&self, catalog: &Catalog, view: &View) -> Result<Vec<u8>, EngineError>;

    /// Records `recording` by `by`, with the CLI's rules and refusals; the record written,
    /// as the CLI's `--format json` shows it.
    fn record(
        &self,
        catalog: &Catalog,
        by: &str,
        recording: &Recording,
    ) -> Result<Vec<u8>, EngineError>;

    /// Whether the journal can be reached (an absent SQLite journal is fine: it is
    /// created with the first record).
    fn ready(&self) -> Result<(), String>;

    /// Today in the catalog's time zone.
    fn today(&self, catalog: &Catalog) -> Result<Date, EngineError>;

    /// The civil time now in the catalog's time zone (statuses are held against it).
    fn now(&self, catalog: &Catalog) -> Result<jiff::civil::DateTime, EngineError>;

    /// The journal's version now, read with one cheap query; `None` when it cannot be
    /// told (no journal yet, out of reach, a schema without counters): the views are then
    /// computed afresh for every request.
    fn journal_version(&self) -> Option<JournalVersion>;
}

/// The queue recordings wait in: at most `size` are made at once, each on one of the
/// engine's journal connections, so a PostgreSQL server's connection limit holds however
/// many requests arrive, and no more blocking threads than that wait on the journal's
/// write lock. Turns are given in order of arrival; a request still waiting after `wait`
/// is answered 503 (try again), never left hanging.
#[derive(Debug)]
pub struct RecordQueue {
    turns: super::Turns,
}

impl RecordQueue {
    /// A queue of `size` turns (at least one), waited for at most `wait`.
    pub fn new(size: usize, wait: std::time::Duration) -> Self {
        Self {
            turns: super::Turns::new(size, super::MOST_WAITING, wait),
        }
    }

    /// A turn to record, held until dropped; the journal being busy past the wait
    /// otherwise.
    pub async fn turn(&self) -> Result<tokio::sync::OwnedSemaphorePermit, EngineError> {
        let size = self.turns.size();
        self.turns.turn().await.map_err(|refused| {
            EngineError::Unavailable(match refused {
                super::Refused::Waited => format!(
                    "the journal is busy: this server records {size} at a time (--journal-connections) and this recording waited {} s without its turn; nothing recorded, try again shortly",
                    self.turns.wait().as_secs()
                ),
                super::Refused::Full => format!(
                    "the journal is busy: this server records {size} at a time (--journal-connections) and {} recordings are waiting already; nothing recorded, try again shortly",
                    super::MOST_WAITING
                ),
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turns_are_bounded_and_a_long_wait_is_refused_in_socctl_words() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        runtime.block_on(async {
            let queue = RecordQueue::new(2, std::time::Duration::from_millis(50));
            let first = queue.turn().await.unwrap();
            let _second = queue.turn().await.unwrap();
            let started = std::time::Instant::now();
            let refused = queue.turn().await.unwrap_err();
            assert!(started.elapsed() >= std::time::Duration::from_millis(50));
            assert!(
                matches!(&refused, EngineError::Unavailable(text) if text.contains("records 2 at a time (--journal-connections)") && text.contains("nothing recorded")),
                "{refused:?}"
            );
            // A turn given back is the next one's.
            drop(first);
            assert!(queue.turn().await.is_ok());
        });
        assert_eq!(
            RecordQueue::new(0, std::time::Duration::ZERO).turns.size(),
            1,
            "at least one turn"
        );
    }
}
