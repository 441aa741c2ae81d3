#!/usr/bin/env bash
# Packages the GPU check into one self-contained folder (default cuda-backend/target/gpu-check):
#   jre/   a jlinked JDK 25 runtime          lib/   tensorinit + test jars, the CLI, JCuda/JOCL natives, JUnit runner
#   tensorinit  the command, as ./tensorinit runs it (libjsig preloaded)
#   run.sh runs the CUDA suite, the backend contract on OpenCL, the signal tests, the benchmark, the CLI's
#          cross-backend file comparison and its crash loop on a GPU machine with no Java, Maven or network.
#   bench.sh + peers_bench.py: the full benchmark of issue 12 (every kernel variant, torch / CuPy / JAX rows).
#   all.sh: one device call's worth: run.sh, bench.sh, `tensorinit bench` and the end-to-end benchmark (e2e.py) under
#          one deadline, results packed into few files.
#   machine.sh: the GPU machine's driver paths (NVIDIA's OpenCL ICD, cuRAND), sourced by run.sh and bench.sh.
# Usage: cuda-backend/gpu-check/package.sh [outdir]. Needs JDK 25 (scripts/find-jdk.sh) and Maven here.
set -euo pipefail
MODULE=$(cd "$(dirname "$0")/.." && pwd)
ROOT=$(cd "$MODULE/.." && pwd)
OUT=${1:-$MODULE/target/gpu-check}
LIMIT_MB=60

cd "$ROOT"
if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "25'; then
  . scripts/find-jdk.sh
fi
MVN=(mvn -B -ntp -q)
rm -rf "$OUT"
mkdir -p "$OUT/lib"
# One reactor run, so tensorinit-core and -cpu come from this checkout, not from whatever ~/.m2 holds.
# Test-scope dependencies without the JUnit artifacts: the console-standalone jar carries all of them.
"${MVN[@]}" -pl cuda-backend,opencl-backend,cli -am package dependency:copy-dependencies -DskipTests -DincludeScope=test \
  -Dtensorinit.cuda.skipKernelCheck=true -DoutputDirectory="$OUT/lib" \
  -DexcludeGroupIds=org.junit.jupiter,org.junit.platform,org.opentest4j,org.apiguardian,net.jqwik
JUNIT_PLATFORM=$(sed -n 's:.*<junit-platform.version>\(.*\)</junit-platform.version>.*:\1:p' pom.xml)
"${MVN[@]}" -pl cuda-backend dependency:copy -Dartifact=org.junit.platform:junit-platform-console-standalone:"$JUNIT_PLATFORM" \
  -DoutputDirectory="$OUT/lib"
VERSION=$(sed -n 's:^  <version>\(.*\)</version>.*:\1:p' pom.xml | head -1)
cp "$MODULE/target/tensorinit-cuda-$VERSION.jar" "$MODULE/target/tensorinit-cuda-$VERSION-tests.jar" \
   "$ROOT/opencl-backend/target/tensorinit-opencl-$VERSION.jar" "$ROOT/opencl-backend/target/tensorinit-opencl-$VERSION-tests.jar" \
   "$ROOT/cli/target/tensorinit-cli-$VERSION.jar" "$OUT/lib/"
# copy-dependencies copies reactor modules from each module's target/classes as folders: keep jars only
find "$OUT/lib" -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} +
# JCuda's natives jar also carries NVRTC and nvPTXCompiler bindings (23 MB) that tensorinit never loads.
for j in "$OUT"/lib/jcuda-natives-*.jar; do
  zip -q -d "$j" 'lib/libJNvPTXCompiler-*' 'lib/libJNvrtc-*'
done

# jdk.zipfs: JUnit scans the test jar as a file system; java.xml: JUnit's XML reports; java.logging: JCuda's loader; jdk.unsupported: JCuda/commons; jdk.incubator.vector: cpu/core.
"$JAVA_HOME/bin/jlink" --add-modules java.base,java.logging,java.management,java.xml,jdk.incubator.vector,jdk.unsupported,jdk.zipfs \
  --strip-debug --no-header-files --no-man-pages --compress zip-6 --output "$OUT/jre" 2>&1 | grep -v 'incubator modules' || true
# The runtime's libjvm.so carries a full symbol table; dropping it (dynamic symbols stay) saves 5 MB.
if command -v strip >/dev/null 2>&1; then strip --strip-unneeded "$OUT/jre/lib/server/libjvm.so"; fi
"$OUT/jre/bin/java" -version >/dev/null 2>&1 || { echo "ERROR: the jlinked runtime does not start" >&2; exit 1; }
# The end-to-end benchmark's warm fill as a compiled class: the runtime above has no jdk.compiler to run its source.
W=$(mktemp -d)
if ! "$JAVA_HOME/bin/javac" --release 25 --add-modules jdk.incubator.vector -cp "$OUT/lib/*" -d "$W" \
    "$ROOT/benchmarks/e2e/WarmFill.java" > "$W.log" 2>&1; then
  cat "$W.log" >&2; rm -rf "$W" "$W.log"; echo "ERROR: benchmarks/e2e/WarmFill.java does not compile" >&2; exit 1
fi
rm -f "$W.log"
"$JAVA_HOME/bin/jar" --create --file "$OUT/lib/e2e-warmfill.jar" -C "$W" .
rm -rf "$W"
cp "$MODULE/gpu-check/run.sh" "$MODULE/gpu-check/cli-check.sh" "$MODULE/gpu-check/tensorinit" \
   "$MODULE/gpu-check/bench.sh" "$MODULE/gpu-check/peers_bench.py" "$MODULE/gpu-check/machine.sh" \
   "$MODULE/gpu-check/all.sh" "$ROOT/benchmarks/e2e/e2e.py" "$ROOT/scripts/jvm-options" "$OUT/"
chmod +x "$OUT/run.sh" "$OUT/cli-check.sh" "$OUT/tensorinit" "$OUT/bench.sh" "$OUT/peers_bench.py" "$OUT/all.sh"
{
  echo "tensorinit GPU check, packaged $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit $(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "runtime $("$OUT/jre/bin/java" -version 2>&1 | head -1)"
  echo "usage: run.sh <results dir>   (exit 0 all passed, 1 failures, 2 no GPU)"
  echo "       bench.sh <results dir>  (the full benchmark: every kernel variant and the torch / CuPy / JAX rows)"
} > "$OUT/VERSION.txt"

SIZE_MB=$(( $(du -sb "$OUT" | cut -f1) / 1000000 ))
echo "gpu-check folder: $OUT (${SIZE_MB} MB: jre $(( $(du -sb "$OUT/jre" | cut -f1) / 1000000 )) MB, lib $(( $(du -sb "$OUT/lib" | cut -f1) / 1000000 )) MB)"
if [ "$SIZE_MB" -ge "$LIMIT_MB" ]; then
  echo "ERROR: the folder is ${SIZE_MB} MB, over the ${LIMIT_MB} MB limit" >&2
  exit 1
fi
# The device tool carries the checkout's tracked files too: together at most 64 MiB.
TRACKED=$(git -C "$ROOT" ls-files -z 2>/dev/null | (cd "$ROOT" && xargs -0 du -cb 2>/dev/null) | tail -1 | cut -f1)
CARRY_MIB=$(( ($(du -sb "$OUT" | cut -f1) + ${TRACKED:-0}) / 1048576 ))
echo "a device call carries ${CARRY_MIB} MiB with the checkout's tracked files (limit 64 MiB)"
if [ "$CARRY_MIB" -ge 64 ]; then
  echo "ERROR: over the device tool's 64 MiB" >&2
  exit 1
fi
