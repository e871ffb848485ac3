//! Each outcome's probability given that an event fired by step t, or not
//! (`simulate explain`): per event, how many trajectories first fired it at each step, and
//! how many of those ended with each outcome held. Counts, so merging is exact.

use crate::model::lanes::BLOCK;
use crate::model::World;

#[derive(Debug, Clone, PartialEq)]
pub struct Firings {
    pub events: usize,
    pub outcomes: usize,
    /// Steps 1..=T.
    pub steps: usize,
    pub trajectories: u64,
    /// Trajectories in which each outcome held.
    pub held: Vec<u64>,
    /// `first[e * steps + t − 1]`: trajectories whose first firing of event e was at step t.
    pub first: Vec<u64>,
    /// `held_first[(o * events + e) * steps + t − 1]`: those of them in which outcome o held.
    pub held_first: Vec<u64>,
    /// `lanes[l * events + e]`: the step at which lane l's trajectory first fired event e.
    lanes: Vec<Option<u32>>,
}

impl Firings {
    pub fn new(world: &World) -> Self {
        let (events, outcomes, steps) = (
            world.events.len(),
            world.outcomes.len(),
            world.steps as usize,
        );
        Firings {
            events,
            outcomes,
            steps,
            trajectories: 0,
            held: vec![0; outcomes],
            first: vec![0; events * steps],
            held_first: vec![0; outcomes * events * steps],
            lanes: vec![None; BLOCK * events],
        }
    }

    pub fn start(&mut self, l: usize) {
        self.lanes[l * self.events..(l + 1) * self.events].fill(None);
    }

    pub fn fired(&mut self, l: usize, e: usize, t: u32) {
        self.lanes[l * self.events + e].get_or_insert(t);
    }

    /// Counts lane `l`'s finished trajectory, with whether each outcome held.
    pub fn finish(&mut self, l: usize, held: &[bool]) {
        self.trajectories += 1;
        for (o, &h) in held.iter().enumerate() {
            self.held[o] += u64::from(h);
        }
        for e in 0..self.events {
            let Some(t) = self.lanes[l * self.events + e] else {
                continue;
            };
            let at = e * self.steps + t as usize - 1;
            self.first[at] += 1;
            for (o, &h) in held.iter().enumerate() {
                self.held_first[o * self.events * self.steps + at] += u64::from(h);
            }
        }
    }

    pub fn merge(&mut self, other: &Firings) {
        self.trajectories += other.trajectories;
        for (x, y) in [
            (&mut self.held, &other.held),
            (&mut self.first, &other.first),
            (&mut self.held_first, &other.held_first),
        ] {
            for (a, b) in x.iter_mut().zip(y) {
                *a += b;
            }
        }
    }

    /// For outcome o and event e at step t: trajectories in which the event fired by t, and
    /// of those how many held the outcome; then the same for those in which it had not.
    pub fn by_step(&self, o: usize, e: usize, t: usize) -> ((u64, u64), (u64, u64)) {
        let row = e * self.steps;
        let fired: u64 = self.first[row..row + t].iter().sum();
        let base = o * self.events * self.steps + row;
        let held_fired: u64 = self.held_first[base..base + t].iter().sum();
        let not = self.trajectories - fired;
        let held_not = self.held[o] - held_fired;
        ((fired, held_fired), (not, held_not))
    }
}
