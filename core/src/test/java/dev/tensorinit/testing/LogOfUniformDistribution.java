package dev.tensorinit.testing;

import org.apache.commons.math3.distribution.AbstractRealDistribution;

/**
 * Y = ln X with X ~ U(a, b), 0 &lt; a &lt; b: F(y) = (e^y - a) / (b - a) on [ln a, ln b], density e^y / (b - a).
 * Moments from ∫ ln x dx = x (ln x - 1) and ∫ ln² x dx = x (ln² x - 2 ln x + 2), over [a, b] and divided by b - a.
 */
public final class LogOfUniformDistribution extends AbstractRealDistribution {
    private static final long serialVersionUID = 1L;

    private final double a, b;

    public LogOfUniformDistribution(double a, double b) {
        super(null);
        if (!(a > 0) || !(a < b)) throw new IllegalArgumentException("need 0 < a < b, got [" + a + ", " + b + "]");
        this.a = a;
        this.b = b;
    }

    @Override public double density(double y) {
        return y < Math.log(a) || y > Math.log(b) ? 0 : Math.exp(y) / (b - a);
    }

    @Override public double cumulativeProbability(double y) {
        double x = Math.exp(y);
        if (x <= a) return 0;
        if (x >= b) return 1;
        return (x - a) / (b - a);
    }

    @Override public double getNumericalMean() {
        return (first(b) - first(a)) / (b - a);
    }

    @Override public double getNumericalVariance() {
        double m = getNumericalMean();
        return (second(b) - second(a)) / (b - a) - m * m;
    }

    private static double first(double x) { return x * (Math.log(x) - 1); }

    private static double second(double x) {
        double l = Math.log(x);
        return x * (l * l - 2 * l + 2);
    }

    @Override public double getSupportLowerBound() { return Math.log(a); }
    @Override public double getSupportUpperBound() { return Math.log(b); }
    @Override public boolean isSupportLowerBoundInclusive() { return true; }
    @Override public boolean isSupportUpperBoundInclusive() { return true; }
    @Override public boolean isSupportConnected() { return true; }
}
