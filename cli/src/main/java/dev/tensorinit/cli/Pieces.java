package dev.tensorinit.cli;

import dev.tensorinit.FillRequest;
import dev.tensorinit.Region;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A fill request cut into consecutive sub-requests of at most {@code maxPiece} elements, in the region's
 * row-major order. Values depend only on the global index, so filling the pieces one after another writes
 * exactly the bytes of one fill of the whole region. Ranges become sub-ranges; a tile becomes bands of whole
 * rows, or, when one row is longer than a piece, runs inside a row (flat ranges of the 2-D tensor).
 *
 * <p>Piece {@code k} is computed on demand: a tensor of 2^40 elements costs no list of pieces.
 */
final class Pieces implements Iterable<Pieces.Piece> {

    /** A piece: its sub-request and where it starts in the region's (the file's) element order. */
    record Piece(FillRequest request, long dstIndex) {}

    private final FillRequest request;
    private final long maxPiece;
    private final long count;
    /** Tiles only: rows per band (narrow rows), or pieces per row (a row longer than a piece). */
    private final long band, perRow;

    private Pieces(FillRequest request, long maxPiece) {
        if (maxPiece < 1) throw new IllegalArgumentException("piece size must be >= 1 element, got " + maxPiece);
        this.request = request;
        this.maxPiece = maxPiece;
        if (request.region() instanceof Region.Tile t) {
            boolean wide = t.cols() > maxPiece;
            band = wide ? 0 : maxPiece / t.cols();
            perRow = wide ? ceilDiv(t.cols(), maxPiece) : 0;
            count = wide ? Math.multiplyExact(t.rows(), perRow) : ceilDiv(t.rows(), band);
        } else {
            band = perRow = 0;
            count = ceilDiv(request.count(), maxPiece);
        }
    }

    static Pieces of(FillRequest request, long maxPiece) {
        return new Pieces(request, maxPiece);
    }

    /** Number of pieces. */
    long count() { return count; }

    /** Piece {@code k}, 0 <= k < count(). */
    Piece get(long k) {
        if (k < 0 || k >= count) throw new IndexOutOfBoundsException("piece " + k + " of " + count);
        return switch (request.region()) {
            case Region.Whole w -> range(0, request.count(), k);
            case Region.Range g -> range(g.start(), g.end(), k);
            case Region.Tile t -> band > 0 ? band(t, k) : rowPart(t, k);
        };
    }

    private Piece range(long start, long end, long k) {
        long from = start + k * maxPiece;
        return new Piece(request.withRegion(Region.range(from, Math.min(end, from + maxPiece))), from - start);
    }

    private Piece band(Region.Tile t, long k) {
        long r = t.row0() + k * band;
        return new Piece(request.withRegion(Region.tile(r, Math.min(t.row1(), r + band), t.col0(), t.col1())), k * band * t.cols());
    }

    /** Part of one row: global flat elements row·width + [c, c'), a contiguous run of the 2-D tensor. */
    private Piece rowPart(Region.Tile t, long k) {
        long row = k / perRow, part = k % perRow;
        long c = t.col0() + part * maxPiece, c1 = Math.min(t.col1(), c + maxPiece);
        long base = (t.row0() + row) * request.shape().dim(1);
        return new Piece(request.withRegion(Region.range(base + c, base + c1)), row * t.cols() + (c - t.col0()));
    }

    @Override public Iterator<Piece> iterator() {
        return new Iterator<>() {
            private long next;
            @Override public boolean hasNext() { return next < count; }
            @Override public Piece next() {
                if (next >= count) throw new NoSuchElementException();
                return get(next++);
            }
        };
    }

    private static long ceilDiv(long a, long b) {
        return a / b + (a % b == 0 ? 0 : 1);
    }
}
