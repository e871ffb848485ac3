//! Result files. Each format is one exporter behind the `Exporter` trait; a run's folder is
//! written whole into a temporary folder and renamed into place, so a reader never sees a
//! half-written result and an interrupted run leaves the previous one intact.
//!
//! The JSON, CSV and HTML exporters make their files in memory (`Files`, as hyperfine's
//! `serialize`), so their bytes are tested without a disk; the plots draw their PNGs
//! through plotters' own file backend and so write into the folder themselves.

mod blocs_csv;
pub mod blocs_table;
mod compare_json;
pub mod compare_table;
mod conditional_csv;
mod contributions_csv;
mod csv;
mod dates;
mod discovery_csv;
mod effects_csv;
#[cfg(test)]
mod examples;
mod exceedance_csv;
mod explain_report;
pub mod explain_table;
mod folder;
mod forces_csv;
mod json;
pub mod numbers;
pub mod one_file;
pub mod plots;
pub mod records_parquet;
pub mod records_read;
mod report;
pub mod run_table;
mod score_csv;
mod score_json;
mod score_report;
pub mod score_table;
mod sensitivity_csv;
pub mod sensitivity_table;
mod sweep_csv;
mod sweep_effects_csv;
pub mod sweep_table;

use std::io;
use std::path::{Path, PathBuf};

pub use blocs_csv::BlocsCsv;
pub use compare_json::{CompareJson, Sides};
pub use conditional_csv::ConditionalCsv;
pub use contributions_csv::ContributionsCsv;
pub use csv::{OutcomesCsv, TimeseriesCsv};
pub use discovery_csv::DiscoveryCsv;
pub use effects_csv::EffectsCsv;
pub use exceedance_csv::ExceedanceCsv;
pub use explain_report::ExplainReport;
/// Each file a run makes, noted before it is made: a shard's part writes through it too.
pub(crate) use folder::journal;
pub use folder::journal::create_dir_all as create_result_dir;
pub use folder::{check_target, fill_atomically, sanitize_name, shorten, write_atomically};
pub use forces_csv::ForcesCsv;
pub use json::SummaryJson;
pub use plots::{ComparePlots, RunPlots};
pub use report::{CompareReport, RunReport};
pub use score_csv::ScoreCsv;
pub use score_json::ScoreJson;
pub use score_report::ScoreReport;
pub use sensitivity_csv::SensitivityCsv;
pub use sweep_csv::SweepCsv;
pub use sweep_effects_csv::SweepEffectsCsv;

use crate::analysis::explain::Explanation;
use crate::analysis::score::ScoreRun;
use crate::analysis::{Comparison, RunSummary};

/// Writes one kind of result file (or files) for a result `R` into a folder.
pub trait Exporter<R> {
    fn write(&self, result: &R, dir: &Path) -> io::Result<()>;
}

/// One result file: its path inside the results folder and its bytes.
pub type File = (PathBuf, Vec<u8>);

/// An exporter whose files are made in memory; writing them is the same for all.
pub trait Files<R> {
    fn files(&self, result: &R) -> io::Result<Vec<File>>;
}

impl<R, F: Files<R>> Exporter<R> for F {
    fn write(&self, result: &R, dir: &Path) -> io::Result<()> {
        for (path, bytes) in self.files(result)? {
            folder::journal::write(&dir.join(path), bytes)?;
        }
        Ok(())
    }
}

/// `document` as pretty JSON with a final newline.
fn json_file(name: &str, document: &impl serde::Serialize) -> io::Result<Vec<File>> {
    let mut bytes = serde_json::to_vec_pretty(document)?;
    bytes.push(b'\n');
    Ok(vec![(PathBuf::from(name), bytes)])
}

/// A CSV file: `header`, then the records `rows` writes.
fn csv_file(
    name: &str,
    header: &[&str],
    rows: impl FnOnce(&mut ::csv::Writer<Vec<u8>>) -> ::csv::Result<()>,
) -> io::Result<Vec<File>> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record(header)?;
    rows(&mut w)?;
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(vec![(PathBuf::from(name), bytes)])
}

/// Writes `result` with each of `exporters` into a fresh folder that replaces `target`
/// only when every file is complete.
pub fn export<R>(
    target: &Path,
    result: &R,
    exporters: &[Box<dyn Exporter<R>>],
) -> Result<(), crate::Error> {
    write_atomically(target, |dir| write_all(dir, result, exporters))
}

/// Writes `result` with each of `exporters` into `dir`, a staging folder.
pub fn write_all<R>(dir: &Path, result: &R, exporters: &[Box<dyn Exporter<R>>]) -> io::Result<()> {
    for exporter in exporters {
        exporter.write(result, dir)?;
    }
    Ok(())
}

/// Every exporter a plain run uses, in the order they are written.
pub fn run_exporters() -> Vec<Box<dyn Exporter<RunSummary>>> {
    vec![
        Box::new(SummaryJson),
        Box::new(TimeseriesCsv),
        Box::new(OutcomesCsv),
        Box::new(ExceedanceCsv),
        Box::new(RunPlots),
        Box::new(RunReport),
    ]
}

/// Every exporter a comparison uses.
pub fn compare_exporters() -> Vec<Box<dyn Exporter<Comparison>>> {
    vec![
        Box::new(CompareJson),
        Box::new(EffectsCsv),
        Box::new(Sides),
        Box::new(ComparePlots),
        Box::new(CompareReport),
    ]
}

/// A run's exporter, writing the run's own files of a scored forecast.
struct OfRun<E>(E);

impl<E: Exporter<RunSummary>> Exporter<ScoreRun> for OfRun<E> {
    fn write(&self, r: &ScoreRun, dir: &Path) -> io::Result<()> {
        self.0.write(&r.summary, dir)
    }
}

impl<E: Exporter<RunSummary>> Exporter<Explanation> for OfRun<E> {
    fn write(&self, e: &Explanation, dir: &Path) -> io::Result<()> {
        self.0.write(&e.summary, dir)
    }
}

/// Every exporter a scored forecast uses: the run's own files (its report with a section of
/// scores), then the scores.
pub fn score_exporters() -> Vec<Box<dyn Exporter<ScoreRun>>> {
    vec![
        Box::new(OfRun(SummaryJson)),
        Box::new(OfRun(TimeseriesCsv)),
        Box::new(OfRun(OutcomesCsv)),
        Box::new(OfRun(ExceedanceCsv)),
        Box::new(OfRun(RunPlots)),
        Box::new(ScoreJson),
        Box::new(ScoreCsv),
        Box::new(plots::ScorePlots),
        Box::new(ScoreReport),
    ]
}

/// Every exporter `simulate explain` uses: the run's own files (its report with the Why
/// section), then the forces, the contributions, the outcomes with and without each
/// event and scenario discovery's boxes.
pub fn explain_exporters() -> Vec<Box<dyn Exporter<Explanation>>> {
    vec![
        Box::new(OfRun(SummaryJson)),
        Box::new(OfRun(TimeseriesCsv)),
        Box::new(OfRun(OutcomesCsv)),
        Box::new(OfRun(ExceedanceCsv)),
        Box::new(OfRun(RunPlots)),
        Box::new(ForcesCsv),
        Box::new(ContributionsCsv),
        Box::new(ConditionalCsv),
        Box::new(DiscoveryCsv),
        Box::new(plots::ForcePlots),
        Box::new(plots::DiscoveryPlots),
        Box::new(ExplainReport),
    ]
}
