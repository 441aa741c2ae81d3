package dev.tensorinit.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Refuses, before any work, a write that cannot fit in a folder's file system: finding out from a full disk
 * means minutes of filling, then an error naming neither the file nor how much was missing.
 */
final class DiskSpace {
    private DiskSpace() {}

    /**
     * Throws when the file system holding {@code folder} (or, when it does not exist yet, its nearest existing
     * parent) has fewer than {@code bytes} usable bytes. {@code what} names the data, e.g. "the file". Does
     * nothing when the file system does not tell its free space: a full disk then still fails the write.
     */
    static void require(Path folder, long bytes, String what) throws IOException {
        // Not normalize(): "lnk/.." is lnk's target's parent, not the folder holding lnk. Callers pass folders resolved
        // through the file system (OutputPaths); one still to be created is on its nearest existing ancestor's.
        Path p = folder.toAbsolutePath();
        while (p != null && !Files.exists(p)) p = p.getParent();
        if (p == null) return;
        long free;
        try {
            free = Files.getFileStore(p).getUsableSpace();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return;
        }
        if (free < bytes) throw new IOException(shortfall(what, bytes, free, p));
    }

    /**
     * "the file needs 16.0 MiB but only 8.00 MiB is free in /mnt/x"; where both round to the same text, with the exact
     * byte counts too: "needs 8.00 MiB but only 8.00 MiB is free" (QA, a file 128 bytes over a full 8 MiB tmpfs) read
     * as a contradiction.
     */
    static String shortfall(String what, long bytes, long free, Path folder) {
        String need = Units.bytes(bytes), have = Units.bytes(free);
        if (need.equals(have)) {
            need += " (" + bytes + " bytes)";
            have += " (" + free + " bytes)";
        }
        return what + " needs " + need + " but only " + have + " is free in " + folder;
    }
}
