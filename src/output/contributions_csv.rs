//! `contributions.csv`: what removing each event does to every outcome's probability and
//! every tracked metric's final mean, paired on common random numbers (`simulate
//! explain`); for each outcome or metric, the events by the size of their effect.

use std::io;

use super::{csv_file, File, Files};
use crate::analysis::explain::Explanation;

pub struct ContributionsCsv;

impl Files<Explanation> for ContributionsCsv {
    fn files(&self, e: &Explanation) -> io::Result<Vec<File>> {
        let header = [
            "kind", "name", "event", "with", "without", "effect", "ci_low", "ci_high",
        ];
        csv_file("contributions.csv", &header, |w| {
            for c in &e.contributions {
                w.serialize((
                    c.kind, &c.name, &c.event, c.with, c.without, c.effect, c.ci_low, c.ci_high,
                ))?;
            }
            Ok(())
        })
    }
}
