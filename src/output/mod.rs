//! Result files. Each format is one exporter behind the `Exporter` trait; a run's folder is
//! written whole into a temporary folder and renamed into place, so a reader never sees a
//! half-written result and an interrupted run leaves the previous one intact.

mod atomic;
mod blocs_csv;
mod compare_json;
mod csv;
mod json;
pub mod numbers;
pub mod partial;
pub mod plots;
mod report;
mod sensitivity_csv;
mod sweep_csv;

use std::io;
use std::path::Path;

pub use atomic::{check_target, sanitize_name, shorten, write_atomically};
pub use blocs_csv::BlocsCsv;
pub use compare_json::{CompareJson, Sides};
pub use csv::{OutcomesCsv, TimeseriesCsv};
pub use json::SummaryJson;
pub use plots::{ComparePlots, RunPlots};
pub use report::{CompareReport, RunReport};
pub use sensitivity_csv::SensitivityCsv;
pub use sweep_csv::SweepCsv;

use crate::analysis::{Comparison, RunSummary};

/// Writes one kind of result file (or files) for a result `R` into a folder.
pub trait Exporter<R> {
    fn write(&self, result: &R, dir: &Path) -> io::Result<()>;
}

/// Writes `result` with each of `exporters` into a fresh folder that replaces `target`
/// only when every file is complete.
pub fn export<R>(
    target: &Path,
    result: &R,
    exporters: &[Box<dyn Exporter<R>>],
) -> Result<(), crate::Error> {
    write_atomically(target, |dir| {
        for exporter in exporters {
            exporter.write(result, dir)?;
        }
        Ok(())
    })
}

/// Every exporter a plain run uses, in the order they are written.
pub fn run_exporters() -> Vec<Box<dyn Exporter<RunSummary>>> {
    vec![
        Box::new(SummaryJson),
        Box::new(TimeseriesCsv),
        Box::new(OutcomesCsv),
        Box::new(RunPlots),
        Box::new(RunReport),
    ]
}

/// Every exporter a comparison uses.
pub fn compare_exporters() -> Vec<Box<dyn Exporter<Comparison>>> {
    vec![
        Box::new(CompareJson),
        Box::new(Sides),
        Box::new(ComparePlots),
        Box::new(CompareReport),
    ]
}
