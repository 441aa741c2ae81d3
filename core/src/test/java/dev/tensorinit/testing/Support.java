package dev.tensorinit.testing;

import dev.tensorinit.DType;
import dev.tensorinit.Distribution;
import dev.tensorinit.FillRequest;

import java.lang.foreign.MemorySegment;
import java.util.Locale;

/**
 * Where the values of a distribution may lie once stored in a dtype: finite always, and inside
 * [low, high] (uniform), [a, b] (truncated normal), [ln low, ln high] (log of a uniform, up to its log's error) or at
 * the value (constant) up to the dtype's rounding. The bounds are computed from the distribution's double parameters with directed
 * rounding, independently of the kernel's own parameter block: a value v in [a, b] rounded to
 * nearest lies in [roundDown(a), roundUp(b)].
 */
public record Support(double low, double high) {

    /** The support of {@code d} stored as {@code dtype}. */
    public static Support of(Distribution d, DType dtype) {
        return switch (d) {
            case Distribution.Uniform u -> new Support(roundDown(u.low(), dtype), roundUp(u.high(), dtype));
            case Distribution.TruncatedNormal t -> new Support(roundDown(t.a(), dtype), roundUp(t.b(), dtype));
            case Distribution.Constant c -> new Support(roundDown(c.value(), dtype), roundUp(c.value(), dtype));
            case Distribution.Normal n -> new Support(-dtype.maxFinite(), dtype.maxFinite());
            // The contract's log is not correctly rounded: its ends may lie a few f32 ulps (relative 2.4e-7) beyond ln(low), ln(high).
            case Distribution.LogOfUniform l -> new Support(roundDown(widened(Math.log(l.low()), -1), dtype),
                    roundUp(widened(Math.log(l.high()), 1), dtype));
        };
    }

    private static double widened(double bound, int direction) {
        return bound + direction * 1e-6 * Math.max(1, Math.abs(bound));
    }

    public boolean contains(double v) {
        return Double.isFinite(v) && v >= low && v <= high;
    }

    /**
     * Asserts that every one of the request's elements in dst is finite and inside the support; the
     * message names the first bad element, its value and the support.
     */
    public static void assertInside(FillRequest request, MemorySegment dst) {
        Support s = of(request.distribution(), request.dtype());
        DType dt = request.dtype();
        for (long i = 0; i < request.count(); i++) {
            double v = Conformance.value(dst, dt, i);
            if (!s.contains(v)) {
                throw new AssertionError(String.format(Locale.ROOT, "%s: element %d is %s, outside the support [%s, %s]",
                        Conformance.describe(request), i, v, s.low(), s.high()));
            }
        }
    }

    /** The largest value of the dtype at or below x (x finite). */
    public static double roundDown(double x, DType dtype) {
        double c = nearest(x, dtype);
        while (c > x) c = step(c, dtype, false);
        return c;
    }

    /** The smallest value of the dtype at or above x (x finite). */
    public static double roundUp(double x, DType dtype) {
        double c = nearest(x, dtype);
        while (c < x) c = step(c, dtype, true);
        return c;
    }

    /** x rounded to the dtype (possibly through float first; the caller corrects by stepping). */
    private static double nearest(double x, DType dtype) {
        double m = dtype.maxFinite();
        if (x >= m) return m;
        if (x <= -m) return -m;
        return switch (dtype) {
            case F64 -> x;
            case F32 -> (float) x;
            case BF16 -> Float.intBitsToFloat((Float.floatToRawIntBits((float) x) + 0x7FFF) & 0xFFFF0000);
            case F16 -> Float.float16ToFloat(Float.floatToFloat16((float) x));
        };
    }

    /** The neighbouring value of the dtype above (up) or below c. */
    private static double step(double c, DType dtype, boolean up) {
        return switch (dtype) {
            case F64 -> up ? Math.nextUp(c) : Math.nextDown(c);
            case F32 -> up ? Math.nextUp((float) c) : Math.nextDown((float) c);
            case BF16 -> {
                // bf16 is the top half of an f32: step the f32 by one unit of the bf16's last place
                float f = (float) c;
                int bits = Float.floatToRawIntBits(f);
                boolean away = (f > 0 || (f == 0 && up)) == up;   // moving away from zero in magnitude
                if (f == 0) yield up ? Float.intBitsToFloat(0x00010000) : -Float.intBitsToFloat(0x00010000);
                yield Float.intBitsToFloat(away ? bits + 0x10000 : bits - 0x10000);
            }
            case F16 -> {
                short h = Float.floatToFloat16((float) c);
                float f = Float.float16ToFloat(h);
                if (f == 0) yield up ? Float.float16ToFloat((short) 1) : -Float.float16ToFloat((short) 1);
                boolean away = (f > 0) == up;
                yield Float.float16ToFloat((short) (away ? h + 1 : h - 1));
            }
        };
    }
}
