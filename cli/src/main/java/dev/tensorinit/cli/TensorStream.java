package dev.tensorinit.cli;

import dev.tensorinit.FillRequest;
import dev.tensorinit.spi.Backend;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.WritableByteChannel;
import java.util.function.LongConsumer;

/**
 * Writes the data bytes of one fill request (row-major region order, little-endian) to a channel,
 * with the values a backend computes. Every writer of tensor data (fill, model) goes through here, so
 * how the bytes are produced (whole buffer, pieces, overlap of filling and writing) is one decision.
 *
 * <p>This first version fills the whole region into one off-heap buffer, then writes it.
 */
final class TensorStream {
    private final Backend backend;
    private final long fillPiece;
    private final SegmentWriter writer;

    /** {@code fillPiece} 0 picks {@link HostFill#pieceFor}; {@code writeChunk} is SegmentWriter's chunk. */
    TensorStream(Backend backend, long fillPiece, long writeChunk) {
        this.backend = backend;
        this.fillPiece = fillPiece;
        this.writer = new SegmentWriter(writeChunk);
    }

    /** Writes {@code request.byteSize()} bytes; {@code progress} receives the bytes written so far. */
    void write(FillRequest request, WritableByteChannel out, LongConsumer progress) throws IOException {
        try (Arena arena = Arena.ofShared()) {
            long piece = fillPiece > 0 ? fillPiece : HostFill.pieceFor(request.count());
            MemorySegment data = HostFill.fill(backend, arena, request, piece, n -> { });
            writer.write(out, data, request.dtype().bytes(), progress);
        }
    }
}
