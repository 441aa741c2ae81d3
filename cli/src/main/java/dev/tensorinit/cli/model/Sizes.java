package dev.tensorinit.cli.model;

import java.util.Locale;

/** Byte counts for people, in the decimal units Hugging Face uses for shard sizes. */
final class Sizes {
    private Sizes() {}

    static String human(long bytes) {
        if (bytes < 1_000) return bytes + " B";
        if (bytes < 1_000_000) return String.format(Locale.ROOT, "%.1f kB", bytes / 1e3);
        if (bytes < 1_000_000_000) return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
        return String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
    }
}
