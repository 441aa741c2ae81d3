package dev.tensorinit.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * A file that appears at its target path complete or not at all: data goes to a hidden temporary file
 * in the target's folder (same file system, so the rename is atomic), is forced to disk, then renamed.
 * Closing without {@link #commit()} deletes the temporary file; so does a shutdown hook (Ctrl-C).
 *
 * <p>SIGKILL and the OOM killer run no hook: their temporary file stays. Its name ({@link TempName}) carries
 * the process id, and the writer holds a lock on it, so a later run in the same folder removes it once that
 * process is gone ({@link StaleTemps}).
 */
final class AtomicFile implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private final boolean overwrite;
    private final FileChannel channel;
    private final Thread cleanup;
    private final Writer writer;
    private volatile boolean committed;

    private AtomicFile(Path target, Path temp, boolean overwrite, FileChannel channel, Thread cleanup) {
        this.target = target;
        this.temp = temp;
        this.overwrite = overwrite;
        this.channel = channel;
        this.cleanup = cleanup;
        this.writer = new Writer(WriteBehind.forOpenFile(temp));
    }

    static AtomicFile create(Path target, boolean overwrite) throws IOException {
        return create(target, overwrite, notice -> { });
    }

    /**
     * Refuses an existing target unless {@code overwrite}; removes stale temporary files of dead processes in the
     * folder (each reported to {@code notices}); creates the temporary file now, so an unwritable folder fails
     * before any work.
     */
    static AtomicFile create(Path target, boolean overwrite, Consumer<String> notices) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        Path dir = abs.getParent();
        checkTarget(abs, overwrite);
        if (!Files.exists(dir)) throw new NoSuchFileException(dir.toString(), null, "the output folder does not exist");
        if (!Files.isDirectory(dir)) throw new IOException("the output folder " + dir + " is not a folder");
        StaleTemps.clean(dir, notices);
        Path temp = dir.resolve(TempName.create(abs.getFileName().toString(), ProcessHandle.current().pid()));
        Thread cleanup = new Thread(() -> deleteQuietly(temp), "tensorinit-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        FileChannel ch = null;
        try {
            ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            lock(ch);
            return new AtomicFile(abs, temp, overwrite, ch, cleanup);
        } catch (java.nio.file.AccessDeniedException e) {
            closeQuietly(ch);
            removeHook(cleanup);
            throw new java.nio.file.AccessDeniedException(dir.toString(), null, "cannot create a file in the output folder");
        } catch (IOException e) {
            closeQuietly(ch);
            removeHook(cleanup);
            deleteQuietly(temp);
            throw new IOException("cannot create a file in the output folder " + dir + " (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            removeHook(cleanup);
            deleteQuietly(temp);
            throw e;
        }
    }

    /** The lock tells a later run that this temporary file is in use; a file system without locks just goes without. */
    private static void lock(FileChannel ch) {
        try {
            FileLock unused = ch.tryLock();
        } catch (IOException | UnsupportedOperationException e) {
            // cleanup by others then rests on the process id alone
        }
    }

    /** A dangling symbolic link counts as an existing file: replacing it silently would lose what the user pointed at. */
    private static void checkTarget(Path abs, boolean overwrite) throws IOException {
        if (Files.isDirectory(abs)) throw new IOException("--out " + abs + " is a folder");
        if (!overwrite && Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
            String what = Files.isSymbolicLink(abs) && !Files.exists(abs) ? "exists (a symbolic link to a missing file)" : "exists";
            throw new FileAlreadyExistsException(abs.toString(), null, what + "; add --force to overwrite it");
        }
    }

    /** Refuses to start a write of {@code bytes} that cannot fit in the folder's file system (when it tells its free space). */
    void requireSpace(long bytes) throws IOException {
        DiskSpace.require(temp.getParent(), bytes, "the file");
    }

    /** The temporary file's channel. Sequential writes should go through {@link #writer()}. */
    FileChannel channel() { return channel; }

    /**
     * Sequential writes to the temporary file, from its start: they go to the channel, and the disk starts on each
     * full window while later ones are produced ({@link WriteBehind}).
     */
    WritableByteChannel writer() { return writer; }

    /** Whether writes through {@link #writer()} are written behind (Linux, a file system that supports it). */
    boolean writesBehind() { return writer.behind.isOn(); }

    /** Bytes known to be written out to the device so far (write-behind's progress; for tests). */
    long settledBytes() { return writer.behind.settled(); }

    Path target() { return target; }

    Path temp() { return temp; }

    /** Forces the data to disk, then renames the temporary file onto the target. */
    void commit() throws IOException {
        writer.behind = WriteBehind.off(); // the descriptor number is about to be closed
        channel.force(true);
        channel.close();
        checkTarget(target, overwrite); // the target may have appeared while we worked
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        committed = true;
        syncFolder(target.getParent());
    }

    @Override public void close() {
        writer.behind = WriteBehind.off();
        try {
            if (channel.isOpen()) channel.close();
        } catch (IOException e) {
            // the file is deleted below; nothing else to do with it
        } finally {
            if (!committed) deleteQuietly(temp);
            removeHook(cleanup);
        }
    }

    private final class Writer implements WritableByteChannel {
        private WriteBehind behind;
        private long written;

        Writer(WriteBehind behind) { this.behind = behind; }

        @Override public int write(ByteBuffer src) throws IOException {
            int n = channel.write(src);
            written += n;
            behind.written(written);
            return n;
        }

        @Override public boolean isOpen() { return channel.isOpen(); }

        @Override public void close() throws IOException { channel.close(); }
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

    private static void closeQuietly(FileChannel ch) {
        try {
            if (ch != null) ch.close();
        } catch (IOException e) {
            // being abandoned anyway
        }
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // nothing more can be done at this point
        }
    }
}
