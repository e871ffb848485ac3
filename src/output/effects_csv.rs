//! `effects.csv`: each scenario's paired effect on each shared metric's mean at every step,
//! against the reference: when an effect appears and whether it lasts.

use std::io;

use super::dates::dated;
use super::{csv_file, File, Files};
use crate::analysis::Comparison;

pub struct EffectsCsv;

impl Files<Comparison> for EffectsCsv {
    fn files(&self, c: &Comparison) -> io::Result<Vec<File>> {
        let header = ["step", "metric", "scenario", "diff", "ci_low", "ci_high"];
        // Steps line up by number across the scenarios; the reference's dates name them.
        let calendar = c.scenarios[0].manifest.calendar;
        csv_file("effects.csv", &dated(&header, calendar), |w| {
            for series in &c.effects {
                let scenario = &c.scenarios[series.scenario].manifest.scenario;
                for (t, p) in series.points.iter().enumerate() {
                    let m = &series.metric;
                    match calendar {
                        None => w.serialize((t, m, scenario, p.diff, p.ci_low, p.ci_high))?,
                        Some(cal) => {
                            let date = cal.date(t as i64);
                            w.serialize((t, date, m, scenario, p.diff, p.ci_low, p.ci_high))?
                        }
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
    use crate::output::examples::{comparison, only_file};

    #[test]
    fn every_step_of_every_effect_is_a_row() {
        let text = only_file(EffectsCsv.files(&comparison()).unwrap(), "effects.csv");
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some("step,metric,scenario,diff,ci_low,ci_high")
        );
        assert_eq!(
            lines.next(),
            Some("0,\"Partnership(A, B)\",after,0.0,0.0,0.0")
        );
        assert_eq!(
            lines.next(),
            Some("1,\"Partnership(A, B)\",after,0.08,0.07,0.09")
        );
        assert_eq!(lines.next(), None);
    }
}
