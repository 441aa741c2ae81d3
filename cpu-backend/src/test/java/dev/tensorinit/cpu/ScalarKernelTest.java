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

    @Test void matchesReferenceOnALongRun() {
        for (DType dt : DType.values()) {
            assertSame(k::fillRun, KernelArgs.of(new Distribution.Normal(0.0, 0.05), dt, 1, 2), 7, (1L << 20) + 11, 2);
            assertSame(k::fillRun, KernelArgs.of(new Distribution.TruncatedNormal(0.0, 0.5, -1.0, 1.0), dt, 42, 7), 0, 1L << 18, 0);
        }
    }
}
