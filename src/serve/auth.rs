//! Who a request comes from (an API token, the trusted proxy's header, or a session
//! cookie), the checks of every state-changing request (Origin, Sec-Fetch-Site, the
//! session's CSRF token), the cookies, and the login rate limit per client address.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Request, State as Shared};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::{Peer, State};
use crate::access::{AccessError, Principal, Session};

/// An address range, `127.0.0.1/32` or `fd00::/8` (a bare address is one host).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    bits: u8,
}

impl FromStr for Cidr {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let wrong = || {
            format!(
                "`{text}` is not an address range; write e.g. 127.0.0.1/32, 10.0.0.0/8 or ::1/128"
            )
        };
        let (address, bits) = match text.trim().split_once('/') {
            Some((address, bits)) => (address, Some(bits)),
            None => (text.trim(), None),
        };
        let network: IpAddr = address.parse().map_err(|_| wrong())?;
        let most = if network.is_ipv4() { 32 } else { 128 };
        let bits = match bits {
            Some(bits) => bits
                .parse::<u8>()
                .ok()
                .filter(|b| *b <= most)
                .ok_or_else(wrong)?,
            None => most,
        };
        Ok(Self { network, bits })
    }
}

impl Cidr {
    /// Whether `address` is in the range (an IPv4 address mapped into IPv6 counts as
    /// itself).
    pub fn contains(&self, address: IpAddr) -> bool {
        let address = match address {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
            v4 @ IpAddr::V4(_) => v4,
        };
        match (self.network, address) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(self.bits)).unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.bits))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// Login attempts allowed per client address within [`LOGIN_WINDOW`].
pub const LOGIN_ATTEMPTS: usize = 10;
/// The window of [`LOGIN_ATTEMPTS`].
pub const LOGIN_WINDOW: Duration = Duration::from_secs(300);

/// Recent login attempts per client address, in memory (the lockout per account is the
/// directory's, shared by every server).
#[derive(Default)]
pub(super) struct LoginLimiter {
    attempts: Mutex<HashMap<IpAddr, VecDeque<Instant>>>,
}

impl LoginLimiter {
    /// Counts an attempt from `address` now, or says how long to wait when there were too
    /// many.
    pub(super) fn attempt(&self, address: IpAddr, now: Instant) -> Result<(), Duration> {
        let mut attempts = self
            .attempts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if attempts.len() > 100_000 {
            // Bounded memory under a spray of addresses: forget the quiet ones.
            attempts.retain(|_, times| times.back().is_some_and(|t| now - *t < LOGIN_WINDOW));
        }
        let times = attempts.entry(address).or_default();
        while times.front().is_some_and(|t| now - *t >= LOGIN_WINDOW) {
            times.pop_front();
        }
        if times.len() >= LOGIN_ATTEMPTS {
            let oldest = *times.front().expect("a full window");
            return Err(LOGIN_WINDOW.saturating_sub(now - oldest));
        }
        times.push_back(now);
        Ok(())
    }
}

/// Who a request comes from, as [`authenticate`] found it.
#[derive(Debug, Clone, Default)]
pub struct Caller {
    /// The principal, when the request carried valid credentials.
    pub principal: Option<Principal>,
    /// The session's cookie value and the session, for a session cookie (or the proxy's
    /// header, which opens one).
    pub session: Option<(String, Session)>,
    /// Credentials were presented but are not valid (a wrong or expired token).
    pub refused: bool,
}

impl Caller {
    /// The session's CSRF token, to put in forms.
    pub fn csrf(&self) -> Option<&str> {
        self.session
            .as_ref()
            .map(|(_, session)| session.csrf.as_str())
    }

    /// Whether a state-changing request carries what proves it came from our own page:
    /// an API token needs nothing more (browsers never send one on their own); a session
    /// needs its CSRF token posted back.
    pub fn csrf_ok(&self, posted: Option<&str>) -> bool {
        match (&self.principal, &self.session) {
            (Some(Principal::Token { .. }), _) => true,
            (Some(_), Some((_, session))) => {
                posted.is_some_and(|posted| same(posted, &session.csrf))
            }
            _ => false,
        }
    }
}

/// Equal strings, compared in time that depends on their lengths only.
pub(super) fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The session cookie's name: with the `__Host-` prefix over TLS (Secure, Path=/, no
/// Domain: no other site's cookie can shadow it).
pub(super) fn session_cookie(secure: bool) -> &'static str {
    if secure { "__Host-socctl" } else { "socctl" }
}

/// The login form's CSRF cookie (double submit: there is no session yet).
pub(super) fn login_cookie(secure: bool) -> &'static str {
    if secure {
        "__Host-socctl-login"
    } else {
        "socctl-login"
    }
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Strict, Path=/, Secure over TLS; `None` ends
/// the cookie.
pub(super) fn set_cookie(name: &str, value: Option<&str>, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let text = match value {
        Some(value) => format!("{name}={value}; HttpOnly; SameSite=Strict; Path=/{secure}"),
        None => format!("{name}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0{secure}"),
    };
    HeaderValue::from_str(&text).expect("a cookie of URL-safe characters")
}

/// The value of cookie `name` in the request.
pub(super) fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// The client a request comes from, for the login limit: the connection's peer, or, when
/// that peer is a trusted proxy, the nearest address in `X-Forwarded-For` that is not one
/// of the trusted proxies (the one the outermost trusted proxy saw). An address a client
/// wrote itself further left is never believed, and without trusted proxies the header is
/// ignored.
pub(super) fn client_address(state: &State, peer: Option<IpAddr>, headers: &HeaderMap) -> IpAddr {
    let unknown = IpAddr::from([0, 0, 0, 0]);
    let Some(peer) = peer else { return unknown };
    let trusted = |ip: IpAddr| {
        state
            .settings
            .trusted_proxies
            .iter()
            .any(|c| c.contains(ip))
    };
    if !trusted(peer) {
        return peer;
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|part| IpAddr::from_str(part.trim()).ok())
        .collect::<Option<Vec<_>>>()
        .unwrap_or_default();
    forwarded
        .into_iter()
        .rev()
        .find(|ip| !trusted(*ip))
        .unwrap_or(peer)
}

/// Whether a state-changing request comes from our own pages (or from no browser at all):
/// `Sec-Fetch-Site` must be same-origin (or none: typed by the user), and `Origin`, when
/// sent, must be this server's (its host, with https, or also http when serving plain HTTP).
pub(super) fn same_origin(headers: &HeaderMap, secure: bool) -> bool {
    if let Some(site) = headers.get("sec-fetch-site")
        && !matches!(site.to_str(), Ok("same-origin" | "none"))
    {
        return false;
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let (Ok(origin), Some(Ok(host))) = (
        origin.to_str(),
        headers.get(header::HOST).map(HeaderValue::to_str),
    ) else {
        return false;
    };
    // Plain HTTP may be behind a proxy that terminates TLS, whose pages are https.
    let schemes: &[&str] = if secure {
        &["https"]
    } else {
        &["http", "https"]
    };
    schemes
        .iter()
        .any(|scheme| origin.eq_ignore_ascii_case(&format!("{scheme}://{host}")))
}

/// The bearer token of an `Authorization` header.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// Works out who the request comes from and refuses cross-origin state changes; the
/// caller goes into the request's extensions. A directory out of reach is a 503.
pub(super) async fn authenticate(
    Shared(state): Shared<Arc<State>>,
    mut request: Request,
    next: Next,
) -> Response {
    let secure = state.secure();
    let headers = request.headers();
    if !matches!(*request.method(), Method::GET | Method::HEAD) && !same_origin(headers, secure) {
        return (
            StatusCode::FORBIDDEN,
            "refused: a state-changing request from another site (Origin or Sec-Fetch-Site)",
        )
            .into_response();
    }
    let peer = request.extensions().get::<Peer>().map(|peer| peer.0.ip());
    let token = bearer(headers).map(str::to_owned);
    let cookie_value = cookie(headers, session_cookie(secure)).map(str::to_owned);
    let proxied = state.settings.proxy_header.as_ref().and_then(|name| {
        let trusted = peer.is_some_and(|ip| {
            state
                .settings
                .trusted_proxies
                .iter()
                .any(|c| c.contains(ip))
        });
        trusted
            .then(|| {
                headers
                    .get(name)?
                    .to_str()
                    .ok()
                    .map(str::trim)
                    .map(str::to_owned)
            })
            .flatten()
            .filter(|name| !name.is_empty())
    });
    if token.is_none() && cookie_value.is_none() && proxied.is_none() {
        request.extensions_mut().insert(Caller::default());
        return next.run(request).await;
    }
    let shared = state.clone();
    let found = state
        .work(move || {
            let directory = shared.directory.as_ref();
            let token_of = |secret: &str, now| {
                // The journal's version, read after this request arrived (shared with the
                // requests arriving meanwhile): a token revoked before it is refused.
                let version = shared.views.probe.read(|| shared.engine.journal_version());
                shared.tokens.principal(directory, secret, version, now)
            };
            resolve(
                directory,
                &token_of,
                token,
                cookie_value.as_deref(),
                proxied,
            )
        })
        .await;
    let (caller, new_cookie) = match found {
        Ok(Ok(found)) => found,
        Ok(Err(error)) => {
            return unavailable(format!("the account storage is out of reach: {error}"));
        }
        Err(busy) => return unavailable(busy),
    };
    request.extensions_mut().insert(caller);
    let mut response = next.run(request).await;
    if let Some(secret) = new_cookie {
        response.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(session_cookie(secure), Some(&secret), secure),
        );
    }
    response
}

/// A 503 saying `message`, to try again in a few seconds.
fn unavailable(message: String) -> Response {
    let mut response = (StatusCode::SERVICE_UNAVAILABLE, message).into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    response
}

/// How [`resolve`] finds a token's principal at a moment (through [`super::cache::Tokens`]).
type TokenLookup<'a> = dyn Fn(&str, jiff::Timestamp) -> Result<Option<Principal>, AccessError> + 'a;

/// The caller of a request presenting `token`, session cookie `cookie` or the proxy's
/// user name `proxied`; with it, the secret of a session opened for the proxy's user.
fn resolve(
    directory: &dyn crate::access::Directory,
    token_of: &TokenLookup<'_>,
    token: Option<String>,
    cookie: Option<&str>,
    proxied: Option<String>,
) -> Result<(Caller, Option<String>), AccessError> {
    let now = jiff::Timestamp::now();
    if let Some(token) = token {
        let principal = token_of(&token, now)?;
        let refused = principal.is_none();
        return Ok((
            Caller {
                principal,
                session: None,
                refused,
            },
            None,
        ));
    }
    let session = match cookie {
        Some(secret) => directory
            .session(secret, now)?
            .map(|s| (secret.to_owned(), s)),
        None => None,
    };
    if let Some(name) = proxied {
        // The proxy decides who it is; a session of that account carries the CSRF token
        // (opened now when there is none), so forms work the same behind the proxy.
        let Some(account) = directory.account(&name)? else {
            return Ok((
                Caller {
                    refused: true,
                    ..Caller::default()
                },
                None,
            ));
        };
        if let Some((secret, session)) = session.filter(|(_, s)| s.account.name == name) {
            return Ok((
                Caller {
                    principal: Some(Principal::Account(account)),
                    session: Some((secret, session)),
                    refused: false,
                },
                None,
            ));
        }
        let opened = directory.open_session(&account, now)?;
        let secret = opened.secret.clone();
        return Ok((
            Caller {
                principal: Some(Principal::Account(account)),
                session: Some((opened.secret, opened.session)),
                refused: false,
            },
            Some(secret),
        ));
    }
    let refused = cookie.is_some() && session.is_none();
    Ok((
        Caller {
            principal: session
                .as_ref()
                .map(|(_, s)| Principal::Account(s.account.clone())),
            session,
            refused,
        },
        None,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_hold_their_addresses_only() {
        let loopback: Cidr = "127.0.0.1/32".parse().unwrap();
        assert!(loopback.contains("127.0.0.1".parse().unwrap()));
        assert!(loopback.contains("::ffff:127.0.0.1".parse().unwrap()));
        assert!(!loopback.contains("127.0.0.2".parse().unwrap()));
        let ten: Cidr = "10.0.0.0/8".parse().unwrap();
        assert!(ten.contains("10.255.1.2".parse().unwrap()));
        assert!(!ten.contains("11.0.0.1".parse().unwrap()));
        let all: Cidr = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains("192.0.2.1".parse().unwrap()));
        let six: Cidr = "fd00::/8".parse().unwrap();
        assert!(six.contains("fd12::1".parse().unwrap()));
        assert!(!six.contains("fe80::1".parse().unwrap()));
        assert!("10.0.0.0/33".parse::<Cidr>().is_err());
        assert!("example.org".parse::<Cidr>().is_err());
    }

    #[test]
    fn the_eleventh_login_in_five_minutes_waits() {
        let limiter = LoginLimiter::default();
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let t0 = Instant::now();
        for i in 0..10 {
            assert!(limiter.attempt(ip, t0 + Duration::from_secs(i)).is_ok());
        }
        assert_eq!(
            limiter.attempt(ip, t0 + Duration::from_secs(10)),
            Err(Duration::from_secs(290))
        );
        // Another address is not held up, and the window moves on.
        assert!(limiter.attempt("192.0.2.2".parse().unwrap(), t0).is_ok());
        assert!(limiter.attempt(ip, t0 + Duration::from_secs(300)).is_ok());
    }

    #[test]
    fn origin_must_be_ours() {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_static("board:8080"));
        assert!(same_origin(&headers, false));
        headers.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://board:8080"),
        );
        assert!(same_origin(&headers, false));
        assert!(!same_origin(&headers, true));
        // Behind a proxy terminating TLS, the browser's origin is https.
        headers.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://board:8080"),
        );
        assert!(same_origin(&headers, false));
        assert!(same_origin(&headers, true));
        headers.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://board:8081"),
        );
        assert!(!same_origin(&headers, false));
        headers.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://evil.example"),
        );
        assert!(!same_origin(&headers, false));
        headers.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://board:8080"),
        );
        headers.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(!same_origin(&headers, false));
    }
}
