package dev.tensorinit.cpu;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelsTest {
    @Test void withoutTheVectorModuleFallsBackToScalarAndNamesTheFlag() {
        Kernels.Choice c = Kernels.choose(false);
        assertInstanceOf(ScalarKernel.class, c.kernel());
        String w = c.warning().orElseThrow();
        assertTrue(w.contains("--add-modules jdk.incubator.vector"), w);
    }

    @Test void withTheVectorModuleUsesTheVectorKernelSilently() {
        Kernels.Choice c = Kernels.choose(true);
        assertInstanceOf(VectorKernel.class, assertInstanceOf(WarmingKernel.class, c.kernel()).vector());
        assertTrue(c.warning().isEmpty());
    }

    @Test void bestIsChosenOnceAndIsTheVectorKernelHere() {
        // Surefire runs with --add-modules jdk.incubator.vector.
        assertTrue(ModuleLayer.boot().findModule(Kernels.VECTOR_MODULE).isPresent());
        assertInstanceOf(VectorKernel.class, assertInstanceOf(WarmingKernel.class, Kernels.best()).vector());
        assertEquals(Kernels.best(), Kernels.best());
    }
}
