package dev.tensorinit.spi;

import java.util.List;
import java.util.Objects;

/** What a provider's probe found: available with devices, or unavailable with a reason and cause. */
public sealed interface Probe {

    record Available(List<DeviceInfo> devices, int priority, String note) implements Probe {
        public Available {
            devices = List.copyOf(devices);
            Objects.requireNonNull(note, "note");
        }
    }

    /** {@code cause} may be null when nothing was thrown (e.g. no device found). */
    record Unavailable(String reason, Throwable cause) implements Probe {
        public Unavailable { Objects.requireNonNull(reason, "reason"); }
    }

    static Probe available(List<DeviceInfo> devices, int priority, String note) {
        return new Available(devices, priority, note);
    }

    static Probe unavailable(String reason, Throwable cause) {
        return new Unavailable(reason, cause);
    }

    default boolean isAvailable() { return this instanceof Available; }
}
