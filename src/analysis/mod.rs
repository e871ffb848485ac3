//! From aggregates to answers: probabilities, intervals, quantile bands, comparisons.

pub mod compare;
pub mod interval;
pub mod summary;

pub use summary::{
    BlocConfiguration, Band, EventSummary, Manifest, MeanWorld, MetricSeries, OutcomeSummary, ParameterLine, RunSummary,
    Scheduled,
};
pub use compare::{Comparison, OutcomeDifference};
