//! Variant files: a scenario written as a base file and the changes that make it another
//! future (README, "Variants").
//!
//! ```ron
//! Variant(
//!     base: "baseline.ron",
//!     name: "putin_visit",
//!     changes: [SetTiming("putin_visit", At(2))],
//! )
//! ```
//!
//! The changes are applied to the parsed base `ScenarioFile` before it is compiled, so a
//! variant compiles exactly like the full file it stands for (same world, same random
//! streams, same bytes out). Every name in a change must be one of the base's; a change
//! that would leave the base as it is, is refused: it is a mistake (a value copied
//! unchanged, a name that was meant to be another), and a comparison against the base
//! would silently show no effect.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::compile::Problem;
use super::file::{
    ConditionDef, EventDef, MetricDef, OutcomeDef, ScenarioFile, StateParamsDef, TieDef, Value,
};
use super::file::{Distribution, DEFAULT_BETA, DEFAULT_KAPPA, DEFAULT_RHO};
use super::locate::{Locator, Position};
use super::param_path::{self, Names, ParamPath, StateParam};
use super::spelling::{name_list, quoted_name, suggestion};
use crate::format::Num;
use crate::scenario::limits::MAX_PROBLEMS;

/// How many files a chain may hold, the variant named on the command line and its base
/// included: a chain longer than this is a mistake (or a loop the paths hide), and each
/// file is read and compiled once.
pub const MAX_CHAIN: usize = 16;

/// A variant file as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename = "Variant")]
pub struct VariantFile {
    /// The base file, relative to this one (it may itself be a variant).
    pub base: String,
    /// The variant's own name: results and comparisons are labelled with it.
    pub name: String,
    /// Replaces the base's description; the base's is kept if this is left out.
    #[serde(default)]
    pub description: Option<String>,
    pub changes: Vec<ChangeDef>,
}

/// One change to the base. Relations and numbers are set to a new value; events, outcomes
/// and metrics are added, replaced (by name) or removed whole.
#[derive(Debug, Clone, Deserialize)]
pub enum ChangeDef {
    /// `SetStance(from, to, value)`: the initial stance (unlisted pairs are 0).
    SetStance(String, String, f64),
    /// `SetAffinity(from, to, value)`.
    SetAffinity(String, String, f64),
    /// `SetTie(from, to, channel, share)`: the share of `from`'s needs `to` supplies.
    SetTie(String, String, String, f64),
    /// `SetWeight(state, weight)`.
    SetWeight(String, f64),
    /// `SetParam(path, value)`: a parameter by its path (`eta`, `lambda.USA`, `beta.aid`,
    /// `beta.aid.Pakistan`, `kappa.arms`, `rho.energy`, `event.<name>.hazard`), a number
    /// or a distribution.
    SetParam(String, Value),
    /// `SetTiming(event, At(step) | Every(n) | Hazard(p))`: when an event may fire; its
    /// window, condition and effects stay.
    SetTiming(String, TimingDef),
    AddEvent(EventDef),
    /// An event of the base, by its name, restated whole.
    ReplaceEvent(EventDef),
    RemoveEvent(String),
    AddOutcome(OutcomeDef),
    ReplaceOutcome(OutcomeDef),
    RemoveOutcome(String),
    AddMetric(MetricDef),
    RemoveMetric(MetricDef),
    SetSteps(i64),
    SetTrajectories(i64),
    SetSeed(i64),
}

/// An event's timing, as `SetTiming` gives it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub enum TimingDef {
    At(i64),
    Every(i64),
    Hazard(Value),
}

impl ChangeDef {
    /// The word the change is written with, which is also how its place in the text is
    /// found again.
    fn keyword(&self) -> &'static str {
        match self {
            ChangeDef::SetStance(..) => "SetStance",
            ChangeDef::SetAffinity(..) => "SetAffinity",
            ChangeDef::SetTie(..) => "SetTie",
            ChangeDef::SetWeight(..) => "SetWeight",
            ChangeDef::SetParam(..) => "SetParam",
            ChangeDef::SetTiming(..) => "SetTiming",
            ChangeDef::AddEvent(..) => "AddEvent",
            ChangeDef::ReplaceEvent(..) => "ReplaceEvent",
            ChangeDef::RemoveEvent(..) => "RemoveEvent",
            ChangeDef::AddOutcome(..) => "AddOutcome",
            ChangeDef::ReplaceOutcome(..) => "ReplaceOutcome",
            ChangeDef::RemoveOutcome(..) => "RemoveOutcome",
            ChangeDef::AddMetric(..) => "AddMetric",
            ChangeDef::RemoveMetric(..) => "RemoveMetric",
            ChangeDef::SetSteps(..) => "SetSteps",
            ChangeDef::SetTrajectories(..) => "SetTrajectories",
            ChangeDef::SetSeed(..) => "SetSeed",
        }
    }
}

/// Whether `text` is a variant: its first word, past comments and RON's attributes
/// (`#![enable(implicit_some)]`), is `Variant`. A full scenario starts with `Scenario(` or
/// just `(`. (An attribute before `Variant` made the file read as a scenario: "Expected
/// struct `Scenario` but found `Variant`".)
///
/// Only the start of the text is read: every file is asked this before it is parsed, and
/// building a `Locator` for it copied a 15 MB world twice on every load.
pub fn is_variant(text: &str) -> bool {
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        if let Some(line) = rest.strip_prefix("//") {
            rest = line.find('\n').map_or("", |end| &line[end..]);
        } else if rest.starts_with("/*") {
            // Block comments nest in RON.
            let bytes = rest.as_bytes();
            let (mut depth, mut i, mut end) = (0usize, 0, None);
            while i + 1 < bytes.len() {
                match &bytes[i..i + 2] {
                    b"/*" => {
                        depth += 1;
                        i += 2;
                    }
                    b"*/" => {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            end = Some(i);
                            break;
                        }
                    }
                    _ => i += 1,
                }
            }
            match end {
                Some(end) => rest = &rest[end..],
                None => return false,
            }
        } else if let Some(attribute) = rest.strip_prefix("#!") {
            // An attribute's brackets hold names and parentheses, never another `]`.
            match attribute.find(']') {
                Some(end) => rest = &attribute[end + 1..],
                None => return false,
            }
        } else {
            return rest.starts_with("Variant");
        }
    }
}

/// The problems of a variant, at most `MAX_PROBLEMS` of them and then how many more.
#[derive(Default)]
struct Problems {
    listed: Vec<Problem>,
    more: usize,
}

impl Problems {
    fn push(&mut self, problem: Problem) {
        if self.full() {
            self.more += 1;
        } else {
            self.listed.push(problem);
        }
    }

    /// Whether no more problems are listed: the ones found from now on are only counted,
    /// so nothing needs to be measured for their messages.
    fn full(&self) -> bool {
        self.listed.len() >= MAX_PROBLEMS
    }

    /// The problems as `compile` reports a scenario's: the count of the rest last.
    fn into_result<T>(mut self, ok: T) -> Result<T, Vec<Problem>> {
        if self.listed.is_empty() {
            return Ok(ok);
        }
        if self.more > 0 {
            self.listed.push(Problem {
                position: None,
                message: format!(
                    "... and {} more problems; fix the ones above first",
                    self.more
                ),
            });
        }
        Err(self.listed)
    }
}

/// Applies `variant`'s changes to `file` (the parsed base); `text` is the variant's source,
/// where problems are located. Returns one line per change, in the analyst's words.
pub fn apply(
    file: &mut ScenarioFile,
    variant: &VariantFile,
    text: &str,
) -> Result<Vec<String>, Vec<Problem>> {
    let loc = Locator::new(text);
    let mut problems = Problems::default();
    let mut lines = Vec::new();
    if variant.name.trim().is_empty() || variant.name == file.name {
        problems.push(Problem {
            position: loc.top_field("name").map(|at| loc.position(at)),
            message: format!(
                "a variant needs a name of its own (its base is called \"{}\"): results and \
                 comparisons are labelled with it",
                file.name
            ),
        });
    }
    if variant.changes.is_empty() {
        problems.push(Problem {
            position: loc.top_field("changes").map(|at| loc.position(at)),
            message: "the variant lists no changes, so it is its base; list at least one \
                      change, or run the base"
                .into(),
        });
    }
    let mut cursor = loc.top_field("changes");
    // Events removed, with where each RemoveEvent stands: checked once every change is
    // applied, since a later change may drop or replace what still names them.
    let mut removed: Vec<(String, Option<Position>)> = Vec::new();
    for change in &variant.changes {
        let anchor = cursor.and_then(|from| loc.word_from(from, change.keyword()));
        if let Some(at) = anchor {
            cursor = Some(at + change.keyword().len());
        }
        let mut at = Applier {
            loc: &loc,
            anchor,
            file: &mut *file,
            hints: !problems.full(),
        };
        match at.apply(change) {
            Ok(line) => {
                if let ChangeDef::RemoveEvent(name) = change {
                    removed.push((name.clone(), at.here()));
                }
                lines.push(line)
            }
            Err((position, message)) => problems.push(Problem { position, message }),
        }
    }
    for (name, position) in removed {
        if file.events.iter().any(|e| e.name == name) {
            continue; // added back under the same name
        }
        let mut naming: Vec<String> = Vec::new();
        for e in &file.events {
            if e.when.as_ref().is_some_and(|c| names_event(c, &name)) {
                naming.push(format!("event \"{}\"", e.name));
            }
        }
        for o in &file.outcomes {
            let conditions = [&o.at_end, &o.ever];
            if conditions
                .iter()
                .any(|c| c.as_ref().is_some_and(|c| names_event(c, &name)))
            {
                naming.push(format!("outcome \"{}\"", o.name));
            }
        }
        if !naming.is_empty() {
            problems.push(Problem {
                position,
                message: format!(
                    "RemoveEvent(\"{name}\"): {} still {} it in After(\"{name}\"); remove or \
                     replace {} too (RemoveEvent, ReplaceEvent, RemoveOutcome, \
                     ReplaceOutcome), or keep the event and change its timing",
                    naming.join(", "),
                    if naming.len() == 1 { "names" } else { "name" },
                    if naming.len() == 1 { "it" } else { "them" },
                ),
            });
        }
    }
    file.name = variant.name.clone();
    if let Some(description) = &variant.description {
        file.description = description.clone();
    }
    problems.into_result(lines)
}

/// Whether `condition` asks, anywhere inside it, whether event `name` has fired.
fn names_event(condition: &ConditionDef, name: &str) -> bool {
    match condition {
        ConditionDef::After(e) => e == name,
        ConditionDef::All(cs) | ConditionDef::Any(cs) => cs.iter().any(|c| names_event(c, name)),
        ConditionDef::Not(c) => names_event(c, name),
        ConditionDef::Above(..)
        | ConditionDef::Below(..)
        | ConditionDef::SameBloc(..)
        | ConditionDef::Between(..) => false,
    }
}

/// Where each change of `variant` starts in its text, found as `apply` finds them.
pub fn change_positions(variant: &VariantFile, text: &str) -> Vec<Option<Position>> {
    let loc = Locator::new(text);
    let mut cursor = loc.top_field("changes");
    variant
        .changes
        .iter()
        .map(|change| {
            let anchor = cursor.and_then(|from| loc.word_from(from, change.keyword()));
            if let Some(at) = anchor {
                cursor = Some(at + change.keyword().len());
            }
            anchor.map(|at| loc.position(at))
        })
        .collect()
}

type Refusal = (Option<Position>, String);

/// Applies one change, with where it is written.
struct Applier<'a, 'f> {
    loc: &'a Locator<'a>,
    /// Where the change starts in the variant's text.
    anchor: Option<usize>,
    file: &'f mut ScenarioFile,
    /// Whether an unknown name's refusal suggests the closest name: not once the variant's
    /// problems are all counted (`Problems::full`), where no one reads the suggestion.
    hints: bool,
}

impl Applier<'_, '_> {
    fn here(&self) -> Option<Position> {
        self.anchor.map(|at| self.loc.position(at))
    }

    /// Where `name` is written within this change (or the change itself).
    fn at_name(&self, name: &str) -> Option<Position> {
        // Within this change only: a name written with escapes is never found, and a
        // search to the end of the file for each of 5,000 such changes took 47 s.
        self.anchor
            .and_then(|a| self.loc.key_in(a, name))
            .map(|at| self.loc.position(at))
            .or_else(|| self.here())
    }

    /// A change that leaves the base as it is.
    fn nothing(&self, what: String) -> Refusal {
        (
            self.here(),
            format!(
                "{}: {what} already in the base, so this change does nothing; remove it or \
                 give a different value",
                self.anchor_word()
            ),
        )
    }

    fn anchor_word(&self) -> String {
        self.anchor
            .map(|a| {
                let code = &self.loc.code()[a..];
                code.chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect()
            })
            .unwrap_or_else(|| "change".into())
    }

    /// `name`, one of `list` (the base's names of `what`), or the refusal with a suggestion.
    fn known(&self, what: &str, name: &str, list: &[&str]) -> Result<usize, Refusal> {
        if let Some(i) = list.iter().position(|&s| s == name) {
            return Ok(i);
        }
        if !self.hints {
            // Only counted (`Problems::full`): neither located nor measured.
            return Err((None, format!("unknown {what} in the base")));
        }
        let hint = match suggestion(name, list.iter().copied()) {
            Some(s) => format!(" — did you mean {}?", quoted_name(s)),
            None if list.is_empty() => format!(" (the base defines no {what}s)"),
            None => format!(" (the base's {what}s: {})", name_list(list)),
        };
        Err((
            self.at_name(name),
            format!("unknown {what} {} in the base{hint}", quoted_name(name)),
        ))
    }

    fn state(&self, name: &str) -> Result<usize, Refusal> {
        let list: Vec<&str> = self.file.states.iter().map(|s| s.name.as_str()).collect();
        self.known("state", name, &list)
    }

    fn channel(&self, name: &str) -> Result<usize, Refusal> {
        let list: Vec<&str> = self.file.channels.iter().map(String::as_str).collect();
        self.known("channel", name, &list)
    }

    fn event(&self, name: &str) -> Result<usize, Refusal> {
        let list: Vec<&str> = self.file.events.iter().map(|e| e.name.as_str()).collect();
        self.known("event", name, &list)
    }

    fn outcome(&self, name: &str) -> Result<usize, Refusal> {
        let list: Vec<&str> = self.file.outcomes.iter().map(|o| o.name.as_str()).collect();
        self.known("outcome", name, &list)
    }

    fn apply(&mut self, change: &ChangeDef) -> Result<String, Refusal> {
        match change {
            ChangeDef::SetStance(a, b, x) => self.pair(a, b, *x, true),
            ChangeDef::SetAffinity(a, b, x) => self.pair(a, b, *x, false),
            ChangeDef::SetTie(from, to, channel, share) => self.tie(from, to, channel, *share),
            ChangeDef::SetWeight(state, w) => {
                let i = self.state(state)?;
                let old = self.file.states[i].weight;
                if old == *w {
                    return Err(self.nothing(format!("the weight of \"{state}\" is {}", Num(*w))));
                }
                self.file.states[i].weight = *w;
                Ok(format!("weight of {state}: {} -> {}", Num(old), Num(*w)))
            }
            ChangeDef::SetParam(path, value) => self.param(path, value),
            ChangeDef::SetTiming(name, timing) => self.timing(name, timing),
            ChangeDef::AddEvent(def) => {
                if self.file.events.iter().any(|e| e.name == def.name) {
                    return Err((
                        self.at_name(&def.name),
                        format!(
                            "AddEvent: the base already has an event \"{}\"; use ReplaceEvent to \
                             change it, or give the new event another name",
                            def.name
                        ),
                    ));
                }
                self.file.events.push(def.clone());
                Ok(format!(
                    "adds event \"{}\" (after the base's events)",
                    def.name
                ))
            }
            ChangeDef::ReplaceEvent(def) => {
                let e = self.event(&def.name)?;
                if self.file.events[e] == *def {
                    return Err(self.nothing(format!("event \"{}\" is written this way", def.name)));
                }
                let what = event_differences(&self.file.events[e], def);
                self.file.events[e] = def.clone();
                Ok(format!("replaces event \"{}\" (its {what})", def.name))
            }
            ChangeDef::RemoveEvent(name) => {
                let e = self.event(name)?;
                self.file.events.remove(e);
                Ok(format!("removes event \"{name}\""))
            }
            ChangeDef::AddOutcome(def) => {
                if self.file.outcomes.iter().any(|o| o.name == def.name) {
                    return Err((
                        self.at_name(&def.name),
                        format!(
                            "AddOutcome: the base already has an outcome \"{}\"; use \
                             ReplaceOutcome to change it, or give the new one another name",
                            def.name
                        ),
                    ));
                }
                self.file.outcomes.push(def.clone());
                Ok(format!("adds outcome \"{}\"", def.name))
            }
            ChangeDef::ReplaceOutcome(def) => {
                let o = self.outcome(&def.name)?;
                if self.file.outcomes[o] == *def {
                    return Err(
                        self.nothing(format!("outcome \"{}\" is written this way", def.name))
                    );
                }
                self.file.outcomes[o] = def.clone();
                Ok(format!("replaces outcome \"{}\"", def.name))
            }
            ChangeDef::RemoveOutcome(name) => {
                let o = self.outcome(name)?;
                self.file.outcomes.remove(o);
                Ok(format!("removes outcome \"{name}\""))
            }
            ChangeDef::AddMetric(m) => {
                if self.file.metrics.contains(m) {
                    return Err(self.nothing(format!("metric {} is tracked", metric_text(m))));
                }
                self.file.metrics.push(m.clone());
                Ok(format!("tracks metric {}", metric_text(m)))
            }
            ChangeDef::RemoveMetric(m) => {
                let Some(i) = self.file.metrics.iter().position(|x| x == m) else {
                    let tracked: Vec<String> = self.file.metrics.iter().map(metric_text).collect();
                    let shown = tracked.iter().map(String::as_str);
                    let hint = match suggestion(&metric_text(m), shown) {
                        Some(s) => format!(" — did you mean {s}?"),
                        None => format!(" (it tracks: {})", tracked.join(", ")),
                    };
                    return Err((
                        self.here(),
                        format!(
                            "RemoveMetric: the base does not track {}{hint}",
                            metric_text(m)
                        ),
                    ));
                };
                self.file.metrics.remove(i);
                Ok(format!("stops tracking metric {}", metric_text(m)))
            }
            ChangeDef::SetSteps(n) => {
                let old = std::mem::replace(&mut self.file.steps, *n);
                self.number("steps", old, *n)
            }
            ChangeDef::SetTrajectories(n) => {
                let old = std::mem::replace(&mut self.file.trajectories, *n);
                self.number("trajectories", old, *n)
            }
            ChangeDef::SetSeed(n) => {
                let old = std::mem::replace(&mut self.file.seed, *n);
                self.number("seed", old, *n)
            }
        }
    }

    fn number(&self, what: &str, old: i64, new: i64) -> Result<String, Refusal> {
        if old == new {
            return Err(self.nothing(format!("`{what}` is {new}")));
        }
        Ok(format!("{what}: {old} -> {new}"))
    }

    fn pair(&mut self, a: &str, b: &str, x: f64, stance: bool) -> Result<String, Refusal> {
        let (i, j) = (self.state(a), self.state(b));
        i?;
        j?;
        let what = if stance { "stance" } else { "affinity" };
        let list = if stance {
            &mut self.file.stances
        } else {
            &mut self.file.affinities
        };
        let old = match list.iter_mut().find(|(f, t, _)| f == a && t == b) {
            Some(entry) => {
                let old = entry.2;
                entry.2 = x;
                Some(old)
            }
            None => {
                list.push((a.to_string(), b.to_string(), x));
                None
            }
        };
        if old.unwrap_or(0.0) == x {
            let listed = if old.is_some() { "" } else { " (unlisted)" };
            return Err(self.nothing(format!(
                "the {what} of \"{a}\" toward \"{b}\" is {}{listed}",
                Num(x)
            )));
        }
        let old = old.map_or("0 (unlisted)".to_string(), |o| Num(o).to_string());
        Ok(format!("{what} of {a} toward {b}: {old} -> {}", Num(x)))
    }

    fn tie(&mut self, from: &str, to: &str, channel: &str, share: f64) -> Result<String, Refusal> {
        let (i, j, c) = (self.state(from), self.state(to), self.channel(channel));
        i?;
        j?;
        c?;
        let ties = &mut self.file.ties;
        let found = ties
            .iter_mut()
            .find(|t| t.from == from && t.to == to && t.channel == channel);
        let old = match found {
            Some(t) => Some(std::mem::replace(&mut t.share, share)),
            None => {
                ties.push(TieDef {
                    from: from.into(),
                    to: to.into(),
                    channel: channel.into(),
                    share,
                });
                None
            }
        };
        if old.unwrap_or(0.0) == share {
            return Err(self.nothing(format!(
                "the share of {from}'s {channel} supplied by {to} is {}",
                Num(share)
            )));
        }
        let old = old.map_or("0 (unlisted)".to_string(), |o| Num(o).to_string());
        Ok(format!(
            "share of {from}'s {channel} supplied by {to}: {old} -> {}",
            Num(share)
        ))
    }

    fn timing(&mut self, name: &str, timing: &TimingDef) -> Result<String, Refusal> {
        let e = self.event(name)?;
        let def = &self.file.events[e];
        let old = timing_text(def);
        let new = match timing {
            TimingDef::At(n) => (Some(*n), None, None),
            TimingDef::Every(n) => (None, Some(*n), None),
            TimingDef::Hazard(v) => (None, None, Some(v.clone())),
        };
        if (def.at, def.every, def.hazard.clone()) == new {
            return Err(self.nothing(format!("event \"{name}\" fires {old}")));
        }
        let def = &mut self.file.events[e];
        (def.at, def.every, def.hazard) = new;
        Ok(format!("event {name}: {old} -> {}", timing_text(def)))
    }

    fn param(&mut self, path: &str, value: &Value) -> Result<String, Refusal> {
        let states: Vec<String> = self.file.states.iter().map(|s| s.name.clone()).collect();
        let channels = self.file.channels.clone();
        let parsed = {
            let names = Names {
                states: states.iter().map(String::as_str).collect(),
                channels: channels.iter().map(String::as_str).collect(),
                events: self.file.events.iter().map(|e| e.name.as_str()).collect(),
                hazard: self
                    .file
                    .events
                    .iter()
                    .map(|e| e.hazard.is_some())
                    .collect(),
                background: self.file.has_background(),
            };
            // The message measures the path against every valid one: only if it is read.
            ParamPath::parse(path, &names).ok_or_else(|| match self.hints {
                true => param_path::unknown(path, &names),
                false => "unknown parameter path".into(),
            })
        };
        let parsed =
            parsed.map_err(|message| (self.at_name(path), format!("SetParam: {message}")))?;
        let channel_of = |c: Option<usize>| c.map(|c| channels[c].clone());
        let state_of = |i: Option<usize>| i.map(|i| states[i].clone());
        let at = self.at_name(path);
        let whole = |what: &str| {
            (
                at,
                format!(
                    "SetParam: \"{path}\" names the {what} of every channel; set one channel at \
                     a time (e.g. \"{what}.{}\")",
                    channels.first().map_or("aid", String::as_str)
                ),
            )
        };
        let p = &mut self.file.params;
        let slot: &mut Value;
        let old: Value;
        match parsed {
            ParamPath::PerState(param, None) => {
                slot = per_state(p, param);
                old = slot.clone();
            }
            ParamPath::PerState(param, Some(i)) => {
                let state = state_of(Some(i)).unwrap_or_default();
                let scenario_wide = per_state(p, param).clone();
                let o = p.overrides.entry(state).or_default();
                let field = overridden(o, param);
                old = field.clone().unwrap_or(scenario_wide);
                slot = field.get_or_insert(old.clone());
            }
            ParamPath::Beta(None, _) => return Err(whole("beta")),
            ParamPath::Beta(Some(c), None) => {
                slot = channel_slot(&mut p.beta, channel_of(Some(c)), DEFAULT_BETA);
                old = slot.clone();
            }
            ParamPath::Beta(Some(c), Some(i)) => {
                let channel = channel_of(Some(c)).unwrap_or_default();
                let scenario_wide = p
                    .beta
                    .get(&channel)
                    .cloned()
                    .unwrap_or(Value::Fixed(DEFAULT_BETA));
                let o = p
                    .overrides
                    .entry(state_of(Some(i)).unwrap_or_default())
                    .or_default();
                old = o.beta.get(&channel).cloned().unwrap_or(scenario_wide);
                slot = o.beta.entry(channel).or_insert(old.clone());
            }
            ParamPath::Kappa(None) => return Err(whole("kappa")),
            ParamPath::Kappa(c) => {
                slot = channel_slot(&mut p.kappa, channel_of(c), DEFAULT_KAPPA);
                old = slot.clone();
            }
            ParamPath::Rho(None) => return Err(whole("rho")),
            ParamPath::Rho(c) => {
                slot = channel_slot(&mut p.rho, channel_of(c), DEFAULT_RHO);
                old = slot.clone();
            }
            ParamPath::Hazard(e) => {
                // A hazard event always has one (`parse` only reads hazard events).
                slot = self.file.events[e].hazard.get_or_insert(Value::Fixed(0.0));
                old = slot.clone();
            }
            ParamPath::Background(param) => {
                // Only a file with a background has these paths (`parse`).
                let field = super::compile::background::value_mut(&mut self.file.background, param);
                slot = field.ok_or_else(|| (at, "SetParam: the base has no background".into()))?;
                old = slot.clone();
            }
        }
        if old == *value {
            return Err(self.nothing(format!("{path} is {}", value_text(value))));
        }
        *slot = value.clone();
        Ok(format!(
            "parameter {path}: {} -> {}",
            value_text(&old),
            value_text(value)
        ))
    }
}

fn per_state(p: &mut super::file::ParamsDef, param: StateParam) -> &mut Value {
    match param {
        StateParam::Eta => &mut p.eta,
        StateParam::Sigma => &mut p.sigma,
        StateParam::Gamma => &mut p.gamma,
        StateParam::Lambda => &mut p.lambda,
    }
}

fn overridden(o: &mut StateParamsDef, param: StateParam) -> &mut Option<Value> {
    match param {
        StateParam::Eta => &mut o.eta,
        StateParam::Sigma => &mut o.sigma,
        StateParam::Gamma => &mut o.gamma,
        StateParam::Lambda => &mut o.lambda,
    }
}

/// A channel's entry of a per-channel map, written in with the default if it was not.
/// An entry equal to the default compiles like no entry, so the variant still compiles
/// like the full file that lists it.
fn channel_slot(
    map: &mut BTreeMap<String, Value>,
    channel: Option<String>,
    default: f64,
) -> &mut Value {
    map.entry(channel.unwrap_or_default())
        .or_insert(Value::Fixed(default))
}

fn value_text(v: &Value) -> String {
    match v {
        Value::Fixed(x) => Num(*x).to_string(),
        Value::Sampled(d) => match *d {
            Distribution::Uniform(a, b) => format!("Uniform({}, {})", Num(a), Num(b)),
            Distribution::Normal(a, b) => format!("Normal({}, {})", Num(a), Num(b)),
            Distribution::Beta(a, b) => format!("Beta({}, {})", Num(a), Num(b)),
            Distribution::Triangular(a, b, c) => {
                format!("Triangular({}, {}, {})", Num(a), Num(b), Num(c))
            }
        },
    }
}

/// Which parts of an event a replacement changes, e.g. "condition and effects".
fn event_differences(old: &EventDef, new: &EventDef) -> String {
    let parts = [
        ("description", old.description != new.description),
        ("actor", old.actor != new.actor),
        (
            "timing",
            (old.at, old.every, &old.hazard) != (new.at, new.every, &new.hazard),
        ),
        ("window", old.window != new.window),
        ("condition", old.when != new.when),
        ("repeat", old.repeat != new.repeat),
        ("effects", old.effects != new.effects),
    ];
    let changed: Vec<&str> = parts.iter().filter(|p| p.1).map(|p| p.0).collect();
    match changed.split_last() {
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => "nothing".into(),
    }
}

fn timing_text(def: &EventDef) -> String {
    match (def.at, def.every, &def.hazard) {
        (Some(n), _, _) => format!("at step {n}"),
        (_, Some(n), _) => format!("every {n} steps"),
        (_, _, Some(v)) => format!("with a hazard of {} per step", value_text(v)),
        _ => "never (no timing)".into(),
    }
}

/// A metric as written in a file, e.g. `Partnership("Pakistan", "Russia")`.
pub fn metric_text(m: &MetricDef) -> String {
    match m {
        MetricDef::Stance(a, b) => format!("Stance(\"{a}\", \"{b}\")"),
        MetricDef::Partnership(a, b) => format!("Partnership(\"{a}\", \"{b}\")"),
        MetricDef::Share(a, b, c) => format!("Share(\"{a}\", \"{b}\", \"{c}\")"),
        MetricDef::Dependence(a, b) => format!("Dependence(\"{a}\", \"{b}\")"),
        MetricDef::SameBloc(a, b) => format!("SameBloc(\"{a}\", \"{b}\")"),
        MetricDef::Average(m, k) => format!("Average({}, {k})", metric_text(m)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> ScenarioFile {
        let text = "Scenario(name: \"b\", steps: 4, channels: [\"aid\"], \
                    states: [State(name: \"A\"), State(name: \"B\")], \
                    stances: [(\"A\", \"B\", 0.5)], \
                    events: [Event(name: \"e\", hazard: 0.1, effects: [Stance(\"A\", \"B\", Add(0.1))])])";
        ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
            .from_str(text)
            .unwrap()
    }

    fn variant(changes: &str) -> (VariantFile, String) {
        let text = format!("Variant(base: \"b.ron\", name: \"v\", changes: [{changes}])");
        let v = ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
            .from_str(&text)
            .unwrap();
        (v, text)
    }

    fn applied(changes: &str) -> Result<(ScenarioFile, Vec<String>), Vec<Problem>> {
        let (v, text) = variant(changes);
        let mut file = base();
        apply(&mut file, &v, &text).map(|lines| (file, lines))
    }

    #[test]
    fn a_variant_is_told_by_its_first_word_past_comments() {
        assert!(is_variant("// Scenario(\n/* x */ Variant(base: \"a\")"));
        assert!(!is_variant("// Variant(\nScenario(name: \"x\")"));
        assert!(!is_variant("(name: \"x\")"));
    }

    /// Regression: an attribute before `Variant` made the file read as a scenario
    /// ("Expected struct `Scenario` but found `Variant`").
    #[test]
    fn a_variant_is_told_past_attributes() {
        assert!(is_variant(
            "#![enable(implicit_some)]\nVariant(base: \"a\")"
        ));
        assert!(is_variant(
            "// x\n#![enable(implicit_some)] /* y */ #![enable(unwrap_newtypes)]\n Variant("
        ));
        assert!(!is_variant(
            "#![enable(implicit_some)]\nScenario(name: \"x\")"
        ));
        assert!(!is_variant("#![enable(implicit_some)\nVariant("));
        // Nested and unclosed comments.
        assert!(is_variant("/* a /* b */ Scenario( */ Variant(base: \"a\")"));
        assert!(!is_variant("/* a /* b */ Variant("));
    }

    /// Regression: a variant of 1,000 misspelt names printed 1,000 problems (and one of
    /// 20,000 measured each for a suggestion for over a minute). Now 50 and a count, as a
    /// scenario's problems are.
    #[test]
    fn a_variant_lists_at_most_fifty_problems_and_counts_the_rest() {
        let changes: Vec<String> = (0..60)
            .map(|i| format!("SetWeight(\"Q{i}\", 2.0), SetParam(\"eta.Q{i}\", 0.3)"))
            .collect();
        let problems = applied(&changes.join(", ")).unwrap_err();
        assert_eq!(problems.len(), MAX_PROBLEMS + 1);
        assert!(problems[0].message.contains("unknown state \"Q0\""));
        assert!(problems[1]
            .message
            .contains("unknown parameter path \"eta.Q0\""));
        assert!(problems[MAX_PROBLEMS - 1].position.is_some());
        assert_eq!(
            problems[MAX_PROBLEMS].message,
            "... and 70 more problems; fix the ones above first"
        );
        // Fifty exactly: no count.
        let changes: Vec<String> = (0..50)
            .map(|i| format!("SetWeight(\"Q{i}\", 2.0)"))
            .collect();
        assert_eq!(applied(&changes.join(", ")).unwrap_err().len(), 50);
    }

    #[test]
    fn changes_set_values_and_say_what_they_did() {
        let (file, lines) = applied(
            "SetStance(\"B\", \"A\", 0.2), SetParam(\"eta.B\", Uniform(0.1, 0.2)), \
             SetTiming(\"e\", Every(2))",
        )
        .unwrap();
        assert_eq!(file.name, "v");
        assert_eq!(file.stances[1], ("B".into(), "A".into(), 0.2));
        let o = &file.params.overrides["B"];
        assert_eq!(o.eta, Some(Value::Sampled(Distribution::Uniform(0.1, 0.2))));
        assert_eq!(
            (file.events[0].every, file.events[0].hazard.clone()),
            (Some(2), None)
        );
        assert_eq!(
            lines,
            [
                "stance of B toward A: 0 (unlisted) -> 0.2",
                "parameter eta.B: 0.1 -> Uniform(0.1, 0.2)",
                "event e: with a hazard of 0.1 per step -> every 2 steps",
            ]
        );
    }

    #[test]
    fn a_replaced_event_says_which_parts_changed() {
        let (_, lines) = applied(
            "ReplaceEvent(Event(name: \"e\", hazard: 0.1, repeat: true, effects: [Stance(\"A\", \"B\", Add(0.2))]))",
        )
        .unwrap();
        assert_eq!(lines, ["replaces event \"e\" (its repeat and effects)"]);
    }

    #[test]
    fn every_problem_is_reported_at_its_own_change() {
        let problems = applied(
            "SetStance(\"A\", \"B\", 0.5), SetWeight(\"Bee\", 2.0), SetParam(\"event.e.hazard\", 0.1)",
        )
        .unwrap_err();
        assert_eq!(problems.len(), 3, "{problems:?}");
        let columns: Vec<usize> = problems
            .iter()
            .map(|p| p.position.unwrap().column)
            .collect();
        let (_, text) = variant("");
        let start = text.find("changes: [").unwrap() + "changes: [".len() + 1;
        assert_eq!(columns[0], start);
        assert!(problems[0].message.contains("does nothing"));
        assert!(problems[1].message.contains("did you mean \"B\"?"));
        assert!(problems[2].message.contains("event.e.hazard is 0.1"));
        assert!(columns[0] < columns[1] && columns[1] < columns[2]);
    }
}
