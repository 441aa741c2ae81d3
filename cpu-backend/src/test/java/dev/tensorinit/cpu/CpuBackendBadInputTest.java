package dev.tensorinit.cpu;

import dev.tensorinit.DType;
import dev.tensorinit.Dispatcher;
import dev.tensorinit.FillRequest;
import dev.tensorinit.Inits;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Layout;
import dev.tensorinit.Region;
import dev.tensorinit.Shape;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad parameters reach the user as IllegalArgumentException naming the bad value, along the path a
 * caller takes: build the request, then fill through CpuBackend. The destination is left untouched.
 * Bad destinations, buffers, nulls and closed backends: the backend contract (CpuContractTest).
 */
class CpuBackendBadInputTest {
    private static final CpuBackend BACKEND = new CpuBackend(2);

    @AfterAll
    static void close() { BACKEND.close(); }

    private static void fill(Shape shape, InitSpec init, DType dt, Region region) {
        FillRequest r = new FillRequest(shape, Layout.TORCH, init, dt, 1, 2, region);
        BACKEND.fill(r, MemorySegment.ofArray(new byte[(int) Math.min(r.byteSize(), 1 << 20)]));
    }

    private static void iae(Executable e, String... parts) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        for (String p : parts) assertTrue(x.getMessage().contains(p), "message should contain '" + p + "': " + x.getMessage());
    }

    @Test
    void dims() {
        iae(() -> fill(Shape.of(0, 5), InitSpec.xavierUniform(), DType.F32, Region.whole()), "dimension 0", "is 0");
        iae(() -> fill(Shape.of(5, -3), InitSpec.xavierUniform(), DType.F32, Region.whole()), "-3");
        iae(() -> fill(Shape.parse("65536x65536x65536x65536"), InitSpec.xavierUniform(), DType.F32, Region.whole()), "65536", "2^63-1");
        iae(() -> fill(Shape.parse("3x-5"), InitSpec.zeros(), DType.F32, Region.whole()), "-5");
    }

    @Test
    void nonFiniteOrNegativeParameters() {
        iae(() -> Inits.create("xavier_uniform", Map.of("gain", "NaN")), "gain", "NaN");
        iae(() -> Inits.create("xavier_normal", Map.of("gain", "Infinity")), "gain", "Infinity");
        iae(() -> Inits.create("xavier_normal", Map.of("gain", "-2")), "gain", "-2.0");
        iae(() -> Inits.create("normal", Map.of("std", "-0.5")), "std", "-0.5");
        iae(() -> Inits.create("normal", Map.of("std", "NaN")), "std", "NaN");
        iae(() -> Inits.create("trunc_normal", Map.of("std", "Infinity")), "std", "Infinity");
        iae(() -> Inits.create("variance_scaling", Map.of("scale", "-1")), "scale", "-1.0");
        iae(() -> Inits.create("variance_scaling", Map.of("scale", "NaN")), "scale", "NaN");
        iae(() -> Inits.create("normal", Map.of("mean", "-Infinity")), "mean", "-Infinity");
        iae(() -> Inits.create("constant", Map.of("value", "NaN")), "value", "NaN");
    }

    @Test
    void emptyIntervals() {
        iae(() -> Inits.create("trunc_normal", Map.of("a", "1", "b", "1")), "a (1.0)", "b (1.0)");
        iae(() -> Inits.create("trunc_normal", Map.of("a", "2", "b", "-2")), "a (2.0)", "b (-2.0)");
        iae(() -> Inits.create("uniform", Map.of("low", "0.5", "high", "0.5")), "low (0.5)", "high (0.5)");
        iae(() -> Inits.create("uniform", Map.of("low", "3", "high", "-1")), "low (3.0)", "high (-1.0)");
    }

    @Test
    void valuesTheDtypeCannotHold() {
        iae(() -> fill(Shape.of(4, 4), InitSpec.uniform(-1e6, 1e6), DType.F16, Region.whole()), "1000000.0", "f16");
        iae(() -> fill(Shape.of(4, 4), InitSpec.truncNormal(0, 1, 6, 7), DType.F32, Region.whole()), "a=6.0", "b=7.0");
    }

    @Test
    void regionsOutsideTheTensor() {
        iae(() -> fill(Shape.of(10, 10), InitSpec.ones(), DType.F32, Region.range(50, 101)), "[50, 101)", "10x10");
        iae(() -> fill(Shape.of(10, 10), InitSpec.ones(), DType.F32, Region.tile(0, 11, 0, 5)), "rows 0:11", "10x10");
        iae(() -> fill(Shape.of(10, 10), InitSpec.ones(), DType.F32, Region.tile(2, 5, 8, 12)), "cols 8:12", "10x10");
        iae(() -> Region.range(7, 3), "[7, 3)");
        iae(() -> Region.range(-1, 3), "[-1, 3)");
    }

    @Test
    void destinationTooSmallIsUntouched() {
        FillRequest r = FillRequest.of(Shape.of(100, 100), InitSpec.xavierUniform());
        byte[] small = new byte[39_999];
        iae(() -> BACKEND.fill(r, MemorySegment.ofArray(small)), "39999", "40000");
        for (byte b : small) if (b != 0) throw new AssertionError("a refused fill wrote to the destination");
        iae(() -> BACKEND.fill(r, MemorySegment.ofArray(new byte[40_000]).asReadOnly()), "read-only");
    }

    @Test
    void nulls() {
        // backend arguments: see the backend contract (CpuContractTest)
        assertThrows(NullPointerException.class, () -> Inits.create(null, Map.of()));
    }

    @Test
    void badThreadCount() {
        iae(() -> new CpuBackend(0), "0");
        iae(() -> new CpuBackend(-4), "-4");
    }

    @Test
    void unknownInitAndBackendNames() {
        iae(() -> Inits.create("glorot", Map.of()), "'glorot'", "glorot_uniform");
        iae(() -> Inits.create("xavier_uniform", Map.of("gian", "2")), "'gian'");
        iae(() -> new Dispatcher(List.of(new CpuBackendProvider()), null).open("cuda12"), "'cuda12'", "cpu");
        iae(() -> new Dispatcher(List.of(new CpuBackendProvider()), "gpu").choose(), "'gpu'", "auto", "cpu");
    }
}
