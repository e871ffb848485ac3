//! Small hand-built results for the exporters' unit tests: one of each kind, with values
//! that are easy to find again in the bytes.

use crate::analysis::compare::{
    EffectPoint, EffectSeries, FromReference, MetricEffect, OutcomeAcross, Pairwise,
};
use crate::analysis::landscape::{Configuration, Landscape};
use crate::analysis::sensitivity::{FactorIndices, OutcomeSensitivity, Sensitivity};
use crate::analysis::summary::Standings;
use crate::analysis::sweep::{PointEffect, PointOutcome, Sweep, SweepPoint};
use crate::analysis::{
    Band, Comparison, EventSummary, Manifest, MeanWorld, MetricSeries, OutcomeDifference,
    OutcomeSummary, RunSummary,
};

pub fn manifest(scenario: &str) -> Manifest {
    Manifest {
        scenario: scenario.into(),
        scenario_sha256: "ab12".into(),
        scenario_chain: Vec::new(),
        seed: 7,
        trajectories: 40,
        steps: 1,
        step_unit: "quarter".into(),
        calendar: None,
        engine_version: "9".into(),
    }
}

pub fn run(scenario: &str) -> RunSummary {
    let band = |mean: f64| Band {
        mean,
        p05: 0.1,
        p25: 0.2,
        p50: 0.3,
        p75: 0.4,
        p95: 0.5,
    };
    RunSummary {
        manifest: manifest(scenario),
        description: "a test".into(),
        outcomes: vec![OutcomeSummary {
            name: "war".into(),
            kind: "ever",
            count: 10,
            probability: 0.25,
            ci_low: 0.125,
            ci_high: 0.375,
            median_first_step: Some(1),
            reads_back: None,
        }],
        series: vec![MetricSeries {
            metric: "Stance(A, B)".into(),
            range: (-1.0, 1.0),
            bands: vec![band(0.0), band(0.5)],
            final_histogram: vec![],
        }],
        events: vec![EventSummary {
            name: "summit".into(),
            fired: 0.5,
            mean_firings: 0.75,
            fired_by: vec![0.0, 0.5],
        }],
        world: MeanWorld {
            states: vec!["A".into(), "B".into()],
            weights: vec![1.0, 1.0],
            channels: vec![],
            partnership: vec![0.0; 4],
            share: vec![],
        },
        scheduled: vec![],
        parameters: vec![],
        ranges: vec![],
        rows_scaled_back: None,
        drift: None,
        outcome_descriptions: vec![String::new()],
        blocs: vec![],
        standings: Standings {
            between_partnership: 0.1,
            states: vec![],
        },
        exceedance: vec![],
    }
}

/// Two scenarios with one shared outcome (and one only the reference has) and one shared
/// metric whose effect is 0 at step 0 and +0.08 [+0.07, +0.09] at step 1.
pub fn comparison() -> Comparison {
    let pairwise = Pairwise {
        outcomes: vec![OutcomeDifference {
            name: "war".into(),
            a: 0.25,
            b: 0.5,
            diff: 0.25,
            ci_low: 0.125,
            ci_high: 0.375,
            unpaired_half_width: 0.2,
            only_a: 1,
            only_b: 11,
        }],
        only_in_a: vec!["peace".into()],
        only_in_b: vec![],
        redefined: vec![],
    };
    let mut before = run("before");
    let mut after = run("after");
    for (s, level) in [(&mut before, 0.1), (&mut after, 0.18)] {
        s.series = vec![MetricSeries {
            metric: "Partnership(A, B)".into(),
            range: (-1.0, 1.0),
            bands: [0.1, level]
                .iter()
                .map(|&x| Band {
                    mean: x,
                    p05: x - 0.2,
                    p25: x - 0.1,
                    p50: x,
                    p75: x + 0.1,
                    p95: x + 0.2,
                })
                .collect(),
            final_histogram: vec![],
        }];
    }
    let point = |diff: f64, half: f64| EffectPoint {
        diff,
        ci_low: diff - half,
        ci_high: diff + half,
        unpaired_low: diff - 3.0 * half,
        unpaired_high: diff + 3.0 * half,
    };
    let effects = vec![EffectSeries {
        metric: "Partnership(A, B)".into(),
        scenario: 1,
        points: vec![point(0.0, 0.0), point(0.08, 0.01)],
    }];
    let outcomes = vec![OutcomeAcross {
        name: "war".into(),
        probabilities: vec![0.25, 0.5],
        differences: vec![FromReference {
            scenario: "after".into(),
            label: "B".into(),
            diff: 0.25,
            ci_low: 0.125,
            ci_high: 0.375,
            unpaired_half_width: 0.2,
        }],
    }];
    let metrics = vec![MetricEffect {
        name: "Partnership(A, B)".into(),
        scenario: "after".into(),
        label: "B".into(),
        step: 12,
        mean: 0.18,
        reference_mean: 0.1,
        diff: 0.08,
        ci_low: 0.07,
        ci_high: 0.09,
        unpaired_ci_low: 0.05,
        unpaired_ci_high: 0.11,
    }];
    Comparison {
        scenarios: vec![before, after],
        pairwise: vec![pairwise],
        outcomes,
        not_shared: vec!["peace".into()],
        defined_differently: vec![],
        metrics,
        effects,
    }
}

pub fn sweep() -> Sweep {
    let point = |value: f64, count: u64| SweepPoint {
        values: vec![value],
        outcomes: vec![PointOutcome {
            name: "war".into(),
            count,
            probability: count as f64 / 40.0,
            ci_low: 0.125,
            ci_high: 0.375,
        }],
        effects: vec![
            PointEffect {
                kind: "outcome",
                name: "war".into(),
                mean: count as f64 / 40.0,
                effect: (count as f64 - 10.0) / 40.0,
                ci_low: -0.125,
                ci_high: 0.5,
            },
            PointEffect {
                kind: "metric",
                name: "Partnership(A, B)".into(),
                mean: 0.5,
                effect: 0.0,
                ci_low: -0.25,
                ci_high: 0.25,
            },
        ],
    };
    Sweep {
        manifest: manifest("s"),
        parameters: vec!["lambda".into()],
        axes: vec![vec![0.25, 1e-7]],
        points: vec![point(0.25, 10), point(1e-7, 20)],
        outcomes: vec!["war".into()],
    }
}

pub fn sensitivity() -> Sensitivity {
    let indices = |first: f64| FactorIndices {
        factor: "eta".into(),
        distribution: "Uniform(0.1, 0.5)".into(),
        first,
        first_low: 0.0,
        first_high: 1.0,
        total: 0.75,
        total_low: 0.5,
        total_high: 1.0,
        caveats: Vec::new(),
    };
    Sensitivity {
        manifest: manifest("s"),
        against: None,
        samples: 8,
        factors: vec!["eta".into()],
        grouping: crate::analysis::factor_groups::Grouping::Each,
        outcomes: vec![
            OutcomeSensitivity {
                name: "war".into(),
                mean: 0.25,
                variance: 0.0625,
                factors: vec![indices(0.5)],
                caveats: Vec::new(),
            },
            OutcomeSensitivity {
                name: "peace".into(),
                mean: 0.75,
                variance: 0.125,
                factors: vec![indices(0.25)],
                caveats: Vec::new(),
            },
        ],
        metrics: vec![OutcomeSensitivity {
            name: "Partnership(A, B)".into(),
            mean: 0.4,
            variance: 0.01,
            factors: vec![indices(0.9)],
            caveats: Vec::new(),
        }],
    }
}

pub fn landscape() -> Landscape {
    Landscape {
        states: vec!["A".into(), "B".into(), "C".into()],
        source: "affinity".into(),
        configurations: 4,
        exhaustive: true,
        found: 1,
        minima: vec![Configuration {
            sides: crate::model::blocs::Sides::from_words([0b100, 0, 0, 0]),
            with_first: vec!["A".into(), "B".into()],
            other: vec!["C".into()],
            energy: -2.5,
            global: true,
            found_by: 0,
        }],
    }
}

/// The single file an exporter made, as text, after checking its name.
pub fn only_file(files: Vec<super::File>, name: &str) -> String {
    assert_eq!(files.len(), 1);
    let (path, bytes) = files.into_iter().next().unwrap();
    assert_eq!(path, std::path::Path::new(name));
    String::from_utf8(bytes).unwrap()
}
