//! From aggregates to answers: probabilities, intervals, quantile bands, comparisons.

pub mod ablation;
pub mod compare;
pub mod discovered;
pub mod discovery;
pub mod distribution;
pub mod exceedance;
pub mod explain;
pub mod factor_groups;
pub mod interval;
pub mod landscape;
pub mod score;
pub mod sensitivity;
pub mod study;
pub mod summary;
pub mod sweep;
pub mod sweep_point;
pub mod sweep_range;

pub use compare::{Comparison, OutcomeDifference};
pub use summary::{
    Band, BlocConfiguration, EventSummary, Manifest, MeanWorld, MetricSeries, OutcomeSummary,
    ParameterLine, RunSummary, Scheduled,
};
