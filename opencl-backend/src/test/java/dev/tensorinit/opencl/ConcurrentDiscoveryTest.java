package dev.tensorinit.opencl;

import dev.tensorinit.testing.BackendContract;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Threads that open the OpenCL backend at once in a fresh JVM: the driver's first initialization must happen once,
 * not concurrently. Before discovery was serialized, 4 threads crashed the JVM with SIGSEGV inside PoCL's
 * clGetDeviceInfo in 6 runs of 6 (2 cores, PoCL 3.1).
 */
class ConcurrentDiscoveryTest {
    @Test
    void threadsOpeningTheBackendAtOnceInAFreshJvmLive() throws Exception {
        BackendContract.requireOrSkip("opencl", new OpenClBackendProvider().probe());
        for (int run = 0; run < 3; run++) {
            Forked.Result r = Forked.run(List.of(), ConcurrentDiscoveryMain.class, "4");
            assertEquals(0, r.exit(), "run " + run + ": the JVM died (exit " + r.exit() + "):\n" + r.output());
            assertTrue(r.output().contains("survived"), r.output());
        }
    }
}
