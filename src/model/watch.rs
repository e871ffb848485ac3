//! What a caller may watch of a step without changing it: `simulate explain` needs what
//! each event and the background change in a trajectory, and the kernel just before it
//! moves the stances (`engine::forces`). Every other run watches nothing: `()` has only
//! empty methods, so the step compiled for it is the step without a watch.

use super::lanes::Lanes;
use super::State;

/// Hooks of one step of a block (`model::step::step_block_watched`), each with the lane `l`
/// of the trajectory concerned.
pub trait Watch<const L: usize> {
    /// Lane `l`'s state just before an event's effects or the background change it.
    #[inline(always)]
    fn before_change(&mut self, _l: usize, _state: &State) {}
    /// Lane `l`'s state just after event `e` fired at step `t` and applied its effects.
    #[inline(always)]
    fn after_event(&mut self, _l: usize, _e: usize, _t: u32, _state: &State) {}
    /// Lane `l`'s state just after a part of event `e`'s lagged effect landed
    /// (`model::lag`): a change of that event's, not a firing.
    #[inline(always)]
    fn after_landing(&mut self, _l: usize, _e: usize, _state: &State) {}
    /// Lane `l`'s state just after the background's changes of this step.
    #[inline(always)]
    fn after_background(&mut self, _l: usize, _state: &State) {}
    /// The kernel of step `t`, every lane loaded, just before the stances move toward their
    /// targets.
    #[inline(always)]
    fn before_move(&mut self, _t: u32, _kernel: &Lanes<L>) {}
}

/// Watches nothing.
impl<const L: usize> Watch<L> for () {}
