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
                // (`+ 0.0`: a point that rounds to 0 from below is 0, not -0.)
                i => {
                    let x = self.low + (self.high - self.low) * (i as f64 / last);
                    (x * 1e12).round() / 1e12 + 0.0
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
    // `+ 0.0` makes a typed -0 the 0 it is: it was written "-0.0000" in the table and "-0"
    // in sweep.csv.
    let number = |s: &str| {
        s.parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .map(|x| x + 0.0)
    };
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Defect (hostile pass 34): `--param background.exit_rate=-0:0.1:2` swept a point
    /// written "-0.0000" in the printed table and "-0" in `sweep.csv`; a point that rounds
    /// to 0 from below was -0 too.
    #[test]
    fn a_grid_point_typed_or_rounded_as_minus_0_is_0() {
        let p = parse_sweep_param("background.exit_rate=-0:0.1:2").unwrap();
        assert!(p.values().iter().all(|x| x.is_sign_positive()), "{p:?}");
        assert_eq!(Num(p.values()[0]).to_string(), "0");
        // -0.6 + 0.9 × 2/3 is -1.1e-16, which rounds to -0.
        let p = parse_sweep_param("stance.A.B=-0.6:0.3:4").unwrap();
        assert_eq!(p.values()[2], 0.0);
        assert!(p.values()[2].is_sign_positive(), "{:?}", p.values());
    }
}
