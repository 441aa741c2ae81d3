package dev.tensorinit;

import java.util.Arrays;

/**
 * A tensor shape: dimensions as {@code long}, row-major. Rank 0 is a scalar (one element).
 * Every dimension must be positive and the element count must fit in a {@code long}.
 */
public final class Shape {
    private final long[] dims;
    private final long elements;

    private Shape(long[] dims) {
        long n = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] <= 0) {
                throw new IllegalArgumentException("dimension " + i + " of shape " + Arrays.toString(dims)
                        + " is " + dims[i] + ": every dimension must be positive");
            }
            try {
                n = Math.multiplyExact(n, dims[i]);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("shape " + Arrays.toString(dims)
                        + " has more than 2^63-1 elements", e);
            }
        }
        this.dims = dims;
        this.elements = n;
    }

    public static Shape of(long... dims) {
        return new Shape(dims.clone());
    }

    /** A dimension's text: ASCII digits grouped by '_' at will, or a '-' that the constructor refuses naming the value. */
    private static final java.util.regex.Pattern DIM = java.util.regex.Pattern.compile("-?[0-9][0-9_]*");

    /**
     * Parses "4096x1024", "4096,1024" or "4096 x 1024"; "scalar" is rank 0. Empty text is refused: a missing
     * value (an unset shell variable, say) must not silently become a one-element tensor.
     */
    public static Shape parse(String text) {
        if (text == null) throw new NullPointerException("shape text is null");
        String t = text.strip();
        if (t.isEmpty()) throw new IllegalArgumentException("shape '" + text + "' is empty (write dims as 4096x1024, or 'scalar' for rank 0)");
        if (t.equals("scalar")) return new Shape(new long[0]);
        String[] parts = t.split("\\s*[x,X]\\s*", -1);
        // One kind of separator: "4x4,4" may be a typo of 4x44 as well as 4x4x4.
        if (t.indexOf(',') >= 0 && (t.indexOf('x') >= 0 || t.indexOf('X') >= 0)) {
            throw new IllegalArgumentException("shape '" + text + "' mixes 'x' and ',' between dimensions (write 4096x1024 or 4096,1024)");
        }
        long[] d = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                // ASCII digits only: Long.parseLong also takes '+' and other scripts' digits ('٤x4' was 4x4).
                if (!DIM.matcher(parts[i]).matches()) throw new NumberFormatException(parts[i]);
                d[i] = Long.parseLong(parts[i].replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("shape '" + text + "': dimension '" + parts[i]
                        + "' is not an integer in range (write dims as 4096x1024 or 4096,1024)", e);
            }
        }
        return new Shape(d);
    }

    public int rank() { return dims.length; }
    public long dim(int i) { return dims[i]; }
    public long[] dims() { return dims.clone(); }
    public long elements() { return elements; }

    /** Size in bytes for the given dtype, overflow-checked. */
    public long bytes(DType dtype) {
        try {
            return Math.multiplyExact(elements, dtype.bytes());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("shape " + this + " in " + dtype.id() + " is more than 2^63-1 bytes", e);
        }
    }

    @Override public boolean equals(Object o) { return o instanceof Shape s && Arrays.equals(dims, s.dims); }
    @Override public int hashCode() { return Arrays.hashCode(dims); }

    /** "4096x1024"; "scalar" for rank 0. */
    @Override public String toString() {
        if (dims.length == 0) return "scalar";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) b.append('x');
            b.append(dims[i]);
        }
        return b.toString();
    }
}
