#!/bin/sh
# tensorinit CUDA GPU check: runs on a GPU machine with no Java, Maven or network, from the folder
# package.sh built. Usage: run.sh <results dir>. Writes probe.txt, junit/ (XML), junit.txt, benchmark.txt
# and summary.txt there. Exit 0: suite passed; 1: failures or errors; 2: no usable GPU (reason printed).
# TENSORINIT_GPU_CHECK_ANYWAY=1 runs the suite even without a GPU (its GPU tests then skip): a packaging check.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:?usage: run.sh <results dir>}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
JAVA="$HERE/jre/bin/java"
CP="$HERE/lib/*"
# The >2^31-element tests keep their big data on the device; host windows and one 4 GiB host fill need native memory only.
FLAGS="--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx8g -XX:MaxDirectMemorySize=16g"
TO=""
command -v timeout >/dev/null 2>&1 && TO="timeout"
limit() { if [ -n "$TO" ]; then timeout "$@"; else shift; "$@"; fi; }

cat "$HERE/VERSION.txt" > "$OUT/summary.txt" 2>/dev/null
"$JAVA" --enable-native-access=ALL-UNNAMED -cp "$CP" dev.tensorinit.cuda.check.GpuProbeMain > "$OUT/probe.txt" 2>&1
probe=$?
cat "$OUT/probe.txt"
if [ $probe -eq 2 ] && [ "${TENSORINIT_GPU_CHECK_ANYWAY:-0}" != 1 ]; then
  cat "$OUT/probe.txt" >> "$OUT/summary.txt"
  exit 2
elif [ $probe -ne 0 ] && [ $probe -ne 2 ]; then
  echo "probe crashed (exit $probe), see probe.txt" | tee -a "$OUT/summary.txt"
  exit 1
fi
cat "$OUT/probe.txt" >> "$OUT/summary.txt"

# Conformance suite: every test class in dev.tensorinit.cuda (bit identity, ranges, tiles, >2^31, curand statistics,
# out-of-memory, 1000 alloc/fill/free cycles, launch invariance) plus the probe/artifact tests.
start=$(date +%s)
limit 360 "$JAVA" $FLAGS -cp "$CP" org.junit.platform.console.ConsoleLauncher execute \
  --select-package dev.tensorinit.cuda --fail-if-no-tests --reports-dir "$OUT/junit" --details tree --disable-banner --disable-ansi-colors \
  > "$OUT/junit.txt" 2>&1
suite=$?
echo "conformance suite: exit $suite after $(( $(date +%s) - start )) s (124 = timed out)" | tee -a "$OUT/summary.txt"
grep -E 'tests (successful|failed|skipped|aborted)|containers failed' "$OUT/junit.txt" | tee -a "$OUT/summary.txt"

start=$(date +%s)
limit 120 "$JAVA" $FLAGS -cp "$CP" dev.tensorinit.cuda.check.CudaBenchmark "$OUT" 30 > "$OUT/benchmark.log" 2>&1
bench=$?
cat "$OUT/benchmark.log"
echo "benchmark: exit $bench after $(( $(date +%s) - start )) s" | tee -a "$OUT/summary.txt"
[ -f "$OUT/benchmark.txt" ] && cat "$OUT/benchmark.txt" >> "$OUT/summary.txt"
[ $suite -eq 0 ] && [ $bench -eq 0 ] && exit 0
[ $probe -eq 2 ] && exit 2
exit 1
