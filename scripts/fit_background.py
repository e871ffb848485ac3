#!/usr/bin/env python3
"""Fits the background process (docs/src/reference/background.md) to the shared panels.

    python3 scripts/fit_background.py ../shared/data/sipri_arms_transfers_1950_2021.csv \
        ../shared/data/unga_ideal_points_1946_2012.csv > scripts/background_fit.txt

Python's standard library only. CI has no ../shared/data, so the output is committed
(scripts/background_fit.txt) and its numbers are written into the code
(src/model/background.rs, tests/model/background.rs), each citing this file.

SIPRI: each recipient's arms by supplier in five-year windows (1950-54, ..., 2015-19;
2020-21 is not a whole window), the Soviet Union and Russia joined. A recipient-window
counts when the recipient imported at least US$100 m (TIV) in it and in the next one:
below that one ship or squadron is the whole window and its shares say nothing of a
structure. The statistic is the change, from one window to the next, of the share of the
window's top supplier. Its sampling error is bootstrapped over recipients (a recipient's
windows are not independent), 1,000 resamples.

Exits: of the suppliers with a share of a recipient's arms in a window (the same
recipient-windows), the fraction with none in the next window, by share (up to 0.02, 0.05,
0.1, 0.2, 0.4, 1), bootstrapped over recipients as above.

Newcomers: the part of the next window's arms that comes from suppliers with none in the
window (the same recipient-windows), as the fraction of recipient-windows in which it passes
0.1, 0.3 and 0.5, bootstrapped over recipients as above. In the simulation a newcomer is a
listed state with no share at the start.

The supplier process (entry and exit) is then fitted by simulating it alone on the panel's
own starting structures, as the engine runs it (`src/model/background.rs`): in each quarter
a Poisson number of contracts, at `supplier_rate` a year per recipient; a contract goes to
one supplier, chosen with weight share^(3/4) + entry among 9 states (as in the test's
generic world of 10) and the outside (suppliers not in the world); it wins a fraction of
the market (Kumaraswamy(1/2, b), mean `supplier_size`) that every other supplier loses in
proportion. Then each listed supplier of share s leaves at `exit_rate` ln(1 / max(s,
0.005)) (1 - s) a year, its share going to one heir chosen as a contract's winner is (the
leaver left out). Rate, size and exit rate are drawn per
trajectory from Uniform(0.5, 1.5) times the value fitted, as the defaults are. The fit
minimises the squared distance of the 5/25/50/75/95% quantiles and of the six exit
fractions and three newcomer fractions, each over its bootstrap variance, averaged over two
seeds of the simulation, over a grid that includes the entry weight.

UN ideal points (Bailey, Strezhnev & Voeten 2017): how far states move in one and five
years. Moves are reported in ideal-point units and in stance units: a stance is a directed
relation on [-1, 1]; the spread across states of 2 x (share of votes agreeing with the
US) - 1, a bounded directed relation, over the spread of ideal points, gives the scale.
The reserved periods (data/README.md) are part of the whole panel, never fitted alone.
"""

import csv
import collections
import math
import random
import statistics
import sys

WINDOW = 5
FIRST_YEAR = 1950
LAST_WHOLE_WINDOW = 13  # 2015-19; 2020-21 is two years only
MINIMUM_TIV = 100.0
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
BOOTSTRAP = 1000
OTHER_STATES = 9  # the generic world of tests/model/background.rs: 10 states
STEPS = 20  # five years of quarters
STEPS_PER_YEAR = 4
EXIT_BINS = (0.02, 0.05, 0.1, 0.2, 0.4, 1.0)
EXIT_FLOOR = 0.005
NEWCOMER_LEVELS = (0.1, 0.3, 0.5)
POWER = 0.75  # a supplier's weight for a contract: share^POWER (src/model/background.rs)
ENTRY_GRID = (0.01, 0.02, 0.03, 0.05, 0.07, 0.085, 0.1, 0.15)
# The engine's defaults, central values: rate, size, exit rate (src/scenario/compile/background.rs)
# and entry weight (src/model/background.rs ENTRY), calibrated in the whole model.
ENGINE = (1.0, 0.14, 0.03, 0.085)


def quantile(xs, p):
    """Linear interpolation between order statistics (numpy's default)."""
    xs = sorted(xs)
    i = p * (len(xs) - 1)
    lo = int(math.floor(i))
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (i - lo)


def supplier(name):
    return "Russia" if name in ("Soviet Union", "Russia") else name


def sipri_windows(path):
    tiv = collections.defaultdict(lambda: collections.defaultdict(float))
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            w = (int(row["year"]) - FIRST_YEAR) // WINDOW
            if w <= LAST_WHOLE_WINDOW:
                tiv[(row["recipient"], w)][supplier(row["supplier"])] += float(row["tiv_musd"])
    return tiv


def window_pairs(tiv):
    """(recipient, a window's TIV by supplier, the next window's) for each recipient-window
    that counts: at least MINIMUM_TIV in both windows."""
    for (recipient, w), now in sorted(tiv.items()):
        later = tiv.get((recipient, w + 1))
        if later is None or sum(now.values()) < MINIMUM_TIV or sum(later.values()) < MINIMUM_TIV:
            continue
        yield recipient, now, later


def top_changes(tiv):
    """(recipient, change of the top supplier's share, the starting shares, largest first)."""
    out = []
    for recipient, now, later in window_pairs(tiv):
        total = sum(now.values())
        top = max(now, key=lambda s: (now[s], s))
        change = later.get(top, 0.0) / sum(later.values()) - now[top] / total
        shares = sorted((x / total for x in now.values()), reverse=True)
        out.append((recipient, change, shares))
    return out


def bootstrap(changes, rng):
    by_recipient = collections.defaultdict(list)
    for recipient, change, _ in changes:
        by_recipient[recipient].append(change)
    groups = list(by_recipient.values())
    draws = []
    for _ in range(BOOTSTRAP):
        sample = []
        for _ in groups:
            sample.extend(rng.choice(groups))
        draws.append([quantile(sample, p) for p in QUANTILES])
    return [statistics.pstdev(d[i] for d in draws) for i in range(len(QUANTILES))]


def exits(tiv):
    """Per recipient-window (as `top_changes` keeps them): (recipient, [(bin of a
    supplier's share, whether it has none in the next window)])."""
    out = []
    for recipient, now, later in window_pairs(tiv):
        total = sum(now.values())
        out.append((recipient, [(exit_bin(v / total), later.get(s, 0.0) == 0.0)
                                for s, v in now.items() if v > 0]))
    return out


def exit_bin(share):
    return next(b for b, top in enumerate(EXIT_BINS) if share <= top or top == EXIT_BINS[-1])


def exit_fractions(rows):
    left, seen = [0] * len(EXIT_BINS), [0] * len(EXIT_BINS)
    for _, suppliers in rows:
        for b, gone in suppliers:
            seen[b] += 1
            left[b] += gone
    return [g / max(n, 1) for g, n in zip(left, seen)], seen


def bootstrap_exits(rows, rng):
    by_recipient = collections.defaultdict(list)
    for row in rows:
        by_recipient[row[0]].append(row)
    groups = list(by_recipient.values())
    draws = [exit_fractions([r for _ in groups for r in rng.choice(groups)])[0]
             for _ in range(BOOTSTRAP)]
    return [statistics.pstdev(d[b] for d in draws) for b in range(len(EXIT_BINS))]


def newcomers(tiv):
    """Per recipient-window (as `top_changes` keeps them): (recipient, the part of the next
    window's arms from suppliers with none in the window)."""
    out = []
    for recipient, now, later in window_pairs(tiv):
        new = sum(v for s, v in later.items() if now.get(s, 0.0) == 0.0)
        out.append((recipient, new / sum(later.values())))
    return out


def newcomer_fractions(parts):
    """The fraction of the parts above each of NEWCOMER_LEVELS."""
    return [sum(p > level for p in parts) / max(len(parts), 1) for level in NEWCOMER_LEVELS]


def bootstrap_newcomers(rows, rng):
    by_recipient = collections.defaultdict(list)
    for recipient, part in rows:
        by_recipient[recipient].append(part)
    groups = list(by_recipient.values())
    draws = [newcomer_fractions([p for _ in groups for p in rng.choice(groups)])
             for _ in range(BOOTSTRAP)]
    return [statistics.pstdev(d[i] for d in draws) for i in range(len(NEWCOMER_LEVELS))]


def exit_weight(share):
    """A supplier's exit rate in units of exit_rate: ln(1 / s), s at least EXIT_FLOOR, times
    1 - s (a supplier alone in its market never leaves, a dominant one seldom does)."""
    share = max(share, EXIT_FLOOR)
    return math.log(1.0 / share) * (1.0 - share)


def poisson(mean, rng):
    """A Poisson draw by inversion (a quarter holds a few events at most)."""
    k, p, u = 0, math.exp(-mean), rng.random()
    total = p
    while u > total:
        k += 1
        p *= mean / k
        total += p
    return k


def pick(weights, u):
    """The index whose slice of the weights' total holds u (uniform in [0, 1))."""
    u *= sum(weights)
    i = 0
    while i < len(weights) - 1 and u >= weights[i]:
        u -= weights[i]
        i += 1
    return i


def fraction(u, size):
    """A contract's part of the market: Kumaraswamy(1/2, b), mean `size` = 2/((b+1)(b+2))."""
    b = (-3.0 + math.sqrt(1.0 + 8.0 / size)) / 2.0
    return (1.0 - (1.0 - u) ** (1.0 / b)) ** 2


def simulate_supplier(starts, rate, size, exit_rate, entry, rng):
    """Under the supplier process alone, over STEPS: the changes of the top supplier's share,
    the fraction of the suppliers that have left, by the bin of their starting share, and the
    fraction of the rows in which the listed states without a share at the start end with
    more than each of NEWCOMER_LEVELS.

    At each contract a winner is chosen with weight share^(3/4) + entry among the row's
    suppliers, OTHER_STATES states and the outside (suppliers not in the world); it wins
    a fraction of the market, which every other supplier loses in proportion. A listed
    supplier of share s leaves at exit_rate exit_weight(s) a year; its share
    goes to one heir, chosen as a contract's winner is, the leaver left out."""
    changes, left, seen = [], [0] * len(EXIT_BINS), [0] * len(EXIT_BINS)
    parts = []
    for shares in starts:
        row = list(shares[:OTHER_STATES]) + [0.0] * max(0, OTHER_STATES - len(shares))
        row.append(max(0.0, 1.0 - sum(row)))
        r = rate * rng.uniform(0.5, 1.5)
        m = size * rng.uniform(0.5, 1.5)
        x = exit_rate * rng.uniform(0.5, 1.5)
        start = list(row)
        for _ in range(STEPS):
            for _ in range(poisson(r / STEPS_PER_YEAR, rng)):
                winner = pick([v ** POWER + entry for v in row], rng.random())
                f = fraction(rng.random(), m)
                row = [v * (1.0 - f) for v in row]
                row[winner] += f
            for j in range(OTHER_STATES):
                if row[j] > 0.0:
                    mean = x * exit_weight(row[j]) / STEPS_PER_YEAR
                    if poisson(mean, rng) > 0:
                        weights = [v ** POWER + entry if k != j else 0.0
                                   for k, v in enumerate(row)]
                        row[pick(weights, rng.random())] += row[j]
                        row[j] = 0.0
        changes.append(row[0] - start[0])
        parts.append(sum(row[j] for j in range(OTHER_STATES) if start[j] == 0.0))
        for j in range(OTHER_STATES):
            if start[j] > 0.0:
                seen[exit_bin(start[j])] += 1
                left[exit_bin(start[j])] += row[j] == 0.0
    return changes, [g / max(n, 1) for g, n in zip(left, seen)], newcomer_fractions(parts)


def score_supplier(starts, params, seeds, copies, targets):
    """The fit's distance at `params` (rate, size, exit rate, entry), averaged over `seeds`:
    squared errors in bootstrap sd of the five quantiles, the six exit fractions and the
    three newcomer fractions. Returns (score, quantiles, exits, newcomers) of the last seed."""
    (target, errors), (exit_target, exit_errors), (new_target, new_errors) = targets
    score, qs, xs, ns = 0.0, [], [], []
    for seed in seeds:
        sim, xs, ns = simulate_supplier(starts * copies, *params, random.Random(seed))
        qs = [quantile(sim, p) for p in QUANTILES]
        for model, panel, sd in ((qs, target, errors), (xs, exit_target, exit_errors),
                                 (ns, new_target, new_errors)):
            score += sum(((a - b) / e) ** 2 for a, b, e in zip(model, panel, sd))
    return score / len(seeds), qs, xs, ns


def fit_supplier(starts, targets):
    """A grid over the rate, size, exit rate and entry weight: each point scored once on the
    starts with one seed, then the best twenty again on the starts twice with two seeds."""
    grid = [(0.25 * r, 0.025 * s, 0.005 * x, e)
            for r in range(2, 11) for s in range(4, 11) for x in range(3, 9)
            for e in ENTRY_GRID]
    screened = sorted(grid, key=lambda p: score_supplier(starts, p, (7,), 1, targets)[0])
    best = None
    for params in screened[:20]:
        score, qs, xs, ns = score_supplier(starts, params, (7, 8), 2, targets)
        if best is None or score < best[0]:
            best = (score, params, qs, xs, ns)
    return best


def un_moves(path):
    points = collections.defaultdict(dict)
    agree = collections.defaultdict(list)
    ideal = collections.defaultdict(list)
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            year, x = int(row["Year"]), float(row["idealpoint"])
            points[row["CountryAbb"]][year] = x
            ideal[year].append(x)
            if row["PctAgreeUS"]:
                agree[year].append(2.0 * float(row["PctAgreeUS"]) - 1.0)
    spread = statistics.median(statistics.pstdev(v) for v in ideal.values() if len(v) > 20)
    agree_spread = statistics.median(statistics.pstdev(v) for v in agree.values() if len(v) > 20)
    moves = {}
    for h in (1, 5):
        moves[h] = [abs(s[y + h] - x) for s in points.values() for y, x in s.items() if y + h in s]
    return spread, agree_spread, moves


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: fit_background.py SIPRI.csv UNGA.csv")
    rng = random.Random(2026)
    tiv = sipri_windows(sys.argv[1])
    changes = top_changes(tiv)
    values = [c for _, c, _ in changes]
    recipients = len({r for r, _, _ in changes})
    panel = [quantile(values, p) for p in QUANTILES]
    errors = bootstrap(changes, rng)
    print("# scripts/fit_background.py: the background's fit (docs/src/reference/background.md)")
    print()
    print("## SIPRI: change of the top supplier's share over five years")
    print(f"recipient-windows {len(values)} ({recipients} recipients, at least US$"
          f"{MINIMUM_TIV:.0f} m TIV in both windows, 1950-54 .. 2015-19)")
    big = sum(abs(v) > 0.3 for v in values) / len(values)
    print(f"moves by more than 0.3: {big:.3f}")
    for p, q, e in zip(QUANTILES, panel, errors):
        print(f"quantile {p:.2f}: {q:+.3f} (bootstrap sd over recipients {e:.3f})")
    left = exits(tiv)
    exit_panel, exit_seen = exit_fractions(left)
    exit_errors = bootstrap_exits(left, rng)
    print()
    print("## SIPRI: suppliers that leave within five years")
    print("of the suppliers with a share of a recipient's arms in a window, the fraction with")
    print("none in the next (the same recipient-windows), by share:")
    low = 0.0
    for top, x, n, e in zip(EXIT_BINS, exit_panel, exit_seen, exit_errors):
        print(f"share {low:.2f}-{top:.2f}: {x:.3f} of {n} (bootstrap sd over recipients {e:.3f})")
        low = top
    arrivals = newcomers(tiv)
    new_panel = newcomer_fractions([p for _, p in arrivals])
    new_errors = bootstrap_newcomers(arrivals, rng)
    print()
    print("## SIPRI: newcomers within five years")
    print("the part of the next window's arms from suppliers with none in the window (the same")
    print("recipient-windows): quantiles 50/75/90/95% "
          + " ".join(f"{quantile([p for _, p in arrivals], q):.3f}" for q in (0.5, 0.75, 0.9, 0.95)))
    for level, x, e in zip(NEWCOMER_LEVELS, new_panel, new_errors):
        print(f"above {level:.1f}: {x:.3f} (bootstrap sd over recipients {e:.3f})")
    tops = [s[0] for _, _, s in changes]
    print()
    print("## Starting structures (the generic world's rows): shares by decile of the top share")
    for d in range(10):
        lo, hi = quantile(tops, d / 10), quantile(tops, (d + 1) / 10)
        rows = [s for _, _, s in changes if lo <= s[0] <= hi] or [[lo]]
        second = statistics.median(s[1] if len(s) > 1 else 0.0 for s in rows)
        third = statistics.median(s[2] if len(s) > 2 else 0.0 for s in rows)
        top = quantile(tops, (d + 0.5) / 10)
        print(f"decile {d + 1}: top {top:.3f}, second {second:.3f}, third {third:.3f}")
    print()
    print("## The supplier process fitted alone on these starts (20 quarters)")
    targets = ((panel, errors), (exit_panel, exit_errors), (new_panel, new_errors))
    score, (rate, size, exit_rate, entry), qs, xs, ns = fit_supplier(
        [s for _, _, s in changes], targets)
    print(f"supplier_rate {rate:.2f} a year per recipient and channel, "
          f"supplier_size {size:.3f}, exit_rate {exit_rate:.3f} "
          f"(each drawn from Uniform(0.5, 1.5) times that), entry weight {entry:.2f}")
    print("quantiles " + ", ".join(f"{q:+.3f}" for q in qs)
          + "; exits " + ", ".join(f"{x:.3f}" for x in xs)
          + "; newcomers " + ", ".join(f"{x:.3f}" for x in ns) + f" (score {score:.2f})")
    print()
    print("## The engine's defaults in the same simulation (central values, src/model/background.rs)")
    score, qs, xs, ns = score_supplier([s for _, _, s in changes], ENGINE, (7, 8), 2, targets)
    print("supplier_rate {:.2f}, supplier_size {:.3f}, exit_rate {:.3f}, entry {:.3f}: ".format(*ENGINE)
          + "quantiles " + ", ".join(f"{q:+.3f}" for q in qs)
          + "; exits " + ", ".join(f"{x:.3f}" for x in xs)
          + "; newcomers " + ", ".join(f"{x:.3f}" for x in ns) + f" (score {score:.2f})")
    print()
    spread, agree_spread, moves = un_moves(sys.argv[2])
    scale = agree_spread / spread
    print("## UN ideal points: how far states move")
    print(f"spread across states (median sd of a year): ideal point {spread:.3f}, "
          f"2 x agreement with the US - 1 {agree_spread:.3f}: one ideal-point unit is "
          f"{scale:.3f} of a stance")
    for h, ms in moves.items():
        qs = [quantile(ms, p) for p in (0.5, 0.75, 0.9, 0.95, 0.99)]
        print(f"{h}-year moves ({len(ms)} state-years): |move| quantiles 50/75/90/95/99% "
              + " ".join(f"{q:.3f}" for q in qs)
              + "; in stance units " + " ".join(f"{q * scale:.3f}" for q in qs))
        for t in (0.25, 0.5, 1.0):
            print(f"  share moving more than {t} ideal-point units: "
                  f"{sum(m > t for m in ms) / len(ms):.4f}")


if __name__ == "__main__":
    main()
