//! `sensitivity.csv`: one row per outcome and sampled parameter: first-order and total
//! Sobol indices with their bootstrap 95% intervals.

use std::io;
use std::path::Path;

use super::Exporter;
use crate::analysis::sensitivity::Sensitivity;

pub struct SensitivityCsv;

impl Exporter<Sensitivity> for SensitivityCsv {
    fn write(&self, s: &Sensitivity, dir: &Path) -> io::Result<()> {
        let mut w = csv::Writer::from_path(dir.join("sensitivity.csv"))?;
        w.write_record([
            "outcome",
            "parameter",
            "distribution",
            "first_order",
            "first_low",
            "first_high",
            "total",
            "total_low",
            "total_high",
            "outcome_mean",
            "outcome_variance",
            "samples",
            "trajectories_per_point",
        ])?;
        for x in &s.indices {
            let o = s.outcomes.iter().position(|n| *n == x.outcome).unwrap_or(0);
            w.serialize((
                &x.outcome,
                &x.factor,
                &x.distribution,
                x.first,
                x.first_low,
                x.first_high,
                x.total,
                x.total_low,
                x.total_high,
                s.outcome_mean[o],
                s.outcome_variance[o],
                s.samples,
                s.trajectories,
            ))?;
        }
        w.flush()
    }
}
