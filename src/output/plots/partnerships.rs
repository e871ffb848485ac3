//! The mean final partnership matrix as a heat map: the standard picture of a signed
//! network, and the one that stays legible at any number of states (the scenario limit is
//! 200), where the network picture can only show a selection.
//!
//! Rows and columns are the states ordered by the bloc split: by their entry in the leading
//! eigenvector of the weighted matrix `c_i c_j P_ij` (`model::blocs::leading_vector`, the
//! relaxation the per-trajectory split reads its signs from), largest first, ties by file
//! order. Two blocs then show as two blue squares on the diagonal with red between them, and
//! a line marks where the sign changes. Colours are ten classes of ColorBrewer's RdBu,
//! diverging around 0 (blue allied, red hostile, as in the network picture) over a range
//! symmetric about 0: the largest |partnership| rounded up to a tenth; within a tenth of
//! the range of zero a cell stays white, so the many pairs with no partnership to speak of
//! do not fill a large world's matrix with pale colour. Classes rather than a
//! continuous ramp let a row's neighbouring cells of one class be drawn as one rectangle,
//! which keeps the SVG of a 200-state world (40,000 cells) small enough to inline.
//!
//! The picture is drawn from the summary's mean world, itself read from the aggregates
//! (fixed point, so independent of the thread count): same run, same bytes.

use crate::output::numbers::signed;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontTransform;

use super::{header, run_line, text, DrawResult, Plot, INK, MUTED};
use crate::analysis::{MeanWorld, RunSummary};
use crate::model::blocs::leading_vector;

pub struct PartnershipMatrix<'a> {
    pub summary: &'a RunSummary,
}

/// ColorBrewer RdBu, 10 classes: the most hostile first, the most allied last; classes 0-4
/// are below zero, 5-9 above.
const CLASSES: [RGBColor; 10] = [
    RGBColor(103, 0, 31),
    RGBColor(178, 24, 43),
    RGBColor(214, 96, 77),
    RGBColor(244, 165, 130),
    RGBColor(253, 219, 199),
    RGBColor(209, 229, 240),
    RGBColor(146, 197, 222),
    RGBColor(67, 147, 195),
    RGBColor(33, 102, 172),
    RGBColor(5, 48, 97),
];

/// Up to this many states every one is named; above, every k-th (the ~40 of the issue).
const ALL_NAMED: usize = 40;
/// The matrix's side aims at this many pixels.
const SIDE: u32 = 760;
/// The colour bar's height in pixels.
const BAR: u32 = 440;
/// Names longer than this are cut (with an ellipsis) so the labels leave room for the cells.
const NAME_CHARS: usize = 22;

/// The order of the states in the picture: by their entry in the leading eigenvector,
/// largest first (state 0's side first), ties in file order.
pub fn bloc_order(world: &MeanWorld) -> Vec<usize> {
    let n = world.states.len();
    let v = leading_vector(&world.partnership, &world.weights, n);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| v[b].total_cmp(&v[a]).then(a.cmp(&b)));
    order
}

/// How many states of the ordered list sit on state 0's side (entry not negative): the row
/// after which the picture draws the bloc line.
fn first_bloc_size(world: &MeanWorld) -> usize {
    let n = world.states.len();
    leading_vector(&world.partnership, &world.weights, n)
        .iter()
        .filter(|&&v| v >= 0.0)
        .count()
}

/// The colour scale's half range: the largest |partnership| off the diagonal rounded up to
/// a tenth, at least 0.1 (a world of zeros still gets a scale).
pub fn half_range(world: &MeanWorld) -> f64 {
    let n = world.states.len();
    let largest = (0..n * n)
        .filter(|ij| ij / n != ij % n)
        .map(|ij| world.partnership[ij].abs())
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::max);
    ((largest * 10.0 - 1e-9).ceil() / 10.0).clamp(0.1, 1.0)
}

/// The class of a partnership on the scale `[-range, range]`: `None` within a tenth of
/// the range of zero (left white), else 0 (most hostile) to 9 (most allied), each a fifth
/// of the range wide (the two lightest from a tenth to a fifth).
pub fn class(p: f64, range: f64) -> Option<usize> {
    if !p.is_finite() || p.abs() < range / 10.0 {
        return None;
    }
    let step = (p.abs() / range * 5.0).floor().min(4.0) as usize;
    Some(if p > 0.0 { 5 + step } else { 4 - step })
}

/// Every k-th state is named: all up to `ALL_NAMED` states, else as many as fit a label
/// of `font` pixels in cells of `cell` pixels.
pub fn label_every(n: usize, cell: u32, font: u32) -> usize {
    if n <= ALL_NAMED {
        1
    } else {
        (font + 3).div_ceil(cell.max(1)).max(1) as usize
    }
}

/// Pixels per cell: the matrix fills about `SIDE` pixels, cells between 3 and 60 pixels.
fn cell_size(n: usize) -> u32 {
    (SIDE / n.max(1) as u32).clamp(3, 60)
}

/// The label font: smaller as cells shrink, never below 10 pixels.
fn label_font(cell: u32) -> u32 {
    (cell * 4 / 5).clamp(10, 15)
}

fn short(name: &str) -> String {
    if name.chars().count() <= NAME_CHARS {
        name.to_string()
    } else {
        let cut: String = name.chars().take(NAME_CHARS - 1).collect();
        format!("{cut}…")
    }
}

/// Room for the names: an estimate from the character count (the picture's size must be
/// known before anything is drawn), 0.6 of the font size per character.
fn names_width(world: &MeanWorld, font: u32) -> u32 {
    let chars = world
        .states
        .iter()
        .map(|s| short(s).chars().count())
        .max()
        .unwrap_or(0) as u32;
    (chars * font * 3 / 5 + 12).max(40)
}

impl Plot for PartnershipMatrix<'_> {
    fn stem(&self) -> String {
        "partnerships".to_string()
    }
    fn title(&self) -> String {
        "Partnerships at the end, on average, ordered by the bloc split".to_string()
    }
    fn caption(&self) -> String {
        "The mean final partnership of every pair (the mean of both final stances) as a \
         colour: blue allied, red hostile, white within a tenth of the scale of zero, on a \
         scale symmetric about zero. \
         States are ordered along the leading eigenvector of the partnership matrix (the \
         bloc split), so blocs show as blue squares on the diagonal; the black lines mark \
         where the split falls. In large worlds only every k-th state is named; the order is \
         the same down the side and along the top."
            .to_string()
    }
    fn size(&self) -> (u32, u32) {
        let w = &self.summary.world;
        let n = w.states.len() as u32;
        let cell = cell_size(w.states.len());
        let font = label_font(cell);
        let names = names_width(w, font);
        let side = cell * n;
        // Title, names on the left and on top, the matrix, the colour bar and its numbers.
        let width = (20 + names + side + 40 + 28 + 70).max(760);
        let height = 70 + 10 + names + side.max(BAR) + 40;
        (width, height)
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let w = &self.summary.world;
        let n = w.states.len();
        let order = bloc_order(w);
        let range = half_range(w);
        let cell = cell_size(n);
        let font = label_font(cell);
        let every = label_every(n, cell, font);
        let names = names_width(w, font) as i32;
        let side = (cell as usize * n) as i32;
        let cell = cell as i32;
        let mut subtitle = format!("{}; {n} states", run_line(&self.summary.manifest));
        if every > 1 {
            subtitle.push_str(&format!(", every {} named", ordinal(every)));
        }
        let body = header(root, &self.title(), &subtitle)?;
        let (x0, y0) = (20 + names, 10 + names);

        // Cells: per row, neighbouring columns of one class are one rectangle.
        for (r, &i) in order.iter().enumerate() {
            let y = y0 + r as i32 * cell;
            let mut c = 0;
            while c < n {
                let j = order[c];
                let k = if i == j {
                    None
                } else {
                    class(w.partnership[i * n + j], range)
                };
                let mut end = c + 1;
                while end < n {
                    let j2 = order[end];
                    let k2 = if i == j2 {
                        None
                    } else {
                        class(w.partnership[i * n + j2], range)
                    };
                    if k2 != k {
                        break;
                    }
                    end += 1;
                }
                if let Some(k) = k {
                    body.draw(&Rectangle::new(
                        [
                            (x0 + c as i32 * cell, y),
                            (x0 + end as i32 * cell, y + cell),
                        ],
                        CLASSES[k].filled(),
                    ))?;
                }
                c = end;
            }
        }
        // The diagonal (a state with itself) in light grey, apart from "no partnership".
        for r in 0..n as i32 {
            let at = (x0 + r * cell, y0 + r * cell);
            body.draw(&Rectangle::new(
                [at, (at.0 + cell, at.1 + cell)],
                RGBColor(200, 200, 200).filled(),
            ))?;
        }
        body.draw(&Rectangle::new(
            [(x0, y0), (x0 + side, y0 + side)],
            MUTED.stroke_width(1),
        ))?;
        // The bloc split: where the eigenvector's sign changes.
        let first = first_bloc_size(w);
        if first > 0 && first < n {
            let at = first as i32 * cell;
            body.draw(&PathElement::new(
                vec![(x0 + at, y0 - 4), (x0 + at, y0 + side + 4)],
                INK.stroke_width(2),
            ))?;
            body.draw(&PathElement::new(
                vec![(x0 - 4, y0 + at), (x0 + side + 4, y0 + at)],
                INK.stroke_width(2),
            ))?;
        }

        // Names: down the left (right-aligned) and along the top (turned a quarter).
        let style = text(f64::from(font), &INK);
        for (r, &i) in order.iter().enumerate().filter(|(r, _)| r % every == 0) {
            let mid = r as i32 * cell + cell / 2;
            body.draw(&Text::new(
                short(&w.states[i]),
                (x0 - 6, y0 + mid),
                style.pos(Pos::new(HPos::Right, VPos::Center)),
            ))?;
            body.draw(&Text::new(
                short(&w.states[i]),
                (x0 + mid, y0 - 6),
                style
                    .transform(FontTransform::Rotate270)
                    .pos(Pos::new(HPos::Left, VPos::Center)),
            ))?;
        }

        // The colour bar: the classes at their values, the most allied on top, the white
        // band around zero outlined; numbers at every class boundary.
        let bar_x = x0 + side + 40;
        let bar = BAR as i32;
        let at = |v: f64| y0 + ((range - v) / (2.0 * range) * f64::from(bar)).round() as i32;
        let numbers = text(13.0, &INK).pos(Pos::new(HPos::Left, VPos::Center));
        for (k, color) in CLASSES.iter().enumerate() {
            let (low, high) = class_bounds(k, range);
            body.draw(&Rectangle::new(
                [(bar_x, at(high)), (bar_x + 28, at(low))],
                color.filled(),
            ))?;
        }
        body.draw(&Rectangle::new(
            [(bar_x, y0), (bar_x + 28, y0 + bar)],
            MUTED.stroke_width(1),
        ))?;
        for tenths in [10, 8, 6, 4, 2, 1, 0, -1, -2, -4, -6, -8, -10] {
            let value = range * f64::from(tenths) / 10.0;
            let label = if tenths == 0 {
                "0".to_string()
            } else {
                signed(value, 2)
            };
            body.draw(&PathElement::new(
                vec![(bar_x + 28, at(value)), (bar_x + 32, at(value))],
                MUTED.stroke_width(1),
            ))?;
            body.draw(&Text::new(label, (bar_x + 35, at(value)), numbers.clone()))?;
        }
        let words = text(13.0, &MUTED).pos(Pos::new(HPos::Left, VPos::Bottom));
        body.draw(&Text::new("allied", (bar_x, y0 - 8), words.clone()))?;
        body.draw(&Text::new("hostile", (bar_x, y0 + bar + 24), words))?;
        Ok(())
    }
}

/// The values class `k` covers: a fifth of the range each, the two around zero from a
/// tenth.
fn class_bounds(k: usize, range: f64) -> (f64, f64) {
    let fifth = range / 5.0;
    let (low, high) = if k >= 5 {
        ((k - 5) as f64 * fifth, (k - 4) as f64 * fifth)
    } else {
        (-((5 - k) as f64) * fifth, -((4 - k) as f64) * fifth)
    };
    let tenth = range / 10.0;
    match k {
        5 => (tenth, high),
        4 => (low, -tenth),
        _ => (low, high),
    }
}

/// `2` -> `2nd`: "every 2nd named".
fn ordinal(k: usize) -> String {
    let suffix = match (k % 10, k % 100) {
        (1, r) if r != 11 => "st",
        (2, r) if r != 12 => "nd",
        (3, r) if r != 13 => "rd",
        _ => "th",
    };
    format!("{k}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A mean world of `n` states in two camps (`camp(i)`), friends `f` inside, foes `-g`
    /// across.
    fn camps(n: usize, camp: impl Fn(usize) -> bool, f: f64, g: f64) -> MeanWorld {
        let partnership = (0..n * n)
            .map(|ij| {
                let (i, j) = (ij / n, ij % n);
                if i == j {
                    0.0
                } else if camp(i) == camp(j) {
                    f
                } else {
                    -g
                }
            })
            .collect();
        MeanWorld {
            states: (0..n).map(|i| format!("S{i}")).collect(),
            weights: vec![1.0; n],
            channels: vec![],
            partnership,
            share: vec![],
        }
    }

    #[test]
    fn states_are_ordered_by_bloc_with_the_first_states_bloc_first() {
        let world = camps(6, |i| i % 2 == 0, 0.5, 0.4);
        let order = bloc_order(&world);
        assert_eq!(&order[..3].iter().all(|i| i % 2 == 0), &true, "{order:?}");
        assert_eq!(&order[3..].iter().all(|i| i % 2 == 1), &true, "{order:?}");
        assert_eq!(first_bloc_size(&world), 3);
        // Equal entries (a symmetric world) keep the file order within a bloc.
        assert_eq!(order, [0, 2, 4, 1, 3, 5]);
    }

    #[test]
    fn the_scale_is_centred_on_zero_and_rounded_up_to_a_tenth() {
        let world = camps(4, |i| i < 2, 0.33, 0.12);
        assert!((half_range(&world) - 0.4).abs() < 1e-12);
        assert!((half_range(&camps(3, |_| true, 0.0, 0.0)) - 0.1).abs() < 1e-12);
        assert_eq!(class(0.0, 0.4), None);
        assert_eq!(
            class(0.039, 0.4),
            None,
            "within a tenth of the range: white"
        );
        assert_eq!(class(0.041, 0.4), Some(5));
        assert_eq!(class(-0.041, 0.4), Some(4));
        // Every class's bounds hold the values it is given.
        for k in 0..10 {
            let (low, high) = class_bounds(k, 0.4);
            assert!(low < high);
            assert_eq!(class((low + high) / 2.0, 0.4), Some(k), "class {k}");
        }
        assert_eq!(class(0.4, 0.4), Some(9));
        assert_eq!(class(-0.4, 0.4), Some(0));
        assert_eq!(class(0.17, 0.4), Some(7));
        assert_eq!(class(-0.17, 0.4), Some(2));
        assert_eq!(class(f64::NAN, 0.4), None);
    }

    #[test]
    fn labels_thin_out_above_forty_states() {
        assert_eq!(label_every(34, cell_size(34), label_font(cell_size(34))), 1);
        let k100 = label_every(100, cell_size(100), label_font(cell_size(100)));
        let k200 = label_every(200, cell_size(200), label_font(cell_size(200)));
        assert!(k100 >= 2 && k200 > k100, "{k100} {k200}");
        // Named rows are at least a label's height apart.
        for n in [41, 100, 200] {
            let cell = cell_size(n);
            let font = label_font(cell);
            assert!(
                label_every(n, cell, font) as u32 * cell >= font + 3,
                "n = {n}"
            );
        }
        assert_eq!(ordinal(2), "2nd");
        assert_eq!(ordinal(13), "13th");
    }

    #[test]
    fn a_200_state_matrix_stays_compact_and_reproducible() {
        let mut summary = crate::output::examples::run("r");
        summary.world = camps(200, |i| i % 3 == 0, 0.4, 0.3);
        let plot = PartnershipMatrix { summary: &summary };
        let (width, height) = plot.size();
        assert!(width <= 1400 && height <= 1400, "{width} x {height}");
        let svg = super::super::Figure::svg(&plot).unwrap();
        assert_eq!(svg, super::super::Figure::svg(&plot).unwrap());
        // Two camps ordered together: each row is at most a handful of runs, not 200 cells.
        let rects = svg.matches("<rect").count();
        assert!(rects < 2000, "{rects} rectangles");
        assert!(
            svg.contains("every"),
            "the subtitle says labels are thinned"
        );
    }
}
