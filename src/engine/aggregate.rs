//! Streaming aggregates: what a run keeps of its trajectories.
//!
//! Memory depends on the number of metrics, steps and outcomes, and not on the number of
//! trajectories, except for the bloc counts: one entry per distinct final configuration seen
//! (at most the trajectories, and at most 2^(N-1)). Everything is an integer (counts, and sums in fixed point), so merging is
//! exact, commutative and associative: the result is the same bytes whatever the thread
//! count or the order in which chunks finish.

use std::collections::BTreeMap;

use super::levels::Levels;
use crate::model::blocs::{self, Sides, Standing, STANDINGS};
use crate::model::{round_step, OutcomeKind, State, Target, Timing, World};
use crate::scenario::spelling::quoted_name;

/// Histogram bins per metric and step. With 2000 bins a stance or partnership (range
/// [-1, 1]) is resolved to 0.001 and a share (range [0, 1]) to 0.0005; quantiles are
/// interpolated inside their bin, so they are exact to within one bin width, except at the
/// ends of the range, where the values exactly at the end are counted apart (`at_low`,
/// `at_high`) and are the end exactly.
pub const BINS: usize = 2000;

/// Fixed-point scale of the sums behind the means: values are rounded to 2^-40 (about
/// 1e-12) before they are added, in 128-bit integers that cannot overflow.
pub(super) const FIXED_POINT: f64 = (1u64 << 40) as f64;

#[derive(Debug, Clone, PartialEq)]
pub struct Aggregates {
    /// Trajectories folded in.
    pub trajectories: u64,
    /// Recorded points per metric: steps 0..=T.
    pub points: usize,
    pub metrics: usize,
    /// `histogram[(metric * points + t) * BINS + bin]`.
    pub histogram: Vec<u64>,
    /// `sum[metric * points + t]`, in units of 2^-40.
    pub sum: Vec<i128>,
    /// Smallest and largest value of each metric at each step (min and max do not depend on
    /// order, so they merge exactly); quantiles are clamped into them.
    pub low: Vec<f64>,
    pub high: Vec<f64>,
    /// `at_low[metric * points + t]`: values exactly at the low end of the metric's range
    /// (a share of exactly 0, a stance clamped at -1); `at_high` the same at the high end.
    /// A metric often sits exactly there in many trajectories (a supplier that lost its
    /// whole share), and spread over the end bin such a point mass put the 5% quantile a
    /// fraction of a bin inside the range, so an observation of exactly the end fell
    /// outside a band the model reaches. These values are counted in the end bins as well
    /// (an atom is a part of its end bin's count, never more), so the histogram's totals
    /// and everything read from the histogram alone are unchanged.
    pub at_low: Vec<u64>,
    pub at_high: Vec<u64>,
    /// Trajectories in which each outcome held (at the end, or ever).
    pub outcome_count: Vec<u64>,
    /// `first_held[outcome * points + t]`: trajectories whose "ever" outcome first held at t.
    pub first_held: Vec<u64>,
    /// `first_fired[event * points + t]`: trajectories in which the event first fired at t.
    pub first_fired: Vec<u64>,
    /// Total firings of each event over all trajectories.
    pub firings: Vec<u64>,
    /// Sums over trajectories of every final stance `S[i*n + j]` and share
    /// `W[(k*n + i)*n + j]`, in units of 2^-40: the mean world at the end.
    pub final_stance: Vec<i128>,
    pub final_share: Vec<i128>,
    /// Trajectories by final two-bloc split (`model::blocs::split`), only configurations
    /// seen. Sparse, for any number of states: a dense table of 2^(N-1) counters stopped at
    /// 16 states. Not capped here: a cap applied to each worker's counts before merging
    /// would make the result depend on the thread split, so the summary caps what it lists.
    pub blocs: BTreeMap<Sides, u64>,
    /// `standing[i * STANDINGS + s]`: trajectories in which state i ended with standing s
    /// (`model::blocs::Standing`: in the first state's bloc, in the other, or between).
    /// Exclusive, so each state's row counts every trajectory once.
    pub standing: Vec<u64>,
    /// Each level outcome's compared value, on bins with its threshold as an edge
    /// (`engine::levels`): its exceedance curve.
    pub levels: Levels,
    /// The world's `between_partnership`, which the standings are read with. Not a count:
    /// it comes from the scenario, never from a part, and merging does not touch it.
    pub between: f64,
}

impl Aggregates {
    pub fn new(world: &World) -> Self {
        let points = world.steps as usize + 1;
        let metrics = world.metrics.len();
        Aggregates {
            trajectories: 0,
            points,
            metrics,
            histogram: vec![0; metrics * points * BINS],
            sum: vec![0; metrics * points],
            low: vec![f64::INFINITY; metrics * points],
            high: vec![f64::NEG_INFINITY; metrics * points],
            at_low: vec![0; metrics * points],
            at_high: vec![0; metrics * points],
            outcome_count: vec![0; world.outcomes.len()],
            first_held: vec![0; world.outcomes.len() * points],
            first_fired: vec![0; world.events.len() * points],
            firings: vec![0; world.events.len()],
            final_stance: vec![0; world.n() * world.n()],
            final_share: vec![0; world.k() * world.n() * world.n()],
            blocs: BTreeMap::new(),
            standing: vec![0; world.n() * STANDINGS],
            levels: Levels::new(world),
            between: world.between,
        }
    }

    /// Adds one value of metric `m` at step `t`; `range` is the metric's range.
    #[inline]
    pub fn record(&mut self, m: usize, t: usize, value: f64, range: (f64, f64)) {
        let entry = self.record_but_count(m, t, value, range);
        self.histogram[entry] += 1;
    }

    /// `record`, with the histogram's count left to `count_later`: the value's histogram
    /// entry is kept in `later`. A trajectory's entries counted together, at its end, cost
    /// far less than one at a time: the histograms (4.6 MB for baseline.ron) do not stay in
    /// the cache, and a lone count waits for its line while a run of them waits for all
    /// their lines at once. Where the background moves the shares, a run of baseline.ron
    /// spent a sixth of its time on those counts.
    #[inline]
    pub fn record_later(
        &mut self,
        (m, t): (usize, usize),
        value: f64,
        range: (f64, f64),
        later: &mut Vec<usize>,
    ) {
        later.push(self.record_but_count(m, t, value, range));
    }

    /// Counts the histogram entries `record_later` kept, and forgets them.
    pub fn count_later(&mut self, later: &mut Vec<usize>) {
        for &entry in later.iter() {
            self.histogram[entry] += 1;
        }
        later.clear();
    }

    /// Adds a value to the sums and bounds of its cell (a few kilobytes, always in the
    /// cache); returns its histogram entry.
    #[inline]
    fn record_but_count(&mut self, m: usize, t: usize, value: f64, range: (f64, f64)) -> usize {
        let cell = m * self.points + t;
        self.sum[cell] += fixed(value);
        self.low[cell] = self.low[cell].min(value);
        self.high[cell] = self.high[cell].max(value);
        // Added as 0 or 1, without a branch: which trajectories sit at an end is data.
        self.at_low[cell] += u64::from(value == range.0);
        self.at_high[cell] += u64::from(value == range.1);
        cell * BINS + bin_of(value, range)
    }

    /// Folds another set of aggregates into this one.
    pub fn merge(&mut self, other: &Aggregates) {
        assert_eq!(
            (
                self.points,
                self.metrics,
                self.histogram.len(),
                self.outcome_count.len()
            ),
            (
                other.points,
                other.metrics,
                other.histogram.len(),
                other.outcome_count.len()
            ),
            "aggregates of different worlds cannot be merged"
        );
        self.trajectories += other.trajectories;
        add(&mut self.histogram, &other.histogram);
        for (a, b) in self.sum.iter_mut().zip(&other.sum) {
            *a += b;
        }
        for (a, b) in self.low.iter_mut().zip(&other.low) {
            *a = a.min(*b);
        }
        for (a, b) in self.high.iter_mut().zip(&other.high) {
            *a = a.max(*b);
        }
        add(&mut self.at_low, &other.at_low);
        add(&mut self.at_high, &other.at_high);
        add(&mut self.outcome_count, &other.outcome_count);
        add(&mut self.first_held, &other.first_held);
        add(&mut self.first_fired, &other.first_fired);
        add(&mut self.firings, &other.firings);
        for (&sides, &count) in &other.blocs {
            *self.blocs.entry(sides).or_insert(0) += count;
        }
        add(&mut self.standing, &other.standing);
        self.levels.merge(&other.levels);
        for (a, b) in self.final_stance.iter_mut().zip(&other.final_stance) {
            *a += b;
        }
        for (a, b) in self.final_share.iter_mut().zip(&other.final_share) {
            *a += b;
        }
    }

    /// The number of values each field holds in aggregates of `world`, computed without
    /// allocating them (a part read from disk is measured against this before it is used).
    /// The bloc counts have no fixed length: see `check_against`.
    pub fn lengths_for(world: &World) -> [(&'static str, usize); 14] {
        let (n, k, cells) = (world.n(), world.k(), world.metrics.len() * points_of(world));
        [
            ("histogram", cells * BINS),
            ("sum", cells),
            ("low", cells),
            ("high", cells),
            ("at_low", cells),
            ("at_high", cells),
            ("outcome_count", world.outcomes.len()),
            ("first_held", world.outcomes.len() * points_of(world)),
            ("first_fired", world.events.len() * points_of(world)),
            ("firings", world.events.len()),
            ("final_stance", n * n),
            ("final_share", k * n * n),
            ("standing", n * STANDINGS),
            ("levels", Levels::len_for(world)),
        ]
    }

    fn lengths(&self) -> [usize; 14] {
        [
            self.histogram.len(),
            self.sum.len(),
            self.low.len(),
            self.high.len(),
            self.at_low.len(),
            self.at_high.len(),
            self.outcome_count.len(),
            self.first_held.len(),
            self.first_fired.len(),
            self.firings.len(),
            self.final_stance.len(),
            self.final_share.len(),
            self.standing.len(),
            self.levels.counts().len(),
        ]
    }

    /// Checks that aggregates read from outside (a shard's partial result) are what a run of
    /// `world` over `trajectories` trajectories can produce: every length, and every number
    /// consistent with the others as `engine::run` records them. A forger can recompute the
    /// checksums, so this is what stands between an edited number and a wrong result; what
    /// passes cannot overflow a merge or put a number out of its range. The caller names the
    /// file in the error.
    pub fn check_against(&self, world: &World, trajectories: u64) -> Result<(), String> {
        if self.trajectories != trajectories {
            return Err(format!(
                "it holds {} trajectories where its shard has {trajectories}",
                self.trajectories
            ));
        }
        if (self.points, self.metrics) != (points_of(world), world.metrics.len()) {
            return Err(format!(
                "it has {} metrics at {} points, the scenario {} at {}",
                self.metrics,
                self.points,
                world.metrics.len(),
                points_of(world)
            ));
        }
        for ((field, want), got) in Self::lengths_for(world).into_iter().zip(self.lengths()) {
            if got != want {
                return Err(format!(
                    "`{field}` has {got} values, the scenario needs {want}"
                ));
            }
        }
        self.check_metrics(world)?;
        self.check_outcomes(world)?;
        self.check_events(world)?;
        self.check_blocs(world)?;
        self.check_standing(world)?;
        (self.levels).check(world, trajectories, &self.outcome_count)?;
        let stances = self
            .final_stance
            .iter()
            .all(|&s| within_fixed(s, trajectories, (-1.0, 1.0)));
        let shares = self
            .final_share
            .iter()
            .all(|&s| within_fixed(s, trajectories, (0.0, 1.0)));
        if !(stances && shares) {
            return Err("the sums behind the mean final world are out of range".into());
        }
        Ok(())
    }

    /// Each cell (a metric at a step) counts every trajectory once in its histogram; its
    /// smallest and largest values lie in its metric's range and in the lowest and highest
    /// occupied bins (`record` bins the very values it takes the extremes of); and its sum
    /// lies between the trajectories times the smallest and times the largest value, in the
    /// same fixed point, so the mean lies within [low, high] and hence within the occupied
    /// bins' range.
    fn check_metrics(&self, world: &World) -> Result<(), String> {
        let (points, trajectories) = (self.points, self.trajectories);
        let at = |cell: usize| format!("metric {} at step {}", cell / points, cell % points);
        for (cell, counts) in self.histogram.chunks(BINS).enumerate() {
            if total(counts) != Some(trajectories) {
                return Err(format!(
                    "the histogram of {} does not count each of the {trajectories} trajectories once",
                    at(cell)
                ));
            }
            let range = world.metrics[cell / points].range();
            let (low, high) = (self.low[cell], self.high[cell]);
            if !(inside(low, range) && inside(high, range) && low <= high) {
                return Err(format!(
                    "the smallest or largest value of {} is out of range",
                    at(cell)
                ));
            }
            let lowest = counts.iter().position(|&c| c > 0);
            let highest = counts.iter().rposition(|&c| c > 0);
            if (lowest, highest) != (Some(bin_of(low, range)), Some(bin_of(high, range))) {
                return Err(format!(
                    "the smallest or largest value of {} lies outside the bins its histogram occupies",
                    at(cell)
                ));
            }
            self.check_atoms(cell, counts, range, &at)?;
            let times = |x: f64| i128::from(trajectories) * fixed(x);
            if !(times(low)..=times(high)).contains(&self.sum[cell]) {
                return Err(format!(
                    "the mean of {} lies outside its smallest and largest values",
                    at(cell)
                ));
            }
        }
        Ok(())
    }

    /// A cell's values exactly at an end of its range (`at_low`, `at_high`) are a part of
    /// its end bin's count; there are some if its smallest (largest) value is that end, and
    /// none if its smallest (largest) value lies inside the range: `record` counts the very
    /// values it takes the extremes of. (A value may pass an end by a rounding error, a row
    /// of shares summing to 1 + 1e-16: then the extreme is past the end whether or not some
    /// other value is exactly at it.)
    fn check_atoms(
        &self,
        cell: usize,
        counts: &[u64],
        (start, end): (f64, f64),
        at: &dyn Fn(usize) -> String,
    ) -> Result<(), String> {
        let (low, high) = (self.low[cell], self.high[cell]);
        let ends = [
            (
                "at_low",
                "low",
                self.at_low[cell],
                counts[0],
                low == start,
                low <= start,
            ),
            (
                "at_high",
                "high",
                self.at_high[cell],
                counts[BINS - 1],
                high == end,
                high >= end,
            ),
        ];
        for (field, side, atoms, bin, exactly, reached) in ends {
            if atoms > bin {
                return Err(format!(
                    "`{field}` of {} counts {atoms} values at the {side} end of the range, \
                     more than the {bin} of its end bin",
                    at(cell)
                ));
            }
            if (exactly && atoms == 0) || (atoms > 0 && !reached) {
                return Err(format!(
                    "`{field}` of {} ({atoms}) disagrees with its {} value",
                    at(cell),
                    if side == "low" { "smallest" } else { "largest" }
                ));
            }
        }
        Ok(())
    }

    /// Every trajectory ends in exactly one bloc configuration, of the world's states with
    /// state 0 on the first side; a configuration is listed only if some trajectory ended
    /// in it.
    fn check_blocs(&self, world: &World) -> Result<(), String> {
        if let Some(sides) = self.blocs.keys().find(|s| !s.fits(world.n())) {
            return Err(format!(
                "`blocs` lists a configuration {:x?} that is not a split of {} states",
                sides.words(),
                world.n()
            ));
        }
        let counts: Vec<u64> = self.blocs.values().copied().collect();
        if counts.contains(&0) || total(&counts) != Some(self.trajectories) {
            return Err(format!(
                "`blocs` does not count each of the {} trajectories once",
                self.trajectories
            ));
        }
        Ok(())
    }

    /// Each state's standings count every trajectory once; the first state is never in the
    /// other bloc; and a state is firmly on a side in at most as many trajectories as the
    /// bloc counts put it there (a state between the blocs is on one side as well).
    fn check_standing(&self, world: &World) -> Result<(), String> {
        for (i, row) in self.standing.chunks(STANDINGS).enumerate() {
            let name = &world.states[i];
            if total(row) != Some(self.trajectories) {
                return Err(format!(
                    "`standing` of {} does not count each of the {} trajectories once",
                    quoted_name(name),
                    self.trajectories
                ));
            }
            let other: u64 = self
                .blocs
                .iter()
                .filter(|(sides, _)| sides.other(i))
                .map(|(_, &c)| c)
                .sum();
            let first = self.trajectories - other;
            if row[Standing::First as usize] > first || row[Standing::Other as usize] > other {
                return Err(format!(
                    "`standing` of \"{name}\" puts it on a side more often than `blocs` does"
                ));
            }
        }
        Ok(())
    }

    /// An "ever" outcome held in as many trajectories as it first held in, once each; an
    /// outcome judged at the end has no first step.
    fn check_outcomes(&self, world: &World) -> Result<(), String> {
        at_most("outcome_count", &self.outcome_count, 1, self.trajectories)?;
        let rows = self.first_held.chunks(self.points);
        for (o, (outcome, firsts)) in world.outcomes.iter().zip(rows).enumerate() {
            let firsts = total(firsts);
            let ok = match outcome.kind {
                OutcomeKind::Ever => firsts == Some(self.outcome_count[o]),
                OutcomeKind::AtEnd => firsts == Some(0),
            };
            if !ok {
                return Err(format!(
                    "`first_held` of outcome {} does not add up to its `outcome_count`",
                    quoted_name(&outcome.name)
                ));
            }
        }
        Ok(())
    }

    /// An event first fires in at most every trajectory, only at steps it can fire at, and
    /// then fires between once and as often as its timing allows in each of those. Whether
    /// the first firings count exactly the trajectories in which it fired cannot be checked:
    /// that number is not stored anywhere else (for an event that does not repeat it is
    /// `firings`, so there it is checked).
    fn check_events(&self, world: &World) -> Result<(), String> {
        let rows = self.first_fired.chunks(self.points);
        for (e, (event, firsts)) in world.events.iter().zip(rows).enumerate() {
            let steps = 1..=world.steps;
            let possible = steps.filter(|&t| can_fire(world, e, t)).count() as u64;
            let wrong = |why: &str| Err(format!("event {}: {why}", quoted_name(&event.name)));
            if (0..=world.steps).any(|t| firsts[t as usize] > 0 && !can_fire(world, e, t)) {
                return wrong("`first_fired` counts a step at which it cannot fire");
            }
            let fired_in = match total(firsts) {
                Some(n) if n <= self.trajectories => n,
                _ => return wrong("`first_fired` counts more than its trajectories"),
            };
            let most = if event.repeat {
                possible
            } else {
                possible.min(1)
            };
            let firings = self.firings[e];
            if firings < fired_in || firings > fired_in.saturating_mul(most) {
                return wrong(&format!(
                    "`firings` ({firings}) cannot follow from `first_fired` ({fired_in} \
                     trajectories, at most {most} firing(s) each)"
                ));
            }
        }
        Ok(())
    }

    /// Folds in aggregates read from outside, with checked arithmetic: an overflow (or a part
    /// of another world) is an error, never a panic or a wrapped counter. `merge` is the
    /// unchecked form the engine uses on aggregates it made itself.
    pub fn merge_checked(&mut self, other: &Aggregates) -> Result<(), String> {
        if (self.points, self.metrics, self.lengths())
            != (other.points, other.metrics, other.lengths())
        {
            return Err("aggregates of different worlds cannot be merged".into());
        }
        let overflow = || "a counter overflows".to_string();
        self.trajectories = self
            .trajectories
            .checked_add(other.trajectories)
            .ok_or_else(overflow)?;
        for (a, b) in [
            (&mut self.histogram, &other.histogram),
            (&mut self.at_low, &other.at_low),
            (&mut self.at_high, &other.at_high),
            (&mut self.outcome_count, &other.outcome_count),
            (&mut self.first_held, &other.first_held),
            (&mut self.first_fired, &other.first_fired),
            (&mut self.firings, &other.firings),
            (&mut self.standing, &other.standing),
        ] {
            add_checked(a, b, u64::checked_add).ok_or_else(overflow)?;
        }
        for (a, b) in [
            (&mut self.sum, &other.sum),
            (&mut self.final_stance, &other.final_stance),
            (&mut self.final_share, &other.final_share),
        ] {
            add_checked(a, b, i128::checked_add).ok_or_else(overflow)?;
        }
        for (&sides, &count) in &other.blocs {
            let sum = self.blocs.entry(sides).or_insert(0);
            *sum = sum.checked_add(count).ok_or_else(overflow)?;
        }
        self.levels
            .merge_checked(&other.levels)
            .ok_or_else(overflow)?;
        for (a, b) in self.low.iter_mut().zip(&other.low) {
            *a = a.min(*b);
        }
        for (a, b) in self.high.iter_mut().zip(&other.high) {
            *a = a.max(*b);
        }
        Ok(())
    }

    /// Counts one more trajectory in which event `e` first fired at step `t`.
    pub fn record_first_firing(&mut self, e: usize, t: usize) {
        self.first_fired[e * self.points + t] += 1;
    }

    /// Folds in one finished trajectory: whether each outcome held and, for an "ever"
    /// outcome, the step at which it first held; its final world (stances, shares, bloc
    /// split) and how often each event fired.
    pub fn record_trajectory(&mut self, held: &[bool], first_held: &[Option<usize>], end: &State) {
        for (o, (&held, &first)) in held.iter().zip(first_held).enumerate() {
            self.outcome_count[o] += u64::from(held);
            if let Some(t) = first {
                self.first_held[o * self.points + t] += 1;
            }
        }
        for (sum, &x) in self.final_stance.iter_mut().zip(&end.stance) {
            *sum += fixed(x);
        }
        for (sum, &x) in self.final_share.iter_mut().zip(&end.share) {
            *sum += fixed(x);
        }
        let sides = blocs::split(&end.stance, &end.weight, end.n);
        *self.blocs.entry(sides).or_insert(0) += 1;
        for (i, row) in self.standing.chunks_mut(STANDINGS).enumerate() {
            row[Standing::of(&end.stance, end.n, &sides, i, self.between) as usize] += 1;
        }
        for (total, &count) in self.firings.iter_mut().zip(&end.fired) {
            *total += u64::from(count);
        }
        self.trajectories += 1;
    }

    /// Mean over trajectories of a fixed-point sum.
    pub fn mean_of(&self, sum: i128) -> f64 {
        sum as f64 / FIXED_POINT / self.trajectories.max(1) as f64
    }

    pub fn histogram_of(&self, m: usize, t: usize) -> &[u64] {
        let cell = m * self.points + t;
        &self.histogram[cell * BINS..(cell + 1) * BINS]
    }

    pub fn mean(&self, m: usize, t: usize) -> f64 {
        if self.trajectories == 0 {
            return f64::NAN;
        }
        self.sum[m * self.points + t] as f64 / FIXED_POINT / self.trajectories as f64
    }

    /// The values of metric `m` at step `t` exactly at the low and at the high end of its
    /// range (`at_low`, `at_high`).
    pub fn atoms_of(&self, m: usize, t: usize) -> (u64, u64) {
        let cell = m * self.points + t;
        (self.at_low[cell], self.at_high[cell])
    }

    /// The `q`-quantile of metric `m` at step `t` (the end of the range exactly where its
    /// rank falls among the values at that end, otherwise interpolated inside its bin, and
    /// never outside the values actually seen).
    pub fn quantile(&self, m: usize, t: usize, q: f64, range: (f64, f64)) -> f64 {
        let cell = m * self.points + t;
        let x = quantile(self.histogram_of(m, t), self.atoms_of(m, t), q, range);
        if self.low[cell] <= self.high[cell] {
            x.clamp(self.low[cell], self.high[cell])
        } else {
            x
        }
    }

    /// Outcome kinds are needed to tell which first-passage rows are meaningful.
    pub fn median_first_step(&self, outcome: usize, kind: OutcomeKind) -> Option<u32> {
        if kind != OutcomeKind::Ever {
            return None;
        }
        let row = &self.first_held[outcome * self.points..(outcome + 1) * self.points];
        let total: u64 = row.iter().sum();
        if total == 0 {
            return None;
        }
        let mut seen = 0;
        for (t, &count) in row.iter().enumerate() {
            seen += count;
            if 2 * seen >= total {
                return Some(t as u32);
            }
        }
        None
    }

    /// Share of trajectories in which event `e` had fired by each step.
    pub fn fired_by(&self, e: usize) -> Vec<f64> {
        let row = &self.first_fired[e * self.points..(e + 1) * self.points];
        let n = self.trajectories.max(1) as f64;
        let mut seen = 0;
        row.iter()
            .map(|&c| {
                seen += c;
                seen as f64 / n
            })
            .collect()
    }
}

#[inline]
pub(super) fn fixed(x: f64) -> i128 {
    // Through i64 (|x| <= 1, so x * 2^40 fits): a direct f64 -> i128 conversion is a slow
    // library call.
    i128::from((x * FIXED_POINT).round() as i64)
}

fn points_of(world: &World) -> usize {
    world.steps as usize + 1
}

/// The sum of counts, or `None` if it overflows.
fn total(counts: &[u64]) -> Option<u64> {
    counts.iter().try_fold(0u64, |sum, &c| sum.checked_add(c))
}

/// Whether event `e` can fire at step `t` in some trajectory (`model::step::fire_events`):
/// from step 1, inside its window, when its timing comes, where a drawn step, period or
/// window bound may land anywhere in the range of its distribution.
fn can_fire(world: &World, e: usize, t: u32) -> bool {
    let event = &world.events[e];
    let reach = |written: u32, target: Target| {
        let (low, high) = drawn_steps(world, target).unwrap_or((written, written));
        low.min(written)..=high.max(written)
    };
    let timed = match event.timing {
        Timing::At(at) => reach(at, Target::At(e)).contains(&t),
        Timing::Every(every) => reach(every, Target::Every(e)).any(|n| t.is_multiple_of(n)),
        Timing::Hazard => true,
    };
    let first = *reach(event.window.0, Target::WindowFirst(e)).start();
    let last = *reach(event.window.1, Target::WindowLast(e)).end();
    timed && t >= 1 && (first..=last).contains(&t)
}

/// The first and last step a drawn step of `target` can round to, if any number lands there.
fn drawn_steps(world: &World, target: Target) -> Option<(u32, u32)> {
    world
        .params
        .iter()
        .filter(|slot| slot.targets.contains(&target))
        .map(|slot| {
            let (low, high) = slot.sampler.support();
            (round_step(low), round_step(high))
        })
        .reduce(|(a, b), (low, high)| (a.min(low), b.max(high)))
}

/// Slack for values a rounding error outside their range (a row of shares may total
/// 1 + 1e-12).
const SLACK: f64 = 1e-6;

fn inside(x: f64, (low, high): (f64, f64)) -> bool {
    x >= low - SLACK && x <= high + SLACK
}

/// Whether `sum` can be a fixed-point sum of `trajectories` values in `range`.
fn within_fixed(sum: i128, trajectories: u64, range: (f64, f64)) -> bool {
    inside(sum as f64 / FIXED_POINT / trajectories.max(1) as f64, range)
}

/// Refuses `field` if a row of `row` counts (a whole outcome or event, or one counter) adds
/// up to more than `most`.
fn at_most(field: &str, counts: &[u64], row: usize, most: u64) -> Result<(), String> {
    match counts
        .chunks(row.max(1))
        .position(|r| total(r).is_none_or(|t| t > most))
    {
        Some(i) => Err(format!(
            "`{field}` counts more than {most} (row {i}), more than its trajectories allow"
        )),
        None => Ok(()),
    }
}

fn add_checked<T: Copy>(a: &mut [T], b: &[T], add: fn(T, T) -> Option<T>) -> Option<()> {
    for (x, &y) in a.iter_mut().zip(b) {
        *x = add(*x, y)?;
    }
    Some(())
}

fn add(a: &mut [u64], b: &[u64]) {
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
}

#[inline]
pub fn bin_of(value: f64, (low, high): (f64, f64)) -> usize {
    let x = (value - low) / (high - low) * BINS as f64;
    // `as usize` saturates (NaN becomes 0), so no value can index out of bounds.
    (x as usize).min(BINS - 1)
}

/// The `q`-quantile of a histogram over `range` whose first bin holds `at_low` values
/// exactly at the range's low end and whose last bin `at_high` exactly at its high end: the
/// value of rank `q * (count - 1)` (as numpy's default). A rank among the values at an end
/// (the lowest `at_low` ranks, the highest `at_high`) is that end exactly; any other is found
/// in its bin and interpolated uniformly among the bin's other values, so a histogram
/// without values at its ends gives what it gave before they were counted.
pub fn quantile(
    histogram: &[u64],
    (at_low, at_high): (u64, u64),
    q: f64,
    (low, high): (f64, f64),
) -> f64 {
    let total: u64 = histogram.iter().sum();
    if total == 0 {
        return f64::NAN;
    }
    let width = (high - low) / histogram.len() as f64;
    let rank = q * (total - 1) as f64;
    if rank < at_low as f64 {
        return low;
    }
    if rank >= total.saturating_sub(at_high) as f64 {
        return high;
    }
    let last = histogram.len() - 1;
    let mut below = 0u64;
    for (b, &count) in histogram.iter().enumerate() {
        // The ranks of the bin's values that are not at an end: the low end's come first
        // in the first bin, the high end's last in the last bin.
        let (before, after) = (
            if b == 0 { at_low } else { 0 },
            if b == last { at_high } else { 0 },
        );
        let first = below + before;
        let spread = count.saturating_sub(before).saturating_sub(after);
        if spread > 0 && (first + spread) as f64 > rank {
            let inside = (rank - first as f64 + 0.5) / spread as f64;
            return low + width * (b as f64 + inside);
        }
        below += count;
    }
    high
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_of_a_histogram_are_within_one_bin_of_the_exact_ones() {
        let range = (-1.0, 1.0);
        let values: Vec<f64> = (0..1001)
            .map(|i| -0.8 + 1.3 * (i as f64 / 1000.0))
            .collect();
        let mut h = vec![0u64; BINS];
        for &v in &values {
            h[bin_of(v, range)] += 1;
        }
        let width = 2.0 / BINS as f64;
        for q in [0.05, 0.25, 0.5, 0.75, 0.95] {
            let exact = -0.8 + 1.3 * q;
            let got = quantile(&h, (0, 0), q, range);
            assert!((got - exact).abs() <= width, "q {q}: {got} vs {exact}");
        }
    }

    #[test]
    fn values_at_the_edges_of_the_range_land_in_the_end_bins() {
        assert_eq!(bin_of(-1.0, (-1.0, 1.0)), 0);
        assert_eq!(bin_of(1.0, (-1.0, 1.0)), BINS - 1);
        assert_eq!(bin_of(0.0, (0.0, 1.0)), 0);
        assert_eq!(bin_of(f64::NAN, (0.0, 1.0)), 0);
    }

    // Defect (polish trials): a damaged part's message about an outcome printed its name
    // raw, a control character and all, at any length. Now escaped and cut as every name.
    #[test]
    fn a_damaged_parts_outcome_name_is_escaped_and_cut() {
        let mut world = crate::model::fixtures::world(2, 1);
        let name = format!("o\u{1b}[31m{}", "x".repeat(500));
        world.outcomes = vec![crate::model::Outcome {
            name: name.clone(),
            description: String::new(),
            kind: OutcomeKind::AtEnd,
            condition: crate::model::Condition::After(0),
        }];
        let mut part = Aggregates::new(&world);
        part.first_held[0] = 1;
        let why = part.check_outcomes(&world).unwrap_err();
        assert!(why.contains(&quoted_name(&name)), "{why}");
        assert!(!why.contains('\u{1b}'), "{why}");
        assert!(why.len() < 200, "{} bytes: {why}", why.len());
    }

    #[test]
    fn the_lengths_a_part_is_checked_against_are_those_of_new_aggregates() {
        let mut world = crate::model::fixtures::world(3, 2);
        world.metrics = vec![crate::model::Metric::Stance(0, 1)];
        let fresh = Aggregates::new(&world);
        let expected: Vec<usize> = Aggregates::lengths_for(&world)
            .iter()
            .map(|&(_, n)| n)
            .collect();
        assert_eq!(expected, fresh.lengths());
    }

    /// Defect (issue 11, item 6): bloc configurations were a dense table of 2^(N-1)
    /// counters kept only up to 16 states, so a 30-state world counted none. Now they are
    /// counted sparsely for any size, merge the same in either order, and a part whose
    /// counts name a state the world does not have, or list a configuration no trajectory
    /// ended in, is refused.
    #[test]
    fn bloc_counts_are_kept_past_16_states_merged_in_any_order_and_checked() {
        let world = crate::model::fixtures::world(30, 1);
        let mut start = State::new(&world);
        let mut a = Aggregates::new(&world);
        a.record_trajectory(&[], &[], &start);
        a.record_trajectory(&[], &[], &start);
        // Another final world: state 29 alone against everyone else.
        for j in 0..29 {
            start.stance[29 * 30 + j] = -0.9;
            start.stance[j * 30 + 29] = -0.9;
        }
        for i in 0..29 {
            for j in (0..29).filter(|&j| j != i) {
                start.stance[i * 30 + j] = 0.9;
            }
        }
        let mut b = Aggregates::new(&world);
        b.record_trajectory(&[], &[], &start);
        let alone = blocs::split(&start.stance, &start.weight, 30);
        assert!((0..29).all(|i| !alone.other(i)) && alone.other(29));
        let (mut ab, mut ba) = (a.clone(), b.clone());
        ab.merge(&b);
        ba.merge_checked(&a).unwrap();
        assert_eq!(ab, ba);
        assert_eq!(ab.blocs.values().sum::<u64>(), 3);
        assert_eq!(ab.blocs.get(&alone), Some(&1));
        ab.check_against(&world, 3).unwrap();

        let mut beyond = ab.clone();
        *beyond.blocs.get_mut(&alone).unwrap() -= 1;
        beyond.blocs.insert(Sides::from_words([0, 1, 0, 0]), 1);
        let why = beyond.check_against(&world, 3).unwrap_err();
        assert!(why.contains("blocs") && why.contains("30 states"), "{why}");
        let mut empty = ab.clone();
        empty.blocs.insert(Sides::from_words([0b10, 0, 0, 0]), 0);
        assert!(empty
            .check_against(&world, 3)
            .unwrap_err()
            .contains("blocs"));
    }

    /// Issue 11, item 6: per-state standings merge in either order, count each trajectory
    /// once per state, and a part whose standings disagree with its bloc counts or exceed
    /// its trajectories is refused.
    #[test]
    fn standings_merge_in_any_order_and_are_checked_against_the_blocs() {
        let world = crate::model::fixtures::world(5, 1);
        let n = 5;
        let mut end = State::new(&world);
        end.weight = vec![1.0; n];
        end.stance = vec![0.0; n * n];
        // 0, 1 against 2, 3; state 4 a friend of 1 and of 2.
        for i in 0..4 {
            for j in (0..4).filter(|&j| j != i) {
                end.stance[i * n + j] = if (i < 2) == (j < 2) { 0.6 } else { -0.5 };
            }
        }
        for (j, p) in [(1, 0.4), (2, 0.3)] {
            end.stance[4 * n + j] = p;
            end.stance[j * n + 4] = p;
        }
        let mut a = Aggregates::new(&world);
        a.record_trajectory(&[], &[], &end);
        let mut calm = State::new(&world);
        calm.stance = vec![0.0; n * n]; // no partnerships: one bloc, no one between
        let mut b = Aggregates::new(&world);
        b.record_trajectory(&[], &[], &calm);
        b.record_trajectory(&[], &[], &calm);
        let (mut ab, mut ba) = (a.clone(), b.clone());
        ab.merge(&b);
        ba.merge_checked(&a).unwrap();
        assert_eq!(ab, ba);
        ab.check_against(&world, 3).unwrap();
        let row = |i: usize| &ab.standing[i * STANDINGS..(i + 1) * STANDINGS];
        assert_eq!(row(4), [2, 0, 1]);
        assert_eq!(row(3), [2, 1, 0]);
        assert_eq!(row(0), [3, 0, 0]);

        let mut too_many = ab.clone();
        too_many.standing[4 * STANDINGS + 2] += 1;
        let why = too_many.check_against(&world, 3).unwrap_err();
        assert!(why.contains("standing") && why.contains("\"s4\""), "{why}");
        let mut wrong_side = ab.clone();
        wrong_side.standing[STANDINGS] -= 1; // state 1: one "first" becomes "other"
        wrong_side.standing[STANDINGS + 1] += 1;
        let why = wrong_side.check_against(&world, 3).unwrap_err();
        assert!(why.contains("more often than `blocs`"), "{why}");
    }

    /// Counts kept for later (`record_later`, `count_later`) end as counts made at once:
    /// the same histogram, sums and bounds, whatever the order of the values.
    #[test]
    fn counts_kept_for_later_are_the_counts_made_at_once() {
        let world = crate::model::fixtures::world(2, 1);
        let mut at_once = Aggregates::new(&world);
        (at_once.points, at_once.metrics) = (3, 2);
        at_once.histogram = vec![0; 6 * BINS];
        (at_once.sum, at_once.low, at_once.high) = (vec![0; 6], vec![1.0; 6], vec![0.0; 6]);
        (at_once.at_low, at_once.at_high) = (vec![0; 6], vec![0; 6]);
        let mut later = at_once.clone();
        let mut entries = vec![];
        let values = [0.25, -0.5, 0.999, 0.25, 1.0, -1.0, 0.0, 0.7];
        for (v, &value) in values.iter().enumerate() {
            let (m, t) = (v % 2, v % 3);
            at_once.record(m, t, value, (-1.0, 1.0));
            later.record_later((m, t), value, (-1.0, 1.0), &mut entries);
        }
        assert_eq!(
            later.histogram.iter().sum::<u64>(),
            0,
            "nothing counted yet"
        );
        assert_eq!(entries.len(), values.len());
        later.count_later(&mut entries);
        assert!(entries.is_empty(), "each entry is counted once");
        assert_eq!(later, at_once);
    }

    /// Defect (issue 9, item 6): merging parts added counters with `+=`, so a damaged
    /// u64::MAX count wrapped around silently (or panicked on different lengths). Now
    /// `merge_checked` reports an overflow or a mismatch as an error.
    #[test]
    fn merge_checked_refuses_a_wrapped_counter_and_parts_of_another_world() {
        let world = crate::model::fixtures::world(2, 1);
        let mut total = Aggregates::new(&world);
        let mut part = Aggregates::new(&world);
        part.blocs.insert(Sides::default(), u64::MAX);
        total.merge_checked(&part).unwrap();
        assert!(total.merge_checked(&part).is_err());
        let other = Aggregates::new(&crate::model::fixtures::world(3, 1));
        assert!(total.merge_checked(&other).is_err());
    }

    /// Aggregates of one metric, `metric`, over `values` taken as one trajectory each at
    /// step 0, recorded as the engine records them.
    fn recorded(metric: crate::model::Metric, values: &[f64]) -> (World, Aggregates) {
        let mut world = crate::model::fixtures::world(2, 1);
        world.metrics = vec![metric];
        let mut a = Aggregates::new(&world);
        let range = metric.range();
        let end = State::new(&world);
        for &v in values {
            a.record(0, 0, v, range);
            a.record_trajectory(&[], &[], &end);
        }
        // Every trajectory records every point (here the other points hold the same value).
        for t in 1..a.points {
            for &v in values {
                a.record(0, t, v, range);
            }
        }
        (world, a)
    }

    /// 100 shares of exactly 0 and 900 spread over [0.1, 0.9]: a tenth of the mass at 0.
    fn a_tenth_at_zero() -> Vec<f64> {
        let spread = (0..900).map(|i| 0.1 + 0.8 * f64::from(i) / 899.0);
        std::iter::repeat_n(0.0, 100).chain(spread).collect()
    }

    /// Defect (atoms): a share of exactly 0 in a tenth of the trajectories had its 5%
    /// quantile interpolated inside the first bin (0.000237 here), although the value at
    /// rank 0.05 (N - 1) is 0 exactly; so an observation of 0 lay outside the 90% band. Now
    /// the values at the end are counted apart and the quantile of a rank among them is the
    /// end itself; the median, far from the end, is what the bins alone give.
    #[test]
    fn a_tenth_of_the_mass_exactly_at_0_puts_the_5_percent_quantile_at_0_exactly() {
        let values = a_tenth_at_zero();
        let (_, a) = recorded(crate::model::Metric::Share(0, 1, 0), &values);
        let range = (0.0, 1.0);
        assert_eq!(a.atoms_of(0, 0), (100, 0));
        assert_eq!(a.quantile(0, 0, 0.05, range), 0.0);
        assert_eq!(
            a.quantile(0, 0, 0.099, range),
            0.0,
            "rank 98.9 is among the 100"
        );
        assert!(
            a.quantile(0, 0, 0.101, range) >= 0.1,
            "rank 100.9 is past them"
        );
        let bins_alone = quantile(a.histogram_of(0, 0), (0, 0), 0.5, range);
        assert_eq!(a.quantile(0, 0, 0.5, range), bins_alone);
        // numpy: the value of rank 499.5, between the spread values 399 and 400.
        let exact = 0.1 + 0.8 * 399.5 / 899.0;
        assert!((a.quantile(0, 0, 0.5, range) - exact).abs() <= 1.0 / BINS as f64);
    }

    /// The same at the high end: a stance clamped at exactly 1 in a tenth of the
    /// trajectories is the 95% quantile exactly.
    #[test]
    fn a_tenth_of_the_mass_exactly_at_the_high_end_puts_the_95_percent_quantile_there() {
        let values: Vec<f64> = a_tenth_at_zero().iter().map(|v| 1.0 - 2.0 * v).collect();
        let (_, a) = recorded(crate::model::Metric::Stance(0, 1), &values);
        let range = (-1.0, 1.0);
        assert_eq!(a.atoms_of(0, 0), (0, 100));
        assert_eq!(a.quantile(0, 0, 0.95, range), 1.0);
        assert!(a.quantile(0, 0, 0.05, range) < 0.0);
        let bins_alone = quantile(a.histogram_of(0, 0), (0, 0), 0.5, range);
        assert_eq!(a.quantile(0, 0, 0.5, range), bins_alone);
    }

    /// Every value at an end, and a single trajectory: the quantiles are the end, and a
    /// part of them merges and checks.
    #[test]
    fn a_metric_whose_every_value_is_at_an_end_is_that_end_at_every_quantile() {
        for (values, end) in [(vec![0.0; 7], 0.0), (vec![1.0; 7], 1.0), (vec![1.0], 1.0)] {
            let (world, a) = recorded(crate::model::Metric::Share(0, 1, 0), &values);
            for q in [0.0, 0.05, 0.5, 0.95, 1.0] {
                assert_eq!(a.quantile(0, 0, q, (0.0, 1.0)), end, "{values:?} q {q}");
            }
            a.check_against(&world, values.len() as u64).unwrap();
        }
    }

    /// The counts at the ends merge as integers, in either order, into the counts of one
    /// run over all the values; and merged parts pass the checks a part read from disk
    /// must pass.
    #[test]
    fn counts_at_the_ends_merge_in_any_order_into_those_of_one_run() {
        let metric = crate::model::Metric::Stance(0, 1);
        let values: Vec<f64> = (0..40).map(|i| [-1.0, 1.0, 0.3, -0.999][i % 4]).collect();
        let (world, whole) = recorded(metric, &values);
        let (_, a) = recorded(metric, &values[..13]);
        let (_, b) = recorded(metric, &values[13..]);
        let (mut ab, mut ba) = (a.clone(), b.clone());
        ab.merge(&b);
        ba.merge_checked(&a).unwrap();
        assert_eq!(ab, ba);
        assert_eq!(ab, whole);
        assert_eq!(whole.atoms_of(0, 3), (10, 10));
        whole.check_against(&world, 40).unwrap();
    }

    /// A part whose counts at an end exceed the end bin's count, or say there are values at
    /// an end where its smallest value is not that end (or none where it is), is refused,
    /// naming the field and the cell.
    #[test]
    fn a_part_with_forged_counts_at_the_ends_is_refused() {
        let values = a_tenth_at_zero();
        let (world, a) = recorded(crate::model::Metric::Share(0, 1, 0), &values);
        let n = values.len() as u64;
        a.check_against(&world, n).unwrap();
        let mut above = a.clone();
        above.at_low[2] = 101;
        let why = above.check_against(&world, n).unwrap_err();
        assert!(
            why.contains("`at_low` of metric 0 at step 2")
                && why.contains("the 100 of its end bin"),
            "{why}"
        );
        let mut none = a.clone();
        none.at_low[1] = 0;
        let why = none.check_against(&world, n).unwrap_err();
        assert!(
            why.contains("`at_low` of metric 0 at step 1 (0) disagrees with its smallest"),
            "{why}"
        );
        let mut phantom = a.clone();
        phantom.at_high[0] = 1; // the largest value is 0.9, and the last bin is empty
        let why = phantom.check_against(&world, n).unwrap_err();
        assert!(
            why.contains("`at_high`") && why.contains("more than the 0"),
            "{why}"
        );
        let mut huge = a.clone();
        huge.at_low[0] = u64::MAX;
        assert!(huge.check_against(&world, n).is_err());
    }

    /// A hostile histogram: counts at the ends larger than their bins (which
    /// `check_against` refuses before any quantile is read) give a value in the range, not
    /// a panic.
    #[test]
    fn quantiles_of_counts_at_the_ends_larger_than_their_bins_do_not_panic() {
        let mut h = vec![0u64; BINS];
        (h[0], h[7], h[BINS - 1]) = (2, 3, 1);
        for atoms in [(u64::MAX, 0), (0, u64::MAX), (u64::MAX, u64::MAX), (9, 9)] {
            for q in [0.0, 0.3, 0.5, 1.0] {
                let x = quantile(&h, atoms, q, (0.0, 1.0));
                assert!((0.0..=1.0).contains(&x), "{atoms:?} {q}: {x}");
            }
        }
    }

    /// Found while this was written (a two-shard merge of putin_visit.ron refused its own
    /// part): a row of shares may sum to a rounding error past 1, so a cell's largest value
    /// can lie past the end while other values sit exactly at it. Such a part is what the
    /// engine writes, and passes; its quantiles stay inside the values seen.
    #[test]
    fn a_value_a_rounding_error_past_the_end_beside_values_at_it_passes_the_checks() {
        let past = 1.0 + f64::EPSILON;
        let (world, a) = recorded(crate::model::Metric::Dependence(0, 0), &[0.5, 1.0, past]);
        assert_eq!((a.atoms_of(0, 0), a.high[0]), ((0, 1), past));
        a.check_against(&world, 3).unwrap();
        assert_eq!(a.quantile(0, 0, 1.0, (0.0, 1.0)), 1.0);
        let mut none = a.clone();
        none.at_high[0] = 0;
        none.check_against(&world, 3).unwrap(); // as if only the value past 1 reached it
                                                // In the last bin, short of the end: no value can be at the end.
        let (world, mut forged) = recorded(crate::model::Metric::Dependence(0, 0), &[0.5, 0.9996]);
        forged.at_high[0] = 1;
        let why = forged.check_against(&world, 2).unwrap_err();
        assert!(
            why.contains("`at_high` of metric 0 at step 0 (1) disagrees with its largest"),
            "{why}"
        );
    }
}
