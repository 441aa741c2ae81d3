package dev.tensorinit.cli;

import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Layout;
import dev.tensorinit.NativeMemory;
import dev.tensorinit.Region;
import dev.tensorinit.Shape;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pieces of a >2 GiB / >2^31-element file without writing one (too slow for CI): chunked streaming
 * with small chunks, 64-bit offsets past 2^31 bytes into /dev/null, fill pieces of huge regions, headers
 * of huge shapes.
 */
class StreamingTest {

    @Test void chunkedWriteIsByteExactForEveryChunkSize() throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment seg = a.allocate(1000 * 8, 8);
            for (int i = 0; i < 1000 * 8; i++) seg.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 31 + 7));
            byte[] expect = seg.toArray(ValueLayout.JAVA_BYTE);
            for (long chunk : new long[] {8, 16, 24, 4096, 8000, 1 << 20}) {
                ByteArrayOutputStream bos = new ByteArrayOutputStream();
                List<Long> progress = new ArrayList<>();
                new SegmentWriter(chunk).write(Channels.newChannel(bos), seg, 8, progress::add);
                assertArrayEquals(expect, bos.toByteArray(), "chunk " + chunk);
                assertEquals(8000L, progress.getLast());
                assertEquals((8000 + chunk - 1) / chunk, progress.size(), "one progress call per chunk");
            }
        }
    }

    @Test void badChunkSizesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SegmentWriter(12));
        assertThrows(IllegalArgumentException.class, () -> new SegmentWriter(0));
        assertThrows(IllegalArgumentException.class, () -> new SegmentWriter(1L << 31));
    }

    /** 2^31 + 4 KiB of untouched (so free) memory streamed to /dev/null: every offset past 2^31 is handled in long. */
    @Test void streamsPastTwoGiB() throws IOException {
        Path devNull = Path.of("/dev/null");
        org.junit.jupiter.api.Assumptions.assumeTrue(devNull.toFile().exists());
        long size = (1L << 31) + 4096;
        try (Arena a = Arena.ofConfined();
             FileChannel ch = FileChannel.open(devNull, StandardOpenOption.WRITE)) {
            MemorySegment seg = NativeMemory.allocateUninitialized(a, size, 64);
            long[] last = {0};
            int[] calls = {0};
            new SegmentWriter(SegmentWriter.DEFAULT_CHUNK).write(ch, seg, 4, done -> {
                assertTrue(done > last[0]);
                last[0] = done;
                calls[0]++;
            });
            assertEquals(size, last[0]);
            assertEquals(33, calls[0]); // 32 chunks of 64 MiB and one of 4 KiB
        }
    }

    /** A counting channel, to check the writer hands over everything even when the channel takes little at a time. */
    @Test void partialWritesAreRetried() throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment seg = a.allocate(4096, 8);
            for (int i = 0; i < 1024; i++) seg.setAtIndex(ValueLayout.JAVA_INT, i, i);
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            WritableByteChannel slow = new WritableByteChannel() {
                public int write(java.nio.ByteBuffer src) {
                    int n = Math.min(3, src.remaining());
                    for (int i = 0; i < n; i++) bos.write(src.get());
                    return n;
                }
                public boolean isOpen() { return true; }
                public void close() {}
            };
            new SegmentWriter(1024).write(slow, seg, 4, d -> {});
            assertArrayEquals(seg.toArray(ValueLayout.JAVA_BYTE), bos.toByteArray());
        }
    }


    @Test void npyHeaderOfAHugeShape() {
        byte[] h = NpyHeader.of(DType.F32, new long[] {65537, 65536});
        String text = new String(h, 10, h.length - 10, java.nio.charset.StandardCharsets.US_ASCII);
        assertTrue(text.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (65537, 65536), }"), text);
        assertEquals(0, h.length % 64);
        assertEquals('\n', h[h.length - 1]);
        String one = new String(NpyHeader.of(DType.F16, new long[] {5L << 31}), java.nio.charset.StandardCharsets.US_ASCII);
        assertTrue(one.contains("'shape': (10737418240,), }"), one);
        String scalar = new String(NpyHeader.of(DType.F64, new long[0]), java.nio.charset.StandardCharsets.US_ASCII);
        assertTrue(scalar.contains("'descr': '<f8', 'fortran_order': False, 'shape': (), }"), scalar);
    }

    @Test void npyUsesVersion2WhenTheHeaderIsLong() {
        long[] shape = new long[7000]; // 7000 × "1000000000, " = 84 KB of header, over the 65535 of version 1.0
        java.util.Arrays.fill(shape, 1_000_000_000L);
        byte[] h = NpyHeader.of(DType.F32, shape);
        assertEquals(2, h[6]);
        long len = java.nio.ByteBuffer.wrap(h).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(8);
        assertEquals(h.length - 12, len);
        assertEquals(0, h.length % 64);
    }
}
