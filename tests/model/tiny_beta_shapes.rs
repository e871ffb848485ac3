//! A Beta of shapes far below 1 is all but a coin between 0 and 1: its draws must land near
//! the ends, as often as its shapes say, and never all in the middle.

use entente::engine::streams::Stream;
use entente::model::Sampler;

/// Defect: `Beta(1e-5, 1e-5)` (as a file's `gamma: Beta(1e-5, 1e-5)` or a stance) drew 0.5
/// every time: both Gamma draws underflow to 0 and the fallback was a half, the least
/// likely value of the distribution.
#[test]
fn a_beta_of_tiny_shapes_draws_near_0_or_1_not_always_one_half() {
    let mut rng = Stream::keyed(7, "params:gamma");
    let draws: Vec<f64> = (0..2000)
        .map(|_| Sampler::Beta { a: 1e-5, b: 3e-5 }.draw(&mut rng))
        .collect();
    let middle = draws.iter().filter(|x| (0.01..=0.99).contains(*x)).count();
    let ones = draws.iter().filter(|&&x| x > 0.99).count();
    assert_eq!(middle, 0, "draws between the ends");
    // P(near 1) = a / (a + b) = 1/4: 500 expected, sd about 19.
    assert!((400..=600).contains(&ones), "{ones} of 2000 near 1");
}
