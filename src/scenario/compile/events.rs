//! Events, their effects and conditions, outcomes and tracked metrics.
//!
//! The pairs inside an item are located from the item's start (`anchor`), so a problem
//! points into the event or outcome that has it, not at the state's definition.

use std::collections::{HashMap, HashSet};

use super::names::{case_message, control_message};
use super::ranges::effect_path;
use super::windows::is_date;
use super::Compiler;
use crate::format::Num;
use crate::model::{
    Average, Change, Condition, Effect, Event, Lag, Metric, Outcome, OutcomeKind, Target, Timing,
};
use crate::scenario::file::{
    Change as ChangeDef, ConditionDef, EffectDef, EventDef, MetricDef, ScenarioFile, Steps, Value,
};
use crate::scenario::limits;
use crate::scenario::locate::Position;
use crate::scenario::spelling::{case_fold, control_character, quoted_name};

impl Compiler<'_> {
    /// Event `e`; `anchor` is where its item (`Event(...)`) starts.
    pub(super) fn event(
        &mut self,
        f: &ScenarioFile,
        e: usize,
        def: &EventDef,
        anchor: Option<usize>,
    ) -> Event {
        let at = self.named_at(anchor);
        // With an invalid step count (reported elsewhere) the bounds below would only mislead.
        let steps = if (1..=limits::MAX_STEPS).contains(&f.steps) {
            f.steps
        } else {
            limits::MAX_STEPS
        };
        let name = &def.name;
        let actor = def.actor.as_deref().and_then(|a| self.state(a));

        let path = |field: &str| format!("event.{name}.{field}");
        let timing = match (&def.at, &def.every, &def.hazard) {
            (Some(step), None, None) => {
                let at = self.loc.field_after(anchor, "at");
                let step = self.step_of(at, path("at"), step, steps, Target::At(e));
                if step < 1 || step > steps {
                    let at = self.loc.field_after(anchor, "at");
                    self.problem(
                        at,
                        format!(
                            "event {}: `at` must be a step from 1 to {steps}, got {step}",
                            quoted_name(name)
                        ),
                    );
                }
                Timing::At(step.clamp(0, i64::from(u32::MAX)) as u32)
            }
            (None, Some(every), None) => {
                let at = self.loc.field_after(anchor, "every");
                let every = self.step_of(at, path("every"), every, steps, Target::Every(e));
                if every < 1 {
                    let at = self.loc.field_after(anchor, "every");
                    self.problem(
                        at,
                        format!(
                            "event {}: `every` must be 1 or more, got {every}",
                            quoted_name(name)
                        ),
                    );
                }
                Timing::Every(every.clamp(1, i64::from(u32::MAX)) as u32)
            }
            (None, None, Some(_)) => Timing::Hazard,
            _ => {
                self.problem(
                    at,
                    format!(
                        "event {} needs exactly one timing: `at: <step>`, `every: <steps>` \
                         or `hazard: <probability per step>`",
                        quoted_name(name)
                    ),
                );
                Timing::Hazard
            }
        };
        let window = match &def.window {
            None => (1, steps as u32),
            Some((first_def, last_def)) => {
                let at = self.loc.field_after(anchor, "window");
                let (first_path, last_path) = (path("window.first"), path("window.last"));
                let first = self.step_of(
                    at,
                    first_path.clone(),
                    first_def,
                    steps,
                    Target::WindowFirst(e),
                );
                let last = self.step_of(
                    at,
                    last_path.clone(),
                    last_def,
                    steps,
                    Target::WindowLast(e),
                );
                let ranged = |d: &Steps| matches!(d, Steps::Sampled(_));
                if ranged(first_def) || ranged(last_def) {
                    let first = self.step_support(first_def, &first_path);
                    let last = self.step_support(last_def, &last_path);
                    self.window_ranges_apart(at, name, first, last);
                } else if last < first && (is_date(first_def) || is_date(last_def)) {
                    self.window_backwards(at, name, (first_def, last_def));
                } else if first < 1 || last < first || last > steps {
                    let at = self.loc.field_after(anchor, "window");
                    self.problem(
                        at,
                        format!(
                            "event {}: `window: ({first}, {last})` must satisfy \
                             1 <= first <= last <= {steps}",
                            quoted_name(name)
                        ),
                    );
                }
                (first.clamp(0, steps) as u32, last.clamp(0, steps) as u32)
            }
        };
        if let (Some(at_def), Some(window_def)) = (&def.at, &def.window) {
            self.at_within_window(anchor, name, at_def, window_def);
        }
        let when = def.when.as_ref().and_then(|c| self.condition(c, anchor));
        let cases = self.cases(f, e, def, anchor);
        // An event without effects is legal: a marker that other events can wait for.
        let (mut effects, mut lags) = (Vec::new(), Vec::new());
        let path = |x: usize| effect_path(name, x);
        self.compile_effects(name, &def.effects, path, anchor, &mut effects, &mut lags);
        let directions = self.directions(def, anchor, &mut effects, &mut lags);
        if lags.iter().all(|lag| lag.is_none()) {
            lags.clear();
        }
        self.effects_so_far += effects.len();
        Event {
            name: name.clone(),
            description: def.description.clone(),
            actor,
            timing,
            window,
            when,
            repeat: def.repeat.unwrap_or(matches!(timing, Timing::Every(_))),
            effects,
            // Set once every event is compiled (`choices`).
            choice: None,
            cases,
            directions,
            lags,
        }
    }

    /// Compiles `defs`, effects of event `name`, onto `effects`, with the lag of each
    /// onto `lags`; a drawn amount's slot is named by `path` of its place in `defs`.
    pub(super) fn compile_effects(
        &mut self,
        name: &str,
        defs: &[EffectDef],
        path: impl Fn(usize) -> String,
        anchor: Option<usize>,
        effects: &mut Vec<Effect>,
        lags: &mut Vec<Lag>,
    ) {
        for (x, written) in defs.iter().enumerate() {
            let unwrapped = super::lags::unwrap(written);
            let effect_def = unwrapped.inner;
            let compiled = self.effect(name, effect_def, anchor);
            let first = self.effects_so_far + effects.len();
            let count = compiled.len();
            let lag = self.lag_of(name, &unwrapped, anchor, &path(x), first..first + count);
            let amount = effect_def.change().amount();
            if let (Value::Sampled(d), false) = (amount, compiled.is_empty()) {
                let targets = (first..first + compiled.len())
                    .map(Target::Amount)
                    .collect();
                let at = self.loc.name(name).or(self.named_at(anchor));
                let whole = match effect_def.change() {
                    // A shift moves a part of the need: its draws stay in [0, 1].
                    ChangeDef::Gain(..) | ChangeDef::Lose(..) => (0.0, 1.0),
                    _ => (f64::NEG_INFINITY, f64::INFINITY),
                };
                let median = self.drawn(at, path(x), d, whole, targets);
                effects.extend(compiled.into_iter().map(|c| with_amount(c, median)));
            } else {
                effects.extend(compiled);
            }
            lags.extend(std::iter::repeat_n(lag, count));
        }
    }

    /// The change an effect makes; a range's amount is checked and set by `event`.
    fn change(&mut self, context: &str, change: &ChangeDef) -> Change {
        let x = change.amount().fixed().unwrap_or(0.0);
        let c = match change {
            ChangeDef::Add(_) => Change::Add(x),
            ChangeDef::Scale(_) => Change::Scale(x),
            ChangeDef::Set(_) => Change::Set(x),
            ChangeDef::Gain(_, among) => Change::Gain(x, shift_among(*among)),
            ChangeDef::Lose(_, among) => Change::Lose(x, shift_among(*among)),
        };
        if !x.is_finite() {
            let at = self.loc.name(context);
            self.problem(
                at,
                format!(
                    "event {}: an effect needs a finite number, got {}",
                    quoted_name(context),
                    Num(x)
                ),
            );
        }
        c
    }

    fn effect(&mut self, event: &str, def: &EffectDef, anchor: Option<usize>) -> Vec<Effect> {
        match def {
            EffectDef::Stance(a, b, ch) | EffectDef::Mutual(a, b, ch) => {
                let change = self.change(event, ch);
                self.shift_of_a_share_only(event, ch, self.near(anchor, a));
                let Some((i, j)) = self.pair(a, b, "a stance", self.near(anchor, a)) else {
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
                self.shift_of_a_share_only(event, ch, self.near(anchor, a));
                let Some((i, j)) = self.pair(a, b, "an affinity", self.near(anchor, a)) else {
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
                self.shift_amount(event, ch, self.near(anchor, a));
                let pair = self.supply(a, b, "a share", self.near(anchor, a));
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
                let at = self.near(anchor, path);
                self.shift_of_a_share_only(event, ch, at);
                self.param_targets(event, path)
                    .map(|targets| Effect::Param { targets, change })
                    .into_iter()
                    .collect()
            }
            // Unwrapped by `lags::unwrap` before an effect is compiled.
            EffectDef::Delay(_, inner) | EffectDef::Over(_, inner) => {
                self.effect(event, inner, anchor)
            }
        }
    }

    fn metric(&mut self, def: &MetricDef, anchor: Option<usize>) -> Option<Metric> {
        match def {
            MetricDef::Stance(a, b) => self
                .pair(a, b, "a stance", self.near(anchor, a))
                .map(|(i, j)| Metric::Stance(i, j)),
            MetricDef::Partnership(a, b) => self
                .pair(a, b, "a partnership", self.near(anchor, a))
                .map(|(i, j)| Metric::Partnership(i, j)),
            MetricDef::Share(a, b, c) => {
                let pair = self.supply(a, b, "a share", self.near(anchor, a));
                let k = self.channel(c);
                Some(pair.zip(k).map(|((i, j), k)| Metric::Share(i, j, k))?)
            }
            MetricDef::Dependence(a, c) => {
                let i = self.state(a);
                let k = self.channel(c);
                Some(Metric::Dependence(i?, k?))
            }
            MetricDef::SameBloc(a, b) => self
                .pair(a, b, "a bloc relation", self.near(anchor, a))
                .map(|(i, j)| Metric::SameBloc(i, j)),
            MetricDef::Average(of, k) => self.average(of, *k, anchor),
        }
    }

    /// `Average(of, k)`: checks k and the averaged metric, and gives the average its slot
    /// (the same one each time it is named, so its window is kept once).
    fn average(&mut self, of: &MetricDef, k: i64, anchor: Option<usize>) -> Option<Metric> {
        let at = self.next_average(anchor);
        let steps = self.steps.max(1);
        if !(1..=steps).contains(&k) {
            self.problem(
                at,
                format!(
                    "Average({of:?}, {k}): the window must be from 1 to {steps} steps (the \
                     file's step count)"
                ),
            );
        }
        if matches!(of, MetricDef::Average(..)) {
            // Step over the inner one, so the next average is located at its own text.
            self.next_average(anchor);
            self.problem(
                at,
                format!(
                    "Average({of:?}, {k}): an average of an average is not allowed (it \
                     weights the middle of the window more than its ends); average the \
                     metric itself over the longer window"
                ),
            );
            return None;
        }
        let metric = self.metric(of, anchor)?;
        let average = Average {
            metric,
            steps: k.clamp(1, steps) as usize,
        };
        let slot = match self.averages.iter().position(|a| *a == average) {
            Some(slot) => slot,
            None => {
                self.averages.push(average);
                self.averages.len() - 1
            }
        };
        let signed = metric.range().0 < 0.0;
        Some(Metric::Average { slot, signed })
    }

    /// Where the next `Average` of the item at `anchor` is written. An item's averages are
    /// met in its text order, so a cursor within the item tells the second from the first.
    fn next_average(&mut self, anchor: Option<usize>) -> Option<Position> {
        let anchor = anchor?;
        let from = match self.average_cursor {
            Some((item, past)) if item == anchor => past,
            _ => anchor,
        };
        let found = self.loc.word_from(from, "Average")?;
        self.average_cursor = Some((anchor, found + "Average".len()));
        Some(self.loc.position(found))
    }

    pub(super) fn condition(
        &mut self,
        def: &ConditionDef,
        anchor: Option<usize>,
    ) -> Option<Condition> {
        match def {
            ConditionDef::Above(m, x) | ConditionDef::Below(m, x) => {
                let metric = self.metric(m, anchor);
                if !x.is_finite() {
                    // The threshold is the second value of the item's Above or Below.
                    let at = anchor
                        .and_then(|a| {
                            [
                                self.loc.word_from(a, "Above"),
                                self.loc.word_from(a, "Below"),
                            ]
                            .into_iter()
                            .flatten()
                            .min()
                        })
                        .map(|at| self.loc.position(at));
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
                let parts: Vec<Option<Condition>> =
                    cs.iter().map(|c| self.condition(c, anchor)).collect();
                let parts: Option<Vec<Condition>> = parts.into_iter().collect();
                Some(if matches!(def, ConditionDef::All(..)) {
                    Condition::All(parts?)
                } else {
                    Condition::Any(parts?)
                })
            }
            ConditionDef::Not(c) => self
                .condition(c, anchor)
                .map(|c| Condition::Not(Box::new(c))),
            ConditionDef::SameBloc(a, b) => self
                .pair(a, b, "a bloc relation", self.near(anchor, a))
                .map(|(i, j)| Condition::SameBloc(i, j)),
            ConditionDef::Between(a) => self.state(a).map(|state| Condition::Between {
                state,
                threshold: self.between,
            }),
        }
    }

    /// `between_partnership`: a partnership, so at most 1, and a state with a partnership
    /// of exactly 1 is impossible to pass (strictly above); below 0 "between" would mean
    /// "not hostile", which is another question. Set before any condition is compiled.
    pub(super) fn between_partnership(&mut self, f: &ScenarioFile) -> f64 {
        let x = f.between_partnership;
        if !(0.0..1.0).contains(&x) {
            let at = self.top_field("between_partnership");
            self.problem(
                at,
                format!(
                    "`between_partnership` must be at least 0 and below 1 (a partnership a \
                     state keeps with a member of each bloc; 0.1 is the default), got {}",
                    Num(x)
                ),
            );
        }
        x
    }

    /// The outcomes, each with a unique name and exactly one condition.
    pub(super) fn outcomes(&mut self, f: &ScenarioFile) -> Vec<Outcome> {
        let mut outcomes = Vec::new();
        let mut seen = HashSet::new();
        let mut folded = HashMap::new();
        let anchors = self.item_anchors("outcomes", f.outcomes.iter().map(|o| o.name.as_str()));
        for (o, anchor) in f.outcomes.iter().zip(anchors) {
            let at = self.named_at(anchor);
            if o.name.trim().is_empty() {
                self.problem(at, "an outcome needs a name".into());
            } else if let Some(c) = control_character(&o.name) {
                self.problem(at, control_message("outcome", &o.name, c));
            } else if !seen.insert(o.name.as_str()) {
                let message = format!("outcome {} is defined twice", quoted_name(&o.name));
                self.problem(at, message);
            } else if let Some(first) = folded.insert(case_fold(&o.name), o.name.as_str()) {
                // Outcomes name columns and plots side by side, as states do.
                self.problem(at, case_message("outcome", &o.name, first));
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
            if let Some(compiled) = self.condition(condition, anchor) {
                self.thresholds(&o.name, condition, &compiled, anchor);
                let condition = compiled;
                outcomes.push(Outcome {
                    name: o.name.clone(),
                    description: o.description.clone(),
                    kind,
                    condition,
                });
            }
        }
        outcomes
    }

    /// The tracked metrics, each listed once.
    pub(super) fn metrics(&mut self, f: &ScenarioFile) -> Vec<Metric> {
        let anchor = self.top_field_offset("metrics");
        let mut metrics = Vec::new();
        for def in &f.metrics {
            if let Some(m) = self.metric(def, anchor) {
                if metrics.contains(&m) {
                    let at = self.top_field("metrics");
                    self.problem(at, format!("metric {def:?} is listed twice"));
                }
                metrics.push(m);
            }
        }
        metrics
    }
}

/// The model's form of `Among`.
fn shift_among(among: crate::scenario::file::Among) -> crate::model::shift::Among {
    use crate::model::shift::Among as Model;
    use crate::scenario::file::Among as File;
    match among {
        File::Suppliers => Model::Suppliers,
        File::WithSelfReliance => Model::WithSelfReliance,
    }
}

/// A compiled effect with another amount (a range's median, standing in the world).
fn with_amount(effect: Effect, amount: f64) -> Effect {
    let change = effect.change().with_amount(amount);
    match effect {
        Effect::Stance { i, j, .. } => Effect::Stance { i, j, change },
        Effect::Affinity { i, j, .. } => Effect::Affinity { i, j, change },
        Effect::Share {
            k, i, j, lasting, ..
        } => Effect::Share {
            k,
            i,
            j,
            change,
            lasting,
        },
        Effect::Param { targets, .. } => Effect::Param { targets, change },
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{compiled, position_of, problems, scenario};
    use crate::model::{Condition, Effect, ParamTarget};

    /// Regression: outcomes "fired" and "FIRED" were accepted, two columns that read alike.
    #[test]
    fn outcomes_that_differ_only_in_case_are_refused_at_the_second() {
        let text = scenario(
            "outcomes: [Outcome(name: \"fired\", ever: Above(Stance(\"A\", \"B\"), 0.5)),\n    \
             Outcome(name: \"FIRED\", ever: Below(Stance(\"A\", \"B\"), 0.0))],",
        );
        let found = problems(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0]
                .message
                .starts_with("outcome \"FIRED\" differs from outcome \"fired\" only in case"),
            "{found:?}"
        );
        assert_eq!(found[0].position, position_of(&text, "\"FIRED\""));
    }

    /// Regression: an event's problem was put at its name's first mention (an earlier
    /// event's `After("visit")`), and its `at` was then searched from there.
    #[test]
    fn an_events_problem_is_at_its_own_definition() {
        let text = scenario(
            "events: [Event(name: \"talks\", at: 3, when: After(\"visit\")),\n    \
             Event(name: \"visit\", at: 50)],",
        );
        let found = problems(&text);
        assert!(found[0].message.contains("\"visit\""), "{found:?}");
        assert_eq!(found[0].position, position_of(&text, "at: 50"));
    }

    /// Regression: an event was found by the text `name: "deal"`, here inside an earlier
    /// event's raw-string description; and one whose name is written with an escape was not
    /// found at all.
    #[test]
    fn an_event_is_found_by_its_place_in_the_list() {
        let text = scenario(
            "events: [Event(name: \"visit\", at: 2, description: r#\"name: \"deal\", at: 9\"#),\n    \
             Event(name: \"deal\", at: 99),\n    Event(name: \"vis\\u{69}ts\", at: 0)],",
        );
        let found = problems(&text);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].position, position_of(&text, "at: 99"));
        assert_eq!(found[1].position, position_of(&text, "at: 0"));
    }

    #[test]
    fn a_self_pair_in_an_effect_points_into_its_event() {
        let text = scenario(
            "events: [Event(name: \"e\", actor: \"A\", at: 1,\n        \
             effects: [MutualAffinity(\"A\", \"A\", Add(0.1))])],",
        );
        let found = problems(&text);
        assert_eq!(
            found[0].message,
            "an affinity of \"A\" toward itself is not defined"
        );
        assert_eq!(found[0].position, position_of(&text, "\"A\", at"));
    }

    #[test]
    fn a_param_effect_reaches_every_target_of_its_path() {
        let text =
            scenario("events: [Event(name: \"e\", at: 1, effects: [Param(\"eta\", Set(0.5))])],");
        let world = compiled(&text).unwrap();
        let Effect::Param { targets, .. } = &world.events[0].effects[0] else {
            panic!("{:?}", world.events[0].effects);
        };
        assert_eq!(targets, &[ParamTarget::Eta(0), ParamTarget::Eta(1)]);
    }

    #[test]
    fn an_event_needs_exactly_one_timing() {
        let found = problems(&scenario("events: [Event(name: \"e\", at: 1, every: 2)],"));
        assert!(found[0]
            .message
            .starts_with("event \"e\" needs exactly one timing"));
        let found = problems(&scenario("events: [Event(name: \"e\", at: 9)],"));
        assert_eq!(
            found[0].message,
            "event \"e\": `at` must be a step from 1 to 4, got 9"
        );
    }

    #[test]
    fn an_outcome_needs_exactly_one_condition_and_known_events() {
        let found = problems(&scenario("outcomes: [Outcome(name: \"o\")],"));
        assert!(found[0].message.contains("needs exactly one of `at_end"));
        let found = problems(&scenario(
            "outcomes: [Outcome(name: \"o\", ever: After(\"x\"))],",
        ));
        assert_eq!(
            found[0].message,
            "unknown event \"x\" (the file defines no events)"
        );
    }

    /// Issue 11, item 6: `Between` takes the file's threshold, an unknown state is refused
    /// with a suggestion at its place, and a threshold out of range is located.
    #[test]
    fn between_takes_the_threshold_and_known_states_only() {
        let text = scenario(
            "between_partnership: 0.25,
             outcomes: [Outcome(name: \"o\", at_end: Not(Between(\"B\")))],",
        );
        let world = compiled(&text).unwrap();
        let want = Condition::Not(Box::new(Condition::Between {
            state: 1,
            threshold: 0.25,
        }));
        assert_eq!(world.outcomes[0].condition, want);
        assert_eq!(world.between, 0.25);
        let default = compiled(&scenario("")).unwrap();
        assert_eq!(default.between, crate::model::blocs::DEFAULT_BETWEEN);

        let text = scenario("outcomes: [Outcome(name: \"o\", ever: Between(\"Bb\"))],");
        let found = problems(&text);
        assert_eq!(
            found[0].message,
            "unknown state \"Bb\" — did you mean \"B\"?"
        );
        assert_eq!(found[0].position, position_of(&text, "\"Bb\""));
        for bad in ["1.0", "-0.1", "NaN"] {
            let text = scenario(&format!("between_partnership: {bad},"));
            let found = problems(&text);
            assert!(
                found[0]
                    .message
                    .starts_with("`between_partnership` must be"),
                "{found:?}"
            );
            assert_eq!(found[0].position, position_of(&text, "between_partnership"));
        }
    }

    #[test]
    fn a_metric_listed_twice_is_reported() {
        let found = problems(&scenario(
            "metrics: [Stance(\"A\", \"B\"), Stance(\"A\", \"B\")],",
        ));
        assert!(found[0].message.ends_with("is listed twice"), "{found:?}");
    }

    #[test]
    fn the_same_average_named_twice_keeps_one_window() {
        // An outcome and a tracked metric naming the same average read one window; another
        // length is another window. Each is labelled as the file writes it.
        let text = scenario(
            "outcomes: [Outcome(name: \"o\", at_end: Above(Average(Stance(\"A\", \"B\"), 2), 0.1))],
             metrics: [Average(Stance(\"A\", \"B\"), 2), Average(Stance(\"A\", \"B\"), 3)],",
        );
        let world = compiled(&text).unwrap();
        assert_eq!(world.averages.len(), 2);
        let labels: Vec<String> = world
            .metrics
            .iter()
            .map(|m| world.metric_label(m))
            .collect();
        assert_eq!(
            labels,
            ["Average(Stance(A, B), 2)", "Average(Stance(A, B), 3)"]
        );
        assert_eq!(world.metrics[0].range(), (-1.0, 1.0));
    }
}
