//! The compiled world: everything a trajectory needs, with names resolved to indices.
//!
//! Built once by `scenario::compile`; read-only afterwards and shared by every worker. The
//! hot loop reads these flat vectors and never looks up a name.

use super::{Average, Background, Condition, Event, Metric, Others, ParamSlot, Rest};

/// The compiled form of one scenario file.
#[derive(Debug, Clone)]
pub struct World {
    pub name: String,
    pub description: String,
    /// What one step stands for ("quarter").
    pub step_unit: String,
    /// The date of each step, when the file gives a `start`.
    pub calendar: Option<super::calendar::Calendar>,
    pub steps: u32,
    pub trajectories: u64,
    pub seed: u64,
    pub states: Vec<String>,
    pub channels: Vec<String>,
    /// `c[i]`, the weight (power) of each state.
    pub weight: Vec<f64>,
    /// Initial stances `S[i*n + j]`.
    pub stance: Vec<f64>,
    /// Baseline affinities `A[i*n + j]`; in a world at rest, departures from rest.
    pub affinity: Vec<f64>,
    /// `Some` when the file asks for `at_rest: true`: each trajectory's affinities are then
    /// solved from its parameters so that the initial state does not move (`model::rest`).
    pub rest: Option<Rest>,
    /// Initial shares `W[(k*n + i)*n + j]`; also the initial anchors. The diagonal
    /// `W[k][i][i]` is the rest of the world's share (`model::others`), 0 without it.
    pub share: Vec<f64>,
    /// `Some` when the file names the rest of the world (`Others`).
    pub others: Option<Others>,
    /// Parameters, each fixed or sampled once per trajectory.
    pub params: Vec<ParamSlot>,
    /// What happens that no listed event explains (`model::background`); `None` when the
    /// file says `background: None` or its steps are not a unit of time.
    pub background: Option<Background>,
    pub events: Vec<Event>,
    pub outcomes: Vec<Outcome>,
    /// Metrics tracked over time.
    pub metrics: Vec<Metric>,
    /// The averaged metrics that `Metric::Average` points into, each listed once.
    pub averages: Vec<Average>,
    /// The partnership a state must keep with a member of each bloc to be *between* the
    /// blocs (`model::blocs::Standing`; the file's `between_partnership`).
    pub between: f64,
    /// Stances, affinities and ties the scenario file writes, zeros included: what loading
    /// it held in memory (`engine::estimate`), which the nonzero values cannot tell.
    pub written_entries: u64,
}

impl World {
    /// A world of `states` and `channels` in which nothing is written yet: weights 1, every
    /// stance, affinity and share 0, no parameter (each is 0), background, event, outcome or
    /// metric; one trajectory of one step, seed 0. A world built in code (a test, a tool)
    /// starts from this one and sets what it needs, so that a field added to `World` later gets
    /// its value here once instead of in every such world:
    ///
    /// ```
    /// use entente::model::World;
    ///
    /// let world = World {
    ///     steps: 3,
    ///     stance: vec![0.0, 0.2, -0.3, 0.0],
    ///     ..World::new(["A", "B"], ["aid"])
    /// };
    /// assert_eq!((world.n(), world.k(), world.share.len()), (2, 1, 4));
    /// ```
    pub fn new(
        states: impl IntoIterator<Item = impl Into<String>>,
        channels: impl IntoIterator<Item = impl Into<String>>,
    ) -> World {
        let states: Vec<String> = states.into_iter().map(Into::into).collect();
        let channels: Vec<String> = channels.into_iter().map(Into::into).collect();
        let (n, k) = (states.len(), channels.len());
        World {
            name: "world".into(),
            description: String::new(),
            step_unit: "step".into(),
            calendar: None,
            steps: 1,
            trajectories: 1,
            seed: 0,
            states,
            channels,
            weight: vec![1.0; n],
            stance: vec![0.0; n * n],
            affinity: vec![0.0; n * n],
            rest: None,
            share: vec![0.0; k * n * n],
            others: None,
            params: Vec::new(),
            background: None,
            events: Vec::new(),
            outcomes: Vec::new(),
            metrics: Vec::new(),
            averages: Vec::new(),
            between: super::blocs::DEFAULT_BETWEEN,
            written_entries: 0,
        }
    }

    pub fn n(&self) -> usize {
        self.states.len()
    }

    pub fn k(&self) -> usize {
        self.channels.len()
    }

    /// A metric's name in the analyst's words, e.g. `Partnership(Pakistan, Russia)`.
    /// The event that outcome `o` only reads back, if its condition asks nothing else
    /// (`Condition::reads_back`).
    pub fn reads_back(&self, o: usize) -> Option<&str> {
        let e = self.outcomes.get(o)?.condition.reads_back()?;
        self.events.get(e).map(|e| e.name.as_str())
    }

    pub fn metric_label(&self, metric: &Metric) -> String {
        let s = |i: usize| self.states[i].as_str();
        let c = |k: usize| self.channels[k].as_str();
        match *metric {
            Metric::Stance(i, j) => format!("Stance({}, {})", s(i), s(j)),
            Metric::Partnership(i, j) => format!("Partnership({}, {})", s(i), s(j)),
            Metric::Share(i, j, k) => {
                let supplier = if i == j { super::OTHERS } else { s(j) };
                format!("Share({}, {supplier}, {})", s(i), c(k))
            }
            Metric::Dependence(i, k) => format!("Dependence({}, {})", s(i), c(k)),
            Metric::SameBloc(i, j) => format!("SameBloc({}, {})", s(i), s(j)),
            Metric::Average { slot, .. } => {
                let average = &self.averages[slot];
                let of = self.metric_label(&average.metric);
                format!("Average({of}, {})", average.steps)
            }
        }
    }
}

/// When an outcome is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutcomeKind {
    /// The condition holds at the last step.
    AtEnd,
    /// The condition holds at some step (0 included); the first such step is recorded.
    Ever,
}

impl OutcomeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OutcomeKind::AtEnd => "at_end",
            OutcomeKind::Ever => "ever",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Outcome {
    pub name: String,
    pub description: String,
    pub kind: OutcomeKind,
    pub condition: Condition,
}
