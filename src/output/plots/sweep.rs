//! Pictures of a sweep: each outcome's probability against the first swept parameter with
//! its 95% band (one curve per value of the second parameter), and, for two or more
//! parameters, a heat map over the first two.

use std::io;
use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::series::{draw_line, series_style};
use super::{
    header, legend, line_chart, slug, text, Axes, DrawResult, Figure, Key, Plot, FONT, INK,
};
use crate::analysis::sweep::Sweep;
use crate::output::numbers::{fixed, percent};
use crate::output::Exporter;

/// Most curves in one picture (values of the second parameter); more are thinned evenly.
const MAX_CURVES: usize = 8;

fn sweep_line(s: &Sweep) -> String {
    format!(
        "{}: {} trajectories per point on the same seeds, seed {}",
        s.manifest.scenario, s.manifest.trajectories, s.manifest.seed
    )
}

/// Grid indices of the other parameters held at their first value.
fn held_note(s: &Sweep, from: usize) -> String {
    if s.parameters.len() <= from {
        return String::new();
    }
    let held: Vec<String> = (from..s.parameters.len())
        .map(|p| format!("{} = {}", s.parameters[p], s.axes[p][0]))
        .collect();
    format!(" Other swept parameters are held at {}.", held.join(", "))
}

/// Probability of one outcome against the first parameter.
pub struct SweepCurves<'a> {
    pub sweep: &'a Sweep,
    pub outcome: usize,
}

impl SweepCurves<'_> {
    /// The second-axis indices drawn as curves.
    fn curves(&self) -> Vec<Option<usize>> {
        match self.sweep.axes.get(1) {
            None => vec![None],
            Some(axis) => {
                let n = axis.len();
                let take = n.min(MAX_CURVES);
                let mut picks: Vec<usize> = (0..take)
                    .map(|i| {
                        if take == 1 {
                            0
                        } else {
                            i * (n - 1) / (take - 1)
                        }
                    })
                    .collect();
                picks.dedup();
                picks.into_iter().map(Some).collect()
            }
        }
    }

    fn point(&self, i: usize, j: Option<usize>) -> &crate::analysis::sweep::PointOutcome {
        let mut at = vec![0; self.sweep.axes.len()];
        at[0] = i;
        if let Some(j) = j {
            at[1] = j;
        }
        &self.sweep.points[self.sweep.index(&at)].outcomes[self.outcome]
    }
}

impl Plot for SweepCurves<'_> {
    fn stem(&self) -> String {
        format!(
            "sweep_{:02}_{}_vs_{}",
            self.outcome + 1,
            slug(&self.sweep.outcomes[self.outcome]),
            slug(&self.sweep.parameters[0])
        )
    }
    fn title(&self) -> String {
        format!(
            "{} against {}",
            self.sweep.outcomes[self.outcome], self.sweep.parameters[0]
        )
    }
    fn caption(&self) -> String {
        let curves = if self.sweep.axes.len() > 1 {
            format!(" One curve per value of {}.", self.sweep.parameters[1])
        } else {
            String::new()
        };
        format!(
            "Probability of {} at each value of {} (line and dots) with its 95% Wilson interval \
             (band); every point runs the same trajectory seeds.{curves}{}",
            self.sweep.outcomes[self.outcome],
            self.sweep.parameters[0],
            held_note(self.sweep, 2)
        )
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let s = self.sweep;
        let body = header(root, &self.title(), &sweep_line(s))?;
        let curves = self.curves();
        let keys: Vec<(String, Key)> = curves
            .iter()
            .enumerate()
            .map(|(c, j)| {
                let label = match j {
                    Some(j) => format!("{} = {}", s.parameters[1], s.axes[1][*j]),
                    None => "probability (95% band)".to_string(),
                };
                (label, Key::Series(series_style(c), 3))
            })
            .collect();
        let body = legend(&body, &keys)?;
        let xs = &s.axes[0];
        let (x0, x1) = (xs[0], *xs.last().unwrap_or(&xs[0]));
        let (x0, x1) = if x1 > x0 {
            (x0, x1)
        } else {
            (x0 - 0.5, x0 + 0.5)
        };
        let axes = Axes {
            x: s.parameters[0].clone(),
            y: format!("P({})", s.outcomes[self.outcome]),
            x_ticks: None,
            y_ticks: &|y| fixed(*y, 1),
        };
        let mut chart = line_chart(&body, x0..x1, 0f64..1f64, axes)?;
        for (c, &j) in curves.iter().enumerate() {
            let style = series_style(c);
            let color = style.color;
            let low = (0..xs.len()).map(|i| (xs[i], self.point(i, j).ci_low));
            let high = (0..xs.len())
                .rev()
                .map(|i| (xs[i], self.point(i, j).ci_high));
            chart.draw_series(std::iter::once(Polygon::new(
                low.chain(high).collect::<Vec<_>>(),
                color.mix(0.15).filled(),
            )))?;
            let line: Vec<(f64, f64)> = (0..xs.len())
                .map(|i| (xs[i], self.point(i, j).probability))
                .collect();
            draw_line(&mut chart, line.clone(), style, 3)?;
            chart.draw_series(line.into_iter().map(|p| Circle::new(p, 4, color.filled())))?;
        }
        Ok(())
    }
}

/// Probability of one outcome over the first two parameters.
pub struct SweepHeatMap<'a> {
    pub sweep: &'a Sweep,
    pub outcome: usize,
}

/// White (0) to deep blue (1).
fn shade(p: f64) -> RGBColor {
    let p = p.clamp(0.0, 1.0);
    let mix = |lo: f64, hi: f64| (lo + (hi - lo) * p).round() as u8;
    RGBColor(mix(247.0, 8.0), mix(251.0, 48.0), mix(255.0, 107.0))
}

impl Plot for SweepHeatMap<'_> {
    fn stem(&self) -> String {
        format!(
            "heatmap_{:02}_{}",
            self.outcome + 1,
            slug(&self.sweep.outcomes[self.outcome])
        )
    }
    fn title(&self) -> String {
        format!(
            "{} over {} and {}",
            self.sweep.outcomes[self.outcome], self.sweep.parameters[0], self.sweep.parameters[1]
        )
    }
    fn caption(&self) -> String {
        format!(
            "Probability of {} at each grid point (colour, and the number in the cell); every \
             point runs the same trajectory seeds.{}",
            self.sweep.outcomes[self.outcome],
            held_note(self.sweep, 2)
        )
    }
    fn size(&self) -> (u32, u32) {
        (1000, 700)
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let s = self.sweep;
        let body = header(root, &self.title(), &sweep_line(s))?;
        let (nx, ny) = (s.axes[0].len(), s.axes[1].len());
        let mut chart = ChartBuilder::on(&body)
            .margin_left(12)
            .margin_right(28)
            .margin_bottom(10)
            .margin_top(10)
            .x_label_area_size(52)
            .y_label_area_size(90)
            .build_cartesian_2d(0f64..nx as f64, 0f64..ny as f64)?;
        let (ax, ay) = (s.axes[0].clone(), s.axes[1].clone());
        let label = move |axis: &[f64], v: f64| {
            let i = v.floor() as usize;
            if (v - i as f64 - 0.5).abs() < 1e-9 && i < axis.len() {
                format!("{}", (axis[i] * 1e6).round() / 1e6)
            } else {
                String::new()
            }
        };
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc(s.parameters[0].clone())
            .y_desc(s.parameters[1].clone())
            .x_labels(nx * 2 + 1)
            .y_labels(ny * 2 + 1)
            .x_label_formatter(&|x| label(&ax, *x))
            .y_label_formatter(&|y| label(&ay, *y))
            .label_style((FONT, 14).into_font().color(&INK))
            .axis_desc_style((FONT, 16).into_font().color(&INK))
            .axis_style(INK.mix(0.8))
            .draw()?;
        let show_numbers = nx <= 12 && ny <= 16;
        for i in 0..nx {
            for j in 0..ny {
                let mut at = vec![0; s.axes.len()];
                at[0] = i;
                at[1] = j;
                let p = s.points[s.index(&at)].outcomes[self.outcome].probability;
                let (x, y) = (i as f64, j as f64);
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x, y), (x + 1.0, y + 1.0)],
                    shade(p).filled(),
                )))?;
                if show_numbers {
                    let color = if p > 0.55 { WHITE } else { INK };
                    chart.draw_series(std::iter::once(Text::new(
                        percent(p),
                        (x + 0.5, y + 0.5),
                        text(13.0, &color).pos(Pos::new(HPos::Center, VPos::Center)),
                    )))?;
                }
            }
        }
        Ok(())
    }
}

/// Every picture of a sweep.
pub fn sweep_figures(s: &Sweep) -> Vec<Box<dyn Figure + '_>> {
    let mut figures: Vec<Box<dyn Figure + '_>> = Vec::new();
    if s.axes.is_empty() || s.points.is_empty() {
        return figures;
    }
    for outcome in 0..s.outcomes.len() {
        figures.push(Box::new(SweepCurves { sweep: s, outcome }));
        if s.axes.len() >= 2 {
            figures.push(Box::new(SweepHeatMap { sweep: s, outcome }));
        }
    }
    figures
}

/// The plots of a sweep, in `plots/`.
pub struct SweepPlots;

impl Exporter<Sweep> for SweepPlots {
    fn write(&self, s: &Sweep, dir: &Path) -> io::Result<()> {
        super::write_figures(&sweep_figures(s), dir)
    }
}
