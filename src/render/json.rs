//! JSON output: serde on the same data the other formats show.

use std::io::{self, Write};

use jiff::civil::{Date, Time};
use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};

use super::{DateTexts, RenderOptions};
use crate::catalog::Catalog;
use crate::plan::{Carried, Plan, PlannedOccurrence};
use crate::track::completion::{Report, Tally};

/// Writes any serializable value as pretty JSON followed by a newline.
pub fn write_json(out: &mut (impl Write + ?Sized), value: &impl Serialize) -> io::Result<()> {
    let mut serializer =
        serde_json::Serializer::with_formatter(&mut *out, Escaping(PrettyFormatter::new()));
    // `io::Error::from` keeps the kind, so a closed pipe is still recognised as one.
    value.serialize(&mut serializer).map_err(io::Error::from)?;
    writeln!(out)
}

/// Whether a JSON string holds `c` as a `\u` escape beyond what JSON requires: DEL, the C1
/// controls (U+0080 to U+009F; U+009B alone is a terminal's CSI) and the bidirectional
/// controls, so JSON shown on a terminal or in an editor cannot run or reorder anything.
fn escaped_beyond_json(c: char) -> bool {
    matches!(c, '\u{7f}'..='\u{9f}') || super::terminal::is_bidi_control(c)
}

/// A serde_json formatter that also writes the characters [`escaped_beyond_json`] as `\u`
/// escapes; everything else it leaves to the formatter it wraps.
struct Escaping<F>(F);

impl<F: Formatter> Formatter for Escaping<F> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (index, c) in fragment.char_indices() {
            if escaped_beyond_json(c) {
                writer.write_all(&fragment.as_bytes()[start..index])?;
                write!(writer, "\\u{:04x}", u32::from(c))?;
                start = index + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_array(writer)
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object(writer)
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(writer, first)
    }

    fn end_object_key<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_key(writer)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_value(writer)
    }
}

/// Whether `text` goes into a JSON string as it is: no quote, backslash, control character
/// or anything else [`escaped_beyond_json`].
fn is_plain(text: &str) -> bool {
    let bytes = text.as_bytes();
    // Printable ASCII without a quote or backslash, the usual case: eight bytes at a time.
    let mut words = bytes.chunks_exact(8);
    if words.all(|word| is_plain_ascii(u64::from_le_bytes(word.try_into().unwrap_or([0; 8]))))
        && words
            .remainder()
            .iter()
            .all(|&byte| (0x20..0x7f).contains(&byte) && byte != b'"' && byte != b'\\')
    {
        return true;
    }
    bytes.iter().enumerate().all(|(index, &byte)| match byte {
        b'"' | b'\\' | 0..=0x1f | 0x7f => false,
        // U+0080 to U+009F are C2 80 to C2 9F.
        0xc2 => !matches!(bytes.get(index + 1), Some(0x80..=0x9f)),
        // U+202A to U+202E are E2 80 AA to AE, U+2066 to U+2069 are E2 81 A6 to A9.
        0xe2 => !matches!(
            (bytes.get(index + 1), bytes.get(index + 2)),
            (Some(0x80), Some(0xaa..=0xae)) | (Some(0x81), Some(0xa6..=0xa9))
        ),
        _ => true,
    })
}

/// Whether all eight bytes of `word` are printable ASCII (0x20 to 0x7e) other than `"` and
/// `\\`, tested together: a byte's high bit in each mask below is set when it is below 0x20,
/// 0x7f or above, a quote, or a backslash.
fn is_plain_ascii(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A byte that is zero sets its high bit here (the classic has-zero-byte test); the
    // borrow it may pass on only ever reaches a byte above one that is already flagged.
    let zero = |w: u64| w.wrapping_sub(ONES) & !w & HIGH;
    let below_space = word.wrapping_sub(ONES * 0x20) & !word & HIGH;
    // Adding 1 carries into the high bit for 0x7f; the high bit itself is non-ASCII.
    let del_or_high = (word | (word & !HIGH).wrapping_add(ONES)) & HIGH;
    let quote = zero(word ^ (ONES * u64::from(b'"')));
    let backslash = zero(word ^ (ONES * u64::from(b'\\')));
    below_space | del_or_high | quote | backslash == 0
}

/// Appends a number as exactly `width` decimal digits (callers pass values that fit).
fn push_digits(buffer: &mut Vec<u8>, value: u32, width: u32) {
    // Constant divisors: the compiler turns each into a multiplication.
    let digits = [
        (value / 1000 % 10) as u8,
        (value / 100 % 10) as u8,
        (value / 10 % 10) as u8,
        (value % 10) as u8,
    ];
    let width = width.min(4) as usize;
    buffer.extend(digits[4 - width..].iter().map(|digit| b'0' + digit));
}

/// Appends `"YYYY-MM-DD"`. Dates are years 1 to 9999, always four digits, as ISO 8601 and
/// `Date`'s `Display` write them.
fn push_date(buffer: &mut Vec<u8>, date: Date) {
    buffer.push(b'"');
    buffer.extend_from_slice(&super::iso_date(date));
    buffer.push(b'"');
}

/// Appends `"HH:MM"`.
fn push_time(buffer: &mut Vec<u8>, time: Time) {
    buffer.push(b'"');
    push_digits(buffer, time.hour().unsigned_abs().into(), 2);
    buffer.push(b':');
    push_digits(buffer, time.minute().unsigned_abs().into(), 2);
    buffer.push(b'"');
}

fn push_optional_date(buffer: &mut Vec<u8>, date: Option<Date>) {
    match date {
        Some(date) => push_date(buffer, date),
        None => buffer.extend_from_slice(b"null"),
    }
}

fn push_string(buffer: &mut Vec<u8>, text: &str) {
    // Most catalog text needs no escaping: copy it. Anything else (quotes, backslashes,
    // control characters) goes through serde_json's escaper, as `write_json` does.
    if is_plain(text) {
        buffer.reserve(text.len() + 2);
        buffer.push(b'"');
        buffer.extend_from_slice(text.as_bytes());
        buffer.push(b'"');
    } else {
        let mut serializer =
            serde_json::Serializer::with_formatter(&mut *buffer, Escaping(CompactFormatter));
        // Serializing a &str into a Vec cannot fail.
        let _ = text.serialize(&mut serializer);
    }
}

/// The per-occurrence fields: date, time, window, and the journal's view of it.
fn push_occurrence(buffer: &mut Vec<u8>, occurrence: &PlannedOccurrence) {
    buffer.extend_from_slice(b",\"date\":");
    push_date(buffer, occurrence.date);
    buffer.extend_from_slice(b",\"time\":");
    match occurrence.time {
        Some(time) => push_time(buffer, time),
        None => buffer.extend_from_slice(b"null"),
    }
    buffer.extend_from_slice(b",\"window_end\":");
    push_optional_date(buffer, occurrence.window_end);
    buffer.extend_from_slice(b",\"status\":");
    match occurrence.status {
        Some(status) => push_string(buffer, status.as_str()),
        None => buffer.extend_from_slice(b"null"),
    }
    let done = occurrence
        .settled_by
        .as_ref()
        .filter(|r| r.action == crate::journal::Action::Done);
    buffer.extend_from_slice(b",\"done_at\":");
    push_optional_date(buffer, done.map(|r| r.on));
    buffer.extend_from_slice(b",\"done_by\":");
    match done {
        Some(record) => push_string(buffer, &record.by),
        None => buffer.extend_from_slice(b"null"),
    }
    buffer.extend_from_slice(b",\"reason\":");
    match super::skip_reason(occurrence) {
        Some(reason) => push_string(buffer, reason),
        None => buffer.extend_from_slice(b"null"),
    }
}

/// A carried-over entry: its last due date as `date`, with `carried`, `count` and `since`.
fn push_carried(buffer: &mut Vec<u8>, carried: &Carried) {
    buffer.extend_from_slice(b",\"date\":");
    push_date(buffer, carried.last);
    buffer.extend_from_slice(b",\"time\":null,\"window_end\":null,\"status\":");
    push_string(buffer, carried.status.as_str());
    buffer.extend_from_slice(
        b",\"done_at\":null,\"done_by\":null,\"reason\":null,\"carried\":true,\"count\":",
    );
    buffer.extend_from_slice(carried.count.to_string().as_bytes());
    buffer.extend_from_slice(b",\"since\":");
    push_date(buffer, carried.since);
    buffer.extend_from_slice(b",\"deadline\":");
    match carried.deadline {
        // A civil date and time in the catalog's zone, as jiff writes it (`2026-11-17T00:00:00`).
        Some(deadline) => push_string(buffer, &deadline.strftime("%Y-%m-%dT%H:%M:%S").to_string()),
        None => buffer.extend_from_slice(b"null"),
    }
}

/// Writes a plan as one JSON array with one occurrence object per line: valid JSON that
/// also greps and diffs line by line.
///
/// Each object holds `task`, `title`, `teams`, `date`, `time`, `window_end`, `cadence`,
/// `as_needed` and `description`. The task's own fields are serialized once per task and
/// reused: a year's plan repeats them for every occurrence.
pub(super) fn plan(
    out: &mut (impl Write + ?Sized),
    catalog: &Catalog,
    plan: &Plan,
    options: &RenderOptions,
) -> io::Result<()> {
    let mut writer = PlanWriter::new(catalog, options);
    for carried in &plan.carried {
        writer.carried(out, carried)?;
    }
    writer.occurrences(out, &plan.occurrences)?;
    writer.finish(out)
}

/// Writes a plan's JSON array piece by piece, for plans computed a day at a time
/// ([`crate::plan::stream`]): the same bytes as the whole-plan renderer.
pub struct PlanWriter<'a> {
    catalog: &'a Catalog,
    options: &'a RenderOptions,
    /// Where each task's fragments are in `fragments`, plus one; [`UNSEEN`] before its
    /// first entry, [`SEEN_ONCE`] after it (fragments are made for a second entry).
    slots: Vec<u32>,
    /// Tasks' serialized fields before and after the occurrence's own, one after another
    /// in the order first needed: a plan's next day needs them in nearly the same order,
    /// close together.
    kept: Vec<u8>,
    /// Where each task's fields are in `kept`: start, end of the head, end of the tail.
    fragments: Vec<(u32, u32, u32)>,
    buffer: Vec<u8>,
    written: usize,
    assigner: crate::people::Assigner<'a>,
    /// Whether each task names an assignee or rotation, side by side: most entries need
    /// nothing else of their task, which then stays out of the processor's caches (a
    /// year of a 100,000-task catalog otherwise waits on memory for every entry).
    assigned: Vec<bool>,
    /// [`Catalog::has_team_calendars`], looked up once rather than for every entry.
    team_calendars: bool,
    /// The text of the dates written.
    dates: DateTexts,
    /// For a plan streamed by position ([`Self::day`]): each task's entry around its own
    /// fields, by the task's position in the output order, one after another in that
    /// order, so that a day's entries read them in memory order.
    by_position: Vec<u8>,
    /// Where each position's entry is in `by_position`: start (its `,\n{`), end of the
    /// part before the date, end. `end` is 0 before the task's first entry; `start` is
    /// [`ASSIGNED`] for a task that names an assignee (its entries are written whole).
    spans: Vec<(u32, u32, u32)>,
    /// Each group's part of an entry from its date to its window's end
    /// ([`crate::plan::Current`]), and the day it was made for (a count of [`Self::day`]s).
    middles: Vec<(u32, Vec<u8>)>,
    /// How many days [`Self::day`] has written.
    days: u32,
}

/// [`PlanWriter::spans`]' start of a task whose entries are not made from kept parts.
const ASSIGNED: u32 = u32::MAX;

/// How much of a plan the writers gather before writing it out.
const FLUSH_AT: usize = 256 * 1024;

impl<'a> PlanWriter<'a> {
    /// A writer for occurrences of `catalog`'s tasks, text in `options`' language.
    pub fn new(catalog: &'a Catalog, options: &'a RenderOptions) -> Self {
        let mut buffer = Vec::with_capacity(64 * 1024);
        buffer.push(b'[');
        Self {
            catalog,
            options,
            slots: vec![0; catalog.tasks.len()],
            kept: Vec::new(),
            fragments: Vec::new(),
            buffer,
            written: 0,
            assigner: crate::people::Assigner::new(catalog, &options.cover),
            assigned: catalog
                .tasks
                .iter()
                .map(|task| task.assignment.is_some())
                .collect(),
            team_calendars: catalog.has_team_calendars(),
            dates: DateTexts::new(),
            by_position: Vec::new(),
            spans: Vec::new(),
            middles: Vec::new(),
            days: 0,
        }
    }

    /// Writes a day of a plan streamed by position ([`crate::plan::stream_entries`]): the
    /// bytes [`Self::occurrences`] writes for the same occurrences. An entry of a task
    /// that names nobody is three copies: the task's part up to the date, the group's
    /// date, time and window end, and the task's part after them.
    pub(crate) fn day(
        &mut self,
        out: &mut (impl Write + ?Sized),
        day: &crate::plan::Day<'_>,
    ) -> io::Result<()> {
        if self.spans.len() != day.tasks.len() {
            self.spans = vec![(0, 0, 0); day.tasks.len()];
        }
        if self.middles.len() < day.current.len() {
            self.middles.resize(day.current.len(), (0, Vec::new()));
        }
        self.days += 1;
        let date = super::iso_date(day.date);
        for entry in day.entries {
            let position = entry.position as usize;
            let task = day.tasks[position];
            if self.spans[position].2 == 0 {
                self.spans[position] = self.span(task);
            }
            let (start, middle, end) = self.spans[position];
            let current = day.current[entry.group as usize];
            if start == ASSIGNED {
                self.occurrences(out, std::slice::from_ref(&day.occurrence(*entry)))?;
                continue;
            }
            let (made, text) = &mut self.middles[entry.group as usize];
            if *made != self.days {
                *made = self.days;
                text.clear();
                text.extend_from_slice(&date);
                match current.time {
                    Some(time) => {
                        text.extend_from_slice(b"\",\"time\":");
                        push_time(text, time);
                    }
                    None => text.extend_from_slice(b"\",\"time\":null"),
                }
                text.extend_from_slice(b",\"window_end\":");
                push_optional_date(text, current.window_end);
            }
            // The first entry has no comma before it.
            let skip = usize::from(self.written == 0);
            self.written += 1;
            let buffer = &mut self.buffer;
            buffer.extend_from_slice(&self.by_position[start as usize + skip..middle as usize]);
            buffer.extend_from_slice(text);
            buffer.extend_from_slice(&self.by_position[middle as usize..end as usize]);
            if buffer.len() >= FLUSH_AT {
                out.write_all(buffer)?;
                buffer.clear();
            }
        }
        Ok(())
    }

    /// Makes a task's [`Self::spans`] entry, its parts appended to `by_position`.
    fn span(&mut self, task: usize) -> (u32, u32, u32) {
        if self.assigned[task] {
            return (ASSIGNED, 0, 1);
        }
        let kept = &mut self.by_position;
        // Offsets fit: a catalog file holds far less than 4 GB of text.
        let start = kept.len() as u32;
        kept.extend_from_slice(b",\n{");
        push_task_head(kept, self.catalog, task, self.options);
        kept.extend_from_slice(b",\"date\":\"");
        let middle = kept.len() as u32;
        kept.extend_from_slice(
            b",\"status\":null,\"done_at\":null,\"done_by\":null,\"reason\":null,\"assignee\":null,",
        );
        push_task_tail(kept, self.catalog, task, self.options);
        kept.push(b'}');
        (start, middle, kept.len() as u32)
    }

    /// Writes a carried-over entry (these come before any occurrence).
    pub fn carried(
        &mut self,
        out: &mut (impl Write + ?Sized),
        carried: &Carried,
    ) -> io::Result<()> {
        self.open_object(carried.task);
        push_carried(&mut self.buffer, carried);
        self.push_team(carried.team);
        self.push_zone(carried.task, carried.team);
        self.buffer.extend_from_slice(b",\"assignee\":null");
        self.close_object(carried.task, out)
    }

    /// Writes occurrences, in the order given.
    pub fn occurrences(
        &mut self,
        out: &mut (impl Write + ?Sized),
        occurrences: &[PlannedOccurrence],
    ) -> io::Result<()> {
        for occurrence in occurrences {
            if self.plain(occurrence) && self.slots[occurrence.task] != UNSEEN {
                self.plain_entry(out, occurrence)?;
                continue;
            }
            self.open_object(occurrence.task);
            push_occurrence(&mut self.buffer, occurrence);
            self.push_team(occurrence.team);
            self.push_zone(occurrence.task, occurrence.team);
            self.push_assignee(occurrence);
            self.close_object(occurrence.task, out)?;
        }
        Ok(())
    }

    /// Whether an entry has nothing but its task, its date, time and window: no journal,
    /// no team of its own, no zone, nobody assigned (a plan without a journal of a
    /// catalog that names nobody is all such entries).
    fn plain(&self, occurrence: &PlannedOccurrence) -> bool {
        occurrence.status.is_none()
            && occurrence.settled_by.is_none()
            && occurrence.team.is_none()
            && !self.team_calendars
            && !self.assigned[occurrence.task]
    }

    /// Writes a [`Self::plain`] entry of a task with an entry written before: what
    /// [`Self::open_object`], [`push_occurrence`], [`Self::push_assignee`] and
    /// [`Self::close_object`] write, in one go, its dates from [`DateTexts`].
    fn plain_entry(
        &mut self,
        out: &mut (impl Write + ?Sized),
        occurrence: &PlannedOccurrence,
    ) -> io::Result<()> {
        let slot = self.slot(occurrence.task);
        let (start, head, end) = self.fragments[slot];
        let (start, head, end) = (start as usize, head as usize, end as usize);
        let date = self.dates.text(occurrence.date);
        let window_end = occurrence.window_end.map(|end| self.dates.text(end));
        let buffer = &mut self.buffer;
        buffer.reserve(end - start + 200);
        buffer.extend_from_slice(if self.written == 0 { b"\n{" } else { b",\n{" });
        self.written += 1;
        buffer.extend_from_slice(&self.kept[start..head]);
        buffer.extend_from_slice(b",\"date\":\"");
        buffer.extend_from_slice(&date);
        match occurrence.time {
            Some(time) => {
                buffer.extend_from_slice(b"\",\"time\":");
                push_time(buffer, time);
            }
            None => buffer.extend_from_slice(b"\",\"time\":null"),
        }
        match window_end {
            Some(text) => {
                buffer.extend_from_slice(b",\"window_end\":\"");
                buffer.extend_from_slice(&text);
                buffer.push(b'"');
            }
            None => buffer.extend_from_slice(b",\"window_end\":null"),
        }
        buffer.extend_from_slice(
            b",\"status\":null,\"done_at\":null,\"done_by\":null,\"reason\":null,\"assignee\":null,",
        );
        buffer.extend_from_slice(&self.kept[head..end]);
        buffer.push(b'}');
        if buffer.len() >= 60 * 1024 {
            out.write_all(buffer)?;
            buffer.clear();
        }
        Ok(())
    }

    /// `"team"`, for the occurrence of one team of a task of several (which a tracked plan
    /// holds once per team); left out when the entry is every team's.
    fn push_team(&mut self, team: Option<usize>) {
        if let Some(team) = team {
            self.buffer.extend_from_slice(b",\"team\":");
            push_string(&mut self.buffer, &self.catalog.teams[team].id);
        }
    }

    /// `"time_zone"`, the zone of the entry's date and time (its team's), when teams keep
    /// zones or holidays of their own; left out otherwise (the catalog's zone throughout).
    fn push_zone(&mut self, task: usize, team: Option<usize>) {
        if !self.team_calendars {
            return;
        }
        let name = super::occurrence_zone(self.catalog, task, team);
        self.buffer.extend_from_slice(b",\"time_zone\":");
        push_string(&mut self.buffer, name);
    }

    /// `"assignee"`: the member id, `null` when the task names nobody or nobody is
    /// available. An entry of several teams (no `"team"`) has `null` there and, for a task
    /// that is assigned, `"assignees"`: `[{"team", "member"}]`, one per team in `teams`.
    fn push_assignee(&mut self, occurrence: &PlannedOccurrence) {
        if !self.assigned[occurrence.task] {
            self.buffer.extend_from_slice(b",\"assignee\":null");
            return;
        }
        let task = &self.catalog.tasks[occurrence.task];
        let owners = self.assigner.teams_of(occurrence, &task.teams);
        if let [team] = owners[..] {
            self.buffer.extend_from_slice(b",\"assignee\":");
            match self.assigner.of(occurrence, team).member() {
                Some(member) => push_string(&mut self.buffer, &member.id),
                None => self.buffer.extend_from_slice(b"null"),
            }
            return;
        }
        self.buffer
            .extend_from_slice(b",\"assignee\":null,\"assignees\":[");
        for (position, &team) in owners.iter().enumerate() {
            if position > 0 {
                self.buffer.push(b',');
            }
            self.buffer.extend_from_slice(b"{\"team\":");
            push_string(&mut self.buffer, &self.catalog.teams[team].id);
            self.buffer.extend_from_slice(b",\"member\":");
            match self.assigner.of(occurrence, team).member() {
                Some(member) => push_string(&mut self.buffer, &member.id),
                None => self.buffer.extend_from_slice(b"null"),
            }
            self.buffer.push(b'}');
        }
        self.buffer.push(b']');
    }

    /// Closes the array and writes what is left.
    pub fn finish(mut self, out: &mut (impl Write + ?Sized)) -> io::Result<()> {
        self.buffer
            .extend_from_slice(if self.written == 0 { b"]\n" } else { b"\n]\n" });
        out.write_all(&self.buffer)
    }

    fn open_object(&mut self, task_index: usize) {
        self.buffer
            .extend_from_slice(if self.written == 0 { b"\n{" } else { b",\n{" });
        self.written += 1;
        match self.slots[task_index] {
            // A task's first entry: its fields go straight into the output. A day lists most
            // tasks once, and keeping their fragments would only cost memory.
            UNSEEN => {
                self.slots[task_index] = SEEN_ONCE;
                push_task_head(&mut self.buffer, self.catalog, task_index, self.options);
            }
            _ => {
                let slot = self.slot(task_index);
                let (start, head, _) = self.fragments[slot];
                self.buffer
                    .extend_from_slice(&self.kept[start as usize..head as usize]);
            }
        }
    }

    fn close_object(
        &mut self,
        task_index: usize,
        out: &mut (impl Write + ?Sized),
    ) -> io::Result<()> {
        self.buffer.push(b',');
        match self.slots[task_index] {
            SEEN_ONCE => push_task_tail(&mut self.buffer, self.catalog, task_index, self.options),
            _ => {
                let slot = self.slot(task_index);
                let (_, head, end) = self.fragments[slot];
                self.buffer
                    .extend_from_slice(&self.kept[head as usize..end as usize]);
            }
        }
        self.buffer.push(b'}');
        if self.buffer.len() >= 60 * 1024 {
            out.write_all(&self.buffer)?;
            self.buffer.clear();
        }
        Ok(())
    }

    /// Where a task's fragments are, serializing its fields the first time they are
    /// needed again (its second entry).
    fn slot(&mut self, task_index: usize) -> usize {
        match self.slots[task_index] {
            UNSEEN | SEEN_ONCE => {}
            slot => return slot as usize - 1,
        }
        // Offsets fit: a catalog file holds far less than 4 GB of text.
        let start = self.kept.len() as u32;
        push_task_head(&mut self.kept, self.catalog, task_index, self.options);
        let head = self.kept.len() as u32;
        push_task_tail(&mut self.kept, self.catalog, task_index, self.options);
        self.fragments.push((start, head, self.kept.len() as u32));
        self.slots[task_index] = self.fragments.len() as u32;
        self.fragments.len() - 1
    }
}

/// Writes a day read straight from a compiled catalog ([`crate::catalog::Opened::due_day`])
/// as [`plan`] writes that day's plan without a journal: the same bytes, with no [`Plan`]
/// and no decoded task in between but those naming an assignee. `head` is the catalog the
/// day was read from (for the teams' ids, members and rotations' calendars); without a
/// journal there is no leave and no swap, so who does an occurrence is the catalog's say.
pub fn due_day(
    out: &mut (impl Write + ?Sized),
    head: &Catalog,
    day: &crate::catalog::DueDay<'_>,
) -> io::Result<()> {
    let teams: Vec<Vec<u8>> = head
        .teams
        .iter()
        .map(|team| {
            let mut id = Vec::new();
            push_string(&mut id, &team.id);
            id
        })
        .collect();
    let team_id = |team: usize| teams.get(team).map_or(&b"null"[..], Vec::as_slice);
    let cover = crate::people::Cover::none();
    // One rota per assigned task and team, asked in the day's order, as the plan's
    // writer asks its [`crate::people::Assigner`].
    let mut rotas: Vec<Vec<(usize, crate::people::Rota<'_>)>> =
        (0..day.assigned_tasks()).map(|_| Vec::new()).collect();
    let mut buffer = Vec::with_capacity(64 * 1024);
    buffer.push(b'[');
    let mut written = 0_usize;
    for entry in day.entries() {
        buffer.extend_from_slice(if written == 0 { b"\n{" } else { b",\n{" });
        written += 1;
        buffer.extend_from_slice(b"\"task\":");
        push_string(&mut buffer, entry.id);
        buffer.extend_from_slice(b",\"title\":");
        push_string(&mut buffer, entry.title);
        buffer.extend_from_slice(b",\"teams\":[");
        for (position, team) in entry.teams().enumerate() {
            if position > 0 {
                buffer.push(b',');
            }
            // Team indexes were checked against the catalog's teams when the day was read.
            buffer.extend_from_slice(team_id(team));
        }
        buffer.extend_from_slice(b"],\"date\":");
        push_date(&mut buffer, entry.date);
        buffer.extend_from_slice(b",\"time\":");
        match entry.time {
            Some(time) => push_time(&mut buffer, time),
            None => buffer.extend_from_slice(b"null"),
        }
        buffer.extend_from_slice(b",\"window_end\":");
        push_optional_date(&mut buffer, entry.window_end);
        buffer.extend_from_slice(
            b",\"status\":null,\"done_at\":null,\"done_by\":null,\"reason\":null,\"assignee\":",
        );
        match entry.assigned {
            None => buffer.extend_from_slice(b"null"),
            Some((index, task)) => {
                let mut who = |team: usize| {
                    let kept = &mut rotas[index];
                    let position = match kept.iter().position(|(t, _)| *t == team) {
                        Some(position) => position,
                        None => {
                            kept.push((team, crate::people::Rota::new(head, task, team, &cover)));
                            kept.len() - 1
                        }
                    };
                    kept[position].1.assignee(entry.date, entry.time)
                };
                let mut push_member = |buffer: &mut Vec<u8>, team: usize| match who(team) {
                    Some(member) => push_string(buffer, &member.id),
                    None => buffer.extend_from_slice(b"null"),
                };
                if let [team] = task.teams[..] {
                    push_member(&mut buffer, team);
                } else {
                    buffer.extend_from_slice(b"null,\"assignees\":[");
                    for (position, &team) in task.teams.iter().enumerate() {
                        if position > 0 {
                            buffer.push(b',');
                        }
                        buffer.extend_from_slice(b"{\"team\":");
                        buffer.extend_from_slice(team_id(team));
                        buffer.extend_from_slice(b",\"member\":");
                        push_member(&mut buffer, team);
                        buffer.push(b'}');
                    }
                    buffer.push(b']');
                }
            }
        }
        buffer.extend_from_slice(b",\"cadence\":");
        push_string(&mut buffer, entry.cadence);
        buffer.extend_from_slice(if entry.as_needed {
            b",\"as_needed\":true,\"description\":"
        } else {
            b",\"as_needed\":false,\"description\":"
        });
        push_string(&mut buffer, entry.description);
        buffer.push(b'}');
        if buffer.len() >= 60 * 1024 {
            out.write_all(&buffer)?;
            buffer.clear();
        }
    }
    buffer.extend_from_slice(if written == 0 { b"]\n" } else { b"\n]\n" });
    out.write_all(&buffer)
}

/// [`PlanWriter::slots`] of a task none of whose entries is written yet.
const UNSEEN: u32 = 0;
/// [`PlanWriter::slots`] of a task with one entry written, its fields not kept.
const SEEN_ONCE: u32 = u32::MAX;

/// A task's fields before the entry's own: `"task"`, `"title"`, `"teams"` (the same fields,
/// in the same order, as `TaskHead` serializes).
fn push_task_head(buffer: &mut Vec<u8>, catalog: &Catalog, task: usize, options: &RenderOptions) {
    let task = &catalog.tasks[task];
    buffer.extend_from_slice(b"\"task\":");
    push_string(buffer, &task.id);
    buffer.extend_from_slice(b",\"title\":");
    push_string(buffer, task.title_in(options.language()));
    buffer.extend_from_slice(b",\"teams\":[");
    for (position, &team) in task.teams.iter().enumerate() {
        if position > 0 {
            buffer.push(b',');
        }
        push_string(buffer, &catalog.teams[team].id);
    }
    buffer.push(b']');
}

/// A task's fields after the entry's own: `"cadence"`, `"as_needed"`, `"description"` (as
/// `TaskTail` serializes them).
fn push_task_tail(buffer: &mut Vec<u8>, catalog: &Catalog, task: usize, options: &RenderOptions) {
    let task = &catalog.tasks[task];
    buffer.extend_from_slice(b"\"cadence\":");
    push_string(buffer, &task.canonical_cadence);
    buffer.extend_from_slice(if task.cadence.as_needed {
        b",\"as_needed\":true,\"description\":"
    } else {
        b",\"as_needed\":false,\"description\":"
    });
    push_string(buffer, task.description_in(options.language()));
}

#[derive(Serialize)]
struct JsonReport<'a> {
    from: Date,
    to: Date,
    tracking_start: Option<Date>,
    teams: Vec<JsonTeam<'a>>,
    total: &'a Tally,
}

#[derive(Serialize)]
struct JsonTeam<'a> {
    team: &'a str,
    name: &'a str,
    #[serde(flatten)]
    tally: &'a Tally,
    tasks: Vec<JsonTask<'a>>,
}

#[derive(Serialize)]
struct JsonTask<'a> {
    task: &'a str,
    title: &'a str,
    /// The deadline rule in force, as `deadline:` spells it.
    deadline: String,
    #[serde(flatten)]
    tally: &'a Tally,
}

/// One object: `from`, `to`, `tracking_start`, `teams` (each with its counts and `tasks`)
/// and `total`; field names are English whatever the language.
pub(super) fn report(
    out: &mut dyn Write,
    catalog: &Catalog,
    report: &Report,
    options: &RenderOptions,
) -> io::Result<()> {
    let language = options.language();
    let value = JsonReport {
        from: report.from,
        to: report.to,
        tracking_start: report.tracking_start,
        teams: report
            .teams
            .iter()
            .map(|team| JsonTeam {
                team: &catalog.teams[team.team].id,
                name: catalog.teams[team.team].name_in(language),
                tally: &team.tally,
                tasks: team
                    .tasks
                    .iter()
                    .map(|task| JsonTask {
                        task: &catalog.tasks[task.task].id,
                        title: catalog.tasks[task.task].title_in(language),
                        deadline: catalog.tasks[task.task].deadline().to_string(),
                        tally: &task.tally,
                    })
                    .collect(),
            })
            .collect(),
        total: &report.total,
    };
    write_json(out, &value)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// serde_json's output with the characters [`escaped_beyond_json`] escaped.
    fn expected(text: &str) -> String {
        let mut expected = String::new();
        for c in serde_json::to_string(text).unwrap().chars() {
            if escaped_beyond_json(c) {
                expected.extend(format!("\\u{:04x}", u32::from(c)).chars());
            } else {
                expected.push(c);
            }
        }
        expected
    }

    /// Every entry of a plan, most of them written in one go from the kept fields and
    /// the date texts, holds the occurrence's own dates and time and its task's fields,
    /// in the documented order; across more days than the date texts keep at once.
    #[test]
    fn plan_entries_hold_each_occurrence_in_the_documented_order() {
        for (name, catalog, whole) in crate::render::fixture_plans() {
            let options = RenderOptions::default();
            let mut out = Vec::new();
            plan(&mut out, &catalog, &whole, &options).unwrap();
            let text = String::from_utf8(out).unwrap();
            let lines: Vec<&str> = text.lines().collect();
            assert_eq!(lines.len(), whole.occurrences.len() + 2, "{name}");
            let keys = [
                "task",
                "title",
                "teams",
                "date",
                "time",
                "window_end",
                "status",
                "done_at",
                "done_by",
                "reason",
                "assignee",
                "cadence",
                "as_needed",
                "description",
            ];
            for (line, occurrence) in lines[1..].iter().zip(&whole.occurrences) {
                let task = &catalog.tasks[occurrence.task];
                let entry: serde_json::Value =
                    serde_json::from_str(line.trim_end_matches(',')).unwrap();
                let at = |key: &str| line.find(&format!("\"{key}\":")).unwrap();
                assert!(keys.windows(2).all(|k| at(k[0]) < at(k[1])), "{line}");
                let time = occurrence
                    .time
                    .map(|t| format!("{:02}:{:02}", t.hour(), t.minute()));
                let team_ids: Vec<&str> = task
                    .teams
                    .iter()
                    .map(|&t| catalog.teams[t].id.as_str())
                    .collect();
                let mut expected = serde_json::json!({
                    "task": task.id,
                    "title": task.title,
                    "teams": team_ids,
                    "date": occurrence.date.to_string(),
                    "time": time,
                    "window_end": occurrence.window_end.map(|d| d.to_string()),
                    "status": null,
                    "done_at": null,
                    "done_by": null,
                    "reason": null,
                    "assignee": entry["assignee"],
                    "cadence": task.canonical_cadence,
                    "as_needed": task.cadence.as_needed,
                    "description": task.description,
                });
                if task.assignment.is_none() {
                    expected["assignee"] = serde_json::Value::Null;
                }
                for key in ["assignees", "time_zone"] {
                    if let Some(value) = entry.get(key) {
                        expected[key] = value.clone();
                    }
                }
                assert_eq!(entry, expected, "{name}: {line}");
            }
        }
    }

    #[test]
    fn strings_are_written_as_serde_json_writes_them_with_c1_and_bidi_escaped() {
        let mut samples: Vec<String> = (0_u32..=0x2100)
            .filter_map(char::from_u32)
            .map(|c| format!("a{c}b"))
            .collect();
        samples.extend(
            [
                "",
                "plain text",
                "\"quoted\"",
                "back\\slash",
                "tab\there",
                "new\nline",
                "æøå 日本語 \u{2028} \u{1F600} \u{202f}\u{2065}\u{206a}",
                "</script><script>alert(1)</script>",
                "\u{0}\u{1b}[31m",
                "\u{9b}31m \u{202e}evil\u{202c} \u{2066}\u{2069}\u{7f}\u{85}",
            ]
            .map(String::from),
        );
        for text in samples {
            let mut ours = Vec::new();
            push_string(&mut ours, &text);
            let ours = String::from_utf8(ours).unwrap();
            assert_eq!(ours, expected(&text), "{text:?}");
            assert_eq!(serde_json::from_str::<String>(&ours).unwrap(), text);
            let mut pretty = Vec::new();
            write_json(&mut pretty, &[&text]).unwrap();
            let pretty = String::from_utf8(pretty).unwrap();
            assert_eq!(pretty, format!("[\n  {}\n]\n", expected(&text)), "{text:?}");
            assert!(
                !ours
                    .chars()
                    .chain(pretty.chars())
                    .any(|c| c != '\n' && super::super::terminal::is_unsafe_for_terminal(c)),
                "{ours}"
            );
        }
        assert_eq!(expected("\u{9b}\u{202e}"), r#""\u009b\u202e""#);
    }

    /// The word-at-a-time test agrees with a character-by-character one for every
    /// character up to U+2100 at every position of a text longer than two words.
    #[test]
    fn plain_text_is_recognised_at_every_position() {
        let reference = |text: &str| {
            text.chars()
                .all(|c| c >= ' ' && c != '"' && c != '\\' && !escaped_beyond_json(c))
        };
        let base = "abcdefghijklmnopq";
        let mut plain = 0;
        for c in (0_u32..=0x2100).filter_map(char::from_u32) {
            for position in 0..=base.len() {
                let text = format!("{}{c}{}", &base[..position], &base[position..]);
                assert_eq!(is_plain(&text), reference(&text), "{text:?}");
                plain += usize::from(reference(&text));
            }
        }
        assert!(plain > 0);
        assert!(is_plain(base) && is_plain("") && !is_plain("0123456789\"\"\""));
    }

    #[test]
    fn dates_and_times_are_iso() {
        let mut buffer = Vec::new();
        push_date(&mut buffer, jiff::civil::date(33, 2, 3));
        push_time(&mut buffer, jiff::civil::time(7, 5, 0, 0));
        assert_eq!(
            String::from_utf8(buffer).unwrap(),
            "\"0033-02-03\"\"07:05\""
        );
    }
}

#[cfg(test)]
mod report_tests {
    use crate::render::Format;
    use crate::render::completion::sample::render_to_string;

    #[test]
    fn json_has_the_documented_shape() {
        let text = render_to_string(Format::Json, "en", &[0, 1, 2], true);
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(json["from"], "2026-11-02");
        assert_eq!(json["to"], "2026-11-23");
        assert_eq!(json["tracking_start"], "2026-11-02");
        let alpha = &json["teams"][0];
        assert_eq!(alpha["team"], "alpha");
        assert_eq!(alpha["name"], "Alpha & <Omega>");
        // Alpha: daily 22 due (2 done, one a day late, 19 missed, 1 open) + weekly 4 due
        // (9th late, 2nd and 16th missed, 23rd open).
        assert_eq!(alpha["due"], 26);
        assert_eq!(alpha["on_time"], 1);
        assert_eq!(alpha["late"], 2);
        assert_eq!(alpha["missed"], 21);
        assert_eq!(alpha["open"], 2);
        assert_eq!(alpha["completion_rate"], 0.125);
        assert_eq!(alpha["median_delay_days"], 1.0);
        assert_eq!(alpha["tasks"][0]["task"], "daily-check");
        assert_eq!(alpha["tasks"][0]["due"], 22);
        assert_eq!(json["teams"][1]["triggered"], 1);
        assert_eq!(json["teams"][2]["tasks"], serde_json::json!([]));
        assert_eq!(json["teams"][2]["completion_rate"], serde_json::Value::Null);
        assert_eq!(json["total"]["due"], 27);
        // Without a journal: the same shape, nothing counted.
        let empty: serde_json::Value =
            serde_json::from_str(&render_to_string(Format::Json, "en", &[0], false)).unwrap();
        assert_eq!(empty["tracking_start"], serde_json::Value::Null);
        assert_eq!(empty["total"]["due"], 0);
        assert_eq!(
            empty["teams"][0]["tasks"][1]["median_delay_days"],
            serde_json::Value::Null
        );
    }
}
