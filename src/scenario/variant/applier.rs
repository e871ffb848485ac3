//! The changes of a variant applied to its base in order, each checked against what the
//! changes before it wrote: a change that would leave the base as it is, names what is not
//! there, or undoes an earlier change is refused, in the analyst's words.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::history::{ChangeRef, History, Slot, Write};
use super::index::{metric_key, Index};
use super::set_by::{scheduled_hazard, set_by, Known};
use super::words::{event_differences, metric_text, timing_text, value_text, verb};
use super::written::{ChangeDef, TimingDef};
use super::{after_names, param_event_names};
use crate::scenario::file::{
    EventDef, MetricDef, OutcomeDef, ScenarioFile, TieDef, Value, DEFAULT_BETA, DEFAULT_KAPPA,
    DEFAULT_RHO,
};
use crate::scenario::limits;
use crate::scenario::locate::Locator;
use crate::scenario::param_path::{self, Names, ParamPath};
use crate::scenario::spelling::{name_list, quoted_name, shown_list, suggestion};

/// A change's refusal: where in the variant's text (an offset, located only if the
/// problem is listed) and why.
pub(super) type Refusal = (Option<usize>, String);

/// Applies a variant's changes in order, knowing what each change before wrote.
pub(super) struct Applier<'a, 'f> {
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
    /// The variant's `SetTie` changes, by number: a share suggested for a change must fit
    /// beside the other shares as the later changes leave them too (`set_by`).
    set_ties: Vec<(usize, ChangeDef)>,
}

impl<'a, 'f> Applier<'a, 'f> {
    pub(super) fn new(
        loc: &'a Locator<'a>,
        names: &'a Names<'a>,
        file: &'f mut ScenarioFile,
    ) -> Self {
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
            set_ties: Vec::new(),
        }
    }

    /// Tells the applier every change of the variant before any applies: the shares the
    /// later `SetTie` changes write bound what a suggested share may be.
    pub(super) fn foresee(&mut self, changes: &[ChangeDef]) {
        self.set_ties = (changes.iter().enumerate())
            .filter(|(_, c)| matches!(c, ChangeDef::SetTie(..)))
            .map(|(k, c)| (k + 1, c.clone()))
            .collect();
    }

    /// `change`, written at `anchor`, is the next to apply.
    pub(super) fn begin(&mut self, change: &ChangeDef, anchor: Option<usize>, hints: bool) {
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

    pub(super) fn apply(&mut self, change: &ChangeDef) -> Result<String, Refusal> {
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
    pub(super) fn beyond_limits(&self) -> Option<Refusal> {
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
    pub(super) fn removed_still_named(&self) -> Vec<Refusal> {
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
            // A world of hundreds of metrics listed every one, a line of kilobytes.
            None => format!(" (it tracks: {})", shown_list(tracked.iter().cloned())),
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
        let old = timing_text(def, self.file);
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
        let line = format!(
            "event {name}: {old} -> {}",
            timing_text(&self.file.events[e], self.file)
        );
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
            // Only an event without a hazard leaves `hazard_of` unparsed: it is scheduled.
            let scheduled = hazard_of.and_then(|event| self.index.events.get(event));
            let message = match (scheduled, self.set_by(path, value), self.hints) {
                (Some(e), _, _) => self.scheduled_hazard(e, value),
                (None, Some(change), _) => change,
                (None, None, true) => param_path::unknown(path, &self.every_name()),
                (None, None, false) => "unknown parameter path".into(),
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
                let field = crate::scenario::compile::background::value_mut(
                    &mut self.file.background,
                    param,
                );
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
    /// The change that sets `path` if it is a number `SetParam` does not set (`set_by`).
    fn set_by(&self, path: &str, value: &Value) -> Option<String> {
        let later = (self.set_ties.iter())
            .filter(|(number, _)| *number > self.change.number)
            .filter_map(|(_, c)| match c {
                ChangeDef::SetTie(from, to, channel, share) => {
                    Some((from.as_str(), to.as_str(), channel.as_str(), share))
                }
                _ => None,
            })
            .collect();
        let known = Known {
            states: &self.names.states,
            channels: &self.names.channels,
            events: self.file.events.iter().map(|e| e.name.as_str()).collect(),
            steps: self.file.steps,
            file: Some(self.file),
            later_ties: later,
        };
        set_by(path, value, &known)
    }

    fn scheduled_hazard(&self, e: usize, value: &Value) -> String {
        let def = &self.file.events[e];
        scheduled_hazard(def, &timing_text(def, self.file), value, self.file.steps)
    }

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
