//! How names are compared and shown: the "did you mean" suggestion for an unknown name,
//! the case folding behind the rule that two names may not differ only in case, and a
//! name as a message quotes it (escaped, and cut when long). One place, so that every
//! message of the loader, a variant or a parameter path treats names alike.

use std::fmt::Write as _;

use super::limits;

/// Characters of a name a message shows before cutting it.
const SHOWN_CHARS: usize = 60;

/// A name as a message shows it, quoted: `"Pakistan"`. Control and bidirectional
/// characters are escaped (`\u{1b}`): a reference is echoed before anything refuses it, and
/// a newline split a problem into two lines, an escape sequence could forge a line of its
/// own. A long name is cut to its start and its length (`"Alph…" (1,048,576 bytes)`): a
/// 1 MB reference was echoed as a 1 MB line.
pub fn quoted_name(name: &str) -> String {
    match cut(name) {
        (start, None) => format!("\"{start}\""),
        (start, Some(bytes)) => format!("\"{start}…\" ({} bytes)", grouped(bytes)),
    }
}

/// A name as a list in a message shows it: as `quoted_name`, without the quotes.
pub fn shown(name: &str) -> String {
    match cut(name) {
        (start, None) => start,
        (start, Some(bytes)) => format!("{start}… ({} bytes)", grouped(bytes)),
    }
}

/// The start of `name` that a message shows, escaped, and its length in bytes if that is
/// not all of it.
fn cut(name: &str) -> (String, Option<usize>) {
    let mut start = String::new();
    for (i, c) in name.chars().enumerate() {
        if i == SHOWN_CHARS {
            return (start, Some(name.len()));
        }
        if unprintable(c) {
            let _ = write!(start, "\\u{{{:x}}}", u32::from(c));
        } else {
            start.push(c);
        }
    }
    (start, None)
}

/// `text` as one line of a message shows it: control and bidirectional characters escaped
/// as in `quoted_name`, and cut after `most` characters with how many more there were
/// ("… (999,940 more characters)"). The safety net under every problem line
/// (`error::ScenarioError`): a message that echoes a name raw must still be one line, of a
/// size a terminal shows.
pub fn printable(text: &str, most: usize) -> String {
    let mut out = String::with_capacity(text.len().min(most + 32));
    for (i, (at, c)) in text.char_indices().enumerate() {
        if i == most {
            let more = text[at..].chars().count();
            let _ = write!(out, "… ({} more characters)", grouped(more));
            break;
        }
        if unprintable(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// A count with thousands separated by commas: 1,048,576.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// The first control character (NUL, tab, newline, escape, ...) in a name, if any. Names
/// become plot titles, SVG text, file names and HTML; control characters made invalid SVG
/// and broke the report, and are never meant.
pub fn control_character(name: &str) -> Option<char> {
    name.chars().find(|&c| unprintable(c))
}

/// The first character of `text` a reader cannot see, named: "a byte-order mark (U+FEFF)".
/// Quoted raw, `"\u{feff}metric"` reads as `"metric"`, and a message that asks whether
/// "metric" is meant as `metric` names no difference at all.
pub fn invisible_character(text: &str) -> Option<String> {
    text.chars().find_map(|c| {
        let name = match c {
            '\u{feff}' => "a byte-order mark",
            '\u{200b}' => "a zero-width space",
            '\u{200c}' => "a zero-width non-joiner",
            '\u{200d}' => "a zero-width joiner",
            '\u{2060}' => "a word joiner",
            '\u{00ad}' => "a soft hyphen",
            c if unprintable(c) => "a control or direction character",
            _ => return None,
        };
        Some(format!("{name} (U+{:04X})", u32::from(c)))
    })
}

/// A control character, or a bidirectional formatting character: invisible, those make a
/// name display as another (a "Trojan Source" name in a report).
fn unprintable(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The names a message lists when none is close enough to suggest: all of them in a small
/// world, the first few and a count in a big one (a 200-state world made a line of 2,000
/// characters). Each is shown cut (`shown`), and the list stops early once it is a line's
/// worth (twelve names of 200 bytes made a line of 2.5 KB).
pub fn name_list(list: &[&str]) -> String {
    shown_list(list.iter().map(|name| shown(name)))
}

/// Items already shown (escaped and cut, e.g. `variant::words::metric_text`), listed as
/// [`name_list`] lists names: the first dozen, or fewer once they make a line's worth, then
/// a count of the rest.
pub fn shown_list(items: impl ExactSizeIterator<Item = String>) -> String {
    const SHOWN: usize = 12;
    const LINE: usize = 240;
    let count = items.len();
    let mut out = String::new();
    for (i, item) in items.enumerate() {
        if i == SHOWN || (i > 0 && out.chars().count() >= LINE) {
            let _ = write!(out, ", and {} more", count - i);
            break;
        }
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&item);
    }
    out
}

/// A name folded for the rule that two names may not differ only in case: lowercase, then
/// the letters whose lowercase is not yet their folded form (ß and ss, final ς and σ,
/// dotless ı and i, İ's i + U+0307 and i, the ligatures ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ and their letters,
/// and the Greek letters that have a second lowercase form: µ (micro sign) and μ, ϐ and β,
/// ϑ and θ, ϕ and φ, ϖ and π, ϰ and κ, ϱ and ρ, ϵ and ε, the iota subscript U+0345 and
/// U+1FBE and ι). Each pair uppercases alike, so a reader sees one name written twice.
/// `to_lowercase` alone let "STRASSE" and "straße" or "ΟΔΟΣ" and "οδοσ" be two states while
/// it refused "ΟΔΟΣ" and "οδος". Canonically equivalent spellings (é as one character or as
/// e + U+0301) are still two names: telling them apart needs Unicode's normalization
/// tables, which no crate here carries.
pub fn case_fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.to_lowercase().chars() {
        match c {
            'ß' => out.push_str("ss"),
            'ς' => out.push('σ'),
            'ı' => out.push('i'),
            'ſ' => out.push('s'),
            // İ lowercases to i + U+0307 (combining dot above): the dot goes.
            '\u{307}' if out.ends_with('i') => {}
            'ﬀ' => out.push_str("ff"),
            'ﬁ' => out.push_str("fi"),
            'ﬂ' => out.push_str("fl"),
            'ﬃ' => out.push_str("ffi"),
            'ﬄ' => out.push_str("ffl"),
            'ﬅ' | 'ﬆ' => out.push_str("st"),
            'µ' => out.push('μ'),
            'ϐ' => out.push('β'),
            'ϑ' => out.push('θ'),
            'ϕ' => out.push('φ'),
            'ϖ' => out.push('π'),
            'ϰ' => out.push('κ'),
            'ϱ' => out.push('ρ'),
            'ϵ' => out.push('ε'),
            '\u{345}' | '\u{1fbe}' => out.push('ι'),
            c => out.push(c),
        }
    }
    out
}

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo: within
/// a third of the word's length in edits (at least 2), or the same name in another case.
/// The first of equally close candidates wins.
///
/// The cost is bounded: each count of edits stops as soon as it exceeds the
/// limit, or the distance of the best candidate so far (a row of the count whose every
/// entry is past it can only grow). And a word is measured only if no more than a third
/// longer than the longest name a file may hold: a longer one cannot be a typo of a name,
/// and a 100,000-character reference against a name cost 10^10 steps. (The bound is in
/// characters: in bytes, a 201-byte typo of a legal 200-byte name got no suggestion.)
pub fn suggestion<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let longest = limits::MAX_NAME_LEN + limits::MAX_NAME_LEN / 3;
    let word: Vec<char> = word.chars().take(longest + 1).collect();
    if word.len() > longest {
        return None;
    }
    let folded = case_fold(&word.iter().collect::<String>());
    let mut bound = (word.len() / 3).max(2);
    let mut best = None;
    for candidate in candidates {
        if candidate.len() > limits::MAX_NAME_LEN {
            continue;
        }
        let distance = if case_fold(candidate) == folded {
            Some(0)
        } else {
            let candidate: Vec<char> = candidate.chars().collect();
            distance_within(&word, &candidate, bound)
        };
        if let Some(d) = distance {
            best = Some(candidate);
            if d == 0 {
                break;
            }
            // Only a closer one replaces it.
            bound = d - 1;
        }
    }
    best
}

/// The Levenshtein distance between `a` and `b` (in characters) if it is at most `bound`.
fn distance_within(a: &[char], b: &[char], bound: usize) -> Option<usize> {
    // The distance is at least the difference in length.
    if a.len().abs_diff(b.len()) > bound {
        return None;
    }
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, &ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        let mut least = row[0];
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != cb));
            diagonal = above;
            least = least.min(row[j + 1]);
        }
        // Every path to the end goes through this row, and no step lowers a count.
        if least > bound {
            return None;
        }
    }
    Some(row[b.len()]).filter(|&d| d <= bound)
}

/// A path a message names, escaped, and cut if absurdly long (a base named by 2 MB of
/// text was echoed twice, once inside the path it resolved to). Every command's messages
/// show paths through it.
pub(crate) fn path_shown(path: &std::path::Path) -> String {
    printable(&path.display().to_string(), 300)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Levenshtein distance by its definition, over the whole table of prefixes: the
    /// reference the bounded one-row count is checked against.
    fn edit_distance(a: &str, b: &str) -> usize {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        let mut d = vec![vec![0; b.len() + 1]; a.len() + 1];
        for i in 0..=a.len() {
            for j in 0..=b.len() {
                d[i][j] = match (i, j) {
                    (0, j) => j,
                    (i, 0) => i,
                    (i, j) => (d[i - 1][j] + 1)
                        .min(d[i][j - 1] + 1)
                        .min(d[i - 1][j - 1] + usize::from(a[i - 1] != b[j - 1])),
                };
            }
        }
        d[a.len()][b.len()]
    }

    /// Regression: references were echoed raw. A newline split a problem into two lines,
    /// the second without the file's name; an escape sequence reached the terminal; a 1 MB
    /// reference made a 1 MB line.
    #[test]
    fn a_name_in_a_message_is_escaped_and_cut() {
        assert_eq!(quoted_name("Pakistan"), "\"Pakistan\"");
        assert_eq!(quoted_name("Alp\nha"), "\"Alp\\u{a}ha\"");
        assert_eq!(
            quoted_name("A\u{1b}[31m\u{202e}"),
            "\"A\\u{1b}[31m\\u{202e}\""
        );
        let huge = "x".repeat(1 << 20);
        assert_eq!(
            quoted_name(&huge),
            format!("\"{}…\" (1,048,576 bytes)", "x".repeat(SHOWN_CHARS))
        );
        // Cut in characters, never inside one.
        let greek = "ω".repeat(100);
        assert_eq!(shown(&greek), format!("{}… (200 bytes)", "ω".repeat(60)));
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
    }

    /// Regression: a message echoing a name raw split a problem over two lines, sent an
    /// escape sequence to the terminal, or made a line of a million characters.
    #[test]
    fn a_message_line_is_escaped_and_cut() {
        assert_eq!(
            printable("event \"vi\nsit\": bad", 100),
            "event \"vi\\u{a}sit\": bad"
        );
        assert_eq!(
            printable("a\u{1b}[31m\u{2066}b", 100),
            "a\\u{1b}[31m\\u{2066}b"
        );
        assert_eq!(printable("short", 5), "short");
        let long = format!("{}{}", "ω".repeat(10), "x".repeat(1_000_000));
        assert_eq!(
            printable(&long, 10),
            format!("{}… (1,000,000 more characters)", "ω".repeat(10))
        );
    }

    /// Regression: `to_lowercase` alone let "STRASSE" and "straße" be two states, and
    /// refused "ΟΔΟΣ" beside "οδος" but not beside "οδοσ".
    #[test]
    fn names_are_folded_beyond_lowercase() {
        for (a, b) in [
            ("STRASSE", "straße"),
            ("ΟΔΟΣ", "οδος"),
            ("ΟΔΟΣ", "οδοσ"),
            ("Istanbul", "ıstanbul"),
            ("İstanbul", "istanbul"),
            ("ﬀ", "FF"),
            ("ﬁnal", "FINAL"),
            ("ﬆ", "st"),
            ("USA", "usa"),
        ] {
            assert_eq!(case_fold(a), case_fold(b), "{a} and {b}");
        }
        // Regression: Greek letters with a second lowercase form (and the micro sign) made
        // two names that uppercase alike.
        for (a, b) in [
            ("µ", "μ"),
            ("ϐ", "β"),
            ("ϑ", "θ"),
            ("ϕ", "φ"),
            ("ϖ", "π"),
            ("ϰ", "κ"),
            ("ϱ", "ρ"),
            ("ϵ", "ε"),
            ("\u{345}", "ι"),
            ("\u{1fbe}", "ι"),
            ("ΑΘΗΝΑ", "αϑηνα"),
            ("ΑΙ", "α\u{345}"),
        ] {
            assert_eq!(a.to_uppercase(), b.to_uppercase(), "{a} and {b} look alike");
            assert_eq!(case_fold(a), case_fold(b), "{a} and {b}");
        }
        // Not case: still two names (and a dot above after another letter stays).
        for (a, b) in [("é", "e\u{301}"), ("ab", "ba"), ("a\u{307}", "a")] {
            assert_ne!(case_fold(a), case_fold(b), "{a} and {b}");
        }
    }

    /// The bounded count agrees with the full one wherever it gives a distance, and gives
    /// none past its bound.
    #[test]
    fn a_bounded_distance_is_the_distance_or_nothing() {
        let words = [
            "", "a", "kitten", "sitting", "Pakistan", "Pakistn", "nastikaP", "ωmega",
        ];
        for a in words {
            for b in words {
                let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
                let full = edit_distance(a, b);
                for bound in 0..10 {
                    let want = Some(full).filter(|&d| d <= bound);
                    assert_eq!(distance_within(&ca, &cb, bound), want, "{a} {b} {bound}");
                }
            }
        }
    }

    /// The closest name within a third of the word's length, the first of equally close
    /// names, and one for a 201-byte typo of a 200-byte name (a cap in bytes gave none).
    #[test]
    fn the_suggestion_is_the_closest_name_within_a_third() {
        let names = ["Pakistan", "Russia", "USA", "Rusia"];
        for (word, want) in [
            ("Pakistn", Some("Pakistan")),
            ("usa", Some("USA")),
            ("Brazil", None),
            ("Russi", Some("Russia")),
            ("x", None),
            ("Pakistann", Some("Pakistan")),
            ("Rusian", Some("Rusia")),
        ] {
            assert_eq!(suggestion(word, names), want, "{word}");
        }
        assert_eq!(suggestion("Rusi", ["Rusa", "Rusia"]), Some("Rusa"));
        let name = "n".repeat(200);
        let typo = format!("{name}x");
        assert_eq!(suggestion(&typo, [name.as_str()]), Some(name.as_str()));
        assert_eq!(suggestion(&"n".repeat(270), [name.as_str()]), None);
        assert_eq!(suggestion(&"n".repeat(100_000), [name.as_str()]), None);
    }

    #[test]
    fn a_misspelt_name_gets_the_closest_one_and_a_strange_one_gets_none() {
        let names = ["Pakistan", "Russia", "USA"];
        assert_eq!(suggestion("Pakistn", names), Some("Pakistan"));
        assert_eq!(suggestion("usa", names), Some("USA"));
        assert_eq!(suggestion("Brazil", names), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    /// A candidate too much shorter or longer to be within the limit is not measured, and
    /// cannot be suggested; one of the same length but another case still is.
    #[test]
    fn a_candidate_of_a_far_length_is_never_suggested() {
        let long = "x".repeat(100_000);
        assert_eq!(suggestion(&long, ["x", "xx"]), None);
        assert_eq!(
            suggestion("Pakistan", ["Pak", "PAKISTAN"]),
            Some("PAKISTAN")
        );
        assert_eq!(
            suggestion("Pakistann", ["Pak", "Pakistan"]),
            Some("Pakistan")
        );
    }

    /// Regression: two names of about 100,000 characters, close in length, were compared
    /// character by character (10^10 steps) and the loader hung; names longer than a file
    /// may hold are neither suggested nor given suggestions.
    #[test]
    fn two_very_long_names_of_close_length_are_not_compared() {
        // The old code suggested b for a (distance 10,496, within a third of a's length),
        // after 20 s in a release build.
        let (a, b) = ("x".repeat(101_722), "x".repeat(91_226));
        assert_eq!(suggestion(&a, [b.as_str()]), None);
        assert_eq!(suggestion(&b, [a.as_str()]), None);
        assert_eq!(suggestion("xx", [b.as_str()]), None);
    }

    #[test]
    fn a_long_list_of_known_names_is_cut_with_a_count() {
        let names: Vec<String> = (0..30).map(|i| format!("S{i}")).collect();
        let list: Vec<&str> = names.iter().map(String::as_str).collect();
        assert_eq!(name_list(&list[..3]), "S0, S1, S2");
        assert!(name_list(&list).ends_with("S11, and 18 more"));
    }

    /// Regression: twelve known names of 200 bytes made a line of 2.5 KB.
    #[test]
    fn a_list_of_long_known_names_stops_at_a_line() {
        let names: Vec<String> = (0..12)
            .map(|i| format!("L{i:03}{}", "W".repeat(196)))
            .collect();
        let list: Vec<&str> = names.iter().map(String::as_str).collect();
        let line = name_list(&list);
        assert!(line.len() < 400, "{line}");
        assert!(line.starts_with("L000WWW"), "{line}");
        assert!(line.ends_with(" (200 bytes), and 8 more"), "{line}");
    }
}
