//! `simulate blocs FILE`: Axelrod and Bennett's landscape of two-bloc configurations over
//! the file's initial affinities (or initial partnerships), solved exactly up to
//! `MAX_EXACT_STATES` states and by a heuristic search, labelled as such, above.

use std::path::Path;

use crate::analysis::landscape::{any_landscape, symmetric, MAX_REPORTED};
use crate::error::Error;
use crate::options::{BlocSource, BlocsOptions};
use crate::output::{self, write_atomically, Exporter};
use crate::scenario;

pub fn blocs(path: &Path, options: &BlocsOptions) -> Result<(), Error> {
    let name = super::default_folder::blocs(&super::stem(path));
    let out = super::output_folder(options.out.as_deref(), &name);
    output::check_target(&out)?;
    let scenario = scenario::load(path)?;
    let w = &scenario.world;
    let n = w.n();
    // At rest the file's `affinities` are departures from rest, not the affinities (those
    // are solved per draw): their landscape would be read as the world's, silently.
    if w.rest.is_some() && options.from == BlocSource::Affinity {
        return Err(Error::Refused(format!(
            "{}: the scenario is at_rest, so its `affinities` are departures from rest, not \
             the affinities (those are solved for each draw of the parameters); use \
             --from partnership for the landscape of the initial stances the rest holds",
            path.display()
        )));
    }
    let (matrix, source) = match options.from {
        BlocSource::Affinity => (&w.affinity, "affinity"),
        BlocSource::Partnership => (&w.stance, "partnership"),
    };
    let p = symmetric(matrix, n);
    let Some(mut result) = any_landscape(&p, &w.weight, &w.states, source) else {
        return Err(Error::Refused(format!(
            "{}: no states to split",
            path.display()
        )));
    };
    // A flat landscape (every propensity 0, e.g. a file with no affinities) makes every
    // configuration a local minimum: 524,288 rows and 63 MB of CSV at 20 states, 50 at 21.
    // The exact search lists the lowest `MAX_REPORTED` too; `found` still counts them all.
    result.minima.truncate(MAX_REPORTED);
    write_atomically(&out, |dir| output::BlocsCsv.write(&result, dir))?;
    if options.verbose {
        for line in output::blocs_table::lines(&w.name, &result) {
            crate::say!("{line}")?;
        }
        crate::say!("results in {}", crate::scenario::path_shown(&out))?;
    }
    Ok(())
}
