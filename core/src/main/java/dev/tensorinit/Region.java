package dev.tensorinit;

/**
 * Which part of a tensor a fill writes. The values are always those of the whole tensor at the same
 * global (row-major) indices, so a shard equals the same slice of the whole. {@link CompiledFill}
 * maps destination elements to global indices and cuts fills into pieces.
 */
public sealed interface Region {

    /** Elements this region holds. */
    long count(Shape shape);

    /** Throws IllegalArgumentException when the region does not fit the shape. */
    void check(Shape shape);

    static Region whole() { return Whole.INSTANCE; }

    static Region range(long start, long end) { return new Range(start, end); }

    static Region tile(long row0, long row1, long col0, long col1) { return new Tile(row0, row1, col0, col1); }

    /** The whole tensor. */
    enum Whole implements Region {
        INSTANCE;
        public long count(Shape s) { return s.elements(); }
        public void check(Shape s) {}
        @Override public String toString() { return "whole"; }
    }

    /** Flat global elements [start, end) of the row-major tensor. */
    record Range(long start, long end) implements Region {
        public Range {
            if (start < 0 || end <= start) {
                throw new IllegalArgumentException("range [" + start + ", " + end + ") is empty or negative");
            }
        }
        public long count(Shape s) { return end - start; }
        public void check(Shape s) {
            if (end > s.elements()) {
                throw new IllegalArgumentException("range [" + start + ", " + end + ") is outside the tensor " + s
                        + " of " + s.elements() + " elements");
            }
        }
        @Override public String toString() { return start + ":" + end; }
    }

    /** Rows [row0, row1) × cols [col0, col1) of a 2-D [R, C] tensor, stored row-major as a (row1-row0)×(col1-col0) tile. */
    record Tile(long row0, long row1, long col0, long col1) implements Region {
        public Tile {
            if (row0 < 0 || row1 <= row0) throw new IllegalArgumentException("tile rows [" + row0 + ", " + row1 + ") are empty or negative");
            if (col0 < 0 || col1 <= col0) throw new IllegalArgumentException("tile cols [" + col0 + ", " + col1 + ") are empty or negative");
        }
        public long rows() { return row1 - row0; }
        public long cols() { return col1 - col0; }
        public long count(Shape s) {
            try {
                return Math.multiplyExact(rows(), cols());
            } catch (ArithmeticException e) {   // only a tile no tensor could hold: check() refuses it too
                throw new IllegalArgumentException("tile " + this + " holds more than 2^63-1 elements", e);
            }
        }
        public void check(Shape s) {
            if (s.rank() != 2) throw new IllegalArgumentException("a tile needs a 2-D tensor, got shape " + s);
            if (row1 > s.dim(0) || col1 > s.dim(1)) {
                throw new IllegalArgumentException("tile rows " + row0 + ":" + row1 + " cols " + col0 + ":" + col1
                        + " is outside the tensor " + s);
            }
        }
        @Override public String toString() { return "rows " + row0 + ":" + row1 + " cols " + col0 + ":" + col1; }
    }
}
