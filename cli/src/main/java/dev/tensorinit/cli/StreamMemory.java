package dev.tensorinit.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host memory a {@link TensorStream} may hold: {@code buffers} buffers of {@code bufferBytes} each. This, not
 * the tensor's size, is what a fill adds to the JVM's own memory.
 */
record StreamMemory(long bufferBytes, int buffers) {
    /** The setting with the default for --buffer-memory (environment TENSORINIT_BUFFER_MEMORY). */
    static final String SETTING = dev.tensorinit.Settings.BUFFER_MEMORY;
    static final int BUFFERS = 4;
    static final long DEFAULT_TOTAL = 64L << 20;
    /** Smallest total: 4 buffers of 4 KiB (a page); tests use less through the hidden piece flag. */
    static final long MIN_TOTAL = BUFFERS * 4096L;
    /** Largest total, so a typo cannot ask for all of memory: 64 GiB. */
    static final long MAX_TOTAL = 64L << 30;

    StreamMemory {
        if (bufferBytes < 1) throw new IllegalArgumentException("buffer size must be >= 1 byte, got " + bufferBytes);
        if (buffers < 2) throw new IllegalArgumentException("at least 2 buffers are needed to overlap filling and writing, got " + buffers);
    }

    static StreamMemory defaults() { return ofTotal(DEFAULT_TOTAL); }

    /** {@code total} bytes split into {@value #BUFFERS} buffers of a whole number of 4 KiB pages. */
    static StreamMemory ofTotal(long total) {
        if (total < MIN_TOTAL || total > MAX_TOTAL) {
            throw new IllegalArgumentException("buffer memory " + Units.bytes(total) + " is outside " + Units.bytes(MIN_TOTAL)
                    + " to " + Units.bytes(MAX_TOTAL));
        }
        return new StreamMemory(total / BUFFERS / 4096 * 4096, BUFFERS);
    }

    /** From the flag's text if given, else from the setting (TENSORINIT_BUFFER_MEMORY) if set, else the default. */
    static StreamMemory of(String flag) {
        if (flag != null) return ofTotal(parseSize("--buffer-memory", flag));
        String setting = dev.tensorinit.Settings.get(SETTING);
        if (setting != null) return ofTotal(parseSize("TENSORINIT_BUFFER_MEMORY", setting));
        return defaults();
    }

    /** Memory left to the JVM itself beside the buffers. */
    static final long JVM_MARGIN = 256L << 20;

    /** Buffers up to this are never checked against the memory available: the default's size class, nothing to load. */
    static final long UNCHECKED_TOTAL = 256L << 20;

    /**
     * Refuses, naming the flag or setting, buffers that would take more than the memory available now: in a 1.5 GiB
     * cgroup, --buffer-memory 4G was killed by the OOM killer with no message (exit 137) once the fill had begun. The
     * buffers are allocated as pieces need them, so what counts is the total or {@code dataBytes}, whichever is less (a
     * large setting is harmless for small tensors). The default is not checked.
     */
    void requireAvailable(String flag, long dataBytes, java.util.function.Supplier<java.util.OptionalLong> available) {
        String setting = flag == null ? dev.tensorinit.Settings.get(SETTING) : null;
        if (flag == null && setting == null) return;
        long need = Math.min(total(), dataBytes);
        requireFits(need, available, (flag != null ? "--buffer-memory " + flag : "TENSORINIT_BUFFER_MEMORY=" + setting)
                + " would hold " + Units.bytes(need) + " of this run's data in memory", "ask for less");
    }

    /**
     * Refuses host memory of {@code bytes} above {@link #UNCHECKED_TOTAL} that the memory available now cannot hold beside
     * the JVM, as "SUBJECT, but only A is available now (...), and the JVM needs 256 MiB of it; ASK". The JVM's own memory
     * comes on top (peak resident 130-170 MiB in a whole run): in a 1.5 GiB cgroup, buffers of 1445 MiB passed a check
     * without it and the run was OOM-killed. Memory the system does not report is not refused.
     */
    static void requireFits(long bytes, java.util.function.Supplier<java.util.OptionalLong> available, String subject, String ask) {
        if (bytes <= UNCHECKED_TOTAL) return;
        java.util.OptionalLong a = available.get();
        if (a.isPresent() && bytes > a.getAsLong() - JVM_MARGIN) {
            throw new IllegalArgumentException(subject + ", but only " + Units.bytes(a.getAsLong())
                    + " is available now (within a container's limit where there is one), and the JVM needs "
                    + Units.bytes(JVM_MARGIN) + " of it; " + ask);
        }
    }

    long total() { return bufferBytes * buffers; }

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]?)(?:I?B)?");

    /** "268435456", "256M", "256MiB", "1G", "1.5GiB" (binary units: K, M, G, T). */
    static long parseSize(String what, String text) {
        Matcher m = SIZE.matcher(text.strip().toUpperCase(Locale.ROOT).replace("_", ""));
        if (!m.matches()) {
            throw new IllegalArgumentException(what + " '" + text + "' is not a size (bytes, or a number with K, M, G or T, e.g. 256M)");
        }
        int shift = switch (m.group(2)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 0;
        };
        double bytes = Double.parseDouble(m.group(1)) * (1L << shift);
        if (bytes >= 0x1p63) throw new IllegalArgumentException(what + " '" + text + "' is too large");
        return (long) bytes;
    }
}
