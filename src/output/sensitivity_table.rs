//! The table `simulate sensitivity` prints, as lines the command prints: the design, the
//! groups (grouped analyses), each outcome's and metric's indices with their intervals, and
//! the notes under each table (why a row is unreliable, what `wide` means).

use crate::analysis::factor_groups::Grouping;
use crate::analysis::sensitivity::{Kind, Sensitivity};
use crate::output::numbers::count;

/// The lines of the table, the first naming what was analysed and how.
pub fn lines(s: &Sensitivity) -> Vec<String> {
    let mut out = Vec::new();
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
    out.push(format!(
        "{what}: {} design points ({} samples x {} + 2), {} each, seed {}",
        s.samples as usize * (s.factors.len() + 2),
        s.samples,
        count(s.factors.len(), unit),
        count(s.manifest.trajectories as usize, "trajectory"),
        s.manifest.seed
    ));
    out.extend(groups(s));
    let width = s.factors.iter().map(|f| f.len()).max().unwrap_or(9).max(9);
    for (kind, o) in s.targets() {
        let mean = match (kind, s.against.is_some()) {
            (Kind::Outcome, false) => "mean probability",
            (Kind::Outcome, true) => "mean effect P_B - P_A",
            (_, false) => "mean final value",
            (_, true) => "mean effect on the final value",
        };
        out.push(format!(
            "  {} {}: {mean} {:.3}, variance across the design {}",
            kind.as_str(),
            o.name,
            o.mean,
            crate::analysis::sensitivity::shown_variance(o.variance)
        ));
        out.push(format!(
            "    {:width$}  first-order (95%)        total (95%)            reliable",
            column
        ));
        let mut notes = Notes::default();
        let mut any_wide = false;
        for x in &o.factors {
            let first = shown_interval(x.first_low, x.first_high);
            let total = shown_interval(x.total_low, x.total_high);
            any_wide |= first.is_none() || total.is_none();
            out.push(format!(
                "    {:width$}  {:>6} {}  {:>6} {}  {}",
                x.factor,
                shown_index(x.first),
                first.unwrap_or_else(|| WIDE.into()),
                shown_index(x.total),
                total.unwrap_or_else(|| WIDE.into()),
                notes.reliable(&x.why(o)),
            ));
        }
        out.extend(notes.lines());
        if any_wide {
            out.push(format!("    {WIDE_MEANS}"));
        }
    }
    out.push(format!(
        "  {}",
        crate::analysis::interval::what_index_intervals_cover(s.manifest.trajectories)
    ));
    out
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
    fn lines(&self) -> impl Iterator<Item = String> + '_ {
        (self.reasons.iter().enumerate()).map(|(i, reason)| format!("    ({}) {reason}", i + 1))
    }
}

/// What each group holds (grouped analyses only): the indices are the group's, closed.
fn groups(s: &Sensitivity) -> Vec<String> {
    let targets = s.targets();
    let Some((_, first)) = targets.first() else {
        return Vec::new();
    };
    if s.grouping == Grouping::Each {
        return Vec::new();
    }
    let mut out = Vec::new();
    out.push(format!(
        "  groups (--groups {}; indices of a group are closed: its factors varied together):",
        s.grouping.as_str()
    ));
    for x in &first.factors {
        out.push(format!(
            "    {}: {}",
            x.factor,
            members_shown(&x.distribution)
        ));
    }
    out
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
