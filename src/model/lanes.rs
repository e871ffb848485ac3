//! The physics of a step (stances, then shares) for L trajectories at once.
//!
//! Every quantity is stored as one `[f64; L]` per entry: entry `e` of trajectory (lane) `l`
//! is `x[e][l]`. Every inner loop then runs over the L lanes of one entry, with no
//! dependency between them, so the compiler turns it into SIMD instructions however small
//! the world is (with six states a row has only six entries, too few to vectorise well).
//!
//! Each lane performs exactly the operations of the one-trajectory form, in the same order
//! (sums in ascending index, no fused multiply-add), so a trajectory gives the same bits
//! whether it runs alone (`L = 1`, as `model::step` does) or beside the other three of an
//! engine's block (`BLOCK`). The tests in `step.rs` hold this form to the textbook triple
//! loops.
//!
//! Events, conditions and metrics keep working on one `State` per trajectory: a block loads
//! a lane from its state when the trajectory starts or an event has changed it, advances
//! all lanes, and stores stances and shares back for the metrics to read
//! (`model::step::step_block`).

// Indices i, j, m, l are the equations' own; iterator chains would hide them.
#![allow(clippy::needless_range_loop)]

use super::{math, Metric, Randomness, State, World};

mod forces;
pub use forces::Terms;

/// Trajectories advanced together by the engine.
pub const BLOCK: usize = 4;

/// Work space for advancing L trajectories; allocated once, reused for every step.
#[derive(Debug, Clone)]
pub struct Lanes<const L: usize> {
    n: usize,
    k: usize,
    /// Each lane's weights `c[m]` (a file may draw them), and the divisor of its balance
    /// `sum_m c[m] - c[i] - c[j]` for every i and j, computed once per trajectory.
    weight: Vec<[f64; L]>,
    balance_scale: Vec<[f64; L]>,
    stance: Vec<[f64; L]>,
    affinity: Vec<[f64; L]>,
    share: Vec<[f64; L]>,
    anchor: Vec<[f64; L]>,
    noise: Vec<[f64; L]>,
    eta: Vec<[f64; L]>,
    sigma: Vec<[f64; L]>,
    gamma: Vec<[f64; L]>,
    lambda: Vec<[f64; L]>,
    beta: Vec<[f64; L]>,
    kappa: Vec<[f64; L]>,
    rho: Vec<[f64; L]>,
    dependency: Vec<[f64; L]>,
    hostility: Vec<[f64; L]>,
    /// `c[m] S[i][m]`, the left factor of the balance product (recomputed every step).
    weighted: Vec<[f64; L]>,
    /// `balance[i][j] = sum_m c[m] S[i][m] S[m][j]` for every i and j (`products`).
    balance: Vec<[f64; L]>,
    /// `leverage[i][j] = sum_m D[i][m] H[m][j]` for every i and j.
    leverage: Vec<[f64; L]>,
    next: Vec<[f64; L]>,
    partnership: Vec<[f64; L]>,
    growth: Vec<[f64; L]>,
    grown_row: Vec<[f64; L]>,
    /// `P0[i][j]`, each lane's initial partnership in a world at rest (0 otherwise): shares
    /// respond to `P − P0` (`model::rest`). Subtracting 0 changes no bit.
    rest_partnership: Vec<[f64; L]>,
    /// Whether the world is at rest: stance targets then carry `stance_residual`.
    at_rest: bool,
    /// Each lane's affinities as the file (or a draw) gives them, in a world at rest:
    /// departures from rest, left out when the residuals are measured (they are drift the
    /// analyst asked for, not rounding).
    departure: Vec<[f64; L]>,
    /// What rounding leaves between each lane's initial stance and its solved target,
    /// `S0 − tanh(X0)` (a few ulps; 0 unless at rest), set by `calibrate`. Added to the
    /// target, it makes the initial state an exact fixed point in floating point too, so
    /// that an unstable rest is not left through rounding alone.
    stance_residual: Vec<[f64; L]>,
    /// The same for shares, `W0 − W1` where W1 is the replicator's value at the initial
    /// state. Always added (it is +0 unless at rest, and adding +0 to a share changes no bit).
    share_residual: Vec<[f64; L]>,
    /// Each lane's kappa, repeated for every entry.
    kappa_flat: Vec<[f64; L]>,
    /// Whether this processor has AVX2 (checked once): the same code compiled for it does
    /// four lanes per instruction instead of two, with the same operations and bits.
    avx2: bool,
    /// In a world that names the rest of the world (`model::others`), the partnership-like
    /// number its growth factor follows: its attractiveness, or 0 at rest (where shares
    /// follow changes since the start, and it never changes). `None` without it.
    others: Option<f64>,
}

impl<const L: usize> Lanes<L> {
    pub fn new(world: &World) -> Self {
        let (n, k) = (world.n(), world.k());
        let z = |len: usize| vec![[0.0; L]; len];
        Lanes {
            n,
            k,
            weight: z(n),
            balance_scale: z(n * n),
            stance: z(n * n),
            affinity: z(n * n),
            share: z(k * n * n),
            anchor: z(k * n * n),
            noise: z(n * n),
            eta: z(n),
            sigma: z(n),
            gamma: z(n),
            lambda: z(n),
            beta: z(k * n),
            kappa: z(k),
            rho: z(k),
            dependency: z(n * n),
            hostility: z(n * n),
            weighted: z(n * n),
            balance: z(n * n),
            leverage: z(n * n),
            next: z(n * n),
            partnership: z(n * n),
            growth: z(n * n),
            grown_row: z(n),
            kappa_flat: z(n * n),
            rest_partnership: z(n * n),
            at_rest: world.rest.is_some(),
            departure: match world.rest {
                Some(_) => z(n * n),
                None => Vec::new(),
            },
            stance_residual: z(n * n),
            share_residual: z(k * n * n),
            avx2: has_avx2(),
            others: world.others.map(|o| match world.rest {
                Some(_) => 0.0,
                None => o.attractiveness,
            }),
        }
    }

    /// Loads what lane `l` keeps for the whole trajectory from its state at the start: the
    /// weights and, at rest, the initial partnership and the departures from rest.
    pub fn load_start(&mut self, l: usize, state: &State) {
        let c = &state.weight;
        // The divisors only when the lane's weights change (they do only where drawn; a new
        // kernel's are 0, below any valid weight).
        if self.weight.iter().zip(c).any(|(w, &c)| w[l] != c) {
            scatter(&mut self.weight, l, c);
            let total: f64 = c.iter().sum();
            let n = self.n;
            for (ij, scale) in self.balance_scale.iter_mut().enumerate() {
                scale[l] = total - c[ij / n] - c[ij % n];
            }
        }
        scatter(&mut self.rest_partnership, l, &state.rest_partnership);
        if self.at_rest {
            scatter(&mut self.departure, l, &state.departure);
        }
    }

    /// Loads lane `l` from one trajectory's state: everything the physics reads. Needed when
    /// the trajectory starts and after an event changed it; otherwise the lane already holds
    /// what `store` gave the state.
    pub fn load(&mut self, l: usize, state: &State) {
        let params = &state.params;
        scatter(&mut self.stance, l, &state.stance);
        scatter(&mut self.affinity, l, &state.affinity);
        scatter(&mut self.share, l, &state.share);
        scatter(&mut self.anchor, l, &state.anchor);
        scatter(&mut self.eta, l, &params.eta);
        scatter(&mut self.sigma, l, &params.sigma);
        scatter(&mut self.gamma, l, &params.gamma);
        scatter(&mut self.lambda, l, &params.lambda);
        scatter(&mut self.beta, l, &params.beta);
        scatter(&mut self.kappa, l, &params.kappa);
        scatter(&mut self.rho, l, &params.rho);
    }

    /// Loads one affinity of lane `l` from its state: what `load` would give that entry,
    /// without reloading the rest (the background changes one entry at a time).
    pub fn load_affinity(&mut self, l: usize, state: &State, ij: usize) {
        self.affinity[ij][l] = state.affinity[ij];
    }

    /// Loads the shares and anchors of row `row` (its first entry, `(k*n + i)*n`, and its
    /// length, the world's `n`) of lane `l` from its state, as `load` would. Inlined, so that
    /// a caller that knows `n` as a constant gets the loops unrolled.
    #[inline(always)]
    pub fn load_row(&mut self, l: usize, state: &State, (row, n): (usize, usize)) {
        debug_assert_eq!(n, self.n);
        scatter(&mut self.share[row..row + n], l, &state.share[row..row + n]);
        scatter(
            &mut self.anchor[row..row + n],
            l,
            &state.anchor[row..row + n],
        );
    }

    /// Draws lane `l`'s noise for this step: one normal per ordered pair (i, j), i != j, in
    /// that order.
    pub fn draw_noise(&mut self, l: usize, rng: &mut impl Randomness) {
        let n = self.n;
        for (i, row) in self.noise.chunks_exact_mut(n).enumerate() {
            for (j, entry) in row.iter_mut().enumerate() {
                entry[l] = if i == j { 0.0 } else { rng.standard_normal() };
            }
        }
    }

    /// Stores lane `l`'s new stances and shares back into its trajectory's state.
    pub fn store(&self, l: usize, state: &mut State) {
        gather(&self.stance, l, &mut state.stance);
        gather(&self.share, l, &mut state.share);
    }

    /// The value of `metric` in lane `l`, read straight from the kernel with the same
    /// arithmetic as `Metric::eval` on a state; `None` for bloc metrics and
    /// averages, which need a state.
    pub fn metric(&self, metric: &Metric, l: usize) -> Option<f64> {
        let n = self.n;
        Some(match *metric {
            Metric::Stance(i, j) => self.stance[i * n + j][l],
            Metric::Partnership(i, j) => {
                0.5 * (self.stance[i * n + j][l] + self.stance[j * n + i][l])
            }
            // `j == i`: the rest of the world (`model::others`).
            Metric::Share(i, j, k) => self.share[(k * n + i) * n + j][l],
            Metric::Dependence(i, k) => {
                let row = &self.share[(k * n + i) * n..][..n];
                // Without the rest of the world's slot, as `Metric::eval` sums it.
                row.iter()
                    .enumerate()
                    .filter(|&(j, _)| j != i)
                    .map(|(_, entry)| entry[l])
                    .sum()
            }
            Metric::SameBloc(..) | Metric::Average { .. } => return None,
        })
    }

    /// In a world at rest, measures each lane's rounding residuals at the state it holds,
    /// which must be its initial state (`model::step::start_block`): the step's own
    /// arithmetic, with no noise and nothing moved.
    pub fn calibrate(&mut self) {
        if !self.at_rest {
            return;
        }
        let n = self.n;
        // Stances: the targets at the affinities of rest (departures taken out; where there
        // is none, exactly the affinities the steps will use), against the stances.
        self.stance_residual.fill([0.0; L]);
        let affinity = self.affinity.clone();
        for (a, d) in self.affinity.iter_mut().zip(&self.departure) {
            if *d == [0.0; L] {
                continue;
            }
            for (x, &d) in a.iter_mut().zip(d) {
                if d != 0.0 {
                    *x -= d;
                }
            }
        }
        self.targets();
        self.affinity = affinity;
        for (ij, (r, (s, t))) in self
            .stance_residual
            .iter_mut()
            .zip(self.stance.iter().zip(&self.next))
            .enumerate()
        {
            if ij / n != ij % n {
                for l in 0..L {
                    r[l] = s[l] - t[l];
                }
            }
        }
        // Shares: one replicator update from the initial stances, then undone.
        self.share_residual.fill([0.0; L]);
        let initial = self.share.clone();
        self.update_shares();
        for ((r, w0), w1) in self
            .share_residual
            .iter_mut()
            .zip(&initial)
            .zip(&self.share)
        {
            for l in 0..L {
                r[l] = w0[l] - w1[l];
            }
        }
        self.share = initial;
    }

    /// The largest residual of any lane (tests: the affinities of rest must do the work,
    /// leaving rounding only).
    #[cfg(test)]
    pub fn largest_residual(&self) -> f64 {
        let all = self.stance_residual.iter().chain(&self.share_residual);
        all.flat_map(|x| x.iter()).fold(0.0, |m, r| m.max(r.abs()))
    }

    /// Phases 2 and 3 of the step for every lane.
    pub fn advance(&mut self) {
        #[cfg(target_arch = "x86_64")]
        if self.avx2 {
            // SAFETY: the processor has AVX2 (checked at construction).
            unsafe { self.advance_avx2() };
            return;
        }
        self.update_stances();
        self.update_shares();
    }

    /// The same two phases compiled for AVX2. Only AVX2 is enabled, not FMA, so every
    /// multiply and add rounds exactly as in the portable build.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn advance_avx2(&mut self) {
        self.stances_avx2();
        self.shares_avx2();
    }

    // Two functions rather than one, so that profiles tell the phases apart.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    #[inline(never)]
    unsafe fn stances_avx2(&mut self) {
        self.update_stances();
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    #[inline(never)]
    unsafe fn shares_avx2(&mut self) {
        self.update_shares();
    }

    /// Phase 2: every stance moves toward its target, synchronously, plus noise.
    #[inline(always)]
    fn update_stances(&mut self) {
        self.targets();
        if self.at_rest {
            for (t, r) in self.next.iter_mut().zip(&self.stance_residual) {
                for l in 0..L {
                    t[l] += r[l];
                }
            }
        }
        self.move_stances();
    }

    /// The stance targets `tanh(A + D − λL + γB)` into `next` (off the diagonal).
    #[inline(always)]
    fn targets(&mut self) {
        let n = self.n;
        let c = &self.weight;
        // D[i][j] = sum_k beta[k][i] W[k][i][j], channels in order.
        for d in self.dependency.iter_mut() {
            *d = [0.0; L];
        }
        for k in 0..self.k {
            for i in 0..n {
                let beta = self.beta[k * n + i];
                let row = &self.share[(k * n + i) * n..][..n];
                axpy(&mut self.dependency[i * n..][..n], beta, row, self.avx2);
            }
        }
        // The rest of the world's share sits on the diagonal (`model::others`): it is no
        // state's, so it pulls no stance and lends no leverage.
        if self.others.is_some() {
            for i in 0..n {
                self.dependency[i * n + i] = [0.0; L];
            }
        }
        for (h, s) in self.hostility.iter_mut().zip(&self.stance) {
            for l in 0..L {
                h[l] = (-s[l]).max(0.0);
            }
        }

        // balance[i][j] = sum_m c[m] S[i][m] S[m][j] and leverage[i][j] = sum_m D[i][m] H[m][j],
        // m ascending. The diagonal of S is 0, so the terms m = i and m = j vanish and both
        // sums may run over every m. `c[m] S[i][m]` is rounded once, before the product, as
        // the textbook's left-to-right `c[m] * S[i][m] * S[m][j]` rounds it.
        for i in 0..n {
            for m in 0..n {
                let (x, s) = (&mut self.weighted[i * n + m], self.stance[i * n + m]);
                let c = c[m];
                for l in 0..L {
                    x[l] = c[l] * s[l];
                }
            }
        }
        product(
            n,
            &self.weighted,
            &self.stance,
            &mut self.balance,
            self.avx2,
        );
        product(
            n,
            &self.dependency,
            &self.hostility,
            &mut self.leverage,
            self.avx2,
        );

        for i in 0..n {
            // The argument of tanh.
            let (gamma, lambda) = (self.gamma[i], self.lambda[i]);
            for j in 0..n {
                let ij = i * n + j;
                let scale = self.balance_scale[ij];
                let (a, d) = (self.affinity[ij], self.dependency[ij]);
                let (b, v) = (self.balance[ij], self.leverage[ij]);
                let next = &mut self.next[ij];
                for l in 0..L {
                    let balance = if n < 3 { 0.0 } else { b[l] / scale[l] };
                    next[l] = a[l] + d[l] - lambda[l] * v[l] + gamma[l] * balance;
                }
            }
        }
        // tanh over the off-diagonal entries: a few long loops without branches (the
        // diagonal is set to 0 below).
        for run in off_diagonal(n) {
            for x in self.next[run].as_flattened_mut() {
                *x = math::tanh(*x);
            }
        }
    }

    /// The move of every stance toward its target in `next`, plus noise.
    #[inline(always)]
    fn move_stances(&mut self) {
        let n = self.n;
        for i in 0..n {
            let (eta, sigma) = (self.eta[i], self.sigma[i]);
            for j in 0..n {
                let ij = i * n + j;
                let (s, e) = (self.stance[ij], self.noise[ij]);
                let next = &mut self.next[ij];
                if i == j {
                    *next = [0.0; L];
                    continue;
                }
                for l in 0..L {
                    next[l] = (s[l] + eta[l] * (next[l] - s[l]) + sigma[l] * e[l]).clamp(-1.0, 1.0);
                }
            }
        }
        std::mem::swap(&mut self.stance, &mut self.next);
    }

    /// Phase 3: supply shares follow partnership (replicator with self-reliance as the
    /// outside option; in a world at rest, its change since the start), held by their anchors. `exp(kappa * P)` is computed once for each
    /// run of channels with the same kappa in every lane, not once per channel.
    #[inline(always)]
    fn update_shares(&mut self) {
        let n = self.n;
        for i in 0..n {
            for j in 0..n {
                let (a, b) = (self.stance[i * n + j], self.stance[j * n + i]);
                let rest = self.rest_partnership[i * n + j];
                let p = &mut self.partnership[i * n + j];
                for l in 0..L {
                    p[l] = 0.5 * (a[l] + b[l]) - rest[l];
                }
            }
        }
        let mut growth_of: Option<[f64; L]> = None;
        for k in 0..self.k {
            let (kappa, rho) = (self.kappa[k], self.rho[k]);
            if growth_of != Some(kappa) {
                // One long flat loop over every entry and lane (kappa repeated along the
                // entries): the compiler vectorises it, as it does the tanh loop.
                for entry in self.kappa_flat.iter_mut() {
                    *entry = kappa;
                }
                // The diagonal is skipped: W[i][i] = 0, so its growth factor is never used.
                for run in off_diagonal(n) {
                    let growth = self.growth[run.clone()].as_flattened_mut().iter_mut();
                    let factors = self.partnership[run.clone()]
                        .as_flattened()
                        .iter()
                        .zip(self.kappa_flat[run].as_flattened());
                    for (g, (&p, &kappa)) in growth.zip(factors) {
                        *g = math::exp(kappa * p);
                    }
                }
                if let Some(pull) = self.others {
                    // The rest of the world's growth, on the diagonal the runs skip.
                    for i in 0..n {
                        let g = &mut self.growth[i * n + i];
                        for l in 0..L {
                            g[l] = math::exp(kappa[l] * pull);
                        }
                    }
                }
                growth_of = Some(kappa);
            }
            for i in 0..n {
                let row = (k * n + i) * n;
                let shares = &mut self.share[row..][..n];
                let anchors = &self.anchor[row..][..n];
                let residuals = &self.share_residual[row..][..n];
                let growth = &self.growth[i * n..][..n];
                let z = &mut self.grown_row[..n];
                // The residuals only in a world at rest: elsewhere they are all +0, and
                // adding them cost the small reference workload about 5%.
                if self.at_rest {
                    share_row::<L, true>(shares, (anchors, residuals), growth, z, rho, self.avx2);
                } else {
                    share_row::<L, false>(shares, (anchors, residuals), growth, z, rho, self.avx2);
                }
            }
        }
    }
}

/// The entries of an n x n matrix between its diagonal entries, as n - 1 contiguous runs
/// of n entries each (the diagonal sits at multiples of n + 1).
fn off_diagonal(n: usize) -> impl Iterator<Item = std::ops::Range<usize>> {
    (0..n.saturating_sub(1)).map(move |k| k * (n + 1) + 1..(k + 1) * (n + 1))
}

/// Entries of a lane-innermost array.
type Rows<'a, const L: usize> = &'a [[f64; L]];
type RowsMut<'a, const L: usize> = &'a mut [[f64; L]];

/// Rows of a tile of `out` computed together: each entry of a column block of the right
/// factor, once loaded, serves this many rows.
const TILE_ROWS: usize = 3;
/// Columns of a tile. With four lanes and AVX2, 3 x 3 sums, 3 entries of `b` and one of
/// `a` fill 13 of the 16 registers; 3 x 4 spilled sums to the stack, and 2 x 4, 4 x 2,
/// 5 x 2 and 6 x 2 measured no faster than 3 x 3 at N = 30, 60, 100, 200 (2 x 2 slower).
const TILE_COLUMNS: usize = 3;

/// `out[i][j] = sum_m a[i][m] b[m][j]` for n x n matrices, in every lane, m ascending from
/// 0.0 (each product rounded, then added: no fused multiply-add), so every entry has the
/// bits of the textbook triple loop.
///
/// The loops are blocked so that large worlds stay in cache: for each block of
/// `TILE_COLUMNS` columns of `b` (at N = 200 a block is 19 KB, held in L1), every tile of
/// `TILE_ROWS` rows of `a` keeps its `TILE_ROWS x TILE_COLUMNS` sums in registers over the
/// whole run of m, streaming its rows of `a` in order. Unblocked, each row of `out` streamed
/// all of `b` (320 KB at N = 100) through the cache, n times per step. Blocking changes only
/// which sums are in flight together, never the order of the terms within a sum.
#[inline(always)]
fn product<const L: usize>(
    n: usize,
    a: Rows<'_, L>,
    b: Rows<'_, L>,
    out: RowsMut<'_, L>,
    avx2: bool,
) {
    assert!(a.len() >= n * n && b.len() >= n * n && out.len() >= n * n);
    #[cfg(target_arch = "x86_64")]
    if L == 4 && avx2 {
        let (out4, _) = out.as_flattened_mut().as_chunks_mut::<4>();
        let (a, b) = (four(a), four(b));
        // SAFETY: `avx2` is only true on a processor with AVX2 (see `has_avx2`); the sizes
        // were checked above.
        unsafe { product4_avx2::<TILE_ROWS, TILE_COLUMNS>(n, a, b, out4) };
        return;
    }
    let _ = avx2;
    tiles::<L, TILE_ROWS, TILE_COLUMNS>(n, a, b, out);
}

/// Every tile of `product`: full R x J tiles, then the last rows and columns one at a time.
#[inline(always)]
fn tiles<const L: usize, const R: usize, const J: usize>(
    n: usize,
    a: Rows<'_, L>,
    b: Rows<'_, L>,
    out: RowsMut<'_, L>,
) {
    let (rows, columns) = (n - n % R, n - n % J);
    for j0 in (0..columns).step_by(J) {
        for i0 in (0..rows).step_by(R) {
            tile::<L, R, J>(n, i0, j0, a, b, out);
        }
        for i0 in rows..n {
            tile::<L, 1, J>(n, i0, j0, a, b, out);
        }
    }
    for j0 in columns..n {
        for i0 in (0..rows).step_by(R) {
            tile::<L, R, 1>(n, i0, j0, a, b, out);
        }
        for i0 in rows..n {
            tile::<L, 1, 1>(n, i0, j0, a, b, out);
        }
    }
}

/// One tile of `product`: rows `i0..i0 + R`, columns `j0..j0 + J`.
#[inline(always)]
fn tile<const L: usize, const R: usize, const J: usize>(
    n: usize,
    i0: usize,
    j0: usize,
    a: Rows<'_, L>,
    b: Rows<'_, L>,
    out: RowsMut<'_, L>,
) {
    let mut sum = [[[0.0; L]; J]; R];
    for m in 0..n {
        let column: &[[f64; L]; J] = b[m * n + j0..][..J].try_into().unwrap();
        for r in 0..R {
            let x = a[(i0 + r) * n + m];
            for jj in 0..J {
                for l in 0..L {
                    sum[r][jj][l] += x[l] * column[jj][l];
                }
            }
        }
    }
    for r in 0..R {
        out[(i0 + r) * n + j0..][..J].copy_from_slice(&sum[r]);
    }
}

/// `product` for four lanes with AVX2: one register per entry, the same tiles and order.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[inline]
unsafe fn product4_avx2<const R: usize, const J: usize>(
    n: usize,
    a: Rows<'_, 4>,
    b: Rows<'_, 4>,
    out: RowsMut<'_, 4>,
) {
    let (rows, columns) = (n - n % R, n - n % J);
    // SAFETY (every call): AVX2 is enabled here, and i0 + R <= n, j0 + J <= n with all
    // three matrices of n x n entries (checked by `product`).
    unsafe {
        for j0 in (0..columns).step_by(J) {
            for i0 in (0..rows).step_by(R) {
                tile4_avx2::<R, J>(n, i0, j0, a, b, out);
            }
            for i0 in rows..n {
                tile4_avx2::<1, J>(n, i0, j0, a, b, out);
            }
        }
        for j0 in columns..n {
            for i0 in (0..rows).step_by(R) {
                tile4_avx2::<R, 1>(n, i0, j0, a, b, out);
            }
            for i0 in rows..n {
                tile4_avx2::<1, 1>(n, i0, j0, a, b, out);
            }
        }
    }
}

/// `tile` for four lanes with AVX2. Raw pointers: the bounds were checked once by `product`,
/// and a check per term cost as much as the arithmetic.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[inline]
unsafe fn tile4_avx2<const R: usize, const J: usize>(
    n: usize,
    i0: usize,
    j0: usize,
    a: Rows<'_, 4>,
    b: Rows<'_, 4>,
    out: RowsMut<'_, 4>,
) {
    use std::arch::x86_64::*;
    // SAFETY: the caller guarantees i0 + R <= n, j0 + J <= n and n x n entries in each
    // matrix, so every pointer below is to four f64 inside its array; unaligned accesses.
    unsafe {
        let (a, b) = (a.as_ptr().cast::<f64>(), b.as_ptr().cast::<f64>());
        let mut sum = [[_mm256_setzero_pd(); J]; R];
        for m in 0..n {
            let column = b.add(4 * (m * n + j0));
            for r in 0..R {
                let x = _mm256_loadu_pd(a.add(4 * ((i0 + r) * n + m)));
                for jj in 0..J {
                    let y = _mm256_loadu_pd(column.add(4 * jj));
                    sum[r][jj] = _mm256_add_pd(sum[r][jj], _mm256_mul_pd(x, y));
                }
            }
        }
        let out = out.as_mut_ptr().cast::<f64>();
        for r in 0..R {
            for jj in 0..J {
                _mm256_storeu_pd(out.add(4 * ((i0 + r) * n + j0 + jj)), sum[r][jj]);
            }
        }
    }
}

/// One row of the replicator update: `z_j = W_j g_j`, then
/// `W_j <- (1 - rho) z_j / ((1 - sum W)^+ + sum z) + rho Wbar_j + residual_j` (at most 1),
/// in every lane; the residual only if `AT_REST`, and only to a share above 0.
#[inline(always)]
fn share_row<const L: usize, const AT_REST: bool>(
    shares: &mut [[f64; L]],
    (anchors, residuals): (Rows<'_, L>, Rows<'_, L>),
    growth: &[[f64; L]],
    z: &mut [[f64; L]],
    rho: [f64; L],
    avx2: bool,
) {
    #[cfg(target_arch = "x86_64")]
    if L == 4 && avx2 {
        let (s4, _) = shares.as_flattened_mut().as_chunks_mut::<4>();
        let (z4, _) = z.as_flattened_mut().as_chunks_mut::<4>();
        let rho = [rho[0], rho[1], rho[2], rho[3]];
        // SAFETY: `avx2` is only true on a processor with AVX2 (see `has_avx2`).
        unsafe {
            share_row4_avx2::<AT_REST>(s4, (four(anchors), four(residuals)), four(growth), z4, rho)
        };
        return;
    }
    let _ = avx2;
    let n = shares.len();
    let mut total = [0.0; L];
    let mut grown = [0.0; L];
    for j in 0..n {
        for l in 0..L {
            z[j][l] = shares[j][l] * growth[j][l];
            total[l] += shares[j][l];
            grown[l] += z[j][l];
        }
    }
    let mut keep = [0.0; L];
    let mut live = [false; L];
    for l in 0..L {
        let denominator = (1.0 - total[l]).max(0.0) + grown[l];
        // An empty row (denominator 0) stays as it is.
        live[l] = denominator > 0.0;
        keep[l] = (1.0 - rho[l]) / if live[l] { denominator } else { 1.0 };
    }
    for j in 0..n {
        for l in 0..L {
            // The sum of two terms that each stay within bounds may round one
            // ulp past 1; a share never passes 1.
            let mut moved = z[j][l] * keep[l] + rho[l] * anchors[j][l];
            // A share at 0 (a supplier that left its market) stays at 0: the residual is
            // the rounding of a share held at rest, and one measured while the supplier
            // still had a share would leave it about 1e-10 forever.
            if AT_REST && shares[j][l] > 0.0 {
                moved += residuals[j][l];
            }
            let moved = moved.min(1.0);
            shares[j][l] = if live[l] { moved } else { shares[j][l] };
        }
    }
}

/// The same entries seen as four-lane arrays (for `L == 4`).
#[cfg(target_arch = "x86_64")]
fn four<const L: usize>(x: &[[f64; L]]) -> &[[f64; 4]] {
    x.as_flattened().as_chunks::<4>().0
}

/// `share_row` for four lanes with AVX2: the same operations in the same order.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[inline]
unsafe fn share_row4_avx2<const AT_REST: bool>(
    shares: &mut [[f64; 4]],
    (anchors, residuals): (Rows<'_, 4>, Rows<'_, 4>),
    growth: &[[f64; 4]],
    z: &mut [[f64; 4]],
    rho: [f64; 4],
) {
    use std::arch::x86_64::*;
    // SAFETY: every pointer is to four f64 inside a live array; unaligned loads and stores.
    unsafe {
        let mut total = _mm256_setzero_pd();
        let mut grown = _mm256_setzero_pd();
        for ((w, g), zj) in shares.iter().zip(growth).zip(z.iter_mut()) {
            let wv = _mm256_loadu_pd(w.as_ptr());
            let zv = _mm256_mul_pd(wv, _mm256_loadu_pd(g.as_ptr()));
            _mm256_storeu_pd(zj.as_mut_ptr(), zv);
            total = _mm256_add_pd(total, wv);
            grown = _mm256_add_pd(grown, zv);
        }
        let one = _mm256_set1_pd(1.0);
        let zero = _mm256_setzero_pd();
        // max(1 - total, 0): maxpd returns its second operand when they are equal or
        // unordered, as f64::max does for these (finite) values.
        let denominator = _mm256_add_pd(_mm256_max_pd(_mm256_sub_pd(one, total), zero), grown);
        let live = _mm256_cmp_pd::<_CMP_GT_OQ>(denominator, zero);
        let rho = _mm256_loadu_pd(rho.as_ptr());
        let keep = _mm256_div_pd(
            _mm256_sub_pd(one, rho),
            _mm256_blendv_pd(one, denominator, live),
        );
        // Rows are almost never empty: then every lane moves, and plain stores do (a blend
        // before the store becomes a masked store, which is slow).
        let all_live = _mm256_movemask_pd(live) == 0b1111;
        let rows = anchors.iter().zip(residuals).zip(z.iter());
        for (w, ((a, r), zj)) in shares.iter_mut().zip(rows) {
            let moved = _mm256_add_pd(
                _mm256_mul_pd(_mm256_loadu_pd(zj.as_ptr()), keep),
                _mm256_mul_pd(rho, _mm256_loadu_pd(a.as_ptr())),
            );
            let moved = if AT_REST {
                // The residual only where the share is above 0, as `share_row` does.
                let held = _mm256_cmp_pd::<_CMP_GT_OQ>(_mm256_loadu_pd(w.as_ptr()), zero);
                _mm256_add_pd(moved, _mm256_and_pd(_mm256_loadu_pd(r.as_ptr()), held))
            } else {
                moved
            };
            let moved = _mm256_min_pd(moved, one);
            let new = if all_live {
                moved
            } else {
                _mm256_blendv_pd(_mm256_loadu_pd(w.as_ptr()), moved, live)
            };
            _mm256_storeu_pd(w.as_mut_ptr(), new);
        }
    }
}

/// `acc[e][l] += x[l] * row[e][l]` for every entry e and lane l.
///
/// The compiler vectorises the plain loop across entries and pays for it with shuffles;
/// with four lanes and AVX2 one entry is exactly one register, so the AVX2 version does one
/// multiply and one add per entry. Both round each product and sum exactly as the scalar
/// form does (no fused multiply-add).
#[inline(always)]
fn axpy<const L: usize>(acc: &mut [[f64; L]], x: [f64; L], row: &[[f64; L]], avx2: bool) {
    #[cfg(target_arch = "x86_64")]
    if L == 4 && avx2 {
        let (acc4, _) = acc.as_flattened_mut().as_chunks_mut::<4>();
        let (row4, _) = row.as_flattened().as_chunks::<4>();
        // SAFETY: `avx2` is only true on a processor with AVX2 (see `has_avx2`).
        unsafe { axpy4_avx2(acc4, [x[0], x[1], x[2], x[3]], row4) };
        return;
    }
    let _ = avx2;
    for (a, r) in acc.iter_mut().zip(row) {
        for l in 0..L {
            a[l] += x[l] * r[l];
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[inline]
unsafe fn axpy4_avx2(acc: &mut [[f64; 4]], x: [f64; 4], row: &[[f64; 4]]) {
    use std::arch::x86_64::{_mm256_add_pd, _mm256_loadu_pd, _mm256_mul_pd, _mm256_storeu_pd};
    // SAFETY: every pointer is to four f64 inside a live array; unaligned loads and stores.
    unsafe {
        let xv = _mm256_loadu_pd(x.as_ptr());
        for (a, r) in acc.iter_mut().zip(row) {
            let sum = _mm256_add_pd(
                _mm256_loadu_pd(a.as_ptr()),
                _mm256_mul_pd(xv, _mm256_loadu_pd(r.as_ptr())),
            );
            _mm256_storeu_pd(a.as_mut_ptr(), sum);
        }
    }
}

/// `lanes[e][l] = values[e]` for every entry e.
fn scatter<const L: usize>(lanes: &mut [[f64; L]], l: usize, values: &[f64]) {
    for (entry, &v) in lanes.iter_mut().zip(values) {
        entry[l] = v;
    }
}

/// `values[e] = lanes[e][l]` for every entry e.
fn gather<const L: usize>(lanes: &[[f64; L]], l: usize, values: &mut [f64]) {
    for (entry, v) in lanes.iter().zip(values) {
        *v = entry[l];
    }
}

fn has_avx2() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        // ENTENTE_PORTABLE=1 forces the portable path (to compare the two in tests).
        std::env::var_os("ENTENTE_PORTABLE").is_none() && std::is_x86_feature_detected!("avx2")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixtures::{worlds_as_they_are_and_at_rest, Counter};
    use crate::model::step::{start_block, step, step_block};
    use crate::model::ParamTarget;

    /// Four trajectories with different parameters, run as one block of four and one by
    /// one, on the AVX2 path and the portable one: every stance and share, bit for bit.
    #[test]
    fn a_block_gives_each_trajectory_the_bits_it_gets_alone_on_every_path() {
        // Large worlds run the blocked products with every kind of edge tile (100 and 200
        // are not multiples of 3); a few steps suffice there.
        let sizes = [(2, 1), (3, 2), (6, 4), (9, 3), (100, 2), (200, 1)];
        for (world, n, k) in worlds_as_they_are_and_at_rest(&sizes) {
            let steps = if n >= 100 { 3 } else { 25 };
            let states: Vec<State> = (0..4)
                .map(|l| {
                    let mut s = State::new(&world);
                    for i in 0..n {
                        s.params.set(ParamTarget::Eta(i), 0.1 + 0.1 * l as f64);
                        s.params.set(ParamTarget::Sigma(i), 0.02 * l as f64);
                        s.params.set(ParamTarget::Gamma(i), 0.5 + 0.2 * l as f64);
                        s.params.set(ParamTarget::Lambda(i), 0.4);
                        for c in 0..k {
                            s.params.set(ParamTarget::Beta(c, i), 1.0 - 0.2 * c as f64);
                        }
                    }
                    for c in 0..k {
                        // Lanes 0 and 1 share kappas, lanes 2 and 3 differ by channel.
                        let kappa = if l < 2 { 0.3 } else { 0.3 + 0.1 * c as f64 };
                        s.params.set(ParamTarget::Kappa(c), kappa);
                        s.params.set(ParamTarget::Rho(c), 0.05 * l as f64);
                    }
                    s
                })
                .collect();

            let mut alone = states.clone();
            for (l, s) in alone.iter_mut().enumerate() {
                let (mut kernel, mut rng) = (Lanes::new(&world), Counter(l as u64 + 1));
                for t in 1..=steps {
                    step(&world, &mut kernel, s, t, &mut rng);
                }
            }

            let paths = if has_avx2() {
                vec![true, false]
            } else {
                vec![false]
            };
            for avx2 in paths {
                let mut block = states.clone();
                let mut kernel = Lanes::<4>::new(&world);
                kernel.avx2 = avx2;
                let mut rngs: Vec<Counter> = (0..4).map(|l| Counter(l as u64 + 1)).collect();
                start_block(&world, &mut kernel, block.iter());
                for t in 1..=steps {
                    step_block(&world, &mut kernel, t, block.iter_mut().zip(&mut rngs));
                }
                for (l, s) in block.iter_mut().enumerate() {
                    kernel.store(l, s);
                    let metrics = [
                        Metric::Stance(0, n - 1),
                        Metric::Partnership(n - 1, 0),
                        Metric::Share(0, 1, k - 1),
                        Metric::Dependence(n - 1, 0),
                    ];
                    for m in metrics {
                        let from_kernel = kernel.metric(&m, l).map(f64::to_bits);
                        assert_eq!(from_kernel, Some(m.eval(s).to_bits()), "{m:?}");
                    }
                    assert_eq!(
                        s.stance, alone[l].stance,
                        "stances, n {n}, lane {l}, avx2 {avx2}"
                    );
                    assert_eq!(
                        s.share, alone[l].share,
                        "shares, n {n}, lane {l}, avx2 {avx2}"
                    );
                }
            }
        }
    }
}
