package dev.tensorinit.cli;

import dev.tensorinit.DType;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report's sample line: the same numbers for every dtype's whole range of finite values. */
class SampleStatsTest {

    private static MemorySegment f64(double... values) {
        MemorySegment seg = MemorySegment.ofArray(new double[values.length]);
        for (int i = 0; i < values.length; i++) seg.setAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, i, values[i]);
        return seg;
    }

    /** The two ways a sample is read (a ByteBuffer view of native memory, the segment itself) give every dtype's same values. */
    @Test void bufferAndSegmentReadTheSameValues() {
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(4096, 8);
            java.util.Random rnd = new java.util.Random(7);
            for (long i = 0; i < seg.byteSize(); i++) seg.set(ValueLayout.JAVA_BYTE, i, (byte) rnd.nextInt());
            java.nio.ByteBuffer bb = seg.asByteBuffer().order(java.nio.ByteOrder.nativeOrder());
            for (DType d : DType.values()) {
                for (int i = 0; i < seg.byteSize() / d.bytes(); i++) {
                    double a = SampleStats.value(seg, d, i), b = SampleStats.value(bb, d, i);
                    assertEquals(Double.doubleToRawLongBits(a), Double.doubleToRawLongBits(b), d + " element " + i);
                }
            }
            // and a stream's native piece gives the statistics a heap copy of it gives (the segment path)
            MemorySegment heap = MemorySegment.ofArray(seg.toArray(ValueLayout.JAVA_BYTE));
            for (DType d : DType.values()) {
                long count = seg.byteSize() / d.bytes();
                assertEquals(SampleStats.of(heap, d, count, 100).toString(), SampleStats.of(seg, d, count, 100).toString(), d.toString());
            }
        }
    }

    /** `fill --init normal --std 1e300 --dtype f64` printed "sample ... std Infinity": Welford's d·(x - mean) overflowed. */
    @Test void hugeF64ValuesGiveAFiniteStd() {
        SampleStats s = SampleStats.of(f64(-3e300, 1e300, -1e300, 3e300), DType.F64, 4, 4);
        assertEquals(0.0, s.mean(), 1e285);
        assertEquals(Math.sqrt(20.0 / 3) * 1e300, s.std(), 1e286);
        assertEquals(-3e300, s.min());
        assertEquals(3e300, s.max());
    }

    @Test void aVeryLargeValueAfterSmallOnesKeepsTheSmallOnesMoments() {
        SampleStats s = SampleStats.of(f64(1, 2, 3, 1.7e308), DType.F64, 4, 4);
        assertTrue(Double.isFinite(s.std()), "std " + s.std());
        assertEquals(1.7e308 / 4, s.mean(), 1e293);
        assertEquals(1.7e308 / 2, s.std(), 1e294); // sqrt(((3/4)²+3·(1/4)²)/3)·1.7e308 = 1.7e308/2
    }

    @Test void tinyAndOrdinaryValuesAreUnchanged() {
        SampleStats tiny = SampleStats.of(f64(-3e-300, 1e-300, -1e-300, 3e-300), DType.F64, 4, 4);
        assertEquals(Math.sqrt(20.0 / 3) * 1e-300, tiny.std(), 1e-314);
        SampleStats plain = SampleStats.of(f64(1, 2, 3, 4), DType.F64, 4, 4);
        assertEquals(2.5, plain.mean());
        assertEquals(Math.sqrt(5.0 / 3), plain.std(), 1e-15);
    }
}
