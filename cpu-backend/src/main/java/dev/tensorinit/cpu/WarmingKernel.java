package dev.tensorinit.cpu;

import dev.tensorinit.DType;
import dev.tensorinit.kernel.KernelArgs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The vector kernel once the JIT has compiled it, the scalar kernel until then. Until C2 compiles the
 * Vector API loops they run interpreted, far slower than scalar code: a JVM's first fill of a kind
 * and dtype paid 1-2 s for that whatever its size, so the command line's one-shot fills of a few
 * million elements took seconds. Both kernels write the reference's bits, so which one fills a
 * chunk never changes a value.
 *
 * <p>Fills of a cold (kind, dtype) run on the scalar kernel while one daemon thread runs the vector
 * kernel on a private scratch buffer until it beats the scalar kernel there by {@value #SPEEDUP}x (or
 * {@value #MAX_WARM_MILLIS} ms have passed); later fills then use the vector kernel. The scalar kernel
 * takes at most {@value #COLD_BUDGET} elements of a (kind, dtype) in all (about 0.5 s of normals on 2
 * cores): a fill that would pass that budget uses the vector kernel at once, since its own chunks
 * compile it and scalar work would cost more than the wait (measured: 2.8 s against 2.4 s for 2^26
 * normals done all in scalar while warming).
 * Compiled code is JVM-wide state, so one instance per JVM (Kernels.best()) holds it.
 */
final class WarmingKernel implements RunKernel {
    static final int SPEEDUP = 3;
    static final long MAX_WARM_MILLIS = 30_000;
    /** Scratch size: big enough to time, small enough to stay in cache (256 KiB of f32). */
    static final int WARM_ELEMENTS = 1 << 16;
    /** Elements of one (kind, dtype) the scalar kernel may take while the vector kernel is cold. */
    static final long COLD_BUDGET = 1L << 25;

    private static final int COLD = 0, WARMING = 1, WARM = 2;

    private final RunKernel vector;
    private final RunKernel scalar;
    private final AtomicIntegerArray state = new AtomicIntegerArray(KernelArgs.Kind.values().length * DType.values().length);
    private final AtomicLongArray coldElements = new AtomicLongArray(state.length());

    WarmingKernel(RunKernel vector, RunKernel scalar) {
        this.vector = vector;
        this.scalar = scalar;
    }

    RunKernel vector() { return vector; }

    @Override public String description() {
        return vector.description() + ", scalar until the JIT has compiled it";
    }

    @Override public void fillRun(KernelArgs args, long first, long count, MemorySegment dst, long dstOffset) {
        forFill(args, count).fillRun(args, first, count, dst, dstOffset);
    }

    /** The vector kernel once compiled for this kind and dtype, or for a large fill; else scalar, while warming starts. */
    @Override public RunKernel forFill(KernelArgs args, long count) {
        if (args.kind() == KernelArgs.Kind.CONSTANT) return vector; // no Philox, nothing to warm
        int key = args.kind().ordinal() * DType.values().length + args.dtype().ordinal();
        int s = state.get(key);
        if (s == WARM) return vector;
        if (coldElements.addAndGet(key, count) > COLD_BUDGET) {
            state.set(key, WARM);
            return vector;
        }
        if (s == COLD && state.compareAndSet(key, COLD, WARMING)) {
            Thread t = new Thread(() -> warm(args, key), "tensorinit-cpu-warmup");
            t.setDaemon(true);
            t.start();
        }
        return scalar;
    }

    boolean isWarm(KernelArgs.Kind kind, DType dtype) {
        return state.get(kind.ordinal() * DType.values().length + dtype.ordinal()) == WARM;
    }

    private void warm(KernelArgs args, int key) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment scratch = arena.allocate((long) WARM_ELEMENTS * args.dtype().bytes(), 64);
            long scalarNanos = Long.MAX_VALUE;
            for (int i = 0; i < 3; i++) scalarNanos = Math.min(scalarNanos, time(scalar, args, scratch));
            long deadline = System.nanoTime() + MAX_WARM_MILLIS * 1_000_000;
            // Stop as soon as fills have moved to the vector kernel anyway: from then on this thread would
            // only take cores from them and from the compiler.
            while (state.get(key) != WARM && System.nanoTime() < deadline
                    && time(vector, args, scratch) * SPEEDUP > scalarNanos) {
                // keep running it: each call feeds the JIT's counters
            }
        } catch (RuntimeException | Error e) {
            // Warming is an optimization: if it fails, the vector kernel is used as it is.
        } finally {
            state.set(key, WARM);
        }
    }

    private static long time(RunKernel k, KernelArgs args, MemorySegment scratch) {
        long t0 = System.nanoTime();
        k.fillRun(args, 0, WARM_ELEMENTS, scratch, 0);
        return System.nanoTime() - t0;
    }
}
