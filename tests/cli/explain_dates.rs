//! `simulate explain` of a scenario with `start`: its CSVs with a `step` column carry a
//! `date` beside it, as every other CSV does (docs/src/reference/outputs.md).

use crate::common;

use common::{data, read};

/// A CSV's header and rows.
fn rows(path: &std::path::Path) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap();
    (reader.records())
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

// Defect (hostile review): forces.csv and conditional.csv of a dated file had `step` and
// no `date`, unlike timeseries.csv and every other CSV of a run.
#[test]
fn explains_csvs_have_a_date_beside_the_step_when_the_file_has_a_start() {
    let dir = tempfile::tempdir().unwrap();
    let text = String::from_utf8(read(&data("small.ron"))).unwrap();
    let text = text.replace("step: \"year\",", "step: \"quarter\", start: \"2018Q3\",");
    let file = common::write(dir.path(), "dated.ron", &text);
    let out = dir.path().join("out");
    common::simulate()
        .arg("explain")
        .arg(&file)
        .args(["-n", "60", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    for name in ["forces.csv", "conditional.csv"] {
        let rows = rows(&out.join(name));
        let step = rows[0].iter().position(|h| h == "step").unwrap();
        assert_eq!(
            rows[0].get(step + 1).map(String::as_str),
            Some("date"),
            "{name}"
        );
        assert!(rows.len() > 1, "{name} has no rows");
        for row in &rows[1..] {
            // Step 1 is 2018Q3: step s is (s - 1) quarters later.
            let s: i64 = row[step].parse().unwrap();
            let quarter = 2018 * 4 + 2 + s - 1;
            let date = format!("{}Q{}", quarter / 4, quarter % 4 + 1);
            assert_eq!(row[step + 1], date, "{name}: {row:?}");
        }
    }
    // Without `start`, the columns are as they were.
    let plain = common::write(
        dir.path(),
        "plain.ron",
        &text.replace(" start: \"2018Q3\",", ""),
    );
    let out = dir.path().join("plain");
    common::simulate()
        .arg("explain")
        .arg(&plain)
        .args(["-n", "60", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    for name in ["forces.csv", "conditional.csv"] {
        assert!(
            !rows(&out.join(name))[0].contains(&"date".to_string()),
            "{name}"
        );
    }
}
