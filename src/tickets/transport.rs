//! The narrow interface the Table API calls go through: one request in, one response (or
//! one failure, its text free of secrets) out. The HTTP client behind it owns TLS, the time
//! limit and retries; tests put their own behind it.

/// An HTTP method the Table API calls use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Read records.
    Get,
    /// Create a record.
    Post,
}

/// One request.
#[derive(Debug, Clone)]
pub struct Request {
    /// GET or POST.
    pub method: Method,
    /// The whole URL, query included.
    pub url: String,
    /// Headers besides those the client adds itself; their values are never shown.
    pub headers: Vec<(&'static str, String)>,
    /// The JSON body of a POST.
    pub body: Option<Vec<u8>>,
}

/// What the server answered (any status: the caller decides what each means).
#[derive(Debug, Clone)]
pub struct Response {
    /// The HTTP status.
    pub status: u16,
    /// The body, as much of it as the client reads.
    pub body: Vec<u8>,
}

/// The request got no answer: refused, timed out, TLS failed. The text says which, in
/// socctl's words, without any header's value.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct TransportError(pub String);

/// Sends requests.
pub trait Transport {
    /// Sends `request` and waits, within the client's limit, for the answer.
    fn send(&self, request: &Request) -> Result<Response, TransportError>;
}

/// The transport over socctl's one HTTP client ([`crate::http`]): TLS verified, one time
/// limit per call covering every retry. Lookups are retried on 429 and 5xx; a creation is
/// tried once, since a 5xx may come after the record was made and a retry would make it
/// twice (the next run's lookup finds it, or creates it then).
pub struct Client {
    reading: crate::http::Client,
    creating: crate::http::Client,
}

impl Client {
    /// Clients whose calls each end within `limit`.
    pub fn new(limit: std::time::Duration) -> Result<Self, TransportError> {
        let options = crate::http::Options {
            time_limit: limit,
            ..crate::http::Options::default()
        };
        let creating = crate::http::Options {
            attempts: 1,
            ..options.clone()
        };
        let made =
            |options| crate::http::Client::new(options).map_err(|e| TransportError(e.to_string()));
        Ok(Self {
            reading: made(options)?,
            creating: made(creating)?,
        })
    }
}

impl Transport for Client {
    fn send(&self, request: &Request) -> Result<Response, TransportError> {
        let target =
            crate::http::Target::parse(&request.url).map_err(|e| TransportError(e.to_string()))?;
        let (client, method) = match request.method {
            Method::Get => (&self.reading, crate::http::Method::Get),
            Method::Post => (&self.creating, crate::http::Method::Post),
        };
        let sent = client.send(&crate::http::Request {
            method,
            target: &target,
            headers: request.headers.clone(),
            body: request.body.clone().unwrap_or_default(),
        });
        match sent {
            Ok(response) => Ok(Response {
                status: response.status,
                body: response.body,
            }),
            // A refusal is an answer: the caller words it for its status.
            Err(crate::http::HttpError::Status {
                status, excerpt, ..
            }) => Ok(Response {
                status,
                body: excerpt.into_bytes(),
            }),
            Err(error) => Err(TransportError(error.to_string())),
        }
    }
}
