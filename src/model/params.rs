//! Model parameters: where each lives in a trajectory, how it may be drawn, and its valid range.

use super::BackgroundParam;

/// One parameter value inside a trajectory's `Params`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamTarget {
    Eta(usize),
    Sigma(usize),
    Gamma(usize),
    Lambda(usize),
    /// `beta[channel][state]`.
    Beta(usize, usize),
    Kappa(usize),
    Rho(usize),
    /// The per-step probability of a hazard event.
    Hazard(usize),
    /// The hazard of one case of an event's hazard by cases, counted over every event's
    /// cases in order (`model::hazard`).
    Case(usize),
    /// A parameter of the background (`model::background`).
    Background(BackgroundParam),
}

impl ParamTarget {
    /// The valid range of the parameter (inclusive bounds). Files are checked against it,
    /// distributions are truncated to it, and effects are clamped into it.
    pub fn range(&self) -> (f64, f64) {
        match self {
            // eta = 0 would freeze stances; the design asks for (0, 1].
            ParamTarget::Eta(_) => (1e-9, 1.0),
            // A noise sd of 1 already swamps the whole stance range each step.
            ParamTarget::Sigma(_) => (0.0, 1.0),
            // tanh saturates long before 20; larger weights only hide mistakes.
            ParamTarget::Gamma(_) | ParamTarget::Lambda(_) => (0.0, 20.0),
            ParamTarget::Beta(..) => (-20.0, 20.0),
            // exp(kappa * P) with |P| <= 1: 50 keeps every factor finite and meaningful.
            ParamTarget::Kappa(_) => (-50.0, 50.0),
            ParamTarget::Rho(_) | ParamTarget::Hazard(_) | ParamTarget::Case(_) => (0.0, 1.0),
            ParamTarget::Background(p) => p.range(),
        }
    }
}

/// How a parameter gets its value in each trajectory.
#[derive(Debug, Clone, PartialEq)]
pub enum Sampler {
    Fixed(f64),
    Uniform {
        low: f64,
        high: f64,
    },
    /// Normal, truncated to `[low, high]` by rejection.
    Normal {
        mean: f64,
        sd: f64,
        low: f64,
        high: f64,
    },
    Beta {
        a: f64,
        b: f64,
    },
    Triangular {
        low: f64,
        mode: f64,
        high: f64,
    },
    /// A three-point estimate (`Guess(low, likely, high)`), drawn as PERT: a Beta on
    /// [low, high] with its mode at `likely` and lambda = 4, so shapes
    /// `1 + 4 (likely - low) / (high - low)` and `1 + 4 (high - likely) / (high - low)` and
    /// mean `(low + 4 likely + high) / 6`.
    Guess {
        low: f64,
        likely: f64,
        high: f64,
    },
}

/// The random numbers a sampler draws from (the engine's seeded streams).
pub trait Draws {
    /// Uniform on [0, 1).
    fn uniform(&mut self) -> f64;
    fn standard_normal(&mut self) -> f64;
    /// Gamma(shape, 1).
    fn gamma(&mut self, shape: f64) -> f64;
}

impl Sampler {
    /// The value when the parameter is not drawn at all.
    pub fn fixed(&self) -> Option<f64> {
        match *self {
            Sampler::Fixed(x) => Some(x),
            _ => None,
        }
    }

    pub fn is_fixed(&self) -> bool {
        self.fixed().is_some()
    }

    /// The smallest and largest value a draw can take.
    pub fn support(&self) -> (f64, f64) {
        match *self {
            Sampler::Fixed(x) => (x, x),
            Sampler::Uniform { low, high }
            | Sampler::Normal { low, high, .. }
            | Sampler::Triangular { low, high, .. }
            | Sampler::Guess { low, high, .. } => (low, high),
            Sampler::Beta { .. } => (0.0, 1.0),
        }
    }

    /// The Beta shapes of a `Guess` (PERT with lambda = 4).
    fn pert_shapes(low: f64, likely: f64, high: f64) -> (f64, f64) {
        let width = high - low;
        (
            1.0 + 4.0 * (likely - low) / width,
            1.0 + 4.0 * (high - likely) / width,
        )
    }

    /// One draw of the parameter.
    pub fn draw(&self, rng: &mut impl Draws) -> f64 {
        match *self {
            Sampler::Fixed(x) => x,
            // Both are their inverse CDF at a uniform draw.
            Sampler::Uniform { .. } | Sampler::Triangular { .. } => self.quantile(rng.uniform()),
            Sampler::Normal {
                mean,
                sd,
                low,
                high,
            } => {
                // Rejection keeps the shape inside the range; the bound on tries keeps a
                // badly placed mean from looping for ever (the clamp is then the answer).
                for _ in 0..1000 {
                    let x = mean + sd * rng.standard_normal();
                    if (low..=high).contains(&x) {
                        return x;
                    }
                }
                mean.clamp(low, high)
            }
            Sampler::Beta { a, b } => beta_draw(a, b, rng),
            Sampler::Guess { low, likely, high } => {
                let (a, b) = Self::pert_shapes(low, likely, high);
                low + (high - low) * beta_draw(a, b, rng)
            }
        }
    }

    /// The value at uniform quantile `u` of the distribution (its inverse CDF), which maps a
    /// sensitivity design row to parameter values: exact for Uniform and Triangular; for a
    /// truncated Normal, the normal quantile of `u` rescaled into the truncation's
    /// probability range; for Beta, bisection (60 halvings, below 1e-17) on the regularised
    /// incomplete beta function.
    pub fn quantile(&self, u: f64) -> f64 {
        let u = u.clamp(0.0, 1.0);
        match *self {
            Sampler::Fixed(x) => x,
            Sampler::Uniform { low, high } => low + (high - low) * u,
            Sampler::Triangular { low, mode, high } => triangular_quantile(low, mode, high, u),
            Sampler::Normal {
                mean,
                sd,
                low,
                high,
            } => {
                let (pl, ph) = (
                    normal_cdf((low - mean) / sd),
                    normal_cdf((high - mean) / sd),
                );
                let x = mean + sd * normal_quantile(pl + u * (ph - pl));
                x.clamp(low, high)
            }
            Sampler::Beta { a, b } => beta_quantile(a, b, u),
            Sampler::Guess { low, likely, high } => {
                let (a, b) = Self::pert_shapes(low, likely, high);
                low + (high - low) * beta_quantile(a, b, u)
            }
        }
    }
}

/// A Beta(a, b) draw, as the ratio of two Gamma draws.
fn beta_draw(a: f64, b: f64, rng: &mut impl Draws) -> f64 {
    let x = rng.gamma(a);
    let y = rng.gamma(b);
    if x + y > 0.0 {
        x / (x + y)
    } else {
        // Both Gamma draws underflowed, which only shapes far below 1 do (Beta(1e-5,
        // 1e-5) nearly always): such a Beta is all but a coin between 0 and 1, with 1 at
        // a / (a + b). A half, once the answer here, is its least likely value.
        if rng.uniform() < a / (a + b) {
            1.0
        } else {
            0.0
        }
    }
}

/// The `u`-quantile of Beta(a, b): bisection (60 halvings, below 1e-17) on the regularised
/// incomplete beta function.
fn beta_quantile(a: f64, b: f64, u: f64) -> f64 {
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if incomplete_beta(mid, a, b) < u {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// A sampler in the file's own notation (`0.3`, `Uniform(0.1, 0.5)`, ...), each number as
/// people read it (`format::Num`: a rate of 5e-324 was 326 characters in the report).
impl std::fmt::Display for Sampler {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        use crate::format::Num;
        match *self {
            Sampler::Fixed(x) => write!(f, "{}", Num(x)),
            Sampler::Uniform { low, high } => write!(f, "Uniform({}, {})", Num(low), Num(high)),
            Sampler::Normal {
                mean,
                sd,
                low,
                high,
            } => write!(
                f,
                "Normal({}, {}) truncated to [{}, {}]",
                Num(mean),
                Num(sd),
                Num(low),
                Num(high)
            ),
            Sampler::Beta { a, b } => write!(f, "Beta({}, {})", Num(a), Num(b)),
            Sampler::Triangular { low, mode, high } => {
                write!(f, "Triangular({}, {}, {})", Num(low), Num(mode), Num(high))
            }
            Sampler::Guess { low, likely, high } => {
                write!(f, "Guess({}, {}, {})", Num(low), Num(likely), Num(high))
            }
        }
    }
}

/// The `u`-quantile of the triangular distribution on [low, high] with its peak at `mode`
/// (its inverse CDF): draws use it with a uniform u, the Sobol design with design points.
pub fn triangular_quantile(low: f64, mode: f64, high: f64, u: f64) -> f64 {
    let cut = (mode - low) / (high - low);
    if u < cut {
        low + libm::sqrt(u * (high - low) * (mode - low))
    } else {
        high - libm::sqrt((1.0 - u) * (high - low) * (high - mode))
    }
}

/// One parameter or other drawn number of the file: its path (`eta`, `beta.aid.Pakistan`,
/// `event.x.hazard`, `stance.A.B`), how it is drawn, and every place in a trajectory that
/// receives the value.
#[derive(Debug, Clone)]
pub struct ParamSlot {
    pub path: String,
    pub sampler: Sampler,
    pub targets: Vec<super::Target>,
}

/// The parameter values of one trajectory, flat and indexed by state, channel and event.
#[derive(Debug, Clone, Default)]
pub struct Params {
    pub eta: Vec<f64>,
    pub sigma: Vec<f64>,
    pub gamma: Vec<f64>,
    pub lambda: Vec<f64>,
    /// `beta[k * n + i]`.
    pub beta: Vec<f64>,
    pub kappa: Vec<f64>,
    pub rho: Vec<f64>,
    pub hazard: Vec<f64>,
    /// The hazards of every event's cases, in order (`ParamTarget::Case`).
    pub cases: Vec<f64>,
    /// The background's parameters, by `BackgroundParam::index`.
    pub background: [f64; 5],
    n: usize,
}

impl Params {
    pub fn new(n: usize, k: usize, events: usize, cases: usize) -> Self {
        Params {
            eta: vec![0.0; n],
            sigma: vec![0.0; n],
            gamma: vec![0.0; n],
            lambda: vec![0.0; n],
            beta: vec![0.0; k * n],
            kappa: vec![0.0; k],
            rho: vec![0.0; k],
            hazard: vec![0.0; events],
            cases: vec![0.0; cases],
            background: [0.0; 5],
            n,
        }
    }

    fn slot(&mut self, target: ParamTarget) -> &mut f64 {
        match target {
            ParamTarget::Eta(i) => &mut self.eta[i],
            ParamTarget::Sigma(i) => &mut self.sigma[i],
            ParamTarget::Gamma(i) => &mut self.gamma[i],
            ParamTarget::Lambda(i) => &mut self.lambda[i],
            ParamTarget::Beta(k, i) => &mut self.beta[k * self.n + i],
            ParamTarget::Kappa(k) => &mut self.kappa[k],
            ParamTarget::Rho(k) => &mut self.rho[k],
            ParamTarget::Hazard(e) => &mut self.hazard[e],
            ParamTarget::Case(x) => &mut self.cases[x],
            ParamTarget::Background(p) => &mut self.background[p.index()],
        }
    }

    pub fn get(&mut self, target: ParamTarget) -> f64 {
        *self.slot(target)
    }

    /// Sets a parameter, clamped into its valid range.
    pub fn set(&mut self, target: ParamTarget, value: f64) {
        let (low, high) = target.range();
        *self.slot(target) = value.clamp(low, high);
    }
}

// ---------------------------------------------------------------------------------------
// From a uniform quantile to a parameter value: inverse CDFs in plain f64 arithmetic and
// `libm`, so every machine maps a design row to the same parameter values.

/// The standard normal CDF.
fn normal_cdf(z: f64) -> f64 {
    0.5 * libm::erfc(-z / std::f64::consts::SQRT_2)
}

/// The standard normal quantile: Acklam's rational approximation (relative error below
/// 1.2e-9), polished by one Halley step on the exact CDF.
fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969683028665376e1,
        2.209460984245205e2,
        -2.759285104469687e2,
        1.383_577_518_672_69e2,
        -3.066479806614716e1,
        2.506628277459239,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e1,
        1.615858368580409e2,
        -1.556989798598866e2,
        6.680131188771972e1,
        -1.328068155288572e1,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-3,
        -3.223964580411365e-1,
        -2.400758277161838,
        -2.549732539343734,
        4.374664141464968,
        2.938163982698783,
    ];
    const D: [f64; 4] = [
        7.784695709041462e-3,
        3.224671290700398e-1,
        2.445134137142996,
        3.754408661907416,
    ];
    let p = p.clamp(1e-300, 1.0 - 1e-16);
    let low = 0.02425;
    let x = if p < low {
        let q = libm::sqrt(-2.0 * libm::log(p));
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - low {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = libm::sqrt(-2.0 * libm::log(1.0 - p));
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    let e = normal_cdf(x) - p;
    let u = e * libm::sqrt(2.0 * std::f64::consts::PI) * libm::exp(x * x / 2.0);
    x - u / (1.0 + x * u / 2.0)
}

/// The regularised incomplete beta function I_x(a, b), by its continued fraction
/// (modified Lentz), as in Numerical Recipes' `betai`.
fn incomplete_beta(x: f64, a: f64, b: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front = libm::lgamma(a + b) - libm::lgamma(a) - libm::lgamma(b)
        + a * libm::log(x)
        + b * libm::log(1.0 - x);
    let front = libm::exp(ln_front);
    let fraction = |x: f64, a: f64, b: f64| {
        let tiny = 1e-300;
        let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
        let mut c = 1.0;
        let mut d = 1.0 - qab * x / qap;
        if d.abs() < tiny {
            d = tiny;
        }
        d = 1.0 / d;
        let mut h = d;
        for m in 1..300 {
            let m = m as f64;
            let m2 = 2.0 * m;
            let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1.0 + aa * d;
            d = if d.abs() < tiny { tiny } else { d };
            c = 1.0 + aa / c;
            c = if c.abs() < tiny { tiny } else { c };
            d = 1.0 / d;
            h *= d * c;
            let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1.0 + aa * d;
            d = if d.abs() < tiny { tiny } else { d };
            c = 1.0 + aa / c;
            c = if c.abs() < tiny { tiny } else { c };
            d = 1.0 / d;
            let step = d * c;
            h *= step;
            if (step - 1.0).abs() < 1e-15 {
                break;
            }
        }
        h
    };
    if x < (a + 1.0) / (a + b + 2.0) {
        front * fraction(x, a, b) / a
    } else {
        1.0 - front * fraction(1.0 - x, b, a) / b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Defect (hostile trial): a background rate of 5e-324 was listed in report.html, in
    /// summary.json's parameters and in sensitivity.csv as a 326-character decimal.
    #[test]
    fn a_tiny_or_huge_number_of_a_sampler_is_written_in_scientific_form() {
        assert_eq!(Sampler::Fixed(5e-324).to_string(), "5e-324");
        let u = Sampler::Uniform {
            low: 1e-300,
            high: 0.25,
        };
        assert_eq!(u.to_string(), "Uniform(1e-300, 0.25)");
        let g = Sampler::Guess {
            low: 0.1,
            likely: 0.2,
            high: 1e20,
        };
        assert_eq!(g.to_string(), "Guess(0.1, 0.2, 1e20)");
    }

    #[test]
    fn inverse_cdfs_hit_known_quantiles() {
        let u = Sampler::Uniform {
            low: 2.0,
            high: 4.0,
        };
        assert_eq!(u.quantile(0.25), 2.5);
        let n = Sampler::Normal {
            mean: 0.0,
            sd: 1.0,
            low: -50.0,
            high: 50.0,
        };
        assert!((n.quantile(0.975) - 1.959_963_984_540_054).abs() < 1e-9);
        assert!(n.quantile(0.5).abs() < 1e-12);
        let half = Sampler::Normal {
            mean: 0.0,
            sd: 1.0,
            low: 0.0,
            high: 50.0,
        };
        // The median of a half-normal is the normal's 75% quantile, 0.6745.
        assert!((half.quantile(0.5) - 0.674_489_750_196_082).abs() < 1e-9);
        let b = Sampler::Beta { a: 2.0, b: 2.0 };
        assert!((b.quantile(0.5) - 0.5).abs() < 1e-12);
        // Beta(2, 1) has CDF x^2: the 0.25 quantile is 0.5.
        assert!((Sampler::Beta { a: 2.0, b: 1.0 }.quantile(0.25) - 0.5).abs() < 1e-12);
        let t = Sampler::Triangular {
            low: 0.0,
            mode: 0.0,
            high: 1.0,
        };
        // CDF 1 - (1 - x)^2: the median is 1 - sqrt(0.5).
        assert!((t.quantile(0.5) - (1.0 - 0.5f64.sqrt())).abs() < 1e-12);
    }

    /// Guess is PERT: the Beta of shapes 1 + 4 (m - a) / (b - a) and 1 + 4 (b - m) / (b - a)
    /// on [a, b], so its mean is (a + 4m + b) / 6 and its density peaks at m.
    #[test]
    fn a_guess_has_the_pert_mean_and_its_mode_at_likely() {
        let (a, m, b) = (1.0, 2.0, 6.0);
        let guess = Sampler::Guess {
            low: a,
            likely: m,
            high: b,
        };
        // The mean as the integral of the quantile function (midpoint rule).
        let k = 20_000;
        let mean = (0..k)
            .map(|i| guess.quantile((i as f64 + 0.5) / k as f64))
            .sum::<f64>()
            / k as f64;
        assert!((mean - (a + 4.0 * m + b) / 6.0).abs() < 1e-4, "{mean}");
        // The density is highest where the quantile function is flattest: at m.
        let width = |u: f64| guess.quantile(u + 1e-4) - guess.quantile(u);
        let flattest = (1..999)
            .map(|i| i as f64 / 1000.0)
            .min_by(|&x, &y| width(x).total_cmp(&width(y)))
            .unwrap();
        assert!(
            (guess.quantile(flattest) - m).abs() < 0.05,
            "{}",
            guess.quantile(flattest)
        );
        assert_eq!(guess.support(), (a, b));
        assert_eq!(guess.to_string(), "Guess(1, 2, 6)");
    }

    /// Samplers in the file's notation: the report and `sensitivity.csv` show samplers this way.
    #[test]
    fn samplers_read_as_in_the_file() {
        let shown: Vec<String> = [
            Sampler::Fixed(0.3),
            Sampler::Uniform {
                low: 0.1,
                high: 0.5,
            },
            Sampler::Normal {
                mean: 0.5,
                sd: 0.1,
                low: 0.0,
                high: 1.0,
            },
            Sampler::Beta { a: 2.0, b: 5.0 },
            Sampler::Triangular {
                low: 0.0,
                mode: 0.2,
                high: 1.0,
            },
        ]
        .iter()
        .map(Sampler::to_string)
        .collect();
        assert_eq!(
            shown,
            [
                "0.3",
                "Uniform(0.1, 0.5)",
                "Normal(0.5, 0.1) truncated to [0, 1]",
                "Beta(2, 5)",
                "Triangular(0, 0.2, 1)"
            ]
        );
    }
}
