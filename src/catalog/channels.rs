//! `notify` in roles.yaml: the board's address, lead times and escalation settings at the
//! top, and each team's `channels` (Teams, Slack, signed webhooks) whose URLs and secrets
//! are references (`env:VAR`, `file:/path`), never the credentials themselves unless the
//! file explicitly allows it.

use std::path::PathBuf;

use super::yaml::Spanned;

use super::yaml::{Document, Node};

/// The kinds of channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ChannelKind {
    /// A Microsoft Teams Workflows webhook, posted an Adaptive Card.
    Teams,
    /// A Slack incoming webhook, posted Block Kit blocks.
    Slack,
    /// A generic JSON webhook, signed with HMAC-SHA256.
    Webhook,
}

impl ChannelKind {
    /// The word roles.yaml uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Teams => "teams",
            Self::Slack => "slack",
            Self::Webhook => "webhook",
        }
    }
}

/// Where a credential is read from when a notification is sent.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SecretRef {
    /// `env:VAR`: an environment variable.
    Env(String),
    /// `file:/path`: the first line of a file.
    File(PathBuf),
    /// The value itself, written in roles.yaml (only with `allow_inline_secrets: true`).
    Inline(String),
}

impl std::fmt::Debug for SecretRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

impl SecretRef {
    /// The reference as messages show it: `env:VAR`, `file:/path`, or `(inline)`.
    pub fn describe(&self) -> String {
        match self {
            Self::Env(name) => format!("env:{name}"),
            Self::File(path) => format!("file:{}", path.display()),
            Self::Inline(_) => "(written in roles.yaml)".to_owned(),
        }
    }
}

/// The reminder kinds, as roles.yaml and the sent-log name them.
pub const REMINDER_KINDS: &[&str] = &["due", "heads-up", "overdue", "escalation", "digest"];

/// One channel of a team.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Channel {
    /// The channel's id (unique in the team), as the sent-log records it.
    pub id: String,
    /// Teams, Slack or webhook.
    pub kind: ChannelKind,
    /// The webhook URL (a credential).
    pub url: SecretRef,
    /// The webhook's signing secret (webhook channels).
    pub secret: Option<SecretRef>,
    /// The reminder kinds sent here; all of them when empty.
    pub reminders: Vec<String>,
    /// The line it starts on in roles.yaml.
    pub line: u64,
}

impl Channel {
    /// Whether reminders of `kind` go to this channel.
    pub fn takes(&self, kind: &str) -> bool {
        self.reminders.is_empty() || self.reminders.iter().any(|k| k == kind)
    }
}

/// The top-level `notify` settings.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NotifySettings {
    /// The board's address, for links back (`https://…`).
    pub board_url: Option<String>,
    /// How many days before the due date the heads-up goes out.
    pub heads_up_days: u32,
    /// After how many days overdue the team's lead is told.
    pub escalate_after_days: u32,
    /// Where escalations and digests are mailed when a team names no lead.
    pub escalate_to: Option<String>,
    /// Whether URLs and secrets may be written in roles.yaml itself.
    pub allow_inline_secrets: bool,
}

impl Default for NotifySettings {
    fn default() -> Self {
        Self {
            board_url: None,
            heads_up_days: 1,
            escalate_after_days: 3,
            escalate_to: None,
            allow_inline_secrets: false,
        }
    }
}

const NOTIFY_FIELDS: &[&str] = &[
    "board_url",
    "heads_up_days",
    "escalate_after_days",
    "escalate_to",
    "allow_inline_secrets",
];

const CHANNEL_FIELDS: &[&str] = &["id", "kind", "url", "secret", "reminders"];

/// Reads the top-level `notify` mapping.
pub(super) fn read_notify(doc: &mut Document<'_>, node: &Spanned<Node>) -> NotifySettings {
    let mut settings = NotifySettings::default();
    let Some(mut fields) = doc.fields(node, "`notify`") else {
        return settings;
    };
    if let Some(n) = fields.get("board_url")
        && let Some(url) = doc.text(n, "board_url")
    {
        let url = url.trim().trim_end_matches('/').to_owned();
        let plain =
            !url.contains(['?', '#']) && !url.chars().any(|c| c.is_whitespace() || c.is_control());
        if (url.starts_with("https://") || url.starts_with("http://")) && !plain {
            // Each task's link is the board's address and `/task/ID`: a query or fragment
            // would swallow it.
            doc.error(
                &n.referenced,
                "`board_url` has a query, a fragment or a space: the links to each task (`/task/ID`) are made by adding to it",
                Some("write the board's address alone, such as `https://soc-board.example.org` or `https://example.org/soc`".to_owned()),
            );
        } else if url.starts_with("https://") || url.starts_with("http://") {
            settings.board_url = Some(url);
        } else {
            doc.error(
                &n.referenced,
                format!("`board_url: {url}` is not an http(s) address"),
                Some(
                    "write the board's address, such as `https://soc-board.example.org`".to_owned(),
                ),
            );
        }
    }
    for (field, slot, most) in [
        ("heads_up_days", &mut settings.heads_up_days, 60),
        (
            "escalate_after_days",
            &mut settings.escalate_after_days,
            365,
        ),
    ] {
        if let Some(n) = fields.get(field)
            && let Some(text) = doc.text(n, field)
        {
            match text.trim().parse::<u32>() {
                Ok(days) if (1..=most).contains(&days) => *slot = days,
                _ => doc.error(
                    &n.referenced,
                    format!("`{field}: {text}` is not a number of days from 1 to {most}"),
                    None,
                ),
            }
        }
    }
    settings.escalate_to = fields
        .get("escalate_to")
        .and_then(|n| super::roles::read_email(doc, n, "escalate_to"));
    if let Some(n) = fields.get("allow_inline_secrets")
        && let Some(text) = doc.text(n, "allow_inline_secrets")
    {
        match text.trim() {
            "true" => settings.allow_inline_secrets = true,
            "false" => {}
            _ => doc.error(
                &n.referenced,
                format!("`allow_inline_secrets: {text}` is not true or false"),
                None,
            ),
        }
    }
    fields.finish(doc, "`notify`", NOTIFY_FIELDS);
    settings
}

/// Reads a team's `channels` list; inline secrets are checked once the top-level `notify`
/// has been read (see [`check_inline`]).
fn read_channels(
    doc: &mut Document<'_>,
    node: &Spanned<Node>,
    team: &str,
) -> Vec<(Channel, Vec<super::yaml::Location>)> {
    let Node::Seq(items) = &node.value else {
        doc.error(
            &node.referenced,
            format!("`channels` of {team} must be a list of channels"),
            Some(
                "write `channels:` then `- {id: soc-teams, kind: teams, url: env:SOC_TEAMS_URL}`"
                    .to_owned(),
            ),
        );
        return Vec::new();
    };
    let mut channels: Vec<(Channel, Vec<super::yaml::Location>)> = Vec::new();
    for item in items {
        let Some(mut fields) = doc.fields(item, "a channel") else {
            continue;
        };
        let kind = fields.get("kind").and_then(|n| {
            let text = doc.text(n, "kind")?;
            match text.trim() {
                "teams" => Some(ChannelKind::Teams),
                "slack" => Some(ChannelKind::Slack),
                "webhook" => Some(ChannelKind::Webhook),
                other => {
                    doc.error(
                        &n.referenced,
                        format!("unknown channel kind `{other}` in {team}"),
                        Some("kinds: teams (a Workflows webhook), slack (an incoming webhook), webhook (signed JSON)".to_owned()),
                    );
                    None
                }
            }
        });
        if fields.get("kind").is_none() && kind.is_none() {
            doc.error(
                &item.referenced,
                format!("a channel of {team} has no `kind`"),
                Some("add `kind: teams`, `kind: slack` or `kind: webhook`".to_owned()),
            );
        }
        let id = match fields
            .get("id")
            .and_then(|n| doc.text(n, "id").map(|t| (t, n)))
        {
            Some((id, n)) => {
                let id = id.trim().to_owned();
                let valid = !id.is_empty()
                    && id
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                if !valid {
                    doc.error(
                        &n.referenced,
                        format!("`{id}` is not a channel id"),
                        Some("use letters, digits, `-` and `_`, such as `soc-teams`".to_owned()),
                    );
                } else if channels.iter().any(|(c, _)| c.id == id) {
                    doc.error(
                        &n.referenced,
                        format!("{team} has two channels with the id `{id}`"),
                        Some("give each channel of a team its own id: the sent-log tells them apart by it".to_owned()),
                    );
                }
                Some(id)
            }
            None => kind.map(|k| k.as_str().to_owned()),
        };
        let mut inline = Vec::new();
        let url = fields
            .get("url")
            .and_then(|n| read_secret(doc, n, "url", &mut inline));
        if fields.get("url").is_none() {
            doc.error(
                &item.referenced,
                format!("a channel of {team} has no `url`"),
                Some("add `url: env:VARIABLE` or `url: file:/etc/socctl/NAME` naming where the webhook URL is kept".to_owned()),
            );
        }
        let secret = fields
            .get("secret")
            .and_then(|n| read_secret(doc, n, "secret", &mut inline));
        if kind == Some(ChannelKind::Webhook) && secret.is_none() && fields.get("secret").is_none()
        {
            doc.error(
                &item.referenced,
                format!("the webhook channel of {team} has no `secret` to sign with"),
                Some("add `secret: env:VARIABLE` or `secret: file:/path`: the receiver checks X-Socctl-Signature-256 with it".to_owned()),
            );
        }
        let mut reminders = Vec::new();
        if let Some(n) = fields.get("reminders") {
            for (text, at) in doc.text_list(n, "reminders") {
                let text = text.trim().to_owned();
                if REMINDER_KINDS.contains(&text.as_str()) {
                    reminders.push(text);
                } else {
                    doc.error(
                        &at.referenced,
                        format!("unknown reminder kind `{text}`"),
                        Some(format!("kinds: {}", REMINDER_KINDS.join(", "))),
                    );
                }
            }
        }
        fields.finish(doc, "a channel", CHANNEL_FIELDS);
        if let (Some(id), Some(kind), Some(url)) = (id, kind, url) {
            channels.push((
                Channel {
                    id,
                    kind,
                    url,
                    secret,
                    reminders,
                    line: item.referenced.line(),
                },
                inline,
            ));
        }
    }
    channels
}

/// The `channels` of a team or a person (`owner`), when given, with the places of their
/// inline secrets added to `inline` (see [`check_inline`]).
pub(super) fn read_owned_channels(
    doc: &mut Document<'_>,
    node: Option<&Spanned<Node>>,
    owner: &str,
    inline: &mut Vec<super::yaml::Location>,
) -> Vec<Channel> {
    node.map(|n| read_channels(doc, n, owner))
        .unwrap_or_default()
        .into_iter()
        .map(|(channel, at)| {
            inline.extend(at);
            channel
        })
        .collect()
}

/// `env:VAR` or `file:/absolute/path`; anything else is an inline secret, noted in
/// `inline` to be refused unless the file allows it.
fn read_secret(
    doc: &mut Document<'_>,
    node: &Spanned<Node>,
    field: &str,
    inline: &mut Vec<super::yaml::Location>,
) -> Option<SecretRef> {
    let text = doc.text(node, field)?;
    let text = text.trim();
    if let Some(name) = text.strip_prefix("env:") {
        let valid = !name.is_empty()
            && !name.starts_with(|c: char| c.is_ascii_digit())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            doc.error(
                &node.referenced,
                format!("`{field}` does not name an environment variable after `env:`"),
                Some("write `env:NAME` with letters, digits and `_`".to_owned()),
            );
            return None;
        }
        return Some(SecretRef::Env(name.to_owned()));
    }
    if let Some(path) = text.strip_prefix("file:") {
        if !path.starts_with('/') {
            doc.error(
                &node.referenced,
                format!("`{field}: file:{path}` is not an absolute path"),
                Some(
                    "write `file:/etc/socctl/NAME`: cron's working directory is not yours"
                        .to_owned(),
                ),
            );
            return None;
        }
        return Some(SecretRef::File(PathBuf::from(path)));
    }
    inline.push(node.referenced);
    Some(SecretRef::Inline(text.to_owned()))
}

/// Refuses the inline secrets found in channels, unless `allowed`. The value is never
/// quoted: it is a credential.
pub(super) fn check_inline(doc: &mut Document<'_>, at: &[super::yaml::Location], allowed: bool) {
    if allowed {
        return;
    }
    for location in at {
        doc.error(
            location,
            "this channel's URL or secret is written in roles.yaml itself; a shared file must not hold credentials (the value is not shown)",
            Some("keep it in the environment (`env:VARIABLE`) or a file only socctl's user reads (`file:/etc/socctl/NAME`); or set `allow_inline_secrets: true` under `notify:` if this file is private".to_owned()),
        );
    }
}
