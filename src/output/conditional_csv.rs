//! `conditional.csv`: each outcome's probability among the trajectories in which an event
//! had fired by a step, and among the others (`simulate explain`). An empty cell: no
//! trajectory on that side.

use std::io;

use super::dates::dated;
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
        let calendar = e.summary.manifest.calendar;
        csv_file("conditional.csv", &dated(&header, calendar), |w| {
            for c in &e.conditional {
                let (fired, not_fired) = (c.fired, c.not_fired);
                let (if_fired, if_not) = (c.held_if_fired, c.held_if_not);
                match calendar {
                    None => w.serialize((
                        &c.outcome, &c.event, c.step, fired, if_fired, not_fired, if_not,
                    ))?,
                    Some(cal) => w.serialize((
                        &c.outcome,
                        &c.event,
                        c.step,
                        cal.date(c.step as i64),
                        fired,
                        if_fired,
                        not_fired,
                        if_not,
                    ))?,
                }
            }
            Ok(())
        })
    }
}
