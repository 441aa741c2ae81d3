package dev.tensorinit.cuda;

import dev.tensorinit.testing.Conformance;
import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Layout;
import dev.tensorinit.Region;
import dev.tensorinit.Shape;
import dev.tensorinit.spi.DeviceOutOfMemoryException;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GPU: out-of-memory handling and no leaks. Skips without a GPU. */
class CudaMemoryTest extends PhiloxGpuTest {
    /** Free memory may move by allocator granularity and by other processes; a leak of 1000 × 4 MiB could not hide under this. */
    static final long TOLERANCE = 64L << 20;


    @Test
    void moreThanTotalMemoryIsAnOutOfMemoryExceptionAndTheBackendStaysUsable() {
        long total = backend.memoryInfo()[1];
        long elements = total / 4 + (1L << 20);
        DeviceOutOfMemoryException e = assertThrows(DeviceOutOfMemoryException.class, () -> backend.allocate(DType.F32, elements));
        assertEquals(elements * 4, e.requestedBytes());
        assertTrue(e.getMessage().contains(Long.toString(elements * 4)) && e.getMessage().contains("free"), e.getMessage());
        FillRequest r = new FillRequest(Shape.of(1000, 1000), Layout.TORCH, InitSpec.xavierNormal(), DType.F32, 1, 1, Region.whole());
        try (Arena arena = Arena.ofConfined(); CudaBuffer buf = backend.allocate(DType.F32, r.count())) {
            backend.fill(r, buf);
            Conformance.assertBitIdentical("after OOM", r, Conformance.reference(r, arena), Gpu.download(arena, backend, buf, 0, r.count()));
        }
    }

    @Test
    void thousandAllocateFillFreeCyclesKeepDeviceMemory() {
        FillRequest r = new FillRequest(Shape.of(1024, 1024), Layout.TORCH, InitSpec.xavierUniform(), DType.F32, 1, 1, Region.whole());
        // One warm-up cycle: the first launch may allocate the context's own resources.
        try (CudaBuffer b = backend.allocate(DType.F32, r.count())) { backend.fill(r, b); }
        long before = backend.memoryInfo()[0];
        for (int i = 0; i < 1000; i++) {
            try (CudaBuffer b = backend.allocate(DType.F32, r.count())) {
                backend.fill(r.withSeed(i), b);
            }
        }
        long after = backend.memoryInfo()[0];
        assertTrue(Math.abs(before - after) < TOLERANCE, "free device memory went from " + before + " to " + after);
    }

    @Test
    void closingTheBackendFreesItsBuffersAndTwiceIsHarmless() {
        long before = backend.memoryInfo()[0];
        CudaBackend other = CudaBackend.open(0, CudaEngine.PHILOX, null);
        CudaBuffer leaked = other.allocate(DType.F32, 256L << 20); // 1 GiB never closed by the user
        other.close();
        other.close();
        assertFalse(leaked.isOpen());
        leaked.close();
        long after = backend.memoryInfo()[0];
        assertTrue(Math.abs(before - after) < TOLERANCE, "free device memory went from " + before + " to " + after);
        assertThrows(IllegalStateException.class, () -> other.allocate(DType.F32, 1));
    }

    @Test
    void hostFillLargerThanTheStagingBudgetIsChunked() {
        // A 64 KiB device budget forces ~1000 chunks; the result must not depend on it.
        try (CudaBackend tiny = new CudaBackend(0, CudaEngine.PHILOX, null, LaunchConfig.DEFAULT, 64 << 10);
             Arena arena = Arena.ofConfined()) {
            FillRequest r = new FillRequest(Shape.of(4096, 4099), Layout.TORCH, InitSpec.xavierNormal(), DType.F16, 1, 1, Region.whole());
            var out = arena.allocate(r.byteSize(), 64);
            tiny.fill(r, out);
            Conformance.assertBitIdentical("64 KiB staging", r, Conformance.reference(r, arena), out);
        }
    }
}
