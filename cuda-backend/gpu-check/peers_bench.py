#!/usr/bin/env python3
"""Peer rows of the GPU benchmark (issue 12): torch, CuPy's cuRAND and JAX on GPU 0, 2^LOG2 elements.

Prints tab-separated, machine-readable lines on stdout (CudaBenchmark.readPeers merges them):
  ROW   <framework> <operation> <dtype> <elements> <median_ms>
  INFO  <framework> <text>
  SKIP  <framework> <reason>
Each ROW is the median of 7 timed runs after one warm-up, synchronized after every run. A framework that
is missing, has no GPU or fails prints a SKIP line and the script goes on (exit 0): it fails soft.

Usage: peers_bench.py [log2 = 30] [frameworks = torch,cupy,jax]
Run one framework per process (bench.sh does): torch, CuPy and JAX each hold their own CUDA context and
memory pool, and JAX preallocates most of the GPU unless XLA_PYTHON_CLIENT_PREALLOCATE=false.
"""
import statistics
import sys
import time

REPS = 7


def out(*fields):
    print("\t".join(str(f) for f in fields), flush=True)


def median_ms(fn, sync):
    fn()
    sync()
    times = []
    for _ in range(REPS):
        t0 = time.perf_counter()
        fn()
        sync()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def row(framework, operation, dtype, n, fn, sync):
    try:
        out("ROW", framework, operation, dtype, n, "%.4f" % median_ms(fn, sync))
    except Exception as e:  # one failing row must not lose the others
        out("SKIP", framework, "%s %s failed: %s: %s" % (operation, dtype, type(e).__name__, e))


def bench_torch(n):
    try:
        import torch
    except Exception as e:
        out("SKIP", "torch", "torch not installed (%s: %s)" % (type(e).__name__, e))
        return
    if not torch.cuda.is_available():
        out("SKIP", "torch", "torch %s sees no CUDA device" % torch.__version__)
        return
    out("INFO", "torch", "torch %s, CUDA %s, %s" % (torch.__version__, torch.version.cuda, torch.cuda.get_device_name(0)))
    sync = torch.cuda.synchronize
    x = torch.empty(n, dtype=torch.float32, device="cuda")
    w = x.view(n // 1024, 1024)   # [out, in] = [n/1024, 1024], as CudaBenchmark's shape
    bound = (6.0 / (n // 1024 + 1024)) ** 0.5
    std = (2.0 / (n // 1024 + 1024)) ** 0.5
    row("torch", "fill_", "f32", n, lambda: x.fill_(1.0), sync)
    row("torch", "uniform_", "f32", n, lambda: x.uniform_(-bound, bound), sync)
    row("torch", "nn.init.xavier_uniform_", "f32", n, lambda: torch.nn.init.xavier_uniform_(w), sync)
    row("torch", "normal_", "f32", n, lambda: x.normal_(0.0, std), sync)
    row("torch", "nn.init.xavier_normal_", "f32", n, lambda: torch.nn.init.xavier_normal_(w), sync)
    row("torch", "nn.init.trunc_normal_", "f32", n, lambda: torch.nn.init.trunc_normal_(x), sync)
    del x, w
    torch.cuda.empty_cache()
    b = torch.empty(n, dtype=torch.bfloat16, device="cuda")
    row("torch", "fill_", "bf16", n, lambda: b.fill_(1.0), sync)
    row("torch", "uniform_", "bf16", n, lambda: b.uniform_(-bound, bound), sync)
    row("torch", "normal_", "bf16", n, lambda: b.normal_(0.0, std), sync)
    del b
    h = torch.empty(n, dtype=torch.float16, device="cuda")
    row("torch", "uniform_", "f16", n, lambda: h.uniform_(-bound, bound), sync)
    row("torch", "normal_", "f16", n, lambda: h.normal_(0.0, std), sync)


def bench_cupy(n):
    try:
        import cupy
        from cupy_backends.cuda.libs import curand
    except Exception as e:
        out("SKIP", "cupy", "CuPy not installed (%s: %s)" % (type(e).__name__, e))
        return
    try:
        dev = cupy.cuda.Device(0)
        name = cupy.cuda.runtime.getDeviceProperties(0)["name"]
        name = name.decode() if isinstance(name, bytes) else name
    except Exception as e:
        out("SKIP", "cupy", "CuPy %s sees no CUDA device (%s)" % (cupy.__version__, e))
        return
    try:
        version = curand.getVersion()
    except Exception:
        version = "?"
    out("INFO", "cupy", "CuPy %s, cuRAND %s, %s" % (cupy.__version__, version, name))
    sync = dev.synchronize
    x = cupy.empty(n, dtype=cupy.float32)
    gen = curand.createGenerator(getattr(curand, "CURAND_RNG_PSEUDO_PHILOX4_32_10", 161))
    curand.setPseudoRandomGeneratorSeed(gen, 1)
    row("cupy", "memset", "f32", n, lambda: cupy.cuda.runtime.memset(x.data.ptr, 0, n * 4), sync)
    row("cupy", "cuRAND Philox curandGenerateUniform", "f32", n, lambda: curand.generateUniform(gen, x.data.ptr, n), sync)
    row("cupy", "cuRAND Philox curandGenerateNormal", "f32", n, lambda: curand.generateNormal(gen, x.data.ptr, n, 0.0, 1.0), sync)
    curand.destroyGenerator(gen)


def bench_jax(n):
    try:
        import jax
        import jax.numpy as jnp
    except Exception as e:
        out("SKIP", "jax", "JAX not installed (%s: %s)" % (type(e).__name__, e))
        return
    try:
        gpus = jax.devices("gpu")
    except Exception as e:
        gpus = []
    if not gpus:
        out("SKIP", "jax", "JAX %s sees no GPU" % jax.__version__)
        return
    out("INFO", "jax", "JAX %s, %s, default PRNG %s" % (jax.__version__, gpus[0].device_kind, jax.config.jax_default_prng_impl))
    key = jax.random.PRNGKey(1)
    state = {}

    def run(f):
        def go():
            state["y"] = f(key)
        return go

    def sync():
        state["y"].block_until_ready()

    uniform = jax.jit(lambda k: jax.random.uniform(k, (n,), dtype=jnp.float32))
    normal = jax.jit(lambda k: jax.random.normal(k, (n,), dtype=jnp.float32))
    glorot = jax.jit(lambda k: jax.nn.initializers.glorot_normal()(k, (n // 1024, 1024), jnp.float32))
    row("jax", "random.uniform", "f32", n, run(uniform), sync)
    state.clear()
    row("jax", "random.normal", "f32", n, run(normal), sync)
    state.clear()
    row("jax", "nn.initializers.glorot_normal", "f32", n, run(glorot), sync)
    state.clear()
    bnormal = jax.jit(lambda k: jax.random.normal(k, (n,), dtype=jnp.bfloat16))
    row("jax", "random.normal", "bf16", n, run(bnormal), sync)


def main():
    log2 = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    frameworks = sys.argv[2].split(",") if len(sys.argv) > 2 else ["torch", "cupy", "jax"]
    n = 1 << log2
    benches = {"torch": bench_torch, "cupy": bench_cupy, "jax": bench_jax}
    for f in frameworks:
        if f not in benches:
            out("SKIP", f, "unknown framework (known: %s)" % ",".join(benches))
            continue
        try:
            benches[f](n)
        except Exception as e:
            out("SKIP", f, "failed: %s: %s" % (type(e).__name__, e))
    return 0


if __name__ == "__main__":
    sys.exit(main())
