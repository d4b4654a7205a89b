//! Synth speed of the scaled users API (`bench/examples/users_api_scaled.rs`): `N` copies of
//! function + table + `POST` route in one stack, for N = 1, 10 and 70 (492 resources).
//!
//! - `in-process/N`: build the stack from constructs, synthesize it and write its JSON
//!   template, as `App::run` does, without touching the disk. Repeated in one process, so
//!   this is the steady state: process-wide caches (compiled schema patterns and their
//!   verdicts, literal-constraint plans, `sub!` plans, facts tables) are warm after the first
//!   iteration. What one run of an app pays, caches cold, is in `whole-process/N`.
//! - `cold/N`: the same work done once in a fresh process, caches cold, as one run of an
//!   app does it: the prebuilt example binary (below) times its one build + synth + JSON
//!   and reports it (`USERS_API_TIME_ONE_SYNTH=1`); process start, exit and the disk write
//!   are not counted.
//! - `whole-process/N`: spawn the prebuilt release example binary, which builds, synthesizes
//!   and writes the assembly to a scratch directory. Build it first:
//!   `cargo build --release -p nephos-bench --example users_api_scaled`. The bench refuses a
//!   missing binary, and a stale one: older than any source it is built from (the library's
//!   `dsl/src` and the data it includes, the example and its handler, the manifests and
//!   `Cargo.lock`), so the two groups always time the same code.
//!
//! Run: `cargo bench -p nephos-bench --bench users_api_scaled -- --warm-up-time 1 --measurement-time 3`.

use std::hint::black_box;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

#[allow(dead_code)] // `main` and `app` are for the example binary.
#[path = "../examples/users_api_scaled.rs"]
mod example;

const COPIES: [usize; 3] = [1, 10, 70];

fn in_process(c: &mut Criterion) {
    let mut group = c.benchmark_group("in-process");
    for n in COPIES {
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, &n| {
            b.iter(|| {
                let template = example::stack(black_box(n))
                    .synth()
                    .expect("the scaled stack synthesizes");
                template.to_json_pretty().len()
            })
        });
    }
    group.finish();
}

/// The release example binary in the workspace's target directory (this package is a
/// member of the workspace, whose target directory is beside the root manifest).
fn example_binary() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("release/examples/users_api_scaled")
}

/// The sources the example binary is built from, by modification time: the newest one
/// and its path (a directory is searched through).
fn newest_source() -> (std::time::SystemTime, PathBuf) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut newest = (std::time::SystemTime::UNIX_EPOCH, root.clone());
    // The library's sources and the data files they include, the handler the example
    // includes, and the manifests and link settings.
    let mut pending: Vec<PathBuf> = [
        "dsl/src",
        "dsl/data",
        "dsl/build-tools.txt",
        "dsl/Cargo.toml",
        "examples/users_api/index.py",
        "bench/examples/users_api_scaled.rs",
        "bench/build.rs",
        "bench/Cargo.toml",
        "Cargo.toml",
        "Cargo.lock",
    ]
    .iter()
    .map(|p| root.join(p))
    .collect();
    while let Some(path) = pending.pop() {
        let meta = std::fs::metadata(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        if meta.is_dir() {
            let entries = std::fs::read_dir(&path)
                .unwrap_or_else(|e| panic!("cannot list {}: {e}", path.display()));
            pending.extend(entries.filter_map(|e| e.ok().map(|e| e.path())));
        } else if let Ok(modified) = meta.modified()
            && modified > newest.0
        {
            newest = (modified, path);
        }
    }
    newest
}

/// The prebuilt example binary, checked to exist and to be newer than its sources.
fn fresh_example_binary() -> PathBuf {
    let binary = example_binary();
    let rebuild = "run `cargo build --release -p nephos-bench --example users_api_scaled` first";
    let built = std::fs::metadata(&binary)
        .and_then(|m| m.modified())
        .unwrap_or_else(|_| panic!("{} is missing: {rebuild}", binary.display()));
    let (changed, source) = newest_source();
    assert!(
        built >= changed,
        "{} is older than {}: {rebuild}",
        binary.display(),
        source.display()
    );
    binary
}

/// The time the example binary reports for one timed synth of `n` copies in a fresh
/// process.
fn one_cold_synth(binary: &PathBuf, n: usize) -> Duration {
    let out = Command::new(binary)
        .env(example::COPIES_VAR, n.to_string())
        .env(example::TIME_VAR, "1")
        .stderr(std::process::Stdio::inherit())
        .output()
        .expect("the example binary starts");
    assert!(out.status.success(), "the example binary failed");
    let text = String::from_utf8_lossy(&out.stdout);
    let nanos: u64 = text
        .split_whitespace()
        .next()
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("the example binary printed {text:?}, not NANOSECONDS BYTES"));
    Duration::from_nanos(nanos)
}

fn cold(c: &mut Criterion) {
    let binary = fresh_example_binary();
    let mut group = c.benchmark_group("cold");
    for n in COPIES {
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, &n| {
            b.iter_custom(|iters| (0..iters).map(|_| one_cold_synth(&binary, n)).sum())
        });
    }
    group.finish();
}

fn whole_process(c: &mut Criterion) {
    let binary = fresh_example_binary();
    let scratch = std::env::temp_dir().join(format!("nephos-bench-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("scratch directory");
    let mut group = c.benchmark_group("whole-process");
    for n in COPIES {
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, &n| {
            b.iter(|| {
                let status = Command::new(&binary)
                    .env(example::COPIES_VAR, n.to_string())
                    .current_dir(&scratch)
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .status()
                    .expect("the example binary starts");
                assert!(status.success(), "the example binary failed");
            })
        });
    }
    group.finish();
    let _ = std::fs::remove_dir_all(&scratch);
}

/// The resource count stays under CloudFormation's 500 at the largest N.
fn resource_count() {
    let template = example::stack(COPIES[2]).synth().expect("synthesizes");
    let json: serde_json::Value =
        serde_json::from_str(&template.to_json_pretty()).expect("valid JSON");
    let count = json["Resources"].as_object().map_or(0, |r| r.len());
    eprintln!("users_api_scaled: N={} has {count} resources", COPIES[2]);
    assert!(
        count < 500,
        "{count} resources: over CloudFormation's limit"
    );
}

fn benches(c: &mut Criterion) {
    resource_count();
    in_process(c);
    cold(c);
    whole_process(c);
}

criterion_group!(scaled, benches);
criterion_main!(scaled);
