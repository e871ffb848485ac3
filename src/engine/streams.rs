//! Seeds and random streams: the part of the reproducibility contract (README,
//! "Reproducibility") that fixes which random number each draw gets.
//!
//! Trajectory r of a run with master seed s draws from ChaCha8 generators seeded with
//! `trajectory_seed(s, r)`, one stream per purpose, selected with `set_stream` from a stable
//! hash of the purpose's name: `noise`, `params:<path>` and `event:<name>`. Adding an event
//! or a sampled parameter therefore changes no other draw, which is what makes paired
//! comparisons between two scenarios work.
//!
//! All transformations of raw bits into numbers are written here with `libm`, not the
//! platform's math library, so every machine gets the same values.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::model::Draws;

/// SplitMix64's finaliser: a bijective mix of 64 bits.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The seed of trajectory `r` under master seed `master`.
pub fn trajectory_seed(master: u64, r: u64) -> u64 {
    mix(master ^ mix(r.wrapping_add(0x9e37_79b9_7f4a_7c15)))
}

/// A stable 64-bit hash (FNV-1a) of a stream's name. Not std's `DefaultHasher`, whose
/// output may change between Rust releases.
pub fn stream_id(key: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Edge of the ziggurat's base layer and the area of each of its 256 layers
/// (Marsaglia and Tsang 2000, "The ziggurat method for generating random variables").
const ZIGGURAT_R: f64 = 3.654_152_885_361_009;
const ZIGGURAT_V: f64 = 0.004_928_673_233_99;

/// Layer edges `x[0] > x[1] = R > ... > x[256] = 0` and `f[i] = exp(-x[i]^2 / 2)`.
struct Ziggurat {
    x: [f64; 257],
    f: [f64; 257],
}

/// The tables, computed once with `libm` (so every machine gets the same bits).
fn ziggurat() -> &'static Ziggurat {
    static TABLES: std::sync::OnceLock<Ziggurat> = std::sync::OnceLock::new();
    TABLES.get_or_init(|| {
        let density = |x: f64| libm::exp(-0.5 * x * x);
        let mut x = [0.0; 257];
        x[0] = ZIGGURAT_V / density(ZIGGURAT_R);
        x[1] = ZIGGURAT_R;
        for i in 2..256 {
            x[i] = libm::sqrt(-2.0 * libm::log(ZIGGURAT_V / x[i - 1] + density(x[i - 1])));
        }
        x[256] = 0.0;
        let mut f = [0.0; 257];
        for i in 0..257 {
            f[i] = density(x[i]);
        }
        Ziggurat { x, f }
    })
}

/// Edge of the exponential ziggurat's base layer and the area of each of its 256 layers
/// (Marsaglia and Tsang 2000, the same paper).
const EXPONENTIAL_R: f64 = 7.697_117_470_131_05;
const EXPONENTIAL_V: f64 = 0.003_949_659_822_581_557;

/// The exponential ziggurat's tables, as `ziggurat` for the normal, with `f[i] = exp(-x[i])`.
fn exponential_ziggurat() -> &'static Ziggurat {
    static TABLES: std::sync::OnceLock<Ziggurat> = std::sync::OnceLock::new();
    TABLES.get_or_init(|| {
        let density = |x: f64| libm::exp(-x);
        let mut x = [0.0; 257];
        x[0] = EXPONENTIAL_V / density(EXPONENTIAL_R);
        x[1] = EXPONENTIAL_R;
        for i in 2..256 {
            x[i] = -libm::log(EXPONENTIAL_V / x[i - 1] + density(x[i - 1]));
        }
        x[256] = 0.0;
        let mut f = [0.0; 257];
        for i in 0..257 {
            f[i] = density(x[i]);
        }
        Ziggurat { x, f }
    })
}

/// One named random stream of one trajectory.
#[derive(Debug, Clone)]
pub struct Stream {
    rng: ChaCha8Rng,
}

impl Stream {
    pub fn new(seed: u64, stream: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(stream);
        Stream { rng }
    }

    pub fn keyed(seed: u64, key: &str) -> Self {
        Self::new(seed, stream_id(key))
    }

    /// Uniform in [0, 1) with 53 random bits.
    #[inline]
    pub fn uniform(&mut self) -> f64 {
        (self.rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Standard normal by Marsaglia and Tsang's ziggurat (256 layers): one 64-bit draw and
    /// one table comparison 98.8% of the time; the wedges and the tail, rarely, call `libm`.
    /// (It replaced the polar method, which spent a logarithm on every pair of draws.)
    #[inline]
    pub fn standard_normal(&mut self) -> f64 {
        let z = ziggurat();
        loop {
            let bits = self.rng.next_u64();
            let layer = (bits & 0xff) as usize;
            // Bits 11..64 make a uniform in [-1, 1); bits 0..8 chose the layer.
            let u = ((bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64)) * 2.0 - 1.0;
            let x = u * z.x[layer];
            if x.abs() < z.x[layer + 1] {
                return x;
            }
            if layer == 0 {
                return self.normal_tail(u < 0.0);
            }
            let y = z.f[layer] + (z.f[layer + 1] - z.f[layer]) * self.uniform();
            if y < libm::exp(-0.5 * x * x) {
                return x;
            }
        }
    }

    /// Two uniforms in [0, 1) with 32 random bits each, from one 64-bit draw: for choices
    /// (which market, which supplier) where 2^-32 is far finer than any weight, at half the
    /// draws.
    #[inline]
    pub fn uniform_pair(&mut self) -> (f64, f64) {
        let bits = self.rng.next_u64();
        let scale = 1.0 / (1u64 << 32) as f64;
        (
            (bits >> 32) as f64 * scale,
            (bits & 0xffff_ffff) as f64 * scale,
        )
    }

    /// Exponential of mean 1 by the ziggurat (256 layers), the normal's method on one side:
    /// one 64-bit draw and one comparison 98.9% of the time, where `-ln(1 - u)` spent a
    /// logarithm on every draw (the background's waiting times and sizes, `model::background`).
    #[inline]
    pub fn exponential(&mut self) -> f64 {
        let z = exponential_ziggurat();
        loop {
            let bits = self.rng.next_u64();
            let layer = (bits & 0xff) as usize;
            let u = (bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
            let x = u * z.x[layer];
            if x < z.x[layer + 1] {
                return x;
            }
            if let Some(x) = self.exponential_outside(layer, x) {
                return x;
            }
        }
    }

    /// Two exponentials of mean 1 from one 64-bit draw, 32 bits each (8 choose the layer,
    /// 24 place the point in it): a background event's size and the wait for the next one,
    /// at half the draws (`model::background`). 2^-24 of a layer is far finer than either
    /// needs; a point outside its layer's box (1.1% of them) is settled with draws of its
    /// own, the first's before the second's.
    #[inline]
    pub fn exponential_pair(&mut self) -> (f64, f64) {
        let bits = self.rng.next_u64();
        let z = exponential_ziggurat();
        let first = self.exponential_from(z, (bits >> 32) as u32);
        let second = self.exponential_from(z, bits as u32);
        (first, second)
    }

    /// One exponential from 32 bits: the ziggurat of `exponential` at 24 bits in a layer.
    /// The test of the layer's box is inlined where it is drawn (a call of its own was a
    /// sixth of a background contract's instructions); the rare rest is not.
    #[inline(always)]
    fn exponential_from(&mut self, z: &Ziggurat, bits: u32) -> f64 {
        let layer = (bits & 0xff) as usize;
        let u = f64::from(bits >> 8) * (1.0 / (1u64 << 24) as f64);
        let x = u * z.x[layer];
        if x < z.x[layer + 1] {
            return x;
        }
        self.exponential_beyond_box(layer, x)
    }

    /// `exponential_from` for a point outside its layer's box (1.1% of them).
    #[cold]
    #[inline(never)]
    fn exponential_beyond_box(&mut self, layer: usize, x: f64) -> f64 {
        self.exponential_outside(layer, x)
            .unwrap_or_else(|| self.exponential())
    }

    /// A point `x` of `layer` outside the layer's box: the tail beyond R (the exponential
    /// has no memory: R plus an exponential) or the wedge's test; `None` to draw again.
    fn exponential_outside(&mut self, layer: usize, x: f64) -> Option<f64> {
        if layer == 0 {
            return Some(EXPONENTIAL_R - libm::log(1.0 - self.uniform()));
        }
        let z = exponential_ziggurat();
        let y = z.f[layer] + (z.f[layer + 1] - z.f[layer]) * self.uniform();
        (y < libm::exp(-x)).then_some(x)
    }

    /// A draw from the normal's tail beyond the base layer's edge R (Marsaglia 1964).
    fn normal_tail(&mut self, negative: bool) -> f64 {
        loop {
            let x = -libm::log(1.0 - self.uniform()) / ZIGGURAT_R;
            let y = -libm::log(1.0 - self.uniform());
            if 2.0 * y >= x * x {
                let v = ZIGGURAT_R + x;
                return if negative { -v } else { v };
            }
        }
    }

    /// Gamma(shape, 1) by Marsaglia and Tsang's method.
    fn gamma(&mut self, shape: f64) -> f64 {
        if shape < 1.0 {
            let u = self.uniform();
            return self.gamma(shape + 1.0) * libm::pow(u, 1.0 / shape);
        }
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / libm::sqrt(9.0 * d);
        loop {
            let x = self.standard_normal();
            let v = 1.0 + c * x;
            if v <= 0.0 {
                continue;
            }
            let v = v * v * v;
            let u = self.uniform();
            if u > 0.0 && libm::log(u) < 0.5 * x * x + d - d * v + d * libm::log(v) {
                return d * v;
            }
        }
    }
}

/// The draws of a parameter (`Sampler::draw`) come from a trajectory's streams.
impl Draws for Stream {
    fn uniform(&mut self) -> f64 {
        Stream::uniform(self)
    }
    fn standard_normal(&mut self) -> f64 {
        Stream::standard_normal(self)
    }
    fn gamma(&mut self, shape: f64) -> f64 {
        Stream::gamma(self, shape)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Sampler;

    fn mean_sd(xs: &[f64]) -> (f64, f64) {
        let n = xs.len() as f64;
        let m = xs.iter().sum::<f64>() / n;
        let v = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1.0);
        (m, v.sqrt())
    }

    #[test]
    fn stream_ids_are_stable_across_releases() {
        // FNV-1a test vectors: if these change, every published result changes.
        assert_eq!(stream_id(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(stream_id("a"), 0xaf63_dc4c_8601_ec8c);
        // The noise stream's key (was `stream_id("noise") == stream_id("noise")`, which
        // cannot fail): computed independently with FNV-1a 64.
        assert_eq!(stream_id("noise"), 0x6c09_2771_d207_68d1);
        assert_ne!(stream_id("noise"), stream_id("event:noise"));
    }

    #[test]
    fn same_seed_and_key_give_the_same_draws_and_other_keys_do_not() {
        let mut a = Stream::keyed(7, "noise");
        let mut b = Stream::keyed(7, "noise");
        let mut c = Stream::keyed(7, "event:x");
        let xa: Vec<f64> = (0..5).map(|_| a.uniform()).collect();
        let xb: Vec<f64> = (0..5).map(|_| b.uniform()).collect();
        let xc: Vec<f64> = (0..5).map(|_| c.uniform()).collect();
        assert_eq!(xa, xb);
        assert_ne!(xa, xc);
        assert_ne!(trajectory_seed(1, 0), trajectory_seed(1, 1));
        assert_ne!(trajectory_seed(1, 0), trajectory_seed(2, 0));
    }

    /// The exponential ziggurat against the exponential's closed forms: mean and variance 1,
    /// P(X > x) = e^-x in the body, at the base layer's edge R and beyond it (the tail);
    /// and the pair's two halves are uniform and not the same number.
    #[test]
    fn exponential_draws_and_uniform_pairs_have_their_textbook_laws() {
        let mut s = Stream::keyed(2018, "background:test");
        let draws = 1_000_000;
        let xs: Vec<f64> = (0..draws).map(|_| s.exponential()).collect();
        let (m, sd) = mean_sd(&xs);
        assert!(
            (m - 1.0).abs() < 0.005 && (sd - 1.0).abs() < 0.01,
            "{m} {sd}"
        );
        let beyond = |x: f64| xs.iter().filter(|&&v| v > x).count() as f64 / draws as f64;
        for x in [0.1, 0.5, 1.0, 2.0, 4.0] {
            let p = libm::exp(-x);
            let se = (p * (1.0 - p) / draws as f64).sqrt();
            assert!((beyond(x) - p).abs() < 5.0 * se, "P(X > {x}) {}", beyond(x));
        }
        let p = libm::exp(-EXPONENTIAL_R);
        assert!((beyond(EXPONENTIAL_R) - p).abs() < 5.0 * (p / draws as f64).sqrt());
        assert!(beyond(EXPONENTIAL_R + 1.0) > 0.0, "the tail is reached");
        assert!(xs.iter().all(|&x| x >= 0.0 && x.is_finite()));

        let pairs: Vec<(f64, f64)> = (0..100_000).map(|_| s.uniform_pair()).collect();
        for half in [|p: &(f64, f64)| p.0, |p: &(f64, f64)| p.1] {
            let us: Vec<f64> = pairs.iter().map(half).collect();
            let (m, sd) = mean_sd(&us);
            assert!((m - 0.5).abs() < 0.005 && (sd - (1.0f64 / 12.0).sqrt()).abs() < 0.005);
            assert!(us.iter().all(|u| (0.0..1.0).contains(u)));
        }
        let same = pairs.iter().filter(|p| p.0 == p.1).count();
        assert_eq!(same, 0);
    }

    /// The pair's two exponentials at 24 bits in a layer: each half has the exponential's
    /// mean, variance and tails (the tail beyond R reached), and the two are uncorrelated.
    #[test]
    fn exponential_pairs_have_the_textbook_law_in_each_half() {
        let mut s = Stream::keyed(2018, "background:pairs");
        let draws = 1_000_000;
        let pairs: Vec<(f64, f64)> = (0..draws).map(|_| s.exponential_pair()).collect();
        for half in [|p: &(f64, f64)| p.0, |p: &(f64, f64)| p.1] {
            let xs: Vec<f64> = pairs.iter().map(half).collect();
            let (m, sd) = mean_sd(&xs);
            assert!(
                (m - 1.0).abs() < 0.005 && (sd - 1.0).abs() < 0.01,
                "{m} {sd}"
            );
            let beyond = |x: f64| xs.iter().filter(|&&v| v > x).count() as f64 / draws as f64;
            for x in [0.01, 0.1, 0.5, 1.0, 2.0, 4.0, EXPONENTIAL_R] {
                let p = libm::exp(-x);
                let se = (p * (1.0 - p) / draws as f64).sqrt();
                assert!((beyond(x) - p).abs() < 5.0 * se, "P(X > {x}) {}", beyond(x));
            }
            assert!(beyond(EXPONENTIAL_R + 1.0) > 0.0, "the tail is reached");
            assert!(xs.iter().all(|&x| x >= 0.0 && x.is_finite()));
        }
        let products = pairs.iter().map(|p| (p.0 - 1.0) * (p.1 - 1.0)).sum::<f64>();
        let correlation = products / draws as f64;
        assert!(correlation.abs() < 0.005, "correlation {correlation}");
    }

    #[test]
    fn distributions_have_their_textbook_moments() {
        let mut s = Stream::keyed(2018, "params:test");
        let n = 40_000;
        let normal: Vec<f64> = (0..n).map(|_| s.standard_normal()).collect();
        let (m, sd) = mean_sd(&normal);
        assert!(m.abs() < 0.02 && (sd - 1.0).abs() < 0.02, "normal {m} {sd}");
        // Tails: P(|Z| > 2) = 0.0455 and P(|Z| > 3.6541...) (beyond the base layer) = 0.00026.
        let big: Vec<f64> = (0..400_000).map(|_| s.standard_normal()).collect();
        let share = |t: f64| big.iter().filter(|x| x.abs() > t).count() as f64 / 400_000.0;
        assert!((share(2.0) - 0.0455).abs() < 0.002, "{}", share(2.0));
        assert!(
            (share(ZIGGURAT_R) - 0.000258).abs() < 0.0001,
            "{}",
            share(ZIGGURAT_R)
        );
        let kurtosis = big.iter().map(|x| x.powi(4)).sum::<f64>() / 400_000.0;
        assert!((kurtosis - 3.0).abs() < 0.05, "kurtosis {kurtosis}");

        let beta: Vec<f64> = (0..n)
            .map(|_| Sampler::Beta { a: 2.0, b: 5.0 }.draw(&mut s))
            .collect();
        let (m, _) = mean_sd(&beta);
        assert!((m - 2.0 / 7.0).abs() < 0.01, "beta mean {m}");
        assert!(beta.iter().all(|x| (0.0..=1.0).contains(x)));

        let small = Sampler::Beta { a: 0.5, b: 0.5 };
        let beta: Vec<f64> = (0..n).map(|_| small.draw(&mut s)).collect();
        assert!((mean_sd(&beta).0 - 0.5).abs() < 0.01);

        let tri = Sampler::Triangular {
            low: 0.0,
            mode: 0.25,
            high: 1.0,
        };
        let xs: Vec<f64> = (0..n).map(|_| tri.draw(&mut s)).collect();
        assert!((mean_sd(&xs).0 - 1.25 / 3.0).abs() < 0.01);

        let trunc = Sampler::Normal {
            mean: 0.0,
            sd: 1.0,
            low: 0.0,
            high: 1.0,
        };
        assert!((0..1000)
            .map(|_| trunc.draw(&mut s))
            .all(|x| (0.0..=1.0).contains(&x)));

        // Guess (PERT): mean (low + 4 likely + high) / 6, and its mode at `likely`.
        let guess = Sampler::Guess {
            low: 1.0,
            likely: 2.0,
            high: 6.0,
        };
        let xs: Vec<f64> = (0..n).map(|_| guess.draw(&mut s)).collect();
        assert!(
            (mean_sd(&xs).0 - 15.0 / 6.0).abs() < 0.02,
            "{}",
            mean_sd(&xs).0
        );
        assert!(xs.iter().all(|x| (1.0..=6.0).contains(x)));
        let mut bins = [0usize; 10];
        for x in &xs {
            bins[(((x - 1.0) / 0.5) as usize).min(9)] += 1;
        }
        let peak = (0..10).max_by_key(|&b| bins[b]).unwrap();
        assert!(
            peak == 1 || peak == 2,
            "the mode 2.0 is in bin 1 or at its edge: {bins:?}"
        );

        let uni = Sampler::Uniform {
            low: 0.02,
            high: 0.06,
        };
        let xs: Vec<f64> = (0..n).map(|_| uni.draw(&mut s)).collect();
        assert!((mean_sd(&xs).0 - 0.04).abs() < 0.001);
    }
}
