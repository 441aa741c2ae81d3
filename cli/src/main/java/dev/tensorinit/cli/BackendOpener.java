package dev.tensorinit.cli;

import dev.tensorinit.Dispatcher;
import dev.tensorinit.spi.Backend;
import dev.tensorinit.spi.BackendOptions;
import dev.tensorinit.spi.BackendStatus;

import java.util.ArrayList;
import java.util.List;

/** Opens a backend by name through the dispatcher, with the command's typed options (--threads, device flags). */
final class BackendOpener {
    private final Dispatcher dispatcher;

    /** The standard dispatcher (every provider on the class path), probing and creating with {@code options}. */
    BackendOpener(BackendOptions options) {
        this(Dispatcher.standard().withOptions(options));
    }

    BackendOpener(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    Dispatcher dispatcher() { return dispatcher; }

    /** {@code name} null or "auto": the best available, honouring TENSORINIT_BACKEND / -Dtensorinit.backend. */
    BackendStatus choose(String name) {
        return Dispatcher.isAuto(name)
                ? dispatcher.choose() : dispatcher.choose(name);
    }

    /**
     * Refuses (IllegalArgumentException, a usage error) a malformed setting of a backend this command may use: for auto,
     * of any backend (auto would quietly take the next one: a typo in TENSORINIT_CPU_THREADS sent a fill to OpenCL on
     * PoCL, with one note); for a backend named (by --backend or TENSORINIT_BACKEND), of that one (it failed as
     * "unavailable", exit 1). Another backend's malformed setting is left alone: TENSORINIT_CUDA_DEVICE=-5 must not stop
     * a --backend cpu fill.
     */
    void refuseMalformedSettings(String name) {
        String named = Dispatcher.isAuto(name) ? dispatcher.override() : name.strip().toLowerCase(java.util.Locale.ROOT);
        List<String> bad = new ArrayList<>();
        for (var e : dispatcher.settingProblems().entrySet()) {
            if (named == null || named.equals(e.getKey())) bad.add(e.getValue() + " (a setting of the " + e.getKey() + " backend)");
        }
        if (!bad.isEmpty()) throw new IllegalArgumentException(String.join("; ", bad));
    }

    /**
     * One line per device flag given for a backend this run does not use: a mistyped --opencl-device made auto fall
     * back to the CPU without a word; --threads ({@code threads}, null when not given) counts as the cpu backend's. Auto
     * says why it passed that backend over (unavailable, with the probe's reason, or outranked); a backend named by
     * --backend or TENSORINIT_BACKEND just says which one runs.
     */
    List<String> unusedDeviceFlags(String name, BackendStatus chosen, DeviceOptions flags, Integer threads) {
        List<String> notes = new ArrayList<>();
        boolean auto = autoChooses(name);
        flags.givenByBackend(threads).forEach((backend, given) -> {
            if (backend.equals(chosen.name())) return;
            String why = auto ? dispatcher.whyNotChosen(backend, chosen) : null;
            String what = String.join(" and ", given) + (given.size() > 1 ? " are" : " is") + " for the " + backend + " backend";
            notes.add(why == null ? what + "; this run uses " + chosen.name() + ", as asked"
                    : what + ", which auto passed over (" + why + "); this run uses " + chosen.name() + ", and --backend "
                    + backend + " would use " + backend + " or say why not");
        });
        return notes;
    }

    /** The backend {@code status} names, as given (bench measures each one it lists). */
    Backend open(BackendStatus status) {
        return dispatcher.create(status, false, line -> { });
    }

    /**
     * The backend {@link #choose} chose for {@code name}; for auto, when it cannot start though its probe passed, the
     * next available one, with a line for {@code notes} saying which failed and why (see {@link Dispatcher#create}).
     */
    Backend open(BackendStatus status, String name, java.util.function.Consumer<String> notes) {
        return dispatcher.create(status, autoChooses(name), notes);
    }

    /** Whether auto chooses for {@code name}: none or "auto" given, and no TENSORINIT_BACKEND naming one. */
    private boolean autoChooses(String name) {
        return Dispatcher.isAuto(name) && dispatcher.override() == null;
    }
}
