//! Whether two worlds ask the same question under one outcome's name: their compiled
//! definitions compared (kind, condition, metric, threshold, averaging window ...), with
//! every index read as the name it stands for. A comparison pairs outcomes by name, and a
//! variant's `ReplaceOutcome` keeps the name of the question it changes: paired by name
//! alone, two different questions were reported as one paired effect (issue 19).
//!
//! Names, not indices, because two files may list their states or events in another order
//! and still ask the same question; the compiled form, not the text, because the same
//! question can be written in more than one way (a threshold of `0.4` or `0.40`,
//! `Partnership("A", "B")` or `Partnership("B", "A")`).

use super::{Condition, Metric, Outcome, World};

/// An outcome of a world, compared with another world's by what it asks.
#[derive(Debug, Clone, Copy)]
pub struct Definition<'a> {
    world: &'a World,
    outcome: &'a Outcome,
}

impl<'a> Definition<'a> {
    /// The definition of `world`'s outcome number `outcome`.
    pub fn of(world: &'a World, outcome: usize) -> Self {
        Definition {
            world,
            outcome: &world.outcomes[outcome],
        }
    }
}

impl PartialEq for Definition<'_> {
    /// Same kind and same condition; the name and the description are not the question.
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (self.world, other.world);
        self.outcome.kind == other.outcome.kind
            && same_condition(a, &self.outcome.condition, b, &other.outcome.condition)
    }
}

fn same_condition(a: &World, x: &Condition, b: &World, y: &Condition) -> bool {
    use Condition::*;
    match (x, y) {
        (Above(m, s), Above(n, t)) | (Below(m, s), Below(n, t)) => {
            s == t && same_metric(a, m, b, n)
        }
        (After(e), After(f)) => a.events[*e].name == b.events[*f].name,
        (All(xs), All(ys)) | (Any(xs), Any(ys)) => {
            xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| same_condition(a, x, b, y))
        }
        (Not(x), Not(y)) => same_condition(a, x, b, y),
        (SameBloc(i, j), SameBloc(k, l)) => same_pair(a, (*i, *j), b, (*k, *l)),
        (
            Between {
                state: i,
                threshold: s,
            },
            Between {
                state: k,
                threshold: t,
            },
        ) => s == t && a.states[*i] == b.states[*k],
        _ => false,
    }
}

fn same_metric(a: &World, m: &Metric, b: &World, n: &Metric) -> bool {
    let state = |i: usize, k: usize| a.states[i] == b.states[k];
    let channel = |c: usize, d: usize| a.channels[c] == b.channels[d];
    match (*m, *n) {
        (Metric::Stance(i, j), Metric::Stance(k, l)) => state(i, k) && state(j, l),
        // Symmetric: the same number whichever state is written first.
        (Metric::Partnership(i, j), Metric::Partnership(k, l))
        | (Metric::SameBloc(i, j), Metric::SameBloc(k, l)) => same_pair(a, (i, j), b, (k, l)),
        (Metric::Share(i, j, c), Metric::Share(k, l, d)) => {
            state(i, k) && state(j, l) && channel(c, d)
        }
        (Metric::Dependence(i, c), Metric::Dependence(k, d)) => state(i, k) && channel(c, d),
        (Metric::Average { slot: x, .. }, Metric::Average { slot: y, .. }) => {
            let (u, v) = (&a.averages[x], &b.averages[y]);
            u.steps == v.steps && same_metric(a, &u.metric, b, &v.metric)
        }
        _ => false,
    }
}

/// The same two states, in either order.
fn same_pair(a: &World, (i, j): (usize, usize), b: &World, (k, l): (usize, usize)) -> bool {
    let (i, j) = (&a.states[i], &a.states[j]);
    let (k, l) = (&b.states[k], &b.states[l]);
    (i == k && j == l) || (i == l && j == k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{fixtures, Average, OutcomeKind};

    /// A world of states s0, s1, s2 asking `kind` of `condition` as "war".
    fn asking(kind: OutcomeKind, condition: Condition) -> World {
        let mut w = fixtures::world(3, 2);
        w.averages = vec![Average {
            metric: Metric::Partnership(0, 1),
            steps: 4,
        }];
        w.outcomes = vec![Outcome {
            name: "war".into(),
            description: String::new(),
            kind,
            condition,
        }];
        w
    }

    fn same(a: &World, b: &World) -> bool {
        Definition::of(a, 0) == Definition::of(b, 0)
    }

    #[test]
    fn a_restated_threshold_metric_kind_or_window_is_another_question() {
        let average = Metric::Average {
            slot: 0,
            signed: true,
        };
        let base = asking(OutcomeKind::AtEnd, Condition::Above(average, 0.4));
        assert!(same(&base, &base.clone()));
        let higher = asking(OutcomeKind::AtEnd, Condition::Above(average, 0.5));
        let below = asking(OutcomeKind::AtEnd, Condition::Below(average, 0.4));
        let ever = asking(OutcomeKind::Ever, Condition::Above(average, 0.4));
        let mut longer = base.clone();
        longer.averages[0].steps = 8;
        let mut other_metric = base.clone();
        other_metric.averages[0].metric = Metric::Partnership(0, 2);
        for other in [&higher, &below, &ever, &longer, &other_metric] {
            assert!(!same(&base, other), "{:?}", other.outcomes[0]);
        }
        // The description is not the question.
        let mut described = base.clone();
        described.outcomes[0].description = "a war".into();
        assert!(same(&base, &described));
    }

    #[test]
    fn indices_compare_by_the_names_they_stand_for() {
        let a = asking(
            OutcomeKind::AtEnd,
            Condition::All(vec![
                Condition::Above(Metric::Stance(0, 1), 0.2),
                Condition::Below(Metric::Share(2, 0, 1), 0.3),
            ]),
        );
        // The same question in a world listing its states and channels in reverse.
        let mut b = a.clone();
        b.states.reverse();
        b.channels.reverse();
        b.outcomes[0].condition = Condition::All(vec![
            Condition::Above(Metric::Stance(2, 1), 0.2),
            Condition::Below(Metric::Share(0, 2, 0), 0.3),
        ]);
        assert!(same(&a, &b));
        // Index for index the same, but other states: another question.
        let mut renamed = a.clone();
        renamed.states.reverse();
        assert!(!same(&a, &renamed));
    }

    #[test]
    fn a_symmetric_metric_is_the_same_question_written_either_way() {
        let ab = asking(
            OutcomeKind::AtEnd,
            Condition::Above(Metric::Partnership(0, 1), 0.4),
        );
        let ba = asking(
            OutcomeKind::AtEnd,
            Condition::Above(Metric::Partnership(1, 0), 0.4),
        );
        assert!(same(&ab, &ba));
        let stance_ab = asking(
            OutcomeKind::AtEnd,
            Condition::Above(Metric::Stance(0, 1), 0.4),
        );
        let stance_ba = asking(
            OutcomeKind::AtEnd,
            Condition::Above(Metric::Stance(1, 0), 0.4),
        );
        assert!(!same(&stance_ab, &stance_ba), "a stance is directed");
    }

    #[test]
    fn between_compares_the_threshold_each_world_compiled() {
        let between = |threshold| {
            asking(
                OutcomeKind::AtEnd,
                Condition::Between {
                    state: 2,
                    threshold,
                },
            )
        };
        assert!(same(&between(0.2), &between(0.2)));
        assert!(!same(&between(0.2), &between(0.3)));
    }
}
