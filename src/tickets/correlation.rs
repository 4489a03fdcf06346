//! The correlation id of an occurrence: `socctl:TASK:DUE:TEAM`, derived from the task id,
//! the due date and the team, so the same occurrence always names the same ServiceNow
//! record and a re-run finds it instead of creating another.

use jiff::civil::Date;

/// What every socctl correlation id starts with.
pub const PREFIX: &str = "socctl:";

/// One team's occurrence of a task, as a ticket stands for it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Occurrence {
    /// The task id.
    pub task: String,
    /// The due date.
    pub due: Date,
    /// The team id.
    pub team: String,
}

impl Occurrence {
    /// `socctl:TASK:DUE:TEAM`. Task and team ids are kebab-case and dates ISO, so the id
    /// holds no `:` of theirs, no `^` or `,` (the separators of ServiceNow's encoded
    /// queries) and nothing that needs escaping in a URL but `:`.
    pub fn correlation_id(&self) -> String {
        format!("{PREFIX}{}:{}:{}", self.task, self.due, self.team)
    }

    /// The occurrence a correlation id names, if it is one of socctl's.
    pub fn parse(id: &str) -> Option<Self> {
        let rest = id.strip_prefix(PREFIX)?;
        let mut parts = rest.split(':');
        let (task, due, team) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || task.is_empty() || team.is_empty() {
            return None;
        }
        Some(Self {
            task: task.to_owned(),
            due: crate::calendar::parse_date(due)?,
            team: team.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_occurrence_round_trips_through_its_id() {
        let occurrence = Occurrence {
            task: "secure-score-report".to_owned(),
            due: jiff::civil::date(2026, 12, 1),
            team: "soc-oversight".to_owned(),
        };
        let id = occurrence.correlation_id();
        assert_eq!(id, "socctl:secure-score-report:2026-12-01:soc-oversight");
        assert_eq!(Occurrence::parse(&id), Some(occurrence));
        for other in [
            "INC0010001",
            "socctl:a:2026-12-01",
            "socctl:a:2026-13-01:t",
            "socctl:a:2026-12-01:t:x",
            "socctl::2026-12-01:t",
        ] {
            assert_eq!(Occurrence::parse(other), None, "{other}");
        }
    }
}
