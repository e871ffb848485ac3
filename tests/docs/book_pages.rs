//! The book holds together: every page under docs/src is in SUMMARY.md and every page it
//! lists exists (mdBook builds from that list), every relative link of the README and the
//! book leads to a file, and the README stays short (issue 24: at most about 250 lines).

use std::fs;
use std::path::Path;

use crate::common::root;
use crate::markdown::{book_pages, pages};

/// The relative link targets of a markdown text (`](target)`), anchors cut off; web
/// addresses and links within the page left out.
fn relative_links(text: &str) -> Vec<String> {
    text.split("](")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .map(|target| target.split('#').next().unwrap_or("").trim().to_string())
        .filter(|t| !t.is_empty() && !t.contains("://") && !t.starts_with("mailto:"))
        .collect()
}

/// The files a page includes with mdBook's `{{#include FILE}}` (not an escaped
/// `\{{#include`, which the page shows as text).
fn included_files(text: &str) -> Vec<String> {
    text.split("{{#include ")
        .collect::<Vec<_>>()
        .windows(2)
        .filter(|pair| !pair[0].ends_with('\\'))
        .filter_map(|pair| pair[1].split("}}").next())
        .map(|file| file.trim().to_string())
        .collect()
}

/// Each relative link or include of a page that leads nowhere.
fn broken_links(page: &Path) -> Vec<String> {
    let text = fs::read_to_string(page).unwrap();
    relative_links(&text)
        .into_iter()
        .chain(included_files(&text))
        .filter(|target| !page.parent().unwrap().join(target).exists())
        .map(|target| format!("{}: {target}", page.display()))
        .collect()
}

#[test]
fn every_page_of_the_book_is_in_its_summary_and_every_listed_page_exists() {
    let src = root().join("docs/src");
    let summary = fs::read_to_string(src.join("SUMMARY.md")).unwrap();
    let listed = relative_links(&summary);
    assert!(listed.len() >= 20, "only {} pages listed", listed.len());
    let missing: Vec<&String> = listed.iter().filter(|p| !src.join(p).exists()).collect();
    assert!(
        missing.is_empty(),
        "SUMMARY.md lists missing pages: {missing:?}"
    );
    let unlisted: Vec<String> = book_pages()
        .iter()
        .map(|p| p.strip_prefix(&src).unwrap().to_string_lossy().into_owned())
        .filter(|p| p != "SUMMARY.md" && !listed.contains(p))
        .collect();
    assert!(unlisted.is_empty(), "pages not in SUMMARY.md: {unlisted:?}");
}

#[test]
fn every_relative_link_and_include_of_the_readme_and_the_book_leads_to_a_file() {
    let broken: Vec<String> = pages().iter().flat_map(|p| broken_links(p)).collect();
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn an_include_is_read_unless_escaped() {
    let text = "{{#include turkey.ron}} shows a file; \\{{#include FILE}} shows the words";
    assert_eq!(included_files(text), ["turkey.ron"]);
}

#[test]
fn a_link_to_a_missing_file_is_caught() {
    let page = root().join("README.md");
    let text = "[here](docs/src/nowhere.md#top) and [there](https://example.org) [a](#b)";
    let links = relative_links(text);
    assert_eq!(links, ["docs/src/nowhere.md"]);
    assert!(!page.parent().unwrap().join(&links[0]).exists());
}

#[test]
fn the_readme_is_at_most_250_lines() {
    let lines = fs::read_to_string(root().join("README.md"))
        .unwrap()
        .lines()
        .count();
    assert!(
        lines <= 250,
        "README.md has {lines} lines; move the detail into the book"
    );
}
