//! A fake ServiceNow instance on 127.0.0.1: the two Table API calls `socctl tickets` makes,
//! after ServiceNow's REST API reference (Table API), each request kept for the test to
//! inspect.
//!
//! - `GET /api/now/table/{table}?sysparm_query=…&sysparm_fields=…&sysparm_limit=N`: the
//!   query is `correlation_id=ID` or `correlation_idINID,ID,…`; the fields are projected,
//!   `closed_by.user_name` dot-walked; at most N records; `{"result": [...]}`, 200.
//! - `POST /api/now/table/{table}`: a JSON object of fields; the record gets a `sys_id`, a
//!   `number` (SCTASK… or INC…, counting from 0010001) and state `1`; `{"result": {...}}`,
//!   201.
//! - A wrong or missing `Authorization` gets 401 with ServiceNow's error body (and, to
//!   check socctl does not repeat it, the header's value and the password echoed in it).
//!
//! Each connection carries one request (`Connection: close`).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Map, Value, json};

/// How the fake behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// As ServiceNow does.
    Normal,
    /// Reads each request, then never answers.
    Hang,
    /// Answers every POST 503 (`Retry-After: 0`), as an instance under maintenance might
    /// after making the record.
    CreateUnavailable,
    /// A table without a `correlation_id` column: it drops the field from new records.
    NoCorrelation,
}

/// A request as received.
#[derive(Debug, Clone)]
pub(crate) struct Seen {
    pub(crate) method: String,
    pub(crate) path: String,
    /// The query's parameters, percent-decoded.
    pub(crate) query: BTreeMap<String, String>,
    /// Header names in lower case.
    pub(crate) headers: BTreeMap<String, String>,
    /// The body parsed as JSON (POST only).
    pub(crate) body: Option<Value>,
}

#[derive(Default)]
struct State {
    records: Vec<Map<String, Value>>,
    seen: Vec<Seen>,
    created: usize,
}

/// The fake instance; it serves until the test process ends.
pub(crate) struct FakeServiceNow {
    pub(crate) url: String,
    state: Arc<Mutex<State>>,
}

/// What an `Authorization` header must be for the fake to accept it.
pub(crate) const BASIC: &str = "Basic c29jY3RsLWJvdDpodW50ZXIyLXMzY3JldA==";
/// The user and password behind [`BASIC`] (base64 of `socctl-bot:hunter2-s3cret`, worked
/// out with Python's `base64.b64encode`).
pub(crate) const USER: &str = "socctl-bot";
/// See [`USER`].
pub(crate) const PASSWORD: &str = "hunter2-s3cret";
/// A bearer token the fake also accepts.
pub(crate) const TOKEN: &str = "tok-9f8e7d6c5b4a";

impl FakeServiceNow {
    /// Starts a fake in `mode`.
    pub(crate) fn start(mode: Mode) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State::default()));
        let shared = Arc::clone(&state);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let state = Arc::clone(&shared);
                std::thread::spawn(move || {
                    let _ = serve(stream, &state, mode);
                });
            }
        });
        Self { url, state }
    }

    /// Every request so far, in order.
    pub(crate) fn seen(&self) -> Vec<Seen> {
        self.state.lock().unwrap().seen.clone()
    }

    /// Every record, in order of creation.
    pub(crate) fn records(&self) -> Vec<Map<String, Value>> {
        self.state.lock().unwrap().records.clone()
    }

    /// Closes the record `number` as ServiceNow would: `state`, `closed_at`, and who
    /// closed it (the closer's user name, and `sys_updated_by`).
    pub(crate) fn close(&self, number: &str, state: &str, closer: &str, closed_at: &str) {
        let mut guard = self.state.lock().unwrap();
        let record = guard
            .records
            .iter_mut()
            .find(|r| r["number"] == number)
            .expect("the record to close");
        record.insert("state".into(), json!(state));
        record.insert("closed_at".into(), json!(closed_at));
        record.insert("closed_by_user_name".into(), json!(closer));
        record.insert("sys_updated_by".into(), json!(closer));
    }
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 3 <= bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).expect("percent-encoding"));
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).expect("UTF-8 query")
}

fn respond(stream: &mut TcpStream, status: &str, body: &Value) -> std::io::Result<()> {
    let body = body.to_string();
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: application/json;charset=UTF-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    stream.flush()
}

fn project(record: &Map<String, Value>, fields: Option<&String>) -> Value {
    let Some(fields) = fields else {
        return Value::Object(record.clone());
    };
    let mut out = Map::new();
    for field in fields.split(',') {
        let value = match field {
            "closed_by.user_name" => record.get("closed_by_user_name"),
            other => record.get(other),
        };
        out.insert(field.to_owned(), value.cloned().unwrap_or(json!("")));
    }
    Value::Object(out)
}

fn serve(stream: TcpStream, state: &Mutex<State>, mode: Mode) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_owned();
    let target = parts.next().unwrap_or_default().to_owned();
    let mut headers = BTreeMap::new();
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
        }
    }
    let length: usize = headers
        .get("content-length")
        .and_then(|l| l.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let (path, query_text) = target.split_once('?').unwrap_or((&target, ""));
    let query: BTreeMap<String, String> = query_text
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect();
    let parsed =
        (!body.is_empty()).then(|| serde_json::from_slice::<Value>(&body).unwrap_or(Value::Null));
    state.lock().unwrap().seen.push(Seen {
        method: method.clone(),
        path: path.to_owned(),
        query: query.clone(),
        headers: headers.clone(),
        body: parsed.clone(),
    });
    let mut stream = stream;
    if mode == Mode::Hang {
        std::thread::sleep(Duration::from_secs(600));
        return Ok(());
    }
    let authorization = headers.get("authorization").cloned().unwrap_or_default();
    if authorization != BASIC && authorization != format!("Bearer {TOKEN}") {
        return respond(
            &mut stream,
            "401 Unauthorized",
            &json!({
                "error": {
                    "message": "User Not Authenticated",
                    "detail": format!("Required to provide Auth information (got {authorization:?}, password {PASSWORD:?}?)"),
                },
                "status": "failure",
            }),
        );
    }
    let Some(table) = path.strip_prefix("/api/now/table/") else {
        return respond(
            &mut stream,
            "400 Bad Request",
            &json!({"error": {"message": "Invalid path"}, "status": "failure"}),
        );
    };
    let mut guard = state.lock().unwrap();
    match method.as_str() {
        "GET" => {
            let condition = query.get("sysparm_query").cloned().unwrap_or_default();
            let wanted: Vec<String> = if let Some(ids) = condition.strip_prefix("correlation_idIN")
            {
                ids.split(',').map(str::to_owned).collect()
            } else if let Some(id) = condition.strip_prefix("correlation_id=") {
                vec![id.to_owned()]
            } else {
                return respond(
                    &mut stream,
                    "400 Bad Request",
                    &json!({"error": {"message": "unsupported query"}, "status": "failure"}),
                );
            };
            let limit: usize = query
                .get("sysparm_limit")
                .and_then(|l| l.parse().ok())
                .unwrap_or(10_000);
            let result: Vec<Value> = guard
                .records
                .iter()
                .filter(|r| wanted.iter().any(|w| r["correlation_id"] == w.as_str()))
                .take(limit)
                .map(|r| project(r, query.get("sysparm_fields")))
                .collect();
            respond(&mut stream, "200 OK", &json!({ "result": result }))
        }
        "POST" if mode == Mode::CreateUnavailable => {
            let body = json!({"error": {"message": "Service Unavailable"}, "status": "failure"})
                .to_string();
            write!(
                stream,
                "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 0\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )?;
            stream.flush()
        }
        "POST" => {
            let Some(Value::Object(fields)) = parsed else {
                return respond(
                    &mut stream,
                    "400 Bad Request",
                    &json!({"error": {"message": "Exception while reading request", "detail": "The payload is not valid JSON."}, "status": "failure"}),
                );
            };
            guard.created += 1;
            let prefix = if table == "incident" { "INC" } else { "SCTASK" };
            let mut record = fields;
            if mode == Mode::NoCorrelation {
                record.remove("correlation_id");
            }
            record.insert("sys_id".into(), json!(format!("{:032x}", guard.created)));
            record.insert(
                "number".into(),
                json!(format!("{prefix}{:07}", 10_000 + guard.created)),
            );
            record.insert("state".into(), json!("1"));
            record.insert("sys_updated_by".into(), json!(USER));
            let shown = project(&record, query.get("sysparm_fields"));
            guard.records.push(record);
            respond(&mut stream, "201 Created", &json!({ "result": shown }))
        }
        _ => respond(
            &mut stream,
            "405 Method Not Allowed",
            &json!({"error": {"message": "Method not Supported"}, "status": "failure"}),
        ),
    }
}
