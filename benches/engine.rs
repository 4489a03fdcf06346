//! In-process benchmarks of the engine: catalog loading, cadence parsing and occurrence
//! expansion. Run with `cargo bench --bench engine`; figures are in BENCHMARKS.md.
//!
//! The generated catalogs come from `scripts/bench/generate_catalog.py` (seeded, so every run
//! measures the same catalog); the shipped catalog is the repository's own.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use jiff::civil::{Date, date};
use socctl::catalog::{self, Catalog};
use socctl::plan::{View, plan};

const TODAY: Date = date(2026, 11, 23);

fn generated(tasks: usize, directory: &Path) -> (PathBuf, PathBuf) {
    generated_with(tasks, directory, &[])
}

/// [`generated`] with more of the generator's flags (`--cron-heavy`).
fn generated_with(tasks: usize, directory: &Path, flags: &[&str]) -> (PathBuf, PathBuf) {
    let status = Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/bench/generate_catalog.py"))
        .arg(tasks.to_string())
        .arg(directory)
        .args(flags)
        .status()
        .expect("python3 runs scripts/bench/generate_catalog.py");
    assert!(status.success(), "the catalog generator failed");
    (directory.join("tasks.yaml"), directory.join("roles.yaml"))
}

fn shipped() -> (PathBuf, PathBuf) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    (root.join("tasks.yaml"), root.join("roles.yaml"))
}

fn load(paths: &(PathBuf, PathBuf)) -> Catalog {
    catalog::load_valid(&paths.0, &paths.1, TODAY).expect("the benchmark catalog is valid")
}

fn catalogs(directory: &Path) -> Vec<(String, (PathBuf, PathBuf))> {
    let mut all = vec![("shipped".to_owned(), shipped())];
    for tasks in [1_000, 10_000] {
        let dir = directory.join(tasks.to_string());
        all.push((tasks.to_string(), generated(tasks, &dir)));
    }
    all
}

fn loading(c: &mut Criterion) {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    for (name, paths) in catalogs(directory.path()) {
        let tasks_source = std::fs::read_to_string(&paths.0).expect("readable");
        let roles_source = std::fs::read_to_string(&paths.1).expect("readable");
        group.throughput(Throughput::Bytes(tasks_source.len() as u64));
        group.bench_function(BenchmarkId::new("yaml", &name), |b| {
            b.iter(|| {
                catalog::load_sources(&paths.0, &tasks_source, &paths.1, &roles_source, TODAY)
            });
        });
        // The YAML alone, the scanner's tree with its positions and no field checked: the
        // issue's "YAML with positions" rate (criterion reports it in bytes per second).
        group.bench_function(BenchmarkId::new("yaml-tree", &name), |b| {
            b.iter(|| {
                let nodes = catalog::yaml_nodes(&tasks_source);
                assert!(nodes > 0, "the scanner reads the benchmark catalog");
                nodes
            });
        });
        // The same files with a `---` first line, which the catalog scanner leaves to the
        // full YAML parser: the path every catalog took before the scanner (and the one a
        // catalog outside its subset still takes).
        let tasks_marked = format!("---\n{tasks_source}");
        let roles_marked = format!("---\n{roles_source}");
        group.bench_function(BenchmarkId::new("yaml-full-parser", &name), |b| {
            b.iter(|| {
                catalog::load_sources(&paths.0, &tasks_marked, &paths.1, &roles_marked, TODAY)
            });
        });
    }
    group.finish();
}

fn parsing(c: &mut Criterion) {
    let phrases = [
        "daily",
        "workdays",
        "every 3 days",
        "weekly on mon, thu",
        "every 2 weeks on monday",
        "monthly on the last workday",
        "monthly on the first monday and as needed",
        "quarterly",
        "yearly on 03-31",
        "daily at 09:00",
        "cron: 0 9 * * 1-5",
        "cron: 0 8 1-7 * 1",
    ];
    let mut group = c.benchmark_group("cadence");
    group.throughput(Throughput::Elements(phrases.len() as u64));
    group.bench_function("parse", |b| {
        b.iter(|| {
            for phrase in phrases {
                black_box(
                    socctl::cadence::parse(black_box(phrase), jiff::civil::Weekday::Monday).ok(),
                );
            }
        });
    });
    group.finish();
}

fn expansion(c: &mut Criterion) {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let mut group = c.benchmark_group("expand");
    group.sample_size(10);
    for (name, paths) in catalogs(directory.path()) {
        let catalog = load(&paths);
        let teams: Vec<usize> = (0..catalog.teams.len()).collect();
        let year = plan(
            &catalog,
            date(2026, 1, 1),
            date(2026, 12, 31),
            &teams,
            View::Range,
        )
        .expect("a valid range");
        group.throughput(Throughput::Elements(year.occurrences.len() as u64));
        group.bench_function(BenchmarkId::new("plan-year", &name), |b| {
            b.iter(|| {
                plan(
                    &catalog,
                    date(2026, 1, 1),
                    date(2026, 12, 31),
                    &teams,
                    View::Range,
                )
            });
        });
        group.throughput(Throughput::Elements(catalog.tasks.len() as u64));
        group.bench_function(BenchmarkId::new("due-day", &name), |b| {
            b.iter(|| {
                plan(
                    &catalog,
                    date(2026, 6, 1),
                    date(2026, 6, 1),
                    &teams,
                    View::Day,
                )
            });
        });
    }
    group.finish();
}

/// Reading the compiled catalog (a cache hit) whole, and only a day's due tasks of it.
fn compiled(c: &mut Criterion) {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let mut group = c.benchmark_group("cache");
    group.sample_size(10);
    for (name, paths) in catalogs(directory.path()) {
        let settings = catalog::CacheSettings {
            directory: directory.path().join(format!("cache-{name}")),
            build: "bench".to_owned(),
        };
        let open = || {
            catalog::open_cached(&paths.0, &paths.1, TODAY, Some(&settings))
                .expect("the benchmark catalog is valid")
        };
        // The first open compiles and writes the cache; from then on every open is a hit.
        let first = open();
        let teams: Vec<usize> = (0..first.head().teams.len()).collect();
        drop(first);
        assert!(
            matches!(open(), catalog::Opened::Compiled(_)),
            "a cache hit"
        );
        group.bench_function(BenchmarkId::new("whole", &name), |b| {
            b.iter(|| open().into_whole());
        });
        group.bench_function(BenchmarkId::new("due-day", &name), |b| {
            b.iter(|| open().into_tasks_in(&teams, date(2026, 6, 1), date(2026, 6, 1)));
        });
    }
    group.finish();
}

/// `due --date 2026-06-01 -f json` without a journal, in process: a cache hit whose key
/// comes from the files' recorded status, the day's tasks decoded, planned and written as
/// JSON (to memory), on both generator mixes; and `day-direct`, the day written straight
/// from the cache's bytes as `socctl due -f json` does.
fn due_json(c: &mut Criterion) {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let mut all = catalogs(directory.path());
    for tasks in [1_000, 10_000] {
        let dir = directory.path().join(format!("cron-heavy-{tasks}"));
        let paths = generated_with(tasks, &dir, &["--cron-heavy"]);
        all.push((format!("cron-heavy-{tasks}"), paths));
    }
    // Files that last changed a few seconds ago have their status recorded with the cache.
    std::thread::sleep(std::time::Duration::from_secs(4));
    let mut group = c.benchmark_group("due-json");
    group.sample_size(10);
    let day = date(2026, 6, 1);
    for (name, paths) in all {
        let settings = catalog::CacheSettings {
            directory: directory.path().join(format!("cache-{name}")),
            build: "bench".to_owned(),
        };
        let options = socctl::render::RenderOptions::default();
        let run = || {
            let opened = catalog::open_cached(&paths.0, &paths.1, TODAY, Some(&settings))
                .expect("the benchmark catalog is valid");
            let teams: Vec<usize> = (0..opened.head().teams.len()).collect();
            let catalog = opened
                .into_tasks_in(&teams, day, day)
                .expect("the benchmark catalog is valid");
            let day_plan = plan(&catalog, day, day, &teams, View::Day).expect("a valid range");
            let mut out = Vec::with_capacity(1 << 20);
            socctl::render::render_plan(
                &mut out,
                &catalog,
                &day_plan,
                socctl::render::Format::Json,
                &options,
            )
            .expect("written to memory");
            out.len()
        };
        run();
        assert!(run() > 2, "a day with tasks due");
        group.bench_function(BenchmarkId::new("day", &name), |b| b.iter(run));
        // What `socctl due -f json` does without a journal: the day read straight from the
        // compiled catalog's bytes into the JSON, no plan, and no task decoded but those
        // naming an assignee (the shipped catalog's, with translations, take it too).
        let direct = || {
            let opened = catalog::open_cached(&paths.0, &paths.1, TODAY, Some(&settings))
                .expect("the benchmark catalog is valid");
            let teams: Vec<usize> = (0..opened.head().teams.len()).collect();
            let due = opened.due_day(&teams, day, "en")?;
            let mut out = Vec::with_capacity(1 << 20);
            socctl::render::write_due_day_json(&mut out, opened.head(), &due)
                .expect("written to memory");
            Some(out.len())
        };
        if direct().is_some() {
            assert_eq!(direct(), Some(run()), "the same JSON as the plan's");
            group.bench_function(BenchmarkId::new("day-direct", &name), |b| b.iter(direct));
        }
        // As a new process runs it: each crontab expression met for the first time (the
        // memory of parsed expressions and looked-up days is per thread). `thread` is the
        // cost of the thread alone.
        group.bench_function(BenchmarkId::new("day-new-thread", &name), |b| {
            b.iter(|| std::thread::scope(|scope| scope.spawn(run).join()));
        });
    }
    group.bench_function("thread", |b| {
        b.iter(|| std::thread::scope(|scope| scope.spawn(|| black_box(1)).join()));
    });
    group.finish();
}

/// `plan --from 2026-01-01 --to 2026-12-31` without a journal, in process: the year
/// computed a day at a time and written as JSON and as CSV (to a sink), per occurrence.
fn plan_stream(c: &mut Criterion) {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let mut group = c.benchmark_group("plan-stream");
    group.sample_size(10);
    let (from, to) = (date(2026, 1, 1), date(2026, 12, 31));
    let options = socctl::render::RenderOptions::default();
    for (name, paths) in catalogs(directory.path()) {
        let catalog = load(&paths);
        let teams: Vec<usize> = (0..catalog.teams.len()).collect();
        let year = plan(&catalog, from, to, &teams, View::Range).expect("a valid range");
        group.throughput(Throughput::Elements(year.occurrences.len() as u64));
        drop(year);
        for (format_name, format) in [
            ("json", socctl::render::Format::Json),
            ("csv", socctl::render::Format::Csv),
        ] {
            group.bench_function(BenchmarkId::new(format_name, &name), |b| {
                b.iter(|| {
                    socctl::render::stream_plan(
                        &mut std::io::sink(),
                        &catalog,
                        (from, to),
                        &teams,
                        format,
                        &options,
                    )
                    .expect("written to a sink");
                });
            });
        }
    }
    group.finish();
}

/// The board's kept views (`socctl serve`, src/serve/cache.rs): a hit (the catalog, the
/// journal's version and the minute unchanged), the price of every board request once the
/// view is computed; and the journal-version probe when nobody else is reading it.
fn kept_views(c: &mut Criterion) {
    use socctl::serve::cache::{Probe, Views};
    use socctl::serve::{JournalVersion, View as BoardView};
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    let catalog = std::sync::Arc::new(load(&shipped()));
    let views = Views::default();
    let version = Some(JournalVersion {
        file: Some((1, 2)),
        changes: socctl::journal::Changes::default(),
    });
    let now = TODAY.at(12, 0, 0, 0);
    let board = BoardView::Due {
        date: None,
        team: None,
    };
    let answer = axum::body::Bytes::from(vec![b'x'; 20_000]);
    let mut group = c.benchmark_group("kept_views");
    group.bench_function("hit", |b| {
        b.iter(|| {
            runtime.block_on(views.get(&board, &catalog, version, now, || async {
                Ok(answer.clone())
            }))
        });
    });
    let probe = Probe::<u64>::default();
    group.bench_function("probe_alone", |b| {
        b.iter(|| probe.read(|| Some(black_box(7))));
    });
    group.finish();
}

criterion_group!(
    benches,
    parsing,
    loading,
    expansion,
    compiled,
    due_json,
    plan_stream,
    kept_views
);
criterion_main!(benches);
