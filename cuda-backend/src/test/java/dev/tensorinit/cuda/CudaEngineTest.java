package dev.tensorinit.cuda;

import dev.tensorinit.spi.Probe;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CudaEngineTest {

    @Test
    void parsesBothEnginesAndRejectsOthersByName() {
        assertEquals(CudaEngine.PHILOX, CudaEngine.parse(" Philox "));
        assertEquals(CudaEngine.CURAND, CudaEngine.parse("CURAND"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CudaEngine.parse("mtgp"));
        assertTrue(e.getMessage().contains("'mtgp'") && e.getMessage().contains(dev.tensorinit.Settings.CUDA_ENGINE), e.getMessage());
    }

    @Test
    void optionsSelectTheEngineAndABadSettingMakesTheProbeSaySo() {
        assertEquals(CudaEngine.CURAND, CudaEngine.of(dev.tensorinit.spi.BackendOptions.DEFAULTS.withCudaEngine("curand")));
        assertEquals(CudaEngine.PHILOX, CudaEngine.of(dev.tensorinit.spi.BackendOptions.DEFAULTS));
        String old = System.getProperty(dev.tensorinit.Settings.CUDA_ENGINE);
        try {
            System.setProperty(dev.tensorinit.Settings.CUDA_ENGINE, "bogus");
            Probe p = new CudaBackendProvider().probe();
            assertTrue(assertInstanceOf(Probe.Unavailable.class, p).reason().contains("'bogus'"));
        } finally {
            if (old == null) System.clearProperty(dev.tensorinit.Settings.CUDA_ENGINE); else System.setProperty(dev.tensorinit.Settings.CUDA_ENGINE, old);
        }
    }

    @Test
    void curandNormalsAreCheckedAtCurandsReach() {
        // 12000 · 5.2947 fits f16 for the philox engine, but cuRAND's Box-Muller reaches 6.76 std: 81164 > 65504.
        var a = dev.tensorinit.kernel.KernelArgs.of(new dev.tensorinit.Distribution.Normal(0, 12000), dev.tensorinit.DType.F16, 0, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CurandEngine.checkReach(a));
        assertTrue(e.getMessage().contains("f16") && e.getMessage().contains("philox engine"), e.getMessage());
        CurandEngine.checkReach(dev.tensorinit.kernel.KernelArgs.of(new dev.tensorinit.Distribution.Normal(0, 9000), dev.tensorinit.DType.F16, 0, 0));
        CurandEngine.checkReach(dev.tensorinit.kernel.KernelArgs.of(new dev.tensorinit.Distribution.Uniform(-6e4, 6e4), dev.tensorinit.DType.F16, 0, 0));
        assertTrue(CurandEngine.MAX_Z_F32 >= Math.sqrt(-2 * Math.log(0x1p-33)), "Box-Muller's reach from cuRAND's smallest uniform, 2^-33");
        // cuRAND's uniform reaches high itself: U(0, 65519.99) rounds to 65504 for philox (its last u is 1 - 2^-24), not here.
        var u = dev.tensorinit.kernel.KernelArgs.of(new dev.tensorinit.Distribution.Uniform(0, 65519.99), dev.tensorinit.DType.F16, 0, 0);
        e = assertThrows(IllegalArgumentException.class, () -> CurandEngine.checkReach(u));
        assertTrue(e.getMessage().contains("65519.99") && e.getMessage().contains("f16"), e.getMessage());
        CurandEngine.checkReach(dev.tensorinit.kernel.KernelArgs.of(new dev.tensorinit.Distribution.Uniform(-65504, 65504), dev.tensorinit.DType.F16, 0, 0));
    }

    @Test
    void curandSeedsDifferPerStreamAndAreStable() {
        Set<Long> seen = new HashSet<>();
        for (long s = 0; s < 10_000; s++) assertTrue(seen.add(CurandEngine.seedFor(42, s)), "stream " + s + " collides");
        assertEquals(CurandEngine.seedFor(7, 3), CurandEngine.seedFor(7, 3));
    }

    @Test
    void launchConfigurationBlocks() {
        LaunchConfig c = new LaunchConfig(256, 0);
        assertEquals(1, c.blocks(1, 132));
        assertEquals(2, c.blocks(257, 132));
        assertEquals(32 * 132, c.blocks(1L << 40, 132), "capped at 32 blocks per SM");
        assertEquals(3, new LaunchConfig(32, 3).blocks(1L << 33, 132));
        assertThrows(IllegalArgumentException.class, () -> new LaunchConfig(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new LaunchConfig(2048, 0));
        assertThrows(IllegalArgumentException.class, () -> new LaunchConfig(64, -2));
        LaunchConfig resident = new LaunchConfig(256, LaunchConfig.RESIDENT);
        assertEquals(8 * 132, resident.blocks(1L << 40, 132, 8), "one wave: SMs × resident blocks");
        assertEquals(4, resident.blocks(1000, 132, 8), "never more blocks than items need");
        assertEquals(132, resident.blocks(1L << 40, 132, 0), "at least one block per SM");
    }

    @Test
    void kernelVariants() {
        for (KernelVariant v : KernelVariant.values()) assertEquals(v, KernelVariant.parse(" " + v.id().toUpperCase() + " "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelVariant.parse("v3"));
        assertTrue(e.getMessage().contains("v2h"), e.getMessage());
        assertEquals(KernelVariant.AUTO, LaunchConfig.DEFAULT.variant(), "v2h where the image has it, else the default kernels");
        assertEquals(KernelVariant.DEFAULT, new LaunchConfig(128, 5).variant());
        assertEquals("ti_fillv_bf16_n_v2h", CudaKernels.variantName(dev.tensorinit.DType.BF16,
                dev.tensorinit.kernel.KernelArgs.Kind.NORMAL, KernelVariant.V2H));
        // Body kernels exist for the three sampled kinds; constants and the log of a uniform run the default kernels.
        for (dev.tensorinit.kernel.KernelArgs.Kind k : dev.tensorinit.kernel.KernelArgs.Kind.values()) {
            if (CudaKernels.hasVariant(k)) {
                assertTrue(CudaKernels.variantName(dev.tensorinit.DType.F32, k, KernelVariant.V1).startsWith("ti_fillv_f32_"), k.name());
            } else {
                assertThrows(IllegalArgumentException.class, () -> CudaKernels.variantName(dev.tensorinit.DType.F32, k, KernelVariant.V1));
            }
        }
        assertFalse(CudaKernels.hasVariant(dev.tensorinit.kernel.KernelArgs.Kind.CONSTANT));
        assertFalse(CudaKernels.hasVariant(dev.tensorinit.kernel.KernelArgs.Kind.LOG_OF_UNIFORM));
        String old = System.getProperty(KernelVariant.PROPERTY), oldGrid = System.getProperty(LaunchConfig.GRID_PROPERTY);
        try {
            System.setProperty(KernelVariant.PROPERTY, "v4");
            System.setProperty(LaunchConfig.GRID_PROPERTY, "resident");
            assertEquals(new LaunchConfig(256, LaunchConfig.RESIDENT, KernelVariant.V4), LaunchConfig.DEFAULT.withOverrides());
            System.setProperty(LaunchConfig.GRID_PROPERTY, "everything");
            assertThrows(IllegalArgumentException.class, LaunchConfig.DEFAULT::withOverrides);
        } finally {
            if (old == null) System.clearProperty(KernelVariant.PROPERTY); else System.setProperty(KernelVariant.PROPERTY, old);
            if (oldGrid == null) System.clearProperty(LaunchConfig.GRID_PROPERTY); else System.setProperty(LaunchConfig.GRID_PROPERTY, oldGrid);
        }
    }
}
