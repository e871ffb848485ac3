//! `forces.csv`: the mean of each term of the target of each tracked stance and
//! partnership at every step (`simulate explain`). The terms of a metric and step add up to
//! its `argument` row, within float rounding.

use std::io;

use super::dates::dated;
use super::{csv_file, File, Files};
use crate::analysis::explain::Explanation;

pub struct ForcesCsv;

impl Files<Explanation> for ForcesCsv {
    fn files(&self, e: &Explanation) -> io::Result<Vec<File>> {
        let calendar = e.summary.manifest.calendar;
        let header = dated(&["metric", "step", "term", "mean"], calendar);
        csv_file("forces.csv", &header, |w| {
            for series in &e.forces {
                for t in 0..series.argument().len() {
                    let step = t + 1;
                    for (term, means) in series.terms.iter().zip(&series.means) {
                        match calendar {
                            None => w.serialize((&series.metric, step, term, means[t]))?,
                            Some(c) => {
                                let date = c.date(step as i64);
                                w.serialize((&series.metric, step, date, term, means[t]))?
                            }
                        }
                    }
                }
            }
            Ok(())
        })
    }
}
