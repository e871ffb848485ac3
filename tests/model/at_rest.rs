//! `at_rest: true`: the initial state is a fixed point for every parameter draw, the file's
//! affinities are departures from rest, and draws or stances that cannot be held still are
//! refused with exit 2.

use crate::common;

use common::{data, exits, read, simulate, write, REST3};

fn run(file: &std::path::Path, out: &std::path::Path, extra: &[&str]) -> std::process::Output {
    simulate()
        .arg(file)
        .args(["-q", "--out"])
        .arg(out)
        .args(extra)
        .output()
        .expect("simulate runs")
}

/// Every row of timeseries.csv as (metric, step, [mean, p05, p50, p95]).
fn bands(out: &std::path::Path) -> Vec<(String, usize, Vec<f64>)> {
    let text = String::from_utf8(read(&out.join("timeseries.csv"))).unwrap();
    let mut rows = Vec::new();
    for line in text.lines().skip(1) {
        // step,"metric",mean,p05,p25,p50,p75,p95 (the metric is quoted: it holds commas)
        let (step, rest) = line.split_once(',').unwrap();
        let (metric, numbers) = rest.rsplit_once("\",").unwrap();
        let x: Vec<f64> = numbers.split(',').map(|v| v.parse().unwrap()).collect();
        rows.push((
            metric.to_string(),
            step.parse().unwrap(),
            vec![x[0], x[1], x[3], x[5]],
        ));
    }
    rows
}

#[test]
fn a_world_at_rest_with_no_noise_or_events_stays_where_it_starts_in_every_trajectory() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    let done = run(&data("at_rest.ron"), &out, &[]);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let all = bands(&out);
    assert!(!all.is_empty());
    for (metric, t, values) in &all {
        let start = &all
            .iter()
            .find(|(m, s, _)| m == metric && *s == 0)
            .unwrap()
            .2;
        assert_eq!(values.len(), start.len(), "{metric} at step {t}");
        for (v, s) in values.iter().zip(start) {
            assert!((v - s).abs() <= 1e-12, "{metric} at step {t}: {v} vs {s}");
        }
    }
}

#[test]
fn the_same_world_not_at_rest_drifts_with_no_event() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(data("at_rest.ron")).unwrap();
    let file = dir.path().join("drifting.ron");
    std::fs::write(&file, text.replace("at_rest: true", "at_rest: false")).unwrap();
    let out = dir.path().join("r");
    let done = run(&file, &out, &[]);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let all = bands(&out);
    let moved = all
        .iter()
        .map(|(metric, _, values)| {
            let start = &all
                .iter()
                .find(|(m, s, _)| m == metric && *s == 0)
                .unwrap()
                .2;
            (values[0] - start[0]).abs()
        })
        .fold(0.0, f64::max);
    assert!(moved > 0.05, "moved only {moved}");
}

#[test]
fn a_world_at_rest_gives_the_same_bytes_for_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(data("at_rest.ron")).unwrap();
    let file = dir.path().join("noisy.ron");
    std::fs::write(&file, text.replace("sigma: 0.0", "sigma: 0.05")).unwrap();
    let mut summaries = Vec::new();
    for threads in ["1", "2"] {
        let out = dir.path().join(format!("t{threads}"));
        let done = run(&file, &out, &["--threads", threads]);
        assert!(
            done.status.success(),
            "{}",
            String::from_utf8_lossy(&done.stderr)
        );
        summaries.push(read(&out.join("summary.json")));
    }
    assert_eq!(summaries[0], summaries[1]);
}

#[test]
fn a_stance_of_exactly_one_cannot_be_held_at_rest_and_is_refused_where_it_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(data("at_rest.ron")).unwrap();
    let file = dir.path().join("certain.ron");
    std::fs::write(
        &file,
        text.replace("(\"C\", \"B\", 0.4)", "(\"C\", \"B\", 1.0)"),
    )
    .unwrap();
    let done = run(&file, &dir.path().join("r"), &[]);
    assert_eq!(done.status.code(), Some(2));
    let err = String::from_utf8_lossy(&done.stderr);
    assert!(err.contains("certain.ron:14:"), "{err}");
    assert!(err.contains("stances entry (\"C\", \"B\")"), "{err}");
    assert!(err.contains("write 0.99 or set at_rest: false"), "{err}");
    assert!(!dir.path().join("r").exists());
}

#[test]
fn a_draw_that_needs_an_affinity_beyond_the_limit_is_refused_naming_the_pair_and_the_draw() {
    // A stance of 0.995 (atanh 3.0) with a departure of +1.8 toward the same state needs
    // 4.8 before the other terms; where lambda and the hostile partner push it past 5, the
    // draw cannot be held still. The lowest such trajectory is named, whatever the threads.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(data("at_rest.ron")).unwrap();
    let text = text
        .replace("(\"A\", \"B\", 0.5)", "(\"A\", \"B\", 0.995)")
        .replace(
            "    ties: [",
            "    affinities: [(\"A\", \"B\", 1.8)],\n    ties: [",
        );
    let file = dir.path().join("strained.ron");
    std::fs::write(&file, text).unwrap();
    let mut messages = Vec::new();
    for threads in ["1", "2"] {
        let out = dir.path().join(format!("t{threads}"));
        let done = run(&file, &out, &["--threads", threads]);
        assert_eq!(done.status.code(), Some(2));
        let err = String::from_utf8_lossy(&done.stderr).to_string();
        assert!(
            err.contains("scenario \"at_rest\" asks for at_rest"),
            "{err}"
        );
        assert!(err.contains("Stance(\"A\", \"B\")"), "{err}");
        assert!(
            err.contains("lambda = ") && err.contains("beta.aid = "),
            "{err}"
        );
        assert!(!out.exists(), "nothing is written");
        messages.push(err);
    }
    assert_eq!(messages[0], messages[1]);
}

#[test]
fn blocs_of_a_world_at_rest_read_its_departures_as_if_they_were_affinities() {
    // Was: `simulate blocs scenarios/putin_visit.ron` (at rest, `affinities: []`) printed a
    // landscape of an all-zero matrix, every configuration a "minimum" of energy 0, with exit
    // 0. At rest the file's affinities are departures from rest, not the affinities, so the
    // affinity landscape is refused, pointing at the partnerships the rest holds.
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "rest3.ron", REST3);
    let err = exits(
        2,
        &[&"blocs", &file, &"-q", &"--out", &dir.path().join("b")],
    );
    assert!(err.contains("rest3.ron"), "{err}");
    assert!(err.contains("at_rest"), "{err}");
    assert!(err.contains("--from partnership"), "{err}");
    assert!(!dir.path().join("b").exists());
    // The partnerships are what a world at rest holds: that landscape is still given.
    let p = dir.path().join("p");
    exits(
        0,
        &[
            &"blocs",
            &file,
            &"-q",
            &"--from",
            &"partnership",
            &"--out",
            &p,
        ],
    );
}

#[test]
fn check_passes_a_world_at_rest_that_every_run_refuses() {
    // Was: a stance of 0.9999999999999999 (atanh 18.7) at rest: `simulate check` said "ok",
    // and every run of the file then stopped with exit 2. `check` now tries the file's own
    // draws (its trajectories and seed), as a run would, before saying ok.
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "near.ron",
        &REST3.replace("(\"A\",\"B\",0.8)", "(\"A\",\"B\",0.9999999999999999)"),
    );
    let err = exits(2, &[&"check", &file]);
    assert!(err.contains("Stance(\"A\", \"B\")"), "{err}");
    // The file a run accepts, check accepts.
    let file = write(dir.path(), "rest3.ron", REST3);
    exits(0, &[&"check", &file]);
}
