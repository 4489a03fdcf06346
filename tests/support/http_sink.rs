//! A loopback HTTP server standing in for a webhook receiver (Teams, Slack, a signed JSON
//! webhook, a ticket system): it records every request and answers as the test scripts.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One request as received.
#[derive(Debug, Clone)]
pub(crate) struct Received {
    /// The request line's method.
    pub(crate) method: String,
    /// The path and query.
    pub(crate) path: String,
    /// Header names (lower case) and values.
    pub(crate) headers: Vec<(String, String)>,
    /// The body's bytes.
    pub(crate) body: Vec<u8>,
}

impl Received {
    /// The first value of header `name` (lower case).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON.
    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

/// How to answer a request.
pub(crate) enum Answer {
    /// A status, extra header lines (`name: value\r\n` each) and a body.
    Status(u16, String, String),
    /// Hold the connection without answering, for this long.
    Hang(Duration),
}

impl Answer {
    /// 200 with `ok`.
    pub(crate) fn ok() -> Self {
        Self::Status(200, String::new(), "ok".to_owned())
    }
}

type Script = dyn Fn(usize, &Received) -> Answer + Send + Sync;

/// The running server.
pub(crate) struct Sink {
    /// `http://127.0.0.1:PORT`.
    pub(crate) url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Sink {
    /// A server answering the `n`-th request (from 0, all paths counted) with
    /// `script(n, request)`.
    pub(crate) fn start(
        script: impl Fn(usize, &Received) -> Answer + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let url = format!("http://{}", listener.local_addr().expect("an address"));
        let received = Arc::new(Mutex::new(Vec::new()));
        let script: Arc<Script> = Arc::new(script);
        let log = Arc::clone(&received);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let (log, script) = (Arc::clone(&log), Arc::clone(&script));
                std::thread::spawn(move || serve(stream, &log, &*script));
            }
        });
        Self { url, received }
    }

    /// A server answering everything with 200.
    pub(crate) fn ok() -> Self {
        Self::start(|_, _| Answer::ok())
    }

    /// Every request so far, in arrival order.
    pub(crate) fn received(&self) -> Vec<Received> {
        self.received.lock().expect("the log").clone()
    }

    /// The requests to paths starting with `prefix`.
    pub(crate) fn to(&self, prefix: &str) -> Vec<Received> {
        self.received()
            .into_iter()
            .filter(|r| r.path.starts_with(prefix))
            .collect()
    }
}

fn serve(stream: TcpStream, log: &Mutex<Vec<Received>>, script: &Script) {
    let mut reader = BufReader::new(stream.try_clone().expect("a stream"));
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut words = line.split_whitespace();
    let method = words.next().unwrap_or_default().to_owned();
    let path = words.next().unwrap_or_default().to_owned();
    let mut headers = Vec::new();
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            let (name, value) = (name.trim().to_ascii_lowercase(), value.trim().to_owned());
            if name == "content-length" {
                length = value.parse().unwrap_or(0);
            }
            headers.push((name, value));
        }
    }
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let request = Received {
        method,
        path,
        headers,
        body,
    };
    let answer = {
        let mut log = log.lock().expect("the log");
        let n = log.len();
        log.push(request.clone());
        script(n, &request)
    };
    let mut stream = stream;
    match answer {
        Answer::Status(status, extra, body) => {
            let _ = write!(
                stream,
                "HTTP/1.1 {status} Whatever\r\n{extra}content-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
        Answer::Hang(time) => std::thread::sleep(time),
    }
}
