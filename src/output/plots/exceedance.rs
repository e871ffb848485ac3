//! One picture per level outcome: the probability that it would hold at every threshold
//! near the file's (`analysis::exceedance`), the file's own threshold marked with its
//! probability, so that a reader sees how much the answer hangs on the number chosen.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{
    header, legend, line_chart, run_line, slug, text, Axes, DrawResult, Key, Plot, INK, MUTED,
    SIDE_A,
};
use crate::analysis::exceedance::{Curve, NEARBY};
use crate::analysis::RunSummary;
use crate::model::level::Side;
use crate::output::numbers::{percent, whole_percent};
use crate::scenario::spelling::shown;

/// Level outcomes drawn, at most: a file may have a thousand, and a picture each made a
/// run of 1,000 of them take 8.2 s instead of 0.9 s and write 88 MB of pictures. The
/// report and `exceedance.csv` have every one.
pub const MOST_DRAWN: usize = 30;

pub struct ExceedanceChart<'a> {
    pub summary: &'a RunSummary,
    pub curve: &'a Curve,
    /// Position among the run's level outcomes (keeps file names unique and in order).
    pub index: usize,
}

/// What the x axis holds: the metric at the end, or its extreme over the run for "ever".
fn compared(curve: &Curve) -> String {
    let metric = shown(&curve.metric);
    match (curve.kind, curve.side) {
        ("ever", Side::Above) => format!("x: the largest {metric} reached"),
        ("ever", Side::Below) => format!("x: the smallest {metric} reached"),
        _ => format!("x: {metric} at the end"),
    }
}

/// The relation the curve counts, as the legend writes it.
fn relation(curve: &Curve) -> &'static str {
    match curve.side {
        Side::Above => "above x",
        Side::Below => "below x",
    }
}

/// Probabilities this close to 0 or 1 are the curve's flat tails, left out of the picture
/// (the CSV has them): a handful of trajectories out of thousands would otherwise stretch
/// the axis over the whole range and squeeze the part that moves.
const TAIL: f64 = 0.001;

/// Room above 100% for the threshold's label, so that it never crosses the curve.
const TOP: f64 = 1.12;

/// The span of x to show: where the curve moves between its tails, and the threshold with
/// its neighbours, with a little air, inside the metric's grid.
fn span(curve: &Curve) -> (f64, f64) {
    let moving = (curve.points.iter())
        .filter(|p| p.probability > TAIL && p.probability < 1.0 - TAIL)
        .map(|p| p.x);
    let t = curve.threshold;
    let (mut lo, mut hi) = (t - NEARBY, t + NEARBY);
    for x in moving {
        lo = lo.min(x);
        hi = hi.max(x);
    }
    let air = 0.05 * (hi - lo);
    let first = curve.points.first().map_or(lo, |p| p.x);
    let last = curve.points.last().map_or(hi, |p| p.x);
    ((lo - air).max(first), (hi + air).min(last))
}

impl Plot for ExceedanceChart<'_> {
    fn stem(&self) -> String {
        format!(
            "exceedance_{:02}_{}",
            self.index + 1,
            slug(&self.curve.outcome)
        )
    }
    fn title(&self) -> String {
        format!(
            "{}: the answer at every threshold",
            shown(&self.curve.outcome)
        )
    }
    fn caption(&self) -> String {
        let c = self.curve;
        format!(
            "Share of trajectories in which {} lies {} (line), for every threshold x near the \
             file's; the dashed line marks the file's threshold {}, where the line is the \
             outcome's probability, {}.",
            compared(c).trim_start_matches("x: "),
            relation(c),
            c.threshold,
            percent(c.at_threshold().probability)
        )
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let c = self.curve;
        let body = header(root, &self.title(), &run_line(&self.summary.manifest))?;
        let body = legend(
            &body,
            &[
                (
                    format!("probability that it lies {}", relation(c)),
                    Key::Line(SIDE_A, 3),
                ),
                ("the file's threshold".to_string(), Key::Dashed(MUTED)),
            ],
        )?;
        let (lo, hi) = span(c);
        let axes = Axes {
            x: compared(c),
            y: "probability (share of trajectories)".to_string(),
            // `+ 0.0` turns a -0.0 into 0.0; a tick a hair below zero is written 0.00 too.
            x_ticks: Some(Box::new(|x| {
                format!("{:.2}", (x * 100.0).round() / 100.0 + 0.0)
            })),
            // No tick above 100%: the room there is the label's.
            y_ticks: &|y| {
                if *y > 1.0 + 1e-9 {
                    String::new()
                } else {
                    whole_percent(*y)
                }
            },
        };
        let mut chart = line_chart(&body, lo..hi, 0f64..TOP, axes)?;
        let line = (c.points.iter())
            .filter(|p| (lo..=hi).contains(&p.x))
            .map(|p| (p.x, p.probability));
        chart.draw_series(std::iter::once(PathElement::new(
            line.collect::<Vec<_>>(),
            SIDE_A.stroke_width(3),
        )))?;
        let at = c.at_threshold();
        chart.draw_series(std::iter::once(DashedPathElement::new(
            vec![(c.threshold, 0.0), (c.threshold, TOP)],
            6,
            4,
            MUTED.stroke_width(2),
        )))?;
        chart.draw_series(std::iter::once(Circle::new(
            (c.threshold, at.probability),
            6,
            SIDE_A.filled(),
        )))?;
        // Above 100%, where no curve goes, beside the dashed line on the side with room for
        // it, so that it is never cut at the chart's edge.
        let label = format!("threshold {}: {}", c.threshold, percent(at.probability));
        let style = text(15.0, &INK);
        let (width, _) = chart.plotting_area().estimate_text_size(&label, &style)?;
        let (x, _) = chart.backend_coord(&(c.threshold, TOP));
        let right_edge = chart.plotting_area().get_pixel_range().0.end;
        let (dx, anchor) = if x + 10 + width as i32 <= right_edge {
            (10, HPos::Left)
        } else {
            (-10, HPos::Right)
        };
        chart.draw_series(std::iter::once(
            EmptyElement::at((c.threshold, (1.0 + TOP) / 2.0))
                + Text::new(label, (dx, 0), style.pos(Pos::new(anchor, VPos::Center))),
        ))?;
        Ok(())
    }
}
