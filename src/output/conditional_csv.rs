//! `conditional.csv`: each outcome's probability among the trajectories in which an event
//! had fired by a step, and among the others (`simulate explain`). An empty cell: no
//! trajectory on that side.

use std::io;

use super::{csv_file, File, Files};
use crate::analysis::explain::Explanation;

pub struct ConditionalCsv;

impl Files<Explanation> for ConditionalCsv {
    fn files(&self, e: &Explanation) -> io::Result<Vec<File>> {
        let header = [
            "outcome",
            "event",
            "step",
            "fired",
            "probability_if_fired",
            "not_fired",
            "probability_if_not",
        ];
        csv_file("conditional.csv", &header, |w| {
            for c in &e.conditional {
                w.serialize((
                    &c.outcome,
                    &c.event,
                    c.step,
                    c.fired,
                    c.held_if_fired,
                    c.not_fired,
                    c.held_if_not,
                ))?;
            }
            Ok(())
        })
    }
}
