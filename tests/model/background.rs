//! The background (the book's "The background", docs/src/reference/background.md): with
//! its defaults, a generic world reproduces the panels it was fitted on; it draws from its
//! own streams; it is the same for any thread count; `background: None` and bad values are
//! what they say.

use crate::common;

use std::path::Path;
use std::sync::atomic::AtomicBool;

use entente::engine::{self, aggregate, Aggregates, Control, Plan};
use entente::model::{Metric, World};

use common::{data, read, run_into, simulate};

/// SIPRI, the change over five years of the top supplier's share of a recipient's arms:
/// the 5/25/50/75/95% quantiles of 852 recipient-windows and the bootstrap sd of each over
/// recipients (`scripts/background_fit.txt`).
const PANEL_SHARE: [f64; 5] = [-0.603, -0.333, -0.105, 0.015, 0.233];
const PANEL_SHARE_SD: [f64; 5] = [0.020, 0.018, 0.018, 0.007, 0.019];

/// UN ideal points, in stance units: the 50/75/90/95/99% quantiles of how far states move
/// in one year and in five (`scripts/background_fit.txt`).
const PANEL_MOVE_1: [f64; 5] = [0.024, 0.046, 0.077, 0.104, 0.181];
const PANEL_MOVE_5: [f64; 5] = [0.062, 0.110, 0.175, 0.231, 0.438];

const SHARE_QUANTILES: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];
const MOVE_QUANTILES: [f64; 5] = [0.5, 0.75, 0.9, 0.95, 0.99];

fn load(path: &Path) -> World {
    entente::scenario::load(path)
        .unwrap_or_else(|e| panic!("{e}"))
        .world
}

fn run(world: &World, trajectories: u64, threads: usize) -> Aggregates {
    run_recorded(world, trajectories, threads, None)
}

/// `run`, handing every trajectory's record to `records`.
fn run_recorded(
    world: &World,
    trajectories: u64,
    threads: usize,
    records: Option<&dyn entente::engine::records::Records>,
) -> Aggregates {
    let cancel = AtomicBool::new(false);
    let control = Control {
        progress: &|_| {},
        cancel: &cancel,
    };
    let plan = Plan::new(trajectories, world.seed, Some(threads));
    engine::run_recorded(world, &plan, &control, records).unwrap_or_else(|e| panic!("{e:?}"))
}

/// The pooled quantiles, over `metrics`, of each metric's change from its (fixed) value at
/// step 0 to step `t`, absolute if `absolute`: every trajectory's value at t is in the
/// metric's histogram, so the pooled distribution is the sum of the shifted histograms.
fn pooled_changes(
    world: &World,
    agg: &Aggregates,
    metrics: &[usize],
    t: usize,
    absolute: bool,
    quantiles: &[f64],
) -> Vec<f64> {
    let mut changes: Vec<(f64, u64)> = Vec::new();
    for &m in metrics {
        let range = world.metrics[m].range();
        let start = agg.mean(m, 0);
        let width = (range.1 - range.0) / aggregate::BINS as f64;
        for (b, &count) in agg.histogram_of(m, t).iter().enumerate() {
            if count > 0 {
                let change = range.0 + width * (b as f64 + 0.5) - start;
                changes.push((if absolute { change.abs() } else { change }, count));
            }
        }
    }
    changes.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: u64 = changes.iter().map(|c| c.1).sum();
    quantiles
        .iter()
        .map(|q| {
            let rank = (q * (total - 1) as f64) as u64;
            let mut seen = 0;
            for &(x, count) in &changes {
                seen += count;
                if seen > rank {
                    return x;
                }
            }
            f64::NAN
        })
        .collect()
}

/// The generic world's first ten share metrics: each buyer's top supplier.
fn top_shares(world: &World) -> Vec<usize> {
    let shares = indices(world, |m| matches!(m, Metric::Share(..)));
    shares[..10].to_vec()
}

fn indices(world: &World, keep: impl Fn(&Metric) -> bool) -> Vec<usize> {
    (0..world.metrics.len())
        .filter(|&m| keep(&world.metrics[m]))
        .collect()
}

fn shown(xs: &[f64]) -> String {
    xs.iter()
        .map(|x| format!("{x:+.3}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Prints `model` beside `panel` under `label`, then checks each figure within 2.5 of the
/// panel's bootstrap sd `sd`.
fn within_panel(label: &str, model: &[f64], panel: &[f64], sd: &[f64]) {
    println!("{label}: panel {}", shown(panel));
    println!(
        "{:width$}  model {}",
        "",
        shown(model),
        width = label.len() - 1
    );
    for ((q, p), e) in model.iter().zip(panel).zip(sd) {
        assert!(
            (q - p).abs() <= 2.5 * e,
            "{label}: model {} against panel {}",
            shown(model),
            shown(panel)
        );
    }
}

/// The fit: the generic world (ten states, one arms channel, the panel's starting
/// structures, at rest, five years of quarters) run with the defaults gives the SIPRI
/// panel's distribution of five-year changes of the top supplier's share, each quantile
/// within 2.5 of its bootstrap sd (the panel's sampling error; 20,000 recipient-windows
/// make the model's own Monte Carlo error a tenth of that).
#[test]
fn the_generic_world_reproduces_the_panels_changes_of_the_top_suppliers_share() {
    let world = load(&data("background_world.ron"));
    let agg = run(&world, world.trajectories, 2);
    let shares = top_shares(&world);
    let model = pooled_changes(&world, &agg, &shares, 20, false, &SHARE_QUANTILES);
    within_panel(
        "top supplier's share, 5/25/50/75/95%",
        &model,
        &PANEL_SHARE,
        &PANEL_SHARE_SD,
    );
}

/// SIPRI: of the suppliers with a share of a recipient's arms in a five-year window (at
/// least US$100 m TIV in it and the next), the fraction with none in the next, by share
/// (up to 0.02, 0.05, 0.1, 0.2, 0.4, 1), and its bootstrap sd over recipients
/// (`scripts/background_fit.txt`).
const PANEL_EXIT_BINS: [f64; 6] = [0.02, 0.05, 0.1, 0.2, 0.4, 1.0];
const PANEL_EXIT: [f64; 6] = [0.446, 0.365, 0.312, 0.233, 0.171, 0.046];
const PANEL_EXIT_SD: [f64; 6] = [0.015, 0.021, 0.025, 0.020, 0.021, 0.009];

/// The fit of exits: in the generic world with the defaults, the fraction of its suppliers
/// (top, second and third of each buyer) whose share is 0 after five years, by starting
/// share as the panel bins them, each within 2.5 of the panel's bootstrap sd. Before exits,
/// a supplier's share never reached 0 (every fraction was 0, the panel's 0.05 to 0.45).
#[test]
fn the_generic_world_loses_suppliers_as_often_as_the_panel() {
    let world = load(&data("background_world.ron"));
    let agg = run(&world, world.trajectories, 2);
    let shares = indices(&world, |m| matches!(m, Metric::Share(..)));
    let (mut left, mut all) = ([0u64; 6], [0u64; 6]);
    for m in shares {
        let start = agg.mean(m, 0);
        let bin = PANEL_EXIT_BINS.iter().position(|&b| start <= b).unwrap();
        // A share of exactly 0 is in the first bin; a share that merely fell stays above
        // it (the smallest start, 0.004, diluted by five years of contracts).
        left[bin] += agg.histogram_of(m, 20)[0];
        all[bin] += agg.trajectories;
    }
    let model: Vec<f64> = left
        .iter()
        .zip(all)
        .map(|(&l, a)| l as f64 / a as f64)
        .collect();
    within_panel(
        "suppliers gone after five years, by share",
        &model,
        &PANEL_EXIT,
        &PANEL_EXIT_SD,
    );
}

/// SIPRI: the part of a recipient's arms in the next five-year window that comes from
/// suppliers with none in the window (the same recipient-windows): the fraction of
/// recipient-windows in which it passes 0.1, 0.3 and 0.5, and its bootstrap sd over
/// recipients (`scripts/background_fit.txt`).
const PANEL_NEWCOMER_LEVELS: [f64; 3] = [0.1, 0.3, 0.5];
const PANEL_NEWCOMERS: [f64; 3] = [0.347, 0.138, 0.074];
const PANEL_NEWCOMERS_SD: [f64; 3] = [0.023, 0.014, 0.011];

/// Keeps every row of a run, in any order (the test needs only their totals).
struct Kept(std::sync::Mutex<Vec<entente::engine::records::Rows>>);

impl entente::engine::records::Records for Kept {
    fn take(&self, rows: entente::engine::records::Rows) {
        self.0.lock().unwrap().push(rows);
    }
}

/// The fit of newcomers: in the generic world with the defaults, the part of each buyer's
/// arms that the states with none at the start hold after five years passes 0.1, 0.3 and
/// 0.5 as often as the panel's newcomers do, each within 2.5 of its bootstrap sd. A newcomer
/// gets a contract only through the entry weight (`background::ENTRY`), and the heir of an
/// exit is drawn the same way: at 0.01 the newcomers passed each level about a fifth as
/// often as the panel's (0.07, 0.04 and 0.02 in `scripts/fit_background.py`'s simulation).
#[test]
fn the_generic_world_brings_in_new_suppliers_as_often_as_the_panel() {
    let mut world = load(&data("background_world.ron"));
    let (n, arms) = (world.n(), 0);
    // Each buyer's newcomers: the states other than itself with no share at the start,
    // tracked as metrics after the file's own.
    let first = world.metrics.len();
    let mut newcomers = Vec::new();
    for i in 0..n {
        let mut mine = Vec::new();
        for j in (0..n).filter(|&j| j != i && world.share[(arms * n + i) * n + j] == 0.0) {
            mine.push(first + newcomers.iter().map(Vec::len).sum::<usize>() + mine.len());
            world.metrics.push(Metric::Share(i, j, arms));
        }
        newcomers.push(mine);
    }
    let kept = Kept(std::sync::Mutex::new(Vec::new()));
    run_recorded(&world, world.trajectories, 2, Some(&kept));
    let metrics = world.metrics.len();
    let (mut above, mut all) = ([0u64; 3], 0u64);
    for rows in kept.0.into_inner().unwrap() {
        for finals in rows.finals.chunks(metrics) {
            for mine in &newcomers {
                let part: f64 = mine.iter().map(|&m| finals[m]).sum();
                for (count, level) in above.iter_mut().zip(PANEL_NEWCOMER_LEVELS) {
                    *count += u64::from(part > level);
                }
                all += 1;
            }
        }
    }
    assert_eq!(all, world.trajectories * n as u64);
    let model: Vec<f64> = above.iter().map(|&a| a as f64 / all as f64).collect();
    within_panel(
        "newcomers' part after five years above 0.1/0.3/0.5",
        &model,
        &PANEL_NEWCOMERS,
        &PANEL_NEWCOMERS_SD,
    );
}

/// The same world's directed stances move as far as states do in the UN panel in one and
/// in five years: the 50/75/90/95/99% quantiles of |move| within a fifth of the panel's
/// (or 0.01), after the noise of baseline.ron's range and the background's jumps.
#[test]
fn the_generic_world_moves_as_far_as_the_un_panel_in_one_and_five_years() {
    let world = load(&data("background_world.ron"));
    let agg = run(&world, 500, 2);
    let stances = indices(&world, |m| matches!(m, Metric::Stance(..)));
    for (t, panel) in [(4, PANEL_MOVE_1), (20, PANEL_MOVE_5)] {
        let model = pooled_changes(&world, &agg, &stances, t, true, &MOVE_QUANTILES);
        println!(
            "|move| over {t} quarters, 50/75/90/95/99%: panel {}",
            shown(&panel)
        );
        println!(
            "                                         model {}",
            shown(&model)
        );
        for (q, p) in model.iter().zip(panel) {
            assert!(
                (q - p).abs() <= (0.2 * p).max(0.01),
                "over {t} quarters: model {} against panel {}",
                shown(&model),
                shown(&panel)
            );
        }
    }
}

/// The background world with `background: <setting>` written in, in `dir`.
fn with_background(dir: &Path, name: &str, setting: &str, trajectories: u64) -> std::path::PathBuf {
    let text = String::from_utf8(read(&data("background_world.ron"))).unwrap();
    let text = text
        .replace(
            "    params: Params(",
            &format!("    background: {setting},\n    params: Params("),
        )
        .replace(
            "trajectories: 2000",
            &format!("trajectories: {trajectories}"),
        );
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// The background draws only from its own streams (`background:jumps`,
/// `background:suppliers`) and its parameters from their own (`params:background.…`): a
/// background that never fires leaves every other draw, and so every result (here the
/// time series), as `background: None` has it.
#[test]
fn a_background_that_never_fires_changes_no_other_draw() {
    let dir = tempfile::tempdir().unwrap();
    let silent = "Background(jump_rate: 0.0, jump_scale: Uniform(0.1, 0.3), supplier_rate: 0.0, exit_rate: 0.0, \
                  supplier_size: Uniform(0.1, 0.2))";
    let on = with_background(dir.path(), "on.ron", silent, 40);
    let off = with_background(dir.path(), "off.ron", "None", 40);
    let mut runs = Vec::new();
    for file in [&on, &off] {
        let out = dir.path().join(file.file_stem().unwrap());
        run_into(&out, &[file]);
        runs.push(read(&out.join("timeseries.csv")));
    }
    assert!(runs[0] == runs[1], "a silent background changed the draws");
    // And the default background does change them (so the comparison above can fail).
    let default = dir.path().join("default.ron");
    let text = String::from_utf8(read(&off)).unwrap();
    std::fs::write(&default, text.replace("    background: None,\n", "")).unwrap();
    let out = dir.path().join("default");
    run_into(&out, &[&default]);
    assert!(read(&out.join("timeseries.csv")) != runs[1]);
}

/// Same bytes of every output for any thread count, with the background on.
#[test]
fn the_background_gives_the_same_bytes_on_one_thread_and_two() {
    let dir = tempfile::tempdir().unwrap();
    let file = with_background(dir.path(), "w.ron", "Background()", 300);
    let mut outs = Vec::new();
    for threads in ["1", "2"] {
        let out = dir.path().join(format!("t{threads}"));
        run_into(&out, &[&file, &"--threads", &threads]);
        outs.push(out);
    }
    common::assert_same_files(
        &outs[0],
        &outs[1],
        &["summary.json", "timeseries.csv", "outcomes.csv"],
        "between --threads 1 and 2",
    );
}

/// `background: None` switches it off: with no event, the generic world's top suppliers
/// then keep their shares (the replicator and the noise alone move them by a few points).
#[test]
fn background_none_keeps_the_suppliers_it_starts_with() {
    let dir = tempfile::tempdir().unwrap();
    let world = load(&with_background(dir.path(), "off.ron", "None", 200));
    assert!(world.background.is_none());
    let agg = run(&world, world.trajectories, 2);
    let shares = indices(&world, |m| matches!(m, Metric::Share(..)));
    let change = pooled_changes(&world, &agg, &shares, 20, false, &[0.05, 0.95]);
    assert!(change[0] > -0.06 && change[1] < 0.06, "{change:?}");
}

/// A file whose steps are not a unit of time (the default "step") has no background unless
/// it asks for one, and then it must say how long a step is.
#[test]
fn a_background_needs_a_unit_of_time() {
    let dir = tempfile::tempdir().unwrap();
    let base = "Scenario(name: \"w\", steps: 4, channels: [\"arms\"], \
                states: [State(name: \"A\"), State(name: \"B\")], \
                ties: [Tie(from: \"A\", to: \"B\", channel: \"arms\", share: 0.5)],\n";
    let write = |name: &str, tail: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, format!("{base}{tail})")).unwrap();
        path
    };
    let bare = load(&write("bare.ron", ""));
    assert!(bare.background.is_none());
    let asked = write("asked.ron", "    background: Background(jump_rate: 0.2),\n");
    let out = simulate().arg("check").arg(&asked).assert().code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("asked.ron:2:5:") && stderr.contains("steps_per_year"),
        "{stderr}"
    );
    // Every unit the loader reads is listed (half-year was missing: hostile pass 34).
    assert!(
        stderr.contains("(year, half-year, quarter, month, week, day)"),
        "{stderr}"
    );
    let given = load(&write(
        "given.ron",
        "    background: Background(steps_per_year: 12),\n",
    ));
    assert_eq!(given.background.as_ref().unwrap().steps_per_year, 12.0);
    // A step of a quarter is 4 a year: 12 contradicts it.
    let quarter = dir.path().join("quarter.ron");
    std::fs::write(
        &quarter,
        format!("{base}    step: \"quarter\",\n    background: Background(steps_per_year: 12))")
            .replace("Scenario(name", "Scenario(\n    name"),
    )
    .unwrap();
    let out = simulate().arg("check").arg(&quarter).assert().code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("4 a year"), "{stderr}");
}

/// A bad value of the background is refused at check, at its line, naming its path; a
/// misspelt field too.
#[test]
fn bad_background_values_exit_2_at_their_line() {
    let dir = tempfile::tempdir().unwrap();
    for (setting, says) in [
        (
            "Background(\n        jump_rate: -1.0)",
            "background.jump_rate",
        ),
        (
            "Background(\n        supplier_size: Uniform(0.5, 2.0))",
            "background.supplier_size",
        ),
        ("Background(\n        jump_rat: 0.1)", "jump_rat"),
    ] {
        let file = with_background(dir.path(), "bad.ron", setting, 10);
        let out = simulate().arg("check").arg(&file).assert().code(2);
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        let line = format!(
            "bad.ron:{}:",
            String::from_utf8(read(&file))
                .unwrap()
                .lines()
                .position(|l| l.contains("jump_rat") || l.contains("supplier_size"))
                .unwrap()
                + 1
        );
        assert!(
            stderr.contains(&line) && stderr.contains(says),
            "{setting}: {stderr}"
        );
    }
}

/// Sweeps, sensitivity and variants see the background's parameters by their paths.
#[test]
fn the_background_parameters_are_paths_like_any_other() {
    let world = load(&data("background_world.ron"));
    let paths: Vec<&str> = world.params.iter().map(|p| p.path.as_str()).collect();
    for name in ["jump_rate", "jump_scale", "supplier_rate", "supplier_size"] {
        assert!(
            paths.contains(&format!("background.{name}").as_str()),
            "{paths:?}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sweep");
    simulate()
        .args(["sweep"])
        .arg(data("background_world.ron"))
        .args([
            "--param",
            "background.supplier_rate=0:2:2",
            "-n",
            "8",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let variant = dir.path().join("variant.ron");
    std::fs::copy(data("background_world.ron"), dir.path().join("base.ron")).unwrap();
    std::fs::write(
        &variant,
        "Variant(base: \"base.ron\", name: \"quiet\", changes: [\
         SetParam(\"background.jump_rate\", 0.0)])",
    )
    .unwrap();
    let quiet = load(&variant);
    let slot = quiet
        .params
        .iter()
        .find(|p| p.path == "background.jump_rate")
        .unwrap();
    assert_eq!(slot.sampler.fixed(), Some(0.0));
}
