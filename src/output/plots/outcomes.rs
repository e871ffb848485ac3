//! Outcome probabilities: one bar per outcome with its 95% (Wilson) interval, in the order
//! the scenario lists them.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{
    bar_chart, header, label_width, row_y, run_line, text, Bars, DrawResult, Plot, INK, SIDE_A,
};
use crate::analysis::RunSummary;
use crate::output::numbers::percent;

pub struct OutcomeChart<'a> {
    pub summary: &'a RunSummary,
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
        let mut chart = bar_chart(&body, Bars::probabilities(n, names))?;
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
