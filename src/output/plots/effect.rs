//! A metric's paired effect over time: for each scenario against the reference, the
//! difference of the means step by step with its 95% band, in the metric's own units. When
//! does the effect appear, and does it last?

use crate::output::numbers::signed;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::overlay::{scheduled_markers, sides_line};
use super::{
    event_markers, header, last_step, legend, line_chart, scenario_color, slug, Axes, DrawResult,
    Key, Plot, INK, MUTED,
};
use crate::analysis::compare::{label, EffectSeries};
use crate::analysis::Comparison;

pub struct EffectOverTime<'a> {
    pub comparison: &'a Comparison,
    /// The metric's label.
    pub metric: String,
    /// Position among the shared metrics (keeps file names unique and in order).
    pub index: usize,
}

impl EffectOverTime<'_> {
    fn series(&self) -> impl Iterator<Item = &EffectSeries> {
        self.comparison
            .effects
            .iter()
            .filter(|e| e.metric == self.metric)
    }
}

impl Plot for EffectOverTime<'_> {
    fn stem(&self) -> String {
        format!("effect_{:02}_{}", self.index + 1, slug(&self.metric))
    }
    fn title(&self) -> String {
        format!("Effect on {} (against A)", self.metric)
    }
    fn caption(&self) -> String {
        format!(
            "Paired difference of the mean of {} from the reference A at every step, in its own \
             units, with the 95% band of the per-trajectory differences; one line per \
             scenario. Where the band leaves zero the effect is there; where it comes back, it \
             has faded.",
            self.metric
        )
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let c = self.comparison;
        let body = header(root, &self.title(), &sides_line(c))?;
        let mut keys: Vec<(String, Key)> = self
            .series()
            .map(|e| {
                (
                    format!(
                        "{} - A: {}",
                        label(e.scenario),
                        c.scenarios[e.scenario].manifest.scenario
                    ),
                    Key::Line(scenario_color(e.scenario), 3),
                )
            })
            .collect();
        keys.push((
            "95% band (paired)".to_string(),
            Key::Band(scenario_color(1), 0.25),
        ));
        keys.push(("scheduled event".to_string(), Key::Dashed(MUTED)));
        let body = legend(&body, &keys)?;
        // Zero is always shown, so the eye can tell an effect from none.
        let (mut lo, mut hi) = (0.0f64, 0.0f64);
        for p in self.series().flat_map(|e| &e.points) {
            if p.ci_low.is_finite() && p.ci_high.is_finite() {
                lo = lo.min(p.ci_low);
                hi = hi.max(p.ci_high);
            }
        }
        let air = ((hi - lo) * 0.08).max(1e-4);
        let (lo, hi) = (lo - air, hi + air);
        let steps = last_step(self.series().map(|e| e.points.len()));
        let axes = Axes::over_time(
            &c.reference().manifest,
            format!("difference from A, {}", self.metric),
            &|y| signed(*y, 3),
        );
        let mut chart = line_chart(&body, 0f64..steps, lo..hi, axes)?;
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, 0.0), (steps, 0.0)],
            INK.mix(0.6).stroke_width(1),
        )))?;
        for e in self.series() {
            let color = scenario_color(e.scenario);
            let forward = e
                .points
                .iter()
                .enumerate()
                .map(|(t, p)| (t as f64, p.ci_low));
            let back = e
                .points
                .iter()
                .enumerate()
                .rev()
                .map(|(t, p)| (t as f64, p.ci_high));
            chart.draw_series(std::iter::once(Polygon::new(
                forward.chain(back).collect::<Vec<_>>(),
                color.mix(0.22).filled(),
            )))?;
            chart.draw_series(std::iter::once(PathElement::new(
                e.points
                    .iter()
                    .enumerate()
                    .map(|(t, p)| (t as f64, p.diff))
                    .collect::<Vec<_>>(),
                color.stroke_width(3),
            )))?;
        }
        event_markers(&mut chart, &scheduled_markers(c), (lo, hi))?;
        Ok(())
    }
}
