//! Model parameters: where each lives in a trajectory, how it may be drawn, and its valid range.

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
            ParamTarget::Rho(_) | ParamTarget::Hazard(_) => (0.0, 1.0),
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
}

impl Sampler {
    pub fn is_fixed(&self) -> bool {
        matches!(self, Sampler::Fixed(_))
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

/// One parameter of the file: its path (`eta`, `beta.aid.Pakistan`, `event.x.hazard`), how
/// it is drawn, and every place in a trajectory's `Params` that receives the value.
#[derive(Debug, Clone)]
pub struct ParamSlot {
    pub path: String,
    pub sampler: Sampler,
    pub targets: Vec<ParamTarget>,
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
    n: usize,
}

impl Params {
    pub fn new(n: usize, k: usize, events: usize) -> Self {
        Params {
            eta: vec![0.0; n],
            sigma: vec![0.0; n],
            gamma: vec![0.0; n],
            lambda: vec![0.0; n],
            beta: vec![0.0; k * n],
            kappa: vec![0.0; k],
            rho: vec![0.0; k],
            hazard: vec![0.0; events],
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
