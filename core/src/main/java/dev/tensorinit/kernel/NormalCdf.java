package dev.tensorinit.kernel;

/**
 * The standard normal CDF Φ in double precision, for the host side of the truncated normal only
 * (the kernels receive Φ(α) and Φ(β)-Φ(α) as parameters). StrictMath keeps it identical on every JVM.
 */
public final class NormalCdf {
    private NormalCdf() {}

    private static final double INV_SQRT2 = 0x1.6a09e667f3bcdp-1;
    private static final double INV_SQRT_PI = 0.56418958354775628695;

    public static double phi(double x) {
        return 0.5 * erfc(-x * INV_SQRT2);
    }

    /** Complementary error function; relative error about 1e-14 where the result is normal. */
    public static double erfc(double z) {
        if (Double.isNaN(z)) return z;
        if (z < 0) return 2.0 - erfc(-z);
        if (z < 1.0) return 1.0 - erf(z); // beyond 1, 1 - erf cancels (x175 at z = 1.95); the fraction converges there
        if (z > 27.3) return 0.0; // below the smallest subnormal
        // Continued fraction erfc(z) = e^{-z²}/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + ...)))), bottom-up.
        double t = z;
        for (int n = 200; n >= 1; n--) t = z + (n * 0.5) / t;
        return StrictMath.exp(-z * z) * INV_SQRT_PI / t;
    }

    /** erf for 0 <= z < 1 by the all-positive series e^{-z²}·2/√π·Σ 2ⁿz^{2n+1}/(2n+1)!!. */
    static double erf(double z) {
        double z2 = z * z;
        double term = z;
        double sum = z;
        for (int n = 1; n < 200; n++) {
            term *= 2.0 * z2 / (2 * n + 1);
            sum += term;
            if (term < sum * 1e-17) break;
        }
        return 2.0 * INV_SQRT_PI * StrictMath.exp(-z2) * sum;
    }
}
