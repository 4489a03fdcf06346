//! Standard output that goes away or takes nothing: a reader that closes the pipe early is
//! not an error in any command or format (exit 0, nothing on stderr), while a full device
//! or a closed standard output is, even for `--version` and `--help`.

use std::io::Read;
use std::process::Stdio;

use crate::support::{TestEnv, socctl_binary};

/// Runs `socctl args…` with stdout on a pipe whose reader takes one byte and leaves;
/// returns the exit code and stderr.
fn reader_leaves_early(env: &TestEnv, args: &[&str]) -> (Option<i32>, String) {
    let mut child = env
        .std_cmd()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting socctl");
    let mut stdout = child.stdout.take().expect("a pipe");
    let mut byte = [0_u8; 1];
    stdout.read_exact(&mut byte).expect("one byte of output");
    drop(stdout);
    let output = child.wait_with_output().expect("socctl ends");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_reader_closing_the_pipe_early_is_not_an_error_in_any_format() {
    let env = TestEnv::shipped();
    // Ten years of the shipped catalog: far more than a pipe's 64 KiB buffer in every
    // format, so socctl is still writing when the reader leaves.
    let range = ["plan", "--from", "2026-01-01", "--to", "2035-12-31"];
    for format in ["table", "text", "markdown", "json", "csv", "html"] {
        let mut args = range.to_vec();
        args.extend(["-f", format]);
        let (code, stderr) = reader_leaves_early(&env, &args);
        assert_eq!((code, stderr.as_str()), (Some(0), ""), "plan -f {format}");
    }
    for args in [
        &["export", "ics", "--until", "2035-12-31"][..],
        &["man"][..],
        &["completions", "bash"][..],
        &["next", "--count", "2000", "-f", "csv"][..],
    ] {
        let (code, stderr) = reader_leaves_early(&env, args);
        assert_eq!((code, stderr.as_str()), (Some(0), ""), "{args:?}");
    }
}

#[test]
fn a_full_device_fails_clearly_even_for_version_and_help() {
    let env = TestEnv::shipped();
    // /dev/full as standard output only (never as `-o`): every write fails with ENOSPC.
    for args in [
        &["--version"][..],
        &["--help"][..],
        &["due"][..],
        &[
            "plan",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "-f",
            "csv",
        ][..],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let output = env
            .std_cmd()
            .args(args)
            .stdout(full)
            .output()
            .expect("running socctl");
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        assert_eq!(
            String::from_utf8_lossy(&output.stderr),
            "socctl: cannot write the output: no space left on the device (the disk is full)\n",
            "{args:?}"
        );
    }
}

#[test]
fn a_closed_standard_output_is_refused_before_anything_runs() {
    let env = TestEnv::shipped();
    let closed = "standard output is closed, so nothing could be written; redirect it to a \
                  file or to /dev/null";
    for args in ["journal export", "due", "--version"] {
        // `exec … >&-` closes descriptor 1 for socctl itself.
        let output = env
            .command("sh")
            .arg("-c")
            .arg(format!("exec '{}' {args} >&-", socctl_binary().display()))
            .output()
            .expect("running sh");
        assert_eq!(output.status.code(), Some(1), "{args}");
        assert_eq!(
            String::from_utf8_lossy(&output.stderr),
            format!("socctl: {closed}\n"),
            "{args}"
        );
    }
    // Nothing was recorded by a write command refused that way.
    let output = env
        .command("sh")
        .arg("-c")
        .arg(format!(
            "exec '{}' done update-escalation-tickets --by alice >&-",
            socctl_binary().display()
        ))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let history = env.stdout(&["history", "-f", "json"]);
    assert!(!history.contains("update-escalation-tickets"), "{history}");
    // /dev/null chosen by the shell is a fine place for output.
    let output = env
        .command("sh")
        .arg("-c")
        .arg(format!(
            "exec '{}' due >/dev/null",
            socctl_binary().display()
        ))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    // `-o FILE` needs no standard output.
    let output = env
        .command("sh")
        .arg("-c")
        .arg(format!(
            "exec '{}' due -o due.txt >&-",
            socctl_binary().display()
        ))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(env.work().join("due.txt").is_file());
}
