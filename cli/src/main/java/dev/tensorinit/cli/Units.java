package dev.tensorinit.cli;

import java.util.Locale;

/** Human-readable numbers for the report: units that keep 3-4 significant digits whatever the size. */
final class Units {
    private Units() {}

    /** 512 B, 16.0 KiB, 256.0 MiB, 4.00 GiB, 40.0 TiB, 4.00 EiB. */
    static String bytes(long b) {
        if (b < 1024) return b + " B";
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        int u = Math.min(units.length, (63 - Long.numberOfLeadingZeros(b)) / 10);
        double v = b / Math.pow(1024, u);
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : v >= 10 ? "%.1f %s" : "%.2f %s", v, units[u - 1]);
    }

    /** 850 us, 12.3 ms, 1.234 s. */
    static String seconds(long nanos) {
        if (nanos < 1_000_000) return String.format(Locale.ROOT, "%.0f us", nanos / 1e3);
        if (nanos < 1_000_000_000) return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
        return String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
    }

    /** A rate with an SI prefix: "85.3 kB/s", "4.19 GB/s"; for a word unit "4.19 M elements/s"; "-" when no time passed. */
    static String rate(double amount, long nanos, String unit) {
        if (nanos <= 0) return "- " + unit;
        double r = amount / (nanos / 1e9);
        String[] prefix = {"", "k", "M", "G", "T"};
        int p = 0;
        while (p < prefix.length - 1 && r >= 999.5) {
            r /= 1000;
            p++;
        }
        String digits = r >= 99.95 ? "%.0f" : r >= 9.995 ? "%.1f" : "%.2f";
        boolean word = unit.length() > 1 && Character.isLowerCase(unit.charAt(0)) && unit.indexOf('/') > 1;
        return String.format(Locale.ROOT, digits + " %s%s%s", r, prefix[p], word && p > 0 ? " " : "", unit);
    }
}
