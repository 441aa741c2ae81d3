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

    /** Finds out whether the backend can run here. Never throws; may cache its answer. */
    Probe probe();

    /**
     * Creates a backend. Throws {@link BackendUnavailableException} (with the probe's reason and cause)
     * when the probe says unavailable.
     */
    Backend create();

    /** Creates a backend with caller settings; backends that take none ignore them. */
    default Backend create(BackendOptions options) {
        java.util.Objects.requireNonNull(options, "options");
        return create();
    }
}
