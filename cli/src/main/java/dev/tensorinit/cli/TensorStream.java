package dev.tensorinit.cli;

import dev.tensorinit.CompiledFill;
import dev.tensorinit.FillRequest;
import dev.tensorinit.spi.Backend;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.WritableByteChannel;
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
 * writing overlap, and the memory held is the pool's whatever the tensor's size. A request that fits in one
 * buffer is filled and written on the calling thread. The pool lives as long as the stream, so many tensors
 * written through one stream reuse the same, already-touched buffers.
 *
 * <p>When the channel is a {@link FileAppender}, each piece is placed in its buffer at the offset that gives it
 * the address its file position has modulo the file's alignment: direct I/O then writes it from there, without
 * a copy ({@link DirectAppend}).
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
        Placement at = out instanceof FileAppender f
                ? new Placement(f.position(), Math.min(f.alignment(request.byteSize()), DirectAppend.STAGE)) // the pool's slack
                : Placement.ANY;
        CompiledFill.Pieces cut = request.compile().pieces(Math.max(1, pool.bufferBytes() / size));
        if (cut.count() == 1) {
            writeAlone(request, out, progress, observer, at);
        } else {
            new Run(cut, size, out, progress, observer, at).run();
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

    /** One piece: no thread, a buffer of just its size. */
    private void writeAlone(FillRequest request, WritableByteChannel out, LongConsumer progress, PieceObserver observer, Placement at) throws IOException {
        MemorySegment data = at.place(pool.get(0, request.byteSize() + at.slack()), 0, request.byteSize(), request.dtype().bytes());
        long t0 = System.nanoTime();
        backend.fill(request, data);
        long t1 = System.nanoTime();
        observer.piece(0, data);
        writer.write(out, data, request.dtype().bytes(), progress);
        fillNanos += t1 - t0;
        waitNanos += t1 - t0; // nothing to write until the one piece is filled
        writeNanos += System.nanoTime() - t1;
        pieces++;
        bytes += data.byteSize();
    }

    /** A filled buffer (and its piece's data in it) handed from the fill thread to the writer, or the fill thread's failure. */
    private record Filled(CompiledFill.Piece piece, MemorySegment buffer, MemorySegment data, Throwable failure) {}

    /** One request in flight: the fill thread's loop and the writer's loop, joined by two queues. */
    private final class Run {
        private final CompiledFill.Pieces cut;
        private final int size;
        private final WritableByteChannel out;
        private final LongConsumer progress;
        private final PieceObserver observer;
        private final Placement at;
        // Capacity buffers + 1: puts never block, and the stop signal below always finds room.
        private final BlockingQueue<MemorySegment> free;
        private final BlockingQueue<Filled> filled;
        private final AtomicBoolean stop = new AtomicBoolean();
        private long runFillNanos; // written by the fill thread, read after join

        Run(CompiledFill.Pieces cut, int size, WritableByteChannel out, LongConsumer progress, PieceObserver observer, Placement at) {
            this.cut = cut;
            this.at = at;
            this.size = size;
            this.out = out;
            this.progress = progress;
            this.observer = observer;
            int n = (int) Math.min(pool.capacity(), cut.count());
            free = new ArrayBlockingQueue<>(n + 1);
            filled = new ArrayBlockingQueue<>(n + 1);
            long bytes = cut.get(0).fill().byteSize(); // the first piece is a largest one
            for (int i = 0; i < n; i++) free.add(pool.get(i, bytes + at.slack()));
        }

        void run() throws IOException {
            Thread filler = Thread.ofPlatform().name("tensorinit-fill").daemon(true).start(this::fillAll);
            long done = 0;
            try {
                for (long k = 0; k < cut.count(); k++) {
                    long t0 = System.nanoTime();
                    Filled f = filled.take();
                    long t1 = System.nanoTime();
                    waitNanos += t1 - t0;
                    if (f.failure() != null) throw rethrow(f.failure());
                    MemorySegment data = f.data();
                    observer.piece(f.piece().dstFrom(), data);
                    long base = done;
                    writer.write(out, data, size, w -> progress.accept(base + w));
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
                // its current piece (never interrupt a backend mid-fill: its workers could still be writing).
                stop.set(true);
                free.offer(MemorySegment.NULL);
                joinUninterruptibly(filler);
                fillNanos += runFillNanos;
                bytes += done;
            }
        }

        private void fillAll() {
            try {
                long offset = 0;
                for (CompiledFill.Piece p : cut) {
                    MemorySegment buffer = free.take();
                    if (stop.get()) return;
                    MemorySegment data = at.place(buffer, offset, p.fill().byteSize(), size);
                    long t0 = System.nanoTime();
                    backend.fill(p.fill().request(), data);
                    runFillNanos += System.nanoTime() - t0;
                    filled.add(new Filled(p, buffer, data, null));
                    offset += data.byteSize();
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
