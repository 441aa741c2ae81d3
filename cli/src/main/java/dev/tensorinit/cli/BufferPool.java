package dev.tensorinit.cli;

import dev.tensorinit.spi.Backend;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A few equal native buffers, allocated when first needed and reused for the life of the pool. Fresh pages are
 * slow to fault in on these machines (0.3-1.6 GB/s), and writing a file from a buffer that was just written is
 * faster than from cold memory; so a stream of any length touches only {@code capacity × bufferBytes} of memory,
 * once. A buffer is allocated at the size its first use needs (a tiny tensor does not take a whole piece) and
 * grown, freeing the smaller one, when a later use needs more. Used by one thread at a time.
 */
final class BufferPool implements AutoCloseable {
    private final Backend backend;
    private final long bufferBytes;
    private final long slack;
    private final Arena[] arenas;
    private final MemorySegment[] buffers;

    /**
     * Buffers come from {@code backend.allocateHost}: the host memory it fills fastest (pinned, for CUDA). A buffer
     * may be asked for up to {@code slack} bytes beyond {@code bufferBytes}, room to place its data at an offset.
     */
    BufferPool(Backend backend, long bufferBytes, int capacity, long slack) {
        this.backend = java.util.Objects.requireNonNull(backend, "backend");
        if (bufferBytes < 1) throw new IllegalArgumentException("buffer size must be >= 1 byte, got " + bufferBytes);
        if (capacity < 1) throw new IllegalArgumentException("pool capacity must be >= 1, got " + capacity);
        if (slack < 0) throw new IllegalArgumentException("slack must be >= 0, got " + slack);
        this.slack = slack;
        this.bufferBytes = bufferBytes;
        this.arenas = new Arena[capacity];
        this.buffers = new MemorySegment[capacity];
    }

    long bufferBytes() { return bufferBytes; }

    int capacity() { return buffers.length; }

    /** Buffer {@code i} with room for at least {@code bytes} (at most bufferBytes + slack), allocated or grown if needed. */
    MemorySegment get(int i, long bytes) {
        if (bytes < 1 || bytes > bufferBytes + slack) throw new IllegalArgumentException("a buffer holds 1 to " + (bufferBytes + slack) + " bytes, asked for " + bytes);
        if (buffers[i] == null || buffers[i].byteSize() < bytes) {
            if (arenas[i] != null) arenas[i].close();
            buffers[i] = null;
            arenas[i] = Arena.ofShared();
            buffers[i] = backend.allocateHost(arenas[i], bytes);
        }
        return buffers[i];
    }

    /** Bytes currently allocated. */
    long allocatedBytes() {
        long sum = 0;
        for (MemorySegment b : buffers) if (b != null) sum += b.byteSize();
        return sum;
    }

    @Override public void close() {
        for (int i = 0; i < arenas.length; i++) {
            if (arenas[i] != null) arenas[i].close();
            arenas[i] = null;
            buffers[i] = null;
        }
    }
}
