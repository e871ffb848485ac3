//! Numbers as people read them, in messages and in files.
//!
//! Rust's `{}` prints an `f64` in full positional notation, so a mistyped `1e300` in a
//! scenario came back in an error message as a 301-digit number, and a tiny swept value as
//! `0.000…` with hundreds of zeros. `Num` keeps `{}` where it reads well and switches to
//! scientific notation (`1e300`, `2.5e-7`) outside it; both forms are the shortest that
//! read back as the same `f64`.

use std::fmt;

/// An `f64` shown in positional notation within [1e-4, 1e15) and scientific notation
/// outside it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Num(pub f64);

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let x = self.0;
        let magnitude = x.abs();
        if x == 0.0 || !x.is_finite() || (1e-4..1e15).contains(&magnitude) {
            write!(f, "{x}")
        } else {
            write!(f, "{x:e}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Num;

    /// Regression: `weight: 1e300` was echoed back in the error as a 301-digit number.
    #[test]
    fn huge_and_tiny_numbers_are_shown_in_scientific_form() {
        assert_eq!(Num(1e300).to_string(), "1e300");
        assert_eq!(Num(-2.5e-7).to_string(), "-2.5e-7");
        assert_eq!(Num(1e15).to_string(), "1e15");
        assert_eq!(
            Num(f64::MIN_POSITIVE).to_string(),
            "2.2250738585072014e-308"
        );
    }

    #[test]
    fn ordinary_numbers_keep_their_usual_form() {
        for (x, shown) in [
            (0.0, "0"),
            (-0.25, "-0.25"),
            (0.0001, "0.0001"),
            (10000.0, "10000"),
            (0.1 + 0.2, "0.30000000000000004"),
            (f64::INFINITY, "inf"),
            (f64::NAN, "NaN"),
        ] {
            assert_eq!(Num(x).to_string(), shown);
        }
    }

    #[test]
    fn every_form_reads_back_as_the_same_number() {
        for x in [1e300, 1.2345e-200, 0.1, 123456.789, 9.999e14, 1e15 + 2.0] {
            assert_eq!(Num(x).to_string().parse::<f64>().unwrap(), x);
        }
    }
}
