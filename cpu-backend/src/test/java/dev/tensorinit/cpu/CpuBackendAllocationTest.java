package dev.tensorinit.cpu;

import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.Layout;
import dev.tensorinit.Region;
import dev.tensorinit.Shape;
import dev.tensorinit.testing.Conformance;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fill allocates ~0 bytes per element on the Java heap: a kernel whose vectors get boxed (a helper that
 * did not inline) allocates several bytes per element. Measured on a 1-thread backend, which fills on the
 * calling thread, with the JDK's per-thread allocation counter, once the JIT has compiled the kernel.
 */
class CpuBackendAllocationTest {

    @Test
    void fillAllocatesAlmostNothingPerElement() {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        try (CpuBackend backend = new CpuBackend(1, new VectorKernel()); Arena arena = Arena.ofShared()) {
            for (String kind : new String[] {"xavier_uniform", "xavier_normal", "trunc_normal_mirrored"}) {
                var init = Conformance.standardInits().get(kind);
                for (DType dt : new DType[] {DType.F32, DType.F64, DType.BF16}) {
                    FillRequest r = new FillRequest(Shape.of(1L << 10, 1L << 10), Layout.TORCH, init, dt, 1, 2, Region.range(3, (1L << 20) - 1));
                    MemorySegment out = arena.allocate(r.byteSize(), 64);
                    // Budget: 1 byte per 64 elements (16 KiB here) for per-chunk bookkeeping; boxing costs >= 1 byte per element.
                    // Until C2 has compiled the kernel, the interpreter boxes every vector; on a busy machine that can take
                    // many fills, so fill until the compiled kernel shows (at most 60 s), and fail with the least seen.
                    long least = Long.MAX_VALUE;
                    long deadline = System.nanoTime() + 60_000_000_000L;
                    for (int i = 0; least >= r.count() / 64 && (i < 3 || System.nanoTime() < deadline); i++) {
                        long before = mx.getThreadAllocatedBytes(tid);
                        backend.fill(r, out);
                        least = Math.min(least, mx.getThreadAllocatedBytes(tid) - before);
                    }
                    assertTrue(least < r.count() / 64, kind + " " + dt.id() + " allocated at least " + least + " bytes for "
                            + r.count() + " elements in every fill for 60 s");
                }
            }
        }
    }
}
