package dev.tensorinit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Gain.of against torch.nn.init.calculate_gain's values (PyTorch 2.x), written out as numbers. */
class GainTest {

    @Test
    void calculateGainTable() {
        for (String unit : new String[] {"linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
                "conv_transpose3d", "sigmoid"}) {
            assertEquals(1.0, Gain.of(unit), unit);
        }
        assertEquals(1.6666666666666667, Gain.of("tanh"), 0);
        assertEquals(1.4142135623730951, Gain.of("relu"), 0);
        assertEquals(0.75, Gain.of("selu"), 0);
        // calculate_gain('leaky_relu') uses negative_slope 0.01: sqrt(2 / 1.0001).
        assertEquals(1.4141428569978354, Gain.of("leaky_relu"), 1e-16);
        assertEquals(Math.sqrt(2.0 / (1 + 0.2 * 0.2)), Gain.of("leaky_relu", 0.2), 0);
        // slope 0 (what kaiming_* passes as a=0) is relu's gain.
        assertEquals(Math.sqrt(2.0), Gain.of("leaky_relu", 0.0), 0);
        // A slope whose square overflows still has its (tiny) gain: it read 0, and the refusal named 0.0, not the slope.
        assertEquals(Math.sqrt(2.0) * 1e-200, Gain.of("leaky_relu", 1e200), 1e-215);
        assertEquals(Math.sqrt(2.0) * 1e-200, Gain.of("leaky_relu", -1e200), 1e-215);
        assertEquals(Math.sqrt(2.0 / (1 + 1e150 * 1e150)), Gain.of("leaky_relu", 1e150), 0);   // bits kept up to 1e150
        assertEquals(Gain.of("tanh"), Gain.of(" TANH "));
    }

    @Test
    void parse() {
        assertEquals(2.5, Gain.parse("2.5"));
        assertEquals(Gain.of("relu"), Gain.parse("relu"));
        assertEquals(Gain.of("leaky_relu", 0.2), Gain.parse("leaky_relu:0.2"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gain.parse("leaky_relu:abc"));
        assertTrue(e.getMessage().contains("abc"), e.getMessage());
    }

    @Test
    void parseRefusesANaNSlopeInsteadOfTakingTheDefault() {
        for (String nan : new String[] {"leaky_relu:NaN", "leaky_relu: NaN", "leaky_relu:-NaN"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gain.parse(nan), nan);
            assertTrue(e.getMessage().contains("not a finite number") && e.getMessage().contains(nan), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gain.parse("leaky_relu:Infinity"));
        assertTrue(e.getMessage().contains("Infinity"), e.getMessage());
        assertEquals(Gain.of("leaky_relu"), Gain.parse("leaky_relu"), "no slope still means 0.01");
    }

    /** Only leaky_relu takes a parameter: "relu:0.5" was accepted and the 0.5 silently dropped. */
    @Test
    void parseRefusesAParameterOnANonlinearityThatTakesNone() {
        for (String text : new String[] {"relu:0.5", "tanh:7", "linear:1e300", "selu:"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gain.parse(text), text);
            assertTrue(e.getMessage().contains(text) && e.getMessage().contains("only leaky_relu"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gain.parse("swish:1"));
        assertTrue(e.getMessage().contains("unknown nonlinearity"), e.getMessage());
        assertEquals(Gain.of("leaky_relu", 0.2), Gain.parse(" LEAKY_RELU : 0.2 "));
    }

    /** Numbers as Python's float() reads them: not Java's suffixes or hex floats, which Double.parseDouble takes. */
    @Test
    void parseTakesDecimalNumbersOnly() {
        for (String text : new String[] {"2f", "2d", "2.0F", "0x1p3", "1_000", "leaky_relu:0.2f"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gain.parse(text), text);
            assertTrue(e.getMessage().contains(text), e.getMessage());
        }
        assertEquals(0.5, Gain.parse(".5"));
        assertEquals(2.0, Gain.parse("2."));
        assertEquals(1e-3, Gain.parse("+1E-3"));
    }

    /** "1e400" overflows to Infinity: the message names what was typed, not the Infinity it became. */
    @Test
    void parseNamesAnOverflowingNumberAsTyped() {
        for (String text : new String[] {"1e400", "-1e400", "NaN", "leaky_relu:1e400"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gain.parse(text), text);
            assertTrue(e.getMessage().startsWith("gain '" + text + "'") && e.getMessage().contains("not a finite number"), e.getMessage());
        }
        assertEquals(1e300, Gain.parse("1e300"), "large but finite passes here (the init checks what it can use)");
    }

    @Test
    void rejectsUnknownNonlinearityAndBadSlope() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gain.of("swish"));
        assertTrue(e.getMessage().contains("'swish'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Gain.of("leaky_relu", Double.POSITIVE_INFINITY));
        assertTrue(e.getMessage().contains("Infinity"), e.getMessage());
        assertThrows(NullPointerException.class, () -> Gain.of(null));
    }
}
