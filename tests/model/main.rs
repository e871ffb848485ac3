//! The model's numbers: worlds at rest, averages, the background, bloc landscapes, the
//! engine's path with events, ranges on every number, and numerical safety over random
//! worlds. A new test about what the model
//! computes goes here.

#[path = "../common/mod.rs"]
mod common;

mod at_rest;
mod average;
mod background;
mod blocs;
mod engine_path;
mod numerical_safety;
mod ranges;
