package dev.tensorinit.opencl;

import dev.tensorinit.testing.Conformance;
import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Layout;
import dev.tensorinit.Region;
import dev.tensorinit.Shape;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One real buffer past the device's largest single allocation (PoCL: 2 GiB), without a lowered cap:
 * windows around the piece boundary, at the start and at the end are compared with the reference.
 * Runs where that allocation is at most 4 GiB and fits in a quarter of device memory (about 10 s on
 * the shared 2-core build box), else it is skipped: the lowered-cap test covers the logic everywhere.
 */
class RealSplitAllocationTest {

    @Test
    void aBufferLargerThanMaxAllocIsSplitAndCorrect() {
        ClDevice d = OpenClTesting.device();
        long maxAlloc = d.maxAllocBytes();
        assumeTrue(maxAlloc <= (4L << 30) && maxAlloc + (1 << 20) <= d.globalMemBytes() / 4 * 3,
                "max allocation " + maxAlloc + " bytes of " + d.globalMemBytes() + " global: too big to test cheaply here");
        long elements = maxAlloc / 4 + 4099;
        FillRequest r = new FillRequest(Shape.of(elements), Layout.JAX, InitSpec.uniform(-1, 1), DType.F32, 3, 4, Region.whole());
        try (OpenClBackend b = OpenClTesting.backend(); Arena arena = Arena.ofConfined();
             OpenClBuffer buf = (OpenClBuffer) b.allocate(DType.F32, elements)) {
            assertTrue(buf.pieceCount() >= 2, "pieces: " + buf.pieceCount());
            b.fill(r, buf);
            long boundary = buf.pieceElements();
            for (long from : new long[] {0, boundary - 1000, elements - 5000}) {
                long n = Math.min(6001, elements - from);
                FillRequest window = r.withRegion(Region.range(from, from + n));
                MemorySegment expected = Conformance.reference(window, arena);
                MemorySegment got = arena.allocate(n * 4, 64);
                b.copyToHost(buf, from, got);
                assertEquals(-1, expected.mismatch(got), "window at " + from);
            }
        }
    }
}
