//! `socctl serve --notify-at HH:MM` and `--notify-every DURATION`: the server runs `socctl
//! notify` on its own schedule. Each run is the command itself (socctl run again as a child
//! process with the server's catalog, journal, zone and language), so it is the same code
//! as cron's, its sent-log makes a second run harmless, and a run that hangs or fails
//! cannot touch the board: it runs on a thread of its own, is stopped at `limit`, and what
//! it said is logged on the server's standard error.

use std::ffi::OsString;
use std::io::Read as _;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;

use super::State;
use crate::catalog::Catalog;

/// The CLI's clock: the civil time now in a zone (`SOCCTL_TODAY` when set); `None` when it
/// cannot be read.
pub type Clock = Arc<dyn Fn(&TimeZone) -> Option<DateTime> + Send + Sync>;

/// When and how the server runs `socctl notify`.
#[derive(Clone)]
pub struct NotifySchedule {
    /// Times of day, each in every team's own time zone: at each, `notify --team T` for
    /// the teams whose clock has reached it. Times already past when the server starts
    /// run at once (what cron would have sent goes out late, not never).
    pub at: Vec<Time>,
    /// Besides: `notify` for every team this often, from the start.
    pub every: Option<Duration>,
    /// The longest one run may take before it is stopped.
    pub limit: Duration,
    /// socctl itself.
    pub program: PathBuf,
    /// The global arguments that give a run the server's catalog, journal, zone and
    /// language (`--catalog …`), put before `notify`.
    pub global: Vec<OsString>,
    /// The clock.
    pub clock: Clock,
}

impl std::fmt::Debug for NotifySchedule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NotifySchedule")
            .field("at", &self.at)
            .field("every", &self.every)
            .field("limit", &self.limit)
            .finish_non_exhaustive()
    }
}

/// How often the schedule looks at the clock.
const TICK: Duration = Duration::from_millis(500);

/// Starts the schedule on a thread of its own, reading the server's current catalog at
/// every look (a reload adds or removes teams).
pub(super) fn spawn(schedule: NotifySchedule, state: Arc<State>) {
    let spawned = std::thread::Builder::new()
        .name("notify-schedule".to_owned())
        .spawn(move || run(&schedule, &|| state.catalog()));
    if let Err(error) = spawned {
        eprintln!("socctl: notify schedule: cannot start its thread: {error}");
    }
}

/// The schedule's loop: never returns.
fn run(schedule: &NotifySchedule, catalog: &dyn Fn() -> Arc<Catalog>) {
    // The slots already run: team, its day, the time.
    let mut done: Vec<(String, Date, Time)> = Vec::new();
    let mut last_every: Option<Instant> = None;
    loop {
        let catalog = catalog();
        if let Some(every) = schedule.every
            && last_every.is_none_or(|last| last.elapsed() >= every)
        {
            last_every = Some(Instant::now());
            once(schedule, None, "every");
        }
        for team in due(schedule, &catalog, &mut done) {
            once(schedule, Some(&team.0), &team.1);
        }
        // Forget the slots of days gone by.
        if let Some(today) = (schedule.clock)(&catalog.calendar.time_zone).map(DateTime::date)
            && let Ok(before) = today.yesterday()
        {
            done.retain(|(_, day, _)| *day >= before);
        }
        std::thread::sleep(TICK);
    }
}

/// The teams whose next `--notify-at` slot has come (team id, the slot in words), marked
/// done in `done`.
fn due(
    schedule: &NotifySchedule,
    catalog: &Catalog,
    done: &mut Vec<(String, Date, Time)>,
) -> Vec<(String, String)> {
    let mut due = Vec::new();
    if schedule.at.is_empty() {
        return due;
    }
    let Some(now) = (schedule.clock)(&catalog.calendar.time_zone) else {
        return due;
    };
    for (index, team) in catalog.teams.iter().enumerate() {
        let local = catalog.now_of_team(index, now);
        // The latest slot reached today: one run covers every earlier one.
        let Some(&slot) = schedule.at.iter().filter(|&&at| at <= local.time()).max() else {
            continue;
        };
        let key = (team.id.clone(), local.date(), slot);
        if done.contains(&key) {
            continue;
        }
        // Earlier slots of the day count as run with it.
        for &at in schedule.at.iter().filter(|&&at| at <= slot) {
            let earlier = (team.id.clone(), local.date(), at);
            if !done.contains(&earlier) {
                done.push(earlier);
            }
        }
        due.push((
            team.id.clone(),
            format!("{} {}", local.date(), slot.strftime("%H:%M")),
        ));
    }
    due
}

/// One run of `socctl notify` (for `team`, or every team), stopped at the limit; what it
/// said goes to the server's standard error, a line at a time, after `socctl: notify`.
fn once(schedule: &NotifySchedule, team: Option<&str>, slot: &str) {
    let label = match team {
        Some(team) => format!("notify --team {team} ({slot})"),
        None => format!("notify ({slot})"),
    };
    let mut command = Command::new(&schedule.program);
    command.args(&schedule.global).arg("notify");
    if let Some(team) = team {
        command.args(["--team", team]);
    }
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let child = match command.spawn() {
        Ok(child) => child,
        Err(error) => {
            eprintln!("socctl: {label}: cannot start: {error}");
            return;
        }
    };
    let (status, out, err) = wait(child, schedule.limit);
    for line in out.lines().chain(err.lines()) {
        let line = line.strip_prefix("socctl: ").unwrap_or(line);
        eprintln!("socctl: {label}: {}", crate::render::terminal_text(line));
    }
    match status {
        Some(0) => {}
        Some(code) => eprintln!(
            "socctl: {label}: failed (exit status {code}); the next run retries what was not sent"
        ),
        None => eprintln!(
            "socctl: {label}: did not finish within {} s and was stopped; its unfinished claims are taken over by a run 15 minutes later or more",
            schedule.limit.as_secs()
        ),
    }
}

/// Waits for `child` at most `limit`, killing it then; its exit status (`None`: stopped
/// or killed by a signal), standard output and standard error.
fn wait(mut child: Child, limit: Duration) -> (Option<i32>, String, String) {
    let reader = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut text);
            }
            String::from_utf8_lossy(&text).into_owned()
        })
    };
    let out = reader(child.stdout.take().map(|p| Box::new(p) as _));
    let err = reader(child.stderr.take().map(|p| Box::new(p) as _));
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status.code(),
            Ok(None) if started.elapsed() < limit => std::thread::sleep(Duration::from_millis(50)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    let text = |handle: std::thread::JoinHandle<String>| handle.join().unwrap_or_default();
    (status, text(out), text(err))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_teams_slot_comes_once_in_its_own_zone() {
        let loaded = crate::catalog::load_sources(
            "tasks.yaml".as_ref(),
            "version: 1\ntimezone: Europe/Copenhagen\ntasks:\n  - {id: t, title: T, cadence: daily, team: [cph, tokyo]}\n",
            "roles.yaml".as_ref(),
            "version: 1\nteams:\n  - {id: cph, name: Copenhagen}\n  - {id: tokyo, name: Tokyo, timezone: Asia/Tokyo}\n",
            jiff::civil::date(2026, 11, 23),
        );
        let catalog = loaded.catalog.expect("a catalog");
        let reading = Arc::new(std::sync::Mutex::new(
            jiff::civil::date(2026, 11, 23).at(0, 0, 0, 0),
        ));
        let clock_reading = Arc::clone(&reading);
        let schedule = NotifySchedule {
            at: vec![Time::constant(8, 0, 0, 0)],
            every: None,
            limit: Duration::from_secs(1),
            program: PathBuf::new(),
            global: Vec::new(),
            clock: Arc::new(move |_| Some(*clock_reading.lock().unwrap())),
        };
        let mut done = Vec::new();
        let mut at = |time: DateTime| {
            *reading.lock().unwrap() = time;
            due(&schedule, &catalog, &mut done)
                .into_iter()
                .map(|(team, slot)| format!("{team} {slot}"))
                .collect::<Vec<_>>()
        };
        let day = jiff::civil::date(2026, 11, 23);
        // 00:30 in Copenhagen is 08:30 in Tokyo (UTC+9 against UTC+1): Tokyo's 08:00 has come.
        assert_eq!(at(day.at(0, 30, 0, 0)), ["tokyo 2026-11-23 08:00"]);
        assert!(at(day.at(7, 59, 0, 0)).is_empty());
        assert_eq!(at(day.at(8, 0, 0, 0)), ["cph 2026-11-23 08:00"]);
        assert!(at(day.at(12, 0, 0, 0)).is_empty());
        // The next day's: Tokyo at 00:00 Copenhagen time (08:00 there), Copenhagen at 08:00.
        let next = jiff::civil::date(2026, 11, 24);
        assert_eq!(at(next.at(0, 0, 0, 0)), ["tokyo 2026-11-24 08:00"]);
        assert_eq!(at(next.at(9, 0, 0, 0)), ["cph 2026-11-24 08:00"]);
    }
}
