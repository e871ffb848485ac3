//! `simulate score`: a forecast scored against observations. The totals line, the fields
//! of score.json, the same bytes on any number of threads, ablations on the same seed; every
//! bad observations file refused (exit 2, at its line and column) before any simulation;
//! and the PIT of values drawn from the model's own distribution spread evenly.

use crate::common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::{data, json, proptest_config, read, scenario, simulate};
use entente::analysis::distribution::Distribution;
use entente::analysis::score::distribution;
use entente::engine::aggregate::{bin_of, BINS};
use entente::engine::{self, Control, Plan};
use proptest::prelude::*;

/// `simulate score tests/data/small.ron --observed FILE ARGS --out OUT`: its output.
fn score(observed: &Path, out: &Path, args: &[&str]) -> std::process::Output {
    simulate()
        .arg("score")
        .arg(data("small.ron"))
        .arg("--observed")
        .arg(observed)
        .args(args)
        .arg("--out")
        .arg(out)
        .timeout(Duration::from_secs(120))
        .output()
        .expect("simulate runs")
}

/// Writes `text` as an observations file in `dir`.
fn observations(dir: &Path, name: &str, text: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

#[test]
fn the_last_line_printed_is_the_totals_of_score_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("scored");
    let run = score(
        &data("small.observed.csv"),
        &out,
        &["--trajectories", "400"],
    );
    assert!(run.status.success(), "{}", stderr(&run));
    let text = stdout(&run);
    let last = text.lines().last().unwrap();
    let totals = &json(&out.join("score.json"))["totals"];
    let f = |key: &str| totals[key].as_f64().unwrap();
    assert_eq!(
        last,
        format!(
            "coverage90 {}/{n} coverage50 {}/{n} crps {:.4} persistence {:.4} skill {:.3}",
            totals["in90"],
            totals["in50"],
            f("crps"),
            f("persistence_crps"),
            f("skill"),
            n = totals["n"]
        )
    );
    assert_eq!(
        totals["n"], 4,
        "four observations of metrics in the fixture"
    );
    assert_eq!(totals["outcomes"], 2);
    // The run's own results are there too.
    for file in [
        "summary.json",
        "timeseries.csv",
        "outcomes.csv",
        "exceedance.csv",
        "score.csv",
        "report.html",
    ] {
        assert!(out.join(file).is_file(), "{file}");
    }
    for plot in [
        "pit_histogram",
        "score_01_partnership_a_b",
        "fan_01_partnership_a_b",
    ] {
        assert!(
            out.join("plots").join(format!("{plot}.svg")).is_file(),
            "{plot}"
        );
    }
    let report = String::from_utf8(read(&out.join("report.html"))).unwrap();
    assert!(report.contains("<h2 id=\"score\">Scored against history</h2>"));
    assert!(
        report.contains("id=\"score-totals\"") && report.contains("data-plot=\"pit_histogram\"")
    );
}

#[test]
fn score_json_holds_every_observation_with_its_scores_and_the_totals() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("scored");
    let run = score(
        &data("small.observed.csv"),
        &out,
        &["--trajectories", "400"],
    );
    assert!(run.status.success(), "{}", stderr(&run));
    let doc = json(&out.join("score.json"));
    let sha = entente::scenario::sha256_hex(&read(&data("small.observed.csv")));
    assert_eq!(doc["observed_sha256"], sha.as_str());
    assert_eq!(
        (doc["trajectories"].as_u64(), doc["seed"].as_u64()),
        (Some(400), Some(7))
    );
    let rows = doc["observations"].as_array().unwrap();
    assert_eq!(rows.len(), 6);
    for row in rows.iter().filter(|r| r["kind"] == "metric") {
        for key in [
            "line",
            "metric",
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
        ] {
            assert!(row.get(key).is_some(), "{key} missing in {row}");
        }
        let q = |k: &str| row[k].as_f64().unwrap();
        let (value, pit) = (q("value"), q("pit"));
        assert!(q("p05") <= q("p25") && q("p25") <= q("p50") && q("p75") <= q("p95"));
        // The bands and the PIT read one distribution.
        assert_eq!(
            row["in90"].as_bool().unwrap(),
            q("p05") <= value && value <= q("p95")
        );
        assert_eq!(
            row["in90"].as_bool().unwrap(),
            (0.05..=0.95).contains(&pit),
            "{row}"
        );
        assert!(q("crps") >= 0.0);
        assert!((q("persistence_error") - (value - q("persistence")).abs()).abs() < 1e-12);
    }
    let outcome = rows.iter().find(|r| r["metric"] == "ever_dealt").unwrap();
    let p = outcome["probability"].as_f64().unwrap();
    assert!(
        (outcome["brier"].as_f64().unwrap() - p * p).abs() < 1e-12,
        "{outcome}"
    );
    assert!(outcome.get("base_brier").is_some() && outcome.get("pit").is_none());
    let totals = &doc["totals"];
    for key in [
        "n",
        "coverage50",
        "coverage90",
        "crps",
        "persistence_crps",
        "skill",
        "brier",
    ] {
        assert!(totals.get(key).is_some(), "totals lack {key}");
    }
    let skill =
        1.0 - totals["crps"].as_f64().unwrap() / totals["persistence_crps"].as_f64().unwrap();
    assert!((totals["skill"].as_f64().unwrap() - skill).abs() < 1e-12);
    assert_eq!(doc["ablations"].as_array().unwrap().len(), 0);
    let csv = String::from_utf8(read(&out.join("score.csv"))).unwrap();
    assert_eq!(csv.lines().count(), 7);
    assert!(csv.starts_with("line,metric,kind,step,value,p05,"));
}

#[test]
fn scores_are_the_same_bytes_on_one_thread_and_on_two() {
    let dir = tempfile::tempdir().unwrap();
    let one = dir.path().join("one");
    let two = dir.path().join("two");
    let args = |threads| {
        [
            "--trajectories",
            "300",
            "--threads",
            threads,
            "--ablate",
            "all,balance",
        ]
    };
    for (out, threads) in [(&one, "1"), (&two, "2")] {
        let run = score(&data("small.observed.csv"), out, &args(threads));
        assert!(run.status.success(), "{}", stderr(&run));
    }
    common::assert_same_files(
        &one,
        &two,
        &[
            "score.json",
            "score.csv",
            "report.html",
            "plots/pit_histogram.svg",
        ],
        "with 2 threads instead of 1",
    );
}

#[test]
fn each_ablation_reports_its_totals_and_all_is_the_base_rate_of_the_outcomes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("scored");
    let run = score(
        &data("small.observed.csv"),
        &out,
        &[
            "--trajectories",
            "400",
            "--ablate",
            "all,dependency,balance,leverage",
        ],
    );
    assert!(run.status.success(), "{}", stderr(&run));
    let doc = json(&out.join("score.json"));
    let ablations = doc["ablations"].as_array().unwrap();
    let names: Vec<&str> = ablations
        .iter()
        .map(|a| a["ablation"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["balance", "leverage", "dependency", "all"]);
    let all = &ablations[3]["totals"];
    // Without the dynamics, the model is its own base rate.
    assert_eq!(all["brier"], all["base_brier"]);
    assert_eq!(all["base_brier"], doc["totals"]["base_brier"]);
    // Balance matters in this world: its ablation scores differently.
    assert_ne!(ablations[0]["totals"]["crps"], doc["totals"]["crps"]);
    let text = stdout(&run);
    assert!(text.contains("ablation leverage (lambda = 0: no patron leverage): coverage90 "));
    assert!(text.lines().last().unwrap().starts_with("coverage90 "));
}

/// Issue 21: the terminal showed the first 20 rows, so an outcome below 20 metric rows
/// was not printed, and an ablation's line had no Brier score.
#[test]
fn every_outcome_row_is_printed_and_each_ablation_line_has_its_brier_score() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("metric,step,value\n");
    for step in 0..=12 {
        text.push_str(&format!(
            "\"Partnership(A, B)\",{step},0.3\n\"Stance(C, A)\",{step},0\n"
        ));
    }
    text.push_str("close,12,1\n");
    let file = observations(dir.path(), "many.csv", text.as_bytes());
    let run = score(
        &file,
        &dir.path().join("out"),
        &["--trajectories", "100", "--ablate", "all"],
    );
    assert!(run.status.success(), "{}", stderr(&run));
    let printed = stdout(&run);
    assert!(
        printed
            .lines()
            .any(|l| l.trim_start().starts_with("close ") && l.contains("probability ")),
        "{printed}"
    );
    assert!(
        printed.contains("... and 6 more metric rows in score.csv"),
        "{printed}"
    );
    let ablation = printed
        .lines()
        .find(|l| l.starts_with("ablation all "))
        .unwrap();
    assert!(ablation.contains(" brier "), "{ablation}");
}

/// A bad observations file: refused with exit 2 and `file:line:column: what` before any
/// simulation (a billion trajectories would not end within the timeout), and nothing
/// written.
fn refused(text: &[u8], line_column: &str, what: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = observations(dir.path(), "obs.csv", text);
    let out = dir.path().join("out");
    let run = score(&file, &out, &["--trajectories", "1000000000"]);
    let message = stderr(&run);
    assert_eq!(run.status.code(), Some(2), "{message}");
    let place = format!("{}:{line_column}: ", file.display());
    assert!(
        message.contains(&format!("{place}{what}")),
        "expected `{place}{what}` in:\n{message}"
    );
    assert!(!message.contains("panicked"), "{message}");
    assert!(!out.exists(), "nothing is written for a refused file");
}

/// A 16 MB line of commas was read whole into fields before the first check (580 MB at
/// its peak); it is refused at the field past the bound as it is read.
#[test]
fn an_observations_line_of_millions_of_commas_is_refused_at_its_place() {
    let mut text = b"metric,step,value\n".to_vec();
    text.extend(std::iter::repeat_n(b',', 3_000_000));
    text.push(b'\n');
    refused(&text, "2:101", "more than 100 fields on one line");
}

/// A header cell left empty (a trailing comma) named no column, and was accepted.
#[test]
fn an_observations_header_with_an_empty_name_is_refused_at_its_place() {
    refused(
        b"metric,step,,value\n",
        "1:13",
        "this column of the header has no name",
    );
}

#[test]
fn an_unknown_metric_is_refused_at_its_place_with_the_closest_label() {
    refused(
        b"metric,step,value\n\"Partnership(A, B)\",2,0.3\n\"Partnership(A,B)\",3,0.3\n",
        "3:1",
        "unknown metric \"Partnership(A,B)\"",
    );
    refused(
        b"metric,step,value\nclosed,12,1\n",
        "2:1",
        "unknown metric \"closed\"",
    );
    let dir = tempfile::tempdir().unwrap();
    let file = observations(dir.path(), "o.csv", b"metric,step,value\nclosed,12,1\n");
    let run = score(&file, &dir.path().join("out"), &[]);
    assert!(
        stderr(&run).contains("did you mean \"close\"?"),
        "{}",
        stderr(&run)
    );
}

#[test]
fn a_step_out_of_range_is_refused_at_its_place() {
    refused(
        b"metric,step,value\nclose,13,1\n",
        "2:7",
        "step 13 is past the scenario's last step, 12",
    );
    refused(
        b"metric,step,value\nclose,-1,1\n",
        "2:7",
        "step -1 is before the start: steps start at 0",
    );
    refused(
        b"metric,step,value\nclose,4,1\n",
        "2:7",
        "outcome \"close\" is judged at the end",
    );
}

#[test]
fn a_value_that_is_not_a_number_is_refused_at_its_place() {
    refused(
        b"metric,step,value\n\"Stance(C, A)\",3,high\n",
        "2:18",
        "value \"high\" is not a number",
    );
    refused(
        b"metric,step,value\n\"Stance(C, A)\",3,NaN\n",
        "2:18",
        "value \"NaN\" is not a number",
    );
}

#[test]
fn an_outcome_observed_as_neither_0_nor_1_is_refused_at_its_place() {
    refused(
        b"metric,step,value\never_dealt,5,0.5\n",
        "2:14",
        "outcome \"ever_dealt\" is observed as 1 (it happened) or 0 (it did not), not 0.5",
    );
}

#[test]
fn an_empty_file_and_a_header_without_value_are_refused() {
    refused(b"", "1:1", "the file is empty");
    refused(b"\xef\xbb\xbf  \r\n", "1:1", "the file is empty");
    refused(
        b"metric,step,valeu\nclose,12,1\n",
        "1:13",
        "the header has no `value` column",
    );
    refused(
        b"metric,step,value\n",
        "1:1",
        "the file has a header but no observations",
    );
}

/// Issue 21, a new user's report: a spreadsheet in a decimal-comma locale saves semicolons,
/// and the file was refused for "text after the closing double quote of a field" or for a
/// header without `metric`, three times over.
#[test]
fn a_semicolon_or_tab_separated_file_is_named_as_such_once() {
    let semicolons = "this file is separated by semicolons; entente reads commas: save it as \
                      CSV UTF-8 (comma-delimited)";
    refused(
        b"metric;step;value\nclose;12;1\n",
        "1:7",
        &format!("{semicolons}\n"),
    );
    refused(
        b"\xef\xbb\xbf\"metric\";\"step\";\"value\"\r\n\"Stance(C, A)\";3;-0,2\r\n",
        "1:9",
        &format!("{semicolons} and write numbers with a decimal point, 0.075 and not 0,075"),
    );
    refused(
        b"metric\tstep\tvalue\nclose\t12\t1\n",
        "1:7",
        "this file is separated by tabs; entente reads commas",
    );
}

#[test]
fn a_label_with_commas_outside_quotes_is_refused_with_the_way_to_quote_it() {
    refused(
        b"metric,step,value\nStance(C, A),3,0.1\n",
        "2:1",
        "this row has 4 fields where the header has 3; a metric's label holds commas, so it \
         must be in double quotes: \"Stance(C, A)\"",
    );
    refused(
        b"metric,step,value\n\"Stance(C, A),3,0.1\n",
        "2:1",
        "the double quote that opens",
    );
}

/// Spreadsheets write a byte-order mark and CRLF line ends: both are read, and a bad row
/// after them is still named at its own line.
#[test]
fn a_bom_and_crlf_line_ends_are_read_and_lines_still_counted() {
    let dir = tempfile::tempdir().unwrap();
    let crlf = "\u{feff}metric,step,value,note\r\n\"Stance(C, A)\",3,-0.2,\"two\r\nlines\"\r\nclose,12,0,\r\n";
    let file = observations(dir.path(), "crlf.csv", crlf.as_bytes());
    let out = dir.path().join("out");
    let run = score(&file, &out, &["--trajectories", "50"]);
    assert!(run.status.success(), "{}", stderr(&run));
    let rows = json(&out.join("score.json"))["observations"].clone();
    assert_eq!(rows[0]["value"], -0.2);
    assert_eq!(
        (rows[1]["line"].as_u64(), rows[1]["metric"].as_str()),
        (Some(4), Some("close"))
    );
    refused(
        b"\xef\xbb\xbfmetric,step,value\r\n\"Stance(C, A)\",3,-0.2\r\nclose,12,x\r\n",
        "3:10",
        "value \"x\" is not a number",
    );
}

#[test]
fn a_missing_observations_file_is_a_usage_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere.csv");
    let run = score(&missing, &dir.path().join("out"), &[]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        stderr(&run).contains(&format!(
            "{}: cannot read the observations file",
            missing.display()
        )),
        "{}",
        stderr(&run)
    );
}

#[test]
fn a_misspelt_ablation_and_a_shard_are_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let run = score(
        &data("small.observed.csv"),
        &dir.path().join("o"),
        &["--ablate", "balance,levrage"],
    );
    assert_eq!(run.status.code(), Some(2));
    assert!(
        stderr(&run).contains("did you mean `leverage`?"),
        "{}",
        stderr(&run)
    );
    let run = score(
        &data("small.observed.csv"),
        &dir.path().join("o"),
        &["--shard", "1/2"],
    );
    assert_eq!(run.status.code(), Some(2));
    assert!(
        stderr(&run).contains("`--shard` is not a flag of `simulate score`")
            && stderr(&run).contains("`simulate FILE` (a run)"),
        "{}",
        stderr(&run)
    );
}

/// A score's folder holds only what entente writes, so scoring again replaces it.
#[test]
fn a_scored_folder_can_be_scored_again() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("scored");
    for _ in 0..2 {
        let run = score(
            &data("small.observed.csv"),
            &out,
            &["--trajectories", "50", "--quiet"],
        );
        assert!(run.status.success(), "{}", stderr(&run));
    }
    assert!(out.join("score.json").is_file());
}

#[test]
fn the_default_folder_is_outputs_slash_the_stem_dash_score() {
    let dir = tempfile::tempdir().unwrap();
    simulate()
        .current_dir(dir.path())
        .arg("score")
        .arg(scenario("baseline.ron"))
        .arg("--observed")
        .arg(data("baseline.observed.csv"))
        .args(["--trajectories", "200", "--quiet"])
        .assert()
        .success();
    assert!(dir
        .path()
        .join("outputs/baseline-score/score.json")
        .is_file());
}

/// Runs `world` on one thread and returns its aggregates.
fn run(world: &entente::model::World, trajectories: u64, seed: u64) -> engine::Aggregates {
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let control = Control {
        progress: &|_| {},
        cancel: &cancel,
    };
    engine::run(world, &Plan::new(trajectories, seed, Some(1)), &control).unwrap()
}

/// Defect (atoms): `china_1990`'s US share of China's arms at step 12 (1999-2001) was
/// observed at exactly 0, and the model ends at exactly 0 in more than 5% of its
/// trajectories, yet the 5% quantile was 0.000222: the values at 0 were spread over the
/// first bin, so the observation was scored outside a band the model reaches (and its PIT
/// was 0, as if no trajectory did). Now the values exactly at an end of the range are a
/// point mass there: p05 is 0, the observation is inside the 90% band, and its PIT is half
/// the mass at 0.
#[test]
fn an_observation_of_exactly_zero_fell_outside_a_band_the_model_reaches() {
    let out = tempfile::tempdir().unwrap();
    simulate()
        .arg("score")
        .arg(scenario("validation/china_1990.ron"))
        .arg("--observed")
        .arg(scenario("validation/china_1990.observed.csv"))
        .args(["--quiet", "--out"])
        .arg(out.path())
        .assert()
        .success();
    let score = json(&out.path().join("score.json"));
    let row = score["observations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["metric"] == "Average(Share(China, USA, arms), 3)" && o["step"] == 12)
        .expect("the US share at step 12 is observed");
    assert_eq!(row["value"].as_f64(), Some(0.0));
    assert_eq!(row["p05"].as_f64(), Some(0.0), "{row}");
    assert_eq!(row["in90"].as_bool(), Some(true), "{row}");
    let pit = row["pit"].as_f64().unwrap();
    assert!(
        pit > 0.025 && pit < 0.25,
        "half the mass at 0 is the PIT: {row}"
    );
}

/// The Kolmogorov-Smirnov distance between `values` and the uniform distribution on [0, 1].
fn ks_uniform(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len() as f64;
    values
        .iter()
        .enumerate()
        .map(|(i, &u)| (u - i as f64 / n).max((i + 1) as f64 / n - u))
        .fold(0.0, f64::max)
}

proptest! {
    #![proptest_config(proptest_config(6))]

    /// The calibration a score assumes, checked on the model itself: a value drawn from the
    /// model's own distribution (one more trajectory, on a seed of its own) has a PIT spread
    /// evenly over [0, 1]. The model is 3,000 trajectories of small.ron; the draws are 300
    /// single trajectories. KS distance at most 0.12 (its 1% critical value for 300 draws is
    /// 0.094, and the model's own histogram adds about 0.02 of noise).
    #[test]
    fn values_drawn_from_the_model_have_a_uniform_pit(
        seed in 0u64..1_000_000,
        metric in 0usize..3,
        step in 4usize..=12,
    ) {
        let scenario = entente::scenario::load(&data("small.ron")).unwrap();
        let world = &scenario.world;
        let model = run(world, 3000, seed);
        let forecast = distribution(world, &model, metric, step);
        let mut pits: Vec<f64> = (0..300u64)
            .map(|r| {
                let draw = run(world, 1, seed.wrapping_add(1 + r).wrapping_mul(7919));
                // One trajectory: its smallest value is its value.
                let value = draw.low[metric * draw.points + step];
                forecast.pit(value)
            })
            .collect();
        let distance = ks_uniform(&mut pits);
        prop_assert!(distance < 0.12, "KS distance {distance}");
    }

    /// The CRPS of any histogram is the integral of (F(x) - 1{x >= y})^2, here summed on a
    /// grid of 200,000 points (the exact value is within 1e-4 of it), and the quantiles
    /// invert the PIT; with values exactly at the ends of the range (point masses there)
    /// among them as often as not.
    #[test]
    fn the_crps_of_any_histogram_is_its_integral_and_quantiles_invert_the_pit(
        values in proptest::collection::vec(
            prop_oneof![3 => -1.0f64..1.0, 1 => Just(-1.0), 1 => Just(1.0)],
            1..40,
        ),
        y in prop_oneof![4 => -1.2f64..1.2, 1 => Just(-1.0), 1 => Just(1.0)],
        q in 0.01f64..0.99,
    ) {
        let range = (-1.0, 1.0);
        let mut counts = vec![0u64; BINS];
        for &v in &values {
            counts[bin_of(v, range)] += 1;
        }
        let low = values.iter().copied().fold(f64::INFINITY, f64::min);
        let high = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let at = |end: f64| values.iter().filter(|&&v| v == end).count() as u64;
        let d = Distribution::new(&counts, (at(-1.0), at(1.0)), range, low, high).unwrap();
        let cdf = |x: f64| d.pit(x);
        let (from, to, steps) = (-1.5f64, 1.5f64, 200_000);
        let dx = (to - from) / steps as f64;
        let integral: f64 = (0..steps)
            .map(|i| {
                let x = from + (i as f64 + 0.5) * dx;
                let h = if x >= y { 1.0 } else { 0.0 };
                (cdf(x) - h).powi(2) * dx
            })
            .sum();
        prop_assert!((d.crps(y) - integral).abs() < 1e-4, "{} vs {integral}", d.crps(y));
        // The CDF just past the quantile reaches q: at a point mass the PIT is the CDF
        // with half the mass, so it is read 1e-9 past the point.
        let x = d.quantile(q);
        prop_assert!(d.pit(x + 1e-9) >= q - 1e-9, "pit {} below {q}", d.pit(x + 1e-9));
        prop_assert!(d.pit(x - 1e-6) <= q + 1e-9, "pit just below the quantile {}", d.pit(x - 1e-6));
    }
}
