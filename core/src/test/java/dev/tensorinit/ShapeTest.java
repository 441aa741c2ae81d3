package dev.tensorinit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shape parsing, element counts with long dims, and rejection of zero, negative and overflowing dims. */
class ShapeTest {

    @Test
    void parsesEverySeparator() {
        Shape expected = Shape.of(4096, 1024);
        assertEquals(expected, Shape.parse("4096x1024"));
        assertEquals(expected, Shape.parse("4096,1024"));
        assertEquals(expected, Shape.parse(" 4096 x 1024 "));
        assertEquals(expected, Shape.parse("4096X1024"));
        assertEquals(expected, Shape.parse("4_096x1_024"));
        assertEquals(Shape.of(3, 64, 7, 7), Shape.parse("3x64x7x7"));
        assertEquals("4096x1024", expected.toString());
        assertEquals(expected, Shape.parse(expected.toString()), "toString round-trips");
    }

    @Test
    void rankZeroIsOneElement() {
        for (Shape s : new Shape[] {Shape.of(), Shape.parse("scalar"), Shape.parse(" scalar ")}) {
            assertEquals(0, s.rank());
            assertEquals(1, s.elements());
            assertEquals("scalar", s.toString());
        }
        assertEquals(Shape.of(), Shape.parse("scalar"));
    }

    @Test
    void elementsAndBytesAreLong() {
        Shape s = Shape.of(1L << 20, 1L << 14, 3);
        assertEquals(3L << 34, s.elements());
        assertEquals(3L << 35, s.bytes(DType.BF16));
        assertEquals(3L << 37, s.bytes(DType.F64));
        assertEquals(1L << 40, Shape.parse("1099511627776").elements());
    }

    @Test
    void dimsAreCopied() {
        long[] d = {2, 3};
        Shape s = Shape.of(d);
        d[0] = 99;
        assertEquals(2, s.dim(0));
        s.dims()[1] = 99;
        assertArrayEquals(new long[] {2, 3}, s.dims());
        assertNotEquals(Shape.of(2, 3), Shape.of(3, 2));
        assertEquals(Shape.of(2, 3).hashCode(), Shape.parse("2x3").hashCode());
    }

    @Test
    void rejectsZeroDims() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shape.of(4, 0, 3));
        assertTrue(e.getMessage().contains("dimension 1") && e.getMessage().contains(" 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Shape.parse("0"));
    }

    @Test
    void rejectsNegativeDims() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shape.of(-7, 3));
        assertTrue(e.getMessage().contains("-7"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Shape.parse("3x-5"));
        assertTrue(e.getMessage().contains("-5"), e.getMessage());
    }

    @Test
    void rejectsOverflowingProducts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shape.of(1L << 32, 1L << 31));
        assertTrue(e.getMessage().contains("2147483648") && e.getMessage().contains("4294967296"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Shape.parse("4294967296x4294967296"));
        // Fits in elements, but not in bytes.
        Shape s = Shape.of(1L << 61);
        e = assertThrows(IllegalArgumentException.class, () -> s.bytes(DType.F32));
        assertTrue(e.getMessage().contains(s.toString()), e.getMessage());
        assertEquals(Long.MAX_VALUE, Shape.of(Long.MAX_VALUE).elements());
    }

    @Test
    void rejectsMalformedText() {
        for (String bad : new String[] {"4096x", "x4", "12a", "1.5x2", "99999999999999999999", "4096xx1024", "+4x4", "\u0664x4",
                "4x\uFF14", "_4x4", "4x4,4", "4,4X4"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shape.parse(bad), bad);
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
        assertThrows(NullPointerException.class, () -> Shape.parse(null));
    }

    @Test
    void rejectsEmptyText() {
        for (String empty : new String[] {"", "  ", "\t"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shape.parse(empty), "'" + empty + "'");
            assertTrue(e.getMessage().contains("is empty") && e.getMessage().contains("'scalar'"), e.getMessage());
        }
    }
}
