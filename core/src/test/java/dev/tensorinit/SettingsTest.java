package dev.tensorinit;

import dev.tensorinit.spi.Backend;
import dev.tensorinit.spi.BackendOptions;
import dev.tensorinit.spi.BackendProvider;
import dev.tensorinit.spi.Probe;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Settings are read in one place and become typed options; explicit options win field by field and reach probes and backends. */
class SettingsTest {

    @Test
    void propertiesBecomeOptionsAndMalformedOnesAreNamed() {
        String[] keys = {Settings.CPU_THREADS, Settings.OPENCL_DEVICE, Settings.CUDA_DEVICE, Settings.CUDA_ENGINE};
        String[] old = new String[keys.length];
        for (int i = 0; i < keys.length; i++) old[i] = System.getProperty(keys[i]);
        try {
            System.setProperty(Settings.CPU_THREADS, " 3 ");
            System.setProperty(Settings.OPENCL_DEVICE, "Portable");
            System.setProperty(Settings.CUDA_DEVICE, "1");
            System.setProperty(Settings.CUDA_ENGINE, "CURAND");
            assertEquals(new BackendOptions(3, "Portable", 1, "curand"), Settings.backendOptions());
            System.setProperty(Settings.CPU_THREADS, "many");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Settings::backendOptions);
            assertTrue(e.getMessage().contains(Settings.CPU_THREADS) && e.getMessage().contains("'many'"), e.getMessage());
            System.setProperty(Settings.CPU_THREADS, "   ");   // blank is unset
            assertEquals(0, Settings.backendOptions().threads());
            // Well-formed but out of range: the option's check, prefixed with the setting that gave the value.
            String[][] bad = {{Settings.CPU_THREADS, "5000"}, {Settings.CPU_THREADS, "-1"}, {Settings.CUDA_DEVICE, "-3"},
                    {Settings.CUDA_ENGINE, "mtgp"}};
            System.setProperty(Settings.CPU_THREADS, "0");   // every processor, as unset
            assertEquals(0, Settings.backendOptions().threads());
            System.clearProperty(Settings.CPU_THREADS);
            for (String[] kv : bad) {
                System.setProperty(kv[0], kv[1]);
                e = assertThrows(IllegalArgumentException.class, Settings::backendOptions, kv[0] + "=" + kv[1]);
                assertTrue(e.getMessage().contains(kv[0]) && e.getMessage().contains(kv[1]), e.getMessage());
                System.clearProperty(kv[0]);
            }
            // Read leniently: reported under the backend it configures, and not read at all when an option overrides it.
            System.setProperty(Settings.CUDA_DEVICE, "-3");
            System.setProperty(Settings.CPU_THREADS, "many");
            Settings.BackendSettings read = Settings.readBackendOptions(BackendOptions.DEFAULTS);
            assertEquals(java.util.Set.of("cpu", "cuda"), read.malformed().keySet());
            assertTrue(read.malformed().get("cuda").contains(Settings.CUDA_DEVICE), read.malformed().toString());
            read = Settings.readBackendOptions(BackendOptions.threads(2));
            assertEquals(java.util.Set.of("cuda"), read.malformed().keySet(), "--threads overrides the bad thread count");
            // A provider's no-argument probe and create mind only their own backend's settings.
            assertEquals(0, Settings.backendOptionsFor("opencl").threads(), "the bad CPU and CUDA settings are not OpenCL's");
            var unavailable = assertThrows(dev.tensorinit.spi.BackendUnavailableException.class, () -> Settings.backendOptionsFor("cuda"));
            assertTrue(unavailable.getMessage().contains(Settings.CUDA_DEVICE) && unavailable.getMessage().contains("-3"), unavailable.getMessage());
            boolean[] probed = new boolean[1];
            Settings.probeWithSettings("opencl", o -> {
                probed[0] = true;
                return dev.tensorinit.spi.Probe.unavailable("stub", null);
            });
            assertTrue(probed[0], "another backend's malformed setting does not stop this probe");
            var p = Settings.probeWithSettings("cpu", o -> { throw new AssertionError("not probed"); });
            assertTrue(!p.isAvailable() && ((dev.tensorinit.spi.Probe.Unavailable) p).reason().contains(Settings.CPU_THREADS), p.toString());
            System.clearProperty(Settings.CUDA_DEVICE);
            System.clearProperty(Settings.CPU_THREADS);
        } finally {
            for (int i = 0; i < keys.length; i++) if (old[i] == null) System.clearProperty(keys[i]); else System.setProperty(keys[i], old[i]);
        }
    }

    @Test
    void explicitOptionsWinFieldByField() {
        BackendOptions base = new BackendOptions(8, "gpu", 2, "curand");
        assertEquals(new BackendOptions(4, "gpu", 2, "curand"), BackendOptions.threads(4).orElse(base));
        assertEquals(new BackendOptions(8, "0:1", 0, "philox"),
                BackendOptions.DEFAULTS.withOpenclDevice("0:1").withCudaDevice(0).withCudaEngine("philox").orElse(base));
        assertEquals(base, BackendOptions.DEFAULTS.orElse(base));
        assertThrows(IllegalArgumentException.class, () -> BackendOptions.threads(BackendOptions.MAX_THREADS + 1));
        assertThrows(IllegalArgumentException.class, () -> BackendOptions.DEFAULTS.withOpenclDevice(" "));
        assertThrows(IllegalArgumentException.class, () -> BackendOptions.DEFAULTS.withCudaEngine("mtgp"));
        assertThrows(IllegalArgumentException.class, () -> BackendOptions.DEFAULTS.withCudaDevice(-1));
    }

    /** What a provider saw: the dispatcher's options go to every probe and to create. */
    @Test
    void theDispatchersOptionsReachProbesAndBackends() {
        List<BackendOptions> probed = new ArrayList<>(), created = new ArrayList<>();
        BackendProvider p = new BackendProvider() {
            public String name() { return "fake"; }
            public int priority() { return 1; }
            public Probe probe() { throw new AssertionError("the dispatcher must probe with its options"); }
            public Probe probe(BackendOptions o) {
                probed.add(o);
                return Probe.available(List.of(), 1, "");
            }
            public Backend create() { throw new AssertionError("the dispatcher must create with its options"); }
            public Backend create(BackendOptions o) {
                created.add(o);
                return new DispatcherTest.FakeBackend("fake");
            }
        };
        Dispatcher d = new Dispatcher(List.of(p), null).withOptions(new BackendOptions(2, "x", -1, null));
        d.open().close();
        d.open("fake", BackendOptions.DEFAULTS.withCudaEngine("curand")).close();
        assertEquals(new BackendOptions(2, "x", -1, null), probed.getFirst());
        assertEquals(new BackendOptions(2, "x", -1, null), created.getFirst());
        assertEquals(new BackendOptions(2, "x", -1, "curand"), created.getLast());
        assertNull(System.getProperty(Settings.OPENCL_DEVICE));
    }
}
