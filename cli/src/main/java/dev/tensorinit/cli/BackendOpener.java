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
     * For auto ({@code name} null or "auto"), one line per backend that a malformed setting makes unavailable: else auto
     * would quietly take the next one. None for a backend asked for by name (its own bad setting fails it anyway).
     */
    List<String> notes(String name) {
        List<String> out = new ArrayList<>();
        if (!Dispatcher.isAuto(name)) return out;
        if (dispatcher.override() != null) return out;   // TENSORINIT_BACKEND names one: auto chooses nothing
        for (var e : dispatcher.settingProblems().entrySet()) out.add("the " + e.getKey() + " backend is unavailable: " + e.getValue());
        return out;
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
        boolean auto = Dispatcher.isAuto(name) && dispatcher.override() == null;
        return dispatcher.create(status, auto, notes);
    }
}
