package dev.tensorinit.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Removes temporary files that killed runs (SIGKILL, the OOM killer) left in a folder. A file is removed only when
 * both say its writer is gone: no process with its id exists (/proc/PID), and nobody holds its lock (a writer in
 * another PID namespace, a container, may not show in /proc, but its lock does), and it has not been written for
 * {@link #QUIET_MILLIS} ms (a writer creates its file a moment before it locks it: a run in another PID namespace
 * deleted files in that window, 31 of 40 small fills under a tight polling loop). Best effort: anything unclear is
 * left alone. Linux only, where /proc tells.
 */
final class StaleTemps {
    private StaleTemps() {}

    /** A file written in the last this many milliseconds may belong to a writer that has not locked it yet. */
    static final long QUIET_MILLIS = 10_000;

    static void clean(Path dir, Consumer<String> notices) {
        if (!Files.isDirectory(Path.of("/proc/self"))) return;
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".*.tensorinit-*.tmp")) {
            for (Path f : files) {
                Optional<Long> pid = TempName.pid(f.getFileName().toString());
                if (pid.isEmpty() || pid.get() == self || Files.exists(Path.of("/proc", Long.toString(pid.get())))) continue;
                if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) continue;
                long age = System.currentTimeMillis() - Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS).toMillis();
                if (Math.abs(age) < QUIET_MILLIS) continue;   // |age|: a time far in the future (a clock set back) is not "just written"
                if (removeIfUnlocked(f)) {
                    notices.accept("removed " + f + ", left by process " + pid.get() + " which no longer runs");
                }
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable folder fails later, where the output is created
        }
    }

    private static boolean removeIfUnlocked(Path f) {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            FileLock lock = ch.tryLock();
            if (lock == null) return false; // a live writer we cannot see
            Files.delete(f);
            return true;
        } catch (IOException | OverlappingFileLockException | UnsupportedOperationException e) {
            return false;
        }
    }
}
