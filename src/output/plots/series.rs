//! How the lines of one picture are told apart when there are many: ten colours, then the
//! same ten dashed, then dotted, so that thirty series stay distinct (and the first ten,
//! solid, look as they always have).

use plotters::coord::types::RangedCoordf64;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

use super::{DrawResult, PALETTE};

/// How a line is stroked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dash {
    Solid,
    /// Dashes and gaps of these lengths, in pixels.
    Pattern(u32, u32),
}

/// The patterns, in the order they are used: each new ten series take the next.
const DASHES: [Dash; 3] = [Dash::Solid, Dash::Pattern(10, 5), Dash::Pattern(2, 4)];

/// How many series a picture tells apart: at least twenty (issue 24), checked when built.
pub const DISTINCT: usize = PALETTE.len() * DASHES.len();
const _: () = assert!(DISTINCT >= 20);

/// The colour and dash of a series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeriesStyle {
    pub color: RGBColor,
    pub dash: Dash,
}

/// The style of series `i` of a picture: distinct from every other below `DISTINCT`.
pub fn series_style(i: usize) -> SeriesStyle {
    let i = i % DISTINCT;
    SeriesStyle {
        color: PALETTE[i % PALETTE.len()],
        dash: DASHES[i / PALETTE.len()],
    }
}

/// A line through `points` in `style`, on a chart of numbers.
pub fn draw_line<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    points: Vec<(f64, f64)>,
    style: SeriesStyle,
    width: u32,
) -> DrawResult<DB> {
    let stroke = style.color.stroke_width(width);
    match style.dash {
        Dash::Solid => chart.draw_series(std::iter::once(PathElement::new(points, stroke)))?,
        Dash::Pattern(size, gap) => chart.draw_series(std::iter::once(DashedPathElement::new(
            points, size, gap, stroke,
        )))?,
    };
    Ok(())
}

/// The same line, from `from` to `to`, in pixels (a legend's key).
pub fn draw_key<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    from: (i32, i32),
    to: (i32, i32),
    style: SeriesStyle,
    width: u32,
) -> DrawResult<DB> {
    let stroke = style.color.stroke_width(width);
    match style.dash {
        Dash::Solid => area.draw(&PathElement::new(vec![from, to], stroke)),
        Dash::Pattern(size, gap) => {
            area.draw(&DashedPathElement::new(vec![from, to], size, gap, stroke))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twenty_series_and_more_have_each_their_own_colour_and_dash() {
        let styles: Vec<SeriesStyle> = (0..DISTINCT).map(series_style).collect();
        for (i, a) in styles.iter().enumerate() {
            for b in &styles[i + 1..] {
                assert_ne!(a, b);
            }
        }
        // The first ten are the palette's solid lines, as before there were more.
        assert_eq!(
            series_style(3),
            SeriesStyle {
                color: PALETTE[3],
                dash: Dash::Solid
            }
        );
    }
}
