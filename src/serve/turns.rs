//! Turns for the blocking work of requests, so that a flood of requests cannot take the
//! host down: at most so many jobs of a kind run at once, each on a thread of tokio's
//! blocking pool; the others wait their turn without holding a thread, at most so many of
//! them and for at most so long, and a request that finds the queue full, or waits too
//! long, is refused (503 with `Retry-After`) rather than left hanging. A turn is held by
//! the job itself until it has finished, even when its request is gone (the client left,
//! the request's time ran out), so the bound holds for the threads and not only for the
//! requests.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Why a job did not get its turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The queue was full when it came.
    Full,
    /// It waited the whole wait without its turn.
    Waited,
}

/// The turns of one kind of job (see the module's documentation).
#[derive(Debug)]
pub struct Turns {
    permits: Arc<Semaphore>,
    /// How many jobs run at once.
    size: usize,
    /// How many are waiting now.
    waiting: AtomicUsize,
    /// How many may wait at once.
    most_waiting: usize,
    /// How long one may wait.
    wait: Duration,
}

/// Counts a waiting job for as long as it waits (however its wait ends).
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Turns {
    /// `size` turns (at least one), with at most `most_waiting` jobs waiting for at most
    /// `wait`.
    pub fn new(size: usize, most_waiting: usize, wait: Duration) -> Self {
        let size = size.max(1);
        Self {
            permits: Arc::new(Semaphore::new(size)),
            size,
            waiting: AtomicUsize::new(0),
            most_waiting,
            wait,
        }
    }

    /// How many jobs run at once.
    pub fn size(&self) -> usize {
        self.size
    }

    /// How long a job may wait for its turn.
    pub fn wait(&self) -> Duration {
        self.wait
    }

    /// A turn, held until dropped: at once when one is free, else after waiting in the
    /// queue (in the order of arrival).
    pub async fn turn(&self) -> Result<OwnedSemaphorePermit, Refused> {
        if let Ok(turn) = self.permits.clone().try_acquire_owned() {
            return Ok(turn);
        }
        let before = self.waiting.fetch_add(1, Ordering::SeqCst);
        let _waiting = Waiting(&self.waiting);
        if before >= self.most_waiting {
            return Err(Refused::Full);
        }
        match tokio::time::timeout(self.wait, self.permits.clone().acquire_owned()).await {
            Ok(Ok(turn)) => Ok(turn),
            _ => Err(Refused::Waited),
        }
    }

    /// Runs `job` (which blocks) on a blocking thread in its turn; the turn is given back
    /// when the job ends, whether or not anyone still waits for its answer.
    pub async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Refused> {
        let turn = self.turn().await?;
        Ok(super::blocking(move || {
            let value = job();
            drop(turn);
            value
        })
        .await)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_time()
            .build()
            .unwrap()
    }

    #[test]
    fn at_most_size_jobs_run_and_the_queue_is_bounded_in_length_and_time() {
        runtime().block_on(async {
            let turns = Arc::new(Turns::new(2, 1, Duration::from_millis(200)));
            let running = Arc::new(AtomicUsize::new(0));
            let most = Arc::new(AtomicUsize::new(0));
            let (release, released) = std::sync::mpsc::channel::<()>();
            let released = Arc::new(std::sync::Mutex::new(released));
            // Two jobs take both turns and block until released.
            let mut jobs = Vec::new();
            for _ in 0..2 {
                let (turns, running, most, released) = (
                    turns.clone(),
                    running.clone(),
                    most.clone(),
                    released.clone(),
                );
                jobs.push(tokio::spawn(async move {
                    turns
                        .run(move || {
                            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                            most.fetch_max(now, Ordering::SeqCst);
                            let _ = released.lock().unwrap().recv();
                            running.fetch_sub(1, Ordering::SeqCst);
                        })
                        .await
                }));
            }
            while running.load(Ordering::SeqCst) < 2 {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            // A third waits (the queue holds one), a fourth finds the queue full at once.
            let third = {
                let turns = turns.clone();
                tokio::spawn(async move {
                    let started = std::time::Instant::now();
                    (turns.run(|| ()).await, started.elapsed())
                })
            };
            while turns.waiting.load(Ordering::SeqCst) < 1 {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            let started = std::time::Instant::now();
            assert_eq!(turns.run(|| ()).await, Err(Refused::Full));
            assert!(started.elapsed() < Duration::from_millis(100));
            // The third waits its whole wait, then is refused.
            let (third, waited) = third.await.unwrap();
            assert_eq!(third, Err(Refused::Waited));
            assert!(waited >= Duration::from_millis(200), "{waited:?}");
            assert_eq!(turns.waiting.load(Ordering::SeqCst), 0);
            // Once the jobs end their turns are free again.
            release.send(()).unwrap();
            release.send(()).unwrap();
            for job in jobs {
                assert_eq!(job.await.unwrap(), Ok(()));
            }
            assert_eq!(most.load(Ordering::SeqCst), 2);
            assert_eq!(turns.run(|| 7).await, Ok(7));
        });
    }

    #[test]
    fn a_job_keeps_its_turn_after_its_caller_is_gone() {
        runtime().block_on(async {
            let turns = Arc::new(Turns::new(1, 8, Duration::from_millis(100)));
            let (release, released) = std::sync::mpsc::channel::<()>();
            let started = Arc::new(AtomicUsize::new(0));
            let caller = {
                let (turns, started) = (turns.clone(), started.clone());
                tokio::spawn(async move {
                    turns
                        .run(move || {
                            started.store(1, Ordering::SeqCst);
                            let _ = released.recv();
                        })
                        .await
                })
            };
            while started.load(Ordering::SeqCst) == 0 {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            // The request is dropped (its client left); its job still runs, in its turn.
            caller.abort();
            let _ = caller.await;
            assert_eq!(turns.run(|| ()).await, Err(Refused::Waited));
            release.send(()).unwrap();
            assert_eq!(turns.run(|| 1).await, Ok(1));
        });
        assert_eq!(
            Turns::new(0, 0, Duration::ZERO).size(),
            1,
            "at least one turn"
        );
    }
}
