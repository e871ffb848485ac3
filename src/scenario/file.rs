//! The scenario file as an analyst writes it: RON, deserialised with serde.
//!
//! These types mirror the file one to one and hold names, not indices. Nothing here is
//! checked beyond what serde checks (field names, types); `compile` checks ranges and names and
//! turns the result into the index-based `model::World`.
//!
//! Every struct rejects unknown fields, so a misspelt field is an error with a position,
//! not a silently ignored line.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::param_path::StateParam;

mod unique_keys;

/// One scenario file: one world, its events, and the questions asked of it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename = "Scenario")]
pub struct ScenarioFile {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// What one step stands for, in words ("quarter", "year"); used in labels.
    #[serde(default = "default_step_unit")]
    pub step: String,
    /// The date of step 1 (`"2018Q3"` with quarters, `"2018-07"` with months, `"2018"` with
    /// years): steps may then be written as dates, and every output carries them
    /// (`scenario::calendar`).
    #[serde(default)]
    pub start: Option<String>,
    /// How many steps each trajectory runs.
    pub steps: i64,
    /// How many trajectories a run simulates (the `--trajectories` flag overrides it).
    #[serde(default = "default_trajectories")]
    pub trajectories: i64,
    /// Master seed (the `--seed` flag overrides it).
    #[serde(default)]
    pub seed: i64,
    /// Whether the initial state is a fixed point of the dynamics for every parameter draw
    /// (`model::rest`); `affinities` are then departures from rest. True unless the file
    /// says false: a starting world that drifts by itself answered 97.6% where at rest it
    /// answered 8.0% (issue 22), and nothing said so.
    #[serde(default = "at_rest_by_default")]
    pub at_rest: bool,
    /// Dependency channels, e.g. `["aid", "arms", "energy", "trade"]`.
    #[serde(default)]
    pub channels: Vec<String>,
    pub states: Vec<StateDef>,
    /// Initial stances `(from, to, value)`, directed, in [-1, 1]; unlisted pairs start at 0.
    /// A value may be a range, drawn once per trajectory (`stance.<from>.<to>`).
    #[serde(default)]
    pub stances: Vec<(String, String, Value)>,
    /// Baseline affinities `(from, to, value)`, directed; unlisted pairs are 0. A value may
    /// be a range (`affinity.<from>.<to>`).
    #[serde(default)]
    pub affinities: Vec<(String, String, Value)>,
    /// Dependency ties: the share of `from`'s needs in `channel` supplied by `to`.
    #[serde(default)]
    pub ties: Vec<TieDef>,
    #[serde(default)]
    pub params: ParamsDef,
    /// What happens that no listed event explains (`docs/src/reference/background.md`): omitted,
    /// the defaults; `None`, nothing; `Background(jump_rate: ..., ...)`, other values.
    #[serde(default)]
    pub background: BackgroundDef,
    #[serde(default)]
    pub events: Vec<EventDef>,
    #[serde(default)]
    pub outcomes: Vec<OutcomeDef>,
    /// Metrics tracked over time (quantile bands, final distributions, plots).
    #[serde(default)]
    pub metrics: Vec<MetricDef>,
    /// Named groups of the file's ranges that `simulate sensitivity` varies together, each
    /// a list of paths in which `*` stands for any run of characters:
    /// `groups: { "us_pressure": ["event.us_aid_cut.*", "stance.USA.Pakistan"] }`.
    #[serde(default, deserialize_with = "unique_keys::unique")]
    pub groups: BTreeMap<String, Vec<String>>,
    /// The partnership a state must keep with a member of each bloc to read as *between*
    /// the blocs (`Between(...)`, per-state standings), in [0, 1).
    #[serde(default = "default_between")]
    pub between_partnership: f64,
    /// The rest of the world as a supplier (`Others`, `model::others`): how it is drawn to
    /// by the replicator. Writing it, or naming `Others` anywhere, brings it into the world.
    #[serde(default)]
    pub others: Option<OthersDef>,
}

/// `others: Others(attractiveness: 0.1)`: the rest of the world's stance-like pull in the
/// replicator, in [-1, 1], in place of a partnership (0, the default: neither drawn to nor
/// away from, as self-reliance is).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename = "Others")]
pub struct OthersDef {
    #[serde(default)]
    pub attractiveness: f64,
}

impl ScenarioFile {
    /// Whether the world has a background: unless the file says `background: None`, and,
    /// when it leaves the field out, only if its steps are a unit of time (a file of bare
    /// "step"s has no year to measure the background's rates in).
    pub fn has_background(&self) -> bool {
        match self.background {
            BackgroundDef::None => false,
            BackgroundDef::Omitted => unit_steps_per_year(&self.step).is_some(),
            BackgroundDef::Background { .. } => true,
        }
    }
}

/// Steps in a year of a `step` that is a unit of time the background knows ("quarter":
/// 4), in the singular or the plural, any case.
pub fn unit_steps_per_year(unit: &str) -> Option<f64> {
    let unit = unit.trim().to_lowercase();
    let unit = unit.strip_suffix('s').unwrap_or(&unit);
    Some(match unit {
        "year" => 1.0,
        "half-year" | "half year" => 2.0,
        "quarter" => 4.0,
        "month" => 12.0,
        "week" => 52.0,
        "day" => 365.0,
        _ => return None,
    })
}

fn default_between() -> f64 {
    crate::model::blocs::DEFAULT_BETWEEN
}

fn default_step_unit() -> String {
    "step".to_string()
}

fn default_trajectories() -> i64 {
    1000
}

fn at_rest_by_default() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename = "State")]
pub struct StateDef {
    pub name: String,
    /// Weight (power) of the state in others' balance terms; must be positive. May be a
    /// range (`weight.<state>`).
    #[serde(default = "one")]
    pub weight: Value,
}

fn one() -> Value {
    Value::Fixed(1.0)
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename = "Tie")]
pub struct TieDef {
    pub from: String,
    pub to: String,
    pub channel: String,
    /// May be a range (`share.<channel>.<from>.<to>`); a drawn row above 1 is scaled back.
    pub share: Value,
}

/// A number, or a distribution sampled once per trajectory.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Value {
    Fixed(f64),
    Sampled(Distribution),
}

impl From<f64> for Value {
    fn from(x: f64) -> Self {
        Value::Fixed(x)
    }
}

impl Value {
    /// The number, when it is one (not a range).
    pub fn fixed(&self) -> Option<f64> {
        match *self {
            Value::Fixed(x) => Some(x),
            Value::Sampled(_) => None,
        }
    }
}

/// A step (`at`, `every`, a window's bound): a whole step, or a distribution over steps,
/// drawn once per trajectory and rounded to the nearest whole step, or a date (`"2019Q1"`)
/// in a file with a `start`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Steps {
    Fixed(i64),
    Sampled(Distribution),
    Date(String),
}

impl From<i64> for Steps {
    fn from(x: i64) -> Self {
        Steps::Fixed(x)
    }
}

impl Steps {
    /// The step, when it is one (not a range).
    pub fn fixed(&self) -> Option<i64> {
        match *self {
            Steps::Fixed(x) => Some(x),
            Steps::Sampled(_) | Steps::Date(_) => None,
        }
    }
}

/// Distributions a parameter can be drawn from, once per trajectory.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub enum Distribution {
    /// `Uniform(low, high)`.
    Uniform(f64, f64),
    /// `Normal(mean, sd)`, truncated to the parameter's valid range.
    Normal(f64, f64),
    /// `Beta(a, b)` on [0, 1].
    Beta(f64, f64),
    /// `Triangular(low, mode, high)`.
    Triangular(f64, f64, f64),
    /// `Guess(low, likely, high)`: a three-point estimate, drawn as PERT (a Beta on
    /// [low, high] with its mode at `likely` and lambda = 4; mean (low + 4 likely + high) / 6).
    Guess(f64, f64, f64),
}

/// Model parameters (README, "The model"). Every field has a default, so `params: Params()` is valid.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename = "Params")]
pub struct ParamsDef {
    /// Adjustment rate of stances toward their targets, in (0, 1].
    #[serde(default = "default_eta")]
    pub eta: Value,
    /// Standard deviation of the per-step stance noise, >= 0.
    #[serde(default = "default_sigma")]
    pub sigma: Value,
    /// Weight of structural balance.
    #[serde(default = "default_gamma")]
    pub gamma: Value,
    /// Weight of patron leverage.
    #[serde(default = "default_lambda")]
    pub lambda: Value,
    /// Pull of dependency, per channel (unlisted channels: 1.0).
    #[serde(default, deserialize_with = "unique_keys::unique")]
    pub beta: BTreeMap<String, Value>,
    /// Responsiveness of supply shares to partnership, per channel (unlisted: 0.3).
    #[serde(default, deserialize_with = "unique_keys::unique")]
    pub kappa: BTreeMap<String, Value>,
    /// Stickiness of supply structures, per channel, in [0, 1] (unlisted: 0.05).
    #[serde(default, deserialize_with = "unique_keys::unique")]
    pub rho: BTreeMap<String, Value>,
    /// Per-state overrides of `eta`, `sigma`, `gamma`, `lambda` and `beta`.
    #[serde(default, deserialize_with = "unique_keys::unique")]
    pub overrides: BTreeMap<String, StateParamsDef>,
}

impl Default for ParamsDef {
    fn default() -> Self {
        ParamsDef {
            eta: default_eta(),
            sigma: default_sigma(),
            gamma: default_gamma(),
            lambda: default_lambda(),
            beta: BTreeMap::new(),
            kappa: BTreeMap::new(),
            rho: BTreeMap::new(),
            overrides: BTreeMap::new(),
        }
    }
}

// Defaults are the reference workload's values (benches/README.md), so that a file
// that says nothing about parameters runs the reference form.
pub const DEFAULT_ETA: f64 = 0.1;
pub const DEFAULT_SIGMA: f64 = 0.05;
pub const DEFAULT_GAMMA: f64 = 0.8;
pub const DEFAULT_LAMBDA: f64 = 0.5;
pub const DEFAULT_BETA: f64 = 1.0;
pub const DEFAULT_KAPPA: f64 = 0.3;
pub const DEFAULT_RHO: f64 = 0.05;

fn default_eta() -> Value {
    Value::Fixed(DEFAULT_ETA)
}
fn default_sigma() -> Value {
    Value::Fixed(DEFAULT_SIGMA)
}
fn default_gamma() -> Value {
    Value::Fixed(DEFAULT_GAMMA)
}
fn default_lambda() -> Value {
    Value::Fixed(DEFAULT_LAMBDA)
}

/// The `background` field. Each value left out takes its default
/// (`scenario::compile::background`); each may be a distribution, drawn per trajectory.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum BackgroundDef {
    /// The field is not written: the defaults, if the file's steps are a unit of time.
    #[default]
    #[serde(skip)]
    Omitted,
    /// `background: None`: no background (regression pins, worlds computed by hand).
    None,
    Background {
        #[serde(default)]
        jump_rate: Option<Value>,
        #[serde(default)]
        jump_scale: Option<Value>,
        #[serde(default)]
        supplier_rate: Option<Value>,
        #[serde(default)]
        supplier_size: Option<Value>,
        #[serde(default)]
        exit_rate: Option<Value>,
        /// Needed when `step` is not a unit of time the background knows.
        #[serde(default)]
        steps_per_year: Option<f64>,
    },
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename = "Override")]
pub struct StateParamsDef {
    #[serde(default)]
    pub eta: Option<Value>,
    #[serde(default)]
    pub sigma: Option<Value>,
    #[serde(default)]
    pub gamma: Option<Value>,
    #[serde(default)]
    pub lambda: Option<Value>,
    #[serde(default, deserialize_with = "unique_keys::unique")]
    pub beta: BTreeMap<String, Value>,
}

/// A per-state parameter's fields, named in one place: the compiler reads them and a
/// variant's `SetParam` writes them through these, so a new per-state parameter is added
/// here and in `StateParam`, nowhere else.
impl ParamsDef {
    /// The scenario-wide value of a per-state parameter.
    pub fn scenario_wide(&self, param: StateParam) -> &Value {
        match param {
            StateParam::Eta => &self.eta,
            StateParam::Sigma => &self.sigma,
            StateParam::Gamma => &self.gamma,
            StateParam::Lambda => &self.lambda,
        }
    }

    pub fn scenario_wide_mut(&mut self, param: StateParam) -> &mut Value {
        match param {
            StateParam::Eta => &mut self.eta,
            StateParam::Sigma => &mut self.sigma,
            StateParam::Gamma => &mut self.gamma,
            StateParam::Lambda => &mut self.lambda,
        }
    }
}

impl StateParamsDef {
    /// A state's override of a per-state parameter, if it has one.
    pub fn overridden(&self, param: StateParam) -> Option<&Value> {
        match param {
            StateParam::Eta => self.eta.as_ref(),
            StateParam::Sigma => self.sigma.as_ref(),
            StateParam::Gamma => self.gamma.as_ref(),
            StateParam::Lambda => self.lambda.as_ref(),
        }
    }

    /// A state's override of a per-state parameter, as written (None: no override).
    pub fn overridden_mut(&mut self, param: StateParam) -> &mut Option<Value> {
        match param {
            StateParam::Eta => &mut self.eta,
            StateParam::Sigma => &mut self.sigma,
            StateParam::Gamma => &mut self.gamma,
            StateParam::Lambda => &mut self.lambda,
        }
    }
}

/// Something that may happen during a trajectory.
///
/// Timing: exactly one of `at` (one step), `every` (steps n, 2n, 3n, ...) or `hazard`
/// (a per-step probability), optionally restricted to `window: (first, last)` steps.
/// An event fires at most once unless `repeat: true`; `every` events repeat unless
/// `repeat: false`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename = "Event")]
pub struct EventDef {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// The state that acts (documentation and reports; must name a state).
    #[serde(default)]
    pub actor: Option<String>,
    #[serde(default)]
    pub at: Option<Steps>,
    #[serde(default)]
    pub every: Option<Steps>,
    #[serde(default)]
    pub hazard: Option<Value>,
    #[serde(default)]
    pub window: Option<(Steps, Steps)>,
    #[serde(default)]
    pub when: Option<ConditionDef>,
    #[serde(default)]
    pub repeat: Option<bool>,
    #[serde(default)]
    pub effects: Vec<EffectDef>,
    /// The choice group the event belongs to (docs/src/reference/events.md, "Choice
    /// groups"): of the events that name the same group, at most one fires per trajectory.
    #[serde(default)]
    pub choice: Option<String>,
    /// A hazard by cases: `(condition, hazard)` pairs, the first whose condition holds gives
    /// the step's hazard, and `hazard` applies when none does (`event.<name>.hazard.case.<N>`).
    #[serde(default)]
    pub cases: Vec<(ConditionDef, Value)>,
    /// Effects of random direction: `(weight, effects)` sets, one drawn each time the event
    /// fires, in proportion to the weights, after the event's own `effects`. A weight may be
    /// a range (`event.<name>.one_of.<D>`).
    #[serde(default)]
    pub one_of: Vec<(Value, Vec<EffectDef>)>,
}

/// What an event does to the world.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub enum EffectDef {
    /// A shock to `from`'s stance toward `to` (fades as the stance returns to its target).
    Stance(String, String, Change),
    /// The same shock to both stances of a pair.
    Mutual(String, String, Change),
    /// A lasting change of `from`'s baseline affinity toward `to`.
    Affinity(String, String, Change),
    /// The same lasting change in both directions.
    MutualAffinity(String, String, Change),
    /// A lasting change of a supply share and its structural anchor.
    Share(String, String, String, Change),
    /// A change of a supply share only; its anchor pulls it back.
    TransientShare(String, String, String, Change),
    /// A change of a model parameter, addressed by path (`eta`, `eta.Pakistan`, `beta.aid`...).
    Param(String, Change),
    /// `Delay(steps, effect)`: the effect lands `steps` steps after the event fires. The
    /// steps may be a range (`event.<name>.effect.<N>.delay`).
    Delay(Steps, Box<EffectDef>),
    /// `Over(steps, effect)`: the effect lands in `steps` equal parts, one a step, the first
    /// when the event fires (`model::lag`); a range too (`event.<name>.effect.<N>.over`).
    Over(Steps, Box<EffectDef>),
}

impl EffectDef {
    /// How the effect changes its number.
    pub fn change(&self) -> &Change {
        match self {
            EffectDef::Stance(.., c)
            | EffectDef::Mutual(.., c)
            | EffectDef::Affinity(.., c)
            | EffectDef::MutualAffinity(.., c)
            | EffectDef::Share(.., c)
            | EffectDef::TransientShare(.., c)
            | EffectDef::Param(_, c) => c,
            EffectDef::Delay(_, inner) | EffectDef::Over(_, inner) => inner.change(),
        }
    }
}

/// How an effect changes a number; the amount may be a range (`event.<name>.effect.<N>`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub enum Change {
    Add(Value),
    Scale(Value),
    Set(Value),
    /// Of a share only: the supplier gains `x` of the recipient's need, taken from the
    /// other suppliers (`Others` among them) in proportion to their shares, and from
    /// self-reliance too if the second value says `WithSelfReliance` (`model::shift`).
    Gain(Value, #[serde(default)] Among),
    /// Of a share only: the supplier loses `x`, spread over the other suppliers in
    /// proportion (and self-reliance if `WithSelfReliance`).
    Lose(Value, #[serde(default)] Among),
}

/// Who a `Gain` takes from and a `Lose` gives to, besides the shifted supplier.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum Among {
    /// The other suppliers: the states and `Others` (the default).
    #[default]
    Suppliers,
    /// The other suppliers and self-reliance.
    WithSelfReliance,
}

impl Change {
    pub fn amount(&self) -> &Value {
        match self {
            Change::Add(x) | Change::Scale(x) | Change::Set(x) => x,
            Change::Gain(x, _) | Change::Lose(x, _) => x,
        }
    }
}

/// Something that is true or false of a trajectory at a step.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub enum ConditionDef {
    Above(MetricDef, f64),
    Below(MetricDef, f64),
    /// The named event has fired (at an earlier step, or earlier in this step).
    After(String),
    All(Vec<ConditionDef>),
    Any(Vec<ConditionDef>),
    Not(Box<ConditionDef>),
    /// The two states are in the same bloc of the current partnership matrix (two blocs,
    /// from the weighted leading eigenvector; README, "The model").
    SameBloc(String, String),
    /// The state keeps a partnership above `between_partnership` with a member of each
    /// bloc: it hedges between them.
    Between(String),
}

/// A number read off one trajectory at one step.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub enum MetricDef {
    Stance(String, String),
    Partnership(String, String),
    Share(String, String, String),
    Dependence(String, String),
    /// 1 when the two states are in the same bloc, else 0 (plotted, its mean is a probability).
    SameBloc(String, String),
    /// The trailing mean of a metric over the last k steps (fewer at the start), so a
    /// periodic event at the last step cannot decide a question about a level.
    Average(Box<MetricDef>, i64),
}

/// A question asked of every trajectory: does `at_end` hold at the last step, or does
/// `ever` hold at some step (and from which step on)?
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename = "Outcome")]
pub struct OutcomeDef {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub at_end: Option<ConditionDef>,
    #[serde(default)]
    pub ever: Option<ConditionDef>,
}
