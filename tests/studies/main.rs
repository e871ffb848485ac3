//! The experiments over parameters: `simulate sweep` and `simulate sensitivity` (with
//! `--against`), their files and their refusals. A new test about a sweep or a sensitivity
//! study goes here.

#[path = "../common/mod.rs"]
mod common;

mod bounded_numbers;
mod groups;
mod kind_of_case_hazards;
mod printed_intervals;
mod refusals;
mod same_file_against;
mod sensitivity;
mod sensitivity_table;
mod sweep;
mod sweep_effects;
mod sweep_points;
mod sweeps_beyond_the_floats;
