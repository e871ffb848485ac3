//! `simulate sensitivity FILE`: Sobol indices of every outcome and tracked metric for every
//! sampled parameter, from a Saltelli design run on the same trajectory seeds at every
//! design point. `--against A`: the indices of the paired effect FILE - A instead.

use std::path::Path;

use crate::analysis::factor_groups::Grouping;
use crate::analysis::sensitivity::{Kind, Sensitivity};
use crate::analysis::study::sensitivity::SensitivityStudy;
use crate::engine::Plan;
use crate::error::Error;
use crate::options::{check_trajectories, RunOptions};
use crate::output::{self, Exporter};
use crate::scenario;

/// Trajectories per design point unless `--trajectories` says otherwise: enough for a
/// smooth probability, few enough for N (k + 2) points.
pub const DEFAULT_TRAJECTORIES: u64 = 200;

pub fn sensitivity(
    path: &Path,
    samples: u64,
    against: Option<&Path>,
    grouping: Option<Grouping>,
    options: &RunOptions,
) -> Result<(), Error> {
    let against_stem = against.map(super::stem);
    let name = super::default_folder::sensitivity(&super::stem(path), against_stem.as_deref());
    let out = super::output_folder(options.out.as_deref(), &name);
    output::check_target(&out)?;
    let scenario = scenario::load(path)?;
    let reference = match against {
        Some(a) => Some((a, scenario::load(a)?)),
        None => None,
    };
    if let Some((_, a)) = &reference {
        super::same_file::warn_if_same(&scenario, a);
    }
    let against = reference.as_ref().map(|(p, s)| (*p, s));
    let study = SensitivityStudy::new(path, &scenario, against, grouping)?;
    let trajectories = options.trajectories.unwrap_or(DEFAULT_TRAJECTORIES);
    check_trajectories(trajectories)?;
    let seed = options.seed.unwrap_or(study.file_seed());
    let plan = Plan::new(trajectories, seed, options.threads);
    let threads = super::threads(&plan);
    let what = format!(
        "this sensitivity analysis ({samples} samples x ({} + 2) design points of {} on {})",
        study.units_named(),
        super::count(plan.len() as usize, "trajectory"),
        super::count(threads, "thread")
    );
    super::check_fits(
        &study.estimate(samples, &plan, threads),
        &what,
        "use fewer --samples or give fewer parameters as distributions",
    )?;

    let design = study.design(samples, seed);
    let total = plan.len() * design.rows_count() as u64;
    let outputs = super::with_progress_over(total, options, &study.label(), |control| {
        study.run(&design, &plan, control)
    })?;
    let result = study.analyse(&design, &outputs, samples, &plan);
    let exporters: [Box<dyn Exporter<Sensitivity>>; 2] = [
        Box::new(output::SensitivityCsv),
        Box::new(output::plots::TornadoPlots),
    ];
    output::export(&out, &result, &exporters)?;
    if options.verbose {
        print_table(&result)?;
        crate::say!("results in {}", crate::scenario::path_shown(&out))?;
    }
    Ok(())
}

fn print_table(s: &Sensitivity) -> Result<(), Error> {
    let what = match &s.against {
        Some(a) => format!(
            "effect of {} (B) against {} (A), paired",
            s.manifest.scenario, a.scenario
        ),
        None => s.manifest.scenario.clone(),
    };
    let (unit, column) = match s.grouping {
        Grouping::Each => ("factor", "parameter"),
        _ => ("group", "group"),
    };
    crate::say!(
        "{what}: {} design points ({} samples x {} + 2), {} trajectories each, seed {}",
        s.samples as usize * (s.factors.len() + 2),
        s.samples,
        super::count(s.factors.len(), unit),
        s.manifest.trajectories,
        s.manifest.seed
    )?;
    print_groups(s)?;
    let width = s.factors.iter().map(|f| f.len()).max().unwrap_or(9).max(9);
    for (kind, o) in s.targets() {
        let mean = match (kind, s.against.is_some()) {
            (Kind::Outcome, false) => "mean probability",
            (Kind::Outcome, true) => "mean effect P_B - P_A",
            (_, false) => "mean final value",
            (_, true) => "mean effect on the final value",
        };
        crate::say!(
            "  {} {}: {mean} {:.3}, variance across the design {:.5}",
            kind.as_str(),
            o.name,
            o.mean,
            o.variance
        )?;
        crate::say!(
            "    {:width$}  first-order (95%)        total (95%)            reliable",
            column
        )?;
        let mut notes = Notes::default();
        let mut any_wide = false;
        for x in &o.factors {
            let first = shown_interval(x.first_low, x.first_high);
            let total = shown_interval(x.total_low, x.total_high);
            any_wide |= first.is_none() || total.is_none();
            crate::say!(
                "    {:width$}  {:>6} {}  {:>6} {}  {}",
                x.factor,
                shown_index(x.first),
                first.unwrap_or_else(|| WIDE.into()),
                shown_index(x.total),
                total.unwrap_or_else(|| WIDE.into()),
                notes.reliable(&x.why(o)),
            )?;
        }
        notes.print()?;
        if any_wide {
            crate::say!("    {WIDE_MEANS}")?;
        }
    }
    crate::say!(
        "  {}",
        crate::analysis::interval::WHAT_INDEX_INTERVALS_COVER
    )?;
    Ok(())
}

/// How far an index or a bound of its interval is shown: an index is a share of a
/// variance, in [0, 1]; its estimate strays out of it by noise, but beyond -1 or 2 (a whole
/// range away) a number says only that the estimate failed. Bootstrap resamples of a few
/// `--samples` can leave a variance near 0, and bounds like -55415386039910.562 were shown.
const SHOWN: (f64, f64) = (-1.0, 2.0);

/// An interval past `SHOWN`, in the width of a shown one.
const WIDE: &str = "[     wide     ]";

/// The line under a table with a `wide` interval.
const WIDE_MEANS: &str = "wide: an interval reaching past -1 or 2, far outside the [0, 1] of an \
     index: it says nothing (its bounds are in sensitivity.csv); more --samples narrow it";

/// An index as the table shows it: three decimals, or past `SHOWN` only which side.
fn shown_index(x: f64) -> String {
    match x {
        x if x < SHOWN.0 => "< -1".into(),
        x if x > SHOWN.1 => "> 2".into(),
        x if x.is_nan() => "NaN".into(),
        x => format!("{x:.3}"),
    }
}

/// An interval as the table shows it, or `None` when a bound lies past `SHOWN` or is not a
/// number.
fn shown_interval(low: f64, high: f64) -> Option<String> {
    let inside = |x: f64| (SHOWN.0..=SHOWN.1).contains(&x);
    (inside(low) && inside(high)).then(|| format!("[{low:>6.3}, {high:>6.3}]"))
}

/// The reasons of a table's unreliable rows, each once and numbered: a row says `no (1, 2)`
/// and the reasons follow the table, so a reader finds them from the row (reasons printed
/// above the table, shared by every row, were missed by a new user).
#[derive(Default)]
struct Notes {
    reasons: Vec<String>,
}

impl Notes {
    /// The `reliable` column of a row with reasons `why`: `yes`, or `no` and their numbers.
    fn reliable(&mut self, why: &[&str]) -> String {
        if why.is_empty() {
            return "yes".into();
        }
        let marks: Vec<String> = why.iter().map(|w| self.number(w).to_string()).collect();
        format!("no ({})", marks.join(", "))
    }

    /// The number of `reason`, numbered on its first use.
    fn number(&mut self, reason: &str) -> usize {
        match self.reasons.iter().position(|r| r == reason) {
            Some(i) => i + 1,
            None => {
                self.reasons.push(reason.to_string());
                self.reasons.len()
            }
        }
    }

    /// The reasons, under the table.
    fn print(&self) -> Result<(), Error> {
        for (i, reason) in self.reasons.iter().enumerate() {
            crate::say!("    ({}) {reason}", i + 1)?;
        }
        Ok(())
    }
}

/// What each group holds (grouped analyses only): the indices are the group's, closed.
fn print_groups(s: &Sensitivity) -> Result<(), Error> {
    let targets = s.targets();
    let Some((_, first)) = targets.first() else {
        return Ok(());
    };
    if s.grouping == Grouping::Each {
        return Ok(());
    }
    crate::say!(
        "  groups (--groups {}; indices of a group are closed: its factors varied together):",
        s.grouping.as_str()
    )?;
    for x in &first.factors {
        crate::say!("    {}: {}", x.factor, members_shown(&x.distribution))?;
    }
    Ok(())
}

/// How many characters of a group's members one line shows: `--groups kind` over 210
/// ranges printed one line of 6,451.
const MEMBERS_SHOWN: usize = 160;

/// A group's members (`path distribution`, separated by `; `) as far as `MEMBERS_SHOWN`
/// allows, always the first, then how many more; the full list is in sensitivity.csv.
fn members_shown(members: &str) -> String {
    let all: Vec<&str> = members.split("; ").collect();
    let mut shown = all[0].to_string();
    let mut count = 1;
    while count < all.len() && shown.len() + 2 + all[count].len() <= MEMBERS_SHOWN {
        shown.push_str("; ");
        shown.push_str(all[count]);
        count += 1;
    }
    if count < all.len() {
        shown.push_str(&format!(
            "; … and {} more (all in sensitivity.csv)",
            all.len() - count
        ));
    }
    shown
}
