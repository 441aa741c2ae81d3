package dev.tensorinit;

import dev.tensorinit.testing.TruncatedNormalDistribution;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every init spec resolves to the distribution BRIEF.md's formulas give, computed here independently
 * (the test writes the formula out; it does not call the code under test to get expectations).
 */
class InitSpecTest {
    // torch [out=300, in=200, 3, 3] and the same weight in jax [3, 3, in=200, out=300]: fan_in 1800, fan_out 2700.
    static final Shape TORCH_CONV = Shape.of(300, 200, 3, 3);
    static final Shape JAX_CONV = Shape.of(3, 3, 200, 300);
    static final double FI = 1800, FO = 2700;
    static final double JAX_TRUNC_STD = 0.87962566103423978;

    private static void close(double expected, double actual, String what) {
        assertEquals(expected, actual, Math.abs(expected) * 4e-16, what);
    }

    private static void uniform(double bound, Distribution d) {
        Distribution.Uniform u = assertInstanceOf(Distribution.Uniform.class, d);
        close(-bound, u.low(), "low");
        close(bound, u.high(), "high");
    }

    private static void normal(double std, Distribution d) {
        Distribution.Normal n = assertInstanceOf(Distribution.Normal.class, d);
        assertEquals(0.0, n.mean());
        close(std, n.std(), "std");
    }

    /** JAX's truncated normal: N(0, (√var/0.8796...)²) cut at ±2 of its own std. */
    private static void jaxTruncated(double variance, Distribution d) {
        Distribution.TruncatedNormal t = assertInstanceOf(Distribution.TruncatedNormal.class, d);
        double std = Math.sqrt(variance) / JAX_TRUNC_STD;
        assertEquals(0.0, t.mean());
        close(std, t.std(), "std");
        close(-2 * std, t.a(), "a");
        close(2 * std, t.b(), "b");
    }

    @Test
    void xavier() {
        for (double gain : new double[] {1.0, 5.0 / 3.0, Math.sqrt(2)}) {
            double std = gain * Math.sqrt(2.0 / (FI + FO));
            normal(std, InitSpec.xavierNormal(gain).resolve(TORCH_CONV, Layout.TORCH));
            uniform(Math.sqrt(3) * std, InitSpec.xavierUniform(gain).resolve(TORCH_CONV, Layout.TORCH));
            normal(std, InitSpec.xavierNormal(gain).resolve(JAX_CONV, Layout.JAX));
        }
        // fan_in + fan_out past 2^63-1 (shape [1, 2^63-1]) still resolves instead of overflowing.
        normal(Math.sqrt(2.0 / 0x1p63), InitSpec.xavierNormal().resolve(Shape.of(1, Long.MAX_VALUE), Layout.TORCH));
        // The common case: bound = sqrt(6 / (fan_in + fan_out)).
        uniform(Math.sqrt(6.0 / (1024 + 4096)), InitSpec.xavierUniform().resolve(Shape.of(4096, 1024), Layout.TORCH));
    }

    @Test
    void kaiming() {
        // Defaults (a=0, fan_in, leaky_relu): gain sqrt(2 / (1 + 0²)) = sqrt(2).
        normal(Math.sqrt(2) / Math.sqrt(FI), InitSpec.kaimingNormal().resolve(TORCH_CONV, Layout.TORCH));
        uniform(Math.sqrt(3) * Math.sqrt(2) / Math.sqrt(FI), InitSpec.kaimingUniform().resolve(TORCH_CONV, Layout.TORCH));
        normal(Math.sqrt(2) / Math.sqrt(FO), InitSpec.kaimingNormal(0, FanMode.FAN_OUT, "relu").resolve(TORCH_CONV, Layout.TORCH));
        normal(1.0 / Math.sqrt(FI), InitSpec.kaimingNormal(0, FanMode.FAN_IN, "linear").resolve(TORCH_CONV, Layout.TORCH));
        // nn.Linear's default: kaiming_uniform(a=sqrt(5)) has bound exactly 1/sqrt(fan_in).
        uniform(1.0 / Math.sqrt(1024), InitSpec.kaimingUniform(Math.sqrt(5), FanMode.FAN_IN, "leaky_relu")
                .resolve(Shape.of(4096, 1024), Layout.TORCH));
        // kaiming rejects fan_avg, which PyTorch does not have.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InitSpec.kaimingNormal(0, FanMode.FAN_AVG, "relu"));
        assertTrue(e.getMessage().contains("fan_avg"), e.getMessage());
    }

    @Test
    void truncNormalBoundsAreAbsolute() {
        Distribution d = InitSpec.truncNormal(0.5, 0.02, -0.04, 0.04).resolve(TORCH_CONV, Layout.TORCH);
        assertEquals(new Distribution.TruncatedNormal(0.5, 0.02, -0.04, 0.04), d);
        assertEquals(new Distribution.TruncatedNormal(0, 1, -2, 2), InitSpec.truncNormal().resolve(Shape.of(5), Layout.TORCH));
    }

    @Test
    void jaxConstantIsTheStdOfTheTruncatedUnitNormal() {
        double std = Math.sqrt(new TruncatedNormalDistribution(0, 1, -2, 2).getNumericalVariance());
        assertEquals(std, InitSpec.VarianceScaling.TRUNCATED_STD, 1e-15);
        assertEquals(JAX_TRUNC_STD, InitSpec.VarianceScaling.TRUNCATED_STD);
    }

    @Test
    void glorotHeLecunPresets() {
        double avg = (FI + FO) / 2;
        uniform(Math.sqrt(3 / avg), InitSpec.glorotUniform().resolve(JAX_CONV, Layout.JAX));
        jaxTruncated(1 / avg, InitSpec.glorotNormal().resolve(JAX_CONV, Layout.JAX));
        uniform(Math.sqrt(6 / FI), InitSpec.heUniform().resolve(JAX_CONV, Layout.JAX));
        jaxTruncated(2 / FI, InitSpec.heNormal().resolve(JAX_CONV, Layout.JAX));
        uniform(Math.sqrt(3 / FI), InitSpec.lecunUniform().resolve(JAX_CONV, Layout.JAX));
        jaxTruncated(1 / FI, InitSpec.lecunNormal().resolve(JAX_CONV, Layout.JAX));
        // The families agree on the uniform: glorot_uniform = xavier_uniform(gain 1) for the same weight.
        Distribution.Uniform g = (Distribution.Uniform) InitSpec.glorotUniform().resolve(JAX_CONV, Layout.JAX);
        Distribution.Uniform x = (Distribution.Uniform) InitSpec.xavierUniform().resolve(TORCH_CONV, Layout.TORCH);
        close(x.high(), g.high(), "glorot_uniform vs xavier_uniform");
        // ...and differ on the normal: glorot_normal is truncated, xavier_normal is not.
        assertInstanceOf(Distribution.Normal.class, InitSpec.xavierNormal().resolve(TORCH_CONV, Layout.TORCH));
    }

    @Test
    void varianceScaling() {
        double scale = 0.37;
        for (FanMode mode : FanMode.values()) {
            double n = switch (mode) { case FAN_IN -> FI; case FAN_OUT -> FO; case FAN_AVG -> (FI + FO) / 2; };
            double var = scale / n;
            uniform(Math.sqrt(3 * var), InitSpec.varianceScaling(scale, mode, InitSpec.VsDistribution.UNIFORM).resolve(JAX_CONV, Layout.JAX));
            normal(Math.sqrt(var), InitSpec.varianceScaling(scale, mode, InitSpec.VsDistribution.NORMAL).resolve(JAX_CONV, Layout.JAX));
            jaxTruncated(var, InitSpec.varianceScaling(scale, mode, InitSpec.VsDistribution.TRUNCATED_NORMAL).resolve(JAX_CONV, Layout.JAX));
        }
    }

    @Test
    void distributionSpellings() {
        // JAX: "normal" is untruncated; Keras spells that "untruncated_normal". Both mean the same here.
        assertEquals(InitSpec.VsDistribution.NORMAL, InitSpec.VsDistribution.parse("normal"));
        assertEquals(InitSpec.VsDistribution.NORMAL, InitSpec.VsDistribution.parse("untruncated_normal"));
        assertEquals(InitSpec.VsDistribution.TRUNCATED_NORMAL, InitSpec.VsDistribution.parse("truncated_normal"));
        assertEquals(InitSpec.VsDistribution.UNIFORM, InitSpec.VsDistribution.parse(" Uniform "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InitSpec.VsDistribution.parse("gaussian"));
        assertTrue(e.getMessage().contains("'gaussian'"), e.getMessage());
    }

    @Test
    void plainInits() {
        assertEquals(new Distribution.Uniform(-0.5, 2), InitSpec.uniform(-0.5, 2).resolve(Shape.of(), Layout.TORCH));
        assertEquals(new Distribution.Normal(1, 3), InitSpec.normal(1, 3).resolve(Shape.of(), Layout.TORCH));
        assertEquals(new Distribution.Constant(0.3), InitSpec.constant(0.3).resolve(Shape.of(), Layout.TORCH));
        assertEquals(new Distribution.Constant(0), InitSpec.zeros().resolve(Shape.of(7), Layout.TORCH));
        assertEquals(new Distribution.Constant(1), InitSpec.ones().resolve(Shape.of(7), Layout.TORCH));
        assertEquals("zeros", InitSpec.zeros().name());
    }

    @Test
    void fanInitsNeedRankTwoInTorchLayout() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InitSpec.xavierUniform().resolve(Shape.of(10), Layout.TORCH));
        assertTrue(e.getMessage().contains("rank 1"), e.getMessage());
        // ... while the JAX layout has fans (n, n) for rank 1: var = 1/n.
        uniform(Math.sqrt(3.0 / 10), InitSpec.glorotUniform().resolve(Shape.of(10), Layout.JAX));
    }

    @Test
    void rejectsBadParametersNamingTheValue() {
        expect("gain", "NaN", () -> InitSpec.xavierUniform(Double.NaN));
        expect("gain", "Infinity", () -> InitSpec.xavierNormal(Double.POSITIVE_INFINITY));
        expect("gain", "-1.5", () -> InitSpec.xavierNormal(-1.5));
        expect("gain", "0.0", () -> InitSpec.xavierUniform(0));
        expect("std", "-0.1", () -> InitSpec.normal(0, -0.1));
        expect("std", "NaN", () -> InitSpec.truncNormal(0, Double.NaN, -2, 2));
        expect("mean", "Infinity", () -> InitSpec.normal(Double.POSITIVE_INFINITY, 1));
        expect("scale", "-2.0", () -> InitSpec.varianceScaling(-2, FanMode.FAN_IN, InitSpec.VsDistribution.UNIFORM));
        expect("scale", "NaN", () -> InitSpec.varianceScaling(Double.NaN, FanMode.FAN_IN, InitSpec.VsDistribution.NORMAL));
        expect("a (2.0)", "b (2.0)", () -> InitSpec.truncNormal(0, 1, 2, 2));
        expect("a (3.0)", "b (-3.0)", () -> InitSpec.truncNormal(0, 1, 3, -3));
        expect("low (1.0)", "high (1.0)", () -> InitSpec.uniform(1, 1));
        expect("low (2.0)", "high (1.0)", () -> InitSpec.uniform(2, 1));
        expect("low", "-Infinity", () -> InitSpec.uniform(Double.NEGATIVE_INFINITY, 1));
        expect("value", "NaN", () -> InitSpec.constant(Double.NaN));
        expect("a", "NaN", () -> InitSpec.kaimingNormal(Double.NaN, FanMode.FAN_IN, "leaky_relu"));
        expect("nonlinearity", "'swish'", () -> InitSpec.kaimingNormal(0, FanMode.FAN_IN, "swish"));
    }

    /** The name goes into file metadata, so it must match what the spec does (any name was accepted). */
    @Test
    void namesMustSayWhatTheSpecDoes() {
        expect("'bogus'", "zeros", () -> new InitSpec.Constant("bogus", 1));
        expect("zeros", "5.0", () -> new InitSpec.Constant("zeros", 5));
        expect("ones", "0.0", () -> new InitSpec.Constant("ones", 0));
        assertEquals(InitSpec.zeros(), new InitSpec.Constant("zeros", 0.0));
        expect("zeros", "-0.0", () -> new InitSpec.Constant("zeros", -0.0));
        expect("'bogus'", "variance_scaling", () -> new InitSpec.VarianceScaling("bogus", 1, FanMode.FAN_IN, InitSpec.VsDistribution.UNIFORM));
        expect("glorot_uniform", "scale 2.0", () -> new InitSpec.VarianceScaling("glorot_uniform", 2, FanMode.FAN_AVG, InitSpec.VsDistribution.UNIFORM));
        expect("he_normal", "fan_out", () -> new InitSpec.VarianceScaling("he_normal", 2, FanMode.FAN_OUT, InitSpec.VsDistribution.TRUNCATED_NORMAL));
        assertEquals(InitSpec.heNormal(), new InitSpec.VarianceScaling("he_normal", 2, FanMode.FAN_IN, InitSpec.VsDistribution.TRUNCATED_NORMAL));
        new InitSpec.VarianceScaling("variance_scaling", 3, FanMode.FAN_OUT, InitSpec.VsDistribution.NORMAL);
    }

    static void expect(String part1, String part2, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(part1) && e.getMessage().contains(part2),
                "message should name " + part1 + " and " + part2 + ": " + e.getMessage());
    }
}
