package dev.tensorinit.cli;

import dev.tensorinit.CompiledFill;
import dev.tensorinit.FillRequest;
import dev.tensorinit.spi.Backend;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;

/**
 * Writes the data bytes of fill requests (row-major region order, little-endian) to a channel, with the values
 * a backend computes. Every writer of tensor data (fill, model) goes through here.
 *
 * <p>A request is cut into pieces ({@link CompiledFill#pieces}) that a fill thread fills, one after another, into a small pool
 * of reused buffers ({@link BufferPool}), while the calling thread writes the filled ones in order: filling and
 * writing overlap, and the memory held is the pool's whatever the tensor's size. Many requests written as one stream
 * ({@link #writeAll}) share buffers: small tensors are packed into one. What fits in one buffer is filled and
 * written on the calling thread. The pool lives as long as the stream, so many tensors
 * written through one stream reuse the same, already-touched buffers.
 *
 * <p>When the channel is a {@link FileAppender}, each piece is placed in its buffer at the offset that gives it
 * the address its file position has modulo the file's alignment: direct I/O then writes it from there, without
 * a copy ({@link DirectAppend}), and it hears of the stream's bytes first ({@link FileAppender#expect}), so that it opens
 * direct I/O while the first piece fills instead of after.
 */
final class TensorStream implements AutoCloseable {

    /** Sees each piece's values before they are written (in order, on the writing thread). */
    @FunctionalInterface
    interface PieceObserver {
        PieceObserver NONE = (first, data) -> { };

        /** {@code data} holds elements [first, ...) of the region, native byte order; valid only during the call. */
        void piece(long first, MemorySegment data);
    }

    /**
     * Totals over every write so far: pieces, data bytes, time in the backend's fill, time writing (the channel and
     * the observer), and time the writer waited with nothing to write (for a one-piece request: its whole fill).
     */
    record Stats(long pieces, long bytes, long fillNanos, long writeNanos, long waitNanos) {}

    private final Backend backend;
    private final BufferPool pool;
    private final SegmentWriter writer;
    private long pieces, bytes, fillNanos, writeNanos, waitNanos;
    private boolean closed;

    TensorStream(Backend backend, StreamMemory memory, SegmentWriter writer) {
        this.backend = backend;
        this.writer = writer;
        this.pool = new BufferPool(backend, memory.bufferBytes(), memory.buffers(), DirectAppend.STAGE);
    }

    TensorStream(Backend backend, StreamMemory memory) {
        this(backend, memory, new SegmentWriter(SegmentWriter.DEFAULT_CHUNK));
    }

    /** Writes {@code request.byteSize()} bytes; {@code progress} receives the bytes written so far. */
    void write(FillRequest request, WritableByteChannel out, LongConsumer progress) throws IOException {
        write(request, out, progress, PieceObserver.NONE);
    }

    /** As {@link #write(FillRequest, WritableByteChannel, LongConsumer)}, showing every piece to {@code observer} first. */
    void write(FillRequest request, WritableByteChannel out, LongConsumer progress, PieceObserver observer) throws IOException {
        if (closed) throw new IllegalStateException("the tensor stream is closed");
        backend.prepare(request);   // the whole tensor, before its pieces: the backend may warm up for it
        int size = request.dtype().bytes();
        long perPiece = Math.max(1, pool.bufferBytes() / size);
        long at = out instanceof FileAppender f ? f.position() : 0, dataBytes = request.byteSize();
        CompiledFill.Pieces cut = request.compile().pieces(perPiece, lead(at, alignment(out, dataBytes), dataBytes, perPiece, size));
        // Each piece a batch of its own (made as needed: a 2^40-element tensor costs no list).
        Iterable<Batch> batches = () -> new java.util.Iterator<>() {
            private final java.util.Iterator<CompiledFill.Piece> pieces = cut.iterator();
            private long offset;

            @Override public boolean hasNext() { return pieces.hasNext(); }

            @Override public Batch next() {
                CompiledFill.Piece p = pieces.next();
                Batch b = new Batch(List.of(new Part(p.fill(), p.dstFrom(), 0)), offset, p.fill().byteSize(), size);
                offset += b.bytes();
                return b;
            }
        };
        long largest = cut.get(0).fill().byteSize();   // a largest piece: the first, or after a shorter first one the second
        if (cut.count() > 1) largest = Math.max(largest, cut.get(1).fill().byteSize());
        run(batches, cut.count(), largest, request.byteSize(), out, progress, observer);
    }

    /**
     * How much shorter the first piece should be so that the later ones start on the file's block boundaries: the
     * data's elements past the boundary before it (a .npy header is 128 bytes: 32 f32 elements). Each piece then goes to
     * disk in place, whole blocks only; cut from the data's start instead, every piece began and ended inside a block,
     * and direct I/O wrote that block through the staging copy with a round trip of its own, 4 KiB at a time (two
     * writes per piece where one does). {@code at} is the file position of the request's first byte, {@code bytes} its
     * size. 0 where pieces of {@code perPiece} elements are not whole blocks, the position is not a whole number of
     * elements, or the data fits in one piece (it would become two).
     */
    private static long lead(long at, long align, long bytes, long perPiece, int size) {
        if (align <= 1 || bytes <= perPiece * size || (perPiece * size) % align != 0) return 0;
        long past = Math.floorMod(at, align);
        return past % size == 0 ? past / size : 0;
    }

    /** The alignment direct I/O will want for a stream of {@code bytes} to {@code out}, at most the pool's slack; 1 for any. */
    private static long alignment(WritableByteChannel out, long bytes) {
        return out instanceof FileAppender f ? Math.min(f.alignment(bytes), DirectAppend.STAGE) : 1;
    }

    /**
     * Writes the requests' bytes one after another, as one stream: pieces of several small tensors share a buffer and
     * one write, and a tensor's fill overlaps the writing of the ones before it (a checkpoint shard of thousands of
     * MoE experts used to fill and write each alone, on one core, the disk idle while it filled). The requests are
     * announced to the backend first. {@code progress} receives the bytes written so far.
     */
    void writeAll(List<FillRequest> requests, WritableByteChannel out, LongConsumer progress) throws IOException {
        if (closed) throw new IllegalStateException("the tensor stream is closed");
        long total = 0;
        for (FillRequest r : requests) {
            backend.prepare(r);
            total = Math.addExact(total, r.byteSize());
        }
        List<Batch> batches = new ArrayList<>();
        List<Part> parts = new ArrayList<>();
        long offset = 0, used = 0;
        long start = out instanceof FileAppender f ? f.position() : 0, align = alignment(out, total);
        int size = 0;   // the batch's element size: one dtype per batch, so the writer's whole-element checks hold
        for (FillRequest r : requests) {
            int elementBytes = r.dtype().bytes();
            long perPiece = Math.max(1, pool.bufferBytes() / elementBytes);
            // A tensor of many pieces is cut on the file's block boundaries wherever it starts (see lead): a checkpoint's
            // big tensors follow small ones at any offset, and every piece of them took a staged 4 KiB write of its own.
            long lead = lead(start + offset + used, align, r.byteSize(), perPiece, elementBytes);
            for (CompiledFill.Piece p : r.compile().pieces(perPiece, lead)) {
                long bytes = p.fill().byteSize();
                if (used > 0 && (bytes > pool.bufferBytes() - used || elementBytes != size)) {
                    batches.add(new Batch(parts, offset, used, size));
                    offset += used;
                    parts = new ArrayList<>();
                    used = 0;
                }
                size = elementBytes;
                parts.add(new Part(p.fill(), p.dstFrom(), used));
                used += bytes;
            }
        }
        if (used > 0) batches.add(new Batch(parts, offset, used, size));
        long largest = batches.stream().mapToLong(Batch::bytes).max().orElse(0);
        run(batches, batches.size(), largest, total, out, progress, PieceObserver.NONE);
    }

    /**
     * A piece of a request and where its bytes go in its batch's buffer; {@code first} is its first element in the
     * request's region (what the observer is told).
     */
    private record Part(CompiledFill fill, long first, long offset) {}

    /** Parts filled into one buffer and written with one call: bytes [offset, offset + bytes) of the stream. */
    private record Batch(List<Part> parts, long offset, long bytes, int elementBytes) {}

    /** Writes {@code count} batches of at most {@code largest} bytes each, {@code totalBytes} in all. */
    private void run(Iterable<Batch> batches, long count, long largest, long totalBytes, WritableByteChannel out, LongConsumer progress,
                     PieceObserver observer) throws IOException {
        if (count == 0) return;
        Placement at = out instanceof FileAppender f
                ? new Placement(f.position(), (int) alignment(out, totalBytes)) // at most the pool's slack
                : Placement.ANY;
        if (count == 1) {
            writeAlone(batches.iterator().next(), out, progress, observer, at);
        } else {
            new Run(batches, count, largest, totalBytes, out, progress, observer, at).run();
        }
    }

    /** Where the data starts in the file, and the alignment its address should share with that position. */
    private record Placement(long position, int alignment) {
        static final Placement ANY = new Placement(0, 1);

        /** Room a buffer needs beyond the data for it. */
        int slack() { return alignment - 1; }

        /** The data of bytes [offset, offset + bytes) of the run, placed in {@code buffer}. */
        MemorySegment place(MemorySegment buffer, long offset, long bytes, int elementBytes) {
            long lead = Math.floorMod(position + offset - buffer.address(), (long) alignment);
            if (lead % elementBytes != 0) lead = 0; // never misalign elements: the writer copies instead
            return buffer.asSlice(lead, bytes);
        }
    }

    Stats stats() { return new Stats(pieces, bytes, fillNanos, writeNanos, waitNanos); }

    /** Bytes of buffers held now. */
    long bufferBytes() { return pool.allocatedBytes(); }

    /** Fills the batch's parts into {@code data} (the batch's bytes) on this thread; returns the time in the backend. */
    private long fill(Batch b, MemorySegment data) {
        long t0 = System.nanoTime();
        for (Part p : b.parts()) backend.fill(p.fill().request(), data.asSlice(p.offset(), p.fill().byteSize()));
        return System.nanoTime() - t0;
    }

    /** Shows each part's values to the observer, in order. */
    private static void observe(Batch b, MemorySegment data, PieceObserver observer) {
        if (observer == PieceObserver.NONE) return;
        for (Part p : b.parts()) observer.piece(p.first(), data.asSlice(p.offset(), p.fill().byteSize()));
    }

    /** One batch: no thread, a buffer of just its size. */
    private void writeAlone(Batch b, WritableByteChannel out, LongConsumer progress, PieceObserver observer, Placement at) throws IOException {
        MemorySegment data = at.place(pool.get(0, b.bytes() + at.slack()), b.offset(), b.bytes(), b.elementBytes());
        long filling = fill(b, data);
        long t1 = System.nanoTime();
        observe(b, data, observer);
        writer.write(out, data, b.elementBytes(), progress);
        fillNanos += filling;
        waitNanos += filling; // nothing to write until the one batch is filled
        writeNanos += System.nanoTime() - t1;
        pieces++;
        bytes += data.byteSize();
    }

    /** A filled buffer (and its batch's data in it) handed from the fill thread to the writer, or the fill thread's failure. */
    private record Filled(Batch batch, MemorySegment buffer, MemorySegment data, Throwable failure) {}

    /** One stream of batches in flight: the fill thread's loop and the writer's loop, joined by two queues. */
    private final class Run {
        private final Iterable<Batch> batches;
        private final long count;
        private final WritableByteChannel out;
        private final LongConsumer progress;
        private final PieceObserver observer;
        private final Placement at;
        private final long totalBytes;
        // Capacity buffers + 1: puts never block, and the stop signal below always finds room.
        private final BlockingQueue<MemorySegment> free;
        private final BlockingQueue<Filled> filled;
        private final AtomicBoolean stop = new AtomicBoolean();
        private long runFillNanos; // written by the fill thread, read after join

        Run(Iterable<Batch> batches, long count, long largest, long totalBytes, WritableByteChannel out, LongConsumer progress,
            PieceObserver observer, Placement at) {
            this.batches = batches;
            this.totalBytes = totalBytes;
            this.count = count;
            this.at = at;
            this.out = out;
            this.progress = progress;
            this.observer = observer;
            int n = (int) Math.min(pool.capacity(), count);
            free = new ArrayBlockingQueue<>(n + 1);
            filled = new ArrayBlockingQueue<>(n + 1);
            for (int i = 0; i < n; i++) free.add(pool.get(i, largest + at.slack()));
        }

        void run() throws IOException {
            Thread filler = Thread.ofPlatform().name("tensorinit-fill").daemon(true).start(this::fillAll);
            long done = 0;
            try {
                if (out instanceof FileAppender f) f.expect(totalBytes);   // while the first batch fills
                for (long k = 0; k < count; k++) {
                    long t0 = System.nanoTime();
                    Filled f = filled.take();
                    long t1 = System.nanoTime();
                    waitNanos += t1 - t0;
                    if (f.failure() != null) throw rethrow(f.failure());
                    MemorySegment data = f.data();
                    observe(f.batch(), data, observer);
                    long base = done;
                    writer.write(out, data, f.batch().elementBytes(), w -> progress.accept(base + w));
                    writeNanos += System.nanoTime() - t1;
                    done += data.byteSize();
                    pieces++;
                    free.add(f.buffer());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while writing the tensor");
            } finally {
                // The fill thread must be out of every buffer before the caller may free the pool: stop it after
                // its current batch (never interrupt a backend mid-fill: its workers could still be writing).
                stop.set(true);
                free.offer(MemorySegment.NULL);
                joinUninterruptibly(filler);
                fillNanos += runFillNanos;
                bytes += done;
            }
        }

        private void fillAll() {
            try {
                for (Batch b : batches) {
                    MemorySegment buffer = free.take();
                    if (stop.get()) return;
                    MemorySegment data = at.place(buffer, b.offset(), b.bytes(), b.elementBytes());
                    runFillNanos += fill(b, data);
                    filled.add(new Filled(b, buffer, data, null));
                }
            } catch (Throwable t) {
                filled.add(new Filled(null, null, null, t));
            }
        }
    }

    private static IOException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error e) throw e;
        return new IOException("the fill failed: " + t, t);
    }

    private static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    @Override public void close() {
        closed = true;
        pool.close();
    }
}
