//! The file as a whole (counts within limits, a name for everything, each name once) and
//! the lookups that turn names into indices.

use std::collections::{HashMap, HashSet};

use super::Compiler;
use crate::format::Num;
use crate::model::Target;
use crate::scenario::file::{ScenarioFile, Value};
use crate::scenario::limits;
use crate::scenario::locate::Position;
use crate::scenario::spelling::{case_fold, control_character, name_list, quoted_name, suggestion};

pub(super) fn control_message(what: &str, name: &str, c: char) -> String {
    format!(
        "the {what} name {} contains the control character U+{:04X}; names must be \
         printable text (letters, digits, spaces, punctuation)",
        quoted_name(name),
        u32::from(c)
    )
}

/// "a" or "an" before `word` ("a state", "an event").
fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// The names an unknown name is measured against: a kind's (`state`, `channel`, `event`),
/// or the suppliers of a share, the states and `Others`. Each has its own suggestions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Among {
    Names(&'static str),
    Suppliers,
}

impl Among {
    /// The kind an unknown name's message calls it: a supplier is an unknown state.
    fn what(self) -> &'static str {
        match self {
            Among::Names(what) => what,
            Among::Suppliers => "state",
        }
    }
}

/// The problem of a name that differs from an earlier one only in case (`case_fold`).
pub(super) fn case_message(what: &str, name: &str, first: &str) -> String {
    // "USA" and "usa" would be two states that every table, plot and report shows side
    // by side; far likelier a copy slip than a choice.
    format!(
        "{what} {} differs from {what} {} only in case; rename one (names are \
         case-sensitive, and the two would be hard to tell apart in tables and plots)",
        quoted_name(name),
        quoted_name(first)
    )
}

impl Compiler<'_> {
    /// Counts, names and limits of the file as a whole. False if a count is beyond its
    /// limit, in which case compiling goes no further.
    pub(super) fn sizes(&mut self, f: &ScenarioFile) -> bool {
        if f.name.trim().is_empty() {
            let at = self.top_field("name");
            self.problem(at, "the scenario needs a non-empty `name`".into());
        } else if let Some(c) = control_character(&f.name) {
            let at = self.top_field("name");
            self.problem(at, control_message("scenario", &f.name, c));
        }
        if f.steps < 1 || f.steps > limits::MAX_STEPS {
            let at = self.top_field("steps");
            self.problem(
                at,
                format!(
                    "`steps` must be between 1 and {}, got {}",
                    limits::MAX_STEPS,
                    f.steps
                ),
            );
        }
        if f.trajectories < 1 || f.trajectories as u64 > limits::MAX_TRAJECTORIES {
            let at = self.top_field("trajectories");
            self.problem(
                at,
                format!(
                    "`trajectories` must be between 1 and {}, got {}",
                    limits::MAX_TRAJECTORIES,
                    f.trajectories
                ),
            );
        }
        if f.seed < 0 {
            let at = self.top_field("seed");
            self.problem(at, format!("`seed` must be 0 or more, got {}", f.seed));
        }
        let mut within = true;
        if f.states.is_empty() || f.states.len() > limits::MAX_STATES {
            within = f.states.len() <= limits::MAX_STATES;
            let at = self.top_field("states");
            self.problem(
                at,
                format!(
                    "a scenario needs between 1 and {} states, got {}",
                    limits::MAX_STATES,
                    f.states.len()
                ),
            );
        }
        if f.channels.len() > limits::MAX_CHANNELS {
            within = false;
            let at = self.top_field("channels");
            let count = f.channels.len();
            self.problem(
                at,
                limits::too_many("channels", limits::MAX_CHANNELS, count),
            );
        }
        if f.events.len() > limits::MAX_EVENTS {
            within = false;
            let at = self.top_field("events");
            let count = f.events.len();
            self.problem(at, limits::too_many("events", limits::MAX_EVENTS, count));
        }
        for (field, count, limit) in [
            ("outcomes", f.outcomes.len(), limits::MAX_OUTCOMES),
            ("metrics", f.metrics.len(), limits::MAX_METRICS),
        ] {
            if count > limit {
                within = false;
                let at = self.top_field(field);
                self.problem(at, limits::too_many(field, limit, count));
            }
        }
        if !within {
            return false;
        }
        let names = [
            ("state", self.names.states.clone()),
            ("channel", self.names.channels.clone()),
            ("event", self.names.events.clone()),
        ];
        for (what, list) in names {
            let mut seen = HashSet::new();
            let mut folded: HashMap<String, &str> = HashMap::new();
            let count = list.len();
            for (index, name) in list.iter().copied().enumerate() {
                let at = || self.defined_at(what, index, name, count);
                if name.trim().is_empty() {
                    self.problem(
                        at(),
                        format!("{} {what} needs a non-empty name", article(what)),
                    );
                } else if let Some(c) = control_character(name) {
                    self.problem(at(), control_message(what, name, c));
                } else if name.len() > limits::MAX_NAME_LEN {
                    let at = at();
                    self.problem(
                        at,
                        format!(
                            "{} {what} name is longer than {} bytes",
                            article(what),
                            limits::MAX_NAME_LEN
                        ),
                    );
                } else if what == "state" && name == crate::model::OTHERS {
                    let at = at();
                    self.reserved_state_name(at);
                } else if !seen.insert(name) {
                    // Point at the repeated definition: the first one is fine.
                    let at = at();
                    let message = format!("{what} {} is defined twice", quoted_name(name));
                    self.problem(at, message);
                } else if let Some(first) = folded.insert(case_fold(name), name) {
                    let at = at();
                    self.problem(at, case_message(what, name, first));
                }
            }
        }
        within
    }

    pub(super) fn lookup(
        &mut self,
        what: &'static str,
        name: &str,
        list: &[&str],
    ) -> Option<usize> {
        self.lookup_among(Among::Names(what), name, list, None)
    }

    /// [`Self::lookup`] among `among`'s names, an unknown one placed at `at` if given (else
    /// at the name's first mention).
    pub(super) fn lookup_among(
        &mut self,
        among: Among,
        name: &str,
        list: &[&str],
        at: Option<Position>,
    ) -> Option<usize> {
        if let Some(i) = list.iter().position(|&s| s == name) {
            return Some(i);
        }
        // The same unknown name gives the same problem every time: reuse it rather than
        // search the text and measure every candidate again (a channel renamed in a
        // 200-state world is named by 40,000 ties, each searched from the start: 190 s).
        // Only among the same names: a supplier's "did you mean \"Others\"?" is no
        // suggestion for a stance.
        let what = among.what();
        if let Some(p) = self.unknown.get(&(among, name.to_string())) {
            let p = p.clone();
            self.problem(p.position, p.message);
            return None;
        }
        let explicit = at.is_some();
        let message = format!("unknown {what} {}", quoted_name(name));
        // Past the problems shown, one more is only counted (`Compiler::problem`): neither
        // searched for nor measured against every name (1,000 distinct misspelt names of 200
        // characters, in a world of 200 such states, took 17 s). Nor in a pass whose problems
        // are never read (`hints` off).
        if self.problems.full() || !self.hints {
            self.problem(None, message);
            return None;
        }
        let at = at.or_else(|| self.loc.name(name));
        let hint = match suggestion(name, list.iter().copied()) {
            Some(s) => format!(" — did you mean {}?", quoted_name(s)),
            None if list.is_empty() => format!(" (the file defines no {what}s)"),
            None => format!(" (known {what}s: {})", name_list(list)),
        };
        let message = format!("{message}{hint}");
        if among == Among::Suppliers && explicit {
            self.supplier_places.extend(at);
        }
        let problem = super::Problem {
            position: at,
            message,
        };
        let problem = self.one_line_here(among, name, problem);
        self.unknown
            .insert((among, name.to_string()), problem.clone());
        self.problem(problem.position, problem.message);
        None
    }

    /// The one line of an unknown name at its place. A misspelt state is placed at its
    /// first mention, which may be where it supplies a share: there the lookup as a state
    /// and the lookup as a supplier (which suggests `Others` too) would each give a line,
    /// the same place with two hints. The place's own role decides: the supplier's line
    /// where a supplier is written (`supplier_places`), else the state's. The loser's
    /// kept problem becomes the winner's, so a later mention repeats the one line.
    fn one_line_here(&mut self, among: Among, name: &str, mine: super::Problem) -> super::Problem {
        let other = match among {
            Among::Names("state") => Among::Suppliers,
            Among::Suppliers => Among::Names("state"),
            Among::Names(_) => return mine,
        };
        let Some(position) = mine.position else {
            return mine;
        };
        let theirs = match self.unknown.get(&(other, name.to_string())) {
            Some(theirs) if theirs.position == Some(position) => theirs.clone(),
            _ => return mine,
        };
        let supplier_here = self.supplier_places.contains(&position);
        if supplier_here == (among == Among::Suppliers) {
            // Mine wins: the line already listed is reworded, and kept as theirs too.
            if let Some(listed) = self.problems.iter_mut().find(|p| **p == theirs) {
                *listed = mine.clone();
            }
            self.unknown.insert((other, name.to_string()), mine.clone());
            mine
        } else {
            theirs
        }
    }

    pub(super) fn state(&mut self, name: &str) -> Option<usize> {
        if let Some(&i) = self.state_index.get(name) {
            return Some(i);
        }
        if name == crate::model::OTHERS {
            self.not_a_state(None, "a state");
            return None;
        }
        let list = self.names.states.clone();
        self.lookup("state", name, &list)
    }

    pub(super) fn channel(&mut self, name: &str) -> Option<usize> {
        if let Some(&i) = self.channel_index.get(name) {
            return Some(i);
        }
        let list = self.names.channels.clone();
        self.lookup("channel", name, &list)
    }

    pub(super) fn event_index(&mut self, name: &str) -> Option<usize> {
        let list = self.names.events.clone();
        self.lookup("event", name, &list)
    }

    /// Two distinct states, e.g. the ends of a stance; `what` names the relation ("an
    /// affinity") and `at` is where the pair is written (the state's first mention if unknown).
    pub(super) fn pair(
        &mut self,
        a: &str,
        b: &str,
        what: &str,
        at: Option<Position>,
    ) -> Option<(usize, usize)> {
        if a == crate::model::OTHERS || b == crate::model::OTHERS {
            self.not_a_state(at, what);
            return None;
        }
        let (i, j) = (self.state(a), self.state(b));
        let (i, j) = (i?, j?);
        if i == j {
            let at = at.or_else(|| self.loc.name(a));
            self.problem(
                at,
                format!("{what} of {} toward itself is not defined", quoted_name(a)),
            );
            return None;
        }
        Some((i, j))
    }

    /// The states' weights, each within its limits.
    pub(super) fn weights(&mut self, f: &ScenarioFile) -> Vec<f64> {
        let mut weights = Vec::with_capacity(f.states.len());
        for (i, s) in f.states.iter().enumerate() {
            let weight = match &s.weight {
                Value::Fixed(x) => *x,
                Value::Sampled(d) => {
                    let at = self.loc.name(&s.name);
                    let path = format!("weight.{}", s.name);
                    let range = (limits::MIN_WEIGHT, limits::MAX_WEIGHT);
                    weights.push(self.drawn(at, path, d, range, vec![Target::Weight(i)]));
                    continue;
                }
            };
            weights.push(weight);
            if !(limits::MIN_WEIGHT..=limits::MAX_WEIGHT).contains(&weight) {
                let at = self.loc.name(&s.name);
                self.problem(
                    at,
                    format!(
                        "state {}: weight must be a number from {} to {}, got {} \
                         (weights are relative: only their ratios matter)",
                        quoted_name(&s.name),
                        limits::MIN_WEIGHT,
                        limits::MAX_WEIGHT,
                        Num(weight)
                    ),
                );
            }
        }
        weights
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{compiler, problems, scenario};
    use super::*;
    use crate::scenario::locate::Locator;

    #[test]
    fn a_state_defined_twice_is_reported_once_at_its_name() {
        let text = scenario("").replace(
            "State(name: \"B\")",
            "State(name: \"B\"), State(name: \"B\")",
        );
        let found = problems(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].message, "state \"B\" is defined twice");
        // Regression: the message pointed at the first definition, not at the repeat.
        let second = text.rfind("State(name: \"B\")").unwrap() + "State(name: ".len();
        assert_eq!(
            found[0].position,
            Some(Locator::new(&text).position(second))
        );
    }

    #[test]
    fn a_channel_or_event_defined_twice_points_at_the_repeat() {
        let text = scenario("").replace("channels: [\"aid\"]", "channels: [\"aid\", \"aid\"]");
        let found = problems(&text);
        let second = text.rfind("\"aid\"").unwrap();
        assert_eq!(found[0].message, "channel \"aid\" is defined twice");
        assert_eq!(
            found[0].position,
            Some(Locator::new(&text).position(second))
        );

        let text = scenario(
            "events: [Event(name: \"e\", at: 1), Event(name: \"f\", at: 2, when: After(\"e\")), Event(name: \"e\", at: 3)],",
        );
        let found = problems(&text);
        let second = text.rfind("name: \"e\"").unwrap() + "name: ".len();
        assert_eq!(found[0].message, "event \"e\" is defined twice");
        assert_eq!(
            found[0].position,
            Some(Locator::new(&text).position(second))
        );
    }

    /// Regression: "USA" and "usa" were accepted as two states, shown side by side in
    /// every table and plot.
    #[test]
    fn names_that_differ_only_in_case_are_refused_at_the_second() {
        let text = scenario("").replace(
            "State(name: \"B\")",
            "State(name: \"B\"), State(name: \"b\")",
        );
        let found = problems(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0]
                .message
                .starts_with("state \"b\" differs from state \"B\" only in case"),
            "{found:?}"
        );
        let second = text.find("\"b\"").unwrap();
        assert_eq!(
            found[0].position,
            Some(Locator::new(&text).position(second))
        );
        let text = scenario("").replace("channels: [\"aid\"]", "channels: [\"aid\", \"AID\"]");
        assert!(problems(&text)[0].message.contains("only in case"));
    }

    /// Regression: a state's case clash was put at an event of the same name written
    /// earlier, and a channel's at the first tie that used it.
    #[test]
    fn a_case_clash_points_into_the_list_of_its_kind() {
        let text = "Scenario(\n    name: \"t\",\n    steps: 4,\n    \
                    events: [Event(name: \"b\", at: 1)],\n    \
                    ties: [Tie(from: \"A\", to: \"B\", channel: \"AID\", share: 0.1)],\n    \
                    channels: [\"aid\", \"AID\"],\n    \
                    states: [State(name: \"A\"), State(name: \"B\"), State(name: \"b\")],\n)";
        let found = problems(text);
        let at = |needle: &str| Some(Locator::new(text).position(text.rfind(needle).unwrap()));
        let state = found
            .iter()
            .find(|p| p.message.starts_with("state"))
            .unwrap();
        assert_eq!(state.position, at("\"b\""), "{found:?}");
        let channel = found
            .iter()
            .find(|p| p.message.starts_with("channel"))
            .unwrap();
        assert_eq!(channel.position, at("\"AID\"]"), "{found:?}");
    }

    #[test]
    fn control_and_bidirectional_characters_are_not_names() {
        assert_eq!(control_character("Pakistan"), None);
        assert_eq!(control_character("a\tb"), Some('\t'));
        assert_eq!(control_character("a\u{202e}b"), Some('\u{202e}'));
        let text = scenario("").replace("\"B\"", "\"B\\u{1b}\"");
        assert!(problems(&text)[0].message.contains("U+001B"));
    }

    #[test]
    fn an_unknown_state_gets_the_closest_name() {
        let found = problems(&scenario("stances: [(\"Bb\", \"A\", 0.1)],"));
        assert_eq!(
            found[0].message,
            "unknown state \"Bb\" — did you mean \"B\"?"
        );
    }

    #[test]
    fn a_weight_out_of_range_is_refused() {
        let text = scenario("").replace("State(name: \"A\")", "State(name: \"A\", weight: 0.0)");
        assert!(problems(&text)[0]
            .message
            .starts_with("state \"A\": weight"));
    }

    #[test]
    fn an_unknown_reference_is_one_line_of_reasonable_length() {
        let found = problems(&scenario("stances: [(\"B\\nb\", \"A\", 0.1)],"));
        assert_eq!(
            found[0].message,
            "unknown state \"B\\u{a}b\" — did you mean \"B\"?"
        );
        let long = "L".repeat(3000);
        let found = problems(&scenario(&format!("stances: [(\"{long}\", \"A\", 0.1)],")));
        assert!(found[0].message.len() < 200, "{}", found[0].message);
    }

    fn compiler_of_states<'a>(text: &'a str, states: &[&'a str]) -> Compiler<'a> {
        let mut c = compiler(text);
        c.names.states = states.to_vec();
        c
    }

    /// A pass whose problems are never read (`compile`'s first, blind one) measures no
    /// name: an unknown one gets neither a suggestion nor the list of names.
    #[test]
    fn without_hints_an_unknown_name_is_not_measured() {
        let mut c = compiler_of_states("", &["A", "B"]);
        c.hints = false;
        assert_eq!(c.state("Bb"), None);
        assert_eq!(c.problems[0].message, "unknown state \"Bb\"");
        assert!(c.unknown.is_empty());
    }

    /// Regression: 1,000 distinct unknown names of 200 characters were each measured against
    /// 200 states (17 s) though only the first 50 problems are shown.
    #[test]
    fn past_the_problems_shown_an_unknown_name_is_only_counted() {
        let text = "(\"Bb\")";
        let mut c = compiler_of_states(text, &["A", "B"]);
        for i in 0..crate::scenario::limits::MAX_PROBLEMS {
            c.problem(None, format!("problem {i}"));
        }
        assert_eq!(c.state("Bb"), None);
        assert_eq!(c.problems.more(), 1);
        assert!(c.unknown.is_empty(), "measured past the cap");
        // Before the cap it is measured, placed and kept for the next mention.
        let mut c = compiler_of_states(text, &["A", "B"]);
        assert_eq!(c.state("Bb"), None);
        assert_eq!(c.unknown.len(), 1);
        assert!(c.problems[0].message.ends_with("did you mean \"B\"?"));
        assert!(c.problems[0].position.is_some());
    }
}
