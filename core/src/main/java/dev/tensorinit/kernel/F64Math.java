package dev.tensorinit.kernel;

/** The f64 transforms of the contract; same structure as {@link F32Math}, in double precision. */
public final class F64Math {
    private F64Math() {}

    // 2/(2k+1), k = 1..11.
    static final double[] L = {0x1.5555555555555p-1, 0x1.999999999999ap-2, 0x1.2492492492492p-2, 0x1.c71c71c71c71cp-3,
            0x1.745d1745d1746p-3, 0x1.3b13b13b13b14p-3, 0x1.1111111111111p-3, 0x1.e1e1e1e1e1e1ep-4,
            0x1.af286bca1af28p-4, 0x1.8618618618618p-4, 0x1.642c8590b2164p-4};
    static final double LN2_HI = 0x1.62e42feep-1, LN2_LO = 0x1.a39ef35793c76p-33;
    static final long SQRT_HALF_BITS = 0x3fe6a09e667f3bcdL;
    public static final double SQRT2 = 0x1.6a09e667f3bcdp+0;

    // Giles (2010), double precision: w < 6.25, w < 16, else.
    static final double[] G1 = {-0x1.135d2e746e627p-68, -0x1.8ddf93324d327p-63, 0x1.7b83eef0b7c9fp-60,
            0x1.9ba72cd589b91p-57, -0x1.33689090a6b96p-53, 0x1.82e11898132e0p-56, 0x1.de4acfd9e26bap-48,
            -0x1.6d33eed66c487p-45, -0x1.6f2167040d8e2p-44, 0x1.72a22c2d77e20p-39, -0x1.c8859c4e5c0afp-37,
            -0x1.dc583d118a561p-35, 0x1.20f47ccf46b3cp-30, -0x1.1a9e38dc84d60p-28, -0x1.f36cd6d3d46a9p-26,
            0x1.c6b4f5d03b787p-22, -0x1.6e8a5434ae8a2p-20, -0x1.d1d1f7b8736f6p-17, 0x1.879c2a212f024p-13,
            -0x1.845769484fca8p-11, -0x1.8b6c33114f909p-8, 0x1.ebd80d9b13e28p-3, 0x1.a755e7c99ae86p+0};
    static final double[] G2 = {0x1.3040f87dbd932p-29, 0x1.85cbe52878635p-24, -0x1.2777453dd3955p-22,
            0x1.395abcd554c6cp-26, 0x1.936388a3790adp-20, -0x1.0d5db812b5083p-18, 0x1.8860cd5d652f6p-19,
            0x1.a29a0cacdfb23p-17, -0x1.8cef1f80281f2p-15, 0x1.1e684d0b9188ap-14, 0x1.932cd54c8a222p-16,
            -0x1.7448a89ef8aa3p-12, 0x1.f3cc55ad40c25p-11, -0x1.ba924132f38b1p-10, 0x1.468eeca533cf8p-9,
            -0x1.ebadabb891bbdp-9, 0x1.5ffcfe5b76afcp-8, 0x1.0158a6d641d39p+0, 0x1.8abcc380d5a48p+1};
    static final double[] G3 = {-0x1.dcec3a7785389p-36, -0x1.18feec0e38727p-32, 0x1.9e6bf2dda45e3p-30,
            -0x1.0468fb24e2f5fp-28, 0x1.05ac6a8fba182p-27, -0x1.0102e495fb9c0p-26, 0x1.f4c20e1334af8p-26,
            -0x1.22d220fdf9c3ep-24, 0x1.ebc8bb824cb54p-23, -0x1.0a8d40ea372ccp-20, 0x1.2fbd29d093d2bp-18,
            -0x1.4a3497e1e0facp-16, 0x1.3ebf4eb00938fp-14, -0x1.c2f36a8fc5d53p-13, -0x1.22ea5df04047cp-13,
            0x1.02a30d1fba0dcp+0, 0x1.3664ddd1ad7fbp+2};

    /** The p range where {@link #ndtri} keeps a relative error below 1e-15; the truncated normal clamps into it. */
    public static final double P_MIN = 0x1p-54, P_MAX = 0x1.fffffffffffffp-1;

    /** Uniform on (0, 1) from two words: 26 + 26 high bits form k, u = (k + ½)·2⁻⁵², exactly. */
    public static double uniform(int hiWord, int loWord) {
        long k = ((long) (hiWord >>> 6) << 26) | (loWord >>> 6);
        return (Double.longBitsToDouble(0x3FF0000000000000L | k) - 1.0) + 0x1p-53;
    }

    // The coefficients as constants, and logOfParts and gilesCentral written out with them as F32Math's are: the CPU
    // backend's scalar kernel runs each in a loop over an array, which C2's auto-vectorizer then turns into SIMD code.
    private static final double L0 = L[0], L1 = L[1], L2 = L[2], L3 = L[3], L4 = L[4], L5 = L[5], L6 = L[6], L7 = L[7],
            L8 = L[8], L9 = L[9], L10 = L[10];
    private static final double G1_0 = G1[0], G1_1 = G1[1], G1_2 = G1[2], G1_3 = G1[3], G1_4 = G1[4], G1_5 = G1[5],
            G1_6 = G1[6], G1_7 = G1[7], G1_8 = G1[8], G1_9 = G1[9], G1_10 = G1[10], G1_11 = G1[11], G1_12 = G1[12],
            G1_13 = G1[13], G1_14 = G1[14], G1_15 = G1[15], G1_16 = G1[16], G1_17 = G1[17], G1_18 = G1[18], G1_19 = G1[19],
            G1_20 = G1[20], G1_21 = G1[21], G1_22 = G1[22];

    /** Natural log for positive normal x: x = 2^e·m, m in [√½, √2), log m = 2·atanh((m-1)/(m+1)). */
    public static double log(double x) {
        long e = logExponent(x);
        return logOfParts(logMantissa(x, e), (double) e);
    }

    /** log's e: x = 2^e·m with m in [√½, √2). */
    public static long logExponent(double x) {
        return (Double.doubleToRawLongBits(x) - SQRT_HALF_BITS) >> 52;
    }

    /** log's m = x·2^-e, made by subtracting e from the exponent bits. */
    public static double logMantissa(double x, long e) {
        return Double.longBitsToDouble(Double.doubleToRawLongBits(x) - (e << 52));
    }

    /** log(2^e·m) from its parts, e given as a double (exact): the arithmetic half of log, no bit operations. */
    public static double logOfParts(double m, double ef) {
        double f = m - 1.0;
        double s = f / (m + 1.0);
        double s2 = s * s;
        double p = Math.fma(L10, s2, L9);   // Horner from the highest coefficient down, as L's order has it
        p = Math.fma(p, s2, L8);
        p = Math.fma(p, s2, L7);
        p = Math.fma(p, s2, L6);
        p = Math.fma(p, s2, L5);
        p = Math.fma(p, s2, L4);
        p = Math.fma(p, s2, L3);
        p = Math.fma(p, s2, L2);
        p = Math.fma(p, s2, L1);
        p = Math.fma(p, s2, L0);
        double lm = Math.fma(s * s2, p, s + s);
        return Math.fma(ef, LN2_HI, Math.fma(ef, LN2_LO, lm));
    }

    public static double ndtri(double p) {
        double q = 1.0 - p;
        double x = p - q;
        double w = -log((4.0 * p) * q);
        return (giles(w) * x) * SQRT2;
    }

    /** Giles' erfinv(x)/x as a function of w = -log((1-x)(1+x)): the second half of {@link #ndtri}. */
    public static double giles(double w) {
        return w < 6.25 ? gilesCentral(w) : gilesTail(w);
    }

    /** Giles' w < 6.25 branch, written out (G1 in Horner's order). */
    public static double gilesCentral(double w) {
        double t = w - 3.125;
        double r = Math.fma(G1_0, t, G1_1);
        r = Math.fma(r, t, G1_2);
        r = Math.fma(r, t, G1_3);
        r = Math.fma(r, t, G1_4);
        r = Math.fma(r, t, G1_5);
        r = Math.fma(r, t, G1_6);
        r = Math.fma(r, t, G1_7);
        r = Math.fma(r, t, G1_8);
        r = Math.fma(r, t, G1_9);
        r = Math.fma(r, t, G1_10);
        r = Math.fma(r, t, G1_11);
        r = Math.fma(r, t, G1_12);
        r = Math.fma(r, t, G1_13);
        r = Math.fma(r, t, G1_14);
        r = Math.fma(r, t, G1_15);
        r = Math.fma(r, t, G1_16);
        r = Math.fma(r, t, G1_17);
        r = Math.fma(r, t, G1_18);
        r = Math.fma(r, t, G1_19);
        r = Math.fma(r, t, G1_20);
        r = Math.fma(r, t, G1_21);
        return Math.fma(r, t, G1_22);
    }

    /** Giles' w >= 6.25 branches. */
    public static double gilesTail(double w) {
        if (w < 16.0) return horner(G2, Math.sqrt(w) - 3.25);
        return horner(G3, Math.sqrt(w) - 5.0);
    }

    private static double horner(double[] c, double t) {
        double r = c[0];
        for (int i = 1; i < c.length; i++) r = Math.fma(r, t, c[i]);
        return r;
    }
}
