//! Numerical safety of the model, over random valid worlds built in code: whatever the
//! parameters within their valid ranges (extremes included) and whatever events fire,
//! stances stay in [-1, 1], shares and anchors in [0, 1] with row totals at most 1 (both to
//! 1e-12: the share update `(1 - rho) z / total + rho anchor` may round a lone supplier's
//! share to 1 + 2e-16), affinities within their limit, and no number is NaN or infinite.
//!
//! The trajectories are stepped as the engine steps them: in blocks of `BLOCK` through
//! `model::step_block`, each state brought up to date after every step.

use crate::common;

use entente::model::lanes::{Lanes, BLOCK};
use entente::model::{
    step_block, Change, Condition, Effect, Event, Metric, ParamTarget, Randomness, State, Timing,
    World, AFFINITY_LIMIT,
};
use proptest::prelude::*;

/// Rows may pass 1 by rounding, never by more than this.
const TOTAL_TOLERANCE: f64 = 1e-12;

/// A small deterministic generator standing in for the engine's streams; now and then it
/// gives an extreme normal draw (up to 40 sd) to test the clamps.
struct Draws(u64);

impl Draws {
    fn next(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn uniform(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

impl Randomness for Draws {
    fn standard_normal(&mut self) -> f64 {
        if self.next().is_multiple_of(97) {
            return if self.next().is_multiple_of(2) {
                40.0
            } else {
                -40.0
            };
        }
        let (u, v) = (self.uniform().max(1e-300), self.uniform());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }

    fn event_uniform(&mut self, _e: usize) -> f64 {
        self.uniform()
    }
}

/// A value in `[low, high]`, its ends (and zero, where allowed) more often than not.
fn in_range((low, high): (f64, f64)) -> BoxedStrategy<f64> {
    let mut choices = vec![Just(low).boxed(), Just(high).boxed(), (low..=high).boxed()];
    if low <= 0.0 && 0.0 <= high {
        choices.push(Just(0.0).boxed());
    }
    proptest::strategy::Union::new(choices).boxed()
}

/// Any finite number an effect may carry, from the tiny to the enormous.
fn any_finite() -> impl Strategy<Value = f64> {
    prop_oneof![
        -2.0..2.0f64,
        Just(0.0),
        Just(-0.0),
        Just(1e308),
        Just(-1e308),
        Just(f64::MIN_POSITIVE),
        Just(5e-324),
        -1e300..1e300f64,
    ]
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        any_finite().prop_map(Change::Add),
        any_finite().prop_map(Change::Scale),
        any_finite().prop_map(Change::Set),
    ]
}

/// A random valid world: sizes, then everything else drawn to fit them.
fn world() -> impl Strategy<Value = (World, Vec<(ParamTarget, f64)>)> {
    (1..=6usize, 0..=3usize, 0..=4usize).prop_flat_map(|(n, k, events)| {
        let weights = proptest::collection::vec(in_range((1e-4, 1e4)), n);
        let stances = proptest::collection::vec(in_range((-1.0, 1.0)), n * n);
        let affinities =
            proptest::collection::vec(in_range((-AFFINITY_LIMIT, AFFINITY_LIMIT)), n * n);
        // Raw shares, then each row scaled to a total drawn in [0, 1].
        let shares = proptest::collection::vec(0.0..1.0f64, k * n * n);
        let totals = proptest::collection::vec(in_range((0.0, 1.0)), k * n);
        let mut targets = Vec::new();
        for i in 0..n {
            targets.extend([
                ParamTarget::Eta(i),
                ParamTarget::Sigma(i),
                ParamTarget::Gamma(i),
                ParamTarget::Lambda(i),
            ]);
            targets.extend((0..k).map(|c| ParamTarget::Beta(c, i)));
        }
        targets.extend((0..k).flat_map(|c| [ParamTarget::Kappa(c), ParamTarget::Rho(c)]));
        targets.extend((0..events).map(ParamTarget::Hazard));
        let values: Vec<_> = targets.iter().map(|t| in_range(t.range())).collect();
        let all_targets = targets.clone();
        let events = proptest::collection::vec(event(n, k, all_targets), events);
        (weights, stances, affinities, shares, totals, values, events).prop_map(
            move |(weight, mut stance, affinity, mut share, totals, values, events)| {
                for i in 0..n {
                    stance[i * n + i] = 0.0;
                }
                for (row, total) in share.chunks_mut(n.max(1)).zip(&totals) {
                    let sum: f64 = row.iter().sum();
                    for w in row.iter_mut() {
                        *w = if sum > 0.0 { *w / sum * total } else { 0.0 };
                    }
                }
                let world = World {
                    name: "random".into(),
                    steps: 0,
                    weight,
                    stance,
                    affinity,
                    share,
                    events,
                    ..World::new(
                        (0..n).map(|i| format!("s{i}")),
                        (0..k).map(|c| format!("c{c}")),
                    )
                };
                (world, targets.iter().copied().zip(values).collect())
            },
        )
    })
}

fn event(n: usize, k: usize, targets: Vec<ParamTarget>) -> impl Strategy<Value = Event> {
    let pair = (0..n, 0..n).prop_filter("two distinct states", |(i, j)| i != j);
    let effect = prop_oneof![
        (pair.clone(), change()).prop_map(|((i, j), change)| Effect::Stance { i, j, change }),
        (pair.clone(), change()).prop_map(|((i, j), change)| Effect::Affinity { i, j, change }),
        (pair.clone(), 0..k.max(1), change(), any::<bool>()).prop_map(
            move |((i, j), c, change, lasting)| {
                if k == 0 {
                    Effect::Stance { i, j, change }
                } else {
                    Effect::Share {
                        k: c,
                        i,
                        j,
                        change,
                        lasting,
                    }
                }
            }
        ),
        (
            proptest::sample::subsequence(targets.clone(), 0..=targets.len()),
            change()
        )
            .prop_map(|(targets, change)| Effect::Param { targets, change }),
    ];
    let effects = if n < 2 {
        Just(Vec::new()).boxed()
    } else {
        proptest::collection::vec(effect, 0..4).boxed()
    };
    let timing = prop_oneof![
        Just(Timing::Every(1)),
        Just(Timing::Hazard),
        (1..5u32).prop_map(Timing::At)
    ];
    let when = if n < 2 {
        Just(None).boxed()
    } else {
        prop_oneof![
            Just(None),
            (pair, -1.0..1.0f64)
                .prop_map(|((i, j), x)| Some(Condition::Above(Metric::Partnership(i, j), x))),
        ]
        .boxed()
    };
    (effects, timing, when, any::<bool>()).prop_map(|(effects, timing, when, repeat)| Event {
        name: "e".into(),
        description: String::new(),
        actor: None,
        timing,
        window: (1, u32::MAX),
        when,
        repeat,
        effects,
        choice: None,
        cases: vec![],
        directions: vec![],
        lags: vec![],
    })
}

/// Every invariant of a state; the first one broken, as a message.
fn broken(state: &State) -> Option<String> {
    let n = state.n;
    for (x, v) in state.stance.iter().enumerate() {
        if !(v.is_finite() && (-1.0..=1.0).contains(v)) {
            return Some(format!("stance {x} = {v}"));
        }
    }
    for i in 0..n {
        if state.stance[i * n + i] != 0.0 {
            return Some(format!(
                "the stance of state {i} toward itself is {}",
                state.stance[i * n + i]
            ));
        }
    }
    for (x, v) in state.affinity.iter().enumerate() {
        if !(v.is_finite() && v.abs() <= AFFINITY_LIMIT) {
            return Some(format!("affinity {x} = {v}"));
        }
    }
    for (what, values) in [("share", &state.share), ("anchor", &state.anchor)] {
        for (r, row) in values.chunks(n.max(1)).enumerate() {
            let total: f64 = row.iter().sum();
            // A lone supplier's share is the row's total, so it gets the same tolerance.
            let within = |v: &f64| v.is_finite() && (0.0..=1.0 + TOTAL_TOLERANCE).contains(v);
            if !row.iter().all(within) {
                return Some(format!("{what} row {r} = {row:?}"));
            }
            if total > 1.0 + TOTAL_TOLERANCE {
                return Some(format!("{what} row {r} totals {total}"));
            }
        }
    }
    let p = &state.params;
    for (what, values) in [
        ("eta", &p.eta),
        ("sigma", &p.sigma),
        ("gamma", &p.gamma),
        ("lambda", &p.lambda),
        ("beta", &p.beta),
        ("kappa", &p.kappa),
        ("rho", &p.rho),
        ("hazard", &p.hazard),
    ] {
        if let Some(v) = values.iter().find(|v| !v.is_finite()) {
            return Some(format!("{what} = {v}"));
        }
    }
    None
}

proptest! {
    #![proptest_config(common::proptest_config(1000))]

    #[test]
    fn stances_shares_and_parameters_stay_in_range((world, values) in world(), seed in any::<u64>()) {
        let mut state = State::new(&world);
        for &(target, value) in &values {
            state.params.set(target, value);
        }
        prop_assert!(broken(&state).is_none(), "the initial state: {:?}", broken(&state));
        // A block of trajectories with their own draws, so events fire in some and not in
        // others.
        let mut states = vec![state; BLOCK];
        let mut draws: Vec<Draws> = (0..BLOCK as u64).map(|l| Draws(seed ^ l)).collect();
        let mut kernel = Lanes::<BLOCK>::new(&world);
        for t in 1..=200 {
            step_block(&world, &mut kernel, t, states.iter_mut().zip(&mut draws));
            for (l, state) in states.iter_mut().enumerate() {
                kernel.store(l, state);
                if let Some(problem) = broken(state) {
                    prop_assert!(false, "trajectory {}, after step {}: {}", l, t, problem);
                }
            }
        }
        for state in &states {
            for i in 0..world.n() {
                for c in 0..world.k() {
                    let dependence = Metric::Dependence(i, c).eval(state);
                    prop_assert!((0.0..=1.0 + TOTAL_TOLERANCE).contains(&dependence));
                }
            }
        }
    }
}

/// Weights are limited to [1e-4, 1e4] (scenario::limits): four states weighing 1e308
/// overflow the balance term's sums (inf / inf), and a weight ratio past 1e16 rounds its
/// denominator to a wrong sign. The loader refuses such weights, with the range.
#[test]
fn weights_beyond_their_limits_are_refused() {
    let file = "Scenario(name: \"heavy\", steps: 1, states: [State(name: \"A\", weight: 1e308), \
                State(name: \"B\", weight: 1e-300)])";
    let refused = entente::scenario::parse(std::path::Path::new("heavy.ron"), file.as_bytes());
    let message = refused.expect_err("weights out of range").to_string();
    assert!(
        message.contains("\"A\": weight must be a number from 0.0001 to 10000"),
        "{message}"
    );
    assert!(message.contains("\"B\": weight"), "{message}");
}
