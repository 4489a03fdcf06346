//! `socctl mail`: one message per team through an SMTP server.

use std::io::Write;
use std::time::Duration;

use lettre::message::{Mailbox, Mailboxes};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::{SmtpTransport, Transport};

use super::args::{parse_mailbox, parse_mailboxes};
use super::{Context, DateArg, Exit, UsageError};
use crate::plan::{View, week_of};
use crate::render::email::{self, EmailSettings};

/// Arguments of `socctl mail`.
// Each bool is a flag of its own on the command line.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("teams").required(true).args(["team", "all_teams"])))]
pub struct Args {
    /// The SMTP server: smtp://HOST[:PORT] (unencrypted, port 25 by default),
    /// smtp+starttls://HOST[:PORT] (STARTTLS required, 587) or smtps://HOST[:PORT] (TLS, 465);
    /// USER:PASSWORD@ before HOST logs in
    #[arg(long, env = "SOCCTL_SMTP", value_name = "URL")]
    pub smtp: String,
    /// Only this team, or the members of this group (id, name or alias, case-insensitive)
    #[arg(long, short, add = clap_complete::ArgValueCandidates::new(crate::cli::shell::team_or_group_candidates))]
    pub team: Option<String>,
    /// Every team, one message each
    #[arg(long)]
    pub all_teams: bool,
    /// The day: today, tomorrow, yesterday or YYYY-MM-DD [default: today in the catalog's time zone]
    #[arg(long, short)]
    pub date: Option<DateArg>,
    /// Mail the checklist of the week containing the day instead of the day's
    #[arg(long)]
    pub week: bool,
    /// Send nothing to a team that has nothing due
    #[arg(long, short)]
    pub quiet_if_empty: bool,
    /// Sender [default: mail_from in roles.yaml]
    #[arg(long, env = "SOCCTL_MAIL_FROM", value_name = "ADDRESS", value_parser = parse_mailbox)]
    pub mail_from: Option<Mailbox>,
    /// Send every message to these addresses (comma-separated) instead of each team's email
    #[arg(long, env = "SOCCTL_MAIL_TO", value_name = "ADDRESSES", value_parser = parse_mailboxes)]
    pub mail_to: Option<Mailboxes>,
    /// --mail-from as it was first spelled: still read, with a note to use --mail-from
    #[arg(long = "from", hide = true, value_name = "ADDRESS", value_parser = parse_mailbox)]
    pub old_from: Option<Mailbox>,
    /// --mail-to as it was first spelled: still read, with a note to use --mail-to
    #[arg(long = "to", hide = true, value_name = "ADDRESSES", value_parser = parse_mailboxes)]
    pub old_to: Option<Mailboxes>,
    /// Send each member of the teams their own list (what is assigned to them), to their
    /// email in roles.yaml, instead of each team its checklist
    #[arg(long, conflicts_with_all = ["mail_to", "old_to"])]
    pub per_person: bool,
    /// Give up on the server after this many seconds without an answer
    #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,
}

/// An SMTP URL cut up: scheme, user part (before its last `@`, so a password may hold
/// `@ / ? #` unencoded, as in PostgreSQL URLs), `host[:port]` and the rest (`/ehlo-name`,
/// `?…`).
struct SmtpUrl<'a> {
    scheme: &'a str,
    user_info: Option<&'a str>,
    host_port: &'a str,
    path: &'a str,
}

fn split_smtp_url(url: &str) -> Option<SmtpUrl<'_>> {
    let (scheme, rest) = url.trim().split_once("://")?;
    let (user_info, after) = match rest.rfind('@') {
        Some(at) if rest[..at].contains(':') || !rest[..at].contains(['/', '?', '#']) => {
            (Some(&rest[..at]), &rest[at + 1..])
        }
        _ => (None, rest),
    };
    let end = after.find(['/', '?']).unwrap_or(after.len());
    Some(SmtpUrl {
        scheme,
        user_info,
        host_port: &after[..end],
        path: &after[end..],
    })
}

/// `url` without the user name and password, for messages.
fn redact(url: &str) -> String {
    match split_smtp_url(url) {
        Some(parts) => format!("{}://{}{}", parts.scheme, parts.host_port, parts.path),
        None => url.to_owned(),
    }
}

/// `host[:port]` as a host name or address and the port, if any; `[::1]:25` is `::1`, 25.
fn host_and_port(host_port: &str) -> Result<(&str, Option<u16>), String> {
    let (host, port) = match host_port.strip_prefix('[') {
        Some(bracketed) => {
            let (address, after) = bracketed
                .split_once(']')
                .ok_or("has an IPv6 address without its closing `]`")?;
            (address, after.strip_prefix(':'))
        }
        None => match host_port.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        },
    };
    if host.is_empty() {
        return Err("names no host".to_owned());
    }
    let port = port
        .map(|port| {
            port.parse::<u16>()
                .map_err(|_| format!("has `{port}` as its port, not a number from 1 to 65535"))
        })
        .transpose()?;
    Ok((host, port))
}

fn percent_decode(text: &str) -> String {
    String::from_utf8_lossy(&crate::codec::percent_decode(text)).into_owned()
}

/// Whether `host[:port]` names this machine (`localhost`, 127.0.0.0/8, `[::1]`).
fn is_loopback(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(bracketed) => bracketed.split(']').next().unwrap_or_default(),
        None => host.split(':').next().unwrap_or_default(),
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|address| address.is_loopback())
}

/// The transport an SMTP URL stands for.
pub fn transport(url: &str, timeout: Duration) -> Result<SmtpTransport, UsageError> {
    let shown = redact(url);
    let usage = |why: &str| {
        UsageError(format!(
            "`{shown}` {why}; use smtp://HOST[:PORT], smtp+starttls://HOST[:PORT] or smtps://HOST[:PORT]"
        ))
    };
    let parts = split_smtp_url(url).ok_or_else(|| usage("is not an SMTP URL"))?;
    let scheme = parts.scheme.to_ascii_lowercase();
    let (host, port) = host_and_port(parts.host_port).map_err(|why| usage(&why))?;
    if let Some(user_info) = parts.user_info
        && scheme == "smtp"
        && user_info.contains(':')
        && !is_loopback(parts.host_port)
    {
        return Err(usage(
            "would send the password unencrypted; log in over smtps:// or smtp+starttls://",
        ));
    }
    let tls = |host: &str| {
        TlsParameters::new(host.to_owned())
            .map_err(|e| usage(&format!("is not usable for TLS ({e})")))
    };
    let mut builder = match scheme.as_str() {
        "smtp" => SmtpTransport::builder_dangerous(host).port(port.unwrap_or(25)),
        "smtp+starttls" => SmtpTransport::builder_dangerous(host)
            .port(port.unwrap_or(587))
            .tls(Tls::Required(tls(host)?)),
        "smtps" => SmtpTransport::builder_dangerous(host)
            .port(port.unwrap_or(465))
            .tls(Tls::Wrapper(tls(host)?)),
        _ => return Err(usage("has an unknown scheme")),
    };
    // The path names the client in EHLO, as lettre's own URLs do.
    let hello = parts
        .path
        .split('?')
        .next()
        .unwrap_or_default()
        .trim_matches('/');
    if !hello.is_empty() {
        builder = builder.hello_name(ClientId::Domain(hello.to_owned()));
    }
    if let Some(user_info) = parts.user_info {
        let (user, password) = user_info.split_once(':').unwrap_or((user_info, ""));
        builder = builder.credentials(Credentials::new(
            percent_decode(user),
            percent_decode(password),
        ));
    }
    Ok(builder.timeout(Some(timeout)).build())
}

/// Sends `message`, giving up when the whole exchange (connecting, greeting, logging in,
/// the message, its acceptance) takes longer than `limit`. lettre's own time-out bounds
/// each read only, so a server answering a byte at a time could hold it for ever; the
/// send runs on a thread of its own and is abandoned at the deadline. Its connection
/// then ends at lettre's next read time-out or when socctl exits, whichever is first.
fn send_within(
    transport: &SmtpTransport,
    message: &lettre::Message,
    limit: Duration,
) -> anyhow::Result<()> {
    let (sender, receiver) = std::sync::mpsc::channel();
    let (transport, message) = (transport.clone(), message.clone());
    std::thread::spawn(move || {
        let _ = sender.send(transport.send(&message).map(|_| ()));
    });
    match receiver.recv_timeout(limit) {
        Ok(sent) => Ok(sent?),
        Err(_) => Err(anyhow::anyhow!(
            "the server did not take the message within {} s (--timeout bounds each message's whole exchange)",
            limit.as_secs()
        )),
    }
}

/// Runs `socctl mail`. A journal that cannot be read does not stop the mail: each
/// message then says so at the top, and the run ends with [`Exit::Degraded`].
pub fn run(context: &Context, args: &Args, out: &mut dyn Write) -> anyhow::Result<Exit> {
    for (old, new) in [("from", "mail-from"), ("to", "mail-to")]
        .into_iter()
        .zip([args.old_from.is_some(), args.old_to.is_some()])
        .filter_map(|(names, used)| used.then_some(names))
    {
        eprintln!(
            "socctl: note: `socctl mail --{old}` is spelled --{new} now, as on due, week and plan (--{old} is a date elsewhere); --{old} still works"
        );
    }
    let catalog = context.catalog()?;
    let teams = context.teams(&catalog, args.team.as_deref())?;
    // One team's mail is of its own day, in its own time zone.
    let own = match teams[..] {
        [team] => Some(team),
        _ => None,
    };
    let date = context.date_of_team(&catalog, own, args.date.as_ref())?;
    let (plan, warning) = if args.week {
        super::checklist::tracked_plan(
            context,
            &catalog,
            &teams,
            week_of(&catalog, date),
            View::Week,
        )?
    } else {
        super::checklist::tracked_plan(context, &catalog, &teams, (date, date), View::Day)?
    };
    let options = context.render_options_for(&catalog);
    // The old spelling, when typed, wins over SOCCTL_MAIL_FROM / SOCCTL_MAIL_TO as any flag
    // does (clap cannot tell a typed --mail-from from one the variable set).
    let settings = EmailSettings {
        from: args.old_from.clone().or_else(|| args.mail_from.clone()),
        to: args.old_to.clone().or_else(|| args.mail_to.clone()),
        date: Some(super::environment::now()),
        warning,
    };
    if let Some(warning) = &settings.warning {
        eprintln!("socctl: warning: {warning}");
    }
    email::sender(&catalog, &settings).map_err(|e| UsageError(e.to_string()))?;
    let transport = transport(&args.smtp, Duration::from_secs(args.timeout))?;
    let server = redact(&args.smtp);

    if args.per_person {
        return per_person(
            context,
            args,
            out,
            (&catalog, &plan),
            &settings,
            (&transport, &server),
        );
    }
    let mut failed = Vec::new();
    for &team in &plan.teams {
        let id = &catalog.teams[team].id;
        if args.quiet_if_empty && super::checklist::nothing_for(&catalog, &plan, team) {
            writeln!(out, "{id}: nothing due, not mailed")?;
            continue;
        }
        // Each team's mail in its own language (roles.yaml), else the run's.
        let options = crate::render::RenderOptions {
            locale: catalog.teams[team].locale_or(&options.locale),
            ..options.clone()
        };
        let message = email::message(&catalog, &plan, team, &options, &settings);
        match deliver(message, &transport, args.timeout, &server) {
            Ok(to) => {
                let subject = email::subject(&catalog, &plan, team, &options.locale);
                writeln!(out, "{id}: sent to {to}: {subject}")?;
            }
            Err(error) => {
                let error = crate::render::terminal_text(&format!("{error:#}")).into_owned();
                eprintln!(
                    "socctl: {}: not sent: {error}",
                    crate::render::terminal_text(id)
                );
                failed.push(id.as_str());
            }
        }
    }
    if failed.is_empty() {
        Ok(if settings.warning.is_some() {
            Exit::Degraded
        } else {
            Exit::Success
        })
    } else {
        Err(anyhow::anyhow!(
            "{} of {} messages not sent (teams: {})",
            failed.len(),
            plan.teams.len(),
            failed.join(", ")
        ))
    }
}

/// `mail --per-person`: one message per member of the plan's teams, with what is assigned
/// to them; a member with nothing assigned gets none with `--quiet-if-empty`.
fn per_person(
    context: &Context,
    args: &Args,
    out: &mut dyn Write,
    (catalog, plan): (&crate::catalog::Catalog, &crate::plan::Plan),
    settings: &EmailSettings,
    (transport, server): (&SmtpTransport, &str),
) -> anyhow::Result<Exit> {
    let options = context.render_options_for(catalog);
    let cover = context.cover(catalog);
    let mut members: Vec<&crate::catalog::Member> = Vec::new();
    for &team in &plan.teams {
        for member in &catalog.teams[team].members {
            if !members.iter().any(|m| m.id == member.id) {
                members.push(member);
            }
        }
    }
    let mut failed = Vec::new();
    for member in &members {
        let mut own = plan.clone();
        crate::people::keep_assigned(catalog, &mut own, &cover, &member.id);
        if args.quiet_if_empty && own.occurrences.is_empty() && own.carried.is_empty() {
            writeln!(out, "{}: nothing assigned, not mailed", member.id)?;
            continue;
        }
        // In the language of the first of their teams that names one, else the run's.
        let language = plan
            .teams
            .iter()
            .map(|&team| &catalog.teams[team])
            .filter(|team| team.members.iter().any(|m| m.id == member.id))
            .find(|team| team.language.is_some());
        let options = crate::render::RenderOptions {
            locale: language.map_or_else(
                || options.locale.clone(),
                |team| team.locale_or(&options.locale),
            ),
            ..options.clone()
        };
        let message = email::person_message(catalog, &own, member, &options, settings);
        match deliver(message, transport, args.timeout, server) {
            Ok(to) => {
                writeln!(out, "{}: sent to {to}", member.id)?;
            }
            Err(error) => {
                let error = crate::render::terminal_text(&format!("{error:#}")).into_owned();
                eprintln!(
                    "socctl: {}: not sent: {error}",
                    crate::render::terminal_text(&member.id)
                );
                failed.push(member.id.as_str());
            }
        }
    }
    if failed.is_empty() {
        Ok(if settings.warning.is_some() {
            Exit::Degraded
        } else {
            Exit::Success
        })
    } else {
        Err(anyhow::anyhow!(
            "{} of {} messages not sent (members: {})",
            failed.len(),
            members.len(),
            failed.join(", ")
        ))
    }
}

/// Sends `message` (once built) through `transport` within `timeout` seconds: the
/// recipients it went to, comma-separated, or why it was not sent.
fn deliver<E: std::error::Error + Send + Sync + 'static>(
    message: Result<lettre::Message, E>,
    transport: &SmtpTransport,
    timeout: u64,
    server: &str,
) -> anyhow::Result<String> {
    let message = message?;
    send_within(transport, &message, Duration::from_secs(timeout))
        .map_err(|e| anyhow::anyhow!("{server}: {e}"))?;
    Ok(message
        .envelope()
        .to()
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_shown_without_credentials() {
        assert_eq!(
            redact("smtps://user:p%40ss@mail.example.org:465/ehlo"),
            "smtps://mail.example.org:465/ehlo"
        );
        assert_eq!(redact("smtp://127.0.0.1:25"), "smtp://127.0.0.1:25");
        assert_eq!(redact("mail.example.org"), "mail.example.org");
        for password in ["a/b?c#d", "p@ss", "x:y", "%41"] {
            let shown = redact(&format!("smtps://user:{password}@mail.example.org:465"));
            assert_eq!(shown, "smtps://mail.example.org:465", "{password}");
        }
        assert_eq!(host_and_port("[::1]:2525"), Ok(("::1", Some(2525))));
        assert_eq!(host_and_port("127.0.0.1"), Ok(("127.0.0.1", None)));
    }

    #[test]
    fn smtp_urls() {
        let timeout = Duration::from_secs(5);
        for url in [
            "smtp://127.0.0.1:2525",
            "SMTP://mail.example.org",
            "smtp+starttls://mail.example.org",
            "smtp+starttls://user:pw@mail.example.org:587?x=y",
            "smtps://user:pw@mail.example.org",
            "smtp://user:pw@localhost:25",
            "smtp://user:pw@[::1]:25",
        ] {
            assert!(transport(url, timeout).is_ok(), "{url}");
        }
        for (url, why) in [
            ("mail.example.org", "is not an SMTP URL"),
            ("http://mail.example.org", "unknown scheme"),
            (
                "smtp://user:secret@mail.example.org",
                "password unencrypted",
            ),
            ("smtp://", "names no host"),
            ("smtp://[::1", "closing `]`"),
            ("smtp://host:port", "not a number"),
        ] {
            let error = transport(url, timeout).expect_err("an error").0;
            assert!(error.contains(why), "{url}: {error}");
            assert!(!error.contains("secret"), "{error}");
        }
        assert!(is_loopback("127.0.0.2:25") && is_loopback("LOCALHOST"));
        assert!(!is_loopback("mail.example.org:25") && !is_loopback("[2001:db8::1]:25"));
    }
}
