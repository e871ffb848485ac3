//! Variant files: a scenario written as a base file and the changes that make it another
//! future (README, "Variants").
//!
//! ```ron
//! Variant(
//!     base: "baseline.ron",
//!     name: "putin_visit",
//!     changes: [SetTiming("putin_visit", At(2))],
//! )
//! ```
//!
//! The changes are applied to the parsed base `ScenarioFile` before it is compiled, so a
//! variant compiles exactly like the full file it stands for (same world, same random
//! streams, same bytes out). Every name in a change must be one of the base's; a change
//! that would leave the base as it is, is refused: it is a mistake (a value copied
//! unchanged, a name that was meant to be another), and a comparison against the base
//! would silently show no effect.
//!
//! Here: what a file is (`is_variant`), its changes applied and reported (`apply`), and the
//! base after the first changes (`changed`, for `placing`). In `variant/`: the file as
//! written (`written`), each change applied and checked (`applier`), against an index of
//! names (`index`) and what earlier changes wrote (`history`), said in the analyst's words
//! (`words`), and a compile problem placed at the change that brings it (`placing`).

mod applier;
mod history;
mod index;
mod loadable;
mod lost_hazard;
mod placing;
mod set_by;
mod words;
mod written;

use super::file::{ConditionDef, EffectDef, ScenarioFile};
use super::locate::Locator;
use super::problems::{Problem, Problems};
use applier::{Applier, Refusal};
use index::FixedNames;
pub use lost_hazard::explain as explain_lost_hazards;
pub use placing::place;
pub use words::metric_text;
pub use written::{ChangeDef, TimingDef, VariantFile};

/// How many files a chain may hold, the variant named on the command line and its base
/// included: a chain longer than this is a mistake (or a loop the paths hide), and each
/// file is read and compiled once.
pub const MAX_CHAIN: usize = 16;

/// Whether `text` is a variant: its first word, past comments and RON's attributes
/// (`#![enable(implicit_some)]`), is `Variant`. A full scenario starts with `Scenario(` or
/// just `(`. (An attribute before `Variant` made the file read as a scenario: "Expected
/// struct `Scenario` but found `Variant`".) Read with the loader's one lexer
/// (`locate::code_start`), which reads only the start of the text.
pub fn is_variant(text: &str) -> bool {
    super::locate::code_start(text).starts_with("Variant")
}

/// A change's refusal, at an offset of the variant's text, located only if it is listed: a
/// position counts the characters before it on its line, and 100,000 refused changes
/// written on one line took 3.6 s to count (a million, minutes).
fn refuse(problems: &mut Problems, loc: &Locator, (at, message): Refusal) {
    if problems.full() {
        problems.skip();
    } else {
        let position = at.map(|at| loc.position(at));
        problems.push(Problem { position, message });
    }
}

/// Applies `variant`'s changes to `file` (the parsed base); `text` is the variant's source,
/// where problems are located. Returns one line per change, in the analyst's words.
pub fn apply(
    file: &mut ScenarioFile,
    variant: &VariantFile,
    text: &str,
) -> Result<Vec<String>, Vec<Problem>> {
    let loc = Locator::new(text);
    let mut problems = Problems::default();
    let mut lines = Vec::new();
    if variant.name.trim().is_empty() || variant.name == file.name {
        problems.push(Problem {
            position: loc.top_field("name").map(|at| loc.position(at)),
            message: format!(
                "a variant needs a name of its own (its base is called \"{}\"): results and \
                 comparisons are labelled with it",
                file.name
            ),
        });
    }
    if variant.changes.is_empty() {
        problems.push(Problem {
            position: loc.top_field("changes").map(|at| loc.position(at)),
            message: "the variant lists no changes, so it is its base; list at least one \
                      change, or run the base"
                .into(),
        });
    }
    let fixed = FixedNames::of(file);
    let names = fixed.names();
    let mut at = Applier::new(&loc, &names, file);
    at.foresee(&variant.changes);
    let mut stopped = false;
    for (change, anchor) in variant.changes.iter().zip(anchors(&loc, &variant.changes)) {
        at.begin(change, anchor, !problems.full());
        match at.apply(change) {
            Ok(line) => lines.push(line),
            Err(refusal) => refuse(&mut problems, &loc, refusal),
        }
        // Past a limit the rest is not applied: each change would only grow a list that is
        // refused already (50,000 `AddOutcome` took over a minute), and a full file of as
        // many items is refused at once.
        if let Some(refusal) = at.beyond_limits() {
            refuse(&mut problems, &loc, refusal);
            stopped = true;
            break;
        }
    }
    if !stopped {
        for refusal in at.removed_still_named() {
            refuse(&mut problems, &loc, refusal);
        }
    }
    file.name = variant.name.clone();
    if let Some(description) = &variant.description {
        file.description = description.clone();
    }
    problems.into_result(lines)
}

/// The base with the first `count` changes of `variant` applied, and the variant's name
/// and description, or None if a change is refused: how the change that brings a problem
/// is found (`placing`). Nothing is located, and the check of removed events, which a
/// later change may settle, is `apply`'s.
fn changed(base: &ScenarioFile, variant: &VariantFile, count: usize) -> Option<ScenarioFile> {
    let loc = Locator::blind();
    let mut file = base.clone();
    let fixed = FixedNames::of(&file);
    let names = fixed.names();
    let mut at = Applier::new(&loc, &names, &mut file);
    for change in &variant.changes[..count] {
        at.begin(change, None, false);
        at.apply(change).ok()?;
        if at.beyond_limits().is_some() {
            return None;
        }
    }
    file.name = variant.name.clone();
    if let Some(description) = &variant.description {
        file.description = description.clone();
    }
    Some(file)
}

/// Where each change starts in the variant's text: its word, searched for from the end of
/// the one before.
fn anchors(loc: &Locator, changes: &[ChangeDef]) -> Vec<Option<usize>> {
    let mut cursor = loc.top_field("changes");
    changes
        .iter()
        .map(|change| {
            let anchor = cursor.and_then(|from| loc.word_from(from, change.keyword()));
            if let Some(at) = anchor {
                cursor = Some(at + change.keyword().len());
            }
            anchor
        })
        .collect()
}

/// Every event `condition` asks, anywhere inside it, whether it has fired (`After`).
fn after_names<'c>(condition: &'c ConditionDef, names: &mut Vec<&'c str>) {
    match condition {
        ConditionDef::After(e) => names.push(e),
        ConditionDef::All(cs) | ConditionDef::Any(cs) => {
            for c in cs {
                after_names(c, names);
            }
        }
        ConditionDef::Not(c) => after_names(c, names),
        ConditionDef::Above(..)
        | ConditionDef::Below(..)
        | ConditionDef::SameBloc(..)
        | ConditionDef::Between(..) => {}
    }
}

/// Pushes the event of every effect's parameter path that names one (`event.<name>.hazard`).
fn param_event_names<'c>(effects: Vec<&'c EffectDef>, names: &mut Vec<&'c str>) {
    for effect in effects {
        if let EffectDef::Param(path, _) = effect {
            if let Some(event) = path
                .strip_prefix("event.")
                .and_then(|r| r.split('.').next())
            {
                names.push(event);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::file::{Distribution, Value};
    use crate::scenario::limits::MAX_PROBLEMS;

    fn base() -> ScenarioFile {
        let text = "Scenario(name: \"b\", steps: 4, channels: [\"aid\"], \
                    states: [State(name: \"A\"), State(name: \"B\")], \
                    stances: [(\"A\", \"B\", 0.5)], \
                    events: [Event(name: \"e\", hazard: 0.1, effects: [Stance(\"A\", \"B\", Add(0.1))])])";
        ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
            .from_str(text)
            .unwrap()
    }

    fn variant(changes: &str) -> (VariantFile, String) {
        let text = format!("Variant(base: \"b.ron\", name: \"v\", changes: [{changes}])");
        let v = ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
            .from_str(&text)
            .unwrap();
        (v, text)
    }

    fn applied(changes: &str) -> Result<(ScenarioFile, Vec<String>), Vec<Problem>> {
        let (v, text) = variant(changes);
        let mut file = base();
        apply(&mut file, &v, &text).map(|lines| (file, lines))
    }

    #[test]
    fn a_variant_is_told_by_its_first_word_past_comments() {
        assert!(is_variant("// Scenario(\n/* x */ Variant(base: \"a\")"));
        assert!(!is_variant("// Variant(\nScenario(name: \"x\")"));
        assert!(!is_variant("(name: \"x\")"));
    }

    /// Regression: an attribute before `Variant` made the file read as a scenario
    /// ("Expected struct `Scenario` but found `Variant`").
    #[test]
    fn a_variant_is_told_past_attributes() {
        assert!(is_variant(
            "#![enable(implicit_some)]\nVariant(base: \"a\")"
        ));
        assert!(is_variant(
            "// x\n#![enable(implicit_some)] /* y */ #![enable(unwrap_newtypes)]\n Variant("
        ));
        assert!(!is_variant(
            "#![enable(implicit_some)]\nScenario(name: \"x\")"
        ));
        assert!(!is_variant("#![enable(implicit_some)\nVariant("));
        // Nested and unclosed comments.
        assert!(is_variant("/* a /* b */ Scenario( */ Variant(base: \"a\")"));
        assert!(!is_variant("/* a /* b */ Variant("));
    }

    /// Regression: a variant of 1,000 misspelt names printed 1,000 problems (and one of
    /// 20,000 measured each for a suggestion for over a minute). Now 50 and a count, as a
    /// scenario's problems are.
    #[test]
    fn a_variant_lists_at_most_fifty_problems_and_counts_the_rest() {
        let changes: Vec<String> = (0..60)
            .map(|i| format!("SetWeight(\"Q{i}\", 2.0), SetParam(\"eta.Q{i}\", 0.3)"))
            .collect();
        let problems = applied(&changes.join(", ")).unwrap_err();
        assert_eq!(problems.len(), MAX_PROBLEMS + 1);
        assert!(problems[0].message.contains("unknown state \"Q0\""));
        assert!(problems[1]
            .message
            .contains("unknown parameter path \"eta.Q0\""));
        assert!(problems[MAX_PROBLEMS - 1].position.is_some());
        assert_eq!(
            problems[MAX_PROBLEMS].message,
            "... and 70 more problems; fix the ones above first"
        );
        // Fifty exactly: no count.
        let changes: Vec<String> = (0..50)
            .map(|i| format!("SetWeight(\"Q{i}\", 2.0)"))
            .collect();
        assert_eq!(applied(&changes.join(", ")).unwrap_err().len(), 50);
    }

    #[test]
    fn changes_set_values_and_say_what_they_did() {
        let (file, lines) = applied(
            "SetStance(\"B\", \"A\", 0.2), SetParam(\"eta.B\", Uniform(0.1, 0.2)), \
             SetTiming(\"e\", Every(2))",
        )
        .unwrap();
        assert_eq!(file.name, "v");
        assert_eq!(file.stances[1], ("B".into(), "A".into(), 0.2.into()));
        let o = &file.params.overrides["B"];
        assert_eq!(o.eta, Some(Value::Sampled(Distribution::Uniform(0.1, 0.2))));
        assert_eq!(
            (file.events[0].every.clone(), file.events[0].hazard.clone()),
            (Some(2.into()), None)
        );
        assert_eq!(
            lines,
            [
                "stance of B toward A: 0 (unlisted) -> 0.2",
                "parameter eta.B: 0.1 -> Uniform(0.1, 0.2)",
                "event e: with a hazard of 0.1 per step -> every 2 steps",
            ]
        );
    }

    #[test]
    fn a_replaced_event_says_which_parts_changed() {
        let (_, lines) = applied(
            "ReplaceEvent(Event(name: \"e\", hazard: 0.1, repeat: true, effects: [Stance(\"A\", \"B\", Add(0.2))]))",
        )
        .unwrap();
        assert_eq!(lines, ["replaces event \"e\" (its repeat and effects)"]);
    }

    #[test]
    fn every_problem_is_reported_at_its_own_change() {
        let problems = applied(
            "SetStance(\"A\", \"B\", 0.5), SetWeight(\"Bee\", 2.0), SetParam(\"event.e.hazard\", 0.1)",
        )
        .unwrap_err();
        assert_eq!(problems.len(), 3, "{problems:?}");
        let columns: Vec<usize> = problems
            .iter()
            .map(|p| p.position.unwrap().column)
            .collect();
        let (_, text) = variant("");
        let start = text.find("changes: [").unwrap() + "changes: [".len() + 1;
        assert_eq!(columns[0], start);
        assert!(problems[0].message.contains("does nothing"));
        assert!(problems[1].message.contains("did you mean \"B\"?"));
        assert!(problems[2].message.contains("event.e.hazard is 0.1"));
        assert!(columns[0] < columns[1] && columns[1] < columns[2]);
    }
}
