//! `timeseries.csv` (quantile bands per step and metric) and `outcomes.csv`.

use std::io;
use std::path::Path;

use super::Exporter;
use crate::analysis::RunSummary;

pub struct TimeseriesCsv;

impl Exporter<RunSummary> for TimeseriesCsv {
    fn write(&self, s: &RunSummary, dir: &Path) -> io::Result<()> {
        let mut w = csv::Writer::from_path(dir.join("timeseries.csv"))?;
        w.write_record(["step", "metric", "mean", "p05", "p25", "p50", "p75", "p95"])?;
        for series in &s.series {
            for (t, b) in series.bands.iter().enumerate() {
                w.serialize((t, &series.metric, b.mean, b.p05, b.p25, b.p50, b.p75, b.p95))?;
            }
        }
        w.flush()
    }
}

pub struct OutcomesCsv;

impl Exporter<RunSummary> for OutcomesCsv {
    fn write(&self, s: &RunSummary, dir: &Path) -> io::Result<()> {
        let mut w = csv::Writer::from_path(dir.join("outcomes.csv"))?;
        w.write_record([
            "name",
            "kind",
            "count",
            "trajectories",
            "probability",
            "ci_low",
            "ci_high",
            "median_first_step",
        ])?;
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
        w.flush()
    }
}
