//! `socctl mail`: one message per team through an SMTP server.

use std::io::Write;
use std::time::Duration;

use lettre::message::{Mailbox, Mailboxes};
use lettre::{SmtpTransport, Transport};

use super::args::{parse_mailbox, parse_mailboxes};
use super::{Context, DateArg, UsageError};
use crate::plan::{View, week_of};
use crate::render::email::{self, EmailSettings};

/// Arguments of `socctl mail`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("teams").required(true).args(["team", "all_teams"])))]
pub struct Args {
    /// The SMTP server: smtp://HOST[:PORT] (unencrypted, port 25 by default),
    /// smtp+starttls://HOST[:PORT] (STARTTLS required, 587) or smtps://HOST[:PORT] (TLS, 465);
    /// USER:PASSWORD@ before HOST logs in
    #[arg(long, env = "SOCCTL_SMTP", value_name = "URL")]
    pub smtp: String,
    /// Only this team, or the members of this group (id, name or alias, case-insensitive)
    #[arg(long, short)]
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
    #[arg(long, visible_alias = "mail-from", env = "SOCCTL_MAIL_FROM", value_name = "ADDRESS", value_parser = parse_mailbox)]
    pub from: Option<Mailbox>,
    /// Send every message to these addresses (comma-separated) instead of each team's email
    #[arg(long, visible_alias = "mail-to", env = "SOCCTL_MAIL_TO", value_name = "ADDRESSES", value_parser = parse_mailboxes)]
    pub to: Option<Mailboxes>,
    /// Give up on the server after this many seconds without an answer
    #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,
}

/// `url` without the user name and password, for messages.
fn redact(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
            let host = match rest[..authority_end].rfind('@') {
                Some(at) => &rest[at + 1..],
                None => rest,
            };
            format!("{scheme}://{host}")
        }
        None => url.to_owned(),
    }
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
    let (scheme, rest) = url
        .trim()
        .split_once("://")
        .ok_or_else(|| usage("is not an SMTP URL"))?;
    let scheme = scheme.to_ascii_lowercase();
    let authority = &rest[..rest.find(['/', '?']).unwrap_or(rest.len())];
    if let Some((user, host)) = authority.rsplit_once('@')
        && scheme == "smtp"
        && user.contains(':')
        && !is_loopback(host)
    {
        return Err(usage(
            "would send the password unencrypted; log in over smtps:// or smtp+starttls://",
        ));
    }
    // lettre reads smtp:// as unencrypted, smtp://…?tls=required as STARTTLS, smtps:// as TLS.
    let lettre_url = match scheme.as_str() {
        "smtp" => format!("smtp://{rest}"),
        "smtp+starttls" => {
            let separator = if rest.contains('?') { '&' } else { '?' };
            format!("smtp://{rest}{separator}tls=required")
        }
        "smtps" => format!("smtps://{rest}"),
        _ => return Err(usage("has an unknown scheme")),
    };
    let builder =
        SmtpTransport::from_url(&lettre_url).map_err(|e| usage(&format!("is not usable ({e})")))?;
    Ok(builder.timeout(Some(timeout)).build())
}

/// Runs `socctl mail`.
pub fn run(context: &Context, args: &Args, out: &mut dyn Write) -> anyhow::Result<()> {
    let catalog = context.catalog()?;
    let teams = context.teams(&catalog, args.team.as_deref())?;
    let date = context.date(&catalog, args.date.as_ref())?;
    let plan = if args.week {
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
    let options = context.render_options();
    let settings = EmailSettings {
        from: args.from.clone(),
        to: args.to.clone(),
        date: Some(super::environment::now()),
    };
    email::sender(&catalog, &settings).map_err(|e| UsageError(e.to_string()))?;
    let transport = transport(&args.smtp, Duration::from_secs(args.timeout))?;
    let server = redact(&args.smtp);

    let mut failed = Vec::new();
    for &team in &plan.teams {
        let id = &catalog.teams[team].id;
        if args.quiet_if_empty && super::checklist::nothing_for(&catalog, &plan, team) {
            writeln!(out, "{id}: nothing due, not mailed")?;
            continue;
        }
        let sent = email::message(&catalog, &plan, team, &options, &settings)
            .map_err(anyhow::Error::from)
            .and_then(|message| {
                transport
                    .send(&message)
                    .map_err(|e| anyhow::anyhow!("{server}: {e}"))?;
                Ok(message)
            });
        match sent {
            Ok(message) => {
                let to = message
                    .envelope()
                    .to()
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ");
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
        Ok(())
    } else {
        Err(anyhow::anyhow!(
            "{} of {} messages not sent (teams: {})",
            failed.len(),
            plan.teams.len(),
            failed.join(", ")
        ))
    }
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
            ("smtp://", "is not usable"),
        ] {
            let error = transport(url, timeout).expect_err("an error").0;
            assert!(error.contains(why), "{url}: {error}");
            assert!(!error.contains("secret"), "{error}");
        }
        assert!(is_loopback("127.0.0.2:25") && is_loopback("LOCALHOST"));
        assert!(!is_loopback("mail.example.org:25") && !is_loopback("[2001:db8::1]:25"));
    }
}
