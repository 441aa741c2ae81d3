package dev.tensorinit.cli.model;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar for a multi-file write: percent, bytes/s and ETA. Drawn on stderr only when it
 * is a terminal and the run has lasted a second (short runs stay quiet), at most ten times a second.
 */
public final class RateProgress {
    private static final long SHOW_AFTER_NS = 1_000_000_000L;
    private static final long REDRAW_NS = 100_000_000L;

    private final PrintWriter err;
    private final boolean enabled;
    private final long total;
    private final long start = System.nanoTime();
    private long lastDraw;
    private long done;
    private boolean drawn;
    /** Whether the bar is on the terminal's current line now (clear() takes it off for a report line). */
    private boolean showing;
    private int width;

    public RateProgress(PrintWriter err, boolean enabled, long totalBytes) {
        this.err = err;
        this.enabled = enabled && totalBytes > 0;
        this.total = totalBytes;
    }

    /** Adds bytes written. */
    public void advance(long bytes) {
        done += bytes;
        if (!enabled) return;
        long now = System.nanoTime();
        if (now - start < SHOW_AFTER_NS || (drawn && now - lastDraw < REDRAW_NS && done < total)) return;
        lastDraw = now;
        drawn = true;
        showing = true;
        String l = line(done, total, (now - start) / 1e9);
        width = Math.max(width, l.length());
        err.print("\r" + l);
        err.flush();
    }

    /**
     * Takes the bar off its line before the command prints a report line (stdout, on the same terminal): a "wrote"
     * line was glued to the bar's text. The next advance draws it again.
     */
    public void clear() {
        if (showing) {
            err.print("\r" + " ".repeat(width) + "\r");
            err.flush();
            showing = false;
        }
    }

    /** Ends the bar's line, if one is showing. */
    public void finish() {
        if (showing) {
            err.println();
            err.flush();
            showing = false;
        }
    }

    static String line(long done, long total, double seconds) {
        int width = 30;
        int filled = (int) Math.min(width, Math.round((double) done / total * width));
        double rate = seconds > 0 ? done / seconds : 0;
        String eta = rate > 0 && done < total ? clock((total - done) / rate) : "--:--";
        return String.format(Locale.ROOT, "write [%s%s] %5.1f%%  %s/s  ETA %s  ", "#".repeat(filled), " ".repeat(width - filled),
                100.0 * done / total, Sizes.human((long) rate), eta);
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
