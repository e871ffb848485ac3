//! Parameter sweeps: one scenario over a grid of parameter values, every grid point on the
//! same trajectory seeds (common random numbers), so the differences between points are the
//! effect of the parameters and the curves are smooth.
//!
//! A swept parameter is addressed by the path of a parameter slot (`World::params`: `eta`,
//! `beta.aid`, `kappa.arms`, `event.putin_visit.hazard`, `eta.Pakistan` for a per-state
//! override), or by `<name>.<state>` for a per-state parameter the file does not override
//! (`eta.Pakistan`, `beta.aid.Pakistan`): that state is then split off its scenario-wide
//! slot. At each grid point the slot's sampler becomes `Sampler::Fixed(value)`.

use serde::Serialize;

use super::interval::wilson;
use super::Manifest;
use crate::engine::Aggregates;
use crate::model::{ParamSlot, ParamTarget, Sampler, World};
use crate::scenario::suggest;

/// The state a per-state parameter target belongs to.
fn state_of(target: ParamTarget) -> Option<usize> {
    match target {
        ParamTarget::Eta(i)
        | ParamTarget::Sigma(i)
        | ParamTarget::Gamma(i)
        | ParamTarget::Lambda(i)
        | ParamTarget::Beta(_, i) => Some(i),
        _ => None,
    }
}

/// Every path a sweep (or a sensitivity analysis) can address, in the world's slot order:
/// the slots, then `<slot>.<state>` for each state a per-state slot covers.
pub fn valid_paths(world: &World) -> Vec<String> {
    let mut paths: Vec<String> = world.params.iter().map(|p| p.path.clone()).collect();
    for slot in &world.params {
        for &t in &slot.targets {
            if let Some(i) = state_of(t) {
                let suffix = format!(".{}", world.states[i]);
                let path = format!("{}{suffix}", slot.path);
                if !slot.path.ends_with(&suffix) && !paths.contains(&path) {
                    paths.push(path);
                }
            }
        }
    }
    paths
}

/// Where a path leads: an existing slot, or a state to split off a slot.
enum Address {
    Slot(usize),
    Split { slot: usize, target: usize },
}

fn address(world: &World, path: &str) -> Option<Address> {
    if let Some(s) = world.params.iter().position(|p| p.path == path) {
        return Some(Address::Slot(s));
    }
    // State names may contain dots, so match the state as a suffix.
    let (i, base) = world.states.iter().enumerate().find_map(|(i, s)| {
        path.strip_suffix(s.as_str())?
            .strip_suffix('.')
            .map(|base| (i, base))
    })?;
    let slot = world.params.iter().position(|p| p.path == base)?;
    let target = world.params[slot]
        .targets
        .iter()
        .position(|&t| state_of(t) == Some(i))?;
    Some(Address::Split { slot, target })
}

/// The valid range of the parameter at `path`, or a message naming the valid paths (with a
/// "did you mean" where one is close).
pub fn check_path(world: &World, path: &str) -> Result<(f64, f64), String> {
    match address(world, path) {
        Some(Address::Slot(s)) => Ok(world.params[s]
            .targets
            .first()
            .map_or((0.0, 0.0), |t| t.range())),
        Some(Address::Split { slot, target }) => Ok(world.params[slot].targets[target].range()),
        None => {
            let paths = valid_paths(world);
            let hint = suggest(path, paths.iter().map(String::as_str))
                .map(|s| format!(" — did you mean \"{s}\"?"))
                .unwrap_or_default();
            Err(format!(
                "unknown parameter path \"{path}\"{hint}\nvalid paths in this scenario: {}",
                paths.join(", ")
            ))
        }
    }
}

/// Sets the parameter at `path` to `value` in every trajectory. The path must have passed
/// `check_path`.
pub fn fix(world: &mut World, path: &str, value: f64) {
    match address(world, path) {
        Some(Address::Slot(s)) => world.params[s].sampler = Sampler::Fixed(value),
        Some(Address::Split { slot, target }) => {
            let t = world.params[slot].targets.remove(target);
            world.params.push(ParamSlot {
                path: path.to_string(),
                sampler: Sampler::Fixed(value),
                targets: vec![t],
            });
        }
        None => {}
    }
}

/// One outcome at one grid point.
#[derive(Debug, Clone, Serialize)]
pub struct PointOutcome {
    pub name: String,
    pub count: u64,
    pub probability: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// One grid point: the parameter values (in the order of `Sweep::parameters`) and every
/// outcome there.
#[derive(Debug, Clone, Serialize)]
pub struct SweepPoint {
    pub values: Vec<f64>,
    pub outcomes: Vec<PointOutcome>,
}

/// A finished sweep.
#[derive(Debug, Clone, Serialize)]
pub struct Sweep {
    /// `trajectories` counts per grid point (the same seeds at every point).
    #[serde(flatten)]
    pub manifest: Manifest,
    /// Swept parameter paths.
    pub parameters: Vec<String>,
    /// The grid values of each parameter.
    pub axes: Vec<Vec<f64>>,
    /// Row-major over `axes`: the last parameter varies fastest.
    pub points: Vec<SweepPoint>,
    pub outcomes: Vec<String>,
}

/// Every combination of the axes' values, the last axis fastest.
pub fn grid(axes: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let mut points = vec![Vec::new()];
    for axis in axes {
        points = points
            .into_iter()
            .flat_map(|p| {
                axis.iter().map(move |&v| {
                    let mut q = p.clone();
                    q.push(v);
                    q
                })
            })
            .collect();
    }
    points
}

impl SweepPoint {
    pub fn new(world: &World, values: Vec<f64>, agg: &Aggregates) -> Self {
        let n = agg.trajectories;
        let outcomes = world
            .outcomes
            .iter()
            .zip(&agg.outcome_count)
            .map(|(o, &count)| {
                let (ci_low, ci_high) = wilson(count, n);
                PointOutcome {
                    name: o.name.clone(),
                    count,
                    probability: count as f64 / n.max(1) as f64,
                    ci_low,
                    ci_high,
                }
            })
            .collect();
        SweepPoint { values, outcomes }
    }
}

impl Sweep {
    /// The index of the point with grid indices `at` (one per axis).
    pub fn index(&self, at: &[usize]) -> usize {
        at.iter()
            .zip(&self.axes)
            .fold(0, |acc, (&i, axis)| acc * axis.len() + i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grid_is_row_major_with_the_last_axis_fastest() {
        let g = grid(&[vec![1.0, 2.0], vec![10.0, 20.0, 30.0]]);
        assert_eq!(g.len(), 6);
        assert_eq!(g[0], [1.0, 10.0]);
        assert_eq!(g[1], [1.0, 20.0]);
        assert_eq!(g[3], [2.0, 10.0]);
        let s = Sweep {
            manifest: Manifest::default(),
            parameters: vec![],
            axes: vec![vec![1.0, 2.0], vec![10.0, 20.0, 30.0]],
            points: vec![],
            outcomes: vec![],
        };
        assert_eq!(s.index(&[1, 2]), 5);
        assert_eq!(grid(&[]), vec![Vec::<f64>::new()]);
    }
}
