package dev.tensorinit.cli;

import dev.tensorinit.Distribution;
import dev.tensorinit.kernel.NormalCdf;

/** The exact mean and standard deviation of a resolved distribution, and its support. */
record Moments(double mean, double std, double low, double high) {

    private static final double INV_SQRT_2PI = 0.3989422804014327;

    static Moments of(Distribution d) {
        return switch (d) {
            case Distribution.Uniform u -> new Moments((u.low() + u.high()) / 2, (u.high() - u.low()) / Math.sqrt(12),
                    u.low(), u.high());
            case Distribution.Normal n -> new Moments(n.mean(), n.std(), Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
            case Distribution.TruncatedNormal t -> truncated(t);
            case Distribution.Constant c -> new Moments(c.value(), 0, c.value(), c.value());
        };
    }

    /** N(μ, σ²) restricted to [a, b]: with α, β the standardized bounds and Z = Φ(β) − Φ(α),
     *  mean = μ + σ(φ(α) − φ(β))/Z, var = σ²[1 + (αφ(α) − βφ(β))/Z − ((φ(α) − φ(β))/Z)²]. */
    static Moments truncated(Distribution.TruncatedNormal t) {
        double s = t.std();
        double al = (t.a() - t.mean()) / s, be = (t.b() - t.mean()) / s;
        double z = NormalCdf.phi(be) - NormalCdf.phi(al);
        double pa = density(al), pb = density(be);
        double r = (pa - pb) / z;
        double var = s * s * (1 + (al * pa - be * pb) / z - r * r);
        return new Moments(t.mean() + s * r, Math.sqrt(Math.max(0, var)), t.a(), t.b());
    }

    private static double density(double x) {
        return Double.isInfinite(x) ? 0 : INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    }
}
