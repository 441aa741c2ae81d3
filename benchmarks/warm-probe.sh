#!/usr/bin/env bash
# Cold start of the CPU backend's vector kernel: fresh JVMs started with the launcher's JVM options (scripts/jvm-options)
# and its start-up cache each announce a huge fill, wait until the vector kernel is warm (benchmarks/warm-probe/
# WarmProbe.java) and time it warm. Variants (extra JVM options, "" for none) run alternately, round after round, so a
# shared machine's drift hits each alike; prints each one's median time to warm and warm ns per element.
# Not a test: nothing is asserted. Where the numbers in scripts/jvm-options and WarmingKernel come from.
#
# Usage: benchmarks/warm-probe.sh [--rounds N] [--kind NORMAL|UNIFORM|TRUNC_NORMAL] [--dtype F32|F64|BF16|F16] [VARIANT...]
#   e.g. benchmarks/warm-probe.sh --rounds 8 "" "-XX:CICompilerCount=3"
set -euo pipefail
unset CDPATH
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=6 kind=NORMAL dtype=F32
variants=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift ;;
    --kind) kind=$2; shift ;;
    --dtype) dtype=$2; shift ;;
    *) variants+=("$1") ;;
  esac
  shift
done
[ ${#variants[@]} -gt 0 ] || variants=("")
cd "$root"
. scripts/find-jdk.sh
./tensorinit --version >/dev/null   # builds the CLI and records its start-up cache if stale
cp="$(<cli/target/tensorinit.jsa.classpath)" || { echo "warm-probe: no start-up cache (TENSORINIT_AOT=0?)" >&2; exit 1; }
out=benchmarks/target/warm-probe
mkdir -p "$out"
"$JAVA_HOME/bin/javac" -nowarn --add-modules jdk.incubator.vector -cp "$cp" -d "$out" benchmarks/warm-probe/WarmProbe.java 2>&1 \
  | grep -v "^warning\|incubat\|^1 warning" >&2 || true
. scripts/jvm-options.sh
tensorinit_jvm_options scripts/jvm-options
declare -a results
for ((r = 1; r <= rounds; r++)); do
  for i in "${!variants[@]}"; do
    # shellcheck disable=SC2086  # a variant is a list of options
    line=$("$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED "${JVM_OPTS[@]}" \
             -XX:SharedArchiveFile=cli/target/tensorinit.jsa ${variants[$i]} -cp "$cp:$out" dev.tensorinit.cpu.WarmProbe "$kind" "$dtype" 2>/dev/null \
           | grep -E '^(warm_seconds|gave_up|no_vector)' || echo "failed")
    results[$i]="${results[$i]:-}$line"$'\n'
  done
done
for i in "${!variants[@]}"; do
  printf '%s' "${results[$i]}" | python3 -c '
import statistics, sys
lines = [l.strip() for l in sys.stdin if l.strip()]
rows = [l.split() for l in lines if l.startswith("warm_seconds")]
others = sorted(set(l.split()[0] for l in lines if not l.startswith("warm_seconds")))
name = sys.argv[1] or "(launcher options only)"
kinds = ", ".join(others)
tail = f"; {len(lines) - len(rows)} runs did not warm ({kinds})" if others else ""
if not rows:
    print(f"{name}: no run warmed{tail}"); sys.exit()
w = sorted(float(r[1]) for r in rows); n = sorted(float(r[3]) for r in rows)
stalled = sum(1 for r in rows if "stalled_at" in r)
stall = f" ({stalled} stalled on the way)" if stalled else ""
print(f"{name}: warm after {statistics.median(w):.3f} s median ({w[0]:.3f}-{w[-1]:.3f}), then {statistics.median(n):.2f} ns/element"
      f" median; {len(rows)} runs{stall}{tail}")
' "${variants[$i]}"
done
