//! Pictures of a scored forecast (`simulate score`): each observed metric's fan with the
//! observations as points, and the histogram of the observations' PIT values.
//!
//! The fans are drawn from the same distribution the scores read (`analysis::distribution`),
//! so a point drawn outside the light band is one that `score.csv` marks outside the 90%
//! band.

use crate::output::numbers::fixed;
use std::io;
use std::path::Path;

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

use super::fan::draw_fan;
use super::{
    extent, header, last_step, legend, line_chart, run_line, slug, write_figures, Axes, DrawResult,
    Figure, Key, Plot, FONT, GRID, INK, MUTED, SIDE_A, SIDE_B,
};
use crate::analysis::score::{ScoreRun, Scored, ScoredSeries};
use crate::output::Exporter;

/// Bins of the PIT histogram: ten, each holding a tenth of a calibrated forecast's
/// observations.
const PIT_BINS: usize = 10;

/// The pictures of a score, in the order the report shows them.
pub fn score_figures(r: &ScoreRun) -> Vec<Box<dyn Figure + '_>> {
    let mut figures: Vec<Box<dyn Figure + '_>> = Vec::new();
    for (index, series) in r.series.iter().enumerate() {
        figures.push(Box::new(ScoredFan {
            run: r,
            series,
            index,
        }));
    }
    if r.totals.n > 0 {
        figures.push(Box::new(PitHistogram { run: r }));
    }
    figures
}

/// The pictures of a score, in `plots/` beside the run's own.
pub struct ScorePlots;

impl Exporter<ScoreRun> for ScorePlots {
    fn write(&self, r: &ScoreRun, dir: &Path) -> io::Result<()> {
        write_figures(&score_figures(r), dir)
    }
}

/// One observed metric: the forecast's fan and what happened.
pub struct ScoredFan<'a> {
    pub run: &'a ScoreRun,
    pub series: &'a ScoredSeries,
    /// Position among the observed metrics (keeps file names unique and in file order).
    pub index: usize,
}

impl Plot for ScoredFan<'_> {
    fn stem(&self) -> String {
        format!("score_{:02}_{}", self.index + 1, slug(&self.series.metric))
    }
    fn title(&self) -> String {
        format!("{}: forecast and observations", self.series.metric)
    }
    fn caption(&self) -> String {
        format!(
            "The forecast of {} over the {} (median, middle 50% and 90% of trajectories) with \
             what was observed: dark rings inside the 90% band, orange rings outside it.",
            self.series.metric,
            super::plural(&self.run.summary.manifest.step_unit)
        )
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let m = &self.run.summary.manifest;
        let bands = &self.series.bands;
        let body = header(root, &self.title(), &run_line(m))?;
        let body = legend(
            &body,
            &[
                ("median".to_string(), Key::Line(SIDE_A, 3)),
                ("middle 50%".to_string(), Key::Band(SIDE_A, 0.45)),
                ("middle 90%".to_string(), Key::Band(SIDE_A, 0.18)),
                ("observed, inside the 90% band".to_string(), Key::Dot(INK)),
                ("observed, outside".to_string(), Key::Dot(SIDE_B)),
            ],
        )?;
        let values = bands
            .iter()
            .flat_map(|b| [b.p05, b.p95])
            .chain(self.series.observed.iter().map(|&(_, v, _)| v));
        let (lo, hi) = extent(values, self.series.range);
        let steps = last_step([bands.len()]);
        let axes = Axes::over_time(m, self.series.metric.clone(), &|y| fixed(*y, 2));
        let mut chart = line_chart(&body, 0f64..steps, lo..hi, axes)?;
        draw_fan(&mut chart, bands, SIDE_A, 0.18, 0.32)?;
        chart.draw_series(self.series.observed.iter().map(|&(t, v, inside)| {
            let at = (f64::from(t), v);
            let color = if inside { INK } else { SIDE_B };
            Circle::new(at, 7, color.stroke_width(3))
        }))?;
        Ok(())
    }
}

/// Where the observations fell in their forecasts: a calibrated forecast spreads them
/// evenly over [0, 1].
pub struct PitHistogram<'a> {
    pub run: &'a ScoreRun,
}

impl PitHistogram<'_> {
    fn counts(&self) -> [usize; PIT_BINS] {
        let mut counts = [0; PIT_BINS];
        for s in &self.run.scores {
            if let Scored::Metric(x) = &s.scored {
                counts[((x.pit * PIT_BINS as f64) as usize).min(PIT_BINS - 1)] += 1;
            }
        }
        counts
    }
}

impl Plot for PitHistogram<'_> {
    fn stem(&self) -> String {
        "pit_histogram".to_string()
    }
    fn title(&self) -> String {
        "Where the observations fell in the forecast".to_string()
    }
    fn caption(&self) -> String {
        format!(
            "The PIT of each of the {} observations of metrics (the share of trajectories below \
             the observed value) in ten bins. A calibrated forecast spreads them evenly (the \
             dashed line); a U shape means bands too narrow, a hump bands too wide, a slope a \
             bias.",
            self.run.totals.n
        )
    }
    fn size(&self) -> (u32, u32) {
        (1000, 480)
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let counts = self.counts();
        let n = self.run.totals.n;
        let even = n as f64 / PIT_BINS as f64;
        let top = counts.iter().copied().max().unwrap_or(0) as f64;
        let body = header(root, &self.title(), &run_line(&self.run.summary.manifest))?;
        let body = legend(
            &body,
            &[
                (
                    "observations in the bin".to_string(),
                    Key::Band(SIDE_A, 0.7),
                ),
                ("a calibrated forecast".to_string(), Key::Dashed(MUTED)),
            ],
        )?;
        let mut chart = ChartBuilder::on(&body)
            .margin_left(12)
            .margin_right(28)
            .margin_bottom(10)
            .x_label_area_size(52)
            .y_label_area_size(72)
            .build_cartesian_2d(0f64..1f64, 0f64..(top.max(even) * 1.15).max(1.0))?;
        // Counts are whole: a tick between two of them would only repeat a number.
        let whole = |y: &f64| {
            if (y - y.round()).abs() < 1e-9 {
                fixed(*y, 0)
            } else {
                String::new()
            }
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .y_labels((top.max(even) as usize + 2).min(10))
            .x_desc("PIT: share of trajectories below the observed value")
            .y_desc("observations")
            .x_label_formatter(&|x| fixed(*x, 1))
            .y_label_formatter(&whole)
            .label_style((FONT, 15).into_font().color(&INK))
            .axis_desc_style((FONT, 16).into_font().color(&INK))
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .axis_style(INK.mix(0.8))
            .draw()?;
        let width = 1.0 / PIT_BINS as f64;
        chart.draw_series(counts.iter().enumerate().map(|(i, &c)| {
            let left = i as f64 * width;
            Rectangle::new(
                [(left + 0.005, 0.0), (left + width - 0.005, c as f64)],
                SIDE_A.mix(0.7).filled(),
            )
        }))?;
        chart.draw_series(std::iter::once(DashedPathElement::new(
            vec![(0.0, even), (1.0, even)],
            6,
            4,
            MUTED.stroke_width(2),
        )))?;
        Ok(())
    }
}
