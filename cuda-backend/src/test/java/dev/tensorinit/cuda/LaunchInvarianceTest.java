package dev.tensorinit.cuda;

import dev.tensorinit.testing.Conformance;
import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Layout;
import dev.tensorinit.Region;
import dev.tensorinit.Shape;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/** GPU: the launch configuration never changes a value (PyTorch's depends on the SM count). Skips without a GPU. */
class LaunchInvarianceTest {
    static final List<LaunchConfig> CONFIGS = List.of(new LaunchConfig(1, 1), new LaunchConfig(32, 7), LaunchConfig.DEFAULT,
            new LaunchConfig(1024, 1), new LaunchConfig(64, 100_000), new LaunchConfig(96, 3),
            // every kernel variant, with a resident-sized grid and with grids too small for one tile
            new LaunchConfig(256, LaunchConfig.RESIDENT, KernelVariant.V1), new LaunchConfig(256, 0, KernelVariant.V2),
            new LaunchConfig(128, 3, KernelVariant.V4), new LaunchConfig(96, LaunchConfig.RESIDENT, KernelVariant.V2H),
            new LaunchConfig(1024, 1, KernelVariant.V4), new LaunchConfig(256, 0, KernelVariant.V4H),
            new LaunchConfig(64, 5, KernelVariant.V2HC));

    /** Per test, so each is reported as skipped with the probe's reason. */
    @BeforeEach
    void gpu() { Gpu.assumeGpu(); }

    /**
     * The default launch (auto) uses the v2h kernels where the loaded image has them (the fatbin's sm_90 and sm_100
     * code, which runs on compute capability 9.x and 10.x), else the default ones (the PTX, other architectures).
     */
    @Test
    void autoResolvesToTheKernelsTheImageHas() {
        try (CudaBackend b = CudaBackend.open(0, CudaEngine.PHILOX, null)) {
            String d = b.description();
            boolean variants = b.kernelImage().startsWith("fatbin")
                    && (d.contains("compute capability 9.") || d.contains("compute capability 10."));
            org.junit.jupiter.api.Assertions.assertTrue(d.contains(", kernels " + (variants ? "v2h" : "default") + " from "), d);
        }
    }

    @Test
    void everyConfigurationGivesTheReferenceBits() {
        Shape shape = Shape.of(777, 1031);
        List<FillRequest> requests = List.of(
                new FillRequest(shape, Layout.TORCH, InitSpec.xavierNormal(), DType.F32, 1, 2, Region.whole()),
                new FillRequest(shape, Layout.TORCH, InitSpec.truncNormal(), DType.F64, 3, 4, Region.range(5, 400_003)),
                new FillRequest(shape, Layout.TORCH, InitSpec.xavierUniform(), DType.BF16, 5, 6, Region.whole()),
                // variant fills: a whole f32 run, a run with a tail, a run with no aligned body (edges kernel only)
                new FillRequest(shape, Layout.TORCH, InitSpec.xavierUniform(), DType.F32, 9, 10, Region.whole()),
                new FillRequest(shape, Layout.TORCH, InitSpec.truncNormal(), DType.F16, 11, 12, Region.range(4, 600_003)),
                new FillRequest(shape, Layout.TORCH, InitSpec.xavierNormal(), DType.BF16, 13, 14, Region.range(3, 500_000)),
                new FillRequest(shape, Layout.TORCH, InitSpec.heNormal(), DType.F16, 7, 8, Region.tile(1, 700, 3, 1000)),
                new FillRequest(shape, Layout.TORCH, InitSpec.glorotNormal(), DType.F64, 7, 8, Region.tile(2, 600, 1, 999)));
        try (Arena arena = Arena.ofConfined()) {
            for (FillRequest r : requests) {
                MemorySegment expected = Conformance.reference(r, arena);
                for (LaunchConfig c : CONFIGS) {
                    try (CudaBackend b = new CudaBackend(0, CudaEngine.PHILOX, null, c, CudaBackend.DEFAULT_HOST_CHUNK_BYTES);
                         CudaBuffer buf = b.allocate(r.dtype(), r.count())) {
                        b.fill(r, buf);
                        Conformance.assertBitIdentical(r.init() + " " + r.dtype() + " with " + c, r, expected, Gpu.download(arena, b, buf, 0, r.count()));
                    }
                }
            }
        }
    }
}
