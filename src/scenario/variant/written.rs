//! A variant file as written: its base, its name and its changes, as serde reads them.

use serde::Deserialize;

use crate::scenario::file::{EventDef, MetricDef, OutcomeDef, Steps, Value};

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
    pub(super) fn keyword(&self) -> &'static str {
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
