package dev.tensorinit.cuda;

import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Layout;
import dev.tensorinit.Region;
import dev.tensorinit.Shape;
import dev.tensorinit.testing.Conformance;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GPU: fills into pinned host memory (allocateHost) take the overlapped path, two device chunks in turn
 * with asynchronous copies. Small chunks (64 KiB) make every request cross many chunk boundaries,
 * mid-row in tiles included. Bits must equal the reference; an interrupt stops the fill with nothing
 * left running; the memory outlives the backend.
 */
class PinnedHostFillTest {

    private static CudaBackend smallChunks() {
        return new CudaBackend(0, CudaEngine.PHILOX, null, LaunchConfig.DEFAULT, 64 << 10);
    }

    @Test
    void overlappedChunksGiveTheReferenceBits() {
        Gpu.assumeGpu();
        List<FillRequest> requests = List.of(
                new FillRequest(Shape.of(1001, 999), Layout.TORCH, InitSpec.xavierNormal(), DType.F32, 1, 2, Region.whole()),
                new FillRequest(Shape.of(1001, 999), Layout.TORCH, InitSpec.truncNormal(0, 1, -1, 3), DType.BF16, 1, 2, Region.tile(3, 990, 7, 998)),
                new FillRequest(Shape.of(4097, 513), Layout.JAX, InitSpec.heNormal(), DType.F64, 5, 6, Region.range(3, 2_000_003)),
                new FillRequest(Shape.of(4097, 513), Layout.TORCH, InitSpec.uniform(-1, 1), DType.F16, 5, 6, Region.tile(0, 4097, 511, 513)));
        try (CudaBackend b = smallChunks(); Arena arena = Arena.ofShared()) {
            for (FillRequest r : requests) {
                MemorySegment pinned = b.allocateHost(arena, r.byteSize());
                b.fill(r, pinned);
                Conformance.assertBitIdentical("pinned, 64 KiB chunks", r, Conformance.reference(r, arena), pinned);
            }
        }
    }

    /**
     * Blocks up to 2^31 - 1 bytes come from cuMemHostAlloc, larger ones are registered C memory (JCuda cannot hand
     * out a larger cuMemHostAlloc block): both are pinned destinations at their start and their end.
     */
    @Test
    void blocksOnBothSidesOfTheHostAllocLimitTakeTheOverlappedPath() {
        Gpu.assumeGpu();
        FillRequest r = FillRequest.of(Shape.of(1000, 1009), InitSpec.xavierNormal());
        try (CudaBackend b = smallChunks(); Arena arena = Arena.ofShared()) {
            MemorySegment expected = Conformance.reference(r, arena);
            for (long bytes : new long[] {PinnedHost.MAX_HOST_ALLOC, PinnedHost.MAX_HOST_ALLOC + 1}) {
                MemorySegment block = b.allocateHost(arena, bytes);
                assertEquals(bytes, block.byteSize());
                long end = (bytes - r.byteSize()) & -64L;
                for (long at : new long[] {0, end}) {
                    MemorySegment dst = block.asSlice(at, r.byteSize());
                    b.fill(r, dst);
                    Conformance.assertBitIdentical("pinned block of " + bytes + " bytes at " + at, r, expected, dst);
                }
            }
        }
    }

    @Test
    void anInterruptStopsTheOverlappedFillAndTheMemoryOutlivesTheBackend() throws Exception {
        Gpu.assumeGpu();
        FillRequest r = FillRequest.of(Shape.of(1L << 26), InitSpec.normal(0, 1));
        Arena arena = Arena.ofShared();
        MemorySegment pinned;
        try (CudaBackend b = smallChunks()) {
            pinned = b.allocateHost(arena, r.byteSize());
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    b.fill(r, pinned);
                } catch (Throwable e) {
                    outcome.set(e);
                }
            });
            Thread.sleep(5);
            t.interrupt();
            t.join();
            if (outcome.get() != null) assertInstanceOf(CancellationException.class, outcome.get());
            b.fill(FillRequest.of(Shape.of(1L << 20), InitSpec.ones()), pinned);
        }
        // the backend is closed; its pinned block is still valid until the arena closes
        assertEquals(1.0f, pinned.get(java.lang.foreign.ValueLayout.JAVA_FLOAT, 4 * 12345));
        arena.close();
        assertTrue(true);
    }
}
