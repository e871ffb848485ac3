//! Fan chart of one tracked metric: the median over time with the bands holding the middle
//! 50% and 90% of trajectories, and dashed markers where events are scheduled.

use crate::output::numbers::fixed;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::{
    event_markers, extent, header, last_step, legend, line_chart, run_line, slug, Axes, DrawResult,
    Key, Plot, SIDE_A,
};
use crate::analysis::{Band, MetricSeries, RunSummary};

pub struct FanChart<'a> {
    pub summary: &'a RunSummary,
    pub series: &'a MetricSeries,
    /// Position among the run's metrics (keeps file names unique and in file order).
    pub index: usize,
}

/// A band's outline: `low` forward over the steps, `high` back.
pub fn band_polygon(
    bands: &[Band],
    low: fn(&Band) -> f64,
    high: fn(&Band) -> f64,
) -> Vec<(f64, f64)> {
    let forward = bands.iter().enumerate().map(|(t, b)| (t as f64, low(b)));
    let back = bands
        .iter()
        .enumerate()
        .rev()
        .map(|(t, b)| (t as f64, high(b)));
    forward.chain(back).collect()
}

/// The median as a line.
pub fn median_line(bands: &[Band]) -> Vec<(f64, f64)> {
    bands
        .iter()
        .enumerate()
        .map(|(t, b)| (t as f64, b.p50))
        .collect()
}

/// Draws the 90% band, the 50% band and the median of one side in one colour.
pub fn draw_fan<DB: DrawingBackend>(
    chart: &mut ChartContext<
        '_,
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
    bands: &[Band],
    color: RGBColor,
    outer: f64,
    inner: f64,
) -> DrawResult<DB> {
    chart.draw_series(std::iter::once(Polygon::new(
        band_polygon(bands, |b| b.p05, |b| b.p95),
        color.mix(outer).filled(),
    )))?;
    chart.draw_series(std::iter::once(Polygon::new(
        band_polygon(bands, |b| b.p25, |b| b.p75),
        color.mix(inner).filled(),
    )))?;
    chart.draw_series(std::iter::once(PathElement::new(
        median_line(bands),
        color.stroke_width(3),
    )))?;
    Ok(())
}

impl Plot for FanChart<'_> {
    fn stem(&self) -> String {
        format!("fan_{:02}_{}", self.index + 1, slug(&self.series.metric))
    }
    fn title(&self) -> String {
        format!("{} over time", self.series.metric)
    }
    fn caption(&self) -> String {
        format!(
            "Median of {} over the {} (line), with the middle 50% (dark band) and 90% (light band) \
             of trajectories; dashed lines mark scheduled events.",
            self.series.metric,
            super::plural(&self.summary.manifest.step_unit)
        )
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let m = &self.summary.manifest;
        let bands = &self.series.bands;
        let body = header(root, &self.title(), &run_line(m))?;
        let body = legend(
            &body,
            &[
                ("median".to_string(), Key::Line(SIDE_A, 3)),
                (
                    "middle 50% of trajectories".to_string(),
                    Key::Band(SIDE_A, 0.45),
                ),
                ("middle 90%".to_string(), Key::Band(SIDE_A, 0.18)),
                ("scheduled event".to_string(), Key::Dashed(super::MUTED)),
            ],
        )?;
        let (lo, hi) = extent(bands.iter().flat_map(|b| [b.p05, b.p95]), self.series.range);
        let steps = last_step([bands.len()]);
        let axes = Axes::over_time(m, self.series.metric.clone(), &|y| fixed(*y, 2));
        let mut chart = line_chart(&body, 0f64..steps, lo..hi, axes)?;
        draw_fan(&mut chart, bands, SIDE_A, 0.18, 0.32)?;
        let scheduled: Vec<(String, u32)> = self
            .summary
            .scheduled
            .iter()
            .map(|s| (s.name.clone(), s.step))
            .collect();
        event_markers(&mut chart, &scheduled, (lo, hi))?;
        Ok(())
    }
}
