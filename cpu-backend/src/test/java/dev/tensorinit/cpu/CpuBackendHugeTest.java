package dev.tensorinit.cpu;

import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Layout;
import dev.tensorinit.Region;
import dev.tensorinit.Shape;
import dev.tensorinit.kernel.F32Math;
import dev.tensorinit.kernel.KernelArgs;
import dev.tensorinit.kernel.Reference;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One off-heap fill of 2^31 + 2^16 bf16 elements (4 GiB) through allocateAndFill, checked against the
 * reference around index 2^31 (where an int index would wrap), at the end, and at random indices.
 * Tagged "huge" so it can be selected or excluded (-Dgroups / -DexcludedGroups=huge); it runs in the
 * normal suite.
 */
@Tag("huge")
class CpuBackendHugeTest {

    @Test
    void moreThan2To31ElementsOffHeap() {
        Shape shape = Shape.of(32769, 65536);  // 2^31 + 2^16 elements
        FillRequest r = new FillRequest(shape, Layout.TORCH, InitSpec.xavierUniform(), DType.BF16, 2024, 11, Region.whole());
        KernelArgs args = r.kernelArgs();
        long n = shape.elements();
        long t0 = System.nanoTime();
        try (CpuBackend backend = new CpuBackend(2); Arena arena = Arena.ofShared()) {
            MemorySegment s = backend.allocateAndFill(arena, r);
            long t1 = System.nanoTime();
            assertEquals(2 * n, s.byteSize());
            for (long i = (1L << 31) - 3; i <= (1L << 31) + 3; i++) check(s, args, i);
            for (long i = n - 5; i < n; i++) check(s, args, i);
            for (long i = 0; i < 5; i++) check(s, args, i);
            SplittableRandom rnd = new SplittableRandom(3);
            for (int k = 0; k < 2000; k++) check(s, args, rnd.nextLong(n));
            System.out.printf("CpuBackendHugeTest: allocateAndFill of %d bf16 elements took %.1f s (%s)%n",
                    n, (t1 - t0) / 1e9, backend.description());
        }
    }

    private static void check(MemorySegment s, KernelArgs args, long i) {
        short expected = F32Math.toBf16(Reference.valueF32(args, i));
        short actual = s.get(ValueLayout.JAVA_SHORT_UNALIGNED, 2 * i);
        if (expected != actual) {
            throw new AssertionError(String.format("element %d: expected bf16 0x%04x, got 0x%04x", i, expected & 0xFFFF, actual & 0xFFFF));
        }
    }
}
