//! A value as a suggested change may write it: the analyst's own when the change would load
//! with it, else the nearest one that would, and the rule the value broke. A refusal that
//! suggests a change must suggest one that loads when pasted (hostile trial: a
//! `SetParam("event.visit.at", Uniform(20, 30))` in 12 steps was told to write
//! `SetTiming("visit", At(Uniform(20, 30)))`, itself refused). The bounds are the loader's
//! (`scenario::compile`), kept to the narrower side where the loader's depend on the rest
//! of the file: a stance within [-0.99, 0.99], which a world at rest can hold; a share within
//! what the recipient's other shares in its channel leave of 1 (hostile pass: a share of
//! 1.5 was told to write 1 beside another share of 0.5, and the sum 1.5 was refused).

use super::words::value_text;
use crate::format::Num;
use crate::model::{AFFINITY_LIMIT, WEIGHT_RANGE};
use crate::scenario::file::{Distribution, Value};

/// The kind of number a change sets.
#[derive(Debug, Clone, Copy)]
pub(super) enum Kind {
    Stance,
    Affinity,
    Weight,
    /// A tie's share, beside the recipient's other shares in its channel, whose lowest
    /// draws take `others` of 1 (the loader refuses a state whose lowest shares in a
    /// channel add up to more than 1).
    Share {
        others: f64,
    },
    /// An event's hazard per step.
    Hazard,
    /// An event's `at` in a file of this many steps.
    Step(i64),
    /// An event's `every` in a file of this many steps.
    Period(i64),
}

/// A value that is not one a change may write: why, and the nearest that is, if any.
pub(super) struct Nearest {
    pub rule: String,
    pub value: Option<String>,
}

impl Kind {
    /// The fixed values, the values a range may take, and whether a fixed value is whole.
    fn bounds(self) -> ((f64, f64), (f64, f64), bool) {
        let steps = |n: i64| (0.5, n.clamp(0, i64::from(u32::MAX)) as f64 + 0.5);
        match self {
            Kind::Stance => ((-0.99, 0.99), (-0.99, 0.99), false),
            Kind::Affinity => {
                let a = (-AFFINITY_LIMIT, AFFINITY_LIMIT);
                (a, a, false)
            }
            Kind::Weight => (WEIGHT_RANGE, WEIGHT_RANGE, false),
            Kind::Share { others } => ((0.0, room(others)), (0.0, 1.0), false),
            Kind::Hazard => ((0.0, 1.0), (0.0, 1.0), false),
            Kind::Step(n) => ((1.0, n as f64), steps(n), true),
            Kind::Period(n) => ((1.0, f64::from(u32::MAX)), steps(n), true),
        }
    }

    /// What the value must be, in words.
    fn rule(self) -> String {
        let ((lo, hi), (a, b), _) = self.bounds();
        let (lo, hi, a, b) = (Num(lo), Num(hi), Num(a), Num(b));
        match self {
            Kind::Step(_) => {
                format!("a whole step from {lo} to {hi} or a range over steps within [{a}, {b}]")
            }
            Kind::Period(_) => {
                format!("a whole number of steps, {lo} or more, or a range within [{a}, {b}]")
            }
            Kind::Share { .. } if hi.0 < 1.0 => format!(
                "a number in [{lo}, {hi}] or a range within [{a}, {b}] whose lowest value is \
                 at most {hi}"
            ),
            _ => format!("a number in [{lo}, {hi}] or a range within it"),
        }
    }

    /// The most a range's lowest value may be, where the loader bounds it apart from the
    /// range's ends: a share's lowest draw beside the others'.
    fn lowest_at_most(self) -> Option<f64> {
        match self {
            Kind::Share { others } => Some(room(others)),
            _ => None,
        }
    }
}

/// What the recipient's other shares in a channel, `others` of 1, leave to one more:
/// rounded to 12 decimals, well inside the loader's tolerance of 1e-9 on a row's total, so
/// that 1 − 0.55 is suggested as 0.45 and not 0.44999999999999996.
fn room(others: f64) -> f64 {
    ((1.0 - others).clamp(0.0, 1.0) * 1e12).round() / 1e12
}

/// `x` cut down to two significant digits (19.8 to 19, 99999.999 to 99000): a bound as a
/// suggestion writes it, which its printed digits must not round past.
fn two_digits_down(x: f64) -> f64 {
    if !(x.is_finite() && x > 0.0) {
        return x;
    }
    let unit = 10f64.powi(x.log10().floor() as i32 - 1);
    (x / unit).floor() * unit
}

/// The lowest value `value` can draw, a Normal and a Beta being cut at `floor`, the low end
/// of their number's range (`scenario::compile` draws them inside it).
pub(super) fn lowest(value: &Value, floor: f64) -> f64 {
    match *value {
        Value::Fixed(x) => x,
        Value::Sampled(Distribution::Uniform(l, _)) => l,
        Value::Sampled(Distribution::Triangular(l, ..) | Distribution::Guess(l, ..)) => l,
        Value::Sampled(Distribution::Normal(..) | Distribution::Beta(..)) => floor,
    }
}

/// `value` as a change of a number of `kind` writes it, if the change loads with it; else
/// the rule it breaks and the nearest value that keeps it.
pub(super) fn loadable(value: &Value, kind: Kind) -> Result<String, Nearest> {
    let ((lo, hi), (a, b), whole) = kind.bounds();
    let fixed_ok = |x: f64| x.is_finite() && (lo..=hi).contains(&x) && (!whole || x.fract() == 0.0);
    let within = |xs: &[f64]| xs.iter().all(|x| x.is_finite() && (a..=b).contains(x));
    // The loader refuses a Normal flat across its range: an sd past 10 times its width.
    let flattest = 10.0 * (b - a);
    let ok = match *value {
        Value::Fixed(x) => fixed_ok(x),
        Value::Sampled(Distribution::Uniform(l, h)) => within(&[l, h]) && l <= h,
        Value::Sampled(Distribution::Normal(m, sd)) => {
            within(&[m]) && sd.is_finite() && sd > 0.0 && sd <= flattest
        }
        Value::Sampled(Distribution::Beta(p, q)) => {
            within(&[0.0, 1.0]) && p.is_finite() && q.is_finite() && p > 0.0 && q > 0.0
        }
        Value::Sampled(Distribution::Triangular(l, m, h) | Distribution::Guess(l, m, h)) => {
            within(&[l, m, h]) && l <= m && m <= h && l < h
        }
    };
    let at_most = kind.lowest_at_most();
    if ok && at_most.is_none_or(|m| lowest(value, a) <= m) {
        return Ok(value_text(value));
    }
    // A Normal whose mean fits but whose sd is flat: the same Normal at the widest sd that
    // loads (hostile pass: `Normal(0.5, 100)` for a stance was suggested as it was, and
    // refused when pasted).
    if let Value::Sampled(Distribution::Normal(m, sd)) = *value {
        if within(&[m]) && sd.is_finite() && sd > flattest {
            return Err(Nearest {
                rule: format!(
                    "{}, a Normal's sd at most {} (10 times the range's width)",
                    kind.rule(),
                    Num(flattest)
                ),
                value: Some(format!(
                    "Normal({}, {})",
                    Num(m),
                    Num(two_digits_down(flattest))
                )),
            });
        }
    }
    // The nearest: the range's ends pulled inside, or one value when they meet.
    let nearest_fixed = |x: f64| {
        let x = if whole { x.round() } else { x };
        x.is_finite().then(|| Num(x.clamp(lo, hi)).to_string())
    };
    let (l, h) = match *value {
        Value::Fixed(x) => (x, x),
        Value::Sampled(Distribution::Uniform(l, h)) => (l, h),
        Value::Sampled(Distribution::Normal(m, _)) => (m, m),
        Value::Sampled(Distribution::Beta(..)) => (0.0, 1.0),
        Value::Sampled(Distribution::Triangular(l, _, h) | Distribution::Guess(l, _, h)) => (l, h),
    };
    let value_near = if l.is_finite() && h.is_finite() && l < h && l.max(a) < h.min(b) {
        let (l, h) = (l.max(a), h.min(b));
        let l = at_most.map_or(l, |m| l.min(m));
        Some(format!("Uniform({}, {})", Num(l), Num(h)))
    } else if l.is_finite() {
        nearest_fixed(l)
    } else {
        nearest_fixed(h)
    };
    Err(Nearest {
        rule: kind.rule(),
        value: value_near,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_that_loads_is_kept_and_one_that_does_not_is_pulled_inside() {
        let at = Kind::Step(12);
        assert_eq!(loadable(&Value::Fixed(4.0), at).ok(), Some("4".into()));
        let late = Value::Sampled(Distribution::Uniform(20.0, 30.0));
        let near = loadable(&late, at).err().unwrap();
        assert_eq!(near.value.as_deref(), Some("12"));
        assert!(near.rule.contains("from 1 to 12"), "{}", near.rule);
        let half = loadable(&Value::Fixed(3.5), at).err().unwrap();
        assert_eq!(half.value.as_deref(), Some("4"));
        let wide = Value::Sampled(Distribution::Uniform(-3.0, 30.0));
        let near = loadable(&wide, at).err().unwrap();
        assert_eq!(near.value.as_deref(), Some("Uniform(0.5, 12.5)"));
        let stance = loadable(&Value::Fixed(2.0), Kind::Stance).err().unwrap();
        assert_eq!(stance.value.as_deref(), Some("0.99"));
        let nan = loadable(&Value::Fixed(f64::NAN), Kind::Hazard)
            .err()
            .unwrap();
        assert_eq!(nan.value, None);
        let beta = Value::Sampled(Distribution::Beta(2.0, 2.0));
        assert!(loadable(&beta, Kind::Share { others: 0.0 }).is_ok());
        assert_eq!(
            loadable(&beta, at).err().unwrap().value.as_deref(),
            Some("Uniform(0.5, 1)")
        );
    }

    /// Regression (hostile pass): a share beside another of 0.5 in its channel was
    /// suggested as 1, and the pasted change was refused (the shares add up to 1.5).
    #[test]
    fn a_share_beside_another_of_0_5_was_suggested_as_1() {
        let share = Kind::Share { others: 0.5 };
        let near = loadable(&Value::Fixed(1.5), share).err().unwrap();
        assert_eq!(near.value.as_deref(), Some("0.5"));
        assert!(near.rule.contains("[0, 0.5]"), "{}", near.rule);
        // A range loads if its lowest draw fits beside the others.
        let fits = Value::Sampled(Distribution::Uniform(0.2, 0.9));
        assert!(loadable(&fits, share).is_ok());
        let high = Value::Sampled(Distribution::Uniform(0.6, 0.9));
        let near = loadable(&high, share).err().unwrap();
        assert_eq!(near.value.as_deref(), Some("Uniform(0.5, 0.9)"));
        assert!(
            near.rule.contains("lowest value is at most 0.5"),
            "{}",
            near.rule
        );
        assert!(loadable(&Value::Fixed(0.4), share).is_ok());
    }

    /// Regression (hostile pass): a Normal flat across its range (an sd past 10 times the
    /// range's width) was suggested as it was, though the loader refuses it.
    #[test]
    fn a_normal_with_an_sd_of_100_for_a_stance_was_suggested_as_it_was() {
        let flat = Value::Sampled(Distribution::Normal(0.5, 100.0));
        let near = loadable(&flat, Kind::Stance).err().unwrap();
        assert_eq!(near.value.as_deref(), Some("Normal(0.5, 19)"));
        assert!(near
            .rule
            .ends_with("a Normal's sd at most 19.8 (10 times the range's width)"));
        let at = Value::Sampled(Distribution::Normal(3.0, 1000.0));
        let near = loadable(&at, Kind::Step(12)).err().unwrap();
        assert_eq!(near.value.as_deref(), Some("Normal(3, 120)"));
        let fits = Value::Sampled(Distribution::Normal(3.0, 120.0));
        assert!(loadable(&fits, Kind::Step(12)).is_ok());
    }
}
