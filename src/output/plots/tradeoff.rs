//! Scenario discovery's trade-off (`simulate explain`): for each outcome, the density of
//! each box on PRIM's peeling trajectory against its coverage, with the box explain states
//! marked. Each peel buys density with coverage.

use plotters::coord::Shift;
use plotters::prelude::*;

use std::io;
use std::path::Path;

use super::{
    header, legend, line_chart, palette, run_line, write_figures, Axes, DrawResult, Figure, Key,
    Plot,
};
use crate::analysis::explain::Explanation;
use crate::output::Exporter;

/// The trade-off picture, when scenario discovery found anything.
pub fn discovery_figures(e: &Explanation) -> Vec<Box<dyn Figure + '_>> {
    if e.discovery.is_empty() {
        return Vec::new();
    }
    vec![Box::new(TradeOff { explanation: e })]
}

/// The trade-off picture, in `plots/` beside the run's own.
pub struct DiscoveryPlots;

impl Exporter<Explanation> for DiscoveryPlots {
    fn write(&self, e: &Explanation, dir: &Path) -> io::Result<()> {
        write_figures(&discovery_figures(e), dir)
    }
}

pub struct TradeOff<'a> {
    pub explanation: &'a Explanation,
}

impl Plot for TradeOff<'_> {
    fn stem(&self) -> String {
        "discovery_tradeoff".into()
    }
    fn title(&self) -> String {
        "Scenario discovery: density against coverage".into()
    }
    fn caption(&self) -> String {
        "Each outcome's boxes on PRIM's peeling trajectory, from every trajectory (coverage \
         100%) to the last, most peeled box: the share of a box's trajectories where the \
         outcome holds (density) against the share of those where it holds that lie in the box \
         (coverage). The dot is the box stated: the densest that restricts at most 3 inputs \
         (discovery.csv has every box)."
            .into()
    }
    fn size(&self) -> (u32, u32) {
        (1000, 620)
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let e = self.explanation;
        let body = header(root, &self.title(), &run_line(&e.summary.manifest))?;
        let items: Vec<(String, Key)> = (e.discovery.iter().enumerate())
            .map(|(i, d)| (d.outcome.clone(), Key::Line(palette(i), 2)))
            .collect();
        let body = legend(&body, &items)?;
        let percent = |x: &f64| format!("{:.0}%", 100.0 * x);
        let axes = Axes {
            x: "coverage (share of the trajectories where it holds that are in the box)".into(),
            y: "density (share of the box where it holds)".into(),
            x_ticks: Some(Box::new(percent)),
            y_ticks: &percent,
        };
        let mut chart = line_chart(&body, 0f64..1.02, 0f64..1.02, axes)?;
        for (i, d) in e.discovery.iter().enumerate() {
            let points: Vec<(f64, f64)> = (d.discovery.trajectory.iter())
                .map(|p| (p.coverage, p.density))
                .collect();
            let colour = palette(i);
            chart.draw_series(std::iter::once(PathElement::new(
                points.clone(),
                colour.stroke_width(2),
            )))?;
            if let Some(&at) = points.get(d.chosen) {
                chart.draw_series(std::iter::once(Circle::new(at, 6, colour.filled())))?;
            }
        }
        Ok(())
    }
}
