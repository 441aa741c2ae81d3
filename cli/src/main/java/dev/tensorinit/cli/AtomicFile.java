package dev.tensorinit.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A file that appears at its target path complete or not at all: data goes to a hidden temporary file
 * in the target's folder (same file system, so the rename is atomic), is forced to disk, then renamed.
 * Closing without {@link #commit()} deletes the temporary file; so does a shutdown hook (Ctrl-C).
 */
final class AtomicFile implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private final boolean overwrite;
    private final FileChannel channel;
    private final Thread cleanup;
    private volatile boolean committed;

    private AtomicFile(Path target, Path temp, boolean overwrite, FileChannel channel, Thread cleanup) {
        this.target = target;
        this.temp = temp;
        this.overwrite = overwrite;
        this.channel = channel;
        this.cleanup = cleanup;
    }

    /** Refuses an existing target unless {@code overwrite}; creates the temporary file now, so an unwritable folder fails before any work. */
    static AtomicFile create(Path target, boolean overwrite) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        Path dir = abs.getParent();
        checkTarget(abs, overwrite);
        if (!Files.exists(dir)) throw new NoSuchFileException(dir.toString(), null, "the output folder does not exist");
        if (!Files.isDirectory(dir)) throw new IOException("the output folder " + dir + " is not a folder");
        Path temp = dir.resolve("." + abs.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        Thread cleanup = new Thread(() -> deleteQuietly(temp), "tensorinit-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return new AtomicFile(abs, temp, overwrite, ch, cleanup);
        } catch (java.nio.file.AccessDeniedException e) {
            removeHook(cleanup);
            throw new java.nio.file.AccessDeniedException(dir.toString(), null, "cannot create a file in the output folder");
        } catch (IOException e) {
            removeHook(cleanup);
            deleteQuietly(temp);
            throw new IOException("cannot create a file in the output folder " + dir + " (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            removeHook(cleanup);
            deleteQuietly(temp);
            throw e;
        }
    }

    private static void checkTarget(Path abs, boolean overwrite) throws IOException {
        if (Files.isDirectory(abs)) throw new IOException("--out " + abs + " is a folder");
        if (!overwrite && Files.exists(abs)) {
            throw new FileAlreadyExistsException(abs.toString(), null, "exists; add --force to overwrite it");
        }
    }

    FileChannel channel() { return channel; }

    Path target() { return target; }

    Path temp() { return temp; }

    /** Forces the data to disk, then renames the temporary file onto the target. */
    void commit() throws IOException {
        channel.force(true);
        channel.close();
        checkTarget(target, overwrite); // the target may have appeared while we worked
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        committed = true;
        syncFolder(target.getParent());
    }

    @Override public void close() {
        try {
            if (channel.isOpen()) channel.close();
        } catch (IOException e) {
            // the file is deleted below; nothing else to do with it
        } finally {
            if (!committed) deleteQuietly(temp);
            removeHook(cleanup);
        }
    }

    /** Makes the rename itself durable; best effort (not every file system lets a folder be opened). */
    private static void syncFolder(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // the data is already on disk; only the rename's durability is best effort
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook runs (harmlessly) anyway
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // nothing more can be done at this point
        }
    }
}
