package dev.tensorinit.cli;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.util.function.LongConsumer;

/**
 * Streams a native-order segment of any size to a channel as little-endian data, one chunk at a
 * time: a chunk is a view of the segment (no copy) on little-endian machines, and a byte-swapped
 * staging copy of one chunk elsewhere. Never more than one chunk of extra memory.
 */
final class SegmentWriter {
    /** 64 MiB: large enough for full-speed writes, and a ByteBuffer view must stay under 2 GiB. */
    static final long DEFAULT_CHUNK = 64L << 20;

    private final long chunkBytes;

    SegmentWriter(long chunkBytes) {
        if (chunkBytes < 8 || chunkBytes % 8 != 0 || chunkBytes > (1L << 30)) {
            throw new IllegalArgumentException("write chunk must be a multiple of 8 between 8 and 2^30 bytes, got " + chunkBytes);
        }
        this.chunkBytes = chunkBytes;
    }

    /** Writes all of {@code data}; {@code progress} receives the bytes written so far after each chunk. */
    void write(WritableByteChannel ch, MemorySegment data, int elementBytes, LongConsumer progress) throws IOException {
        long size = data.byteSize();
        if (size % elementBytes != 0) throw new IllegalArgumentException(size + " bytes is not a whole number of " + elementBytes + "-byte elements");
        boolean swap = elementBytes > 1 && ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN;
        try (Arena staging = Arena.ofConfined()) {
            MemorySegment buf = swap ? staging.allocate(Math.min(chunkBytes, size), 8) : null;
            for (long off = 0; off < size; off += chunkBytes) {
                long n = Math.min(chunkBytes, size - off);
                ByteBuffer bb;
                if (swap) {
                    ValueLayout nat = layout(elementBytes, ByteOrder.nativeOrder());
                    MemorySegment.copy(data, nat, off, buf, layout(elementBytes, ByteOrder.LITTLE_ENDIAN), 0, n / elementBytes);
                    bb = buf.asSlice(0, n).asByteBuffer();
                } else {
                    bb = data.asSlice(off, n).asByteBuffer();
                }
                while (bb.hasRemaining()) ch.write(bb);
                progress.accept(off + n);
            }
        }
    }

    private static ValueLayout layout(int bytes, ByteOrder order) {
        return switch (bytes) {
            case 2 -> ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(order);
            case 4 -> ValueLayout.JAVA_INT_UNALIGNED.withOrder(order);
            case 8 -> ValueLayout.JAVA_LONG_UNALIGNED.withOrder(order);
            default -> throw new IllegalArgumentException("element size " + bytes);
        };
    }
}
