//! The model against the world and against an independent implementation: historical
//! cases, forecasts scored against observations (`simulate score`), and the reference
//! workloads against the numpy peer. A new test about validation or scoring goes here.

#[path = "../common/mod.rs"]
mod common;
#[path = "../../benches/reference_world.rs"]
mod reference_world;

mod historical_cases;
mod reference_workloads;
mod score;
mod score_table;
