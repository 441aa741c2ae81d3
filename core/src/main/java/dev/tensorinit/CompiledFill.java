package dev.tensorinit;

import dev.tensorinit.kernel.KernelArgs;

import java.util.Objects;

/**
 * A fill request checked and compiled once: the kernel arguments every backend receives, where each
 * destination element comes from, and how the destination is cut into pieces. Every backend and the
 * command line use this one object, so there is one chunker and one validation:
 * {@link #of(FillRequest)} either returns a fill that can run, or throws IllegalArgumentException
 * naming what is wrong (a region outside the tensor, a byte size past 2^63, an init that does not
 * resolve against the shape, parameters the dtype cannot hold).
 *
 * <p>Geometry: destination element {@code d} holds global (row-major) element
 * {@code first + (d / width) · rowStride + d % width}. A whole tensor or a range is one row of
 * {@code count} elements; a tile is {@code rows} rows of {@code width} elements, {@code rowStride}
 * (the tensor's column count) apart.
 */
public final class CompiledFill {
    private final FillRequest request;
    private final KernelArgs args;
    private final long count;
    private final long first, rowStride, width, rows;

    private CompiledFill(FillRequest request, KernelArgs args) {
        this.request = request;
        this.args = args;
        this.count = request.count();
        switch (request.region()) {
            case Region.Whole w -> { first = 0; rowStride = 0; width = count; rows = 1; }
            case Region.Range r -> { first = r.start(); rowStride = 0; width = count; rows = 1; }
            case Region.Tile t -> {
                long cols = request.shape().dim(1);
                first = t.row0() * cols + t.col0();   // < elements: no overflow
                rowStride = cols;
                width = t.cols();
                rows = t.rows();
            }
        }
    }

    /** Compiles a request; throws IllegalArgumentException, naming the problem, when it cannot run. */
    public static CompiledFill of(FillRequest request) {
        Objects.requireNonNull(request, "request");
        request.byteSize();   // throws past 2^63-1 bytes
        return new CompiledFill(request, request.kernelArgs());
    }

    /** The same fill over another region of the same tensor, without resolving the init again. */
    private CompiledFill withRegion(Region region) {
        return new CompiledFill(request.withRegion(region), args);
    }

    public FillRequest request() { return request; }
    public KernelArgs args() { return args; }
    public DType dtype() { return request.dtype(); }
    public long count() { return count; }
    public long byteSize() { return count * request.dtype().bytes(); }

    /** The global index of destination element 0. */
    public long first() { return first; }
    /** Global elements from one row to the next (the tensor's column count for a tile, else 0). */
    public long rowStride() { return rowStride; }
    /** Destination elements per row. */
    public long width() { return width; }
    /** Rows of the destination (1 unless a tile). */
    public long rows() { return rows; }

    /** The global index of destination element {@code d}. */
    public long globalIndex(long d) {
        if (d < 0 || d >= count) throw new IndexOutOfBoundsException("element " + d + " of a fill of " + count);
        return first + (d / width) * rowStride + d % width;
    }

    /** Receives destination elements as contiguous runs of global indices. */
    @FunctionalInterface
    public interface Runs {
        /** Global elements [first, first + count) go to destination elements [dst, dst + count). */
        void run(long first, long count, long dst);
    }

    /** Receives destination elements as runs and as blocks of whole rows (which a device can fill in one launch). */
    public interface Spans extends Runs {
        /**
         * {@code rows} rows of {@code width} elements: row r is global elements starting at
         * {@code first + r·stride}, going to destination elements from {@code dst + r·width}.
         * By default one run per row.
         */
        default void rows(long first, long stride, long width, long rows, long dst) {
            for (long r = 0; r < rows; r++) run(first + r * stride, width, dst + r * width);
        }
    }

    /**
     * Visits destination elements [from, to) in order: for a tile, the rest of a row, then whole rows
     * as one block, then the start of a row; otherwise one run.
     */
    public void spans(long from, long to, Spans s) {
        if (from < 0 || to > count || from > to) {
            throw new IndexOutOfBoundsException("[" + from + ", " + to + ") is outside a fill of " + count);
        }
        if (from == to) return;
        if (rows == 1) {
            s.run(first + from, to - from, from);
            return;
        }
        long d = from;
        long col = d % width;
        if (col != 0) {   // the rest of a row
            long n = Math.min(width - col, to - d);
            s.run(globalIndex(d), n, d);
            d += n;
        }
        long full = (to - d) / width;
        if (full > 0) {
            s.rows(globalIndex(d), rowStride, width, full, d);
            d += full * width;
        }
        if (d < to) s.run(globalIndex(d), to - d, d);   // the start of a row
    }

    /** Visits destination elements [from, to) as contiguous runs, in order. */
    public void forEachRun(long from, long to, Runs runs) {
        spans(from, to, runs::run);
    }

    /** A piece of a fill: destination elements [dstFrom, dstFrom + fill.count()) are {@code fill}. */
    public record Piece(long dstFrom, CompiledFill fill) {}

    /**
     * Cuts the destination into consecutive pieces of at most {@code maxElements}, each the fill of a
     * region of its own: a sub-range, or for a tile a band of whole rows (or part of one row when a row
     * is longer than the piece). Values depend only on the global index, so the pieces written one
     * after another are exactly this fill. Pieces are made on demand: 2^40 elements cost no list.
     */
    public Pieces pieces(long maxElements) {
        return new Pieces(this, maxElements, 0);
    }

    /**
     * As {@link #pieces(long)}, with the cuts of a flat range (one row) moved {@code lead} elements earlier: the first
     * piece is {@code lead} elements shorter, and every later one starts where {@code lead + dstFrom} is a multiple of
     * {@code maxElements}. A writer whose data starts {@code lead} elements past a block boundary of its file (behind a
     * header) gets pieces that start and end on block boundaries, which direct I/O writes with no copy and no extra
     * round trip. Tiles keep their bands of whole rows and ignore it. {@code 0 <= lead < maxElements}.
     */
    public Pieces pieces(long maxElements, long lead) {
        return new Pieces(this, maxElements, lead);
    }

    /** The pieces of a fill, by index; iterable in destination order. */
    public static final class Pieces implements Iterable<Piece> {
        private final CompiledFill fill;
        private final long max;
        private final long count;
        /** Ranges only: how much shorter the first piece is. */
        private final long lead;
        /** Tiles only: rows per band (rows no longer than a piece), or pieces per row (longer rows). */
        private final long band, perRow;

        private Pieces(CompiledFill fill, long maxElements, long lead) {
            if (maxElements < 1) throw new IllegalArgumentException("piece size must be >= 1, got " + maxElements);
            if (lead < 0 || lead >= maxElements) {
                throw new IllegalArgumentException("lead must be in [0, " + maxElements + "), got " + lead);
            }
            this.fill = fill;
            this.max = maxElements;
            this.lead = fill.rows == 1 ? lead : 0;
            if (fill.rows == 1) {
                band = perRow = 0;
                count = ceilDiv(fill.count + this.lead, max);   // (count <= 2^62 elements: no overflow)
            } else if (fill.width <= max) {
                band = max / fill.width;
                perRow = 0;
                count = ceilDiv(fill.rows, band);
            } else {
                band = 0;
                perRow = ceilDiv(fill.width, max);
                count = Math.multiplyExact(fill.rows, perRow);
            }
        }

        /** Number of pieces. */
        public long count() { return count; }

        /** Piece {@code k}, 0 <= k < count(). */
        public Piece get(long k) {
            if (k < 0 || k >= count) throw new IndexOutOfBoundsException("piece " + k + " of " + count);
            if (count == 1) return new Piece(0, fill);
            if (fill.rows == 1) {
                long d = Math.max(0, k * max - lead), n = Math.min((k + 1) * max - lead, fill.count) - d;
                return new Piece(d, fill.withRegion(Region.range(fill.first + d, fill.first + d + n)));
            }
            Region.Tile t = (Region.Tile) fill.request.region();
            if (band > 0) {
                long r = k * band;
                return new Piece(r * fill.width, fill.withRegion(Region.tile(t.row0() + r, Math.min(t.row1(), t.row0() + r + band), t.col0(), t.col1())));
            }
            long row = k / perRow, c = (k % perRow) * max, n = Math.min(max, fill.width - c);
            long d = row * fill.width + c, g = fill.globalIndex(d);
            return new Piece(d, fill.withRegion(Region.range(g, g + n)));
        }

        @Override public java.util.Iterator<Piece> iterator() {
            return new java.util.Iterator<>() {
                private long next;
                @Override public boolean hasNext() { return next < count; }
                @Override public Piece next() {
                    if (next >= count) throw new java.util.NoSuchElementException();
                    return get(next++);
                }
            };
        }

        private static long ceilDiv(long a, long b) {
            return a / b + (a % b == 0 ? 0 : 1);
        }
    }
}
