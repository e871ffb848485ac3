//! A sweep point held to the loader's checks of the numbers a sweep may move: the file
//! passed them with its own ranges, but a point's fixed values may not (`one_of` weights
//! all at 0, a lag that ends past the last step, a window that runs backwards).
//! `scenario::compile` (`directions`, `lags`, `ranges`) makes the same checks of a file,
//! in the same words.

use crate::model::{Target, World};
use crate::scenario::spelling::quoted_name;

/// Whether `world` (a sweep point: its swept numbers fixed, `sweep::fix`) is one the file
/// could hold, for every draw of its other ranges; if not, why.
pub fn holds(world: &World) -> Result<(), String> {
    directions(world)?;
    lags(world)?;
    windows(world)
}

/// The lowest and highest draw of a number: its slot's, or its own value if none draws it.
fn drawn(world: &World, target: Target, own: f64) -> (f64, f64) {
    let slot = world.params.iter().find(|s| s.targets.contains(&target));
    slot.map_or((own, own), |s| s.sampler.support())
}

/// [`drawn`] for a number of steps, rounded as a trajectory rounds it: a range ending on a
/// half step ends on the step below (`scenario::drawn_steps::span`).
fn steps_drawn(world: &World, target: Target, own: u32) -> (i64, i64) {
    if !world.params.iter().any(|s| s.targets.contains(&target)) {
        return (i64::from(own), i64::from(own));
    }
    let (low, high) = drawn(world, target, f64::from(own));
    let (first, last) = crate::scenario::drawn_steps::span(low, high);
    (i64::from(first), i64::from(last))
}

/// The weights of each `one_of` must add up to more than 0 at their lowest.
fn directions(world: &World) -> Result<(), String> {
    let mut set = 0;
    for event in &world.events {
        let lowest: Vec<f64> = (event.directions.iter().enumerate())
            .map(|(d, direction)| drawn(world, Target::Direction(set + d), direction.weight).0)
            .collect();
        set += event.directions.len();
        if !lowest.is_empty() && lowest.iter().sum::<f64>() <= 0.0 {
            let shown: Vec<String> = lowest
                .iter()
                .map(|w| crate::format::Num(*w).to_string())
                .collect();
            return Err(format!(
                "event {}: the weights of `one_of` (at their lowest {}) must add up to more \
                 than 0 for every draw",
                quoted_name(&event.name),
                shown.join(", ")
            ));
        }
    }
    Ok(())
}

/// A lag's longest delay and most parts must end within the steps.
fn lags(world: &World) -> Result<(), String> {
    let steps = i64::from(world.steps);
    let mut first = 0;
    for event in &world.events {
        for (k, lag) in event.lags.iter().enumerate() {
            let delay = steps_drawn(world, Target::Delay(first + k), lag.delay).1;
            let parts = steps_drawn(world, Target::Over(first + k), lag.over).1;
            if delay + parts > steps {
                // A lag without `Over` lands in 1 part (hostile trial: "1 parts").
                let noun = if parts == 1 { "part" } else { "parts" };
                return Err(format!(
                    "event {}: a delay of {delay} and {parts} {noun} end after step {}, past \
                     the file's {steps} steps even for an event at step 1",
                    quoted_name(&event.name),
                    delay + parts
                ));
            }
        }
        first += event.effects.len();
    }
    Ok(())
}

/// A window's first step may not be drawn after its last. (An `at` swept past its window
/// is kept, unlike one a file writes there: the point answers "what if it came too late?",
/// the event never firing; docs/src/reference/events.md.)
fn windows(world: &World) -> Result<(), String> {
    for (e, event) in world.events.iter().enumerate() {
        let name = quoted_name(&event.name);
        let first = steps_drawn(world, Target::WindowFirst(e), event.window.0);
        let last = steps_drawn(world, Target::WindowLast(e), event.window.1);
        if first.1 > last.0 {
            return Err(format!(
                "event {name}: the window's first step can be as late as {} and its last as \
                 early as {} (every draw must give a window)",
                first.1, last.0
            ));
        }
    }
    Ok(())
}
