//! `socctl token`: API tokens for automation and calendar subscriptions. A token acts as
//! its account within its scopes; its secret is printed once, when it is made, and stored
//! only as a hash.

use std::io::Write;

use jiff::{SignedDuration, Timestamp};

use super::user::{existing, open, today_utc, unknown_account};
use super::{Context, UsageError, environment};
use crate::access::Scope;
use crate::catalog::{Catalog, TeamSelector};
use crate::journal::accounts::{parse_scope, scope_text};
use crate::listing::accounts::token_rows;
use crate::render::render_listing;

/// Arguments of `socctl token`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: TokenCommand,
}

/// The `socctl token` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum TokenCommand {
    /// Make an API token and print its secret, once
    Create(CreateArgs),
    /// The API tokens (never their secrets)
    List,
    /// Revoke an API token at once
    Revoke(RevokeArgs),
}

/// Arguments of `socctl token create`.
#[derive(Debug, clap::Args)]
pub struct CreateArgs {
    /// The account the token acts as
    #[arg(long, value_name = "NAME")]
    pub user: String,
    /// What it may be used for: read, record, calendar:TEAM (that team's feed only), calendar-person:MEMBER (that member's feed only) or metrics (/metrics only, for Prometheus); repeat for more
    #[arg(long = "scope", value_name = "SCOPE", required = true)]
    pub scopes: Vec<String>,
    /// When it stops working: a number of days (90d) or another length of time (12h, 30m, 90s), a date (the last day it works, YYYY-MM-DD), or never
    #[arg(long, value_name = "WHEN", default_value = "90d")]
    pub expires: String,
    /// A label to tell it apart in `token list` (the wall screen, the SIEM, …)
    #[arg(long, value_name = "LABEL")]
    pub name: Option<String>,
}

/// Arguments of `socctl token revoke`.
#[derive(Debug, clap::Args)]
pub struct RevokeArgs {
    /// The token's id, as `socctl token list` shows it
    pub id: String,
}

/// Runs `socctl token`.
pub fn run(context: &Context, args: &Args, out: &mut dyn Write) -> anyhow::Result<()> {
    match &args.command {
        TokenCommand::Create(args) => create(context, args, out),
        TokenCommand::List => {
            let format = context.listing_format("token list")?;
            let tokens = match context.journal_location()?.open_existing()? {
                Some(_) => open(context, today_utc())?.tokens()?,
                None => Vec::new(),
            };
            render_listing(
                out,
                &token_rows(&tokens, environment::now()),
                format,
                &context.render_options(),
            )?;
            Ok(())
        }
        TokenCommand::Revoke(args) => {
            let directory = existing(context, "").map_err(|_| {
                UsageError(format!("no token `{}`: there are no tokens yet", args.id))
            })?;
            if !directory.revoke_token(&args.id, environment::now())? {
                let ids: Vec<String> = directory.tokens()?.into_iter().map(|t| t.id).collect();
                return Err(UsageError(format!(
                    "no token `{}`; tokens: {} (see `socctl token list`)",
                    args.id,
                    if ids.is_empty() {
                        "none".to_owned()
                    } else {
                        ids.join(", ")
                    }
                ))
                .into());
            }
            writeln!(out, "revoked token {}", args.id)?;
            Ok(())
        }
    }
}

fn create(context: &Context, args: &CreateArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let catalog = context.catalog()?;
    let scopes = args
        .scopes
        .iter()
        .map(|text| scope(&catalog, text))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let now = environment::now();
    let expires = expiry(&catalog, &args.expires, now)?;
    let directory = existing(context, &args.user)?;
    if let Some(account) = directory
        .accounts()?
        .into_iter()
        .find(|a| a.account.name == args.user && a.disabled.is_some())
    {
        return Err(UsageError(format!(
            "account `{}` is disabled; enable it first (`socctl user enable {}`)",
            account.account.name, account.account.name
        ))
        .into());
    }
    let Some(token) =
        directory.create_token(&args.user, &scopes, expires, args.name.as_deref(), now)?
    else {
        return Err(unknown_account(&directory, &args.user)?.into());
    };
    // The secret alone on standard output (`SECRET=$(socctl token create …)`); the rest
    // on standard error.
    writeln!(out, "{}", token.secret)?;
    let scopes: Vec<String> = scopes.iter().map(scope_text).collect();
    eprintln!(
        "made token {} for {} ({}), {}; its secret is above and is not shown again",
        token.id,
        args.user,
        scopes.join(", "),
        expires.map_or_else(
            || "never expiring".to_owned(),
            |e| format!("expiring {}", e.strftime("%Y-%m-%dT%H:%M:%SZ"))
        )
    );
    Ok(())
}

/// A `--scope` value, its team or member resolved against the catalog.
fn scope(catalog: &Catalog, text: &str) -> anyhow::Result<Scope> {
    let text = text.trim();
    if let Some(team) = text.strip_prefix("calendar:") {
        return match super::resolve::team(catalog, team)? {
            TeamSelector::Team(index) => Ok(Scope::Calendar(catalog.teams[index].id.clone())),
            TeamSelector::Group(_) => Err(UsageError(format!(
                "--scope {text}: `{team}` is a group; a calendar token is for one team's feed (give one --scope calendar:TEAM per team)"
            ))
            .into()),
        };
    }
    if let Some(person) = text.strip_prefix("calendar-person:") {
        let flag = format!("--scope {text}");
        return Ok(Scope::PersonCalendar(
            super::resolve::person(catalog, person, &flag)?.to_owned(),
        ));
    }
    parse_scope(text).ok_or_else(|| {
        UsageError(format!(
            "`{text}` is not a scope; use read, record, calendar:TEAM, calendar-person:MEMBER or metrics"
        ))
        .into()
    })
}

/// The end of a token's life: `never`, a length of time from now (`90d`, `12h`, `30m`,
/// `90s`), or the end of the day `DATE` in the catalog's time zone.
fn expiry(catalog: &Catalog, text: &str, now: Timestamp) -> anyhow::Result<Option<Timestamp>> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("never") {
        return Ok(None);
    }
    let bad = || {
        UsageError(format!(
            "--expires `{text}` is not a number of days (90d) or another length of time (12h, 30m, 90s), a date (YYYY-MM-DD) or never"
        ))
    };
    if text.ends_with(['d', 'h', 'm', 's']) {
        let length = super::serve::parse_duration(text).ok_or_else(bad)?;
        if length > SignedDuration::from_hours(24 * 3660) {
            return Err(UsageError(format!("--expires {text}: give at most 3660 days")).into());
        }
        return Ok(Some(now + length));
    }
    let date = crate::calendar::parse_date(text).ok_or_else(bad)?;
    let end = date
        .tomorrow()
        .and_then(|next| next.to_zoned(catalog.calendar.time_zone.clone()))
        .map_err(|_| bad())?
        .timestamp();
    if end <= now {
        return Err(UsageError(format!(
            "--expires {text} is in the past; give a later date"
        ))
        .into());
    }
    Ok(Some(end))
}
