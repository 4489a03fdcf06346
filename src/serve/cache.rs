//! The views kept between requests. A view's answer depends on the catalog, the view's
//! arguments, the clock and the journal; it is kept while none of them has changed:
//!
//! - the catalog: the [`Arc`] the server holds, compared by identity (a reload is a new
//!   one);
//! - the clock: the civil minute now (the second, when a task's `deadline:` grace is not
//!   whole minutes), since statuses turn overdue at a moment of the day;
//! - the journal: its [`JournalVersion`], read once per request on a connection kept open
//!   ([`Probe`]): a change counter the journal's own triggers raise with every write, in
//!   this process or any other.
//!
//! Any change empties the whole cache. Concurrent requests for one missing view compute it
//! once ([`tokio::sync::OnceCell`]); the cache holds at most [`MAX_ENTRIES`] views and
//! [`MAX_BYTES`] of answers, dropping the oldest first, so a stream of distinct query
//! strings only recycles it.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

use axum::body::Bytes;
use tokio::sync::OnceCell;

use super::{EngineError, JournalVersion, View};
use crate::catalog::{Catalog, Deadline};

/// The most views kept at once.
pub const MAX_ENTRIES: usize = 256;

/// The most bytes of answers kept at once; a larger answer is served but not kept.
pub const MAX_BYTES: usize = 64 * 1024 * 1024;

/// Reads a value for requests that each need one read *started after they arrived*, but
/// runs at most one read at a time: requests arriving during a read share the next one.
/// So 50 requests at once cost two reads, not 50, and none of them is answered with a
/// value older than itself.
pub struct Probe<T> {
    state: Mutex<ProbeState<T>>,
    finished: Condvar,
}

struct ProbeState<T> {
    /// Reads started so far (the number of the last one).
    started: u64,
    /// The number of the last read finished, and what it read.
    finished: u64,
    value: Option<T>,
    running: bool,
}

impl<T> Default for Probe<T> {
    fn default() -> Self {
        Self {
            state: Mutex::new(ProbeState::default()),
            finished: Condvar::new(),
        }
    }
}

impl<T> Default for ProbeState<T> {
    fn default() -> Self {
        Self {
            started: 0,
            finished: 0,
            value: None,
            running: false,
        }
    }
}

impl<T: Clone> Probe<T> {
    /// The value of a read that started after this call did; `read` runs on this thread
    /// when no such read is under way. Blocks.
    pub fn read(&self, read: impl FnOnce() -> Option<T>) -> Option<T> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        // A read under way (or finished) began before this call: only the next one will do.
        let needed = state.started + 1;
        loop {
            if state.finished >= needed {
                return state.value.clone();
            }
            if !state.running {
                state.started += 1;
                let number = state.started;
                state.running = true;
                drop(state);
                let value = std::panic::catch_unwind(std::panic::AssertUnwindSafe(read));
                let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
                state.running = false;
                state.finished = number;
                state.value = value.as_ref().ok().cloned().flatten();
                self.finished.notify_all();
                drop(state);
                return value.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            }
            state = self
                .finished
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

/// What every kept view was computed from.
#[derive(Clone)]
struct Stamp {
    catalog: Arc<Catalog>,
    journal: JournalVersion,
    /// The clock: the day and, in it, the minute (or the second) of the civil time.
    clock: (jiff::civil::Date, i32),
}

impl PartialEq for Stamp {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.catalog, &other.catalog)
            && self.journal == other.journal
            && self.clock == other.clock
    }
}

/// One view's answer, computed once.
type Cell = Arc<OnceCell<Bytes>>;

#[derive(Default)]
struct Kept {
    stamp: Option<Stamp>,
    /// The catalog last seen, and whether all its deadlines are whole minutes.
    whole_minutes: Option<(Arc<Catalog>, bool)>,
    views: HashMap<View, Cell>,
    /// The views in the order they were added, oldest first.
    order: VecDeque<View>,
    bytes: usize,
}

impl Kept {
    fn clear(&mut self) {
        self.views.clear();
        self.order.clear();
        self.bytes = 0;
    }

    /// Drops the oldest views until there is room for one more and `bytes` fit.
    fn make_room(&mut self, bytes: usize) {
        while self.views.len() >= MAX_ENTRIES || self.bytes + bytes > MAX_BYTES {
            let Some(oldest) = self.order.pop_front() else {
                break;
            };
            if let Some(cell) = self.views.remove(&oldest) {
                self.bytes -= cell.get().map_or(0, Bytes::len);
            }
        }
    }
}

/// The views kept between requests (see the module's documentation).
#[derive(Default)]
pub struct Views {
    kept: Mutex<Kept>,
    /// The journal's version, read by one request at a time.
    pub probe: Probe<JournalVersion>,
}

/// Counts of what the cache did, for tests and metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sizes {
    /// Views kept.
    pub views: usize,
    /// Bytes of answers kept.
    pub bytes: usize,
}

impl Views {
    /// How many views and bytes are kept now.
    pub fn sizes(&self) -> Sizes {
        let kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        Sizes {
            views: kept.views.len(),
            bytes: kept.bytes,
        }
    }

    /// `view`'s answer: the kept one when `catalog`, `journal` and `now` are those it was
    /// computed from, else `compute`'s (kept for the next requests). `journal` `None`
    /// (the journal's version cannot be told) computes afresh, keeping nothing.
    pub async fn get<F, Fut>(
        &self,
        view: &View,
        catalog: &Arc<Catalog>,
        journal: Option<JournalVersion>,
        now: jiff::civil::DateTime,
        compute: F,
    ) -> Result<Bytes, EngineError>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<Bytes, EngineError>>,
    {
        let Some(journal) = journal.filter(|_| keepable(view)) else {
            return compute().await;
        };
        let cell;
        let stamp;
        {
            let mut kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
            let whole_minutes = match &kept.whole_minutes {
                Some((seen, whole)) if Arc::ptr_eq(seen, catalog) => *whole,
                _ => {
                    let whole = whole_minutes(catalog);
                    kept.whole_minutes = Some((catalog.clone(), whole));
                    whole
                }
            };
            stamp = Stamp {
                catalog: catalog.clone(),
                journal,
                clock: clock(now, whole_minutes),
            };
            if kept.stamp.as_ref() != Some(&stamp) {
                kept.clear();
                kept.stamp = Some(stamp.clone());
            }
            cell = if let Some(cell) = kept.views.get(view) {
                cell.clone()
            } else {
                kept.make_room(0);
                let cell = Cell::default();
                kept.views.insert(view.clone(), cell.clone());
                kept.order.push_back(view.clone());
                cell
            };
        }
        let mut computed = false;
        let answer = cell
            .get_or_try_init(|| {
                computed = true;
                compute()
            })
            .await?
            .clone();
        if computed {
            self.account(view, &cell, &stamp, answer.len());
        }
        Ok(answer)
    }

    /// Counts a newly computed answer of `len` bytes, or drops it when it does not fit
    /// (or the cache moved on to another stamp meanwhile).
    fn account(&self, view: &View, cell: &Cell, stamp: &Stamp, len: usize) {
        let mut kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        let current = kept.stamp.as_ref() == Some(stamp)
            && kept.views.get(view).is_some_and(|c| Arc::ptr_eq(c, cell));
        if !current {
            return;
        }
        if len > MAX_BYTES / 4 {
            kept.views.remove(view);
            kept.order.retain(|v| v != view);
            return;
        }
        // Room for this answer, never dropping the answer itself.
        kept.views.remove(view);
        kept.order.retain(|v| v != view);
        kept.make_room(len);
        kept.views.insert(view.clone(), cell.clone());
        kept.order.push_back(view.clone());
        kept.bytes += len;
    }
}

/// Whether `view`'s answer may be kept: not the calendar feeds, which Outlook and Google
/// fetch a few times an hour and whose text is large.
fn keepable(view: &View) -> bool {
    !matches!(view, View::Calendar { .. } | View::PersonCalendar { .. })
}

/// Whether every deadline of `catalog` falls on a whole minute: due times are whole
/// minutes, and so are time zones' offsets, but a grace may have seconds in it.
fn whole_minutes(catalog: &Catalog) -> bool {
    catalog
        .tasks
        .iter()
        .all(|task| !matches!(task.deadline(), Deadline::Grace(grace) if grace % 60 != 0))
}

/// `now` in the steps statuses can change at: its day and minute of the day, or second
/// when deadlines are not `whole_minutes`.
fn clock(now: jiff::civil::DateTime, whole_minutes: bool) -> (jiff::civil::Date, i32) {
    let minute = i32::from(now.hour()) * 60 + i32::from(now.minute());
    if whole_minutes {
        (now.date(), minute)
    } else {
        (now.date(), minute * 60 + i32::from(now.second()))
    }
}

/// How far ahead a token kept in [`Tokens`] must still be valid when it is looked up.
const TOKEN_HORIZON: jiff::SignedDuration = jiff::SignedDuration::from_hours(1);

/// The most tokens kept at once (only valid tokens are kept, so only real ones count).
pub const MAX_TOKENS: usize = 1024;

/// API tokens' principals kept between requests, so that a board request costs no token
/// lookup. A token is kept with the journal's version it was looked up at, and only when
/// it will still be valid [`TOKEN_HORIZON`] later; it is used while the journal's `access`
/// counter (raised by every change to accounts and tokens: a revocation, a role, an
/// account disabled) is the same and that time has not come. So a revocation takes effect
/// at the very next request, as without the cache.
#[derive(Default)]
pub struct Tokens {
    kept: Mutex<HashMap<String, KeptToken>>,
}

struct KeptToken {
    file: Option<(u64, u64)>,
    access: i64,
    until: jiff::Timestamp,
    principal: crate::access::Principal,
}

impl Tokens {
    /// The principal of the token `secret` at `now`, as [`crate::access::Directory::token`]
    /// answers, from memory when the journal's `version` says nothing changed since it
    /// was looked up. Blocks.
    pub fn principal(
        &self,
        directory: &dyn crate::access::Directory,
        secret: &str,
        version: Option<JournalVersion>,
        now: jiff::Timestamp,
    ) -> Result<Option<crate::access::Principal>, crate::access::AccessError> {
        let Some(version) = version else {
            return directory.token(secret, now);
        };
        let key = crate::journal::accounts::secret_hash(secret);
        {
            let kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(token) = kept.get(&key)
                && token.file == version.file
                && token.access == version.changes.access
                && now < token.until
            {
                return Ok(Some(token.principal.clone()));
            }
        }
        let principal = directory.token(secret, now)?;
        if let Some(found) = &principal
            && let Ok(until) = now.checked_add(TOKEN_HORIZON)
            // Validity only ends with a change (counted) or with its expiry: valid then,
            // it is valid all the way there unless something changes.
            && directory.token(secret, until)?.is_some()
        {
            let mut kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
            if kept.len() >= MAX_TOKENS {
                kept.clear();
            }
            kept.insert(
                key,
                KeptToken {
                    file: version.file,
                    access: version.changes.access,
                    until,
                    principal: found.clone(),
                },
            );
        }
        Ok(principal)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use jiff::civil::date;

    use super::*;
    use crate::journal::Changes;

    fn catalog(grace: &str) -> Arc<Catalog> {
        let tasks = format!(
            "version: 1\ntimezone: UTC\ntasks:\n  - id: check\n    title: Check\n    cadence: daily\n    team: a\n    deadline: {grace}\n"
        );
        let roles = "version: 1\nteams:\n  - id: a\n    name: A\n";
        let loaded = crate::catalog::load_sources(
            "tasks.yaml".as_ref(),
            &tasks,
            "roles.yaml".as_ref(),
            roles,
            date(2026, 11, 23),
        );
        Arc::new(loaded.catalog.expect("a valid catalog"))
    }

    fn version(journal: i64) -> JournalVersion {
        JournalVersion {
            file: Some((1, 2)),
            changes: Changes { journal, access: 0 },
        }
    }

    fn due(team: &str) -> View {
        View::Due {
            date: None,
            team: Some(team.to_owned()),
        }
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    }

    /// Gets `view` through `views`, counting the computations in `computed`; the answer
    /// names the computation.
    async fn get(
        views: &Views,
        view: &View,
        catalog: &Arc<Catalog>,
        journal: Option<JournalVersion>,
        now: jiff::civil::DateTime,
        computed: &AtomicUsize,
    ) -> String {
        let answer = views
            .get(view, catalog, journal, now, || async {
                let n = computed.fetch_add(1, Ordering::SeqCst) + 1;
                tokio::time::sleep(Duration::from_millis(20)).await;
                Ok(Bytes::from(format!("answer {n}")))
            })
            .await
            .unwrap();
        String::from_utf8(answer.to_vec()).unwrap()
    }

    #[test]
    fn a_view_is_kept_until_the_journal_the_catalog_or_the_minute_changes() {
        runtime().block_on(async {
            let views = Views::default();
            let computed = AtomicUsize::new(0);
            let one = catalog("4 hours");
            let noon = date(2026, 11, 23).at(12, 0, 10, 0);
            let view = due("a");
            let get = |journal, catalog, now| {
                let (views, view, computed) = (&views, &view, &computed);
                async move { get(views, view, catalog, journal, now, computed).await }
            };
            assert_eq!(get(Some(version(1)), &one, noon).await, "answer 1");
            assert_eq!(get(Some(version(1)), &one, noon).await, "answer 1");
            // Later in the same minute: the same statuses.
            assert_eq!(
                get(Some(version(1)), &one, date(2026, 11, 23).at(12, 0, 59, 0)).await,
                "answer 1"
            );
            assert_eq!(get(Some(version(2)), &one, noon).await, "answer 2");
            let other_file = Some(JournalVersion {
                file: Some((1, 3)),
                ..version(2)
            });
            assert_eq!(get(other_file, &one, noon).await, "answer 3");
            // An equal catalog loaded again is a new one.
            let reloaded = catalog("4 hours");
            assert_eq!(get(Some(version(2)), &reloaded, noon).await, "answer 4");
            assert_eq!(
                get(
                    Some(version(2)),
                    &reloaded,
                    date(2026, 11, 23).at(12, 1, 0, 0)
                )
                .await,
                "answer 5"
            );
            // Without a version nothing is kept.
            assert_eq!(get(None, &reloaded, noon).await, "answer 6");
            assert_eq!(get(None, &reloaded, noon).await, "answer 7");
            assert_eq!(computed.load(Ordering::SeqCst), 7);
        });
    }

    #[test]
    fn a_grace_in_seconds_keeps_views_for_a_second() {
        runtime().block_on(async {
            let views = Views::default();
            let computed = AtomicUsize::new(0);
            let seconds = catalog("90 seconds");
            let view = due("a");
            let at = |second| date(2026, 11, 23).at(12, 0, second, 0);
            for (second, expected) in [(10, "answer 1"), (10, "answer 1"), (11, "answer 2")] {
                assert_eq!(
                    get(
                        &views,
                        &view,
                        &seconds,
                        Some(version(1)),
                        at(second),
                        &computed
                    )
                    .await,
                    expected
                );
            }
        });
    }

    #[test]
    fn fifty_requests_at_once_compute_a_missing_view_once() {
        runtime().block_on(async {
            let views = Arc::new(Views::default());
            let computed = Arc::new(AtomicUsize::new(0));
            let one = catalog("4 hours");
            let noon = date(2026, 11, 23).at(12, 0, 0, 0);
            let mut tasks = tokio::task::JoinSet::new();
            for _ in 0..50 {
                let (views, computed, one) = (views.clone(), computed.clone(), one.clone());
                tasks.spawn(async move {
                    get(&views, &due("a"), &one, Some(version(1)), noon, &computed).await
                });
            }
            while let Some(answer) = tasks.join_next().await {
                assert_eq!(answer.unwrap(), "answer 1");
            }
            assert_eq!(computed.load(Ordering::SeqCst), 1);
        });
    }

    #[test]
    fn errors_are_not_kept() {
        runtime().block_on(async {
            let views = Views::default();
            let one = catalog("4 hours");
            let noon = date(2026, 11, 23).at(12, 0, 0, 0);
            let computed = AtomicUsize::new(0);
            for _ in 0..2 {
                let failed = views
                    .get(&due("a"), &one, Some(version(1)), noon, || async {
                        computed.fetch_add(1, Ordering::SeqCst);
                        Err(EngineError::Unavailable("down".to_owned()))
                    })
                    .await;
                assert_eq!(failed, Err(EngineError::Unavailable("down".to_owned())));
            }
            assert_eq!(computed.load(Ordering::SeqCst), 2);
        });
    }

    #[test]
    fn distinct_query_strings_only_recycle_a_bounded_cache() {
        runtime().block_on(async {
            let views = Views::default();
            let one = catalog("4 hours");
            let noon = date(2026, 11, 23).at(12, 0, 0, 0);
            for n in 0..(MAX_ENTRIES * 3) {
                let view = due(&format!("team-{n}"));
                views
                    .get(&view, &one, Some(version(1)), noon, || async {
                        Ok(Bytes::from(vec![b'x'; 1000]))
                    })
                    .await
                    .unwrap();
                let sizes = views.sizes();
                assert!(sizes.views <= MAX_ENTRIES, "{sizes:?}");
                assert_eq!(sizes.bytes, sizes.views * 1000, "{sizes:?}");
            }
            assert_eq!(views.sizes().views, MAX_ENTRIES);
            // The newest are kept, the oldest gone.
            let computed = AtomicUsize::new(0);
            let last = due(&format!("team-{}", MAX_ENTRIES * 3 - 1));
            get(&views, &last, &one, Some(version(1)), noon, &computed).await;
            get(
                &views,
                &due("team-0"),
                &one,
                Some(version(1)),
                noon,
                &computed,
            )
            .await;
            assert_eq!(computed.load(Ordering::SeqCst), 1);
        });
    }

    #[test]
    fn answers_beyond_the_byte_budget_are_served_and_not_kept() {
        runtime().block_on(async {
            let views = Views::default();
            let one = catalog("4 hours");
            let noon = date(2026, 11, 23).at(12, 0, 0, 0);
            // Three quarters of the budget each: the second pushes the first out.
            for team in ["a", "b"] {
                let answer = views
                    .get(&due(team), &one, Some(version(1)), noon, || async {
                        Ok(Bytes::from(vec![b'x'; MAX_BYTES / 5]))
                    })
                    .await
                    .unwrap();
                assert_eq!(answer.len(), MAX_BYTES / 5);
            }
            assert_eq!(views.sizes().views, 2);
            let huge = views
                .get(&due("c"), &one, Some(version(1)), noon, || async {
                    Ok(Bytes::from(vec![b'x'; MAX_BYTES / 3]))
                })
                .await
                .unwrap();
            assert_eq!(huge.len(), MAX_BYTES / 3);
            assert_eq!(
                views.sizes(),
                Sizes {
                    views: 2,
                    bytes: 2 * (MAX_BYTES / 5)
                }
            );
        });
    }

    #[test]
    fn the_probe_answers_each_caller_with_a_read_begun_after_it_arrived() {
        let probe = Arc::new(Probe::<u64>::default());
        let reads = Arc::new(AtomicUsize::new(0));
        // The value is the number of the read: a caller gets a read that began after it.
        let read = |reads: &AtomicUsize| {
            let n = reads.fetch_add(1, Ordering::SeqCst) as u64 + 1;
            std::thread::sleep(Duration::from_millis(30));
            Some(n)
        };
        assert_eq!(probe.read(|| read(&reads)), Some(1));
        assert_eq!(probe.read(|| read(&reads)), Some(2));
        let threads: Vec<_> = (0..50)
            .map(|_| {
                let (probe, reads) = (probe.clone(), reads.clone());
                std::thread::spawn(move || {
                    let before = reads.load(Ordering::SeqCst) as u64;
                    let got = probe.read(|| read(&reads)).unwrap();
                    assert!(got > before, "{got} read before the call ({before} begun)");
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        // Fifty callers at once shared a few reads.
        let total = reads.load(Ordering::SeqCst);
        assert!(total < 2 + 10, "{total} reads");
        assert!(total > 2, "{total} reads");
    }

    /// A directory of one token, valid until `expires`, counting its lookups.
    struct OneToken {
        expires: jiff::Timestamp,
        lookups: AtomicUsize,
    }

    impl crate::access::Directory for OneToken {
        fn login(
            &self,
            _: &str,
            _: &str,
            _: jiff::Timestamp,
        ) -> Result<crate::access::Login, crate::access::AccessError> {
            unreachable!()
        }
        fn open_session(
            &self,
            _: &crate::access::Account,
            _: jiff::Timestamp,
        ) -> Result<crate::access::NewSession, crate::access::AccessError> {
            unreachable!()
        }
        fn session(
            &self,
            _: &str,
            _: jiff::Timestamp,
        ) -> Result<Option<crate::access::Session>, crate::access::AccessError> {
            unreachable!()
        }
        fn close_session(&self, _: &str) -> Result<(), crate::access::AccessError> {
            unreachable!()
        }
        fn token(
            &self,
            secret: &str,
            now: jiff::Timestamp,
        ) -> Result<Option<crate::access::Principal>, crate::access::AccessError> {
            self.lookups.fetch_add(1, Ordering::SeqCst);
            Ok((secret == "socctl_good" && now < self.expires).then(|| {
                crate::access::Principal::Token {
                    id: "t1".to_owned(),
                    account: crate::access::Account {
                        name: "leo".to_owned(),
                        role: crate::access::Role::Viewer,
                        teams: Vec::new(),
                    },
                    scopes: vec![crate::access::Scope::Read],
                }
            }))
        }
        fn account(
            &self,
            _: &str,
        ) -> Result<Option<crate::access::Account>, crate::access::AccessError> {
            unreachable!()
        }
    }

    #[test]
    fn a_token_is_kept_while_accounts_and_tokens_are_unchanged_and_it_is_far_from_expiry() {
        let now: jiff::Timestamp = "2026-11-23T12:00:00Z".parse().unwrap();
        let directory = OneToken {
            expires: "2026-12-01T00:00:00Z".parse().unwrap(),
            lookups: AtomicUsize::new(0),
        };
        let tokens = Tokens::default();
        let access = |access| {
            Some(JournalVersion {
                file: None,
                changes: Changes { journal: 7, access },
            })
        };
        let lookups = || directory.lookups.load(Ordering::SeqCst);
        let found = |version, now| {
            tokens
                .principal(&directory, "socctl_good", version, now)
                .unwrap()
                .is_some()
        };
        // Looked up twice (now, and an hour on), then from memory.
        assert!(found(access(1), now));
        assert_eq!(lookups(), 2);
        assert!(found(access(1), now));
        assert!(found(access(1), now));
        assert_eq!(lookups(), 2);
        // Accounts or tokens changed: looked up again.
        assert!(found(access(2), now));
        assert_eq!(lookups(), 4);
        // No version: always looked up, nothing kept.
        assert!(found(None, now));
        assert_eq!(lookups(), 5);
        // Unknown secrets are never kept.
        for _ in 0..2 {
            let unknown = tokens.principal(&directory, "socctl_bad", access(2), now);
            assert_eq!(unknown.unwrap(), None);
        }
        assert_eq!(lookups(), 7);
        // Within the hour before its expiry a token is looked up every time, and refused
        // from its expiry on.
        let late: jiff::Timestamp = "2026-11-30T23:30:00Z".parse().unwrap();
        let tokens = Tokens::default();
        let found = |now| {
            tokens
                .principal(&directory, "socctl_good", access(2), now)
                .unwrap()
                .is_some()
        };
        assert!(found(late));
        assert!(found(late));
        assert_eq!(lookups(), 11);
        assert!(!found(directory.expires));
        // Kept an hour ahead at most: past that, looked up again.
        let tokens = Tokens::default();
        let found = |now| {
            tokens
                .principal(&directory, "socctl_good", access(2), now)
                .unwrap()
                .is_some()
        };
        assert!(found(now));
        let before = lookups();
        assert!(found(
            now.checked_add(jiff::SignedDuration::from_mins(59))
                .unwrap()
        ));
        assert_eq!(lookups(), before);
        assert!(found(
            now.checked_add(jiff::SignedDuration::from_mins(61))
                .unwrap()
        ));
        assert_eq!(lookups(), before + 2);
    }
}
