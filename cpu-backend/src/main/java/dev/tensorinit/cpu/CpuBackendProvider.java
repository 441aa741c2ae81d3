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

    @Override public Probe probe() {
        int cores = Runtime.getRuntime().availableProcessors();
        String kernel = Kernels.best().description();
        return Probe.available(List.of(new DeviceInfo(System.getProperty("os.arch") + " CPU", "cpu",
                Runtime.getRuntime().maxMemory(), cores + " threads, " + kernel)), PRIORITY, "");
    }

    @Override public Backend create() { return create(Settings.backendOptions()); }

    /** options.threads() workers, or one per processor when unset. */
    @Override public Backend create(BackendOptions options) {
        return new CpuBackend(options.threads() > 0 ? options.threads() : Runtime.getRuntime().availableProcessors());
    }
}
