//! A connection that cannot hang socctl. The `postgres` client blocks on its socket with no
//! time limit, and a server (or a proxy, a firewall) that stops answering mid-exchange would
//! hold a command forever; the server's `statement_timeout` cannot help when its answer
//! never arrives. So the client lives on a thread of its own, each exchange is sent to it,
//! and the caller gives up at a deadline. An exchange abandoned that way leaves the thread
//! blocked on the dead socket: the session refuses further work, and the socket closes when
//! the process ends, so the server rolls back whatever the exchange had not committed.

use std::cell::Cell;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use postgres::Client;

/// One exchange with the server, run on the connection's thread.
type Job = Box<dyn FnOnce(&mut Client) + Send>;

/// How long a finished session waits for the connection to close politely.
const CLOSE_LIMIT: Duration = Duration::from_secs(2);

/// An open connection, driven from its own thread.
pub(crate) struct Session {
    jobs: Option<mpsc::Sender<Job>>,
    closed: mpsc::Receiver<()>,
    /// An exchange was abandoned: the connection's thread is still blocked in it.
    stuck: Cell<bool>,
}

/// The server did not answer in time, or the connection's thread is gone.
#[derive(Debug)]
pub(crate) enum Stalled {
    /// No answer before the deadline (this exchange, or an earlier abandoned one).
    Timeout,
    /// The exchange panicked on the connection's thread.
    Failed,
}

/// An exchange sent to the connection's thread, its answer still to come.
pub(crate) struct Pending<'a, R> {
    session: &'a Session,
    answer: mpsc::Receiver<R>,
}

impl Session {
    /// Moves `client` onto a thread of its own.
    pub(crate) fn start(client: Client) -> Self {
        let (jobs, queue) = mpsc::channel::<Job>();
        let (done, closed) = mpsc::channel();
        thread::spawn(move || {
            let mut client = client;
            for job in queue {
                job(&mut client);
            }
            drop(client);
            let _ = done.send(());
        });
        Self {
            jobs: Some(jobs),
            closed,
            stuck: Cell::new(false),
        }
    }

    /// Sends `job` to the connection's thread without waiting for its answer.
    pub(crate) fn submit<R, F>(&self, job: F) -> Result<Pending<'_, R>, Stalled>
    where
        R: Send + 'static,
        F: FnOnce(&mut Client) -> R + Send + 'static,
    {
        if self.stuck.get() {
            return Err(Stalled::Timeout);
        }
        let (answer_to, answer) = mpsc::sync_channel(1);
        let job: Job = Box::new(move |client| {
            let _ = answer_to.send(job(client));
        });
        self.jobs
            .as_ref()
            .ok_or(Stalled::Failed)?
            .send(job)
            .map_err(|_| Stalled::Failed)?;
        Ok(Pending {
            session: self,
            answer,
        })
    }

    /// Runs `job` on the connection, giving up after `limit`.
    pub(crate) fn run<R, F>(&self, limit: Duration, job: F) -> Result<R, Stalled>
    where
        R: Send + 'static,
        F: FnOnce(&mut Client) -> R + Send + 'static,
    {
        self.submit(job)?.wait(Instant::now() + limit)
    }

    /// Marks the session unusable: an exchange was given up on.
    pub(crate) fn abandon(&self) {
        self.stuck.set(true);
    }
}

impl<R> Pending<'_, R> {
    /// The answer, unless `deadline` passes first.
    pub(crate) fn wait(self, deadline: Instant) -> Result<R, Stalled> {
        let limit = deadline.saturating_duration_since(Instant::now());
        match self.answer.recv_timeout(limit) {
            Ok(answer) => Ok(answer),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                self.session.abandon();
                Err(Stalled::Timeout)
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                self.session.abandon();
                Err(Stalled::Failed)
            }
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // Ends the thread's loop; the client then says goodbye to the server. A stuck
        // thread is left behind: its socket closes with the process.
        self.jobs = None;
        if !self.stuck.get() {
            let _ = self.closed.recv_timeout(CLOSE_LIMIT);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stalls_are_reported_at_the_deadline_and_stick() {
        let (jobs, queue) = mpsc::channel::<Job>();
        let (_done, closed) = mpsc::channel();
        // A thread standing in for a connection whose server never answers.
        thread::spawn(move || {
            for _job in queue {
                thread::sleep(Duration::from_secs(3600));
            }
        });
        let session = Session {
            jobs: Some(jobs),
            closed,
            stuck: Cell::new(false),
        };
        let started = Instant::now();
        let answer = session.run(Duration::from_millis(200), |_| 1);
        assert!(matches!(answer, Err(Stalled::Timeout)), "{answer:?}");
        assert!(started.elapsed() < Duration::from_secs(2));
        // Later exchanges are refused at once, not queued behind the stuck one.
        let started = Instant::now();
        assert!(matches!(
            session.run(Duration::from_secs(60), |_| 2),
            Err(Stalled::Timeout)
        ));
        assert!(started.elapsed() < Duration::from_secs(1));
    }
}
