//! `socctl notify`: the reminders of the day to each team's channels (Teams, Slack, signed
//! webhooks) and, for escalations and digests, to the leads by mail; each reminder once
//! (claimed in the journal's sent-log before it is sent), every delivery within a time
//! limit, one failing channel never stopping the others.

use std::io::Write;
use std::time::Duration;

use super::{Context, DateArg, Exit, UsageError};
use crate::catalog::{Catalog, Channel, ChannelKind};
use crate::http::{Client, Options, Request, Target};
use crate::journal::{Claim, Delivery, NotificationKey, Store};
use crate::notify::reminders::{self, Reminder};
use crate::notify::{Kind, Message, secrets, slack, teams, webhook};
use crate::plan::View;

/// Arguments of `socctl notify`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only this team, or the members of this group [default: every team]
    #[arg(long, short, add = clap_complete::ArgValueCandidates::new(crate::cli::shell::team_or_group_candidates))]
    pub team: Option<String>,
    /// The reminders to send, comma-separated: due, heads-up, overdue, escalation, digest
    /// [default: due,heads-up,overdue,escalation; cron the digest weekly with --kind digest]
    #[arg(long, short, value_delimiter = ',', value_name = "KINDS", value_parser = parse_kind)]
    pub kind: Vec<Kind>,
    /// The day: today, tomorrow, yesterday or YYYY-MM-DD [default: today in each team's time zone]
    #[arg(long, short)]
    pub date: Option<DateArg>,
    /// Show what would be sent, and what was sent already; send nothing, record nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Give up on a delivery (connecting, sending and every retry) after this many seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub timeout: u64,
    /// Trust the CA certificates in this PEM file instead of the public roots (a private CA)
    #[arg(long, env = "SOCCTL_NOTIFY_CA_FILE", value_name = "FILE")]
    pub ca_file: Option<std::path::PathBuf>,
    /// Also mail escalations and digests to each team's leads (or `escalate_to`) through
    /// this SMTP server (smtp://, smtp+starttls://, smtps://, as `socctl mail --smtp`)
    #[arg(long, env = "SOCCTL_SMTP", value_name = "URL")]
    pub smtp: Option<String>,
    /// The sender of those mails [default: mail_from in roles.yaml]
    #[arg(long, env = "SOCCTL_MAIL_FROM", value_name = "ADDRESS", value_parser = super::args::parse_mailbox)]
    pub mail_from: Option<lettre::message::Mailbox>,
}

fn parse_kind(text: &str) -> Result<Kind, String> {
    Kind::parse(text).ok_or_else(|| {
        format!(
            "`{text}` is not a reminder kind; kinds: {}",
            crate::catalog::REMINDER_KINDS.join(", ")
        )
    })
}

/// How long a claim that never finished (its run died between claim and send) holds
/// before a later run takes it over.
const STALE_CLAIM: Duration = Duration::from_secs(15 * 60);

/// Where one message goes.
enum Destination {
    Channel(Channel),
    /// A member's own channel: their id, their name, the channel.
    Person(String, String, Channel),
    Mail(String),
}

impl Destination {
    /// The sent-log's name for it. A team channel's id has no `:` (roles.yaml allows
    /// letters, digits, `-` and `_`), so `person:` and `mail:` ids never meet one.
    fn id(&self) -> String {
        match self {
            Self::Channel(channel) => channel.id.clone(),
            Self::Person(person, _, channel) => format!("person:{person}:{}", channel.id),
            Self::Mail(address) => format!("mail:{address}"),
        }
    }

    fn describe(&self) -> String {
        let channel = |channel: &Channel| {
            format!(
                "{} ({}, {})",
                channel.id,
                channel.kind.as_str(),
                channel.url.describe()
            )
        };
        match self {
            Self::Channel(c) => channel(c),
            Self::Person(person, _, c) => format!("{person}'s {}", channel(c)),
            Self::Mail(address) => format!("mail to {address}"),
        }
    }

    /// The person it is to, when it is a member's own channel: id and name.
    fn person(&self) -> Option<(&str, &str)> {
        match self {
            Self::Person(id, name, _) => Some((id, name)),
            Self::Channel(_) | Self::Mail(_) => None,
        }
    }
}

/// What a run did, reminder by reminder.
#[derive(Default)]
struct Tally {
    sent: usize,
    already: usize,
    failed: usize,
}

/// Runs `socctl notify`.
pub fn run(context: &Context, args: &Args, out: &mut dyn Write) -> anyhow::Result<Exit> {
    let catalog = context.catalog()?;
    let teams = context.teams(&catalog, args.team.as_deref())?;
    let kinds: Vec<Kind> = if args.kind.is_empty() {
        vec![Kind::Due, Kind::HeadsUp, Kind::Overdue, Kind::Escalation]
    } else {
        Kind::ALL
            .into_iter()
            .filter(|k| args.kind.contains(k))
            .collect()
    };
    let run_locale = context.render_options().locale;
    let today = context.date(&catalog, args.date.as_ref())?;
    let mut store: Option<Box<dyn Store>> = if args.dry_run {
        match context.journal_location()?.open_existing() {
            Ok(store) => store,
            // Not upgraded by a dry run: nothing of schema 4 is there, so nothing was sent.
            Err(crate::journal::JournalError::Outdated { .. }) => None,
            Err(error) => return Err(error.into()),
        }
    } else {
        Some(context.journal_for_writing(today)?)
    };
    let client = Client::new(Options {
        time_limit: Duration::from_secs(args.timeout),
        ca_file: args.ca_file.clone(),
        ..Options::default()
    })
    .map_err(|e| UsageError(format!("--ca-file: {e}")))?;
    let smtp = match (&args.smtp, args.dry_run) {
        (Some(url), false) => Some((
            super::mail::transport(url, Duration::from_secs(args.timeout))?,
            sender(&catalog, args)?,
        )),
        _ => None,
    };
    let claimant = format!(
        "{}@{} pid {}",
        super::environment::login_name(),
        hostname(),
        std::process::id()
    );
    let mut tally = Tally::default();
    let cover = context.cover(&catalog);
    let mut assigner = crate::people::Assigner::new(&catalog, &cover);
    for &team in &teams {
        let locale = catalog.teams[team].locale_or(&run_locale);
        let date = match &args.date {
            Some(_) => today,
            None => context.today_of_team(&catalog, team)?,
        };
        let batches = batches(
            context,
            &catalog,
            store.as_deref(),
            (team, date),
            &kinds,
            &locale,
        )?;
        for (kind, reminders, message_date) in batches {
            if reminders.is_empty() {
                continue;
            }
            let mut sends: Vec<(Destination, Vec<Reminder>)> =
                targets(&catalog, team, kind, date, args.smtp.is_some())
                    .into_iter()
                    .map(|target| (target, reminders.clone()))
                    .collect();
            sends.extend(personal(&catalog, team, kind, &reminders, &mut assigner));
            for (target, reminders) in sends {
                let keys: Vec<NotificationKey> = reminders
                    .iter()
                    .map(|r| NotificationKey {
                        task: r.task.clone(),
                        occurrence: r.occurrence,
                        team: catalog.teams[team].id.clone(),
                        kind: kind.as_str().to_owned(),
                        channel: target.id(),
                    })
                    .collect();
                let heading = format!(
                    "{} {}: {}",
                    crate::render::terminal_text(&catalog.teams[team].id),
                    kind.as_str(),
                    target.describe()
                );
                if args.dry_run {
                    dry_run(
                        out,
                        store.as_deref(),
                        &heading,
                        (&keys, &reminders),
                        &mut tally,
                    )?;
                    continue;
                }
                let Some(store) = store.as_deref_mut() else {
                    anyhow::bail!("no journal to record what was sent in");
                };
                deliver(
                    out,
                    store,
                    (&catalog, team, &locale),
                    (&target, kind, message_date),
                    (&keys, &reminders),
                    (&client, smtp.as_ref(), &claimant, &heading),
                    &mut tally,
                )?;
            }
        }
    }
    if args.dry_run {
        writeln!(
            out,
            "dry run: would send {}, already sent {}",
            tally.sent, tally.already
        )?;
        return Ok(Exit::Success);
    }
    writeln!(
        out,
        "sent {}, already sent {}, failed {}",
        tally.sent, tally.already, tally.failed
    )?;
    Ok(if tally.failed > 0 {
        Exit::NotDelivered
    } else {
        Exit::Success
    })
}

/// The reminders of each kind for team `team` on `date`, and the day each message is about.
fn batches(
    context: &Context,
    catalog: &Catalog,
    store: Option<&dyn Store>,
    (team, date): (usize, jiff::civil::Date),
    kinds: &[Kind],
    locale: &crate::i18n::Locale,
) -> anyhow::Result<Vec<(Kind, Vec<Reminder>, jiff::civil::Date)>> {
    let mut batches = Vec::new();
    let team_id = catalog.teams[team].id.as_str();
    let (occurrences, runs) = match store {
        Some(store)
            if kinds
                .iter()
                .any(|k| matches!(k, Kind::Overdue | Kind::Escalation | Kind::Digest)) =>
        {
            let (tracking_start, records) =
                super::checklist::tracked_records(store, catalog, &[team])?;
            let now = catalog.now_of_team(team, context.now(catalog)?);
            let now = if now.date() == date {
                now
            } else {
                date.to_datetime(jiff::civil::Time::midnight())
            };
            let query = |every_occurrence| crate::listing::overdue::OverdueQuery {
                teams: std::slice::from_ref(&team),
                tracking_start,
                now,
                every_occurrence,
                person: None,
            };
            let language = locale.code();
            (
                crate::listing::overdue::overdue_rows(catalog, &records, query(true), language)
                    .rows,
                crate::listing::overdue::overdue_rows(catalog, &records, query(false), language)
                    .rows,
            )
        }
        _ => (Vec::new(), Vec::new()),
    };
    for &kind in kinds {
        match kind {
            Kind::Due | Kind::HeadsUp => {
                let day = if kind == Kind::Due {
                    date
                } else {
                    crate::calendar::add_days(date, i64::from(catalog.notify.heads_up_days))
                        .unwrap_or(date)
                };
                let view = if day == date { View::Day } else { View::Range };
                let (plan, _) =
                    super::checklist::tracked_plan(context, catalog, &[team], (date, day), view)?;
                batches.push((
                    kind,
                    reminders::from_plan(catalog, &plan, team, kind, locale),
                    day,
                ));
            }
            Kind::Overdue | Kind::Escalation => {
                let (overdue, escalation) = reminders::overdue(
                    &occurrences,
                    team_id,
                    date,
                    catalog.notify.escalate_after_days,
                    locale,
                );
                let list = if kind == Kind::Overdue {
                    overdue
                } else {
                    escalation
                };
                batches.push((kind, list, date));
            }
            Kind::Digest => {
                let (week_start, _) = crate::plan::week_of(catalog, date);
                let items = reminders::digest_items(&runs, team_id, locale);
                // The digest is one reminder of the team's week; its lines ride along.
                let mut list = vec![Reminder {
                    kind,
                    task: String::new(),
                    occurrence: week_start,
                    time: None,
                    item: None,
                }];
                list.extend(items.into_iter().map(|item| Reminder {
                    kind,
                    task: String::new(),
                    occurrence: week_start,
                    time: None,
                    item: Some(item),
                }));
                batches.push((kind, list, week_start));
            }
        }
    }
    Ok(batches)
}

/// The channels of team `team` that take `kind`, and for escalations and digests the
/// leads' addresses (or `escalate_to`) when mail is set up.
fn targets(
    catalog: &Catalog,
    team: usize,
    kind: Kind,
    date: jiff::civil::Date,
    mail: bool,
) -> Vec<Destination> {
    let mut targets: Vec<Destination> = catalog.teams[team]
        .channels
        .iter()
        .filter(|c| c.takes(kind.as_str()))
        .cloned()
        .map(Destination::Channel)
        .collect();
    if mail && matches!(kind, Kind::Escalation | Kind::Digest) {
        let mut leads: Vec<String> = catalog.teams[team]
            .members
            .iter()
            .filter(|m| m.lead && m.active_on(date))
            .map(|m| m.email.clone())
            .collect();
        leads.dedup();
        if leads.is_empty() {
            leads.extend(catalog.notify.escalate_to.clone());
        }
        targets.extend(leads.into_iter().map(Destination::Mail));
    }
    targets
}

/// The reminders of `reminders` (team `team`'s, of `kind`) assigned to someone with
/// channels of their own, for each of those channels that takes `kind`. Escalations go to
/// the lead and digests are the team's, so only `due`, `heads-up` and `overdue` go to a
/// person.
fn personal(
    catalog: &Catalog,
    team: usize,
    kind: Kind,
    reminders: &[Reminder],
    assigner: &mut crate::people::Assigner<'_>,
) -> Vec<(Destination, Vec<Reminder>)> {
    if !matches!(kind, Kind::Due | Kind::HeadsUp | Kind::Overdue) {
        return Vec::new();
    }
    let mut by_person: Vec<(&crate::catalog::Member, Vec<Reminder>)> = Vec::new();
    for reminder in reminders {
        let Some(task) = catalog.tasks.iter().position(|t| t.id == reminder.task) else {
            continue;
        };
        let Some(member) = assigner
            .who(task, team, reminder.occurrence, reminder.time)
            .member()
        else {
            continue;
        };
        match by_person.iter_mut().find(|(m, _)| m.id == member.id) {
            Some((_, list)) => list.push(reminder.clone()),
            None => by_person.push((member, vec![reminder.clone()])),
        }
    }
    let mut sends = Vec::new();
    for (member, list) in by_person {
        for channel in catalog.person_channels(&member.id) {
            if channel.takes(kind.as_str()) {
                sends.push((
                    Destination::Person(member.id.clone(), member.name.clone(), channel.clone()),
                    list.clone(),
                ));
            }
        }
    }
    sends
}

/// The keys of one message, deduplicated (a digest's lines share its key).
fn distinct(keys: &[NotificationKey]) -> Vec<&NotificationKey> {
    let mut seen: Vec<&NotificationKey> = Vec::new();
    for key in keys {
        if !seen.contains(&key) {
            seen.push(key);
        }
    }
    seen
}

fn dry_run(
    out: &mut dyn Write,
    store: Option<&dyn Store>,
    heading: &str,
    (keys, reminders): (&[NotificationKey], &[Reminder]),
    tally: &mut Tally,
) -> anyhow::Result<()> {
    let mut would = Vec::new();
    for (key, reminder) in keys.iter().zip(reminders) {
        let state = match store {
            Some(store) => store.notification(key)?,
            None => None,
        };
        let first = keys.iter().position(|k| k == key) == keys.iter().rposition(|k| k == key)
            || reminder.item.is_none();
        match state {
            Some(state) if state.state == "sent" => {
                if first {
                    tally.already += 1;
                }
            }
            Some(state) if state.state == "claimed" => {
                if first {
                    tally.sent += 1;
                }
                would.push(format!(
                    "{} (claimed by {} at {} and never finished: a later run sends it again)",
                    key_words(key, reminder),
                    state.claimed_by,
                    state.claimed_at
                ));
            }
            _ => {
                if first {
                    tally.sent += 1;
                }
                if reminder.item.is_some() || key.task.is_empty() && reminders.len() == 1 {
                    would.push(key_words(key, reminder));
                }
            }
        }
    }
    if !would.is_empty() {
        writeln!(out, "would send {heading}")?;
        for line in would {
            writeln!(out, "  {}", crate::render::terminal_text(&line))?;
        }
    }
    Ok(())
}

fn key_words(key: &NotificationKey, reminder: &Reminder) -> String {
    match &reminder.item {
        Some(item) => format!(
            "{} {}: {} ({})",
            item.task, item.occurrence, item.title, item.note
        ),
        None => format!("{} {}", key.kind, key.occurrence),
    }
}

/// Claims `keys`, sends one message of the claimed reminders to `target`, and records the
/// outcome.
fn deliver(
    out: &mut dyn Write,
    store: &mut dyn Store,
    (catalog, team, locale): (&Catalog, usize, &crate::i18n::Locale),
    (target, kind, date): (&Destination, Kind, jiff::civil::Date),
    (keys, reminders): (&[NotificationKey], &[Reminder]),
    (client, smtp, claimant, heading): (
        &Client,
        Option<&(lettre::SmtpTransport, lettre::message::Mailbox)>,
        &str,
        &str,
    ),
    tally: &mut Tally,
) -> anyhow::Result<()> {
    let unique = distinct(keys);
    // Credentials first: a channel whose URL cannot be had claims nothing, so the next run
    // (once the variable or file is there) sends it.
    let prepared = match prepare(target) {
        Ok(prepared) => prepared,
        Err(error) => {
            tally.failed += unique.len();
            eprintln!(
                "socctl: {heading}: not sent: {}",
                crate::render::terminal_text(&error)
            );
            return Ok(());
        }
    };
    let now = super::environment::now();
    let mut claims: Vec<(&NotificationKey, String)> = Vec::new();
    for key in &unique {
        match store.claim_notification(key, claimant, now, STALE_CLAIM)? {
            Claim::Mine { claim, previous } => {
                if let Some(previous) = previous
                    && previous.state == "claimed"
                {
                    eprintln!(
                        "socctl: {heading}: {} {}: the claim of {} at {} never finished; sending it again",
                        key.task, key.occurrence, previous.claimed_by, previous.claimed_at
                    );
                }
                claims.push((key, claim));
            }
            Claim::Sent(_) | Claim::Busy(_) => tally.already += 1,
        }
    }
    if claims.is_empty() {
        return Ok(());
    }
    let items = reminders
        .iter()
        .zip(keys)
        .filter(|(_, key)| claims.iter().any(|(k, _)| k == key))
        .filter_map(|(r, _)| r.item.clone())
        .collect();
    let message = reminders::message(
        catalog,
        (team, target.person()),
        (kind, date),
        items,
        locale,
    );
    let outcome = send(&prepared, &message, client, smtp);
    let finished = super::environment::now();
    let delivery = match &outcome {
        Ok(()) => Delivery::Sent,
        Err(error) => Delivery::Failed(error.clone()),
    };
    for (key, claim) in &claims {
        store.finish_notification(key, claim, &delivery, finished)?;
    }
    match outcome {
        Ok(()) => {
            tally.sent += claims.len();
            writeln!(
                out,
                "sent {heading}: {}",
                crate::render::terminal_text(&message.title)
            )?;
        }
        Err(error) => {
            tally.failed += claims.len();
            eprintln!(
                "socctl: {heading}: not sent: {}",
                crate::render::terminal_text(&error)
            );
        }
    }
    Ok(())
}

/// A target with its credentials read.
enum Prepared {
    Post {
        kind: ChannelKind,
        target: Target,
        secret: Option<String>,
    },
    Mail(lettre::Address),
}

fn prepare(target: &Destination) -> Result<Prepared, String> {
    let variable = |name: &str| super::environment::env_var(name);
    match target {
        Destination::Mail(address) => address
            .parse()
            .map(Prepared::Mail)
            .map_err(|_| format!("`{address}` is not a usable e-mail address")),
        Destination::Channel(channel) | Destination::Person(_, _, channel) => {
            let at = format!(
                "the channel `{}` (roles.yaml line {})",
                channel.id, channel.line
            );
            let url = secrets::resolve(&channel.url, &variable)
                .map_err(|e| format!("{at}: its url: {e}"))?;
            let parsed = Target::parse(&url).map_err(|e| format!("{at}: {e}"))?;
            let secret = channel
                .secret
                .as_ref()
                .map(|s| secrets::resolve(s, &variable))
                .transpose()
                .map_err(|e| format!("{at}: its secret: {e}"))?;
            Ok(Prepared::Post {
                kind: channel.kind,
                target: parsed,
                secret,
            })
        }
    }
}

fn send(
    prepared: &Prepared,
    message: &Message,
    client: &Client,
    smtp: Option<&(lettre::SmtpTransport, lettre::message::Mailbox)>,
) -> Result<(), String> {
    match prepared {
        Prepared::Post {
            kind,
            target,
            secret,
        } => {
            let payload = match kind {
                ChannelKind::Teams => teams::payload(message),
                ChannelKind::Slack => slack::payload(message),
                ChannelKind::Webhook => webhook::payload(message),
            };
            let body = serde_json::to_vec(&payload).map_err(|e| e.to_string())?;
            let mut request = Request::post_json(target, body);
            if let Some(secret) = secret {
                request.headers.push((
                    webhook::SIGNATURE_HEADER,
                    webhook::signature(secret.as_bytes(), &request.body),
                ));
            }
            if *kind == ChannelKind::Webhook {
                request
                    .headers
                    .push((webhook::EVENT_HEADER, message.kind.as_str().to_owned()));
            }
            client.send(&request).map(|_| ()).map_err(|e| e.to_string())
        }
        Prepared::Mail(address) => {
            let Some((transport, from)) = smtp else {
                return Err("no --smtp server to mail through".to_owned());
            };
            let body = crate::notify::mail::body(message);
            let mail = lettre::Message::builder()
                .from(from.clone())
                .to(lettre::message::Mailbox::new(None, address.clone()))
                .subject(crate::render::email::header_text(&format!(
                    "[SOC] {}",
                    message.title
                )))
                .header(lettre::message::header::ContentType::TEXT_PLAIN)
                .body(body)
                .map_err(|e| e.to_string())?;
            lettre::Transport::send(transport, &mail)
                .map(|_| ())
                .map_err(|e| format!("mail to {address}: {e}"))
        }
    }
}

fn sender(catalog: &Catalog, args: &Args) -> anyhow::Result<lettre::message::Mailbox> {
    let settings = crate::render::email::EmailSettings {
        from: args.mail_from.clone(),
        ..Default::default()
    };
    Ok(crate::render::email::sender(catalog, &settings).map_err(|e| UsageError(e.to_string()))?)
}

/// This machine's name, for the sent-log's "claimed by".
fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "localhost".to_owned())
}
