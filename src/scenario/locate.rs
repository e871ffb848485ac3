//! Pointing at the place in a scenario file that a problem comes from.
//!
//! RON's parser gives positions for syntax errors; the checks after parsing work on values
//! that no longer carry positions, so they find their place again by searching the source
//! for the offending text (a quoted name, or a field after an item's name).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// A 1-based line and column in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
    /// The item offsets of each top-level list asked for (`list_items`), found once.
    lists: RefCell<HashMap<String, Rc<[usize]>>>,
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
            lists: RefCell::default(),
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
            lists: RefCell::default(),
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

    /// The byte offset of `position`: `position`'s inverse.
    pub fn offset(&self, position: Position) -> usize {
        let Some(&start) = self.line_starts.get(position.line.saturating_sub(1)) else {
            return self.text.len();
        };
        let column = position.column.saturating_sub(1);
        (self.text[start..].char_indices().nth(column)).map_or(self.text.len(), |(i, _)| start + i)
    }

    /// Offset of the first occurrence of `needle` at or after `from`, outside comments.
    pub fn find_from(&self, from: usize, needle: &str) -> Option<usize> {
        self.code.get(from..)?.find(needle).map(|i| i + from)
    }

    /// Where the quoted name `"name"` first appears.
    pub fn name(&self, name: &str) -> Option<Position> {
        self.name_between(0, self.code.len(), name)
            .map(|at| self.position(at))
    }

    /// Offset of the first string `"name"` at or after `from`: a string of its own, not the
    /// same letters inside a description (`"called \"Gamm\" later"`) or a raw string.
    pub fn name_from(&self, from: usize, name: &str) -> Option<usize> {
        self.name_between(from, self.code.len(), name)
    }

    /// [`Self::name_from`] before `end`.
    pub fn name_between(&self, from: usize, end: usize, name: &str) -> Option<usize> {
        let needle = quoted(name);
        let bare = self.bare.as_bytes();
        let mut from = from;
        while let Some(at) = self.code.get(from..end)?.find(&needle).map(|i| i + from) {
            // A string that starts here opens with a quote in `bare` too; one inside
            // another string is blank there.
            if bare[at] == b'"' {
                return Some(at);
            }
            from = at + 1;
        }
        None
    }

    /// Offset of the first string at or after `from` whose value is `value`, however it is
    /// written: a value holding a control character is written with an escape (`\u{7}`),
    /// which a search for the quoted value never finds. Slower than [`Self::name_from`]
    /// (each string is read as RON reads it): for a problem's position only.
    pub fn string_from(&self, from: usize, value: &str) -> Option<usize> {
        let bare = self.bare.as_bytes();
        let quote = |from: usize| bare.get(from..)?.iter().position(|&b| b == b'"');
        let mut at = from + quote(from)?;
        loop {
            let end = at + 1 + quote(at + 1)?;
            let written = self.text.get(at..=end)?;
            if ron::from_str::<String>(written).is_ok_and(|s| s == value) {
                return Some(at);
            }
            at = end + 1 + quote(end + 1)?;
        }
    }

    /// Where each item of the top-level list `list` (`states`, `events: [...]`) starts, in
    /// file order: found by the list's structure, not by searching for names, so a name
    /// written as a raw string or with escapes (which a search for `"name"` never finds)
    /// still has its item. Each list is walked once; later calls share the result.
    pub fn list_items(&self, list: &str) -> Rc<[usize]> {
        if let Some(items) = self.lists.borrow().get(list) {
            return Rc::clone(items);
        }
        let items: Rc<[usize]> = self.walk_list(list).into();
        self.lists
            .borrow_mut()
            .insert(list.to_string(), Rc::clone(&items));
        items
    }

    fn walk_list(&self, list: &str) -> Vec<usize> {
        let bare = self.bare.as_bytes();
        let Some(field) = self.top_field(list) else {
            return Vec::new();
        };
        let after = field + list.len();
        // `list: [` — the value must be a bracketed list.
        let Some(open) = bare[after..]
            .iter()
            .position(|b| !b.is_ascii_whitespace() && *b != b':')
            .map(|k| after + k)
            .filter(|&at| bare[at] == b'[')
        else {
            return Vec::new();
        };
        let mut items = Vec::new();
        let mut depth = 0usize;
        let mut expecting = true;
        for (i, &b) in bare.iter().enumerate().skip(open + 1) {
            match b {
                b']' | b')' | b'}' if depth == 0 => break,
                b'[' | b'(' | b'{' => {
                    if expecting {
                        items.push(i);
                        expecting = false;
                    }
                    depth += 1;
                }
                b']' | b')' | b'}' => depth -= 1,
                b',' if depth == 0 => expecting = true,
                b if expecting && !b.is_ascii_whitespace() => {
                    items.push(i);
                    expecting = false;
                }
                _ => {}
            }
        }
        items
    }

    /// Where the item number `index` of the top-level list `list` starts, if it is the
    /// item called `name`: the list holds `count` items as compiled (a variant's list may
    /// differ from its base's text). An item whose name is written plainly must match it;
    /// one written otherwise (a raw string, escapes) is trusted by its place when the
    /// counts agree. Otherwise the item called `name` is searched for within the list.
    pub fn list_item(&self, list: &str, index: usize, name: &str, count: usize) -> Option<usize> {
        if self.top_field(list).is_none() {
            // Not a list of this text (a variant's text, where an event is written inside
            // an `AddEvent`): the string `"name"` where it first stands, from which its
            // item's fields are searched.
            return self.name_from(0, name);
        }
        let items = self.list_items(list);
        if let Some(&item) = items.get(index) {
            let written = self.item_name(item);
            // Plain: a string with no escapes, which can only be `"name"` if it is the one.
            let plain = self.code[written..].starts_with('"')
                && self.bare[written + 1..]
                    .find('"')
                    .is_some_and(|k| !self.code[written..written + 1 + k].contains('\\'));
            let matches = self.code[written..].starts_with(&quoted(name));
            if matches || (!plain && items.len() == count) {
                return Some(item);
            }
        }
        items
            .iter()
            .copied()
            .find(|&item| self.code[self.item_name(item)..].starts_with(&quoted(name)))
    }

    /// Where the name of the item starting at `item` is written: the value of its `name:`
    /// field, or the item itself (a bare name, as in `channels: ["aid"]`).
    pub fn item_name(&self, item: usize) -> usize {
        let bare = self.bare.as_bytes();
        let Some(field) = self.word_between(item, self.item_end(item), "name") else {
            return item;
        };
        let after = field + "name".len();
        bare[after..]
            .iter()
            .position(|b| !b.is_ascii_whitespace() && *b != b':')
            .map_or(item, |k| after + k)
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
        let at = self.field_in(start, field).unwrap_or(start);
        Some(self.position(at))
    }

    /// Offset of `field` written inside the item that `anchor` points into, if it is.
    pub fn field_in(&self, anchor: usize, field: &str) -> Option<usize> {
        self.word_between(anchor, self.item_end(anchor), field)
    }

    /// Offset of the string `"key"` written inside the item or value at `anchor` (a key of
    /// a map such as `beta: {"aid": 0.2}`), if it is.
    pub fn key_in(&self, anchor: usize, key: &str) -> Option<usize> {
        self.name_between(anchor, self.item_end(anchor), key)
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

/// The length in bytes of the comment `text` starts with, or None if it starts with none:
/// a line comment up to its newline (not included), a block comment up to its closing
/// `*/` (block comments nest in RON: `/* a /* b */ still a comment */`), or to the end of
/// the text if it is never closed. The one reading of RON's comments (`blank`,
/// `code_start`).
fn comment_len(text: &[u8]) -> Option<usize> {
    if text.starts_with(b"//") {
        return Some(text.iter().position(|&c| c == b'\n').unwrap_or(text.len()));
    }
    if !text.starts_with(b"/*") {
        return None;
    }
    let mut depth = 0usize;
    let mut j = 0;
    while j < text.len() {
        if text[j] == b'/' && text.get(j + 1) == Some(&b'*') {
            depth += 1;
            j += 2;
        } else if text[j] == b'*' && text.get(j + 1) == Some(&b'/') {
            depth -= 1;
            j += 2;
            if depth == 0 {
                break;
            }
        } else {
            j += 1;
        }
    }
    Some(j.min(text.len()))
}

/// `text` from its first word of code: past white space, comments and RON's attributes
/// (`#![enable(implicit_some)]`). Only the start of the text is read (no `Locator` is
/// built: every file is asked what it is before it is parsed); an attribute left open ends
/// the text.
pub fn code_start(text: &str) -> &str {
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        if let Some(len) = comment_len(rest.as_bytes()) {
            rest = &rest[len..];
        } else if let Some(attribute) = rest.strip_prefix("#!") {
            // An attribute's brackets hold names and parentheses, never another `]`.
            rest = attribute.find(']').map_or("", |end| &attribute[end + 1..]);
        } else {
            return rest;
        }
    }
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
        } else if let Some(len) = (b == b'/').then(|| comment_len(&bytes[i..])).flatten() {
            space(&mut [&mut code, &mut bare], i, i + len);
            i += len;
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
    fn an_offset_is_found_again_from_its_position() {
        let text = "a\nbé \"x\"\n";
        let l = Locator::new(text);
        for at in text.char_indices().map(|(i, _)| i) {
            assert_eq!(l.offset(l.position(at)), at);
        }
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

    /// A list's items are found by its structure: a raw-string or escaped name, nested
    /// brackets, comments and a trailing comma do not move them.
    #[test]
    fn the_items_of_a_list_are_found_by_its_structure() {
        let text = "(events: [Event(name: r#\"a\"#, when: After(\"b\")), /* ] */\n \
                    Event(name: \"b\\u{41}\"), \"c\",],\n states: [])";
        let l = Locator::new(text);
        let items = l.list_items("events");
        let starts = [
            text.find("Event").unwrap(),
            text.rfind("Event").unwrap(),
            text.find("\"c\"").unwrap(),
        ];
        assert_eq!(&items[..], &starts[..]);
        assert!(l.list_items("states").is_empty());
        assert!(l.list_items("outcomes").is_empty());
        // Names written otherwise than plainly are trusted by their place when the list
        // holds as many items as were compiled; a plain name must match.
        assert_eq!(l.list_item("events", 0, "a", 3), Some(starts[0]));
        assert_eq!(l.list_item("events", 1, "bA", 3), Some(starts[1]));
        assert_eq!(l.list_item("events", 1, "bA", 4), None);
        assert_eq!(l.list_item("events", 2, "c", 3), Some(starts[2]));
        assert_eq!(l.list_item("events", 2, "x", 3), None);
        // Not at its place (a variant's list differs from its base's text): by its name.
        assert_eq!(l.list_item("events", 5, "c", 6), Some(starts[2]));
        assert_eq!(l.item_name(starts[1]), text.find("\"b\\").unwrap());
    }

    /// Regression: in a variant's text, which has no `events:` list, an added event was
    /// not found at all, so its problems fell back to the start of the change.
    #[test]
    fn an_item_of_a_list_the_text_lacks_is_found_by_its_name() {
        let text = "Variant(changes: [AddEvent(Event(name: \"x\", window: (5, 2)))])";
        let l = Locator::new(text);
        let name = text.find("\"x\"");
        assert_eq!(l.list_item("events", 3, "x", 4), name);
        let window = text.find("window").map(|at| l.position(at));
        assert_eq!(l.field_after(name, "window"), window);
    }

    /// Regression: a name was found inside a description (`"called \"Gamm\" later"`, or a
    /// raw string) before its own entry.
    #[test]
    fn a_name_is_a_string_of_its_own() {
        let text = "(d: \"called \\\"Gamm\\\" later\", r: r#\"see \"Gamm\"\"#, s: (\"Gamm\", 1))";
        let l = Locator::new(text);
        assert_eq!(l.name_from(0, "Gamm"), text.rfind("\"Gamm\""));
    }

    /// Every search, on any text made of the pieces that steer the scanner (quotes, raw
    /// strings, escapes, comments, character literals, brackets, multi-byte letters), ends
    /// without a panic: the scanner slices the text at offsets it computed itself.
    #[test]
    fn no_text_makes_a_search_panic() {
        use proptest::prelude::*;
        use proptest::test_runner::{Config, RngSeed, TestRunner};
        const PIECES: &[&str] = &[
            "\"", "r#\"", "\"#", "r\"", "\\", "\\\"", "/*", "*/", "//", "\n", "'", "'\"'", "[",
            "]", "(", ")", "{", "}", ",", ":", " ", "name", "events", "at", "Tie", "ω", "é", "a",
            "b\"", "\r\n",
        ];
        let text = proptest::collection::vec(proptest::sample::select(PIECES), 0..60)
            .prop_map(|pieces| pieces.concat());
        let config = Config {
            cases: 4000,
            failure_persistence: None,
            rng_seed: RngSeed::Fixed(2018),
            ..Config::default()
        };
        TestRunner::new(config)
            .run(&text, |text| {
                let text = format!("(events: [{text}], name: {text})");
                let l = Locator::new(&text);
                for list in ["events", "name"] {
                    let items = l.list_items(list);
                    for (i, &item) in items.iter().enumerate() {
                        let _ = l.item_name(item);
                        let _ = l.list_item(list, i, "a", items.len());
                        let _ = l.field_after(Some(item), "at");
                        let _ = l.key_in(item, "b");
                    }
                }
                for at in 0..text.len() {
                    let _ = l.field_after(Some(at), "at");
                    let _ = l.name_from(at, "a");
                    let _ = l.word_from(at, "Tie");
                }
                let _ = l.top_field("name");
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn a_blind_locator_finds_nothing() {
        let l = Locator::blind();
        assert_eq!(l.name("x"), None);
        assert_eq!(l.find_from(0, "x"), None);
        assert_eq!(l.find_from(5, "x"), None);
        assert!(l.list_items("channels").is_empty());
        assert_eq!(l.field_after(None, "share"), None);
    }
}
