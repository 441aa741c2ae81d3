package dev.tensorinit.cli;

import dev.tensorinit.Dispatcher;
import dev.tensorinit.spi.Backend;
import dev.tensorinit.spi.BackendOptions;
import dev.tensorinit.spi.BackendStatus;

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
        return name == null || name.isBlank() || name.strip().equalsIgnoreCase("auto")
                ? dispatcher.choose() : dispatcher.choose(name);
    }

    Backend open(BackendStatus status) {
        return status.provider().create(dispatcher.options());
    }
}
