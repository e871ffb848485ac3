//! A metric both compared scenarios track, with both fans on one chart: A in blue, B in
//! orange. Where the bands part, the scenarios differ.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::fan::draw_fan;
use super::{
    event_markers, extent, header, legend, line_chart, slug, time_axis, Axes, DrawResult, Key,
    Plot, MUTED, SIDE_A, SIDE_B,
};
use crate::analysis::{Comparison, MetricSeries};

pub struct OverlayFan<'a> {
    pub comparison: &'a Comparison,
    pub a: &'a MetricSeries,
    pub b: &'a MetricSeries,
    pub index: usize,
}

/// A line naming both sides of a comparison.
pub fn sides_line(c: &Comparison) -> String {
    let m = &c.a.manifest;
    format!(
        "A = {}, B = {}: {} paired trajectories, seed {}",
        m.scenario, c.b.manifest.scenario, m.trajectories, m.seed
    )
}

impl Plot for OverlayFan<'_> {
    fn stem(&self) -> String {
        format!("overlay_{:02}_{}", self.index + 1, slug(&self.a.metric))
    }
    fn title(&self) -> String {
        format!("{}: A and B", self.a.metric)
    }
    fn caption(&self) -> String {
        format!(
            "Median of {} with the middle 50% and 90% of trajectories, in {} (A, blue) and {} \
             (B, orange), on the same random draws.",
            self.a.metric, self.comparison.a.manifest.scenario, self.comparison.b.manifest.scenario
        )
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let c = self.comparison;
        let body = header(root, &self.title(), &sides_line(c))?;
        let (name_a, name_b) = (&c.a.manifest.scenario, &c.b.manifest.scenario);
        let body = legend(
            &body,
            &[
                (format!("A: {name_a}, median"), Key::Line(SIDE_A, 3)),
                ("50% / 90% bands".to_string(), Key::Band(SIDE_A, 0.3)),
                (format!("B: {name_b}, median"), Key::Line(SIDE_B, 3)),
                ("50% / 90% bands".to_string(), Key::Band(SIDE_B, 0.3)),
                ("scheduled event".to_string(), Key::Dashed(MUTED)),
            ],
        )?;
        let range = (
            self.a.range.0.min(self.b.range.0),
            self.a.range.1.max(self.b.range.1),
        );
        let (lo, hi) = extent(
            self.a
                .bands
                .iter()
                .chain(&self.b.bands)
                .flat_map(|b| [b.p05, b.p95]),
            range,
        );
        let steps = self
            .a
            .bands
            .len()
            .max(self.b.bands.len())
            .saturating_sub(1)
            .max(1) as f64;
        let axes = Axes {
            x: time_axis(&c.a.manifest),
            y: self.a.metric.clone(),
            x_ticks: Some(&|x| format!("{x:.0}")),
            y_ticks: &|y| format!("{y:.2}"),
        };
        let mut chart = line_chart(&body, 0f64..steps, lo..hi, axes)?;
        draw_fan(&mut chart, &self.a.bands, SIDE_A, 0.12, 0.22)?;
        draw_fan(&mut chart, &self.b.bands, SIDE_B, 0.12, 0.22)?;
        // Scheduled events of either side; one marker where both schedule the same one.
        let mut scheduled: Vec<(String, u32)> = Vec::new();
        for (side, s) in [("A", &c.a), ("B", &c.b)] {
            for e in &s.scheduled {
                let in_both =
                    c.a.scheduled
                        .iter()
                        .any(|x| x.name == e.name && x.step == e.step)
                        && c.b
                            .scheduled
                            .iter()
                            .any(|x| x.name == e.name && x.step == e.step);
                if in_both {
                    if side == "A" {
                        scheduled.push((e.name.clone(), e.step));
                    }
                } else {
                    scheduled.push((format!("{} ({side})", e.name), e.step));
                }
            }
        }
        event_markers(&mut chart, &scheduled, (lo, hi))?;
        Ok(())
    }
}
