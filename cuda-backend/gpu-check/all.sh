#!/bin/sh
# The GPU checks of one or two device calls, in order of what matters most, under one deadline. Stages:
#   check   run.sh: the suites, the command's cross-backend files and crash loop (its quick benchmark is left out)
#   bench   bench.sh: issue 12's full table (every kernel variant, memsets, curand, torch / CuPy / JAX)
#   tibench `tensorinit bench`: every backend present (cpu on all cores, cuda, opencl on the GPU)
#   model   `tensorinit model` on the GPU against --backend cpu byte for byte, transformers' own tables
#           (hf_check.py tables) and from_pretrained of what we wrote (hf_check.py load), and a Llama-3.2-1B
#           shape next to dd and torch's from_config + save_pretrained on CUDA
#   quick   CudaBenchmark's quick set (memsets, default and v2h kernels, curand): what the suites' kernels run at
#   e2e     e2e.py: the whole `tensorinit fill` process at 2^26..2^30 next to numpy, torch, dd and a warm fill,
#           and the same 2^30 fill with --backend cpu and cuda
#   model8b a Llama-3-8B shape (16 GB bf16): `tensorinit model` next to dd and torch's from_config + save_pretrained
#           on CUDA
#   startup a 64x64 fill's wall time with auto, cpu, cuda and opencl, 5 alternating runs each: what each backend's
#           start costs a small fill (CUDA: driver, context and module load)
#   oclbench the OpenCL kernels on the GPU for each formulation (1 or 4 Philox blocks per work-item) and work-group
#           size (opencl-backend's OpenClTuningBench): which to make the default on GPUs
#   ncu     Nsight Compute's speed-of-light, memory and occupancy sections of the f32 uniform and normal body kernels
# A stage starts only when the time it needs is left. Usage: all.sh <results dir> [deadline s = 500] [stages]
# (default: check bench tibench model e2e). The device tool returns at most 8 files: everything lands in <results dir>/all.tgz, plus
# summary.txt, bench.md and e2e.md beside it. The model stage needs the repository around this folder
# (scripts/hf-check, cli/src/test/resources/model): TENSORINIT_REPO, else three folders up.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:?usage: all.sh <results dir> [deadline seconds] [stages]}
DEADLINE=${2:-500}
STAGES=" ${3:-check bench tibench model e2e} "   # quick, startup, model8b, oclbench and ncu only when named
REPO=${TENSORINIT_REPO:-$HERE/../../..}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
W=$(mktemp -d "${TMPDIR:-/tmp}/tensorinit-all.XXXXXX")
start=$(date +%s)
left() { echo $(( DEADLINE - ($(date +%s) - start) )); }
say() { echo "== all.sh +$(( $(date +%s) - start )) s: $*"; }
want() { case "$STAGES" in *" $1 "*) return 0 ;; esac; return 1; }
ms() { date +%s%N | cut -c1-13; }
. "$HERE/machine.sh"
PY=python3
[ -x /opt/torch/.venv/bin/python3 ] && PY=/opt/torch/.venv/bin/python3
TI="$HERE/tensorinit"
D=$(mktemp -d /var/tmp/tensorinit-all.XXXXXX 2>/dev/null || mktemp -d)
# What was measured is packed after every stage (the device tool's limit kills the whole process group, traps and
# all) and on any end; the big files go at the end (dash runs the EXIT trap on exit only, so a signal exits first).
pack() { tar czf "$OUT/all.tgz.tmp" -C "$W" . 2>/dev/null && mv -f "$OUT/all.tgz.tmp" "$OUT/all.tgz"; }
finish() { pack; rm -rf "$D" "$W"; }
trap finish EXIT
trap 'exit 143' TERM INT HUP
# fits SECONDS: are SECONDS left, with timeout's 10 s of grace on top?
fits() { [ "$(left)" -ge $(( $1 + 10 )) ]; }
# upto N: the seconds a step may be given, at most N, keeping timeout's 10 s of grace inside the deadline.
upto() { t=$(( $(left) - 10 )); [ $t -gt "$1" ] && t=$1; echo $t; }
# stage NAME SECONDS: is the stage asked for, and does its worst case fit? Says so when it is skipped.
stage() { want "$1" || return 1; fits "$2" && return 0; say "$1 skipped: $(left) s left, it may take $2"; return 1; }

say "stages:$STAGES machine: $(nproc) cores,$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2), $(free -g 2>/dev/null | awk '/Mem:/ {print $2 " GiB"}'), $(df -h "$D" | awk 'NR==2 {print $4 " free in " $6}')"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,clocks.max.sm,clocks.max.mem --format=csv,noheader 2>&1 | head -2
# The command's start-up cache, recorded once before anything runs the command (a stage's short limit could kill the
# training run; ncu would profile its fills): whether it is there says whether timings are a user's.
limit 90 "$TI" --version > "$W/start-up-cache.txt" 2>&1
cp "$HERE/tensorinit.aot.log" "$W/" 2>/dev/null
say "start-up cache: $(ls "$HERE"/tensorinit.aot* 2>/dev/null | sed 's:.*/::' | tr '\n' ' ')"

# run.sh's steps: at most 420 s with their grace (its header), 360 once the start-up cache is recorded (above)
if stage check 360; then
  say "check: run.sh"
  TENSORINIT_GPU_CHECK_BENCH=0 CRASH_RUNS=${CRASH_RUNS:-4} sh "$HERE/run.sh" "$W/check" > "$W/run.log" 2>&1
  echo "run.sh exit $?"
  grep -v '^SAME' "$W/check/summary.txt" 2>/dev/null | head -60
  grep -E -B2 -A12 'MethodSource|✘' "$W/check/junit.txt" 2>/dev/null | head -150
  cp "$W/check/summary.txt" "$OUT/summary.txt" 2>/dev/null
fi
pack

if want bench; then
  if [ "$(left)" -ge 120 ]; then
    b=$(upto 400)
    say "bench: bench.sh (budget $b s)"
    BENCH_BUDGET=$b BENCH_RESERVE=${BENCH_RESERVE:-100} sh "$HERE/bench.sh" "$W/bench" > "$W/bench.out" 2>&1
    echo "bench.sh exit $?"
    cat "$W/bench/benchmark.md" 2>/dev/null || tail -n 30 "$W/bench.out"
    cp "$W/bench/benchmark.md" "$OUT/bench.md" 2>/dev/null
  else say "bench skipped: $(left) s left"; fi
fi
pack

if stage quick 40; then
  say "quick: CudaBenchmark quick"
  limit 40 "$HERE/jre/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx8g -cp "$HERE/lib/*" \
    dev.tensorinit.cuda.check.CudaBenchmark "$W/quick" 30 - quick > "$W/quick.log" 2>&1
  echo "CudaBenchmark quick exit $?"; cat "$W/quick/benchmark.txt" 2>/dev/null || tail -n 20 "$W/quick.log"
fi
pack

if want tibench; then
  if fits 55; then
    say "tibench: tensorinit bench"
    limit 55 "$TI" bench > "$W/ti-bench.txt" 2>&1
    echo "tensorinit bench exit $?"; cat "$W/ti-bench.txt"
  else say "tibench skipped: $(left) s left"; fi
fi
pack

if want model; then
  if fits 200 && [ -d "$REPO/scripts/hf-check" ]; then   # tables 60 + one config's models and load
    say "model: cuda against cpu, transformers tables and from_pretrained"
    HF="$REPO/scripts/hf-check/hf_check.py"
    M="$REPO/cli/src/test/resources/model"
    limit 60 "$PY" "$HF" tables "$M" "$W/tables" --expect "$M" > "$W/tables.txt" 2>&1
    echo "hf_check tables exit $? ($(grep -c DIFFERS "$W/tables.txt") DIFFERS lines)"; grep -E 'DIFFERS|Error' "$W/tables.txt" | head -20
    for n in llama-gqa qwen2 qwen3 qwen3_moe gemma3_text gpt2 bert gpt_oss glm4_moe; do   # (the loop stops when time runs short)
      fits 130 || break   # two models (20 s each) and a load (60 s), with grace
      for b in cuda cpu; do
        limit 20 "$TI" model --config "$M/$n.json" --out "$D/$n-$b" --backend $b --max-shard-size 40kB --seed 1 > "$W/model-$n-$b.txt" 2>&1 \
          || { echo "model $n --backend $b FAILED:"; tail -n 5 "$W/model-$n-$b.txt"; }
      done
      if diff -r "$D/$n-cuda" "$D/$n-cpu" > /dev/null 2>&1; then echo "SAME model $n cuda cpu ($(ls "$D/$n-cuda" | wc -l) files)"
      else echo "DIFFERENT model $n cuda cpu: $(diff -r "$D/$n-cuda" "$D/$n-cpu" 2>&1 | head -3)"; fi
      limit 60 "$PY" "$HF" load "$D/$n-cuda" > "$W/load-$n.txt" 2>&1
      echo "hf_check load $n exit $?: $(tail -n 1 "$W/load-$n.txt")"
    done
    if fits 220; then   # dd 30 + two models 30 each + torch 90, with grace
      C="$REPO/scripts/hf-check/configs/llama-1b.json"
      sync; t0=$(ms); limit 30 dd if=/dev/zero of="$D/dd" bs=64M count=37 conv=fsync status=none; echo "dd 2.48 GB conv=fsync: $(( $(ms) - t0 )) ms"; rm -f "$D/dd"
      for b in auto cpu; do
        sync; t0=$(ms); limit 30 "$TI" model --config "$C" --out "$D/1b" --backend $b --force > "$W/model-1b-$b.txt" 2>&1
        echo "tensorinit model llama-1b --backend $b: exit $? in $(( $(ms) - t0 )) ms; $(grep -i 'backend\|wrote' "$W/model-1b-$b.txt" | head -2 | tr '\n' ' ')"
        rm -rf "$D/1b"
      done
      t=$(upto 90)
      if [ $t -ge 20 ]; then
        limit $t "$PY" "$HF" time "$C" "$D/pt1b" --device cuda > "$W/torch-1b-cuda.json" 2>&1
        echo "torch from_config + save_pretrained on cuda exit $?: $(tail -n 1 "$W/torch-1b-cuda.json")"; rm -rf "$D/pt1b"
      fi
    fi
  else say "model skipped: $(left) s left or no $REPO/scripts/hf-check"; fi
fi
pack

if want e2e; then
  if fits 90; then
    sizes=26,28,30; [ "$(left)" -lt 160 ] && sizes=26,28
    say "e2e: e2e.py --sizes $sizes"
    limit $(( $(left) - 40 )) "$PY" "$HERE/e2e.py" --tensorinit "$TI" --java "$HERE/jre/bin/java" \
      --classpath "$HERE/lib/*" --warm-class --sizes $sizes --rounds 2 --dir "$D" --json "$W/e2e.json" > "$W/e2e.md" 2> "$W/e2e.log"
    echo "e2e.py exit $?"; cat "$W/e2e.md"; tail -n 5 "$W/e2e.log"
    cp "$W/e2e.md" "$OUT/e2e.md" 2>/dev/null
    for b in cuda cpu; do
      fits 20 || break
      t0=$(ms); limit 20 "$TI" fill --backend $b --shape 32768x32768 --init normal --out "$D/t.npy" --force > "$W/fill-$b.txt" 2>&1
      echo "fill 2^30 f32 normal --backend $b: exit $? in $(( $(ms) - t0 )) ms: $(tail -n 2 "$W/fill-$b.txt" | tr '\n' ' ')"
      rm -f "$D/t.npy"
    done
  else say "e2e skipped: $(left) s left"; fi
fi
pack

if stage startup 100; then   # 20 runs of about a second, each limited to 10 s
  say "startup: 64x64 fills"
  for r in 1 2 3 4 5; do
    fits 80 || break
    for b in auto cpu cuda opencl; do
      t0=$(ms); limit 10 "$TI" fill --backend $b --shape 64x64 --init normal --out "$D/s.npy" --force > /dev/null 2>&1; rc=$?
      echo "$b $(( $(ms) - t0 )) $rc" >> "$W/startup.txt"
    done
  done
  awk '{ t[$1] = t[$1] " " $2; if ($3 != 0) bad[$1] = 1 } END { for (b in t) print "64x64 --backend " b ": ms" t[b] (bad[b] ? " (a run FAILED)" : "") }' "$W/startup.txt"
  rm -f "$D/s.npy"
fi
pack

if want model8b; then
  C="$REPO/scripts/hf-check/configs/llama3-8b.json"
  if fits 150 && [ -f "$C" ]; then   # dd 40 + model 90 + torch at least 20
    say "model8b: Llama-3-8B shape, bf16"
    sync; t0=$(ms); limit 40 dd if=/dev/zero of="$D/dd" bs=64M count=240 conv=fsync status=none; echo "dd 16.1 GB conv=fsync: $(( $(ms) - t0 )) ms"; rm -f "$D/dd"
    sync; t0=$(ms); limit 90 "$TI" model --config "$C" --out "$D/8b" > "$W/model-8b.txt" 2>&1
    echo "tensorinit model llama3-8b: exit $? in $(( $(ms) - t0 )) ms; $(grep -i 'backend\|total' "$W/model-8b.txt" | head -3 | tr '\n' ' ')"
    rm -rf "$D/8b"; sync
    if fits 30; then
      limit $(( $(left) - 10 )) "$PY" "$REPO/scripts/hf-check/hf_check.py" time "$C" "$D/pt8b" --device cuda > "$W/torch-8b-cuda.json" 2>&1
      echo "torch from_config + save_pretrained 8b on cuda exit $?: $(tail -n 1 "$W/torch-8b-cuda.json")"; rm -rf "$D/pt8b"
    fi
  else say "model8b skipped: $(left) s left"; fi
fi
pack

if stage oclbench 90; then
  say "oclbench: OpenCL formulations and work-group sizes"
  limit 90 "$HERE/jre/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$HERE/lib/*" \
    dev.tensorinit.opencl.OpenClTuningBench 28 > "$W/oclbench.txt" 2>&1
  echo "OpenClTuningBench exit $?"; cat "$W/oclbench.txt"
fi
pack

if want ncu; then
  if command -v ncu >/dev/null && fits 40; then
    for k in u n; do
      fits 30 || break
      t=$(upto 60)
      say "ncu: ti_fillv_f32_${k}_v2h"
      limit $t ncu --clock-control none -k regex:ti_fillv_f32_${k}_v2h -c 1 \
        --section SpeedOfLight --section MemoryWorkloadAnalysis --section ComputeWorkloadAnalysis --section Occupancy \
        --section LaunchStats --section WarpStateStats --target-processes all \
        "$TI" bench --backend cuda --log2-elements 28 --seconds 0.2 > "$W/ncu-$k.txt" 2>&1
      echo "ncu $k exit $?"; grep -E 'Throughput|Duration|Occupancy|Registers|Warp Cycles|Issued|Stall' "$W/ncu-$k.txt" | head -30
    done
  else say "ncu skipped: $(command -v ncu || echo 'no ncu'), $(left) s left"; fi
fi
pack

say "done"
