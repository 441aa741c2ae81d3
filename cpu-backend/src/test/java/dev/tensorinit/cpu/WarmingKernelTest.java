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

    @Test
    void coldRoutesToScalarThenWarmRoutesToVector() throws Exception {
        Counting vector = new Counting(0), scalar = new Counting(5);
        WarmingKernel k = new WarmingKernel(vector, scalar);
        KernelArgs args = FillRequest.of(Shape.of(64, 64), InitSpec.xavierNormal()).kernelArgs();
        MemorySegment dst = MemorySegment.ofArray(new float[4096]);
        k.fillRun(args, 0, 4096, dst, 0);
        assertEquals(4096, scalar.elements.get(), "the first fill of a cold kind goes to the scalar kernel");
        assertEquals(0, vector.elements.get());
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!k.isWarm(KernelArgs.Kind.NORMAL, DType.F32) && System.nanoTime() < deadline) Thread.sleep(5);
        assertTrue(k.isWarm(KernelArgs.Kind.NORMAL, DType.F32), "warmer finished");
        assertFalse(k.isWarm(KernelArgs.Kind.UNIFORM, DType.F32), "warming is per kind and dtype");
        long before = vector.elements.get();
        k.fillRun(args, 0, 4096, dst, 0);
        assertEquals(before + 4096, vector.elements.get(), "warm fills go to the vector kernel");
    }

    @Test
    void coldFillsPastTheScalarBudgetTakeTheVectorKernel() {
        // The vector kernel looks slow to the warmer, so only the budget can make the kind warm here.
        Counting vector = new Counting(200), scalar = new Counting(0);
        WarmingKernel k = new WarmingKernel(vector, scalar);
        KernelArgs args = FillRequest.of(Shape.of(64, 64), InitSpec.xavierUniform()).kernelArgs();
        assertEquals(scalar, k.forFill(args, WarmingKernel.COLD_BUDGET - 10));
        assertEquals(scalar, k.forFill(args, 10));
        assertEquals(vector, k.forFill(args, 1), "the budget is counted over all fills of the kind and dtype");
        assertTrue(k.isWarm(KernelArgs.Kind.UNIFORM, DType.F32), "its own chunks compile the vector kernel");
        assertEquals(vector, k.forFill(args, 1));
    }

    @Test
    void realKernelsGiveReferenceBitsColdAndWarm() throws Exception {
        WarmingKernel k = new WarmingKernel(new VectorKernel(), new ScalarKernel());
        FillRequest r = FillRequest.of(Shape.of(1024, 1031), InitSpec.truncNormal(0, 0.02, -0.04, 0.04)).withSeed(5).withName("w");
        try (CpuBackend b = new CpuBackend(2, k); Arena arena = Arena.ofShared()) {
            MemorySegment out = arena.allocate(r.byteSize(), 64);
            b.fill(r, out);
            Conformance.assertBitIdentical(r, out);
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (!k.isWarm(KernelArgs.Kind.TRUNC_NORMAL, DType.F32) && System.nanoTime() < deadline) Thread.sleep(20);
            assertTrue(k.isWarm(KernelArgs.Kind.TRUNC_NORMAL, DType.F32), "the warmer ends within its 30 s cap");
            out.fill((byte) 0);
            b.fill(r, out);
            Conformance.assertBitIdentical(r, out);
        }
    }
}
