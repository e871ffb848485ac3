//! Scenario discovery in `simulate explain`: PRIM ([`super::discovery::discover`]) over the
//! rows of explain's own run, one outcome at a time.
//!
//! The inputs are every drawn number (a column per path, as `--records` names it) and each
//! event's first step (`event.NAME.first_step`; an event that never fired counts as the
//! step after the last, so "fires by step t" and "never fires" are ranges like any other).
//! Only the first [`MOST_ROWS`] trajectories are kept and searched: PRIM holds every row
//! in memory and sorts the box's values at each peel, and a hundred thousand trajectories
//! find the same boxes as more would, within their noise.

use rayon::prelude::*;

use super::discovery::{discover, restrictions_of, Discovery, DiscoveryError, Settings};
use crate::engine::records::{Layout, RowSink, Rows};
use crate::model::World;
use crate::scenario::spelling::printable;

/// The most trajectories scenario discovery reads: the first ones of the run.
pub const MOST_ROWS: usize = 100_000;

/// The most inputs the stated box restricts: PRIM's last box is peeled to 5% of the
/// trajectories and often restricts dozens of inputs, most of them noise; a box a sentence
/// can state is the densest one on the peeling trajectory with at most this many.
pub const MOST_RESTRICTED: usize = 3;

/// Longest input or outcome name a sentence shows whole.
const NAME_SHOWN: usize = 60;

/// The first `MOST_ROWS` rows of a run, in trajectory order (a [`RowSink`] behind
/// `engine::records::InOrder`).
pub struct FirstRows {
    pub layout: Layout,
    pub rows: Rows,
    most: usize,
}

impl FirstRows {
    /// The rows of a run of `trajectories`, their room reserved at once (growing by
    /// doubling would at worst hold twice the rows).
    pub fn new(world: &World, trajectories: u64) -> Self {
        let layout = Layout::new(world);
        let n = (trajectories.min(MOST_ROWS as u64)) as usize;
        let (events, outcomes) = (layout.events.len(), layout.outcomes.len());
        let rows = Rows {
            inputs: Vec::with_capacity(n * layout.inputs.len()),
            first_fired: Vec::with_capacity(n * events),
            firings: Vec::with_capacity(n * events),
            held: Vec::with_capacity(n * outcomes),
            first_held: Vec::with_capacity(n * outcomes),
            finals: Vec::with_capacity(n * layout.metrics.len()),
            ..Rows::default()
        };
        FirstRows {
            layout,
            rows,
            most: MOST_ROWS,
        }
    }
}

impl RowSink for FirstRows {
    fn write(&mut self, rows: &Rows) -> std::io::Result<()> {
        let room = self.most.saturating_sub(self.rows.len);
        if rows.len <= room {
            self.rows.append(rows);
        } else if room > 0 {
            // Only what fits, so the reserved room is never outgrown.
            let mut part = rows.clone();
            truncate(&mut part, room, &self.layout);
            self.rows.append(&part);
        }
        Ok(())
    }
}

/// Keeps the first `n` of `rows` (of `layout`).
fn truncate(rows: &mut Rows, n: usize, layout: &Layout) {
    let n = n.min(rows.len);
    rows.inputs.truncate(n * layout.inputs.len());
    rows.first_fired.truncate(n * layout.events.len());
    rows.firings.truncate(n * layout.events.len());
    rows.held.truncate(n * layout.outcomes.len());
    rows.first_held.truncate(n * layout.outcomes.len());
    rows.finals.truncate(n * layout.metrics.len());
    rows.len = n;
}

/// One restricted input of an outcome's stated box, with its phrase for a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// The input's column: a drawn number's path or `event.NAME.first_step`.
    pub input: String,
    /// The event, when the input is an event's first step.
    pub event: Option<String>,
    pub low: f64,
    pub high: f64,
    /// Whether each side is restricted.
    pub low_restricted: bool,
    pub high_restricted: bool,
    /// The quasi-p-value of the restriction (its weaker side).
    pub p_value: f64,
    /// "gamma >= 0.78", "energy_megadeal fires by step 12".
    pub phrase: String,
}

/// What PRIM found for one outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeBox {
    pub outcome: String,
    /// The trajectories searched, and in how many the outcome held.
    pub trajectories: usize,
    pub held: usize,
    /// The inputs' columns, in the order of each peel's limits.
    pub inputs: Vec<String>,
    /// PRIM's whole peeling trajectory (and its last box).
    pub discovery: Discovery,
    /// The stated box: its index on the trajectory (the densest restricting at most
    /// [`MOST_RESTRICTED`] inputs, the first of equals), its numbers and restrictions.
    pub chosen: usize,
    pub coverage: f64,
    pub density: f64,
    pub mass: f64,
    pub conditions: Vec<Condition>,
}

impl OutcomeBox {
    /// "partnership_deepens holds in 91% of trajectories where gamma >= 0.78 and
    /// energy_megadeal fires by step 12 (28% of all, 62% of those where it holds)".
    pub fn sentence(&self) -> String {
        let name = printable(&self.outcome, NAME_SHOWN);
        if self.held == 0 {
            return format!("{name} never holds in the trajectories searched");
        }
        if self.conditions.is_empty() {
            return format!(
                "no range of the drawn inputs or event timings singles out where {name} holds \
                 (it holds in {} of trajectories)",
                whole(self.density)
            );
        }
        let phrases: Vec<&str> = self.conditions.iter().map(|c| c.phrase.as_str()).collect();
        format!(
            "{name} holds in {} of trajectories where {} ({} of all, {} of those where it \
             holds)",
            whole(self.density),
            phrases.join(" and "),
            whole(self.mass),
            whole(self.coverage)
        )
    }
}

fn whole(p: f64) -> String {
    format!("{:.0}%", 100.0 * p)
}

/// PRIM for each outcome `asked` accepts, in file order, over `first`'s rows of a world of
/// `steps` steps. The rows are dropped once PRIM's columns are made from them.
pub fn discoveries(
    first: FirstRows,
    steps: usize,
    asked: impl Fn(&str) -> bool,
) -> Result<Vec<OutcomeBox>, DiscoveryError> {
    let (layout, rows) = (&first.layout, &first.rows);
    let n = rows.len;
    if n == 0 {
        return Ok(Vec::new());
    }
    let mut inputs: Vec<Vec<f64>> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut events: Vec<Option<String>> = Vec::new();
    let width = layout.inputs.len();
    for (i, path) in layout.inputs.iter().enumerate() {
        inputs.push((0..n).map(|r| rows.inputs[r * width + i]).collect());
        names.push(path.clone());
        events.push(None);
    }
    let never = (steps + 1) as f64;
    let width = layout.events.len();
    for (e, event) in layout.events.iter().enumerate() {
        let first_step = |r: usize| rows.first_fired[r * width + e].map_or(never, f64::from);
        inputs.push((0..n).map(first_step).collect());
        names.push(format!("event.{event}.first_step"));
        events.push(Some(event.clone()));
    }
    let width = layout.outcomes.len();
    let asked: Vec<(String, Vec<bool>)> = (layout.outcomes.iter().enumerate())
        .filter(|(_, name)| asked(name))
        .map(|(o, name)| {
            let held = (0..n).map(|r| rows.held[r * width + o]).collect();
            (name.clone(), held)
        })
        .collect();
    drop(first);
    // Outcome by outcome, on the caller's threads; each is found alone, in file order.
    asked
        .into_par_iter()
        .map(|(outcome, held)| {
            let discovery = discover(&inputs, &names, &held, Settings::default())?;
            let chosen = stated(&discovery);
            let peel = &discovery.trajectory[chosen];
            let conditions = restrictions_of(&inputs, &names, &held, &peel.limits)
                .iter()
                .map(|c| {
                    let j = names.iter().position(|n| *n == c.name).unwrap_or(0);
                    let (low_restricted, high_restricted) = (c.p_low.is_some(), c.p_high.is_some());
                    let sides = (
                        low_restricted.then_some(c.low),
                        high_restricted.then_some(c.high),
                    );
                    let phrase = match &events[j] {
                        Some(event) => event_phrase(event, sides, steps),
                        None => input_phrase(&c.name, sides),
                    };
                    Condition {
                        input: c.name.clone(),
                        event: events[j].clone(),
                        low: c.low,
                        high: c.high,
                        low_restricted,
                        high_restricted,
                        p_value: c.p_value,
                        phrase,
                    }
                })
                .collect();
            Ok(OutcomeBox {
                outcome,
                trajectories: n,
                held: held.iter().filter(|&&h| h).count(),
                inputs: names.clone(),
                chosen,
                coverage: peel.coverage,
                density: peel.density,
                mass: peel.mass,
                conditions,
                discovery,
            })
        })
        .collect()
}

/// The index of the densest box on the trajectory that restricts at most
/// `MOST_RESTRICTED` inputs (the first of equals; the first box restricts none).
fn stated(discovery: &Discovery) -> usize {
    let mut best = 0;
    for (b, peel) in discovery.trajectory.iter().enumerate() {
        if peel.restricted <= MOST_RESTRICTED && peel.density > discovery.trajectory[best].density {
            best = b;
        }
    }
    best
}

/// A number as a sentence shows it: four significant digits at most.
pub fn shown(x: f64) -> String {
    let digits = if x == 0.0 || !x.is_finite() {
        0
    } else {
        (3 - x.abs().log10().floor() as i32).clamp(0, 12) as usize
    };
    let text = format!("{x:.digits$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

fn input_phrase(name: &str, sides: (Option<f64>, Option<f64>)) -> String {
    let name = printable(name, NAME_SHOWN);
    match sides {
        (Some(low), Some(high)) => format!("{} <= {name} <= {}", shown(low), shown(high)),
        (Some(low), None) => format!("{name} >= {}", shown(low)),
        (None, Some(high)) => format!("{name} <= {}", shown(high)),
        (None, None) => format!("any {name}"),
    }
}

/// The phrase of a range of an event's first step (never = `steps + 1`): the limits are
/// inclusive and the steps whole, so a low limit rounds up and a high one down.
fn event_phrase(event: &str, sides: (Option<f64>, Option<f64>), steps: usize) -> String {
    let name = printable(event, NAME_SHOWN);
    let low = sides.0.map(|x| x.ceil().max(1.0) as usize);
    let high = sides.1.map(|x| x.floor().max(0.0) as usize);
    match (low, high) {
        (Some(l), _) if l > steps => format!("{name} never fires"),
        (Some(l), Some(h)) if l >= h => format!("{name} first fires at step {l}"),
        (Some(l), Some(h)) => format!("{name} first fires between steps {l} and {h}"),
        (Some(l), None) => format!("{name} does not fire before step {l}"),
        (None, Some(0)) => format!("{name} fires before step 1"),
        (None, Some(h)) if h >= steps => format!("{name} fires"),
        (None, Some(h)) => format!("{name} fires by step {h}"),
        (None, None) => format!("{name} fires or not"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_shown_with_four_significant_digits_at_most() {
        assert_eq!(shown(0.78123), "0.7812");
        assert_eq!(shown(0.5), "0.5");
        assert_eq!(shown(1234.56), "1235");
        assert_eq!(shown(12.345678), "12.35");
        assert_eq!(shown(0.000123456), "0.0001235");
        assert_eq!(shown(-2.5), "-2.5");
        assert_eq!(shown(0.0), "0");
    }

    #[test]
    fn event_ranges_read_as_steps() {
        let e = |s| event_phrase("deal", s, 40);
        assert_eq!(e((None, Some(12.4))), "deal fires by step 12");
        assert_eq!(e((None, Some(40.5))), "deal fires");
        assert_eq!(e((Some(41.0), None)), "deal never fires");
        assert_eq!(e((Some(10.2), None)), "deal does not fire before step 11");
        assert_eq!(
            e((Some(3.0), Some(9.0))),
            "deal first fires between steps 3 and 9"
        );
        assert_eq!(e((Some(3.0), Some(3.0))), "deal first fires at step 3");
    }
}
