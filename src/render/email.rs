//! A complete e-mail (RFC 5322) per team: From, To, Subject, Date, Message-ID and a
//! multipart/alternative body holding the text and HTML checklists. Built with `lettre`'s
//! message builder, which encodes non-ASCII header text as RFC 2047 encoded-words and bodies
//! as quoted-printable or base64, so the message is 7-bit clean whatever the language.
//!
//! Catalog text reaches the headers only through the team's name (in Subject and To), and
//! control characters are replaced by spaces before that, so no title, name or translation
//! can start a header line of its own; titles and descriptions go only into the encoded bodies.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::time::SystemTime;

use lettre::Message;
use lettre::message::header::{self, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, Mailboxes, MultiPart, SinglePart};

use super::{Format, RenderOptions, occurrences_of_team, render_plan};
use crate::catalog::Catalog;
use crate::i18n::Locale;
use crate::plan::{Plan, View};

/// Who a message is from and to, and when it is dated: what the command line adds to a
/// plan to make it mail.
#[derive(Debug, Clone, Default)]
pub struct EmailSettings {
    /// The sender; the catalog's `mail_from` when `None`.
    pub from: Option<Mailbox>,
    /// The recipients, instead of the team's own address.
    pub to: Option<Mailboxes>,
    /// The `Date` of the message, read from the clock by the command line (the renderer
    /// never reads it); the Unix epoch when `None`, which tests use for stable output.
    pub date: Option<jiff::Timestamp>,
    /// A warning to put at the top of the body: the journal could not be read, so the
    /// checklist has no statuses.
    pub warning: Option<String>,
}

/// Why a message could not be built.
#[derive(Debug, thiserror::Error)]
pub enum EmailError {
    /// Neither the command line nor the catalog names a sender.
    #[error(
        "no sender address: pass --mail-from ADDRESS, set SOCCTL_MAIL_FROM, or add `mail_from: ADDRESS` to roles.yaml"
    )]
    NoSender,
    /// The catalog's `mail_from` is not an address lettre accepts.
    #[error("`mail_from: {address}` in roles.yaml is not a usable e-mail address")]
    BadSender {
        /// The address as written.
        address: String,
    },
    /// The team has no address and none was given.
    #[error(
        "team `{team}` has no e-mail address: add `email:` to it in roles.yaml, or pass --mail-to ADDRESS"
    )]
    NoRecipient {
        /// The team's id.
        team: String,
    },
    /// The team's address is not one lettre accepts.
    #[error("the e-mail address `{address}` of team `{team}` is not usable")]
    BadRecipient {
        /// The team's id.
        team: String,
        /// The address as written.
        address: String,
    },
    /// `--format email` writes one message, for one team.
    #[error(
        "--format email writes one message: pick a team with --team, or use `socctl mail --all-teams` ({teams} teams selected)"
    )]
    NotOneTeam {
        /// How many teams the plan is for.
        teams: usize,
    },
    /// Rendering a body failed.
    #[error("cannot render the message body: {0}")]
    Body(#[from] io::Error),
    /// lettre refused the message.
    #[error("cannot build the message: {0}")]
    Build(#[from] lettre::error::Error),
}

/// `Auto-Submitted: auto-generated` (RFC 3834): the message comes from a program, so
/// vacation responders and other robots do not answer it.
#[derive(Debug, Clone, Copy)]
struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".to_owned())
    }
}

/// The longest word, in characters, a header keeps whole: lettre folds header lines at white
/// space only, so a longer word could make a line over RFC 5322's 998 octets.
const MAX_HEADER_WORD: usize = 64;

/// Text for a header: control characters (CR, LF, tabs, …) become spaces, runs of spaces
/// collapse, and a word over 64 characters is split by spaces, so the text stays on its
/// header line whatever the catalog holds, and the line folds within 998 octets.
pub fn header_text(text: &str) -> String {
    let spaced: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut words = Vec::new();
    for word in spaced.split_whitespace() {
        let chars: Vec<char> = word.chars().collect();
        words.extend(
            chars
                .chunks(MAX_HEADER_WORD)
                .map(|piece| piece.iter().collect::<String>()),
        );
    }
    words.join(" ")
}

/// The sender: `settings.from`, else the catalog's `mail_from`.
pub fn sender(catalog: &Catalog, settings: &EmailSettings) -> Result<Mailbox, EmailError> {
    if let Some(from) = &settings.from {
        return Ok(from.clone());
    }
    let address = catalog.mail_from.as_deref().ok_or(EmailError::NoSender)?;
    let parsed = crate::catalog::parse_address(address).ok_or_else(|| EmailError::BadSender {
        address: address.to_owned(),
    })?;
    Ok(Mailbox::new(None, parsed))
}

/// The recipients of `team`'s message: `settings.to`, else the team's address under its
/// name in the render language.
pub fn recipients(
    catalog: &Catalog,
    team: usize,
    settings: &EmailSettings,
    locale: &Locale,
) -> Result<Mailboxes, EmailError> {
    if let Some(to) = &settings.to {
        return Ok(to.clone());
    }
    let team = &catalog.teams[team];
    let address = team
        .email
        .as_deref()
        .ok_or_else(|| EmailError::NoRecipient {
            team: team.id.clone(),
        })?;
    let parsed =
        crate::catalog::parse_address(address).ok_or_else(|| EmailError::BadRecipient {
            team: team.id.clone(),
            address: address.to_owned(),
        })?;
    let name = header_text(team.name_in(locale.code()));
    Ok(Mailbox::new(Some(name), parsed).into())
}

/// The subject of `team`'s message: "[SOC] Monitoring — 3 tasks due Mon 23 Nov 2026".
pub fn subject(catalog: &Catalog, plan: &Plan, team: usize, locale: &Locale) -> String {
    let count = occurrences_of_team(catalog, plan, team).count();
    let key = match count {
        0 => "subject_none",
        1 => "subject_one",
        _ => "subject_other",
    };
    let date = match plan.view {
        View::Day => locale.medium_date(plan.from),
        View::Week | View::Range => locale.date_range(plan.from, plan.to),
    };
    header_text(&locale.format(
        key,
        &[
            ("team", catalog.teams[team].name_in(locale.code())),
            ("count", &count.to_string()),
            ("date", &date),
        ],
    ))
}

/// The part of `plan` that concerns `team`.
fn plan_of_team(catalog: &Catalog, plan: &Plan, team: usize) -> Plan {
    Plan {
        from: plan.from,
        to: plan.to,
        view: plan.view,
        teams: vec![team],
        occurrences: occurrences_of_team(catalog, plan, team).cloned().collect(),
        tracked: plan.tracked,
        carried: super::carried_of_team(catalog, plan, team)
            .cloned()
            .collect(),
    }
}

/// A Message-ID unique to this message: the date in nanoseconds, the team and a random
/// number, at the sender's domain.
fn message_id(date: jiff::Timestamp, team: &str, sender: &Mailbox) -> String {
    use std::hash::{BuildHasher, Hasher};
    // Every RandomState is seeded differently, which is all the randomness needed here.
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_i128(date.as_nanosecond());
    hasher.write_u32(std::process::id());
    hasher.write(team.as_bytes());
    let random = hasher.finish();
    let mut id = String::with_capacity(80);
    let _ = write!(
        id,
        "<{}.{random:016x}.{}@{}>",
        date.as_nanosecond(),
        team,
        sender.email.domain()
    );
    id
}

/// The message for one team of a plan: its checklist in the render language, as text and
/// HTML alternatives.
pub fn message(
    catalog: &Catalog,
    plan: &Plan,
    team: usize,
    options: &RenderOptions,
    settings: &EmailSettings,
) -> Result<Message, EmailError> {
    let to = recipients(catalog, team, settings, &options.locale)?;
    let team_plan = plan_of_team(catalog, plan, team);
    let subject = subject(catalog, plan, team, &options.locale);
    build(
        catalog,
        &team_plan,
        (to, subject, &catalog.teams[team].id),
        options,
        settings,
    )
}

/// The message for one member: `plan` already holds only their work ([`crate::people::keep_assigned`]),
/// in a section per team of theirs, sent to their own address.
pub fn person_message(
    catalog: &Catalog,
    plan: &Plan,
    member: &crate::catalog::Member,
    options: &RenderOptions,
    settings: &EmailSettings,
) -> Result<Message, EmailError> {
    let locale = &options.locale;
    let address =
        crate::catalog::parse_address(&member.email).ok_or_else(|| EmailError::BadRecipient {
            team: member.id.clone(),
            address: member.email.clone(),
        })?;
    let to: Mailboxes = Mailbox::new(Some(header_text(&member.name)), address).into();
    let count = plan.occurrences.len();
    let key = match count {
        0 => "subject_none",
        1 => "subject_one",
        _ => "subject_other",
    };
    let date = match plan.view {
        View::Day => locale.medium_date(plan.from),
        View::Week | View::Range => locale.date_range(plan.from, plan.to),
    };
    let subject = header_text(&locale.format(
        key,
        &[
            ("team", &member.name),
            ("count", &count.to_string()),
            ("date", &date),
        ],
    ));
    build(catalog, plan, (to, subject, &member.id), options, settings)
}

/// A message of `body_plan` (its text and HTML alternatives) to `to`, with `subject`; `id`
/// (a team's or a member's) goes into the Message-ID.
fn build(
    catalog: &Catalog,
    team_plan: &Plan,
    (to, subject, id): (Mailboxes, String, &str),
    options: &RenderOptions,
    settings: &EmailSettings,
) -> Result<Message, EmailError> {
    let locale = &options.locale;
    let from = sender(catalog, settings)?;
    let date = settings.date.unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let body_options = RenderOptions {
        locale: locale.clone(),
        color: false,
        width: None,
        printed: options.printed,
        cover: options.cover.clone(),
        ..RenderOptions::default()
    };

    let mut text = Vec::new();
    if let Some(warning) = &settings.warning {
        for line in super::text::wrap(&format!("Warning: {warning}"), 78) {
            writeln!(text, "{line}")?;
        }
        writeln!(text)?;
    }
    render_plan(&mut text, catalog, team_plan, Format::Text, &body_options)?;
    let source = catalog.tasks_path.file_name().map_or_else(
        || catalog.tasks_path.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    );
    // The conventional signature separator, so mail readers can tell the footer apart.
    write!(
        text,
        "\n-- \n{}\n",
        locale.format("generated_by", &[("catalog", &source)])
    )?;
    let mut html = Vec::new();
    render_plan(&mut html, catalog, team_plan, Format::Html, &body_options)?;
    if let Some(warning) = &settings.warning {
        html = with_warning(&html, warning);
    }

    let message = Message::builder()
        .from(from.clone())
        .mailbox(header::To::from(to))
        .subject(subject)
        .date(SystemTime::from(date))
        .message_id(Some(message_id(date, id, &from)))
        .user_agent(concat!("socctl/", env!("CARGO_PKG_VERSION")).to_owned())
        .header(AutoSubmitted)
        .multipart(
            MultiPart::alternative()
                .singlepart(SinglePart::plain(
                    String::from_utf8_lossy(&text).into_owned(),
                ))
                .singlepart(SinglePart::html(
                    String::from_utf8_lossy(&html).into_owned(),
                )),
        )?;
    Ok(message)
}

/// An HTML page with `warning` as the first thing in its body.
fn with_warning(page: &[u8], warning: &str) -> Vec<u8> {
    let notice = format!(
        "<p role=\"alert\" style=\"border: 2px solid #c00; padding: 2mm; color: #c00\"><strong>Warning:</strong> {}</p>\n",
        super::html::escape(warning)
    );
    let body = page
        .windows(5)
        .position(|w| w == b"<body")
        .and_then(|start| {
            page[start..]
                .iter()
                .position(|&b| b == b'\n')
                .map(|end| start + end + 1)
        });
    match body {
        Some(at) => [&page[..at], notice.as_bytes(), &page[at..]].concat(),
        None => [notice.as_bytes(), page].concat(),
    }
}

/// A message as a local program reads it (`sendmail -t`, a `.eml` file): the RFC 5322 text
/// with LF line ends instead of the CRLF of the wire. Bodies are encoded, so only line
/// ends change.
pub fn local_form(message: &Message) -> Vec<u8> {
    let wire = message.formatted();
    let mut local = Vec::with_capacity(wire.len());
    let mut bytes = wire.iter().peekable();
    while let Some(&byte) = bytes.next() {
        if byte == b'\r' && bytes.peek() == Some(&&b'\n') {
            continue;
        }
        local.push(byte);
    }
    local
}

/// `--format email`: the one team's message. The envelope comes from `options.email`.
pub(super) fn plan(
    out: &mut (impl Write + ?Sized),
    catalog: &Catalog,
    plan: &Plan,
    options: &RenderOptions,
) -> io::Result<()> {
    let [team] = plan.teams[..] else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            EmailError::NotOneTeam {
                teams: plan.teams.len(),
            },
        ));
    };
    let message =
        message(catalog, plan, team, options, &options.email).map_err(|error| match error {
            EmailError::Body(error) => error,
            other => io::Error::other(other),
        })?;
    out.write_all(&local_form(&message))
}

#[cfg(test)]
mod tests {
    use mail_parser::{MessageParser, MimeHeaders};

    use super::*;
    use crate::plan::plan;

    const TASKS: &str = r#"
version: 1
timezone: Europe/Copenhagen
tasks:
  - id: patch
    title: "Patch\r\nBcc: attacker@evil.example"
    description: "Apply patches"
    cadence: daily
    team: alpha
    translations:
      ja: {title: "パッチを適用する"}
  - id: review
    title: "Review <alerts> & rules"
    description: "Weekly review"
    cadence: weekly on monday
    team: alpha
  - id: idle
    title: "Idle work"
    description: "Never due"
    cadence: as needed
    team: beta
  - id: forged
    title: "Forged team work"
    description: "Daily"
    cadence: daily
    team: gamma
"#;

    const ROLES: &str = r#"
version: 1
mail_from: "soc@example.org"
teams:
  - id: alpha
    name: "Alpha"
    email: "alpha@example.org"
    translations:
      ja: {name: "監視"}
  - id: beta
    name: "Beta"
  - id: gamma
    name: "Gamma\r\nBcc: attacker@evil.example\r\nX-Injected: yes"
    email: "gamma@example.org"
"#;

    fn catalog(roles: &str) -> Catalog {
        let loaded = crate::catalog::load_sources(
            "tasks.yaml".as_ref(),
            TASKS,
            "roles.yaml".as_ref(),
            roles,
            jiff::civil::date(2026, 11, 23),
        );
        loaded
            .catalog
            .unwrap_or_else(|| panic!("an invalid catalog: {}", loaded.diagnostics))
    }

    fn options(language: &str) -> RenderOptions {
        RenderOptions {
            locale: Locale::new(language),
            ..RenderOptions::default()
        }
    }

    fn date() -> jiff::Timestamp {
        "2026-11-23T06:00:00Z".parse().expect("a timestamp")
    }

    fn settings() -> EmailSettings {
        EmailSettings {
            date: Some(date()),
            ..EmailSettings::default()
        }
    }

    /// The message for one team on Monday 23 November 2026, as `--format email` writes it.
    fn local_message(catalog: &Catalog, team: usize, language: &str, view: View) -> Vec<u8> {
        let monday = jiff::civil::date(2026, 11, 23);
        let to = if view == View::Day {
            monday
        } else {
            jiff::civil::date(2026, 11, 29)
        };
        let plan = plan(catalog, monday, to, &[team], view).expect("a plan");
        let message =
            message(catalog, &plan, team, &options(language), &settings()).expect("a message");
        local_form(&message)
    }

    /// The header block: everything before the first empty line.
    fn header_block(raw: &[u8]) -> String {
        let text = String::from_utf8(raw.to_vec()).expect("UTF-8");
        text.split("\n\n").next().unwrap_or_default().to_owned()
    }

    #[test]
    fn a_message_has_every_header_and_both_alternatives() {
        let catalog = catalog(ROLES);
        let raw = local_message(&catalog, 0, "en", View::Day);
        assert!(raw.is_ascii(), "not 7-bit clean");
        assert!(!raw.contains(&b'\r'), "local form keeps CR");
        let parsed = MessageParser::default()
            .parse(&raw)
            .expect("a parsable message");

        let from = parsed.from().and_then(|a| a.first()).expect("From");
        assert_eq!(from.address(), Some("soc@example.org"));
        let to: Vec<_> = parsed.to().expect("To").iter().collect();
        assert_eq!(to.len(), 1);
        assert_eq!(to[0].address(), Some("alpha@example.org"));
        assert_eq!(to[0].name(), Some("Alpha"));
        assert_eq!(
            parsed.subject(),
            Some("[SOC] Alpha — 2 tasks due Mon 23 Nov 2026")
        );
        let sent = parsed.date().expect("Date");
        assert_eq!(sent.to_timestamp(), date().as_second());
        let id = parsed.message_id().expect("Message-ID");
        assert!(
            id.ends_with("@example.org") && id.contains(".alpha@"),
            "{id}"
        );
        assert_eq!(
            parsed.header_raw("Auto-Submitted").map(str::trim),
            Some("auto-generated")
        );

        let content_type = parsed.content_type().expect("Content-Type");
        assert_eq!(content_type.ctype(), "multipart");
        assert_eq!(content_type.subtype(), Some("alternative"));
        assert_eq!(parsed.text_body_count(), 1);
        assert_eq!(parsed.html_body_count(), 1);
        let text = parsed.body_text(0).expect("a text part");
        assert!(text.contains("Due Monday 23 November 2026 (Europe/Copenhagen)"));
        assert!(text.contains("[ ] Review <alerts> & rules"), "{text}");
        assert!(
            text.contains("[ ] Patch Bcc: attacker@evil.example"),
            "{text}"
        );
        assert!(
            text.contains("-- \nGenerated by socctl from tasks.yaml"),
            "{text}"
        );
        let html = parsed.body_html(0).expect("an HTML part");
        assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
        assert!(html.contains("Review &lt;alerts&gt; &amp; rules"), "{html}");
        assert!(html.contains("<h2>Alpha</h2>"), "{html}");
        // Only the team's own work.
        assert!(!text.contains("Forged") && !html.contains("Forged"));
    }

    #[test]
    fn a_japanese_subject_survives_as_encoded_words() {
        let catalog = catalog(ROLES);
        let raw = local_message(&catalog, 0, "ja", View::Day);
        assert!(raw.is_ascii(), "not 7-bit clean");
        let headers = header_block(&raw);
        assert!(headers.contains("Subject: [SOC] =?utf-8?b?"), "{headers}");
        let parsed = MessageParser::default()
            .parse(&raw)
            .expect("a parsable message");
        assert_eq!(
            parsed.subject(),
            Some("[SOC] 監視 — 2026年11月23日(月)の予定 2 件")
        );
        let to = parsed.to().and_then(|a| a.first()).expect("To");
        assert_eq!(to.name(), Some("監視"));
        let text = parsed.body_text(0).expect("a text part");
        assert!(text.contains("パッチを適用する"), "{text}");
        assert!(
            parsed
                .body_html(0)
                .expect("HTML")
                .contains("パッチを適用する")
        );
    }

    #[test]
    fn catalog_text_cannot_inject_a_header() {
        let catalog = catalog(ROLES);
        // A hostile title (team alpha) and a hostile team name (gamma, in Subject and To).
        for (team, language) in [(0, "en"), (0, "ja"), (2, "en")] {
            let raw = local_message(&catalog, team, language, View::Day);
            let headers = header_block(&raw);
            for line in headers.lines() {
                let starts_header = !line.starts_with([' ', '\t']);
                let name = line
                    .split(':')
                    .next()
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                assert!(
                    !(starts_header && (name == "bcc" || name == "x-injected")),
                    "an injected header: {line}\n{headers}"
                );
            }
            let parsed = MessageParser::default()
                .parse(&raw)
                .expect("a parsable message");
            assert!(parsed.bcc().is_none(), "{headers}");
            assert!(parsed.header_raw("X-Injected").is_none(), "{headers}");
            let to_headers = parsed
                .headers()
                .iter()
                .filter(|h| h.name.as_str().eq_ignore_ascii_case("to"))
                .count();
            assert_eq!(to_headers, 1, "{headers}");
            assert_eq!(parsed.to().expect("To").iter().count(), 1, "{headers}");
            // The hostile text is still there, harmlessly, on one line.
            if team == 2 {
                assert_eq!(
                    parsed.subject(),
                    Some(
                        "[SOC] Gamma Bcc: attacker@evil.example X-Injected: yes — 1 task due Mon 23 Nov 2026"
                    )
                );
                let to = parsed.to().and_then(|a| a.first()).expect("To");
                assert_eq!(to.address(), Some("gamma@example.org"));
            }
        }
    }

    #[test]
    fn missing_sender_or_recipient_is_a_clear_error() {
        let without_sender = catalog(&ROLES.replace("mail_from: \"soc@example.org\"\n", ""));
        let day = jiff::civil::date(2026, 11, 23);
        let plan = plan(&without_sender, day, day, &[0, 1], View::Day).expect("a plan");
        let error =
            message(&without_sender, &plan, 0, &options("en"), &settings()).expect_err("no sender");
        assert!(matches!(error, EmailError::NoSender), "{error}");
        assert!(error.to_string().contains("--mail-from"), "{error}");

        let given = EmailSettings {
            from: Some("Scheduler <sched@example.net>".parse().expect("a mailbox")),
            ..settings()
        };
        let error = message(&without_sender, &plan, 1, &options("en"), &given)
            .expect_err("beta has no address");
        assert!(
            matches!(&error, EmailError::NoRecipient { team } if team == "beta"),
            "{error}"
        );
        let redirected = EmailSettings {
            to: Some(
                "ops@example.net, lead@example.net"
                    .parse()
                    .expect("mailboxes"),
            ),
            ..given
        };
        let message =
            message(&without_sender, &plan, 1, &options("en"), &redirected).expect("a message");
        let raw = local_form(&message);
        let parsed = MessageParser::default()
            .parse(&raw)
            .expect("a parsable message");
        let to: Vec<_> = parsed
            .to()
            .expect("To")
            .iter()
            .filter_map(|a| a.address())
            .collect();
        assert_eq!(to, ["ops@example.net", "lead@example.net"]);
        assert_eq!(
            parsed.from().and_then(|a| a.first()).and_then(|a| a.name()),
            Some("Scheduler")
        );
        assert_eq!(
            parsed.subject(),
            Some("[SOC] Beta — nothing due Mon 23 Nov 2026")
        );
        assert!(parsed.body_text(0).expect("text").contains("Nothing due."));
    }

    #[test]
    fn a_week_subject_names_the_range() {
        let catalog = catalog(ROLES);
        let raw = local_message(&catalog, 0, "en", View::Week);
        let parsed = MessageParser::default()
            .parse(&raw)
            .expect("a parsable message");
        assert_eq!(
            parsed.subject(),
            Some("[SOC] Alpha — 8 tasks due Mon 23 Nov 2026 – Sun 29 Nov 2026")
        );
    }

    #[test]
    fn the_email_format_writes_one_team_only() {
        let catalog = catalog(ROLES);
        let day = jiff::civil::date(2026, 11, 23);
        let plan = plan(&catalog, day, day, &[0, 2], View::Day).expect("a plan");
        let mut out = Vec::new();
        let error = render_plan(&mut out, &catalog, &plan, Format::Email, &options("en"))
            .expect_err("two teams");
        assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
        assert!(error.to_string().contains("--team"), "{error}");
        assert!(out.is_empty());
    }

    #[test]
    fn the_catalog_sender_must_be_a_bare_address() {
        let roles = ROLES.replace("\"soc@example.org\"", "\"SOC\\r\\nBcc: x@evil.example\"");
        let loaded = crate::catalog::load_sources(
            "tasks.yaml".as_ref(),
            TASKS,
            "roles.yaml".as_ref(),
            &roles,
            jiff::civil::date(2026, 11, 23),
        );
        assert!(loaded.catalog.is_none());
        let shown = loaded.diagnostics.to_string();
        assert!(
            shown.contains("roles.yaml:3:12: error:") && shown.contains("is not an e-mail address"),
            "{shown}"
        );
    }

    #[test]
    fn header_text_keeps_to_one_line() {
        assert_eq!(header_text("a\r\nb\tc\u{0}d  e\u{85}f"), "a b c d e f");
    }

    #[test]
    fn header_text_splits_words_longer_than_64_characters() {
        let word = format!("{}{}", "N".repeat(64), "M".repeat(10));
        assert_eq!(
            header_text(&format!("a {word}")),
            format!("a {} {}", "N".repeat(64), "M".repeat(10))
        );
        let japanese = "監".repeat(65);
        assert_eq!(header_text(&japanese), format!("{} 監", "監".repeat(64)));
    }

    /// Found by the `render_email` fuzz target: a team name of 1,200 letters without a space
    /// made a `To` line of 1,222 octets and a `Subject` line of 1,201.
    #[test]
    fn header_lines_stay_within_998_octets_whatever_the_team_name() {
        let long = "N".repeat(1200);
        let catalog = catalog(&ROLES.replace("name: \"Alpha\"", &format!("name: \"{long}\"")));
        let raw = local_message(&catalog, 0, "en", View::Day);
        let headers = header_block(&raw);
        for line in headers.lines() {
            assert!(line.len() <= 998, "{} octets: {line}", line.len());
        }
        let parsed = MessageParser::default()
            .parse(&raw)
            .expect("a parsable message");
        let to = parsed.to().and_then(|a| a.first()).expect("To");
        assert_eq!(to.address(), Some("alpha@example.org"));
        let name = to.name().expect("a display name");
        assert_eq!(name.replace(' ', ""), long, "{name}");
        assert!(parsed.subject().expect("Subject").contains(&"N".repeat(64)));
    }
}
