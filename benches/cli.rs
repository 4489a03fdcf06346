//! In-process benchmarks of the command line: what clap's command tree costs a run before
//! the command starts. Run with `cargo bench --bench cli`; figures are in BENCHMARKS.md.
//!
//! `tree` builds in full only the subcommand a command line names (src/cli/tree.rs);
//! `full_tree` builds every one, as the man page and completions need and as every run did
//! before. The tree is dropped outside the timing, as a run leaves it to the process exit.

use std::ffi::OsString;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use socctl::cli::tree::{full_tree, tree};

fn words(line: &[&str]) -> Vec<OsString> {
    line.iter().map(OsString::from).collect()
}

fn command_tree(c: &mut Criterion) {
    let mut group = c.benchmark_group("cli");
    for (name, line) in [
        ("version", &["socctl", "--version"][..]),
        (
            "due",
            &["socctl", "due", "--team", "monitoring", "-f", "json"][..],
        ),
        (
            "plan",
            &[
                "socctl",
                "plan",
                "--from",
                "2026-01-01",
                "--to",
                "2026-12-31",
            ][..],
        ),
    ] {
        let line = words(line);
        group.bench_function(format!("parse/{name}"), |b| {
            b.iter_with_large_drop(|| {
                let mut command = tree(&line);
                black_box(command.try_get_matches_from_mut(line.clone()).is_ok());
                command
            });
        });
    }
    let due = words(&["socctl", "due", "--team", "monitoring", "-f", "json"]);
    group.bench_function("parse/due-with-the-whole-tree", |b| {
        b.iter_with_large_drop(|| {
            let mut command = full_tree();
            black_box(command.try_get_matches_from_mut(due.clone()).is_ok());
            command
        });
    });
    group.finish();
}

criterion_group!(benches, command_tree);
criterion_main!(benches);
