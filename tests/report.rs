//! Pictures and reports: a run leaves valid PNG and SVG plots and a self-contained
//! report.html; a comparison leaves overlay plots and its own report; both are the same
//! bytes for any thread count.

mod common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use common::{json, read, scenario, simulate};

fn run(name: &str, trajectories: &str, threads: &str, out: &Path) {
    simulate()
        .arg(scenario(name))
        .args([
            "-n",
            trajectories,
            "--seed",
            "7",
            "--threads",
            threads,
            "--quiet",
            "--out",
        ])
        .arg(out)
        .assert()
        .success();
}

fn files_with(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == extension))
        .collect();
    files.sort();
    files
}

/// Fails if the page would load anything from the network.
fn assert_self_contained(html: &str) {
    let lower = html.to_ascii_lowercase();
    for pattern in [
        "src=\"http",
        "src='http",
        "href=\"http",
        "href='http",
        "url(http",
        "@import",
        "<script",
        "<link",
    ] {
        assert!(!lower.contains(pattern), "report.html contains {pattern:?}");
    }
}

fn assert_valid_svg(path: &Path) {
    let text = String::from_utf8(read(path)).expect("SVG is UTF-8");
    let doc = roxmltree::Document::parse(&text)
        .unwrap_or_else(|e| panic!("{} is not well-formed XML: {e}", path.display()));
    assert_eq!(
        doc.root_element().tag_name().name(),
        "svg",
        "{}",
        path.display()
    );
    assert!(
        doc.descendants().filter(|n| n.has_tag_name("text")).count() > 3,
        "{} has text",
        path.display()
    );
}

#[test]
fn a_run_writes_plots_and_a_self_contained_report() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("visit");
    run("putin_visit.ron", "300", "2", &out);
    let plots = out.join("plots");
    // putin_visit is a variant: the report names the base it was built on, as summary.json
    // does (`scenario_chain`).
    let summary = json(&out.join("summary.json"));
    let base = summary["scenario_chain"][1]["sha256"]
        .as_str()
        .unwrap()
        .to_string();
    let html = String::from_utf8(read(&out.join("report.html"))).unwrap();
    assert!(
        html.contains("<dt>variant of</dt>")
            && html.contains("baseline.ron")
            && html.contains(&base),
        "the report names the variant's base"
    );

    let pngs = files_with(&plots, "png");
    let mut distinct = HashSet::new();
    for png in &pngs {
        let bytes = read(png);
        assert!(
            bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
            "{} is a PNG",
            png.display()
        );
        if bytes.len() > 8 * 1024 {
            distinct.insert(bytes);
        }
    }
    assert!(
        distinct.len() >= 4,
        "only {} distinct PNGs over 8 KiB",
        distinct.len()
    );
    for name in ["outcomes", "network", "events", "final_distributions"] {
        assert!(
            plots.join(format!("{name}.png")).exists(),
            "plots/{name}.png"
        );
    }
    assert!(pngs
        .iter()
        .any(|p| p.file_name().unwrap().to_string_lossy().starts_with("fan_")));

    let svgs = files_with(&plots, "svg");
    assert_eq!(svgs.len(), pngs.len(), "every PNG has its SVG");
    for svg in &svgs {
        assert_valid_svg(svg);
    }

    let html = String::from_utf8(read(&out.join("report.html"))).unwrap();
    assert_self_contained(&html);
    assert!(
        html.matches("<svg").count() >= svgs.len(),
        "every plot is inline"
    );
    let summary = json(&out.join("summary.json"));
    for outcome in summary["outcomes"].as_array().unwrap() {
        let name = outcome["name"].as_str().unwrap();
        assert!(html.contains(name), "report names outcome {name}");
    }
    for key in ["scenario_sha256", "scenario", "description"] {
        let value = summary[key].as_str().unwrap();
        let escaped = value
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\'', "&#39;");
        assert!(html.contains(&escaped), "report shows {key}");
    }
    assert!(html.contains("@media print"), "report has print styles");
    assert!(html.contains("Parameters"));
}

#[test]
fn plots_and_reports_do_not_depend_on_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    run("putin_visit.ron", "200", "1", &one);
    run("putin_visit.ron", "200", "2", &two);
    assert_eq!(
        read(&one.join("report.html")),
        read(&two.join("report.html"))
    );
    for svg in files_with(&one.join("plots"), "svg") {
        let other = two.join("plots").join(svg.file_name().unwrap());
        assert_eq!(read(&svg), read(&other), "{}", svg.display());
    }
    for png in files_with(&one.join("plots"), "png") {
        let other = two.join("plots").join(png.file_name().unwrap());
        assert_eq!(read(&png), read(&other), "{}", png.display());
    }
}

#[test]
fn a_comparison_writes_overlays_differences_and_a_report() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cmp");
    simulate()
        .arg("compare")
        .arg(scenario("baseline.ron"))
        .arg(scenario("putin_visit.ron"))
        .args(["-n", "300", "--seed", "9", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let plots = out.join("plots");
    let overlays: Vec<_> = files_with(&plots, "png")
        .into_iter()
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("overlay_")
        })
        .collect();
    assert!(overlays.len() >= 2, "{} overlay plots", overlays.len());
    assert!(plots.join("outcome_differences.png").exists());
    for svg in files_with(&plots, "svg") {
        assert_valid_svg(&svg);
    }
    let html = String::from_utf8(read(&out.join("report.html"))).unwrap();
    assert_self_contained(&html);
    let compare = json(&out.join("compare.json"));
    for outcome in compare["outcomes"].as_array().unwrap() {
        let name = outcome["name"].as_str().unwrap();
        assert!(
            html.contains(&format!("data-outcome=\"{name}\"")),
            "report names {name}"
        );
    }
    // Each side keeps its own full report, linked from the comparison's.
    for side in ["a", "b"] {
        assert!(out.join(side).join("report.html").exists());
        assert!(html.contains(&format!("href=\"{side}/report.html\"")));
    }
}

/// `simulate explain`'s report: the run's page with a Why section after the outcomes, in
/// which each outcome's events are listed by contribution, the events named by others are
/// said to never fire, and each tracked partnership has its forces chart (its SVG valid).
#[test]
fn explain_report_has_a_why_section_with_contributions_and_forces() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("why");
    simulate()
        .args(["explain"])
        .arg(scenario("putin_visit.ron"))
        .args(["-n", "300", "--seed", "7", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let html = String::from_utf8(read(&out.join("report.html"))).unwrap();
    assert_self_contained(&html);
    let at = |pattern: &str| {
        html.find(pattern)
            .unwrap_or_else(|| panic!("no {pattern:?} in report.html"))
    };
    let why = at("<h2 id=\"why\">Why</h2>");
    assert!(at("<h2 id=\"outcomes-table\">") < why && why < at("<h2 id=\"plots\">"));
    assert!(why < at("<table id=\"contributions-table\">"));
    assert!(html.contains("<tr data-outcome=\"partnership_deepens\" data-event=\"putin_visit\">"));
    assert!(html.contains("never fired instead of removed"));
    assert!(why < at("<h3 id=\"forces\">Forces</h3>"));
    // Scenario discovery comes first in the section: a sentence per outcome and its
    // trade-off picture (a valid SVG), before the contributions.
    let discovery = at("<h3 id=\"discovery\">Scenario discovery</h3>");
    assert!(why < discovery && discovery < at("<h3 id=\"contributions\">"));
    assert!(discovery < at("<p class=\"discovery\" data-outcome=\"partnership_deepens\">"));
    assert!(discovery < at("plots/discovery_tradeoff.svg"));
    assert_valid_svg(&out.join("plots/discovery_tradeoff.svg"));
    // A figure per tracked partnership, named in the section (not a placeholder).
    for name in [
        "01_partnership_pakistan_russia",
        "02_partnership_pakistan_usa",
        "03_partnership_india_russia",
    ] {
        let figure = format!("plots/forces_{name}.svg");
        assert!(why < at(&figure), "{figure}");
    }
    let svgs: Vec<PathBuf> = files_with(&out.join("plots"), "svg")
        .into_iter()
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("forces_")
        })
        .collect();
    assert_eq!(svgs.len(), 3, "{svgs:?}");
    for svg in &svgs {
        assert_valid_svg(svg);
    }
}

/// Intervals like −0.0970 [−0.0972, −0.0968] were read as certainty, though they are the
/// Monte Carlo error of the estimate only: the run's and the comparison's tables and both
/// reports now say in one line what intervals and bands cover, and what neither does.
#[test]
fn intervals_were_read_as_certainty_so_tables_and_reports_say_what_they_cover() {
    let says = |text: &str| {
        text.matches("Monte Carlo error of each probability or effect")
            .count()
            == 1
            && text.contains("bands: the spread of futures given the file")
            && text.contains("the model")
            && text.contains("own form")
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let run = simulate()
        .arg(scenario("baseline.ron"))
        .args(["-n", "100", "--seed", "7", "--out"])
        .arg(&out)
        .assert()
        .success();
    let table = String::from_utf8_lossy(&run.get_output().stdout).into_owned();
    assert!(says(&table), "{table}");
    let html = String::from_utf8(read(&out.join("report.html"))).unwrap();
    assert!(says(&html) && html.contains("id=\"what-intervals-cover\""));

    let out = dir.path().join("cmp");
    let compare = simulate()
        .arg("compare")
        .arg(scenario("baseline.ron"))
        .arg(scenario("putin_visit.ron"))
        .args(["-n", "100", "--seed", "7", "--out"])
        .arg(&out)
        .assert()
        .success();
    let table = String::from_utf8_lossy(&compare.get_output().stdout).into_owned();
    assert!(says(&table), "{table}");
    let html = String::from_utf8(read(&out.join("report.html"))).unwrap();
    assert!(says(&html) && html.contains("id=\"what-intervals-cover\""));
}

/// The probability written in exceedance.csv for `outcome` at `x`, as the report writes a
/// percentage.
fn percent_at(out: &Path, outcome: &str, x: &str) -> String {
    let mut reader = csv::Reader::from_path(out.join("exceedance.csv")).unwrap();
    let row = reader
        .records()
        .map(|r| r.unwrap())
        .find(|r| &r[0] == outcome && &r[5] == x)
        .unwrap_or_else(|| panic!("no row of {outcome} at {x}"));
    format!("{:.1}%", 100.0 * row[8].parse::<f64>().unwrap())
}

#[test]
fn each_level_outcome_is_read_at_its_threshold_and_near_it_with_its_curve_drawn() {
    // Issue 22, item 5: how much each answer hangs on the threshold the file chose.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("baseline");
    run("baseline.ron", "2000", "2", &out);
    let html = String::from_utf8(read(&out.join("report.html"))).unwrap();
    let deepens = format!(
        "{} at 0.35, <b>{} at the file's 0.4</b>, {} at 0.45</li>",
        percent_at(&out, "partnership_deepens", "0.35"),
        percent_at(&out, "partnership_deepens", "0.4"),
        percent_at(&out, "partnership_deepens", "0.45"),
    );
    assert!(html.contains(&deepens), "{deepens}");
    let summary = json(&out.join("summary.json"));
    let at_threshold = summary["outcomes"][0]["probability"].as_f64().unwrap();
    assert!(deepens.contains(&format!("<b>{:.1}%", 100.0 * at_threshold)));
    // A Below outcome reads the same way; an outcome of two conditions has no curve.
    let estranged = format!(
        "{} at -0.2, <b>{} at the file's -0.15</b>, {} at -0.1</li>",
        percent_at(&out, "pakistan_usa_estranged", "-0.2"),
        percent_at(&out, "pakistan_usa_estranged", "-0.15"),
        percent_at(&out, "pakistan_usa_estranged", "-0.1"),
    );
    assert!(html.contains(&estranged), "{estranged}");
    assert!(!html.contains("data-threshold=\"russia_holds_both\""));
    let figures = html.matches("<figure id=\"exceedance_").count();
    assert_eq!(figures, html.matches("<li data-threshold=").count());
    assert_eq!(figures, 5);
    for stem in [
        "exceedance_01_partnership_deepens",
        "exceedance_05_india_russia_weakens",
    ] {
        assert!(
            out.join("plots").join(format!("{stem}.png")).is_file(),
            "{stem}"
        );
        assert_valid_svg(&out.join("plots").join(format!("{stem}.svg")));
    }
}
