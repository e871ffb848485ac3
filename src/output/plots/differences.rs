//! The effect of going from A to B on each shared outcome: the paired difference `B - A`
//! with its 95% interval (dark), beside the wider interval two independent runs would give
//! (grey), so the gain from common random numbers is visible.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::overlay::sides_line;
use super::{
    bar_chart, header, label_width, legend, row_y, text, Bars, DrawResult, Key, Plot, INK, MUTED,
    SIDE_B,
};
use crate::analysis::Comparison;
use crate::output::numbers::points;

pub struct DifferenceChart<'a> {
    pub comparison: &'a Comparison,
}

impl Plot for DifferenceChart<'_> {
    fn stem(&self) -> String {
        "outcome_differences".to_string()
    }
    fn title(&self) -> String {
        "How B changes each outcome (B - A)".to_string()
    }
    fn caption(&self) -> String {
        "Difference in each outcome's probability, B minus A, in percentage points: the dot with \
         its 95% paired interval (dark; orange when it excludes zero), and in grey the interval \
         two independent runs of the same size would give."
            .to_string()
    }
    fn size(&self) -> (u32, u32) {
        (
            1000,
            200 + 60 * self.comparison.outcomes.len().max(1) as u32,
        )
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let c = self.comparison;
        let outcomes = &c.outcomes;
        let n = outcomes.len().max(1);
        let body = header(root, &self.title(), &sides_line(c))?;
        let body = legend(
            &body,
            &[
                (
                    "paired 95% interval, excludes 0".to_string(),
                    Key::Line(SIDE_B, 4),
                ),
                ("paired, includes 0".to_string(), Key::Line(INK, 4)),
                (
                    "unpaired runs would give".to_string(),
                    Key::Band(MUTED, 0.35),
                ),
            ],
        )?;
        let name_style = text(16.0, &INK);
        let names = label_width(&body, outcomes.iter().map(|o| o.name.clone()), &name_style)?;
        // Zero is always shown; the span covers every interval, paired and unpaired.
        let (mut lo, mut hi) = (0.0f64, 0.0f64);
        for o in outcomes {
            lo = lo.min(o.ci_low).min(o.diff - o.unpaired_half_width);
            hi = hi.max(o.ci_high).max(o.diff + o.unpaired_half_width);
        }
        let air = ((hi - lo) * 0.08).max(0.005);
        let (lo, hi) = (lo - air, hi + air);
        // Room on the right for each outcome's difference and interval in words.
        let mut chart = bar_chart(
            &body,
            Bars {
                x: lo..hi,
                rows: n,
                names,
                right: 210,
                top: 6,
                x_desc: "B - A, percentage points",
                x_ticks: &|x| points(*x),
            },
        )?;
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, -0.6), (0.0, n as f64 - 0.4)],
            INK.mix(0.6).stroke_width(1),
        )))?;
        for (i, o) in outcomes.iter().enumerate() {
            let y = row_y(i, n);
            chart.draw_series(std::iter::once(Rectangle::new(
                [
                    (o.diff - o.unpaired_half_width, y - 0.16),
                    (o.diff + o.unpaired_half_width, y + 0.16),
                ],
                MUTED.mix(0.3).filled(),
            )))?;
            let significant = o.ci_low > 0.0 || o.ci_high < 0.0;
            let color = if significant { SIDE_B } else { INK };
            chart.draw_series([
                PathElement::new(vec![(o.ci_low, y), (o.ci_high, y)], color.stroke_width(4)),
                PathElement::new(
                    vec![(o.ci_low, y - 0.2), (o.ci_low, y + 0.2)],
                    color.stroke_width(2),
                ),
                PathElement::new(
                    vec![(o.ci_high, y - 0.2), (o.ci_high, y + 0.2)],
                    color.stroke_width(2),
                ),
            ])?;
            chart.draw_series(std::iter::once(Circle::new((o.diff, y), 6, color.filled())))?;
            let (px, py) = chart.backend_coord(&(lo, y));
            root.draw(&Text::new(
                o.name.clone(),
                (px - 12, py),
                name_style.pos(Pos::new(HPos::Right, VPos::Center)),
            ))?;
            let (qx, _) = chart.backend_coord(&(hi, y));
            root.draw(&Text::new(
                format!(
                    "{} [{}, {}] pts",
                    points(o.diff),
                    points(o.ci_low),
                    points(o.ci_high)
                ),
                (qx + 14, py),
                text(15.0, &color).pos(Pos::new(HPos::Left, VPos::Center)),
            ))?;
        }
        Ok(())
    }
}
