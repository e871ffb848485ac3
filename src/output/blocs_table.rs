//! The table `simulate blocs` prints: how the landscape was searched (every configuration,
//! or a heuristic search, said as such), then each local minimum listed, lowest first.

use crate::analysis::landscape::Landscape;

/// The lines of the table, which the command prints; `name` is the scenario's.
pub fn lines(name: &str, l: &Landscape) -> Vec<String> {
    let mut out = vec![heading(name, l)];
    out.push(format!("  {:>12}  minimum        blocs", "energy"));
    for c in &l.minima {
        let kind = if c.global { l.lowest_kind() } else { "local" };
        let kind = if l.exhaustive {
            format!("{kind:<12}")
        } else {
            format!("{kind:<12}") + &format!(" (reached from {} starts)", c.found_by)
        };
        let other = if c.other.is_empty() {
            "(nobody)".to_string()
        } else {
            c.other.join(", ")
        };
        out.push(format!(
            "  {:>12.4}  {kind} {{{}}} vs {{{other}}}",
            c.energy,
            c.with_first.join(", ")
        ));
    }
    out
}

/// The first line: what was searched and how many minima it found; a heuristic search
/// says that the lowest it found may not be the lowest there is.
fn heading(name: &str, l: &Landscape) -> String {
    let listed = if l.found > l.minima.len() {
        format!(", the lowest {} listed", l.minima.len())
    } else {
        String::new()
    };
    let minima = if l.found == 1 { "um" } else { "a" };
    if l.exhaustive {
        format!(
            "{name}: {} two-bloc configurations of the initial {} matrix; {} local minim{}{}",
            l.configurations, l.source, l.found, minima, listed,
        )
    } else {
        format!(
            "{name}: {} states, too many to score every configuration: heuristic, not \
             exhaustive. {} starts (the leading eigenvector's split, then seeded ones) ran \
             down to {} distinct local minim{} of the initial {} matrix{}; the lowest found \
             may not be the lowest there is.",
            l.states.len(),
            l.configurations,
            l.found,
            minima,
            l.source,
            listed,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::lines;
    use crate::output::examples;

    #[test]
    fn the_table_says_what_was_searched_then_lists_each_minimum() {
        let lines = lines("trio", &examples::landscape());
        assert_eq!(
            lines[0],
            "trio: 4 two-bloc configurations of the initial affinity matrix; 1 local minimum"
        );
        assert_eq!(lines[1], "        energy  minimum        blocs");
        assert_eq!(lines[2], "       -2.5000  global       {A, B} vs {C}");
        assert_eq!(lines.len(), 3);
    }
}
