//! The numeric kernels of the step, written so that the compiler vectorises them and so that
//! every machine computes the same bits.
//!
//! No fused multiply-add anywhere (Rust never contracts `a * b + c` on its own), fixed
//! operation order, and `exp`/`tanh` from the pure-Rust `libm` crate rather than the
//! platform's math library (DESIGN §3).

/// `acc[j] += x * row[j]` for every j: one term of a sum over m, added to a whole row.
/// The loop has no dependency between iterations, so it compiles to SIMD multiplies and adds
/// with the same rounding as the scalar form.
#[inline(always)]
pub fn add_scaled(acc: &mut [f64], x: f64, row: &[f64]) {
    let len = acc.len().min(row.len());
    let (acc, row) = (&mut acc[..len], &row[..len]);
    for j in 0..len {
        acc[j] += x * row[j];
    }
}

/// `e^x` (libm: within 1 ulp, the same bits everywhere).
#[inline(always)]
pub fn exp(x: f64) -> f64 {
    libm::exp(x)
}

/// `tanh x` (libm).
#[inline(always)]
pub fn tanh(x: f64) -> f64 {
    libm::tanh(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_scaled_adds_one_term_to_every_entry() {
        let mut acc = vec![1.0, 2.0, 3.0];
        add_scaled(&mut acc, 2.0, &[0.5, -1.0, 0.25]);
        assert_eq!(acc, vec![2.0, 0.0, 3.5]);
    }
}
