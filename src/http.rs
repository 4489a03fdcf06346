//! The one blocking HTTP client of socctl's outgoing deliveries (notification channels,
//! ticket systems): TLS verified against the public roots (or a CA file of one's own), one
//! total time limit per delivery covering connection, sending and every retry, retries with
//! backoff on 429 and 5xx that honour `Retry-After`, a bounded response body, and errors
//! that never show a URL's secret parts or any header's value.
//!
//! A webhook URL is a credential (whoever has it can post), so a URL appears in messages
//! only as `scheme://host[:port]/…` ([`Target::shown`]).

use std::fmt;
use std::io::{self, Read as _};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use ureq::http;

/// What a [`Client`] is set up with.
#[derive(Debug, Clone)]
pub struct Options {
    /// The whole of one delivery: connecting, sending, reading the answer, and every retry.
    pub time_limit: Duration,
    /// The most attempts one delivery makes (the first included).
    pub attempts: u32,
    /// The most bytes of a response body read; a longer one is an error.
    pub response_limit: u64,
    /// A PEM file of CA certificates to trust instead of the public (Mozilla) roots: a
    /// private CA, or a test's throw-away one.
    pub ca_file: Option<PathBuf>,
    /// The first wait between attempts when the server names none; doubled each time.
    pub backoff: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            time_limit: Duration::from_secs(30),
            attempts: 4,
            response_limit: 1 << 20,
            ca_file: None,
            backoff: Duration::from_millis(500),
        }
    }
}

/// A URL to deliver to, holding its secret parts (path, query, user information) out of
/// every message: `Display` and `Debug` show only `scheme://host[:port]/…`.
#[derive(Clone)]
pub struct Target {
    uri: http::Uri,
    shown: String,
}

impl Target {
    /// `url` checked: absolute, `https` (or `http` to a loopback address only, where nothing
    /// crosses a network), with a host.
    pub fn parse(url: &str) -> Result<Self, HttpError> {
        let uri: http::Uri = url
            .trim()
            .parse()
            .map_err(|_| HttpError::InvalidUrl("it is not a URL"))?;
        let scheme = uri
            .scheme_str()
            .ok_or(HttpError::InvalidUrl("it has no scheme (https://…)"))?
            .to_ascii_lowercase();
        let host = uri
            .host()
            .filter(|host| !host.is_empty())
            .ok_or(HttpError::InvalidUrl("it has no host"))?;
        let shown = match uri.port_u16() {
            Some(port) => format!("{scheme}://{host}:{port}/…"),
            None => format!("{scheme}://{host}/…"),
        };
        match scheme.as_str() {
            "https" => {}
            "http" if is_loopback(host) => {}
            "http" => {
                return Err(HttpError::PlainHttp { shown });
            }
            _ => return Err(HttpError::InvalidUrl("its scheme is not https")),
        }
        Ok(Self { uri, shown })
    }

    /// `scheme://host[:port]/…`: the URL as messages show it.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// `text` with every secret part of this URL replaced by `…`, for messages that come
    /// from elsewhere (a library's error, a server's answer) and might echo it.
    fn scrub(&self, text: &str) -> String {
        let mut text = text.to_owned();
        let whole = self.uri.to_string();
        let secrets = [
            Some(whole.as_str()),
            self.uri
                .path_and_query()
                .map(http::uri::PathAndQuery::as_str),
            self.uri.query(),
            self.uri.authority().map(http::uri::Authority::as_str),
        ];
        for secret in secrets.into_iter().flatten() {
            if secret.len() > 1 && secret != self.uri.host().unwrap_or_default() {
                text = text.replace(secret, "…");
            }
        }
        text
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

impl fmt::Debug for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Target({})", self.shown)
    }
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The HTTP methods deliveries use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET.
    Get,
    /// POST.
    Post,
    /// PATCH.
    Patch,
    /// PUT.
    Put,
}

impl Method {
    fn as_http(self) -> http::Method {
        match self {
            Self::Get => http::Method::GET,
            Self::Post => http::Method::POST,
            Self::Patch => http::Method::PATCH,
            Self::Put => http::Method::PUT,
        }
    }
}

/// One request: where, how, which headers (their values never appear in a message), what.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// GET, POST …
    pub method: Method,
    /// Where to.
    pub target: &'a Target,
    /// Header names and values (an `Authorization` value, a signature …).
    pub headers: Vec<(&'static str, String)>,
    /// The body (empty for none).
    pub body: Vec<u8>,
}

impl<'a> Request<'a> {
    /// A POST of a JSON document.
    pub fn post_json(target: &'a Target, body: Vec<u8>) -> Self {
        Self {
            method: Method::Post,
            target,
            headers: vec![("content-type", "application/json".to_owned())],
            body,
        }
    }
}

/// A final answer with a 2xx status.
#[derive(Debug, Clone)]
pub struct Response {
    /// The status code (200–299).
    pub status: u16,
    /// The headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body, at most the client's response limit.
    pub body: Vec<u8>,
    /// How many attempts it took.
    pub attempts: u32,
}

impl Response {
    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// Why a delivery failed, in socctl's words; never a URL's secret parts nor a header value.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// The URL could not be used (it is not shown: it may be a credential).
    #[error("the URL cannot be used: {0} (the URL is not shown, as it may hold a secret)")]
    InvalidUrl(&'static str),
    /// `http://` to a host that is not loopback.
    #[error(
        "{shown} is plain http: a webhook URL and what is posted to it are secrets, so socctl sends only over https (plain http only to a loopback address)"
    )]
    PlainHttp {
        /// The URL as shown.
        shown: String,
    },
    /// The CA file could not be read or holds no certificate.
    #[error("cannot use the CA file {}: {detail}", path.display())]
    CaFile {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        detail: String,
    },
    /// The time limit ran out (connecting, waiting for the answer, or between retries).
    #[error("{shown} did not answer within the time limit of {}", seconds(*limit))]
    TimedOut {
        /// The URL as shown.
        shown: String,
        /// The limit.
        limit: Duration,
    },
    /// The server asked to wait longer than the time limit leaves.
    #[error(
        "{shown} answered {status} and asked to retry after {}, beyond the time limit of {} (attempt {attempts})",
        seconds(*wait), seconds(*limit)
    )]
    RetryBeyondLimit {
        /// The URL as shown.
        shown: String,
        /// The last status.
        status: u16,
        /// What Retry-After asked for.
        wait: Duration,
        /// The limit.
        limit: Duration,
        /// Attempts made.
        attempts: u32,
    },
    /// The server refused the request (a final non-2xx answer, or the last of the retries).
    #[error("{shown} answered {status}{}{}", attempts_note(*attempts), excerpt_note(excerpt))]
    Status {
        /// The URL as shown.
        shown: String,
        /// The status code.
        status: u16,
        /// The beginning of the answer's body, control characters removed, secrets scrubbed.
        excerpt: String,
        /// Attempts made.
        attempts: u32,
    },
    /// The answer's body was longer than the client reads.
    #[error("{shown} answered with a body longer than {limit} bytes")]
    TooLarge {
        /// The URL as shown.
        shown: String,
        /// The limit.
        limit: u64,
    },
    /// The server's certificate was not trusted, or TLS failed otherwise.
    #[error("{shown}: TLS failed: {detail}")]
    Tls {
        /// The URL as shown.
        shown: String,
        /// What went wrong.
        detail: String,
    },
    /// No connection (name not found, refused, reset …).
    #[error("cannot reach {shown}: {detail}")]
    Connect {
        /// The URL as shown.
        shown: String,
        /// What went wrong.
        detail: String,
    },
}

impl HttpError {
    /// The final status code, when the server answered with one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Status { status, .. } | Self::RetryBeyondLimit { status, .. } => Some(*status),
            _ => None,
        }
    }
}

fn seconds(duration: Duration) -> String {
    let millis = duration.as_millis();
    if millis.is_multiple_of(1000) {
        format!("{} s", millis / 1000)
    } else {
        format!("{:.1} s", duration.as_secs_f64())
    }
}

fn attempts_note(attempts: u32) -> String {
    if attempts > 1 {
        format!(" (after {attempts} attempts)")
    } else {
        String::new()
    }
}

fn excerpt_note(excerpt: &str) -> String {
    if excerpt.is_empty() {
        String::new()
    } else {
        format!(": {excerpt}")
    }
}

/// The most characters of a refusing answer's body a message quotes.
const EXCERPT_CHARS: usize = 200;

/// The blocking client; one per delivery run, shared by every channel.
pub struct Client {
    agent: ureq::Agent,
    options: Options,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client with `options` (the CA file read now).
    pub fn new(options: Options) -> Result<Self, HttpError> {
        let roots = match &options.ca_file {
            None => ureq::tls::RootCerts::WebPki,
            Some(path) => ureq::tls::RootCerts::new_with_certs(&read_ca_file(path)?),
        };
        let tls = ureq::tls::TlsConfig::builder()
            .provider(ureq::tls::TlsProvider::Rustls)
            .root_certs(roots)
            .build();
        let config = ureq::Agent::config_builder()
            .tls_config(tls)
            // Status codes are answers to read, not errors: retries depend on them.
            .http_status_as_error(false)
            // A redirect would carry the body (a credential, a signature) to another place.
            .max_redirects(0)
            .timeout_global(Some(options.time_limit))
            .user_agent(concat!("socctl/", env!("CARGO_PKG_VERSION")))
            .build();
        Ok(Self {
            agent: config.new_agent(),
            options,
        })
    }

    /// The options the client was made with.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Sends `request`, retrying on 429 and 5xx (and on a refused connection, where nothing
    /// was sent) with backoff, honouring `Retry-After`, all within the time limit.
    pub fn send(&self, request: &Request<'_>) -> Result<Response, HttpError> {
        let started = Instant::now();
        let limit = self.options.time_limit;
        let target = request.target;
        let timed_out = || HttpError::TimedOut {
            shown: target.shown.clone(),
            limit,
        };
        let mut attempts = 0;
        loop {
            attempts += 1;
            let remaining = limit
                .checked_sub(started.elapsed())
                .filter(|left| !left.is_zero())
                .ok_or_else(timed_out)?;
            let outcome = self.attempt(request, remaining);
            let (status, retry_after, failure) = match outcome {
                Attempt::Done(mut response) => {
                    response.attempts = attempts;
                    return Ok(response);
                }
                Attempt::Failed(error) => return Err(error),
                Attempt::Refused(detail) => (
                    None,
                    None,
                    HttpError::Connect {
                        shown: target.shown.clone(),
                        detail,
                    },
                ),
                Attempt::Retry {
                    status,
                    retry_after,
                    excerpt,
                } => (
                    Some(status),
                    retry_after,
                    HttpError::Status {
                        shown: target.shown.clone(),
                        status,
                        excerpt,
                        attempts,
                    },
                ),
            };
            if attempts >= self.options.attempts {
                return Err(failure);
            }
            let wait = retry_after.unwrap_or_else(|| {
                self.options
                    .backoff
                    .saturating_mul(1 << (attempts - 1).min(16))
                    .min(Duration::from_secs(60))
            });
            let left = limit.saturating_sub(started.elapsed());
            if wait >= left {
                return Err(match (status, retry_after) {
                    (Some(status), Some(wait)) => HttpError::RetryBeyondLimit {
                        shown: target.shown.clone(),
                        status,
                        wait,
                        limit,
                        attempts,
                    },
                    _ => failure,
                });
            }
            std::thread::sleep(wait);
        }
    }

    fn attempt(&self, request: &Request<'_>, remaining: Duration) -> Attempt {
        let target = request.target;
        let mut builder = http::Request::builder()
            .method(request.method.as_http())
            .uri(target.uri.clone());
        for (name, value) in &request.headers {
            builder = builder.header(*name, value.as_str());
        }
        let Ok(built) = builder.body(request.body.clone()) else {
            // Only a header value with a line break gets here; its value stays unshown.
            return Attempt::Failed(HttpError::InvalidUrl(
                "a header value is not valid in HTTP (a line break?)",
            ));
        };
        let built = self
            .agent
            .configure_request(built)
            .timeout_global(Some(remaining))
            .build();
        let mut response = match self.agent.run(built) {
            Ok(response) => response,
            Err(error) => return self.classify(target, &error),
        };
        let status = response.status().as_u16();
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .filter_map(|(name, value)| {
                Some((name.as_str().to_owned(), value.to_str().ok()?.to_owned()))
            })
            .collect();
        let limit = self.options.response_limit;
        let body = match read_bounded(response.body_mut().as_reader(), limit) {
            Ok(Some(body)) => body,
            Ok(None) => {
                return Attempt::Failed(HttpError::TooLarge {
                    shown: target.shown.clone(),
                    limit,
                });
            }
            Err(error) => match error
                .get_ref()
                .and_then(|e| e.downcast_ref::<ureq::Error>())
            {
                Some(inner) => return self.classify(target, inner),
                None => {
                    return Attempt::Failed(HttpError::Connect {
                        shown: target.shown.clone(),
                        detail: target.scrub(&error.to_string()),
                    });
                }
            },
        };
        if (200..300).contains(&status) {
            return Attempt::Done(Response {
                status,
                headers,
                body,
                attempts: 1,
            });
        }
        let excerpt = excerpt(target, &body);
        if status == 429 || (500..600).contains(&status) {
            let find = |name: &str| {
                headers
                    .iter()
                    .find(|(key, _)| key.eq_ignore_ascii_case(name))
                    .map(|(_, value)| value.as_str())
            };
            let retry_after = find("retry-after")
                .and_then(|value| retry_after(value, find("date"), SystemTime::now()));
            Attempt::Retry {
                status,
                retry_after,
                excerpt,
            }
        } else {
            Attempt::Failed(HttpError::Status {
                shown: target.shown.clone(),
                status,
                excerpt,
                attempts: 1,
            })
        }
    }

    fn classify(&self, target: &Target, error: &ureq::Error) -> Attempt {
        let shown = target.shown.clone();
        match error {
            ureq::Error::Timeout(_) => Attempt::Failed(HttpError::TimedOut {
                shown,
                limit: self.options.time_limit,
            }),
            ureq::Error::BodyExceedsLimit(_) => Attempt::Failed(HttpError::TooLarge {
                shown,
                limit: self.options.response_limit,
            }),
            ureq::Error::ConnectionFailed => {
                Attempt::Refused("the connection was refused or failed".to_owned())
            }
            ureq::Error::Io(io) if io.kind() == io::ErrorKind::ConnectionRefused => {
                Attempt::Refused("the connection was refused".to_owned())
            }
            ureq::Error::Io(io) if io.kind() == io::ErrorKind::TimedOut => {
                Attempt::Failed(HttpError::TimedOut {
                    shown,
                    limit: self.options.time_limit,
                })
            }
            ureq::Error::HostNotFound => Attempt::Failed(HttpError::Connect {
                shown,
                detail: "the host name was not found".to_owned(),
            }),
            ureq::Error::Tls(detail) => Attempt::Failed(HttpError::Tls {
                shown,
                detail: (*detail).to_owned(),
            }),
            ureq::Error::Rustls(inner) => Attempt::Failed(HttpError::Tls {
                shown,
                detail: target.scrub(&inner.to_string()),
            }),
            ureq::Error::Io(io) if is_tls_io(io) => Attempt::Failed(HttpError::Tls {
                shown,
                detail: target.scrub(&io.to_string()),
            }),
            // BadUri and a few others carry the URL: never show their text as it is.
            other => Attempt::Failed(HttpError::Connect {
                shown,
                detail: target.scrub(&other.to_string()),
            }),
        }
    }
}

/// Whether an I/O error is rustls's (an untrusted certificate surfaces this way).
fn is_tls_io(error: &io::Error) -> bool {
    error
        .get_ref()
        .is_some_and(|inner| inner.downcast_ref::<rustls::Error>().is_some())
}

enum Attempt {
    Done(Response),
    Failed(HttpError),
    Refused(String),
    Retry {
        status: u16,
        retry_after: Option<Duration>,
        excerpt: String,
    },
}

/// At most `limit` bytes from `reader`: `None` when there are more.
fn read_bounded(reader: impl io::Read, limit: u64) -> io::Result<Option<Vec<u8>>> {
    let mut body = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut body)?;
    Ok((body.len() as u64 <= limit).then_some(body))
}

/// The beginning of a refusing answer, as one line of plain text without control
/// characters (a hostile server's escape sequences stay out of the terminal).
fn excerpt(target: &Target, body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .filter(|c| !matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if line.chars().count() > EXCERPT_CHARS {
        line = line.chars().take(EXCERPT_CHARS).collect::<String>() + "…";
    }
    target.scrub(&line)
}

/// The wait a `Retry-After` value asks for: delay-seconds, or an HTTP-date measured from
/// the answer's `Date` (the server's clock) when it has one, else from `now`.
pub fn retry_after(value: &str, date: Option<&str>, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if value.bytes().all(|b| b.is_ascii_digit()) && !value.is_empty() {
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let when = http_date(value)?;
    let reference = date
        .and_then(http_date)
        .or_else(|| jiff::Timestamp::try_from(now).ok())?;
    let wait = when.duration_since(reference);
    Some(Duration::try_from(wait).unwrap_or(Duration::ZERO))
}

/// An HTTP-date (RFC 9110: IMF-fixdate, or the obsolete RFC 850 and asctime forms, which
/// RFC 2822's parser takes in its IMF form).
fn http_date(value: &str) -> Option<jiff::Timestamp> {
    jiff::fmt::rfc2822::parse(value.trim())
        .ok()
        .map(|zoned| zoned.timestamp())
}

fn read_ca_file(path: &Path) -> Result<Vec<ureq::tls::Certificate<'static>>, HttpError> {
    let fail = |detail: String| HttpError::CaFile {
        path: path.to_owned(),
        detail,
    };
    let pem = std::fs::read(path).map_err(|error| fail(error.to_string()))?;
    let mut certificates = Vec::new();
    for item in ureq::tls::parse_pem(&pem) {
        match item {
            Ok(ureq::tls::PemItem::Certificate(certificate)) => certificates.push(certificate),
            Ok(_) => {}
            Err(error) => return Err(fail(format!("not PEM: {error}"))),
        }
    }
    if certificates.is_empty() {
        return Err(fail(
            "it holds no certificate (expected PEM \"-----BEGIN CERTIFICATE-----\")".to_owned(),
        ));
    }
    Ok(certificates)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead as _, BufReader, Write as _};
    use std::net::{TcpListener, TcpStream};
    use std::sync::mpsc;

    /// One request as the loopback server read it.
    struct Received {
        head: String,
        body: Vec<u8>,
    }

    /// A loopback server answering each connection with the next of `answers` (raw HTTP),
    /// or holding it open without answering when the answer is `None`.
    fn serve(answers: Vec<Option<String>>) -> (String, mpsc::Receiver<Received>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let (sender, requests) = mpsc::channel();
        std::thread::spawn(move || {
            for answer in answers {
                let Ok((stream, _)) = listener.accept() else {
                    return;
                };
                let _ = sender.send(read_request(&stream));
                match answer {
                    Some(answer) => {
                        let mut stream = stream;
                        let _ = stream.write_all(answer.as_bytes());
                    }
                    None => {
                        std::thread::sleep(Duration::from_secs(10));
                        drop(stream);
                    }
                }
            }
        });
        (format!("http://{address}"), requests)
    }

    fn read_request(stream: &TcpStream) -> Received {
        let mut reader = BufReader::new(stream);
        let mut head = String::new();
        let mut length = 0;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                break;
            }
            if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = value.trim().parse().unwrap();
            }
            head.push_str(&line);
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        Received { head, body }
    }

    #[allow(clippy::unnecessary_wraps)] // `None` is the hanging answer.
    fn answer(status: &str, headers: &str, body: &str) -> Option<String> {
        Some(format!(
            "HTTP/1.1 {status}\r\n{headers}content-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        ))
    }

    fn client(limit: Duration) -> Client {
        Client::new(Options {
            time_limit: limit,
            backoff: Duration::from_millis(50),
            ..Options::default()
        })
        .unwrap()
    }

    /// POSTs `{}` to `url` with [`client`] of `limit`.
    fn post(url: &str, limit: Duration) -> Result<Response, HttpError> {
        let target = Target::parse(url).unwrap();
        client(limit).send(&Request::post_json(&target, b"{}".to_vec()))
    }

    #[test]
    fn posts_the_body_and_headers_and_reads_the_answer() {
        let (base, received) = serve(vec![answer("200 OK", "x-kind: test\r\n", "fine")]);
        let target = Target::parse(&format!("{base}/hook/SECRET?sig=abc")).unwrap();
        let mut request = Request::post_json(&target, b"{\"a\":1}".to_vec());
        request
            .headers
            .push(("x-signature", "sha256=00".to_owned()));
        let response = client(Duration::from_secs(5)).send(&request).unwrap();
        assert_eq!(response.status, 200);
        assert_eq!(response.body, b"fine");
        assert_eq!(response.header("X-Kind"), Some("test"));
        let got = received.recv().unwrap();
        assert!(
            got.head
                .starts_with("POST /hook/SECRET?sig=abc HTTP/1.1\r\n"),
            "{}",
            got.head
        );
        assert!(
            got.head.contains("x-signature: sha256=00\r\n"),
            "{}",
            got.head
        );
        assert!(got.head.contains("content-type: application/json\r\n"));
        assert_eq!(got.body, b"{\"a\":1}");
    }

    #[test]
    fn urls_show_only_scheme_and_host() {
        let target = Target::parse("https://user:pw@example.com:8443/hook/SECRET?sig=XYZ").unwrap();
        assert_eq!(target.shown(), "https://example.com:8443/…");
        assert_eq!(format!("{target:?}"), "Target(https://example.com:8443/…)");
        let scrubbed = target.scrub("failed for https://user:pw@example.com:8443/hook/SECRET?sig=XYZ and /hook/SECRET?sig=XYZ");
        assert!(
            !scrubbed.contains("SECRET") && !scrubbed.contains("XYZ") && !scrubbed.contains("pw"),
            "{scrubbed}"
        );
        let plain = Target::parse("http://hooks.example.com/SECRET")
            .unwrap_err()
            .to_string();
        assert!(
            plain.contains("http://hooks.example.com/…") && !plain.contains("SECRET"),
            "{plain}"
        );
        assert!(Target::parse("http://127.0.0.1:9/x").is_ok());
        assert!(Target::parse("http://[::1]:9/x").is_ok());
        for bad in [
            "not a url SECRET",
            "ftp://example.com/SECRET",
            "/relative/SECRET",
        ] {
            let message = Target::parse(bad).unwrap_err().to_string();
            assert!(!message.contains("SECRET"), "{message}");
        }
    }

    #[test]
    fn retry_after_in_seconds_and_as_an_http_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777); // 1994-11-06 08:49:37Z
        assert_eq!(retry_after("2", None, now), Some(Duration::from_secs(2)));
        assert_eq!(
            retry_after(" 120 ", None, now),
            Some(Duration::from_secs(120))
        );
        // Three seconds after `now`, from the local clock …
        assert_eq!(
            retry_after("Sun, 06 Nov 1994 08:49:40 GMT", None, now),
            Some(Duration::from_secs(3))
        );
        // … and from the server's Date, whatever the local clock says.
        assert_eq!(
            retry_after(
                "Sun, 06 Nov 1994 08:49:40 GMT",
                Some("Sun, 06 Nov 1994 08:49:30 GMT"),
                SystemTime::UNIX_EPOCH
            ),
            Some(Duration::from_secs(10))
        );
        // A date in the past means now.
        assert_eq!(
            retry_after("Sun, 06 Nov 1994 08:00:00 GMT", None, now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("soon", None, now), None);
        assert_eq!(retry_after("-1", None, now), None);
    }

    #[test]
    fn a_429_with_retry_after_then_200_is_delivered_after_the_wait() {
        let (base, received) = serve(vec![
            answer("429 Too Many Requests", "retry-after: 1\r\n", "slow down"),
            answer("200 OK", "", ""),
        ]);
        let started = Instant::now();
        let response = post(&format!("{base}/x"), Duration::from_secs(10)).unwrap();
        assert_eq!((response.status, response.attempts), (200, 2));
        assert!(
            started.elapsed() >= Duration::from_secs(1),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(received.try_iter().count(), 2);
    }

    #[test]
    fn retry_after_as_a_date_is_honoured() {
        let date = "Tue, 01 Dec 2026 10:00:00 GMT";
        let later = "Tue, 01 Dec 2026 10:00:01 GMT";
        let (base, _received) = serve(vec![
            answer(
                "503 Service Unavailable",
                &format!("date: {date}\r\nretry-after: {later}\r\n"),
                "",
            ),
            answer("200 OK", "", ""),
        ]);
        let started = Instant::now();
        let response = post(&format!("{base}/x"), Duration::from_secs(10)).unwrap();
        assert_eq!(response.attempts, 2);
        assert!(started.elapsed() >= Duration::from_secs(1));
    }

    #[test]
    fn a_retry_after_beyond_the_limit_is_not_waited_for() {
        let (base, _received) = serve(vec![answer(
            "429 Too Many Requests",
            "retry-after: 3600\r\n",
            "",
        )]);
        let started = Instant::now();
        let error = post(&format!("{base}/SECRET"), Duration::from_secs(5)).unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(2));
        assert!(
            matches!(error, HttpError::RetryBeyondLimit { status: 429, .. }),
            "{error}"
        );
        let message = error.to_string();
        assert!(
            message.contains("3600 s") && !message.contains("SECRET"),
            "{message}"
        );
    }

    #[test]
    fn server_errors_are_retried_with_backoff_up_to_the_attempts() {
        let (base, received) = serve(vec![
            answer("500 Internal Server Error", "", "oops"),
            answer("502 Bad Gateway", "", "oops"),
            answer("503 Service Unavailable", "", "oops"),
            answer("504 Gateway Timeout", "", "still \u{1b}[31mbroken\u{1b}[0m"),
            answer("200 OK", "", ""),
        ]);
        let error = post(&format!("{base}/x"), Duration::from_secs(10)).unwrap_err();
        assert_eq!(received.try_iter().count(), 4);
        let message = error.to_string();
        assert_eq!(error.status(), Some(504));
        assert!(message.contains("after 4 attempts"), "{message}");
        assert!(
            message.contains("still [31mbroken [0m") && !message.contains('\u{1b}'),
            "{message}"
        );
    }

    #[test]
    fn a_client_error_is_not_retried() {
        let (base, received) = serve(vec![
            answer("400 Bad Request", "", "Invalid payload"),
            answer("200 OK", "", ""),
        ]);
        let error = post(&format!("{base}/x"), Duration::from_secs(10)).unwrap_err();
        assert_eq!(error.status(), Some(400));
        assert!(
            error.to_string().ends_with("answered 400: Invalid payload"),
            "{error}"
        );
        assert_eq!(received.try_iter().count(), 1);
    }

    #[test]
    fn a_hanging_server_is_cut_off_at_the_limit() {
        let (base, _received) = serve(vec![None]);
        let started = Instant::now();
        let error = post(&format!("{base}/SECRET"), Duration::from_secs(1)).unwrap_err();
        let elapsed = started.elapsed();
        assert!(
            elapsed >= Duration::from_millis(900) && elapsed < Duration::from_secs(5),
            "{elapsed:?}"
        );
        assert!(matches!(error, HttpError::TimedOut { .. }), "{error:?}");
        assert!(!error.to_string().contains("SECRET"));
    }

    #[test]
    fn a_long_answer_is_refused_past_the_limit() {
        let big = "x".repeat(5000);
        let (base, _received) = serve(vec![answer("200 OK", "", &big)]);
        let target = Target::parse(&format!("{base}/x")).unwrap();
        let client = Client::new(Options {
            response_limit: 1000,
            ..Options::default()
        })
        .unwrap();
        let error = client
            .send(&Request::post_json(&target, vec![]))
            .unwrap_err();
        assert!(
            matches!(error, HttpError::TooLarge { limit: 1000, .. }),
            "{error:?}"
        );
    }

    #[test]
    fn a_refused_connection_names_only_the_host() {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let target = Target::parse(&format!("http://127.0.0.1:{port}/SECRET?token=T0P")).unwrap();
        let error = client(Duration::from_secs(2))
            .send(&Request::post_json(&target, vec![]))
            .unwrap_err();
        let message = error.to_string();
        assert!(
            message.starts_with(&format!("cannot reach http://127.0.0.1:{port}/…")),
            "{message}"
        );
        assert!(
            !message.contains("SECRET") && !message.contains("T0P"),
            "{message}"
        );
    }

    #[test]
    fn an_untrusted_certificate_is_refused() {
        // A TLS server would need a certificate; a plain-text server on an https URL fails
        // the handshake, which must be a TLS error, not a delivery.
        let (base, _received) = serve(vec![answer("200 OK", "", "")]);
        let target = Target::parse(&base.replace("http://", "https://")).unwrap();
        let error = client(Duration::from_secs(3))
            .send(&Request::post_json(&target, vec![]))
            .unwrap_err();
        assert!(
            matches!(error, HttpError::Tls { .. } | HttpError::Connect { .. }),
            "{error:?}"
        );
    }

    #[test]
    fn a_ca_file_without_certificates_is_refused() {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), "not a certificate").unwrap();
        let error = Client::new(Options {
            ca_file: Some(file.path().to_owned()),
            ..Options::default()
        })
        .unwrap_err();
        assert!(
            error.to_string().contains("holds no certificate"),
            "{error}"
        );
    }
}
