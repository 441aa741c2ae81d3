package dev.tensorinit.cuda;

import dev.tensorinit.testing.Conformance;
import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Layout;
import dev.tensorinit.NativeMemory;
import dev.tensorinit.Region;
import dev.tensorinit.Shape;
import dev.tensorinit.kernel.KernelArgs;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * GPU: tensors above 2^31 (and 2^32) elements, where 32-bit indices would wrap. The whole tensor is filled
 * on the device; windows around the 2^31 and 2^32 boundaries and the end are compared with the reference
 * (the scalar reference is too slow to check billions of elements). Skips without a GPU or memory.
 */
class LargeTensorTest extends PhiloxGpuTest {


    private static void checkWindows(CudaBuffer buf, KernelArgs a, long n, String what) {
        long[] starts = {0, (1L << 31) - 4099, (1L << 31) + 1, (1L << 32) - 2050, (1L << 32) + 3, n - 5001};
        try (Arena arena = Arena.ofConfined()) {
            for (long s : starts) {
                if (s < 0 || s + 5001 > n) continue;
                Conformance.assertSameElements(what + " window at " + s, a.dtype(), Gpu.reference(arena, a, s, 5001), Gpu.download(arena, backend, buf, s, 5001));
            }
        }
    }

    @Test
    void bf16AboveTwoToThe32() {
        long n = (1L << 32) + 1001;
        assumeTrue(backend.memoryInfo()[0] > n * 2 + (1L << 30), "not enough free device memory for " + n + " bf16");
        FillRequest r = new FillRequest(Shape.of(n), Layout.TORCH, InitSpec.normal(0, 0.02), DType.BF16, 77, 1, Region.whole());
        try (CudaBuffer buf = backend.allocate(DType.BF16, n)) {
            backend.fill(r, buf);
            checkWindows(buf, r.kernelArgs(), n, "bf16 2^32+1001");
        }
    }

    @Test
    void f32AboveTwoToThe31AndARangeAcrossIt() {
        long n = (1L << 31) + 4097;
        assumeTrue(backend.memoryInfo()[0] > n * 4 + (1L << 30), "not enough free device memory for " + n + " f32");
        FillRequest r = new FillRequest(Shape.of(2, n / 2 + 1), Layout.TORCH, InitSpec.xavierUniform(), DType.F32, 5, 5,
                Region.range(0, n));
        try (CudaBuffer buf = backend.allocate(DType.F32, n)) {
            backend.fill(r, buf);
            checkWindows(buf, r.kernelArgs(), n, "f32 2^31+4097");
        }
        FillRequest across = r.withRegion(Region.range((1L << 31) - 3, (1L << 31) + 4_001));   // inside the 2^31 + 4097 elements
        try (Arena arena = Arena.ofConfined(); CudaBuffer small = backend.allocate(DType.F32, across.count())) {
            backend.fill(across, small);
            Conformance.assertBitIdentical("range across 2^31", across, Conformance.reference(across, arena), Gpu.download(arena, backend, small, 0, across.count()));
        }
    }

    @Test
    void hostFillAboveTwoToThe31() {
        long n = (1L << 31) + 777;
        FillRequest r = new FillRequest(Shape.of(n), Layout.TORCH, InitSpec.normal(0, 0.5), DType.BF16, 8, 8, Region.whole());
        try (Arena arena = Arena.ofShared()) {
            MemorySegment host = NativeMemory.allocateUninitialized(arena, r.byteSize(), 64);
            backend.fill(r, host);
            for (long s : new long[] {0, (1L << 31) - 1000, n - 1000}) {
                try (Arena a = Arena.ofConfined()) {
                    Conformance.assertSameElements("host window at " + s, DType.BF16, Gpu.reference(a, r.kernelArgs(), s, 1000), host.asSlice(s * 2, 2000));
                }
            }
        }
    }
}
