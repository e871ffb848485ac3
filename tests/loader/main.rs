//! The scenario loader as a user meets it through `simulate check` and a run: what its
//! messages say and where they point, and that no file, however broken, makes it panic or
//! hang. A new test about how a scenario file is read, located or refused goes here; one
//! about a variant's own changes goes in `tests/variants/`.

#[path = "../common/mod.rs"]
mod common;
#[path = "../../benches/reference_world.rs"]
mod reference_world;

mod background_paths;
mod background_steps;
mod dates;
mod event_constructs;
mod first_mistakes;
mod groups;
mod keys_written_twice;
mod messages;
mod misleading_files;
mod one_line_per_problem;
mod others;
mod positions;
mod ranges_beyond_the_floats;
mod robustness;
mod suppliers;
mod windows;
mod year_limits;
