//! `sweep.csv`: one row per grid point and outcome: the parameter values, the count, the
//! probability and its Wilson 95% interval.

use std::io;

use super::{csv_file, File, Files};
use crate::analysis::sweep::Sweep;
use crate::format::Num;

pub struct SweepCsv;

impl Files<Sweep> for SweepCsv {
    fn files(&self, s: &Sweep) -> io::Result<Vec<File>> {
        let mut header: Vec<&str> = s.parameters.iter().map(String::as_str).collect();
        header.extend([
            "outcome",
            "count",
            "trajectories",
            "probability",
            "ci_low",
            "ci_high",
        ]);
        csv_file("sweep.csv", &header, |w| {
            for point in &s.points {
                for o in &point.outcomes {
                    let mut row: Vec<String> =
                        point.values.iter().map(|&v| Num(v).to_string()).collect();
                    row.push(o.name.clone());
                    row.push(o.count.to_string());
                    row.push(s.manifest.trajectories.to_string());
                    row.push(Num(o.probability).to_string());
                    row.push(Num(o.ci_low).to_string());
                    row.push(Num(o.ci_high).to_string());
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
    fn a_sweep_row_starts_with_the_parameter_values() {
        let text = only_file(SweepCsv.files(&sweep()).unwrap(), "sweep.csv");
        assert_eq!(
            text,
            "lambda,outcome,count,trajectories,probability,ci_low,ci_high\n\
             0.25,war,10,40,0.25,0.125,0.375\n\
             1e-7,war,20,40,0.5,0.125,0.375\n"
        );
    }
}
