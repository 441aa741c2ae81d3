#!/usr/bin/env bash
# Alternating whole-process runs of `tensorinit fill` from two or more checkouts (A, B, A, B, ...), so that a shared
# machine's drift (a fifth within the hour on the 2-core VMs here) hits every checkout alike; prints each one's median
# wall time and all runs. Each checkout is built (if stale) before the first timed run.
# Not a test: nothing is asserted. What the README's "alternating runs" numbers come from.
#
# Usage: benchmarks/ab.sh ROUNDS SHAPE OUTDIR CHECKOUT [CHECKOUT...] [-- FILL OPTIONS...]
#   e.g. benchmarks/ab.sh 10 8192x8192 /tmp/ab /tmp/before . -- --init normal --dtype bf16
# Default fill options: --init normal. OUTDIR must be on the disk to measure (not tmpfs, unless that is the point).
set -euo pipefail
[ $# -ge 4 ] || { sed -n '2,9p' "$0" >&2; exit 2; }
rounds=$1 shape=$2 out=$3; shift 3
roots=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do roots+=("$(cd "$1" && pwd)"); shift; done
[ "${1:-}" = "--" ] && shift
opts=("$@"); [ ${#opts[@]} -gt 0 ] || opts=(--init normal)
mkdir -p "$out"
# A checkout whose sources are newer than its build rebuilds and records its start-up cache on its next run (10-30 s):
# that happens here, not in a timed run.
for root in "${roots[@]}"; do "$root/tensorinit" --version >/dev/null 2>&1 || { echo "ab: $root does not run" >&2; exit 1; }; done
declare -a times
for ((r = 1; r <= rounds; r++)); do
  for i in "${!roots[@]}"; do
    rm -f "$out/ab.npy"
    s=$(date +%s%N)
    "${roots[$i]}/tensorinit" fill --shape "$shape" "${opts[@]}" --seed "$r" --out "$out/ab.npy" >/dev/null 2>&1 \
      || { echo "ab: a run of ${roots[$i]} failed" >&2; exit 1; }
    e=$(date +%s%N)
    times[$i]="${times[$i]:-} $(( (e - s) / 1000000 ))"
  done
done
rm -f "$out/ab.npy"
for i in "${!roots[@]}"; do
  sorted=$(printf '%s\n' ${times[$i]} | sort -n | tr '\n' ' ')
  median=$(printf '%s\n' ${times[$i]} | sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}')
  echo "${roots[$i]}: median ${median} ms over ${rounds} runs (sorted: ${sorted% })"
done
