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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Several caller threads filling different buffers through ONE backend at once get the bytes of sequential fills. */
class CpuBackendConcurrencyTest {

    @Test
    void concurrentFillsEqualSequentialFills() throws Exception {
        // 8 different requests (init, dtype, seed, region), each ~2-3 work chunks so the pool interleaves them.
        List<Conformance.Case> cases = new ArrayList<>();
        int i = 0;
        for (var e : Conformance.standardInits().entrySet()) {
            if (i == 8) break;
            DType dt = DType.values()[i % 4];
            Region region = i % 3 == 0 ? Region.tile(1, 700, 3, 997) : Region.range(i, 600_000 + 7L * i);
            cases.add(new Conformance.Case(e.getKey(), new FillRequest(Shape.of(1000, 1000), Layout.TORCH, e.getValue(), dt, i, 100 + i, region)));
            i++;
        }
        int callers = cases.size();
        try (CpuBackend backend = new CpuBackend(3); Arena arena = Arena.ofShared()) {
            MemorySegment[] sequential = new MemorySegment[callers];
            for (int c = 0; c < callers; c++) {
                sequential[c] = arena.allocate(cases.get(c).request().byteSize(), 8);
                backend.fill(cases.get(c).request(), sequential[c]);
                Conformance.assertBitIdentical(cases.get(c).request(), sequential[c]);
            }
            ExecutorService callerPool = Executors.newFixedThreadPool(callers);
            try {
                for (int round = 0; round < 3; round++) {
                    CyclicBarrier start = new CyclicBarrier(callers);
                    List<Future<MemorySegment>> results = new ArrayList<>();
                    for (Conformance.Case c : cases) {
                        results.add(callerPool.submit(() -> {
                            MemorySegment out = arena.allocate(c.request().byteSize(), 8);
                            start.await();
                            backend.fill(c.request(), out);
                            return out;
                        }));
                    }
                    for (int c = 0; c < callers; c++) {
                        MemorySegment got = results.get(c).get();
                        assertEquals(-1, MemorySegment.mismatch(sequential[c], 0, sequential[c].byteSize(), got, 0, got.byteSize()),
                                "round " + round + ": " + cases.get(c));
                    }
                }
            } finally {
                callerPool.shutdownNow();
            }
        }
    }
}
