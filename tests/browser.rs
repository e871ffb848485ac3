//! report.html in a real browser: headless Chromium opens the page with networking off,
//! dumps the rendered DOM and takes a screenshot; every outcome and every plot must be there
//! and nothing may have failed to load.
//!
//! `.ci/run` installs Debian's `chromium`. Without it this test fails under CI (`CI=true`)
//! and is skipped with a notice elsewhere. `CHROMIUM=/path/to/chromium` picks another binary.

mod common;

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

#[test]
fn the_report_renders_in_headless_chromium_with_every_outcome_and_plot() {
    let Some(browser) = chromium() else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("chromium is not installed: .ci/run must install Debian's chromium package");
        }
        eprintln!("NOTICE: skipping the browser test: no chromium (apt-get install chromium)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("visit");
    simulate()
        .arg(scenario("putin_visit.ron"))
        .args(["-n", "200", "--seed", "3", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let page = out.join("report.html").canonicalize().unwrap();

    let dom = headless(
        &browser,
        &dir.path().join("profile-dom"),
        &["--dump-dom".to_string()],
        &page,
    );
    let log = String::from_utf8_lossy(&dom.stderr).to_string();
    assert!(dom.status.success(), "chromium failed: {log}");
    let html = String::from_utf8_lossy(&dom.stdout).to_string();
    assert!(html.contains("</html>"), "a rendered DOM came back");

    let summary = json(&out.join("summary.json"));
    for outcome in summary["outcomes"].as_array().unwrap() {
        let name = outcome["name"].as_str().unwrap();
        assert!(
            html.contains(&format!("data-outcome=\"{name}\"")),
            "outcome {name} in the DOM"
        );
    }
    let mut plots = 0;
    for entry in std::fs::read_dir(out.join("plots")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "svg") {
            let stem = path.file_stem().unwrap().to_string_lossy().to_string();
            let at = html
                .find(&format!("data-plot=\"{stem}\""))
                .unwrap_or_else(|| panic!("plot {stem} in the DOM"));
            let figure_end = html[at..].find("</figure>").expect("figure closes") + at;
            assert!(
                html[at..figure_end].contains("<svg"),
                "plot {stem} is drawn"
            );
            plots += 1;
        }
    }
    assert!(plots >= 4, "{plots} plots");
    for failure in ["net::ERR_", "Failed to load", "Refused to load", "Uncaught"] {
        assert!(
            !log.contains(failure),
            "the page reported {failure:?}: {log}"
        );
    }

    let shot = dir.path().join("report.png");
    let screenshot = headless(
        &browser,
        &dir.path().join("profile-shot"),
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1280,2400".to_string(),
        ],
        &page,
    );
    assert!(
        screenshot.status.success(),
        "{}",
        String::from_utf8_lossy(&screenshot.stderr)
    );
    let png = read(&shot);
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n"),
        "a screenshot was taken"
    );
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
    let Some(browser) = chromium() else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("chromium is not installed: .ci/run must install Debian's chromium package");
        }
        eprintln!("NOTICE: skipping the browser test: no chromium (apt-get install chromium)");
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
    let out = dir.path().join("compare");
    simulate()
        .arg("compare")
        .arg(scenario("baseline.ron"))
        .arg(scenario("putin_visit.ron"))
        .arg(&third)
        .args(["-n", "200", "--seed", "3", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let page = out.join("report.html").canonicalize().unwrap();
    let dom = headless(
        &browser,
        &dir.path().join("profile-dom"),
        &["--dump-dom".to_string()],
        &page,
    );
    let log = String::from_utf8_lossy(&dom.stderr).to_string();
    assert!(dom.status.success(), "chromium failed: {log}");
    let html = String::from_utf8_lossy(&dom.stdout).to_string();
    assert!(html.contains("</html>"), "a rendered DOM came back");

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
    let mut plots = 0;
    for entry in std::fs::read_dir(out.join("plots")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "svg") {
            let stem = path.file_stem().unwrap().to_string_lossy().to_string();
            let at = html
                .find(&format!("data-plot=\"{stem}\""))
                .unwrap_or_else(|| panic!("plot {stem} in the DOM"));
            let figure_end = html[at..].find("</figure>").expect("figure closes") + at;
            assert!(
                html[at..figure_end].contains("<svg"),
                "plot {stem} is drawn"
            );
            plots += 1;
        }
    }
    // The outcomes across the scenarios, their differences, and per metric an effect over
    // time and an overlay.
    let metrics = json(&out.join("a/summary.json"))["final"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(plots, 2 + 2 * metrics);
    for failure in ["net::ERR_", "Failed to load", "Refused to load", "Uncaught"] {
        assert!(
            !log.contains(failure),
            "the page reported {failure:?}: {log}"
        );
    }
}
