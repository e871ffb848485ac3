//! Named groups of a file's ranges (`groups: { "us_pressure": ["event.us_aid_cut.*"] }`):
//! which drawn numbers a sensitivity analysis varies together, as one factor. A pattern is
//! a number's path (`scenario::number_path`) in which `*` stands for any run of characters,
//! dots included.

/// One group as the file names it: its name and its patterns, in the file's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedGroup {
    pub name: String,
    pub patterns: Vec<String>,
}

impl NamedGroup {
    /// Whether the number at `path` belongs to this group.
    pub fn holds(&self, path: &str) -> bool {
        self.patterns.iter().any(|p| matches(p, path))
    }
}

/// Whether `path` fits `pattern`, `*` matching any run of characters (none included).
pub fn matches(pattern: &str, path: &str) -> bool {
    let mut parts = pattern.split('*');
    // No `*`: the path itself.
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = path.strip_prefix(first) else {
        return false;
    };
    let middle: Vec<&str> = parts.collect();
    let Some((last, between)) = middle.split_last() else {
        return rest.is_empty();
    };
    // Each piece between stars at its earliest place leaves the most room for the rest.
    for piece in between {
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_star_stands_for_any_run_of_characters() {
        assert!(matches("event.visit.*", "event.visit.effect.2"));
        assert!(matches("event.visit.*", "event.visit.at"));
        assert!(!matches("event.visit.*", "event.visitor.at"));
        assert!(matches("stance.*.Russia", "stance.Pakistan.Russia"));
        assert!(!matches("stance.*.Russia", "stance.Russia.Pakistan"));
        assert!(matches("*", "eta"));
        assert!(matches("eta", "eta"));
        assert!(!matches("eta", "eta.A"));
        assert!(matches("*.hazard", "event.a.b.hazard"));
        assert!(matches("a*b*c", "abc"));
        assert!(!matches("a*b*c", "acb"));
    }
}
