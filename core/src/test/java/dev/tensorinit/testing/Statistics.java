package dev.tensorinit.testing;

import dev.tensorinit.DType;
import dev.tensorinit.Distribution;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.RealDistribution;
import org.apache.commons.math3.distribution.UniformRealDistribution;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;

import java.lang.foreign.MemorySegment;
import java.util.Locale;

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

    /** Kolmogorov-Smirnov p-value of the sample against dist (asymptotic, commons-math3). Sorts {@code x} in place. */
    public static double ksPValue(RealDistribution dist, double[] x) {
        return new KolmogorovSmirnovTest().kolmogorovSmirnovTest(dist, x, false);
    }

    /** Asserts KS p-value > 1e-4: a correct generator fails this once in 10^4 runs per check; the seeds are fixed, so it is stable. */
    public static void assertKs(String what, RealDistribution dist, double[] x) {
        double p = ksPValue(dist, x);
        if (!(p > 1e-4)) {
            throw new AssertionError(String.format(Locale.ROOT, "%s: KS p-value %.3g <= 1e-4 against %s (n=%d, D=%.3g)",
                    what, p, dist.getClass().getSimpleName(), x.length,
                    new KolmogorovSmirnovTest().kolmogorovSmirnovStatistic(dist, x)));
        }
    }
}
