//! `discovery.csv`: scenario discovery's peeling trajectory for each outcome (`simulate
//! explain`). One row per restricted input of each box on the trajectory (one row with an
//! empty `input` for a box that restricts none, as the first box, every trajectory, does):
//! `outcome, box, chosen, pasted, coverage, density, mass, restricted, input, low, high,
//! p_value`. `box` counts from 0 and the last is PRIM's own (the most peeled); `chosen`
//! marks the box explain states (the densest restricting at most
//! `analysis::discovered::MOST_RESTRICTED` inputs), and only its rows carry a
//! quasi-p-value. `low` and `high` are the input's limits in the box,
//! inclusive; a side left at the whole range's minimum or maximum is not restricted.
//! Event inputs are `event.NAME.first_step`, with never fired = the last step + 1.

use std::io;

use super::{csv_file, File, Files};
use crate::analysis::explain::Explanation;

pub struct DiscoveryCsv;

const HEADER: [&str; 12] = [
    "outcome",
    "box",
    "chosen",
    "pasted",
    "coverage",
    "density",
    "mass",
    "restricted",
    "input",
    "low",
    "high",
    "p_value",
];

impl Files<Explanation> for DiscoveryCsv {
    fn files(&self, e: &Explanation) -> io::Result<Vec<File>> {
        csv_file("discovery.csv", &HEADER, |w| {
            for found in &e.discovery {
                let trajectory = &found.discovery.trajectory;
                let Some(whole) = trajectory.first().map(|p| &p.limits) else {
                    continue;
                };
                for (b, peel) in trajectory.iter().enumerate() {
                    let chosen = b == found.chosen;
                    let row = (
                        &found.outcome,
                        b,
                        chosen,
                        peel.pasted,
                        peel.coverage,
                        peel.density,
                        peel.mass,
                        peel.restricted,
                    );
                    let mut any = false;
                    for (j, (limit, all)) in peel.limits.iter().zip(whole).enumerate() {
                        if limit == all {
                            continue;
                        }
                        any = true;
                        let p_value = chosen
                            .then(|| found.conditions.iter().find(|c| c.input == found.inputs[j]))
                            .flatten()
                            .map(|c| c.p_value);
                        let (a, b, c, d, e, f, g, h) = row;
                        w.serialize((
                            a,
                            b,
                            c,
                            d,
                            e,
                            f,
                            g,
                            h,
                            &found.inputs[j],
                            limit.0,
                            limit.1,
                            p_value,
                        ))?;
                    }
                    if !any {
                        let (a, b, c, d, e, f, g, h) = row;
                        let none: Option<f64> = None;
                        w.serialize((a, b, c, d, e, f, g, h, "", none, none, none))?;
                    }
                }
            }
            Ok(())
        })
    }
}
