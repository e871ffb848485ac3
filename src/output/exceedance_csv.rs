//! `exceedance.csv`: each level outcome's exceedance curve, one row per threshold `x` on
//! its grid (`engine::levels`), the file's own threshold among them.

use std::io;

use super::{csv_file, File, Files};
use crate::analysis::summary::tidy;
use crate::analysis::RunSummary;

pub struct ExceedanceCsv;

impl Files<RunSummary> for ExceedanceCsv {
    fn files(&self, s: &RunSummary) -> io::Result<Vec<File>> {
        let header = [
            "outcome",
            "kind",
            "metric",
            "side",
            "threshold",
            "x",
            "count",
            "trajectories",
            "probability",
        ];
        let n = s.manifest.trajectories;
        csv_file("exceedance.csv", &header, |w| {
            for c in &s.exceedance {
                let (name, side) = (&c.outcome, c.side.as_str());
                for p in &c.points {
                    // The grid's x are the threshold plus multiples of the spacing:
                    // rounded so that 0.4 + 3 * 0.005 reads 0.415, and 0.35 - 70 * 0.005
                    // 0.0, not -0.0 (`tidy` never returns -0).
                    let x = tidy(p.x);
                    let (t, count, probability) = (c.threshold, p.count, p.probability);
                    w.serialize((name, c.kind, &c.metric, side, t, x, count, n, probability))?;
                }
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::examples::{only_file, run};

    #[test]
    fn a_run_without_level_outcomes_writes_the_header_only() {
        let text = only_file(ExceedanceCsv.files(&run("r")).unwrap(), "exceedance.csv");
        assert_eq!(
            text,
            "outcome,kind,metric,side,threshold,x,count,trajectories,probability\n"
        );
    }

    #[test]
    fn a_grid_point_a_rounding_error_below_zero_is_written_0() {
        use crate::analysis::exceedance::{Curve, Point};
        use crate::model::level::Side;
        let mut summary = run("r");
        let point = |x: f64, count: u64| Point {
            x,
            count,
            probability: count as f64 / 40.0,
        };
        summary.exceedance = vec![Curve {
            outcome: "war".into(),
            kind: "at_end",
            metric: "Stance(A, B)".into(),
            side: Side::Above,
            threshold: 0.35,
            // 0.35 - 70 * 0.005 in floating point.
            points: vec![point(0.35 - 70.0 * 0.005, 30), point(0.35, 10)],
            at_threshold: 1,
        }];
        let text = only_file(ExceedanceCsv.files(&summary).unwrap(), "exceedance.csv");
        assert_eq!(
            text.lines().skip(1).collect::<Vec<_>>(),
            [
                "war,at_end,\"Stance(A, B)\",above,0.35,0.0,30,40,0.75",
                "war,at_end,\"Stance(A, B)\",above,0.35,0.35,10,40,0.25"
            ]
        );
    }
}
