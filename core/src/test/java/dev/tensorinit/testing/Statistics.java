package dev.tensorinit.testing;

import dev.tensorinit.DType;
import dev.tensorinit.Distribution;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.RealDistribution;
import org.apache.commons.math3.distribution.UniformRealDistribution;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Statistical checks of filled tensors against the exact distribution (commons-math3). Thresholds are
 * stated where they are applied: moments within 6 standard errors (a false alarm about once in 5·10^8
 * runs per check), KS p-value above 1e-4.
 */
public final class Statistics {
    private Statistics() {}

    /** Sample size, mean and (n-1)-normalized variance. */
    public record Moments(long n, double mean, double variance) {}

    /** The first {@code count} elements of s as doubles. */
    public static double[] toDoubles(MemorySegment s, DType dt, int count) {
        double[] x = new double[count];
        if (dt == DType.F32) {  // the common case, in bulk
            float[] f = new float[count];
            MemorySegment.copy(s, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, f, 0, count);
            for (int i = 0; i < count; i++) x[i] = f[i];
            return x;
        }
        for (int i = 0; i < count; i++) x[i] = Conformance.value(s, dt, i);
        return x;
    }

    /** Two-pass mean and variance (the second pass removes the cancellation of sum-of-squares). */
    public static Moments moments(double[] x) {
        double sum = 0;
        for (double v : x) sum += v;
        double mean = sum / x.length;
        double ss = 0, c = 0;
        for (double v : x) {
            double d = v - mean;
            ss += d * d;
            c += d;
        }
        double var = (ss - c * c / x.length) / (x.length - 1);
        return new Moments(x.length, mean, var);
    }

    /**
     * Asserts mean and variance within 6 standard errors of the exact values: |mean - μ| < 6·σ/√n and
     * |s² - σ²| < 6·σ²·√((κ-1)/n), κ the distribution's kurtosis (μ₄/σ⁴; 3 normal, 1.8 uniform; 3 bounds
     * every symmetric truncated normal, which is lighter-tailed than the normal).
     */
    public static void assertMoments(String what, Moments m, double mean, double variance, double kurtosis) {
        double sd = Math.sqrt(variance);
        double meanTol = 6 * sd / Math.sqrt(m.n());
        double varTol = 6 * variance * Math.sqrt((kurtosis - 1) / m.n());
        if (!(Math.abs(m.mean() - mean) < meanTol)) {
            throw new AssertionError(String.format(Locale.ROOT, "%s: mean %.9g, expected %.9g ± %.3g (6 standard errors, n=%d)",
                    what, m.mean(), mean, meanTol, m.n()));
        }
        if (!(Math.abs(m.variance() - variance) < varTol)) {
            throw new AssertionError(String.format(Locale.ROOT, "%s: variance %.9g, expected %.9g ± %.3g (6 standard errors, n=%d)",
                    what, m.variance(), variance, varTol, m.n()));
        }
    }

    /** The exact distribution (commons-math3) a {@link Distribution} describes; constants have none. */
    public static RealDistribution exact(Distribution d) {
        return switch (d) {
            case Distribution.Uniform u -> new UniformRealDistribution(null, u.low(), u.high());
            case Distribution.Normal n -> new NormalDistribution(null, n.mean(), n.std(),
                    NormalDistribution.DEFAULT_INVERSE_ABSOLUTE_ACCURACY);
            case Distribution.TruncatedNormal t -> new TruncatedNormalDistribution(t.mean(), t.std(), t.a(), t.b());
            case Distribution.Constant c -> throw new IllegalArgumentException("a constant has no distribution to test");
        };
    }

    /**
     * The one-sample Kolmogorov-Smirnov statistic D = sup |F_n(x) - F(x)|, as commons-math3's
     * {@code kolmogorovSmirnovStatistic} defines it, but sorted and evaluated on all cores, with F
     * evaluated once per distinct value (2^24 samples of an f32 tensor repeat many values): commons'
     * serial version takes ~8 s per 2^24 normals here. Sorts {@code x} in place.
     */
    public static double ksStatistic(RealDistribution dist, double[] x) {
        Arrays.parallelSort(x);
        int n = x.length;
        int parts = Math.max(1, Math.min(64, n >>> 16));
        return IntStream.range(0, parts).parallel().mapToDouble(part -> {
            int from = (int) ((long) n * part / parts), to = (int) ((long) n * (part + 1) / parts);
            double d = 0, last = Double.NaN, f = 0;
            for (int i = from; i < to; i++) {
                if (x[i] != last) {
                    last = x[i];
                    f = dist.cumulativeProbability(last);
                }
                d = Math.max(d, Math.max((double) (i + 1) / n - f, f - (double) i / n));
            }
            return d;
        }).max().orElse(0);
    }

    /** Kolmogorov-Smirnov p-value of the sample against dist (commons-math3's asymptotic distribution of D). Sorts {@code x}. */
    public static double ksPValue(RealDistribution dist, double[] x) {
        return 1 - new KolmogorovSmirnovTest().cdf(ksStatistic(dist, x), x.length, false);
    }

    /** Asserts KS p-value > 1e-4: a correct generator fails this once in 10^4 runs per check; the seeds are fixed, so it is stable. */
    public static void assertKs(String what, RealDistribution dist, double[] x) {
        double p = ksPValue(dist, x);
        if (!(p > 1e-4)) {
            throw new AssertionError(String.format(Locale.ROOT, "%s: KS p-value %.3g <= 1e-4 against %s (n=%d, D=%.3g)",
                    what, p, dist.getClass().getSimpleName(), x.length, ksStatistic(dist, x)));
        }
    }
}
