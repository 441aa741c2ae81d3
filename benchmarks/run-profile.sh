#!/usr/bin/env bash
# Runs tensorinit's short benchmark profile (about 4-5 minutes on 2 cores; the build comes first) and
# writes benchmarks/results/: jmh-results.json, numpy.json, meta.json, results.md, chart.png
# (+ chart-gpu.png when a CUDA GPU was measured). Whatever backends and devices are present are
# measured; the rest are skipped with the reason printed.
#
# Usage: benchmarks/run-profile.sh [--quick] [--no-build] [--out DIR]
#   --quick     smoke run of the whole pipeline (tiny sizes and iterations; about 100 s on 2 cores);
#               writes benchmarks/target/quick-results unless --out is given
#   --no-build  reuse benchmarks/target/benchmarks.jar
#   --out DIR   where the results go (default benchmarks/results)
# Environment: BENCH_JAVA_OPTS, e.g. "-Dtensorinit.cpu.threads=1", is passed to the driver and
# every tensorinit.* property in it is forwarded to the JMH forks.
set -euo pipefail
unset CDPATH   # exported, it made cd print the folder or go to another one of the same name
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
caller="$PWD"   # a relative --out is the caller's, not the checkout's (it went to the checkout's root)
cd "$root"
. scripts/find-jdk.sh

quick=""; build=1; out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick="--quick" ;;
    --no-build) build=0 ;;
    --out) [ $# -ge 2 ] || { echo "--out needs a folder" >&2; exit 2; }
           case "$2" in /*) out="$2" ;; *) out="$caller/$2" ;; esac; shift ;;
    *) echo "unknown argument '$1' (expected --quick, --no-build, --out DIR)" >&2; exit 2 ;;
  esac
  shift
done
[ -n "$out" ] || { if [ -n "$quick" ]; then out=benchmarks/target/quick-results; else out=benchmarks/results; fi; }
# Before minutes of measuring: a results folder that cannot be made was found only at the end (QA).
mkdir -p "$out" 2>/dev/null && [ -w "$out" ] || { echo "--out $out: cannot make or write that folder" >&2; exit 2; }

start=$(date +%s)
if [ "$build" = 1 ]; then
  echo "Building benchmarks.jar (reactor build of core and every backend, tests skipped)..." >&2
  # -am: always build this checkout's modules, never a tensorinit snapshot from ~/.m2.
  # build-classpath (provided scope, relative to each module) lists DL4J/ND4J for the class path.
  mvn -B -ntp -q -pl benchmarks -am -DskipTests package \
      dependency:build-classpath -DincludeScope=provided -Dmdep.outputFile=target/provided.classpath
fi
jar=benchmarks/target/benchmarks.jar
[ -f "$jar" ] || { echo "$jar is missing: run without --no-build" >&2; exit 1; }
cp="$jar"
if [ -s benchmarks/target/provided.classpath ]; then cp="$cp:$(cat benchmarks/target/provided.classpath)"; fi
built=$(date +%s)

# Results are written to a scratch folder and copied over only when the run completes.
tmp=benchmarks/target/profile-run
rm -rf "$tmp"; mkdir -p "$tmp"
java_flags=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx1g -Djava.awt.headless=true)
# shellcheck disable=SC2206 # word splitting of the user's options is intended
[ -n "${BENCH_JAVA_OPTS:-}" ] && java_flags+=(${BENCH_JAVA_OPTS})

if python3 -c 'import numpy' 2>/dev/null; then
  echo "numpy peer (1 thread, 2^$([ -n "$quick" ] && echo 20 || echo 24) f32):" >&2
  if [ -n "$quick" ]; then python3 benchmarks/numpy_bench.py "$tmp/numpy.json" 20 0.5
  else python3 benchmarks/numpy_bench.py "$tmp/numpy.json" 24 3; fi
else
  echo "numpy peer SKIPPED: python3 with numpy is not available ($(python3 --version 2>&1 || true))" >&2
fi

"$JAVA_HOME/bin/java" "${java_flags[@]}" -cp "$cp" dev.tensorinit.bench.ProfileMain --out "$tmp" $quick
"$JAVA_HOME/bin/java" "${java_flags[@]}" -cp "$jar" dev.tensorinit.bench.ReportMain "$tmp"

mkdir -p "$out"
for f in jmh-results.json meta.json numpy.json results.md chart.png chart-gpu.png; do
  rm -f "$out/$f"
  if [ -f "$tmp/$f" ]; then cp "$tmp/$f" "$out/$f"; fi
done
end=$(date +%s)
echo "Profile done: build $((built - start)) s, measurements and report $((end - built)) s. Results in $out/results.md" >&2
