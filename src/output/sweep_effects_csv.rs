//! `sweep_effects.csv`: one row per grid point and outcome or tracked metric: the parameter
//! values, what the row is of (`kind`: `outcome`, its probability; `metric`, its mean at
//! the last step), that value (`mean`), and its `effect`: the difference from the first grid
//! point, paired on the same trajectory seeds, with its 95% interval (`ci_low`, `ci_high`:
//! the Monte Carlo error of that difference, nothing else; 0 at the first point).
//! `sweep.csv` keeps its columns; this file adds the metrics and the effects.

use std::io;

use super::{csv_file, File, Files};
use crate::analysis::sweep::Sweep;
use crate::format::Num;

pub struct SweepEffectsCsv;

impl Files<Sweep> for SweepEffectsCsv {
    fn files(&self, s: &Sweep) -> io::Result<Vec<File>> {
        let mut header: Vec<&str> = s.parameters.iter().map(String::as_str).collect();
        header.extend([
            "kind",
            "target",
            "mean",
            "effect",
            "ci_low",
            "ci_high",
            "trajectories",
        ]);
        csv_file("sweep_effects.csv", &header, |w| {
            for point in &s.points {
                for e in &point.effects {
                    let mut row: Vec<String> =
                        point.values.iter().map(|&v| Num(v).to_string()).collect();
                    row.push(e.kind.to_string());
                    row.push(e.name.clone());
                    for x in [e.mean, e.effect, e.ci_low, e.ci_high] {
                        row.push(Num(x).to_string());
                    }
                    row.push(s.manifest.trajectories.to_string());
                    w.write_record(&row)?;
                }
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::examples::{only_file, sweep};

    #[test]
    fn an_effects_row_gives_the_value_and_its_difference_from_the_first_point() {
        let text = only_file(
            SweepEffectsCsv.files(&sweep()).unwrap(),
            "sweep_effects.csv",
        );
        assert_eq!(
            text,
            "lambda,kind,target,mean,effect,ci_low,ci_high,trajectories\n\
             0.25,outcome,war,0.25,0,-0.125,0.5,40\n\
             0.25,metric,\"Partnership(A, B)\",0.5,0,-0.25,0.25,40\n\
             1e-7,outcome,war,0.5,0.25,-0.125,0.5,40\n\
             1e-7,metric,\"Partnership(A, B)\",0.5,0,-0.25,0.25,40\n"
        );
    }
}
