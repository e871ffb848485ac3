//! `timeseries.csv` (quantile bands per step and metric) and `outcomes.csv`.

use std::io;

use super::{csv_file, File, Files};
use crate::analysis::RunSummary;

pub struct TimeseriesCsv;

impl Files<RunSummary> for TimeseriesCsv {
    fn files(&self, s: &RunSummary) -> io::Result<Vec<File>> {
        let header = ["step", "metric", "mean", "p05", "p25", "p50", "p75", "p95"];
        csv_file("timeseries.csv", &header, |w| {
            for series in &s.series {
                for (t, b) in series.bands.iter().enumerate() {
                    w.serialize((t, &series.metric, b.mean, b.p05, b.p25, b.p50, b.p75, b.p95))?;
                }
            }
            Ok(())
        })
    }
}

pub struct OutcomesCsv;

impl Files<RunSummary> for OutcomesCsv {
    fn files(&self, s: &RunSummary) -> io::Result<Vec<File>> {
        let header = [
            "name",
            "kind",
            "count",
            "trajectories",
            "probability",
            "ci_low",
            "ci_high",
            "median_first_step",
        ];
        csv_file("outcomes.csv", &header, |w| {
            for o in &s.outcomes {
                let first = o
                    .median_first_step
                    .map(|t| t.to_string())
                    .unwrap_or_default();
                w.serialize((
                    &o.name,
                    o.kind,
                    o.count,
                    s.manifest.trajectories,
                    o.probability,
                    o.ci_low,
                    o.ci_high,
                    first,
                ))?;
            }
            Ok(())
        })
    }
}
