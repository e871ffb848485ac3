//! Outcome probabilities: one bar per outcome with its 95% (Wilson) interval, in the order
//! the scenario lists them.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{
    bar_chart, header, interval_whisker, row_name, row_names_width, row_y, run_line, text, Bars,
    DrawResult, Plot, INK, SIDE_A,
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
        let names = row_names_width(&body, outcomes.iter().map(|o| o.name.clone()))?;
        let mut chart = bar_chart(&body, Bars::probabilities(n, names))?;
        let value_style = text(15.0, &INK).pos(Pos::new(HPos::Left, VPos::Center));
        for (i, o) in outcomes.iter().enumerate() {
            let y = row_y(i, n);
            chart.draw_series(std::iter::once(Rectangle::new(
                [(0.0, y - 0.3), (o.probability, y + 0.3)],
                SIDE_A.mix(0.55).filled(),
            )))?;
            let whisker = INK.stroke_width(2);
            chart.draw_series(interval_whisker(
                (o.ci_low, o.ci_high),
                y,
                0.15,
                whisker,
                whisker,
            ))?;
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
            row_name(root, &chart, (0.0, y), &o.name)?;
        }
        Ok(())
    }
}
