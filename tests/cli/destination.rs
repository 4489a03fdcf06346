//! `-o FILE`: regular files and new paths are replaced atomically, links are followed, FIFOs
//! and devices are written in place, directories and sockets are refused in plain words.
//! Devices are made with mknod in a temporary directory (never /dev): the full device is
//! character device 1:7 and the null device 1:3 on Linux (Documentation/admin-guide/devices.txt).

use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::Command as StdCommand;

use crate::support::{TODAY, TestEnv};

/// The text `due` writes for the shipped catalog on 2026-11-23, to compare files with.
fn due_text(env: &TestEnv) -> String {
    env.stdout(&["due", "-f", "text"])
}

/// The file type letter `ls -l` shows (`-`, `l`, `p`, `c`), from an independent tool.
fn kind(path: &Path) -> char {
    let output = StdCommand::new("ls")
        .arg("-ld")
        .arg(path)
        .output()
        .expect("running ls");
    String::from_utf8_lossy(&output.stdout)
        .chars()
        .next()
        .expect("ls output")
}

#[test]
fn a_regular_file_is_replaced_whole_and_keeps_its_mode() {
    use std::os::unix::fs::PermissionsExt as _;
    let env = TestEnv::shipped();
    let file = env.write("due.txt", "old contents that are longer than nothing\n");
    fs::set_permissions(&file, fs::Permissions::from_mode(0o640)).unwrap();
    env.cmd()
        .args(["due", "-f", "text", "-o", "due.txt"])
        .assert()
        .success()
        .stdout("");
    assert_eq!(fs::read_to_string(&file).unwrap(), due_text(&env));
    assert_eq!(
        fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o640
    );
    // A new file is readable by others, as a published calendar must be.
    env.cmd().args(["due", "-o", "new.txt"]).assert().success();
    let new = env.work().join("new.txt");
    assert_eq!(
        fs::metadata(&new).unwrap().permissions().mode() & 0o777,
        0o644
    );
    // Nothing is left beside them.
    let names: Vec<String> = fs::read_dir(env.work())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(names.is_empty(), "left behind: {names:?}");
}

#[test]
fn a_failed_run_leaves_the_old_file_alone() {
    let env = TestEnv::shipped();
    let file = env.write("due.txt", "yesterday's list\n");
    env.cmd()
        .args(["due", "--team", "no-such-team", "-o", "due.txt"])
        .assert()
        .failure();
    assert_eq!(fs::read_to_string(&file).unwrap(), "yesterday's list\n");
}

#[test]
fn a_symlink_stays_a_link_and_its_target_is_replaced() {
    let env = TestEnv::shipped();
    let target = env.write("real/due.txt", "old\n");
    std::os::unix::fs::symlink("real/due.txt", env.work().join("link.txt")).unwrap();
    env.cmd()
        .args(["due", "-f", "text", "-o", "link.txt"])
        .assert()
        .success();
    assert_eq!(kind(&env.work().join("link.txt")), 'l');
    assert_eq!(fs::read_to_string(&target).unwrap(), due_text(&env));
    // A link to a file that does not exist yet creates the file and keeps the link.
    std::os::unix::fs::symlink("real/later.txt", env.work().join("later.txt")).unwrap();
    env.cmd()
        .args(["due", "-f", "text", "-o", "later.txt"])
        .assert()
        .success();
    assert_eq!(kind(&env.work().join("later.txt")), 'l');
    assert_eq!(
        fs::read_to_string(env.work().join("real/later.txt")).unwrap(),
        due_text(&env)
    );
}

#[test]
fn a_fifo_is_written_to_not_replaced() {
    let env = TestEnv::shipped();
    let fifo = env.work().join("pipe");
    let made = StdCommand::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success(), "mkfifo failed");
    // The reader reports through a channel, so a socctl that replaced the FIFO (leaving the
    // reader waiting for a writer forever) fails the test instead of hanging it.
    let (sender, received) = std::sync::mpsc::channel();
    let reader_path = fifo.clone();
    std::thread::spawn(move || {
        let mut text = String::new();
        fs::File::open(reader_path)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        let _ = sender.send(text);
    });
    env.cmd()
        .args(["due", "-f", "text", "-o", "pipe"])
        .timeout(std::time::Duration::from_secs(30))
        .assert()
        .success();
    let text = received
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("nothing reached the FIFO's reader: was the FIFO replaced?");
    assert_eq!(text, due_text(&env));
    assert_eq!(kind(&fifo), 'p');
}

#[test]
fn dev_stdout_appends_where_the_shell_pointed_it() {
    let env = TestEnv::shipped();
    let log = env.write("log.txt", "earlier line\n");
    let socctl = assert_cmd::cargo::cargo_bin("socctl");
    // Through a shell, so that stdout is a file opened for appending.
    let status = StdCommand::new("sh")
        .arg("-c")
        .arg(format!(
            "'{}' due -f text -o /dev/stdout >>log.txt",
            socctl.display()
        ))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.home())
        .env("XDG_CONFIG_HOME", env.config())
        .env("SOCCTL_TODAY", TODAY)
        .current_dir(env.work())
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(
        fs::read_to_string(&log).unwrap(),
        format!("earlier line\n{}", due_text(&env))
    );
    assert_eq!(kind(&log), '-');
}

#[test]
fn a_directory_or_socket_is_refused_in_plain_words() {
    let env = TestEnv::shipped();
    fs::create_dir(env.work().join("reports")).unwrap();
    let output = env.cmd().args(["due", "-o", "reports"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        stderr,
        "socctl: cannot write reports: it is a directory; give a file name, e.g. reports/out.txt\n"
    );
    assert!(env.work().join("reports").is_dir());
    let _socket = std::os::unix::net::UnixListener::bind(env.work().join("sock")).unwrap();
    let output = env.cmd().args(["due", "-o", "sock"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "socctl: cannot write sock: it is a socket; -o takes a file, a FIFO or a device\n"
    );
    let output = env
        .cmd()
        .args(["due", "-o", "missing/due.txt"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "socctl: cannot write missing/due.txt: its directory does not exist\n"
    );
}

#[test]
#[ignore = "needs root (mknod): run scripts/test as root"]
fn devices_are_written_in_place_and_a_full_one_fails_clearly() {
    let env = TestEnv::shipped();
    for (name, minor) in [("full", "7"), ("null", "3")] {
        let made = StdCommand::new("mknod")
            .arg(env.work().join(name))
            .args(["c", "1", minor])
            .status()
            .unwrap();
        assert!(made.success(), "mknod needs root: run the test as root");
    }
    let output = env.cmd().args(["due", "-o", "full"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "socctl: cannot write full: no space left on the device (the disk is full)\n"
    );
    assert_eq!(kind(&env.work().join("full")), 'c');
    env.cmd().args(["due", "-o", "null"]).assert().success();
    assert_eq!(kind(&env.work().join("null")), 'c');
}
