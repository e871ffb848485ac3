//! From aggregates to answers: probabilities, intervals, quantile bands, comparisons.

pub mod compare;
pub mod interval;
pub mod summary;

pub use summary::{Band, EventSummary, Manifest, MetricSeries, OutcomeSummary, RunSummary};
pub use compare::{Comparison, OutcomeDifference};
