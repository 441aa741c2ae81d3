#!/bin/sh
# tensorinit GPU benchmark (issue 12): every row of the issue's table in one run, on the GPU machine, from
# the folder package.sh built (no Java, Maven or network needed there). Usage: bench.sh <results dir> [log2 = 30]
#   1. peers_bench.py, one process per framework (torch, CuPy's cuRAND, JAX; each limit 120 s), with the
#      first Python that imports it: $TENSORINIT_PYTHON, /opt/torch/.venv/bin/python3, python3. A missing
#      framework is a SKIP line, not a failure.
#   2. CudaBenchmark (limit 240 s, or BENCH_RESERVE - 10): cuMemsetD32 and cuMemsetD16, the philox engine for every kernel variant
#      (default, v1, v2, v4, v2h) x grid (32 blocks/SM, resident) in f32 (uniform, normal, trunc_normal) and
#      bf16/f16 (uniform, normal), the curand engine, and the peer rows merged in, as ratios to the memset of
#      the same element size.
# Writes benchmark.md (the table to commit), benchmark.txt, benchmark.tsv, peers.tsv, bench.log.
# Expected time on an H200: about 1 minute for CudaBenchmark (74 rows of 8 runs, 2-30 ms each, 10 module
# loads) and 20-60 s per Python framework (imports, JAX's compiles): 2-4 minutes in all. The whole script keeps
# within BENCH_BUDGET seconds (default 400, below the device call's timeout_s 420): CudaBenchmark's 240 s (+10 s
# grace) are reserved first, and a framework whose limit would eat into them is skipped (a SKIP line), so our own
# rows always come back. Exit: CudaBenchmark's (0 ok, 2 no GPU).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:?usage: bench.sh <results dir> [log2]}
LOG2=${2:-30}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
JAVA="$HERE/jre/bin/java"
CP="$HERE/lib/*"
FLAGS="--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx8g"
. "$HERE/machine.sh"
start=$(date +%s)
BUDGET=${BENCH_BUDGET:-400}
RESERVE=${BENCH_RESERVE:-250}   # CudaBenchmark: its limit (this - 10 s) + timeout's 10 s of grace
[ "$RESERVE" -gt "$BUDGET" ] && RESERVE=$BUDGET
[ "$RESERVE" -lt 30 ] && RESERVE=30            # a limit of at least 20 s (0 would mean none to timeout(1))
left() { echo $(( BUDGET - RESERVE - ($(date +%s) - start) )); }
: > "$OUT/peers.tsv"
for fw in torch cupy jax; do
  mod=$fw
  if [ "$(left)" -lt 40 ]; then
    printf 'SKIP\t%s\tno time left in the %s s budget (CudaBenchmark goes first)\n' "$fw" "$BUDGET" >> "$OUT/peers.tsv"
    continue
  fi
  py=""
  for cand in ${TENSORINIT_PYTHON:-} /opt/torch/.venv/bin/python3 python3; do
    if command -v "$cand" >/dev/null 2>&1 && limit 20 "$cand" -c "import $mod" >/dev/null 2>&1; then py=$cand; break; fi
  done
  [ -z "$py" ] && py=python3
  if ! command -v "$py" >/dev/null 2>&1; then
    printf 'SKIP\t%s\tno python3 on this machine\n' "$fw" >> "$OUT/peers.tsv"
    continue
  fi
  l=$(( $(left) - 10 ))   # what is left after timeout's grace, at most 120 s
  [ $l -gt 120 ] && l=120
  if [ $l -lt 20 ]; then
    printf 'SKIP\t%s\tno time left in the %s s budget (CudaBenchmark goes first)\n' "$fw" "$BUDGET" >> "$OUT/peers.tsv"
    continue
  fi
  t0=$(date +%s)
  XLA_PYTHON_CLIENT_PREALLOCATE=false limit $l "$py" "$HERE/peers_bench.py" "$LOG2" "$fw" >> "$OUT/peers.tsv" 2>> "$OUT/bench.log"
  rc=$?
  [ $rc -ne 0 ] && printf 'SKIP\t%s\tpeers_bench.py exited %s (124 = timed out after %s s)\n' "$fw" "$rc" "$l" >> "$OUT/peers.tsv"
  echo "peers $fw ($py): exit $rc after $(( $(date +%s) - t0 )) s" | tee -a "$OUT/bench.log"
done
cat "$OUT/peers.tsv"
t0=$(date +%s)
limit $(( RESERVE - 10 )) "$JAVA" $FLAGS -cp "$CP" dev.tensorinit.cuda.check.CudaBenchmark "$OUT" "$LOG2" "$OUT/peers.tsv" >> "$OUT/bench.log" 2>&1
rc=$?
echo "CudaBenchmark: exit $rc after $(( $(date +%s) - t0 )) s; bench.sh took $(( $(date +%s) - start )) s" | tee -a "$OUT/bench.log"
[ -f "$OUT/benchmark.md" ] && cat "$OUT/benchmark.md"
exit $rc
