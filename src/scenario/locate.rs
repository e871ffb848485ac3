//! Pointing at the place in a scenario file that a problem comes from.
//!
//! RON's parser gives positions for syntax errors; the checks after parsing work on values
//! that no longer carry positions, so they find their place again by searching the source
//! for the offending text (a quoted name, or a field after an item's name).

use std::collections::HashMap;

/// A 1-based line and column in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Searches a scenario's source text, skipping `//` and `/* */` comments.
pub struct Locator<'a> {
    text: &'a str,
    /// The text with every comment character replaced by a space (same byte offsets): where
    /// quoted names are searched.
    code: String,
    /// `code` with the contents of every string blanked too (the quotes stay): where field
    /// names, variants and brackets are searched, so that `at:` inside a description or a
    /// state called "Tierra" is not taken for a field or a `Tie`.
    bare: String,
    /// The first offset of each field written at the top level of the file (inside its
    /// outermost brackets), so that a scenario's `name` is not found in its first state.
    top_fields: HashMap<String, usize>,
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
        let (code, bare) = blank(text);
        let top_fields = top_fields(&bare);
        Locator {
            text,
            code,
            bare,
            top_fields,
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
            bare: String::new(),
            top_fields: HashMap::new(),
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
    /// first one. The search stays inside the value of the top-level field `list`
    /// (`states`, `channels`, `events`) when it is written, so that a state is not found at
    /// an event of the same name, nor a channel at the first tie that uses it.
    pub fn definition(&self, list: &str, name: &str, n: usize, bare: bool) -> Option<Position> {
        let needle = quoted(name);
        let (mut from, end) = match self.top_field(list) {
            Some(at) => (at, self.item_end(at)),
            None => (0, self.code.len()),
        };
        let mut seen = 0;
        while let Some(at) = self.code.get(from..end).and_then(|c| c.find(&needle)) {
            let at = at + from;
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

    /// Offset of the definition (`name: "name"`) of the next item called `name` at or after
    /// `from`: items of a list are met in file order, so a caller that walks a list moves
    /// `from` past each one it finds, and the whole list costs one pass.
    pub fn next_definition(&self, from: usize, name: &str) -> Option<usize> {
        let needle = quoted(name);
        let mut from = from;
        while let Some(at) = self.find_from(from, &needle) {
            let before = self.code[..at].trim_end();
            if before
                .strip_suffix(':')
                .is_some_and(|b| b.trim_end().ends_with("name"))
            {
                return Some(at);
            }
            from = at + needle.len();
        }
        None
    }

    /// Offset of the first `word` at or after `from` that is written as a field (`word:`)
    /// or a variant (`word(`): a whole word outside strings and comments, so `ties` is not
    /// found inside `affinities`, nor `at` inside `state` or inside a description.
    pub fn word_from(&self, from: usize, word: &str) -> Option<usize> {
        self.word_between(from, self.bare.len(), word)
    }

    fn word_between(&self, from: usize, end: usize, word: &str) -> Option<usize> {
        let bare = self.bare.as_bytes();
        let letter = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        let mut from = from;
        while let Some(at) = self.bare.get(from..end)?.find(word).map(|i| i + from) {
            let past = at + word.len();
            let alone = at == 0 || !letter(bare[at - 1]);
            let next = bare[past..].iter().find(|b| !b.is_ascii_whitespace());
            if alone && matches!(next, Some(b':' | b'(')) {
                return Some(at);
            }
            from = past;
        }
        None
    }

    /// Offset of the top-level field `field` (one written directly inside the file's
    /// outermost brackets, followed by `:`).
    pub fn top_field(&self, field: &str) -> Option<usize> {
        self.top_fields.get(field).copied()
    }

    /// Where `field` (or a variant of that name) is first written inside the item that
    /// `anchor` points into, or `anchor` itself if the item does not write it (a default).
    /// The search ends with the item: a field the item leaves out is not found in the next
    /// one, and a thousand items each searched to the end of a 15 MB file took minutes.
    pub fn field_after(&self, anchor: Option<usize>, field: &str) -> Option<Position> {
        let start = anchor?;
        let at = self
            .word_between(start, self.item_end(start), field)
            .unwrap_or(start);
        Some(self.position(at))
    }

    /// The end of the item that `anchor` belongs to. An anchor at a word (`Tie`, `params`)
    /// or at a key (`"B": Override(...)`) starts a value, which ends where its brackets
    /// close (or at the next `,` if it has none); an anchor at any other string (an item's
    /// name) is inside its item, which ends at the bracket that closes around it.
    fn item_end(&self, anchor: usize) -> usize {
        let bare = self.bare.as_bytes();
        let Some(&first) = bare.get(anchor) else {
            return bare.len();
        };
        let mut i = anchor;
        let mut value = first != b'"';
        if !value {
            // Past the closing quote (string contents are blank in `bare`).
            i = bare[anchor + 1..]
                .iter()
                .position(|&b| b == b'"')
                .map_or(bare.len(), |k| anchor + 1 + k + 1);
            let next = bare[i.min(bare.len())..]
                .iter()
                .find(|b| !b.is_ascii_whitespace());
            value = next == Some(&b':');
        }
        let mut depth = 0usize;
        while i < bare.len() {
            match bare[i] {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => {
                    if depth == 0 {
                        return i;
                    }
                    depth -= 1;
                    if depth == 0 && value {
                        return i + 1;
                    }
                }
                b',' if depth == 0 && value => return i,
                _ => {}
            }
            i += 1;
        }
        bare.len()
    }
}

pub fn quoted(name: &str) -> String {
    format!("\"{name}\"")
}

/// Two views of `text` with the same byte offsets and newlines: `code`, in which every
/// comment character is a space, and `bare`, in which the contents of every string are
/// spaces too (the quotes stay). The scan follows RON's lexical rules closely enough to
/// keep them apart: `"//"` inside a string is not a comment, block comments nest, raw
/// strings (`r"…"`, `r#"…"#`) may hold quotes, and a character literal may be `'"'`.
fn blank(text: &str) -> (String, String) {
    let bytes = text.as_bytes();
    let mut code = bytes.to_vec();
    let mut bare = bytes.to_vec();
    let letter = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    // Blanks bytes[from..to] in the given views, keeping newlines.
    fn space(views: &mut [&mut Vec<u8>], from: usize, to: usize) {
        for view in views.iter_mut() {
            for b in &mut view[from..to] {
                if *b != b'\n' {
                    *b = b' ';
                }
            }
        }
    }
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let prefix_ok = i == 0
            || !letter(bytes[i - 1])
            || (bytes[i - 1] == b'b' && (i < 2 || !letter(bytes[i - 2])));
        if b == b'"' {
            // An ordinary string: ends at the next unescaped quote.
            let mut j = i + 1;
            while j < bytes.len() && bytes[j] != b'"' {
                j += if bytes[j] == b'\\' { 2 } else { 1 };
            }
            let end = j.min(bytes.len());
            space(&mut [&mut bare], i + 1, end);
            i = end + 1;
        } else if b == b'r' && prefix_ok && matches!(bytes.get(i + 1), Some(b'"' | b'#')) {
            // A raw string: r, n hashes, a quote ... a quote and n hashes.
            let hashes = bytes[i + 1..].iter().take_while(|&&c| c == b'#').count();
            if bytes.get(i + 1 + hashes) != Some(&b'"') {
                i += 1;
                continue;
            }
            let open = i + 1 + hashes + 1;
            let mut close = [b'#'].repeat(hashes);
            close.insert(0, b'"');
            let end = bytes[open..]
                .windows(close.len())
                .position(|w| w == close.as_slice())
                .map_or(bytes.len(), |k| open + k);
            space(&mut [&mut bare], open, end);
            i = (end + close.len()).min(bytes.len());
        } else if b == b'\'' {
            // A character literal ('x', '\'', '"'): skip it so that a quote inside is not
            // taken for the start of a string.
            let len = match bytes.get(i + 1) {
                Some(b'\\') => bytes[i + 2..]
                    .iter()
                    .position(|&c| c == b'\'')
                    .map(|k| k + 3),
                Some(_) => text[i + 1..].chars().next().map(|c| c.len_utf8() + 2),
                None => None,
            };
            i += match len {
                Some(n) if bytes.get(i + n - 1) == Some(&b'\'') => n,
                _ => 1,
            };
        } else if b == b'/' && bytes.get(i + 1) == Some(&b'/') {
            let end = bytes[i..]
                .iter()
                .position(|&c| c == b'\n')
                .map_or(bytes.len(), |k| i + k);
            space(&mut [&mut code, &mut bare], i, end);
            i = end;
        } else if b == b'/' && bytes.get(i + 1) == Some(&b'*') {
            // Block comments nest in RON: /* a /* b */ still a comment */.
            let mut depth = 0usize;
            let mut j = i;
            while j < bytes.len() {
                if bytes[j] == b'/' && bytes.get(j + 1) == Some(&b'*') {
                    depth += 1;
                    j += 2;
                } else if bytes[j] == b'*' && bytes.get(j + 1) == Some(&b'/') {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            let end = j.min(bytes.len());
            space(&mut [&mut code, &mut bare], i, end);
            i = end;
        } else {
            i += 1;
        }
    }
    // Only whole characters outside strings, or any bytes inside them, were replaced by
    // ASCII spaces, so both views are still valid UTF-8; the fallback never happens.
    let text_of = |v: Vec<u8>| String::from_utf8(v).unwrap_or_else(|_| text.to_string());
    (text_of(code), text_of(bare))
}

/// The first offset of each field written directly inside the outermost brackets of
/// `bare` (a view with strings and comments blanked): a word followed by `:` at depth 1.
fn top_fields(bare: &str) -> HashMap<String, usize> {
    let bytes = bare.as_bytes();
    let letter = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut fields = HashMap::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b if depth == 1 && letter(b) && (i == 0 || !letter(bytes[i - 1])) => {
                let end = i + bytes[i..].iter().take_while(|&&c| letter(c)).count();
                let next = bytes[end..].iter().find(|c| !c.is_ascii_whitespace());
                if next == Some(&b':') {
                    fields.entry(bare[i..end].to_string()).or_insert(i);
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    fields
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

    /// Regression: `at` in a description, `steps` in the scenario's description and `Tie`
    /// in a state called "Tierra" were taken for the field or the item.
    #[test]
    fn fields_and_items_are_not_found_inside_strings() {
        let text = "(d: \"meet at: noon\", x: Tie(share: 1), s: \"Tierra\",\n at: 3)";
        let l = Locator::new(text);
        assert_eq!(l.word_from(0, "at"), text.rfind("at:"));
        let tie = text.find("Tie(");
        assert_eq!(l.word_from(0, "Tie"), tie);
        assert_eq!(l.word_from(tie.unwrap() + 1, "Tie"), None);
    }

    /// Regression: the scenario's `name` was found at the first state's `name:` when the
    /// scenario wrote its own later.
    #[test]
    fn a_top_field_is_one_written_at_the_top_level() {
        let text = "Scenario(states: [State(name: \"A\")],\n name: \"\", steps: 4)";
        let l = Locator::new(text);
        assert_eq!(l.top_field("name"), text.find(" name").map(|i| i + 1));
        assert_eq!(l.top_field("steps"), text.find("steps"));
        assert_eq!(l.top_field("share"), None);
    }

    /// An item's field is searched within the item: one it leaves out (a default) is not
    /// found in the next item, whether the anchor is the item's name or its first word.
    #[test]
    fn a_field_is_searched_only_within_its_item() {
        let text = "[Event(name: \"a\", when: After(\"b\"), every: 2), Event(name: \"b\", at: 3)]";
        let l = Locator::new(text);
        let name_a = text.find("\"a\"");
        let event_b = text.rfind("Event");
        let every = text.find("every").map(|at| l.position(at));
        assert_eq!(l.field_after(name_a, "every"), every);
        assert_eq!(l.field_after(name_a, "at"), name_a.map(|at| l.position(at)));
        let at_b = text.find("at:").map(|at| l.position(at));
        assert_eq!(l.field_after(event_b, "at"), at_b);
        // A key's value ends with its brackets: `"B": Override(...)`.
        let text = "{\"A\": Override(eta: 1), \"B\": Override(eta: 2)}";
        let l = Locator::new(text);
        let key_a = text.find("\"A\"");
        assert_eq!(
            l.field_after(key_a, "eta"),
            text.find("eta").map(|at| l.position(at))
        );
        assert_eq!(l.field_after(key_a, "rho"), key_a.map(|at| l.position(at)));
    }

    /// Regression: a raw string holding `/*` hid every later position, and the text after
    /// a nested comment's inner `*/` was searched as code.
    #[test]
    fn raw_strings_nested_comments_and_character_literals_are_understood() {
        let (code, bare) =
            blank("(d: r#\"a \"/*\" b\"#, x: 1 /* a /* b */ \"c\" */ y: '\"', z: 2)");
        assert!(
            code.contains("x: 1") && code.contains("y: '\"', z: 2"),
            "{code}"
        );
        assert!(!code.contains("\"c\""), "{code}");
        let blanked = format!("(d: r#\"{}\"#, x: 1", " ".repeat("a \"/*\" b".len()));
        assert!(bare.starts_with(&blanked), "{bare}");
        let text = "(d: r#\"/*\"#,\n steps: 0)";
        let l = Locator::new(text);
        assert_eq!(l.top_field("steps"), text.find("steps"));
        assert_eq!(
            l.position(text.find("steps").unwrap()),
            Position { line: 2, column: 2 }
        );
    }

    #[test]
    fn a_blind_locator_finds_nothing() {
        let l = Locator::blind();
        assert_eq!(l.name("x"), None);
        assert_eq!(l.find_from(0, "x"), None);
        assert_eq!(l.find_from(5, "x"), None);
        assert_eq!(l.definition("channels", "x", 1, true), None);
        assert_eq!(l.field_after(None, "share"), None);
    }
}
