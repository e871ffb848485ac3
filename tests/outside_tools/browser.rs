//! report.html in a real browser: headless Chromium opens the page with networking off,
//! dumps the rendered DOM and takes a screenshot; every outcome and every plot must be there
//! and nothing may have failed to load.
//!
//! `.ci/run` installs Debian's `chromium`. Without it this test fails under CI (`CI=true`)
//! and is skipped with a notice elsewhere. `CHROMIUM=/path/to/chromium` picks another binary.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{json, read, scenario, simulate};

fn chromium() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("CHROMIUM").map(PathBuf::from),
        Some(PathBuf::from("/usr/bin/chromium")),
        Some(PathBuf::from("/usr/bin/chromium-browser")),
    ];
    candidates.into_iter().flatten().find(|p| p.is_file())
}

/// Runs the browser with the flags the issue names, a fresh profile, and a time limit.
fn headless(browser: &Path, profile: &Path, extra: &[String], page: &Path) -> Output {
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromium starts");
    // Read the pipes on threads so a chatty browser cannot block on a full pipe.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut buf).ok();
        buf
    });
    let err = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut stderr, &mut buf).ok();
        buf
    });
    let deadline = Instant::now() + Duration::from_secs(180);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium did not finish within 180 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

/// The browser, or `None` after a notice when there is none; under CI a missing browser
/// fails the test instead (`.ci/run` installs it).
fn chromium_or_skip() -> Option<PathBuf> {
    let browser = chromium();
    if browser.is_none() {
        if common::under_ci() {
            panic!("chromium is not installed: .ci/run must install Debian's chromium package");
        }
        eprintln!("NOTICE: skipping the browser test: no chromium (apt-get install chromium)");
    }
    browser
}

/// The DOM of `page` after the browser has rendered it (with a fresh profile folder), and
/// the browser's log (where a page's failures show).
fn rendered_dom(browser: &Path, profile: &Path, page: &Path) -> (String, String) {
    let dom = headless(browser, profile, &["--dump-dom".to_string()], page);
    let log = String::from_utf8_lossy(&dom.stderr).to_string();
    assert!(dom.status.success(), "chromium failed: {log}");
    (String::from_utf8_lossy(&dom.stdout).to_string(), log)
}

/// A result and its report as the browser rendered it.
struct Rendered {
    /// The result folder.
    out: PathBuf,
    /// Its report.html.
    page: PathBuf,
    /// The report's DOM after rendering.
    html: String,
    /// The browser's log.
    log: String,
}

/// Runs `simulate ARGS -n 200 --seed 3 --quiet --out DIR/NAME` and renders the report it
/// writes, which must come back as a whole page.
fn run_and_render(browser: &Path, dir: &Path, name: &str, args: &[&Path]) -> Rendered {
    let out = dir.join(name);
    simulate()
        .args(args)
        .args(["-n", "200", "--seed", "3", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let page = out.join("report.html").canonicalize().unwrap();
    let (html, log) = rendered_dom(browser, &dir.join("profile-dom"), &page);
    assert!(html.contains("</html>"), "a rendered DOM came back");
    Rendered {
        out,
        page,
        html,
        log,
    }
}

/// The rendered figure of the plot `stem` (`data-plot`) in `html` must hold a drawing.
fn assert_plot_is_drawn(html: &str, stem: &str) {
    let at = html
        .find(&format!("data-plot=\"{stem}\""))
        .unwrap_or_else(|| panic!("plot {stem} in the DOM"));
    let figure_end = html[at..].find("</figure>").expect("figure closes") + at;
    assert!(
        html[at..figure_end].contains("<svg"),
        "plot {stem} is drawn"
    );
}

/// Every SVG plot in `out/plots` must be drawn in `html`; returns how many there are.
fn assert_every_plot_is_drawn(out: &Path, html: &str) -> usize {
    let mut plots = 0;
    for entry in std::fs::read_dir(out.join("plots")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "svg") {
            assert_plot_is_drawn(html, &path.file_stem().unwrap().to_string_lossy());
            plots += 1;
        }
    }
    plots
}

/// The browser's log must show no failure to load or run anything.
fn assert_nothing_failed(log: &str) {
    for failure in ["net::ERR_", "Failed to load", "Refused to load", "Uncaught"] {
        assert!(
            !log.contains(failure),
            "the page reported {failure:?}: {log}"
        );
    }
}

/// A screenshot of `page` in a window of `size` (`W,H`) into `shot`, with a fresh profile
/// folder: the PNG's bytes, which must be a PNG.
fn screenshot(browser: &Path, profile: &Path, page: &Path, size: &str, shot: &Path) -> Vec<u8> {
    let taken = headless(
        browser,
        profile,
        &[
            format!("--screenshot={}", shot.display()),
            format!("--window-size={size}"),
        ],
        page,
    );
    assert!(
        taken.status.success(),
        "{}",
        String::from_utf8_lossy(&taken.stderr)
    );
    let png = read(shot);
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n"),
        "a screenshot was taken"
    );
    png
}

#[test]
fn the_report_renders_in_headless_chromium_with_every_outcome_and_plot() {
    let Some(browser) = chromium_or_skip() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let visit = scenario("putin_visit.ron");
    let Rendered {
        out,
        page,
        html,
        log,
    } = run_and_render(&browser, dir.path(), "visit", &[&visit]);

    let summary = json(&out.join("summary.json"));
    for outcome in summary["outcomes"].as_array().unwrap() {
        let name = outcome["name"].as_str().unwrap();
        assert!(
            html.contains(&format!("data-outcome=\"{name}\"")),
            "outcome {name} in the DOM"
        );
    }
    let plots = assert_every_plot_is_drawn(&out, &html);
    assert!(plots >= 4, "{plots} plots");
    assert_nothing_failed(&log);

    let shot = dir.path().join("report.png");
    let profile = dir.path().join("profile-shot");
    let png = screenshot(&browser, &profile, &page, "1280,2400", &shot);
    assert!(
        png.len() > 50 * 1024,
        "the screenshot shows more than a blank page ({} bytes)",
        png.len()
    );
}

/// The comparison report of three scenarios in a real browser: it opens with the scenario
/// x outcome table and the metric effects (before any picture), every shared outcome and
/// metric effect is a row, every comparison plot is drawn, and nothing failed to load.
#[test]
fn the_comparison_report_renders_with_its_tables_first_and_every_plot() {
    let Some(browser) = chromium_or_skip() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // A third future made from the full baseline file: the visit fixed at step 2, no deals.
    let text = String::from_utf8(read(&scenario("baseline.ron"))).unwrap();
    let third = dir.path().join("visit_without_deals.ron");
    std::fs::write(
        &third,
        text.replacen("name: \"baseline\",", "name: \"visit_without_deals\",", 1)
            .replacen("hazard: 0.015,", "at: 2,", 1),
    )
    .unwrap();
    let (baseline, visit) = (scenario("baseline.ron"), scenario("putin_visit.ron"));
    let args = [Path::new("compare"), &baseline, &visit, &third];
    let Rendered { out, html, log, .. } = run_and_render(&browser, dir.path(), "compare", &args);

    let table = html
        .find("id=\"scenario-outcome\"")
        .expect("the outcome table");
    let effects = html
        .find("id=\"metric-effects\"")
        .expect("the metric table");
    let first_figure = html.find("<figure").expect("figures");
    assert!(
        table < effects && effects < first_figure,
        "tables open the page"
    );
    let c = json(&out.join("compare.json"));
    for o in c["by_outcome"].as_array().unwrap() {
        let name = o["name"].as_str().unwrap();
        let row = html
            .find(&format!("data-outcome=\"{name}\""))
            .unwrap_or_else(|| panic!("outcome {name} in the DOM"));
        assert!(row < effects, "outcome {name} in the first table");
    }
    for m in c["metrics"].as_array().unwrap() {
        let row = format!(
            "data-metric=\"{}\" data-scenario=\"{}\"",
            m["name"].as_str().unwrap(),
            m["label"].as_str().unwrap()
        );
        assert!(html.contains(&row), "{row} in the DOM");
    }
    let plots = assert_every_plot_is_drawn(&out, &html);
    // The outcomes across the scenarios, their differences, and per metric an effect over
    // time and an overlay.
    let metrics = json(&out.join("a/summary.json"))["final"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(plots, 2 + 2 * metrics);
    assert_nothing_failed(&log);
}

/// A made-up world of `n` states in three camps (state i in camp `7i mod 3`, so the file
/// order mixes them): each state has a stance and an affinity toward its next five
/// neighbours (+0.5 within a camp, -0.4 across), and the first ten depend on their camp's
/// first state for a third of their arms. Sparse on purpose: the file stays small however
/// many states it names.
fn big_world(n: usize) -> String {
    const FIRST: [&str; 10] = [
        "Nor", "Vel", "Ost", "Kar", "Sum", "Bel", "Tar", "Isk", "Mar", "Dun",
    ];
    const SECOND: [&str; 10] = [
        "avia", "oria", "enland", "istan", "gard", "onia", "ovia", "uria", "eth", "ania",
    ];
    let name = |i: usize| format!("{}{} {}", FIRST[i % 10], SECOND[(i / 10) % 10], i / 100 + 1);
    let camp = |i: usize| (7 * i) % 3;
    let mut states = String::new();
    let mut relations = String::new();
    let mut ties = String::new();
    for i in 0..n {
        states.push_str(&format!("State(name: \"{}\"),\n", name(i)));
        for d in 1..=5 {
            let j = (i + d) % n;
            let v = if camp(i) == camp(j) { 0.5 } else { -0.4 };
            for (a, b) in [(i, j), (j, i)] {
                relations.push_str(&format!("(\"{}\", \"{}\", {v}),\n", name(a), name(b)));
            }
        }
        let leader = (0..n).find(|&l| camp(l) == camp(i)).unwrap();
        if i < 10 && leader != i {
            ties.push_str(&format!(
                "Tie(from: \"{}\", to: \"{}\", channel: \"arms\", share: 0.33),\n",
                name(i),
                name(leader)
            ));
        }
    }
    format!(
        "Scenario(name: \"world{n}\", description: \"{n} made-up states in three camps.\",
          step: \"year\", steps: 6, trajectories: 40, seed: 5, channels: [\"arms\"],
          states: [{states}], stances: [{relations}], affinities: [{relations}],
          ties: [{ties}], params: Params(sigma: 0.05),
          metrics: [Partnership(\"{a}\", \"{b}\")])",
        a = name(0),
        b = name(1)
    )
}

/// Issue 14, item 3: the reports of a 34-state and a 100-state world render with the
/// partnership matrix and a network picture that says it shows a selection. The
/// screenshots are for a person to look at: `ENTENTE_SCREENSHOTS=DIR` keeps them (and the
/// pictures) in DIR.
#[test]
fn reports_of_34_and_100_states_render_with_the_partnership_matrix() {
    let Some(browser) = chromium_or_skip() else {
        return;
    };
    let keep = std::env::var_os("ENTENTE_SCREENSHOTS").map(PathBuf::from);
    let dir = tempfile::tempdir().unwrap();
    for n in [34usize, 100] {
        let file = dir.path().join(format!("world{n}.ron"));
        std::fs::write(&file, big_world(n)).unwrap();
        let out = dir.path().join(format!("out{n}"));
        simulate()
            .arg(&file)
            .args(["--quiet", "--out"])
            .arg(&out)
            .assert()
            .success();
        for ext in ["png", "svg"] {
            assert!(out.join(format!("plots/partnerships.{ext}")).is_file());
        }
        let network = String::from_utf8(read(&out.join("plots/network.svg"))).unwrap();
        assert!(
            network.contains(&format!("{n} states: the strongest")),
            "the network picture says it shows a selection"
        );
        let page = out.join("report.html").canonicalize().unwrap();
        let (html, log) =
            rendered_dom(&browser, &dir.path().join(format!("profile-dom{n}")), &page);
        for plot in ["partnerships", "network"] {
            assert_plot_is_drawn(&html, plot);
        }
        assert_nothing_failed(&log);
        // The matrix and the network, each on its own screen: the report scrolled to them.
        // Headless Chromium screenshots a page opened at a #fragment blank, so the report
        // is framed by a page of our own, which scrolls the frame to the figure.
        for plot in ["partnerships", "network"] {
            let shot = dir.path().join(format!("report{n}_{plot}.png"));
            let anchored = dir.path().join(format!("frame{n}_{plot}.html"));
            std::fs::write(
                &anchored,
                format!(
                    "<!doctype html><html><body style=\"margin:0\"><iframe \
                     src=\"file://{}#{plot}\" style=\"border:0;width:1280px;\
                     height:1500px\"></iframe></body></html>",
                    page.display()
                ),
            )
            .unwrap();
            let profile = dir.path().join(format!("profile-shot{n}{plot}"));
            let png = screenshot(&browser, &profile, &anchored, "1280,1500", &shot);
            if let Some(keep) = &keep {
                std::fs::create_dir_all(keep).unwrap();
                std::fs::copy(&shot, keep.join(shot.file_name().unwrap())).unwrap();
                std::fs::copy(&page, keep.join(format!("report{n}.html"))).unwrap();
                for ext in ["png", "svg"] {
                    std::fs::copy(
                        out.join(format!("plots/{plot}.{ext}")),
                        keep.join(format!("{plot}{n}.{ext}")),
                    )
                    .unwrap();
                }
            }
            assert!(png.len() > 20 * 1024, "{plot} of {n}: {} bytes", png.len());
        }
    }
}
