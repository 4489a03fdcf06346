//! The `socctl` binary: process set-up, then everything happens in the library.

use std::process::ExitCode;

fn main() -> ExitCode {
    forget_empty_socctl_variables();
    // `COMPLETE=bash socctl …`: the shell asking for completions; answered, then exits.
    socctl::cli::shell::complete_from_env();
    let finished = socctl::cli::run(std::env::args_os());
    // The process ends here: freeing a large catalog piece by piece costs more than the
    // system reclaiming the memory of the process at once.
    std::mem::forget(finished.leftovers);
    finished.exit.into()
}

/// An empty `SOCCTL_*` variable means "unset", as for XDG variables; clap would read it as
/// an empty value.
fn forget_empty_socctl_variables() {
    let empty: Vec<_> = std::env::vars_os()
        .filter(|(name, value)| name.to_string_lossy().starts_with("SOCCTL_") && value.is_empty())
        .map(|(name, _)| name)
        .collect();
    for name in empty {
        // SAFETY: called first thing in `main`, before any other thread exists.
        unsafe { std::env::remove_var(name) };
    }
}
