package dev.tensorinit.spi;

/**
 * A backend's entry point, found by {@link java.util.ServiceLoader}. The constructor must be cheap and
 * must never throw: it runs on every machine, including those without the backend's hardware or
 * native libraries. All discovery happens in {@link #probe()}.
 */
public interface BackendProvider {

    /** Short lower-case name: "cpu", "opencl", "cuda". */
    String name();

    /** Rank among available backends; higher wins. The probe may lower it for a weak device. */
    int priority();

    /**
     * The highest rank a probe could give this backend here, found without loading native code (from files such
     * as an OpenCL ICD list): the automatic choice does not probe a backend whose ceiling is below the rank of one
     * already found available, so it loads no driver it could not pick. A probe must never rank the backend above
     * it. Defaults to {@link #priority()}. Never throws.
     */
    default int rankCeiling(BackendOptions options) {
        return priority();
    }

    /** Finds out whether the backend can run here, with the settings' options. Never throws; may cache its answer. */
    Probe probe();

    /**
     * Finds out whether the backend can run here with these options (an OpenCL device that exists, a
     * CUDA engine whose library loads). Never throws, except NullPointerException for null options.
     * Backends whose answer does not depend on options need not override it.
     */
    default Probe probe(BackendOptions options) {
        java.util.Objects.requireNonNull(options, "options");
        return probe();
    }

    /**
     * Creates a backend with the settings' options ({@link dev.tensorinit.Settings#backendOptionsFor}: a malformed
     * setting of another backend does not matter). Throws {@link BackendUnavailableException} (with the probe's
     * reason and cause) when the probe says unavailable, or when one of this backend's own settings is malformed.
     */
    Backend create();

    /** Creates a backend with these options; the ones that do not apply to it are ignored. */
    default Backend create(BackendOptions options) {
        java.util.Objects.requireNonNull(options, "options");
        return create();
    }
}
