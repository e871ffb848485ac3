//! Pointing at the place in a scenario file that a problem comes from.
//!
//! RON's parser gives positions for syntax errors; the checks after parsing work on values
//! that no longer carry positions, so they find their place again by searching the source
//! for the offending text (a quoted name, or a field after an item's name).

/// A 1-based line and column in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Searches a scenario's source text, skipping `//` and `/* */` comments.
pub struct Locator<'a> {
    text: &'a str,
    /// The text with every comment character replaced by a space (same byte offsets).
    code: String,
    /// Byte offset of the start of each line, so that a position costs a binary search
    /// rather than a count of the lines before it (a file with thousands of problems was
    /// quadratic).
    line_starts: Vec<usize>,
}

impl<'a> Locator<'a> {
    pub fn new(text: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Locator {
            text,
            code: blank_comments(text),
            line_starts,
        }
    }

    /// A locator that finds nothing: every search gives None, so every problem would have
    /// no position. Compiling a file first runs blind (`compile::compile`): a valid file,
    /// the common case and the large one, needs no positions, and searching for every entry
    /// of a 15 MB world was most of the time `check` took. Only a file with problems is
    /// compiled again with a real locator, to put each problem at its line and column.
    pub fn blind() -> Locator<'static> {
        Locator {
            text: "",
            code: String::new(),
            line_starts: vec![0],
        }
    }

    /// The text with comments blanked out (same byte offsets).
    pub fn code(&self) -> &str {
        &self.code
    }

    /// Position of byte offset `at`.
    pub fn position(&self, at: usize) -> Position {
        let at = at.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= at);
        let start = self.line_starts[line - 1];
        let column = self.text.get(start..at).map_or(0, |l| l.chars().count()) + 1;
        Position { line, column }
    }

    /// Offset of the first occurrence of `needle` at or after `from`, outside comments.
    pub fn find_from(&self, from: usize, needle: &str) -> Option<usize> {
        self.code.get(from..)?.find(needle).map(|i| i + from)
    }

    /// Where the quoted name `"name"` first appears.
    pub fn name(&self, name: &str) -> Option<Position> {
        self.find_from(0, &quoted(name)).map(|at| self.position(at))
    }

    /// Where the `n`-th (0-based) definition of a name is: a quoted `"name"` right after
    /// `name:` (a state or event), or, for `bare` lists such as `channels: [...]`, the
    /// `n`-th quoted occurrence. A second definition is reported where it is, not at the
    /// first one.
    pub fn definition(&self, name: &str, n: usize, bare: bool) -> Option<Position> {
        let needle = quoted(name);
        let mut from = 0;
        let mut seen = 0;
        while let Some(at) = self.find_from(from, &needle) {
            let before = self.code[..at].trim_end();
            let defines = bare
                || before
                    .strip_suffix(':')
                    .is_some_and(|b| b.trim_end().ends_with("name"));
            if defines {
                if seen == n {
                    return Some(self.position(at));
                }
                seen += 1;
            }
            from = at + needle.len();
        }
        self.name(name)
    }

    /// Offset of the first `field` at or after `from` that is written as a field (`field:`)
    /// or a variant (`field(`): a whole word, so `ties` is not found inside `affinities`
    /// nor `at` inside `state`.
    pub fn field_from(&self, from: usize, field: &str) -> Option<usize> {
        let code = self.code.as_bytes();
        let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        let mut from = from;
        while let Some(at) = self.find_from(from, field) {
            let end = at + field.len();
            let alone = at == 0 || !word(code[at - 1]);
            let next = code[end..].iter().find(|b| !b.is_ascii_whitespace());
            if alone && matches!(next, Some(b':' | b'(')) {
                return Some(at);
            }
            from = end;
        }
        None
    }

    /// Where `field` is first written after the start of `anchor`, or `anchor` itself if
    /// the field is not written (a default).
    pub fn field_after(&self, anchor: Option<usize>, field: &str) -> Option<Position> {
        let start = anchor?;
        let at = self.field_from(start, field).unwrap_or(start);
        Some(self.position(at))
    }
}

pub fn quoted(name: &str) -> String {
    format!("\"{name}\"")
}

/// Replaces the characters of comments with spaces, keeping byte offsets and newlines.
/// Strings are respected, so `"//"` inside a name is not a comment.
fn blank_comments(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let mut i = 0;
    let mut in_string = false;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            if b == b'\\' {
                i += 2;
                continue;
            }
            if b == b'"' {
                in_string = false;
            }
            i += 1;
        } else if b == b'"' {
            in_string = true;
            i += 1;
        } else if b == b'/' && bytes.get(i + 1) == Some(&b'/') {
            while i < bytes.len() && bytes[i] != b'\n' {
                out[i] = b' ';
                i += 1;
            }
        } else if b == b'/' && bytes.get(i + 1) == Some(&b'*') {
            while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                if bytes[i] != b'\n' {
                    out[i] = b' ';
                }
                i += 1;
            }
            for _ in 0..2 {
                if i < bytes.len() {
                    out[i] = b' ';
                    i += 1;
                }
            }
        } else {
            i += 1;
        }
    }
    // Only ASCII bytes outside strings were replaced by ASCII spaces; but a multi-byte
    // character inside a comment was blanked byte by byte, which is still valid UTF-8.
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
///
/// Neither a word nor a candidate longer than the longest name a file may hold is compared:
/// it is refused for its length anyway, and two such names (a fuzzed file had a channel
/// and a reference of about 100,000 characters each) cost one edit-distance count of
/// 10^10 steps, which hung the loader.
pub fn suggest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let longest = super::limits::MAX_NAME_LEN;
    if word.len() > longest {
        return None;
    }
    let lower = word.to_lowercase();
    let length = word.chars().count();
    let limit = (length / 3).max(2);
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates.into_iter().filter(|c| c.len() <= longest) {
        let distance = if candidate.to_lowercase() == lower {
            0
        } else if length.abs_diff(candidate.chars().count()) > limit {
            // The distance is at least the difference in length, so this one cannot be
            // suggested: skip the quadratic count (a 200,000-character name against each
            // candidate took seconds, on every problem that names it).
            continue;
        } else {
            edit_distance(word, candidate)
        };
        if best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.filter(|&(d, _)| d <= limit).map(|(_, c)| c)
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_lines_and_columns() {
        let l = Locator::new("a\nbc \"x\"\n");
        assert_eq!(l.name("x"), Some(Position { line: 2, column: 4 }));
    }

    #[test]
    fn names_inside_comments_are_not_found() {
        let l = Locator::new("// \"Pakistn\" in a comment\n/* \"Pakistn\" */ (\"Pakistn\")");
        assert_eq!(
            l.name("Pakistn"),
            Some(Position {
                line: 2,
                column: 18
            })
        );
    }

    /// Regression: `at` was found inside `state`, so a problem with an event's `at:`
    /// pointed at the first word after the event's name that contained "at".
    #[test]
    fn a_field_is_found_as_a_whole_word_before_a_colon() {
        let l = Locator::new("Event(name: \"e\", when: Always, state: 1,\n at : 3)");
        assert_eq!(
            l.field_after(Some(0), "at"),
            Some(Position { line: 2, column: 2 })
        );
        // Not written: the anchor itself.
        assert_eq!(
            l.field_after(Some(0), "every"),
            Some(Position { line: 1, column: 1 })
        );
    }

    #[test]
    fn a_blind_locator_finds_nothing() {
        let l = Locator::blind();
        assert_eq!(l.name("x"), None);
        assert_eq!(l.find_from(0, "x"), None);
        assert_eq!(l.find_from(5, "x"), None);
        assert_eq!(l.definition("x", 1, true), None);
        assert_eq!(l.field_after(None, "share"), None);
    }

    #[test]
    fn a_misspelt_name_gets_the_closest_one_and_a_strange_one_gets_none() {
        let names = ["Pakistan", "Russia", "USA"];
        assert_eq!(suggest("Pakistn", names), Some("Pakistan"));
        assert_eq!(suggest("usa", names), Some("USA"));
        assert_eq!(suggest("Brazil", names), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    /// A candidate too much shorter or longer to be within the limit is not measured, and
    /// cannot be suggested; one of the same length but another case still is.
    #[test]
    fn a_candidate_of_a_far_length_is_never_suggested() {
        let long = "x".repeat(100_000);
        assert_eq!(suggest(&long, ["x", "xx"]), None);
        assert_eq!(suggest("Pakistan", ["Pak", "PAKISTAN"]), Some("PAKISTAN"));
        assert_eq!(suggest("Pakistann", ["Pak", "Pakistan"]), Some("Pakistan"));
    }

    /// Regression: two names of about 100,000 characters, close in length, were compared
    /// character by character (10^10 steps) and the loader hung; names longer than a file
    /// may hold are neither suggested nor given suggestions.
    #[test]
    fn two_very_long_names_of_close_length_are_not_compared() {
        // The old code suggested b for a (distance 10,496, within a third of a's length),
        // after 20 s in a release build.
        let (a, b) = ("x".repeat(101_722), "x".repeat(91_226));
        assert_eq!(suggest(&a, [b.as_str()]), None);
        assert_eq!(suggest(&b, [a.as_str()]), None);
        assert_eq!(suggest("xx", [b.as_str()]), None);
    }
}
