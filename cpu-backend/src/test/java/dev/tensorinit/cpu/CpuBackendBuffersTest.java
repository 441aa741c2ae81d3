package dev.tensorinit.cpu;

import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Layout;
import dev.tensorinit.Region;
import dev.tensorinit.Shape;
import dev.tensorinit.spi.DeviceBuffer;
import dev.tensorinit.testing.Conformance;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where the values go: shards equal slices of the whole (checked against the backend's own whole fill,
 * not only the reference), heap arrays and native segments, unaligned destinations, allocateAndFill,
 * device buffers, and nothing written past the fill.
 */
class CpuBackendBuffersTest {
    private static final CpuBackend BACKEND = new CpuBackend(2);

    @AfterAll
    static void close() { BACKEND.close(); }

    private static FillRequest whole(DType dt) {
        return new FillRequest(Shape.of(613, 1031), Layout.TORCH, InitSpec.truncNormal(0.1, 0.5, -0.6, 1.1), dt, 99, 5, Region.whole());
    }

    @Test
    void rangeShardsEqualSlicesOfTheWhole() {
        SplittableRandom rnd = new SplittableRandom(1);
        for (DType dt : DType.values()) {
            FillRequest w = whole(dt);
            int size = dt.bytes();
            byte[] all = new byte[(int) w.byteSize()];
            BACKEND.fill(w, MemorySegment.ofArray(all));
            for (long start = 0; start < w.count(); ) {
                long end = Math.min(w.count(), start + 1 + rnd.nextLong(300_000));
                byte[] shard = new byte[(int) ((end - start) * size)];
                BACKEND.fill(w.withRegion(Region.range(start, end)), MemorySegment.ofArray(shard));
                assertEquals(-1, MemorySegment.mismatch(MemorySegment.ofArray(shard), 0, shard.length,
                        MemorySegment.ofArray(all), start * size, end * size), dt + " shard " + start + ":" + end);
                start = end;
            }
        }
    }

    @Test
    void tileShardsEqualSlicesOfTheWhole() {
        for (DType dt : DType.values()) {
            FillRequest w = whole(dt);
            int size = dt.bytes();
            MemorySegment all = MemorySegment.ofArray(new byte[(int) w.byteSize()]);
            BACKEND.fill(w, all);
            // A 3 × 4 grid of uneven tiles covering the tensor.
            long[] rows = {0, 1, 300, 613}, cols = {0, 7, 500, 1030, 1031};
            for (int i = 0; i + 1 < rows.length; i++) {
                for (int j = 0; j + 1 < cols.length; j++) {
                    Region.Tile t = new Region.Tile(rows[i], rows[i + 1], cols[j], cols[j + 1]);
                    MemorySegment tile = MemorySegment.ofArray(new byte[(int) (t.rows() * t.cols() * size)]);
                    BACKEND.fill(w.withRegion(t), tile);
                    for (long r = 0; r < t.rows(); r++) {
                        long from = ((t.row0() + r) * 1031 + t.col0()) * size;
                        assertEquals(-1, MemorySegment.mismatch(tile, r * t.cols() * size, (r + 1) * t.cols() * size,
                                all, from, from + t.cols() * size), dt + " " + t + " row " + r);
                    }
                }
            }
        }
    }

    @Test
    void typedHeapArrays() {
        FillRequest r = whole(DType.F32).withRegion(Region.range(3, 100_003));
        float[] f = new float[100_000];
        BACKEND.fill(r, MemorySegment.ofArray(f));
        Conformance.assertBitIdentical(r, MemorySegment.ofArray(f));
        double[] d = new double[100_000];
        BACKEND.fill(r.withDType(DType.F64), MemorySegment.ofArray(d));
        Conformance.assertBitIdentical(r.withDType(DType.F64), MemorySegment.ofArray(d));
        short[] h = new short[100_000];
        BACKEND.fill(r.withDType(DType.BF16), MemorySegment.ofArray(h));
        Conformance.assertBitIdentical(r.withDType(DType.BF16), MemorySegment.ofArray(h));
        BACKEND.fill(r.withDType(DType.F16), MemorySegment.ofArray(h));
        Conformance.assertBitIdentical(r.withDType(DType.F16), MemorySegment.ofArray(h));
        assertEquals(Float.floatToFloat16(f[0]), h[0]);
    }

    @Test
    void unalignedDestinations() {
        try (Arena arena = Arena.ofShared()) {
            for (DType dt : DType.values()) {
                FillRequest r = whole(dt).withRegion(Region.range(5, 70_006));
                MemorySegment base = arena.allocate(r.byteSize() + 16, 64);
                for (long offset : new long[] {1, 3, 6}) {
                    MemorySegment out = base.asSlice(offset, r.byteSize());
                    BACKEND.fill(r, out);
                    Conformance.assertBitIdentical(r, out);
                }
            }
        }
    }

    @Test
    void writesNothingPastTheFill() {
        FillRequest r = whole(DType.BF16).withRegion(Region.range(1, 300_002));
        byte[] out = new byte[(int) r.byteSize() + 64];
        java.util.Arrays.fill(out, (byte) 0x77);
        BACKEND.fill(r, MemorySegment.ofArray(out));
        for (int i = (int) r.byteSize(); i < out.length; i++) assertEquals((byte) 0x77, out[i], "byte " + i);
        Conformance.assertBitIdentical(r, MemorySegment.ofArray(out));
    }

    @Test
    void allocateAndFill() {
        FillRequest r = whole(DType.F16);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment s = BACKEND.allocateAndFill(arena, r);
            assertEquals(r.byteSize(), s.byteSize());
            assertTrue(s.isNative());
            Conformance.assertBitIdentical(r, s);
        }
    }

    @Test
    void deviceBuffers() {
        FillRequest r = whole(DType.F64).withRegion(Region.tile(10, 20, 30, 1000));
        try (DeviceBuffer b = BACKEND.allocate(DType.F64, r.count())) {
            assertEquals("cpu", b.backend());
            assertEquals(r.byteSize(), b.byteSize());
            BACKEND.fill(r, b);
            MemorySegment host = MemorySegment.ofArray(new double[(int) r.count()]);
            BACKEND.copyToHost(b, 0, host);
            Conformance.assertBitIdentical(r, host);
            // A slice from element 970 on equals the reference's elements 970...
            MemorySegment part = MemorySegment.ofArray(new double[100]);
            BACKEND.copyToHost(b, 970, part);
            assertEquals(host.getAtIndex(ValueLayout.JAVA_DOUBLE, 970), part.getAtIndex(ValueLayout.JAVA_DOUBLE, 0));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> BACKEND.copyToHost(b, r.count() - 10, MemorySegment.ofArray(new double[11])));
            assertTrue(e.getMessage().contains(String.valueOf(r.count() - 10)), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> BACKEND.copyToHost(b, -1, MemorySegment.ofArray(new double[1])));
            // Too small a buffer for the request.
            try (DeviceBuffer small = BACKEND.allocate(DType.F64, r.count() - 1)) {
                assertThrows(IllegalArgumentException.class, () -> BACKEND.fill(r, small));
            }
            b.close();
            assertFalse(b.isOpen());
            b.close(); // harmless
            assertThrows(IllegalStateException.class, () -> BACKEND.fill(r, b));
        }
        assertThrows(IllegalArgumentException.class, () -> BACKEND.allocate(DType.F32, 0));
    }

    /**
     * A confined arena's segment must be filled correctly, not fail with WrongThreadException inside a
     * worker after part of it was written: the backend fills it on the calling thread.
     */
    @Test
    void confinedArenaSegment() {
        FillRequest r = whole(DType.F32);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(r.byteSize(), 64);
            BACKEND.fill(r, out);
            Conformance.assertBitIdentical(r, out);
        }
    }
}
