//! Scenario discovery: which ranges of the drawn inputs lead to an outcome, found by PRIM
//! (Friedman & Fisher 1999) as EMA Workbench implements it for a yes/no outcome: peel a
//! box of trajectories by alpha = 5% of its points along one input at a time, paste back
//! what helps, stop at a minimum mass, and keep the whole peeling trajectory (coverage
//! against density) with quasi-p-values per restricted input (Bryant & Lempert 2010).
//!
//! A plain function over numbers in memory (a run's records, say): `simulate explain`
//! reads the records and calls [`discover`]. An event that never fired is best given as a
//! step after the last, so that "fired by step t" is a range like any other.
//!
//! Checked against EMA Workbench 2.5.3's `prim.Prim(x, y, threshold=0.5)` on the records of
//! putin_visit.ron (5000 trajectories, seed 3; 21 inputs: the drawn numbers and the events'
//! first steps, never = 41): for each of its six outcomes the same peeling trajectory box
//! for box, the same limits and quasi-p-values within 1e-13 (EMA writes -1 for an
//! unrestricted side, which is `None` here).

use std::fmt;

use crate::scenario::spelling::printable;

/// How PRIM peels and pastes (EMA Workbench's defaults).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// The share of a box's points one peel removes along one input.
    pub peel_alpha: f64,
    /// The share of the points just outside a limit one paste adds back.
    pub paste_alpha: f64,
    /// The smallest share of all trajectories a box may keep.
    pub mass_min: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            peel_alpha: 0.05,
            paste_alpha: 0.05,
            mass_min: 0.05,
        }
    }
}

/// One box on the peeling trajectory: the first is every trajectory, each next one is a
/// peel (or, at the end, a paste) of the one before.
#[derive(Debug, Clone, PartialEq)]
pub struct Peel {
    /// The share of the trajectories where the outcome held that lie in the box.
    pub coverage: f64,
    /// The share of the box's trajectories where the outcome held.
    pub density: f64,
    /// The share of all trajectories in the box.
    pub mass: f64,
    /// How many inputs the box restricts.
    pub restricted: usize,
    /// The box: each input's (low, high), in the order of `names`.
    pub limits: Vec<(f64, f64)>,
    /// Whether this box was pasted onto the one before rather than peeled from it.
    pub pasted: bool,
}

/// One restricted input of the chosen box: the outcome is likelier where
/// `low <= input <= high`.
#[derive(Debug, Clone, PartialEq)]
pub struct Restriction {
    pub name: String,
    pub low: f64,
    pub high: f64,
    /// The quasi-p-value of each restricted side (`None` where the side is not
    /// restricted): how likely the box's hits would be if that limit were dropped.
    pub p_low: Option<f64>,
    pub p_high: Option<f64>,
    /// The larger of the two: the restriction is as doubtful as its weaker side.
    pub p_value: f64,
}

/// What PRIM found: the peeling trajectory and the box chosen from it (the last one).
#[derive(Debug, Clone, PartialEq)]
pub struct Discovery {
    pub trajectory: Vec<Peel>,
    /// The chosen box's restricted inputs, in the order of `names`.
    pub chosen: Vec<Restriction>,
    pub coverage: f64,
    pub density: f64,
    pub mass: f64,
}

/// Why PRIM could not be run on what it was given.
#[derive(Debug, Clone, PartialEq)]
pub enum DiscoveryError {
    NoTrajectories,
    /// `names` and `inputs` do not pair up.
    Names {
        names: usize,
        inputs: usize,
    },
    /// An input has a different number of values than there are outcomes.
    Length {
        name: String,
        values: usize,
        trajectories: usize,
    },
    /// An input has a value that is not a finite number.
    NotFinite {
        name: String,
        trajectory: usize,
    },
    /// A setting outside (0, 1).
    Setting {
        name: &'static str,
        value: f64,
    },
}

/// Longest input name shown in a message.
const NAME_SHOWN: usize = 80;

impl fmt::Display for DiscoveryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DiscoveryError::NoTrajectories => write!(f, "no trajectories to discover from"),
            DiscoveryError::Names { names, inputs } => {
                write!(f, "{names} input names for {inputs} inputs")
            }
            DiscoveryError::Length {
                name,
                values,
                trajectories,
            } => write!(
                f,
                "input {} has {values} values for {trajectories} trajectories",
                printable(name, NAME_SHOWN)
            ),
            DiscoveryError::NotFinite { name, trajectory } => write!(
                f,
                "input {} is not a finite number in trajectory {trajectory}",
                printable(name, NAME_SHOWN)
            ),
            DiscoveryError::Setting { name, value } => {
                write!(f, "{name} must lie between 0 and 1, not {value}")
            }
        }
    }
}

impl std::error::Error for DiscoveryError {}

/// Runs PRIM: `inputs[j]` holds input `names[j]` in every trajectory, `outcome[r]` whether
/// the outcome held in trajectory r.
pub fn discover(
    inputs: &[Vec<f64>],
    names: &[String],
    outcome: &[bool],
    settings: Settings,
) -> Result<Discovery, DiscoveryError> {
    check(inputs, names, outcome, settings)?;
    let data = Data::new(inputs, outcome);
    let mut boxed = Boxed::everything(&data);
    let mut trajectory = vec![data.peel_of(&boxed, false)];
    while let Some(next) = data.best_peel(&boxed, settings) {
        boxed = next;
        trajectory.push(data.peel_of(&boxed, false));
    }
    while let Some(next) = data.best_paste(&boxed, settings) {
        boxed = next;
        trajectory.push(data.peel_of(&boxed, true));
    }
    let last = data.peel_of(&boxed, false);
    Ok(Discovery {
        chosen: data.restrictions(&boxed, names),
        coverage: last.coverage,
        density: last.density,
        mass: last.mass,
        trajectory,
    })
}

/// The restricted inputs of any box `limits` (one of a [`Discovery`]'s trajectory, say)
/// over the same numbers, with their quasi-p-values, as `discover` gives its last box's.
pub fn restrictions_of(
    inputs: &[Vec<f64>],
    names: &[String],
    outcome: &[bool],
    limits: &[(f64, f64)],
) -> Vec<Restriction> {
    let data = Data::new(inputs, outcome);
    let members = data.members_of(limits);
    let hits = members.iter().filter(|&&r| outcome[r]).count();
    let boxed = Boxed {
        limits: limits.to_vec(),
        members,
        hits,
    };
    data.restrictions(&boxed, names)
}

fn check(
    inputs: &[Vec<f64>],
    names: &[String],
    outcome: &[bool],
    settings: Settings,
) -> Result<(), DiscoveryError> {
    if outcome.is_empty() {
        return Err(DiscoveryError::NoTrajectories);
    }
    if names.len() != inputs.len() {
        let (names, inputs) = (names.len(), inputs.len());
        return Err(DiscoveryError::Names { names, inputs });
    }
    for (name, values) in names.iter().zip(inputs) {
        if values.len() != outcome.len() {
            return Err(DiscoveryError::Length {
                name: name.clone(),
                values: values.len(),
                trajectories: outcome.len(),
            });
        }
        if let Some(trajectory) = values.iter().position(|x| !x.is_finite()) {
            let name = name.clone();
            return Err(DiscoveryError::NotFinite { name, trajectory });
        }
    }
    let named = [
        ("peel_alpha", settings.peel_alpha),
        ("paste_alpha", settings.paste_alpha),
        ("mass_min", settings.mass_min),
    ];
    match named.into_iter().find(|(_, x)| !(*x > 0.0 && *x < 1.0)) {
        Some((name, value)) => Err(DiscoveryError::Setting { name, value }),
        None => Ok(()),
    }
}

/// The numbers PRIM works on, and the box of every trajectory (each input's min and max).
struct Data<'a> {
    inputs: &'a [Vec<f64>],
    outcome: &'a [bool],
    hits: usize,
    whole: Vec<(f64, f64)>,
}

/// A box and the trajectories in it, with how many of them are hits.
#[derive(Clone)]
struct Boxed {
    limits: Vec<(f64, f64)>,
    members: Vec<usize>,
    hits: usize,
}

/// A candidate box, judged by its count and hits before its members are gathered.
struct Candidate {
    input: usize,
    limit: (f64, f64),
    count: usize,
    hits: usize,
}

impl Candidate {
    /// `input` limited to `limit`, which keeps `count` trajectories, `hits` of them with
    /// the outcome.
    fn new(input: usize, limit: (f64, f64), (count, hits): (usize, usize)) -> Self {
        Candidate {
            input,
            limit,
            count,
            hits,
        }
    }
}

impl Boxed {
    fn everything(data: &Data) -> Self {
        Boxed {
            limits: data.whole.clone(),
            members: (0..data.outcome.len()).collect(),
            hits: data.hits,
        }
    }

    fn mean(&self) -> f64 {
        mean(self.hits, self.members.len())
    }
}

fn mean(hits: usize, count: usize) -> f64 {
    if count == 0 {
        0.0
    } else {
        hits as f64 / count as f64
    }
}

/// EMA Workbench's "lenient1" objective: the gain in mean per trajectory removed (or
/// added), which keeps PRIM from favouring inputs that peel coarsely.
fn objective(old: &Boxed, count: usize, hits: usize) -> f64 {
    let gain = mean(hits, count) - old.mean();
    let moved = old.members.len().abs_diff(count);
    if gain == 0.0 || moved == 0 {
        0.0
    } else {
        gain / moved as f64
    }
}

impl<'a> Data<'a> {
    fn new(inputs: &'a [Vec<f64>], outcome: &'a [bool]) -> Self {
        let whole = inputs.iter().map(|values| min_max(values)).collect();
        Data {
            inputs,
            outcome,
            hits: outcome.iter().filter(|&&o| o).count(),
            whole,
        }
    }

    fn restricted(&self, limits: &[(f64, f64)]) -> usize {
        limits
            .iter()
            .zip(&self.whole)
            .filter(|(l, w)| l != w)
            .count()
    }

    fn peel_of(&self, boxed: &Boxed, pasted: bool) -> Peel {
        let count = boxed.members.len();
        Peel {
            coverage: mean(boxed.hits, self.hits),
            density: mean(boxed.hits, count),
            mass: count as f64 / self.outcome.len() as f64,
            restricted: self.restricted(&boxed.limits),
            limits: boxed.limits.clone(),
            pasted,
        }
    }

    /// The count and hits of the members of `members` with input j within `limit`.
    fn tally(&self, members: &[usize], j: usize, limit: (f64, f64)) -> (usize, usize) {
        let values = &self.inputs[j];
        let inside = members.iter().filter(|&&r| within(values[r], limit));
        inside.fold((0, 0), |(n, h), &r| {
            (n + 1, h + usize::from(self.outcome[r]))
        })
    }

    /// The share of all trajectories `candidate` keeps.
    fn mass(&self, candidate: &Candidate) -> f64 {
        candidate.count as f64 / self.outcome.len() as f64
    }

    /// The best of the candidates (highest objective, then fewest restricted inputs; the
    /// first of equals), with its objective.
    fn best(&self, old: &Boxed, candidates: Vec<Candidate>) -> Option<(Candidate, f64)> {
        let mut best: Option<(Candidate, f64, usize)> = None;
        for candidate in candidates {
            let score = objective(old, candidate.count, candidate.hits);
            let mut limits = old.limits.clone();
            limits[candidate.input] = candidate.limit;
            let free = limits.len() - self.restricted(&limits);
            let better = match &best {
                None => true,
                Some((_, s, f)) => score > *s || (score == *s && free > *f),
            };
            if better {
                best = Some((candidate, score, free));
            }
        }
        best.map(|(candidate, score, _)| (candidate, score))
    }

    /// The next peel: along each input, the lowest or highest alpha of the box's points.
    fn best_peel(&self, old: &Boxed, settings: Settings) -> Option<Boxed> {
        let mut candidates = Vec::new();
        let mut values = Vec::with_capacity(old.members.len());
        for j in 0..self.inputs.len() {
            values.clear();
            values.extend(old.members.iter().map(|&r| self.inputs[j][r]));
            let (low, high) = old.limits[j];
            let top = quantile(&mut values, 1.0 - settings.peel_alpha);
            let bottom = quantile(&mut values, settings.peel_alpha);
            for limit in [(low, top), (bottom, high)] {
                let tally = self.tally(&old.members, j, limit);
                candidates.push(Candidate::new(j, limit, tally));
            }
        }
        let (best, score) = self.best(old, candidates)?;
        let mass = self.mass(&best);
        let takes = mass >= settings.mass_min && best.count < old.members.len() && score > 0.0;
        takes.then(|| self.narrowed(old, &best))
    }

    /// `old` with `best`'s limit, keeping the members inside it.
    fn narrowed(&self, old: &Boxed, best: &Candidate) -> Boxed {
        let values = &self.inputs[best.input];
        let members: Vec<usize> = (old.members.iter().copied())
            .filter(|&r| within(values[r], best.limit))
            .collect();
        let mut limits = old.limits.clone();
        limits[best.input] = best.limit;
        Boxed {
            limits,
            members,
            hits: best.hits,
        }
    }

    /// Every trajectory in `limits`.
    fn members_of(&self, limits: &[(f64, f64)]) -> Vec<usize> {
        let inside = |&r: &usize| (self.inputs.iter().zip(limits)).all(|(x, &l)| within(x[r], l));
        (0..self.outcome.len()).filter(inside).collect()
    }

    /// The next paste: along each restricted input, a limit moved back out by alpha of
    /// the points between it and the edge of all trajectories.
    fn best_paste(&self, old: &Boxed, settings: Settings) -> Option<Boxed> {
        let mut candidates = Vec::new();
        for j in 0..self.inputs.len() {
            let ((low, high), (min, max)) = (old.limits[j], self.whole[j]);
            if (low, high) == (min, max) {
                continue;
            }
            for below in [true, false] {
                let mut strip = old.limits.clone();
                strip[j] = if below { (min, low) } else { (high, max) };
                let mut values: Vec<f64> = (self.members_of(&strip).into_iter())
                    .map(|r| self.inputs[j][r])
                    .collect();
                let limit = match (values.is_empty(), below) {
                    (true, true) => (min, high),
                    (true, false) => (low, max),
                    (false, true) => (quantile(&mut values, 1.0 - settings.paste_alpha), high),
                    (false, false) => (low, quantile(&mut values, settings.paste_alpha)),
                };
                let mut limits = old.limits.clone();
                limits[j] = limit;
                let members = self.members_of(&limits);
                let hits = members.iter().filter(|&&r| self.outcome[r]).count();
                candidates.push(Candidate::new(j, limit, (members.len(), hits)));
            }
        }
        let (best, score) = self.best(old, candidates)?;
        let mass = self.mass(&best);
        let grows = best.count > old.members.len() && mean(best.hits, best.count) > old.mean();
        if !(mass >= settings.mass_min && grows && score > 0.0) {
            return None;
        }
        let mut limits = old.limits.clone();
        limits[best.input] = best.limit;
        Some(Boxed {
            members: self.members_of(&limits),
            limits,
            hits: best.hits,
        })
    }

    /// The chosen box's restricted inputs with their quasi-p-values.
    fn restrictions(&self, boxed: &Boxed, names: &[String]) -> Vec<Restriction> {
        let mut restrictions = Vec::new();
        for (j, name) in names.iter().enumerate() {
            let ((low, high), (min, max)) = (boxed.limits[j], self.whole[j]);
            if (low, high) == (min, max) {
                continue;
            }
            let p_low = (low != min).then(|| self.quasi_p(boxed, j, (min, high)));
            let p_high = (high != max).then(|| self.quasi_p(boxed, j, (low, max)));
            let p_value = p_low.unwrap_or(0.0).max(p_high.unwrap_or(0.0));
            restrictions.push(Restriction {
                name: name.clone(),
                low,
                high,
                p_low,
                p_high,
                p_value,
            });
        }
        restrictions
    }

    /// How likely the box's hits (or more) would be among as many trajectories drawn from
    /// the box with input j's limit dropped to `wider` (a one-sided binomial test).
    fn quasi_p(&self, boxed: &Boxed, j: usize, wider: (f64, f64)) -> f64 {
        let mut limits = boxed.limits.clone();
        limits[j] = wider;
        let members = self.members_of(&limits);
        let hits = members.iter().filter(|&&r| self.outcome[r]).count();
        let p = mean(hits, members.len());
        binomial_at_least(boxed.hits as u64, boxed.members.len() as u64, p)
    }
}

fn within(x: f64, (low, high): (f64, f64)) -> bool {
    low <= x && x <= high
}

fn min_max(values: &[f64]) -> (f64, f64) {
    let start = (f64::INFINITY, f64::NEG_INFINITY);
    values
        .iter()
        .fold(start, |(lo, hi), &x| (lo.min(x), hi.max(x)))
}

/// The quantile as sdtoolkit and EMA Workbench take it, so that a peel never splits equal
/// values: the midpoint between the value at `(n - 1) q` and the next different value
/// (above it for q <= 0.5, below it for q > 0.5). Reorders `values`, which is not empty.
pub fn quantile(values: &mut [f64], q: f64) -> f64 {
    let at = (values.len() - 1) as f64 * q;
    let (lower, higher) = (at.floor() as usize, at.ceil() as usize);
    let mut kth = |k: usize| *values.select_nth_unstable_by(k, f64::total_cmp).1;
    let (mut low, mut high) = (kth(lower), kth(higher));
    // Inputs are finite, so an infinite fold means there is no other value.
    if low == high && q > 0.5 {
        let below = values.iter().copied().filter(|&x| x < high);
        low = below.fold(f64::NEG_INFINITY, f64::max);
        if low.is_infinite() {
            low = high;
        }
    } else if low == high {
        let above = values.iter().copied().filter(|&x| x > low);
        high = above.fold(f64::INFINITY, f64::min);
        if high.is_infinite() {
            high = low;
        }
    }
    (low + high) / 2.0
}

/// P(X >= k) for X binomial with n trials of probability p, summed in logs so that a
/// million trials neither overflow nor underflow.
pub fn binomial_at_least(k: u64, n: u64, p: f64) -> f64 {
    if k == 0 || p >= 1.0 {
        return 1.0;
    }
    if k > n || p <= 0.0 {
        return 0.0;
    }
    let (ln_p, ln_q) = (libm::log(p), libm::log1p(-p));
    let ln_n = libm::lgamma(n as f64 + 1.0);
    let ln_term = |i: u64| {
        let (i, rest) = (i as f64, (n - i) as f64);
        ln_n - libm::lgamma(i + 1.0) - libm::lgamma(rest + 1.0) + i * ln_p + rest * ln_q
    };
    let top = (k..=n).map(ln_term).fold(f64::NEG_INFINITY, f64::max);
    let sum: f64 = (k..=n).map(|i| libm::exp(ln_term(i) - top)).sum();
    (libm::exp(top) * sum).min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::streams::Stream;

    #[test]
    fn the_quantile_never_splits_equal_values() {
        let mut values = vec![1.0, 2.0, 2.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0];
        // (n - 1) q = 0.5: between 1 and 2.
        assert_eq!(quantile(&mut values, 0.05), 1.5);
        let mut values = vec![2.0; 10];
        values.push(5.0);
        // Index 0.5 lies among the 2s: the midpoint to the next value above.
        assert_eq!(quantile(&mut values, 0.05), 3.5);
        // Index 9.5 lies between the last 2 and the 5.
        assert_eq!(quantile(&mut values, 0.95), 3.5);
        let mut same = vec![4.0; 7];
        assert_eq!(quantile(&mut same, 0.05), 4.0);
        assert_eq!(quantile(&mut same, 0.95), 4.0);
    }

    #[test]
    fn the_binomial_tail_is_exact_for_small_counts_and_stays_finite_for_large() {
        // P(X >= 8) for 10 fair coins: (45 + 10 + 1) / 1024.
        let p = binomial_at_least(8, 10, 0.5);
        assert!((p - 56.0 / 1024.0).abs() < 1e-12, "{p}");
        assert_eq!(binomial_at_least(0, 10, 0.3), 1.0);
        assert_eq!(binomial_at_least(11, 10, 0.3), 0.0);
        let tiny = binomial_at_least(600_000, 1_000_000, 0.5);
        assert!((0.0..1e-100).contains(&tiny), "{tiny}");
        let most = binomial_at_least(499_000, 1_000_000, 0.5);
        assert!(most > 0.97 && most <= 1.0, "{most}");
    }

    /// 4000 trajectories: `gamma` uniform on [0, 1], an event's first step (41 for never,
    /// half of them), and three inputs that do nothing; the outcome holds exactly when
    /// gamma > 0.7 and the event fired.
    fn planted() -> (Vec<Vec<f64>>, Vec<String>, Vec<bool>) {
        let mut stream = Stream::keyed(11, "planted");
        let n = 4000;
        let mut inputs: Vec<Vec<f64>> = vec![Vec::new(); 5];
        let mut outcome = Vec::with_capacity(n);
        for _ in 0..n {
            let gamma = stream.uniform();
            let fired = stream.uniform() < 0.5;
            let step = if fired {
                (stream.uniform() * 41.0).floor()
            } else {
                41.0
            };
            inputs[0].push(gamma);
            inputs[1].push(step);
            for noise in &mut inputs[2..] {
                noise.push(stream.uniform());
            }
            outcome.push(gamma > 0.7 && fired);
        }
        let names = [
            "gamma",
            "event.deal.first_step",
            "eta",
            "kappa.arms",
            "sigma",
        ];
        (inputs, names.map(String::from).to_vec(), outcome)
    }

    #[test]
    fn prim_recovers_a_planted_rule_within_one_peel() {
        let (inputs, names, outcome) = planted();
        let found = discover(&inputs, &names, &outcome, Settings::default()).unwrap();
        let restricted: Vec<&str> = found.chosen.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(restricted, ["gamma", "event.deal.first_step"], "{found:#?}");
        let (gamma, deal) = (&found.chosen[0], &found.chosen[1]);
        // One peel takes 5% of a box's points: on gamma, at most 0.05 of its range.
        assert!((gamma.low - 0.7).abs() < 0.05, "{gamma:?}");
        assert!(gamma.p_high.is_none() && gamma.p_value < 1e-6, "{gamma:?}");
        // "Fired" is any step up to 40; "never" is 41.
        assert!(deal.high >= 40.0 && deal.high < 41.0, "{deal:?}");
        assert!(deal.p_low.is_none() && deal.p_value < 1e-6, "{deal:?}");
        assert!(found.density > 0.95 && found.coverage > 0.9, "{found:#?}");
        // The trajectory starts from every trajectory and only narrows while peeling.
        let first = &found.trajectory[0];
        assert_eq!(
            (first.mass, first.coverage, first.restricted),
            (1.0, 1.0, 0)
        );
        let peeled = found.trajectory.iter().take_while(|p| !p.pasted);
        let masses: Vec<f64> = peeled.map(|p| p.mass).collect();
        assert!(masses.windows(2).all(|m| m[1] < m[0]), "{masses:?}");
    }

    #[test]
    fn an_outcome_that_never_holds_restricts_nothing() {
        let (inputs, names, _) = planted();
        let never = vec![false; inputs[0].len()];
        let found = discover(&inputs, &names, &never, Settings::default()).unwrap();
        assert!(found.chosen.is_empty() && found.trajectory.len() == 1);
        assert_eq!((found.mass, found.coverage, found.density), (1.0, 0.0, 0.0));
    }

    #[test]
    fn inputs_that_do_not_fit_are_refused_with_the_input_named() {
        let names = vec!["gamma\u{7}".to_string()];
        let outcome = [true, false];
        let short = discover(&[vec![0.5]], &names, &outcome, Settings::default());
        let message = short.unwrap_err().to_string();
        assert!(message.contains("1 values for 2") && !message.contains('\u{7}'));
        let nan = discover(
            &[vec![0.5, f64::NAN]],
            &names,
            &outcome,
            Settings::default(),
        );
        assert!(nan.unwrap_err().to_string().contains("trajectory 1"));
        let wide = Settings {
            mass_min: 1.5,
            ..Settings::default()
        };
        let setting = discover(&[vec![0.5, 0.2]], &names, &outcome, wide);
        assert!(setting.unwrap_err().to_string().contains("mass_min"));
        let none = discover(&[], &[], &[], Settings::default());
        assert_eq!(none.unwrap_err(), DiscoveryError::NoTrajectories);
    }
}
