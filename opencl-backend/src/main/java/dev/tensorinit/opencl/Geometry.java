package dev.tensorinit.opencl;

import dev.tensorinit.FillRequest;
import dev.tensorinit.Region;

/**
 * Where destination element d comes from: global index first + (d / width) * rowStride + d % width.
 * A whole tensor or a range is one row; a tile is {@code rows} rows of {@code width} elements,
 * {@code rowStride} apart (the tensor's column count).
 */
record Geometry(long first, long rowStride, long width, long rows) {

    static Geometry of(FillRequest r) {
        return switch (r.region()) {
            case Region.Whole w -> new Geometry(0, 0, r.shape().elements(), 1);
            case Region.Range g -> new Geometry(g.start(), 0, g.end() - g.start(), 1);
            case Region.Tile t -> new Geometry(Math.addExact(Math.multiplyExact(t.row0(), r.shape().dim(1)), t.col0()),
                    r.shape().dim(1), t.cols(), t.rows());
        };
    }

    long count() { return Math.multiplyExact(width, rows); }

    /** The global index of destination element d. */
    long global(long d) { return first + (d / width) * rowStride + d % width; }
}
