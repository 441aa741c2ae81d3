package dev.tensorinit.cli;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hidden temporary file name next to a target: {@code .NAME.tensorinit-PID-RANDOM.tmp}. NAME is the target's
 * name, shortened when needed so the whole stays within the 255 bytes a file name may have (a valid 240-byte
 * target name must still work); PID lets a later run tell whether the writer is still alive.
 */
final class TempName {
    private TempName() {}

    /** NAME_MAX of Linux file systems (ext4, xfs, btrfs, tmpfs), in bytes. */
    static final int MAX_BYTES = 255;
    private static final Pattern FORMAT = Pattern.compile("\\..*\\.tensorinit-(\\d{1,19})-[0-9a-f]{8}\\.tmp", Pattern.DOTALL);

    static String create(String targetName, long pid) {
        // Locale.ROOT: under fa_IR or ar_EG the default locale wrote the pid in local digits, which pid() (and so the
        // clean-up of a killed run's file) could not read back.
        String suffix = String.format(java.util.Locale.ROOT, ".tensorinit-%d-%08x.tmp", pid, ThreadLocalRandom.current().nextInt());
        int room = MAX_BYTES - 1 - suffix.length();
        return "." + truncateUtf8(targetName, room) + suffix;
    }

    /** The writer's process id, if {@code fileName} is one of our temporary names. */
    static Optional<Long> pid(String fileName) {
        Matcher m = FORMAT.matcher(fileName);
        if (!m.matches()) return Optional.empty();
        try {
            return Optional.of(Long.parseLong(m.group(1)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The longest prefix of {@code s} of at most {@code maxBytes} UTF-8 bytes that does not split a character. */
    static String truncateUtf8(String s, int maxBytes) {
        if (s.getBytes(StandardCharsets.UTF_8).length <= maxBytes) return s;
        int bytes = 0, i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + n > maxBytes) break;
            bytes += n;
            i += Character.charCount(cp);
        }
        return s.substring(0, i);
    }
}
