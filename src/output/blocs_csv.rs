//! `blocs.csv`: the minima of a bloc landscape, global first.

use std::io;
use std::path::Path;

use super::Exporter;
use crate::analysis::blocs::Landscape;

pub struct BlocsCsv;

impl Exporter<Landscape> for BlocsCsv {
    fn write(&self, l: &Landscape, dir: &Path) -> io::Result<()> {
        let mut w = csv::Writer::from_path(dir.join("blocs.csv"))?;
        w.write_record([
            "rank",
            "minimum",
            "energy",
            "bloc_of_first_state",
            "other_bloc",
            "source",
        ])?;
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
        w.flush()
    }
}
