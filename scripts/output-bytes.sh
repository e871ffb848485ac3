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
# SIMULATE=path runs another build (say, the binary of the commit before a change).
S=$(realpath "${SIMULATE:-target/release/simulate}")
rm -rf "$out"
mkdir -p "$out"
for f in scenarios/putin_visit.ron scenarios/baseline.ron tests/data/small.ron \
         tests/data/three_states.ron scenarios/validation/*.ron; do
    $S "$f" -n 1000 --seed 7 --out "$out/run-$(basename "$f" .ron)" \
        | grep -v '^results in ' > "$out/run-$(basename "$f" .ron).txt"
done
# Runs, compares, sweeps and blocs print their tables too (without -q), less the folder line.
$S compare scenarios/baseline.ron scenarios/putin_visit.ron -n 1000 --seed 7 --out "$out/compare" \
    | grep -v '^results in ' > "$out/compare.txt"
# Three scenarios: the comparison plots draw a bar and a difference per scenario after A.
$S compare scenarios/baseline.ron scenarios/putin_visit.ron scenarios/visit_without_deals.ron \
    -n 300 --seed 7 --out "$out/compare-3" | grep -v '^results in ' > "$out/compare-3.txt"
$S sweep scenarios/putin_visit.ron --param lambda=0.2:0.8:3 -n 300 --seed 7 --out "$out/sweep" \
    | grep -v '^results in ' > "$out/sweep.txt"
# Two parameters: curves per value of the second, and the heat map.
$S sweep scenarios/putin_visit.ron --param lambda=0.2:0.8:3 \
    --param event.energy_megadeal.hazard=0.02:0.12:2 -n 200 --seed 7 --out "$out/sweep-2" \
    | grep -v '^results in ' > "$out/sweep-2.txt"
# The printed table too (without -q), less the line naming the output folder.
$S sensitivity tests/data/small.ron --samples 8 -n 100 --seed 7 --out "$out/sensitivity" \
    | grep -v '^results in ' > "$out/sensitivity.txt"
$S sensitivity tests/data/sens_effect.ron --against tests/data/sens_level.ron --samples 16 \
    -n 8 --seed 7 --out "$out/sensitivity-against" \
    | grep -v '^results in ' > "$out/sensitivity-against.txt"
# Two shards and their merge. A part's manifest names the build (a hash of the source), so
# its `engine_build` and `checksum` lines, and the folder record holding the manifest's
# sha256, change with any edit: they are left out, every other byte is kept.
for i in 1 2; do
    $S scenarios/putin_visit.ron -n 300 --seed 7 -q --shard "$i/2" --out "$out/part-$i"
done
$S merge "$out/part-1" "$out/part-2" -q --out "$out/merged"
for i in 1 2; do
    grep -v -e '"engine_build"' -e '"checksum"' "$out/part-$i/manifest.json" \
        > "$out/part-$i/manifest-without-build.json"
    rm "$out/part-$i/manifest.json" "$out/part-$i/.entente-results"
done
$S blocs scenarios/putin_visit.ron --from partnership --out "$out/blocs" \
    | grep -v '^results in ' > "$out/blocs.txt"
$S blocs benches/reference_large.ron --out "$out/blocs-30" \
    | grep -v '^results in ' > "$out/blocs-30.txt"
# A scored forecast with every ablation, and its printed table (less the folder line).
$S score tests/data/small.ron --observed tests/data/small.observed.csv \
    --ablate balance,leverage,dependency,all -n 300 --seed 7 --out "$out/score" \
    | grep -v '^results in ' > "$out/score.txt"
$S check scenarios/putin_visit.ron > "$out/check.txt"
# Sensitivity by groups (the groups block of the printed table), and explain: its files and
# its printed table (less the folder line).
$S sensitivity tests/data/small.ron --groups kind --samples 8 -n 50 --seed 7 \
    --out "$out/sensitivity-groups" | grep -v '^results in ' > "$out/sensitivity-groups.txt"
$S explain scenarios/putin_visit.ron -n 300 --seed 7 --out "$out/explain" \
    | grep -v '^results in ' > "$out/explain.txt"
