#!/usr/bin/env python3
"""Observations for the validation cases, from the SIPRI arms transfers file.

The data (shared/data/sipri_arms_transfers_1950_2021.csv, described in shared/data/README.md)
are not in this repository, so what this script prints is committed beside each case: the
initial shares written into a scenario's ties, and the SIPRI rows of its observed.csv. Each
case's protocol (scenarios/validation/NAME.protocol.md) gives the exact commands.

A supplier's share of a recipient's arms in a period is its trend-indicator value (TIV) over
the recipient's total TIV in that period, all suppliers counted. Single years are lumpy, so
shares are taken over windows of several years. A model name may stand for several SIPRI
names joined with "+": the Soviet Union delivers until 1991 and Russia from 1992, so a series
across 1991 is USSR=Soviet Union+Russia.

Subcommands:
  initial DATA --recipient M=S --supplier M=S[+S...] ... --origin DATE [--years 5]
      the shares of the `years` whole calendar years before the origin (SIPRI's own
      five-year window), printed as the ties of a scenario (share rounded to 0.01), each
      with its TIV as a comment, and the rest (suppliers not modelled) as `Others`.
  observe DATA --recipient M=S --supplier M=S[+S...] ... --origin DATE --unit quarter|year
          --window W --first Y --last Y [--stride N] [--rule end|mid] [--average K]
          [--dependence] [--channel arms] [--no-header]
      the shares in windows of W years, the first starting in year `first`, each next one
      `stride` years later (default W: windows that do not overlap), the last ending no
      later than `last`, as CSV rows `metric,step,value,date,source,note` for a case's
      observed.csv. `metric` is the label a run writes in timeseries.csv: Share(M, S,
      channel), or Average(Share(M, S, channel), K) with --average K; with --dependence
      also Dependence(M, channel), the modelled suppliers together (one minus Others).
      The step: with --rule end (the default) the end of the window's last year; with
      --rule mid its middle, rounded down to a whole step; in both, counted from the origin
      in units of a quarter or a year.
  ideal DATA --year Y --state ABB ...
      UN General Assembly ideal points (shared/data/unga_ideal_points_1946_2012.csv) of the
      states in a year, with the share of votes agreeing with the US and the Soviet Union /
      Russia, for the stances of a case.

Exit 2 on bad input (an unknown name, a window with no deliveries, a step before the
origin), with a message naming it; nothing is printed to stdout then.
"""

import argparse
import csv
import datetime
import sys

SOURCE = "SIPRI arms transfers (TIV), shared/data/sipri_arms_transfers_1950_2021.csv"


class BadInput(Exception):
    """Input this script refuses: exit 2 with the message."""


def read_sipri(path):
    """Rows of the SIPRI file as (supplier, recipient, year, tiv)."""
    with open(path, newline="", encoding="utf-8") as f:
        return [
            (r["supplier"], r["recipient"], int(r["year"]), float(r["tiv_musd"]))
            for r in csv.DictReader(f)
        ]


def model_name(text):
    """`M=S1+S2` as (M, [S1, S2]); a bare `S` stands for itself (`China` is China=China)."""
    model, _, sipri = text.partition("=")
    names = [s.strip() for s in (sipri or model).split("+")]
    if not model.strip() or not all(names):
        raise BadInput(f"bad name {text!r}: write MODEL=SIPRI or MODEL=SIPRI+SIPRI")
    return model.strip(), names


def check_names(rows, recipient, suppliers):
    """Refuses a SIPRI name that the file does not hold, so a typo is not a share of 0."""
    recipients = {r[1] for r in rows}
    known = {r[0] for r in rows}
    if len(recipient[1]) != 1:
        raise BadInput(f"recipient {recipient[0]!r} must stand for one SIPRI name, not a join")
    if recipient[1][0] not in recipients:
        raise BadInput(f"recipient {recipient[1][0]!r} is not a SIPRI recipient name")
    for model, names in suppliers:
        for name in names:
            if name not in known:
                raise BadInput(f"supplier {name!r} (for {model}) is not a SIPRI supplier name")


def window_shares(rows, recipient, suppliers, first, last):
    """(total TIV, {model supplier: TIV}) of the recipient's imports in years first..=last."""
    sipri_recipient = recipient[1][0]
    total = 0.0
    by_model = {model: 0.0 for model, _ in suppliers}
    for supplier, rec, year, tiv in rows:
        if rec != sipri_recipient or not first <= year <= last:
            continue
        total += tiv
        for model, names in suppliers:
            if supplier in names:
                by_model[model] += tiv
    if total <= 0:
        raise BadInput(f"{sipri_recipient} received nothing in {first}-{last}: no share")
    return total, by_model


def origin_year(text):
    """The origin date as a fractional year: 2018-07-01 is 2018.5, 1990-01-01 is 1990.0."""
    try:
        date = datetime.date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"origin {text!r} is not a date YYYY-MM-DD") from None
    if date.day != 1 or date.month not in (1, 4, 7, 10):
        raise BadInput(f"origin {text} is not the first day of a quarter")
    return date.year + (date.month - 1) / 12


def step_of(moment, origin, unit):
    """The whole step at a moment (fractional year) counted from the origin, rounded down."""
    per_year = {"quarter": 4, "year": 1}[unit]
    return int((moment - origin) * per_year + 1e-9)


def cmd_initial(args, rows):
    recipient = model_name(args.recipient)
    suppliers = [model_name(s) for s in args.supplier]
    check_names(rows, recipient, suppliers)
    origin = origin_year(args.origin)
    last = int(origin) - 1  # the last whole calendar year before the origin
    first = last - args.years + 1
    total, by_model = window_shares(rows, recipient, suppliers, first, last)
    shares = {m: round(v / total, 2) for m, v in by_model.items()}
    # Rounding must not make the row pass 1, which a scenario refuses: take the excess
    # from the largest share.
    excess = round(sum(shares.values()) - 1, 2)
    if excess > 0:
        top = max(shares, key=shares.get)
        shares[top] = round(shares[top] - excess, 2)
    print(f"// SIPRI {first}-{last}, {recipient[0]}'s imports of major arms: TIV {total:.0f}")
    for model, names in suppliers:
        print(
            f'(from: "{recipient[0]}", to: "{model}", channel: "{args.channel}", '
            f"share: {shares[model]:.2f}), // SIPRI {first}-{last}: "
            f"{' + '.join(names)} TIV {by_model[model]:.0f} of {total:.0f} "
            f"({100 * by_model[model] / total:.1f}%)"
        )
    rest = total - sum(by_model.values())
    print(f"// Others (not modelled): TIV {rest:.0f} of {total:.0f} ({100 * rest / total:.1f}%)")


def windows(first, last, width, stride):
    """(start, end) years of the windows: the first starting at `first`, none past `last`."""
    start = first
    while start + width - 1 <= last:
        yield start, start + width - 1
        start += stride


def cmd_observe(args, rows):
    recipient = model_name(args.recipient)
    suppliers = [model_name(s) for s in args.supplier]
    check_names(rows, recipient, suppliers)
    origin = origin_year(args.origin)
    out = csv.writer(sys.stdout, lineterminator="\n")
    lines = []
    for start, end in windows(args.first, args.last, args.window, args.stride or args.window):
        total, by_model = window_shares(rows, recipient, suppliers, start, end)
        moment = end + 1 if args.rule == "end" else start + args.window / 2
        step = step_of(moment, origin, args.unit)
        if step < 1:
            raise BadInput(f"window {start}-{end} maps to step {step}, not after the origin")
        for model, names in suppliers:
            value = by_model[model] / total
            note = f"{' + '.join(names)} TIV {by_model[model]:.0f} of {total:.0f}"
            lines.append((label(args, f"Share({recipient[0]}, {model}, {args.channel})"),
                          step, value, start, end, note))
        if args.dependence:
            modelled = sum(by_model.values())
            note = f"modelled suppliers TIV {modelled:.0f} of {total:.0f}"
            lines.append((label(args, f"Dependence({recipient[0]}, {args.channel})"),
                          step, modelled / total, start, end, note))
    if not args.no_header:
        out.writerow(["metric", "step", "value", "date", "source", "note"])
    for metric, step, value, start, end, note in lines:
        out.writerow([metric, step, f"{value:.3f}", f"{start}-{end}", SOURCE, note])


def label(args, metric):
    """A metric's label as a run writes it, averaged over K steps with --average K."""
    return f"Average({metric}, {args.average})" if args.average else metric


def cmd_ideal(args, _rows):
    with open(args.data, newline="", encoding="utf-8") as f:
        found = {
            r["CountryAbb"]: r
            for r in csv.DictReader(f)
            if int(r["Year"]) == args.year and r["CountryAbb"] in args.state
        }
    missing = [s for s in args.state if s not in found]
    if missing:
        raise BadInput(f"no ideal point in {args.year} for {', '.join(missing)}")
    print("state,year,idealpoint,agree_us,agree_ussr_russia")
    for s in args.state:
        r = found[s]
        agree = [r["PctAgreeUS"], r["PctAgreeRUSSIA"]]
        agree = [f"{float(a):.2f}" if a not in ("", "NA") else "NA" for a in agree]
        print(f"{s},{args.year},{float(r['idealpoint']):.2f},{agree[0]},{agree[1]}")


def parser():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True)

    def common(s):
        s.add_argument("data", help="shared/data/sipri_arms_transfers_1950_2021.csv")
        s.add_argument("--recipient", required=True, help="MODEL=SIPRI, e.g. USSR=Soviet Union")
        s.add_argument("--supplier", required=True, action="append", help="MODEL=SIPRI[+SIPRI]")
        s.add_argument("--origin", required=True, help="step 0, the first day of a quarter")
        s.add_argument("--channel", default="arms")

    s = sub.add_parser("initial", help="initial shares: the whole years before the origin")
    common(s)
    s.add_argument("--years", type=int, default=5)
    s = sub.add_parser("observe", help="observed shares in windows, as observed.csv rows")
    common(s)
    s.add_argument("--unit", required=True, choices=["quarter", "year"])
    s.add_argument("--window", type=int, required=True)
    s.add_argument("--first", type=int, required=True)
    s.add_argument("--last", type=int, required=True)
    s.add_argument("--stride", type=int)
    s.add_argument("--rule", choices=["end", "mid"], default="end")
    s.add_argument("--average", type=int)
    s.add_argument("--dependence", action="store_true")
    s.add_argument("--no-header", action="store_true")
    s = sub.add_parser("ideal", help="UN General Assembly ideal points in a year")
    s.add_argument("data", help="shared/data/unga_ideal_points_1946_2012.csv")
    s.add_argument("--year", type=int, required=True)
    s.add_argument("--state", nargs="+", required=True, help="CountryAbb, e.g. USA RUS IND")
    return p


def main():
    args = parser().parse_args()
    commands = {"initial": cmd_initial, "observe": cmd_observe, "ideal": cmd_ideal}
    try:
        rows = read_sipri(args.data) if args.command != "ideal" else None
        commands[args.command](args, rows)
    except BrokenPipeError:
        # The reader stopped early (e.g. `| head`): not an error of the data.
        sys.stderr.close()
        sys.exit(0)
    except BadInput as e:
        print(f"observe_sipri.py: {e}", file=sys.stderr)
        sys.exit(2)
    except (OSError, KeyError, ValueError) as e:
        print(f"observe_sipri.py: cannot read {args.data}: {e}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
