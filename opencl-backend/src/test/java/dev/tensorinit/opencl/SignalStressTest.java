package dev.tensorinit.opencl;

import dev.tensorinit.spi.JvmSignals;
import dev.tensorinit.testing.BackendContract;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Many concurrent large CPU fills with the OpenCL driver loaded in the same JVM, and safepoints forced
 * throughout, in a fresh JVM without signal chaining: it must live. Before the repair, the same
 * driver state killed such JVMs with SIGSEGV and no hs_err file (reproduced on 2 cores with PoCL 3.1
 * within 5-40 s when kernels were compiled repeatedly; 3 of 3 runs on a 16-core machine with PoCL 5).
 */
class SignalStressTest {
    @Test
    void concurrentLargeFillsWithOpenClLoadedLive() throws Exception {
        BackendContract.requireOrSkip("opencl", new OpenClBackendProvider().probe());
        assumeTrue(JvmSignals.original().supported(), "signal handlers are only checked on Linux x86-64/aarch64");
        Forked.Result r = Forked.run(List.of(), SignalStressMain.class, "stress", "12");
        assertEquals(0, r.exit(), "the stressed JVM died (exit " + r.exit() + "):\n" + r.output());
        assertTrue(r.output().contains("survived; JVM signal handlers intact"), r.output());
    }
}
