//! Where the labels of event markers go so that none covers another: beside its marker
//! (to the right, or to the left where the right would leave the chart), in rows under the
//! chart's top. Three staggered rows, as they always were, when that keeps them apart;
//! otherwise each label takes the first row where it fits.

/// A label to place: its marker's position and its text's width, in pixels.
#[derive(Debug, Clone, Copy)]
pub struct Label {
    pub x: i32,
    pub width: i32,
}

/// Where a label goes: its text's left end relative to its marker, and its row (0: top).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placed {
    pub dx: i32,
    pub row: usize,
}

/// Pixels between a marker and its label's text, and between two labels of a row.
const BESIDE: i32 = 5;
const APART: i32 = 8;
/// The rows of the old stagger.
const STAGGER: usize = 3;

/// The text's horizontal extent, in pixels, of `label` placed at `dx`.
pub fn span(label: Label, dx: i32) -> (i32, i32) {
    (label.x + dx, label.x + dx + label.width)
}

/// Places `labels` (in the order given) so that no two in a row come closer than `APART`;
/// `right` is the chart's right edge.
pub fn place(labels: &[Label], right: i32) -> Vec<Placed> {
    let dx: Vec<i32> = labels.iter().map(|l| side(*l, right)).collect();
    let stagger: Vec<Placed> = dx
        .iter()
        .enumerate()
        .map(|(i, &dx)| Placed {
            dx,
            row: i % STAGGER,
        })
        .collect();
    if apart(labels, &stagger) {
        return stagger;
    }
    first_fit(labels, &dx)
}

/// To the right of the marker, unless the label would pass `right`.
fn side(label: Label, right: i32) -> i32 {
    if label.x + BESIDE + label.width <= right {
        BESIDE
    } else {
        -BESIDE - label.width
    }
}

/// Whether no two labels of a row come closer than `APART`.
pub fn apart(labels: &[Label], placed: &[Placed]) -> bool {
    for (i, (a, pa)) in labels.iter().zip(placed).enumerate() {
        for (b, pb) in labels.iter().zip(placed).skip(i + 1) {
            let (a0, a1) = span(*a, pa.dx);
            let (b0, b1) = span(*b, pb.dx);
            if pa.row == pb.row && a0 < b1 + APART && b0 < a1 + APART {
                return false;
            }
        }
    }
    true
}

/// Left to right, each label in the first row whose last label ends far enough before it.
fn first_fit(labels: &[Label], dx: &[i32]) -> Vec<Placed> {
    let mut order: Vec<usize> = (0..labels.len()).collect();
    order.sort_by_key(|&i| (span(labels[i], dx[i]).0, i));
    let mut row_ends: Vec<i32> = Vec::new();
    let mut placed = vec![Placed { dx: 0, row: 0 }; labels.len()];
    for i in order {
        let (left, end) = span(labels[i], dx[i]);
        let row = match row_ends.iter().position(|&e| e + APART <= left) {
            Some(row) => row,
            None => {
                row_ends.push(i32::MIN / 2);
                row_ends.len() - 1
            }
        };
        row_ends[row] = end;
        placed[i] = Placed { dx: dx[i], row };
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_apart_in_the_old_stagger_keep_it() {
        let labels = [0, 300, 600, 900].map(|x| Label { x, width: 60 });
        let rows: Vec<usize> = place(&labels, 2000).iter().map(|p| p.row).collect();
        assert_eq!(rows, [0, 1, 2, 0]);
    }

    #[test]
    fn nineteen_events_a_step_apart_get_labels_that_never_overlap_nor_leave_the_chart() {
        // A 40-step chart 900 pixels wide: events at steps 2..=20, 22 pixels apart, with
        // names up to 14 characters (about 90 pixels at 13 px).
        let labels: Vec<Label> = (0..19)
            .map(|i| Label {
                x: 60 + 22 * (i + 2),
                width: 40 + 50 * (i % 3),
            })
            .chain([Label { x: 955, width: 90 }])
            .collect();
        let placed = place(&labels, 960);
        assert!(apart(&labels, &placed));
        for (l, p) in labels.iter().zip(&placed) {
            let (left, right) = span(*l, p.dx);
            assert!(left >= 0 && right <= 960, "{l:?} {p:?}");
        }
        // A label at the right edge goes to the left of its marker.
        assert!(placed[19].dx < 0);
    }
}
