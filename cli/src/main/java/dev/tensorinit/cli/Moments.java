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

    /**
     * ln X, X ~ U(a, b), support [ln a, ln b]. Written as ln b − V with L = ln(b/a): V has the density e^−v/(1 − e^−L) on
     * [0, L], an exponential truncated at L, so E[ln X] = ln b − (1 − L/(e^L − 1)) and, with h = L/2,
     * Var = 1 − (h/sinh h)². Each is summed as a series where it is a small difference of terms near 1. The textbook
     * E[Y²] − E[Y]² cancelled: for U(5, 5.000001) it said std 1.8e-5 against 5.8e-8, and 0 for U(1e7, 1.0000001e7).
     */
    static Moments logOfUniform(Distribution.LogOfUniform l) {
        double a = l.low(), b = l.high(), la = Math.log(a), lb = Math.log(b);
        // b − a is exact where b ≤ 2a (Sterbenz), so a narrow range keeps its width; a vast one (b/a past the doubles) subtracts logs
        double ratio = b / a;
        double width = b <= 2 * a ? Math.log1p((b - a) / a) : Double.isFinite(ratio) ? Math.log(ratio) : lb - la;
        return new Moments(lb - truncatedExponentialMean(width), Math.sqrt(truncatedExponentialVariance(width / 2)), la, lb);
    }

    /** 1 − L/(e^L − 1) = (e^L − 1 − L)/(e^L − 1), the mean of Exp(1) truncated at L > 0; L/2 − L²/12 + … for small L. */
    static double truncatedExponentialMean(double width) {
        double em1 = Math.expm1(width);
        if (width >= 0.5) return 1 - width / em1;   // 0 when e^L overflows: the mean is 1
        double term = width * width / 2, sum = 0;   // e^L − 1 − L = Σ_{k≥2} L^k/k!
        for (int k = 3; sum + term != sum; k++) {
            sum += term;
            term *= width / k;
        }
        return sum / em1;
    }

    /** 1 − (h/sinh h)² = (sinh h − h)(sinh h + h)/sinh² h, the variance of Exp(1) truncated at 2h > 0; h²/3 − … for small h. */
    static double truncatedExponentialVariance(double h) {
        if (h >= 0.5) {
            double q = 2 * h * Math.exp(-h) / -Math.expm1(-2 * h);   // h/sinh h, without sinh's overflow past h = 710
            return 1 - q * q;
        }
        double term = h * h * h / 6, excess = 0;   // sinh h − h = Σ_{k≥1} h^(2k+1)/(2k+1)!
        for (int k = 4; excess + term != excess; k += 2) {
            excess += term;
            term *= h * h / (k * (k + 1));
        }
        double sinh = h + excess;
        return excess / sinh * ((sinh + h) / sinh);
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
