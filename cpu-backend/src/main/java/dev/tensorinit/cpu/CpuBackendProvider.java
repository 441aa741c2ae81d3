package dev.tensorinit.cpu;

import dev.tensorinit.Settings;
import dev.tensorinit.spi.Backend;
import dev.tensorinit.spi.BackendOptions;
import dev.tensorinit.spi.BackendProvider;
import dev.tensorinit.spi.DeviceInfo;
import dev.tensorinit.spi.Probe;

import java.util.List;

/** The CPU backend is always available; it is the embedded default. */
public final class CpuBackendProvider implements BackendProvider {
    public static final int PRIORITY = 100;

    @Override public String name() { return "cpu"; }

    @Override public int priority() { return PRIORITY; }

    /** Available, unless the CPU's own setting is malformed (the dispatcher checks settings before it calls probe(options)). */
    @Override public Probe probe() {
        try {
            Settings.backendOptionsFor("cpu");
        } catch (dev.tensorinit.spi.BackendUnavailableException e) {
            return Probe.unavailable(e.getMessage(), e);
        }
        return probe(BackendOptions.DEFAULTS);
    }

    @Override public Probe probe(BackendOptions options) {
        java.util.Objects.requireNonNull(options, "options");   // as the other providers: a null is the caller's bug
        int cores = Runtime.getRuntime().availableProcessors();
        String kernel = Kernels.best().description();
        return Probe.available(List.of(new DeviceInfo(System.getProperty("os.arch") + " CPU", "cpu",
                physicalMemory(), cores + " threads, " + kernel)), PRIORITY, "");
    }

    /**
     * The machine's memory, which off-heap fills use (not the JVM's heap limit, which this reported before: 494 MiB
     * under the launcher's -Xmx512m); 0, printed as unknown, where /proc/meminfo cannot be read.
     */
    static long physicalMemory() {
        try {
            for (String l : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) return Long.parseLong(l.substring(9).replace("kB", "").strip()) << 10;
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux, or not readable: unknown
        }
        return 0;
    }

    @Override public Backend create() { return create(Settings.backendOptionsFor("cpu")); }

    /** options.threads() workers, or one per processor when unset. */
    @Override public Backend create(BackendOptions options) {
        java.util.Objects.requireNonNull(options, "options");
        // Every processor by default, up to the thread cap: a host of more than 1024 CPUs threw instead of filling.
        return new CpuBackend(options.threads() > 0 ? options.threads()
                : Math.min(Runtime.getRuntime().availableProcessors(), BackendOptions.MAX_THREADS));
    }
}
