package dev.tensorinit.cli;

import dev.tensorinit.FillRequest;
import dev.tensorinit.NativeMemory;
import dev.tensorinit.Region;
import dev.tensorinit.spi.Backend;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Fills a request into fresh off-heap memory, in pieces of at most {@code maxPiece} elements so a
 * progress bar can move. Values depend only on the global index, so cutting the region into
 * sub-ranges (or row bands of a tile) writes exactly the bytes of one fill of the whole region.
 */
final class HostFill {
    /** Pieces of at least 2^22 elements (16 MiB of f32), so per-call costs stay negligible... */
    static final long MIN_PIECE = 1L << 22;
    /** ...and at most 2^27, so the progress bar moves; in between, about 1/64 of the fill. */
    static final long MAX_PIECE = 1L << 27;

    /** The piece size for a fill of {@code count} elements. */
    static long pieceFor(long count) {
        return Math.clamp(count / 64, MIN_PIECE, MAX_PIECE);
    }

    /** A piece of a fill: its sub-request and where it starts in the destination, in elements. */
    record Piece(FillRequest request, long dstIndex) {}

    private HostFill() {}

    static MemorySegment fill(Backend backend, Arena arena, FillRequest req, long maxPiece, LongConsumer progress) {
        if (req.count() <= maxPiece) {
            MemorySegment seg = backend.allocateAndFill(arena, req);
            progress.accept(req.count());
            return seg;
        }
        MemorySegment seg = NativeMemory.allocateUninitialized(arena, req.byteSize(), 64);
        int size = req.dtype().bytes();
        long done = 0;
        for (Piece p : pieces(req, maxPiece)) {
            backend.fill(p.request(), seg.asSlice(p.dstIndex() * size, p.request().byteSize()));
            done += p.request().count();
            progress.accept(done);
        }
        return seg;
    }

    static List<Piece> pieces(FillRequest req, long maxPiece) {
        if (maxPiece < 1) throw new IllegalArgumentException("piece size must be >= 1, got " + maxPiece);
        List<Piece> out = new ArrayList<>();
        switch (req.region()) {
            case Region.Tile t -> {
                long band = Math.max(1, maxPiece / t.cols());
                for (long r = t.row0(); r < t.row1(); r += band) {
                    long r1 = Math.min(t.row1(), r + band);
                    out.add(new Piece(req.withRegion(Region.tile(r, r1, t.col0(), t.col1())), (r - t.row0()) * t.cols()));
                }
            }
            case Region.Range g -> ranges(req, g.start(), g.end(), maxPiece, out);
            case Region.Whole w -> ranges(req, 0, req.shape().elements(), maxPiece, out);
        }
        return out;
    }

    private static void ranges(FillRequest req, long start, long end, long maxPiece, List<Piece> out) {
        for (long g = start; g < end; g += Math.min(maxPiece, end - g)) {
            out.add(new Piece(req.withRegion(Region.range(g, g + Math.min(maxPiece, end - g))), g - start));
        }
    }
}
