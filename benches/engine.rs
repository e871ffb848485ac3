//! Criterion benchmarks: the step of one trajectory (a block of one, small and large
//! reference world), whole runs of both reference workloads (benches/reference_*.ron,
//! written by tests/validation/reference_workloads.rs), of generated reference worlds of 60, 100 and
//! 200 states (`reference_world::reference_text`, the same formulas) and of
//! scenarios/putin_visit.ron. Throughput is reported in trajectory-steps per second
//! ("elem/s"), the unit the numpy peer reports.
//!
//!     cargo bench --bench engine                     # everything
//!     cargo bench --bench engine -- run/reference    # whole runs of the reference workloads
//!     cargo bench --bench engine -- run/reference_n  # the large worlds (N = 60, 100, 200)
//!     ENTENTE_BENCH_FILE=f.ron cargo bench --bench engine -- run/file  # any file
//!
//! Threads: whole runs use every core unless ENTENTE_BENCH_THREADS is set (e.g. to 1 for
//! the 1-thread figure of the scaling ratio).

use std::path::Path;
use std::sync::atomic::AtomicBool;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};

use entente::engine::streams::Stream;
use entente::engine::{self, Control, Plan};
use entente::model::lanes::Lanes;
use entente::model::{self, Randomness, State, World};

#[path = "reference_world.rs"]
mod reference_world;

fn load(relative: &str) -> World {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    entente::scenario::load(&path)
        .unwrap_or_else(|e| panic!("{e}"))
        .world
}

/// Draws from one ChaCha stream, as the engine's noise stream does.
struct Draws(Stream);

impl Randomness for Draws {
    fn standard_normal(&mut self) -> f64 {
        self.0.standard_normal()
    }
    fn event_uniform(&mut self, _: usize) -> f64 {
        self.0.uniform()
    }
}

/// A state with the world's fixed parameters (the reference worlds sample none).
fn fixed_state(world: &World) -> State {
    let mut state = State::new(world);
    for slot in &world.params {
        let x = slot.sampler.draw(&mut Stream::keyed(1, "params"));
        for &t in &slot.targets {
            state.set(t, x);
        }
    }
    state
}

fn threads() -> Option<usize> {
    std::env::var("ENTENTE_BENCH_THREADS")
        .ok()
        .and_then(|t| t.parse().ok())
}

fn step(c: &mut Criterion) {
    let mut group = c.benchmark_group("step");
    for name in ["reference_small", "reference_large"] {
        let world = load(&format!("benches/{name}.ron"));
        let steps = u64::from(world.steps);
        group.throughput(Throughput::Elements(steps));
        group.bench_function(name, |b| {
            let mut draws = Draws(Stream::keyed(2018, "noise"));
            b.iter_batched_ref(
                || (fixed_state(&world), Lanes::new(&world)),
                |(state, kernel)| {
                    for t in 1..=world.steps {
                        model::step(&world, kernel, state, t, &mut draws);
                    }
                },
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

fn whole_run(c: &mut Criterion, label: &str, file: &str, trajectories: u64) {
    run_world(c, label, &load(file), trajectories);
}

fn run_world(c: &mut Criterion, label: &str, world: &World, trajectories: u64) {
    let mut group = c.benchmark_group("run");
    group.sample_size(10);
    group.throughput(Throughput::Elements(trajectories * u64::from(world.steps)));
    group.bench_function(label, |b| {
        b.iter(|| {
            let cancel = AtomicBool::new(false);
            let control = Control {
                progress: &|_| {},
                cancel: &cancel,
            };
            let plan = Plan::new(trajectories, world.seed, threads());
            engine::run(world, &plan, &control).unwrap()
        })
    });
    group.finish();
}

fn runs(c: &mut Criterion) {
    // Any file, to set one build against another on the same world (e.g. a file without
    // ranges or background against an older engine): ENTENTE_BENCH_FILE=path, trajectories
    // from ENTENTE_BENCH_TRAJECTORIES (default 10,240); `cargo bench --bench engine -- run/file`.
    if let Ok(file) = std::env::var("ENTENTE_BENCH_FILE") {
        let trajectories = std::env::var("ENTENTE_BENCH_TRAJECTORIES")
            .ok()
            .and_then(|t| t.parse().ok())
            .unwrap_or(10_240);
        let world = entente::scenario::load(Path::new(&file))
            .unwrap_or_else(|e| panic!("{e}"))
            .world;
        run_world(c, "file", &world, trajectories);
    }
    whole_run(c, "reference_small", "benches/reference_small.ron", 20_480);
    whole_run(c, "reference_large", "benches/reference_large.ron", 1_024);
    whole_run(c, "putin_visit", "scenarios/putin_visit.ron", 10_240);
    // The reference form at large N (K = 4, T = 40), with trajectory counts that make each
    // run take a few seconds on one thread: the blocked balance and leverage products.
    for (n, trajectories) in [(60, 1_200), (100, 300), (200, 40)] {
        let text = reference_world::reference_text(n, 4, 40);
        let world = entente::scenario::parse(Path::new("reference_world"), text.as_bytes())
            .unwrap_or_else(|e| panic!("{e}"))
            .1;
        run_world(c, &format!("reference_n{n}"), &world, trajectories);
    }
}

criterion_group!(benches, step, runs);
criterion_main!(benches);
