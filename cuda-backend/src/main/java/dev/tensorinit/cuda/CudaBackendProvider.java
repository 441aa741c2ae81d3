package dev.tensorinit.cuda;

import dev.tensorinit.Settings;
import dev.tensorinit.spi.Backend;
import dev.tensorinit.spi.BackendOptions;
import dev.tensorinit.spi.BackendProvider;
import dev.tensorinit.spi.BackendUnavailableException;
import dev.tensorinit.spi.Probe;

/**
 * The CUDA backend's provider ("cuda", priority 300: above OpenCL and CPU). Its constructor touches
 * nothing native; {@link #probe()} looks for libcuda.so.1 before loading JCuda. The engine and the
 * device come from the options (--cuda-engine / --cuda-device, or the settings tensorinit.cuda.engine /
 * tensorinit.cuda.device and their TENSORINIT_CUDA_* variables); philox on device 0 by default.
 */
public final class CudaBackendProvider implements BackendProvider {
    public static final int PRIORITY = 300;

    @Override public String name() { return "cuda"; }

    @Override public int priority() { return PRIORITY; }

    @Override public Probe probe() { return Settings.probeWithSettings("cuda", this::probe); }

    @Override public Probe probe(BackendOptions options) {
        java.util.Objects.requireNonNull(options, "options");   // a caller's bug, named (not a helpful-NPE message)
        CudaEngine engine;
        try {
            engine = CudaEngine.of(options);
        } catch (IllegalArgumentException e) {
            return Probe.unavailable(e.getMessage(), e);
        }
        Probe p = CudaProbe.forEngine(engine);
        if (p instanceof Probe.Available a) {
            if (options.cudaDevice() >= a.devices().size()) {
                return Probe.unavailable("CUDA device " + options.cudaDevice() + " does not exist (" + a.devices().size() + " device(s))", null);
            }
            // The device a backend would open: another one of the machine may be too old for the kernels.
            try {
                String why = CudaProbe.unusable(Math.max(0, options.cudaDevice()));
                if (why != null) return Probe.unavailable(why + " (choose another with --cuda-device)", null);
            } catch (RuntimeException e) {
                return Probe.unavailable("CUDA device " + Math.max(0, options.cudaDevice()) + " could not be queried: " + e, e);
            }
        }
        return p;
    }

    @Override public Backend create() { return create(Settings.backendOptionsFor("cuda")); }

    @Override public Backend create(BackendOptions options) {
        java.util.Objects.requireNonNull(options, "options");
        if (probe(options) instanceof Probe.Unavailable u) {
            throw new BackendUnavailableException("CUDA backend unavailable: " + u.reason(), u.cause());
        }
        return CudaBackend.open(Math.max(0, options.cudaDevice()), CudaEngine.of(options), null);
    }
}
