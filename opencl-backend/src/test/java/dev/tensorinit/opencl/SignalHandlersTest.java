package dev.tensorinit.opencl;

import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Shape;
import dev.tensorinit.spi.JvmSignals;
import dev.tensorinit.testing.BackendContract;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The root cause of the 16-core crash, checked directly: an OpenCL driver (PoCL's LLVM) takes the
 * JVM's SIGSEGV, SIGBUS, SIGILL, SIGINT... handlers when it initializes its devices and compiles
 * kernels. After anything the OpenCL backend does, the JVM's handlers must be back in place.
 */
class SignalHandlersTest {

    @Test
    void theJvmsHandlersSurviveProbeBuildAndFills() {
        BackendContract.requireOrSkip("opencl", new OpenClBackendProvider().probe());
        assumeTrue(JvmSignals.original().supported(), "signal handlers are only checked on Linux x86-64/aarch64");
        try (OpenClBackend b = new OpenClBackend(DeviceSelection.choose(DeviceSelection.all(), null), Tuning.DEFAULT);
             Arena arena = Arena.ofShared()) {
            FillRequest r = FillRequest.of(Shape.of(1 << 20), InitSpec.normal(0, 1));
            b.fill(r, arena.allocate(r.byteSize(), 64));
            // a kernel no cache has seen, so the driver's compiler really runs
            ClProgram.build(b.context(), b.device(), KernelSource.text() + "\n// " + System.nanoTime() + "\n", 1).close();
        }
        List<String> replaced = JvmSignals.original().replaced();
        assertEquals(List.of(), replaced, "JVM signal handlers taken by native code: " + JvmSignals.original().status());
    }

    /**
     * The check above can fail: in a fresh JVM with the repair switched off, the same OpenCL work
     * leaves the JVM's handlers replaced (by PoCL's LLVM here). If a driver stops doing that one day,
     * this test says so, and the repair may be retired.
     */
    @Test
    void withoutTheRepairTheDriverKeepsTheJvmsHandlers() throws Exception {
        BackendContract.requireOrSkip("opencl", new OpenClBackendProvider().probe());
        assumeTrue(JvmSignals.original().supported(), "signal handlers are only checked on Linux x86-64/aarch64");
        Forked.Result r = Forked.run(List.of("-D" + JvmSignals.REPAIR_PROPERTY + "=false"), SignalStressMain.class, "status");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("JVM signal handlers replaced: "), r.output());
        assertTrue(r.output().contains("SIGSEGV by "), r.output());
    }
}
