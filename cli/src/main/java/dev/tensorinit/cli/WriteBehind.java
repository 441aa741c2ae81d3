package dev.tensorinit.cli;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Lets the disk work while a file is still being written, and bounds what the file leaves in memory. Writes land
 * in the page cache; left alone, Linux starts writing them out only after about 30 s or under memory pressure, so
 * the final fsync wrote the whole file after the fill had ended. Here, as each {@value #WINDOW_MIB} MiB window is
 * written its writeback is started (sync_file_range WRITE); the writer then waits for the window {@value #LAG}
 * back (dirty data stays bounded, and the writer slows to the disk's pace instead of piling up pages); pages more
 * than {@value #KEEP_MIB} MiB behind are dropped from the cache once on disk (POSIX_FADV_DONTNEED), so a 40 GB
 * file does not push everything else out of memory, while a file up to 1 GiB stays cached for a reader that
 * follows. Linux only; elsewhere, or when a call fails, it does nothing and the final fsync does the work.
 */
final class WriteBehind {
    static final int WINDOW_MIB = 64, LAG = 2, KEEP_MIB = 1024;
    /** The setting's bounds: a window of 1 TiB and 1024 windows of lag are far beyond any measurement's. */
    static final long MAX_WINDOW_MIB = 1 << 20, MAX_LAG = 1024;
    /** System property for measurements: "WINDOW_MIB:LAG" (e.g. "128:4"), or "off". */
    static final String PROPERTY = dev.tensorinit.Settings.WRITE_BEHIND;
    private static final int SYNC_FILE_RANGE_WAIT_BEFORE = 1, SYNC_FILE_RANGE_WRITE = 2, SYNC_FILE_RANGE_WAIT_AFTER = 4;
    private static final int POSIX_FADV_DONTNEED = 4;

    /** sync_file_range and posix_fadvise, looked up once; empty where the C library lacks them. */
    private static final class Calls {
        static final Optional<MethodHandle[]> HANDLES = lookup();

        private static Optional<MethodHandle[]> lookup() {
            if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) return Optional.empty();
            try {
                Linker linker = Linker.nativeLinker();
                var lib = linker.defaultLookup();
                FunctionDescriptor d = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT);
                var sfr = lib.find("sync_file_range");
                var fadvise = lib.find("posix_fadvise");
                if (sfr.isEmpty() || fadvise.isEmpty()) return Optional.empty();
                return Optional.of(new MethodHandle[] {linker.downcallHandle(sfr.get(), d), linker.downcallHandle(fadvise.get(), d)});
            } catch (RuntimeException | LinkageError e) {
                return Optional.empty();
            }
        }
    }

    /** The open file, until its descriptor is looked up (at the first full window: see {@link #resolve}). */
    private Path file;
    private int fd = -1;
    private final long window, lag, keep = (long) KEEP_MIB << 20;
    private boolean on;
    private long started, waited, dropped;

    private WriteBehind(Path file) {
        long[] wl = file == null ? null : setting();   // off() reads no setting: it runs on close paths too
        boolean off = wl == null;
        long w = off ? WINDOW_MIB : wl[0], l = off ? LAG : wl[1];
        this.file = file;
        this.window = Math.max(1, w) << 20;
        this.lag = Math.max(1, l);
        this.on = !off && file != null;
    }

    /**
     * The setting as {window MiB, lag}, null for off; a malformed one is a usage error naming the setting (checked by
     * the commands before they create anything, and here again).
     */
    static long[] setting() {
        String setting = dev.tensorinit.Settings.get(PROPERTY);
        if (setting == null) return new long[] {WINDOW_MIB, LAG};
        if (setting.equalsIgnoreCase("off")) return null;   // as tensorinit.directIo takes it
        long[] wl;
        try {
            wl = new long[] {Long.parseLong(setting.substring(0, setting.indexOf(':'))),
                    Long.parseLong(setting.substring(setting.indexOf(':') + 1))};
        } catch (RuntimeException e) {
            throw new UsageException(PROPERTY + " (or " + dev.tensorinit.Settings.envName(PROPERTY) + ") '" + setting
                    + "' must be WINDOW_MIB:LAG or off");
        }
        // Bounded: a window of 2^44 MiB is 0 bytes once shifted, and the write loop waited on it forever.
        if (wl[0] < 1 || wl[0] > MAX_WINDOW_MIB || wl[1] < 1 || wl[1] > MAX_LAG) {
            throw new UsageException(PROPERTY + " (or " + dev.tensorinit.Settings.envName(PROPERTY) + ") '" + setting
                    + "': WINDOW_MIB must be 1 to " + MAX_WINDOW_MIB + " and LAG 1 to " + MAX_LAG);
        }
        return wl;
    }

    /** Off: every call does nothing. */
    static WriteBehind off() { return new WriteBehind(null); }

    /**
     * For a file this process has open (exactly once) for writing: its descriptor is found through /proc/self/fd,
     * since a FileChannel does not tell it. The caller must stop calling {@link #written} before closing the file,
     * after which the number could name another file.
     */
    static WriteBehind forOpenFile(Path file) {
        return new WriteBehind(file);
    }

    /**
     * Looks up the C calls and the file's descriptor, once, when first needed: a file smaller than a window never
     * needs them, and linking the two downcalls cost a small fill 70 ms of its 0.5 s (class loading and generated
     * code, measured with -Xlog:class+load). Returns whether write-behind is on.
     */
    private boolean resolve() {
        if (file != null) {
            Path f = file;
            file = null;
            fd = Calls.HANDLES.isEmpty() ? -1 : descriptor(f);
            on = on && fd >= 0;
        }
        return on;
    }

    private static int descriptor(Path file) {
        try {
            Path real = file.toRealPath();
            int found = -1;
            try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
                for (Path f : fds) {
                    try {
                        if (Files.readSymbolicLink(f).equals(real)) {
                            if (found >= 0) return -1; // opened twice: which one is ours is unclear
                            found = Integer.parseInt(f.getFileName().toString());
                        }
                    } catch (IOException | NumberFormatException e) {
                        // a descriptor that closed meanwhile, or not a link: not ours
                    }
                }
            }
            return found;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    boolean isOn() { return resolve(); }

    /** The file now holds bytes [0, end): start, await and drop whole windows behind it. */
    void written(long end) {
        if (!on || end < started + window || !resolve()) return;
        while (on && end >= started + window) {
            call(0, started, window, SYNC_FILE_RANGE_WRITE);
            started += window;
            long settled = started - lag * window;
            if (settled > waited) {
                call(0, waited, settled - waited, SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER);
                waited = settled;
            }
            if (waited - keep > dropped) {
                call(1, dropped, waited - keep - dropped, POSIX_FADV_DONTNEED);
                dropped = waited - keep;
            }
        }
    }

    /** Bytes whose writeback has been awaited so far (for tests). */
    long settled() { return waited; }

    private void call(int which, long offset, long length, int flags) {
        try {
            int r = (int) Calls.HANDLES.get()[which].invokeExact(fd, offset, length, flags);
            if (r != 0) on = false; // unsupported here (e.g. a file system without it): leave the rest to fsync
        } catch (Throwable t) {
            on = false;
        }
    }
}
