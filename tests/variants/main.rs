//! Variant files (README, "Variants"): the full file a variant stands for, its bases, its
//! changes and their refusals. A new test about a variant goes here.

#[path = "../common/mod.rs"]
mod common;

mod bases_and_changes;
mod files;
mod hazard_cases;
mod others;
mod suggestions_load;
