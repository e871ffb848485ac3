#!/usr/bin/env bash
# Writes the outputs of every command on the shipped and test scenarios, with fixed seeds,
# into OUTDIR, so that a refactor can be checked to change no output byte:
#
#   cargo build --release && scripts/output-bytes.sh /tmp/before
#   ... change the code ...
#   cargo build --release && scripts/output-bytes.sh /tmp/after && diff -r /tmp/before /tmp/after
set -euo pipefail
out=$(realpath -m "${1:?usage: scripts/output-bytes.sh OUTDIR}")
cd "$(dirname "$0")/.."
S=target/release/simulate
rm -rf "$out"
mkdir -p "$out"
for f in scenarios/putin_visit.ron scenarios/baseline.ron tests/data/small.ron \
         tests/data/three_states.ron scenarios/validation/*.ron; do
    $S "$f" -n 1000 --seed 7 -q --out "$out/run-$(basename "$f" .ron)"
done
$S compare scenarios/baseline.ron scenarios/putin_visit.ron -n 1000 --seed 7 -q --out "$out/compare"
$S sweep scenarios/putin_visit.ron --param lambda=0.2:0.8:3 -n 300 --seed 7 -q --out "$out/sweep"
$S sensitivity tests/data/small.ron --samples 8 -n 100 --seed 7 -q --out "$out/sensitivity"
$S blocs scenarios/putin_visit.ron --from partnership -q --out "$out/blocs"
$S blocs benches/reference_large.ron -q --out "$out/blocs-30"
$S check scenarios/putin_visit.ron > "$out/check.txt"
