//! `blocs.csv`: the minima of a bloc landscape, global first (or, for a heuristic search
//! of a large world, the lowest found first; every row says which search it came from).

use std::io;

use super::{csv_file, File, Files};
use crate::analysis::landscape::Landscape;

pub struct BlocsCsv;

impl Files<Landscape> for BlocsCsv {
    fn files(&self, l: &Landscape) -> io::Result<Vec<File>> {
        let header = [
            "rank",
            "minimum",
            "energy",
            "bloc_of_first_state",
            "other_bloc",
            "source",
            "search",
            "starts_reaching_it",
        ];
        csv_file("blocs.csv", &header, |w| {
            for (rank, c) in l.minima.iter().enumerate() {
                let kind = if c.global { l.lowest_kind() } else { "local" };
                // An exact search has no starts: the column is left empty rather than 0.
                let starts = (!l.exhaustive).then_some(c.found_by);
                w.serialize((
                    rank + 1,
                    kind,
                    c.energy,
                    c.with_first.join("; "),
                    c.other.join("; "),
                    &l.source,
                    l.search(),
                    starts,
                ))?;
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::examples::{landscape, only_file};

    #[test]
    fn blocs_are_ranked_with_their_members() {
        let text = only_file(BlocsCsv.files(&landscape()).unwrap(), "blocs.csv");
        assert_eq!(
            text,
            "rank,minimum,energy,bloc_of_first_state,other_bloc,source,search,starts_reaching_it\n\
             1,global,-2.5,A; B,C,affinity,exact,\n"
        );
    }

    #[test]
    fn a_heuristic_search_says_so_on_every_row() {
        let mut l = landscape();
        l.exhaustive = false;
        l.minima[0].found_by = 7;
        let text = only_file(BlocsCsv.files(&l).unwrap(), "blocs.csv");
        assert!(
            text.ends_with("1,lowest found,-2.5,A; B,C,affinity,\"heuristic, not exhaustive\",7\n"),
            "{text}"
        );
    }
}
