#!/usr/bin/env bash
# Builds the CUDA kernel artifacts from src/main/cuda/tensorinit.cu and the shared header.
#   kernels.sh check  <outdir>   rebuild into <outdir>, fail if they differ from the committed resources (Maven runs this)
#   kernels.sh update            rebuild and overwrite the committed resources (after changing the .cu or the header)
#   kernels.sh resources [arch]  ptxas's registers / stack / spills of every kernel for sm_<arch> (default 90), one line each
# Without nvcc on the PATH it skips with a message: the committed artifacts are then used as they are.
# nvcc 13's output is byte-stable across runs and independent of the checkout path (checked when this was written).
set -euo pipefail
cd "$(dirname "$0")"
HEADER_DIR=../core/src/main/resources/dev/tensorinit/kernel
RES=src/main/resources/dev/tensorinit/cuda
SRC=src/main/cuda/tensorinit.cu
# Contraction off: the header's explicit fma calls are the only fused operations (the determinism contract).
FLAGS=(--fmad=false -O3 -std=c++17 -I"$HEADER_DIR")
# SASS for Ampere, Hopper, Blackwell (datacenter and consumer), plus compute_75 PTX that newer GPUs JIT.
GENCODE=(-gencode arch=compute_80,code=sm_80 -gencode arch=compute_90,code=sm_90
         -gencode arch=compute_100,code=sm_100 -gencode arch=compute_120,code=sm_120
         -gencode arch=compute_75,code=compute_75)
# The ISA the loader's last fallback rewrites the PTX to (CudaKernelImage.COMPAT_PTX_VERSION); validated below.
COMPAT_ISA=7.0

mode=${1:-}
case "$mode" in
  check) out=${2:?usage: kernels.sh check <outdir>} ;;
  update) out=$(mktemp -d) ;;
  resources) ;;
  *) echo "usage: kernels.sh check <outdir> | kernels.sh update | kernels.sh resources [arch]" >&2; exit 2 ;;
esac

if ! command -v nvcc >/dev/null 2>&1; then
  echo "[tensorinit-cuda] nvcc is not on the PATH: skipping the kernel rebuild check; the committed $RES/tensorinit.{fatbin,ptx} are used as they are"
  exit 0
fi
if [ "$mode" = resources ]; then
  arch=${2:-90}
  tmp=$(mktemp -d)
  nvcc "${FLAGS[@]}" -cubin -arch=sm_$arch -Xptxas -v -o "$tmp/k.cubin" "$SRC" 2>&1 | awk -v arch="sm_$arch" '
    /Compiling entry function/ { match($0, /'"'"'[^'"'"']+'"'"'/); fn = substr($0, RSTART + 1, RLENGTH - 2) }
    /bytes stack frame/ { stack = $1; spillst = $5; spillld = $9 }
    /Used [0-9]+ registers/ { for (i = 1; i <= NF; i++) if ($i == "Used") regs = $(i + 1);
                              printf "%-24s %s registers %3d  stack %s  spill stores %s  spill loads %s\n", fn, arch, regs, stack, spillst, spillld }' | sort
  rm -rf "$tmp"
  exit 0
fi
mkdir -p "$out"
echo "[tensorinit-cuda] $(nvcc --version | tail -1)"
# --no-compress: the plainest fatbin layout, which every driver that knows the SASS can read.
nvcc "${FLAGS[@]}" --fatbin --no-compress "${GENCODE[@]}" -o "$out/tensorinit.fatbin" "$SRC"
nvcc "${FLAGS[@]}" -ptx -arch=compute_75 -o "$out/tensorinit.ptx" "$SRC"

# The older-driver fallback: the same PTX with its .version lowered must still assemble for sm_75,
# i.e. it uses nothing newer than PTX ISA $COMPAT_ISA.
PTXAS=$(dirname "$(readlink -f "$(command -v nvcc)")")/ptxas
[ -x "$PTXAS" ] || PTXAS=$(command -v ptxas || true)
if [ -n "$PTXAS" ] && [ -x "$PTXAS" ]; then
  sed -E "s/^\.version [0-9]+\.[0-9]+$/.version $COMPAT_ISA/" "$out/tensorinit.ptx" > "$out/tensorinit-compat.ptx"
  "$PTXAS" -arch=sm_75 -o "$out/tensorinit-compat.cubin" "$out/tensorinit-compat.ptx"
  echo "[tensorinit-cuda] PTX lowered to ISA $COMPAT_ISA assembles for sm_75"
else
  echo "[tensorinit-cuda] ptxas not found next to nvcc: compat PTX ISA $COMPAT_ISA not validated"
fi

if [ "$mode" = update ]; then
  cp "$out/tensorinit.fatbin" "$out/tensorinit.ptx" "$RES/"
  rm -rf "$out"
  echo "[tensorinit-cuda] updated $RES/tensorinit.fatbin and tensorinit.ptx"
  exit 0
fi
status=0
for f in tensorinit.fatbin tensorinit.ptx; do
  if cmp -s "$out/$f" "$RES/$f"; then
    echo "[tensorinit-cuda] $f: rebuilt artifact is identical to the committed one"
  else
    echo "[tensorinit-cuda] ERROR: $f rebuilt by nvcc differs from the committed $RES/$f" >&2
    status=1
  fi
done
if [ $status -ne 0 ]; then
  echo "[tensorinit-cuda] the .cu or tensorinit_math.h changed without rebuilding: run cuda-backend/kernels.sh update and commit" >&2
fi
exit $status
