//! Where each tracked metric ends: the distribution of its final value over trajectories,
//! one small histogram per metric, zoomed to the values that occur.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{header, legend, run_line, DrawResult, Key, Plot, FONT, GRID, INK, SIDE_A, SIDE_B};
use crate::analysis::{MetricSeries, RunSummary};
use crate::output::numbers::{fixed, whole_percent};

pub struct FinalDistributions<'a> {
    pub summary: &'a RunSummary,
}

const PANEL_HEIGHT: u32 = 250;

fn columns(n: usize) -> usize {
    match n {
        0 | 1 => 1,
        2 | 4 => 2,
        _ => 3,
    }
}

/// The bins to show: from the first to the last non-empty one, with one empty bin of air on
/// each side where the range allows.
fn shown_bins(counts: &[u64]) -> (usize, usize) {
    let first = counts.iter().position(|&c| c > 0).unwrap_or(0);
    let last = counts
        .iter()
        .rposition(|&c| c > 0)
        .unwrap_or(counts.len().saturating_sub(1));
    (first.saturating_sub(1), (last + 2).min(counts.len()))
}

fn panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    series: &MetricSeries,
    trajectories: u64,
) -> DrawResult<DB> {
    let counts = &series.final_histogram;
    let bins = counts.len().max(1);
    let (lo, hi) = series.range;
    let width = (hi - lo) / bins as f64;
    let (from, to) = shown_bins(counts);
    let (x0, x1) = (lo + from as f64 * width, lo + to as f64 * width);
    let n = trajectories.max(1) as f64;
    let top = counts.iter().copied().max().unwrap_or(0) as f64 / n;
    let mut chart = ChartBuilder::on(area)
        .caption(series.metric.clone(), (FONT, 16).into_font().color(&INK))
        .margin(10)
        .margin_right(24)
        .x_label_area_size(30)
        .y_label_area_size(48)
        .build_cartesian_2d(x0..x1, 0f64..(top * 1.1).max(1e-9))?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(5)
        .y_labels(4)
        .x_label_formatter(&|x| fixed(*x, 2))
        .y_label_formatter(&|y| whole_percent(*y))
        .label_style((FONT, 13).into_font().color(&INK))
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .axis_style(INK.mix(0.8))
        .draw()?;
    chart.draw_series(
        counts
            .iter()
            .enumerate()
            .skip(from)
            .take(to - from)
            .map(|(i, &c)| {
                let left = lo + i as f64 * width;
                Rectangle::new(
                    [(left, 0.0), (left + width, c as f64 / n)],
                    SIDE_A.mix(0.7).filled(),
                )
            }),
    )?;
    if let Some(last) = series.bands.last() {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(last.p50, 0.0), (last.p50, top * 1.1)],
            SIDE_B.stroke_width(2),
        )))?;
    }
    Ok(())
}

impl Plot for FinalDistributions<'_> {
    fn stem(&self) -> String {
        "final_distributions".to_string()
    }
    fn title(&self) -> String {
        "Where the metrics end".to_string()
    }
    fn caption(&self) -> String {
        format!(
            "Distribution of each tracked metric at the last {} over all trajectories (share of \
             trajectories per bin; the orange line is the median).",
            self.summary.manifest.step_unit
        )
    }
    fn size(&self) -> (u32, u32) {
        let n = self.summary.series.len().max(1);
        let rows = n.div_ceil(columns(n)) as u32;
        (1000, 110 + rows * PANEL_HEIGHT)
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let s = self.summary;
        let body = header(root, &self.title(), &run_line(&s.manifest))?;
        let body = legend(
            &body,
            &[
                (
                    "share of trajectories in the bin".to_string(),
                    Key::Band(SIDE_A, 0.7),
                ),
                ("median".to_string(), Key::Line(SIDE_B, 2)),
            ],
        )?;
        let n = s.series.len();
        let cols = columns(n);
        let rows = n.div_ceil(cols).max(1);
        let panels = body.split_evenly((rows, cols));
        for (series, area) in s.series.iter().zip(panels.iter()) {
            panel(area, series, s.manifest.trajectories)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_occupied_bins_are_shown_with_one_bin_of_air() {
        assert_eq!(shown_bins(&[0, 0, 3, 4, 0, 0]), (1, 5));
        assert_eq!(shown_bins(&[5, 0, 0]), (0, 2));
        assert_eq!(shown_bins(&[0, 0, 7]), (1, 3));
        assert_eq!(shown_bins(&[0, 0, 0]), (0, 3));
    }
}
