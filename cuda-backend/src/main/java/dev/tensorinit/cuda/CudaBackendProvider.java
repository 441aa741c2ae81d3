package dev.tensorinit.cuda;

import dev.tensorinit.spi.Backend;
import dev.tensorinit.spi.BackendProvider;
import dev.tensorinit.spi.BackendUnavailableException;
import dev.tensorinit.spi.Probe;

/**
 * The CUDA backend's provider ("cuda", priority 300: above OpenCL and CPU). Its constructor touches
 * nothing native; {@link #probe()} looks for libcuda.so.1 before loading JCuda. The engine comes from
 * {@value CudaEngine#PROPERTY} / {@value CudaEngine#ENV}, the device from {@value #DEVICE_PROPERTY} (default 0).
 */
public final class CudaBackendProvider implements BackendProvider {
    public static final int PRIORITY = 300;
    public static final String DEVICE_PROPERTY = "tensorinit.cuda.device";

    @Override public String name() { return "cuda"; }

    @Override public int priority() { return PRIORITY; }

    @Override public Probe probe() {
        CudaEngine engine;
        try {
            engine = CudaEngine.configured();
        } catch (IllegalArgumentException e) {
            return Probe.unavailable(e.getMessage(), e);
        }
        return CudaProbe.forEngine(engine);
    }

    @Override public Backend create() {
        if (probe() instanceof Probe.Unavailable u) {
            throw new BackendUnavailableException("CUDA backend unavailable: " + u.reason(), u.cause());
        }
        return CudaBackend.open(device(), CudaEngine.configured(), null);
    }

    static int device() {
        String v = System.getProperty(DEVICE_PROPERTY);
        if (v == null || v.isBlank()) return 0;
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(DEVICE_PROPERTY + " '" + v + "' is not a device number", e);
        }
    }
}
