#!/usr/bin/env bash
# Whole-checkpoint benchmark: `tensorinit model` next to a plain write of the same bytes with fsync
# (dd conv=fsync), and, where Python has torch and transformers, next to from_config + save_pretrained.
# Runs are interleaved and repeated; report ratios of medians from one run of this script.
# Usage: scripts/hf-check/bench.sh CONFIG [RUNS=3] [WORKDIR=/tmp/ti-bench]
#   TENSORINIT=path/to/tensorinit (default: the repository's ./tensorinit)  TORCH_DEVICES="cpu cuda" (default: cpu)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CONFIG=$1
RUNS=${2:-3}
WORK=${3:-/tmp/ti-bench}
TI=${TENSORINIT:-$ROOT/tensorinit}
mkdir -p "$WORK"
BYTES=$("$TI" model --config "$CONFIG" --out "$WORK/dry" --dry-run | sed -n 's/^total .* parameters, \([0-9]*\) bytes.*/\1/p')
echo "config $CONFIG: $BYTES data bytes; $RUNS runs each; workdir $WORK ($(df -h "$WORK" | tail -1 | awk '{print $4}') free)"
now() { date +%s.%N; }
HAVE_TORCH=0
python3 -c 'import torch, transformers' 2>/dev/null && HAVE_TORCH=1
declare -A T
for r in $(seq 1 "$RUNS"); do
  rm -rf "$WORK/dd" "$WORK/ti" "$WORK/pt"; sync
  t0=$(now); dd if=/dev/zero of="$WORK/dd" bs=64M count=$(( (BYTES + 67108863) / 67108864 )) conv=fsync status=none; t1=$(now)
  T[dd]+="$(echo "$t1 - $t0" | bc) "; rm -f "$WORK/dd"; sync
  t0=$(now); "$TI" model --config "$CONFIG" --out "$WORK/ti" --force > "$WORK/ti.log"; t1=$(now)
  T[tensorinit]+="$(echo "$t1 - $t0" | bc) "; rm -rf "$WORK/ti"; sync
  if [ "$HAVE_TORCH" = 1 ]; then
    for dev in ${TORCH_DEVICES:-cpu}; do
      python3 "$HERE/hf_check.py" time "$CONFIG" "$WORK/pt" --device "$dev" > "$WORK/pt-$dev.json"
      T[torch-$dev]+="$(python3 -c "import json;print(json.load(open('$WORK/pt-$dev.json'))['total_s'])") "; rm -rf "$WORK/pt"; sync
    done
  fi
  echo "run $r: dd ${T[dd]##* } ... done"
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
DD=$(echo "${T[dd]}" | median)
printf '%-16s %-40s %10s %8s\n' what "seconds (each run)" median "x dd"
for k in dd tensorinit $(for d in ${TORCH_DEVICES:-cpu}; do [ "$HAVE_TORCH" = 1 ] && echo "torch-$d"; done); do
  m=$(echo "${T[$k]}" | median)
  printf '%-16s %-40s %10.2f %8.2f\n' "$k" "${T[$k]}" "$m" "$(echo "$m / $DD" | bc -l)"
done
