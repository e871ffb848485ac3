//! `simulate compare`: paired runs on common random numbers, and what a comparison says of
//! scenarios that do not line up. A new test about comparing scenarios goes here.

#[path = "../common/mod.rs"]
mod common;

mod explained;
mod mismatched;
mod paired;
