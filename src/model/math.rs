//! `exp` and `tanh` for the step, written so that the compiler vectorises them and so that
//! every machine computes the same bits.
//!
//! Only IEEE-754 basic operations (+, -, *, /, comparisons, bit moves) in a fixed order:
//! no fused multiply-add (Rust never contracts `a * b + c` on its own), no platform math
//! library (its `exp` and `tanh` differ between systems in the last bits). Both are
//! branch-free, so loops over whole rows of them vectorise; the tests below hold them to
//! `libm` within a stated number of ulps (units in the last place) over their whole range
//! of use.

/// 1.5 * 2^52: adding it rounds a double of magnitude < 2^51 to an integer (ties to even),
/// which then sits in the low bits of the sum.
const ROUND: f64 = 6_755_399_441_055_744.0;
const LOG2_E: f64 = std::f64::consts::LOG2_E;
/// ln 2 in two parts (fdlibm's): the high part has trailing zero bits, so `n * LN2_HI` is
/// exact for |n| < 2^11.
const LN2_HI: f64 = 0.693_147_180_369_123_8;
const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;

/// Taylor coefficients 1/k! of e^r - 1 = r (1 + r/2 + r^2/6 + ...), k = 2..=13. With
/// |r| <= ln2 / 2 the first omitted term is below 1e-17 relative.
const INV_FACT: [f64; 12] = [
    1.0 / 2.0,
    1.0 / 6.0,
    1.0 / 24.0,
    1.0 / 120.0,
    1.0 / 720.0,
    1.0 / 5_040.0,
    1.0 / 40_320.0,
    1.0 / 362_880.0,
    1.0 / 3_628_800.0,
    1.0 / 39_916_800.0,
    1.0 / 479_001_600.0,
    1.0 / 6_227_020_800.0,
];

/// Splits `x` into `2^n * e^r` with |r| <= ln2/2: returns (2^n, e^r - 1).
#[inline(always)]
fn reduce(x: f64) -> (f64, f64) {
    let x = x.clamp(-708.0, 709.0);
    let t = x * LOG2_E + ROUND;
    let n = t - ROUND;
    let r = (x - n * LN2_HI) - n * LN2_LO;
    // Horner from the highest coefficient down.
    let mut p = INV_FACT[11];
    let mut k = 11;
    while k > 0 {
        k -= 1;
        p = INV_FACT[k] + r * p;
    }
    let em1 = r + r * (r * p);
    // n sits in the low bits of t; 2^n is built from its exponent bits directly.
    let n_int = (t.to_bits() as i64).wrapping_sub(ROUND.to_bits() as i64);
    let scale = f64::from_bits(((n_int + 1023) as u64) << 52);
    (scale, em1)
}

/// `e^x`, within 2 ulp of libm's for |x| <= 708 (the tests measure it); arguments beyond
/// are clamped (e^x of the step's arguments, kappa * P, never leaves [-50, 50]).
#[inline(always)]
pub fn exp(x: f64) -> f64 {
    let (scale, em1) = reduce(x);
    scale + scale * em1
}

/// 64 / ln 2, and ln 2 / 64 in two parts (`LN2_HI`'s trailing zeros keep `n * LN2_HI / 64`
/// exact for |n| < 2^11 * 64).
const SIXTY_FOUR_OVER_LN2: f64 = 64.0 * std::f64::consts::LOG2_E;
const LN2_HI_64: f64 = LN2_HI / 64.0;
const LN2_LO_64: f64 = LN2_LO / 64.0;

/// 2^(j/64) for j = 0..64, from libm's `exp2` once (libm is Rust: the same bits everywhere).
fn powers_of_two() -> &'static [f64; 64] {
    static TABLE: std::sync::OnceLock<[f64; 64]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| std::array::from_fn(|j| libm::exp2(j as f64 / 64.0)))
}

/// `e^x` for one number at a time, x <= 0 (below -700 it gives e^-700, about 1e-304): a
/// table of 64 powers of two and four terms, within 1e-13 relative of libm's (the tests
/// measure it) in a third of its time. Made for the background's contracts, one at a
/// time, where `exp`'s twelve terms are one long chain and libm's checks for every kind
/// of argument cost as much again.
#[inline]
pub fn exp_of_negative(x: f64) -> f64 {
    let x = x.clamp(-700.0, 0.0);
    let t = x * SIXTY_FOUR_OVER_LN2 + ROUND;
    let k = t - ROUND;
    let r = (x - k * LN2_HI_64) - k * LN2_LO_64;
    // |r| <= ln2 / 128: the first omitted term, r^5 / 120, is below 4e-14 relative.
    let er = 1.0 + r * (1.0 + r * (0.5 + r * (1.0 / 6.0 + r * (1.0 / 24.0))));
    let k_int = (t.to_bits() as i64).wrapping_sub(ROUND.to_bits() as i64);
    let scale = f64::from_bits(((k_int.div_euclid(64) + 1023) as u64) << 52);
    scale * powers_of_two()[k_int.rem_euclid(64) as usize] * er
}

/// `e^x - 1`, accurate for small |x| too (no cancellation when n = 0).
#[inline(always)]
fn exp_m1(x: f64) -> f64 {
    let (scale, em1) = reduce(x);
    scale * em1 + (scale - 1.0)
}

/// `tanh x = (e^2x - 1) / (e^2x + 1)`, from `exp_m1` of 2|x| and the sign of x; within
/// 4 ulp of libm's (the tests measure it). |x| >= 20 gives +-1 exactly, as tanh rounds there.
#[inline(always)]
pub fn tanh(x: f64) -> f64 {
    let a = x.abs().min(20.0);
    let em1 = exp_m1(2.0 * a);
    let t = em1 / (em1 + 2.0);
    t.copysign(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Distance in ulps between two finite doubles of the same sign.
    fn ulps(a: f64, b: f64) -> u64 {
        if a == b {
            return 0;
        }
        assert_eq!(a.is_sign_negative(), b.is_sign_negative(), "{a} vs {b}");
        (a.abs().to_bits() as i64 - b.abs().to_bits() as i64).unsigned_abs()
    }

    /// Points spread over [low, high]: a fine even grid plus a pseudo-random scatter.
    fn points(low: f64, high: f64) -> impl Iterator<Item = f64> {
        let grid = (0..=200_000).map(move |i| low + (high - low) * i as f64 / 200_000.0);
        let mut z: u64 = 0x9e37_79b9_7f4a_7c15;
        let scatter = (0..200_000).map(move |_| {
            z = z
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            low + (high - low) * ((z >> 11) as f64 / (1u64 << 53) as f64)
        });
        grid.chain(scatter)
    }

    #[test]
    fn exp_is_within_2_ulp_of_libm() {
        let mut worst = 0;
        for x in points(-700.0, 700.0)
            .chain(points(-1.0, 1.0))
            .chain(points(-1e-6, 1e-6))
        {
            worst = worst.max(ulps(exp(x), libm::exp(x)));
        }
        assert!(worst <= 2, "exp is {worst} ulp from libm");
        assert_eq!(exp(0.0), 1.0);
    }

    #[test]
    fn exp_of_negative_is_within_1e_13_of_libm() {
        let mut worst: f64 = 0.0;
        for x in points(-700.0, 0.0)
            .chain(points(-1.0, 0.0))
            .chain(points(-1e-6, 0.0))
        {
            let want = libm::exp(x);
            worst = worst.max((exp_of_negative(x) - want).abs() / want);
        }
        assert!(worst <= 1e-13, "exp_of_negative is {worst:e} from libm");
        assert_eq!(exp_of_negative(0.0), 1.0);
        assert!(exp_of_negative(-1e9) > 0.0 && exp_of_negative(-1e9) < 1e-300);
    }

    #[test]
    fn tanh_is_within_4_ulp_of_libm() {
        let mut worst = 0;
        for x in points(-25.0, 25.0)
            .chain(points(-0.5, 0.5))
            .chain(points(-1e-8, 1e-8))
        {
            worst = worst.max(ulps(tanh(x), libm::tanh(x)));
        }
        assert!(worst <= 4, "tanh is {worst} ulp from libm");
        assert_eq!(tanh(0.0), 0.0);
        assert_eq!(tanh(30.0), 1.0);
        assert_eq!(tanh(-30.0), -1.0);
    }
}
