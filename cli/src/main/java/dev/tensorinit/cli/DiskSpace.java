package dev.tensorinit.cli;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
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
     * parent) is mounted read-only, or has fewer than {@code bytes} usable bytes. {@code what} names the data, e.g.
     * "the file". Does nothing when the file system does not tell: a full disk then still fails the write.
     */
    static void require(Path folder, long bytes, String what) throws IOException {
        // Not normalize(): "lnk/.." is lnk's target's parent, not the folder holding lnk. Callers pass folders resolved
        // through the file system (OutputPaths); one still to be created is on its nearest existing ancestor's.
        Path p = folder.toAbsolutePath();
        while (p != null && !Files.exists(p)) p = p.getParent();
        if (p == null) return;
        FileStore store;
        try {
            store = Files.getFileStore(p);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return;
        }
        require(p, store, bytes, what);
    }

    /**
     * As above, on {@code store}, the file store of the existing folder {@code p}. Read-only first: a read-only mount
     * reports what it holds as all there is, and `model` into a full read-only tmpfs blamed its free space.
     */
    static void require(Path p, FileStore store, long bytes, String what) throws IOException {
        if (store.isReadOnly()) throw new FileSystemException(p.toString(), null, "Read-only file system");
        long free;
        try {
            free = store.getUsableSpace();
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
