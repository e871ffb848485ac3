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

mod history;
mod index;
mod placing;

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Deserialize;

use super::file::{
    ConditionDef, EffectDef, EventDef, MetricDef, OutcomeDef, ScenarioFile, TieDef, Value,
};
use super::file::{Distribution, Steps, DEFAULT_BETA, DEFAULT_KAPPA, DEFAULT_RHO};
use super::locate::Locator;
use super::param_path::{self, Names, ParamPath};
use super::problems::{Problem, Problems};
use super::spelling::{name_list, quoted_name, suggestion};
use crate::format::Num;
use crate::scenario::limits;
use history::{ChangeRef, History, Slot, Write};
use index::{metric_key, FixedNames, Index};
pub use placing::place;

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
    SetStance(String, String, Value),
    /// `SetAffinity(from, to, value)`.
    SetAffinity(String, String, Value),
    /// `SetTie(from, to, channel, share)`: the share of `from`'s needs `to` supplies.
    SetTie(String, String, String, Value),
    /// `SetWeight(state, weight)`.
    SetWeight(String, Value),
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
    At(Steps),
    Every(Steps),
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
/// struct `Scenario` but found `Variant`".) Read with the loader's one lexer
/// (`locate::code_start`), which reads only the start of the text.
pub fn is_variant(text: &str) -> bool {
    super::locate::code_start(text).starts_with("Variant")
}

/// A change's refusal, at an offset of the variant's text, located only if it is listed: a
/// position counts the characters before it on its line, and 100,000 refused changes
/// written on one line took 3.6 s to count (a million, minutes).
fn refuse(problems: &mut Problems, loc: &Locator, (at, message): Refusal) {
    if problems.full() {
        problems.skip();
    } else {
        let position = at.map(|at| loc.position(at));
        problems.push(Problem { position, message });
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
    let fixed = FixedNames::of(file);
    let names = fixed.names();
    let mut at = Applier::new(&loc, &names, file);
    let mut stopped = false;
    for (change, anchor) in variant.changes.iter().zip(anchors(&loc, &variant.changes)) {
        at.begin(change, anchor, !problems.full());
        match at.apply(change) {
            Ok(line) => lines.push(line),
            Err(refusal) => refuse(&mut problems, &loc, refusal),
        }
        // Past a limit the rest is not applied: each change would only grow a list that is
        // refused already (50,000 `AddOutcome` took over a minute), and a full file of as
        // many items is refused at once.
        if let Some(refusal) = at.beyond_limits() {
            refuse(&mut problems, &loc, refusal);
            stopped = true;
            break;
        }
    }
    if !stopped {
        for refusal in at.removed_still_named() {
            refuse(&mut problems, &loc, refusal);
        }
    }
    file.name = variant.name.clone();
    if let Some(description) = &variant.description {
        file.description = description.clone();
    }
    problems.into_result(lines)
}

/// The base with the first `count` changes of `variant` applied, and the variant's name
/// and description, or None if a change is refused: how the change that brings a problem
/// is found (`placing`). Nothing is located, and the check of removed events, which a
/// later change may settle, is `apply`'s.
fn changed(base: &ScenarioFile, variant: &VariantFile, count: usize) -> Option<ScenarioFile> {
    let loc = Locator::blind();
    let mut file = base.clone();
    let fixed = FixedNames::of(&file);
    let names = fixed.names();
    let mut at = Applier::new(&loc, &names, &mut file);
    for change in &variant.changes[..count] {
        at.begin(change, None, false);
        at.apply(change).ok()?;
        if at.beyond_limits().is_some() {
            return None;
        }
    }
    file.name = variant.name.clone();
    if let Some(description) = &variant.description {
        file.description = description.clone();
    }
    Some(file)
}

/// Where each change starts in the variant's text: its word, searched for from the end of
/// the one before.
fn anchors(loc: &Locator, changes: &[ChangeDef]) -> Vec<Option<usize>> {
    let mut cursor = loc.top_field("changes");
    changes
        .iter()
        .map(|change| {
            let anchor = cursor.and_then(|from| loc.word_from(from, change.keyword()));
            if let Some(at) = anchor {
                cursor = Some(at + change.keyword().len());
            }
            anchor
        })
        .collect()
}

/// Every event `condition` asks, anywhere inside it, whether it has fired (`After`).
fn after_names<'c>(condition: &'c ConditionDef, names: &mut Vec<&'c str>) {
    match condition {
        ConditionDef::After(e) => names.push(e),
        ConditionDef::All(cs) | ConditionDef::Any(cs) => {
            for c in cs {
                after_names(c, names);
            }
        }
        ConditionDef::Not(c) => after_names(c, names),
        ConditionDef::Above(..)
        | ConditionDef::Below(..)
        | ConditionDef::SameBloc(..)
        | ConditionDef::Between(..) => {}
    }
}

/// Pushes the event of every effect's parameter path that names one (`event.<name>.hazard`).
fn param_event_names<'c>(effects: Vec<&'c EffectDef>, names: &mut Vec<&'c str>) {
    for effect in effects {
        if let EffectDef::Param(path, _) = effect {
            if let Some(event) = path
                .strip_prefix("event.")
                .and_then(|r| r.split('.').next())
            {
                names.push(event);
            }
        }
    }
}

/// A change's refusal: where in the variant's text (an offset, located only if the
/// problem is listed) and why.
type Refusal = (Option<usize>, String);

/// Applies a variant's changes in order, knowing what each change before wrote.
struct Applier<'a, 'f> {
    loc: &'a Locator<'a>,
    /// The states and channels a parameter path may name (`FixedNames`).
    names: &'a Names<'a>,
    file: &'f mut ScenarioFile,
    /// Where each name stands in `file`'s lists.
    index: Index,
    /// What the changes before this one wrote.
    history: History,
    /// The change being applied.
    change: ChangeRef,
    /// Whether a refusal is listed, and so worth a suggestion and the place of the change
    /// it names: not once the variant's problems are all counted (`Problems::full`).
    hints: bool,
    /// The events removed, each with its RemoveEvent: checked once every change is
    /// applied, since a later change may drop or replace what still names them.
    removed: Vec<(String, ChangeRef)>,
}

impl<'a, 'f> Applier<'a, 'f> {
    fn new(loc: &'a Locator<'a>, names: &'a Names<'a>, file: &'f mut ScenarioFile) -> Self {
        let index = Index::of(file);
        Applier {
            loc,
            names,
            file,
            index,
            history: History::default(),
            change: ChangeRef {
                number: 0,
                anchor: None,
                keyword: "change",
            },
            hints: true,
            removed: Vec::new(),
        }
    }

    /// `change`, written at `anchor`, is the next to apply.
    fn begin(&mut self, change: &ChangeDef, anchor: Option<usize>, hints: bool) {
        self.change = ChangeRef {
            number: self.change.number + 1,
            anchor,
            keyword: change.keyword(),
        };
        self.hints = hints;
    }

    fn here(&self) -> Option<usize> {
        self.change.anchor
    }

    /// Where `name` is written within this change (or the change itself).
    fn at_name(&self, name: &str) -> Option<usize> {
        // Within this change only: a name written with escapes is never found, and a
        // search to the end of the file for each of 5,000 such changes took 47 s.
        self.here()
            .and_then(|a| self.loc.key_in(a, name))
            .or_else(|| self.here())
    }

    /// An earlier change as a message names it: "change #3 (line 7, column 9)".
    fn named(&self, by: ChangeRef) -> String {
        match by.anchor.filter(|_| self.hints) {
            Some(at) => {
                let p = self.loc.position(at);
                format!(
                    "change #{} (line {}, column {})",
                    by.number, p.line, p.column
                )
            }
            // Only counted: not located (`refuse`).
            None => format!("change #{}", by.number),
        }
    }

    /// A change that leaves the file as it is: as the base has it, or as change `by` of
    /// this variant left it.
    fn nothing(&self, what: String, by: Option<ChangeRef>) -> Refusal {
        let since = match by {
            Some(by) => format!("since {}", self.named(by)),
            None => "in the base".into(),
        };
        (
            self.here(),
            format!(
                "{}: {what} already {since}, so this change does nothing; remove it or give a \
                 different value",
                self.change.keyword
            ),
        )
    }

    /// Refused if an earlier change wrote `slot`, which this change writes again: the
    /// earlier one would do nothing. `what` names the slot (`outcome "x"`).
    fn repeat(&self, slot: &Slot, what: impl FnOnce() -> String) -> Result<(), Refusal> {
        let Some((how, by)) = self.history.get(slot) else {
            return Ok(());
        };
        Err((
            self.here(),
            format!(
                "{}: repeats {}, which already {} {}; keep one of the two",
                self.change.keyword,
                self.named(by),
                verb(how),
                what()
            ),
        ))
    }

    /// Refused if an earlier change wrote `slot`, which this change replaces or removes
    /// whole: the earlier one would do nothing (a removed item is not there to undo; its
    /// lookup says so).
    fn undoes(&self, slot: &Slot, what: impl FnOnce() -> String) -> Result<(), Refusal> {
        let Some((how, by)) = self.history.get(slot).filter(|w| w.0 != Write::Removed) else {
            return Ok(());
        };
        let remove = match how {
            Write::Added => "both",
            _ => "that one",
        };
        Err((
            self.here(),
            format!(
                "{}: undoes {}, which {} {}; remove {remove}",
                self.change.keyword,
                self.named(by),
                verb(how),
                what()
            ),
        ))
    }

    /// The change that added or replaced the item `slot` whole, if one did.
    fn written_whole(&self, slot: &Slot) -> Option<ChangeRef> {
        match self.history.get(slot) {
            Some((Write::Added | Write::Replaced, by)) => Some(by),
            _ => None,
        }
    }

    /// The refusal for `name`, not one of the base's `what`s (`list`, asked only if the
    /// refusal is listed), with a suggestion; or, if an earlier change removed it (`slot`),
    /// the refusal naming that change.
    fn unknown<'n>(
        &self,
        what: &str,
        name: &str,
        slot: Option<Slot>,
        list: impl FnOnce() -> Vec<&'n str>,
    ) -> Refusal {
        if let Some((Write::Removed, by)) = slot.and_then(|s| self.history.get(&s)) {
            return (
                self.at_name(name),
                format!(
                    "{}: {what} {} is not there any more: {} removes it; keep one of the two \
                     changes",
                    self.change.keyword,
                    quoted_name(name),
                    self.named(by)
                ),
            );
        }
        if !self.hints {
            // Only counted (`Problems::full`): neither located nor measured.
            return (None, format!("unknown {what} in the base"));
        }
        let list = list();
        let hint = match suggestion(name, list.iter().copied()) {
            Some(s) => format!(" — did you mean {}?", quoted_name(s)),
            None if list.is_empty() => format!(" (the base defines no {what}s)"),
            None => format!(" (the base's {what}s: {})", name_list(&list)),
        };
        (
            self.at_name(name),
            format!("unknown {what} {} in the base{hint}", quoted_name(name)),
        )
    }

    fn state(&self, name: &str) -> Result<usize, Refusal> {
        self.index.states.get(name).ok_or_else(|| {
            let list = || self.file.states.iter().map(|s| s.name.as_str()).collect();
            self.unknown("state", name, None, list)
        })
    }

    fn channel(&self, name: &str) -> Result<usize, Refusal> {
        self.index.channels.get(name).ok_or_else(|| {
            let list = || self.file.channels.iter().map(String::as_str).collect();
            self.unknown("channel", name, None, list)
        })
    }

    fn event(&self, name: &str) -> Result<usize, Refusal> {
        self.index.events.get(name).ok_or_else(|| {
            let list = || self.file.events.iter().map(|e| e.name.as_str()).collect();
            self.unknown("event", name, Some(Slot::Event(name.into())), list)
        })
    }

    fn outcome(&self, name: &str) -> Result<usize, Refusal> {
        self.index.outcomes.get(name).ok_or_else(|| {
            let list = || self.file.outcomes.iter().map(|o| o.name.as_str()).collect();
            self.unknown("outcome", name, Some(Slot::Outcome(name.into())), list)
        })
    }

    fn apply(&mut self, change: &ChangeDef) -> Result<String, Refusal> {
        match change {
            ChangeDef::SetStance(a, b, x) => self.pair(a, b, x, true),
            ChangeDef::SetAffinity(a, b, x) => self.pair(a, b, x, false),
            ChangeDef::SetTie(from, to, channel, share) => self.tie(from, to, channel, share),
            ChangeDef::SetWeight(state, w) => self.weight(state, w),
            ChangeDef::SetParam(path, value) => self.param(path, value),
            ChangeDef::SetTiming(name, timing) => self.timing(name, timing),
            ChangeDef::AddEvent(def) => self.add_event(def),
            ChangeDef::ReplaceEvent(def) => self.replace_event(def),
            ChangeDef::RemoveEvent(name) => self.remove_event(name),
            ChangeDef::AddOutcome(def) => self.add_outcome(def),
            ChangeDef::ReplaceOutcome(def) => self.replace_outcome(def),
            ChangeDef::RemoveOutcome(name) => self.remove_outcome(name),
            ChangeDef::AddMetric(m) => self.add_metric(m),
            ChangeDef::RemoveMetric(m) => self.remove_metric(m),
            ChangeDef::SetSteps(n) => self.number(Slot::Steps, *n),
            ChangeDef::SetTrajectories(n) => self.number(Slot::Trajectories, *n),
            ChangeDef::SetSeed(n) => self.number(Slot::Seed, *n),
        }
    }

    /// The refusal of the change that took a list past its limit, if this one did, with the
    /// message a full file gets. Only events, outcomes and metrics can grow: states and
    /// channels are the base's, and the other limits are on values, which compiling checks.
    fn beyond_limits(&self) -> Option<Refusal> {
        let f = &*self.file;
        [
            ("events", f.events.len(), limits::MAX_EVENTS),
            ("outcomes", f.outcomes.len(), limits::MAX_OUTCOMES),
            ("metrics", f.metrics.len(), limits::MAX_METRICS),
        ]
        .into_iter()
        .find(|&(_, count, limit)| count > limit)
        .map(|(what, count, limit)| {
            let message = format!(
                "{}: {}; the changes after this one are not checked",
                self.change.keyword,
                limits::too_many(what, limit, count)
            );
            (self.here(), message)
        })
    }

    /// The events removed that an event or outcome still names, in `After(...)` or in an
    /// effect's parameter path (`Param("event.<name>.hazard", …)`): a refusal
    /// at each such RemoveEvent, listing what names it. An item that a later change wrote
    /// (added or replaced) is that change's refusal instead: it is the change to fix.
    fn removed_still_named(&self) -> Vec<Refusal> {
        // Removed, and not added back under the same name.
        let removed: HashMap<&str, usize> = (self.removed.iter().enumerate())
            .filter(|(_, (name, _))| self.index.events.get(name.as_str()).is_none())
            .map(|(r, (name, _))| (name.as_str(), r))
            .collect();
        if removed.is_empty() {
            return Vec::new();
        }
        let mut naming: Vec<Vec<String>> = vec![Vec::new(); self.removed.len()];
        let mut later = Vec::new();
        // An event names others in its condition and in the cases of its hazard.
        let events = (self.file.events.iter()).map(|e| {
            let cases = e.cases.iter().map(|(when, _)| when);
            (
                "event",
                Slot::Event(e.name.clone()),
                &e.name,
                e.when.iter().chain(cases).collect::<Vec<_>>(),
                (e.effects.iter())
                    .chain(e.one_of.iter().flat_map(|(_, set)| set))
                    .collect::<Vec<_>>(),
            )
        });
        let outcomes = (self.file.outcomes.iter()).map(|o| {
            (
                "outcome",
                Slot::Outcome(o.name.clone()),
                &o.name,
                o.at_end.iter().chain(&o.ever).collect::<Vec<_>>(),
                Vec::new(),
            )
        });
        for (what, slot, name, conditions, effects) in events.chain(outcomes) {
            let mut named = Vec::new();
            for condition in conditions {
                after_names(condition, &mut named);
            }
            param_event_names(effects, &mut named);
            let mut seen = HashSet::new();
            for event in named.into_iter().filter(|e| seen.insert(*e)) {
                let Some(&r) = removed.get(event) else {
                    continue;
                };
                let removal = self.removed[r].1;
                match self.written_whole(&slot) {
                    Some(by) if by.number > removal.number => later.push((
                        by.anchor,
                        format!(
                            "{}: {what} {} names event {}, which {} removes; \
                             name another event, or keep {}",
                            by.keyword,
                            quoted_name(name),
                            quoted_name(event),
                            self.named(removal),
                            quoted_name(event)
                        ),
                    )),
                    _ => naming[r].push(format!("{what} \"{name}\"")),
                }
            }
        }
        let mut refusals = Vec::new();
        for ((name, by), naming) in self.removed.iter().zip(naming) {
            if naming.is_empty() {
                continue;
            }
            refusals.push((
                by.anchor,
                format!(
                    "RemoveEvent(\"{name}\"): {} still {} it (in After(\"{name}\") or a \
                     parameter path event.{name}.…); remove or \
                     replace {} too (RemoveEvent, ReplaceEvent, RemoveOutcome, \
                     ReplaceOutcome), or keep the event and change its timing",
                    naming.join(", "),
                    if naming.len() == 1 { "names" } else { "name" },
                    if naming.len() == 1 { "it" } else { "them" },
                ),
            ));
        }
        refusals.extend(later);
        refusals
    }

    fn add_event(&mut self, def: &EventDef) -> Result<String, Refusal> {
        let slot = Slot::Event(def.name.clone());
        if self.index.events.get(&def.name).is_some() {
            if let Some((Write::Added, _)) = self.history.get(&slot) {
                self.repeat(&slot, || format!("event {}", quoted_name(&def.name)))?;
            }
            return Err((
                self.at_name(&def.name),
                format!(
                    "AddEvent: the base already has an event {}; use ReplaceEvent to change it, \
                     or give the new event another name",
                    quoted_name(&def.name)
                ),
            ));
        }
        self.file.events.push(def.clone());
        let at = self.file.events.len() - 1;
        self.index.events.pushed(def.name.clone(), at);
        self.history.record(slot, Write::Added, self.change);
        Ok(format!(
            "adds event \"{}\" (after the base's events)",
            def.name
        ))
    }

    fn replace_event(&mut self, def: &EventDef) -> Result<String, Refusal> {
        let e = self.event(&def.name)?;
        let name = || format!("event {}", quoted_name(&def.name));
        self.repeat(&Slot::Event(def.name.clone()), name)?;
        let timing = || format!("the timing of event {}", quoted_name(&def.name));
        self.undoes(&Slot::Timing(def.name.clone()), timing)?;
        if self.file.events[e] == *def {
            let what = format!("event \"{}\" is written this way", def.name);
            return Err(self.nothing(what, None));
        }
        let what = event_differences(&self.file.events[e], def);
        self.file.events[e] = def.clone();
        let slot = Slot::Event(def.name.clone());
        self.history.record(slot, Write::Replaced, self.change);
        Ok(format!("replaces event \"{}\" (its {what})", def.name))
    }

    fn remove_event(&mut self, name: &str) -> Result<String, Refusal> {
        let slot = Slot::Event(name.into());
        if self.index.events.get(name).is_none() {
            self.repeat(&slot, || format!("event {}", quoted_name(name)))?;
        }
        let e = self.event(name)?;
        self.undoes(&slot, || format!("event {}", quoted_name(name)))?;
        let timing = || format!("the timing of event {}", quoted_name(name));
        self.undoes(&Slot::Timing(name.into()), timing)?;
        self.file.events.remove(e);
        self.index.events.removed(name, e);
        self.history.forget(&Slot::Timing(name.into()));
        self.history.record(slot, Write::Removed, self.change);
        self.removed.push((name.into(), self.change));
        Ok(format!("removes event \"{name}\""))
    }

    fn add_outcome(&mut self, def: &OutcomeDef) -> Result<String, Refusal> {
        let slot = Slot::Outcome(def.name.clone());
        if self.index.outcomes.get(&def.name).is_some() {
            if let Some((Write::Added, _)) = self.history.get(&slot) {
                self.repeat(&slot, || format!("outcome {}", quoted_name(&def.name)))?;
            }
            return Err((
                self.at_name(&def.name),
                format!(
                    "AddOutcome: the base already has an outcome {}; use ReplaceOutcome to \
                     change it, or give the new one another name",
                    quoted_name(&def.name)
                ),
            ));
        }
        self.file.outcomes.push(def.clone());
        let at = self.file.outcomes.len() - 1;
        self.index.outcomes.pushed(def.name.clone(), at);
        self.history.record(slot, Write::Added, self.change);
        Ok(format!("adds outcome \"{}\"", def.name))
    }

    fn replace_outcome(&mut self, def: &OutcomeDef) -> Result<String, Refusal> {
        let o = self.outcome(&def.name)?;
        let slot = Slot::Outcome(def.name.clone());
        self.repeat(&slot, || format!("outcome {}", quoted_name(&def.name)))?;
        if self.file.outcomes[o] == *def {
            let what = format!("outcome \"{}\" is written this way", def.name);
            return Err(self.nothing(what, None));
        }
        self.file.outcomes[o] = def.clone();
        self.history.record(slot, Write::Replaced, self.change);
        Ok(format!("replaces outcome \"{}\"", def.name))
    }

    fn remove_outcome(&mut self, name: &str) -> Result<String, Refusal> {
        let slot = Slot::Outcome(name.into());
        if self.index.outcomes.get(name).is_none() {
            self.repeat(&slot, || format!("outcome {}", quoted_name(name)))?;
        }
        let o = self.outcome(name)?;
        self.undoes(&slot, || format!("outcome {}", quoted_name(name)))?;
        self.file.outcomes.remove(o);
        self.index.outcomes.removed(name, o);
        self.history.record(slot, Write::Removed, self.change);
        Ok(format!("removes outcome \"{name}\""))
    }

    fn add_metric(&mut self, m: &MetricDef) -> Result<String, Refusal> {
        let key = metric_key(m);
        let slot = Slot::Metric(key.clone());
        if self.index.metrics.get(&key).is_some() {
            if let Some((Write::Added, _)) = self.history.get(&slot) {
                self.repeat(&slot, || format!("metric {}", metric_text(m)))?;
            }
            return Err(self.nothing(format!("metric {} is tracked", metric_text(m)), None));
        }
        self.file.metrics.push(m.clone());
        let at = self.file.metrics.len() - 1;
        self.index.metrics.pushed(key, at);
        self.history.record(slot, Write::Added, self.change);
        Ok(format!("tracks metric {}", metric_text(m)))
    }

    fn remove_metric(&mut self, m: &MetricDef) -> Result<String, Refusal> {
        let key = metric_key(m);
        let slot = Slot::Metric(key.clone());
        let Some(i) = self.index.metrics.get(&key) else {
            self.repeat(&slot, || format!("metric {}", metric_text(m)))?;
            return Err(self.untracked(m));
        };
        self.undoes(&slot, || format!("metric {}", metric_text(m)))?;
        self.file.metrics.remove(i);
        self.index.metrics.removed(&key, i);
        self.history.record(slot, Write::Removed, self.change);
        Ok(format!("stops tracking metric {}", metric_text(m)))
    }

    /// The refusal of a RemoveMetric of a metric the file does not track.
    fn untracked(&self, m: &MetricDef) -> Refusal {
        if !self.hints {
            return (None, "RemoveMetric: the base does not track it".into());
        }
        let tracked: Vec<String> = self.file.metrics.iter().map(metric_text).collect();
        let shown = tracked.iter().map(String::as_str);
        let hint = match suggestion(&metric_text(m), shown) {
            Some(s) => format!(" — did you mean {s}?"),
            None => format!(" (it tracks: {})", tracked.join(", ")),
        };
        (
            self.here(),
            format!(
                "RemoveMetric: the base does not track {}{hint}",
                metric_text(m)
            ),
        )
    }

    /// `SetSteps`, `SetTrajectories` or `SetSeed`, as `slot` says.
    fn number(&mut self, slot: Slot, new: i64) -> Result<String, Refusal> {
        let what = match slot {
            Slot::Steps => "steps",
            Slot::Trajectories => "trajectories",
            _ => "seed",
        };
        self.repeat(&slot, || format!("`{what}`"))?;
        let field = match slot {
            Slot::Steps => &mut self.file.steps,
            Slot::Trajectories => &mut self.file.trajectories,
            _ => &mut self.file.seed,
        };
        let old = std::mem::replace(field, new);
        if old == new {
            return Err(self.nothing(format!("`{what}` is {new}"), None));
        }
        self.history.record(slot, Write::Set, self.change);
        Ok(format!("{what}: {old} -> {new}"))
    }

    fn weight(&mut self, state: &str, w: &Value) -> Result<String, Refusal> {
        let i = self.state(state)?;
        let slot = Slot::Weight(i);
        self.repeat(&slot, || format!("the weight of {}", quoted_name(state)))?;
        let old = self.file.states[i].weight.clone();
        if old == *w {
            return Err(self.nothing(
                format!("the weight of \"{state}\" is {}", value_text(w)),
                None,
            ));
        }
        self.file.states[i].weight = w.clone();
        self.history.record(slot, Write::Set, self.change);
        Ok(format!(
            "weight of {state}: {} -> {}",
            value_text(&old),
            value_text(w)
        ))
    }

    fn pair(&mut self, a: &str, b: &str, x: &Value, stance: bool) -> Result<String, Refusal> {
        let (i, j) = (self.state(a), self.state(b));
        let key = (i?, j?);
        let what = if stance { "stance" } else { "affinity" };
        let slot = match stance {
            true => Slot::Stance(key.0, key.1),
            false => Slot::Affinity(key.0, key.1),
        };
        let toward = || format!("the {what} of {} toward {}", quoted_name(a), quoted_name(b));
        self.repeat(&slot, toward)?;
        let list = match stance {
            true => &mut self.file.stances,
            false => &mut self.file.affinities,
        };
        let places = self.index.pairs(stance, list);
        let found = places.get(&key);
        let old = found.map(|k| list[k].2.clone());
        if old.clone().unwrap_or(Value::Fixed(0.0)) == *x {
            let listed = if old.is_some() { "" } else { " (unlisted)" };
            return Err(self.nothing(
                format!(
                    "the {what} of \"{a}\" toward \"{b}\" is {}{listed}",
                    value_text(x)
                ),
                None,
            ));
        }
        match found {
            Some(k) => list[k].2 = x.clone(),
            None => {
                list.push((a.to_string(), b.to_string(), x.clone()));
                places.pushed(key, list.len() - 1);
            }
        }
        self.history.record(slot, Write::Set, self.change);
        let old = old.map_or("0 (unlisted)".to_string(), |o| value_text(&o));
        Ok(format!(
            "{what} of {a} toward {b}: {old} -> {}",
            value_text(x)
        ))
    }

    fn tie(
        &mut self,
        from: &str,
        to: &str,
        channel: &str,
        share: &Value,
    ) -> Result<String, Refusal> {
        let i = self.state(from)?;
        // The rest of the world (`model::others`) supplies from the recipient's own slot.
        let j = if to == crate::model::OTHERS {
            Ok(i)
        } else {
            self.state(to)
        };
        let key = (i, j?, self.channel(channel)?);
        let slot = Slot::Tie(key.0, key.1, key.2);
        self.repeat(&slot, || {
            format!(
                "the share of {}'s {} supplied by {}",
                quoted_name(from),
                quoted_name(channel),
                quoted_name(to)
            )
        })?;
        let found = self.index.ties(&self.file.ties).get(&key);
        let old = found.map(|k| self.file.ties[k].share.clone());
        if old.clone().unwrap_or(Value::Fixed(0.0)) == *share {
            return Err(self.nothing(
                format!(
                    "the share of {from}'s {channel} supplied by {to} is {}",
                    value_text(share)
                ),
                None,
            ));
        }
        match found {
            Some(k) => self.file.ties[k].share = share.clone(),
            None => {
                self.file.ties.push(TieDef {
                    from: from.into(),
                    to: to.into(),
                    channel: channel.into(),
                    share: share.clone(),
                });
                let at = self.file.ties.len() - 1;
                self.index.ties(&self.file.ties).pushed(key, at);
            }
        }
        self.history.record(slot, Write::Set, self.change);
        let old = old.map_or("0 (unlisted)".to_string(), |o| value_text(&o));
        Ok(format!(
            "share of {from}'s {channel} supplied by {to}: {old} -> {}",
            value_text(share)
        ))
    }

    fn timing(&mut self, name: &str, timing: &TimingDef) -> Result<String, Refusal> {
        let e = self.event(name)?;
        let slot = Slot::Timing(name.into());
        self.repeat(&slot, || {
            format!("the timing of event {}", quoted_name(name))
        })?;
        let def = &self.file.events[e];
        let old = timing_text(def);
        let new = match timing {
            TimingDef::At(n) => (Some(n.clone()), None, None),
            TimingDef::Every(n) => (None, Some(n.clone()), None),
            TimingDef::Hazard(v) => (None, None, Some(v.clone())),
        };
        if (def.at.clone(), def.every.clone(), def.hazard.clone()) == new {
            let by = self.written_whole(&Slot::Event(name.into()));
            return Err(self.nothing(format!("event \"{name}\" fires {old}"), by));
        }
        let def = &mut self.file.events[e];
        (def.at, def.every, def.hazard) = new;
        let line = format!("event {name}: {old} -> {}", timing_text(def));
        self.history.record(slot, Write::Set, self.change);
        Ok(line)
    }

    fn param(&mut self, path: &str, value: &Value) -> Result<String, Refusal> {
        // An event's hazard is when it fires, which `SetTiming` writes too. A path has one
        // spelling, so the written one is its slot, known before the path is read.
        let hazard_of = (path.strip_prefix("event."))
            .and_then(|rest| rest.strip_suffix(".hazard"))
            .filter(|&event| self.index.events.get(event).is_some() || self.gone(event));
        let slot = match hazard_of {
            Some(event) => Slot::Timing(event.into()),
            None => Slot::Param(path.into()),
        };
        self.repeat(&slot, || match hazard_of {
            Some(event) => format!("the timing of event {}", quoted_name(event)),
            None => format!("parameter {}", quoted_name(path)),
        })?;
        // An event's hazard by the index; every other path against the states and
        // channels, which no change alters (`FixedNames`).
        let parsed = match (hazard_of, self.case_of(path)) {
            (Some(event), _) => {
                let e = self.event(event)?;
                (self.file.events[e].hazard.is_some()).then_some(ParamPath::Hazard(e))
            }
            (None, Some(case)) => Some(case),
            (None, None) => ParamPath::parse(path, self.names),
        };
        let parsed = parsed.ok_or_else(|| {
            // The message measures the path against every valid one: only if it is read.
            let message = match self.hints {
                true => param_path::unknown(path, &self.every_name()),
                false => "unknown parameter path".into(),
            };
            (self.at_name(path), format!("SetParam: {message}"))
        })?;
        let names = self.names;
        let channel_of = |c: Option<usize>| c.map(|c| names.channels[c].to_string());
        let state_of = |i: Option<usize>| i.map(|i| names.states[i].to_string());
        let at = self.at_name(path);
        let whole = |what: &str| {
            (
                at,
                format!(
                    "SetParam: \"{path}\" names the {what} of every channel; set one channel at \
                     a time (e.g. \"{what}.{}\")",
                    names.channels.first().copied().unwrap_or("aid")
                ),
            )
        };
        // The slot the old value comes from when it is not the path's own: a state's
        // parameter without an override is the scenario-wide one, and an event's hazard is
        // part of the event.
        let mut inherited: Option<Slot> = None;
        let p = &mut self.file.params;
        let slot_value: &mut Value;
        let old: Value;
        match parsed {
            ParamPath::PerState(param, None) => {
                slot_value = p.scenario_wide_mut(param);
                old = slot_value.clone();
            }
            ParamPath::PerState(param, Some(i)) => {
                let state = state_of(Some(i)).unwrap_or_default();
                let scenario_wide = p.scenario_wide(param).clone();
                let o = p.overrides.entry(state).or_default();
                let field = o.overridden_mut(param);
                if field.is_none() {
                    inherited = Some(Slot::Param(param.name().into()));
                }
                old = field.clone().unwrap_or(scenario_wide);
                slot_value = field.get_or_insert(old.clone());
            }
            ParamPath::Beta(None, _) => return Err(whole("beta")),
            ParamPath::Beta(Some(c), None) => {
                slot_value = channel_slot(&mut p.beta, channel_of(Some(c)), DEFAULT_BETA);
                old = slot_value.clone();
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
                if !o.beta.contains_key(&channel) {
                    inherited = Some(Slot::Param(format!("beta.{channel}")));
                }
                old = o.beta.get(&channel).cloned().unwrap_or(scenario_wide);
                slot_value = o.beta.entry(channel).or_insert(old.clone());
            }
            ParamPath::Kappa(None) => return Err(whole("kappa")),
            ParamPath::Kappa(c) => {
                slot_value = channel_slot(&mut p.kappa, channel_of(c), DEFAULT_KAPPA);
                old = slot_value.clone();
            }
            ParamPath::Rho(None) => return Err(whole("rho")),
            ParamPath::Rho(c) => {
                slot_value = channel_slot(&mut p.rho, channel_of(c), DEFAULT_RHO);
                old = slot_value.clone();
            }
            ParamPath::Hazard(e) => {
                let event = &mut self.file.events[e];
                inherited = Some(Slot::Event(event.name.clone()));
                // A hazard event always has one (`parse` only reads hazard events).
                slot_value = event.hazard.get_or_insert(Value::Fixed(0.0));
                old = slot_value.clone();
            }
            ParamPath::Case(e, c) => {
                let event = &mut self.file.events[e];
                inherited = Some(Slot::Event(event.name.clone()));
                slot_value = &mut event.cases[c].1;
                old = slot_value.clone();
            }
            ParamPath::Background(param) => {
                // Only a file with a background has these paths (`parse`).
                let field = super::compile::background::value_mut(&mut self.file.background, param);
                slot_value =
                    field.ok_or_else(|| (at, "SetParam: the base has no background".into()))?;
                old = slot_value.clone();
            }
        }
        if old == *value {
            let by = inherited.and_then(|s| match s {
                Slot::Event(_) => self.written_whole(&s),
                s => self.history.get(&s).map(|(_, by)| by),
            });
            return Err(self.nothing(format!("{path} is {}", value_text(value)), by));
        }
        *slot_value = value.clone();
        self.history.record(slot, Write::Set, self.change);
        Ok(format!(
            "parameter {path}: {} -> {}",
            value_text(&old),
            value_text(value)
        ))
    }

    /// The names a parameter path may use, events included: what an unknown path's
    /// message lists.
    fn every_name(&self) -> Names<'_> {
        let events = &self.file.events;
        Names {
            states: self.names.states.clone(),
            channels: self.names.channels.clone(),
            events: events.iter().map(|e| e.name.as_str()).collect(),
            hazard: events.iter().map(|e| e.hazard.is_some()).collect(),
            cases: events.iter().map(|e| e.cases.len()).collect(),
            background: self.file.has_background(),
        }
    }

    /// The case `path` names (`event.<name>.hazard.case.<N>`), if it names one of an event
    /// of the file as the changes so far left it.
    fn case_of(&self, path: &str) -> Option<ParamPath> {
        let (event, _) = path.strip_prefix("event.")?.rsplit_once(".hazard.case.")?;
        let e = self.index.events.get(event)?;
        let def = &self.file.events[e];
        let names = Names {
            states: Vec::new(),
            channels: Vec::new(),
            events: vec![def.name.as_str()],
            hazard: vec![def.hazard.is_some()],
            cases: vec![def.cases.len()],
            background: false,
        };
        match ParamPath::parse(path, &names)? {
            ParamPath::Case(_, c) => Some(ParamPath::Case(e, c)),
            _ => None,
        }
    }

    /// Whether an earlier change removed the event `name`.
    fn gone(&self, name: &str) -> bool {
        let slot = Slot::Event(name.into());
        matches!(self.history.get(&slot), Some((Write::Removed, _)))
    }
}

/// How a message says what a change did to what it wrote.
fn verb(how: Write) -> &'static str {
    match how {
        Write::Set => "sets",
        Write::Added => "adds",
        Write::Replaced => "replaces",
        Write::Removed => "removes",
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
            Distribution::Guess(a, b, c) => format!("Guess({}, {}, {})", Num(a), Num(b), Num(c)),
        },
    }
}

/// A step as the file writes it: a number, or a range over steps.
fn steps_text(steps: &Steps) -> String {
    match steps {
        Steps::Fixed(n) => n.to_string(),
        Steps::Sampled(d) => value_text(&Value::Sampled(d.clone())),
        Steps::Date(date) => format!("\"{}\"", super::spelling::shown(date)),
    }
}

/// Which parts of an event a replacement changes, e.g. "condition and effects".
fn event_differences(old: &EventDef, new: &EventDef) -> String {
    let parts = [
        ("description", old.description != new.description),
        ("actor", old.actor != new.actor),
        (
            "timing",
            (&old.at, &old.every, &old.hazard) != (&new.at, &new.every, &new.hazard),
        ),
        ("window", old.window != new.window),
        ("condition", old.when != new.when),
        ("repeat", old.repeat != new.repeat),
        ("effects", old.effects != new.effects),
        ("choice group", old.choice != new.choice),
        ("hazard cases", old.cases != new.cases),
        ("directions", old.one_of != new.one_of),
    ];
    let changed: Vec<&str> = parts.iter().filter(|p| p.1).map(|p| p.0).collect();
    match changed.split_last() {
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => "nothing".into(),
    }
}

fn timing_text(def: &EventDef) -> String {
    match (&def.at, &def.every, &def.hazard) {
        (Some(n), _, _) => format!("at step {}", steps_text(n)),
        (_, Some(n), _) => format!("every {} steps", steps_text(n)),
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
    use crate::scenario::limits::MAX_PROBLEMS;

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
        assert_eq!(file.stances[1], ("B".into(), "A".into(), 0.2.into()));
        let o = &file.params.overrides["B"];
        assert_eq!(o.eta, Some(Value::Sampled(Distribution::Uniform(0.1, 0.2))));
        assert_eq!(
            (file.events[0].every.clone(), file.events[0].hazard.clone()),
            (Some(2.into()), None)
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
