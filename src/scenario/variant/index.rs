//! Where each name of the file a variant changes stands in its lists, kept up to date as
//! the changes apply, so that a change finds what it names by a lookup. Each change scanned
//! the lists instead (and copied the names to do it): a variant of 20,000 `AddOutcome`
//! changes took 6.6 s to check, and one of 50,000 over a minute.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;

use crate::scenario::file::{MetricDef, ScenarioFile, TieDef, Value};
use crate::scenario::param_path::Names;

/// The place of each key in one list: its first, as a scan from the start finds it.
pub(super) struct Places<K>(HashMap<K, usize>);

impl<K: Hash + Eq> Places<K> {
    fn of(keys: impl Iterator<Item = K>) -> Self {
        Places::of_known(keys.map(Some))
    }

    /// The places of the keys that are known (None: an item the index cannot key, which
    /// keeps its place in the list all the same).
    fn of_known(keys: impl Iterator<Item = Option<K>>) -> Self {
        let mut places = HashMap::with_capacity(keys.size_hint().0);
        for (i, key) in keys.enumerate() {
            if let Some(key) = key {
                places.entry(key).or_insert(i);
            }
        }
        Places(places)
    }

    pub fn get<Q>(&self, key: &Q) -> Option<usize>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.0.get(key).copied()
    }

    /// `key` is the item just pushed at `at`, the end of its list.
    pub fn pushed(&mut self, key: K, at: usize) {
        self.0.entry(key).or_insert(at);
    }

    /// The item `key` at `at` is removed from its list (`Vec::remove`): the items after it
    /// move up one. A walk of the list, as the removal itself is: both are bounded by the
    /// list's limit (`MAX_EVENTS`, ...), which `variant::apply` holds as changes apply.
    pub fn removed<Q>(&mut self, key: &Q, at: usize)
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.0.remove(key);
        for place in self.0.values_mut() {
            if *place > at {
                *place -= 1;
            }
        }
    }
}

/// The lists of a scenario file a variant's changes name, by name.
pub(super) struct Index {
    pub states: Places<String>,
    pub channels: Places<String>,
    pub events: Places<String>,
    pub outcomes: Places<String>,
    /// By `metric_key`.
    pub metrics: Places<String>,
    /// The pairs and ties by the places of their states (and channel), made at the first
    /// change that sets one: a world of 200 states lists 80,000 pairs, and `placing`
    /// applies a variant's changes again for each list of changes it compiles.
    stances: Option<Places<(usize, usize)>>,
    affinities: Option<Places<(usize, usize)>>,
    ties: Option<Places<(usize, usize, usize)>>,
}

impl Index {
    pub fn of(file: &ScenarioFile) -> Self {
        Index {
            states: Places::of(file.states.iter().map(|s| s.name.clone())),
            channels: Places::of(file.channels.iter().cloned()),
            events: Places::of(file.events.iter().map(|e| e.name.clone())),
            outcomes: Places::of(file.outcomes.iter().map(|o| o.name.clone())),
            metrics: Places::of(file.metrics.iter().map(metric_key)),
            stances: None,
            affinities: None,
            ties: None,
        }
    }

    /// The stances (`stance`) or affinities of `list`, the file's.
    pub fn pairs(
        &mut self,
        stance: bool,
        list: &[(String, String, Value)],
    ) -> &mut Places<(usize, usize)> {
        let states = &self.states;
        let pairs = if stance {
            &mut self.stances
        } else {
            &mut self.affinities
        };
        pairs.get_or_insert_with(|| {
            let keys = list
                .iter()
                .map(|(a, b, _)| Some((states.get(a)?, states.get(b)?)));
            Places::of_known(keys)
        })
    }

    /// The ties of `list`, the file's.
    pub fn ties(&mut self, list: &[TieDef]) -> &mut Places<(usize, usize, usize)> {
        let (states, channels) = (&self.states, &self.channels);
        self.ties.get_or_insert_with(|| {
            let keys = list.iter().map(|t| {
                let from = states.get(&t.from)?;
                // The rest of the world's share sits in the recipient's own slot.
                let to = if t.to == crate::model::OTHERS {
                    from
                } else {
                    states.get(&t.to)?
                };
                Some((from, to, channels.get(&t.channel)?))
            });
            Places::of_known(keys)
        })
    }
}

/// The states and channels of the file a variant changes, copied once: no change alters
/// them, so every `SetParam` reads its path against the one `names()`. Built for each
/// change, with a copy of every name, it was most of the time a variant of many `SetParam`
/// took: 600,000 of them took 38 s.
pub(super) struct FixedNames {
    states: Vec<String>,
    channels: Vec<String>,
    /// Whether the file has a background (its `background.*` paths), which no change alters.
    background: bool,
}

impl FixedNames {
    pub fn of(file: &ScenarioFile) -> Self {
        FixedNames {
            states: file.states.iter().map(|s| s.name.clone()).collect(),
            channels: file.channels.clone(),
            background: file.has_background(),
        }
    }

    /// The names a parameter path may use, events aside: an event's hazard is looked up by
    /// the event's name.
    pub fn names(&self) -> Names<'_> {
        Names {
            states: self.states.iter().map(String::as_str).collect(),
            channels: self.channels.iter().map(String::as_str).collect(),
            events: Vec::new(),
            hazard: Vec::new(),
            cases: Vec::new(),
            background: self.background,
        }
    }
}

/// A metric as a key: its `Debug` form, whose strings are escaped, so two metrics never
/// share one (as written, `Stance("x", "y\", \"z")` and `Stance("x\", \"y", "z")` read
/// alike once their quotes are not escaped).
pub(super) fn metric_key(m: &MetricDef) -> String {
    format!("{m:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_follow_pushes_and_removals() {
        let mut places = Places::of(["a", "b", "c"].map(String::from).into_iter());
        assert_eq!(places.get("a"), Some(0));
        places.removed("a", 0);
        assert_eq!((places.get("a"), places.get("b")), (None, Some(0)));
        assert_eq!(places.get("c"), Some(1));
        places.pushed("d".into(), 2);
        assert_eq!(places.get("d"), Some(2));
    }

    #[test]
    fn metrics_whose_names_hold_quotes_keep_apart() {
        let one = MetricDef::Stance("x".into(), "y\", \"z".into());
        let two = MetricDef::Stance("x\", \"y".into(), "z".into());
        assert_ne!(metric_key(&one), metric_key(&two));
    }
}
