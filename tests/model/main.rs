//! The model's numbers: worlds at rest, averages, bloc landscapes, the background of
//! unlisted events, ranges on numbers, the constructs of events (choice groups, lags,
//! hazards by cases, random directions, delivery dates), the engine's path with events,
//! exceedance curves of level outcomes, and numerical safety over random worlds. A new test
//! about what the model computes goes here.

#[path = "../common/mod.rs"]
mod common;

mod at_rest;
mod average;
mod background;
mod background_params_in_events;
mod blocs;
mod choice_groups;
mod delivery_dates;
mod directions;
mod engine_path;
mod exceedance;
mod forces;
mod hazard_cases;
mod lags;
mod numerical_safety;
mod ranges;
mod shares;
mod tiny_beta_shapes;
