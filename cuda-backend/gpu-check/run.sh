#!/bin/sh
# tensorinit GPU check: runs on a GPU machine with no Java, Maven or network, from the folder package.sh
# built. Usage: run.sh <results dir>. Writes there: probe.txt, junit.tgz (XML reports), junit.txt,
# benchmark.txt, benchmark.log, cli.txt, summary.txt. Exit 0: everything passed; 1: a failure (a CUDA test that skips on a GPU machine
# counts as one); 2: no usable GPU (reason printed).
# TENSORINIT_GPU_CHECK_ANYWAY=1 runs every step even without a GPU (CUDA tests then skip, CUDA files are
# not compared): a packaging check for machines without one. On a small machine add CRASH_RUNS=2
# CRASH_SHAPE=4096x4096 (cli-check.sh): 30 runs of 1 GiB take 2-core machines longer than the step's 110 s.
# Budget: the whole run is meant to fit in 5 device minutes (step limits: 30 + 60 (the start-up cache, recorded once)
# + 20 + 150 + 40 + 110 s, each with timeout's 10 s of grace: 470 s at worst, 420 without the benchmark step; about
# 130 s on the H200 machine, 2026-11-30). The full
# benchmark (every kernel variant, torch / CuPy / JAX rows) is bench.sh, run on its own (2-4 minutes).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:?usage: run.sh <results dir>}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
JAVA="$HERE/jre/bin/java"
CP="$HERE/lib/*"
# The >2^31-element tests keep their big data on the device; host windows and one 4 GiB host fill need native memory only.
FLAGS="--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx8g -XX:MaxDirectMemorySize=16g"
ANYWAY=${TENSORINIT_GPU_CHECK_ANYWAY:-0}
. "$HERE/machine.sh"
note() { echo "$*" | tee -a "$OUT/summary.txt"; }
failed=0

cat "$HERE/VERSION.txt" > "$OUT/summary.txt" 2>/dev/null
# Every step has a limit: a driver call that hangs must not take the whole device call with it.
limit 30 "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$CP" dev.tensorinit.cuda.check.GpuProbeMain > "$OUT/probe.txt" 2>&1
probe=$?
[ $probe -eq 124 ] && echo "probe timed out after 30 s" >> "$OUT/probe.txt"
cat "$OUT/probe.txt"
if [ $probe -eq 2 ] && [ "$ANYWAY" != 1 ]; then
  cat "$OUT/probe.txt" >> "$OUT/summary.txt"
  exit 2
elif [ $probe -ne 0 ] && [ $probe -ne 2 ]; then
  note "probe crashed (exit $probe), see probe.txt"
  exit 1
fi
cat "$OUT/probe.txt" >> "$OUT/summary.txt"
# The command's first run records its start-up cache (a training run of small fills): before anything is timed.
limit 60 "$HERE/tensorinit" --version > /dev/null 2>&1
limit 20 "$HERE/tensorinit" backends >> "$OUT/summary.txt" 2>&1

# --- 1. the suites ------------------------------------------------------------------------------------
# Every test class of the CUDA module (its backend contract, bit identity, ranges, tiles, >2^31 elements,
# curand statistics, out-of-memory, 1000 alloc/fill/free cycles, launch invariance), the backend contract
# on OpenCL (NVIDIA's driver when present, a GPU ranks first) and the signal tests with PoCL loaded beside
# it. On a GPU machine cuda is required: a CUDA test that would skip fails instead.
REQUIRE=cuda
[ $probe -eq 2 ] && REQUIRE=""
start=$(date +%s)
TENSORINIT_REQUIRE_BACKENDS=$REQUIRE limit 150 "$JAVA" $FLAGS -cp "$CP" org.junit.platform.console.ConsoleLauncher execute \
  --select-package dev.tensorinit.cuda --select-class dev.tensorinit.opencl.OpenClContractTest \
  --select-class dev.tensorinit.opencl.SignalHandlersTest --select-class dev.tensorinit.opencl.SignalStressTest \
  --fail-if-no-tests --reports-dir "$OUT/junit" --details tree --disable-banner --disable-ansi-colors \
  > "$OUT/junit.txt" 2>&1
suite=$?
note "suites: exit $suite after $(( $(date +%s) - start )) s (124 = timed out)"
grep -E 'tests (successful|failed|skipped|aborted)|containers (failed|aborted)' "$OUT/junit.txt" | tee -a "$OUT/summary.txt"
[ $suite -ne 0 ] && failed=1
# Skips that only mean "no GPU" are failures on a GPU machine (any left after REQUIRE are listed here).
if [ $probe -eq 0 ] && grep -h -o '<skipped message="[^"]*\(GPU\|cuda\|CUDA\|cuRAND\|curand\)[^"]*"' "$OUT"/junit/*.xml > "$OUT/gpu-skips.txt" 2>/dev/null; then
  note "FAIL: CUDA tests skipped on a GPU machine:"; cat "$OUT/gpu-skips.txt" | tee -a "$OUT/summary.txt"
  failed=1
fi
# Few files for a results folder that travels back (the device tool returns at most 8): the XML reports as one
# archive, made now, so that a run killed in a later step still brings them back.
(cd "$OUT" && tar czf junit.tgz junit && rm -rf junit) 2>/dev/null

# --- 2. the benchmark ---------------------------------------------------------------------------------
# TENSORINIT_GPU_CHECK_BENCH=0 leaves it out (all.sh runs bench.sh, the full set, after this script).
if [ $probe -eq 0 ] && [ "${TENSORINIT_GPU_CHECK_BENCH:-1}" != 0 ]; then
  start=$(date +%s)
  # quick: the default and v2h kernels only; bench.sh runs every variant and the torch/CuPy/JAX rows on its own
  limit 40 "$JAVA" $FLAGS -cp "$CP" dev.tensorinit.cuda.check.CudaBenchmark "$OUT" 30 - quick > "$OUT/benchmark.log" 2>&1
  bench=$?
  cat "$OUT/benchmark.log"
  note "benchmark: exit $bench after $(( $(date +%s) - start )) s"
  [ -f "$OUT/benchmark.txt" ] && cat "$OUT/benchmark.txt" >> "$OUT/summary.txt"
  [ $bench -ne 0 ] && failed=1
fi

# --- 3. the command: the same bytes from every backend, and no crash in a loop of large fills ----------
start=$(date +%s)
limit 110 sh "$HERE/cli-check.sh" "$HERE" "$OUT" "$probe" > "$OUT/cli.txt" 2>&1
cli=$?
tail -n 25 "$OUT/cli.txt"
note "command checks: exit $cli after $(( $(date +%s) - start )) s (124 = timed out)"
grep -E '^(SAME|DIFFERENT|CRASH|LOOP|FILES)' "$OUT/cli.txt" >> "$OUT/summary.txt"
[ $cli -ne 0 ] && failed=1

if [ $failed -ne 0 ]; then note "RESULT: FAILED"; exit 1; fi
if [ $probe -eq 2 ]; then note "RESULT: passed without a GPU (nothing of CUDA was checked)"; exit 2; fi
note "RESULT: passed"
exit 0
