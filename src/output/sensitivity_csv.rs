//! `sensitivity.csv`: one row per outcome and sampled parameter: first-order and total
//! Sobol indices with their bootstrap 95% intervals.

use std::io;

use super::{csv_file, File, Files};
use crate::analysis::sensitivity::Sensitivity;

pub struct SensitivityCsv;

impl Files<Sensitivity> for SensitivityCsv {
    fn files(&self, s: &Sensitivity) -> io::Result<Vec<File>> {
        let header = [
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
        ];
        csv_file("sensitivity.csv", &header, |w| {
            for o in &s.outcomes {
                for x in &o.factors {
                    w.serialize((
                        &o.name,
                        &x.factor,
                        &x.distribution,
                        x.first,
                        x.first_low,
                        x.first_high,
                        x.total,
                        x.total_low,
                        x.total_high,
                        o.mean,
                        o.variance,
                        s.samples,
                        s.manifest.trajectories,
                    ))?;
                }
            }
            Ok(())
        })
    }
}
