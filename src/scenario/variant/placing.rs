//! Placing the problems of a variant's applied file at the change that brings them.
//!
//! Compiling locates a problem by searching the text for the names and fields it is about,
//! and in a variant's text that finds their first mention in any change: a clash that
//! `SetTiming("deal", At(3))` brings (event "pressure" still sets `event.deal.hazard`) was
//! put at an earlier `SetParam("event.deal.hazard", …)`, fine on its own, and an event's
//! step past a new `SetSteps` at an outcome that names the event. So a place compiling
//! finds inside a change is kept only if that change brings the problem: the problem is
//! there once the changes up to it apply, and not before. The other problems of the
//! changes are placed by bisection over the prefixes of the change list (the base alone
//! compiles), and compiling looks for a full scenario's fields (`steps:`, a `stances`
//! entry), which a variant does not have, so `SetSteps(0)` has no place of its own at all.

use std::collections::HashMap;

use super::{anchors, changed, VariantFile};
use crate::scenario::compile::{unplaced_problems, Problem};
use crate::scenario::file::ScenarioFile;
use crate::scenario::locate::{Locator, Position};

/// Compilations spent placing a variant's problems, at most: a bisection of 1,000 changes
/// takes 10, a problem compiling placed takes 2, shared with its neighbours; those left
/// have the file's name only. Each compiles the whole world, blind (a located pass for
/// each took 51 s for 8 problems in 400 changes on a 200-state base), so the budget is of
/// work: `WORK` items of the base's lists compiled in all, between 64 compilations (a
/// 200-state world lists 240,000 pairs and ties, a tenth of a second each) and 1,024 (a
/// world of a few states, compiled in microseconds).
const WORK: usize = 10_000_000;
const FEWEST_COMPILES: usize = 64;
const MOST_COMPILES: usize = 1024;

/// Gives each problem of `problems` (those of `base` with `v`'s changes applied, compiled
/// against the variant's `text`) the place of the change that brings it.
pub fn place(base: &ScenarioFile, v: &VariantFile, text: &str, problems: &mut [Problem]) {
    let loc = Locator::new(text);
    let starts = anchors(&loc, &v.changes);
    let items = base.states.len()
        + base.stances.len()
        + base.affinities.len()
        + base.ties.len()
        + base.events.len()
        + base.outcomes.len()
        + base.metrics.len();
    let mut prefixes = Prefixes {
        base,
        v,
        messages: HashMap::new(),
        compiles: 0,
        most: (WORK / items.max(1)).clamp(FEWEST_COMPILES, MOST_COMPILES),
    };
    for problem in problems.iter_mut() {
        // The count of the problems past the fiftieth is no change's.
        if problem.position.is_none() && problem.message.starts_with("... and ") {
            continue;
        }
        problem.position = placed(&mut prefixes, &loc, &starts, problem);
    }
}

/// Where `problem` is: where compiling put it if that is before every change or the
/// problem is no change's (a field of the variant's own), or in the change that brings it;
/// else at the change bisection finds.
fn placed(
    prefixes: &mut Prefixes,
    loc: &Locator,
    starts: &[Option<usize>],
    problem: &Problem,
) -> Option<Position> {
    let message = &problem.message;
    let inside = problem.position.map(|p| change_at(starts, loc.offset(p)));
    if let Some(None) = inside {
        return problem.position;
    }
    // There with no change applied: a problem of the variant's own name, which compiling
    // places at its field, even written after the changes.
    if prefixes.has(0, message)? {
        return problem.position;
    }
    if let Some(Some(k)) = inside {
        if prefixes.has(k + 1, message)? && !prefixes.has(k, message)? {
            return problem.position;
        }
    }
    let brought = prefixes.first_with(message)?;
    starts[brought - 1].map(|at| loc.position(at))
}

/// The change whose text holds `offset`: the last to start at or before it.
fn change_at(starts: &[Option<usize>], offset: usize) -> Option<usize> {
    starts
        .iter()
        .enumerate()
        .filter_map(|(k, start)| start.map(|s| (k, s)))
        .take_while(|&(_, start)| start <= offset)
        .last()
        .map(|(k, _)| k)
}

/// Whether two messages are the same problem: the same first line, up to a "did you mean".
/// An unknown name's suggestion and the list of valid paths after it change with the
/// changes applied (an added event's hazard is a path to suggest), and a whole-message match
/// put a problem the first change brought at a later change that only added a path.
fn same_problem(a: &str, b: &str) -> bool {
    let key = |m: &str| {
        let line = m.split('\n').next().unwrap_or(m);
        line.split(" — did you mean")
            .next()
            .unwrap_or(line)
            .to_owned()
    };
    key(a) == key(b)
}

/// The problems of the base with the first k changes of the variant applied, by k,
/// compiled once each.
struct Prefixes<'b> {
    base: &'b ScenarioFile,
    v: &'b VariantFile,
    /// The messages after k changes (None: a change of the k is refused).
    messages: HashMap<usize, Option<Vec<String>>>,
    compiles: usize,
    /// Compilations allowed (`WORK`).
    most: usize,
}

impl Prefixes<'_> {
    /// Whether the problem `message` is there after the first `k` changes: None once
    /// the compilations allowed are spent.
    fn has(&mut self, k: usize, message: &str) -> Option<bool> {
        if !self.messages.contains_key(&k) {
            if self.compiles == self.most {
                return None;
            }
            self.compiles += 1;
            let problems = changed(self.base, self.v, k).map(|file| {
                let problems = unplaced_problems(&file).into_iter();
                problems.map(|p| p.message).collect()
            });
            self.messages.insert(k, problems);
        }
        let messages = self.messages[&k].as_ref();
        Some(messages.is_some_and(|m| m.iter().any(|x| same_problem(x, message))))
    }

    /// The fewest changes after which `message` is there (it is after all of them and not
    /// after none): the last of them brings it.
    fn first_with(&mut self, message: &str) -> Option<usize> {
        let (mut absent, mut present) = (0, self.v.changes.len());
        while present - absent > 1 {
            let mid = absent + (present - absent) / 2;
            if self.has(mid, message)? {
                present = mid;
            } else {
                absent = mid;
            }
        }
        Some(present).filter(|&k| k >= 1)
    }
}

#[cfg(test)]
mod tests {
    use super::change_at;

    #[test]
    fn an_offset_is_in_the_last_change_that_starts_before_it() {
        let starts = [Some(10), None, Some(20), Some(30)];
        assert_eq!(change_at(&starts, 5), None);
        assert_eq!(change_at(&starts, 10), Some(0));
        assert_eq!(change_at(&starts, 25), Some(2));
        assert_eq!(change_at(&starts, 99), Some(3));
    }
}
