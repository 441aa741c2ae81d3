package dev.tensorinit.spi;

import java.util.Locale;

/**
 * Typed settings a caller passes when creating (and probing) a backend. Each backend honours the
 * ones that apply to it and ignores the rest; an unset value means the backend's default.
 * {@link dev.tensorinit.Settings#backendOptions()} builds them from system properties and environment
 * variables; explicit options win field by field ({@link #orElse}).
 *
 * @param threads      CPU backend worker threads, 1 to {@value #MAX_THREADS}; 0 = every processor
 * @param openclDevice OpenCL device, "platform:device" or a name substring; null = GPU, then accelerator, then CPU
 * @param cudaDevice   CUDA device ordinal; -1 = device 0
 * @param cudaEngine   "philox" (bit-identical) or "curand"; null = philox
 */
public record BackendOptions(int threads, String openclDevice, int cudaDevice, String cudaEngine) {
    public static final BackendOptions DEFAULTS = new BackendOptions(0, null, -1, null);
    /** More worker threads than this only add start-up time (100000 took minutes to start): refused before any thread is made. */
    public static final int MAX_THREADS = 1024;

    public BackendOptions {
        if (threads < 0 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads must be between 1 and " + MAX_THREADS + " (or 0 for every processor), got " + threads);
        }
        if (openclDevice != null && openclDevice.isBlank()) throw new IllegalArgumentException("the OpenCL device selector is empty");
        if (openclDevice != null) openclDevice = openclDevice.strip();
        if (cudaDevice < -1) throw new IllegalArgumentException("CUDA device must be >= 0, got " + cudaDevice);
        if (cudaEngine != null) {
            cudaEngine = cudaEngine.strip().toLowerCase(Locale.ROOT);
            if (!cudaEngine.equals("philox") && !cudaEngine.equals("curand")) {
                throw new IllegalArgumentException("unknown CUDA engine '" + cudaEngine + "' (expected philox or curand)");
            }
        }
    }

    public static BackendOptions threads(int n) {
        return DEFAULTS.withThreads(n);
    }

    public BackendOptions withThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be >= 1, got " + n);
        return new BackendOptions(n, openclDevice, cudaDevice, cudaEngine);
    }

    public BackendOptions withOpenclDevice(String selector) {
        java.util.Objects.requireNonNull(selector, "OpenCL device selector");
        return new BackendOptions(threads, selector, cudaDevice, cudaEngine);
    }

    public BackendOptions withCudaDevice(int ordinal) {
        if (ordinal < 0) throw new IllegalArgumentException("CUDA device must be >= 0, got " + ordinal);
        return new BackendOptions(threads, openclDevice, ordinal, cudaEngine);
    }

    public BackendOptions withCudaEngine(String engine) {
        java.util.Objects.requireNonNull(engine, "CUDA engine");
        return new BackendOptions(threads, openclDevice, cudaDevice, engine);
    }

    /** These options, with every unset field taken from {@code base}. */
    public BackendOptions orElse(BackendOptions base) {
        return new BackendOptions(threads != 0 ? threads : base.threads, openclDevice != null ? openclDevice : base.openclDevice,
                cudaDevice >= 0 ? cudaDevice : base.cudaDevice, cudaEngine != null ? cudaEngine : base.cudaEngine);
    }
}
