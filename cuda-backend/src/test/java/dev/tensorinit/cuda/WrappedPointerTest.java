package dev.tensorinit.cuda;

import dev.tensorinit.DType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

    /** Mappings as a driver would report them: {start, size} of the one holding each address, null in a gap. */
    private static WrappedPointer.Ranges mapped(long pointer, long[]... maps) {
        return offset -> {
            long a = pointer + offset;
            for (long[] m : maps) if (Long.compareUnsigned(a - m[0], m[1]) < 0) return m.clone();
            return null;
        };
    }

    @Test
    void adjacentMappingsAreOneExtentForAFillThatCrossesThem() {
        // Three 2 MiB mappings back to back (cuMemMap into one reservation): a fill from the first into the third fits.
        long mib2 = 2L << 20;
        long[][] maps = {{START, mib2}, {START + mib2, mib2}, {START + 2 * mib2, mib2}};
        WrappedPointer w = WrappedPointer.of(START + 4, 5L << 20, mapped(START + 4, maps));
        assertEquals(START, w.rangeStart());
        assertEquals(3 * mib2, w.rangeBytes());
        w.check(DType.F32, (5L << 20) / 4);
        assertThrows(IllegalArgumentException.class, () -> w.check(DType.F32, (6L << 20) / 4));   // 4 bytes too many
        // It stops once the fill is covered: a fill within the first mapping looks no further.
        assertEquals(mib2, WrappedPointer.of(START, 1024, mapped(START, maps)).rangeBytes());
    }

    @Test
    void aGapOrAMappingThatDoesNotStartAtTheEndEndsTheExtent() {
        long mib2 = 2L << 20;
        var gap = mapped(START, new long[] {START, mib2}, new long[] {START + mib2 + 4096, mib2});
        WrappedPointer w = WrappedPointer.of(START, 3L << 20, gap);
        assertEquals(mib2, w.rangeBytes());
        assertThrows(IllegalArgumentException.class, () -> w.check(DType.F32, (3L << 20) / 4));
        // A driver answer for the next address that is not the mapping starting there (overlapping, or empty).
        WrappedPointer.Ranges odd = offset -> offset == 0 ? new long[] {START, mib2} : new long[] {START + 4096, mib2};
        assertEquals(mib2, WrappedPointer.of(START, 3L << 20, odd).rangeBytes());
        WrappedPointer.Ranges empty = offset -> offset == 0 ? new long[] {START, mib2} : new long[] {START + mib2, 0};
        assertEquals(mib2, WrappedPointer.of(START, 3L << 20, empty).rangeBytes());
    }

    @Test
    void moreAdjacentMappingsThanAreFollowedAreTrustedNotRefused() {
        long page = 4096;
        WrappedPointer.Ranges tiny = offset -> new long[] {START + offset / page * page, page};   // one page each, no end
        WrappedPointer w = WrappedPointer.of(START, (WrappedPointer.MAX_ADJACENT + 2) * page, tiny);
        assertEquals(-1, w.rangeBytes());
        assertEquals((WrappedPointer.MAX_ADJACENT + 1) * page, WrappedPointer.of(START, (WrappedPointer.MAX_ADJACENT + 1) * page, tiny).rangeBytes());
    }

    @Test
    void memoryTheDriverGivesNoRangeForIsTrustedButStillAligned() {
        WrappedPointer w = WrappedPointer.of(START + 2, 1L << 30, offset -> null);
        assertEquals(-1, w.rangeBytes());
        w.check(DType.BF16, 1L << 29);
        assertThrows(IllegalArgumentException.class, () -> w.check(DType.F32, 1));
    }

    @Test
    void aSizeThatOverflowsIsRefusedNotWrapped() {
        assertThrows(ArithmeticException.class, () -> new WrappedPointer(START, START, 4096).check(DType.F64, Long.MAX_VALUE / 4));
    }
}
