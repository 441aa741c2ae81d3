package dev.tensorinit.bench;

import dev.tensorinit.FillRequest;
import dev.tensorinit.kernel.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The benchmarks must time the real fill: both fillers write exactly core's reference bytes. */
class FillerTest {

    @ParameterizedTest
    @CsvSource({"uniform,f32", "normal,bf16", "trunc_normal,f32"})
    void cpuBackendAndReferenceFillersWriteTheReferenceBytes(String init, String dtype) {
        FillRequest req = Workload.request(init, dtype, 12);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment expected = a.allocate(req.byteSize());
            Reference.fillRun(req.kernelArgs(), 0, req.count(), expected, 0);

            try (Filler f = Filler.open("cpu", req)) {
                Filler.BackendFiller b = (Filler.BackendFiller) f;
                MemorySegment got = a.allocate(req.byteSize());
                b.backend().copyToHost(b.buffer(), 0, got);
                assertEquals(-1L, expected.mismatch(got), "cpu backend differs from the reference");
            }
            try (Filler f = Filler.open(Filler.REFERENCE, req)) {
                assertEquals(-1L, expected.mismatch(((Filler.ReferenceFiller) f).segment()), "reference filler differs");
            }
        }
    }

    /** Scripted run times on a fake clock: settle stops after three runs in a row that beat the best by under 10%. */
    @Test void settleRunsUntilThreeRunsInARowStopImproving() {
        long[] clock = {0};
        // ns: 3000 and 1000 improve; 950 does not by 10% (calm 1); 800 does (calm again 0); 790, 795, 780 do not.
        long[] times = {3_000, 1_000, 950, 800, 790, 795, 780, 100, 100};
        int[] runs = {0};
        Filler.settle(() -> clock[0] += times[runs[0]++], Long.MAX_VALUE / 4, () -> clock[0]);
        assertEquals(7, runs[0], "stops after 780, the third calm run after 800");
    }

    @Test void settleStopsAtItsCapButRunsAtLeastOnce() {
        long[] clock = {0};
        int[] runs = {0};
        // Every run twice as fast as the one before: never calm, so the cap ends it.
        Filler.settle(() -> clock[0] += 1L << (40 - runs[0]++), 3L << 39, () -> clock[0]);
        assertEquals(2, runs[0], "2^40 then 2^39 ns: the cap (1.5 * 2^40 ns) is passed after the second run");
        runs[0] = 0;
        Filler.settle(() -> runs[0]++, -1, () -> clock[0]);
        assertEquals(1, runs[0]);
    }

    /** The repeated fills are announced to the backend before anything is timed: 2^36 elements' worth, 64 to 4096 calls. */
    @ParameterizedTest
    @CsvSource({"24,4096", "28,256", "34,64", "12,4096"})
    void announceRepeatsPreparesTheRequestManyTimes(int log2, long calls) {
        FillRequest req = Workload.request("normal", "f32", log2);
        long[] prepared = {0};
        dev.tensorinit.spi.Backend counting = new dev.tensorinit.spi.Backend() {
            @Override public String name() { return "counting"; }
            @Override public String description() { return "counts prepare calls"; }
            @Override public void fill(FillRequest request, MemorySegment dst) { throw new UnsupportedOperationException(); }
            @Override public void prepare(FillRequest request) {
                assertEquals(req, request);
                prepared[0]++;
            }
            @Override public dev.tensorinit.spi.DeviceBuffer allocate(dev.tensorinit.DType dtype, long elements) {
                throw new UnsupportedOperationException();
            }
            @Override public void fill(FillRequest request, dev.tensorinit.spi.DeviceBuffer dst) { throw new UnsupportedOperationException(); }
            @Override public void copyToHost(dev.tensorinit.spi.DeviceBuffer src, long srcIndex, MemorySegment dst) {
                throw new UnsupportedOperationException();
            }
            @Override public void close() { }
        };
        Filler.announceRepeats(counting, req);
        assertEquals(calls, prepared[0]);
    }

    @Test void unknownBackendFailsLoudly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Filler.open("nosuchbackend", Workload.request("uniform", "f32", 10)));
        assertEquals(true, e.getMessage().contains("nosuchbackend"));
    }

    /** An engine goes into the typed options of the one backend that has engines, never into a system property. */
    @Test void anEngineIsForCudaOnly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Filler.openBackend("cpu:curand"));
        assertEquals(true, e.getMessage().contains("cpu:curand"), e.getMessage());
        assertEquals(null, System.getProperty("tensorinit.cpu.engine"));
    }
}
