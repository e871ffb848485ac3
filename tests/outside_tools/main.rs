//! End to end with outside tools: report.html in headless Chromium, docs/src/howto/cluster.md's Slurm
//! job array and GNU parallel line, and scripts/slurm-cluster.sh. Each test is skipped with a
//! notice when its tool is missing, and fails under `CI=true`. A new test that needs a program
//! outside this repository goes here.

#[path = "../common/mod.rs"]
mod common;

mod cluster;

mod browser;
mod parallel;
mod slurm;
mod slurm_script;
