//! The forces on one tracked stance or partnership (`simulate explain`): the mean of each
//! term of its target's argument over time, stacked, those that pull up above zero and
//! those that pull down below it, with the argument itself as a line (the sum of the bands
//! above minus those below).

use crate::output::numbers::fixed;
use plotters::coord::Shift;
use plotters::prelude::*;

use std::io;
use std::path::Path;

use super::{
    header, last_step, legend, line_chart, palette, run_line, slug, write_figures, Axes,
    DrawResult, Figure, Key, Plot, INK,
};
use crate::analysis::explain::{Explanation, ForceSeries};
use crate::output::Exporter;

/// The pictures of the forces, one per tracked stance or partnership, in file order.
pub fn force_figures(e: &Explanation) -> Vec<Box<dyn Figure + '_>> {
    e.forces
        .iter()
        .enumerate()
        .map(|(index, series)| {
            Box::new(ForceChart {
                explanation: e,
                series,
                index,
            }) as Box<dyn Figure + '_>
        })
        .collect()
}

/// The pictures of the forces, in `plots/` beside the run's own.
pub struct ForcePlots;

impl Exporter<Explanation> for ForcePlots {
    fn write(&self, e: &Explanation, dir: &Path) -> io::Result<()> {
        write_figures(&force_figures(e), dir)
    }
}

pub struct ForceChart<'a> {
    pub explanation: &'a Explanation,
    pub series: &'a ForceSeries,
    /// Position among the metrics with forces (keeps file names unique and in file order).
    pub index: usize,
}

impl ForceChart<'_> {
    /// The terms drawn: those that are not 0 at every step, with their colours.
    fn drawn(&self) -> Vec<(usize, &String, &Vec<f64>)> {
        self.series
            .parts()
            .enumerate()
            .filter(|(_, (_, means))| means.iter().any(|&x| x != 0.0))
            .map(|(i, (term, means))| (i, term, means))
            .collect()
    }
}

impl Plot for ForceChart<'_> {
    fn stem(&self) -> String {
        format!("forces_{:02}_{}", self.index + 1, slug(&self.series.metric))
    }
    fn title(&self) -> String {
        format!("{}: the forces on its target", self.series.metric)
    }
    fn caption(&self) -> String {
        format!(
            "The mean over trajectories of each term of the argument of the target of {} \
             (target = tanh of the argument) at each {}: bands above zero pull it up, bands \
             below pull it down; the black line is the argument, their sum. Terms that are \
             zero throughout are left out (forces.csv has every one).",
            self.series.metric, self.explanation.summary.manifest.step_unit
        )
    }
    fn size(&self) -> (u32, u32) {
        (1000, 620)
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let m = &self.explanation.summary.manifest;
        let body = header(root, &self.title(), &run_line(m))?;
        let drawn = self.drawn();
        let mut items: Vec<(String, Key)> = drawn
            .iter()
            .map(|&(i, term, _)| (term.clone(), Key::Band(palette(i), 0.7)))
            .collect();
        items.push(("argument (the sum)".to_string(), Key::Line(INK, 2)));
        let body = legend(&body, &items)?;
        let steps = self.series.argument().len();
        // Each term's band at each step: from the stack's edge on its side to past it.
        let (mut up, mut down) = (vec![0.0; steps], vec![0.0; steps]);
        let mut bands = Vec::new();
        for &(i, _, means) in &drawn {
            let band: Vec<(f64, f64)> = means
                .iter()
                .enumerate()
                .map(|(t, &x)| {
                    let edge = if x >= 0.0 { &mut up[t] } else { &mut down[t] };
                    let from = *edge;
                    *edge += x;
                    (from, *edge)
                })
                .collect();
            bands.push((i, band));
        }
        let values = up
            .iter()
            .chain(&down)
            .chain(self.series.argument())
            .copied()
            .chain([0.0]);
        let (lo, hi) = span(values);
        // Rounded to two decimals, a tick a hair below 0 read "-0.00".
        let tick = |y: &f64| fixed(*y, 2);
        let axes = Axes::over_time(m, "contribution to the argument".into(), &tick);
        let mut chart = line_chart(&body, 0f64..last_step([steps + 1]), lo..hi, axes)?;
        for (i, band) in &bands {
            let x = |t: usize| (t + 1) as f64;
            let outline: Vec<(f64, f64)> = band
                .iter()
                .enumerate()
                .map(|(t, &(from, _))| (x(t), from))
                .chain(
                    band.iter()
                        .enumerate()
                        .rev()
                        .map(|(t, &(_, to))| (x(t), to)),
                )
                .collect();
            chart.draw_series(std::iter::once(Polygon::new(
                outline,
                palette(*i).mix(0.7).filled(),
            )))?;
        }
        let argument: Vec<(f64, f64)> = self
            .series
            .argument()
            .iter()
            .enumerate()
            .map(|(t, &y)| ((t + 1) as f64, y))
            .collect();
        chart.draw_series(std::iter::once(PathElement::new(
            argument,
            INK.stroke_width(2),
        )))?;
        Ok(())
    }
}

/// The span of values to show, with a little air: forces have no range of their own.
fn span(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    let air = ((hi - lo) * 0.08).max(0.02);
    (lo - air, hi + air)
}
