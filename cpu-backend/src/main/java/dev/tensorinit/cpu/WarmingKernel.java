package dev.tensorinit.cpu;

import dev.tensorinit.DType;
import dev.tensorinit.kernel.KernelArgs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The vector kernel once the JIT has compiled it, the scalar kernel until then, and the vector kernel
 * only where it pays. Until C2 compiles the Vector API loops they run interpreted, far slower than
 * scalar code, and compiling them costs a core for 1-2 s. Both kernels write the reference's bits,
 * so which one fills a run never changes a value.
 *
 * <p>Per (kind, dtype), the elements announced ({@link #expect}) or filled so far decide:
 * <ul>
 *   <li>below {@link #worthWarming} elements per worker thread: the scalar kernel, no compiling. Measured
 *       on 2 cores (whole {@code tensorinit fill} runs into tmpfs, so the fill decides): 2^26 normals took
 *       1.5-1.9 s scalar against 2.4 s while warming, 2^27 normals 3.0 s either way, 2^28 normals 5.1-5.2 s
 *       scalar against 3.2-3.6 s; 2^27 uniforms 1.9 s scalar against 2.6-2.9 s, 2^28 uniforms 2.6-3.0 s
 *       either way. Re-measured with the launcher's lower compile threshold and direct I/O (a build whose normals
 *       warm from 2^24 per thread, 6 alternating runs of a 2^26 normal fill to disk): 1.36-1.68 s scalar, median
 *       1.47, against 1.43-2.29 s, median 1.97, while warming. Once the Vector API's own helpers stopped crowding the
 *       compile queue (scripts/jvm-options) the warm-up took 0.35-0.45 s instead of 0.5-0.6, and the bounds came down
 *       (whole runs to disk, 2 cores, alternating, medians): normals warming from 2^24 per thread against 2^26, at 2^26
 *       elements 0.86-0.92 s scalar (with or without those options) against 0.72 s warming (10 runs each), at
 *       1.5·2^25 0.88 against 0.79 s (8 each); but from 2^23, at 2^25 elements 0.62 s scalar against 0.66 s warming
 *       (10 each). Uniforms warming from 2^25 per thread against 2^27:
 *       at 2^27 elements 0.85 against 0.86 s and at 1.5·2^26 0.73 against 0.70 s (8 each), a draw, so from 2^26.
 *       Once the launcher stopped on-stack replacement and compiled start-up code after four times the usual counts
 *       (scripts/jvm-options), the scalar kernel reached C2 sooner and the normals' bound went up (2-core AMD EPYC with
 *       AVX-512, whole runs to disk, alternating builds, medians): f32 normals warming from 2^24 per thread against 2^26,
 *       at 2^26 elements 1051 ms warming against 942 ms scalar, at 1.5·2^25 1237 against 1000 (8 runs each), at 1.5·2^26
 *       1182 against 1088 (8 each), at 2^27 1187 against 1198 (8 each, a draw); f16 truncated normals at 2^26 1132
 *       against 1052 ms, f16 normals at 1.5·2^26 1220 against 1288 ms (6 each). So from 2^25 per thread for f32, bf16
 *       and f16. Not for f64, whose scalar normals are slower: at 2^26 elements 1321 ms warming against 1457 ms scalar
 *       (6 each), so from 2^24 as before; uniforms stay at 2^26 (1.5·2^27: 1365 against 1377 ms; 2^28: 1577 against
 *       1627, warming against scalar, 6 each). Once the scalar kernel ran Philox round by round over SIMD lanes (f32
 *       normals 110 -> 140 M/s per thread, f32 uniforms 160 -> 300; ScalarKernel.philox), both bounds went up (2-core
 *       AMD EPYC with AVX-512, whole runs to disk, alternating, medians): f32 normals at 1.5·2^26 elements 1192 ms
 *       warming against 1119 ms scalar, at 2^27 1231 against 1224 (a draw), at 2^28 1795 against 1876 (8 runs each),
 *       so from 2^26 per thread; uniforms at 2^28 1687 against 1649 (6 each, a draw), so from 2^27; f64 normals at 2^26
 *       1473 against 1512 (6 each), so still from 2^24. With the log's arithmetic vectorized too (f32 normals 140 -> 200
 *       M/s per thread) warming still won at 2^28 normals: 1690 against 1768 ms (8 each). Once the f64 normals ran pass
 *       by pass as well (43-62 -> 95-138 M/s per thread), their scalar kernel beat the warm-up at 2^26 f64 normals (1228
 *       against 1426 ms, 8 each) and at 2^27 (1791 against 1844, 6 each): f64 normals now warm from 2^26 per thread,
 *       as the other normals do.</li>
 *   <li>above: one daemon thread runs the vector kernel on a private scratch buffer until a call costs at most
 *       {@value #WARM_NANOS_PER_ELEMENT} ns per element; meanwhile fills wait for it ({@link #awaitCompiled}) where
 *       the machine has no core to spare beside the warm-up thread and the compiler, else run scalar, run by run
 *       ({@link #compiling()}: the backend leaves those two cores alone), and switch to the vector kernel from the
 *       first run after it is warm. If it is still slower than that after {@value #MAX_WARM_MILLIS} ms (a JVM whose
 *       JIT does not intrinsify the Vector API, where it runs 100x slower), that (kind, dtype) stays scalar; if its
 *       calls stop getting faster for {@value #STALL_MILLIS} ms before that, fills run scalar on every core meanwhile.</li>
 * </ul>
 * Why a fixed bound and no race against the scalar kernel: timing the scalar kernel compiled it, and its 0.3-0.4 s of
 * C2 work (two passes, each compiled on-stack first) went ahead of the vector kernel's in the compile queue. Warm,
 * the vector kernel takes 1.5-10 ns per element on a 2-core AVX2 machine (every kind and dtype; f64 truncated
 * normal the slowest) and 280-2450 ns with the JVM's Vector API intrinsics turned off
 * ({@code -XX:-EnableVectorSupport}): the bound sits 4x above the one and 7x below the other.
 *
 * <p>log_of_uniform never warms: its vector kernel runs the log in scalar code after the vector uniform, 1.5x the
 * scalar kernel's speed on one thread at best (2^16 f32 elements, both warm), and a cold 2^28 f32 fill to disk on 2
 * cores ran 82-100 M elements/s on the vector kernel against 138 M on one scalar worker. It never beat the scalar
 * kernel by the 2x the warm-up once asked either, so a big fill of it kept the warm-up thread spinning for the whole
 * 30 s cap while one core filled; the kind is for small tensors (one value per head) anyway.
 *
 * Compiled code is JVM-wide state, so one instance per JVM (Kernels.best()) holds it. The vector kernel itself is
 * made when first needed (the Vector API's set-up costs a small fill 20-25 ms it would never use); constants
 * need neither kernel's Philox and go to the scalar one, which copies a pattern ({@link ConstantFill}).
 */
final class WarmingKernel implements RunKernel {
    /** A warm-up call at or below this many ns per element means the JIT has compiled the vector kernel (see above). */
    static final long WARM_NANOS_PER_ELEMENT = 40;
    static final long MAX_WARM_MILLIS = 30_000;
    /**
     * A warm-up whose calls have not got a quarter faster than its fastest for this long (and at least this long after
     * its start) has stalled: its (kind, dtype) runs scalar on every core from then on, and the warm-up thread only looks
     * again every {@value #RECHECK_MILLIS} ms, until the cap. Compiling warms in steps (each C2 compile of a pass speeds
     * a call up; 0.2-0.3 s apart at most on 2 cores), while a kernel C2 cannot intrinsify settles at a slow speed: f64 at a
     * forced 128-bit width on an AVX2 JVM ("not supported: op=blend vlen=2 etype=double") sat at about 190 ns per
     * element from 1.8 s on. Without this its warm-up spun a core for the whole 30 s while fills waited 3 s and then ran
     * on the other core alone: a 2^28 f64 normal fill on 2 cores took 13.5-15.7 s, and 8.9-9.3 s with it. Warm-ups that
     * do warm never stalled, even beside 8 busy-looping processes on 2 cores, where they took 2.6-6.1 s
     * (benchmarks/warm-probe.sh, f32 and f64 normals, 3 runs each).
     */
    static final long STALL_MILLIS = 2_000;
    static final long RECHECK_MILLIS = 1_000;
    /** Scratch size: big enough to time, small enough to stay in cache (256 KiB of f32). */
    static final int WARM_ELEMENTS = 1 << 16;
    /** Elements per worker thread of a (kind, dtype) from which compiling the vector kernel pays (see above). */
    static final long UNIFORM_PER_THREAD = 1L << 27, OTHER_PER_THREAD = 1L << 26;

    /** STALLED: runs scalar, as SCALAR, while the warm-up thread still looks now and then (see STALL_MILLIS). */
    private static final int COLD = 0, WARMING = 1, WARM = 2, SCALAR = 3, STALLED = 4;

    private final Supplier<RunKernel> makeVector;
    private final String vectorDescription;
    private volatile RunKernel vector;
    private final RunKernel scalar;
    private final AtomicIntegerArray state = new AtomicIntegerArray(KernelArgs.Kind.values().length * DType.values().length);
    /** Elements announced by expect() and elements handed to fills, per (kind, dtype): the larger one counts. */
    private final AtomicLongArray announced = new AtomicLongArray(state.length());
    private final AtomicLongArray filled = new AtomicLongArray(state.length());
    /** When each (kind, dtype)'s warm-up was started (System.nanoTime()): awaitCompiled's cap counts from there. */
    private final AtomicLongArray warmingSince = new AtomicLongArray(state.length());
    private final long maxWarmNanos;
    private final long stallNanos;
    private final ThreadFactory warmers;

    /**
     * {@code makeVector} is called once, when the vector kernel is first needed, and may return null when it cannot
     * start (then everything stays scalar); {@code vectorDescription} is the kernel's description.
     */
    WarmingKernel(Supplier<RunKernel> makeVector, String vectorDescription, RunKernel scalar) {
        this(makeVector, vectorDescription, scalar, MAX_WARM_MILLIS, STALL_MILLIS, warmupThreads());
    }

    WarmingKernel(RunKernel vector, RunKernel scalar) {
        this(vector, scalar, MAX_WARM_MILLIS);
    }

    /** With another cap on warming, for tests. */
    WarmingKernel(RunKernel vector, RunKernel scalar, long maxWarmMillis) {
        this(vector, scalar, maxWarmMillis, STALL_MILLIS);
    }

    /** With another stall bound (and cap), for tests. */
    WarmingKernel(RunKernel vector, RunKernel scalar, long maxWarmMillis, long stallMillis) {
        this(() -> vector, vector.description(), scalar, maxWarmMillis, stallMillis, warmupThreads());
    }

    /** With another factory for the warm-up thread, for tests (one that fails as when the process is out of threads). */
    WarmingKernel(RunKernel vector, RunKernel scalar, ThreadFactory warmers) {
        this(() -> vector, vector.description(), scalar, MAX_WARM_MILLIS, STALL_MILLIS, warmers);
    }

    private WarmingKernel(Supplier<RunKernel> makeVector, String vectorDescription, RunKernel scalar, long maxWarmMillis,
                          long stallMillis, ThreadFactory warmers) {
        this.makeVector = makeVector;
        this.vectorDescription = vectorDescription;
        this.scalar = scalar;
        this.maxWarmNanos = maxWarmMillis * 1_000_000;
        this.stallNanos = stallMillis * 1_000_000;
        this.warmers = java.util.Objects.requireNonNull(warmers, "warmers");
    }

    private static ThreadFactory warmupThreads() {
        return Thread.ofPlatform().name("tensorinit-cpu-warmup").daemon(true).factory();
    }

    /** The vector kernel, made on first call; the scalar kernel if it could not be made (the factory returned null). */
    RunKernel vector() {
        RunKernel v = vector;
        if (v == null) {
            synchronized (this) {
                v = vector;
                if (v == null) {
                    v = makeVector.get();
                    vector = v = v != null ? v : scalar;
                }
            }
        }
        return v;
    }

    /** Whether the vector kernel has been asked for yet (made, or found unable to start). */
    boolean vectorMade() { return vector != null; }

    @Override public String description() {
        return vectorDescription + ", scalar until the JIT has compiled it";
    }

    /**
     * Elements of one (kind, dtype) that make compiling the vector kernel pay, for fills on {@code threads} workers: the
     * same for every dtype since the f64 normals' scalar kernel got faster (measured, see above).
     */
    static long worthWarming(KernelArgs.Kind kind, int threads) {
        if (kind == KernelArgs.Kind.LOG_OF_UNIFORM) return Long.MAX_VALUE;   // never: see the class comment
        long perThread = kind == KernelArgs.Kind.UNIFORM ? UNIFORM_PER_THREAD : OTHER_PER_THREAD;
        return Math.multiplyExact((long) Math.max(1, threads), perThread);
    }

    /** A hint that {@code count} elements of this kind and dtype will be filled on {@code threads} workers. */
    @Override public void expect(KernelArgs args, long count, int threads) {
        if (args.kind() == KernelArgs.Kind.CONSTANT) return;
        int key = key(args);
        announced.addAndGet(key, count);
        warmIfWorth(args, key, threads);
    }

    /** Per run: the vector kernel as soon as it is compiled, else scalar. */
    @Override public void fillRun(KernelArgs args, long first, long count, MemorySegment dst, long dstOffset) {
        (args.kind() != KernelArgs.Kind.CONSTANT && state.get(key(args)) == WARM ? vector() : scalar)
                .fillRun(args, first, count, dst, dstOffset);
    }

    /** The vector kernel when warm; this kernel (deciding run by run) while warming; else scalar (also after giving up). */
    @Override public RunKernel forFill(KernelArgs args, long count, int threads) {
        if (args.kind() == KernelArgs.Kind.CONSTANT) return scalar; // no Philox, nothing to warm
        int key = key(args);
        filled.addAndGet(key, count);
        warmIfWorth(args, key, threads);
        return switch (state.get(key)) {
            case WARM -> vector();
            case WARMING -> this;
            default -> scalar;
        };
    }

    /** forFill returns this kernel only while the vector kernel is being compiled. */
    @Override public boolean compiling() { return true; }

    /**
     * Waits, looking every millisecond, while this (kind, dtype) is warming, until {@code maxNanos} after its warm-up
     * was started; then the kernel forFill would return. The cap counts from the warm-up's start, not from each call:
     * counted per call, a JVM whose vector kernel never warms (-XX:-EnableVectorSupport; then also TieredStopAtLevel=1) kept
     * every fill of a streamed tensor waiting the whole cap until the warm-up gave up, 30 s later (a 2^28 bf16 normal
     * fill on 2 cores: 35-41 s instead of a few).
     */
    @Override public RunKernel awaitCompiled(KernelArgs args, long maxNanos, Runnable checkpoint) {
        if (args.kind() == KernelArgs.Kind.CONSTANT) return scalar;
        int key = key(args);
        long deadline = warmingSince.get(key) + maxNanos;
        while (state.get(key) == WARMING && System.nanoTime() - deadline < 0) {
            checkpoint.run();
            LockSupport.parkNanos(1_000_000);
        }
        return switch (state.get(key)) {
            case WARM -> vector();
            case WARMING -> this;
            default -> scalar;
        };
    }

    boolean isWarm(KernelArgs.Kind kind, DType dtype) {
        return state.get(key(kind, dtype)) == WARM;
    }

    /** Warming ended without the vector kernel ever beating the scalar one: this (kind, dtype) stays scalar. */
    boolean gaveUp(KernelArgs.Kind kind, DType dtype) {
        return state.get(key(kind, dtype)) == SCALAR;
    }

    /** The warm-up stalled: this (kind, dtype) runs scalar while the warm-up thread still looks now and then. */
    boolean stalled(KernelArgs.Kind kind, DType dtype) {
        return state.get(key(kind, dtype)) == STALLED;
    }

    private static int key(KernelArgs args) {
        return key(args.kind(), args.dtype());
    }

    private static int key(KernelArgs.Kind kind, DType dtype) {
        return kind.ordinal() * DType.values().length + dtype.ordinal();
    }

    private void warmIfWorth(KernelArgs args, int key, int threads) {
        if (state.get(key) != COLD) return;
        if (Math.max(announced.get(key), filled.get(key)) <= worthWarming(args.kind(), threads)) return;
        warmingSince.set(key, System.nanoTime());   // before WARMING is seen (a racing call sets it a moment later at most)
        if (state.compareAndSet(key, COLD, WARMING)) {
            try {
                warmers.newThread(() -> warm(args, key)).start();
            } catch (Throwable e) {
                // No thread (OutOfMemoryError "unable to create native thread" when the process is out of threads).
                // Left WARMING, every later fill of this (kind, dtype) stayed scalar and left a core idle for a
                // compiler that never ran. COLD again: this fill runs scalar on every core, and the next one retries.
                state.compareAndSet(key, WARMING, COLD);
                if (!(e instanceof RuntimeException || e instanceof OutOfMemoryError)) throw e;   // not ours to swallow
            }
        }
    }

    private void warm(KernelArgs args, int key) {
        int outcome = WARM;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment scratch = arena.allocate((long) WARM_ELEMENTS * args.dtype().bytes(), 64);
            long deadline = System.nanoTime() + maxWarmNanos, vectorNanos;
            // Tried and dropped: priming each pass with one-vector calls, so that C2 compiles it once at its invocation
            // threshold instead of on-stack replacement first: in 6 of 9 runs C2 then compiled giles32 from a profile
            // without the receiver types of its Horner loop, left the Vector API calls there as per-lane Java (the
            // warm-up call stayed at 70 ms instead of 0.26 ms for 2^16 elements) and the fill ran scalar throughout.
            RunKernel v = vector();
            if (v == scalar) {   // no vector kernel after all: nothing to warm
                outcome = SCALAR;
                return;
            }
            long bound = WARM_NANOS_PER_ELEMENT * WARM_ELEMENTS, gained = System.nanoTime(), best = Long.MAX_VALUE;
            boolean stalled = false;
            while (true) {
                vectorNanos = time(v, args, scratch);   // the first call starts the compiles; each call feeds the JIT's counters
                long now = System.nanoTime();
                if (vectorNanos <= bound || now - deadline >= 0) break;
                if (vectorNanos <= best - best / 4) gained = now;   // a quarter faster than ever: still compiling
                best = Math.min(best, vectorNanos);
                if (!stalled && now - gained >= stallNanos) {
                    stalled = state.compareAndSet(key, WARMING, STALLED);   // fills stop waiting and run scalar on every core
                }
                if (stalled) Thread.sleep(RECHECK_MILLIS);
            }
            if (vectorNanos > bound) outcome = SCALAR;
        } catch (InterruptedException e) {
            outcome = SCALAR;   // asked to stop (no caller does): give up quietly
        } catch (RuntimeException | Error e) {
            // Warming is an optimization: if it fails, the vector kernel is used as it is.
        } finally {
            state.set(key, outcome);
        }
    }

    private static long time(RunKernel k, KernelArgs args, MemorySegment scratch) {
        long t0 = System.nanoTime();
        k.fillRun(args, 0, WARM_ELEMENTS, scratch, 0);
        return System.nanoTime() - t0;
    }
}
