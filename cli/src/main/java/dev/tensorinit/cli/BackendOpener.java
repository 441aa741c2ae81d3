package dev.tensorinit.cli;

import dev.tensorinit.Dispatcher;
import dev.tensorinit.spi.Backend;
import dev.tensorinit.spi.BackendOptions;
import dev.tensorinit.spi.BackendStatus;

/** Opens a backend by name through the dispatcher, passing --threads as a backend option. */
final class BackendOpener {
    private final Dispatcher dispatcher;

    BackendOpener(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    /** {@code name} null or "auto": the best available, honouring TENSORINIT_BACKEND / -Dtensorinit.backend. */
    BackendStatus choose(String name) {
        return name == null || name.isBlank() || name.strip().equalsIgnoreCase("auto")
                ? dispatcher.choose() : dispatcher.choose(name);
    }

    Backend open(BackendStatus status, Integer threads) {
        return threads == null ? status.provider().create() : status.provider().create(BackendOptions.threads(threads));
    }

    /** More threads than this only add start-up time (100000 took minutes to start); a typo should fail at once. */
    static final int MAX_THREADS = 1024;

    static void checkThreads(Integer threads) {
        if (threads != null && threads < 1) throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        if (threads != null && threads > MAX_THREADS) {
            throw new IllegalArgumentException("--threads " + threads + " is more than " + MAX_THREADS + " (this machine has "
                    + Runtime.getRuntime().availableProcessors() + " processors)");
        }
    }
}
