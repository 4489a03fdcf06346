//! A real PostgreSQL server for the tests.
//!
//! The server is the one named by `SOCCTL_TEST_POSTGRES_URL` (`scripts/test` starts a
//! private cluster and exports it), else a private cluster started here with
//! `tests/support/pg-cluster.sh` from the installed PostgreSQL binaries and stopped when the
//! test process exits. Without either, a PostgreSQL test fails naming what is missing: the
//! tests are `#[ignore]`d, so they only run when asked to (`scripts/test` asks).
//!
//! Every test gets a fresh, empty database of its own (`CREATE DATABASE`), dropped when the
//! test ends.

use std::path::PathBuf;
use std::process::{ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

/// The variable naming the server's administrator URL (a superuser, database `postgres`).
pub(crate) const URL_VARIABLE: &str = "SOCCTL_TEST_POSTGRES_URL";

/// A server the tests can create databases on.
pub(crate) struct Server {
    /// `postgres://user:password@host:port/postgres`.
    admin_url: String,
}

/// Keeps the stdin of the process that stops a private cluster: when the test process
/// exits, the pipe closes and the cluster is stopped (a static is never dropped).
static STOPPERS: Mutex<Vec<ChildStdin>> = Mutex::new(Vec::new());

static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();

/// The cluster script.
pub(crate) fn cluster_script() -> PathBuf {
    super::manifest_dir()
        .join("tests")
        .join("support")
        .join("pg-cluster.sh")
}

/// The test server: `SOCCTL_TEST_POSTGRES_URL`'s, or a private cluster. Fails the test,
/// naming what is missing, when there can be neither.
pub(crate) fn server() -> &'static Server {
    SERVER
        .get_or_init(|| {
            if let Some(url) = std::env::var(URL_VARIABLE).ok().filter(|u| !u.is_empty()) {
                return Ok(Server { admin_url: url });
            }
            PrivateCluster::start("shared", false).map(|cluster| {
                let url = cluster.url.clone();
                cluster.stop_at_exit();
                Server { admin_url: url }
            })
        })
        .as_ref()
        .unwrap_or_else(|reason| {
            panic!(
                "no PostgreSQL server for the tests: {reason}. Run scripts/test (it starts a \
                 private cluster), set {URL_VARIABLE} to a superuser's URL, or install \
                 Debian's postgresql package"
            )
        })
}

/// The directory of the PostgreSQL server binaries pg-cluster.sh would use, if any.
pub(crate) fn server_binaries() -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(|entry| Some(entry.ok()?.path().join("bin")))
        .collect();
    if let Ok(output) = Command::new("pg_config").arg("--bindir").output()
        && output.status.success()
    {
        dirs.push(PathBuf::from(
            String::from_utf8_lossy(&output.stdout).trim(),
        ));
    }
    dirs.into_iter().find(|dir| dir.join("initdb").is_file())
}

/// `url` with its database replaced by `database`.
pub(crate) fn with_database(url: &str, database: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let base = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{base}/{database}?{query}"),
        None => format!("{base}/{database}"),
    }
}

impl Server {
    /// The server whose administrator URL is `admin_url` (a private cluster's, say).
    pub(crate) fn at(admin_url: &str) -> Self {
        Self {
            admin_url: admin_url.to_owned(),
        }
    }

    /// The administrator URL.
    pub(crate) fn admin_url(&self) -> &str {
        &self.admin_url
    }

    /// A connection as the administrator to `database`.
    pub(crate) fn connect(&self, database: &str) -> postgres::Client {
        connect(&with_database(&self.admin_url, database))
    }

    /// A fresh, empty database, dropped again when the value is dropped.
    pub(crate) fn database(&self) -> Database {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "socctl_test_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let mut admin = self.connect("postgres");
        admin
            .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE template0"))
            .unwrap_or_else(|e| panic!("creating database {name}: {e:?}"));
        Database {
            url: with_database(&self.admin_url, &name),
            name,
            admin_url: self.admin_url.clone(),
        }
    }
}

/// A connection to `url` without TLS, panicking with the reason when it fails.
pub(crate) fn connect(url: &str) -> postgres::Client {
    let mut last = None;
    // A freshly (re)started server may still refuse connections for a moment.
    for _ in 0..50 {
        match postgres::Client::connect(url, postgres::NoTls) {
            Ok(client) => return client,
            Err(e) => last = Some(e),
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("connecting to the test server: {last:?}")
}

/// A database of its own for one test.
pub(crate) struct Database {
    /// Its URL (with the administrator's password).
    pub(crate) url: String,
    /// Its name.
    pub(crate) name: String,
    admin_url: String,
}

impl Database {
    /// A connection to it as the administrator.
    pub(crate) fn connect(&self) -> postgres::Client {
        connect(&self.url)
    }

    /// Whether socctl created its schema here.
    pub(crate) fn has_journal(&self) -> bool {
        self.connect()
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'socctl')",
                &[],
            )
            .expect("looking for the socctl schema")
            .get(0)
    }

    /// The number of rows of socctl.records, counted straight through PostgreSQL.
    pub(crate) fn record_count(&self) -> usize {
        let count: i64 = self
            .connect()
            .query_one("SELECT count(*) FROM socctl.records", &[])
            .expect("counting records")
            .get(0);
        usize::try_from(count).expect("a count")
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Ok(mut admin) =
            postgres::Client::connect(&with_database(&self.admin_url, "postgres"), postgres::NoTls)
        {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// A cluster of the test's own, in a temporary directory: for tests that kill the server
/// or need TLS. Stopped and deleted on drop.
pub(crate) struct PrivateCluster {
    dir: PathBuf,
    /// Its administrator URL.
    pub(crate) url: String,
    stopped_at_exit: bool,
}

impl PrivateCluster {
    /// Starts a new cluster (`tls`: with a certificate for `localhost` from a throw-away
    /// CA, see [`PrivateCluster::ca`]). The directory is under /tmp, which the `postgres`
    /// user can reach when the tests run as root.
    pub(crate) fn start(label: &str, tls: bool) -> Result<Self, String> {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "socctl-pg-{label}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let mut command = Command::new("bash");
        command.arg(cluster_script()).arg("start").arg(&dir);
        if tls {
            command.arg("--tls");
        }
        let output = command
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run {}: {e}", cluster_script().display()))?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        match output.status.code() {
            Some(0) => {}
            Some(3) => return Err(format!("no PostgreSQL server binaries ({})", stderr.trim())),
            _ => {
                let _ = std::fs::remove_dir_all(&dir);
                return Err(format!(
                    "starting a private cluster failed ({:?}): {}",
                    output.status.code(),
                    stderr.trim()
                ));
            }
        }
        let url = String::from_utf8_lossy(&output.stdout).trim().to_owned();
        Ok(Self {
            dir,
            url,
            stopped_at_exit: false,
        })
    }

    /// Leaves the cluster running until the test process exits.
    fn stop_at_exit(mut self) {
        let mut command = Command::new("sh");
        // Its own process group, deaf to the signals a runner sends the tests' group: it
        // must outlive the test process to stop the cluster.
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let child = command
            .arg("-c")
            .arg("trap '' HUP INT TERM; read _ ; exec bash \"$0\" stop \"$1\"")
            .arg(cluster_script())
            .arg(&self.dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        if let Ok(mut child) = child
            && let Some(stdin) = child.stdin.take()
        {
            STOPPERS
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(stdin);
            self.stopped_at_exit = true;
        }
    }

    /// The CA certificate of a TLS cluster.
    pub(crate) fn ca(&self) -> PathBuf {
        self.dir.join("ca.pem")
    }

    /// The TCP port.
    pub(crate) fn port(&self) -> u16 {
        std::fs::read_to_string(self.dir.join("port"))
            .expect("the cluster's port file")
            .trim()
            .parse()
            .expect("a port")
    }

    /// Kills the server with SIGKILL, as a crash would.
    pub(crate) fn kill(&self) {
        self.run("kill");
    }

    /// Starts the server again after [`PrivateCluster::kill`].
    pub(crate) fn restart(&self) {
        self.run("start");
    }

    fn run(&self, action: &str) {
        let output = Command::new("bash")
            .arg(cluster_script())
            .arg(action)
            .arg(&self.dir)
            .stdin(Stdio::null())
            .output()
            .expect("running the cluster script");
        assert!(
            output.status.success(),
            "pg-cluster.sh {action}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

impl Drop for PrivateCluster {
    fn drop(&mut self) {
        if !self.stopped_at_exit {
            let _ = Command::new("bash")
                .arg(cluster_script())
                .arg("stop")
                .arg(&self.dir)
                .stdin(Stdio::null())
                .output();
        }
    }
}
