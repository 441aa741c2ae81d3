package dev.tensorinit;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** FillRequest sizes and checkDestination: too small, read-only, closed arena, null. */
class FillRequestTest {
    private final FillRequest req = FillRequest.of(Shape.of(8, 16), InitSpec.xavierUniform()).withDType(DType.F16);

    @Test
    void sizes() {
        assertEquals(128, req.count());
        assertEquals(256, req.byteSize());
        FillRequest tile = req.withRegion(Region.tile(1, 3, 4, 9)).withDType(DType.F64);
        assertEquals(10, tile.count());
        assertEquals(80, tile.byteSize());
        FillRequest huge = FillRequest.of(Shape.of(1L << 40, 1L << 20), InitSpec.zeros()).withDType(DType.F64);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, huge::byteSize); // 2^63 bytes
        assertTrue(e.getMessage().contains("1152921504606846976 f64"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> huge.checkDestination(MemorySegment.ofArray(new byte[8])));
    }

    @Test
    void acceptsExactAndLargerDestinations() {
        req.checkDestination(MemorySegment.ofArray(new short[128]));
        req.checkDestination(MemorySegment.ofArray(new byte[1000]));
    }

    @Test
    void tooSmall() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> req.checkDestination(MemorySegment.ofArray(new short[127])));
        assertTrue(e.getMessage().contains("254") && e.getMessage().contains("256"), e.getMessage());
    }

    @Test
    void readOnly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> req.checkDestination(MemorySegment.ofArray(new short[128]).asReadOnly()));
        assertTrue(e.getMessage().contains("read-only"), e.getMessage());
    }

    @Test
    void closedArena() {
        MemorySegment s;
        try (Arena a = Arena.ofConfined()) {
            s = a.allocate(256);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> req.checkDestination(s));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void nulls() {
        assertThrows(NullPointerException.class, () -> req.checkDestination(null));
        assertThrows(NullPointerException.class, () -> new FillRequest(null, Layout.TORCH, InitSpec.zeros(), DType.F32, 0, 0, Region.whole()));
        assertThrows(NullPointerException.class, () -> new FillRequest(Shape.of(1), Layout.TORCH, null, DType.F32, 0, 0, Region.whole()));
        assertThrows(NullPointerException.class, () -> new FillRequest(Shape.of(1), Layout.TORCH, InitSpec.zeros(), null, 0, 0, Region.whole()));
        assertThrows(NullPointerException.class, () -> new FillRequest(Shape.of(1), Layout.TORCH, InitSpec.zeros(), DType.F32, 0, 0, null));
    }

    @Test
    void withersKeepEverythingElse() {
        FillRequest r = req.withSeed(5).withStream(9).withLayout(Layout.JAX);
        assertEquals(new FillRequest(Shape.of(8, 16), Layout.JAX, InitSpec.xavierUniform(), DType.F16, 5, 9, Region.whole()), r);
    }
}
