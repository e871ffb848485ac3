//! Worlds for unit tests: every entry different and smooth in its indices, built from
//! formulas so that any size can be made.

use super::{Process, Randomness, World};

/// A world of `n` states and `k` channels with no parameters, events or outcomes.
pub fn world(n: usize, k: usize) -> World {
    let f = |x: f64| libm::sin(x);
    let mut share = vec![0.0; k * n * n];
    for kk in 0..k {
        for i in 0..n {
            for j in (0..n).filter(|&j| j != i) {
                share[(kk * n + i) * n + j] =
                    0.4 * (1.0 + f((i + 2 * j + 3 * kk) as f64)) / n as f64;
            }
        }
    }
    World {
        name: "t".into(),
        steps: 10,
        seed: 1,
        weight: (0..n).map(|i| 1.0 + 0.5 * i as f64).collect(),
        stance: (0..n * n)
            .map(|ij| {
                if ij / n == ij % n {
                    0.0
                } else {
                    0.9 * f(1.0 + 3.0 * ij as f64)
                }
            })
            .collect(),
        affinity: (0..n * n)
            .map(|ij| 0.3 * f(2.0 + 5.0 * ij as f64))
            .collect(),
        share,
        ..World::new(
            (0..n).map(|i| format!("s{i}")),
            (0..k).map(|c| format!("c{c}")),
        )
    }
}

/// `world(n, k)` for each size, as it is and at rest (`model::rest`): the kernel tests run
/// both, since a world at rest takes other paths (residuals, `P − P0`).
pub fn worlds_as_they_are_and_at_rest(
    sizes: &[(usize, usize)],
) -> impl Iterator<Item = (World, usize, usize)> + '_ {
    sizes.iter().flat_map(|&(n, k)| {
        [false, true].map(move |at_rest| {
            let mut w = world(n, k);
            if at_rest {
                w.rest = Some(super::Rest::new(&w));
            }
            (w, n, k)
        })
    })
}

/// Cheap deterministic "normal" draws (any numbers will do where two implementations are
/// compared on the same draws); events draw 0.5, the background uniforms in [0, 1).
pub struct Counter(pub u64);

impl Randomness for Counter {
    fn standard_normal(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 3.0
    }
    fn event_uniform(&mut self, _: usize) -> f64 {
        0.5
    }
    fn background_uniform(&mut self, _: Process) -> f64 {
        self.standard_normal() / 3.0 + 0.5
    }
}

/// No noise, and no event fires: a world at rest must then not move.
pub struct Still;

impl Randomness for Still {
    fn standard_normal(&mut self) -> f64 {
        0.0
    }
    fn event_uniform(&mut self, _: usize) -> f64 {
        1.0
    }
}
