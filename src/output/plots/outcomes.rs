//! Outcome probabilities: one bar per outcome with its 95% (Wilson) interval, in the order
//! the scenario lists them.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{header, percent, run_line, text, DrawResult, Plot, FONT, GRID, INK, SIDE_A};
use crate::analysis::RunSummary;

pub struct OutcomeChart<'a> {
    pub summary: &'a RunSummary,
}

/// Rows of a horizontal category chart: row `i` of `n` sits at `y = n - 1 - i`, so the first
/// item is on top.
pub fn row_y(i: usize, n: usize) -> f64 {
    (n - 1 - i) as f64
}

/// Width in pixels the longest label needs.
pub fn label_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    labels: impl Iterator<Item = String>,
    style: &TextStyle<'_>,
) -> Result<u32, DrawingAreaErrorKind<DB::ErrorType>> {
    let mut widest = 0;
    for label in labels {
        widest = widest.max(area.estimate_text_size(&label, style)?.0);
    }
    Ok(widest)
}

impl Plot for OutcomeChart<'_> {
    fn stem(&self) -> String {
        "outcomes".to_string()
    }
    fn title(&self) -> String {
        "Outcome probabilities".to_string()
    }
    fn caption(&self) -> String {
        "Share of trajectories in which each outcome holds (bar), with its 95% Wilson interval \
         (black line)."
            .to_string()
    }
    fn size(&self) -> (u32, u32) {
        (1000, 170 + 56 * self.summary.outcomes.len().max(1) as u32)
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let outcomes = &self.summary.outcomes;
        let n = outcomes.len().max(1);
        let body = header(root, &self.title(), &run_line(&self.summary.manifest))?;
        let name_style = text(16.0, &INK);
        let names = label_width(&body, outcomes.iter().map(|o| o.name.clone()), &name_style)?;
        let mut chart = ChartBuilder::on(&body)
            .margin_left(12)
            .margin_right(40)
            .margin_top(10)
            .margin_bottom(8)
            .x_label_area_size(52)
            .y_label_area_size(names + 24)
            .build_cartesian_2d(0f64..1f64, -0.6f64..(n as f64 - 0.4))?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_desc("probability (share of trajectories), with 95% interval")
            .x_label_formatter(&|x| format!("{:.0}%", 100.0 * x))
            .label_style((FONT, 15).into_font().color(&INK))
            .axis_desc_style((FONT, 16).into_font().color(&INK))
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .axis_style(INK.mix(0.8))
            .draw()?;
        let value_style = text(15.0, &INK).pos(Pos::new(HPos::Left, VPos::Center));
        for (i, o) in outcomes.iter().enumerate() {
            let y = row_y(i, n);
            chart.draw_series(std::iter::once(Rectangle::new(
                [(0.0, y - 0.3), (o.probability, y + 0.3)],
                SIDE_A.mix(0.55).filled(),
            )))?;
            let whisker = INK.stroke_width(2);
            chart.draw_series([
                PathElement::new(vec![(o.ci_low, y), (o.ci_high, y)], whisker),
                PathElement::new(vec![(o.ci_low, y - 0.15), (o.ci_low, y + 0.15)], whisker),
                PathElement::new(vec![(o.ci_high, y - 0.15), (o.ci_high, y + 0.15)], whisker),
            ])?;
            let label = format!(
                "{}  [{}, {}]",
                percent(o.probability),
                percent(o.ci_low),
                percent(o.ci_high)
            );
            let (x, dx, style) = if o.ci_high < 0.72 {
                (o.ci_high, 10, value_style.clone())
            } else {
                (
                    0.0,
                    8,
                    text(15.0, &WHITE).pos(Pos::new(HPos::Left, VPos::Center)),
                )
            };
            chart.draw_series(std::iter::once(
                EmptyElement::at((x, y)) + Text::new(label, (dx, 0), style),
            ))?;
            // The outcome's name, right-aligned in the label area.
            let (px, py) = chart.backend_coord(&(0.0, y));
            root.draw(&Text::new(
                o.name.clone(),
                (px - 12, py),
                name_style.pos(Pos::new(HPos::Right, VPos::Center)),
            ))?;
        }
        Ok(())
    }
}
