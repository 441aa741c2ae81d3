package dev.tensorinit.cuda;

import dev.tensorinit.spi.NativeLibraries;
import dev.tensorinit.spi.Probe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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
            assertTrue(u.reason().length() > "libcuda.so.1 not found (no NVIDIA driver): ".length() + 3, "the reason says where it looked: " + u.reason());
        }
    }

    /** A V100 (7.0) or a pre-R450 driver is refused by the probe, naming what is too old, so auto takes another backend. */
    @Test
    void tooOldDevicesAndDriversAreNamed() {
        assertNull(CudaProbe.tooOld(0, 7, 5));
        assertNull(CudaProbe.tooOld(0, 9, 0));
        assertEquals("CUDA device 1 has compute capability 7.0; tensorinit's kernels need 7.5 or newer (Turing and later)",
                CudaProbe.tooOld(1, 7, 0));
        assertNotNull(CudaProbe.tooOld(0, 6, 1));
        assertNull(CudaProbe.driverTooOld(11000));
        assertNull(CudaProbe.driverTooOld(13000));
        String old = CudaProbe.driverTooOld(10020);
        assertTrue(old != null && old.contains("CUDA 10.2 (10020)") && old.contains("11.0"), old);
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

    /** The file-only check is sure of absence only when no folder and no cache entry can hold the name. */
    @Test
    void fileCheckIsSureOnlyWhenNothingCanHoldTheLibrary(@TempDir Path dir) throws IOException {
        Path cache = Files.write(dir.resolve("ld.so.cache"),
                "glibc-ld.so.cache1.1\0libfoo.so.2\0/usr/lib/libfoo.so.2\0".getBytes(StandardCharsets.US_ASCII));
        Path libs = Files.createDirectories(dir.resolve("libs"));
        Files.createFile(libs.resolve("libbar.so.1"));
        List<Path> none = List.of(dir.resolve("empty"));
        assertNotNull(NativeLibraries.surelyAbsent("libcuda.so.1", null, cache, none));
        assertNull(NativeLibraries.surelyAbsent("libfoo.so.2", null, cache, none), "named in the cache");
        assertNotNull(NativeLibraries.surelyAbsent("libfoo.so", null, cache, none), "a prefix of a cached name is not that name");
        assertNull(NativeLibraries.surelyAbsent("libbar.so.1", "/nowhere:" + libs, cache, none), "in an LD_LIBRARY_PATH folder");
        assertNull(NativeLibraries.surelyAbsent("libcuda.so.1", "$ORIGIN/../lib", cache, none), "a folder only the loader can expand");
        assertNull(NativeLibraries.surelyAbsent("libbar.so.1", null, cache, List.of(libs)), "in a default folder");
        assertNull(NativeLibraries.surelyAbsent("libcuda.so.1", null, dir.resolve("no-cache"), none), "no cache: cannot be sure");
    }

    /** On this machine: a library that dlopen finds is never called absent, and one that exists nowhere is. */
    @Test
    void fileCheckAgreesWithTheLoader() {
        for (String name : List.of("libc.so.6", "libm.so.6", "libz.so.1", CudaProbe.LIBCUDA, CudaProbe.LIBCURAND)) {
            if (NativeLibraries.whyMissing(name) == null) assertNull(NativeLibraries.surelyAbsent(name), name + " loads");
        }
        boolean glibcLinux = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")
                && Files.isReadable(NativeLibraries.LD_SO_CACHE);
        if (glibcLinux) assertNotNull(NativeLibraries.surelyAbsent("libtensorinit-does-not-exist.so.7"));
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
