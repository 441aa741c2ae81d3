package dev.tensorinit;

/**
 * Where the fan-in and fan-out axes sit in a weight shape. The two ecosystems disagree, so the
 * caller says which one the shape follows.
 */
public enum Layout {
    /**
     * PyTorch: {@code [out, in, *kernel]}. fan_in = in·∏k, fan_out = out·∏k. Like
     * {@code torch.nn.init._calculate_fan_in_and_fan_out}, fewer than 2 dimensions has no fans.
     */
    TORCH,
    /**
     * JAX/Keras: {@code [*kernel, in, out]} (in_axis=-2, out_axis=-1). Rank 0 has fans (1, 1), rank 1 has fans
     * (n, n), as Keras's {@code compute_fans} gives them ({@code jax.nn.initializers} raises for rank < 2).
     */
    JAX;

    public static Layout parse(String s) {
        if (s == null) throw new NullPointerException("layout is null");
        return switch (s.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "torch", "pytorch" -> TORCH;
            case "jax", "keras", "flax" -> JAX;
            default -> throw new IllegalArgumentException("unknown layout '" + s + "' (expected torch or jax)");
        };
    }

    /** fan_in and fan_out of {@code shape} in this layout. */
    public Fans fans(Shape shape) {
        int r = shape.rank();
        if (this == TORCH) {
            if (r < 2) {
                throw new IllegalArgumentException("shape " + shape + " has rank " + r
                        + ": fan in and fan out can not be computed for fewer than 2 dimensions in the torch layout"
                        + " [out, in, *k] (as in PyTorch); use --layout jax, or an init that needs no fans");
            }
            long receptive = 1;
            for (int i = 2; i < r; i++) receptive = Math.multiplyExact(receptive, shape.dim(i));
            return new Fans(Math.multiplyExact(shape.dim(1), receptive), Math.multiplyExact(shape.dim(0), receptive));
        }
        if (r == 0) return new Fans(1, 1);
        if (r == 1) return new Fans(shape.dim(0), shape.dim(0));
        long receptive = 1;
        for (int i = 0; i < r - 2; i++) receptive = Math.multiplyExact(receptive, shape.dim(i));
        return new Fans(Math.multiplyExact(shape.dim(r - 2), receptive), Math.multiplyExact(shape.dim(r - 1), receptive));
    }

    public String id() { return name().toLowerCase(java.util.Locale.ROOT); }
}
