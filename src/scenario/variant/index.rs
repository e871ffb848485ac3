//! Where each name of the file a variant changes stands in its lists, kept up to date as
//! the changes apply, so that a change finds what it names by a lookup. Each change scanned
//! the lists instead (and copied the names to do it): a variant of 20,000 `AddOutcome`
//! changes took 6.6 s to check, and one of 50,000 over a minute.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;

use crate::scenario::file::{MetricDef, ScenarioFile};

/// The place of each key in one list: its first, as a scan from the start finds it.
pub(super) struct Places<K>(HashMap<K, usize>);

impl<K: Hash + Eq> Places<K> {
    fn of(keys: impl Iterator<Item = K>) -> Self {
        let mut places = HashMap::new();
        for (i, key) in keys.enumerate() {
            places.entry(key).or_insert(i);
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

/// The lists of a scenario file a variant's changes name, by name (pairs and ties by
/// their names).
pub(super) struct Index {
    pub states: Places<String>,
    pub channels: Places<String>,
    pub events: Places<String>,
    pub outcomes: Places<String>,
    /// By `metric_key`.
    pub metrics: Places<String>,
    pub stances: Places<(String, String)>,
    pub affinities: Places<(String, String)>,
    pub ties: Places<(String, String, String)>,
}

impl Index {
    pub fn of(file: &ScenarioFile) -> Self {
        let pair = |(a, b, _): &(String, String, f64)| (a.clone(), b.clone());
        Index {
            states: Places::of(file.states.iter().map(|s| s.name.clone())),
            channels: Places::of(file.channels.iter().cloned()),
            events: Places::of(file.events.iter().map(|e| e.name.clone())),
            outcomes: Places::of(file.outcomes.iter().map(|o| o.name.clone())),
            metrics: Places::of(file.metrics.iter().map(metric_key)),
            stances: Places::of(file.stances.iter().map(pair)),
            affinities: Places::of(file.affinities.iter().map(pair)),
            ties: Places::of(
                file.ties
                    .iter()
                    .map(|t| (t.from.clone(), t.to.clone(), t.channel.clone())),
            ),
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
