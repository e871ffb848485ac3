//! An outcome's threshold outside its metric's range: `Above(Share(..), 1.5)` can never
//! hold, `Below(Stance(..), 2)` always does; and, the comparisons being strict, neither can
//! `Above` the highest value itself or `Below` the lowest (`Above(Stance(..), 1)`). Legal (a file may ask a question whose answer
//! it knows), so not refused, but never what an analyst meant: each such threshold is a
//! warning at its line and column (hostile trial: both loaded without a word). Whether the
//! outcome as a whole is then decided follows `Not`, `All` and `Any`.

use super::Compiler;
use crate::format::Num;
use crate::model::Condition;
use crate::scenario::file::ConditionDef;
use crate::scenario::spelling::quoted_name;

/// What a condition is whatever the world does: always true, never true, or undecided.
type Decided = Option<bool>;

/// A threshold outside its metric's range, as found in a condition.
struct OutOfRange {
    /// Where the threshold is written, if found.
    at: Option<crate::scenario::Position>,
    /// `Above` or `Below`.
    word: &'static str,
    /// The metric's kind as written (`Share`, `Stance`...).
    metric: String,
    x: f64,
    range: (f64, f64),
    /// Whether the comparison always holds (else it never does).
    holds: bool,
}

impl Compiler<'_> {
    /// Warns of each threshold of `outcome`'s condition (`def`, compiled as `compiled`;
    /// the outcome's item at `anchor`) that lies outside its metric's range.
    pub(super) fn thresholds(
        &mut self,
        outcome: &str,
        def: &ConditionDef,
        compiled: &Condition,
        anchor: Option<usize>,
    ) {
        let mut found = Vec::new();
        let mut cursor = anchor;
        let decided = self.decided(def, compiled, &mut cursor, &mut found);
        let whole = match decided {
            Some(true) => "the outcome always holds",
            Some(false) => "the outcome can never hold",
            None => "the rest of the outcome's condition decides it",
        };
        for OutOfRange {
            at,
            word,
            metric,
            x,
            range: (low, high),
            holds,
        } in found
        {
            let side = if x == high || x == low {
                "at"
            } else if x > high {
                "above"
            } else {
                "below"
            };
            let (bound, end) = if x >= high {
                (high, "highest")
            } else {
                (low, "lowest")
            };
            let strict = if side == "at" {
                format!(
                    " (a strict comparison: no {metric} is {} it)",
                    word.to_lowercase()
                )
            } else {
                String::new()
            };
            let never = if holds {
                "always holds"
            } else {
                "can never hold"
            };
            let a = if metric.starts_with(['A', 'E', 'I', 'O', 'U']) {
                "an"
            } else {
                "a"
            };
            let message = format!(
                "outcome {}: the threshold {} of {word}({metric}(…), …) is {side} the {end} value \
                 {a} {metric} can take, {}: this {word}{strict} {never}, so {whole}",
                quoted_name(outcome),
                Num(x),
                Num(bound),
            );
            self.warnings.push(super::Problem {
                position: at,
                message,
            });
        }
    }

    /// Whether `def` is decided, collecting its thresholds out of range; `cursor` is
    /// where the text of the next `Above` or `Below` is searched from.
    fn decided(
        &self,
        def: &ConditionDef,
        compiled: &Condition,
        cursor: &mut Option<usize>,
        found: &mut Vec<OutOfRange>,
    ) -> Decided {
        match (def, compiled) {
            (ConditionDef::Above(..) | ConditionDef::Below(..), c) => {
                let (metric, x, above) = match *c {
                    Condition::Above(m, x) => (m, x, true),
                    Condition::Below(m, x) => (m, x, false),
                    _ => return None,
                };
                let word = if above { "Above" } else { "Below" };
                let written = cursor.and_then(|from| {
                    [
                        self.loc.word_from(from, "Above"),
                        self.loc.word_from(from, "Below"),
                    ]
                    .into_iter()
                    .flatten()
                    .min()
                });
                if let Some(w) = written {
                    *cursor = Some(w + word.len());
                }
                let (low, high) = metric.range();
                // Strict: nothing is above the top itself, nor below the bottom.
                let at_end = if above { x == high } else { x == low };
                if !x.is_finite() || ((low..=high).contains(&x) && !at_end) {
                    return None;
                }
                // Above a threshold past the top never holds, past the bottom always.
                let holds = !at_end && (x < low) == above;
                let at = written.and_then(|w| self.threshold_at(w));
                found.push(OutOfRange {
                    at,
                    word,
                    metric: metric_word(def),
                    x,
                    range: (low, high),
                    holds,
                });
                Some(holds)
            }
            (ConditionDef::Not(d), Condition::Not(c)) => {
                self.decided(d, c, cursor, found).map(|b| !b)
            }
            (ConditionDef::All(ds), Condition::All(cs))
            | (ConditionDef::Any(ds), Condition::Any(cs)) => {
                let all = matches!(def, ConditionDef::All(..));
                let parts: Vec<Decided> = (ds.iter().zip(cs))
                    .map(|(d, c)| self.decided(d, c, cursor, found))
                    .collect();
                // All: one never-true part decides it; Any: one always-true part.
                if parts.contains(&Some(!all)) {
                    Some(!all)
                } else if parts.iter().all(|p| *p == Some(all)) {
                    Some(all)
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    /// Where the threshold of the `Above` or `Below` written at `word` is: after the comma
    /// that ends its metric, outside the metric's brackets.
    fn threshold_at(&self, word: usize) -> Option<crate::scenario::Position> {
        let code = self.loc.code().get(word..)?;
        let mut depth = 0;
        for (i, b) in code.bytes().enumerate() {
            match b {
                b'(' | b'[' => depth += 1,
                b')' | b']' => {
                    depth -= 1;
                    if depth == 0 {
                        return None;
                    }
                }
                b',' if depth == 1 => {
                    let rest = &code[i + 1..];
                    let skip = rest.len() - rest.trim_start().len();
                    return Some(self.loc.position(word + i + 1 + skip));
                }
                _ => {}
            }
        }
        None
    }
}

/// The metric's kind as written: `Share`, `Stance`, `Average`...
fn metric_word(def: &ConditionDef) -> String {
    match def {
        ConditionDef::Above(m, _) | ConditionDef::Below(m, _) => {
            let text = format!("{m:?}");
            text.split(['(', ' ', '{']).next().unwrap_or("").to_string()
        }
        _ => String::new(),
    }
}
