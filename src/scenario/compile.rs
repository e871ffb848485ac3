//! From a parsed file to a `model::World`: every name resolved to an index, every number
//! checked against its range. All problems are collected, not just the first, so an analyst
//! fixes a file in one pass.

use std::collections::{BTreeMap, HashSet};

use super::file::{
    Change as ChangeDef, ConditionDef, Distribution, EffectDef, EventDef, MetricDef, ScenarioFile,
    Value, DEFAULT_BETA, DEFAULT_KAPPA, DEFAULT_RHO,
};
use super::limits;
use super::locate::{quoted, suggest, Locator, Position};
use crate::format::Num;
use crate::model::{
    Change, Condition, Effect, Event, Metric, Outcome, OutcomeKind, ParamSlot, ParamTarget,
    Sampler, Timing, World, AFFINITY_LIMIT,
};

/// One thing wrong with a scenario file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub position: Option<Position>,
    pub message: String,
}

/// The first control character (NUL, tab, newline, escape, ...) in a name, if any. Names
/// become plot titles, SVG text, file names and HTML; control characters made invalid SVG
/// and broke the report, and are never meant.
/// The bidirectional formatting characters are refused too: invisible, they make a name
/// display as another (a "Trojan Source" name in a report).
fn control_character(name: &str) -> Option<char> {
    let bidi = |c: char| matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    name.chars().find(|&c| c.is_control() || bidi(c))
}

fn control_message(what: &str, name: &str, c: char) -> String {
    format!(
        "the {what} name {name:?} contains the control character U+{:04X}; names must be \
         printable text (letters, digits, spaces, punctuation)",
        u32::from(c)
    )
}

/// Tolerance for share totals: rows written as decimals (0.2 + 0.1 + ...) may pass 1 by
/// rounding alone.
const TOTAL_TOLERANCE: f64 = 1e-9;

pub fn compile(file: &ScenarioFile, text: &str) -> Result<World, Vec<Problem>> {
    let mut c = Compiler {
        loc: Locator::new(text),
        problems: Vec::new(),
        more: 0,
        states: file.states.iter().map(|s| s.name.as_str()).collect(),
        channels: file.channels.iter().map(|s| s.as_str()).collect(),
        events: file.events.iter().map(|e| e.name.as_str()).collect(),
    };
    // A file beyond the size limits is refused before anything is allocated in proportion
    // to it (n*n stances, k*n*n shares): the limits exist so that no file can make the
    // engine allocate without bound, and the checks that follow would only add noise.
    if !c.sizes(file) {
        return Err(c.problems);
    }
    let world = c.world(file);
    if c.problems.is_empty() {
        Ok(world)
    } else {
        if c.more > 0 {
            let message = format!("... and {} more problems; fix the ones above first", c.more);
            c.problems.push(Problem {
                position: None,
                message,
            });
        }
        Err(c.problems)
    }
}

/// Problems listed at most: past a screenful, more lines help no one (a broken copy with
/// thousands of duplicate lines would print thousands).
const MAX_PROBLEMS: usize = 50;

struct Compiler<'a> {
    loc: Locator<'a>,
    problems: Vec<Problem>,
    /// Problems found past `MAX_PROBLEMS`, counted only.
    more: usize,
    states: Vec<&'a str>,
    channels: Vec<&'a str>,
    events: Vec<&'a str>,
}

impl<'a> Compiler<'a> {
    fn problem(&mut self, position: Option<Position>, message: String) {
        if self.problems.len() >= MAX_PROBLEMS {
            self.more += 1;
            return;
        }
        let problem = Problem { position, message };
        // A name misspelt the same way twice is located at its first use both times: say it once.
        if !self.problems.contains(&problem) {
            self.problems.push(problem);
        }
    }

    fn top_field(&self, field: &str) -> Option<Position> {
        self.loc.find_from(0, field).map(|at| self.loc.position(at))
    }

    fn world(&mut self, f: &'a ScenarioFile) -> World {
        let n = f.states.len();
        let k = f.channels.len();

        let weight: Vec<f64> = f.states.iter().map(|s| s.weight).collect();
        for s in &f.states {
            if !(limits::MIN_WEIGHT..=limits::MAX_WEIGHT).contains(&s.weight) {
                let at = self.loc.name(&s.name);
                self.problem(
                    at,
                    format!(
                        "state \"{}\": weight must be a number from {} to {}, got {} \
                         (weights are relative: only their ratios matter)",
                        s.name,
                        limits::MIN_WEIGHT,
                        limits::MAX_WEIGHT,
                        Num(s.weight)
                    ),
                );
            }
        }

        let mut stance = vec![0.0; n * n];
        self.pairs(&f.stances, "stances", (-1.0, 1.0), &mut stance);
        let mut affinity = vec![0.0; n * n];
        self.pairs(
            &f.affinities,
            "affinities",
            (-AFFINITY_LIMIT, AFFINITY_LIMIT),
            &mut affinity,
        );
        let share = self.ties(f, n, k);

        let params = self.params(f);
        let events: Vec<Event> = f.events.iter().map(|def| self.event(f, def)).collect();
        let params = [params, self.hazard_slots(f)].concat();

        let mut outcomes = Vec::new();
        let mut seen = HashSet::new();
        for o in &f.outcomes {
            let at = self.loc.name(&o.name);
            if o.name.trim().is_empty() {
                self.problem(at, "an outcome needs a name".into());
            } else if let Some(c) = control_character(&o.name) {
                self.problem(at, control_message("outcome", &o.name, c));
            } else if !seen.insert(o.name.as_str()) {
                self.problem(at, format!("outcome \"{}\" is defined twice", o.name));
            }
            let (kind, condition) = match (&o.at_end, &o.ever) {
                (Some(c), None) => (OutcomeKind::AtEnd, c),
                (None, Some(c)) => (OutcomeKind::Ever, c),
                _ => {
                    self.problem(
                        at,
                        format!(
                            "outcome \"{}\" needs exactly one of `at_end: <condition>` or \
                             `ever: <condition>`",
                            o.name
                        ),
                    );
                    continue;
                }
            };
            if let Some(condition) = self.condition(condition) {
                outcomes.push(Outcome {
                    name: o.name.clone(),
                    description: o.description.clone(),
                    kind,
                    condition,
                });
            }
        }

        let mut metrics = Vec::new();
        for def in &f.metrics {
            if let Some(m) = self.metric(def) {
                if metrics.contains(&m) {
                    let at = self.top_field("metrics");
                    self.problem(at, format!("metric {def:?} is listed twice"));
                }
                metrics.push(m);
            }
        }

        World {
            name: f.name.clone(),
            description: f.description.clone(),
            step_unit: f.step.clone(),
            steps: f.steps.clamp(0, i64::from(u32::MAX)) as u32,
            trajectories: f.trajectories.max(0) as u64,
            seed: f.seed.max(0) as u64,
            states: f.states.iter().map(|s| s.name.clone()).collect(),
            channels: f.channels.clone(),
            weight,
            stance,
            affinity,
            share,
            params,
            events,
            outcomes,
            metrics,
        }
    }

    /// Counts, names and limits of the file as a whole. False if a count is beyond its
    /// limit, in which case compiling goes no further.
    fn sizes(&mut self, f: &ScenarioFile) -> bool {
        if f.name.trim().is_empty() {
            let at = self.top_field("name");
            self.problem(at, "the scenario needs a non-empty `name`".into());
        } else if let Some(c) = control_character(&f.name) {
            let at = self.top_field("name");
            self.problem(at, control_message("scenario", &f.name, c));
        }
        if f.steps < 1 || f.steps > limits::MAX_STEPS {
            let at = self.top_field("steps");
            self.problem(
                at,
                format!(
                    "`steps` must be between 1 and {}, got {}",
                    limits::MAX_STEPS,
                    f.steps
                ),
            );
        }
        if f.trajectories < 1 || f.trajectories as u64 > limits::MAX_TRAJECTORIES {
            let at = self.top_field("trajectories");
            self.problem(
                at,
                format!(
                    "`trajectories` must be between 1 and {}, got {}",
                    limits::MAX_TRAJECTORIES,
                    f.trajectories
                ),
            );
        }
        if f.seed < 0 {
            let at = self.top_field("seed");
            self.problem(at, format!("`seed` must be 0 or more, got {}", f.seed));
        }
        let mut within = true;
        if f.states.is_empty() || f.states.len() > limits::MAX_STATES {
            within = f.states.len() <= limits::MAX_STATES;
            let at = self.top_field("states");
            self.problem(
                at,
                format!(
                    "a scenario needs between 1 and {} states, got {}",
                    limits::MAX_STATES,
                    f.states.len()
                ),
            );
        }
        if f.channels.len() > limits::MAX_CHANNELS {
            within = false;
            let at = self.top_field("channels");
            self.problem(
                at,
                format!("at most {} channels are allowed", limits::MAX_CHANNELS),
            );
        }
        if f.events.len() > limits::MAX_EVENTS {
            within = false;
            let at = self.top_field("events");
            self.problem(
                at,
                format!("at most {} events are allowed", limits::MAX_EVENTS),
            );
        }
        for (field, count, limit) in [
            ("outcomes", f.outcomes.len(), limits::MAX_OUTCOMES),
            ("metrics", f.metrics.len(), limits::MAX_METRICS),
        ] {
            if count > limit {
                within = false;
                let at = self.top_field(field);
                self.problem(
                    at,
                    format!("at most {limit} {field} are allowed, got {count}"),
                );
            }
        }
        if !within {
            return false;
        }
        let names = [
            ("state", self.states.clone()),
            ("channel", self.channels.clone()),
            ("event", self.events.clone()),
        ];
        for (what, list) in names {
            let mut seen = HashSet::new();
            for name in list {
                if name.trim().is_empty() {
                    let at = self.top_field(&format!("{what}s"));
                    self.problem(at, format!("a {what} needs a non-empty name"));
                } else if let Some(c) = control_character(name) {
                    let at = self.loc.name(name);
                    self.problem(at, control_message(what, name, c));
                } else if name.len() > limits::MAX_NAME_LEN {
                    let at = self.loc.name(name);
                    self.problem(
                        at,
                        format!(
                            "a {what} name is longer than {} bytes",
                            limits::MAX_NAME_LEN
                        ),
                    );
                } else if !seen.insert(name) {
                    let at = self.loc.name(name);
                    self.problem(at, format!("{what} \"{name}\" is defined twice"));
                }
            }
        }
        within
    }

    fn lookup(&mut self, what: &str, name: &str, list: &[&str]) -> Option<usize> {
        if let Some(i) = list.iter().position(|&s| s == name) {
            return Some(i);
        }
        let at = self.loc.name(name);
        let hint = match suggest(name, list.iter().copied()) {
            Some(s) => format!(" — did you mean \"{s}\"?"),
            None if list.is_empty() => format!(" (the file defines no {what}s)"),
            None => format!(" (known {what}s: {})", list.join(", ")),
        };
        self.problem(at, format!("unknown {what} \"{name}\"{hint}"));
        None
    }

    fn state(&mut self, name: &str) -> Option<usize> {
        let list = self.states.clone();
        self.lookup("state", name, &list)
    }

    fn channel(&mut self, name: &str) -> Option<usize> {
        let list = self.channels.clone();
        self.lookup("channel", name, &list)
    }

    fn event_index(&mut self, name: &str) -> Option<usize> {
        let list = self.events.clone();
        self.lookup("event", name, &list)
    }

    /// Two distinct states, e.g. the ends of a stance.
    fn pair(&mut self, a: &str, b: &str, what: &str) -> Option<(usize, usize)> {
        let (i, j) = (self.state(a), self.state(b));
        let (i, j) = (i?, j?);
        if i == j {
            let at = self.loc.name(a);
            self.problem(
                at,
                format!("{what} of \"{a}\" toward itself is not defined"),
            );
            return None;
        }
        Some((i, j))
    }

    fn finite_in(&mut self, at: Option<Position>, what: &str, x: f64, (lo, hi): (f64, f64)) {
        if !(x.is_finite() && lo <= x && x <= hi) {
            self.problem(
                at,
                format!("{what} must be a number in [{lo}, {hi}], got {}", Num(x)),
            );
        }
    }

    fn pairs(
        &mut self,
        list: &[(String, String, f64)],
        field: &str,
        range: (f64, f64),
        out: &mut [f64],
    ) {
        let n = self.states.len();
        let mut seen = HashSet::new();
        for (a, b, x) in list {
            let Some((i, j)) = self.pair(a, b, "a stance") else {
                continue;
            };
            let at = self.top_field(field);
            self.finite_in(at, &format!("{field} entry (\"{a}\", \"{b}\")"), *x, range);
            if !seen.insert((i, j)) {
                self.problem(at, format!("{field}: (\"{a}\", \"{b}\") is given twice"));
            }
            out[i * n + j] = *x;
        }
    }

    fn ties(&mut self, f: &ScenarioFile, n: usize, k: usize) -> Vec<f64> {
        let mut share = vec![0.0; k * n * n];
        let mut seen = HashSet::new();
        // Each tie's place is searched from the previous one's: linear in the file's size,
        // where searching for the n-th `Tie` from the start each time was quadratic.
        let mut cursor = 0;
        for tie in &f.ties {
            let anchor = self.loc.find_from(cursor, "Tie");
            cursor = anchor.map_or(cursor, |at| at + "Tie".len());
            let pair = self.pair(&tie.from, &tie.to, "a tie");
            let channel = self.channel(&tie.channel);
            let at = self.loc.field_after(anchor, "share");
            self.finite_in(
                at,
                &format!("share of tie {} -> {} ({})", tie.from, tie.to, tie.channel),
                tie.share,
                (0.0, 1.0),
            );
            if let (Some((i, j)), Some(c)) = (pair, channel) {
                if !seen.insert((i, j, c)) {
                    self.problem(
                        at,
                        format!(
                            "tie {} -> {} in channel \"{}\" is given twice",
                            tie.from, tie.to, tie.channel
                        ),
                    );
                }
                share[(c * n + i) * n + j] = tie.share;
            }
        }
        for c in 0..k {
            for i in 0..n {
                let total: f64 = share[(c * n + i) * n..(c * n + i + 1) * n].iter().sum();
                if total > 1.0 + TOTAL_TOLERANCE {
                    let at = self.top_field("ties");
                    self.problem(
                        at,
                        format!(
                            "the shares of {} in channel \"{}\" add up to {}, more than 1: \
                             lower some of them (what is left below 1 is self-reliance)",
                            self.states[i],
                            self.channels[c],
                            // Four decimals for sums near 1, where they matter; a mistyped
                            // 1e300 must not come back as a 301-digit number.
                            if total < 1e4 {
                                format!("{total:.4}")
                            } else {
                                Num(total).to_string()
                            }
                        ),
                    );
                }
            }
        }
        share
    }

    /// Checks a parameter value against the range of its targets and turns it into a sampler.
    fn sampler(
        &mut self,
        at: Option<Position>,
        path: &str,
        value: &Value,
        range: (f64, f64),
    ) -> Sampler {
        let (lo, hi) = range;
        let bad = |c: &mut Self, why: String| {
            c.problem(at, format!("parameter `{path}`: {why}"));
            Sampler::Fixed(lo)
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
                            "Uniform({}, {}) needs {lo} <= low <= high <= {hi}",
                            Num(a),
                            Num(b)
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
            Value::Sampled(Distribution::Triangular(a, m, b)) => {
                if !(finite(&[a, m, b]) && a <= m && m <= b && a < b && within(a, b)) {
                    bad(
                        self,
                        format!(
                            "Triangular({}, {}, {}) needs {lo} <= low <= mode <= high <= {hi} \
                             and low < high",
                            Num(a),
                            Num(m),
                            Num(b)
                        ),
                    )
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

    /// The parameter slots of `params`: one per global value and one per override.
    fn params(&mut self, f: &ScenarioFile) -> Vec<ParamSlot> {
        let p = &f.params;
        let n = self.states.len();
        let anchor = self.loc.find_from(0, "params");
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

        type Pick = fn(&super::file::StateParamsDef) -> Option<&Value>;
        type Scalar<'v> = (&'static str, &'v Value, Pick, fn(usize) -> ParamTarget);
        let scalars: [Scalar; 4] = [
            ("eta", &p.eta, |o| o.eta.as_ref(), ParamTarget::Eta),
            ("sigma", &p.sigma, |o| o.sigma.as_ref(), ParamTarget::Sigma),
            ("gamma", &p.gamma, |o| o.gamma.as_ref(), ParamTarget::Gamma),
            (
                "lambda",
                &p.lambda,
                |o| o.lambda.as_ref(),
                ParamTarget::Lambda,
            ),
        ];
        for (name, global, pick, target) in scalars {
            let range = target(0).range();
            let at = self.loc.field_after(anchor, name);
            let sampler = self.sampler(at, name, global, range);
            let mut targets = Vec::new();
            for i in 0..n {
                match overrides.get(&i).and_then(|o| pick(o)) {
                    Some(v) => {
                        let path = format!("{name}.{}", self.states[i]);
                        let at = self.loc.name(self.states[i]).or(at);
                        let sampler = self.sampler(at, &path, v, range);
                        slots.push(ParamSlot {
                            path,
                            sampler,
                            targets: vec![target(i)],
                        });
                    }
                    None => targets.push(target(i)),
                }
            }
            slots.push(ParamSlot {
                path: name.to_string(),
                sampler,
                targets,
            });
        }

        for c in 0..self.channels.len() {
            let ch = self.channels[c];
            let fixed = |x| Value::Fixed(x);
            let beta = p.beta.get(ch).cloned().unwrap_or(fixed(DEFAULT_BETA));
            let at = self.loc.field_after(anchor, "beta");
            let range = ParamTarget::Beta(c, 0).range();
            let sampler = self.sampler(at, &format!("beta.{ch}"), &beta, range);
            let mut targets = Vec::new();
            for i in 0..n {
                match overrides.get(&i).and_then(|o| o.beta.get(ch)) {
                    Some(v) => {
                        let path = format!("beta.{ch}.{}", self.states[i]);
                        let sampler = self.sampler(at, &path, v, range);
                        slots.push(ParamSlot {
                            path,
                            sampler,
                            targets: vec![ParamTarget::Beta(c, i)],
                        });
                    }
                    None => targets.push(ParamTarget::Beta(c, i)),
                }
            }
            slots.push(ParamSlot {
                path: format!("beta.{ch}"),
                sampler,
                targets,
            });

            for (name, map, default, target) in [
                ("kappa", &p.kappa, DEFAULT_KAPPA, ParamTarget::Kappa(c)),
                ("rho", &p.rho, DEFAULT_RHO, ParamTarget::Rho(c)),
            ] {
                let value = map.get(ch).cloned().unwrap_or(fixed(default));
                let at = self.loc.field_after(anchor, name);
                let path = format!("{name}.{ch}");
                let sampler = self.sampler(at, &path, &value, target.range());
                slots.push(ParamSlot {
                    path,
                    sampler,
                    targets: vec![target],
                });
            }
        }
        slots
    }

    fn hazard_slots(&mut self, f: &ScenarioFile) -> Vec<ParamSlot> {
        let mut slots = Vec::new();
        for (e, def) in f.events.iter().enumerate() {
            if let Some(value) = &def.hazard {
                let anchor = self.loc.find_from(0, &quoted(&def.name));
                let at = self.loc.field_after(anchor, "hazard");
                let path = format!("event.{}.hazard", def.name);
                let target = ParamTarget::Hazard(e);
                let sampler = self.sampler(at, &path, value, target.range());
                slots.push(ParamSlot {
                    path,
                    sampler,
                    targets: vec![target],
                });
            }
        }
        slots
    }

    fn event(&mut self, f: &ScenarioFile, def: &EventDef) -> Event {
        let anchor = self.loc.find_from(0, &quoted(&def.name));
        let at = anchor.map(|a| self.loc.position(a));
        // With an invalid step count (reported elsewhere) the bounds below would only mislead.
        let steps = if (1..=limits::MAX_STEPS).contains(&f.steps) {
            f.steps
        } else {
            limits::MAX_STEPS
        };
        let name = &def.name;
        let actor = def.actor.as_deref().and_then(|a| self.state(a));

        let timing = match (def.at, def.every, &def.hazard) {
            (Some(step), None, None) => {
                if step < 1 || step > steps {
                    let at = self.loc.field_after(anchor, "at");
                    self.problem(
                        at,
                        format!(
                            "event \"{name}\": `at` must be a step from 1 to {steps}, got {step}"
                        ),
                    );
                }
                Timing::At(step.clamp(0, i64::from(u32::MAX)) as u32)
            }
            (None, Some(every), None) => {
                if every < 1 {
                    let at = self.loc.field_after(anchor, "every");
                    self.problem(
                        at,
                        format!("event \"{name}\": `every` must be 1 or more, got {every}"),
                    );
                }
                Timing::Every(every.clamp(1, i64::from(u32::MAX)) as u32)
            }
            (None, None, Some(_)) => Timing::Hazard,
            _ => {
                self.problem(
                    at,
                    format!(
                        "event \"{name}\" needs exactly one timing: `at: <step>`, `every: <steps>` \
                         or `hazard: <probability per step>`"
                    ),
                );
                Timing::Hazard
            }
        };
        let window = match def.window {
            None => (1, steps as u32),
            Some((first, last)) => {
                if first < 1 || last < first || last > steps {
                    let at = self.loc.field_after(anchor, "window");
                    self.problem(
                        at,
                        format!(
                            "event \"{name}\": `window: ({first}, {last})` must satisfy \
                             1 <= first <= last <= {steps}"
                        ),
                    );
                }
                (first.clamp(0, steps) as u32, last.clamp(0, steps) as u32)
            }
        };
        let when = def.when.as_ref().and_then(|c| self.condition(c));
        // An event without effects is legal: a marker that other events can wait for.
        let effects = def
            .effects
            .iter()
            .flat_map(|x| self.effect(name, x))
            .collect();
        Event {
            name: name.clone(),
            description: def.description.clone(),
            actor,
            timing,
            window,
            when,
            repeat: def.repeat.unwrap_or(matches!(timing, Timing::Every(_))),
            effects,
        }
    }

    fn change(&mut self, context: &str, change: &ChangeDef) -> Change {
        let (x, c) = match *change {
            ChangeDef::Add(x) => (x, Change::Add(x)),
            ChangeDef::Scale(x) => (x, Change::Scale(x)),
            ChangeDef::Set(x) => (x, Change::Set(x)),
        };
        if !x.is_finite() {
            let at = self.loc.name(context);
            self.problem(
                at,
                format!(
                    "event \"{context}\": an effect needs a finite number, got {}",
                    Num(x)
                ),
            );
        }
        c
    }

    fn effect(&mut self, event: &str, def: &EffectDef) -> Vec<Effect> {
        match def {
            EffectDef::Stance(a, b, ch) | EffectDef::Mutual(a, b, ch) => {
                let change = self.change(event, ch);
                let Some((i, j)) = self.pair(a, b, "a stance") else {
                    return vec![];
                };
                let mut out = vec![Effect::Stance { i, j, change }];
                if matches!(def, EffectDef::Mutual(..)) {
                    out.push(Effect::Stance { i: j, j: i, change });
                }
                out
            }
            EffectDef::Affinity(a, b, ch) | EffectDef::MutualAffinity(a, b, ch) => {
                let change = self.change(event, ch);
                let Some((i, j)) = self.pair(a, b, "an affinity") else {
                    return vec![];
                };
                let mut out = vec![Effect::Affinity { i, j, change }];
                if matches!(def, EffectDef::MutualAffinity(..)) {
                    out.push(Effect::Affinity { i: j, j: i, change });
                }
                out
            }
            EffectDef::Share(a, b, c, ch) | EffectDef::TransientShare(a, b, c, ch) => {
                let change = self.change(event, ch);
                let pair = self.pair(a, b, "a share");
                let k = self.channel(c);
                let (Some((i, j)), Some(k)) = (pair, k) else {
                    return vec![];
                };
                let lasting = matches!(def, EffectDef::Share(..));
                vec![Effect::Share {
                    k,
                    i,
                    j,
                    change,
                    lasting,
                }]
            }
            EffectDef::Param(path, ch) => {
                let change = self.change(event, ch);
                match self.param_targets(path) {
                    Ok(targets) => vec![Effect::Param { targets, change }],
                    Err(message) => {
                        let at = self.loc.name(path);
                        self.problem(at, format!("event \"{event}\": {message}"));
                        vec![]
                    }
                }
            }
        }
    }

    /// Every place in `Params` a parameter path addresses (for `Param` effects).
    fn param_targets(&self, path: &str) -> Result<Vec<ParamTarget>, String> {
        let n = self.states.len();
        let k = self.channels.len();
        let parts: Vec<&str> = path.split('.').collect();
        let state = |s: &str| self.states.iter().position(|&x| x == s);
        let channel = |s: &str| self.channels.iter().position(|&x| x == s);
        let per_state: Option<fn(usize) -> ParamTarget> = match parts[0] {
            "eta" => Some(ParamTarget::Eta),
            "sigma" => Some(ParamTarget::Sigma),
            "gamma" => Some(ParamTarget::Gamma),
            "lambda" => Some(ParamTarget::Lambda),
            _ => None,
        };
        let found = match (parts.as_slice(), per_state) {
            ([_], Some(t)) => Some((0..n).map(t).collect()),
            ([_, s], Some(t)) => state(s).map(|i| vec![t(i)]),
            (["beta"], _) => Some(
                (0..k)
                    .flat_map(|c| (0..n).map(move |i| ParamTarget::Beta(c, i)))
                    .collect(),
            ),
            (["beta", c], _) => {
                channel(c).map(|c| (0..n).map(|i| ParamTarget::Beta(c, i)).collect())
            }
            (["beta", c, s], _) => channel(c)
                .zip(state(s))
                .map(|(c, i)| vec![ParamTarget::Beta(c, i)]),
            (["kappa"], _) => Some((0..k).map(ParamTarget::Kappa).collect()),
            (["kappa", c], _) => channel(c).map(|c| vec![ParamTarget::Kappa(c)]),
            (["rho"], _) => Some((0..k).map(ParamTarget::Rho).collect()),
            (["rho", c], _) => channel(c).map(|c| vec![ParamTarget::Rho(c)]),
            (["event", e, "hazard"], _) => self
                .events
                .iter()
                .position(|x| x == e)
                .map(|e| vec![ParamTarget::Hazard(e)]),
            _ => None,
        };
        found.ok_or_else(|| {
            format!(
                "unknown parameter path {path:?}; valid paths are eta, sigma, gamma, lambda \
                 (optionally .<state>), beta[.<channel>[.<state>]], kappa[.<channel>], \
                 rho[.<channel>] and event.<name>.hazard"
            )
        })
    }

    fn metric(&mut self, def: &MetricDef) -> Option<Metric> {
        match def {
            MetricDef::Stance(a, b) => self
                .pair(a, b, "a stance")
                .map(|(i, j)| Metric::Stance(i, j)),
            MetricDef::Partnership(a, b) => self
                .pair(a, b, "a partnership")
                .map(|(i, j)| Metric::Partnership(i, j)),
            MetricDef::Share(a, b, c) => {
                let pair = self.pair(a, b, "a share");
                let k = self.channel(c);
                Some(pair.zip(k).map(|((i, j), k)| Metric::Share(i, j, k))?)
            }
            MetricDef::Dependence(a, c) => {
                let i = self.state(a);
                let k = self.channel(c);
                Some(Metric::Dependence(i?, k?))
            }
            MetricDef::SameBloc(a, b) => self
                .pair(a, b, "a bloc relation")
                .map(|(i, j)| Metric::SameBloc(i, j)),
        }
    }

    fn condition(&mut self, def: &ConditionDef) -> Option<Condition> {
        match def {
            ConditionDef::Above(m, x) | ConditionDef::Below(m, x) => {
                let metric = self.metric(m);
                if !x.is_finite() {
                    let at = self.top_field("Above").or(self.top_field("Below"));
                    self.problem(
                        at,
                        format!("a condition's threshold must be finite, got {}", Num(*x)),
                    );
                }
                let metric = metric?;
                Some(if matches!(def, ConditionDef::Above(..)) {
                    Condition::Above(metric, *x)
                } else {
                    Condition::Below(metric, *x)
                })
            }
            ConditionDef::After(e) => self.event_index(e).map(Condition::After),
            ConditionDef::All(cs) | ConditionDef::Any(cs) => {
                let parts: Vec<Option<Condition>> = cs.iter().map(|c| self.condition(c)).collect();
                let parts: Option<Vec<Condition>> = parts.into_iter().collect();
                Some(if matches!(def, ConditionDef::All(..)) {
                    Condition::All(parts?)
                } else {
                    Condition::Any(parts?)
                })
            }
            ConditionDef::Not(c) => self.condition(c).map(|c| Condition::Not(Box::new(c))),
            ConditionDef::SameBloc(a, b) => self
                .pair(a, b, "a bloc relation")
                .map(|(i, j)| Condition::SameBloc(i, j)),
        }
    }
}
