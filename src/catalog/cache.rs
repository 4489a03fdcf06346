//! A compiled copy of a validated catalog, so that a command does not parse YAML on every run.
//!
//! Parsing and validating a 100,000-task catalog takes seconds; reading its compiled form
//! takes milliseconds. The cache is only ever a shortcut: it is keyed by a BLAKE3 hash of
//! both catalog files' bytes and of the socctl binary that wrote it, so any edit to either
//! file (or a new socctl) makes it miss, and a missing, unreadable, foreign or damaged
//! cache file is simply ignored and rewritten. Only catalogs without errors are cached;
//! `socctl check` always reads the YAML, to report every problem.

use std::io::Write;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use super::diagnostic::Diagnostics;
use super::load::{MAX_FILE_BYTES, load_sources, load_valid, read_both};
use super::model::{Catalog, Task};
use crate::cadence::{Rule, Schedule};
use crate::calendar::Shift;

/// The first bytes of a cache file; the digit is the layout version. Layout: magic, the
/// 32-byte key, a 32-byte BLAKE3 hash of the payload keyed by that key, the payload. The
/// payload is four sections, each but the last after its length (8 bytes, little-endian):
/// the catalog without its tasks (postcard), each task's schedule ([`Pick`], postcard each), the
/// end of each task's encoding within the last section (`u64` little-endian each), and the
/// tasks themselves, each as the fields a day's JSON writes ([`Lean`]) followed by the rest
/// ([`Rest`]), postcard each. A command that needs only the tasks falling in a range
/// decodes the schedules, then only those tasks (see [`Opened::into_tasks_in`]); `due -f
/// json` decodes only their [`Lean`] part, borrowing its text from the file (see
/// [`Opened::due_day`]), and the whole task only for a due task with an assignee.
const MAGIC: &[u8; 8] = b"socctlc7";

/// What a task's due-check needs, stored apart from its text so that picking the tasks of a
/// day decodes no strings.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Pick {
    rule: Option<Rule>,
    at: Option<jiff::civil::Time>,
    #[serde(with = "crate::codec::optional_date")]
    start: Option<Date>,
    shift: Shift,
    teams: Teams,
    /// The task's position when the catalog's tasks are ordered by (first team, id), the
    /// order a plan lists a day's tasks in within one time of day: a day's tasks are put in
    /// order by these integers, never by comparing their ids.
    rank: u32,
}

impl Pick {
    fn of(task: &Task, rank: u32) -> Self {
        Self {
            rule: task.cadence.rule.clone(),
            at: task.cadence.at,
            start: task.start,
            shift: task.shift,
            teams: Teams::of(&task.teams),
            rank,
        }
    }
}

/// The first part of a task's encoding: what `due -f json` writes of a task, its text
/// borrowed from the cache file when decoded.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Lean<'a> {
    /// The id, the title, the description and the canonical cadence, then each
    /// translation's language code, title, description and cadence, one after another:
    /// checked as UTF-8 once when decoded, where each string would be checked on its own.
    text: &'a str,
    /// Where the id, the title, the description and the cadence end in `text`.
    ends: [u32; 4],
    as_needed: bool,
    /// Whether the task names an assignee or a rotation (its JSON then says who, and the
    /// day decodes the whole task to work that out).
    assigned: bool,
    /// The task's team indexes, [`u32`] little-endian each.
    teams: &'a [u8],
    /// Per translation, in the order of the language codes, [`TRANSLATION_BYTES`]: where its
    /// language code, title, description and cadence end in `text` ([`u32`] little-endian
    /// each), and whether it has a title (bit 0), a description (bit 1) and a cadence (bit
    /// 2). The task's only copy of its translations: its [`Rest`] holds none.
    translations: &'a [u8],
}

/// The bytes of one translation in [`Lean::translations`].
const TRANSLATION_BYTES: usize = 17;

/// A translation as [`Lean::translations`] holds it: the language code, then the title,
/// the description and the cadence it has.
type LeanText<'a> = (&'a str, [Option<&'a str>; 3]);

/// A [`u32`] written little-endian at `at` in `bytes`, as a `usize`.
fn u32_at(bytes: &[u8], at: usize) -> Option<usize> {
    let word = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes(word.try_into().ok()?) as usize)
}

impl<'a> Lean<'a> {
    /// The id, the title, the description and the canonical cadence; `None` when the ends
    /// do not fall on character boundaries in order (a layout that does not hold together).
    fn parts(&self) -> Option<[&'a str; 4]> {
        let [id, title, description, cadence] = self.ends.map(|end| end as usize);
        let text = self.text;
        Some([
            text.get(..id)?,
            text.get(id..title)?,
            text.get(title..description)?,
            text.get(description..cadence)?,
        ])
    }

    /// The task's team indexes; `None` when the list is not whole [`u32`]s.
    fn teams(&self) -> Option<impl Iterator<Item = usize> + 'a> {
        let teams = self.teams;
        teams.len().is_multiple_of(4).then(|| {
            teams
                .chunks_exact(4)
                .map(|word| u32::from_le_bytes([word[0], word[1], word[2], word[3]]) as usize)
        })
    }

    /// The task's translations, in the order of their language codes; `None` when they do
    /// not hold together (ends out of order, outside the text or inside a character).
    fn translations(&self) -> Option<Vec<LeanText<'a>>> {
        let table = self.translations;
        if !table.len().is_multiple_of(TRANSLATION_BYTES) {
            return None;
        }
        let text = self.text;
        let mut all = Vec::with_capacity(table.len() / TRANSLATION_BYTES);
        let mut start = self.ends[3] as usize;
        for entry in table.chunks_exact(TRANSLATION_BYTES) {
            let ends = [0, 4, 8, 12].map(|at| u32_at(entry, at).unwrap_or(usize::MAX));
            let code = text.get(start..ends[0])?;
            let mut parts = [None; 3];
            for (index, part) in parts.iter_mut().enumerate() {
                let value = text.get(ends[index]..ends[index + 1])?;
                *part = (entry[16] & (1 << index) != 0).then_some(value);
            }
            all.push((code, parts));
            start = ends[3];
        }
        Some(all)
    }

    /// The title and description of the translation for `language`, as
    /// [`super::model::translation`] picks it: an exact match, else the primary language.
    /// `Ok(None)` when there is none; an error when the translations do not hold together.
    #[allow(clippy::type_complexity)]
    fn text_in(&self, language: &str) -> Result<Option<(Option<&'a str>, Option<&'a str>)>, ()> {
        if self.translations.is_empty() {
            return Ok(None);
        }
        let all = self.translations().ok_or(())?;
        let find = |code: &str| all.iter().find(|t| t.0 == code).map(|t| (t.1[0], t.1[1]));
        Ok(find(language).or_else(|| find(language.split(['-', '_']).next()?)))
    }
}

/// The rest of a task's encoding, after its [`Lean`] part: every other field of [`Task`].
#[derive(serde::Serialize, serde::Deserialize)]
struct Rest<Text, Cadence, Texts, Translations, Assignment, Deadline, Estimate> {
    cadence_text: Text,
    cadence: Cadence,
    team_text: Texts,
    #[serde(with = "crate::codec::optional_date")]
    start: Option<Date>,
    shift: Shift,
    deadline_set: Deadline,
    translations: Translations,
    assignment: Assignment,
    tags: Texts,
    estimate: Estimate,
    references: Texts,
    ticket: bool,
    line: u64,
}

/// Appends `task`'s encoding (its [`Lean`] part, then its [`Rest`]) to `out`.
fn encode_task(task: &Task, out: Vec<u8>) -> postcard::Result<Vec<u8>> {
    // Every field named, so that a field added to `Task` cannot be left out of the cache.
    let Task {
        id,
        title,
        description,
        cadence_text,
        cadence,
        canonical_cadence,
        team_text,
        teams,
        start,
        shift,
        deadline_set,
        translations,
        assignment,
        tags,
        estimate,
        references,
        ticket,
        line,
    } = task;
    let overflow = |_| postcard::Error::SerializeBufferFull;
    let mut text = String::new();
    let mut ends = [0_u32; 4];
    for (slot, part) in ends
        .iter_mut()
        .zip([id, title, description, canonical_cadence])
    {
        text.push_str(part);
        *slot = u32::try_from(text.len()).map_err(overflow)?;
    }
    let mut table = Vec::with_capacity(translations.len() * TRANSLATION_BYTES);
    for (code, texts) in translations {
        let super::TaskText {
            title,
            description,
            cadence,
        } = texts;
        let parts = [title, description, cadence].map(Option::as_deref);
        for part in [Some(code.as_str())].into_iter().chain(parts) {
            text.push_str(part.unwrap_or_default());
            table.extend_from_slice(&u32::try_from(text.len()).map_err(overflow)?.to_le_bytes());
        }
        let flags = parts
            .iter()
            .enumerate()
            .map(|(bit, part)| u8::from(part.is_some()) << bit);
        table.push(flags.sum());
    }
    let mut team_bytes = Vec::with_capacity(teams.len() * 4);
    for &team in teams {
        team_bytes.extend_from_slice(&u32::try_from(team).map_err(overflow)?.to_le_bytes());
    }
    let lean = Lean {
        text: &text,
        ends,
        as_needed: cadence.as_needed,
        assigned: assignment.is_some(),
        teams: &team_bytes,
        translations: &table,
    };
    let out = postcard::to_extend(&lean, out)?;
    let rest = Rest {
        cadence_text,
        cadence,
        team_text,
        start: *start,
        shift: *shift,
        deadline_set,
        translations: (),
        assignment,
        tags,
        estimate,
        references,
        ticket: *ticket,
        line: *line,
    };
    postcard::to_extend(&rest, out)
}

/// The task [`encode_task`] wrote in `bytes` (all of them), if it decodes.
fn decode_task(bytes: &[u8]) -> Option<Task> {
    let (lean, rest) = postcard::take_from_bytes::<Lean<'_>>(bytes).ok()?;
    task_of(&lean, rest)
}

/// The task whose [`Lean`] part is `lean` and whose [`Rest`] is all of `rest`, if it decodes.
fn task_of(lean: &Lean<'_>, rest: &[u8]) -> Option<Task> {
    type Owned = Rest<
        String,
        crate::cadence::Cadence,
        Vec<String>,
        (),
        Option<super::Assignment>,
        Option<super::Deadline>,
        Option<super::Estimate>,
    >;
    let rest: Owned = postcard::from_bytes(rest).ok()?;
    let [id, title, description, canonical_cadence] = lean.parts()?;
    let translations = lean
        .translations()?
        .into_iter()
        .map(|(code, [title, description, cadence])| {
            let text = super::TaskText {
                title: title.map(str::to_owned),
                description: description.map(str::to_owned),
                cadence: cadence.map(str::to_owned),
            };
            (code.to_owned(), text)
        })
        .collect();
    Some(Task {
        id: id.to_owned(),
        title: title.to_owned(),
        description: description.to_owned(),
        cadence_text: rest.cadence_text,
        cadence: rest.cadence,
        canonical_cadence: canonical_cadence.to_owned(),
        team_text: rest.team_text,
        teams: lean.teams()?.collect(),
        start: rest.start,
        shift: rest.shift,
        deadline_set: rest.deadline_set,
        translations,
        assignment: rest.assignment,
        tags: rest.tags,
        estimate: rest.estimate,
        references: rest.references,
        ticket: rest.ticket,
        line: rest.line,
    })
}

/// How many of a task's teams a [`Teams`] holds without an allocation.
const INLINE_TEAMS: usize = 3;

/// A task's team indexes, encoded as a `Vec<usize>` is, decoded without an allocation for a
/// task of up to [`INLINE_TEAMS`] teams: every schedule of a large catalog is decoded on
/// every run, and an allocation and its free were a fifth of the cost of one.
#[derive(Debug, Default)]
struct Teams {
    inline: [usize; INLINE_TEAMS],
    len: usize,
    more: Vec<usize>,
}

impl Teams {
    fn of(teams: &[usize]) -> Self {
        let mut all = Self::default();
        for &team in teams {
            all.push(team);
        }
        all
    }

    fn push(&mut self, team: usize) {
        match self.inline.get_mut(self.len) {
            Some(slot) => *slot = team,
            None => self.more.push(team),
        }
        self.len += 1;
    }

    fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.inline[..self.len.min(INLINE_TEAMS)]
            .iter()
            .chain(&self.more)
            .copied()
    }
}

impl serde::Serialize for Teams {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> serde::Deserialize<'de> for Teams {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Teams;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a list of team indexes")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Teams, A::Error> {
                let mut teams = Teams::default();
                while let Some(team) = seq.next_element()? {
                    teams.push(team);
                }
                Ok(teams)
            }
        }
        deserializer.deserialize_seq(Visitor)
    }
}

/// A catalog as a command first gets it: whole (parsed from YAML, or a catalog without a
/// cache), or compiled, with its tasks still encoded.
#[derive(Debug)]
pub enum Opened {
    /// Every task decoded.
    Whole(Catalog),
    /// Read from the cache: the tasks are decoded when asked for.
    Compiled(Compiled),
}

/// A verified cache file: the catalog without its tasks, each task's schedule, and the
/// tasks' encodings.
#[derive(Debug)]
pub struct Compiled {
    /// The catalog with `tasks` empty.
    head: Catalog,
    /// The whole file; `picks` and `bodies` are the ranges of the schedules' and the
    /// tasks' sections in it.
    bytes: Vec<u8>,
    picks: std::ops::Range<usize>,
    bodies: std::ops::Range<usize>,
    /// Where each task's encoding ends, relative to `bodies.start`.
    ends: Vec<usize>,
    /// What to read the catalog with if a task cannot be decoded after all.
    today: Date,
    /// The cache file, removed in that case so that the next command writes it anew.
    file: PathBuf,
}

impl Opened {
    /// The catalog's calendar, teams, groups and settings (its `tasks` may be empty: use
    /// [`Opened::into_whole`] or [`Opened::into_tasks_in`] for them).
    pub fn head(&self) -> &Catalog {
        match self {
            Self::Whole(catalog) => catalog,
            Self::Compiled(compiled) => &compiled.head,
        }
    }

    /// [`Opened::head`], to change (a `--tz` override).
    pub fn head_mut(&mut self) -> &mut Catalog {
        match self {
            Self::Whole(catalog) => catalog,
            Self::Compiled(compiled) => &mut compiled.head,
        }
    }

    /// The catalog with every task.
    pub fn into_whole(self) -> Result<Catalog, Diagnostics> {
        match self {
            Self::Whole(catalog) => Ok(catalog),
            Self::Compiled(compiled) => compiled.into_catalog(|_| true),
        }
    }

    /// The catalog with only the tasks of `teams` (indexes into its teams) that have an
    /// occurrence in `from..=to`, in catalog order: what `plan` of that range and those
    /// teams needs without a journal, and all a compiled catalog decodes.
    pub fn into_tasks_in(
        self,
        teams: &[usize],
        from: Date,
        to: Date,
    ) -> Result<Catalog, Diagnostics> {
        match self {
            Self::Whole(catalog) => Ok(catalog),
            Self::Compiled(compiled) => {
                let mut wanted = vec![false; compiled.head.teams.len()];
                for &team in teams {
                    if let Some(slot) = wanted.get_mut(team) {
                        *slot = true;
                    }
                }
                // Each team's work falls on the days of its own calendar (its zone and
                // holidays), so a task is kept when it falls in the range for one of them.
                let calendars: Vec<_> = (0..compiled.head.teams.len())
                    .map(|team| compiled.head.calendar_of(team).clone())
                    .collect();
                compiled.into_catalog(|pick| {
                    let Some(rule) = pick.rule.as_ref() else {
                        return false;
                    };
                    pick.teams.iter().any(|t| {
                        wanted.get(t).copied().unwrap_or(false)
                            && calendars.get(t).is_some_and(|calendar| {
                                Schedule {
                                    rule,
                                    at: pick.at,
                                    start: pick.start,
                                    shift: pick.shift,
                                    calendar,
                                }
                                .occurrences_from(from)
                                .next()
                                .is_some_and(|o| o.date <= to)
                            })
                    })
                })
            }
        }
    }
}

impl Opened {
    /// The occurrences on `date` of the tasks of `teams` (indexes into the catalog's teams),
    /// in the order [`crate::plan::plan`] of that day gives them, read straight from a
    /// compiled catalog: what `due -f json` writes without a journal, its titles and
    /// descriptions in `language` as [`Task::title_in`] picks them. No [`Task`] is decoded
    /// but those naming an assignee (who does an occurrence is worked out from the whole
    /// task), and no occurrence is worked out twice.
    ///
    /// `None` when this path cannot give the plan's answer: a catalog read whole, teams with
    /// calendars of their own, or a cache whose layout does not hold together (the long way
    /// then finds the damage, reads the YAML and replaces the file).
    pub fn due_day(&self, teams: &[usize], date: Date, language: &str) -> Option<DueDay<'_>> {
        match self {
            Self::Whole(_) => None,
            Self::Compiled(compiled) => compiled.due_day(teams, date, language),
        }
    }
}

/// A day's due tasks in a compiled catalog (see [`Opened::due_day`]).
#[derive(Debug)]
pub struct DueDay<'a> {
    date: Date,
    /// The day's occurrences, in output order.
    hits: Vec<Hit>,
    /// The due tasks' text, each task once, in the order found.
    picked: Vec<Picked<'a>>,
    /// The due tasks that name an assignee, decoded whole.
    assigned: Vec<Task>,
}

/// A due task's text and teams, borrowed from the cache file, in the day's language.
#[derive(Debug)]
struct Picked<'a> {
    id: &'a str,
    title: &'a str,
    description: &'a str,
    cadence: &'a str,
    /// Its team indexes, as [`Lean::teams`] holds them (checked against the catalog's).
    teams: &'a [u8],
    as_needed: bool,
    /// Its index in [`DueDay::assigned`], when it names an assignee.
    assigned: Option<u32>,
}

/// One occurrence on a [`DueDay`]: its task (an index into [`DueDay::picked`]), and what
/// the day's search found.
#[derive(Debug, Clone, Copy)]
struct Hit {
    picked: u32,
    rank: u32,
    time: Option<jiff::civil::Time>,
    window_end: Option<Date>,
}

impl Hit {
    /// The plan's order within a day: all-day first, then by time, then by rank.
    fn minute(&self) -> usize {
        self.time.map_or(0, |t| {
            1 + t.hour().unsigned_abs() as usize * 60 + t.minute().unsigned_abs() as usize
        })
    }
}

/// One occurrence of a [`DueDay`], its task's text borrowed from the cache file.
#[derive(Debug)]
pub struct DueEntry<'a> {
    /// The task's id.
    pub id: &'a str,
    /// Its title, in the day's language.
    pub title: &'a str,
    /// Its description, in the day's language.
    pub description: &'a str,
    /// Its cadence in canonical form.
    pub cadence: &'a str,
    /// Whether it may also be done as needed.
    pub as_needed: bool,
    /// The due date.
    pub date: Date,
    /// The time of day it is due, if its cadence has one.
    pub time: Option<jiff::civil::Time>,
    /// The date of its next occurrence.
    pub window_end: Option<Date>,
    /// The whole task, with its position among the day's assigned tasks, when it names an
    /// assignee or a rotation (a [`crate::people::Rota`] per task and team says who).
    pub assigned: Option<(usize, &'a Task)>,
    teams: &'a [u8],
}

impl DueEntry<'_> {
    /// The task's teams (indexes into the catalog's teams), in catalog order.
    pub fn teams(&self) -> impl Iterator<Item = usize> + '_ {
        self.teams
            .chunks_exact(4)
            .map(|word| u32::from_le_bytes([word[0], word[1], word[2], word[3]]) as usize)
    }
}

impl DueDay<'_> {
    /// How many occurrences the day has.
    pub fn len(&self) -> usize {
        self.hits.len()
    }

    /// Whether nothing is due.
    pub fn is_empty(&self) -> bool {
        self.hits.is_empty()
    }

    /// The day's tasks that name an assignee, decoded whole (to be dropped when it suits).
    pub fn into_assigned(self) -> Vec<Task> {
        self.assigned
    }

    /// How many of the day's tasks name an assignee.
    pub fn assigned_tasks(&self) -> usize {
        self.assigned.len()
    }

    /// The occurrences, in output order.
    pub fn entries(&self) -> impl Iterator<Item = DueEntry<'_>> + '_ {
        self.hits.iter().filter_map(|hit| {
            let picked = self.picked.get(hit.picked as usize)?;
            let assigned = match picked.assigned {
                Some(index) => Some((index as usize, self.assigned.get(index as usize)?)),
                None => None,
            };
            Some(DueEntry {
                id: picked.id,
                title: picked.title,
                description: picked.description,
                cadence: picked.cadence,
                as_needed: picked.as_needed,
                date: self.date,
                time: hit.time,
                window_end: hit.window_end,
                assigned,
                teams: picked.teams,
            })
        })
    }
}

/// The [`Lean`] part of the task encoded at `begin..end` of the tasks' section.
#[cfg(test)]
fn lean_at(section: &[u8], begin: usize, end: usize) -> Option<Lean<'_>> {
    lean_and_rest(section, begin, end).map(|(lean, _)| lean)
}

/// The [`Lean`] part of the task encoded at `begin..end` of the tasks' section, and the
/// bytes of its [`Rest`].
fn lean_and_rest(section: &[u8], begin: usize, end: usize) -> Option<(Lean<'_>, &[u8])> {
    let bytes = section.get(begin..end)?;
    postcard::take_from_bytes::<Lean<'_>>(bytes).ok()
}

/// `items` (indexes) reordered by `key` (below `buckets`), keeping the order of those with
/// equal keys: a counting sort, linear in the items and the buckets.
fn stable_by_key(items: &[u32], buckets: usize, key: impl Fn(u32) -> usize) -> Option<Vec<u32>> {
    let mut starts = vec![0_u32; buckets + 1];
    for &item in items {
        *starts.get_mut(key(item) + 1)? += 1;
    }
    for bucket in 1..starts.len() {
        starts[bucket] += starts[bucket - 1];
    }
    let mut sorted = vec![0; items.len()];
    for &item in items {
        let slot = &mut starts[key(item)];
        sorted[*slot as usize] = item;
        *slot += 1;
    }
    Some(sorted)
}

impl Compiled {
    /// [`Opened::due_day`] of a compiled catalog.
    fn due_day(&self, teams: &[usize], date: Date, language: &str) -> Option<DueDay<'_>> {
        if self.head.has_team_calendars() {
            return None;
        }
        let team_count = self.head.teams.len();
        let mut wanted = vec![false; team_count];
        for &team in teams {
            if let Some(slot) = wanted.get_mut(team) {
                *slot = true;
            }
        }
        let calendar = &self.head.calendar;
        let section = self.bytes.get(self.bodies.clone())?;
        let mut schedules = self.bytes.get(self.picks.clone())?;
        // Room for a day on which every task is due once: a day of most of a large
        // catalog would otherwise copy these a dozen times as they grow.
        let mut hits = Vec::with_capacity(self.ends.len());
        let mut picked = Vec::with_capacity(self.ends.len());
        let mut assigned = Vec::new();
        let mut begin = 0;
        for &end in &self.ends {
            let (pick, rest) = postcard::take_from_bytes::<Pick>(schedules).ok()?;
            schedules = rest;
            if let Some(rule) = pick.rule.as_ref()
                && pick
                    .teams
                    .iter()
                    .any(|t| wanted.get(t).copied().unwrap_or(false))
            {
                let found = hits.len();
                let index = u32::try_from(picked.len()).ok()?;
                // As the plan finds them: every occurrence on the day, each with the date
                // of the one after it.
                let mut upcoming = Schedule {
                    rule,
                    at: pick.at,
                    start: pick.start,
                    shift: pick.shift,
                    calendar,
                }
                .occurrences_from(date)
                .peekable();
                while let Some(occurrence) = upcoming.next_if(|o| o.date <= date) {
                    hits.push(Hit {
                        picked: index,
                        rank: pick.rank,
                        time: occurrence.time,
                        window_end: upcoming.peek().map(|next| next.date),
                    });
                }
                if hits.len() > found {
                    let (lean, rest) = lean_and_rest(section, begin, end)?;
                    if lean.teams()?.any(|t| t >= team_count) {
                        return None;
                    }
                    let [id, mut title, mut description, cadence] = lean.parts()?;
                    if let Some((own_title, own_description)) = lean.text_in(language).ok()? {
                        title = own_title.unwrap_or(title);
                        description = own_description.unwrap_or(description);
                    }
                    let whole = if lean.assigned {
                        assigned.push(task_of(&lean, rest)?);
                        Some(u32::try_from(assigned.len() - 1).ok()?)
                    } else {
                        None
                    };
                    picked.push(Picked {
                        id,
                        title,
                        description,
                        cadence,
                        teams: lean.teams,
                        as_needed: lean.as_needed,
                        assigned: whole,
                    });
                }
            }
            begin = end;
        }
        // One schedule per task, and nothing after the last.
        if !schedules.is_empty() {
            return None;
        }
        // In the plan's order: by time of day, then by rank; a task's occurrences in the
        // order found. Both counting sorts keep the order of equal keys.
        let all: Vec<u32> = (0..u32::try_from(hits.len()).ok()?).collect();
        let by_rank = stable_by_key(&all, self.ends.len(), |h| hits[h as usize].rank as usize)?;
        let order = stable_by_key(&by_rank, 24 * 60 + 1, |h| hits[h as usize].minute())?;
        let hits = order.into_iter().map(|h| hits[h as usize]).collect();
        Some(DueDay {
            date,
            hits,
            picked,
            assigned,
        })
    }

    /// The catalog with the tasks `keep` picks. A task that does not decode (a cache written
    /// wrongly: its bytes are vouched for by the hash) sends the command back to the YAML.
    fn into_catalog(self, keep: impl Fn(&Pick) -> bool) -> Result<Catalog, Diagnostics> {
        let Self {
            mut head,
            picks,
            bytes,
            bodies,
            ends,
            today,
            file,
        } = self;
        let section = &bytes[bodies];
        // The schedules are decoded one at a time and dropped: a 100,000-task catalog never
        // holds them all.
        let mut schedules = &bytes[picks];
        let mut tasks = Vec::new();
        let mut begin = 0;
        let mut whole = true;
        for &end in &ends {
            let Ok((pick, rest)) = postcard::take_from_bytes::<Pick>(schedules) else {
                whole = false;
                break;
            };
            schedules = rest;
            if keep(&pick) {
                match section.get(begin..end).and_then(decode_task) {
                    Some(task) => tasks.push(task),
                    None => {
                        whole = false;
                        break;
                    }
                }
            }
            begin = end;
        }
        // One schedule per task, and nothing after the last.
        whole &= schedules.is_empty();
        if whole {
            head.tasks = tasks;
            return Ok(head);
        }
        let _ = std::fs::remove_file(file);
        let mut catalog = load_valid(&head.tasks_path, &head.roles_path, today)?;
        // The one thing a command may have changed in the head: a `--tz` override.
        catalog.calendar.time_zone = head.calendar.time_zone;
        catalog.time_zone_name = head.time_zone_name;
        Ok(catalog)
    }
}

/// Where compiled catalogs are kept, and who wrote them.
#[derive(Debug, Clone)]
pub struct CacheSettings {
    /// The directory holding the cache files (created on first write, mode 0700).
    pub directory: PathBuf,
    /// What identifies the program writing the cache, beyond its version (the CLI passes
    /// the executable's size and modification time), so that a rebuilt socctl never reads
    /// a cache written by an older build.
    pub build: String,
}

/// Loads and validates the catalog like [`super::load_valid`], through the cache in
/// `settings` when given: a hit skips parsing, a miss parses and then stores the result.
pub fn load_valid_cached(
    tasks_path: &Path,
    roles_path: &Path,
    today: Date,
    settings: Option<&CacheSettings>,
) -> Result<Catalog, Diagnostics> {
    open_cached(tasks_path, roles_path, today, settings)?.into_whole()
}

/// [`load_valid_cached`], leaving a compiled catalog's tasks encoded until the command
/// says which it needs.
pub fn open_cached(
    tasks_path: &Path,
    roles_path: &Path,
    today: Date,
    settings: Option<&CacheSettings>,
) -> Result<Opened, Diagnostics> {
    open_cached_at(
        tasks_path,
        roles_path,
        today,
        settings,
        std::time::SystemTime::now(),
    )
}

/// [`open_cached`] at the moment `now` (before either file is looked at), which decides
/// whether the files' status is old enough to be recorded as a [`Stamp`].
fn open_cached_at(
    tasks_path: &Path,
    roles_path: &Path,
    today: Date,
    settings: Option<&CacheSettings>,
    now: std::time::SystemTime,
) -> Result<Opened, Diagnostics> {
    let Some(settings) = settings else {
        return load_valid(tasks_path, roles_path, today).map(Opened::Whole);
    };
    let file = settings.directory.join(file_name(tasks_path, roles_path));
    // The quick key: the files' status as it was when the cache's key was last worked out
    // from their bytes. Taken before the files are read, so it describes no later version.
    let stamp = stamp_of(&settings.build, tasks_path, roles_path, now);
    let hit = |mut compiled: Compiled| {
        tasks_path.clone_into(&mut compiled.head.tasks_path);
        roles_path.clone_into(&mut compiled.head.roles_path);
        Ok(Opened::Compiled(compiled))
    };
    if let Some(stamp) = &stamp
        && let Some(key) = read_stamp(&stamp_file(&file), stamp)
        && let Some(compiled) = read_cache(&file, &key, today)
    {
        return hit(compiled);
    }
    // A hit otherwise needs the files' hash: hashing as they are read keeps a large
    // catalog's text out of memory while its compiled copy is decoded.
    let Some(key) = content_key(&settings.build, tasks_path, roles_path) else {
        return load_valid(tasks_path, roles_path, today).map(Opened::Whole);
    };
    if let Some(compiled) = read_cache(&file, &key, today) {
        record_stamp(&settings.directory, &file, stamp.as_ref(), &key, || {
            stamp_of(&settings.build, tasks_path, roles_path, now)
        });
        return hit(compiled);
    }
    // A miss: read the files once, and key what is stored by the bytes actually validated,
    // so a file edited between the hash above and this read can never be stored under
    // the other version's key.
    let (tasks, roles) = read_both(tasks_path, roles_path)?;
    let mut catalog = load_sources(tasks_path, &tasks, roles_path, &roles, today).into_valid()?;
    let key = key_of(
        &settings.build,
        [tasks.as_bytes(), roles.as_bytes()].map(|bytes| (bytes.len() as u64, blake3::hash(bytes))),
    );
    // Holiday files are more input than the two files the key covers: a catalog that
    // names one is read from its files every time.
    let names_other_files = [&tasks, &roles]
        .iter()
        .any(|text| text.contains("holidays_ics"));
    drop((tasks, roles));
    if names_other_files {
        return Ok(Opened::Whole(catalog));
    }
    // A cache that cannot be written only costs speed; the command goes on.
    if write_cache(&settings.directory, &file, &key, &mut catalog).is_ok() {
        record_stamp(&settings.directory, &file, stamp.as_ref(), &key, || {
            stamp_of(&settings.build, tasks_path, roles_path, now)
        });
    }
    Ok(Opened::Whole(catalog))
}

/// How long ago both files must have last changed for their status to stand for their
/// bytes: longer than the coarsest timestamp granularity of a common file system (FAT's
/// two seconds), so that any later write gives a file a different change time.
const SETTLED: std::time::Duration = std::time::Duration::from_secs(3);

/// A digest of both catalog files' status (device, inode, size, modification and status
/// change times to the nanosecond) and of the build, taken before the files were read.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp {
    digest: [u8; 32],
    /// Whether both files last changed at least [`SETTLED`] before the stamp was taken:
    /// only then is it recorded, since a write in the same clock tick as the one before
    /// would otherwise leave the status unchanged.
    settled: bool,
}

/// The first bytes of a stamp file (next to the cache file: this, the [`Stamp`]'s digest
/// and the cache key worked out from the files' bytes when they had that status).
const STAMP_MAGIC: &[u8; 8] = b"socctls1";

/// The quick key of the files as they are now (`now` being the clock when this run began):
/// `None` where the status says nothing trustworthy (not Unix, not regular files, too large,
/// or unreadable), and the cache's key then comes from the files' bytes.
#[cfg(unix)]
fn stamp_of(
    build: &str,
    tasks_path: &Path,
    roles_path: &Path,
    now: std::time::SystemTime,
) -> Option<Stamp> {
    use std::os::unix::fs::MetadataExt;
    let mut hasher = blake3::Hasher::new();
    hasher.update(STAMP_MAGIC);
    hasher.update(MAGIC);
    for part in [env!("CARGO_PKG_VERSION").as_bytes(), build.as_bytes()] {
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    let since_epoch = now.duration_since(std::time::UNIX_EPOCH).ok()?;
    let settled_before = since_epoch.checked_sub(SETTLED)?;
    let mut settled = true;
    for path in [tasks_path, roles_path] {
        let metadata = std::fs::metadata(path).ok()?;
        if !metadata.is_file() || metadata.len() > MAX_FILE_BYTES {
            return None;
        }
        // A file the user can no longer read is not served from the cache either: the YAML
        // path then says why it cannot be read, as it did before stamps.
        std::fs::File::open(path).ok()?;
        for value in [
            metadata.dev(),
            metadata.ino(),
            metadata.len(),
            metadata.mtime() as u64,
            metadata.mtime_nsec() as u64,
            metadata.ctime() as u64,
            metadata.ctime_nsec() as u64,
        ] {
            hasher.update(&value.to_le_bytes());
        }
        let changed = std::time::Duration::new(
            u64::try_from(metadata.ctime()).ok()?,
            u32::try_from(metadata.ctime_nsec()).ok()?,
        );
        settled &= changed < settled_before;
    }
    Some(Stamp {
        digest: *hasher.finalize().as_bytes(),
        settled,
    })
}

#[cfg(not(unix))]
fn stamp_of(_: &str, _: &Path, _: &Path, _: std::time::SystemTime) -> Option<Stamp> {
    None
}

/// Where the stamp of `cache_file` is kept.
fn stamp_file(cache_file: &Path) -> PathBuf {
    cache_file.with_extension("stamp")
}

/// The cache key recorded in `path` for `stamp`, if it records that stamp (and is the
/// user's own file that nobody else can write, as for the cache file itself).
fn read_stamp(path: &Path, stamp: &Stamp) -> Option<[u8; 32]> {
    use std::io::Read;
    let file = std::fs::File::open(path).ok()?;
    if !private_to_user(&file) {
        return None;
    }
    let mut bytes = Vec::with_capacity(80);
    file.take(80).read_to_end(&mut bytes).ok()?;
    let rest = bytes.strip_prefix(STAMP_MAGIC.as_slice())?;
    let (digest, key) = rest.split_at_checked(32)?;
    if digest != stamp.digest {
        return None;
    }
    key.try_into().ok()
}

/// Records that files with `stamp` have the cache key `key`, when the stamp is settled and
/// the files' status is still the same after they were read (`again` takes it anew). A
/// stamp that cannot be written only costs speed.
fn record_stamp(
    directory: &Path,
    cache_file: &Path,
    stamp: Option<&Stamp>,
    key: &[u8; 32],
    again: impl FnOnce() -> Option<Stamp>,
) {
    let Some(stamp) = stamp.filter(|s| s.settled) else {
        return;
    };
    if again().as_ref() != Some(stamp) {
        return;
    }
    let write = || -> std::io::Result<()> {
        let mut temporary = tempfile::NamedTempFile::new_in(directory)?;
        temporary.write_all(STAMP_MAGIC)?;
        temporary.write_all(&stamp.digest)?;
        temporary.write_all(key)?;
        temporary
            .persist(stamp_file(cache_file))
            .map_err(|e| e.error)?;
        Ok(())
    };
    let _ = write();
}

/// Whether `file` is the user's own and nobody else can write it: a cache directory on
/// shared ground (`SOCCTL_CACHE_DIR=/tmp/…`) must not let another user plant a catalog.
fn private_to_user(file: &std::fs::File) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let Ok(metadata) = file.metadata() else {
            return false;
        };
        metadata.uid() == rustix::process::geteuid().as_raw() && metadata.mode() & 0o022 == 0
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        true
    }
}

/// The hash a cache entry must carry to be used, from the files as they are on disk:
/// `None` when a file cannot be read as a regular catalog file (the YAML path then says
/// why). Hashing while reading keeps a large catalog's text out of memory.
fn content_key(build: &str, tasks_path: &Path, roles_path: &Path) -> Option<[u8; 32]> {
    #[cfg(test)]
    tests::CONTENT_KEYS.with(|count| count.set(count.get() + 1));
    let mut files = [(0, blake3::Hash::from_bytes([0; 32])); 2];
    for (digest, path) in files.iter_mut().zip([tasks_path, roles_path]) {
        let metadata = std::fs::metadata(path).ok()?;
        if !metadata.is_file() || metadata.len() > MAX_FILE_BYTES {
            return None;
        }
        let file = std::fs::File::open(path).ok()?;
        *digest = hash_reading(file).ok()?;
    }
    Some(key_of(build, files))
}

/// The length and BLAKE3 digest of what `file` holds, read in large pieces: fewer reads,
/// and pieces long enough for BLAKE3 to hash many chunks at once (`io::copy`'s 8 KiB are not).
fn hash_reading(mut file: std::fs::File) -> std::io::Result<(u64, blake3::Hash)> {
    use std::io::Read;
    let mut buffer = vec![0; 1 << 20];
    let mut hasher = blake3::Hasher::new();
    let mut length = 0;
    loop {
        match file.read(&mut buffer) {
            Ok(0) => return Ok((length, hasher.finalize())),
            Ok(read) => {
                hasher.update(&buffer[..read]);
                length += read as u64;
            }
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
}

/// The key for two files given as (length, BLAKE3 digest), written by `build`.
fn key_of(build: &str, files: [(u64, blake3::Hash); 2]) -> [u8; 32] {
    let mut hasher = blake3::Hasher::new();
    for part in [
        MAGIC.as_slice(),
        env!("CARGO_PKG_VERSION").as_bytes(),
        build.as_bytes(),
    ] {
        // Length-prefixed, so that moving bytes from one part to the next changes the key.
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    for (length, digest) in files {
        hasher.update(&length.to_le_bytes());
        hasher.update(digest.as_bytes());
    }
    *hasher.finalize().as_bytes()
}

/// One cache file per pair of catalog locations, named by a hash of the two paths.
fn file_name(tasks_path: &Path, roles_path: &Path) -> String {
    let absolute = |path: &Path| std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let mut hasher = blake3::Hasher::new();
    hasher.update(absolute(tasks_path).as_os_str().as_encoded_bytes());
    hasher.update(b"\0");
    hasher.update(absolute(roles_path).as_os_str().as_encoded_bytes());
    let hex = hasher.finalize().to_hex();
    format!("catalog-{}.bin", &hex[..32])
}

fn read_cache(path: &Path, key: &[u8; 32], today: Date) -> Option<Compiled> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).ok()?;
    if !private_to_user(&file) {
        return None;
    }
    // Room for the whole file at once (and one byte more, to see the end): a buffer grown
    // by doubling would copy it and touch twice its pages.
    let length = usize::try_from(file.metadata().ok()?.len()).ok()?;
    let mut bytes = Vec::with_capacity(length.checked_add(1)?);
    file.read_to_end(&mut bytes).ok()?;
    let rest = bytes.strip_prefix(MAGIC.as_slice())?;
    let (stored_key, rest) = rest.split_at_checked(key.len())?;
    if stored_key != key {
        return None;
    }
    // A damaged payload can still decode, into a different catalog: believe only the bytes
    // that were written.
    let (digest, payload) = rest.split_at_checked(blake3::OUT_LEN)?;
    if blake3::Hash::from_slice(digest).ok()? != payload_digest(key, payload) {
        return None;
    }
    let payload_start = bytes.len() - payload.len();
    let (head, rest) = section(payload)?;
    let (picks, rest) = section(rest)?;
    let (ends, bodies) = section(rest)?;
    let head: Catalog = postcard::from_bytes(head).ok()?;
    // Every end within the tasks' section and none before the one before it.
    let mut ends_checked = Vec::with_capacity(ends.len() / 8);
    let mut last = 0;
    for chunk in ends.chunks(8) {
        let end = usize::try_from(u64::from_le_bytes(chunk.try_into().ok()?)).ok()?;
        if end < last || end > bodies.len() {
            return None;
        }
        ends_checked.push(end);
        last = end;
    }
    if !head.tasks.is_empty() || ends.len() % 8 != 0 || last != bodies.len() {
        return None;
    }
    let offset = |part: &[u8]| part.as_ptr() as usize - payload.as_ptr() as usize + payload_start;
    let picks = offset(picks)..offset(picks) + picks.len();
    let bodies_start = offset(bodies);
    Some(Compiled {
        head,
        picks,
        bodies: bodies_start..bytes.len(),
        bytes,
        ends: ends_checked,
        today,
        file: path.to_owned(),
    })
}

/// One length-prefixed section of a payload and what follows it.
fn section(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let (length, rest) = bytes.split_at_checked(8)?;
    let length = usize::try_from(u64::from_le_bytes(length.try_into().ok()?)).ok()?;
    rest.split_at_checked(length)
}

/// The payload of a cache file for `catalog` (see [`MAGIC`] for the layout).
fn encode(catalog: &mut Catalog) -> postcard::Result<Vec<u8>> {
    // The head is the catalog itself with its tasks set aside, whatever fields it has.
    let tasks = std::mem::take(&mut catalog.tasks);
    let head = postcard::to_stdvec(&*catalog);
    catalog.tasks = tasks;
    let head = head?;
    let ranks = ranks(&catalog.tasks);
    let mut picks = Vec::new();
    for (task, &rank) in catalog.tasks.iter().zip(&ranks) {
        picks = postcard::to_extend(&Pick::of(task, rank), picks)?;
    }
    let mut bodies = Vec::new();
    let mut ends = Vec::with_capacity(catalog.tasks.len() * 8);
    for task in &catalog.tasks {
        bodies = encode_task(task, bodies)?;
        ends.extend_from_slice(&(bodies.len() as u64).to_le_bytes());
    }
    let mut payload = Vec::new();
    for part in [head, picks, ends] {
        payload.extend_from_slice(&(part.len() as u64).to_le_bytes());
        payload.extend_from_slice(&part);
    }
    payload.extend_from_slice(&bodies);
    Ok(payload)
}

/// Each task's position when `tasks` are ordered by first team (none before any), then id:
/// the order [`crate::plan::plan`] gives the tasks due at the same time.
fn ranks(tasks: &[Task]) -> Vec<u32> {
    let mut order: Vec<usize> = (0..tasks.len()).collect();
    // `None` (no team) before every team, as `Option`'s order has it.
    order.sort_unstable_by(|&a, &b| {
        (tasks[a].teams.first(), &tasks[a].id).cmp(&(tasks[b].teams.first(), &tasks[b].id))
    });
    let mut ranks = vec![0; tasks.len()];
    for (position, task) in order.into_iter().enumerate() {
        // A catalog file holds far fewer than 2^32 tasks.
        ranks[task] = position as u32;
    }
    ranks
}

/// The hash that vouches for a payload stored under `key` (compared in constant time).
fn payload_digest(key: &[u8; 32], payload: &[u8]) -> blake3::Hash {
    blake3::keyed_hash(key, payload)
}

fn write_cache(
    directory: &Path,
    file: &Path,
    key: &[u8; 32],
    catalog: &mut Catalog,
) -> std::io::Result<()> {
    let payload = encode(catalog).map_err(std::io::Error::other)?;
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(directory)?;
    // Written whole to a temporary file and renamed: a reader sees the old file or the new.
    let mut temporary = tempfile::NamedTempFile::new_in(directory)?;
    temporary.write_all(MAGIC)?;
    temporary.write_all(key)?;
    temporary.write_all(payload_digest(key, &payload).as_bytes())?;
    temporary.write_all(&payload)?;
    temporary.persist(file).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn shipped() -> (PathBuf, PathBuf) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        (root.join("tasks.yaml"), root.join("roles.yaml"))
    }

    /// The iCalendar fixture's catalog: every kind of rule, crontab ones included, times,
    /// shifts and holidays.
    fn ics_fixture() -> (PathBuf, PathBuf) {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ics");
        (fixtures.join("tasks.yaml"), fixtures.join("roles.yaml"))
    }

    /// A cache in `directory`, for the build `test`.
    fn settings_in(directory: &Path) -> CacheSettings {
        CacheSettings {
            directory: directory.to_owned(),
            build: "test".to_owned(),
        }
    }

    const TODAY: Date = jiff::civil::date(2026, 11, 23);

    thread_local! {
        /// How many times this thread has worked out a cache key from the files' bytes.
        pub(super) static CONTENT_KEYS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
    }

    /// Copies of the shipped catalog files in `directory`, to edit.
    fn copied(directory: &Path) -> (PathBuf, PathBuf) {
        let (shipped_tasks, shipped_roles) = shipped();
        let tasks = directory.join("tasks.yaml");
        let roles = directory.join("roles.yaml");
        std::fs::copy(&shipped_tasks, &tasks).unwrap();
        std::fs::copy(&shipped_roles, &roles).unwrap();
        (tasks, roles)
    }

    /// Opens the catalog `later` after now, as far as the files' age is concerned, and
    /// says whether it came from the cache and whether its key came from the files' bytes.
    fn open_later(
        tasks: &Path,
        roles: &Path,
        settings: &CacheSettings,
        later: std::time::Duration,
    ) -> (Catalog, bool, bool) {
        let before = CONTENT_KEYS.with(std::cell::Cell::get);
        let opened = open_cached_at(
            tasks,
            roles,
            TODAY,
            Some(settings),
            std::time::SystemTime::now() + later,
        )
        .unwrap();
        let compiled = matches!(opened, Opened::Compiled(_));
        let hashed = CONTENT_KEYS.with(std::cell::Cell::get) != before;
        (opened.into_whole().unwrap(), compiled, hashed)
    }

    /// Files that last changed long enough ago are recognised by their status alone; an
    /// edit, even one keeping the size, or a file just written, is hashed again.
    #[cfg(unix)]
    #[test]
    fn settled_files_are_known_by_their_status_and_any_edit_is_seen() {
        let directory = tempfile::tempdir().unwrap();
        let (tasks, roles) = copied(directory.path());
        let settings = settings_in(&directory.path().join("cache"));
        let a_minute = std::time::Duration::from_secs(60);
        let title = |catalog: &Catalog| {
            catalog
                .tasks
                .iter()
                .find(|t| t.id == "update-escalation-tickets")
                .map(|t| t.title.clone())
                .unwrap()
        };
        // Just written: the first open compiles; its status is not recorded (a write in the
        // same clock tick could follow), so the next open hashes again.
        let (_, compiled, hashed) = open_later(&tasks, &roles, &settings, Duration::ZERO);
        assert!(!compiled && hashed);
        let (_, compiled, hashed) = open_later(&tasks, &roles, &settings, Duration::ZERO);
        assert!(compiled && hashed, "a hit, by the files' bytes");
        // A minute later the files are settled: this hit records their status, and from then
        // on the files are not read to find the key.
        let (_, compiled, hashed) = open_later(&tasks, &roles, &settings, a_minute);
        assert!(compiled && hashed);
        let (catalog, compiled, hashed) = open_later(&tasks, &roles, &settings, a_minute);
        assert!(compiled && !hashed, "a hit by the files' status");
        assert_eq!(title(&catalog), "Update SOC escalation tickets");
        // The same size, another title: the change time moved, so the bytes are hashed and
        // the edit is seen, even "a minute later".
        let text = std::fs::read_to_string(&tasks).unwrap();
        let edited = text.replacen(
            "Update SOC escalation tickets",
            "Update SOC escalation ticketz",
            1,
        );
        assert_eq!(text.len(), edited.len());
        assert_ne!(text, edited);
        // The clock pretends a minute passed, but the files really changed just now: wait out
        // the file system's timestamp tick (a few milliseconds), as a real minute would.
        let tick = || std::thread::sleep(Duration::from_millis(30));
        tick();
        std::fs::write(&tasks, &edited).unwrap();
        let (catalog, compiled, hashed) = open_later(&tasks, &roles, &settings, a_minute);
        assert!(!compiled && hashed, "the edit misses");
        assert_eq!(title(&catalog), "Update SOC escalation ticketz");
        let (catalog, compiled, hashed) = open_later(&tasks, &roles, &settings, a_minute);
        assert!(compiled && !hashed, "the compiled edit, by status");
        assert_eq!(title(&catalog), "Update SOC escalation ticketz");
        // An edit of roles.yaml is seen too; so is a file put in place by a rename.
        let roles_text = std::fs::read_to_string(&roles).unwrap();
        tick();
        std::fs::write(&roles, format!("{roles_text}\n")).unwrap();
        let (_, compiled, hashed) = open_later(&tasks, &roles, &settings, a_minute);
        assert!(!compiled && hashed);
        let replacement = directory.path().join("new.yaml");
        std::fs::write(&replacement, &text).unwrap();
        tick();
        std::fs::rename(&replacement, &tasks).unwrap();
        let (catalog, _, hashed) = open_later(&tasks, &roles, &settings, a_minute);
        assert!(hashed);
        assert_eq!(title(&catalog), "Update SOC escalation tickets");
        // Unsettled: files changed within the last seconds are never known by status, however
        // often they are read.
        std::fs::write(&tasks, &edited).unwrap();
        let (_, compiled, hashed) = open_later(&tasks, &roles, &settings, Duration::ZERO);
        assert!(!compiled && hashed);
        for _ in 0..2 {
            let (catalog, compiled, hashed) = open_later(&tasks, &roles, &settings, Duration::ZERO);
            assert!(compiled && hashed);
            assert_eq!(title(&catalog), "Update SOC escalation ticketz");
        }
    }

    /// A stamp file that is damaged, names another key, or that others can write only
    /// costs the hash: the cache key then comes from the files' bytes.
    #[cfg(unix)]
    #[test]
    fn a_wrong_or_foreign_stamp_is_not_believed() {
        use std::os::unix::fs::PermissionsExt;
        let directory = tempfile::tempdir().unwrap();
        let (tasks, roles) = copied(directory.path());
        let settings = settings_in(&directory.path().join("cache"));
        let later = std::time::Duration::from_secs(60);
        open_later(&tasks, &roles, &settings, later);
        let stamp = stamp_file(&settings.directory.join(file_name(&tasks, &roles)));
        let good = std::fs::read(&stamp).unwrap();
        assert_eq!(good.len(), 72);
        assert!(!open_later(&tasks, &roles, &settings, later).2);
        let mut other_key = good.clone();
        other_key[71] ^= 1;
        let mut other_digest = good.clone();
        other_digest[8] ^= 1;
        for damaged in [Vec::new(), good[..40].to_vec(), other_key, other_digest] {
            std::fs::write(&stamp, &damaged).unwrap();
            let (catalog, compiled, hashed) = open_later(&tasks, &roles, &settings, later);
            assert!(compiled && hashed);
            assert!(!catalog.tasks.is_empty());
            assert_eq!(std::fs::read(&stamp).unwrap(), good, "recorded anew");
        }
        std::fs::set_permissions(&stamp, std::fs::Permissions::from_mode(0o622)).unwrap();
        assert!(
            open_later(&tasks, &roles, &settings, later).2,
            "0622 is not read"
        );
        // Another build never takes this build's stamp.
        let other = CacheSettings {
            build: "other".to_owned(),
            ..settings.clone()
        };
        assert!(open_later(&tasks, &roles, &other, later).2);
    }

    #[test]
    fn a_cached_catalog_is_the_catalog_parsed_from_yaml() {
        let (tasks, roles) = shipped();
        let directory = tempfile::tempdir().unwrap();
        let settings = settings_in(&directory.path().join("cache"));
        let parsed = load_valid_cached(&tasks, &roles, TODAY, None).unwrap();
        let first = load_valid_cached(&tasks, &roles, TODAY, Some(&settings)).unwrap();
        let files = |extension: &str| {
            std::fs::read_dir(&settings.directory)
                .unwrap()
                .filter(|f| f.as_ref().unwrap().path().extension().unwrap() == extension)
                .count()
        };
        assert_eq!(files("bin"), 1, "one cache file written");
        // The shipped files last changed long ago: their status is recorded beside it.
        assert_eq!(files("stamp"), 1, "one stamp written");
        assert_eq!(std::fs::read_dir(&settings.directory).unwrap().count(), 2);
        let cached = load_valid_cached(&tasks, &roles, TODAY, Some(&settings)).unwrap();
        // Debug output covers every field, cron rules and time zones included.
        assert_eq!(format!("{parsed:?}"), format!("{first:?}"));
        assert_eq!(format!("{parsed:?}"), format!("{cached:?}"));
    }

    #[test]
    fn an_edited_catalog_misses_the_cache() {
        let directory = tempfile::tempdir().unwrap();
        let (shipped_tasks, shipped_roles) = shipped();
        let tasks = directory.path().join("tasks.yaml");
        let roles = directory.path().join("roles.yaml");
        std::fs::copy(&shipped_tasks, &tasks).unwrap();
        std::fs::copy(&shipped_roles, &roles).unwrap();
        let settings = settings_in(&directory.path().join("cache"));
        let before = load_valid_cached(&tasks, &roles, TODAY, Some(&settings)).unwrap();
        let text = std::fs::read_to_string(&tasks).unwrap();
        let edited = text.replacen(
            "Update SOC escalation tickets",
            "Update the SOC escalation tickets",
            1,
        );
        assert!(
            text != edited,
            "the shipped catalog has the title this test edits"
        );
        std::fs::write(&tasks, edited).unwrap();
        let after = load_valid_cached(&tasks, &roles, TODAY, Some(&settings)).unwrap();
        assert!(
            before
                .tasks
                .iter()
                .any(|t| t.title == "Update SOC escalation tickets")
        );
        assert!(
            after
                .tasks
                .iter()
                .any(|t| t.title == "Update the SOC escalation tickets")
        );
        // A broken edit is reported, never hidden by the cached good copy.
        std::fs::write(&tasks, "version: 1\ntasks: [").unwrap();
        assert!(load_valid_cached(&tasks, &roles, TODAY, Some(&settings)).is_err());
    }

    /// One flipped bit anywhere in the file (200 positions spread over header and payload)
    /// never changes the catalog a command sees: the file is ignored and rewritten.
    #[test]
    fn a_flipped_byte_is_never_believed() {
        let (tasks, roles) = shipped();
        let directory = tempfile::tempdir().unwrap();
        let settings = settings_in(directory.path());
        let parsed = format!(
            "{:?}",
            load_valid_cached(&tasks, &roles, TODAY, None).unwrap()
        );
        load_valid_cached(&tasks, &roles, TODAY, Some(&settings)).unwrap();
        let file = directory.path().join(file_name(&tasks, &roles));
        let good = std::fs::read(&file).unwrap();
        let positions: Vec<usize> = (0..200).map(|i| i * (good.len() - 1) / 199).collect();
        for (round, &position) in positions.iter().enumerate() {
            let mut damaged = good.clone();
            damaged[position] ^= 1 << (round % 8);
            std::fs::write(&file, &damaged).unwrap();
            let loaded = load_valid_cached(&tasks, &roles, TODAY, Some(&settings)).unwrap();
            assert_eq!(parsed, format!("{loaded:?}"), "byte {position} flipped");
            assert_eq!(
                std::fs::read(&file).unwrap(),
                good,
                "byte {position}: rewritten"
            );
        }
    }

    #[test]
    fn a_damaged_or_foreign_cache_file_is_ignored_and_replaced() {
        let (tasks, roles) = shipped();
        let directory = tempfile::tempdir().unwrap();
        let settings = settings_in(directory.path());
        let parsed = load_valid_cached(&tasks, &roles, TODAY, None).unwrap();
        let file = directory.path().join(file_name(&tasks, &roles));
        let key = content_key("test", &tasks, &roles).unwrap();
        let mut truncated = MAGIC.to_vec();
        truncated.extend_from_slice(&key);
        truncated.extend_from_slice(&[0xff; 7]);
        let mut unvouched = MAGIC.to_vec();
        unvouched.extend_from_slice(&key);
        unvouched.extend_from_slice(&[0; 32]);
        unvouched.extend_from_slice(&postcard::to_stdvec(&parsed).unwrap());
        for damage in [
            b"not a cache".to_vec(),
            Vec::new(),
            MAGIC.to_vec(),
            truncated,
            unvouched,
        ] {
            std::fs::write(&file, &damage).unwrap();
            let loaded = load_valid_cached(&tasks, &roles, TODAY, Some(&settings)).unwrap();
            assert_eq!(format!("{parsed:?}"), format!("{loaded:?}"));
            assert_ne!(
                std::fs::read(&file).unwrap(),
                damage,
                "the file was rewritten"
            );
        }
        // A cache written by another build of socctl is not read.
        let other = CacheSettings {
            build: "other".to_owned(),
            ..settings.clone()
        };
        assert!(read_cache(&file, &content_key("other", &tasks, &roles).unwrap(), TODAY).is_none());
        load_valid_cached(&tasks, &roles, TODAY, Some(&other)).unwrap();
    }

    /// A cache file with `payload` under the right key and its right hash: what a writer
    /// with a bug would leave, which the layout's own checks must catch.
    fn vouched(key: &[u8; 32], payload: &[u8]) -> Vec<u8> {
        let mut file = MAGIC.to_vec();
        file.extend_from_slice(key);
        file.extend_from_slice(payload_digest(key, payload).as_bytes());
        file.extend_from_slice(payload);
        file
    }

    /// Sections as [`encode`] lays them out.
    fn assemble(parts: [&[u8]; 3], bodies: &[u8]) -> Vec<u8> {
        let mut payload = Vec::new();
        for part in parts {
            payload.extend_from_slice(&(part.len() as u64).to_le_bytes());
            payload.extend_from_slice(part);
        }
        payload.extend_from_slice(bodies);
        payload
    }

    /// Truncated or inconsistent layouts, even with a hash that vouches for them, are never
    /// believed: the command gets the catalog from the YAML and the file is replaced.
    #[test]
    fn a_truncated_or_inconsistent_layout_is_never_believed() {
        let (tasks, roles) = shipped();
        let directory = tempfile::tempdir().unwrap();
        let settings = settings_in(directory.path());
        let mut parsed = load_valid_cached(&tasks, &roles, TODAY, None).unwrap();
        let expected = format!("{parsed:?}");
        let file = directory.path().join(file_name(&tasks, &roles));
        let key = content_key("test", &tasks, &roles).unwrap();
        let payload = encode(&mut parsed).unwrap();
        let good = vouched(&key, &payload);
        // The sections of the good payload, independently of `read_cache`.
        let mut parts = Vec::new();
        let mut rest = payload.as_slice();
        for _ in 0..3 {
            let length = u64::from_le_bytes(rest[..8].try_into().unwrap()) as usize;
            parts.push(rest[8..8 + length].to_vec());
            rest = &rest[8 + length..];
        }
        let bodies = rest.to_vec();
        let ends: Vec<u64> = parts[2]
            .chunks(8)
            .map(|c| u64::from_le_bytes(c.try_into().unwrap()))
            .collect();
        assert_eq!(ends.len(), parsed.tasks.len());
        let ends_bytes = |ends: &[u64]| {
            ends.iter()
                .flat_map(|e| e.to_le_bytes())
                .collect::<Vec<u8>>()
        };
        let mut damaged_payloads = Vec::new();
        // Cut anywhere: in a length, in a section, at a section's end, in the tasks.
        for length in (0..payload.len()).step_by(payload.len() / 97 + 1) {
            damaged_payloads.push(payload[..length].to_vec());
        }
        for cut in [1, 8, 9, bodies.len() / 2, bodies.len() - 1] {
            damaged_payloads.push(payload[..payload.len() - cut].to_vec());
        }
        // Ends out of order, and an end past the tasks' section.
        let mut swapped = ends.clone();
        swapped.swap(0, 1);
        damaged_payloads.push(assemble(
            [&parts[0], &parts[1], &ends_bytes(&swapped)],
            &bodies,
        ));
        let mut past = ends.clone();
        *past.last_mut().unwrap() += 1;
        damaged_payloads.push(assemble(
            [&parts[0], &parts[1], &ends_bytes(&past)],
            &bodies,
        ));
        // A head that still holds the tasks.
        damaged_payloads.push(assemble(
            [&postcard::to_stdvec(&parsed).unwrap(), &parts[1], &parts[2]],
            &bodies,
        ));
        // Section lengths beyond the file.
        let mut huge = payload.clone();
        huge[..8].copy_from_slice(&u64::MAX.to_le_bytes());
        damaged_payloads.push(huge);
        for (case, damaged) in damaged_payloads.iter().enumerate() {
            assert!(
                read_cache_of(&file, &key, damaged).is_none(),
                "case {case} is read"
            );
            let loaded = load_valid_cached(&tasks, &roles, TODAY, Some(&settings)).unwrap();
            assert_eq!(expected, format!("{loaded:?}"), "case {case}");
            assert_eq!(
                std::fs::read(&file).unwrap(),
                good,
                "case {case}: rewritten"
            );
        }
        // Found only as the tasks are decoded, which then reads the YAML and drops the file:
        // a task's bytes that do not decode, a schedule that does not, and one task fewer in
        // the index than there are schedules.
        let mut garbled = bodies.clone();
        garbled[..ends[0] as usize].fill(0xff);
        let mut bad_schedules = parts[1].clone();
        bad_schedules.fill(0xff);
        for (case, payload) in [
            assemble([&parts[0], &parts[1], &parts[2]], &garbled),
            assemble([&parts[0], &bad_schedules, &parts[2]], &bodies),
            assemble(
                [&parts[0], &parts[1], &ends_bytes(&ends[..ends.len() - 1])],
                &bodies[..ends[ends.len() - 2] as usize],
            ),
        ]
        .iter()
        .enumerate()
        {
            for whole in [true, false] {
                std::fs::write(&file, vouched(&key, payload)).unwrap();
                let opened = open_cached(&tasks, &roles, TODAY, Some(&settings)).unwrap();
                assert!(matches!(opened, Opened::Compiled(_)), "case {case} is read");
                let loaded = if whole {
                    opened.into_whole().unwrap()
                } else {
                    // Every team on a day with tasks due: the decoding reaches the damage,
                    // and the catalog then comes whole from the YAML.
                    let teams: Vec<usize> = (0..opened.head().teams.len()).collect();
                    opened.into_tasks_in(&teams, TODAY, TODAY).unwrap()
                };
                assert_eq!(expected, format!("{loaded:?}"), "case {case}");
                assert!(
                    !file.exists(),
                    "case {case}: the file that failed is removed"
                );
                load_valid_cached(&tasks, &roles, TODAY, Some(&settings)).unwrap();
                assert_eq!(
                    std::fs::read(&file).unwrap(),
                    good,
                    "case {case}: written anew"
                );
            }
        }
    }

    /// Writes `payload`, vouched for, to `file` and reads it back as a cache.
    fn read_cache_of(file: &Path, key: &[u8; 32], payload: &[u8]) -> Option<Compiled> {
        std::fs::write(file, vouched(key, payload)).unwrap();
        read_cache(file, key, TODAY)
    }

    /// A day's catalog from the cache holds exactly the tasks of the selected teams that
    /// fall in the range, and plans that range as the whole catalog does.
    #[test]
    fn a_range_decodes_only_the_tasks_that_fall_in_it() {
        let (tasks, roles) = shipped();
        let directory = tempfile::tempdir().unwrap();
        let settings = settings_in(directory.path());
        let whole = load_valid_cached(&tasks, &roles, TODAY, None).unwrap();
        load_valid_cached(&tasks, &roles, TODAY, Some(&settings)).unwrap();
        let all: Vec<usize> = (0..whole.teams.len()).collect();
        let monitoring = whole
            .teams
            .iter()
            .position(|t| t.id == "monitoring")
            .unwrap();
        let ids = |catalog: &Catalog, plan: &crate::plan::Plan| -> Vec<(String, Date)> {
            plan.occurrences
                .iter()
                .map(|o| (catalog.tasks[o.task].id.clone(), o.date))
                .collect()
        };
        let mut checked = 0;
        for (teams, from, to) in [
            (all.clone(), TODAY, TODAY),
            (vec![monitoring], TODAY, TODAY),
            (
                all.clone(),
                jiff::civil::date(2026, 12, 25),
                jiff::civil::date(2026, 12, 25),
            ),
            (
                all.clone(),
                jiff::civil::date(2027, 1, 1),
                jiff::civil::date(2027, 1, 7),
            ),
        ] {
            let Opened::Compiled(compiled) =
                open_cached(&tasks, &roles, TODAY, Some(&settings)).unwrap()
            else {
                panic!("the second open reads the cache");
            };
            let picked = Opened::Compiled(compiled)
                .into_tasks_in(&teams, from, to)
                .unwrap();
            let view = crate::plan::View::Range;
            let expected = crate::plan::plan(&whole, from, to, &teams, view).unwrap();
            let mut due: Vec<&str> = expected
                .occurrences
                .iter()
                .map(|o| whole.tasks[o.task].id.as_str())
                .collect();
            due.sort_unstable();
            due.dedup();
            let mut kept: Vec<&str> = picked.tasks.iter().map(|t| t.id.as_str()).collect();
            kept.sort_unstable();
            assert_eq!(kept, due, "{from}..{to}");
            assert!(picked.tasks.len() < whole.tasks.len());
            let got = crate::plan::plan(&picked, from, to, &teams, view).unwrap();
            assert_eq!(ids(&picked, &got), ids(&whole, &expected));
            assert_eq!(format!("{:?}", picked.teams), format!("{:?}", whole.teams));
            checked += got.occurrences.len();
        }
        assert!(checked > 0);
    }

    /// The JSON `due` writes for `date` and `teams` the long way, in `language`: the plan
    /// of the catalog parsed from YAML, rendered.
    fn planned_json(whole: &Catalog, teams: &[usize], date: Date, language: &str) -> Vec<u8> {
        let plan = crate::plan::plan(whole, date, date, teams, crate::plan::View::Day).unwrap();
        let mut out = Vec::new();
        let options = crate::render::RenderOptions {
            locale: crate::i18n::Locale::new(language),
            ..crate::render::RenderOptions::default()
        };
        crate::render::render_plan(
            &mut out,
            whole,
            &plan,
            crate::render::Format::Json,
            &options,
        )
        .unwrap();
        out
    }

    /// Compares every day of `from..=to`, for every team alone and all of them, in each of
    /// `languages`: the day read straight from the cache against the plan of that day.
    /// Gives the days compared and their entries.
    fn days_match_the_plan(
        (tasks, roles): (PathBuf, PathBuf),
        (from, to): (Date, Date),
        languages: &[&str],
    ) -> (usize, usize) {
        let directory = tempfile::tempdir().unwrap();
        let settings = settings_in(directory.path());
        let whole = load_valid_cached(&tasks, &roles, TODAY, None).unwrap();
        load_valid_cached(&tasks, &roles, TODAY, Some(&settings)).unwrap();
        let opened = open_cached(&tasks, &roles, TODAY, Some(&settings)).unwrap();
        assert!(matches!(opened, Opened::Compiled(_)));
        let mut selections: Vec<Vec<usize>> = (0..whole.teams.len()).map(|t| vec![t]).collect();
        selections.push((0..whole.teams.len()).collect());
        let (mut read, mut entries) = (0, 0);
        let mut date = from;
        while date <= to {
            for teams in &selections {
                for &language in languages {
                    let expected = planned_json(&whole, teams, date, language);
                    let day = opened
                        .due_day(teams, date, language)
                        .unwrap_or_else(|| panic!("{date}, teams {teams:?}: no day"));
                    let mut out = Vec::new();
                    crate::render::write_due_day_json(&mut out, opened.head(), &day).unwrap();
                    assert_eq!(
                        String::from_utf8(out).unwrap(),
                        String::from_utf8(expected).unwrap(),
                        "{date}, teams {teams:?}, {language}"
                    );
                    read += 1;
                    entries += day.len();
                }
            }
            date = date.tomorrow().unwrap();
        }
        (read, entries)
    }

    /// A day read straight from the cache's bytes is, byte for byte, the plan of that day
    /// rendered as JSON: every day of a year and more, every team alone and all of them,
    /// for a catalog with every kind of rule (crontab ones included), times, shifts and
    /// holidays.
    #[test]
    fn a_day_from_the_cache_is_the_plan_of_that_day() {
        let range = (
            jiff::civil::date(2026, 11, 1),
            jiff::civil::date(2028, 1, 10),
        );
        let (read, entries) = days_match_the_plan(ics_fixture(), range, &["en"]);
        assert!(read > 500, "{read} days read from the cache");
        assert!(entries > 2_000, "{entries} entries");
    }

    /// The shipped catalog's days, whose tasks have translations, fixed assignees and
    /// rotations (one of them by occurrences, one across every team), are read from the
    /// cache as the plan gives them: in English, in each language the catalog has text in,
    /// in a regional variant of one (French for `fr-CA`) and in one it has none for.
    #[test]
    fn a_translated_and_assigned_day_from_the_cache_is_the_plan_of_that_day() {
        let (tasks, roles) = shipped();
        let whole = load_valid_cached(&tasks, &roles, TODAY, None).unwrap();
        assert!(whole.tasks.iter().any(|t| !t.translations.is_empty()));
        assert!(
            whole
                .tasks
                .iter()
                .any(|t| t.assignment.is_some() && t.teams.len() > 1)
        );
        let range = (
            jiff::civil::date(2026, 10, 26),
            jiff::civil::date(2027, 1, 10),
        );
        let languages = ["en", "da", "fr", "ja", "fr-CA", "de"];
        // The plan names someone, and several teams' people for one entry, on this day.
        let all: Vec<usize> = (0..whole.teams.len()).collect();
        let monday = String::from_utf8(planned_json(&whole, &all, TODAY, "en")).unwrap();
        assert!(monday.contains("\"assignee\":\"") && monday.contains("\"assignees\":[{"));
        let (read, entries) = days_match_the_plan((tasks, roles), range, &languages);
        assert!(read > 1_000, "{read} days read from the cache");
        assert!(entries > 3_000, "{entries} entries");
    }

    /// What the day's path cannot answer as the plan would, it leaves to the plan: teams
    /// with calendars of their own, a catalog read whole.
    #[test]
    fn a_day_the_cache_cannot_answer_alone_is_left_to_the_plan() {
        let (tasks, roles) = shipped();
        let directory = tempfile::tempdir().unwrap();
        let settings = settings_in(directory.path());
        let whole = load_valid_cached(&tasks, &roles, TODAY, Some(&settings)).unwrap();
        let all: Vec<usize> = (0..whole.teams.len()).collect();
        let opened = open_cached(&tasks, &roles, TODAY, Some(&settings)).unwrap();
        assert!(matches!(opened, Opened::Compiled(_)));
        assert!(opened.due_day(&all, TODAY, "en").is_some());
        assert!(Opened::Whole(whole).due_day(&all, TODAY, "en").is_none());
        // Teams in zones of their own.
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/zones");
        let zoned_tasks = directory.path().join("tasks.yaml");
        let zoned_roles = directory.path().join("roles.yaml");
        std::fs::copy(fixture.join("tasks.yaml"), &zoned_tasks).unwrap();
        let roles_text = std::fs::read_to_string(fixture.join("roles.yaml"))
            .unwrap()
            .replace("    holidays_ics: holidays-dk-2027.ics\n", "");
        std::fs::write(&zoned_roles, roles_text).unwrap();
        let zoned = load_valid_cached(&zoned_tasks, &zoned_roles, TODAY, Some(&settings)).unwrap();
        assert!(zoned.has_team_calendars());
        let opened = open_cached(&zoned_tasks, &zoned_roles, TODAY, Some(&settings)).unwrap();
        assert!(matches!(opened, Opened::Compiled(_)));
        let all: Vec<usize> = (0..zoned.teams.len()).collect();
        assert!(opened.due_day(&all, TODAY, "en").is_none());
    }

    /// A task's text is one string with the ends of its parts: ends out of order, past the
    /// text or inside a character give nothing (and the task does not decode), never a
    /// panic or a string cut in the middle of a character; so do team and translation
    /// tables that are not whole entries.
    #[test]
    fn a_lean_part_whose_ends_do_not_fit_its_text_gives_nothing() {
        // "da", title "Titel", no description, no cadence.
        const DA: &[u8] = &[28, 0, 0, 0, 33, 0, 0, 0, 33, 0, 0, 0, 33, 0, 0, 0, 1];
        let text = "idTitleDescriptionæ dailydaTitel";
        let lean = |ends: [u32; 4], teams: &'static [u8], translations: &'static [u8]| Lean {
            text,
            ends,
            as_needed: false,
            assigned: false,
            teams,
            translations,
        };
        let good = lean([2, 7, 18, 26], &[1, 0, 0, 0], DA);
        assert_eq!(
            good.parts(),
            Some(["id", "Title", "Description", "æ daily"])
        );
        assert_eq!(good.teams().map(Iterator::collect), Some(vec![1]));
        assert_eq!(good.text_in("da-DK"), Ok(Some((Some("Titel"), None))));
        assert_eq!(good.text_in("fr"), Ok(None));
        let bytes = postcard::to_stdvec(&good).unwrap();
        assert_eq!(
            lean_at(&bytes, 0, bytes.len()).unwrap().parts(),
            good.parts()
        );
        // Inside "æ" (two bytes, at 18), past the end, out of order.
        for ends in [
            [2, 7, 19, 26],
            [2, 7, 18, 34],
            [7, 2, 18, 26],
            [u32::MAX, 7, 18, 26],
        ] {
            let bad = lean(ends, &[1, 0, 0, 0], DA);
            assert_eq!(bad.parts(), None, "{ends:?}");
            let bytes = postcard::to_stdvec(&bad).unwrap();
            assert!(lean_at(&bytes, 0, bytes.len()).is_some());
            assert!(decode_task(&bytes).is_none());
        }
        assert!(lean([2, 7, 18, 26], &[1, 0, 0], DA).teams().is_none());
        assert_eq!(
            lean([2, 7, 18, 26], &[1, 0, 0, 0], &DA[..16]).text_in("da"),
            Err(())
        );
        // A language code inside "æ".
        let inside: &[u8] = &[19, 0, 0, 0, 32, 0, 0, 0, 32, 0, 0, 0, 32, 0, 0, 0, 1];
        assert_eq!(lean([2, 7, 18, 18], &[], inside).text_in("da"), Err(()));
    }

    /// A cache whose tasks' first part does not decode, or whose ranks do not fit the
    /// catalog, vouched for by its hash (a writer with a bug), gives no day: the plan's way
    /// then finds the damage, reads the YAML and replaces the file.
    #[test]
    fn a_day_is_not_read_from_a_layout_that_does_not_hold_together() {
        let (tasks, roles) = ics_fixture();
        let directory = tempfile::tempdir().unwrap();
        let mut parsed = load_valid_cached(&tasks, &roles, TODAY, None).unwrap();
        let all: Vec<usize> = (0..parsed.teams.len()).collect();
        let file = directory.path().join(file_name(&tasks, &roles));
        let key = content_key("test", &tasks, &roles).unwrap();
        let payload = encode(&mut parsed).unwrap();
        let mut parts = Vec::new();
        let mut rest = payload.as_slice();
        for _ in 0..3 {
            let length = u64::from_le_bytes(rest[..8].try_into().unwrap()) as usize;
            parts.push(rest[8..8 + length].to_vec());
            rest = &rest[8 + length..];
        }
        let bodies = rest.to_vec();
        // The day's first task ("morning-check", daily) is due today; the good file gives
        // the day.
        assert!(
            read_cache_of(&file, &key, &payload)
                .map(Opened::Compiled)
                .unwrap()
                .due_day(&all, TODAY, "en")
                .is_some_and(|day| !day.is_empty())
        );
        let mut garbled = bodies.clone();
        garbled[..8].fill(0xff);
        // Every schedule's rank one past the last task.
        let mut schedules = parts[1].as_slice();
        let mut ranks_past = Vec::new();
        while !schedules.is_empty() {
            let (mut pick, rest) = postcard::take_from_bytes::<Pick>(schedules).unwrap();
            pick.rank = u32::try_from(parsed.tasks.len()).unwrap();
            ranks_past = postcard::to_extend(&pick, ranks_past).unwrap();
            schedules = rest;
        }
        for (case, payload) in [
            assemble([&parts[0], &parts[1], &parts[2]], &garbled),
            assemble([&parts[0], &ranks_past, &parts[2]], &bodies),
        ]
        .iter()
        .enumerate()
        {
            let compiled = read_cache_of(&file, &key, payload).expect("the hash vouches for it");
            assert!(
                Opened::Compiled(compiled)
                    .due_day(&all, TODAY, "en")
                    .is_none(),
                "case {case}"
            );
        }
    }

    /// A task's encoding reads back as the task, whatever its fields hold.
    #[test]
    fn tasks_round_trip_through_their_two_part_encoding() {
        let (tasks, roles) = shipped();
        let whole = load_valid_cached(&tasks, &roles, TODAY, None).unwrap();
        for task in &whole.tasks {
            let bytes = encode_task(task, Vec::new()).unwrap();
            let back = decode_task(&bytes).unwrap();
            assert_eq!(format!("{back:?}"), format!("{task:?}"));
            let lean = lean_at(&bytes, 0, bytes.len()).unwrap();
            let parts = [
                &task.id,
                &task.title,
                &task.description,
                &task.canonical_cadence,
            ];
            assert_eq!(lean.parts(), Some(parts.map(String::as_str)));
            assert_eq!(lean.assigned, task.assignment.is_some());
            assert_eq!(
                lean.teams().map(Iterator::collect),
                Some(task.teams.clone())
            );
            for language in ["da", "fr-CA", "ja", "de"] {
                let expected = super::super::model::translation(&task.translations, language)
                    .map(|t| (t.title.as_deref(), t.description.as_deref()));
                assert_eq!(lean.text_in(language), Ok(expected), "{language}");
            }
            assert!(decode_task(&bytes[..bytes.len() - 1]).is_none());
        }
    }

    /// A schedule's team list reads back as written, from none to more teams than it holds
    /// inline, in the encoding of a `Vec<usize>`.
    #[test]
    fn team_lists_round_trip_in_the_encoding_of_a_vector() {
        for teams in [vec![], vec![7], vec![0, 2, 1], vec![5, 4, 3, 2, 1, 300]] {
            let bytes = postcard::to_stdvec(&Teams::of(&teams)).unwrap();
            assert_eq!(bytes, postcard::to_stdvec(&teams).unwrap());
            let back: Teams = postcard::from_bytes(&bytes).unwrap();
            assert_eq!(back.iter().collect::<Vec<_>>(), teams);
        }
    }

    /// A compiled catalog carries its crontab rules compiled: a new process reading it
    /// parses no expression (croner's parse costs some 200,000 instructions each), and the
    /// rules fall on the days the catalog parsed from YAML gives.
    #[test]
    fn crontab_rules_are_read_from_the_cache_without_parsing() {
        let (tasks, roles) = ics_fixture();
        let directory = tempfile::tempdir().unwrap();
        let settings = settings_in(directory.path());
        let whole = load_valid_cached(&tasks, &roles, TODAY, None).unwrap();
        load_valid_cached(&tasks, &roles, TODAY, Some(&settings)).unwrap();
        crate::cadence::forget_parsed();
        let parses = || crate::cadence::CRONER_PARSES.with(std::cell::Cell::get);
        let before = parses();
        let cached = load_valid_cached(&tasks, &roles, TODAY, Some(&settings)).unwrap();
        let (from, to) = (
            jiff::civil::date(2026, 1, 1),
            jiff::civil::date(2026, 12, 31),
        );
        let teams: Vec<usize> = (0..whole.teams.len()).collect();
        let view = crate::plan::View::Range;
        let got = crate::plan::plan(&cached, from, to, &teams, view).unwrap();
        assert_eq!(parses(), before, "no crontab expression parsed");
        let expected = crate::plan::plan(&whole, from, to, &teams, view).unwrap();
        let dates = |catalog: &Catalog, plan: &crate::plan::Plan| -> Vec<(String, Date)> {
            plan.occurrences
                .iter()
                .filter(|o| catalog.tasks[o.task].cadence_text.starts_with("cron:"))
                .map(|o| (catalog.tasks[o.task].id.clone(), o.date))
                .collect()
        };
        let crontab = dates(&cached, &got);
        // "0 7 1 * 1" (the 1st or a Monday) falls on the 52 Mondays of 2026 and the 1st of
        // the 11 months that do not begin on one (June does).
        let either = crontab.iter().filter(|(id, _)| id == "cron-either").count();
        assert_eq!(either, 52 + 11);
        assert_eq!(crontab, dates(&whole, &expected));
    }

    #[test]
    fn the_key_of_the_files_on_disk_is_the_key_of_their_bytes() {
        let (tasks, roles) = shipped();
        let bytes = [
            std::fs::read(&tasks).unwrap(),
            std::fs::read(&roles).unwrap(),
        ];
        let from_bytes = key_of(
            "b",
            bytes.each_ref().map(|b| (b.len() as u64, blake3::hash(b))),
        );
        assert_eq!(content_key("b", &tasks, &roles), Some(from_bytes));
        assert_ne!(content_key("other build", &tasks, &roles), Some(from_bytes));
        // The two files' roles matter, not only their bytes.
        assert_ne!(content_key("b", &roles, &tasks), Some(from_bytes));
    }

    #[cfg(unix)]
    #[test]
    fn a_cache_file_others_can_write_is_not_read() {
        use std::os::unix::fs::PermissionsExt;
        let (tasks, roles) = shipped();
        let directory = tempfile::tempdir().unwrap();
        let settings = settings_in(directory.path());
        load_valid_cached(&tasks, &roles, TODAY, Some(&settings)).unwrap();
        let file = directory.path().join(file_name(&tasks, &roles));
        let key = content_key("test", &tasks, &roles).unwrap();
        assert!(
            read_cache(&file, &key, TODAY).is_some(),
            "the user's own 0600 file is read"
        );
        assert_eq!(
            std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o600
        );
        for mode in [0o666, 0o620, 0o602] {
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode)).unwrap();
            assert!(
                read_cache(&file, &key, TODAY).is_none(),
                "mode {mode:o} is refused"
            );
        }
        // The next load misses and writes a private file in its place.
        load_valid_cached(&tasks, &roles, TODAY, Some(&settings)).unwrap();
        assert_eq!(
            std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }

    #[test]
    fn an_unwritable_cache_directory_only_costs_speed() {
        let (tasks, roles) = shipped();
        let directory = tempfile::tempdir().unwrap();
        let blocker = directory.path().join("file");
        std::fs::write(&blocker, "").unwrap();
        let settings = CacheSettings {
            // A directory inside a regular file can never be created.
            directory: blocker.join("cache"),
            build: "test".to_owned(),
        };
        assert!(load_valid_cached(&tasks, &roles, TODAY, Some(&settings)).is_ok());
    }
}
