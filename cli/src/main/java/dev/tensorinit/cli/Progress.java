package dev.tensorinit.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar on stderr, drawn only when stderr is a terminal and only once the task
 * has run for more than a second (short runs stay quiet).
 */
final class Progress {
    private static final long SHOW_AFTER_NS = 1_000_000_000L;
    private static final long REDRAW_NS = 100_000_000L;

    private final PrintWriter err;
    private final boolean enabled;
    private final String label;
    private final long total;
    private final long start = System.nanoTime();
    private long lastDraw;
    private long lastDone = -1;
    private boolean drawn;

    Progress(PrintWriter err, boolean enabled, String label, long total) {
        this.err = err;
        this.enabled = enabled && total > 0;
        this.label = label;
        this.total = total;
    }

    void update(long done) {
        if (!enabled) return;
        long now = System.nanoTime();
        if (now - start < SHOW_AFTER_NS || (drawn && now - lastDraw < REDRAW_NS && done < total)) return;
        lastDraw = now;
        lastDone = done;
        drawn = true;
        int width = 30;
        int filled = (int) Math.min(width, Math.round((double) done / total * width));
        err.printf(Locale.ROOT, "\r%-5s [%s%s] %5.1f%%", label, "#".repeat(filled), " ".repeat(width - filled), 100.0 * done / total);
        err.flush();
    }

    /** Ends the bar's line, if one was drawn. */
    void finish() {
        if (drawn) {
            if (lastDone < total) update(total);
            err.println();
            err.flush();
        }
    }
}
