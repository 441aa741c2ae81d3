package dev.tensorinit.kernel;

import dev.tensorinit.DType;
import dev.tensorinit.Distribution;

import java.util.Objects;

/**
 * Everything a kernel needs, derived once on the host so that every backend receives identical
 * parameters: the kind, the dtype, seed and stream, and a fixed parameter block.
 *
 * <p>The parameter block, in this order (f32 kernels get each value rounded to float):
 * {@code scale, offset, lo, hi, plo, pspan, sign}. For an element with uniform u:
 * <ul>
 *   <li>UNIFORM: y = clamp(fma(u, scale, offset), lo, hi)</li>
 *   <li>NORMAL: y = clamp(fma(ndtri(u), scale, offset), lo, hi), lo = -inf, hi = +inf</li>
 *   <li>TRUNC_NORMAL: p = clamp(fma(u, pspan, plo), P_MIN, P_MAX); y = clamp(fma(ndtri(p)·sign, scale, offset), lo, hi)</li>
 *   <li>CONSTANT: y = offset</li>
 * </ul>
 * where clamp(y, lo, hi) = (y &lt; lo ? lo : y) then (y &gt; hi ? hi : y).
 */
public record KernelArgs(Kind kind, DType dtype, long seed, long stream,
                         double scale, double offset, double lo, double hi, double plo, double pspan, double sign) {

    /** Kernel kinds; {@link #code()} is the integer the device kernels receive. */
    public enum Kind {
        UNIFORM(0), NORMAL(1), TRUNC_NORMAL(2), CONSTANT(3);
        private final int code;
        Kind(int code) { this.code = code; }
        public int code() { return code; }
    }

    /** Number of values in the parameter block. */
    public static final int PARAMS = 7;

    /**
     * Largest |z| a kernel's quantile reaches, rounded up: a normal's at the ends of the f32 lattice (u = 2⁻²⁴,
     * -5.2947) and the f64 lattice (u = 2⁻⁵³, -8.2095); a truncated normal's at its clamp P_MIN (2⁻²⁶ in f32: -5.5426;
     * 2⁻⁵⁴ in f64: -8.2924), further out than the lattice in f32.
     */
    static final double MAX_Z_F32 = 5.34, MAX_Z_TRUNC_F32 = 5.55, MAX_Z_F64 = 8.3;

    public KernelArgs {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(dtype, "dtype");
    }

    public static KernelArgs of(Distribution d, DType dtype, long seed, long stream) {
        Objects.requireNonNull(d, "distribution");
        Objects.requireNonNull(dtype, "dtype");
        double inf = Double.POSITIVE_INFINITY;
        KernelArgs k = switch (d) {
            case Distribution.Uniform u -> new KernelArgs(Kind.UNIFORM, dtype, seed, stream,
                    u.high() - u.low(), u.low(), u.low(), u.high(), 0, 0, 1);
            case Distribution.Normal n -> new KernelArgs(Kind.NORMAL, dtype, seed, stream,
                    n.std(), n.mean(), -inf, inf, 0, 0, 1);
            case Distribution.Constant c -> new KernelArgs(Kind.CONSTANT, dtype, seed, stream,
                    0, c.value(), c.value(), c.value(), 0, 0, 1);
            case Distribution.TruncatedNormal t -> truncated(t, dtype, seed, stream);
        };
        k.checkRepresentable();
        return k;
    }

    private static KernelArgs truncated(Distribution.TruncatedNormal t, DType dtype, long seed, long stream) {
        double alpha = (t.a() - t.mean()) / t.std();
        double beta = (t.b() - t.mean()) / t.std();
        // Sample the mirror image when the interval leans right, so its far end sits in the lower
        // tail, where p (and so the quantile) keeps full relative precision.
        double sign = 1;
        if (alpha + beta > 0) {
            double na = -beta;
            beta = -alpha;
            alpha = na;
            sign = -1;
        }
        double plo = NormalCdf.phi(alpha);
        double pspan = NormalCdf.phi(beta) - plo;
        // The quantile is accurate only for p >= P_MIN; p below it is clamped. Requiring the interval to
        // hold 1000·P_MIN of the mass keeps that clamp to at most 0.1% of the samples.
        double minMass = 1000 * (dtype.computedInF32() ? F32Math.P_MIN : F64Math.P_MIN);
        if (!(pspan >= minMass)) {
            throw new IllegalArgumentException("truncation interval [a=" + t.a() + ", b=" + t.b() + "] holds probability "
                    + pspan + " of N(" + t.mean() + ", " + t.std() + "²), below the " + minMass + " that " + dtype.id()
                    + " sampling resolves; move the interval nearer the mean");
        }
        return new KernelArgs(Kind.TRUNC_NORMAL, dtype, seed, stream, t.std(), t.mean(), t.a(), t.b(), plo, pspan, sign);
    }

    /**
     * Rejects parameters whose values would not be finite in the dtype: a uniform span that overflows
     * the arithmetic (it would turn every element into {@code high}), and any value the distribution
     * can reach beyond the dtype's largest finite value (f16 tops out at 65504). Also rejects a range or
     * std that rounds to 0 in f32, which would fill a constant.
     */
    private void checkRepresentable() {
        boolean f32 = dtype.computedInF32();
        double maxZ = !f32 ? MAX_Z_F64 : kind == Kind.TRUNC_NORMAL ? MAX_Z_TRUNC_F32 : MAX_Z_F32;
        double maxAbs = switch (kind) {
            case UNIFORM, CONSTANT -> Math.max(Math.abs(lo), Math.abs(hi));
            case NORMAL -> Math.abs(offset) + Math.abs(scale) * maxZ;
            // What the quantile can reach, cut by the bounds: a bound far beyond reach never binds.
            case TRUNC_NORMAL -> Math.max(Math.abs(Math.max(lo, offset - scale * maxZ)), Math.abs(Math.min(hi, offset + scale * maxZ)));
        };
        if (!finiteIn(dtype, maxAbs)) {
            throw new IllegalArgumentException("values up to ±" + maxAbs + " do not fit in " + dtype.id()
                    + " (largest finite " + dtype.maxFinite() + "; they would round to infinity)");
        }
        if (kind == Kind.UNIFORM) {
            double span = f32 ? (float) scale : scale;
            if (Double.isInfinite(span) || (f32 && Float.isInfinite((float) hi - (float) lo))) {
                throw new IllegalArgumentException("uniform range [" + lo + ", " + hi + ") is wider than the largest finite "
                        + (f32 ? "f32" : "f64") + " value (" + (f32 ? Float.MAX_VALUE : Double.MAX_VALUE)
                        + "), so high - low overflows; narrow it, e.g. to [" + lo / 2 + ", " + hi / 2 + ")");
            }
            if (f32 && !((float) scale > 0)) {
                throw new IllegalArgumentException("uniform range [" + lo + ", " + hi + ") is empty in f32");
            }
        }
        // A std that rounds to 0 would write the mean everywhere: a constant, not a sample.
        // Its hint fits f32 only; in bf16 and f16 the check below names the value every element would round to.
        if ((kind == Kind.NORMAL || kind == Kind.TRUNC_NORMAL) && dtype == DType.F32 && !((float) scale > 0)) {
            throw new IllegalArgumentException("std " + scale + " is 0 in f32, so every value would be the mean; "
                    + "use std >= " + Float.MIN_VALUE + " (or f64)");
        }
        checkNotConstant();
    }

    /**
     * Refuses a distribution whose every value rounds to one value of the dtype: a spread below the dtype's resolution
     * at the mean (normal(0, 1e-9) in f16 wrote all zeros; normal(1, 1e-4) in bf16 all ones). Every kind maps u to its
     * value monotonically, so the extremes are the values of the lattice's first and last u, computed here as the
     * kernels compute them (the reference); when both round to the same dtype value, every element does. (Not Z, the
     * reach's upper bound the overflow check uses: with it, N(0, 5.6e-9) in f16 passed and wrote only zeros.)
     */
    private void checkNotConstant() {
        if (kind == Kind.CONSTANT) return;
        double a, b;
        if (dtype.computedInF32()) {
            float[] p = f32Params();
            a = roundTo(dtype, Reference.f32(kind, p, 0));    // u = 2^-24
            b = roundTo(dtype, Reference.f32(kind, p, -1));   // u = 1 - 2^-24
        } else {
            double[] p = f64Params();
            a = Reference.f64(kind, p, 0, 0);
            b = Reference.f64(kind, p, -1, -1);
        }
        if (a == b) {
            String what = switch (kind) {
                case UNIFORM -> "U(" + lo + ", " + hi + ")";
                case NORMAL -> "N(mean " + offset + ", std " + scale + ")";
                default -> "the truncated normal (mean " + offset + ", std " + scale + ", [" + lo + ", " + hi + "])";
            };
            throw new IllegalArgumentException("every value of " + what + " rounds to " + (a == 0 ? "±0.0" : a) + " in " + dtype.id()
                    + ": its spread is below " + dtype.id() + "'s resolution there, so the tensor would be a constant; "
                    + "widen it, use a wider dtype, or ask for a constant");
        }
    }

    /** True when {@code v} (non-negative) stays finite once the kernel rounds it to the dtype (through f32 for f32, bf16, f16). */
    static boolean finiteIn(DType dtype, double v) {
        return !Double.isNaN(v) && !Double.isInfinite(roundTo(dtype, v));
    }

    /** {@code v} as the dtype holds it: rounded to nearest even, through f32 for f32, bf16 and f16. */
    static double roundTo(DType dtype, double v) {
        return switch (dtype) {
            case F64 -> v;
            case F32 -> (float) v;
            case BF16 -> Float.intBitsToFloat(F32Math.toBf16((float) v) << 16);
            case F16 -> Float.float16ToFloat(F32Math.toF16((float) v));
        };
    }

    /** The parameter block rounded to float, for f32/bf16/f16 kernels. */
    public float[] f32Params() {
        return new float[] {(float) scale, (float) offset, (float) lo, (float) hi, (float) plo, (float) pspan, (float) sign};
    }

    /** The parameter block for f64 kernels. */
    public double[] f64Params() {
        return new double[] {scale, offset, lo, hi, plo, pspan, sign};
    }
}
