//! `blocs.csv`: the minima of a bloc landscape, global first.

use std::io;

use super::{csv_file, File, Files};
use crate::analysis::blocs::Landscape;

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
        ];
        csv_file("blocs.csv", &header, |w| {
            for (rank, c) in l.minima.iter().enumerate() {
                let kind = if c.global { "global" } else { "local" };
                w.serialize((
                    rank + 1,
                    kind,
                    c.energy,
                    c.with_first.join("; "),
                    c.other.join("; "),
                    &l.source,
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
            "rank,minimum,energy,bloc_of_first_state,other_bloc,source\n\
             1,global,-2.5,A; B,C,affinity\n"
        );
    }
}
