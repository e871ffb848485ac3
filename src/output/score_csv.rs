//! `score.csv`: one row per observation with its scores (`simulate score`); a metric's row
//! leaves the outcome columns empty and an outcome's the metric columns.

use std::io;

use serde::Serialize;

use std::path::PathBuf;

use super::dates::dated;
use super::{File, Files};
use crate::analysis::score::{MetricScore, OutcomeScore, ScoreRun, Scored};

pub struct ScoreCsv;

const HEADER: [&str; 20] = [
    "line",
    "metric",
    "kind",
    "step",
    "value",
    "p05",
    "p25",
    "p50",
    "p75",
    "p95",
    "in50",
    "in90",
    "pit",
    "crps",
    "persistence",
    "persistence_error",
    "probability",
    "brier",
    "base_probability",
    "base_brier",
];

/// One row, in the order of `HEADER`. The scores of the other kind are empty cells.
#[derive(Serialize, Default)]
struct Row<'a> {
    line: usize,
    metric: &'a str,
    kind: &'a str,
    step: u32,
    /// The step's date, in a file with a `start` (the column is there only then).
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    value: f64,
    p05: Option<f64>,
    p25: Option<f64>,
    p50: Option<f64>,
    p75: Option<f64>,
    p95: Option<f64>,
    in50: Option<bool>,
    in90: Option<bool>,
    pit: Option<f64>,
    crps: Option<f64>,
    persistence: Option<f64>,
    persistence_error: Option<f64>,
    probability: Option<f64>,
    brier: Option<f64>,
    base_probability: Option<f64>,
    base_brier: Option<f64>,
}

impl<'a> Row<'a> {
    fn of_metric(self, x: &MetricScore) -> Self {
        Row {
            p05: Some(x.p05),
            p25: Some(x.p25),
            p50: Some(x.p50),
            p75: Some(x.p75),
            p95: Some(x.p95),
            in50: Some(x.in50),
            in90: Some(x.in90),
            pit: Some(x.pit),
            crps: Some(x.crps),
            persistence: Some(x.persistence),
            persistence_error: Some(x.persistence_error),
            ..self
        }
    }

    fn of_outcome(self, x: &OutcomeScore) -> Self {
        Row {
            probability: Some(x.probability),
            brier: Some(x.brier),
            base_probability: Some(x.base_probability),
            base_brier: Some(x.base_brier),
            ..self
        }
    }
}

impl Files<ScoreRun> for ScoreCsv {
    fn files(&self, r: &ScoreRun) -> io::Result<Vec<File>> {
        // The header is written alone, so that a file of no rows still has it.
        let mut w = ::csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new());
        let calendar = r.summary.manifest.calendar;
        w.write_record(dated(&HEADER, calendar))?;
        for s in &r.scores {
            let row = Row {
                line: s.line,
                metric: &s.metric,
                kind: s.kind,
                step: s.step,
                date: calendar.map(|c| c.date(i64::from(s.step))),
                value: s.value,
                ..Row::default()
            };
            w.serialize(match &s.scored {
                Scored::Metric(x) => row.of_metric(x),
                Scored::Outcome(x) => row.of_outcome(x),
            })?;
        }
        let bytes = w.into_inner().map_err(|e| e.into_error())?;
        Ok(vec![(PathBuf::from("score.csv"), bytes)])
    }
}
