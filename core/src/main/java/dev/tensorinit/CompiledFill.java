package dev.tensorinit;

import dev.tensorinit.kernel.KernelArgs;

import java.util.ArrayList;
import java.util.List;
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
     * after another are exactly this fill.
     */
    public List<Piece> pieces(long maxElements) {
        if (maxElements < 1) throw new IllegalArgumentException("piece size must be >= 1, got " + maxElements);
        List<Piece> out = new ArrayList<>();
        if (count <= maxElements) {
            out.add(new Piece(0, this));
        } else if (rows == 1) {
            for (long d = 0; d < count; d += maxElements) {
                long n = Math.min(maxElements, count - d);
                out.add(new Piece(d, withRegion(Region.range(first + d, first + d + n))));
            }
        } else {
            Region.Tile t = (Region.Tile) request.region();
            if (maxElements >= width) {
                long band = maxElements / width;
                for (long r = 0; r < rows; r += band) {
                    long r1 = Math.min(rows, r + band);
                    out.add(new Piece(r * width, withRegion(Region.tile(t.row0() + r, t.row0() + r1, t.col0(), t.col1()))));
                }
            } else {
                for (long d = 0; d < count; ) {
                    long n = Math.min(maxElements, width - d % width);
                    long g = globalIndex(d);
                    out.add(new Piece(d, withRegion(Region.range(g, g + n))));
                    d += n;
                }
            }
        }
        return out;
    }
}
