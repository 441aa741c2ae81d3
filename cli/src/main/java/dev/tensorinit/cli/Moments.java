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
            case Distribution.LogOfUniform l -> logOfUniform(l);
        };
    }

    /** ln X, X ~ U(a, b): E = [x(ln x − 1)]ₐᵇ/(b − a), E[Y²] = [x(ln²x − 2 ln x + 2)]ₐᵇ/(b − a); support [ln a, ln b]. */
    static Moments logOfUniform(Distribution.LogOfUniform l) {
        double a = l.low(), b = l.high(), la = Math.log(a), lb = Math.log(b);
        double mean = (b * (lb - 1) - a * (la - 1)) / (b - a);
        double second = (b * (lb * lb - 2 * lb + 2) - a * (la * la - 2 * la + 2)) / (b - a);
        return new Moments(mean, Math.sqrt(Math.max(0, second - mean * mean)), la, lb);
    }

    /** N(μ, σ²) restricted to [a, b]: with α, β the standardized bounds and Z = Φ(β) − Φ(α),
     *  mean = μ + σ(φ(α) − φ(β))/Z, var = σ²[1 + (αφ(α) − βφ(β))/Z − ((φ(α) − φ(β))/Z)²]. */
    static Moments truncated(Distribution.TruncatedNormal t) {
        double s = t.std();
        double al = standardized(t.a(), t.mean(), s), be = standardized(t.b(), t.mean(), s);
        double z = NormalCdf.phi(be) - NormalCdf.phi(al);
        double pa = density(al), pb = density(be);
        double r = (pa - pb) / z;
        // σ times the root, not the root of σ²·(...): σ² overflows past 1.3e154 and underflows below 1e-162 (f64 fills).
        double v = 1 + (times(al, pa) - times(be, pb)) / z - r * r;
        return new Moments(t.mean() + s * r, s * Math.sqrt(Math.max(0, v)), t.a(), t.b());
    }

    /** (x − μ)/σ, also where x − μ alone overflows (bounds near ±1e308 on both sides of the mean). */
    private static double standardized(double x, double mean, double s) {
        double d = x - mean;
        return Double.isInfinite(d) && Double.isFinite(x) ? x / s - mean / s : d / s;
    }

    /** x·φ(x), 0 at an infinite bound (φ is 0 there, and the product's limit is 0, not ∞·0). */
    private static double times(double x, double density) {
        return Double.isInfinite(x) ? 0 : x * density;
    }

    private static double density(double x) {
        return Double.isInfinite(x) ? 0 : INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    }
}
