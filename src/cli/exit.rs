//! socctl's exit codes, and the one place that maps errors to them.

use std::io;

use super::UsageError;
use super::destination::DestinationError;
use crate::journal::JournalError;
use crate::listing::overdue::PluginState;

/// How a run ends, as the shell sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: the command did what was asked (a reader closing the pipe early counts).
    Success,
    /// 1: the command failed: an invalid catalog, an unreachable journal, an I/O error.
    Failure,
    /// 2: the command line was wrong.
    Usage,
    /// 3: `overdue --exit-code` found something overdue.
    Overdue,
    /// 4: done, degraded: the journal could not be read (PostgreSQL unreachable, SQLite
    /// locked past its time-out), so `due`, `week`, `plan` or `mail` wrote the checklist
    /// without statuses.
    Degraded,
    /// 5: `notify` sent what it could, but some reminders were not delivered (a channel
    /// refused, timed out, or its URL or secret could not be read); the next run retries
    /// them.
    NotDelivered,
    /// `overdue --format nagios`: the plugin convention, 0 OK, 1 WARNING, 2 CRITICAL,
    /// 3 UNKNOWN (what monitoring systems read; an error is UNKNOWN, never 0).
    Plugin(PluginState),
}

impl Exit {
    /// The process exit status.
    pub const fn code(self) -> u8 {
        match self {
            Self::Success => 0,
            Self::Failure => 1,
            Self::Usage => 2,
            Self::Overdue => 3,
            Self::Degraded => 4,
            Self::NotDelivered => 5,
            Self::Plugin(state) => match state {
                PluginState::Ok => 0,
                PluginState::Warning => 1,
                PluginState::Critical => 2,
                PluginState::Unknown => 3,
            },
        }
    }

    /// The exit for a run that ended in `error`.
    pub fn of_error(error: &anyhow::Error) -> Self {
        if is_broken_pipe(error) {
            // `socctl due | head -1`: the reader left; that is not an error.
            Self::Success
        } else if error.downcast_ref::<UsageError>().is_some()
            || matches!(
                error.downcast_ref::<JournalError>(),
                Some(JournalError::NotPersistent(_))
            )
        {
            Self::Usage
        } else {
            // Catalog errors (`Diagnostics`) and everything else.
            Self::Failure
        }
    }

    /// The exit for a command line clap refused, or for `--help` and `--version`.
    pub fn of_clap(error: &clap::Error) -> Self {
        if error.use_stderr() {
            Self::Usage
        } else {
            Self::Success
        }
    }
}

impl From<Exit> for std::process::ExitCode {
    fn from(exit: Exit) -> Self {
        Self::from(exit.code())
    }
}

/// Standard output could not take the output.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// `>&-`: there is no standard output.
    #[error(
        "standard output is closed, so nothing could be written; redirect it to a file or to /dev/null"
    )]
    Closed,
    /// A write failed (a full disk, a device that takes nothing).
    #[error("cannot write the output: {}", super::destination::describe(.0))]
    Write(io::Error),
}

/// The I/O error in `cause`, if that is what it is, looking inside the wrappers the CSV
/// writer puts around one (a `csv::Error`, itself inside an `io::Error` of kind `Other`).
fn io_error_in<'e>(cause: &'e (dyn std::error::Error + 'static)) -> Option<&'e io::Error> {
    if let Some(error) = cause.downcast_ref::<io::Error>() {
        return match error.get_ref() {
            Some(inner) if error.kind() == io::ErrorKind::Other => {
                io_error_in(inner).or(Some(error))
            }
            _ => Some(error),
        };
    }
    match cause.downcast_ref::<csv::Error>()?.kind() {
        csv::ErrorKind::Io(error) => Some(error),
        _ => None,
    }
}

/// Standard output, remembering the first write that failed, so that a failed run can tell
/// a failed write to standard output from any other I/O error (reading an import file …).
pub(super) struct Watched<W> {
    inner: W,
    /// The error of the first failed write or flush: its OS code, else its kind.
    failed: Option<(Option<i32>, io::ErrorKind)>,
}

impl<W: io::Write> Watched<W> {
    pub(super) fn new(inner: W) -> Self {
        Self {
            inner,
            failed: None,
        }
    }

    fn note<T>(&mut self, result: io::Result<T>) -> io::Result<T> {
        if let Err(error) = &result
            && self.failed.is_none()
        {
            let inner = io_error_in(error).unwrap_or(error);
            self.failed = Some((inner.raw_os_error(), inner.kind()));
        }
        result
    }

    /// `error` as a failure to write the output when a write to it failed (a closed pipe
    /// stays what it is); any other error unchanged.
    pub(super) fn explain(&self, error: anyhow::Error) -> anyhow::Error {
        match self.failed {
            Some((_, io::ErrorKind::BrokenPipe)) | None => error,
            Some((Some(code), _)) => OutputError::Write(io::Error::from_raw_os_error(code)).into(),
            Some((None, kind)) => OutputError::Write(io::Error::from(kind)).into(),
        }
    }
}

impl<W: io::Write> io::Write for Watched<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let result = self.inner.write(bytes);
        self.note(result)
    }

    fn flush(&mut self) -> io::Result<()> {
        let result = self.inner.flush();
        self.note(result)
    }
}

/// Whether `error` is only the reader of standard output having gone away.
pub(super) fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        io_error_in(cause).is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<DestinationError>()
                .is_some_and(DestinationError::is_broken_pipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_map_to_their_exit_codes() {
        let usage = anyhow::Error::from(UsageError("bad".to_owned()));
        assert_eq!(Exit::of_error(&usage), Exit::Usage);
        let wrapped = usage.context("while parsing");
        assert_eq!(Exit::of_error(&wrapped), Exit::Usage);
        let pipe = anyhow::Error::from(io::Error::from(io::ErrorKind::BrokenPipe));
        assert_eq!(Exit::of_error(&pipe), Exit::Success);
        let other = anyhow::anyhow!("the journal is locked");
        assert_eq!(Exit::of_error(&other), Exit::Failure);
        let memory = anyhow::Error::from(JournalError::NotPersistent("`:memory:`".to_owned()));
        assert_eq!(Exit::of_error(&memory), Exit::Usage);
        let codes: Vec<u8> = [
            Exit::Success,
            Exit::Failure,
            Exit::Usage,
            Exit::Overdue,
            Exit::Degraded,
            Exit::NotDelivered,
        ]
        .into_iter()
        .map(Exit::code)
        .collect();
        assert_eq!(codes, [0, 1, 2, 3, 4, 5]);
        let plugin: Vec<u8> = [
            PluginState::Ok,
            PluginState::Warning,
            PluginState::Critical,
            PluginState::Unknown,
        ]
        .into_iter()
        .map(|state| Exit::Plugin(state).code())
        .collect();
        assert_eq!(plugin, [0, 1, 2, 3]);
    }
}
