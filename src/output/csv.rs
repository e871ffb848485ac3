//! `timeseries.csv` (quantile bands per step and metric) and `outcomes.csv`.

use std::io;

use super::dates::dated;
use super::{csv_file, File, Files};
use crate::analysis::RunSummary;

pub struct TimeseriesCsv;

impl Files<RunSummary> for TimeseriesCsv {
    fn files(&self, s: &RunSummary) -> io::Result<Vec<File>> {
        let header = ["step", "metric", "mean", "p05", "p25", "p50", "p75", "p95"];
        let calendar = s.manifest.calendar;
        csv_file("timeseries.csv", &dated(&header, calendar), |w| {
            for series in &s.series {
                for (t, b) in series.bands.iter().enumerate() {
                    let m = &series.metric;
                    match calendar {
                        None => w.serialize((t, m, b.mean, b.p05, b.p25, b.p50, b.p75, b.p95))?,
                        Some(c) => w.serialize((
                            t,
                            c.date(t as i64),
                            m,
                            b.mean,
                            b.p05,
                            b.p25,
                            b.p50,
                            b.p75,
                            b.p95,
                        ))?,
                    }
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
        let calendar = s.manifest.calendar;
        let mut header = header.to_vec();
        if calendar.is_some() {
            header.push("median_first_date");
        }
        csv_file("outcomes.csv", &header, |w| {
            for o in &s.outcomes {
                let first = o
                    .median_first_step
                    .map(|t| t.to_string())
                    .unwrap_or_default();
                let (name, n) = (&o.name, s.manifest.trajectories);
                let (p, low, high) = (o.probability, o.ci_low, o.ci_high);
                match calendar {
                    None => w.serialize((name, o.kind, o.count, n, p, low, high, first))?,
                    Some(c) => {
                        let date = o.median_first_step.map(|t| c.date(i64::from(t)));
                        let date = date.unwrap_or_default();
                        w.serialize((name, o.kind, o.count, n, p, low, high, first, date))?
                    }
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
    fn timeseries_has_one_row_per_step_and_metric() {
        let text = only_file(TimeseriesCsv.files(&run("r")).unwrap(), "timeseries.csv");
        assert_eq!(
            text,
            "step,metric,mean,p05,p25,p50,p75,p95\n\
             0,\"Stance(A, B)\",0.0,0.1,0.2,0.3,0.4,0.5\n\
             1,\"Stance(A, B)\",0.5,0.1,0.2,0.3,0.4,0.5\n"
        );
    }

    #[test]
    fn outcomes_carry_the_run_size_and_the_median_first_step() {
        let text = only_file(OutcomesCsv.files(&run("r")).unwrap(), "outcomes.csv");
        assert_eq!(
            text,
            "name,kind,count,trajectories,probability,ci_low,ci_high,median_first_step\n\
             war,ever,10,40,0.25,0.125,0.375,1\n"
        );
    }
}
