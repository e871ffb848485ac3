//! `forces.csv`: the mean of each term of the target of each tracked stance and
//! partnership at every step (`simulate explain`). The terms of a metric and step add up to
//! its `argument` row, within float rounding.

use std::io;

use super::{csv_file, File, Files};
use crate::analysis::explain::Explanation;

pub struct ForcesCsv;

impl Files<Explanation> for ForcesCsv {
    fn files(&self, e: &Explanation) -> io::Result<Vec<File>> {
        csv_file("forces.csv", &["metric", "step", "term", "mean"], |w| {
            for series in &e.forces {
                for t in 0..series.argument().len() {
                    for (term, means) in series.terms.iter().zip(&series.means) {
                        w.serialize((&series.metric, t + 1, term, means[t]))?;
                    }
                }
            }
            Ok(())
        })
    }
}
