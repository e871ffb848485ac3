//! Where the loader places a problem (the two-pass compile with its blind locator): in a
//! 200-state generated world, and in a file whose description uses the words of its fields.
//! Found by using the issue-14 features as a careless or hostile analyst would; each test is
//! named after the defect it pins.

use crate::common;

use crate::reference_world;

use std::path::Path;

use common::{simulate, write};
use reference_world::reference_text;

/// `line:column` of byte offset `at` in `text`, as messages give it.
fn place(text: &str, at: usize) -> String {
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap().chars().count() + 1;
    format!("{line}:{column}")
}

fn check(file: &Path) -> (Option<i32>, String) {
    let out = simulate().arg("check").arg(file).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

/// One channel renamed (`"c1"` to `"C1"`) in a 200-state world: 40,000 ties name the old
/// name, and each searched the 16 MB text from its start for the name's first use and
/// measured every candidate again, so `check` took over three minutes to print one line
/// (0.5 s for the valid file). The same unknown name now reuses its problem.
#[test]
fn a_channel_renamed_in_a_200_state_world_is_searched_for_once() {
    let dir = tempfile::tempdir().unwrap();
    let text = reference_text(200, 4, 40).replacen("\"c1\"", "\"C1\"", 1);
    let file = write(dir.path(), "renamed.ron", &text);
    let (code, err) = check(&file);
    assert_eq!(code, Some(2), "{err}");
    let first_use = text.find("\"c1\"").unwrap();
    let expected = format!(
        "{}: unknown channel \"c1\" — did you mean \"C1\"?",
        place(&text, first_use)
    );
    assert!(err.contains(&expected), "{expected}\nnot in\n{err}");
    assert_eq!(err.matches("unknown channel \"c1\"").count(), 1, "{err}");
}

/// A small world whose description uses the words of the fields, and whose affinities come
/// before its ties.
const WORDS: &str = r#"Scenario(
    name: "words",
    description: "initial stances and affinities, no ties",
    steps: 4,
    channels: ["aid"],
    states: [State(name: "A"), State(name: "B"), State(name: "C")],
    stances: [("A", "B", 0.5), ("A", "B", 0.2)],
    affinities: [("A", "C", 0.1)],
    ties: [Tie(from: "A", to: "B", channel: "aid", share: 0.7), Tie(from: "A", to: "C", channel: "aid", share: 0.6)],
)
"#;

/// A share total above 1 was placed at the `ties` inside `affinities` (a plain substring
/// search for the field's name): in a 200-state world, 40,000 lines from the ties.
#[test]
fn a_share_total_was_placed_inside_the_word_affinities() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "words.ron", WORDS);
    let (code, err) = check(&file);
    assert_eq!(code, Some(2), "{err}");
    let ties = WORDS.find("\n    ties: [").unwrap() + 5;
    let expected = format!(
        "{}: the shares of A in channel \"aid\" add up to 1.3000",
        place(WORDS, ties)
    );
    assert!(err.contains(&expected), "{expected}\nnot in\n{err}");
}

/// The stances' entries were searched from the word `stances` in the description, so the
/// first entry was found in the states' list and a repeated pair was placed at the first
/// entry instead of its own.
#[test]
fn a_field_named_in_the_description_misplaced_its_entries() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "words.ron", WORDS);
    let (_, err) = check(&file);
    let second = WORDS.find("(\"A\", \"B\", 0.2)").unwrap() + 1;
    let expected = format!(
        "{}: stances: (\"A\", \"B\") is given twice",
        place(WORDS, second)
    );
    assert!(err.contains(&expected), "{expected}\nnot in\n{err}");
}
