//! What a run of a scenario with `start` writes (issue 24, item 4): a `date` beside every
//! `step`, dated first passages, dated time axes and report; without `start`, none of it.

use crate::common;

use std::path::Path;

use common::{data, read, run_into};

/// `tests/data/small.ron`, counted in quarters from 2018Q3 if `dated`, run into `dir/out`:
/// the folder.
fn small_run(dir: &Path, dated: bool) -> std::path::PathBuf {
    let text = String::from_utf8(read(&data("small.ron"))).unwrap();
    let text = match dated {
        true => text.replace("step: \"year\",", "step: \"quarter\", start: \"2018Q3\","),
        false => text.replace("step: \"year\",", "step: \"quarter\","),
    };
    let file = common::write(dir, "small.ron", &text);
    run_into(&dir.join("out"), &[&file])
}

fn text_of(path: &Path) -> String {
    String::from_utf8(read(path)).unwrap()
}

#[test]
fn a_run_with_start_writes_dates_beside_steps_in_files_axes_and_report() {
    let dir = tempfile::tempdir().unwrap();
    let out = small_run(dir.path(), true);
    let series = text_of(&out.join("timeseries.csv"));
    assert!(series.starts_with("step,date,metric,"), "{series}");
    assert!(
        series.contains("\n0,2018Q2,"),
        "step 0 is the quarter before the start"
    );
    assert!(series.contains("\n12,2021Q2,"), "{series}");
    let outcomes = text_of(&out.join("outcomes.csv"));
    assert!(outcomes
        .lines()
        .next()
        .unwrap()
        .ends_with(",median_first_step,median_first_date"));
    let fan = text_of(&out.join("plots/fan_01_partnership_a_b.svg"));
    assert!(fan.contains("date (quarters)"), "the time axis names dates");
    assert!(
        fan.contains("2019Q4") && fan.contains("2021Q2"),
        "date ticks"
    );
    let report = text_of(&out.join("report.html"));
    assert!(report.contains("2018Q3 to 2021Q2"), "the report's run line");
}

#[test]
fn a_run_without_start_has_no_dates() {
    let dir = tempfile::tempdir().unwrap();
    let out = small_run(dir.path(), false);
    assert!(text_of(&out.join("timeseries.csv")).starts_with("step,metric,"));
    assert!(!text_of(&out.join("outcomes.csv")).contains("date"));
    let fan = text_of(&out.join("plots/fan_01_partnership_a_b.svg"));
    assert!(fan.contains("quarters from the start"));
}
