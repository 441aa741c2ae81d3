package dev.tensorinit.cpu;

import dev.tensorinit.DType;
import dev.tensorinit.Distribution;
import dev.tensorinit.kernel.KernelArgs;
import org.junit.jupiter.api.Test;

import static dev.tensorinit.cpu.VectorKernelTest.assertSame;

/** The pass-at-a-time scalar kernel against the reference, byte for byte, on the vector kernel's cases. */
class ScalarKernelTest {
    private final ScalarKernel k = new ScalarKernel();

    @Test void matchesReferenceForEveryKindAndDtype() {
        VectorKernelTest.checkAll(k::fillRun, 1L << 16);
    }

    /** Ends inside a block and inside a pass, passes that cross 2^32 blocks, the head and tail around whole blocks. */
    @Test void runsEndingInsideABlockOrPass() {
        int pass = ScalarKernel.PASS_BLOCKS;
        for (Distribution d : VectorKernelTest.distributions()) {
            for (DType dt : DType.values()) {
                KernelArgs a = KernelArgs.of(d, dt, 7, 11);
                int per = dt == DType.F64 ? 2 : 4;
                long[] counts = {1, per - 1, per, per + 1, (long) pass * per - 1, (long) pass * per, (long) pass * per + 1,
                        2L * pass * per + 3};
                for (long first : new long[] {0, 1, 2, 3, (1L << 32) * per - 5L * per - 1}) {
                    for (long count : counts) assertSame(k::fillRun, a, first, count, 3);
                }
            }
        }
    }

    /**
     * A tile of short rows calls the kernel once per row: its scratch must scale with the run, not with a pass
     * (a pass-sized scratch is over 10 KiB, 1.3 KiB per element of an 8-element row).
     */
    @Test void shortRunsAllocateInProportionToTheirLength() {
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        KernelArgs a = KernelArgs.of(new Distribution.Normal(0, 1), DType.F32, 1, 2);
        int rows = 20_000, row = 8;
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            java.lang.foreign.MemorySegment seg = arena.allocate((long) rows * row * 4, 64);
            for (int i = 0; i < rows; i++) k.fillRun(a, (long) i * 64, row, seg, (long) i * row * 4); // warm-up
            long before = mx.getThreadAllocatedBytes(tid);
            for (int i = 0; i < rows; i++) k.fillRun(a, (long) i * 64, row, seg, (long) i * row * 4);
            double perElement = (double) (mx.getThreadAllocatedBytes(tid) - before) / ((long) rows * row);
            org.junit.jupiter.api.Assertions.assertTrue(perElement < 64, perElement + " bytes allocated per element");
        }
    }

    @Test void matchesReferenceOnALongRun() {
        for (DType dt : DType.values()) {
            assertSame(k::fillRun, KernelArgs.of(new Distribution.Normal(0.0, 0.05), dt, 1, 2), 7, (1L << 20) + 11, 2);
            assertSame(k::fillRun, KernelArgs.of(new Distribution.TruncatedNormal(0.0, 0.5, -1.0, 1.0), dt, 42, 7), 0, 1L << 18, 0);
        }
    }
}
