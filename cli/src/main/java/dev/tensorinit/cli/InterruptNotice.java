package dev.tensorinit.cli;

import java.io.PrintWriter;

/**
 * One line on stderr when the JVM shuts down (Ctrl-C, SIGTERM, SIGHUP) while a command is still writing: what stays
 * and what to do. Without it an interrupted run ended with exit 130 and its last "wrote" line, saying nothing of the
 * files it kept. Closing it (the command ended, however) removes the hook, so a normal exit or an error prints nothing
 * more, and a test JVM running many commands collects no hooks.
 */
final class InterruptNotice implements AutoCloseable {
    private final Thread hook;
    private volatile boolean ended;
    private volatile String whatStays;

    InterruptNotice(PrintWriter err, String whatStays) {
        this.whatStays = whatStays;
        this.hook = new Thread(() -> {
            if (ended) return;
            err.println("tensorinit: interrupted; " + this.whatStays);
            err.flush();
        }, "tensorinit-interrupt-notice");
        try {
            Runtime.getRuntime().addShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // already shutting down: the command is about to stop anyway
        }
    }

    /** What the line says from now on (a model run's count of complete files grows). */
    void whatStays(String text) { whatStays = text; }

    /** Idempotent: a fill ends it at its commit (after that nothing is lost), and its try-with-resources again. */
    @Override public void close() {
        ended = true;
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hooks are running: this one sees `ended` and prints nothing
        }
    }
}
