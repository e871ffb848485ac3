//! What the tests read in the documentation: its pages and their fenced code blocks, with
//! mdBook's `{{#include FILE}}` resolved to the file it names (so a page that shows a real
//! file is checked through that file).

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::root;

/// A fenced code block: the page it is on, the line of its opening fence, its info string
/// (` ```ron,fragment ` gives `ron,fragment`) and its text, indentation removed.
pub struct Block {
    pub page: PathBuf,
    pub line: usize,
    pub info: String,
    pub text: String,
}

impl Block {
    /// Where the block is, for messages: `docs/src/howto/compare.md:12`.
    pub fn place(&self) -> String {
        let page = self.page.strip_prefix(root()).unwrap_or(&self.page);
        format!("{}:{}", page.display(), self.line)
    }

    /// The file a block made of one `{{#include FILE}}` line shows, relative to its page.
    pub fn included_file(&self) -> Option<PathBuf> {
        let inner = self
            .text
            .trim()
            .strip_prefix("{{#include ")?
            .strip_suffix("}}")?;
        Some(self.page.parent().unwrap().join(inner.trim()))
    }
}

/// README.md and every page of the book, in a fixed order.
pub fn pages() -> Vec<PathBuf> {
    let mut pages = vec![root().join("README.md")];
    pages.extend(book_pages());
    pages
}

/// Every markdown file under docs/src, sorted.
pub fn book_pages() -> Vec<PathBuf> {
    let mut found = Vec::new();
    collect_markdown(&root().join("docs/src"), &mut found);
    found.sort();
    found
}

fn collect_markdown(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_markdown(&path, found);
        } else if path.extension().is_some_and(|e| e == "md") {
            found.push(path);
        }
    }
}

/// Every fenced block of every page.
pub fn all_blocks() -> Vec<Block> {
    pages().iter().flat_map(|page| blocks(page)).collect()
}

/// The fenced blocks of one page, in order.
pub fn blocks(page: &Path) -> Vec<Block> {
    blocks_of(page, &fs::read_to_string(page).unwrap())
}

/// The fenced blocks of a page's text. A fence may be indented (inside a list item); the
/// block's lines lose that indentation.
pub fn blocks_of(page: &Path, text: &str) -> Vec<Block> {
    let mut found = Vec::new();
    let mut open: Option<(usize, usize, String, Vec<&str>)> = None;
    for (number, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        match open.as_mut() {
            None => {
                if let Some(info) = trimmed.strip_prefix("```") {
                    open = Some((number + 1, indent, info.trim().to_string(), Vec::new()));
                }
            }
            Some((start, _, info, lines)) if trimmed == "```" => {
                found.push(Block {
                    page: page.to_path_buf(),
                    line: *start,
                    info: std::mem::take(info),
                    text: lines.join("\n"),
                });
                open = None;
            }
            Some((_, indent_of_fence, _, lines)) => {
                let cut = (*indent_of_fence).min(indent);
                lines.push(&line[cut..]);
            }
        }
    }
    found
}
