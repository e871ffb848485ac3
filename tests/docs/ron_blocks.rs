//! Every ```ron block of the README and the book passes `simulate check` as written. A block
//! is saved beside copies of the shipped scenarios, so that a variant of `baseline.ron`
//! resolves its base; a block that includes a file is checked as that file, in place. A
//! block marked ```ron,fragment (a few fields, one event) is not a file and is skipped.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{root, simulate};
use crate::markdown::{all_blocks, blocks_of, Block};

/// The blocks that must be whole scenario files.
fn ron_files(blocks: Vec<Block>) -> Vec<Block> {
    blocks.into_iter().filter(|b| b.info == "ron").collect()
}

/// A scratch folder holding a copy of every shipped scenario (`scenarios/*.ron`).
fn beside_the_shipped_scenarios() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in fs::read_dir(root().join("scenarios")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "ron") {
            fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    dir
}

/// The file `simulate check` reads for a block: the included file, or the block saved as
/// `block-N.ron` in `dir`.
fn file_for(block: &Block, n: usize, dir: &Path) -> PathBuf {
    block.included_file().unwrap_or_else(|| {
        let file = dir.join(format!("block-{n}.ron"));
        fs::write(&file, &block.text).unwrap();
        file
    })
}

/// What `simulate check` says of each block that fails: its place and the message.
fn failures(blocks: &[Block]) -> Vec<String> {
    let dir = beside_the_shipped_scenarios();
    let mut failed = Vec::new();
    for (n, block) in blocks.iter().enumerate() {
        let output = simulate()
            .arg("check")
            .arg(file_for(block, n, dir.path()))
            .output()
            .unwrap();
        if !output.status.success() {
            let said = String::from_utf8_lossy(&output.stderr).into_owned();
            failed.push(format!("{}: {said}", block.place()));
        }
    }
    failed
}

#[test]
fn every_ron_block_of_the_readme_and_the_book_passes_check() {
    let blocks = ron_files(all_blocks());
    // The README's scenario, the tutorial's three files and the variants page at least.
    assert!(blocks.len() >= 5, "only {} ron blocks found", blocks.len());
    let failed = failures(&blocks);
    assert!(
        failed.is_empty(),
        "ron blocks that do not check:\n{}",
        failed.join("\n")
    );
}

#[test]
fn a_ron_block_that_does_not_check_is_caught_and_a_fragment_is_not_checked() {
    let page = root().join("docs/src/example.md");
    let text = "```ron\nScenario(name: \"x\", steps: 0, states: [])\n```\n\n\
                ```ron,fragment\nsteps: 0,\n```\n";
    let blocks = ron_files(blocks_of(&page, text));
    assert_eq!(blocks.len(), 1, "the fragment is left out");
    assert_eq!(
        failures(&blocks).len(),
        1,
        "a scenario of 0 steps must fail the check"
    );
}
