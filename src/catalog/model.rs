//! The resolved catalog: tasks with parsed cadences and team references, teams, groups.

use std::collections::BTreeMap;
use std::path::PathBuf;

use jiff::civil::Date;

use super::Deadline;
use crate::cadence::{Cadence, Schedule};
use crate::calendar::{Calendar, Shift};

/// The catalog format version this socctl reads.
pub const FORMAT_VERSION: u32 = 1;

/// Both catalog files, loaded, validated and resolved.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Catalog {
    /// Where `tasks.yaml` was read from.
    pub tasks_path: PathBuf,
    /// Where `roles.yaml` was read from.
    pub roles_path: PathBuf,
    /// Time zone, week start, work days and holidays.
    pub calendar: Calendar,
    /// The IANA name of the catalog's time zone.
    pub time_zone_name: String,
    /// Phrases that stand for a canonical cadence (e.g. "Weekly SOC" → "weekly").
    pub cadence_aliases: BTreeMap<String, String>,
    /// Where `socctl tickets` creates records (`servicenow:` in roles.yaml), if anywhere.
    pub servicenow: Option<super::ServiceNow>,
    /// The activities, in file order.
    pub tasks: Vec<Task>,
    /// The teams, in file order.
    pub teams: Vec<Team>,
    /// Named groups of teams, such as `all`.
    pub groups: Vec<Group>,
    /// The sender of mailed checklists (`mail_from` in roles.yaml), a bare address.
    pub mail_from: Option<String>,
    /// The `notify` settings of roles.yaml.
    #[serde(default)]
    pub notify: super::channels::NotifySettings,
}

/// Text of a task in one language.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TaskText {
    /// The title.
    pub title: Option<String>,
    /// The description.
    pub description: Option<String>,
    /// How the cadence is written in that language (display only; never parsed).
    pub cadence: Option<String>,
}

/// One recurring activity.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Task {
    /// Stable kebab-case identifier.
    pub id: String,
    /// Short title.
    pub title: String,
    /// What the work is.
    pub description: String,
    /// The cadence as written in the catalog.
    pub cadence_text: String,
    /// The parsed cadence.
    pub cadence: Cadence,
    /// The cadence in canonical form (`cadence.to_string()`, computed once).
    pub canonical_cadence: String,
    /// The team references as written.
    pub team_text: Vec<String>,
    /// Indexes into [`Catalog::teams`] of the owning teams, in catalog order.
    pub teams: Vec<usize>,
    /// The first date the task is due, and the anchor of "every N" rules.
    pub start: Option<Date>,
    /// What happens to occurrences on non-work days.
    pub shift: Shift,
    /// The `deadline:` the catalog sets, if any (see [`Task::deadline`]).
    pub deadline_set: Option<Deadline>,
    /// Text in other languages, keyed by language code (`da`, `fr`, `ja`, …).
    pub translations: BTreeMap<String, TaskText>,
    /// Who does it: a fixed assignee or a rotation (`None`: nobody in particular).
    pub assignment: Option<Assignment>,
    /// Free-form labels.
    pub tags: Vec<String>,
    /// How long the work usually takes (`estimate:`, e.g. `30m`, `2h`).
    pub estimate: Option<super::Estimate>,
    /// Links or document names.
    pub references: Vec<String>,
    /// `ticket: true`: `socctl tickets push` hands each occurrence to ServiceNow.
    pub ticket: bool,
    /// The line the task starts on in `tasks.yaml`.
    pub line: u64,
}

impl Task {
    /// The deadline rule in force: `deadline:` when set, else the cadence's default.
    pub fn deadline(&self) -> Deadline {
        self.deadline_set
            .unwrap_or_else(|| Deadline::default_for(&self.cadence))
    }

    /// The task's schedule in `calendar`, or `None` for purely "as needed" tasks.
    pub fn schedule<'a>(&'a self, calendar: &'a Calendar) -> Option<Schedule<'a>> {
        let rule = self.cadence.rule.as_ref()?;
        Some(Schedule {
            rule,
            at: self.cadence.at,
            start: self.start,
            shift: self.shift,
            calendar,
        })
    }

    /// The title in `language`, falling back to English.
    pub fn title_in(&self, language: &str) -> &str {
        translation(&self.translations, language)
            .and_then(|t| t.title.as_deref())
            .unwrap_or(&self.title)
    }

    /// The description in `language`, falling back to English.
    pub fn description_in(&self, language: &str) -> &str {
        translation(&self.translations, language)
            .and_then(|t| t.description.as_deref())
            .unwrap_or(&self.description)
    }

    /// The cadence as people read it in `language`: the catalog's translated phrase, else
    /// the canonical form.
    pub fn cadence_in(&self, language: &str) -> &str {
        translation(&self.translations, language)
            .and_then(|t| t.cadence.as_deref())
            .unwrap_or(&self.canonical_cadence)
    }
}

/// The translation for a language code: an exact match (`fr-ca`), else its primary
/// language (`fr`). English is the catalog's own text, so `en` finds nothing here.
pub(crate) fn translation<'a, T>(
    translations: &'a BTreeMap<String, T>,
    language: &str,
) -> Option<&'a T> {
    translations.get(language).or_else(|| {
        let primary = language.split(['-', '_']).next()?;
        translations.get(primary)
    })
}

/// Text of a team in one language.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TeamText {
    /// The team's name.
    pub name: Option<String>,
}

/// A SOC team and its part of the roles/responsibilities matrix.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Team {
    /// Stable kebab-case identifier.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Other names the team goes by (translations, spelling variants).
    pub aliases: Vec<String>,
    /// Roles and responsibilities.
    pub responsibilities: Vec<String>,
    /// Microsoft Defender XDR tasks.
    pub defender_tasks: Vec<String>,
    /// Where the team's checklists are mailed.
    pub email: Option<String>,
    /// The team's own time zone (IANA name), when it differs from the catalog's.
    pub timezone: Option<String>,
    /// Names in other languages.
    pub translations: BTreeMap<String, TeamText>,
    /// The people in the team, one entry per membership period, in file order.
    pub members: Vec<Member>,
    /// The team's own holidays (`holidays` and `holidays_ics` on the team), on top of the
    /// catalog's.
    #[serde(default)]
    pub holidays: std::collections::BTreeSet<Date>,
    /// The team's own yearly holidays (from its `holidays_ics`).
    #[serde(default)]
    pub annual_holidays: Vec<crate::calendar::Annual>,
    /// The calendar the team's work is evaluated in when it is not the catalog's (its own
    /// time zone or holidays): the catalog's calendar with the team's zone, and the
    /// catalog's holidays and the team's. Set when the catalog is assembled.
    #[serde(default)]
    pub calendar: Option<Calendar>,
    /// Where the team's notifications go (`channels` in roles.yaml).
    #[serde(default)]
    pub channels: Vec<super::channels::Channel>,
    /// The language the team's notifications and mail are written in (`language` in
    /// roles.yaml: a built-in language code); none: the run's `--lang`.
    #[serde(default)]
    pub language: Option<String>,
}

/// A person's membership of one team for one period (`since` to `until`, both inclusive).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Member {
    /// Stable kebab-case id; the same person has the same id in every team.
    pub id: String,
    /// Full name.
    pub name: String,
    /// Where they are mailed.
    pub email: String,
    /// A chat handle, as written.
    pub chat: Option<String>,
    /// Whether they lead the team in this period.
    pub lead: bool,
    /// The first day of the membership (none: always was).
    pub since: Option<Date>,
    /// The last day of the membership (none: still is).
    pub until: Option<Date>,
    /// The line the entry starts on in `roles.yaml`.
    pub line: u64,
    /// The person's own notification channels (`channels` on one of their entries): what
    /// is assigned to them is also sent there.
    #[serde(default)]
    pub channels: Vec<super::channels::Channel>,
}

impl Member {
    /// Whether this membership period includes `date`.
    pub fn active_on(&self, date: Date) -> bool {
        self.since.is_none_or(|since| since <= date) && self.until.is_none_or(|until| date <= until)
    }
}

/// Who does a task.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Assignment {
    /// The same person every time, per team: (index into [`Catalog::teams`], member id),
    /// at most one per team of the task.
    Fixed(Vec<(usize, String)>),
    /// Turns taken among members.
    Rotation(Rotation),
}

/// A rotation of a task among members of each of its teams.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Rotation {
    /// The member ids it rotates among, in order; empty: every member of the team, in
    /// catalog order. For a task of several teams, each team rotates among its own.
    pub members: Vec<String>,
    /// When the turn passes on.
    pub handover: Handover,
    /// The day the first turn starts.
    pub anchor: Date,
}

/// When a rotation passes the task on to the next member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Handover {
    /// After this many occurrences (`every occurrence` is 1).
    Occurrences(u32),
    /// Every week on `day` at `time`, wall-clock time in the team's time zone.
    Weekly {
        /// The day of the week.
        #[serde(with = "crate::codec::weekday")]
        day: jiff::civil::Weekday,
        /// The time of day.
        time: jiff::civil::Time,
    },
}

impl std::fmt::Display for Handover {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Occurrences(1) => f.write_str("every occurrence"),
            Self::Occurrences(n) => write!(f, "every {n} occurrences"),
            Self::Weekly { day, time } => write!(
                f,
                "weekly on {} at {}",
                crate::calendar::weekday_name(*day),
                crate::calendar::format_time(*time)
            ),
        }
    }
}

impl Team {
    /// The name in `language`, falling back to English.
    pub fn name_in(&self, language: &str) -> &str {
        translation(&self.translations, language)
            .and_then(|t| t.name.as_deref())
            .unwrap_or(&self.name)
    }

    /// The locale the team's messages are written in: its own `language`, else `run`'s
    /// (`--lang`, `SOCCTL_LANG`).
    pub fn locale_or(&self, run: &crate::i18n::Locale) -> crate::i18n::Locale {
        self.language
            .as_deref()
            .map_or_else(|| run.clone(), crate::i18n::Locale::new)
    }
}

/// A named set of teams a task can be assigned to (e.g. `all`).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Group {
    /// Stable identifier.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Other names.
    pub aliases: Vec<String>,
    /// Indexes into [`Catalog::teams`].
    pub members: Vec<usize>,
}

/// What a team name typed by a user resolved to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TeamSelector {
    /// One team (index into [`Catalog::teams`]).
    Team(usize),
    /// A group (index into [`Catalog::groups`]).
    Group(usize),
}

/// The normal form names are compared in: lowercase, whitespace collapsed.
pub fn name_key(text: &str) -> String {
    crate::cadence::normalize_phrase(text)
}

impl Catalog {
    /// The person `id`'s own notification channels (written on one of their entries).
    pub fn person_channels(&self, id: &str) -> &[super::channels::Channel] {
        self.teams
            .iter()
            .flat_map(|team| &team.members)
            .find(|m| m.id == id && !m.channels.is_empty())
            .map_or(&[], |m| m.channels.as_slice())
    }

    /// Gives each team with its own time zone or holidays its own calendar (see
    /// [`Team::calendar`]), from the catalog's.
    pub fn resolve_team_calendars(&mut self) {
        for team in &mut self.teams {
            let zone = team
                .timezone
                .as_deref()
                .and_then(crate::calendar::time_zone);
            team.calendar =
                (zone.is_some() || !team.holidays.is_empty() || !team.annual_holidays.is_empty())
                    .then(|| {
                        let mut calendar = self.calendar.clone();
                        if let Some(zone) = zone {
                            calendar.time_zone = zone;
                        }
                        calendar.holidays.extend(team.holidays.iter().copied());
                        calendar.annual.extend(team.annual_holidays.iter().copied());
                        calendar
                    });
        }
    }

    /// Sets the time zone of the catalog and of every team (`--tz`: one zone for all).
    pub fn set_time_zone(&mut self, zone: &jiff::tz::TimeZone, name: &str) {
        self.calendar.time_zone = zone.clone();
        name.clone_into(&mut self.time_zone_name);
        for team in &mut self.teams {
            if let Some(calendar) = &mut team.calendar {
                calendar.time_zone = zone.clone();
            }
            if team.timezone.is_some() {
                team.timezone = Some(name.to_owned());
            }
        }
    }

    /// The calendar team `team`'s work is evaluated in.
    pub fn calendar_of(&self, team: usize) -> &Calendar {
        self.teams
            .get(team)
            .and_then(|t| t.calendar.as_ref())
            .unwrap_or(&self.calendar)
    }

    /// The IANA name of team `team`'s time zone.
    pub fn zone_name_of(&self, team: usize) -> &str {
        match self.teams.get(team).and_then(|t| t.calendar.as_ref()) {
            Some(calendar) => calendar
                .time_zone
                .iana_name()
                .unwrap_or(&self.time_zone_name),
            None => &self.time_zone_name,
        }
    }

    /// The calendar an occurrence of `task` is evaluated in: `team`'s, or, for every team
    /// of the task (`None`), its first team's (they share it, see [`Catalog::splits`]).
    pub fn task_calendar(&self, task: &Task, team: Option<usize>) -> &Calendar {
        match team.or_else(|| task.teams.first().copied()) {
            Some(team) => self.calendar_of(team),
            None => &self.calendar,
        }
    }

    /// Whether teams `a` and `b` keep the same calendar.
    pub fn same_calendar(&self, a: usize, b: usize) -> bool {
        match (
            self.teams.get(a).and_then(|t| t.calendar.as_ref()),
            self.teams.get(b).and_then(|t| t.calendar.as_ref()),
        ) {
            (None, None) => true,
            (Some(x), Some(y)) => {
                x.time_zone.iana_name() == y.time_zone.iana_name()
                    && x.holidays == y.holidays
                    && x.annual == y.annual
            }
            _ => false,
        }
    }

    /// Whether the occurrences of `task` differ between its teams (teams in different
    /// calendars): the plan then holds one occurrence per team, each in its team's calendar.
    pub fn splits(&self, task: &Task) -> bool {
        task.teams
            .split_first()
            .is_some_and(|(first, rest)| rest.iter().any(|&t| !self.same_calendar(*first, t)))
    }

    /// Whether any team keeps a calendar of its own.
    pub fn has_team_calendars(&self) -> bool {
        self.teams.iter().any(|t| t.calendar.is_some())
    }

    /// `now`, a wall-clock reading in the catalog's zone, as team `team`'s wall clock reads
    /// at the same instant.
    pub fn now_of_team(&self, team: usize, now: jiff::civil::DateTime) -> jiff::civil::DateTime {
        crate::calendar::civil_in(
            now,
            &self.calendar.time_zone,
            &self.calendar_of(team).time_zone,
        )
    }

    /// Finds a team or group by id, name or alias (case-insensitive, whitespace collapsed).
    pub fn find_team(&self, name: &str) -> Option<TeamSelector> {
        let key = name_key(name);
        let matches = |id: &str, display: &str, aliases: &[String]| {
            name_key(id) == key
                || name_key(display) == key
                || aliases.iter().any(|a| name_key(a) == key)
        };
        if let Some(index) = self
            .teams
            .iter()
            .position(|t| matches(&t.id, &t.name, &t.aliases))
        {
            return Some(TeamSelector::Team(index));
        }
        self.groups
            .iter()
            .position(|g| matches(&g.id, &g.name, &g.aliases))
            .map(TeamSelector::Group)
    }

    /// The team indexes a selector stands for.
    pub fn members(&self, selector: TeamSelector) -> Vec<usize> {
        match selector {
            TeamSelector::Team(index) => vec![index],
            TeamSelector::Group(index) => self.groups[index].members.clone(),
        }
    }

    /// A task by id (exact, then case-insensitive).
    pub fn task(&self, id: &str) -> Option<&Task> {
        self.tasks
            .iter()
            .find(|t| t.id == id)
            .or_else(|| self.tasks.iter().find(|t| t.id.eq_ignore_ascii_case(id)))
    }
}
