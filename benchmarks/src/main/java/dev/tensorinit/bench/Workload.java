package dev.tensorinit.bench;

import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Shape;

/**
 * What every benchmark fills: a square(ish) weight matrix of 2^log2 elements with one of three inits.
 * "uniform" is xavier_uniform, "normal" xavier_normal (untruncated), "trunc_normal" glorot_normal
 * (truncated at ±2σ, the JAX/Keras default) — the three kernels a backend has.
 */
public final class Workload {
    private Workload() {}

    /** Init ids used as JMH parameter values. */
    public static final String UNIFORM = "uniform", NORMAL = "normal", TRUNC_NORMAL = "trunc_normal";

    /** [2^(log2/2), 2^(log2 - log2/2)]: fan_in and fan_out of a realistic layer. */
    public static Shape shape(int log2) {
        if (log2 < 2 || log2 > 40) throw new IllegalArgumentException("log2 size must be in [2, 40], got " + log2);
        return Shape.of(1L << (log2 / 2), 1L << (log2 - log2 / 2));
    }

    public static InitSpec init(String id) {
        return switch (id) {
            case UNIFORM -> new InitSpec.XavierUniform(1.0);
            case NORMAL -> new InitSpec.XavierNormal(1.0);
            case TRUNC_NORMAL -> InitSpec.glorotNormal();
            default -> throw new IllegalArgumentException("unknown benchmark init '" + id + "' (expected uniform, normal or trunc_normal)");
        };
    }

    public static FillRequest request(String init, String dtype, int log2) {
        return FillRequest.of(shape(log2), init(init)).withDType(DType.parse(dtype)).withSeed(42).withName("bench.weight");
    }

    /** Xavier std for the shape of 2^log2 elements (fan_in + fan_out = sum of the two dims), for the peers. */
    public static double xavierStd(int log2) {
        Shape s = shape(log2);
        return Math.sqrt(2.0 / (double) (s.dim(0) + s.dim(1)));
    }

    /** Xavier uniform bound √3·std, for the peers. */
    public static double xavierBound(int log2) {
        return Math.sqrt(3.0) * xavierStd(log2);
    }
}
