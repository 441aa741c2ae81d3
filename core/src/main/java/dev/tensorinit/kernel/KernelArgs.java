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
 *   <li>LOG_OF_UNIFORM: y = log(clamp(fma(u, scale, offset), lo, hi)), lo &gt; 0 (the contract's log, not clamped after)</li>
 *   <li>CONSTANT: y = offset</li>
 * </ul>
 * where clamp(y, lo, hi) = (y &lt; lo ? lo : y) then (y &gt; hi ? hi : y).
 */
public record KernelArgs(Kind kind, DType dtype, long seed, long stream,
                         double scale, double offset, double lo, double hi, double plo, double pspan, double sign) {

    /** Kernel kinds; {@link #code()} is the integer the device kernels receive. */
    public enum Kind {
        UNIFORM(0), NORMAL(1), TRUNC_NORMAL(2), CONSTANT(3), LOG_OF_UNIFORM(4);
        private final int code;
        Kind(int code) { this.code = code; }
        public int code() { return code; }
    }

    /** Number of values in the parameter block. */
    public static final int PARAMS = 7;

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
            case Distribution.LogOfUniform u -> new KernelArgs(Kind.LOG_OF_UNIFORM, dtype, seed, stream,
                    u.high() - u.low(), u.low(), u.low(), u.high(), 0, 0, 1);
        };
        k.checkRepresentable();
        return k;
    }

    private static KernelArgs truncated(Distribution.TruncatedNormal t, DType dtype, long seed, long stream) {
        double alpha = standardized(t.a(), t.mean(), t.std());
        double beta = standardized(t.b(), t.mean(), t.std());
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
     * (x - mean) ÷ std, the bound in standard deviations. Where x - mean overflows a double (a bound and a mean near
     * ±1e308 of opposite signs), all three are halved first: halving is exact at that size, so the quotient is the
     * same correctly rounded value the unbounded difference would give. Without it the bound became ±∞ standard
     * deviations, Φ of it 0 or 1, and the samples beyond the real bound piled up on it (0.44% of N(1e308, 1e308) on
     * [-1.7e308, 1.7e308] were exactly -1.7e308).
     */
    static double standardized(double x, double mean, double std) {
        double d = x - mean;
        if (Double.isInfinite(d)) return (x * 0.5 - mean * 0.5) / (std * 0.5);
        return d / std;
    }

    /**
     * Rejects parameters whose values would not be finite in the dtype, or would all be one value. Every kind maps u
     * to its value monotonically, so a distribution's extremes are the values of the lattice's first and last u,
     * computed here exactly as the kernels compute them (the reference) and rounded to the dtype: a value that rounds
     * to infinity there is refused (f16 tops out at 65504), and so are extremes that round to the same value (a
     * constant). Also rejects a uniform span that overflows the arithmetic (every element would be {@code high}), and
     * a std that rounds to 0 in f32.
     */
    private void checkRepresentable() {
        boolean f32 = dtype.computedInF32();
        if (kind == Kind.UNIFORM || kind == Kind.LOG_OF_UNIFORM) {
            // A bound beyond f32 first: no narrower span would fit it.
            if (f32 && (Float.isInfinite((float) lo) || Float.isInfinite((float) hi))) {
                throw overflow(Double.POSITIVE_INFINITY);
            }
            double span = f32 ? (float) scale : scale;
            if (Double.isInfinite(span) || (f32 && Float.isInfinite((float) hi - (float) lo))) {
                throw new IllegalArgumentException("uniform range [" + lo + ", " + hi + ") is wider than the largest finite "
                        + (f32 ? "f32" : "f64") + " value (" + (f32 ? Float.MAX_VALUE : Double.MAX_VALUE)
                        + "), so high - low overflows; narrow it, e.g. to [" + lo / 2 + ", " + hi / 2 + ")");
            }
            if (f32 && !((float) scale > 0)) {
                throw new IllegalArgumentException("uniform range [" + lo + ", " + hi + ") is too narrow for f32: its width rounds to 0 "
                        + "(f32's smallest is " + Float.MIN_VALUE + "); widen it or use --dtype f64");
            }
        }
        // The contract's log takes positive normal numbers: a subnormal low (in the working precision) would give a wrong
        // value, not a small one.
        if (kind == Kind.LOG_OF_UNIFORM && (f32 ? (float) lo < Float.MIN_NORMAL : lo < Double.MIN_NORMAL)) {
            throw new IllegalArgumentException("log_of_uniform's low " + lo + " is below " + (f32 ? "f32" : "f64") + "'s smallest normal number ("
                    + (f32 ? String.valueOf(Float.MIN_NORMAL) : String.valueOf(Double.MIN_NORMAL)) + "), where the log is not computed; use a larger low"
                    + (f32 ? " or --dtype f64" : ""));
        }
        // A std or mean beyond f32 is infinite in the f32 kernels' parameter block: then fma(0, inf, 0) is NaN at z = 0,
        // and a truncated normal's clamps made its two ends look finite (N(0, 1e39) on [-1e38, 1e38] passed).
        if (f32 && kind != Kind.UNIFORM && kind != Kind.LOG_OF_UNIFORM && (Float.isInfinite((float) scale) || Float.isInfinite((float) offset))) {
            throw overflow(Double.POSITIVE_INFINITY);
        }
        double[] ends = lattice();
        double first = ends[0], last = ends[1];   // the lattice's extreme values before the dtype's rounding
        if (!finiteIn(dtype, Math.abs(first)) || !finiteIn(dtype, Math.abs(last))) {
            throw overflow(Double.isNaN(first) || Double.isNaN(last) ? Double.POSITIVE_INFINITY : Math.max(Math.abs(first), Math.abs(last)));
        }
        // A nonzero constant that rounds to 0 would write a tensor of zeros nobody asked for (1e-8 in f16).
        if (kind == Kind.CONSTANT && offset != 0 && roundTo(dtype, first) == 0) {
            double smallest = switch (dtype) {
                case F16 -> 0x1p-24;
                case BF16 -> 0x1p-133;
                case F32 -> Float.MIN_VALUE;
                case F64 -> Double.MIN_VALUE;
            };
            throw new IllegalArgumentException("the constant " + offset + " rounds to 0 in " + dtype.id() + " (its smallest nonzero value is "
                    + smallest + "); ask for 0, a larger constant, or a wider dtype");
        }
        // A std that rounds to 0 would write the mean everywhere: a constant, not a sample.
        // Its hint fits f32 only; in bf16 and f16 the check below names the value every element would round to.
        if ((kind == Kind.NORMAL || kind == Kind.TRUNC_NORMAL) && dtype == DType.F32 && !((float) scale > 0)) {
            throw new IllegalArgumentException("std " + scale + " is 0 in f32, so every value would be the mean; "
                    + "use std >= " + Float.MIN_VALUE + " (or f64)");
        }
        double a = roundTo(dtype, first), b = roundTo(dtype, last);
        if (kind != Kind.CONSTANT && a == b) {
            throw new IllegalArgumentException("every value of " + describe() + " rounds to " + (a == 0 ? "±0.0" : a) + " in " + dtype.id()
                    + ": its spread is below " + dtype.id() + "'s resolution there, so the tensor would be a constant; "
                    + "widen it, use a wider dtype, or ask for a constant");
        }
    }

    /** The values of the lattice's first and last u (u = 2^-24 and 1 - 2^-24 in f32), before the dtype's rounding. */
    private double[] lattice() {
        if (kind == Kind.CONSTANT) {
            double c = dtype.computedInF32() ? (float) offset : offset;
            return new double[] {c, c};
        }
        if (dtype.computedInF32()) {
            float[] p = f32Params();
            return new double[] {Reference.f32(kind, p, 0), Reference.f32(kind, p, -1)};
        }
        double[] p = f64Params();
        return new double[] {Reference.f64(kind, p, 0, 0), Reference.f64(kind, p, -1, -1)};
    }

    /**
     * The smallest and largest values this fill can write, in the dtype: where the kernels' lattice of u ends (a normal
     * reaches ±5.2947σ in the f32 kernels, a truncated normal at most its clamp at ±5.5426σ there, docs/determinism.md
     * §6-7), narrower than the distribution's support wherever that is wider.
     */
    public double[] reach() {
        double[] ends = lattice();
        double a = roundTo(dtype, ends[0]), b = roundTo(dtype, ends[1]);
        return new double[] {Math.min(a, b), Math.max(a, b)};
    }

    private IllegalArgumentException overflow(double reach) {
        return new IllegalArgumentException(describe() + " reaches "
                + (!Double.isInfinite(reach) ? "±" + reach
                   : dtype.computedInF32() ? "beyond ±" + Float.MAX_VALUE + ", f32's largest finite value (f32 kernels compute in f32)"
                   : "beyond ±" + Double.MAX_VALUE + ", f64's largest finite value")
                + ", which does not fit in " + dtype.id() + " (largest finite " + dtype.maxFinite()
                + "; it would round to infinity)");
    }

    private String describe() {
        return switch (kind) {
            case UNIFORM -> "U(" + lo + ", " + hi + ")";
            case NORMAL -> "N(mean " + offset + ", std " + scale + ")";
            case TRUNC_NORMAL -> "the truncated normal (mean " + offset + ", std " + scale + ", [" + lo + ", " + hi + "])";
            case CONSTANT -> "the constant " + offset;
            case LOG_OF_UNIFORM -> "log(U(" + lo + ", " + hi + "))";
        };
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
