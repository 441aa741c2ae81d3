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
     * The warmer calls the vector kernel before it times the scalar one: the compiler starts on the vector kernel at
     * once, and the scalar baseline is timed once the fill threads have had it compiled (timed first, in a fresh JVM it
     * ran interpreted for 0.2 s and the vector kernel waited).
     */
    @Test
    void theWarmerStartsWithTheVectorKernel() throws Exception {
        java.util.List<String> calls = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        final class Recording implements RunKernel {
            final String name;
            final long sleepMillis;
            Recording(String name, long sleepMillis) { this.name = name; this.sleepMillis = sleepMillis; }
            @Override public String description() { return name; }
            @Override public void fillRun(KernelArgs a, long first, long count, MemorySegment dst, long off) {
                if (count != WarmingKernel.WARM_ELEMENTS) return;   // the warmer's own calls only
                calls.add(name);
                try { Thread.sleep(sleepMillis); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
            }
        }
        WarmingKernel k = new WarmingKernel(new Recording("vector", 0), new Recording("scalar", 5));
        KernelArgs args = FillRequest.of(Shape.of(64, 64), InitSpec.xavierNormal()).kernelArgs();
        k.forFill(args, WarmingKernel.worthWarming(KernelArgs.Kind.NORMAL, 2) + 1, 2);
        awaitWarm(k, KernelArgs.Kind.NORMAL, DType.F32);
        assertEquals(java.util.List.of("vector", "scalar", "scalar", "scalar"), calls.subList(0, 4), calls.toString());
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
     * A vector kernel that never beats the scalar one within the cap (a JIT that does not intrinsify the
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
        try (CpuBackend b = new CpuBackend(2, k); Arena arena = Arena.ofShared()) {
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
