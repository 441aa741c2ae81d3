package dev.tensorinit.cpu;

import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Layout;
import dev.tensorinit.Region;
import dev.tensorinit.Shape;
import dev.tensorinit.kernel.KernelArgs;
import dev.tensorinit.kernel.Reference;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No kernel call covers more than {@link CpuBackend#CHUNK} elements, whatever the region's shape and the thread count.
 * The launcher turns the JIT's on-stack replacement off (scripts/jvm-options) on this ground: a loop entered in slow
 * code stays in it until its call returns, so no call may run long. The calls together still cover every element once.
 */
class CpuBackendChunkBoundTest {
    /** Fills through the reference, recording the largest call and the elements covered. */
    private static final class Recording implements RunKernel {
        final AtomicLong largest = new AtomicLong(), covered = new AtomicLong();
        @Override public String description() { return "recording test kernel"; }
        @Override public void fillRun(KernelArgs args, long first, long count, MemorySegment dst, long dstOffset) {
            largest.accumulateAndGet(count, Math::max);
            covered.addAndGet(count);
            Reference.fillRun(args, first, count, dst, dstOffset);
        }
    }

    @Test void noCallCoversMoreThanAChunk() {
        long big = 3 * CpuBackend.CHUNK + 5;
        FillRequest[] requests = {
                FillRequest.of(Shape.of(big), InitSpec.normal(0, 1)),                                   // flat
                new FillRequest(Shape.of(2, big), Layout.TORCH, InitSpec.uniform(-1, 1), DType.BF16, 1, 2,
                        Region.tile(0, 2, 3, big - 1)),                                                  // two long rows
                new FillRequest(Shape.of(big, 3), Layout.TORCH, InitSpec.zeros(), DType.F16, 1, 3,
                        Region.range(7, 3 * big - 2)),                                                   // a range
        };
        for (int threads : new int[] {1, 2, 3}) {
            for (FillRequest r : requests) {
                Recording k = new Recording();
                try (CpuBackend backend = new CpuBackend(threads, k); Arena arena = Arena.ofConfined()) {
                    MemorySegment dst = arena.allocate(r.byteSize(), 8);
                    backend.fill(r, dst);
                }
                String what = threads + " thread(s), " + r.region() + " of " + r.shape();
                assertTrue(k.largest.get() <= CpuBackend.CHUNK, what + ": a call covered " + k.largest.get());
                assertTrue(k.largest.get() > CpuBackend.CHUNK / 2, what + ": calls of " + k.largest.get() + " (the test needs big ones)");
                assertEquals(r.count(), k.covered.get(), what + ": every element once");
            }
        }
    }
}
