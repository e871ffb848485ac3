//! Paths of every number a sweep may set: the parameter paths (`param_path`) and the paths
//! of the file's other numbers (`stance.A.B`, `affinity.A.B`, `share.<channel>.A.B`,
//! `weight.A`, `event.<name>.at`, `.every`, `.window.first`, `.window.last`), which are also
//! the names of their ranges' slots and streams (`model::inputs`). An effect's amount
//! (`event.<name>.effect.<N>`) is addressed through its slot, so only when the file gives
//! it a range.

use super::param_path::{Names, ParamPath};
use crate::model::{Target, Timing, World};

/// A number of the file, its names resolved to indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberPath {
    Param(ParamPath),
    /// A stance, affinity, share, weight or scheduled step.
    Other(Target),
    /// One of the world's slots that no other grammar reads (an effect's amount), by index.
    Slot(usize),
}

impl From<ParamPath> for NumberPath {
    fn from(path: ParamPath) -> Self {
        NumberPath::Param(path)
    }
}

impl NumberPath {
    /// The number `text` names in `world`, if any.
    pub fn parse(text: &str, world: &World) -> Option<NumberPath> {
        let names = Names::of(world);
        if let Some(p) = ParamPath::parse(text, &names) {
            return Some(NumberPath::Param(p));
        }
        if let Some(target) = other(text, world, &names) {
            return Some(NumberPath::Other(target));
        }
        world
            .params
            .iter()
            .position(|s| s.path == text)
            .map(NumberPath::Slot)
    }

    /// Every place in a trajectory the path addresses.
    pub fn targets(&self, world: &World) -> Vec<Target> {
        match *self {
            NumberPath::Param(p) => p
                .targets(&Names::of(world))
                .into_iter()
                .map(Target::Param)
                .collect(),
            NumberPath::Other(target) => vec![target],
            NumberPath::Slot(x) => world.params[x].targets.clone(),
        }
    }

    /// The path as written, e.g. `stance.Pakistan.Russia`.
    pub fn text(&self, world: &World) -> String {
        let n = world.n().max(1);
        let s = |i: usize| world.states[i].as_str();
        let e = |e: usize| world.events[e].name.as_str();
        match *self {
            NumberPath::Param(p) => p.text(&Names::of(world)),
            NumberPath::Slot(x) => world.params[x].path.clone(),
            NumberPath::Other(target) => match target {
                Target::Stance(ij) => format!("stance.{}.{}", s(ij / n), s(ij % n)),
                Target::Affinity(ij) => format!("affinity.{}.{}", s(ij / n), s(ij % n)),
                Target::Share(x) => format!(
                    "share.{}.{}.{}",
                    world.channels[x / (n * n)],
                    s(x / n % n),
                    // The recipient's own slot is the rest of the world (`model::others`).
                    if x / n % n == x % n {
                        crate::model::OTHERS
                    } else {
                        s(x % n)
                    }
                ),
                Target::Weight(i) => format!("weight.{}", s(i)),
                Target::At(x) => format!("event.{}.at", e(x)),
                Target::Every(x) => format!("event.{}.every", e(x)),
                Target::WindowFirst(x) => format!("event.{}.window.first", e(x)),
                Target::WindowLast(x) => format!("event.{}.window.last", e(x)),
                Target::Param(_)
                | Target::Amount(_)
                | Target::Delay(_)
                | Target::Over(_)
                | Target::Direction(_) => String::new(),
            },
        }
    }
}

/// Why `text` names no number of `world`: the parameters' message, with the file's other
/// numbers a sweep may set suggested and listed among them: every number it draws from a
/// range (a stance, an effect's amount, a `one_of`'s weight `event.<name>.one_of.<D>`, a
/// lag's `.delay` and `.over`, a window's bound...) and each scheduled event's `at` or
/// `every`.
pub fn unknown(text: &str, world: &World) -> String {
    let names = Names::of(world);
    let mut more: Vec<String> = (world.params.iter())
        .map(|slot| slot.path.clone())
        .filter(|path| ParamPath::parse(path, &names).is_none())
        .collect();
    for (e, event) in world.events.iter().enumerate() {
        let timing = match event.timing {
            Timing::At(_) => Some(Target::At(e)),
            Timing::Every(_) => Some(Target::Every(e)),
            Timing::Hazard => None,
        };
        if let Some(target) = timing {
            let path = NumberPath::Other(target).text(world);
            if !more.contains(&path) {
                more.push(path);
            }
        }
    }
    super::param_path::unknown_among(text, &names, &more)
}

/// Where a scheduled step of event e lands.
type Timed = fn(usize) -> Target;

/// A stance, affinity, share, weight or scheduled step.
fn other(text: &str, world: &World, names: &Names) -> Option<Target> {
    let n = names.states.len();
    let (head, rest) = text.split_once('.')?;
    match head {
        "stance" => pair(rest, names).map(|(i, j)| Target::Stance(i * n + j)),
        "affinity" => pair(rest, names).map(|(i, j)| Target::Affinity(i * n + j)),
        "weight" => names
            .states
            .iter()
            .position(|&s| s == rest)
            .map(Target::Weight),
        "share" => {
            let mut found = names.channels.iter().enumerate().filter_map(|(c, ch)| {
                let (i, j) = supply(rest.strip_prefix(ch)?.strip_prefix('.')?, names, world)?;
                Some(Target::Share((c * n + i) * n + j))
            });
            let first = found.next()?;
            found.next().is_none().then_some(first)
        }
        "event" => {
            let fields: [(&str, Timed); 4] = [
                (".at", Target::At),
                (".every", Target::Every),
                (".window.first", Target::WindowFirst),
                (".window.last", Target::WindowLast),
            ];
            fields.iter().find_map(|(field, target)| {
                let name = rest.strip_suffix(field)?;
                let e = names.events.iter().position(|&x| x == name)?;
                let timing = world.events[e].timing;
                // Only the timing the event has: a path to another would change nothing.
                let fits = match *field {
                    ".at" => matches!(timing, Timing::At(_)),
                    ".every" => matches!(timing, Timing::Every(_)),
                    _ => true,
                };
                fits.then(|| target(e))
            })
        }
        _ => None,
    }
}

/// `<recipient>.<supplier>` of a share: `pair`, or a state and `Others` in a world that
/// names the rest of the world (its share is the recipient's own slot, `model::others`).
fn supply(rest: &str, names: &Names, world: &World) -> Option<(usize, usize)> {
    let others = rest
        .strip_suffix(crate::model::OTHERS)
        .and_then(|r| r.strip_suffix('.'))
        .filter(|_| world.others.is_some())
        .and_then(|r| names.states.iter().position(|&x| x == r))
        .map(|i| (i, i));
    others.or_else(|| pair(rest, names))
}

/// `<from>.<to>` with whole state names (names may hold dots); None unless exactly one
/// reading.
fn pair(rest: &str, names: &Names) -> Option<(usize, usize)> {
    let mut found = names.states.iter().enumerate().filter_map(|(i, s)| {
        let to = rest.strip_prefix(s)?.strip_prefix('.')?;
        let j = names.states.iter().position(|&x| x == to)?;
        (i != j).then_some((i, j))
    });
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixtures::world;

    #[test]
    fn every_number_of_the_file_has_a_path() {
        let w = world(3, 2);
        let target = |t: &str| NumberPath::parse(t, &w).map(|p| p.targets(&w));
        let (a, b) = (&w.states[0], &w.states[2]);
        let ch = &w.channels[1];
        for (text, want) in [
            (format!("stance.{a}.{b}"), Target::Stance(2)),
            (format!("affinity.{b}.{a}"), Target::Affinity(6)),
            (format!("share.{ch}.{a}.{b}"), Target::Share(3 * 3 + 2)),
            (format!("weight.{b}"), Target::Weight(2)),
        ] {
            assert_eq!(target(&text), Some(vec![want]), "{text}");
            let path = NumberPath::parse(&text, &w).unwrap();
            assert_eq!(path.text(&w), text, "reads back as itself");
        }
        assert_eq!(target(&format!("stance.{a}.{a}")), None);
        // The rest of the world's share, only in a world that names it.
        let others = format!("share.{ch}.{a}.Others");
        assert_eq!(target(&others), None);
        let w = World {
            others: Some(crate::model::Others {
                attractiveness: 0.0,
            }),
            ..w.clone()
        };
        let path = NumberPath::parse(&others, &w).unwrap();
        assert_eq!(path.targets(&w), vec![Target::Share(3 * 3)]);
        assert_eq!(path.text(&w), others);
        assert_eq!(target("eta").map(|t| t.len()), Some(3));
        assert_eq!(target("stance.nobody.s0"), None);
    }
}
