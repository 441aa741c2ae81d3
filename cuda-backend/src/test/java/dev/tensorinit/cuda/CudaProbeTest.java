package dev.tensorinit.cuda;

import dev.tensorinit.spi.Probe;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs everywhere: on machines without a driver it checks the clean "unavailable", with one the device report. */
class CudaProbeTest {
    private final boolean driverPresent = NativeLibraries.whyMissing(CudaProbe.LIBCUDA) == null;

    @Test
    void probeAnswersWithoutThrowingAndIsCached() {
        CudaBackendProvider provider = new CudaBackendProvider();
        Probe first = provider.probe();
        Probe second = provider.probe();
        assertSame(first, second, "the probe is computed once and cached");
        assertSame(first, new CudaBackendProvider().probe(), "the cache is per JVM: JCuda can only be loaded once");
        if (driverPresent) {
            Probe.Available a = assertInstanceOf(Probe.Available.class, first, () -> "driver present but " + first);
            assertFalse(a.devices().isEmpty());
            assertTrue(a.devices().get(0).details().contains("compute capability"), a.devices().toString());
            assertTrue(a.devices().get(0).memoryBytes() > 0);
        } else {
            Probe.Unavailable u = assertInstanceOf(Probe.Unavailable.class, first);
            assertTrue(u.reason().startsWith("libcuda.so.1 not found (no NVIDIA driver): "), u.reason());
            assertTrue(u.reason().length() > "libcuda.so.1 not found (no NVIDIA driver): ".length() + 3, "the loader's message is kept: " + u.reason());
        }
    }

    @Test
    void providerIdentity() {
        CudaBackendProvider p = new CudaBackendProvider();
        assertEquals("cuda", p.name());
        assertEquals(300, p.priority());
    }

    @Test
    void missingLibraryIsReportedNotThrown() {
        String why = NativeLibraries.whyMissing("libtensorinit-does-not-exist.so.7");
        assertTrue(why != null && !why.isBlank(), "a missing library yields a message");
        assertEquals(null, NativeLibraries.whyMissing("libc.so.6"), "a present library yields null");
    }

    @Test
    void curandEngineProbeNeedsTheDriverFirst() {
        Probe p = CudaProbe.forEngine(CudaEngine.CURAND);
        if (!driverPresent) {
            assertSame(CudaProbe.driver(), p, "without a driver the driver's reason is the answer");
        } else if (CudaProbe.curandMissing() != null) {
            assertTrue(((Probe.Unavailable) p).reason().contains("libcurand.so.10") || ((Probe.Unavailable) p).reason().contains("JCurand"));
        } else {
            assertTrue(p.isAvailable());
        }
    }
}
