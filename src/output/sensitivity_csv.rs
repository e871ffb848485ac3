//! `sensitivity.csv`: one row per outcome and sampled parameter: first-order and total
//! Sobol indices with their bootstrap 95% intervals, and whether they can be read: `reliable`
//! is false when any reason in `why` (separated by "; ") holds.

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
            "reliable",
            "why",
        ];
        csv_file("sensitivity.csv", &header, |w| {
            for o in &s.outcomes {
                for x in &o.factors {
                    let why = x.why(o);
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
                        why.is_empty(),
                        why.join("; "),
                    ))?;
                }
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::examples::{only_file, sensitivity};

    /// Regression: rows were linked back to their outcome's mean and variance by name, with
    /// outcome 0 as a silent default when no name matched. Each outcome now carries its own
    /// spread and rows, so every row shows its own outcome's mean and variance.
    #[test]
    fn sensitivity_rows_show_their_own_outcomes_spread() {
        let mut s = sensitivity();
        // Names that do not tell the outcomes apart must not matter.
        s.outcomes[1].name = s.outcomes[0].name.clone();
        s.outcomes.iter_mut().for_each(|o| o.flag_unreliable(40));
        let text = only_file(SensitivityCsv.files(&s).unwrap(), "sensitivity.csv");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines,
            [
                "outcome,parameter,distribution,first_order,first_low,first_high,total,\
                 total_low,total_high,outcome_mean,outcome_variance,samples,\
                 trajectories_per_point,reliable,why",
                "war,eta,\"Uniform(0.1, 0.5)\",0.5,0.0,1.0,0.75,0.5,1.0,0.25,0.0625,8,40,false,\
                 \"first-order interval is 1.00 wide, above 0.3; total interval is 0.50 wide, \
                 above 0.3\"",
                "war,eta,\"Uniform(0.1, 0.5)\",0.25,0.0,1.0,0.75,0.5,1.0,0.75,0.125,8,40,false,\
                 \"first-order interval is 1.00 wide, above 0.3; total interval is 0.50 wide, \
                 above 0.3\"",
            ]
        );
    }
}
