//! Every outcome shared by the compared scenarios, side by side: for each outcome a group of
//! bars, one per scenario in its colour (the reference A first, on top), each with its 95%
//! Wilson interval.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::overlay::sides_line;
use super::{
    bar_chart, header, interval_whisker, legend, row_name, row_names_width, row_y, scenario_color,
    text, Bars, DrawResult, Key, Plot, INK,
};
use crate::analysis::compare::label;
use crate::analysis::summary::OutcomeSummary;
use crate::analysis::Comparison;
use crate::output::numbers::percent;

pub struct OutcomesAcross<'a> {
    pub comparison: &'a Comparison,
}

impl OutcomesAcross<'_> {
    /// The summary of outcome `name` in scenario `s` (every scenario defines the shared ones).
    fn outcome(&self, s: usize, name: &str) -> Option<&OutcomeSummary> {
        self.comparison.scenarios[s]
            .outcomes
            .iter()
            .find(|o| o.name == name)
    }
}

impl Plot for OutcomesAcross<'_> {
    fn stem(&self) -> String {
        "outcomes_across".to_string()
    }
    fn title(&self) -> String {
        "Outcome probabilities in each scenario".to_string()
    }
    fn caption(&self) -> String {
        "Share of trajectories in which each outcome holds, one bar per scenario in its colour \
         (the reference A first), with its 95% Wilson interval (black line)."
            .to_string()
    }
    fn size(&self) -> (u32, u32) {
        let c = self.comparison;
        let bars = c.outcomes.len().max(1) * c.scenarios.len();
        (1000, 220 + 26 * bars as u32 + 18 * c.outcomes.len() as u32)
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let c = self.comparison;
        let outcomes = &c.outcomes;
        let n = outcomes.len().max(1);
        let count = c.scenarios.len();
        let body = header(root, &self.title(), &sides_line(c))?;
        let keys: Vec<(String, Key)> = c
            .scenarios
            .iter()
            .enumerate()
            .map(|(i, s)| {
                (
                    format!("{}: {}", label(i), s.manifest.scenario),
                    Key::Band(scenario_color(i), 0.75),
                )
            })
            .collect();
        let body = legend(&body, &keys)?;
        let names = row_names_width(&body, outcomes.iter().map(|o| o.name.clone()))?;
        let mut chart = bar_chart(&body, Bars::probabilities(n, names))?;
        let slot = 0.84 / count as f64;
        let value_style = text(13.0, &INK).pos(Pos::new(HPos::Left, VPos::Center));
        for (i, o) in outcomes.iter().enumerate() {
            let centre = row_y(i, n);
            for s in 0..count {
                let Some(summary) = self.outcome(s, &o.name) else {
                    continue;
                };
                let y = centre + 0.42 - slot * (s as f64 + 0.5);
                let half = slot * 0.42;
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(0.0, y - half), (summary.probability, y + half)],
                    scenario_color(s).mix(0.75).filled(),
                )))?;
                let whisker = INK.stroke_width(2);
                let (lo, hi) = (summary.ci_low, summary.ci_high);
                chart.draw_series(interval_whisker((lo, hi), y, half, whisker, whisker))?;
                let value = format!("{} {}", label(s), percent(summary.probability));
                let (x, style) = if hi < 0.85 {
                    (hi, value_style.clone())
                } else {
                    (
                        0.0,
                        text(13.0, &WHITE).pos(Pos::new(HPos::Left, VPos::Center)),
                    )
                };
                chart.draw_series(std::iter::once(
                    EmptyElement::at((x, y)) + Text::new(value, (8, 0), style),
                ))?;
            }
            row_name(root, &chart, (0.0, centre), &o.name)?;
        }
        Ok(())
    }
}
