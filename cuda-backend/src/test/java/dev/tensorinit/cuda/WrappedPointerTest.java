package dev.tensorinit.cuda;

import dev.tensorinit.DType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** wrap()'s check of a pointer against its allocation, on addresses alone: runs without a GPU. */
class WrappedPointerTest {
    static final long START = 0x7f00_0000_0000L;

    @Test
    void aBufferThatFitsItsAllocationIsTaken() {
        new WrappedPointer(START, START, 4096).check(DType.F32, 1024);              // exactly the whole allocation
        new WrappedPointer(START + 4092, START, 4096).check(DType.F32, 1);          // the last element
        new WrappedPointer(START + 2, START, 4096).check(DType.BF16, 2047);         // 2-byte aligned is enough for bf16
        new WrappedPointer(START + 8, START, 4096).check(DType.F64, 511);
    }

    @Test
    void oneElementPastTheEndIsRefusedWithTheSizes() {
        var e = assertThrows(IllegalArgumentException.class, () -> new WrappedPointer(START, START, 4096).check(DType.F32, 1025));
        assertTrue(e.getMessage().contains("1025 f32 elements (4100 bytes)") && e.getMessage().contains("4096 bytes lie from the pointer on"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new WrappedPointer(START + 4096 - 8, START, 4096).check(DType.F64, 2));
        assertTrue(e.getMessage().contains("8 bytes lie from the pointer on"), e.getMessage());
    }

    @Test
    void aPointerOutsideItsReportedRangeIsRefused() {
        // At the end (nothing left) and below the start (an unsigned offset, not a negative one that would pass).
        assertThrows(IllegalArgumentException.class, () -> new WrappedPointer(START + 4096, START, 4096).check(DType.F32, 1));
        var e = assertThrows(IllegalArgumentException.class, () -> new WrappedPointer(START - 4, START, 4096).check(DType.F32, 1));
        assertTrue(e.getMessage().contains(" 0 bytes lie"), e.getMessage());
    }

    @Test
    void aPointerThatIsNotAMultipleOfTheElementSizeIsRefusedWhateverTheRange() {
        var e = assertThrows(IllegalArgumentException.class, () -> new WrappedPointer(START + 2, START, 4096).check(DType.F32, 1));
        assertTrue(e.getMessage().contains("0x" + Long.toHexString(START + 2)) && e.getMessage().contains("4 bytes, the size of a f32"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new WrappedPointer(START + 4, START, 4096).check(DType.F64, 1));
        assertThrows(IllegalArgumentException.class, () -> new WrappedPointer(START + 1, 0, -1).check(DType.BF16, 1));
    }

    @Test
    void withoutARangeOnlyTheAlignmentIsChecked() {
        assertDoesNotThrow(() -> new WrappedPointer(START, 0, -1).check(DType.F32, 1L << 40));
    }

    @Test
    void aSizeThatOverflowsIsRefusedNotWrapped() {
        assertThrows(ArithmeticException.class, () -> new WrappedPointer(START, START, 4096).check(DType.F64, Long.MAX_VALUE / 4));
    }
}
