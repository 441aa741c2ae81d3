package dev.tensorinit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Region counts and bounds checks; the runs a region produces are CompiledFillTest's. */
class RegionTest {

    @Test
    void counts() {
        Shape s = Shape.of(1L << 20, 1L << 14);
        assertEquals(1L << 34, Region.whole().count(s));
        assertEquals(8, Region.range((1L << 32) - 3, (1L << 32) + 5).count(s));
        assertEquals(15, Region.tile(1, 4, 2, 7).count(Shape.of(5, 10)));
    }

    @Test
    void rejectsEmptyOrNegative() {
        InitSpecTest.expect("[5, 5)", "empty", () -> Region.range(5, 5));
        InitSpecTest.expect("[-1, 5)", "negative", () -> Region.range(-1, 5));
        InitSpecTest.expect("[3, 2)", "rows", () -> Region.tile(3, 2, 0, 1));
        InitSpecTest.expect("[-2, 1)", "cols", () -> Region.tile(0, 1, -2, 1));
    }

    @Test
    void rejectsOutsideTheTensor() {
        Shape s = Shape.of(5, 10);
        InitSpecTest.expect("[0, 51)", "5x10", () -> Region.range(0, 51).check(s));
        InitSpecTest.expect("rows 0:6", "5x10", () -> Region.tile(0, 6, 0, 10).check(s));
        InitSpecTest.expect("cols 0:11", "5x10", () -> Region.tile(0, 5, 0, 11).check(s));
        InitSpecTest.expect("2-D", "5x10x2", () -> Region.tile(0, 1, 0, 1).check(Shape.of(5, 10, 2)));
        Region.range(0, 50).check(s);
        Region.tile(0, 5, 0, 10).check(s);
    }

    @Test
    void fillRequestValidatesTheRegion() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FillRequest.of(Shape.of(4, 4), InitSpec.zeros()).withRegion(Region.range(10, 17)));
        assertTrue(e.getMessage().contains("[10, 17)") && e.getMessage().contains("4x4"), e.getMessage());
    }
}
