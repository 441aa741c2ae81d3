package dev.tensorinit.cli;

import dev.tensorinit.Dispatcher;
import dev.tensorinit.spi.Backend;
import dev.tensorinit.spi.BackendStatus;

/**
 * Opens a backend by name through the dispatcher. The cpu backend reads its thread count from the
 * system property {@value #THREADS_PROPERTY} when it is created (core has no thread parameter in the
 * SPI), so --threads sets that property around create() and restores it afterwards.
 */
final class BackendOpener {
    static final String THREADS_PROPERTY = "tensorinit.cpu.threads";

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
        if (threads == null) return status.provider().create();
        synchronized (BackendOpener.class) { // the property is JVM-wide: one creation at a time
            String before = System.getProperty(THREADS_PROPERTY);
            System.setProperty(THREADS_PROPERTY, Integer.toString(threads));
            try {
                return status.provider().create();
            } finally {
                if (before == null) System.clearProperty(THREADS_PROPERTY);
                else System.setProperty(THREADS_PROPERTY, before);
            }
        }
    }

    static void checkThreads(Integer threads) {
        if (threads != null && threads < 1) throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
    }
}
