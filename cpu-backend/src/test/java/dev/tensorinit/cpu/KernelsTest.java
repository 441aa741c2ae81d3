package dev.tensorinit.cpu;

import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Shape;
import dev.tensorinit.kernel.KernelArgs;
import dev.tensorinit.testing.Conformance;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    /** A JVM without C2 (-Xint, -XX:TieredStopAtLevel=1) never intrinsifies the Vector API: the scalar kernel, no warm-up. */
    @Test void aJvmWithoutC2GetsTheScalarKernel() {
        for (String info : new String[] {"interpreted mode, sharing", "mixed mode, emulated-client, sharing"}) {
            Kernels.Choice c = Kernels.choose(true, info);
            assertInstanceOf(ScalarKernel.class, c.kernel(), info);
            assertTrue(c.warning().isEmpty(), info);
        }
        for (String info : new String[] {"mixed mode, sharing", "mixed mode", ""}) {
            assertInstanceOf(WarmingKernel.class, Kernels.choose(true, info).kernel(), info);
        }
    }

    /**
     * The Vector API's set-up is paid only when the vector kernel runs: describing the backend, constants of any
     * size and fills too small to warm for leave it unmade; warming makes it.
     */
    @Test void theVectorKernelIsMadeOnlyWhenFirstNeeded() throws Exception {
        WarmingKernel k = assertInstanceOf(WarmingKernel.class, Kernels.choose(true).kernel());
        assertEquals(new VectorKernel().description() + ", scalar until the JIT has compiled it", k.description());
        FillRequest ones = FillRequest.of(Shape.of(64, 65), InitSpec.ones()).withDType(DType.BF16);
        assertInstanceOf(ScalarKernel.class, k.forFill(ones.kernelArgs(), 1L << 40, 2), "constants never need the vector kernel");
        MemorySegment out = MemorySegment.ofArray(new short[64 * 65]);
        k.fillRun(ones.kernelArgs(), 0, 64 * 65, out, 0);
        Conformance.assertBitIdentical(ones, out);
        FillRequest small = FillRequest.of(Shape.of(64, 64), InitSpec.xavierNormal());
        assertInstanceOf(ScalarKernel.class, k.forFill(small.kernelArgs(), 4096, 2));
        assertFalse(k.vectorMade(), "nothing so far needed it");
        k.expect(small.kernelArgs(), WarmingKernel.worthWarming(KernelArgs.Kind.NORMAL, 2) + 1, 2);
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!k.isWarm(KernelArgs.Kind.NORMAL, DType.F32) && System.nanoTime() < deadline) Thread.sleep(5);
        assertTrue(k.vectorMade(), "warming made it");
        assertInstanceOf(VectorKernel.class, k.vector());
    }

    /** A forced width wider than the machine's vectors (512 on AVX2) runs in Java: it still runs, with a warning naming it. */
    @Test void aWidthWiderThanTheMachinesVectorsIsWarnedAbout() {
        String w = VectorWidth.emulationWarning(512, 256).orElseThrow();
        assertTrue(w.contains("TENSORINIT_CPU_VECTOR_BITS) 512") && w.contains("(256 bits)") && w.contains("set 256 or less"), w);
        assertTrue(VectorWidth.emulationWarning(256, 256).isEmpty());
        assertTrue(VectorWidth.emulationWarning(128, 512).isEmpty());
        if (dev.tensorinit.Settings.vectorBits() == 0) {
            assertTrue(VectorWidth.emulationWarning().isEmpty(), "the machine's own width (no setting in this JVM) is native");
        }
    }

    @Test void bestIsChosenOnceAndIsTheVectorKernelHere() {
        // Surefire runs with --add-modules jdk.incubator.vector.
        assertTrue(ModuleLayer.boot().findModule(Kernels.VECTOR_MODULE).isPresent());
        assertInstanceOf(VectorKernel.class, assertInstanceOf(WarmingKernel.class, Kernels.best()).vector());
        assertEquals(Kernels.best(), Kernels.best());
    }
}
