#!/usr/bin/env python3
"""numpy peer for the tensorinit profile: Generator (PCG64) standard_normal and random, float32,
written into a pre-touched array with out=, one thread (numpy's generators are single-threaded).
Unscaled: scaling to the Xavier std/bound would be a second pass and only make numpy slower.
Prints nothing but progress; writes JSON: [{"name", "init", "dtype", "log2", "gfloats", "samples"}]."""
import json
import sys
import time


def measure(fn, n, seconds):
    fn()  # warm-up (and first touch of the output)
    samples = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end or len(samples) < 3:
        t = time.perf_counter()
        fn()
        samples.append(n / (time.perf_counter() - t) / 1e9)
    samples.sort()
    return samples[len(samples) // 2], samples


USAGE = "usage: numpy_bench.py [OUT.json [LOG2 (10-34, default 24) [SECONDS (> 0, default 3)]]]"


def fail(message):
    print("numpy_bench.py: " + message + "\n" + USAGE, file=sys.stderr)
    sys.exit(2)


def main():
    args = sys.argv[1:]
    if len(args) > 3 or any(a.startswith("-") and a != "-" for a in args[:1]):
        fail("unexpected arguments " + " ".join(args))
    out = args[0] if args else "numpy.json"
    try:
        log2 = int(args[1]) if len(args) > 1 else 24
        seconds = float(args[2]) if len(args) > 2 else 3.0
    except ValueError as e:
        fail(str(e))
    if not 10 <= log2 <= 34:
        fail("LOG2 must be between 10 and 34, got %d" % log2)
    if not seconds > 0:
        fail("SECONDS must be > 0, got %s" % seconds)
    try:
        open(out, "a").close()  # before measuring: an unwritable output was found only at the end
    except OSError as e:
        fail("cannot write %s: %s" % (out, e.strerror))
    import numpy as np
    n = 1 << log2
    rng = np.random.default_rng(42)
    buf = np.empty(n, dtype=np.float32)
    rows = []
    for init, name, fn in (
        ("normal", "numpy Generator.standard_normal", lambda: rng.standard_normal(n, dtype=np.float32, out=buf)),
        ("uniform", "numpy Generator.random", lambda: rng.random(n, dtype=np.float32, out=buf)),
    ):
        median, samples = measure(fn, n, seconds)
        print(f"  {name} f32 2^{log2}: {median:.3f} Gfloat/s (median of {len(samples)})", file=sys.stderr)
        rows.append({"name": name, "init": init, "dtype": "f32", "log2": log2, "gfloats": median,
                     "samples": samples, "numpy": np.__version__})
    with open(out, "w") as f:
        json.dump(rows, f, indent=2)


if __name__ == "__main__":
    main()
