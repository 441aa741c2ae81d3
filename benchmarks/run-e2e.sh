#!/usr/bin/env bash
# End-to-end benchmark: `tensorinit fill` as a whole process at 2^24..2^30 f32 normal, next to numpy
# (standard_normal + np.save), torch (nn.init.normal_ + torch.save, where it is installed), a plain
# sequential write of the same bytes with fsync (dd), and the same fill in a warm JVM, all in one run.
# See benchmarks/README.md ("End to end") and benchmarks/e2e/e2e.py.
#
# Usage: benchmarks/run-e2e.sh [--sizes 24,26,28,30] [--rounds 3] [--dir FOLDER] [--json FILE]
#   --dir   where the files are written (default benchmarks/target/e2e-files; 2^30 needs 4.3 GiB free)
# Prints progress on stderr and the markdown table on stdout. Not a test: nothing here asserts a time.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. scripts/find-jdk.sh

args=("$@")
dir_given=0
for a in "$@"; do [ "$a" = "--dir" ] && dir_given=1; done
[ "$dir_given" = 1 ] || args+=(--dir "$root/benchmarks/target/e2e-files")
command -v python3 >/dev/null || { echo "run-e2e: python3 is needed to drive the benchmark" >&2; exit 1; }

# Build the CLI (and its start-up cache) through the launcher, then use the same class path for WarmFill.
./tensorinit --version >/dev/null
cp="$(ls cli/target/tensorinit-cli-*.jar | grep -v -- '-sources\|-tests' | head -n 1):$(cat cli/target/classpath.txt)"
exec python3 benchmarks/e2e/e2e.py --root "$root" --java "$JAVA_HOME/bin/java" --classpath "$cp" "${args[@]}"
