package dev.tensorinit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** fan_in / fan_out in both layouts, as torch.nn.init._calculate_fan_in_and_fan_out and jax.nn.initializers compute them. */
class LayoutTest {

    @Test
    void torchDense() {
        // nn.Linear(in=1024, out=4096).weight has shape [4096, 1024].
        assertEquals(new Fans(1024, 4096), Layout.TORCH.fans(Shape.of(4096, 1024)));
    }

    @Test
    void jaxDense() {
        // flax Dense(features=4096) on 1024 inputs has kernel [1024, 4096].
        assertEquals(new Fans(1024, 4096), Layout.JAX.fans(Shape.of(1024, 4096)));
    }

    @Test
    void torchConvIsOutInKhKw() {
        // nn.Conv2d(64, 128, 3x5).weight: [128, 64, 3, 5]; receptive field 15.
        assertEquals(new Fans(64 * 15, 128 * 15), Layout.TORCH.fans(Shape.of(128, 64, 3, 5)));
        // conv3d [out, in, d, h, w]
        assertEquals(new Fans(8 * 2 * 3 * 4, 16 * 2 * 3 * 4), Layout.TORCH.fans(Shape.of(16, 8, 2, 3, 4)));
    }

    @Test
    void jaxConvIsKhKwInOut() {
        // flax Conv(128, (3, 5)) on 64 channels: kernel [3, 5, 64, 128]: the same fans as the torch shape above.
        assertEquals(new Fans(64 * 15, 128 * 15), Layout.JAX.fans(Shape.of(3, 5, 64, 128)));
        assertEquals(Layout.TORCH.fans(Shape.of(128, 64, 3, 5)), Layout.JAX.fans(Shape.of(3, 5, 64, 128)));
    }

    @Test
    void sameShapeDifferentLayoutsSwapsRoles() {
        Shape s = Shape.of(300, 200);
        assertEquals(new Fans(200, 300), Layout.TORCH.fans(s));
        assertEquals(new Fans(300, 200), Layout.JAX.fans(s));
    }

    @Test
    void jaxRankZeroAndOne() {
        assertEquals(new Fans(1, 1), Layout.JAX.fans(Shape.of()));
        assertEquals(new Fans(17, 17), Layout.JAX.fans(Shape.of(17)));
    }

    @Test
    void torchRejectsRankBelowTwoWithReason() {
        for (Shape s : new Shape[] {Shape.of(), Shape.of(17)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Layout.TORCH.fans(s));
            assertTrue(e.getMessage().contains("rank " + s.rank()) && e.getMessage().contains("fewer than 2"), e.getMessage());
            assertTrue(e.getMessage().contains(s.toString()), e.getMessage());
        }
    }

    @Test
    void longFans() {
        assertEquals(new Fans(3L << 32, 1L << 33), Layout.TORCH.fans(Shape.of(2, 3, 1L << 32)));
    }

    @Test
    void fanModes() {
        Fans f = new Fans(3, 6);
        assertEquals(3.0, f.of(FanMode.FAN_IN));
        assertEquals(6.0, f.of(FanMode.FAN_OUT));
        assertEquals(4.5, f.of(FanMode.FAN_AVG));
        // fan_avg of huge fans stays exact in double instead of overflowing long.
        Fans big = new Fans(Long.MAX_VALUE, Long.MAX_VALUE);
        assertEquals((double) Long.MAX_VALUE, big.of(FanMode.FAN_AVG));
    }

    @Test
    void parsing() {
        assertEquals(Layout.TORCH, Layout.parse("pytorch"));
        assertEquals(Layout.JAX, Layout.parse(" Keras "));
        assertEquals(Layout.JAX, Layout.parse("flax"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Layout.parse("tf"));
        assertTrue(e.getMessage().contains("'tf'"), e.getMessage());
        assertEquals(FanMode.FAN_AVG, FanMode.parse("fan_avg"));
        e = assertThrows(IllegalArgumentException.class, () -> FanMode.parse("fan_sum"));
        assertTrue(e.getMessage().contains("fan_sum"), e.getMessage());
        assertThrows(NullPointerException.class, () -> Layout.parse(null));
    }
}
