package dev.tensorinit;

import java.util.Locale;

/**
 * Element types. f32, bf16 and f16 share one generator: bf16 and f16 are the f32 value rounded to
 * nearest even. f64 is generated in double precision from 52 random bits per element.
 */
public enum DType {
    F32(4, 0x1.fffffeP+127),
    F64(8, Double.MAX_VALUE),
    BF16(2, 0x1.feP+127),
    F16(2, 65504.0);

    private final int bytes;
    private final double maxFinite;

    DType(int bytes, double maxFinite) {
        this.bytes = bytes;
        this.maxFinite = maxFinite;
    }

    public int bytes() { return bytes; }

    /** Largest finite value of the type. */
    public double maxFinite() { return maxFinite; }

    /** True when values are computed in f32 arithmetic (f32, bf16, f16). */
    public boolean computedInF32() { return this != F64; }

    public String id() { return name().toLowerCase(Locale.ROOT); }

    public static DType parse(String s) {
        if (s == null) throw new NullPointerException("dtype is null");
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "f32", "float32", "float" -> F32;
            case "f64", "float64", "double" -> F64;
            case "bf16", "bfloat16" -> BF16;
            case "f16", "float16", "half" -> F16;
            default -> throw new IllegalArgumentException("unknown dtype '" + s + "' (expected f32, f64, bf16 or f16)");
        };
    }
}
