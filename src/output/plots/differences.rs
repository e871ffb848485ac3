//! The effect of each scenario on each outcome shared by all: the paired difference from the
//! reference (A) with its 95% interval, in the scenario's colour (a filled dot when the
//! interval excludes zero), beside the wider interval two independent runs would give
//! (grey), so the gain from common random numbers is visible.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::overlay::sides_line;
use super::{
    bar_chart, header, interval_whisker, legend, row_name, row_names_width, row_y, scenario_color,
    text, Bars, DrawResult, Key, Plot, INK, MUTED,
};
use crate::analysis::compare::label;
use crate::analysis::Comparison;
use crate::output::numbers::points;

pub struct DifferenceChart<'a> {
    pub comparison: &'a Comparison,
}

impl DifferenceChart<'_> {
    fn others(&self) -> usize {
        self.comparison.scenarios.len() - 1
    }
}

impl Plot for DifferenceChart<'_> {
    fn stem(&self) -> String {
        "outcome_differences".to_string()
    }
    fn title(&self) -> String {
        if self.others() == 1 {
            "How B changes each outcome (B - A)".to_string()
        } else {
            "How each scenario changes each outcome (against A)".to_string()
        }
    }
    fn caption(&self) -> String {
        "Difference in each outcome's probability from the reference A, in percentage points: \
         the dot with its 95% paired interval in the scenario's colour (filled when the \
         interval excludes zero), and in grey the interval two independent runs of the same \
         size would give."
            .to_string()
    }
    fn size(&self) -> (u32, u32) {
        let rows = self.comparison.outcomes.len().max(1) * self.others().max(1);
        (
            1000,
            220 + 44 * rows as u32 + 16 * self.comparison.outcomes.len() as u32,
        )
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let c = self.comparison;
        let outcomes = &c.outcomes;
        let others = self.others().max(1);
        let n = outcomes.len().max(1);
        let body = header(root, &self.title(), &sides_line(c))?;
        let mut keys: Vec<(String, Key)> = (1..c.scenarios.len())
            .map(|i| {
                (
                    format!("{} - A: {}", label(i), c.scenarios[i].manifest.scenario),
                    Key::Line(scenario_color(i), 4),
                )
            })
            .collect();
        keys.push((
            "unpaired runs would give".to_string(),
            Key::Band(MUTED, 0.35),
        ));
        let body = legend(&body, &keys)?;
        let names = row_names_width(&body, outcomes.iter().map(|o| o.name.clone()))?;
        // Zero is always shown; the span covers every interval, paired and unpaired.
        let (mut lo, mut hi) = (0.0f64, 0.0f64);
        for d in outcomes.iter().flat_map(|o| &o.differences) {
            lo = lo.min(d.ci_low).min(d.diff - d.unpaired_half_width);
            hi = hi.max(d.ci_high).max(d.diff + d.unpaired_half_width);
        }
        let air = ((hi - lo) * 0.08).max(0.005);
        let (lo, hi) = (lo - air, hi + air);
        // Room on the right for each difference and interval in words.
        let mut chart = bar_chart(
            &body,
            Bars {
                x: lo..hi,
                rows: n,
                names,
                right: 210,
                top: 6,
                x_desc: "difference from A, percentage points",
                x_ticks: &|x| points(*x),
            },
        )?;
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, -0.6), (0.0, n as f64 - 0.4)],
            INK.mix(0.6).stroke_width(1),
        )))?;
        // Within an outcome's row, one line per scenario, top to bottom in their order.
        let slot = 0.8 / others as f64;
        for (i, o) in outcomes.iter().enumerate() {
            let centre = row_y(i, n);
            for (k, d) in o.differences.iter().enumerate() {
                let y = centre + 0.4 - slot * (k as f64 + 0.5);
                let half = (slot * 0.4).min(0.16);
                chart.draw_series(std::iter::once(Rectangle::new(
                    [
                        (d.diff - d.unpaired_half_width, y - half),
                        (d.diff + d.unpaired_half_width, y + half),
                    ],
                    MUTED.mix(0.3).filled(),
                )))?;
                let significant = d.ci_low > 0.0 || d.ci_high < 0.0;
                let color = scenario_color(k + 1);
                chart.draw_series(interval_whisker(
                    (d.ci_low, d.ci_high),
                    y,
                    half,
                    color.stroke_width(4),
                    color.stroke_width(2),
                ))?;
                let dot = if significant {
                    Circle::new((d.diff, y), 6, color.filled())
                } else {
                    Circle::new((d.diff, y), 6, WHITE.filled())
                };
                chart.draw_series([dot, Circle::new((d.diff, y), 6, color.stroke_width(2))])?;
                let (qx, qy) = chart.backend_coord(&(hi, y));
                let who = if others > 1 {
                    format!("{}: ", d.label)
                } else {
                    String::new()
                };
                root.draw(&Text::new(
                    format!(
                        "{who}{} [{}, {}] pts",
                        points(d.diff),
                        points(d.ci_low),
                        points(d.ci_high)
                    ),
                    (qx + 14, qy),
                    text(14.0, &color).pos(Pos::new(HPos::Left, VPos::Center)),
                ))?;
            }
            row_name(root, &chart, (lo, centre), &o.name)?;
        }
        Ok(())
    }
}
