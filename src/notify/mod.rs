//! `socctl notify`: reminders to where people already are (Microsoft Teams, Slack, signed
//! webhooks, and mail for leads), each sent once. [`reminders`] decides what is due to be
//! said, [`Message`] is what is said (localized, the same for every channel), [`teams`],
//! [`slack`] and [`webhook`] render it for one kind of channel, [`secrets`] reads a
//! channel's credentials from where roles.yaml points.

pub mod mail;
pub mod reminders;
pub mod secrets;
pub mod slack;
pub mod teams;
pub mod webhook;

use jiff::civil::Date;

/// The kinds of reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// The day's list.
    Due,
    /// Before the due date (the lead time, default one day).
    HeadsUp,
    /// Past its deadline, not done.
    Overdue,
    /// Overdue N days or more: to the team's lead.
    Escalation,
    /// The week's overdue and missed work, for leads.
    Digest,
}

impl Kind {
    /// Every kind, in the order a run sends them.
    pub const ALL: [Self; 5] = [
        Self::Due,
        Self::HeadsUp,
        Self::Overdue,
        Self::Escalation,
        Self::Digest,
    ];

    /// The name roles.yaml, the command line and the sent-log use.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Due => "due",
            Self::HeadsUp => "heads-up",
            Self::Overdue => "overdue",
            Self::Escalation => "escalation",
            Self::Digest => "digest",
        }
    }

    /// The kind a name stands for.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name.trim())
    }
}

/// One line of a message: an occurrence (or, in a digest, a run of them).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Item {
    /// The task id.
    pub task: String,
    /// The task's title, in the message's language.
    pub title: String,
    /// The occurrence's due date (a run's first).
    pub occurrence: Date,
    /// How it stands, in words ("due Tue 1 Dec", "overdue since …").
    pub note: String,
    /// The task on the board, when the board's address is configured.
    pub url: Option<String>,
}

/// What one notification says, whatever the channel.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Message {
    /// The kind of reminder.
    pub kind: Kind,
    /// The team's id.
    pub team: String,
    /// The team's name, in the message's language.
    pub team_name: String,
    /// The member it is sent to (their own channels), when not to the team.
    pub person: Option<String>,
    /// The headline.
    pub title: String,
    /// The day the message is about (today, the heads-up's day, the digest's week start).
    pub date: Date,
    /// The language code.
    pub language: String,
    /// The lines.
    pub items: Vec<Item>,
    /// Said when there are no items (a digest with nothing in it).
    pub empty: Option<String>,
    /// The board, when configured, and the words of the link to it.
    pub board: Option<(String, String)>,
    /// The words of each item's link to its task on the board (its `url`).
    pub open_task: String,
}

/// The task's page on the board at `board` (`board_url`, without a trailing `/`): the
/// board's route `/task/ID`, the id percent-encoded as one path segment (everything but
/// ASCII letters, digits, `-`, `_` and `~`), so no id can leave its segment.
pub fn task_url(board: &str, task: &str) -> String {
    use std::fmt::Write as _;
    let mut url = format!("{board}/task/");
    for byte in task.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'~') {
            url.push(char::from(byte));
        } else {
            let _ = write!(url, "%{byte:02X}");
        }
    }
    url
}

/// `text` cut to at most `max` characters, ending in `…` when cut.
pub(crate) fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut clipped: String = text.chars().take(max.saturating_sub(1)).collect();
    clipped.push('…');
    clipped
}

#[cfg(test)]
mod tests {
    use super::task_url;

    #[test]
    fn task_links_keep_hostile_ids_in_their_segment() {
        let board = "https://board.example.org/soc";
        assert_eq!(
            task_url(board, "triage"),
            "https://board.example.org/soc/task/triage"
        );
        // Worked out by hand from RFC 3986: each byte outside the unreserved set as %XX
        // (UTF-8 bytes of é: C3 A9).
        assert_eq!(
            task_url(board, "../a b/c?d#e%f<g>\"é&"),
            "https://board.example.org/soc/task/%2E%2E%2Fa%20b%2Fc%3Fd%23e%25f%3Cg%3E%22%C3%A9%26"
        );
    }
}
