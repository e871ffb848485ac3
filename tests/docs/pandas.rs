//! The pandas how-to (docs/src/howto/pandas.md) runs as written: its ```python blocks, each
//! in a fresh python3, on the folders the tutorial writes. pandas is a program outside the
//! repository: without it the test says so and passes, except under `CI=true`, where
//! `.ci/run` installs it and the test must run.

use std::path::Path;
use std::process::Command;

use crate::common::{root, under_ci};
use crate::markdown::blocks;
use crate::tutorial::{run_page, scratch_repository, TUTORIAL};

const PAGE: &str = "docs/src/howto/pandas.md";

fn pandas_is_there() -> bool {
    Command::new("python3")
        .args(["-c", "import pandas"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Runs one Python block in `dir`; why it failed, if it did.
fn python_failure(code: &str, dir: &Path) -> Option<String> {
    let output = Command::new("python3")
        .args(["-c", code])
        .current_dir(dir)
        .output()
        .unwrap();
    (!output.status.success()).then(|| String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn the_pandas_recipes_read_the_tutorials_results_as_written() {
    if !pandas_is_there() {
        assert!(
            !under_ci(),
            "CI=true but python3 cannot import pandas (.ci/run installs it)"
        );
        eprintln!("skipped: python3 cannot import pandas (pip install pandas)");
        return;
    }
    let dir = scratch_repository();
    let (_, problems) = run_page(&root().join(TUTORIAL), dir.path());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let python: Vec<_> = blocks(&root().join(PAGE))
        .into_iter()
        .filter(|b| b.info == "python")
        .collect();
    assert!(python.len() >= 4, "only {} python blocks", python.len());
    let failed: Vec<String> = python
        .iter()
        .filter_map(|b| {
            python_failure(&b.text, dir.path()).map(|why| format!("{}: {why}", b.place()))
        })
        .collect();
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}
