# Sourced by run.sh and bench.sh: the GPU machine's layout and a time limit helper.
# NVIDIA's OpenCL driver is installed there without an ICD file, and cuRAND lives in torch's venv.
NV_OCL=/usr/local/nvidia/lib64/libnvidia-opencl.so
if [ -f "$NV_OCL" ] && [ ! -f /etc/OpenCL/vendors/nvidia.icd ] && mkdir -p /etc/OpenCL/vendors 2>/dev/null; then
  echo "$NV_OCL" > /etc/OpenCL/vendors/nvidia.icd 2>/dev/null
fi
for d in ${TENSORINIT_CURAND_DIR:-} /opt/torch/.venv/lib/python3.12/site-packages/nvidia/cu13/lib; do
  if [ -n "$d" ] && [ -f "$d/libcurand.so.10" ]; then
    LD_LIBRARY_PATH="$d${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    export LD_LIBRARY_PATH
    break
  fi
done
# limit SECONDS COMMAND...: the command under timeout(1) where it exists, else unlimited. -k: a JVM stuck in a driver
# call or a shutdown hook can outlive SIGTERM, and device time is short; 10 s later it gets SIGKILL.
TO=""
command -v timeout >/dev/null 2>&1 && TO="timeout"
limit() { if [ -n "$TO" ]; then timeout -k 10 "$@"; else shift; "$@"; fi; }
