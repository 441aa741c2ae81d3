package dev.tensorinit.cli.model;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * --max-shard-size in Hugging Face's units. save_pretrained hands the text to huggingface_hub's
 * parse_size_to_int: a number (decimals allowed) and KB/MB/GB/TB, case-insensitive, all powers of 10,
 * truncated to whole bytes ("5GB" = 5·10^9). transformers' convert_file_size_to_int also knows the
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
        for (String[] unit : units) {
            if (u.endsWith(unit[0])) {
                number = t.substring(0, t.length() - unit[0].length()).strip();
                factor = new BigDecimal(unit[1]);
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
        BigDecimal bytes = value.multiply(factor);
        if (bytes.signum() <= 0 || bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("--max-shard-size '" + text + "' must be between 1 byte and 2^63-1 bytes");
        }
        long b = bytes.longValue(); // truncates, as int(value * multiplier) does
        if (b < 1) throw new IllegalArgumentException("--max-shard-size '" + text + "' is less than one byte");
        return b;
    }
}
