//! One swept parameter of `simulate sweep` (`--param NAME=LO:HI:STEPS`): its path, its
//! range and its grid of values, evenly spaced.

use crate::format::Num;
use crate::scenario::spelling::quoted_name;

/// One swept parameter: `NAME=LO:HI:STEPS`.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepParam {
    pub path: String,
    pub low: f64,
    pub high: f64,
    /// Grid points, evenly spaced from `low` to `high` inclusive.
    pub steps: usize,
}

impl SweepParam {
    /// The grid values, evenly spaced; exactly `low` and `high` at the ends.
    pub fn values(&self) -> Vec<f64> {
        if self.steps == 1 {
            return vec![self.low];
        }
        let last = (self.steps - 1) as f64;
        (0..self.steps)
            .map(|i| match i {
                0 => self.low,
                i if i + 1 == self.steps => self.high,
                // Rounded to 1e-12 so that 0.3:0.9:3 gives 0.6, not 0.6000000000000001.
                i => {
                    let x = self.low + (self.high - self.low) * (i as f64 / last);
                    (x * 1e12).round() / 1e12
                }
            })
            .collect()
    }
}

/// Most grid points of one swept parameter.
pub const MAX_SWEEP_STEPS: usize = 1_000;

/// Parses `NAME=LO:HI:STEPS`, checking the syntax and the numbers (not the name, which
/// needs the scenario): clap's value parser of `--param`, so a bad value is refused with
/// clap's usage error (exit 2), which shows the value escaped and cut (`cli::escaped`);
/// what is wrong with it is said here, the user's parts quoted.
pub fn parse_sweep_param(text: &str) -> Result<SweepParam, String> {
    let bad =
        |why: &str| format!("{why}; expected NAME=LO:HI:STEPS, e.g. --param lambda=0.3:0.9:4");
    let (path, range) = text.split_once('=').ok_or_else(|| bad("no `=`"))?;
    let path = path.trim();
    if path.is_empty() {
        return Err(bad("no parameter name before `=`"));
    }
    let parts: Vec<&str> = range.split(':').map(str::trim).collect();
    let [low, high, steps] = parts.as_slice() else {
        return Err(bad("the range needs three parts separated by `:`"));
    };
    let number = |s: &str| s.parse::<f64>().ok().filter(|x| x.is_finite());
    let low = number(low)
        .ok_or_else(|| bad(&format!("LO {} is not a finite number", quoted_name(low))))?;
    let high = number(high)
        .ok_or_else(|| bad(&format!("HI {} is not a finite number", quoted_name(high))))?;
    let steps: usize = steps
        .parse()
        .ok()
        .filter(|&n| (1..=MAX_SWEEP_STEPS).contains(&n))
        .ok_or_else(|| {
            bad(&format!(
                "STEPS must be a whole number from 1 to {MAX_SWEEP_STEPS}"
            ))
        })?;
    if low > high {
        return Err(bad("LO is above HI"));
    }
    // One point is LO; a HI above it would be read as a range and silently ignored.
    if steps == 1 && low != high {
        let low = Num(low);
        return Err(bad(&format!(
            "one grid point is a single value, so LO must equal HI ({low}:{low}:1); use \
             STEPS 2 or more for a range from LO to HI"
        )));
    }
    if steps > 1 && low == high {
        return Err(bad(
            "LO equals HI, so every grid point would be the same; use STEPS 1",
        ));
    }
    Ok(SweepParam {
        path: path.to_string(),
        low,
        high,
        steps,
    })
}
