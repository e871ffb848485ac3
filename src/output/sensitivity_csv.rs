//! `sensitivity.csv`: one row per analysed output and sampled parameter: first-order and
//! total Sobol indices with their bootstrap 95% intervals, and whether they can be read:
//! `reliable` is false when any reason in `why` (separated by "; ") holds.
//!
//! `kind` says what the row's `target` is: an `outcome` (its probability) or a `metric` (the
//! tracked metric's mean at the last step). `scenario` names what the numbers are of: the
//! scenario, or `B - A` for `--against`, where `mean` is the mean paired effect P_B - P_A
//! (or the difference of final means) and the indices are those of that effect. One header
//! line and one row per record, so the file sorts and filters in a spreadsheet.

use std::io;

use super::{csv_file, File, Files};
use crate::analysis::sensitivity::Sensitivity;

pub struct SensitivityCsv;

impl Files<Sensitivity> for SensitivityCsv {
    fn files(&self, s: &Sensitivity) -> io::Result<Vec<File>> {
        let header = [
            "scenario",
            "kind",
            "target",
            "parameter",
            "distribution",
            "first_order",
            "first_low",
            "first_high",
            "total",
            "total_low",
            "total_high",
            "mean",
            "variance",
            "samples",
            "trajectories_per_point",
            "reliable",
            "why",
        ];
        let subject = s.subject();
        csv_file("sensitivity.csv", &header, |w| {
            for (kind, o) in s.targets() {
                for x in &o.factors {
                    let why = x.why(o);
                    // Two tuples: serde's tuples stop at 16 fields; csv writes them flat.
                    w.serialize((
                        (&subject, kind.as_str()),
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
    /// spread and rows, so every row shows its own outcome's mean and variance. Metrics
    /// follow the outcomes, marked as such.
    #[test]
    fn sensitivity_rows_show_their_own_outcomes_spread() {
        let mut s = sensitivity();
        // Names that do not tell the outcomes apart must not matter.
        s.outcomes[1].name = s.outcomes[0].name.clone();
        s.outcomes.iter_mut().for_each(|o| o.flag_unreliable(40));
        s.metrics[0].flag_unreliable_continuous(crate::analysis::sensitivity::effect_floor(0.0));
        let text = only_file(SensitivityCsv.files(&s).unwrap(), "sensitivity.csv");
        let lines: Vec<&str> = text.lines().collect();
        let wide = "\"first-order interval is 1.00 wide, above 0.3: more --samples or \
                    --trajectories narrow it; total interval is 0.50 wide, above 0.3: more \
                    --samples or --trajectories narrow it\"";
        assert_eq!(
            lines,
            [
                "scenario,kind,target,parameter,distribution,first_order,first_low,first_high,\
                 total,total_low,total_high,mean,variance,samples,trajectories_per_point,\
                 reliable,why"
                    .to_string(),
                format!(
                    "s,outcome,war,eta,\"Uniform(0.1, 0.5)\",0.5,0.0,1.0,0.75,0.5,1.0,0.25,\
                     0.0625,8,40,false,{wide}"
                ),
                format!(
                    "s,outcome,war,eta,\"Uniform(0.1, 0.5)\",0.25,0.0,1.0,0.75,0.5,1.0,0.75,\
                     0.125,8,40,false,{wide}"
                ),
                format!(
                    "s,metric,\"Partnership(A, B)\",eta,\"Uniform(0.1, 0.5)\",0.9,0.0,1.0,0.75,\
                     0.5,1.0,0.4,0.01,8,40,false,{wide}"
                ),
            ]
        );
    }

    /// `--against`: every row says it is the effect of B against A.
    #[test]
    fn effect_rows_name_both_scenarios() {
        let mut s = sensitivity();
        s.against = Some(crate::output::examples::manifest("base"));
        let text = only_file(SensitivityCsv.files(&s).unwrap(), "sensitivity.csv");
        assert!(
            text.lines().skip(1).all(|l| l.starts_with("s - base,")),
            "{text}"
        );
    }
}
