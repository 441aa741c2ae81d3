package dev.tensorinit.spi;

import dev.tensorinit.DType;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** DeviceBuffer.checkCopy: each refusal says what is wrong. */
class DeviceBufferTest {

    private static DeviceBuffer buffer(DType dtype, long elements) {
        return new DeviceBuffer() {
            public String backend() { return "test"; }
            public DType dtype() { return dtype; }
            public long elements() { return elements; }
            public boolean isOpen() { return true; }
            public void close() { }
        };
    }

    @Test
    void aDestinationOfPartElementsIsNamedAsSuchNotAsOutsideTheBuffer() {
        try (Arena arena = Arena.ofConfined()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DeviceBuffer.checkCopy(buffer(DType.F32, 100), 0, arena.allocate(6)));
            assertEquals("copy of 6 bytes is not a whole number of f32 elements (4 bytes each): the destination must hold "
                    + "whole elements", e.getMessage());
        }
    }

    @Test
    void aCopyPastTheEndIsOutsideTheBuffer() {
        try (Arena arena = Arena.ofConfined()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DeviceBuffer.checkCopy(buffer(DType.F64, 10), 9, arena.allocate(16)));
            assertEquals("copy of 16 bytes from element 9 is outside the buffer of 10 f64 elements", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> DeviceBuffer.checkCopy(buffer(DType.F64, 10), -1, arena.allocate(8)));
            assertDoesNotThrow(() -> DeviceBuffer.checkCopy(buffer(DType.F64, 10), 8, arena.allocate(16)));
        }
    }
}
