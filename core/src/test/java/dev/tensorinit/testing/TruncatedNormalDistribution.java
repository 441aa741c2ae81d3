package dev.tensorinit.testing;

import org.apache.commons.math3.distribution.AbstractRealDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * N(mean, std²) restricted to [a, b] (absolute bounds), built from commons-math3's standard normal:
 * F(x) = (Φ((x-μ)/σ) - Φ(α)) / (Φ(β) - Φ(α)), α = (a-μ)/σ, β = (b-μ)/σ. Mean and variance by the
 * closed forms μ + σ(φ(α)-φ(β))/Z and σ²(1 + (αφ(α)-βφ(β))/Z - ((φ(α)-φ(β))/Z)²).
 */
public final class TruncatedNormalDistribution extends AbstractRealDistribution {
    private static final long serialVersionUID = 1L;
    private static final NormalDistribution STD = new NormalDistribution(null, 0, 1, NormalDistribution.DEFAULT_INVERSE_ABSOLUTE_ACCURACY);

    private final double mean, std, a, b, alpha, beta, phiAlpha, mass;

    public TruncatedNormalDistribution(double mean, double std, double a, double b) {
        super(null);
        if (!(std > 0) || !(a < b)) throw new IllegalArgumentException("need std > 0 and a < b, got std " + std + " [" + a + ", " + b + "]");
        this.mean = mean;
        this.std = std;
        this.a = a;
        this.b = b;
        this.alpha = (a - mean) / std;
        this.beta = (b - mean) / std;
        this.phiAlpha = STD.cumulativeProbability(alpha);
        this.mass = STD.cumulativeProbability(beta) - phiAlpha;
    }

    @Override public double density(double x) {
        return x < a || x > b ? 0 : STD.density((x - mean) / std) / (std * mass);
    }

    @Override public double cumulativeProbability(double x) {
        if (x <= a) return 0;
        if (x >= b) return 1;
        return Math.min(1, (STD.cumulativeProbability((x - mean) / std) - phiAlpha) / mass);
    }

    @Override public double getNumericalMean() {
        return mean + std * (STD.density(alpha) - STD.density(beta)) / mass;
    }

    @Override public double getNumericalVariance() {
        double da = STD.density(alpha), db = STD.density(beta);
        double m = (da - db) / mass;
        return std * std * (1 + (alpha * da - beta * db) / mass - m * m);
    }

    @Override public double getSupportLowerBound() { return a; }
    @Override public double getSupportUpperBound() { return b; }
    @Override public boolean isSupportLowerBoundInclusive() { return true; }
    @Override public boolean isSupportUpperBoundInclusive() { return true; }
    @Override public boolean isSupportConnected() { return true; }
}
