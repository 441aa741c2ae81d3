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
 * in the target's folder (same file system, so placing it is atomic), is forced to disk, then given its name: renamed
 * over the target with overwrite, else linked to it (link(2) refuses a name that is taken) and the temporary name
 * removed.
 * Closing without {@link #commit()} deletes the temporary file; so does a shutdown hook (Ctrl-C). Both delete it
 * through a handle on its folder ({@link TempFile}), so a folder renamed during the run keeps no temporary file.
 *
 * <p>A file that grows past {@value #DIRECT_FROM_MIB} MiB is written from there on with direct I/O where the file
 * system allows it ({@link DirectAppend}): the page cache's copy cost a 2-core machine a core. Smaller files, and
 * every file where O_DIRECT is refused or {@code tensorinit.directIo} is off, are written through the page cache
 * and written behind ({@link WriteBehind}).
 *
 * <p>SIGKILL and the OOM killer run no hook: their temporary file stays. Its name ({@link TempName}) carries
 * the process id, and the writer holds a lock on it, so a later run in the same folder removes it once that
 * process is gone ({@link StaleTemps}).
 */
final class AtomicFile implements AutoCloseable {
    /** Files up to this size stay in the page cache (cheap to write, and read back at once by a test or a user). */
    static final int DIRECT_FROM_MIB = 16;
    private static final long DIRECT_FROM = (long) DIRECT_FROM_MIB << 20;

    private final Path target;
    private final Path temp;
    private Runnable beforePlacing = () -> { };
    private final TempFile tempFile; // deletes temp in its folder even after the folder is renamed
    private final boolean overwrite;
    private final FileChannel channel;
    private final Thread cleanup;
    private final Writer writer;
    private volatile boolean committed;

    /** Where a leftover is reported (the caller's notices). */
    private final Consumer<String> notices;

    private AtomicFile(Path target, TempFile tempFile, boolean overwrite, FileChannel channel, Thread cleanup, boolean mayGoDirect,
                       Consumer<String> notices) {
        this.notices = notices;
        this.target = target;
        this.temp = tempFile.path();
        this.tempFile = tempFile;
        this.overwrite = overwrite;
        this.channel = channel;
        this.cleanup = cleanup;
        this.writer = new Writer(WriteBehind.forOpenFile(temp), mayGoDirect);
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
        return create(target, overwrite, true, notices);
    }

    /**
     * A file that replaces nothing, and is not refused now for a file already at {@code target}: its {@link #commit()}
     * throws FileAlreadyExistsException when one is there by then (model's writer judges that file: another run's
     * identical file is fine, anything else is refused).
     */
    static AtomicFile createNoReplace(Path target, Consumer<String> notices) throws IOException {
        return create(target, false, false, notices);
    }

    private static AtomicFile create(Path target, boolean overwrite, boolean refuseExistingNow, Consumer<String> notices)
            throws IOException {
        boolean mayGoDirect = directIoSetting();
        Path abs = OutputPaths.file(target); // in its real folder: a folder that is missing or a file fails here
        Path dir = abs.getParent();
        checkTarget(abs, overwrite || !refuseExistingNow, true);
        StaleTemps.clean(dir, notices);
        TempFile tempFile = TempFile.in(dir, TempName.create(abs.getFileName().toString(), ProcessHandle.current().pid()));
        Path temp = tempFile.path();
        Thread cleanup = new Thread(tempFile::deleteAtExit, "tensorinit-cleanup");
        try {
            Runtime.getRuntime().addShutdownHook(cleanup);
        } catch (IllegalStateException shuttingDown) {   // a signal came first: "Shutdown in progress" said nothing useful
            tempFile.close();
            throw exiting(abs);
        }
        FileChannel ch = null;
        try {
            // READ too: a switch to direct writes reads back the block the file ends in (DirectAppend)
            ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
            lock(ch);
            // The hook may have run between its registration and the file's creation, deleting nothing: the catch below
            // removes the file.
            if (tempFile.exiting()) throw exiting(abs);
            return new AtomicFile(abs, tempFile, overwrite, ch, cleanup, mayGoDirect, notices);
        } catch (java.io.InterruptedIOException e) {
            closeQuietly(ch);
            tempFile.delete();
            tempFile.close();
            throw e;
        } catch (java.nio.file.AccessDeniedException e) {
            closeQuietly(ch);
            removeHook(cleanup);
            tempFile.close();
            throw new java.nio.file.AccessDeniedException(dir.toString(), null, "cannot create a file in the output folder");
        } catch (IOException e) {
            closeQuietly(ch);
            removeHook(cleanup);
            tempFile.delete();
            tempFile.close();
            throw new IOException("cannot create a file in the output folder " + dir + " (" + temp + ": " + reason(e) + ")", e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            removeHook(cleanup);
            tempFile.delete();
            tempFile.close();
            throw e;
        }
    }

    /** Reads the file settings (direct I/O, write-behind), so that a malformed one stops a command before it creates anything. */
    static void checkSettings() {
        directIoSetting();
        WriteBehind.setting();
    }

    private static boolean directIoSetting() {
        String v = dev.tensorinit.Settings.get(dev.tensorinit.Settings.DIRECT_IO);
        if (v == null || v.equalsIgnoreCase("on")) return true;
        if (v.equalsIgnoreCase("off")) return false;
        throw new UsageException(dev.tensorinit.Settings.DIRECT_IO + " (or " + dev.tensorinit.Settings.envName(dev.tensorinit.Settings.DIRECT_IO)
                + ") '" + v + "' must be on or off");
    }

    /** The lock tells a later run that this temporary file is in use; a file system without locks just goes without. */
    private static void lock(FileChannel ch) {
        try {
            FileLock unused = ch.tryLock();
        } catch (IOException | UnsupportedOperationException e) {
            // cleanup by others then rests on the process id alone
        }
    }

    /** Why the file system refused: its reason when it gave one (NoSuchFileException's message is only the path). */
    private static String reason(IOException e) {
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) return f.getReason();
        if (e instanceof NoSuchFileException) return "the folder takes no new files (no such file or directory)";
        if (e instanceof FileAlreadyExistsException) return "a file of that name appeared meanwhile";
        return e.getMessage();
    }

    /**
     * A dangling symbolic link counts as an existing file: replacing it silently would lose what the user pointed at.
     * {@code before}: checked before writing, where a folder at the name is a bad --out (exit 2, as "w.npy/" is); at the
     * commit it appeared while this run wrote, an I/O failure like any other there. A symbolic link to a folder is a
     * link, an existing file like any other link: the rename replaces the link itself, never writes into the folder.
     */
    private static void checkTarget(Path abs, boolean overwrite, boolean before) throws IOException {
        if (Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS)) {
            if (before) throw new UsageException("--out " + abs + " is a folder; name a file");
            throw new FileAlreadyExistsException(abs.toString(), null, "is a folder now (it appeared while this run wrote the file)");
        }
        // Else the rename at the very end fails ("File name too long"), after the whole fill and write.
        int nameBytes = abs.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (nameBytes > TempName.MAX_BYTES) {
            throw new UsageException("--out " + abs + ": the file name is " + nameBytes + " bytes, more than the "
                    + TempName.MAX_BYTES + " a file system allows");
        }
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
     * Sequential writes to the temporary file, from its start: direct once the file is big ({@link DirectAppend}),
     * else to the channel, with the disk started on each full window while later ones are produced ({@link WriteBehind}).
     */
    FileAppender writer() { return writer; }

    /** Whether writes through {@link #writer()} are written behind (Linux, a file system that supports it). */
    boolean writesBehind() { return writer.behind.isOn(); } // off once writes go direct

    /** Whether writes through {@link #writer()} now bypass the page cache. */
    boolean writesDirect() { return writer.direct != null && writer.direct.isDirect(); }

    /** Bytes known to be written out to the device so far (write-behind's progress; for tests). */
    long settledBytes() { return writer.behind.settled(); }

    Path target() { return target; }

    Path temp() { return temp; }

    /** What the shutdown hook runs (Ctrl-C, SIGTERM), for tests that stand in for a signal. */
    void deleteAtExit() { tempFile.deleteAtExit(); }

    /** For tests: runs just before the file is placed, after the last check of the target. */
    void beforePlacing(Runnable r) { beforePlacing = java.util.Objects.requireNonNull(r); }

    /** Forces the data to disk, then gives it its name (renamed with overwrite, else linked; see the class comment). */
    void commit() throws IOException {
        writer.behind = WriteBehind.off(); // the descriptor number is about to be closed
        try {
            if (writer.direct != null) writer.direct.finish();
            channel.force(true);
        } catch (IOException e) {
            throw failed("writing", e);
        }
        // Both descriptors stay open until the rename: closing either one drops this process's lock on the file (POSIX
        // record locks belong to the process and the file, not the descriptor), and a run in another PID namespace,
        // which cannot see this process in /proc, then took the temporary file for a dead run's and deleted it during
        // the fsync (the write failed at the rename, exit 1).
        checkTarget(target, overwrite, false); // the target may have appeared while we worked
        beforePlacing.run();
        try {
            if (overwrite || !linkIntoPlace()) Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) { // the JDK's message is "TEMP -> TARGET", naming a file the user never saw
            if (tempFile.exiting()) {   // the shutdown hook removed the temporary file under the commit
                throw exiting(target);
            }
            throw new NoSuchFileException(target.getParent().toString(), null,
                    "the output folder was moved or removed during the run; " + target.getFileName() + " was not written");
        }
        committed = true;
        if (writer.direct != null) writer.direct.close();
        try {
            channel.close();
        } catch (IOException e) {
            // the data is on disk (forced above) and the file has its name
        }
        syncFolder(target.getParent());
    }

    /**
     * Without overwrite: gives the data its name only if no file has it, atomically (link(2) fails with EEXIST), then
     * drops the temporary name. The check before a rename left a window, the final fsync included: two unforced model
     * runs with different seeds into one folder each saw a shard's name free, and the later rename replaced the other
     * run's shard, which had already reported it written (exit 0, a mixed checkpoint). False when the file system
     * makes no hard links (the rename after the check, as before, is left to do).
     */
    private boolean linkIntoPlace() throws IOException {
        try {
            Files.createLink(target, temp);
        } catch (FileAlreadyExistsException e) {
            throw new FileAlreadyExistsException(target.toString(), null, "exists; add --force to overwrite it");
        } catch (NoSuchFileException e) {
            throw e;
        } catch (UnsupportedOperationException e) {
            return false; // no hard links here
        } catch (java.nio.file.FileSystemException e) {
            // Only a file system that makes no hard links (EPERM on FAT and some FUSE, EOPNOTSUPP, ENOSYS) gets the rename:
            // any other failure (a permission, a full disk, a stale NFS handle) falling back to a replacing rename
            // could replace a concurrent run's file after all.
            String why = String.valueOf(e.getReason());
            if (why.contains("not permitted") || why.contains("not supported") || why.contains("not implemented")) return false;
            throw failed("placing", e);
        }
        committed = true; // the data has its name; the temporary name is only a second link to it
        tempFile.delete();
        // A folder that takes new names but lets none go (append-only: chattr +a) kept the second link, silently.
        if (Files.exists(temp, LinkOption.NOFOLLOW_LINKS)) {
            notices.accept("note: the file is complete, but its temporary name " + Main.escaped(temp.toString())
                    + " could not be removed (an append-only folder?); it is a second link to the same file: remove it by hand");
        }
        return true;
    }

    @Override public void close() {
        writer.behind = WriteBehind.off();
        if (writer.direct != null) writer.direct.close();
        try {
            if (channel.isOpen()) channel.close();
        } catch (IOException e) {
            // the file is deleted below; nothing else to do with it
        } finally {
            if (!committed) tempFile.delete(); // through the folder's handle: the folder may have been renamed meanwhile
            removeHook(cleanup);
            tempFile.close();
        }
    }

    private final class Writer implements FileAppender {
        private WriteBehind behind;
        private DirectAppend direct;
        private boolean mayGoDirect;
        private long written;

        Writer(WriteBehind behind, boolean mayGoDirect) {
            this.behind = behind;
            this.mayGoDirect = mayGoDirect;
        }

        @Override public int write(ByteBuffer src) throws IOException {
            int n = src.remaining();
            expect(n);
            try {
                if (direct != null) {
                    direct.write(src);
                } else {
                    n = channel.write(src);
                    behind.written(written + n);
                }
            } catch (java.nio.channels.ClosedChannelException e) {
                throw e; // closed under us (an interrupt, or a close after a failure): not the disk's doing
            } catch (IOException e) {
                throw failed("writing", e);
            }
            written += n;
            return n;
        }

        /**
         * Opens direct writes when the file will grow past DIRECT_FROM. Called ahead of the data by the tensor stream:
         * opening them (the file store's block size from /proc/mounts, the descriptor, the staging block) took the
         * first piece's write 50 ms in a fresh JVM, while the writer had nothing else to do during the first fill.
         */
        @Override public void expect(long bytes) {
            if (mayGoDirect && written + bytes > DIRECT_FROM) {
                mayGoDirect = false; // one try per file
                direct = DirectAppend.open(temp, channel, written);
                if (direct != null) behind = WriteBehind.off(); // nothing of the rest goes through the page cache
            }
        }

        @Override public long position() { return written; }

        @Override public int alignment(long bytes) {
            if (direct != null) return direct.alignment();
            // a switch to direct writes happens only past DIRECT_FROM; it may pick a larger block, then staging copies
            return mayGoDirect && written + bytes > DIRECT_FROM ? DirectAppend.MIN_ALIGN : 1;
        }

        @Override public boolean isOpen() { return channel.isOpen(); }

        @Override public void close() throws IOException { channel.close(); }
    }

    /** The disk's error (no space left, an I/O error) with the file it happened to: the JDK's message names neither. */
    private IOException failed(String doing, IOException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new IOException(doing + " " + target + " failed: " + m, e);
    }

    /** Makes the rename itself durable; best effort (not every file system lets a folder be opened). */
    private static void syncFolder(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // the data is already on disk; only the rename's durability is best effort
        }
    }

    /** A run stopped by a signal (the shutdown hook has run or is running): what was not written. */
    private static java.io.InterruptedIOException exiting(Path target) {
        return new java.io.InterruptedIOException("stopped: the process is exiting (a signal); " + target.getFileName() + " was not written");
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
