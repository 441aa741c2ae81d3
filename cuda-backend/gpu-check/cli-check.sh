#!/bin/sh
# Part of run.sh: the tensorinit command on this machine.
#  1. FILES: the same fills written by every backend present (cuda, opencl on the GPU, opencl on PoCL, cpu)
#     must be the same bytes: "SAME case backend" or "DIFFERENT case backend".
#  2. LOOP: the fill that crashed 16-core JVMs with PoCL installed, CRASH_RUNS (10) times for auto, cpu and
#     opencl on PoCL, with every core, without libjsig (the backends' own signal repair alone): every run
#     must exit 0 and write the same bytes. CRASH_SHAPE (default 16384x16384, which crashed too; the report
#     used 32768x32768) and CRASH_RUNS override. Since 2026-11-30 auto loads no OpenCL driver that could not win
#     (with cuda present it probes cuda first and stops), so CPU fills with PoCL loaded are exercised by the
#     test step's SignalStressTest (many concurrent large CPU fills with PoCL loaded, in a forked JVM).
# Usage: cli-check.sh <gpu-check folder> <results dir> <probe exit code>. Exit 0 when all held.
set -u
HERE=$1
OUT=$2
PROBE=$3
TI="$HERE/tensorinit"
T=$(mktemp -d "${TMPDIR:-/tmp}/tensorinit-check.XXXXXX")
trap 'rm -rf "$T" "${L:-}"' EXIT
trap 'exit 143' TERM INT   # run.sh's time limit: still remove the files (the EXIT trap runs on exit)
bad=0
THREADS=$(nproc 2>/dev/null || echo 4)

BACKENDS="cpu"
[ "$PROBE" -eq 0 ] && BACKENDS="$BACKENDS cuda"
if "$TI" backends 2>/dev/null | grep -q '^opencl *available'; then
  BACKENDS="$BACKENDS opencl"
  # PoCL's CPU device as well, when installed beside a GPU driver
  if "$TI" fill --backend opencl --opencl-device Portable --shape 4x4 --init ones --out "$T/pocl.npy" >/dev/null 2>&1; then
    BACKENDS="$BACKENDS pocl"
  fi
  rm -f "$T/pocl.npy"
fi
echo "FILES backends: $BACKENDS"

run_backend() { # backend, then fill flags
  b=$1; shift
  case $b in
    pocl) "$TI" fill --backend opencl --opencl-device Portable "$@" ;;
    *) "$TI" fill --backend "$b" "$@" ;;
  esac
}

check_case() { # name, then fill flags (without --out)
  name=$1; shift
  for b in $BACKENDS; do
    if ! run_backend "$b" "$@" --out "$T/$name.$b.safetensors" > "$T/$name.$b.log" 2>&1; then
      echo "DIFFERENT $name $b: the fill failed:"; cat "$T/$name.$b.log"; bad=1; continue
    fi
    if [ "$b" != cpu ]; then
      if cmp -s "$T/$name.cpu.safetensors" "$T/$name.$b.safetensors"; then echo "SAME $name $b"
      else echo "DIFFERENT $name $b: $(cmp "$T/$name.cpu.safetensors" "$T/$name.$b.safetensors" 2>&1 | head -1)"; bad=1; fi
      rm -f "$T/$name.$b.safetensors"
    fi
  done
  rm -f "$T/$name.cpu.safetensors"
}

check_case xu-f32 --shape 2048x2049 --init xavier_uniform --seed 1 --name a.weight
check_case xn-bf16 --shape 2048x2049 --init xavier_normal --dtype bf16 --seed 2 --name b.weight
check_case tn-f16 --shape 2048x2049 --init trunc_normal --std 1.5 --a -1 --b 3 --dtype f16 --seed 3 --name c
check_case he-f64-tile --shape 1024x4099 --layout jax --init he_normal --dtype f64 --rows 3:500 --cols 5:4000 --seed 4
check_case n-past-2e32 --shape 65536x65539 --init normal --std 0.02 --range 4294967000:4295000000 --seed 5
check_case gn-bf16-big --shape 8192x8192 --init glorot_normal --dtype bf16 --seed 6 --name big

SHAPE=${CRASH_SHAPE:-16384x16384}
RUNS=${CRASH_RUNS:-10}
# The loop's files (1 GiB a run at the default shape) go to memory when /dev/shm has 4 GiB free: the crash does
# not depend on the disk, and 30 runs must fit the step's time limit on whatever disk the machine has.
L=$T
if [ -d /dev/shm ] && [ "$(df -Pk /dev/shm 2>/dev/null | awk 'NR==2 {print $4}')" -gt 4194304 ] 2>/dev/null; then
  L=$(mktemp -d /dev/shm/tensorinit-loop.XXXXXX) || L=$T
fi
LOOP="auto cpu"
case " $BACKENDS " in *" pocl "*) LOOP="$LOOP pocl" ;; *" opencl "*) LOOP="$LOOP opencl" ;; esac
for b in $LOOP; do
  ok=0
  i=1
  while [ "$i" -le "$RUNS" ]; do
    TENSORINIT_JSIG=0 run_backend "$b" --shape "$SHAPE" --init xavier_normal --threads "$THREADS" \
      --out "$L/loop.$i.safetensors" > "$L/loop.log" 2>&1
    rc=$?
    if [ $rc -ne 0 ]; then
      echo "CRASH $b run $i: exit $rc"; tail -n 5 "$L/loop.log"; bad=1
    elif [ "$i" -gt 1 ] && ! cmp -s "$L/loop.1.safetensors" "$L/loop.$i.safetensors"; then
      echo "CRASH $b run $i: wrote different bytes"; bad=1
    else
      ok=$((ok + 1))
    fi
    [ "$i" -gt 1 ] && rm -f "$L/loop.$i.safetensors"
    i=$((i + 1))
  done
  echo "LOOP $b: $ok of $RUNS runs of $SHAPE xavier_normal with $THREADS threads exited 0 with the same bytes"
  [ -f "$L/loop.1.safetensors" ] && [ "$b" != auto ] && [ -f "$L/loop.ref" ] && ! cmp -s "$L/loop.ref" "$L/loop.1.safetensors" \
    && { echo "CRASH $b: bytes differ from the auto runs"; bad=1; }
  [ -f "$L/loop.ref" ] || mv "$L/loop.1.safetensors" "$L/loop.ref" 2>/dev/null
  rm -f "$L/loop.1.safetensors"
done
exit $bad
