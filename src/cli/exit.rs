//! socctl's exit codes, and the one place that maps errors to them.

use std::io;

use super::UsageError;
use super::destination::DestinationError;
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
        } else if error.downcast_ref::<UsageError>().is_some() {
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

/// Whether `error` is only the reader of standard output having gone away.
pub(super) fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
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
        let codes: Vec<u8> = [Exit::Success, Exit::Failure, Exit::Usage, Exit::Overdue]
            .into_iter()
            .map(Exit::code)
            .collect();
        assert_eq!(codes, [0, 1, 2, 3]);
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
