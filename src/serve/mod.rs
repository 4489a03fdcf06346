//! `socctl serve`: the SOC board, an HTTP front end over the same catalog and journal as
//! the command line. Handlers parse the request, ask [`crate::access::Principal::may`],
//! call the [`Engine`] (the CLI's own command code) from a blocking task, and render the
//! engine's JSON as it is (the API) or through escaping templates (the pages).
//!
//! One module per concern: [`auth`] (sessions, tokens, the proxy's header, CSRF and
//! Origin checks, login rate limiting), `routes` (the route table and its permissions),
//! `pages` (HTML), `api` (the OpenAPI document), `metrics`, `headers` (security headers
//! and limits), `reload` (the catalog's hot reload), `schedule` (`--notify-at`), `tls`
//! and `turns` (the bounded queues of blocking work: password checks and the rest).

mod api;
pub mod auth;
pub mod cache;
mod engine;
mod headers;
mod metrics;
mod pages;
mod reload;
mod routes;
pub mod schedule;
mod tls;
mod turns;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use axum::http::HeaderName;

pub use auth::Cidr;
pub use engine::{Engine, EngineError, JournalVersion, RecordAction, RecordQueue, Recording, View};
pub use routes::app;
pub use turns::{Refused, Turns};

use crate::access::Directory;
use crate::catalog::Catalog;

/// How much a client may send and for how long.
#[derive(Debug, Clone)]
pub struct Limits {
    /// The largest request body accepted (a form is a few hundred bytes).
    pub body_bytes: usize,
    /// The largest request head (request line and headers) accepted.
    pub header_bytes: usize,
    /// How long a client may take to send its request head (slowloris).
    pub header_read: Duration,
    /// How long a request may take, body and answer included.
    pub request: Duration,
    /// How long in-flight requests may finish after SIGTERM.
    pub drain: Duration,
    /// How long a recording may wait for its turn on the journal (see
    /// [`engine::RecordQueue`]).
    pub record_wait: Duration,
    /// How long a password check, or any other blocking work of a request, may wait for
    /// its turn (see [`Turns`]).
    pub turn_wait: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            body_bytes: 64 * 1024,
            header_bytes: 16 * 1024,
            header_read: Duration::from_secs(10),
            request: Duration::from_secs(30),
            drain: Duration::from_secs(10),
            record_wait: Duration::from_secs(10),
            turn_wait: Duration::from_secs(10),
        }
    }
}

/// What `socctl serve` was told.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The address to listen on.
    pub listen: SocketAddr,
    /// The certificate chain and key (PEM files) when serving HTTPS.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// The header a trusted reverse proxy names the user in.
    pub proxy_header: Option<HeaderName>,
    /// The addresses whose proxy header is believed.
    pub trusted_proxies: Vec<Cidr>,
    /// Request limits.
    pub limits: Limits,
    /// How often the catalog files are checked for edits.
    pub reload_every: Duration,
    /// When the server runs `socctl notify` itself (`--notify-at`, `--notify-every`).
    pub notify: Option<schedule::NotifySchedule>,
    /// How many recordings are made at once (`--journal-connections`: on PostgreSQL,
    /// the connections they keep).
    pub journal_connections: usize,
    /// How many password checks (Argon2id, 19 MiB each) run at once.
    pub password_checks: usize,
    /// How many other blocking jobs of requests (session and token checks, the views,
    /// logout, readiness) run at once.
    pub jobs: usize,
}

impl Settings {
    /// Settings for a test server on `listen`, plain HTTP, no proxy.
    pub fn plain(listen: SocketAddr) -> Self {
        Self {
            listen,
            tls: None,
            proxy_header: None,
            trusted_proxies: Vec::new(),
            limits: Limits::default(),
            reload_every: Duration::from_secs(2),
            notify: None,
            journal_connections: DEFAULT_JOURNAL_CONNECTIONS,
            password_checks: cores(),
            jobs: jobs_for(cores()),
        }
    }
}

/// `--journal-connections` unless told otherwise.
pub const DEFAULT_JOURNAL_CONNECTIONS: usize = 8;

/// The most requests waiting in one queue of turns (recordings, password checks per core,
/// other blocking work); one more is refused at once.
pub const MOST_WAITING: usize = 4096;

/// Password checks waiting per turn at most: a check takes tens of milliseconds, so a
/// longer queue would mostly wait out its time.
pub const PASSWORDS_WAITING_PER_TURN: usize = 64;

/// The cores this process may run on (at least one).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

/// The blocking jobs of requests run at once on `cores` cores: four per core (they mostly
/// wait on the journal), from 8 to 64.
pub fn jobs_for(cores: usize) -> usize {
    cores.saturating_mul(4).clamp(8, 64)
}

/// What every handler shares.
pub struct State {
    engine: Arc<dyn Engine>,
    directory: Arc<dyn Directory>,
    settings: Settings,
    /// The last catalog that loaded without errors.
    catalog: RwLock<Arc<Catalog>>,
    /// `socctl check`'s report when the catalog files were edited into an invalid state.
    problem: RwLock<Option<String>>,
    /// The catalog files' modification times and sizes at the last look.
    stamps: Mutex<Vec<Option<(std::time::SystemTime, u64)>>>,
    metrics: metrics::Metrics,
    logins: auth::LoginLimiter,
    /// The views kept between requests.
    views: cache::Views,
    /// API tokens' principals kept between requests.
    tokens: cache::Tokens,
    /// The turns recordings wait for.
    records: engine::RecordQueue,
    /// The turns password checks wait for.
    passwords: Turns,
    /// The turns the other blocking work of requests waits for.
    jobs: Turns,
}

impl State {
    /// The state of a server over `engine` and `directory`, with the catalog loaded now;
    /// an invalid catalog at start is an error (there is no last good one to keep).
    pub fn new(
        settings: Settings,
        engine: Arc<dyn Engine>,
        directory: Arc<dyn Directory>,
    ) -> anyhow::Result<Self> {
        let stamps = reload::stamps(&engine.catalog_files());
        let catalog = engine.load().map_err(|report| {
            anyhow::anyhow!(
                "{report}\nsocctl: the catalog has errors; run `socctl check` after fixing them"
            )
        })?;
        let records =
            engine::RecordQueue::new(settings.journal_connections, settings.limits.record_wait);
        let passwords = Turns::new(
            settings.password_checks,
            settings
                .password_checks
                .max(1)
                .saturating_mul(PASSWORDS_WAITING_PER_TURN),
            settings.limits.turn_wait,
        );
        let jobs = Turns::new(settings.jobs, MOST_WAITING, settings.limits.turn_wait);
        Ok(Self {
            records,
            passwords,
            jobs,
            engine,
            directory,
            settings,
            catalog: RwLock::new(Arc::new(catalog)),
            problem: RwLock::new(None),
            stamps: Mutex::new(stamps),
            metrics: metrics::Metrics::new(),
            logins: auth::LoginLimiter::default(),
            views: cache::Views::default(),
            tokens: cache::Tokens::default(),
        })
    }

    /// The catalog in force.
    pub fn catalog(&self) -> Arc<Catalog> {
        self.catalog
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// `check`'s report of the catalog files when an edit left them invalid.
    pub fn problem(&self) -> Option<String> {
        self.problem
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Whether pages are served over TLS (cookies are then `Secure`).
    fn secure(&self) -> bool {
        self.settings.tls.is_some()
    }

    /// Looks at the catalog files now and reloads them when edited (see [`reload`]).
    pub fn reload_if_edited(&self) {
        reload::reload_if_edited(self);
    }

    /// Runs `job` (blocking work of a request: the journal, the account storage, a view)
    /// in its turn; when its turn does not come, why, in socctl's words.
    async fn work<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, String> {
        self.jobs.run(job).await.map_err(|refused| {
            busy(
                &self.jobs,
                refused,
                "journal reads, views and session checks",
            )
        })
    }

    /// Runs `job`, a login's password check, in its turn (see [`State::work`]).
    async fn check_password<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, String> {
        self.passwords
            .run(job)
            .await
            .map_err(|refused| busy(&self.passwords, refused, "password checks"))
    }
}

/// Why a request was refused its turn of `turns`, which run `what`.
fn busy(turns: &Turns, refused: Refused, what: &str) -> String {
    let why = match refused {
        Refused::Full => "the queue for a turn is full".to_owned(),
        Refused::Waited => format!(
            "this request waited {} s without its turn",
            turns.wait().as_secs()
        ),
    };
    format!(
        "the server is busy: it runs {} {what} at a time and {why}; nothing was done, try again shortly",
        turns.size()
    )
}

/// Runs `f` (which blocks: the journal, the catalog files, the directory) off the async
/// runtime.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    match tokio::task::spawn_blocking(f).await {
        Ok(value) => value,
        Err(error) => std::panic::resume_unwind(error.into_panic()),
    }
}

/// Serves the board until SIGTERM or ctrl-c, then lets in-flight requests finish.
pub fn run(
    settings: Settings,
    engine: Arc<dyn Engine>,
    directory: Arc<dyn Directory>,
) -> anyhow::Result<()> {
    // Every blocking job runs in a turn (recordings, password checks, the rest, and the
    // catalog's reload one at a time), so this many threads are never short; the cap
    // makes the bound hold for any job that might not.
    let blocking_threads = settings.journal_connections.max(1)
        + settings.password_checks.max(1)
        + settings.jobs.max(1)
        + 1;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(blocking_threads)
        .build()
        .map_err(|e| anyhow::anyhow!("cannot start the server's runtime: {e}"))?;
    let tls = settings
        .tls
        .as_ref()
        .map(|(cert, key)| tls::acceptor(cert, key))
        .transpose()?;
    let state = Arc::new(State::new(settings, engine, directory)?);
    runtime.block_on(async move {
        let listen = state.settings.listen;
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen on {listen}: {e}"))?;
        let local = listener.local_addr()?;
        let shutdown = shutdown_signal()?;
        let scheme = if tls.is_some() { "https" } else { "http" };
        eprintln!("socctl: serving the board on {scheme}://{local}/");
        reload::spawn(state.clone());
        if let Some(schedule) = state.settings.notify.clone() {
            schedule::spawn(schedule, state.clone());
        }
        serve(listener, state, tls, shutdown).await;
        eprintln!("socctl: stopped");
        Ok(())
    })
}

/// SIGTERM or ctrl-c. The handlers are installed now, before the server says it is
/// serving, so that no signal sent after that line can kill it outright.
fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let handler = |kind| {
            signal(kind).map_err(|e| anyhow::anyhow!("cannot handle SIGTERM and SIGINT: {e}"))
        };
        let mut term = handler(SignalKind::terminate())?;
        let mut interrupt = handler(SignalKind::interrupt())?;
        Ok(async move {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = term.recv() => {}
            }
        })
    }
    #[cfg(not(unix))]
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

/// The peer address of a connection, for the trusted proxy and the login rate limit.
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub SocketAddr);

/// Accepts connections on `listener` until `shutdown`, each served by hyper with the
/// head size and read time limits, then waits (up to the drain limit) for the open ones.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: Arc<State>,
    tls: Option<tokio_rustls::TlsAcceptor>,
    shutdown: impl std::future::Future<Output = ()>,
) {
    let router = app(state.clone());
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let mut connections = tokio::task::JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => accepted,
        };
        // Reap finished connections as we go.
        while connections.try_join_next().is_some() {}
        let Ok((stream, peer)) = accepted else {
            // Out of file descriptors and the like: wait a moment rather than spin.
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let router = router.clone();
        let limits = state.settings.limits.clone();
        let tls = tls.clone();
        let mut stopped = stopped.clone();
        connections.spawn(async move {
            let service =
                hyper_util::service::TowerToHyperService::new(tower::ServiceExt::map_request(
                    router,
                    move |mut request: axum::extract::Request<hyper::body::Incoming>| {
                        request.extensions_mut().insert(Peer(peer));
                        request
                    },
                ));
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(limits.header_read)
                .max_buf_size(limits.header_bytes.max(8192))
                .keep_alive(true);
            match tls {
                Some(acceptor) => {
                    let Ok(Ok(stream)) =
                        tokio::time::timeout(limits.header_read, acceptor.accept(stream)).await
                    else {
                        return;
                    };
                    let connection =
                        builder.serve_connection(hyper_util::rt::TokioIo::new(stream), service);
                    drive(connection, &mut stopped).await;
                }
                None => {
                    let connection =
                        builder.serve_connection(hyper_util::rt::TokioIo::new(stream), service);
                    drive(connection, &mut stopped).await;
                }
            }
        });
    }
    drop(listener);
    let _ = stop.send(true);
    let drain = state.settings.limits.drain;
    let _ = tokio::time::timeout(drain, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
}

/// Serves one connection, finishing its request in flight when told to stop.
async fn drive<I, S>(
    connection: hyper::server::conn::http1::Connection<I, S>,
    stopped: &mut tokio::sync::watch::Receiver<bool>,
) where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
    S: hyper::service::HttpService<hyper::body::Incoming>,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    S::ResBody: 'static,
    <S::ResBody as hyper::body::Body>::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    tokio::pin!(connection);
    tokio::select! {
        _ = connection.as_mut() => return,
        _ = stopped.wait_for(|stop| *stop) => {}
    }
    connection.as_mut().graceful_shutdown();
    let _ = connection.await;
}
