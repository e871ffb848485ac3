//! A bare number where the file expects a named value (`Stance("Turkey", "USA", -0.1)`):
//! RON reads it as a misspelt name and advises "the raw identifier r#-0.1". What the analyst
//! left out is how the number applies, which depends on the call it sits in. The reverse
//! mistake, a metric where a condition's threshold (a number) goes, is answered here too.

use super::spelling::shown;

/// The effects whose last argument is a change (`Add`, `Set`, `Scale`).
const EFFECTS: [&str; 7] = [
    "Stance",
    "Mutual",
    "Affinity",
    "MutualAffinity",
    "Share",
    "TransientShare",
    "Param",
];

/// The message for the bare number `word` that RON met at `line`:`column` (1-based, in
/// characters) of `text`, or `None` if `word` is not a number.
pub fn message(word: &str, text: &str, line: usize, column: usize) -> Option<String> {
    word.parse::<f64>().ok()?;
    let x = shown(word);
    let call = enclosing_call(text, line, column);
    if call.is_some_and(|c| EFFECTS.contains(&c)) {
        return Some(format!(
            "a bare number ({x}) where a change is expected: write `Add({x})` (add it to \
             the number), `Set({x})` (set the number to it) or `Scale({x})` (multiply the \
             number by it)"
        ));
    }
    Some(format!(
        "a bare number ({x}) where a named value is expected: a condition, metric or \
         change is written by name, e.g. `Above(Partnership(\"A\", \"B\"), {x})` or `Add({x})`"
    ))
}

/// The metrics a condition reads (`MetricDef`'s variants).
const METRICS: [&str; 6] = [
    "Stance",
    "Partnership",
    "Share",
    "Dependence",
    "SameBloc",
    "Average",
];

/// The message for RON's "Expected float" at `line`:`column` of `text` when it is a
/// condition's threshold (`Above(metric, x)`, `Below(metric, x)`), or `None` elsewhere. A
/// second metric there (`Below(Partnership("A", "B"), Partnership("A", "C"))`) is the usual
/// case: the analyst wants one partnership against another, which no condition compares.
pub fn threshold_message(text: &str, line: usize, column: usize) -> Option<String> {
    let call = enclosing_call(text, line, column)?;
    if call != "Above" && call != "Below" {
        return None;
    }
    let example = format!("`{call}(Partnership(\"A\", \"B\"), 0.4)`");
    let word = word_at(text, line, column);
    if !METRICS.contains(&word) {
        return Some(format!(
            "a threshold must be a number: write e.g. {example}"
        ));
    }
    Some(format!(
        "a metric ({word}) where a threshold is expected: a threshold must be a number, e.g. \
         {example}; a condition cannot compare two metrics (there is no metric of a \
         difference): compare each with a number, e.g. `All([Above(Partnership(\"A\", \
         \"C\"), 0.3), Below(Partnership(\"A\", \"B\"), 0.3)])`, or ask two outcomes"
    ))
}

/// RON's "Expected integer" inside an `Average(metric, k)`, in words: the window is a whole
/// number of steps, never a range (a hostile trial's `Average(..., Uniform(2.0, 4.0))` got
/// RON's two words and nothing to do).
pub fn average_window_message(text: &str, line: usize, column: usize) -> Option<String> {
    if enclosing_call(text, line, column)? != "Average" {
        return None;
    }
    Some(
        "an Average's window is a whole number of steps, e.g. \
         `Average(Partnership(\"A\", \"B\"), 4)`; it cannot be a range (the window is part of \
         the question asked, not a guess): to see how an answer hangs on it, ask one outcome \
         for each window"
            .into(),
    )
}

/// The name (letters, digits, `_`) starting at `line`:`column` of `text`, or "".
fn word_at(text: &str, line: usize, column: usize) -> &str {
    let Some(start) = offset(text, line, column) else {
        return "";
    };
    let rest = &text[start..];
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    &rest[..end]
}

/// The name of the innermost call `Name(` still open at `line`:`column` of `text`, skipping
/// strings and comments.
fn enclosing_call(text: &str, line: usize, column: usize) -> Option<&str> {
    let end = offset(text, line, column)?;
    let bytes = text.as_bytes();
    let mut open: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < end {
        match bytes[i] {
            b'"' => i = after_string(bytes, i),
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = text[i..].find('\n').map_or(end, |n| i + n);
            }
            b'(' => {
                let name_start = text[..i]
                    .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .map_or(0, |p| p + 1);
                open.push(&text[name_start..i]);
            }
            b')' => {
                open.pop();
            }
            _ => {}
        }
        i += 1;
    }
    open.last().copied().filter(|name| !name.is_empty())
}

/// The index of the closing quote of the string opening at `start` (or the end).
fn after_string(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() && bytes[i] != b'"' {
        i += if bytes[i] == b'\\' { 2 } else { 1 };
    }
    i.min(bytes.len())
}

/// The byte offset of `line`:`column` (1-based, the column in characters).
fn offset(text: &str, line: usize, column: usize) -> Option<usize> {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line - 2)?.0 + 1
    };
    let within = text[line_start..]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(text.len() - line_start, |(at, _)| at);
    Some(line_start + within)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_in_an_effect_is_a_change_and_elsewhere_a_named_value() {
        let text = "events: [Event(effects: [Stance(\"a(\", \"b\", -0.1)])],\n\
                    outcomes: [Outcome(at_end: 0.3)] // Stance(";
        let effect = message("-0.1", text, 1, 45).unwrap();
        assert!(effect.contains("`Add(-0.1)`"), "{effect}");
        assert!(effect.contains("where a change is expected"), "{effect}");
        let outcome = message("0.3", text, 2, 28).unwrap();
        assert!(
            outcome.contains("where a named value is expected"),
            "{outcome}"
        );
        assert_eq!(message("Stanse", text, 1, 1), None);
    }

    #[test]
    fn a_metric_as_a_threshold_is_named_and_other_floats_are_left_to_ron() {
        let text = "at_end: Below(Partnership(\"A\", \"B\"), Partnership(\"A\", \"C\")),\n\
                    ever: Above(Stance(\"A\", \"B\"), \"x\"),\n\
                    stances: [(\"A\", \"B\", \"x\")],";
        let metric = threshold_message(text, 1, 38).unwrap();
        assert!(metric.contains("a metric (Partnership)"), "{metric}");
        assert!(
            metric.contains("`Below(Partnership(\"A\", \"B\"), 0.4)`"),
            "{metric}"
        );
        let other = threshold_message(text, 2, 31).unwrap();
        assert!(other.starts_with("a threshold must be a number"), "{other}");
        assert!(other.contains("`Above("), "{other}");
        assert_eq!(threshold_message(text, 3, 22), None);
    }
}
