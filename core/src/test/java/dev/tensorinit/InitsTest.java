package dev.tensorinit;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Inits.create: all 18 names with defaults and with parameters; unknown names and parameters fail loudly. */
class InitsTest {

    @Test
    void eighteenDistinctNames() {
        assertEquals(18, Inits.NAMES.size());
        assertEquals(18, new HashSet<>(Inits.NAMES).size());
    }

    @Test
    void everyNameWithDefaults() {
        Map<String, InitSpec> expected = Map.ofEntries(
                Map.entry("xavier_uniform", new InitSpec.XavierUniform(1)),
                Map.entry("xavier_normal", new InitSpec.XavierNormal(1)),
                Map.entry("kaiming_uniform", new InitSpec.Kaiming(true, 0, FanMode.FAN_IN, "leaky_relu")),
                Map.entry("kaiming_normal", new InitSpec.Kaiming(false, 0, FanMode.FAN_IN, "leaky_relu")),
                Map.entry("trunc_normal", new InitSpec.TruncNormal(0, 1, -2, 2)),
                Map.entry("glorot_uniform", new InitSpec.VarianceScaling("glorot_uniform", 1, FanMode.FAN_AVG, InitSpec.VsDistribution.UNIFORM)),
                Map.entry("glorot_normal", new InitSpec.VarianceScaling("glorot_normal", 1, FanMode.FAN_AVG, InitSpec.VsDistribution.TRUNCATED_NORMAL)),
                Map.entry("he_uniform", new InitSpec.VarianceScaling("he_uniform", 2, FanMode.FAN_IN, InitSpec.VsDistribution.UNIFORM)),
                Map.entry("he_normal", new InitSpec.VarianceScaling("he_normal", 2, FanMode.FAN_IN, InitSpec.VsDistribution.TRUNCATED_NORMAL)),
                Map.entry("lecun_uniform", new InitSpec.VarianceScaling("lecun_uniform", 1, FanMode.FAN_IN, InitSpec.VsDistribution.UNIFORM)),
                Map.entry("lecun_normal", new InitSpec.VarianceScaling("lecun_normal", 1, FanMode.FAN_IN, InitSpec.VsDistribution.TRUNCATED_NORMAL)),
                // jax.nn.initializers.variance_scaling has no defaults; ours are scale 1, fan_in, truncated_normal (= lecun_normal).
                Map.entry("variance_scaling", new InitSpec.VarianceScaling("variance_scaling", 1, FanMode.FAN_IN, InitSpec.VsDistribution.TRUNCATED_NORMAL)),
                Map.entry("uniform", new InitSpec.Uniform(0, 1)),
                Map.entry("normal", new InitSpec.Normal(0, 1)),
                Map.entry("zeros", new InitSpec.Constant("zeros", 0)),
                Map.entry("ones", new InitSpec.Constant("ones", 1)));
        for (String name : Inits.NAMES) {
            if (name.equals("constant") || name.equals("log_of_uniform")) continue;   // no defaults
            InitSpec spec = Inits.create(name, Map.of());
            assertEquals(expected.get(name), spec, name);
            assertEquals(name, spec.name());
        }
        assertEquals(16, expected.size());
    }

    @Test
    void parametersAreParsed() {
        assertEquals(new InitSpec.XavierUniform(Math.sqrt(2)), Inits.create("xavier_uniform", Map.of("gain", "relu")));
        assertEquals(new InitSpec.XavierNormal(2.5), Inits.create("xavier_normal", Map.of("gain", "2.5")));
        assertEquals(new InitSpec.Kaiming(false, 0.2, FanMode.FAN_OUT, "leaky_relu"),
                Inits.create("kaiming_normal", Map.of("a", "0.2", "mode", "fan_out")));
        assertEquals(new InitSpec.Kaiming(true, 0, FanMode.FAN_IN, "relu"),
                Inits.create("kaiming_uniform", Map.of("nonlinearity", "ReLU")));
        assertEquals(new InitSpec.TruncNormal(0.5, 0.02, -0.04, 0.04),
                Inits.create("trunc_normal", Map.of("mean", "0.5", "std", "0.02", "a", "-0.04", "b", "0.04")));
        assertEquals(InitSpec.varianceScaling(2, FanMode.FAN_AVG, InitSpec.VsDistribution.NORMAL),
                Inits.create("variance_scaling", Map.of("scale", "2", "mode", "fan_avg", "distribution", "untruncated_normal")));
        assertEquals(InitSpec.varianceScaling(2, FanMode.FAN_OUT, InitSpec.VsDistribution.NORMAL),
                Inits.create("variance_scaling", Map.of("scale", "2", "mode", "fan_out", "distribution", "normal")));
        assertEquals(new InitSpec.Uniform(-3, 4), Inits.create("uniform", Map.of("low", "-3", "high", "4")));
        assertEquals(new InitSpec.Normal(1, 0.5), Inits.create("normal", Map.of("mean", "1", "std", "0.5")));
        assertEquals(new InitSpec.Constant("constant", 0.25), Inits.create("constant", Map.of("value", "0.25")));
        assertEquals(new InitSpec.LogOfUniform(0.01, 16), Inits.create("log_of_uniform", Map.of("low", "0.01", "high", "16")));
        assertEquals(new InitSpec.XavierUniform(1), Inits.create(" xavier_uniform ", Map.of()));
    }

    @Test
    void parametersRoundTrip() {
        for (String name : Inits.NAMES) {
            Map<String, String> params = switch (name) {
                case "constant" -> Map.of("value", "0.5");
                case "log_of_uniform" -> Map.of("low", "0.01", "high", "16");
                default -> Map.of();
            };
            InitSpec spec = Inits.create(name, params);
            // glorot/he/lecun report scale/mode/distribution, which they do not accept as input.
            if (spec instanceof InitSpec.VarianceScaling && !name.equals("variance_scaling")) continue;
            if (spec instanceof InitSpec.Constant && !name.equals("constant")) continue;
            assertEquals(spec, Inits.create(spec.name(), spec.parameters()), name + " " + spec.parameters());
        }
    }

    @Test
    void logOfUniformNeedsBothBoundsAndAPositiveLow() {
        // No defaults: U(0, 1)'s low 0 would make the log -inf.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Inits.create("log_of_uniform", Map.of("high", "16")));
        assertTrue(e.getMessage().contains("low"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Inits.create("log_of_uniform", Map.of("low", "0.01")));
        assertTrue(e.getMessage().contains("high"), e.getMessage());
        for (String low : List.of("0", "-0.5", "-0.0")) {
            e = assertThrows(IllegalArgumentException.class, () -> Inits.create("log_of_uniform", Map.of("low", low, "high", "16")));
            assertTrue(e.getMessage().startsWith("low (" + Double.parseDouble(low) + ") must be above 0"), e.getMessage());
        }
        e = assertThrows(IllegalArgumentException.class, () -> Inits.create("log_of_uniform", Map.of("low", "16", "high", "0.01")));
        assertEquals("low (16.0) must be below high (0.01)", e.getMessage());
    }

    @Test
    void unknownNameListsTheNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Inits.create("xavier", Map.of()));
        assertTrue(e.getMessage().contains("'xavier'"), e.getMessage());
        for (String n : Inits.NAMES) assertTrue(e.getMessage().contains(n), "lists " + n + ": " + e.getMessage());
        assertThrows(NullPointerException.class, () -> Inits.create(null, Map.of()));
        assertThrows(NullPointerException.class, () -> Inits.create("normal", null));
    }

    @Test
    void aParameterGivenAsNullIsRefusedNotTakenAsItsDefault() {
        // constant's value, required: a null one made a constant 0.0; normal's std: a null one made std 1.
        for (List<String> c : List.of(List.of("constant", "value"), List.of("normal", "std"), List.of("xavier_uniform", "gain"),
                List.of("kaiming_normal", "mode"), List.of("variance_scaling", "distribution"))) {
            Map<String, String> params = new java.util.HashMap<>();
            params.put(c.get(1), null);
            NullPointerException e = assertThrows(NullPointerException.class, () -> Inits.create(c.get(0), params), c.toString());
            assertEquals(c.get(0) + " parameter '" + c.get(1) + "' is null", e.getMessage());
        }
    }

    @Test
    void unknownParameterIsRejectedByName() {
        for (List<String> c : List.of(List.of("xavier_uniform", "std"), List.of("glorot_normal", "gain"),
                List.of("normal", "stddev"), List.of("zeros", "value"), List.of("trunc_normal", "low"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Inits.create(c.get(0), Map.of(c.get(1), "1")), c.toString());
            assertTrue(e.getMessage().contains("'" + c.get(1) + "'") && e.getMessage().contains(c.get(0)), e.getMessage());
        }
    }

    @Test
    void badValuesAreNamed() {
        InitSpecTest.expect("std", "'abc'", () -> Inits.create("normal", Map.of("std", "abc")));
        InitSpecTest.expect("gain", "NaN", () -> Inits.create("xavier_uniform", Map.of("gain", "NaN")));
        InitSpecTest.expect("gain", "-1.0", () -> Inits.create("xavier_uniform", Map.of("gain", "-1")));
        InitSpecTest.expect("gain", "Infinity", () -> Inits.create("xavier_normal", Map.of("gain", "Infinity")));
        InitSpecTest.expect("'swish'", "nonlinearity", () -> Inits.create("xavier_normal", Map.of("gain", "swish")));
        InitSpecTest.expect("std", "-1.0", () -> Inits.create("trunc_normal", Map.of("std", "-1")));
        InitSpecTest.expect("a (2.0)", "b (1.0)", () -> Inits.create("trunc_normal", Map.of("a", "2", "b", "1")));
        InitSpecTest.expect("low (5.0)", "high (1.0)", () -> Inits.create("uniform", Map.of("low", "5")));
        InitSpecTest.expect("scale", "0.0", () -> Inits.create("variance_scaling", Map.of("scale", "0")));
        InitSpecTest.expect("scale", "Infinity", () -> Inits.create("variance_scaling", Map.of("scale", "Infinity")));
        InitSpecTest.expect("'fan_sum'", "mode", () -> Inits.create("kaiming_normal", Map.of("mode", "fan_sum")));
        InitSpecTest.expect("'gaussian'", "distribution", () -> Inits.create("variance_scaling", Map.of("distribution", "gaussian")));
        InitSpecTest.expect("constant", "value", () -> Inits.create("constant", Map.of()));
    }

    /** Decimal numbers only, named as typed: Java's "2f" and hex floats were accepted, "1e400" reported as Infinity. */
    @Test
    void numbersAreDecimalAndNamedAsTyped() {
        InitSpecTest.expect("std", "'2f'", () -> Inits.create("normal", Map.of("std", "2f")));
        InitSpecTest.expect("mean", "'0x1p3'", () -> Inits.create("normal", Map.of("mean", "0x1p3")));
        InitSpecTest.expect("std", "'1e400'", () -> Inits.create("normal", Map.of("std", "1e400")));
        InitSpecTest.expect("gain", "'2d'", () -> Inits.create("xavier_uniform", Map.of("gain", "2d")));
        assertEquals(new InitSpec.Normal(-0.5, 0.02), Inits.create("normal", Map.of("mean", " -.5 ", "std", "2E-2")));
        assertEquals(Double.NEGATIVE_INFINITY, Inits.number("x", "-inf"));
        assertTrue(Double.isNaN(Inits.number("x", "NaN")));
        // Too small for a double: named as typed, not reported as "got 0.0"; a zero written out is still zero.
        InitSpecTest.expect("std", "'1e-400'", () -> Inits.create("normal", Map.of("std", "1e-400")));
        InitSpecTest.expect("underflows", "'-0.00250e-330'", () -> Inits.number("low", "-0.00250e-330"));
        assertEquals(0.0, Inits.number("x", "0.000e-400"));
        assertEquals(Double.MIN_VALUE, Inits.number("x", "4.9e-324"));
    }
}
