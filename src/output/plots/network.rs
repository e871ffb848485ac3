//! The world at the end, on average: states on a circle, each pair's mean final partnership
//! as a line (blue allied, red hostile, thicker when stronger), and the largest dependency
//! shares as arrows from the dependent state to its supplier ("depends on"), labelled by
//! channel and share.
//!
//! Up to `ALL_TIES` states it shows every partnership and is drawn exactly as it always
//! was. Above, a circle of every state and every pair is unreadable (100 states: 4,950
//! lines and 100 overlapping circles), so it shows a selection, says so in its subtitle,
//! and leaves the whole matrix to `plots/partnerships.*`: the strongest partnerships and the
//! largest dependencies among at most `MAX_SHOWN` states, placed on the circle in the
//! order of the bloc split (so a bloc is an arc), with nodes and names sized to the room
//! each state has.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::partnerships::bloc_order;
use super::{header, legend, run_line, text, DrawResult, Key, Plot, ALLIED, HOSTILE, INK};
use crate::analysis::{MeanWorld, RunSummary};
use crate::output::numbers::{signed, whole_percent};

pub struct NetworkPicture<'a> {
    pub summary: &'a RunSummary,
}

/// Partnerships weaker than this are left out: they would only add noise to the picture.
const MIN_PARTNERSHIP: f64 = 0.05;
/// A state is ringed as *between* the blocs when it was between in more than this share of
/// the trajectories. Judged on the per-state probability, not on the mean world drawn here:
/// a state allied with one camp in half the runs and with the other in the rest shows mild
/// partnerships with both on average, yet hedges in none of them.
const BETWEEN_MARK: f64 = 0.5;
/// The ring of a state between the blocs: amber, apart from the partnerships' blue and red.
const BETWEEN: RGBColor = RGBColor(230, 150, 0);

/// The states (by index) that were between the blocs in more than half the trajectories.
pub fn marked_between(summary: &RunSummary) -> Vec<usize> {
    let states = &summary.standings.states;
    (0..summary.world.states.len())
        .filter(|&i| {
            states
                .get(i)
                .is_some_and(|s| s.between.probability > BETWEEN_MARK)
        })
        .collect()
}

/// Worlds up to this many states show every partnership; larger ones a selection.
pub const ALL_TIES: usize = 12;
/// In a larger world: at most this many states on the circle, and this many partnerships.
const MAX_SHOWN: usize = 24;
const MAX_TIES: usize = 30;

/// What the picture of a world shows: the states on the circle (in the order they are
/// placed), the partnerships `(i, j, p)` weakest first, and the dependency arrows.
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    pub shown: Vec<usize>,
    pub pairs: Vec<(usize, usize, f64)>,
    pub arrows: Vec<Dependency>,
    /// Pairs with a partnership of at least `MIN_PARTNERSHIP` in the whole world.
    pub candidates: usize,
}

/// Every state and partnership up to `ALL_TIES` states; above, the strongest partnerships
/// (by |p|, ties in pair order) while their states fit `MAX_SHOWN`, at most `MAX_TIES`,
/// and the largest dependencies whose states fit too, the states placed in bloc order.
pub fn select(world: &MeanWorld) -> Selection {
    let n = world.states.len();
    let mut pairs: Vec<(usize, usize, f64)> = (0..n)
        .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
        .map(|(i, j)| (i, j, world.partnership[i * n + j]))
        .filter(|&(_, _, p)| p.abs() >= MIN_PARTNERSHIP)
        .collect();
    let candidates = pairs.len();
    if n <= ALL_TIES {
        pairs.sort_by(|a, b| a.2.abs().total_cmp(&b.2.abs()));
        return Selection {
            shown: (0..n).collect(),
            pairs,
            arrows: largest_shares(world),
            candidates,
        };
    }
    // Strongest first; a stable sort keeps equal strengths in pair order.
    pairs.sort_by(|a, b| b.2.abs().total_cmp(&a.2.abs()));
    let mut member = vec![false; n];
    let mut members = 0;
    let mut fits = |states: &[usize], member: &mut Vec<bool>| {
        let new = states.iter().filter(|&&i| !member[i]).count();
        if members + new > MAX_SHOWN {
            return false;
        }
        for &i in states {
            if !member[i] {
                member[i] = true;
                members += 1;
            }
        }
        true
    };
    let mut kept = Vec::new();
    for &(i, j, p) in &pairs {
        if kept.len() == MAX_TIES {
            break;
        }
        if fits(&[i, j], &mut member) {
            kept.push((i, j, p));
        }
    }
    let arrows: Vec<Dependency> = largest_shares(world)
        .into_iter()
        .filter(|d| fits(&[d.dependent, d.supplier], &mut member))
        .collect();
    kept.reverse(); // weakest first, so the strong ones are drawn on top
    let shown = bloc_order(world)
        .into_iter()
        .filter(|&i| member[i])
        .collect();
    Selection {
        shown,
        pairs: kept,
        arrows,
        candidates,
    }
}

/// The number of dependency arrows, and the smallest share drawn.
const MAX_ARROWS: usize = 8;
const MIN_SHARE: f64 = 0.05;

/// A dependency: `dependent` draws `share` of its needs in `channel` from `supplier`.
#[derive(Debug, Clone, PartialEq)]
pub struct Dependency {
    pub channel: usize,
    pub dependent: usize,
    pub supplier: usize,
    pub share: f64,
}

/// The largest shares, largest first; ties keep the world's order, so the picture is stable.
pub fn largest_shares(world: &MeanWorld) -> Vec<Dependency> {
    let n = world.states.len();
    let mut all: Vec<Dependency> = (0..world.channels.len())
        .flat_map(|k| (0..n).flat_map(move |i| (0..n).map(move |j| (k, i, j))))
        .filter(|&(_, i, j)| i != j)
        .filter_map(|(k, i, j)| {
            let share = *world.share.get((k * n + i) * n + j)?;
            (share >= MIN_SHARE).then_some(Dependency {
                channel: k,
                dependent: i,
                supplier: j,
                share,
            })
        })
        .collect();
    all.sort_by(|a, b| b.share.total_cmp(&a.share));
    all.truncate(MAX_ARROWS);
    all
}

type Point = (f64, f64);

fn to_pixel(p: Point) -> (i32, i32) {
    (p.0.round() as i32, p.1.round() as i32)
}

/// Points along a quadratic curve from `a` to `b` bent by `bend` pixels to the right of the
/// direction of travel, stopping `trim` pixels short of both ends.
fn curve(a: Point, b: Point, bend: f64, trim: f64) -> Vec<Point> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = (dx * dx + dy * dy).sqrt().max(1e-9);
    let (ux, uy) = (dx / len, dy / len);
    let a = (a.0 + ux * trim, a.1 + uy * trim);
    let b = (b.0 - ux * trim, b.1 - uy * trim);
    // Right of travel in screen coordinates (y grows downwards).
    let normal = (-uy, ux);
    let mid = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
    let control = (mid.0 + normal.0 * 2.0 * bend, mid.1 + normal.1 * 2.0 * bend);
    (0..=16)
        .map(|s| {
            let t = s as f64 / 16.0;
            let u = 1.0 - t;
            (
                u * u * a.0 + 2.0 * u * t * control.0 + t * t * b.0,
                u * u * a.1 + 2.0 * u * t * control.1 + t * t * b.1,
            )
        })
        .collect()
}

impl Plot for NetworkPicture<'_> {
    fn stem(&self) -> String {
        "network".to_string()
    }
    fn title(&self) -> String {
        "The world at the end, on average".to_string()
    }
    fn caption(&self) -> String {
        "Mean final partnership of each pair (blue: allied, red: hostile; thicker is stronger; \
         pairs within ±0.05 of zero left out) and the largest mean final dependency shares as \
         arrows: A → B labelled \"arms 70%\" means B supplies 70% of A's needs in arms. \
         An amber ring marks a state between the blocs (a partnership above the threshold with \
         a member of each) in more than half of the trajectories."
            .to_string()
            + if self.summary.world.states.len() > ALL_TIES {
                " In a world this large only the strongest partnerships and largest \
                 dependencies are drawn (how many: under the title), their states placed in \
                 the order of the bloc split and without the partnerships' numbers; the \
                 partnership matrix above shows every pair."
            } else {
                ""
            }
    }
    fn size(&self) -> (u32, u32) {
        if self.summary.world.states.len() > ALL_TIES {
            (1200, 1000)
        } else {
            (1000, 820)
        }
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let w = &self.summary.world;
        let n = w.states.len();
        let selection = select(w);
        let large = n > ALL_TIES;
        let mut subtitle = run_line(&self.summary.manifest);
        if large {
            subtitle.push_str(&format!(
                " · {n} states: the strongest {} of {} partnerships and {} largest \
                 dependencies, among {} states",
                selection.pairs.len(),
                selection.candidates,
                selection.arrows.len(),
                selection.shown.len()
            ));
        }
        let body = header(root, &self.title(), &subtitle)?;
        let arrows = &selection.arrows;
        let mut items = vec![
            ("allied (partnership > 0)".to_string(), Key::Line(ALLIED, 4)),
            ("hostile (< 0)".to_string(), Key::Line(HOSTILE, 4)),
        ];
        let mut channels_used: Vec<usize> = arrows.iter().map(|d| d.channel).collect();
        channels_used.sort_unstable();
        channels_used.dedup();
        for &k in &channels_used {
            items.push((w.channels[k].clone(), Key::Line(channel_color(k), 3)));
        }
        if !arrows.is_empty() {
            items.push((
                "A → B: share of A's needs that B supplies".to_string(),
                Key::Arrow(INK),
            ));
        }
        let between = marked_between(self.summary);
        if between.iter().any(|i| selection.shown.contains(i)) {
            items.push((
                "between the blocs in > 50% of trajectories".to_string(),
                Key::Dot(BETWEEN),
            ));
        }
        let body = legend(&body, &items)?;
        let (width, height) = body.dim_in_pixel();
        let centre = (width as f64 / 2.0, height as f64 / 2.0);
        let radius = (width.min(height) as f64 / 2.0 - 70.0).max(40.0);
        let m = selection.shown.len();
        // Room along the circle per state: nodes and names shrink to fit it.
        let room = std::f64::consts::TAU * radius / m.max(1) as f64;
        let (largest_node, name_size) = if large {
            (
                (0.3 * room).clamp(5.0, 28.0),
                (0.3 * room).clamp(11.0, 16.0),
            )
        } else {
            (28.0, 18.0)
        };
        let max_weight = w.weights.iter().copied().fold(0.0f64, f64::max).max(1e-9);
        let node_radius: Vec<f64> = w
            .weights
            .iter()
            // Half fixed, half by weight (14 + 14 sqrt(c / max) pixels in a small world).
            .map(|&c| largest_node / 2.0 + largest_node / 2.0 * (c / max_weight).sqrt())
            .collect();
        let angle =
            |k: usize| -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * k as f64 / m as f64;
        // Positions by state index; states not shown are never looked up.
        let mut place: Vec<Point> = vec![centre; n];
        let mut slot = vec![0usize; n];
        for (k, &i) in selection.shown.iter().enumerate() {
            slot[i] = k;
            place[i] = (
                centre.0 + radius * libm::cos(angle(k)),
                centre.1 + radius * libm::sin(angle(k)),
            );
        }
        let pairs = &selection.pairs;

        // Partnerships, weakest first so the strong ones are drawn on top.
        let small = text(14.0, &INK).pos(Pos::new(HPos::Center, VPos::Center));
        for &(i, j, p) in pairs {
            let color = if p > 0.0 { ALLIED } else { HOSTILE };
            let stroke = 1 + (p.abs() * 12.0).round() as u32;
            let line = vec![to_pixel(place[i]), to_pixel(place[j])];
            body.draw(&PathElement::new(
                line,
                color.mix(0.35 + 0.5 * p.abs()).stroke_width(stroke),
            ))?;
        }
        // Arrows: several between the same two states bend further apart.
        let mut seen: Vec<(usize, usize)> = Vec::new();
        for d in arrows {
            let key = (d.supplier.min(d.dependent), d.supplier.max(d.dependent));
            let rank = seen.iter().filter(|&&k| k == key).count();
            seen.push(key);
            let from = place[d.dependent];
            let to = place[d.supplier];
            let bend = 26.0 + 24.0 * rank as f64;
            let trim = node_radius[d.dependent].max(node_radius[d.supplier]) + 6.0;
            let points = curve(from, to, bend, trim);
            let color = channel_color(d.channel);
            let stroke = 1 + (d.share * 6.0).round() as u32;
            body.draw(&PathElement::new(
                points.iter().map(|&p| to_pixel(p)).collect::<Vec<_>>(),
                color.stroke_width(stroke),
            ))?;
            let tip = points[points.len() - 1];
            let before = points[points.len() - 3];
            let (dx, dy) = (tip.0 - before.0, tip.1 - before.1);
            let len = (dx * dx + dy * dy).sqrt().max(1e-9);
            let (ux, uy) = (dx / len, dy / len);
            let head = 14.0 + stroke as f64;
            let base = (tip.0 - ux * head, tip.1 - uy * head);
            let half = 0.45 * head;
            body.draw(&Polygon::new(
                vec![
                    to_pixel(tip),
                    to_pixel((base.0 - uy * half, base.1 + ux * half)),
                    to_pixel((base.0 + uy * half, base.1 - ux * half)),
                ],
                color.filled(),
            ))?;
            let label = format!("{} {}", w.channels[d.channel], whole_percent(d.share));
            let at = to_pixel(points[points.len() / 2]);
            let style = text(14.0, &color);
            let (tw, th) = body.estimate_text_size(&label, &style)?;
            let (tw, th) = (tw as i32 / 2 + 4, th as i32 / 2 + 3);
            body.draw(&Rectangle::new(
                [(at.0 - tw, at.1 - th), (at.0 + tw, at.1 + th)],
                WHITE.mix(0.85).filled(),
            ))?;
            body.draw(&Text::new(
                label,
                at,
                style.pos(Pos::new(HPos::Center, VPos::Center)),
            ))?;
        }
        // Partnership values at the middle of each line (in a small world: in a selection
        // the lines cross near the centre and their numbers would cover each other).
        for &(i, j, p) in pairs.iter().filter(|_| !large) {
            let mid = to_pixel((
                (place[i].0 + place[j].0) / 2.0,
                (place[i].1 + place[j].1) / 2.0,
            ));
            let label = signed(p, 2);
            let (tw, th) = body.estimate_text_size(&label, &small)?;
            let (tw, th) = (tw as i32 / 2 + 3, th as i32 / 2 + 2);
            body.draw(&Rectangle::new(
                [(mid.0 - tw, mid.1 - th), (mid.0 + tw, mid.1 + th)],
                WHITE.mix(0.8).filled(),
            ))?;
            body.draw(&Text::new(label, mid, small.clone()))?;
        }
        // States on top, names outside the circle.
        for &i in &selection.shown {
            let at = to_pixel(place[i]);
            let r = node_radius[i].round() as i32;
            body.draw(&Circle::new(at, r, RGBColor(245, 245, 245).filled()))?;
            body.draw(&Circle::new(at, r, INK.stroke_width(2)))?;
            if between.contains(&i) {
                body.draw(&Circle::new(at, r + 6, BETWEEN.stroke_width(4)))?;
            }
            let (c, s) = (libm::cos(angle(slot[i])), libm::sin(angle(slot[i])));
            let h = if c > 0.3 {
                HPos::Left
            } else if c < -0.3 {
                HPos::Right
            } else {
                HPos::Center
            };
            let v = if s > 0.3 {
                VPos::Top
            } else if s < -0.3 {
                VPos::Bottom
            } else {
                VPos::Center
            };
            let out = node_radius[i] + 10.0;
            let label_at = to_pixel((place[i].0 + c * out, place[i].1 + s * out));
            body.draw(&Text::new(
                w.states[i].clone(),
                label_at,
                text(name_size, &INK).pos(Pos::new(h, v)),
            ))?;
        }
        Ok(())
    }
}

/// Channel colours: apart from the blue and red of partnerships.
fn channel_color(k: usize) -> RGBColor {
    const CHANNELS: [RGBColor; 6] = [
        RGBColor(117, 80, 180),
        RGBColor(200, 110, 0),
        RGBColor(20, 140, 90),
        RGBColor(90, 90, 90),
        RGBColor(200, 50, 140),
        RGBColor(140, 100, 20),
    ];
    CHANNELS[k % CHANNELS.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_largest_shares_come_first_and_small_ones_are_left_out() {
        let world = MeanWorld {
            states: vec!["A".into(), "B".into()],
            weights: vec![1.0, 1.0],
            channels: vec!["aid".into()],
            partnership: vec![0.0, 0.5, 0.5, 0.0],
            // W[aid][A][B] = 0.2, W[aid][B][A] = 0.01
            share: vec![0.0, 0.2, 0.01, 0.0],
        };
        let arrows = largest_shares(&world);
        assert_eq!(
            arrows,
            vec![Dependency {
                channel: 0,
                dependent: 0,
                supplier: 1,
                share: 0.2
            }]
        );
    }

    /// Issue 11, item 6: a state is ringed when it was between the blocs in more than half
    /// the trajectories, judged on its probability, not on the mean world.
    #[test]
    fn states_between_in_more_than_half_the_trajectories_are_marked() {
        use crate::analysis::summary::{Probability, StateStanding};
        let mut summary = crate::output::examples::run("r");
        let standing = |name: &str, between: u64| StateStanding {
            state: name.into(),
            with_first: Probability::of(40 - between, 40),
            other: Probability::of(0, 40),
            between: Probability::of(between, 40),
        };
        summary.standings.states = vec![standing("A", 20), standing("B", 21)];
        assert_eq!(marked_between(&summary), [1]);
        summary.standings.states.clear();
        assert!(marked_between(&summary).is_empty());
    }

    /// A mean world of `n` states, three camps by `i % 3`, friendship `0.2 + i/1000`
    /// inside a camp (so strengths differ) and -0.3 across.
    fn camps(n: usize) -> MeanWorld {
        let partnership = (0..n * n)
            .map(|ij| {
                let (i, j) = (ij / n, ij % n);
                if i == j {
                    0.0
                } else if i % 3 == j % 3 {
                    0.2 + (i + j) as f64 / 1000.0
                } else {
                    -0.3
                }
            })
            .collect();
        MeanWorld {
            states: (0..n).map(|i| format!("S{i}")).collect(),
            weights: vec![1.0; n],
            channels: vec!["aid".into()],
            partnership,
            share: vec![0.0; n * n],
        }
    }

    /// Issue 14, item 3: up to 12 states everything is drawn in file order; above, at most
    /// `MAX_TIES` partnerships among `MAX_SHOWN` states, the strongest, in bloc order.
    #[test]
    fn large_worlds_show_the_strongest_ties_among_few_states() {
        let small = select(&camps(12));
        assert_eq!(small.shown, (0..12).collect::<Vec<_>>());
        assert_eq!(small.pairs.len(), 66);
        let world = camps(100);
        let big = select(&world);
        assert!(big.shown.len() <= MAX_SHOWN && big.pairs.len() <= MAX_TIES);
        assert_eq!(big.candidates, 4950);
        assert!(!big.pairs.is_empty());
        let weakest_kept = big.pairs[0].2.abs();
        for &(i, j, _) in &big.pairs {
            assert!(big.shown.contains(&i) && big.shown.contains(&j));
        }
        assert!(big.pairs.windows(2).all(|w| w[0].2.abs() <= w[1].2.abs()));
        // Nothing stronger was left out while it would still have fitted: the strongest
        // pair overall is kept.
        let strongest = (0..100)
            .flat_map(|i| (i + 1..100).map(move |j| (i, j)))
            .map(|(i, j)| world.partnership[i * 100 + j].abs())
            .fold(0.0f64, f64::max);
        assert_eq!(big.pairs.last().unwrap().2.abs(), strongest);
        assert!(weakest_kept > 0.0);
        // Placed in bloc order: the states of one camp are next to each other.
        let camp: Vec<usize> = big.shown.iter().map(|i| i % 3).collect();
        let changes = camp.windows(2).filter(|w| w[0] != w[1]).count();
        assert!(changes <= 2, "{camp:?}");
        assert_eq!(select(&world), big, "the same world, the same selection");
    }

    #[test]
    fn curves_stop_short_of_the_nodes() {
        let points = curve((0.0, 0.0), (100.0, 0.0), 10.0, 20.0);
        assert!((points[0].0 - 20.0).abs() < 1e-9);
        assert!((points[16].0 - 80.0).abs() < 1e-9);
        // Travelling right, "right of travel" is down the screen (y grows).
        assert!(points[8].1 > 0.0);
    }
}
