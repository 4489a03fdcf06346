//! The `socctl` binary: everything happens in the library.

fn main() -> std::process::ExitCode {
    socctl::cli::main()
}
