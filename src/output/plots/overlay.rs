//! A metric every compared scenario tracks, with all their fans on one chart, each in its
//! own colour-blind-safe colour (`SCENARIO_COLORS`). Where the bands part, the scenarios
//! differ.

use crate::output::numbers::fixed;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::fan::draw_fan;
use super::{
    event_markers, extent, header, last_step, legend, line_chart, scenario_color, slug, Axes,
    DrawResult, Key, Plot, MUTED,
};
use crate::analysis::compare::label;
use crate::analysis::{Comparison, MetricSeries};

pub struct OverlayFan<'a> {
    pub comparison: &'a Comparison,
    /// The metric in each scenario, the reference first.
    pub series: Vec<&'a MetricSeries>,
    pub index: usize,
}

/// A line naming every scenario of a comparison by its letter.
pub fn sides_line(c: &Comparison) -> String {
    let m = &c.reference().manifest;
    let names: Vec<String> = c
        .scenarios
        .iter()
        .enumerate()
        .map(|(i, s)| format!("{} = {}", label(i), s.manifest.scenario))
        .collect();
    let mut names = names.join(", ");
    // A title line is about 110 characters wide; many scenarios are named in the legend.
    if names.chars().count() > 80 {
        names = format!(
            "A = {} and {} more scenarios (see the legend)",
            m.scenario,
            c.scenarios.len() - 1
        );
    }
    format!(
        "{names}: {} paired trajectories, seed {}",
        m.trajectories, m.seed
    )
}

/// Scheduled events of the scenarios as markers: once where every scenario schedules the
/// same event at the same step, else with the letters of those that do.
pub fn scheduled_markers(c: &Comparison) -> Vec<(String, u32)> {
    let mut markers: Vec<(String, u32)> = Vec::new();
    let mut seen: Vec<(&str, u32)> = Vec::new();
    for s in &c.scenarios {
        for e in &s.scheduled {
            if seen.contains(&(e.name.as_str(), e.step)) {
                continue;
            }
            seen.push((e.name.as_str(), e.step));
            let having: Vec<String> = c
                .scenarios
                .iter()
                .enumerate()
                .filter(|(_, x)| {
                    x.scheduled
                        .iter()
                        .any(|y| y.name == e.name && y.step == e.step)
                })
                .map(|(i, _)| label(i))
                .collect();
            if having.len() == c.scenarios.len() {
                markers.push((e.name.clone(), e.step));
            } else {
                markers.push((format!("{} ({})", e.name, having.join(", ")), e.step));
            }
        }
    }
    markers
}

impl Plot for OverlayFan<'_> {
    fn stem(&self) -> String {
        format!(
            "overlay_{:02}_{}",
            self.index + 1,
            slug(&self.series[0].metric)
        )
    }
    fn title(&self) -> String {
        let letters: Vec<String> = (0..self.series.len()).map(label).collect();
        format!("{}: {}", self.series[0].metric, letters.join(", "))
    }
    fn caption(&self) -> String {
        let names: Vec<String> = self
            .comparison
            .scenarios
            .iter()
            .enumerate()
            .map(|(i, s)| format!("{} ({})", s.manifest.scenario, label(i)))
            .collect();
        format!(
            "Median of {} with the middle 50% and 90% of trajectories, in {}, on the same \
             random draws; each scenario in its own colour, as in the legend.",
            self.series[0].metric,
            names.join(", ")
        )
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let c = self.comparison;
        let body = header(root, &self.title(), &sides_line(c))?;
        let mut keys: Vec<(String, Key)> = c
            .scenarios
            .iter()
            .enumerate()
            .map(|(i, s)| {
                (
                    format!("{}: {}, median and bands", label(i), s.manifest.scenario),
                    Key::Line(scenario_color(i), 3),
                )
            })
            .collect();
        keys.push(("scheduled event".to_string(), Key::Dashed(MUTED)));
        let body = legend(&body, &keys)?;
        let range = self
            .series
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |r, s| {
                (r.0.min(s.range.0), r.1.max(s.range.1))
            });
        let (lo, hi) = extent(
            self.series
                .iter()
                .flat_map(|s| &s.bands)
                .flat_map(|b| [b.p05, b.p95]),
            range,
        );
        let steps = last_step(self.series.iter().map(|s| s.bands.len()));
        let axes = Axes::over_time(
            &c.reference().manifest,
            self.series[0].metric.clone(),
            &|y| fixed(*y, 2),
        );
        let mut chart = line_chart(&body, 0f64..steps, lo..hi, axes)?;
        // Many overlaid bands turn to mud: fainter the more scenarios share the chart.
        let fade = 2.0 / self.series.len().max(2) as f64;
        for (i, s) in self.series.iter().enumerate() {
            draw_fan(
                &mut chart,
                &s.bands,
                scenario_color(i),
                0.12 * fade,
                0.22 * fade,
            )?;
        }
        event_markers(&mut chart, &scheduled_markers(c), (lo, hi))?;
        Ok(())
    }
}
