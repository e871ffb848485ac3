#!/usr/bin/env bash
# The big-world table of README "Performance": whole processes of entente and of the numpy
# peer (shared/bench/peer) on the reference world of N states (benches/README.md,
# K = 4 channels, T = 40 steps), the same trajectories, best of R runs each, alternated so
# that both meet the same machine. Prints a Markdown table.
#
#   python3 -m venv /tmp/peer && /tmp/peer/bin/pip install -r ../shared/bench/peer/requirements.txt
#   scripts/scaling.sh            # R=3; PEER=/path/to/python, PEER_DIR=..., THREADS=2
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
PEER=${PEER:-/tmp/peer/bin/python}
PEER_DIR=$(realpath "${PEER_DIR:-../shared/bench/peer}")
R=${R:-3}
THREADS=${THREADS:-2}
SIZES=${SIZES:-"6 15 30 60 100 200"}

cargo build --release -q
# Writes benches/generated/reference_n{6,15,30,60,100,200}.ron from the formulas.
cargo run --release -q --example reference_worlds >/dev/null

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# Trajectories per size: what benches/reference_world.rs `default_trajectories` writes in
# the file, so that each whole run takes a few seconds.
trajectories() {
    case $1 in
        6) echo 200000 ;; 15) echo 40000 ;; 30) echo 8000 ;;
        60) echo 1200 ;; 100) echo 300 ;; *) echo 50 ;;
    esac
}

seconds() { # wall seconds of a command, its output discarded
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }'
}

best() { sort -g | head -1; }

echo "| states N | trajectories | entente ($THREADS threads) | numpy peer | ratio |"
echo "| --- | --- | --- | --- | --- |"
for n in $SIZES; do
    m=$(trajectories "$n")
    file=$root/benches/generated/reference_n$n.ron
    e=() p=()
    for r in $(seq 1 "$R"); do
        e+=("$(seconds target/release/simulate "$file" --trajectories "$m" --seed 2018 \
            --threads "$THREADS" --quiet --out "$scratch/n$n-$r")")
        p+=("$(cd "$PEER_DIR" && seconds env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
            "$PEER" numpy_vectorized.py --n "$n" --m "$m")")
    done
    eb=$(printf '%s\n' "${e[@]}" | best)
    pb=$(printf '%s\n' "${p[@]}" | best)
    printf '| %s | %s | %.2f s | %.2f s | %.1fx |\n' "$n" "$m" "$eb" "$pb" \
        "$(awk -v p="$pb" -v e="$eb" 'BEGIN { print p / e }')"
done
