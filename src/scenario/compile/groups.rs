//! The file's named groups of ranges (`groups`, `model::factor_groups`): each pattern must
//! name at least one number the file draws from a range, and no drawn number may belong to
//! two groups (a group's indices are its share of the variance: shares that overlap do not
//! add up).

use super::names::control_message;
use super::Compiler;
use crate::model::factor_groups::matches;
use crate::model::ParamSlot;
use crate::scenario::file::ScenarioFile;
use crate::scenario::limits;
use crate::scenario::locate::{quoted, Position};
use crate::scenario::spelling::{control_character, name_list, quoted_name, suggestion};

impl Compiler<'_> {
    /// Checks the file's groups against the drawn slots of the world being compiled.
    pub(super) fn check_groups(&mut self, f: &ScenarioFile, slots: &[ParamSlot]) {
        let drawn: Vec<&str> = slots
            .iter()
            .filter(|s| !s.sampler.is_fixed())
            .map(|s| s.path.as_str())
            .collect();
        let mut owner: Vec<Option<&str>> = vec![None; drawn.len()];
        for (name, patterns) in &f.groups {
            self.group_name(name);
            if patterns.is_empty() {
                let at = self.in_groups(name);
                self.problem(
                    at,
                    format!(
                        "group {}: names no range; list the paths of the numbers it holds, \
                         e.g. [\"event.<name>.*\"]",
                        quoted_name(name)
                    ),
                );
            }
            for pattern in patterns {
                self.group_pattern(name, pattern, &drawn, &mut owner);
            }
        }
        for name in f.groups.keys() {
            self.group_named_like_a_range(name, &drawn, &owner);
        }
    }

    /// A group is one row of the sensitivity table and of `sensitivity.csv`, labelled by its
    /// name; a range in no group is a row labelled by its path. A group named like a range's
    /// path it does not hold would make two rows of one label, read as one.
    fn group_named_like_a_range(&mut self, name: &str, drawn: &[&str], owner: &[Option<&str>]) {
        let Some(k) = drawn.iter().position(|path| *path == name) else {
            return;
        };
        if owner[k] == Some(name) {
            return;
        }
        let at = self.in_groups(name);
        self.problem(
            at,
            format!(
                "group {}: is named like the range {}, which it does not hold, so the \
                 sensitivity table and sensitivity.csv would show two rows of that name; \
                 call the group something else, e.g. {}",
                quoted_name(name),
                quoted_name(name),
                quoted_name(&format!("{name} group"))
            ),
        );
    }

    /// A group's name is shown in the table, the CSV and the charts: printable, of a bounded
    /// length, as a state's.
    fn group_name(&mut self, name: &str) {
        let why = if name.trim().is_empty() {
            "a group needs a non-empty name".to_string()
        } else if let Some(c) = control_character(name) {
            control_message("group", name, c)
        } else if name.len() > limits::MAX_NAME_LEN {
            format!("a group name is longer than {} bytes", limits::MAX_NAME_LEN)
        } else {
            return;
        };
        let at = self.in_groups(name).or_else(|| self.top_field("groups"));
        self.problem(at, why);
    }

    /// Checks one pattern of group `name` and marks the drawn numbers it takes.
    fn group_pattern<'d>(
        &mut self,
        name: &'d str,
        pattern: &str,
        drawn: &[&str],
        owner: &mut [Option<&'d str>],
    ) {
        if let Some(c) = control_character(pattern) {
            let at = self.pattern_at(name, pattern);
            let message = format!(
                "group {}: the pattern {} contains the control character U+{:04X}; a pattern \
                 is a path of the file's numbers, printable text (e.g. \"stance.*\")",
                quoted_name(name),
                quoted_name(pattern),
                u32::from(c)
            );
            self.problem(at, message);
            return;
        }
        let mut any = false;
        // The ranges the pattern names that another group holds: one line for them all, at
        // the pattern (`"*"` in a second group gave a line per range, all at one place).
        let mut clashes: Vec<(&str, &str)> = Vec::new();
        for (path, taken) in drawn.iter().zip(owner.iter_mut()) {
            if !matches(pattern, path) {
                continue;
            }
            any = true;
            match *taken {
                Some(other) if other != name => clashes.push((path, other)),
                _ => *taken = Some(name),
            }
        }
        if !clashes.is_empty() {
            let at = self.pattern_at(name, pattern);
            let why = "a range belongs to one group at most (their indices are shares of one \
                       variance)";
            let message = match clashes[..] {
                [(path, other)] => format!(
                    "group {}: {} is already in group {}; {why}",
                    quoted_name(name),
                    quoted_name(path),
                    quoted_name(other)
                ),
                _ => {
                    let mut others: Vec<String> = Vec::new();
                    for (_, other) in &clashes {
                        let other = quoted_name(other);
                        if !others.contains(&other) {
                            others.push(other);
                        }
                    }
                    let paths: Vec<&str> = clashes.iter().map(|(path, _)| *path).collect();
                    format!(
                        "group {}: {} names {} ranges already in {} {}: {}; {why}",
                        quoted_name(name),
                        quoted_name(pattern),
                        clashes.len(),
                        if others.len() == 1 { "group" } else { "groups" },
                        others.join(", "),
                        name_list(&paths)
                    )
                }
            };
            self.problem(at, message);
        }
        if !any {
            let hint = match suggestion(pattern, drawn.iter().copied()) {
                Some(s) => format!("; did you mean {}?", quoted_name(s)),
                None if drawn.is_empty() => {
                    "; the file draws no number from a range (write one as e.g. \
                     `Uniform(0.2, 0.4)`)"
                        .into()
                }
                None => format!(
                    "; its ranges are {}",
                    crate::scenario::spelling::name_list(drawn)
                ),
            };
            let at = self.pattern_at(name, pattern);
            self.problem(
                at,
                format!(
                    "group {}: {} names no number the file draws from a range{hint}",
                    quoted_name(name),
                    quoted_name(pattern)
                ),
            );
        }
    }

    /// Where `text` is first written as a string inside the top-level `groups`: as it is,
    /// or with escapes (a name or pattern holding a control character).
    fn in_groups(&self, text: &str) -> Option<Position> {
        let start = self.top_field_offset("groups")?;
        self.in_groups_from(start, text)
            .map(|at| self.loc.position(at))
    }

    /// The offset of the string `text` in `groups` at or after `start`.
    fn in_groups_from(&self, start: usize, text: &str) -> Option<usize> {
        (self.loc.find_from(start, &quoted(text))).or_else(|| self.loc.string_from(start, text))
    }

    /// Where `pattern` is written in group `group`'s list: the same pattern in two groups
    /// (`"*"` in both) was placed at the first group's.
    fn pattern_at(&self, group: &str, pattern: &str) -> Option<Position> {
        let start = self.top_field_offset("groups")?;
        let after_name = self
            .in_groups_from(start, group)
            .map(|at| at + quoted(group).len());
        let at = after_name.and_then(|from| self.in_groups_from(from, pattern));
        at.map(|at| self.loc.position(at))
            .or_else(|| self.in_groups(pattern))
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{compiled, position_of, problems, scenario};

    #[test]
    fn groups_naming_drawn_ranges_compile() {
        let text = scenario(
            "stances: [(\"A\", \"B\", Uniform(0.2, 0.4)), (\"B\", \"A\", Uniform(0.1, 0.3))],\n    \
             groups: { \"ties_ab\": [\"stance.*\"] },",
        );
        assert!(compiled(&text).is_ok());
    }

    #[test]
    fn a_pattern_naming_no_range_is_refused_at_its_place_with_a_suggestion() {
        let text = scenario(
            "stances: [(\"A\", \"B\", Uniform(0.2, 0.4))],\n    \
             groups: { \"g\": [\"stance.A.C\"] },",
        );
        let p = problems(&text);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].position, position_of(&text, "\"stance.A.C\""));
        assert!(
            p[0].message
                .contains("names no number the file draws from a range")
                && p[0].message.contains("did you mean \"stance.A.B\"?"),
            "{}",
            p[0].message
        );
    }

    #[test]
    fn a_range_in_two_groups_is_refused() {
        let text = scenario(
            "stances: [(\"A\", \"B\", Uniform(0.2, 0.4))],\n    \
             groups: { \"one\": [\"stance.*\"], \"two\": [\"stance.A.B\"] },",
        );
        let p = problems(&text);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].message.contains("already in group \"one\""),
            "{}",
            p[0].message
        );
        assert_eq!(p[0].position, position_of(&text, "\"stance.A.B\""));
    }

    #[test]
    fn a_group_name_with_a_control_character_is_refused() {
        let text = scenario(
            "stances: [(\"A\", \"B\", Uniform(0.2, 0.4))],\n    \
             groups: { \"g\\u{1b}[2J\": [\"stance.A.B\"] },",
        );
        let p = problems(&text);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].message.contains("control character U+001B"),
            "{}",
            p[0].message
        );
    }

    #[test]
    fn a_group_of_no_pattern_is_refused() {
        let text =
            scenario("stances: [(\"A\", \"B\", Uniform(0.2, 0.4))],\n    groups: { \"g\": [] },");
        let p = problems(&text);
        assert!(p[0].message.contains("names no range"), "{}", p[0].message);
    }
}
