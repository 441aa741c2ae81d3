package dev.tensorinit.opencl;

import dev.tensorinit.testing.Conformance;
import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Layout;
import dev.tensorinit.Region;
import dev.tensorinit.Shape;
import dev.tensorinit.spi.DeviceBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;


/**
 * Every distribution × dtype × region, bit for bit against the reference, through every path: an
 * aligned native segment (in place), a heap segment and an unaligned native segment (staged), and a
 * device buffer read back with copyToHost.
 */
class ConformanceTest {
    /** Both kernel formulations on this device: one Philox block per work-item (GPUs) and four (CPUs). */
    private static OpenClBackend one, four;

    @BeforeAll static void open() {
        one = new OpenClBackend(OpenClTesting.device(), Tuning.DEFAULT.withBlocksPerItem(1));
        four = new OpenClBackend(OpenClTesting.device(), Tuning.DEFAULT.withBlocksPerItem(4));
    }

    @AfterAll static void close() {
        if (one != null) one.close();
        if (four != null) four.close();
    }

    static final Map<String, InitSpec> INITS = Map.of(
            "xavier_uniform", InitSpec.xavierUniform(),
            "xavier_normal", InitSpec.xavierNormal(),
            "kaiming_normal", InitSpec.kaimingNormal(),
            "trunc_normal", InitSpec.truncNormal(0.1, 0.02, -0.05, 0.3),
            "glorot_normal", InitSpec.glorotNormal(),
            "uniform", InitSpec.uniform(-3, 5),
            "normal", InitSpec.normal(1, 2),
            "constant", InitSpec.constant(0.375),
            "tiny_normal", InitSpec.normal(0, 1e-4)); // many f16 subnormals and bf16 rounding carries

    static Stream<Arguments> cases() {
        Shape shape = Shape.of(37, 53); // 1961 elements: odd rows, odd cols
        List<Region> regions = List.of(Region.whole(), Region.range(3, 1902), Region.range(5, 6), Region.range(1956, 1961),
                Region.tile(1, 36, 3, 50), Region.tile(0, 37, 0, 1), Region.tile(36, 37, 2, 53));
        List<Arguments> out = new ArrayList<>();
        for (String name : INITS.keySet()) {
            for (DType dt : DType.values()) {
                for (Region r : regions) out.add(Arguments.of(name, dt, r, shape));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void matchesReference(String name, DType dtype, Region region, Shape shape) {
        FillRequest r = new FillRequest(shape, Layout.TORCH, INITS.get(name), dtype, 0x5eedL, 7, region);
        for (OpenClBackend backend : new OpenClBackend[] {one, four}) check(backend, r);
    }

    private static void check(OpenClBackend backend, FillRequest r) {
        DType dtype = r.dtype();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment expected = Conformance.reference(r, arena);

            MemorySegment aligned = arena.allocate(r.byteSize(), 64);
            backend.fill(r, aligned);
            Conformance.assertBitIdentical("native segment", r, expected, aligned);

            MemorySegment heap = MemorySegment.ofArray(new byte[(int) r.byteSize() + 3]).asSlice(1, r.byteSize());
            backend.fill(r, heap);
            Conformance.assertBitIdentical("heap segment", r, expected, heap);

            MemorySegment unaligned = arena.allocate(r.byteSize() + 1, 64).asSlice(1, r.byteSize());
            backend.fill(r, unaligned);
            Conformance.assertBitIdentical("unaligned native segment", r, expected, unaligned);

            try (DeviceBuffer b = backend.allocate(dtype, r.count())) {
                backend.fill(r, b);
                MemorySegment back = arena.allocate(r.byteSize(), 8);
                backend.copyToHost(b, 0, back);
                Conformance.assertBitIdentical("device buffer", r, expected, back);
            }
        }
    }
}
