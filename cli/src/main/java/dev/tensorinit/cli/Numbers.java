package dev.tensorinit.cli;

/** Parsing of the integer flag values: 64-bit ids (decimal, signed or unsigned, or 0x hex) and START:END pairs. */
final class Numbers {
    private Numbers() {}

    /** A 64-bit id: decimal (negative or up to 2^64-1) or 0x-prefixed hex; '_' separators allowed. */
    static long u64(String flag, String text) {
        String t = text.strip().replace("_", "");
        try {
            if (t.startsWith("0x") || t.startsWith("0X")) return Long.parseUnsignedLong(t.substring(2), 16);
            if (t.startsWith("-")) return Long.parseLong(t);
            return Long.parseUnsignedLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " '" + text + "' is not a 64-bit integer (decimal or 0x hex)", e);
        }
    }

    /** "START:END" as two non-negative longs, END > START. */
    static long[] span(String flag, String text) {
        String t = text.strip();
        int c = t.indexOf(':');
        if (c < 0) throw new IllegalArgumentException(flag + " '" + text + "' must be START:END");
        long[] r = new long[2];
        String[] parts = {t.substring(0, c), t.substring(c + 1)};
        for (int i = 0; i < 2; i++) {
            try {
                r[i] = Long.parseLong(parts[i].strip().replace("_", ""));
            } catch (NumberFormatException e) {
                // An integer, only past 64 bits (QA: "'9223372036854775808' is not an integer" read as a typo).
                if (parts[i].strip().replace("_", "").matches("[+-]?\\d+")) {
                    throw new IllegalArgumentException(flag + " '" + text + "': '" + parts[i] + "' is outside 0 to 2^63-1 "
                            + "(9223372036854775807), where every element index lies", e);
                }
                throw new IllegalArgumentException(flag + " '" + text + "': '" + parts[i] + "' is not an integer", e);
            }
        }
        if (r[0] < 0 || r[1] <= r[0]) {
            throw new IllegalArgumentException(flag + " '" + text + "' must have 0 <= START < END");
        }
        return r;
    }
}
