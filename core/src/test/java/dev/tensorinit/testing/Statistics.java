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
            case Distribution.LogOfUniform l -> new LogOfUniformDistribution(l.low(), l.high());
            case Distribution.Constant c -> throw new IllegalArgumentException("a constant has no distribution to test");
        };
    }

    /** Samples from which {@link #ksStatistic} evaluates F at every {@value #KS_STRIDE}th order statistic only. */
    public static final int KS_EXACT_BELOW = 1 << 20, KS_STRIDE = 64;

    /**
     * The one-sample Kolmogorov-Smirnov statistic D = sup |F_n(x) - F(x)| as commons-math3's
     * {@code kolmogorovSmirnovStatistic} defines it (exact below {@value #KS_EXACT_BELOW} samples), sorted and
     * evaluated on all cores: commons' serial version takes ~8 s per 2^24 normals here. From
     * {@value #KS_EXACT_BELOW} samples on, F is evaluated at every {@value #KS_STRIDE}th order statistic and,
     * F being monotone, each block of {@value #KS_STRIDE} contributes the bound max((j+1)/n - F(x_i), F(x_j) - i/n):
     * the result is an upper bound at most {@value #KS_STRIDE}/n above the exact D, so the p-value is
     * conservative (a pass here is a pass of the exact test). Sorts {@code x} in place.
     */
    public static double ksStatistic(RealDistribution dist, double[] x) {
        Arrays.parallelSort(x);
        int n = x.length;
        int stride = n < KS_EXACT_BELOW ? 1 : KS_STRIDE;
        int blocks = (n + stride - 1) / stride;
        int parts = Math.max(1, Math.min(64, blocks >>> 10));
        return IntStream.range(0, parts).parallel().mapToDouble(part -> {
            int fromBlock = (int) ((long) blocks * part / parts), toBlock = (int) ((long) blocks * (part + 1) / parts);
            double d = 0;
            for (int b = fromBlock; b < toBlock; b++) {
                int i = b * stride, j = Math.min(n - 1, i + stride - 1);
                double fi = dist.cumulativeProbability(x[i]);
                double fj = j == i ? fi : x[j] == x[i] ? fi : dist.cumulativeProbability(x[j]);
                d = Math.max(d, Math.max((double) (j + 1) / n - fi, fj - (double) i / n));
            }
            return d;
        }).max().orElse(0);
    }

    /** Kolmogorov-Smirnov p-value of the sample against dist (commons-math3's asymptotic distribution of D; conservative, see {@link #ksStatistic}). Sorts {@code x}. */
    public static double ksPValue(RealDistribution dist, double[] x) {
        double d = ksStatistic(dist, x);
        // commons' Pelz-Good series returns NaN for tiny sqrt(n)·D; the Kolmogorov CDF there is below 1e-11.
        if (d * Math.sqrt(x.length) < 0.3) return 1;
        return 1 - new KolmogorovSmirnovTest().cdf(d, x.length, false);
    }

    /**
     * Asserts KS p-value > 1e-4: a correct generator fails this once in 10^4 runs per check; the seeds are
     * fixed, so it is stable. Returns the p-value. Sorts {@code x}.
     */
    public static double assertKs(String what, RealDistribution dist, double[] x) {
        double p = ksPValue(dist, x);
        if (!(p > 1e-4)) {
            throw new AssertionError(String.format(Locale.ROOT, "%s: KS p-value %.3g <= 1e-4 against %s (n=%d, D=%.3g)",
                    what, p, dist.getClass().getSimpleName(), x.length, ksStatistic(dist, x)));
        }
        return p;
    }
}
