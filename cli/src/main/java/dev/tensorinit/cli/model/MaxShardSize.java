package dev.tensorinit.cli.model;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * --max-shard-size in Hugging Face's units. save_pretrained hands the text to huggingface_hub's
 * parse_size_to_int: a number (decimals allowed) and KB/MB/GB/TB, case-insensitive, all powers of 10,
 * truncated to whole bytes ("5GB" = 5·10^9), computed as it does, in double arithmetic: "1.001MB" is
 * int(1.001 * 10**6) = 1000999 bytes there, and a limit one byte off can cut a shard elsewhere. transformers' convert_file_size_to_int also knows the
 * binary KiB/MiB/GiB ("5GiB" = 5·2^30); we accept those too, and TiB, and a plain byte count.
 */
public final class MaxShardSize {
    private MaxShardSize() {}

    public static long parse(String text) {
        String t = text.strip().replace("_", "");
        String u = t.toUpperCase(Locale.ROOT);
        String[][] units = {{"KIB", "1024"}, {"MIB", "1048576"}, {"GIB", "1073741824"}, {"TIB", "1099511627776"},
                {"KB", "1000"}, {"MB", "1000000"}, {"GB", "1000000000"}, {"TB", "1000000000000"}};
        String number = t;
        BigDecimal factor = BigDecimal.ONE;
        boolean powerOf10 = false;
        for (String[] unit : units) {
            if (u.endsWith(unit[0])) {
                number = t.substring(0, t.length() - unit[0].length()).strip();
                factor = new BigDecimal(unit[1]);
                powerOf10 = !unit[0].endsWith("IB");
                break;
            }
        }
        BigDecimal value;
        try {
            value = new BigDecimal(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--max-shard-size '" + text + "' must be a number of bytes or a number with KB, MB, GB, TB "
                    + "(powers of 10) or KiB, MiB, GiB, TiB (powers of 2), e.g. 5GB", e);
        }
        // A byte count is whole: "1.5" had become a limit of 1 byte (every tensor a shard of its own), and
        // huggingface_hub refuses a size without a unit. A count below 1 ("-1") is out of range, said below, not a fraction.
        if (factor.equals(BigDecimal.ONE) && value.signum() > 0 && (value.stripTrailingZeros().scale() > 0 || !number.matches("[+]?[0-9]+"))) {
            throw new IllegalArgumentException("--max-shard-size '" + text + "': a size without a unit is a whole number of bytes; "
                    + "use KB, MB, GB, TB or KiB, MiB, GiB, TiB for fractions, e.g. 1.5GB");
        }
        BigDecimal bytes = value.multiply(factor);
        if (bytes.signum() <= 0 || bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("--max-shard-size '" + text + "' must be between 1 byte and 2^63-1 bytes");
        }
        long b;
        if (powerOf10) {
            // KB..TB: parse_size_to_int computes int(float(value) * multiplier) in binary floating point, so "1.001MB"
            // is 1000999 bytes there, not 1001000; the same double arithmetic gives save_pretrained's cut exactly.
            double d = Double.parseDouble(number) * factor.doubleValue();
            if (!(d < 0x1p63)) throw new IllegalArgumentException("--max-shard-size '" + text + "' must be between 1 byte and 2^63-1 bytes");
            b = (long) d; // truncates toward zero, as int() does
        } else {
            b = bytes.longValue(); // truncates; exact for a byte count and the binary units
        }
        if (b < 1) throw new IllegalArgumentException("--max-shard-size '" + text + "' is less than one byte");
        return b;
    }
}
