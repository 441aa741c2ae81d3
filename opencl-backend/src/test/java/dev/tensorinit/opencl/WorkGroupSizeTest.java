package dev.tensorinit.opencl;

import dev.tensorinit.testing.Conformance;
import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Layout;
import dev.tensorinit.Region;
import dev.tensorinit.Shape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;


/** The work-group size decides only which work-item computes which block, never a value. */
class WorkGroupSizeTest {

    @ParameterizedTest
    @EnumSource(DType.class)
    void sameBytesForEveryLocalSize(DType dtype) {
        FillRequest[] requests = {
                new FillRequest(Shape.of(1, 10007), Layout.TORCH, InitSpec.kaimingNormal(), dtype, 1, 2, Region.range(1, 10006)),
                new FillRequest(Shape.of(61, 131), Layout.TORCH, InitSpec.glorotNormal(), dtype, 1, 2, Region.tile(2, 59, 5, 130)),
        };
        try (Arena arena = Arena.ofConfined()) {
            for (FillRequest r : requests) {
                MemorySegment expected = Conformance.reference(r, arena);
                for (int blocksPerItem : new int[] {1, 4}) {
                    // PoCL compiles a kernel per local size (a second or more each here): two sizes per formulation.
                    for (long local : blocksPerItem == 1 ? new long[] {1, 64} : new long[] {7, 64}) {
                        try (OpenClBackend b = new OpenClBackend(OpenClTesting.device(), Tuning.DEFAULT.withLocalSize(local).withBlocksPerItem(blocksPerItem))) {
                            MemorySegment got = arena.allocate(r.byteSize(), 64);
                            b.fill(r, got);
                            Conformance.assertBitIdentical("local size " + local + ", blocks per work-item " + blocksPerItem, r, expected, got);
                        }
                    }
                }
            }
        }
    }
}
