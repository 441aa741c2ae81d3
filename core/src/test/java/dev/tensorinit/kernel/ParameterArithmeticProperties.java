package dev.tensorinit.kernel;

import dev.tensorinit.DType;
import dev.tensorinit.Distribution;
import dev.tensorinit.FillRequest;
import dev.tensorinit.Inits;
import dev.tensorinit.Layout;
import dev.tensorinit.Region;
import dev.tensorinit.Shape;
import dev.tensorinit.testing.Support;
import org.apache.commons.math3.distribution.NormalDistribution;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Property: for every init, every parameter the user can give (huge and tiny std, far-apart or
 * barely-apart bounds, gains and slopes near the limits, spans near the dtype's range) and every
 * dtype, either the request is refused with an IllegalArgumentException, or every value it can
 * produce is finite and inside its support. "Every value it can produce" is checked at the lattice's
 * two ends (the quantile's extreme tails: u = 2^-24 and 1 - 2^-24, and 2^-53, 1 - 2^-53 for f64) and
 * at random words, through the reference transform and the dtype's rounding; the backends are tied
 * to the reference bit for bit by the contract suite, and run the same cases there.
 */
class ParameterArithmeticProperties {

    /** Words that put u at the lattice's ends, and a few in between. */
    static final int[] WORDS = {0, 0x1FF, 0x200, 0x7FFFFFFF, 0x80000000, 0xFFFFFDFF, 0xFFFFFE00, 0xFFFFFFFF, 0x12345678, 0x9E3779B9};

    @Property(tries = 3000)
    void everyValueIsFiniteAndInsideTheSupportOrTheRequestIsRefused(@ForAll("requests") Candidate c) {
        FillRequest r;
        KernelArgs a;
        try {
            r = c.build();
            a = r.kernelArgs();
        } catch (IllegalArgumentException e) {
            Statistics.label("outcome").collect("refused");
            assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "a refusal must say why: " + c);
            return;
        } catch (RuntimeException e) {
            fail("only IllegalArgumentException may refuse " + c + ", got " + e, e);
            return;
        }
        Statistics.label("outcome").collect("accepted");
        Statistics.label("dtype").collect(r.dtype());
        Distribution d = r.distribution();
        Support s = Support.of(d, r.dtype());
        if (r.dtype() == DType.F64) {
            double[] prm = a.f64Params();
            for (int w0 : WORDS) {
                for (int w1 : WORDS) {
                    double v = Reference.f64(a.kind(), prm, w0, w1);
                    if (!s.contains(v)) fail(c + " -> " + d + ": words (" + w0 + ", " + w1 + ") give " + v + ", outside " + s);
                    checkQuantile(c, d, r.dtype(), F64Math.uniform(w0, w1), v);
                }
            }
            return;
        }
        float[] prm = a.f32Params();
        for (int w : WORDS) {
            float y = Reference.f32(a.kind(), prm, w);
            double stored = switch (r.dtype()) {
                case F32 -> y;
                case BF16 -> Float.intBitsToFloat((F32Math.toBf16(y) & 0xFFFF) << 16);
                case F16 -> Float.float16ToFloat(F32Math.toF16(y));
                default -> throw new AssertionError();
            };
            if (!s.contains(stored)) fail(c + " -> " + d + ": word " + Integer.toHexString(w) + " gives " + stored + ", outside " + s);
            checkQuantile(c, d, r.dtype(), F32Math.uniform(w), stored);
        }
    }

    private static final NormalDistribution STANDARD = new NormalDistribution(0, 1);

    /**
     * The value is the distribution's quantile at u, up to the dtype's precision: computed here in
     * double from the distribution's own parameters (commons-math's normal quantile, not ours), so
     * a parameter block that overflows or collapses (every value equal to high, say) fails even when
     * its values stay inside the support. Truncated normals are checked for support only.
     */
    private static void checkQuantile(Candidate c, Distribution d, DType dtype, double u, double actual) {
        double expected, scale;
        switch (d) {
            case Distribution.Uniform un -> {
                scale = un.high() - un.low();
                expected = un.low() + u * scale;
            }
            case Distribution.Normal n -> {
                scale = n.std();
                expected = n.mean() + n.std() * STANDARD.inverseCumulativeProbability(u);
            }
            case Distribution.Constant k -> {
                scale = 0;
                expected = k.value();
            }
            default -> { return; }
        }
        double rel = switch (dtype) {
            case F64 -> 1e-12;
            case F32 -> 1e-5;
            case BF16 -> 0x1p-7;
            case F16 -> 0x1p-9;
        };
        double floor = switch (dtype) {   // absolute spacing near zero (subnormals)
            case F64 -> Double.MIN_VALUE;
            case F32 -> Float.MIN_VALUE;
            case BF16 -> 0x1p-133;
            case F16 -> 0x1p-24;
        };
        // Besides the value's own rounding (floor), its parameters': a std or span below the working precision's normal
        // range is rounded to a multiple of its subnormal spacing, an absolute error that the quantile multiplies by
        // |z| <= 8.3 (N(0, 4.55e-41) in f32 was 3 spacings off at u = 2^-24).
        double paramSpacing = dtype == DType.F64 ? Double.MIN_VALUE : Float.MIN_VALUE;
        double tol = rel * (Math.abs(expected) + scale) + floor + 8.3 * paramSpacing;
        if (!(Math.abs(actual - expected) <= tol)) {
            fail(c + " -> " + d + ": at u = " + u + " the value is " + actual + ", the quantile " + expected + " (tolerance " + tol + ")");
        }
    }

    /** The known overflow: a uniform span wider than the dtype's range is refused, not silently filled with high. */
    @Property(tries = 200)
    void uniformSpansThatOverflowAreRefused(@ForAll("hugeSpans") double[] lowHigh) {
        FillRequest r = FillRequest.of(Shape.of(4, 4), Inits.create("uniform", Map.of("low", "" + lowHigh[0], "high", "" + lowHigh[1])));
        for (DType dt : List.of(DType.F32, DType.F64)) {
            boolean overflows = dt == DType.F64 ? Double.isInfinite(lowHigh[1] - lowHigh[0])
                    : Float.isInfinite((float) (lowHigh[1] - lowHigh[0]));
            if (!overflows) continue;
            try {
                r.withDType(dt).kernelArgs();
                fail("uniform [" + lowHigh[0] + ", " + lowHigh[1] + ") in " + dt.id() + " was accepted");
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().contains("overflows") || e.getMessage().contains("does not fit"), e.getMessage());
            }
        }
    }

    @Provide
    Arbitrary<double[]> hugeSpans() {
        Arbitrary<Double> big = Arbitraries.doubles().between(1e37, Double.MAX_VALUE);
        return Combinators.combine(big, big).as((x, y) -> new double[] {-x, y});
    }

    /** An init name with its textual parameters, a shape, a layout and a dtype. */
    record Candidate(String init, Map<String, String> params, long[] dims, Layout layout, DType dtype) {
        FillRequest build() {
            return new FillRequest(Shape.of(dims), layout, Inits.create(init, params), dtype, 1, 2, Region.whole());
        }

        @Override public String toString() {
            return init + params + " " + java.util.Arrays.toString(dims) + " " + layout.id() + " " + dtype.id();
        }
    }

    @Provide
    Arbitrary<Candidate> requests() {
        Arbitrary<String> init = Arbitraries.of(Inits.NAMES);
        Arbitrary<long[]> dims = Arbitraries.oneOf(
                Arbitraries.longs().between(1, 1L << 20).array(long[].class).ofMinSize(2).ofMaxSize(4),
                Arbitraries.of(new long[] {1, 1}, new long[] {1L << 31, 1L << 31}, new long[] {1, (1L << 62)},
                        new long[] {3, 3, 1L << 30}, new long[] {7}));
        return Combinators.combine(init, number(), number(), number(), number(), dims,
                        Arbitraries.of(Layout.values()), Arbitraries.of(DType.values()))
                .as((name, x, y, z, w, d, layout, dtype) -> new Candidate(name, params(name, x, y, z, w), d, layout, dtype));
    }

    /** Finite doubles from everyday to extreme: small integers, typical scales, powers of ten up to 1e308, tiny, and the limits. */
    static Arbitrary<Double> number() {
        return Arbitraries.oneOf(
                Arbitraries.doubles().between(-10, 10),
                Arbitraries.doubles().between(1e-6, 1.0).ofScale(12),
                Arbitraries.integers().between(-308, 308).map(e -> Math.pow(10, e)),
                Arbitraries.integers().between(-308, 308).map(e -> -Math.pow(10, e)),
                Arbitraries.<Double>of(0.0, -0.0, Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE,
                        (double) Float.MAX_VALUE, -(double) Float.MAX_VALUE, 65504.0, -65504.0, 65520.0, 0x1.feP127, 3e38, -3e38, (double) Float.MIN_VALUE,
                        1.7e308, -1.7e308, 1e-45, 2.0, -2.0, 0.01, 1e200));
    }

    /** The parameters each init takes, filled from four numbers (gains and slopes included). */
    static Map<String, String> params(String init, double x, double y, double z, double w) {
        Map<String, String> m = new LinkedHashMap<>();
        switch (init) {
            case "xavier_uniform", "xavier_normal" -> m.put("gain", gain(x, y));
            case "kaiming_uniform", "kaiming_normal" -> {
                m.put("a", "" + x);
                m.put("mode", y > 0 ? "fan_in" : "fan_out");
                m.put("nonlinearity", List.of("leaky_relu", "relu", "tanh", "selu", "linear").get((int) Math.floorMod((long) z, 5L)));
            }
            case "trunc_normal" -> {
                m.put("mean", "" + x);
                m.put("std", "" + Math.abs(y));
                m.put("a", "" + Math.min(z, w));
                m.put("b", "" + Math.max(z, w));
            }
            case "variance_scaling" -> {
                m.put("scale", "" + Math.abs(x));
                m.put("mode", List.of("fan_in", "fan_out", "fan_avg").get((int) Math.floorMod((long) y, 3L)));
                m.put("distribution", List.of("uniform", "normal", "truncated_normal").get((int) Math.floorMod((long) z, 3L)));
            }
            case "uniform" -> {
                m.put("low", "" + Math.min(x, y));
                m.put("high", "" + Math.max(x, y));
            }
            case "normal" -> {
                m.put("mean", "" + x);
                m.put("std", "" + Math.abs(y));
            }
            case "constant" -> m.put("value", "" + x);
            case "log_of_uniform" -> {   // low <= 0 is refused; so, in f32 kernels, is a low below f32's smallest normal
                m.put("low", "" + Math.min(Math.abs(x), Math.abs(y)));
                m.put("high", "" + Math.max(Math.abs(x), Math.abs(y)));
            }
            default -> { }   // glorot_*, he_*, lecun_*, zeros, ones take none
        }
        return m;
    }

    private static String gain(double x, double y) {
        return y > 0 ? "" + Math.abs(x) : "leaky_relu:" + x;
    }
}
