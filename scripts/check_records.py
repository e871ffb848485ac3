#!/usr/bin/env python3
"""Checks that pandas reads `records.parquet` with no options (docs/src/howto/records.md).

    check_records.py FOLDER...         each FOLDER a run's results written with --records:
                                       one row per trajectory, in order, and each outcome's
                                       mean is summary.json's probability
    check_records.py --snippet DOC DIR runs the pandas snippet of DOC (its one ```python
                                       block) in DIR, which must leave the chart it draws

.ci/run calls both in a virtual environment it makes from the package registry. Exits 1
with a message on the first thing that does not hold.
"""

import json
import os
import re
import subprocess
import sys

import pandas as pd


def fail(message):
    print(f"check_records: {message}", file=sys.stderr)
    sys.exit(1)


def check_folder(folder):
    records = pd.read_parquet(os.path.join(folder, "records.parquet"))
    with open(os.path.join(folder, "summary.json"), encoding="utf-8") as f:
        summary = json.load(f)
    trajectories = summary["trajectories"]
    if len(records) != trajectories:
        fail(f"{folder}: {len(records)} rows for {trajectories} trajectories")
    if list(records["trajectory"]) != list(range(trajectories)):
        fail(f"{folder}: the rows are not trajectories 0 to {trajectories - 1} in order")
    for outcome in summary["outcomes"]:
        column = records[f"outcome.{outcome['name']}"]
        if column.dtype != bool:
            fail(f"{folder}: outcome {outcome['name']} is read as {column.dtype}, not bool")
        # The probability is count / trajectories: the sum is the exact check.
        if int(column.sum()) != outcome["count"] or abs(column.mean() - outcome["probability"]) > 1e-12:
            fail(
                f"{folder}: outcome {outcome['name']} holds in {int(column.sum())} rows, "
                f"summary.json counts {outcome['count']}"
            )
    print(f"{folder}: {len(records)} rows, {len(records.columns)} columns, "
          f"{len(summary['outcomes'])} outcomes as summary.json says")


def run_snippet(doc, workdir):
    with open(doc, encoding="utf-8") as f:
        blocks = re.findall(r"```python\n(.*?)```", f.read(), re.S)
    if len(blocks) != 1:
        fail(f"{doc}: {len(blocks)} python blocks, expected the one snippet")
    pictures = set(re.findall(r'savefig\("([^"]+)"', blocks[0]))
    if not pictures:
        fail(f"{doc}: the snippet saves no chart")
    env = dict(os.environ, MPLBACKEND="Agg")
    done = subprocess.run([sys.executable, "-c", blocks[0]], cwd=workdir, env=env)
    if done.returncode != 0:
        fail(f"{doc}: the snippet failed (exit {done.returncode})")
    for picture in pictures:
        path = os.path.join(workdir, picture)
        if not os.path.isfile(path) or os.path.getsize(path) == 0:
            fail(f"{doc}: the snippet drew no {picture}")
    print(f"{doc}: the snippet ran and drew {', '.join(sorted(pictures))}")


def main(args):
    if args[:1] == ["--snippet"] and len(args) == 3:
        run_snippet(args[1], args[2])
    elif args and not args[0].startswith("-"):
        for folder in args:
            check_folder(folder)
    else:
        fail(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
