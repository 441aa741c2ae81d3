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
