package dev.tensorinit.kernel;

/**
 * The f32 transforms of the contract, in the one operation order that the C header
 * ({@code tensorinit_math.h}) and the Vector API kernel repeat. Only +, -, ×, ÷, sqrt and fused
 * multiply-add appear, each correctly rounded, so every IEEE-754 machine gets the same bits.
 * Library log/erfinv are not used: they differ between Java, OpenCL and CUDA.
 */
public final class F32Math {
    private F32Math() {}

    // 2/(2k+1), k = 1..5: the atanh series of log.
    static final float L3 = 0x1.555556p-1f, L5 = 0x1.99999ap-2f, L7 = 0x1.24924ap-2f, L9 = 0x1.c71c72p-3f,
            L11 = 0x1.745d18p-3f;
    static final float LN2_HI = 0x1.63p-1f, LN2_LO = -0x1.bd0106p-13f;
    static final int SQRT_HALF_BITS = 0x3f3504f3;
    public static final float SQRT2 = 0x1.6a09e6p+0f;

    // Giles (2010), "Approximating the erfinv function", single precision, w < 5 and w >= 5.
    static final float[] G1 = {0x1.e2cb1p-26f, 0x1.70966cp-22f, -0x1.d8e6aep-19f, -0x1.26b582p-18f, 0x1.ca65b6p-13f,
            -0x1.48a81p-10f, -0x1.11c9dep-8f, 0x1.f91ec6p-3f, 0x1.805c5ep+0f};
    private static final float G1_0 = G1[0], G1_1 = G1[1], G1_2 = G1[2], G1_3 = G1[3], G1_4 = G1[4], G1_5 = G1[5], G1_6 = G1[6],
            G1_7 = G1[7], G1_8 = G1[8];
    static final float[] G2 = {-0x1.a3e136p-13f, 0x1.a76ad6p-14f, 0x1.61b8e4p-10f, -0x1.e17bcep-9f, 0x1.7824f6p-8f,
            -0x1.f38baep-8f, 0x1.354afcp-7f, 0x1.006db6p+0f, 0x1.6a9efcp+1f};

    /**
     * The p range where {@link #ndtri} keeps a relative error below 1e-6 (Giles' fit ends near 2⁻²⁶);
     * the truncated normal clamps p into it.
     */
    public static final float P_MIN = 0x1p-26f, P_MAX = 0x1.fffffep-1f;

    /**
     * Uniform on the open interval (0, 1) from a 32-bit word: the top 23 bits k give (k + ½)·2⁻²³,
     * exactly, so 0 and 1 never occur and u and 1-u are both on the lattice.
     */
    public static float uniform(int word) {
        // 1.k (bits 0x3F800000 | k) minus 1 is k·2⁻²³ exactly; adding 2⁻²⁴ is exact too.
        return (Float.intBitsToFloat(0x3F800000 | (word >>> 9)) - 1f) + 0x1p-24f;
    }

    /** Natural log for positive normal x: x = 2^e·m, m in [√½, √2), log m = 2·atanh((m-1)/(m+1)). */
    public static float log(float x) {
        int e = logExponent(x);
        return logOfParts(logMantissa(x, e), (float) e);
    }

    /** log's e: x = 2^e·m with m in [√½, √2). */
    public static int logExponent(float x) {
        return (Float.floatToRawIntBits(x) - SQRT_HALF_BITS) >> 23;
    }

    /** log's m = x·2^-e, made by subtracting e from the exponent bits. */
    public static float logMantissa(float x, int e) {
        return Float.intBitsToFloat(Float.floatToRawIntBits(x) - (e << 23));
    }

    /**
     * log(2^e·m) from its parts, e given as a float (exact: |e| < 2^24): the arithmetic half of log, no bit
     * operations, so a loop of it is one C2's auto-vectorizer turns into SIMD code (the CPU backend's scalar kernel
     * runs it so). e comes as a float because a loop that converted an int array's e in its body stayed scalar (JDK 25).
     */
    public static float logOfParts(float m, float ef) {
        float f = m - 1f;
        float s = f / (m + 1f);
        float s2 = s * s;
        float p = Math.fma(s2, L11, L9);
        p = Math.fma(p, s2, L7);
        p = Math.fma(p, s2, L5);
        p = Math.fma(p, s2, L3);
        float lm = Math.fma(s * s2, p, s + s);
        return Math.fma(ef, LN2_HI, Math.fma(ef, LN2_LO, lm));
    }

    /** Standard normal quantile Φ⁻¹(p) = √2·erfinv(2p-1), for p in [P_MIN, P_MAX]. */
    public static float ndtri(float p) {
        float q = 1f - p;
        float x = p - q;                       // 2p - 1
        float w = -log((4f * p) * q);          // -log((1-x)(1+x)) without cancellation near |x| = 1
        return (giles(w) * x) * SQRT2;
    }

    /** Giles' erfinv(x)/x as a function of w = -log((1-x)(1+x)): the second half of {@link #ndtri}. */
    public static float giles(float w) {
        return w < 5f ? gilesCentral(w) : gilesTail(w);
    }

    /** Giles' w < 5 branch, written out (no loop over G1): a loop of it is one C2 vectorizes. */
    public static float gilesCentral(float w) {
        float t = w - 2.5f;
        float r = Math.fma(G1_0, t, G1_1);
        r = Math.fma(r, t, G1_2);
        r = Math.fma(r, t, G1_3);
        r = Math.fma(r, t, G1_4);
        r = Math.fma(r, t, G1_5);
        r = Math.fma(r, t, G1_6);
        r = Math.fma(r, t, G1_7);
        return Math.fma(r, t, G1_8);
    }

    /** Giles' w >= 5 branch. */
    public static float gilesTail(float w) {
        float t = (float) Math.sqrt(w) - 3f;
        float r = G2[0];
        for (int i = 1; i < G2.length; i++) r = Math.fma(r, t, G2[i]);
        return r;
    }

    /** Round-to-nearest-even to bfloat16 (finite inputs). */
    public static short toBf16(float v) {
        int b = Float.floatToRawIntBits(v);
        return (short) ((b + 0x7FFF + ((b >>> 16) & 1)) >>> 16);
    }

    /** Round-to-nearest-even to IEEE binary16. */
    public static short toF16(float v) {
        return Float.floatToFloat16(v);
    }
}
