//! Prints the cost model's estimates of the big reference runs, for the table in
//! src/engine/estimate.rs:
//!
//!     cargo run --release --example reference_estimates

use std::path::Path;

#[path = "../benches/reference_world.rs"]
mod reference_world;
use reference_world::reference_text;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    for (n, trajectories) in [(100, 300), (200, 50)] {
        let text = reference_text(n, 4, 40);
        let (_, world) = entente::scenario::parse(Path::new("w.ron"), text.as_bytes())?;
        for threads in [1, 2] {
            let e = entente::engine::estimate::estimate(&world, trajectories, threads);
            println!(
                "N = {n}, {trajectories} trajectories, {threads} threads: {} MB, {} MB of \
                 address space, {:.1} s",
                e.memory_bytes / 1_000_000,
                e.address_space_bytes / 1_000_000,
                e.seconds
            );
        }
    }
    Ok(())
}
