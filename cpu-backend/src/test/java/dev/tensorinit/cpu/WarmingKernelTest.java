package dev.tensorinit.cpu;

import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Shape;
import dev.tensorinit.kernel.KernelArgs;
import dev.tensorinit.testing.Conformance;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scalar kernel fills while the vector kernel is cold; both give the reference's bits. */
class WarmingKernelTest {

    /** Counts the elements of fills other than the warmer's own; optionally sleeps to look slow to its timing. */
    private static final class Counting implements RunKernel {
        final AtomicLong elements = new AtomicLong();
        final long sleepMillis;
        Counting(long sleepMillis) { this.sleepMillis = sleepMillis; }
        @Override public String description() { return "counting"; }
        @Override public void fillRun(KernelArgs a, long first, long count, MemorySegment dst, long off) {
            if (count != WarmingKernel.WARM_ELEMENTS) elements.addAndGet(count);
            if (sleepMillis > 0) {
                try { Thread.sleep(sleepMillis); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
            }
        }
    }

    private static void awaitWarm(WarmingKernel k, KernelArgs.Kind kind, DType dt) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!k.isWarm(kind, dt) && System.nanoTime() < deadline) Thread.sleep(5);
        assertTrue(k.isWarm(kind, dt), "the warmer ends within its 30 s cap");
    }

    /**
     * The warmer judges the vector kernel by its own speed and never runs the scalar kernel: timing the scalar kernel
     * compiled it, and C2 did that ahead of the vector kernel.
     */
    @Test
    void theWarmerNeverRunsTheScalarKernel() throws Exception {
        java.util.List<String> calls = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        final class Recording implements RunKernel {
            final String name;
            Recording(String name) { this.name = name; }
            @Override public String description() { return name; }
            @Override public void fillRun(KernelArgs a, long first, long count, MemorySegment dst, long off) {
                if (count == WarmingKernel.WARM_ELEMENTS) calls.add(name);   // the warmer's own calls only
            }
        }
        WarmingKernel k = new WarmingKernel(new Recording("vector"), new Recording("scalar"));
        KernelArgs args = FillRequest.of(Shape.of(64, 64), InitSpec.xavierNormal()).kernelArgs();
        k.forFill(args, WarmingKernel.worthWarming(KernelArgs.Kind.NORMAL, 2) + 1, 2);
        awaitWarm(k, KernelArgs.Kind.NORMAL, DType.F32);
        assertEquals(java.util.List.of("vector"), calls, "one fast call of the vector kernel, nothing else");
    }

    /** A vector kernel slower than the bound is called again (each call feeds the JIT) until a call is fast enough. */
    @Test
    void theVectorKernelIsWarmFromItsFirstCallWithinTheBound() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        long slowMillis = 2 * WarmingKernel.WARM_NANOS_PER_ELEMENT * WarmingKernel.WARM_ELEMENTS / 1_000_000 + 1;
        RunKernel vector = new RunKernel() {
            @Override public String description() { return "slow, then fast"; }
            @Override public void fillRun(KernelArgs a, long first, long count, MemorySegment dst, long off) {
                if (calls.incrementAndGet() > 3) return;
                try { Thread.sleep(slowMillis); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
            }
        };
        WarmingKernel k = new WarmingKernel(vector, new Counting(0));
        KernelArgs args = FillRequest.of(Shape.of(64, 64), InitSpec.xavierNormal()).kernelArgs();
        k.expect(args, WarmingKernel.worthWarming(KernelArgs.Kind.NORMAL, 2) + 1, 2);
        awaitWarm(k, KernelArgs.Kind.NORMAL, DType.F32);
        assertEquals(4, calls.get(), "three calls over the bound, the fourth within it, then none");
    }

    /**
     * log_of_uniform never warms (its vector kernel's log is scalar code, and a big fill of it ran slower on the vector
     * kernel than on the scalar one): no warm-up thread, every worker fills with the scalar kernel.
     */
    @Test
    void logOfUniformNeverWarms() throws Exception {
        AtomicInteger started = new AtomicInteger();
        ThreadFactory counting = r -> {
            started.incrementAndGet();
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        };
        Counting vector = new Counting(0), scalar = new Counting(0);
        WarmingKernel k = new WarmingKernel(vector, scalar, counting);
        KernelArgs args = FillRequest.of(Shape.of(64, 64), new InitSpec.LogOfUniform(0.01, 16)).kernelArgs();
        k.expect(args, 1L << 40, 2);
        RunKernel chosen = k.forFill(args, 1L << 40, 2);
        assertEquals(scalar, chosen);
        assertFalse(chosen.compiling());
        assertEquals(0, started.get(), "no warm-up thread");
        KernelArgs normal = FillRequest.of(Shape.of(64, 64), InitSpec.xavierNormal()).kernelArgs();
        k.expect(normal, WarmingKernel.worthWarming(KernelArgs.Kind.NORMAL, 2) + 1, 2);
        assertEquals(1, started.get(), "the other kinds still warm");
    }

    /** A vector kernel that stays over the bound until `fast` is set (the warm-up's calls only; fills are instant). */
    private static final class Gated implements RunKernel {
        final java.util.concurrent.atomic.AtomicBoolean fast = new java.util.concurrent.atomic.AtomicBoolean();
        final AtomicLong elements = new AtomicLong();
        @Override public String description() { return "gated"; }
        @Override public void fillRun(KernelArgs a, long first, long count, MemorySegment dst, long off) {
            if (count != WarmingKernel.WARM_ELEMENTS) {
                elements.addAndGet(count);
                return;
            }
            if (fast.get()) return;
            try {
                Thread.sleep(2 * WarmingKernel.WARM_NANOS_PER_ELEMENT * WarmingKernel.WARM_ELEMENTS / 1_000_000 + 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** awaitCompiled waits while warming, at most maxNanos, stops when its checkpoint throws, and returns the kernel to use. */
    @Test
    void aFillCanWaitForTheCompile() throws Exception {
        Gated vector = new Gated();
        Counting scalar = new Counting(0);
        WarmingKernel k = new WarmingKernel(vector, scalar);
        KernelArgs args = FillRequest.of(Shape.of(64, 64), InitSpec.xavierNormal()).kernelArgs();
        assertEquals(scalar, k.awaitCompiled(args, 1_000_000_000L, () -> { }), "cold and not worth warming: nothing to wait for");
        long t0 = System.nanoTime();
        k.expect(args, WarmingKernel.worthWarming(KernelArgs.Kind.NORMAL, 2) + 1, 2);
        assertEquals(k, k.awaitCompiled(args, 50_000_000L, () -> { }), "still compiling after the wait: run by run");
        assertTrue(System.nanoTime() - t0 >= 50_000_000L, "waited the 50 ms given");
        IllegalStateException stop = new IllegalStateException("stop (test)");
        assertEquals(stop, org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> k.awaitCompiled(args, 60_000_000_000L, () -> { throw stop; })));
        vector.fast.set(true);
        assertEquals(vector, k.awaitCompiled(args, 60_000_000_000L, () -> { }), "warm: the vector kernel");
    }

    /**
     * The wait's cap counts from the warm-up's start, for every fill together: once a fill has waited it out, later fills
     * of a warm-up still under way wait no more. Counted per call, a JVM whose vector kernel never warms
     * (-XX:TieredStopAtLevel=1) kept each fill of a streamed 2^28 normal tensor waiting 3 s, until the warm-up gave up
     * 30 s later: 35-41 s for a fill of a few seconds.
     */
    @Test
    void theWaitsCapCountsFromTheWarmUpsStartNotPerFill() throws Exception {
        Gated never = new Gated();
        WarmingKernel k = new WarmingKernel(never, new Counting(0));
        KernelArgs args = FillRequest.of(Shape.of(64, 64), InitSpec.xavierNormal()).kernelArgs();
        long cap = 600_000_000L;
        long t0 = System.nanoTime();
        k.expect(args, WarmingKernel.worthWarming(KernelArgs.Kind.NORMAL, 2) + 1, 2);
        assertEquals(k, k.awaitCompiled(args, cap, () -> { }), "still compiling after the first wait: run by run");
        assertTrue(System.nanoTime() - t0 >= cap, "the first fill waited the cap");
        for (int i = 0; i < 5; i++) {
            long t1 = System.nanoTime();
            assertEquals(k, k.awaitCompiled(args, cap, () -> { }), "still compiling: run by run");
            long waited = System.nanoTime() - t1;
            assertTrue(waited < cap / 2, "fill " + (i + 2) + " waited " + waited / 1_000_000 + " ms more, past the cap");
        }
    }

    /**
     * With no core to spare beside the warm-up thread and the compiler (2 cores), a fill waits for the vector kernel
     * and runs on it alone; with cores to spare, workers fill scalar meanwhile; an interrupt or close ends the wait.
     */
    @Test
    void withNoCoreToSpareAFillWaitsForTheVectorKernel() throws Exception {
        FillRequest r = FillRequest.of(Shape.of(1024, 1024), InitSpec.xavierNormal());   // 4 chunks: big enough to wait
        KernelArgs args = r.kernelArgs();
        long worth = WarmingKernel.worthWarming(KernelArgs.Kind.NORMAL, 2) + 1;
        ThreadFactory daemons = Thread.ofPlatform().daemon(true).factory();
        try (Arena arena = Arena.ofShared()) {
            MemorySegment out = arena.allocate(r.byteSize(), 64);

            Gated vector = new Gated();
            Counting scalar = new Counting(0);
            WarmingKernel k = new WarmingKernel(vector, scalar);
            try (CpuBackend b = new CpuBackend(2, k, daemons, () -> 2)) {
                k.expect(args, worth, 2);
                Thread.ofPlatform().daemon(true).start(() -> {
                    try { Thread.sleep(200); } catch (InterruptedException e) { return; }
                    vector.fast.set(true);
                });
                long t0 = System.nanoTime();
                b.fill(r, out);
                assertTrue(System.nanoTime() - t0 >= 150_000_000L, "the fill waited for the compile");
                assertEquals(1 << 20, vector.elements.get(), "every element on the vector kernel");
                assertEquals(0, scalar.elements.get());
            }

            Gated vector16 = new Gated();
            Counting scalar16 = new Counting(0);
            WarmingKernel k16 = new WarmingKernel(vector16, scalar16);
            try (CpuBackend b = new CpuBackend(2, k16, daemons, () -> 16)) {
                k16.expect(args, worth, 2);
                b.fill(r, out);
                assertEquals(1 << 20, scalar16.elements.get(), "16 cores: filled scalar at once, without waiting");
                assertEquals(0, vector16.elements.get());
            }

            Gated never = new Gated();
            WarmingKernel kInt = new WarmingKernel(never, new Counting(0));
            try (CpuBackend b = new CpuBackend(2, kInt, daemons, () -> 2)) {
                kInt.expect(args, worth, 2);
                Thread caller = Thread.currentThread();
                Thread.ofPlatform().daemon(true).start(() -> {
                    try { Thread.sleep(100); } catch (InterruptedException e) { return; }
                    caller.interrupt();
                });
                long t0 = System.nanoTime();
                org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.CancellationException.class, () -> b.fill(r, out));
                assertTrue(Thread.interrupted(), "the interrupt status stays set (and is cleared here)");
                assertTrue(System.nanoTime() - t0 < CpuBackend.MAX_WAIT_NANOS, "stopped by the interrupt, not by the cap");
                assertEquals(0, never.elements.get());
            }

            Gated closed = new Gated();
            WarmingKernel kClose = new WarmingKernel(closed, new Counting(0));
            CpuBackend b = new CpuBackend(2, kClose, daemons, () -> 2);
            kClose.expect(args, worth, 2);
            java.util.concurrent.CompletableFuture<Throwable> failure = new java.util.concurrent.CompletableFuture<>();
            Thread filler = Thread.ofPlatform().daemon(true).start(() -> {
                try {
                    b.fill(r, out);
                    failure.complete(null);
                } catch (Throwable e) {
                    failure.complete(e);
                }
            });
            Thread.sleep(100);
            long t0 = System.nanoTime();
            b.close();   // waits for the fill to leave
            assertTrue(System.nanoTime() - t0 < CpuBackend.MAX_WAIT_NANOS, "close ended the wait, not the cap");
            Throwable e = failure.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(e instanceof IllegalStateException && e.getMessage().contains("closed during the call"), String.valueOf(e));
            filler.join(10_000);
            assertEquals(0, closed.elements.get());
        }
    }

    /**
     * A fill of one chunk or less runs at once, scalar, while the vector kernel compiles, even with no core to spare: a
     * 16-element fill right after a big fill was announced waited 2 s for a compile it did not need.
     */
    @Test
    void aSmallFillNeverWaitsForTheCompile() throws Exception {
        FillRequest big = FillRequest.of(Shape.of(1024, 1024), InitSpec.xavierNormal());
        long worth = WarmingKernel.worthWarming(KernelArgs.Kind.NORMAL, 2) + 1;
        Gated never = new Gated();   // never warm: a fill that waited would take the whole cap
        Counting scalar = new Counting(0);
        WarmingKernel k = new WarmingKernel(never, scalar);
        try (CpuBackend b = new CpuBackend(2, k, Thread.ofPlatform().daemon(true).factory(), () -> 2); Arena arena = Arena.ofShared()) {
            k.expect(big.kernelArgs(), worth, 2);
            for (long n : new long[] {16, CpuBackend.CHUNK}) {
                FillRequest small = FillRequest.of(Shape.of(1, n), InitSpec.xavierNormal());
                MemorySegment out = arena.allocate(small.byteSize(), 64);
                long before = scalar.elements.get(), t0 = System.nanoTime();
                b.fill(small, out);
                assertTrue(System.nanoTime() - t0 < CpuBackend.MAX_WAIT_NANOS / 3, n + " elements: filled without waiting for the compile");
                assertEquals(n, scalar.elements.get() - before, n + " elements: scalar");
            }
            assertEquals(0, never.elements.get());
        }
    }

    /** Below the threshold nothing is compiled: the scalar kernel fills, and every worker fills with it. */
    @Test
    void smallFillsStayScalarWithoutCompiling() throws Exception {
        Counting vector = new Counting(0), scalar = new Counting(0);
        WarmingKernel k = new WarmingKernel(vector, scalar);
        KernelArgs args = FillRequest.of(Shape.of(64, 64), InitSpec.xavierNormal()).kernelArgs();
        long worth = WarmingKernel.worthWarming(KernelArgs.Kind.NORMAL, 2);
        assertEquals(scalar, k.forFill(args, worth / 2, 2));
        assertEquals(scalar, k.forFill(args, worth / 2, 2), "exactly at the threshold: still not worth it");
        assertFalse(scalar.compiling());
        Thread.sleep(50);
        assertFalse(k.isWarm(KernelArgs.Kind.NORMAL, DType.F32), "no warmer was started");
        assertTrue(WarmingKernel.worthWarming(KernelArgs.Kind.UNIFORM, 2) > worth, "uniform needs more to pay (its scalar kernel is faster)");
        assertEquals(16 * worth / 2, WarmingKernel.worthWarming(KernelArgs.Kind.NORMAL, 16), "more workers, more scalar throughput to beat");
        assertEquals(Long.MAX_VALUE, WarmingKernel.worthWarming(KernelArgs.Kind.LOG_OF_UNIFORM, 2), "log_of_uniform never warms");
    }

    /** Past the threshold (counted over every fill of the kind and dtype): scalar run by run while compiling, then vector. */
    @Test
    void pastTheThresholdFillsRunScalarWhileCompilingThenVector() throws Exception {
        Counting vector = new Counting(0), scalar = new Counting(5);
        WarmingKernel k = new WarmingKernel(vector, scalar);
        KernelArgs args = FillRequest.of(Shape.of(64, 64), InitSpec.xavierNormal()).kernelArgs();
        long worth = WarmingKernel.worthWarming(KernelArgs.Kind.NORMAL, 2);
        assertEquals(scalar, k.forFill(args, worth, 2));
        RunKernel during = k.forFill(args, 1, 2);
        if (during == k) {   // still compiling: runs go to the scalar kernel
            assertTrue(during.compiling());
            MemorySegment dst = MemorySegment.ofArray(new float[4096]);
            long before = scalar.elements.get();
            if (!k.isWarm(KernelArgs.Kind.NORMAL, DType.F32)) {
                during.fillRun(args, 0, 4096, dst, 0);
                assertTrue(scalar.elements.get() == before + 4096 || k.isWarm(KernelArgs.Kind.NORMAL, DType.F32));
            }
        } else {
            assertEquals(vector, during, "already warm");
        }
        awaitWarm(k, KernelArgs.Kind.NORMAL, DType.F32);
        assertFalse(k.isWarm(KernelArgs.Kind.UNIFORM, DType.F32), "warming is per kind and dtype");
        assertEquals(vector, k.forFill(args, 1, 2));
        long before = vector.elements.get();
        k.fillRun(args, 0, 4096, MemorySegment.ofArray(new float[4096]), 0);
        assertEquals(before + 4096, vector.elements.get(), "warm runs go to the vector kernel");
    }

    /**
     * A warm-up thread that cannot start (OutOfMemoryError "unable to create native thread" when the process is out of
     * threads) must not leave the kernel warming forever, every fill scalar with a core left idle: that fill runs
     * scalar on every core, and the next one starts warming again.
     */
    @Test
    void aWarmupThreadThatCannotStartIsRetriedByTheNextFill() throws Exception {
        Counting vector = new Counting(0), scalar = new Counting(5);
        AtomicInteger asked = new AtomicInteger();
        ThreadFactory noneThenOne = r -> {
            if (asked.getAndIncrement() == 0) {
                return new Thread(r) {
                    @Override public void start() { throw new OutOfMemoryError("unable to create native thread (test)"); }
                };
            }
            Thread t = new Thread(r, "tensorinit-cpu-warmup");
            t.setDaemon(true);
            return t;
        };
        WarmingKernel k = new WarmingKernel(vector, scalar, noneThenOne);
        KernelArgs args = FillRequest.of(Shape.of(64, 64), InitSpec.xavierNormal()).kernelArgs();
        long worth = WarmingKernel.worthWarming(KernelArgs.Kind.NORMAL, 2);
        RunKernel first;
        try {
            first = k.forFill(args, worth + 1, 2);
        } catch (OutOfMemoryError e) {   // caught here: JUnit would rethrow it and end the test JVM
            throw new AssertionError("the fill threw instead of going on without the warm-up: " + e);
        }
        assertEquals(scalar, first, "no warm-up runs: the fill is scalar on every core");
        assertFalse(first.compiling());
        assertEquals(1, asked.get());
        k.forFill(args, 1, 2);
        assertEquals(2, asked.get(), "the next fill tries to warm up again");
        awaitWarm(k, KernelArgs.Kind.NORMAL, DType.F32);
        assertEquals(vector, k.forFill(args, 1, 2));
    }

    /** A streaming writer announces the whole tensor: warming starts before its first piece, which is far below the threshold. */
    @Test
    void anAnnouncedLargeFillStartsWarmingAtOnce() throws Exception {
        Counting vector = new Counting(0), scalar = new Counting(5);
        WarmingKernel k = new WarmingKernel(vector, scalar);
        KernelArgs args = FillRequest.of(Shape.of(64, 64), InitSpec.xavierUniform()).kernelArgs();
        k.expect(args, WarmingKernel.worthWarming(KernelArgs.Kind.UNIFORM, 4) + 1, 4);
        awaitWarm(k, KernelArgs.Kind.UNIFORM, DType.F32);
        assertEquals(vector, k.forFill(args, 4096, 4));
    }

    /**
     * A vector kernel that never gets within the bound in the cap (a JIT that does not intrinsify the
     * Vector API runs it 100x slower) is given up: that kind and dtype stay scalar, others still warm.
     */
    @Test
    void aVectorKernelThatNeverGetsFasterIsGivenUp() throws Exception {
        Counting vector = new Counting(5), scalar = new Counting(0);
        WarmingKernel k = new WarmingKernel(vector, scalar, 200);
        KernelArgs args = FillRequest.of(Shape.of(64, 64), InitSpec.xavierNormal()).kernelArgs();
        k.expect(args, WarmingKernel.worthWarming(KernelArgs.Kind.NORMAL, 2) + 1, 2);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!k.gaveUp(KernelArgs.Kind.NORMAL, DType.F32) && System.nanoTime() < deadline) Thread.sleep(5);
        assertTrue(k.gaveUp(KernelArgs.Kind.NORMAL, DType.F32), "given up after the 200 ms cap");
        assertFalse(k.isWarm(KernelArgs.Kind.NORMAL, DType.F32));
        assertEquals(scalar, k.forFill(args, WarmingKernel.worthWarming(KernelArgs.Kind.NORMAL, 2), 2), "and never retried");
        long before = scalar.elements.get();
        k.fillRun(args, 0, 4096, MemorySegment.ofArray(new float[4096]), 0);
        assertEquals(before + 4096, scalar.elements.get(), "runs go to the scalar kernel");
    }

    /**
     * A warm-up whose calls stop getting faster has stalled (a kernel C2 cannot intrinsify, as f64 at a forced 128 bits on
     * an AVX2 JVM): long before the cap, fills stop waiting and run scalar on every core; should it warm later after all,
     * the warm-up thread's occasional look finds it, and fills switch to it.
     */
    @Test
    void aWarmUpThatStopsGettingFasterRunsScalarMeanwhileAndStillWarms() throws Exception {
        Gated vector = new Gated();   // the same slow time on every warm-up call
        Counting scalar = new Counting(0);
        long stallMillis = 300;
        WarmingKernel k = new WarmingKernel(vector, scalar, 120_000, stallMillis);
        KernelArgs args = FillRequest.of(Shape.of(64, 64), InitSpec.xavierNormal()).kernelArgs();
        long big = WarmingKernel.worthWarming(KernelArgs.Kind.NORMAL, 2) + 1;
        long t0 = System.nanoTime();
        k.expect(args, big, 2);
        assertEquals(scalar, k.awaitCompiled(args, 100_000_000_000L, () -> { }), "stalled: the wait ends, scalar");
        long waited = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(waited >= stallMillis && waited < 60_000, "waited " + waited + " ms: from the stall bound, long before the wait's cap");
        assertTrue(k.stalled(KernelArgs.Kind.NORMAL, DType.F32));
        assertFalse(k.gaveUp(KernelArgs.Kind.NORMAL, DType.F32), "not given up: the warm-up still looks");
        assertEquals(scalar, k.forFill(args, big, 2), "every worker scalar (not the run-by-run kernel that keeps a core free)");
        long before = scalar.elements.get();
        k.fillRun(args, 0, 4096, MemorySegment.ofArray(new float[4096]), 0);
        assertEquals(before + 4096, scalar.elements.get(), "runs go to the scalar kernel");
        vector.fast.set(true);
        awaitWarm(k, KernelArgs.Kind.NORMAL, DType.F32);
        assertEquals(vector, k.forFill(args, big, 2), "warm after all: the vector kernel");
    }

    /** A warm-up that gets faster in steps, each sooner than the stall bound, is not taken for stalled. */
    @Test
    void aWarmUpThatKeepsGettingFasterIsNotStalled() throws Exception {
        long stepMillis = 250, stallMillis = 1_500;
        // 64 ms per call, then 16, then 5 (still over the bound of about 2.6 ms), then within it: a step every 250 ms.
        RunKernel stepped = new RunKernel() {
            final AtomicLong first = new AtomicLong();
            @Override public String description() { return "stepped"; }
            @Override public void fillRun(KernelArgs a, long f, long count, MemorySegment dst, long off) {
                first.compareAndSet(0, System.nanoTime());
                long step = (System.nanoTime() - first.get()) / (stepMillis * 1_000_000);
                long sleep = step == 0 ? 64 : step == 1 ? 16 : step == 2 ? 5 : 0;
                try { Thread.sleep(sleep); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
            }
        };
        WarmingKernel k = new WarmingKernel(stepped, new Counting(0), 120_000, stallMillis);
        KernelArgs args = FillRequest.of(Shape.of(64, 64), InitSpec.xavierNormal()).kernelArgs();
        k.expect(args, WarmingKernel.worthWarming(KernelArgs.Kind.NORMAL, 2) + 1, 2);
        long deadline = System.nanoTime() + 60_000_000_000L;
        boolean sawStall = false;
        while (!k.isWarm(KernelArgs.Kind.NORMAL, DType.F32) && System.nanoTime() < deadline) {
            sawStall |= k.stalled(KernelArgs.Kind.NORMAL, DType.F32);
            Thread.sleep(2);
        }
        assertTrue(k.isWarm(KernelArgs.Kind.NORMAL, DType.F32));
        assertFalse(sawStall, "stalled while each step came within " + stallMillis + " ms");
    }

    /** A vector kernel that cannot be made after all: given up at once, not after the cap, and runs stay scalar. */
    @Test
    void aVectorKernelThatCannotBeMadeIsGivenUpAtOnce() throws Exception {
        Counting scalar = new Counting(0);
        WarmingKernel k = new WarmingKernel(() -> null, "vector", scalar);
        KernelArgs args = FillRequest.of(Shape.of(64, 64), InitSpec.xavierNormal()).kernelArgs();
        k.expect(args, WarmingKernel.worthWarming(KernelArgs.Kind.NORMAL, 2) + 1, 2);
        long deadline = System.nanoTime() + 10_000_000_000L;   // far below the 30 s cap
        while (!k.gaveUp(KernelArgs.Kind.NORMAL, DType.F32) && System.nanoTime() < deadline) Thread.sleep(5);
        assertTrue(k.gaveUp(KernelArgs.Kind.NORMAL, DType.F32));
        assertEquals(scalar, k.forFill(args, 1L << 40, 2));
        assertEquals(scalar, k.vector());
    }

    @Test
    void realKernelsGiveReferenceBitsColdAndWarm() throws Exception {
        WarmingKernel k = new WarmingKernel(new VectorKernel(), new ScalarKernel());
        FillRequest r = FillRequest.of(Shape.of(1024, 1031), InitSpec.truncNormal(0, 0.02, -0.04, 0.04)).withSeed(5).withName("w");
        // 16 cores: while compiling, fills run scalar run by run instead of waiting for the compile (as on 2 cores).
        try (CpuBackend b = new CpuBackend(2, k, Thread.ofPlatform().daemon(true).factory(), () -> 16); Arena arena = Arena.ofShared()) {
            MemorySegment out = arena.allocate(r.byteSize(), 64);
            b.fill(r, out);                                                    // scalar: nothing announced
            Conformance.assertBitIdentical(r, out);
            b.prepare(r.withRegion(dev.tensorinit.Region.whole()).withDType(DType.F32));   // small: still nothing to warm
            k.expect(r.kernelArgs(), WarmingKernel.worthWarming(KernelArgs.Kind.TRUNC_NORMAL, 2) + 1, 2);
            out.fill((byte) 0);
            b.fill(r, out);                                                    // while compiling, run by run
            Conformance.assertBitIdentical(r, out);
            awaitWarm(k, KernelArgs.Kind.TRUNC_NORMAL, DType.F32);
            out.fill((byte) 0);
            b.fill(r, out);
            Conformance.assertBitIdentical(r, out);
        }
    }
}
