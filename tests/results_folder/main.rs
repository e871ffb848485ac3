//! The `--out` folder: results only where promised, a user's files never deleted or
//! overwritten, and an interrupted run leaving the previous result whole. A new test about
//! where results are written, or what happens to the folder, goes here.

#[path = "../common/mod.rs"]
mod common;

mod interrupted;
mod killed_records;
mod killed_runs;
mod paths;
mod users_files;
