//! The tutorial runs as written: its ```sh blocks, in order, in a scratch folder holding the
//! repository's files it names (`docs/src/tutorial/`), with `simulate` on the PATH; each
//! must succeed, and every line of the ```text,output block after one must be a line that
//! block printed; a block that leaves printed lines out says so with a line `…`.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::common::root;
use crate::markdown::{blocks, Block};

pub const TUTORIAL: &str = "docs/src/tutorial/your_own_case.md";

/// A scratch folder with `docs/src/tutorial/` copied in, as the tutorial's commands see the
/// repository.
pub fn scratch_repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = root().join("docs/src/tutorial");
    let to = dir.path().join("docs/src/tutorial");
    fs::create_dir_all(&to).unwrap();
    for entry in fs::read_dir(&from).unwrap() {
        let path = entry.unwrap().path();
        fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
    }
    dir
}

/// Runs one ```sh block with bash (stopping at the first failure) in `dir`; returns what it
/// printed on standard output and error, or why it failed.
fn run_block(block: &Block, dir: &Path) -> Result<String, String> {
    let binary = Path::new(env!("CARGO_BIN_EXE_simulate"));
    let path = format!(
        "{}:{}",
        binary.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let output = Command::new("bash")
        .args(["-euo", "pipefail", "-c", &block.text])
        .current_dir(dir)
        .env("PATH", path)
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    if output.status.success() {
        Ok(printed)
    } else {
        Err(format!(
            "{} failed:\n{}\n{printed}",
            block.place(),
            block.text
        ))
    }
}

/// The line that stands where a shown output leaves printed lines out.
const LEFT_OUT: &str = "…";

/// The lines of a ```text,output block that the command did not print (compared trimmed).
fn lines_not_printed(shown: &Block, printed: &str) -> Vec<String> {
    let printed: Vec<&str> = printed.lines().map(str::trim).collect();
    shown
        .text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && *line != LEFT_OUT && !printed.contains(line))
        .map(|line| format!("{}: not printed: {line}", shown.place()))
        .collect()
}

/// A ```text,output block that leaves out lines the command printed without a line `…`:
/// a reader comparing it with their screen cannot tell a shortened block from a different
/// output.
fn unmarked_shortening(shown: &Block, printed: &str) -> Option<String> {
    let shown_lines: Vec<&str> = shown.text.lines().map(str::trim).collect();
    if shown_lines.contains(&LEFT_OUT) {
        return None;
    }
    let left_out = printed
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !shown_lines.contains(line))
        .count();
    (left_out > 0).then(|| {
        format!(
            "{}: {left_out} printed lines left out without a line `{LEFT_OUT}`",
            shown.place()
        )
    })
}

/// Runs every ```sh block of a page in order in `dir` and compares each ```text,output block
/// with the block before it; returns the number of blocks run and every problem.
pub fn run_page(page: &Path, dir: &Path) -> (usize, Vec<String>) {
    let mut problems = Vec::new();
    let mut last_printed: Option<String> = None;
    let mut ran = 0;
    for block in blocks(page) {
        match block.info.as_str() {
            "sh" => {
                ran += 1;
                match run_block(&block, dir) {
                    Ok(printed) => last_printed = Some(printed),
                    Err(why) => return (ran, vec![why]),
                }
            }
            "text,output" => match &last_printed {
                Some(printed) => {
                    problems.extend(lines_not_printed(&block, printed));
                    problems.extend(unmarked_shortening(&block, printed));
                }
                None => problems.push(format!("{}: output with no command", block.place())),
            },
            _ => {}
        }
    }
    (ran, problems)
}

#[test]
fn the_tutorial_runs_as_written_and_prints_what_it_shows() {
    let dir = scratch_repository();
    let (ran, problems) = run_page(&root().join(TUTORIAL), dir.path());
    assert!(ran >= 6, "only {ran} command blocks run");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_shown_line_the_command_did_not_print_is_caught() {
    let shown = Block {
        page: "x.md".into(),
        line: 1,
        info: "text,output".into(),
        text: "turkey_russia_closer        0.573\n\n  results in outputs/turkey".into(),
    };
    let printed = "  turkey_russia_closer        0.574\nresults in outputs/turkey\n";
    assert_eq!(lines_not_printed(&shown, printed).len(), 1);
}

/// Regression (issue 24's last trial): the tutorial's outputs were shortened (a header, a
/// metric, four of five grid points left out) with nothing to say so, and a reader comparing
/// them with the screen was lost. Now a block that leaves printed lines out is caught unless
/// a line `…` stands for them.
#[test]
fn a_shortened_output_without_a_mark_is_caught() {
    let printed = "turkey: 2000 trajectories\n  outcome  probability\n  closer  0.553\nresults in outputs/turkey\n";
    let shown = |text: &str| Block {
        page: "x.md".into(),
        line: 1,
        info: "text,output".into(),
        text: text.into(),
    };
    let unmarked = shown("turkey: 2000 trajectories\ncloser  0.553\n");
    assert!(unmarked_shortening(&unmarked, printed).is_some());
    let marked = shown("turkey: 2000 trajectories\ncloser  0.553\n…\n");
    assert_eq!(unmarked_shortening(&marked, printed), None);
    assert!(lines_not_printed(&marked, printed).is_empty());
    let whole = shown(printed);
    assert_eq!(unmarked_shortening(&whole, printed), None);
}
