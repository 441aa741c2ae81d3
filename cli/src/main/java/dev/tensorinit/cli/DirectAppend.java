package dev.tensorinit.cli;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends to a file with direct I/O (O_DIRECT): bytes go from the caller's memory to the device, not through the
 * page cache. Why: on a 2-core machine, copying 2.5 GB into the page cache cost the kernel 3.7-5.4 s of CPU time
 * (dd conv=fsync: 4.6-5.4 s system time buffered, 0.45 s with oflag=direct, the same wall time), a core that the
 * fill needed. A direct write must have its file position, its memory address and its length aligned to the file
 * system's block: bytes whose address is aligned like their file position ({@link TensorStream} fills its buffers
 * so) are written in place; the rest, and each run's ragged ends, go through one small aligned staging block. The
 * tail is written padded to a whole block, and {@link #finish} cuts the file back to its length. Should a direct
 * write fail (a file system that takes O_DIRECT at open, then refuses a write), this and every later write go
 * through the page cache: the file's bytes are the same either way.
 */
final class DirectAppend implements AutoCloseable {
    /** A positional write, as {@link FileChannel#write(ByteBuffer, long)}; an interface so that a test can fail it. */
    @FunctionalInterface
    interface Positional {
        int write(ByteBuffer src, long position) throws IOException;
    }

    /** A flush of what has been written so far to the device (fdatasync); an interface so that a test can watch or fail it. */
    @FunctionalInterface
    interface Flush {
        void force() throws IOException;
    }

    /**
     * The window of early flushes: after each 32 MiB appended, if the writes took less than half the time of that window
     * and of the one before (the caller, filling, is the bottleneck and the device idles), a second thread flushes what
     * is written (fdatasync, one at a time, never waited for until {@link #finish}), so that the commit's own flush has
     * little left. Why: direct writes land in the device's (here a virtual disk's) cache, and the commit's flush then
     * waited for all of it (0.12 s of a 2^26 fill). Measured on 2 cores, normal fills to disk, alternating whole runs
     * (benchmarks/ab.sh): flushing after every 32 MiB, 2^26 took 1.31 -> 1.20 s (median of 10; 32 MiB beat 64 and 128),
     * but 2^30, where the disk is the bottleneck, 3.92 -> 4.52 s (5 each): flushes then stall the writes. After every
     * idle window: 2^26 1.30 -> 1.16 s, but Llama-3-8B's 16 GB slower in 7 of 9 runs (median 12.6 against 12.1 s). After
     * two idle windows in a row, as now: 2^26 1.12 -> 1.08 s (12 each), Llama-3-8B 10.8 against 11.8 s (5 each).
     */
    static final long EARLY_FLUSH = 32L << 20;

    /** Staging for bytes that cannot be written in place: 1 MiB (each direct write of it is one round trip). */
    static final int STAGE = 1 << 20;
    /** The smallest alignment used: the page size, which covers every logical block size Linux has in use. */
    static final int MIN_ALIGN = 4096;

    private final FileChannel file;      // the file, opened for reading and writing through the page cache
    private final FileChannel directChannel;
    private final Positional direct;
    private final Flush flush;           // null: no early flushes
    private long windowFrom;             // position() where the current window of EARLY_FLUSH bytes started
    private long windowStart;            // and when (System.nanoTime())
    private long windowBusy;             // nanoseconds spent in write() since then
    private boolean lastWindowIdle;      // whether the window before it left the device idle (see flushEarly)
    private Thread flusher;              // the last early flush (touched by the appending thread only)
    /** An early flush's failure: the device's error, reported by the next write or by finish (an fsync reports it once). */
    private volatile IOException flushFailure;
    private final int align;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment stage;
    private long base;                   // file offset of stage[0], a multiple of align: everything before it is written
    private int staged;                  // bytes held in stage
    private boolean isDirect = true;
    private long inPlace, copied;        // bytes written without and with the staging copy

    DirectAppend(FileChannel file, FileChannel directChannel, Positional direct, int align, long position) throws IOException {
        this(file, directChannel, direct, null, align, position);
    }

    DirectAppend(FileChannel file, FileChannel directChannel, Positional direct, Flush flush, int align, long position) throws IOException {
        if (align < 1 || Integer.bitCount(align) != 1 || align > STAGE) throw new IllegalArgumentException("alignment " + align);
        if (position < 0) throw new IllegalArgumentException("position " + position);
        this.file = file;
        this.directChannel = directChannel;
        this.direct = direct;
        this.flush = flush;
        this.windowFrom = position;
        this.windowStart = System.nanoTime();
        this.align = align;
        this.stage = arena.allocate(STAGE, align);
        this.base = position & -(long) align;
        this.staged = (int) (position - base);
        // The block the file ends in is rewritten whole: read its head back (written through the page cache).
        ByteBuffer head = stage.asSlice(0, staged).asByteBuffer();
        try {
            while (head.hasRemaining()) {
                if (file.read(head, base + head.position()) < 0) throw new IOException("the file is shorter than " + position + " bytes");
            }
        } catch (IOException | RuntimeException e) {
            arena.close();   // the caller drops this object: its 1 MiB stage would never be freed
            throw e;
        }
    }

    /**
     * Opens direct writes to {@code path}, which {@code file} has open for reading and writing and holds
     * {@code position} bytes; null where the file system refuses O_DIRECT or has an unusual block size.
     */
    static DirectAppend open(Path path, FileChannel file, long position) {
        FileChannel d = null;
        try {
            long block = Files.getFileStore(path).getBlockSize();
            long align = Math.max(MIN_ALIGN, block);
            if (Long.bitCount(align) != 1 || align > STAGE) return null;
            d = FileChannel.open(path, StandardOpenOption.WRITE, com.sun.nio.file.ExtendedOpenOption.DIRECT);
            FileChannel ch = d;
            // Early flushes on the direct descriptor: should one fail, the commit's fsync on the other still reports the
            // error (Linux reports a writeback error once per open file), and finish() reports this one anyway.
            return new DirectAppend(file, d, ch::write, () -> ch.force(false), (int) align, position);
        } catch (IOException | RuntimeException e) {
            // no O_DIRECT here (or the file store cannot be asked): the page cache it is
            closeQuietly(d);
            return null;
        }
    }

    int alignment() { return align; }

    /** Bytes appended so far, counting the file's bytes before this was opened. */
    long position() { return base + staged; }

    /** Whether writes still go around the page cache (false once a direct write has failed). */
    boolean isDirect() { return isDirect; }

    /** Bytes written from the caller's memory in place, and bytes that went through the staging copy. */
    long bytesInPlace() { return inPlace; }

    long bytesCopied() { return copied; }

    /** Appends all of {@code src}. */
    void write(ByteBuffer src) throws IOException {
        reportFlushFailure();
        long t0 = System.nanoTime();
        appendAll(src);
        long t1 = System.nanoTime();
        windowBusy += t1 - t0;
        if (isDirect) flushEarly(t1);
    }

    private void appendAll(ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            if (!isDirect) {
                flushStage(staged);
                int n = src.remaining();
                writeFully(file::write, src, base);
                base += n;
                continue;
            }
            if (src.isDirect() && src.remaining() >= align) {
                long pos = base + staged;
                long address = MemorySegment.ofBuffer(src).address();
                if (Math.floorMod(address - pos, (long) align) == 0) {
                    // Top the staged block up to the boundary, write it, then the source's whole blocks in place.
                    int top = (int) Math.floorMod(-pos, (long) align);
                    if (staged + top > 0) {
                        copyIn(src, top);
                        flushStage(staged);
                        if (!isDirect) continue;
                    }
                    int whole = src.remaining() & -align;
                    if (whole > 0) {
                        ByteBuffer run = src.slice(src.position(), whole);
                        writeDirect(run, base);
                        src.position(src.position() + whole);
                        base += whole;
                        inPlace += whole;
                    }
                    continue;
                }
            }
            copyIn(src, Math.min(STAGE - staged, src.remaining()));
            if (staged == STAGE) flushStage(STAGE);
        }
    }

    /**
     * At the end of each window of {@link #EARLY_FLUSH} bytes: starts an early flush if the writes took less than half
     * the time of this window and of the one before (the rest the caller spent producing data, so the device had time
     * to spare) and the last flush has ended. Two windows, not one: where fill and disk keep about the same pace (a
     * checkpoint's shards), single windows fall below half now and then, and a flush started there stalled the writes
     * that followed (see {@link #EARLY_FLUSH}).
     */
    private void flushEarly(long now) {
        if (flush == null || position() - windowFrom < EARLY_FLUSH) return;
        boolean idle = 2 * windowBusy < now - windowStart;
        boolean deviceIdled = idle && lastWindowIdle;
        lastWindowIdle = idle;
        windowFrom = position();
        windowStart = now;
        windowBusy = 0;
        if (!deviceIdled || (flusher != null && flusher.isAlive())) return;
        try {
            flusher = Thread.ofPlatform().daemon(true).name("tensorinit-early-flush").start(() -> {
                try {
                    flush.force();
                } catch (IOException e) {
                    if (flushFailure == null) flushFailure = e;
                } catch (RuntimeException e) {
                    // a channel that cannot flush early: the commit's flush does it all
                }
            });
        } catch (OutOfMemoryError | RuntimeException e) {
            // no thread to be had: the commit's flush does it all
        }
    }

    /** Waits for an early flush in progress; on an interrupt, leaves the interrupt set (the caller's next I/O sees it). */
    private void awaitFlush() {
        Thread f = flusher;
        if (f == null) return;
        try {
            f.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void reportFlushFailure() throws IOException {
        IOException e = flushFailure;
        if (e != null) throw new IOException(e.getMessage(), e);
    }

    /** Writes what is staged (padded to a block when direct) and cuts the file to {@link #position()}. */
    long finish() throws IOException {
        awaitFlush();
        reportFlushFailure();
        long end = position();
        if (staged > 0) {
            if (isDirect) {
                int padded = (staged + align - 1) & -align;
                stage.asSlice(staged, padded - staged).fill((byte) 0);
                writeDirect(stage.asSlice(0, padded).asByteBuffer(), base); // the padding is cut off below
            } else {
                writeFully(file::write, stage.asSlice(0, staged).asByteBuffer(), base);
            }
            base += staged;
            staged = 0;
        }
        if (file.size() != end) file.truncate(end);
        return end;
    }

    private void copyIn(ByteBuffer src, int n) {
        MemorySegment.copy(MemorySegment.ofBuffer(src.slice(src.position(), n)), 0, stage, staged, n);
        src.position(src.position() + n);
        staged += n;
        copied += n;
    }

    /** Writes stage[0, n) at base; n is a multiple of the alignment, or anything once direct writes are off. */
    private void flushStage(int n) throws IOException {
        if (n == 0) return;
        ByteBuffer b = stage.asSlice(0, n).asByteBuffer();
        if (isDirect) writeDirect(b, base);
        else writeFully(file::write, b, base);
        int rest = staged - n;
        if (rest > 0) MemorySegment.copy(stage, n, stage, 0, rest);
        base += n;
        staged = rest;
    }

    /** A direct write; on failure, the same bytes through the page cache, and direct writes stop for good. */
    private void writeDirect(ByteBuffer b, long position) throws IOException {
        int start = b.position();
        try {
            writeFully(direct, b, position);
        } catch (IOException e) {
            isDirect = false;
            b.position(start);
            writeFully(file::write, b, position);
        }
    }

    private static void writeFully(Positional ch, ByteBuffer b, long position) throws IOException {
        long at = position;
        while (b.hasRemaining()) at += ch.write(b, at);
    }

    /** Idempotent: a commit closes it, and the file's close after that again. */
    @Override public void close() {
        awaitFlush();   // (a flush in progress ends before its descriptor closes)
        closeQuietly(directChannel);
        if (arena.scope().isAlive()) arena.close();
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            if (ch != null) ch.close();
        } catch (IOException e) {
            // nothing was pending on it: every write is synchronous
        }
    }
}
