package dev.tensorinit.opencl;

import dev.tensorinit.spi.Probe;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Probe, ranking and device choice. */
class ProviderTest {

    @Test
    void probeIsAvailableStableAndRanksByDeviceKind() {
        ClDevice d = OpenClTesting.device();
        OpenClBackendProvider p = new OpenClBackendProvider();
        Probe first = p.probe();
        // Discovery runs once; the device is chosen per options, so an equal answer, not the same object.
        assertEquals(first, p.probe(), "the same answer twice");
        Probe.Available a = assertInstanceOf(Probe.Available.class, first);
        int expected = d.kind().equals("gpu") || d.kind().equals("accelerator") ? OpenClBackendProvider.PRIORITY
                : OpenClBackendProvider.CPU_DEVICE_PRIORITY;
        assertEquals(expected, a.priority());
        assertEquals(d.name(), a.devices().getFirst().name());
        try (var b = p.create()) {
            assertEquals("opencl", b.name());
            assertTrue(b.description().contains(d.name()), b.description());
        }
    }

    @Test
    void theLoaderCheckPassesWhereOpenClWorks() {
        OpenClTesting.device();
        assertEquals(null, NativeOpenCl.problem());
    }

    /** Runs everywhere: the loader check agrees with the dynamic loader, from files alone where neither name exists. */
    @Test
    void theLoaderCheckAgreesWithTheDynamicLoader() {
        String problem = NativeOpenCl.problem();
        boolean loads = dev.tensorinit.spi.NativeLibraries.whyMissing("libOpenCL.so") == null;
        assertEquals(loads, problem == null, String.valueOf(problem));
        if (dev.tensorinit.spi.NativeLibraries.surelyAbsent("libOpenCL.so") != null
                && dev.tensorinit.spi.NativeLibraries.surelyAbsent("libOpenCL.so.1") != null) {
            assertTrue(problem.startsWith("no OpenCL ICD loader") && problem.contains("ocl-icd-libopencl1"), problem);
        }
    }

    @Test
    void devicesAreOrderedGpuAcceleratorCpuAndChosenByIndexOrName() {
        OpenClTesting.device();
        List<ClDevice> all = DeviceSelection.all();
        for (int i = 1; i < all.size(); i++) assertTrue(all.get(i - 1).kindRank() <= all.get(i).kindRank());
        ClDevice last = all.getLast();
        assertEquals(last.index(), DeviceSelection.choose(all, last.index()).index());
        assertEquals(last.index(), DeviceSelection.choose(all, " " + last.name().toUpperCase() + " ").index());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceSelection.choose(all, "no-such-device-xyz"));
        assertTrue(e.getMessage().contains(dev.tensorinit.Settings.OPENCL_DEVICE) && e.getMessage().contains(all.getFirst().name()), e.getMessage());
    }

    @Test
    void anOverrideThatMatchesNothingMakesTheProbeUnavailableWithTheReason() {
        OpenClTesting.device();
        var options = dev.tensorinit.spi.BackendOptions.DEFAULTS.withOpenclDevice("9:9");
        OpenClBackendProvider provider = new OpenClBackendProvider();
        Probe.Unavailable u = assertInstanceOf(Probe.Unavailable.class, provider.probe(options));
        assertTrue(u.reason().contains("'9:9'"), u.reason());
        assertThrows(dev.tensorinit.spi.BackendUnavailableException.class, () -> provider.create(options));
        assertTrue(provider.probe(dev.tensorinit.spi.BackendOptions.DEFAULTS).isAvailable(), "the same provider, other options");
    }
}
