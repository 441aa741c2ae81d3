package dev.tensorinit.cpu;

import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Layout;
import dev.tensorinit.Region;
import dev.tensorinit.Shape;
import dev.tensorinit.testing.Conformance;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CpuBackend is bit-identical to core's Reference, whatever the thread count: the standard matrix
 * (every init × dtype, block-straddling ranges, tiles, odd sizes) and 4,201,475 elements (> 2^22, odd)
 * per kernel kind × dtype, each with 1, 2 and 3 threads.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CpuBackendReferenceTest {
    private final CpuBackend[] backends = new CpuBackend[4];

    @BeforeAll
    void open() {
        for (int t = 1; t <= 3; t++) backends[t] = new CpuBackend(t, new VectorKernel());   // the vector kernel itself, not the size policy
    }

    @AfterAll
    void close() {
        for (int t = 1; t <= 3; t++) backends[t].close();
    }

    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 2, 3})
    void standardMatrix(int threads) {
        try (Arena arena = Arena.ofShared()) {
            for (Conformance.Case c : Conformance.standardMatrix()) {
                MemorySegment out = arena.allocate(c.request().byteSize(), 8);
                backends[threads].fill(c.request(), out);
                Conformance.assertBitIdentical(c.request(), out);
            }
        }
    }

    /**
     * One init per kernel kind (uniform, normal, truncated normal in its mirrored form, constant). The other
     * inits differ from these only in host-side parameters; the standard matrix covers each of them with
     * 1, 2 and 3 threads at small sizes, and the statistics test fills 2^24 of each family.
     */
    static Map<String, InitSpec> kernelPaths() {
        Map<String, InitSpec> m = new LinkedHashMap<>();
        Map<String, InitSpec> std = Conformance.standardInits();
        for (String k : new String[] {"xavier_uniform", "kaiming_normal", "trunc_normal_mirrored", "constant"}) m.put(k, std.get(k));
        return m;
    }

    @Test
    void moreThan2To22ElementsEveryPathDtypeAndThreadCount() {
        Shape shape = Shape.of(4099, 1025);  // 4,201,475 elements: > 2^22 and not a multiple of 4
        try (Arena arena = Arena.ofShared()) {
            MemorySegment out = arena.allocate(shape.elements() * 8, 64);
            for (Map.Entry<String, InitSpec> e : kernelPaths().entrySet()) {
                for (DType dt : DType.values()) {
                    FillRequest r = new FillRequest(shape, Layout.TORCH, e.getValue(), dt, Conformance.SEED, Conformance.STREAM, Region.whole());
                    try (Arena refArena = Arena.ofShared()) {
                        MemorySegment expected = Conformance.reference(r, refArena);
                        for (int t = 1; t <= 3; t++) {
                            out.fill((byte) 0x5A);
                            backends[t].fill(r, out);
                            try {
                                Conformance.assertBitIdentical(r, expected, out);
                            } catch (AssertionError err) {
                                throw new AssertionError(t + " thread(s): " + err.getMessage(), err);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void rangeOfTwoTo22StartingAndEndingInsideBlocks() {
        Shape shape = Shape.of(1L << 16, 1L << 16);
        FillRequest r = new FillRequest(shape, Layout.JAX, InitSpec.heNormal(), DType.F32, -7, 3,
                Region.range((1L << 31) - 4097, (1L << 31) + (1L << 22) - 2));  // crosses 2^31; starts at word 3, ends at word 1
        try (Arena arena = Arena.ofShared()) {
            MemorySegment expected = Conformance.reference(r, arena);
            for (int t = 1; t <= 3; t++) {
                MemorySegment out = arena.allocate(r.byteSize(), 4);
                backends[t].fill(r, out);
                Conformance.assertBitIdentical(r, expected, out);
            }
        }
    }

    @Test
    void bigTileWithOddWidth() {
        Shape shape = Shape.of(3000, 3001);
        FillRequest r = new FillRequest(shape, Layout.TORCH, InitSpec.xavierNormal(), DType.F64, 1, 2, Region.tile(17, 2999, 3, 2118));
        try (Arena arena = Arena.ofShared()) {
            MemorySegment out = arena.allocate(r.byteSize(), 8);
            backends[3].fill(r, out);
            Conformance.assertBitIdentical(r, out);
        }
    }
}
