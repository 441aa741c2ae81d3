package dev.tensorinit.cli;

import dev.tensorinit.DType;
import dev.tensorinit.Dispatcher;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Layout;
import dev.tensorinit.Region;
import dev.tensorinit.Shape;
import dev.tensorinit.spi.Backend;
import dev.tensorinit.spi.DeviceBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The streaming pipeline: exact bytes for every cut, bounded memory, overlap, and clean failure on either side. */
class TensorStreamTest {
    private static Backend cpu;

    @BeforeAll static void open() { cpu = Dispatcher.standard().open("cpu"); }

    @AfterAll static void close() { cpu.close(); }

    private static FillRequest request(Shape shape, DType dtype, Region region) {
        return new FillRequest(shape, Layout.TORCH, InitSpec.xavierNormal(), dtype, 42, 7, region);
    }

    private static byte[] stream(TensorStream s, FillRequest r, TensorStream.PieceObserver observer) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        List<Long> progress = new ArrayList<>();
        s.write(r, Channels.newChannel(bos), progress::add, observer);
        assertEquals(r.byteSize(), progress.getLast(), "progress ends at the byte count");
        for (int i = 1; i < progress.size(); i++) assertTrue(progress.get(i) > progress.get(i - 1), "progress grows");
        return bos.toByteArray();
    }

    @Test void everyCutGivesTheReferenceBytes() throws IOException {
        Shape shape = Shape.of(61, 53);
        List<FillRequest> requests = new ArrayList<>();
        for (DType d : DType.values()) {
            requests.add(request(shape, d, Region.whole()));
            requests.add(request(shape, d, Region.range(5, 3001)));
            requests.add(request(shape, d, Region.tile(3, 58, 7, 50))); // 43 columns: bands, or cut inside rows
        }
        for (FillRequest r : requests) {
            byte[] expect = TensorFiles.reference(r);
            // 7: inside a Philox block; 43: one tile row; 40 and 100: cuts inside rows and bands of rows; 2^20: one piece.
            for (long pieceElements : new long[] {7, 40, 43, 100, 1000, 1 << 20}) {
                for (int buffers : new int[] {2, 5}) {
                    try (TensorStream s = new TensorStream(cpu, new StreamMemory(pieceElements * r.dtype().bytes(), buffers), new SegmentWriter(24))) {
                        assertArrayEquals(expect, stream(s, r, TensorStream.PieceObserver.NONE),
                                r.dtype() + " " + r.region() + " piece " + pieceElements + " buffers " + buffers);
                    }
                }
            }
        }
    }

    /**
     * Written to a {@link FileAppender}, every piece sits in its buffer at an address congruent to its file position
     * modulo the alignment, so direct I/O can write it in place; where that would misalign elements (a position
     * that is not a multiple of the element size), the bytes are still exact.
     */
    @Test void piecesArePlacedAlignedLikeTheirFilePosition() throws IOException {
        for (DType d : new DType[] {DType.F32, DType.BF16}) {
            FillRequest r = request(Shape.of(300, 301), d, Region.range(3, 90_000));
            for (long start : new long[] {0, 344, 4096 + 64, 1001}) {
                for (long pieceBytes : new long[] {40_000, 1 << 20}) { // many pieces, or one
                    RecordingAppender out = new RecordingAppender(start, 4096);
                    try (TensorStream s = new TensorStream(cpu, new StreamMemory(pieceBytes, 3))) {
                        s.write(r, out, n -> { });
                    }
                    String what = d + " from " + start + ", pieces of " + pieceBytes + " bytes";
                    assertArrayEquals(TensorFiles.reference(r), out.bytes.toByteArray(), what);
                    boolean elementsAllow = start % d.bytes() == 0;
                    assertEquals(elementsAllow, out.misplaced == 0, what + ": " + out.misplaced + " of " + out.writes + " writes misplaced");
                }
            }
        }
    }

    /**
     * Behind a header (a .npy's 128 bytes), the first piece is shorter by the header's share of its block, so that every
     * later piece starts and ends on a block boundary: direct I/O writes it in place with one call, where pieces cut from
     * the data's start each began and ended inside a block (a staged write of that block per piece). Where the header
     * is not a whole number of elements, or the pieces are not whole blocks, the cuts stay where they were; the bytes
     * are exact in every case.
     */
    @Test void piecesBehindAHeaderStartOnBlockBoundaries() throws IOException {
        FillRequest r = request(Shape.of(300, 301), DType.F32, Region.whole());
        for (long header : new long[] {128, 4096 + 64, 4096}) {
            RecordingAppender out = new RecordingAppender(header, 4096);
            try (TensorStream s = new TensorStream(cpu, new StreamMemory(4 * 4096, 3))) {
                s.write(r, out, n -> { });
                assertEquals((r.byteSize() + header % 4096 + 4 * 4096 - 1) / (4 * 4096), s.stats().pieces(), "header " + header);
            }
            assertArrayEquals(TensorFiles.reference(r), out.bytes.toByteArray(), "header " + header);
            for (int i = 1; i < out.spans.size(); i++) {
                assertEquals(0, out.spans.get(i)[0] % 4096, "header " + header + ": write " + i + " at " + out.spans.get(i)[0]);
            }
            assertEquals((header + 4 * 4096) & -4096L, out.spans.get(0)[0] + out.spans.get(0)[1], "header " + header + ": the first piece ends on a boundary");
            assertEquals(0, out.misplaced);
        }
        for (long[] c : new long[][] {{130, 4 * 4096}, {128, 4 * 4096 + 8}}) {   // odd header; pieces not whole blocks
            RecordingAppender out = new RecordingAppender(c[0], 4096);
            try (TensorStream s = new TensorStream(cpu, new StreamMemory(c[1], 3))) {
                s.write(r, out, n -> { });
            }
            assertArrayEquals(TensorFiles.reference(r), out.bytes.toByteArray(), "header " + c[0] + ", pieces of " + c[1]);
            assertEquals(c[0] + c[1] / 4 * 4, out.spans.get(0)[0] + out.spans.get(0)[1], "cut from the data's start: a whole first piece");
        }
        FillRequest one = request(Shape.of(64, 64), DType.F32, Region.whole());   // 16 KiB: one piece, which stays one
        RecordingAppender out = new RecordingAppender(128, 4096);
        try (TensorStream s = new TensorStream(cpu, new StreamMemory(one.byteSize(), 3))) {
            s.write(one, out, n -> { });
            assertEquals(1, s.stats().pieces());
        }
        assertArrayEquals(TensorFiles.reference(one), out.bytes.toByteArray());
    }

    /**
     * A checkpoint's stream: big tensors of many pieces after small ones, at any offset. Each big tensor's pieces after
     * its first start on a block boundary (its first piece is cut short to end on one), so writes that start inside a
     * block are only the stream's first and those after small tensors: at most 1 + 2 per big tensor, where cutting each
     * tensor from its own start made every write one (all 37 here). The bytes are exact.
     */
    @Test void aCheckpointsBigTensorsAreCutOnBlockBoundariesWhereverTheyStart() throws IOException {
        List<FillRequest> requests = new ArrayList<>();
        long stream = 0;
        for (int i = 0; i < 3; i++) {
            requests.add(new FillRequest(Shape.of(50 + 7 * i), Layout.TORCH, InitSpec.normal(0, 1), DType.BF16, 3, stream++, Region.whole()));
            requests.add(new FillRequest(Shape.of(11 * 4096 + 123 * i), Layout.TORCH, InitSpec.normal(0, 0.02), DType.BF16, 3, stream++, Region.whole()));
        }
        ByteArrayOutputStream expect = new ByteArrayOutputStream();
        for (FillRequest r : requests) expect.writeBytes(TensorFiles.reference(r));
        RecordingAppender out = new RecordingAppender(4096 + 8, 4096);
        try (TensorStream s = new TensorStream(cpu, new StreamMemory(2 * 4096, 3))) {   // 4096 bf16 elements a piece
            s.writeAll(requests, out, n -> { });
        }
        assertArrayEquals(expect.toByteArray(), out.bytes.toByteArray());
        long inside = out.spans.stream().filter(w -> w[0] % 4096 != 0).count();
        assertTrue(inside <= 1 + 2 * 3, inside + " of " + out.spans.size() + " writes start inside a block");
        assertTrue(out.spans.size() > 30, "many writes: " + out.spans.size());
        assertEquals(0, out.misplaced);
    }

    /**
     * Many requests as one stream (a checkpoint shard): the bytes are each request's, back to back, for every buffer
     * size, whether requests are smaller than a buffer (packed several to a buffer), straddle one, or span many; the
     * memory held stays the pool's; small tensors share writes; and each part sits aligned like its file position.
     */
    @Test void manyRequestsStreamAsOneWithSmallOnesSharingBuffers() throws IOException {
        List<FillRequest> requests = new ArrayList<>();
        long stream = 0;
        for (int i = 0; i < 40; i++) {
            long n = i % 10 == 9 ? 5000 : 17 + 31L * i;   // mostly small, a few larger than the smaller buffers
            requests.add(new FillRequest(Shape.of(n), Layout.TORCH, InitSpec.normal(0, 0.02), DType.BF16, 3, stream++, Region.whole()));
        }
        requests.add(new FillRequest(Shape.of(40, 50), Layout.TORCH, InitSpec.zeros(), DType.BF16, 3, stream, Region.range(100, 900)));
        ByteArrayOutputStream expect = new ByteArrayOutputStream();
        for (FillRequest r : requests) expect.writeBytes(TensorFiles.reference(r));
        long total = expect.size();
        for (long bufferBytes : new long[] {64, 1000, 4096, 1 << 20}) {
            StreamMemory m = new StreamMemory(bufferBytes, 3);
            RecordingAppender out = new RecordingAppender(4096 + 8, 4096);
            List<Long> progress = new ArrayList<>();
            try (TensorStream s = new TensorStream(cpu, m)) {
                s.writeAll(requests, out, progress::add);
                assertTrue(s.bufferBytes() <= m.total() + 3 * 4095L, "the pool's memory: " + s.bufferBytes());
                if (bufferBytes >= 4096) {
                    assertTrue(s.stats().pieces() < requests.size(), bufferBytes + ": small tensors share buffers: " + s.stats().pieces());
                }
                if (bufferBytes == 1 << 20) assertEquals(1, s.stats().pieces(), "all in one buffer, one write");
                assertEquals(total, s.stats().bytes());
            }
            assertArrayEquals(expect.toByteArray(), out.bytes.toByteArray(), "buffers of " + bufferBytes);
            assertEquals(total, progress.getLast(), "progress ends at the byte count");
            for (int i = 1; i < progress.size(); i++) assertTrue(progress.get(i) > progress.get(i - 1), "progress grows");
            assertEquals(0, out.misplaced, bufferBytes + ": " + out.misplaced + " of " + out.writes + " writes misplaced");
        }
    }

    /** Requests of several dtypes in one stream: a batch holds one dtype (the writer checks whole elements), bytes exact. */
    @Test void requestsOfSeveralDtypesStreamAsOne() throws IOException {
        List<FillRequest> requests = new ArrayList<>();
        DType[] order = {DType.BF16, DType.F32, DType.F16, DType.F64, DType.BF16, DType.F32};
        for (int i = 0; i < order.length; i++) {
            requests.add(new FillRequest(Shape.of(3 + i), Layout.TORCH, InitSpec.normal(0, 1), order[i], 1, i, Region.whole()));
        }
        ByteArrayOutputStream expect = new ByteArrayOutputStream();
        for (FillRequest r : requests) expect.writeBytes(TensorFiles.reference(r));
        for (long bufferBytes : new long[] {16, 4096}) {
            RecordingAppender out = new RecordingAppender(8, 4096);
            try (TensorStream s = new TensorStream(cpu, new StreamMemory(bufferBytes, 3))) {
                s.writeAll(requests, out, n -> { });
            }
            assertArrayEquals(expect.toByteArray(), out.bytes.toByteArray(), "buffers of " + bufferBytes);
        }
    }

    /**
     * The appender hears of the whole stream's bytes before the stream's first write (direct I/O then opens while the
     * first batch fills), once per stream of many batches; a stream of one batch, filled and written on the calling
     * thread, has nothing to overlap that with and does not announce it.
     */
    @Test void theAppenderHearsOfTheWholeStreamBeforeItsFirstWrite() throws IOException {
        FillRequest r = request(Shape.of(300, 301), DType.F32, Region.whole());
        RecordingAppender out = new RecordingAppender(128, 4096);
        try (TensorStream s = new TensorStream(cpu, new StreamMemory(40_000, 3))) {
            s.write(r, out, n -> { });
            assertTrue(s.stats().pieces() > 1, "many batches: " + s.stats().pieces());
        }
        assertEquals(List.of(r.byteSize()), out.expected, "one announcement of the stream's bytes");
        assertEquals(0, out.writesBeforeExpect, "and before any write");
        assertArrayEquals(TensorFiles.reference(r), out.bytes.toByteArray());

        RecordingAppender one = new RecordingAppender(128, 4096);
        try (TensorStream s = new TensorStream(cpu, new StreamMemory(1 << 20, 3))) {
            s.write(r, one, n -> { });
            assertEquals(1, s.stats().pieces());
        }
        assertEquals(List.of(), one.expected, "one batch: no announcement");
    }

    /** Records bytes, and counts writes whose memory is not aligned like their file position. */
    static final class RecordingAppender implements FileAppender {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final int alignment;
        final List<Long> expected = new ArrayList<>();
        int writesBeforeExpect = -1;
        final List<long[]> spans = new ArrayList<>();   // each write's file position and length
        long position;
        int writes, misplaced;

        @Override public void expect(long n) {
            if (expected.isEmpty()) writesBeforeExpect = writes;
            expected.add(n);
        }

        RecordingAppender(long position, int alignment) {
            this.position = position;
            this.alignment = alignment;
        }

        @Override public int write(ByteBuffer src) {
            int n = src.remaining();
            spans.add(new long[] {position, n});
            writes++;
            if (!src.isDirect() || Math.floorMod(MemorySegment.ofBuffer(src).address() - position, alignment) != 0) misplaced++;
            byte[] b = new byte[n];
            src.get(b);
            bytes.writeBytes(b);
            position += n;
            return n;
        }

        @Override public long position() { return position; }
        @Override public int alignment(long bytes) { return alignment; }
        @Override public boolean isOpen() { return true; }
        @Override public void close() { }
    }

    @Test void onePieceIsOneElement() throws IOException {
        FillRequest r = request(Shape.of(9, 11), DType.F16, Region.tile(2, 7, 3, 10));
        try (TensorStream s = new TensorStream(cpu, new StreamMemory(2, 3))) {
            assertArrayEquals(TensorFiles.reference(r), stream(s, r, TensorStream.PieceObserver.NONE));
            assertEquals(r.count(), s.stats().pieces());
        }
    }

    @Test void piecesArriveInOrderAndTheSampleEqualsOneOverTheWhole() throws IOException {
        FillRequest r = request(Shape.of(300, 301), DType.BF16, Region.whole());
        List<long[]> seen = new ArrayList<>();
        SampleStats.Collector c = new SampleStats.Collector(r.dtype(), r.count(), 1000);
        byte[] bytes;
        try (TensorStream s = new TensorStream(cpu, new StreamMemory(2 * 4099, 3))) {
            bytes = stream(s, r, (first, data) -> {
                seen.add(new long[] {first, data.byteSize() / 2});
                c.piece(first, data);
            });
        }
        long next = 0;
        for (long[] p : seen) {
            assertEquals(next, p[0]);
            next += p[1];
        }
        assertEquals(r.count(), next);
        assertTrue(seen.size() > 20, "many pieces: " + seen.size());
        SampleStats whole = SampleStats.of(MemorySegment.ofArray(bytes), r.dtype(), r.count(), 1000);
        assertEquals(whole, c.result());
        assertEquals(1000, whole.n());
    }

    /** The point of the pool: a tensor 64 times the pool's size is written with the pool's memory, reused across writes. */
    @Test void memoryIsThePoolsWhateverTheTensorsSize() throws IOException {
        StreamMemory m = new StreamMemory(64 * 1024, 4);
        FillRequest big = request(Shape.of(4096, 1024), DType.F32, Region.whole()); // 16 MiB
        try (TensorStream s = new TensorStream(cpu, m)) {
            s.write(big, new CountingChannel(), n -> { });
            assertEquals(m.total(), s.bufferBytes());
            s.write(big.withDType(DType.F16), new CountingChannel(), n -> { });
            assertEquals(m.total(), s.bufferBytes(), "the second tensor reuses the same buffers");
            assertEquals(256 + 128, s.stats().pieces());
            assertEquals(big.byteSize() + big.byteSize() / 2, s.stats().bytes());
        }
    }

    @Test void aSmallTensorTakesOnlyItsOwnSize() throws IOException {
        try (TensorStream s = new TensorStream(cpu, StreamMemory.defaults())) {
            FillRequest r = request(Shape.of(8, 8), DType.F32, Region.whole());
            assertArrayEquals(TensorFiles.reference(r), stream(s, r, TensorStream.PieceObserver.NONE));
            assertEquals(256, s.bufferBytes());
        }
    }

    /**
     * Filling and writing overlap: the fill of piece 2 waits until piece 1 has been written. Without overlap (fill
     * everything, then write) this would never finish.
     */
    @Test void theWriterWritesWhileTheNextPieceFills() throws Exception {
        CountDownLatch firstWritten = new CountDownLatch(1);
        AtomicInteger fills = new AtomicInteger();
        Backend gated = new Delegate(cpu) {
            @Override public void fill(FillRequest request, MemorySegment dst) {
                if (fills.incrementAndGet() == 3) await(firstWritten);
                super.fill(request, dst);
            }
        };
        CountingChannel out = new CountingChannel() {
            @Override public int write(ByteBuffer src) throws IOException {
                int n = super.write(src);
                firstWritten.countDown();
                return n;
            }
        };
        FillRequest r = request(Shape.of(64, 64), DType.F32, Region.whole());
        try (TensorStream s = new TensorStream(gated, new StreamMemory(1024, 4))) {
            s.write(r, out, n -> { });
        }
        assertEquals(16, fills.get());
        assertEquals(r.byteSize(), out.bytes);
    }

    @Test void aFillFailureStopsTheStreamAndTheFillThread() throws Exception {
        AtomicInteger fills = new AtomicInteger();
        Backend failing = new Delegate(cpu) {
            @Override public void fill(FillRequest request, MemorySegment dst) {
                if (fills.incrementAndGet() == 5) throw new IllegalStateException("device lost");
                super.fill(request, dst);
            }
        };
        CountingChannel out = new CountingChannel();
        try (TensorStream s = new TensorStream(failing, new StreamMemory(1024, 3))) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> s.write(request(Shape.of(64, 64), DType.F32, Region.whole()), out, n -> { }));
            assertEquals("device lost", e.getMessage());
            assertTrue(out.bytes <= 4 * 1024, "only pieces filled before the failure were written: " + out.bytes);
            assertNoFillThread();
            // The stream stays usable: the failed request left no buffer in use.
            FillRequest ok = request(Shape.of(10, 10), DType.F32, Region.whole());
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            fills.set(-1000);
            s.write(ok, Channels.newChannel(bos), n -> { });
            assertArrayEquals(TensorFiles.reference(ok), bos.toByteArray());
        }
    }

    @Test void aWriteFailureStopsTheFillThread() throws Exception {
        IOException disk = new IOException("No space left on device");
        CountingChannel full = new CountingChannel() {
            @Override public int write(ByteBuffer src) throws IOException {
                if (bytes >= 3000) throw disk;
                return super.write(src);
            }
        };
        try (TensorStream s = new TensorStream(cpu, new StreamMemory(1024, 4))) {
            IOException e = assertThrows(IOException.class, () -> s.write(request(Shape.of(512, 512), DType.F32, Region.whole()), full, n -> { }));
            assertSame(disk, e);
        }
        assertNoFillThread();
    }

    @Test void aClosedStreamRefusesWrites() {
        TensorStream s = new TensorStream(cpu, StreamMemory.defaults());
        s.close();
        assertThrows(IllegalStateException.class, () -> s.write(request(Shape.of(2, 2), DType.F32, Region.whole()), new CountingChannel(), n -> { }));
    }

    private static void assertNoFillThread() throws InterruptedException {
        // write() joins its fill thread before it returns or throws
        assertFalse(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("tensorinit-fill") && t.isAlive()),
                "no fill thread outlives write()");
    }

    private static void await(CountDownLatch l) {
        try {
            if (!l.await(20, TimeUnit.SECONDS)) throw new AssertionError("the first piece was never written while later ones filled");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** A sink that counts bytes. */
    static class CountingChannel implements WritableByteChannel {
        long bytes;
        @Override public int write(ByteBuffer src) throws IOException {
            int n = src.remaining();
            src.position(src.limit());
            bytes += n;
            return n;
        }
        @Override public boolean isOpen() { return true; }
        @Override public void close() { }
    }

    /** A backend that forwards everything, for tests to override one method. */
    static class Delegate implements Backend {
        private final Backend b;
        Delegate(Backend b) { this.b = b; }
        @Override public String name() { return b.name(); }
        @Override public String description() { return b.description(); }
        @Override public void fill(FillRequest request, MemorySegment dst) { b.fill(request, dst); }
        @Override public MemorySegment allocateAndFill(Arena arena, FillRequest request) { return b.allocateAndFill(arena, request); }
        @Override public DeviceBuffer allocate(DType dtype, long elements) { return b.allocate(dtype, elements); }
        @Override public void fill(FillRequest request, DeviceBuffer dst) { b.fill(request, dst); }
        @Override public void copyToHost(DeviceBuffer src, long srcIndex, MemorySegment dst) { b.copyToHost(src, srcIndex, dst); }
        @Override public void close() { }
    }
}
