//! The reference workloads (benches/README.md) and the engine's agreement with the
//! independent numpy peer.
//!
//! `benches/reference_small.ron` and `benches/reference_large.ron` are generated from
//! the formulas of benches/README.md by `benches/reference_world.rs` (shared with the benches), and
//! this test fails if the checked-in files differ from what the formulas give, so they
//! cannot drift. The large worlds (N = 60, 100, 200) are generated on demand by
//! `cargo run --release --example reference_worlds`. To rewrite the small ones after a
//! deliberate change:
//!
//!     ENTENTE_REGENERATE=1 cargo test --release --test validation reference_workloads
//!
//! `sin`/`cos` come from `libm`, so the files are the same on every machine (glibc's `sin`,
//! which the peer uses through Python, agrees with it to the last bit or within one ulp; the
//! agreement tests below allow for that).

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use entente::engine::{self, Control, Plan};
use entente::model::World;

// The generator is shared with the benches (load/, run/), which cannot use a test's code.
use crate::reference_world;
use reference_world::{reference_text, Reference};

fn small() -> Reference {
    Reference {
        name: "reference_small".into(),
        trajectories: 100_000,
        indent: "        ",
        ..Reference::sized(6, 4, 40)
    }
}

fn large() -> Reference {
    Reference {
        name: "reference_large".into(),
        trajectories: 10_000,
        indent: "        ",
        ..Reference::sized(30, 4, 40)
    }
}

fn bench_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("benches")
        .join(format!("{name}.ron"))
}

#[test]
fn checked_in_reference_workloads_are_what_the_formulas_give() {
    for r in [small(), large()] {
        let path = bench_file(&r.name);
        let expected = r.text();
        if std::env::var_os("ENTENTE_REGENERATE").is_some() {
            std::fs::write(&path, &expected).unwrap();
        }
        let found = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            found == expected,
            "{} is not what the formulas of benches/README.md give; rerun with ENTENTE_REGENERATE=1",
            path.display()
        );
        // And the engine accepts it as it stands.
        entente::scenario::load(&path).unwrap();
    }
}

/// The largest world the format allows (200 states, under the 16 MB cap) loads, and a problem
/// near its end is still reported at its own line and column, with the suggestion: positions
/// come from the line index, not from a scan that a 15 MB file made take a minute.
#[test]
fn a_200_state_world_loads_and_a_problem_at_its_end_keeps_its_position() {
    let text = reference_text(200, 4, 40);
    assert!(text.len() < 16 << 20, "{} bytes", text.len());
    let (_, world) = entente::scenario::parse(Path::new("n200.ron"), text.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(world.states.len(), 200);
    assert_eq!(world.share.len(), 4 * 200 * 200);

    // Misspell the last tie's `to` state.
    let last = "Tie(from: \"s199\", to: \"s198\", channel: \"c3\"";
    let at = text.rfind(last).unwrap();
    let line = text[..at].matches('\n').count() + 1;
    let column = at - text[..at].rfind('\n').unwrap();
    let broken = format!(
        "{}{}",
        &text[..at],
        text[at..].replacen("to: \"s198\"", "to: \"s198x\"", 1)
    );
    let err = entente::scenario::parse(Path::new("n200.ron"), broken.as_bytes())
        .expect_err("an unknown state is refused")
        .to_string();
    let name_column = column + "Tie(from: \"s199\", to: ".len();
    assert!(
        err.contains(&format!("n200.ron:{line}:{name_column}")),
        "expected line {line}, column {name_column}: {err}"
    );
    assert!(
        err.contains("unknown state \"s198x\" — did you mean \"s198\"?"),
        "{err}"
    );
}

fn world(r: &Reference) -> World {
    entente::scenario::parse(Path::new(&r.name), r.text().as_bytes())
        .unwrap()
        .1
}

/// Mean of final `Partnership(s0, s1)` (metric 0) and `Share(s0, s1, c0)` (metric 1).
fn final_means(world: &World, trajectories: u64) -> (f64, f64) {
    let cancel = AtomicBool::new(false);
    let control = Control {
        progress: &|_| {},
        cancel: &cancel,
    };
    let plan = Plan::new(trajectories, 2018, None);
    let agg = engine::run(world, &plan, &control).unwrap();
    let t = world.steps as usize;
    (agg.mean(0, t), agg.mean(1, t))
}

/// The peer's published values, measured on this machine with
///
///     /tmp/peer/bin/python numpy_vectorized.py --m 100000            (small)
///     /tmp/peer/bin/python numpy_vectorized.py --n 30 --m 10000      (large)
///     ... and the same with --sigma 0 (deterministic)
///
/// in shared/bench/peer (numpy 2.4.6).
struct Peer {
    m: u64,
    mean_p01: f64,
    sd_p01: f64,
    mean_w0_01: f64,
    sd_w0_01: f64,
    /// With `--sigma 0`: the deterministic final values.
    exact_p01: f64,
    exact_w0_01: f64,
}

const PEER_SMALL: Peer = Peer {
    m: 100_000,
    mean_p01: 0.7114762141826071,
    sd_p01: 0.12688741241862378,
    mean_w0_01: 0.4956796995665292,
    sd_w0_01: 0.1463316549511692,
    exact_p01: 0.7339228689253159,
    exact_w0_01: 0.5374212255045948,
};

const PEER_LARGE: Peer = Peer {
    m: 10_000,
    mean_p01: 0.0936249540805344,
    sd_p01: 0.09317988445663773,
    mean_w0_01: 0.027606709820844257,
    sd_w0_01: 0.011967105314270025,
    exact_p01: 0.11076585860958255,
    exact_w0_01: 0.02696152860693181,
};

/// Engine means from `trajectories` runs agree with the peer's within 3 standard errors of
/// the difference (both standard errors from the peer's sd: the same distribution).
fn agrees(r: &Reference, peer: &Peer, trajectories: u64) {
    let (p01, w001) = final_means(&world(r), trajectories);
    for (what, ours, theirs, sd) in [
        ("Partnership(s0, s1)", p01, peer.mean_p01, peer.sd_p01),
        ("Share(s0, s1, c0)", w001, peer.mean_w0_01, peer.sd_w0_01),
    ] {
        let se = sd * (1.0 / trajectories as f64 + 1.0 / peer.m as f64).sqrt();
        assert!(
            (ours - theirs).abs() <= 3.0 * se,
            "{}: final mean {what} {ours} vs the peer's {theirs} (3 se = {})",
            r.name,
            3.0 * se
        );
    }
}

/// With no noise both implementations compute the same deterministic trajectory; they differ
/// only by rounding (summation order, libm vs numpy's tanh/exp), far below 1e-9.
fn agrees_exactly(r: &Reference, peer: &Peer) {
    let quiet = Reference {
        sigma: 0.0,
        ..r.clone()
    };
    let (p01, w001) = final_means(&world(&quiet), 1);
    assert!(
        (p01 - peer.exact_p01).abs() < 1e-9,
        "{}: {p01} vs {}",
        r.name,
        peer.exact_p01
    );
    assert!(
        (w001 - peer.exact_w0_01).abs() < 1e-9,
        "{}: {w001} vs {}",
        r.name,
        peer.exact_w0_01
    );
}

#[test]
fn small_workload_means_agree_with_the_numpy_peer() {
    agrees_exactly(&small(), &PEER_SMALL);
    agrees(&small(), &PEER_SMALL, 20_000);
}

#[test]
fn large_workload_means_agree_with_the_numpy_peer() {
    agrees_exactly(&large(), &PEER_LARGE);
    agrees(&large(), &PEER_LARGE, 2_000);
}
