//! Criterion benchmarks of loading a scenario as `simulate check` does (read, parse, check
//! every name and range, compile to a world) for reference worlds of N = 30, 100 and 200
//! states (0.35, 3.9 and 15.9 MB). The files are generated at the start into a temporary
//! folder from REFERENCE.md's formulas (benches/reference_world.rs); throughput is bytes of
//! scenario text per second.
//!
//!     cargo bench --bench load                  # load/n30, load/n100, load/n200
//!     cargo bench --bench load -- load/n200

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

#[path = "reference_world.rs"]
mod reference_world;
use reference_world::reference_text;

fn load(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut group = c.benchmark_group("load");
    // A 200-state load takes most of a second: ten samples are enough to see a regression
    // back to quadratic (a minute), and keep the benchmark short on a shared machine.
    group.sample_size(10);
    for n in [30, 100, 200] {
        let text = reference_text(n, 4, 40);
        let path = dir.path().join(format!("reference_n{n}.ron"));
        std::fs::write(&path, &text).expect("the generated world is written");
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(format!("n{n}"), |b| {
            b.iter(|| {
                let s = entente::scenario::load(&path).unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(s.world.states.len(), n);
                s
            })
        });
    }
    group.finish();
}

criterion_group!(benches, load);
criterion_main!(benches);
