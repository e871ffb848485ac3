//! Parameters: each value checked against its range and made a sampler, slots named by
//! their paths, and the paths of `Param` effects.

use std::collections::BTreeMap;

use super::Compiler;
use crate::format::Num;
use crate::model::{ParamSlot, ParamTarget, Sampler, Target};
use crate::scenario::file::{
    Distribution, ScenarioFile, Value, DEFAULT_BETA, DEFAULT_KAPPA, DEFAULT_RHO,
};
use crate::scenario::locate::Position;
use crate::scenario::param_path::{self, ParamPath, StateParam};
use crate::scenario::spelling::quoted_name;

impl Compiler<'_> {
    /// Checks a parameter value against the range of its targets and turns it into a sampler.
    /// `at` finds where the value is written; it is asked only when the value has a
    /// problem (locating each of 7,200 overrides in a file with megabytes of comments inside
    /// its `params`, for a problem elsewhere, took a minute).
    pub(super) fn sampler(
        &mut self,
        at: impl Fn(&Self) -> Option<Position>,
        path: &str,
        value: &Value,
        range: (f64, f64),
    ) -> Sampler {
        self.sampled("parameter", at, path, value, range)
    }

    /// `sampler` for any number of the file, `what` naming its kind in a problem
    /// (`parameter`, `range`).
    pub(super) fn sampled(
        &mut self,
        what: &str,
        at: impl Fn(&Self) -> Option<Position>,
        path: &str,
        value: &Value,
        range: (f64, f64),
    ) -> Sampler {
        let (lo, hi) = range;
        let bad = |c: &mut Self, why: String| {
            let at = at(c);
            c.problem(at, format!("{what} `{path}`: {why}"));
            Sampler::Fixed(lo)
        };
        // What a range reaching past the valid values may be written as instead: its part
        // inside them, or, when it lies wholly outside (its part inside would be one
        // number: "e.g. from 12.5 to 12.5", hostile trial), which side it lies on.
        let inside = |a: f64, b: f64| {
            if !(a.is_finite() && b.is_finite() && a <= b && (a < lo || b > hi)) {
                String::new()
            } else if a >= hi {
                format!(" (the values lie in [{lo}, {hi}]: this range is at or above {hi})")
            } else if b <= lo {
                format!(" (the values lie in [{lo}, {hi}]: this range is at or below {lo})")
            } else {
                format!(
                    " (the values lie in [{lo}, {hi}]: e.g. from {} to {})",
                    Num(a.clamp(lo, hi)),
                    Num(b.clamp(lo, hi))
                )
            }
        };
        let finite = |xs: &[f64]| xs.iter().all(|x| x.is_finite());
        let within = |a: f64, b: f64| a >= lo - 1e-9 && b <= hi;
        match *value {
            Value::Fixed(x) => {
                if x.is_finite() && within(x, x) {
                    Sampler::Fixed(x.clamp(lo, hi))
                } else {
                    bad(
                        self,
                        format!("must be a number in [{lo}, {hi}], got {}", Num(x)),
                    )
                }
            }
            Value::Sampled(Distribution::Uniform(a, b)) => {
                if !finite(&[a, b]) || a > b || !within(a, b) {
                    bad(
                        self,
                        format!(
                            "Uniform({}, {}) needs {lo} <= low <= high <= {hi}{}",
                            Num(a),
                            Num(b),
                            inside(a, b)
                        ),
                    )
                } else {
                    Sampler::Uniform { low: a, high: b }
                }
            }
            Value::Sampled(Distribution::Normal(mean, sd)) => {
                if !finite(&[mean, sd]) || sd <= 0.0 || !within(mean, mean) {
                    bad(
                        self,
                        format!(
                            "Normal({}, {}) needs a mean in [{lo}, {hi}] and a positive sd \
                             (it is truncated to that range)",
                            Num(mean),
                            Num(sd)
                        ),
                    )
                } else if sd > 10.0 * (hi - lo) {
                    // The draw is by rejection into the range with at most 1,000 tries, then
                    // the mean: above 10 times the range, a try lands inside less than 4% of
                    // the time and the fallback silently turns "flat" into "the mean" (sd 100
                    // on [0, 1]: 1.8% of draws; sd 1e300: every draw).
                    bad(
                        self,
                        format!(
                            "Normal({}, {}) is flat across the range [{lo}, {hi}] (an sd more \
                             than 10 times its width): write Uniform({lo}, {hi}), or an sd of \
                             at most {}",
                            Num(mean),
                            Num(sd),
                            Num(10.0 * (hi - lo))
                        ),
                    )
                } else {
                    Sampler::Normal {
                        mean,
                        sd,
                        low: lo,
                        high: hi,
                    }
                }
            }
            Value::Sampled(Distribution::Beta(a, b)) => {
                if !finite(&[a, b]) || a <= 0.0 || b <= 0.0 {
                    bad(
                        self,
                        format!(
                            "Beta({}, {}) needs two positive shape parameters",
                            Num(a),
                            Num(b)
                        ),
                    )
                } else if !within(0.0, 1.0) {
                    bad(
                        self,
                        format!("Beta draws lie in [0, 1], outside the range [{lo}, {hi}]"),
                    )
                } else {
                    Sampler::Beta { a, b }
                }
            }
            Value::Sampled(
                ref three @ (Distribution::Triangular(a, m, b) | Distribution::Guess(a, m, b)),
            ) => {
                // A triangle and a three-point estimate take the same three numbers.
                let (name, middle) = match three {
                    Distribution::Guess(..) => ("Guess", "likely"),
                    _ => ("Triangular", "mode"),
                };
                if !(finite(&[a, m, b]) && a <= m && m <= b && a < b && within(a, b)) {
                    bad(
                        self,
                        format!(
                            "{name}({}, {}, {}) needs {lo} <= low <= {middle} <= high <= {hi} \
                             and low < high{}",
                            Num(a),
                            Num(m),
                            Num(b),
                            inside(a, b)
                        ),
                    )
                } else if name == "Guess" {
                    Sampler::Guess {
                        low: a,
                        likely: m,
                        high: b,
                    }
                } else {
                    Sampler::Triangular {
                        low: a,
                        mode: m,
                        high: b,
                    }
                }
            }
        }
    }

    /// Where `field` is written in the override of `state` (`overrides: {"B":
    /// Override(eta: ...)}`), or its `key` within that field (`beta: {"aid": ...}`): an
    /// override's bad value is reported there, not at the state's definition. Each search
    /// stays within the item it is in (the overrides, the state's entry, the field).
    fn override_at(
        &self,
        anchor: Option<usize>,
        state: &str,
        field: &str,
        key: Option<&str>,
    ) -> Option<Position> {
        let overrides = self.loc.field_in(anchor?, "overrides")?;
        let entry = self.loc.key_in(overrides, state)?;
        let written = self.loc.field_in(entry, field)?;
        let at = match key {
            Some(key) => self.loc.key_in(written, key)?,
            None => written,
        };
        Some(self.loc.position(at))
    }

    /// The parameter slots of `params`: one per global value and one per override, each
    /// named by its path.
    pub(super) fn params(&mut self, f: &ScenarioFile) -> Vec<ParamSlot> {
        let p = &f.params;
        let n = self.names.states.len();
        let anchor = self.top_field_offset("params");
        let mut slots = Vec::new();

        for (key, _) in p.beta.iter().chain(&p.kappa).chain(&p.rho) {
            self.channel(key);
        }
        let mut overrides = BTreeMap::new();
        for (state, o) in &p.overrides {
            if let Some(i) = self.state(state) {
                overrides.insert(i, o);
                for key in o.beta.keys() {
                    self.channel(key);
                }
            }
        }

        for param in StateParam::ALL {
            let range = param.target(0).range();
            let at = move |c: &Self| c.loc.field_after(anchor, param.name());
            let sampler = self.sampler(at, param.name(), p.scenario_wide(param), range);
            let mut targets = Vec::new();
            for i in 0..n {
                match overrides.get(&i).and_then(|o| o.overridden(param)) {
                    Some(v) => {
                        let path = ParamPath::PerState(param, Some(i)).text(&self.names);
                        let state = self.names.states[i];
                        let at =
                            |c: &Self| c.override_at(anchor, state, param.name(), None).or(at(c));
                        let sampler = self.sampler(at, &path, v, range);
                        slots.push(ParamSlot {
                            path,
                            sampler,
                            targets: vec![Target::Param(param.target(i))],
                        });
                    }
                    None => targets.push(Target::Param(param.target(i))),
                }
            }
            slots.push(ParamSlot {
                path: param.name().to_string(),
                sampler,
                targets,
            });
        }

        for c in 0..self.names.channels.len() {
            let ch = self.names.channels[c];
            let fixed = |x| Value::Fixed(x);
            let beta = p.beta.get(ch).cloned().unwrap_or(fixed(DEFAULT_BETA));
            let at = move |c: &Self| c.loc.field_after(anchor, "beta");
            let range = ParamTarget::Beta(c, 0).range();
            let path = ParamPath::Beta(Some(c), None).text(&self.names);
            let sampler = self.sampler(at, &path, &beta, range);
            let mut targets = Vec::new();
            for i in 0..n {
                match overrides.get(&i).and_then(|o| o.beta.get(ch)) {
                    Some(v) => {
                        let path = ParamPath::Beta(Some(c), Some(i)).text(&self.names);
                        let state = self.names.states[i];
                        let at =
                            |c: &Self| c.override_at(anchor, state, "beta", Some(ch)).or(at(c));
                        let sampler = self.sampler(at, &path, v, range);
                        slots.push(ParamSlot {
                            path,
                            sampler,
                            targets: vec![Target::Param(ParamTarget::Beta(c, i))],
                        });
                    }
                    None => targets.push(Target::Param(ParamTarget::Beta(c, i))),
                }
            }
            slots.push(ParamSlot {
                path,
                sampler,
                targets,
            });

            for (name, map, default, target, path) in [
                (
                    "kappa",
                    &p.kappa,
                    DEFAULT_KAPPA,
                    ParamTarget::Kappa(c),
                    ParamPath::Kappa(Some(c)),
                ),
                (
                    "rho",
                    &p.rho,
                    DEFAULT_RHO,
                    ParamTarget::Rho(c),
                    ParamPath::Rho(Some(c)),
                ),
            ] {
                let value = map.get(ch).cloned().unwrap_or(fixed(default));
                let at = move |c: &Self| c.loc.field_after(anchor, name);
                let path = path.text(&self.names);
                let sampler = self.sampler(at, &path, &value, target.range());
                slots.push(ParamSlot {
                    path,
                    sampler,
                    targets: vec![Target::Param(target)],
                });
            }
        }
        slots
    }

    /// One slot per hazard event, after the `params` slots, each followed by one per case of
    /// its hazard by cases.
    pub(super) fn hazard_slots(&mut self, f: &ScenarioFile) -> Vec<ParamSlot> {
        let mut slots = Vec::new();
        let anchors = self.item_anchors("events", f.events.iter().map(|e| e.name.as_str()));
        for ((e, def), anchor) in f.events.iter().enumerate().zip(anchors) {
            if let Some(value) = &def.hazard {
                let at = move |c: &Self| c.loc.field_after(anchor, "hazard");
                let path = ParamPath::Hazard(e).text(&self.names);
                let target = ParamTarget::Hazard(e);
                let sampler = self.sampler(at, &path, value, target.range());
                slots.push(ParamSlot {
                    path,
                    sampler,
                    targets: vec![Target::Param(target)],
                });
                let first = super::cases::first_case(f, e);
                for (c, (_, value)) in def.cases.iter().enumerate() {
                    let at = move |c: &Self| c.loc.field_after(anchor, "cases");
                    let path = ParamPath::Case(e, c).text(&self.names);
                    let target = ParamTarget::Case(first + c);
                    let sampler = self.sampler(at, &path, value, target.range());
                    slots.push(ParamSlot {
                        path,
                        sampler,
                        targets: vec![Target::Param(target)],
                    });
                }
            }
        }
        slots
    }

    /// The targets of a `Param(path, ...)` effect of `event`, or None (reported) if the path
    /// names no parameter.
    pub(super) fn param_targets(&mut self, event: &str, path: &str) -> Option<Vec<ParamTarget>> {
        if let Some(p) = ParamPath::parse(path, &self.names) {
            return Some(p.targets(&self.names));
        }
        // The message searches every path for the closest: past the problem limit, where it
        // would only be counted, a file of many bad paths must not pay for that.
        if self.problems.full() {
            self.problems.skip();
        } else {
            let at = self.loc.name(path);
            let message = param_path::unknown(path, &self.names);
            self.problem(at, format!("event {}: {message}", quoted_name(event)));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{compiled, position_of, problems, scenario};
    use crate::scenario::param_path::{unknown, Names};

    /// Regression: a bad value in a state's override was reported at the state's
    /// definition in `states: [...]`, not where the override writes it.
    #[test]
    fn an_overrides_bad_value_points_at_the_override() {
        let text = scenario("params: Params(overrides: {\"B\": Override(eta: 2.0)}),");
        let found = problems(&text);
        assert!(found[0].message.contains("eta.B"), "{found:?}");
        assert_eq!(found[0].position, position_of(&text, "eta: 2.0"));
    }

    /// Regression: a bad channel value in a state's `beta` override was reported at the
    /// state's key, since the channel was searched for as a field.
    #[test]
    fn a_bad_beta_override_points_at_its_channel() {
        let text = scenario(
            "params: Params(overrides: {\"B\": Override(eta: 0.1,\n    beta: {\"aid\": 1e9})}),",
        );
        let found = problems(&text);
        assert!(found[0].message.contains("beta.aid.B"), "{found:?}");
        assert_eq!(found[0].position, position_of(&text, "\"aid\": 1e9"));
    }

    /// Regression: where each override is written was looked up for every override of a
    /// file with a problem elsewhere (7,200 lookups over megabytes of comments: a minute).
    /// A value's place is looked up only when the value has a problem.
    #[test]
    fn a_valid_value_is_never_located() {
        let text = scenario("");
        let mut c = super::super::tests::compiler(&text);
        let asked = std::cell::Cell::new(0);
        let at = |_: &super::Compiler| {
            asked.set(asked.get() + 1);
            None
        };
        let _ = c.sampler(
            at,
            "eta",
            &crate::scenario::file::Value::Fixed(0.5),
            (0.0, 1.0),
        );
        assert_eq!(asked.get(), 0);
        let _ = c.sampler(
            at,
            "eta",
            &crate::scenario::file::Value::Fixed(5.0),
            (0.0, 1.0),
        );
        assert_eq!(asked.get(), 1);
        assert_eq!(c.problems.len(), 1);
    }

    #[test]
    fn slots_are_named_by_their_paths_overrides_first() {
        let text = scenario(
            "params: Params(overrides: {\"B\": Override(eta: 0.3, beta: {\"aid\": 2.0})}),",
        );
        let world = compiled(&text).unwrap();
        let paths: Vec<&str> = world.params.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "eta.B",
                "eta",
                "sigma",
                "gamma",
                "lambda",
                "beta.aid.B",
                "beta.aid",
                "kappa.aid",
                "rho.aid"
            ]
        );
        assert_eq!(world.params[1].targets.len(), 1, "eta covers A only");
    }

    #[test]
    fn a_value_out_of_range_names_its_path() {
        let found = problems(&scenario("params: Params(rho: {\"aid\": 1.5}),"));
        assert_eq!(
            found[0].message,
            "parameter `rho.aid`: must be a number in [0, 1], got 1.5"
        );
    }

    #[test]
    fn an_unknown_path_in_an_effect_gets_the_message_sweeps_give() {
        let text =
            scenario("events: [Event(name: \"e\", at: 1, effects: [Param(\"zeta\", Add(1.0))])],");
        let found = problems(&text);
        let world = compiled(&scenario("events: [Event(name: \"e\", at: 1)],")).unwrap();
        let expected = format!("event \"e\": {}", unknown("zeta", &Names::of(&world)));
        assert_eq!(found[0].message, expected);
    }
}
