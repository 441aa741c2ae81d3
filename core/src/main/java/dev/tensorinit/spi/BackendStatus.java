package dev.tensorinit.spi;

/** One provider and what its probe said. */
public record BackendStatus(String name, int priority, Probe probe, BackendProvider provider) {

    /** Effective rank: the probe's priority when available, else the provider's. */
    public int rank() {
        return probe instanceof Probe.Available a ? a.priority() : priority;
    }

    /** "available: devices" or "unavailable: reason". */
    public String summary() {
        return switch (probe) {
            case Probe.Available a -> "available: " + a.devices() + (a.note().isEmpty() ? "" : "; " + a.note());
            case Probe.Unavailable u -> "unavailable: " + u.reason();
        };
    }
}
