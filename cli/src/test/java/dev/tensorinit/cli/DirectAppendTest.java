package dev.tensorinit.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Direct appends: exact bytes from any mix of memory and lengths, in place where aligned, and a clean fall-back. */
class DirectAppendTest {
    @TempDir Path dir;

    @AfterEach void clearSetting() { System.clearProperty(dev.tensorinit.Settings.DIRECT_IO); }

    /** Whether this folder's file system takes O_DIRECT at all (asked independently of the code under test). */
    private boolean directSupported() {
        try (FileChannel unused = FileChannel.open(dir.resolve("probe"), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                com.sun.nio.file.ExtendedOpenOption.DIRECT)) {
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /**
     * A buffered head of 1000 bytes, then 300 writes of random lengths (1 byte to 3 blocks and more) from heap
     * memory and from native memory at random offsets, some congruent to their file position: the file holds
     * exactly the bytes, and both paths (in place, staged) were taken.
     */
    @Test void anyMixOfWritesGivesExactBytes() throws IOException {
        Assumptions.assumeTrue(directSupported(), "this file system refuses O_DIRECT");
        Random rnd = new Random(5);
        Path f = dir.resolve("f.bin");
        byte[] expect;
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
             Arena arena = Arena.ofConfined()) {
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            byte[] head = randomBytes(rnd, 1000);
            ch.write(ByteBuffer.wrap(head));
            all.writeBytes(head);
            DirectAppend a = DirectAppend.open(f, ch, head.length);
            assertNotNull(a, "O_DIRECT works here, so the append must open");
            try (a) {
                MemorySegment pool = arena.allocate(4 << 20, 4096);
                for (int i = 0; i < 300; i++) {
                    int n = switch (rnd.nextInt(4)) {
                        case 0 -> 1 + rnd.nextInt(100);
                        case 1 -> 1 + rnd.nextInt(3 * 4096 + 7);
                        default -> 4096 + rnd.nextInt(200_000);
                    };
                    byte[] b = randomBytes(rnd, n);
                    ByteBuffer src;
                    if (rnd.nextInt(3) == 0) {
                        src = ByteBuffer.wrap(b);
                    } else {
                        // congruent to the file position half of the time, anywhere otherwise
                        long off = rnd.nextBoolean() ? Math.floorMod(a.position() - pool.address(), 4096L) : rnd.nextInt(4096);
                        MemorySegment m = pool.asSlice(off, n);
                        m.copyFrom(MemorySegment.ofArray(b));
                        src = m.asByteBuffer();
                    }
                    a.write(src);
                    assertFalse(src.hasRemaining());
                    all.writeBytes(b);
                }
                assertEquals(all.size(), a.finish());
                assertTrue(a.isDirect());
                assertTrue(a.bytesInPlace() > 0 && a.bytesCopied() > 0, a.bytesInPlace() + " in place, " + a.bytesCopied() + " copied");
            }
            expect = all.toByteArray();
        }
        assertArrayEquals(expect, Files.readAllBytes(f));
    }

    /** A direct write that fails (as on a file system that takes O_DIRECT at open only) sends it and the rest through the page cache. */
    @Test void aFailingDirectWriteFallsBackWithTheSameBytes() throws IOException {
        Random rnd = new Random(9);
        Path f = dir.resolve("g.bin");
        byte[] expect = randomBytes(rnd, 3 * DirectAppend.STAGE + 12345);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
             Arena arena = Arena.ofConfined()) {
            ch.write(ByteBuffer.wrap(expect, 0, 77));
            int[] calls = {0};
            // writes through the page cache for two calls, then refuses
            DirectAppend.Positional flaky = (src, pos) -> {
                if (++calls[0] > 2) throw new IOException("Invalid argument");
                return ch.write(src, pos);
            };
            try (DirectAppend a = new DirectAppend(ch, null, flaky, 4096, 77)) {
                MemorySegment m = arena.allocate(expect.length, 4096);
                m.copyFrom(MemorySegment.ofArray(expect));
                a.write(m.asSlice(77, 500_000).asByteBuffer());
                a.write(ByteBuffer.wrap(expect, 500_077, 1_000_000));
                a.write(m.asSlice(1_500_077).asByteBuffer());
                assertFalse(a.isDirect(), "the third direct write failed");
                assertEquals(expect.length, a.finish());
            }
        }
        assertArrayEquals(expect, Files.readAllBytes(f));
    }

    /**
     * After two windows of {@link DirectAppend#EARLY_FLUSH} bytes whose writes left the device idle most of the time
     * (here the test sleeps before writing, as a writer waiting for fills does), a flush starts on another thread, never
     * two at once and never waited for by the writes; one idle window alone starts none; finish waits for the last
     * flush. The bytes are exact whatever the flushes do.
     */
    @Test void earlyFlushesRunOneAtATimeBesideTheWrites() throws Exception {
        Path f = dir.resolve("e.bin");
        int chunk = (int) DirectAppend.EARLY_FLUSH + 4096;
        java.util.concurrent.atomic.AtomicInteger flushes = new java.util.concurrent.atomic.AtomicInteger(), inFlight =
                new java.util.concurrent.atomic.AtomicInteger(), most = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        DirectAppend.Flush slow = () -> {
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                if (flushes.incrementAndGet() == 1) release.await();   // the first one lasts until the test lets it go
                else Thread.sleep(300);                                // the others long enough for finish to wait on
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException();
            } finally {
                inFlight.decrementAndGet();
            }
        };
        byte[] expect;
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
             Arena arena = Arena.ofConfined()) {
            MemorySegment m = arena.allocate(chunk, 4096);
            m.copyFrom(MemorySegment.ofArray(randomBytes(new Random(4), chunk)));
            expect = m.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            long deadline = System.nanoTime() + 30_000_000_000L;
            try (DirectAppend a = new DirectAppend(ch, null, ch::write, slow, 4096, 0)) {
                Thread.sleep(600);
                a.write(m.asByteBuffer());   // one idle window: no flush yet
                Thread.sleep(600);
                assertEquals(0, flushes.get(), "a single idle window started a flush");
                a.write(m.asByteBuffer());   // the second idle window in a row: a flush starts
                while (flushes.get() == 0 && System.nanoTime() < deadline) Thread.sleep(1);
                assertEquals(1, flushes.get());
                a.write(m.asByteBuffer());   // the first flush still running: the write neither waits nor starts one
                assertEquals(1, flushes.get());
                release.countDown();
                while (inFlight.get() > 0 && System.nanoTime() < deadline) Thread.sleep(1);
                // (whether the window just written counted as idle depends on how long the flush took to start)
                Thread.sleep(600);
                a.write(m.asByteBuffer());
                Thread.sleep(600);
                a.write(m.asByteBuffer());   // idle twice in a row at the latest, nothing in flight: another one starts
                assertEquals(5L * chunk, a.finish());
                assertTrue(flushes.get() >= 2, flushes.get() + " flushes");
                assertEquals(0, inFlight.get(), "finish waits for the flush in progress");
            }
        }
        assertEquals(1, most.get(), "two flushes at once");
        byte[] got = Files.readAllBytes(f);
        assertEquals(5L * chunk, got.length);
        for (int i = 0; i < 5; i++) assertArrayEquals(expect, java.util.Arrays.copyOfRange(got, i * chunk, (i + 1) * chunk));
    }

    /** Writes back to back (the device is the bottleneck): no early flush, which would only stall them. */
    @Test void aBusyWriterGetsNoEarlyFlush() throws IOException {
        Path f = dir.resolve("b.bin");
        int chunk = (int) DirectAppend.EARLY_FLUSH;
        java.util.concurrent.atomic.AtomicInteger flushes = new java.util.concurrent.atomic.AtomicInteger();
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
             Arena arena = Arena.ofConfined()) {
            MemorySegment m = arena.allocate(chunk, 4096);
            try (DirectAppend a = new DirectAppend(ch, null, ch::write, flushes::incrementAndGet, 4096, 0)) {
                for (int i = 0; i < 3; i++) a.write(m.asByteBuffer());
                assertEquals(3L * chunk, a.finish());
            }
        }
        assertEquals(0, flushes.get());
    }

    /** A failed early flush is the device's error (fsync reports one only once): the next write or finish reports it. */
    @Test void aFailedEarlyFlushFailsTheFile() throws Exception {
        Path f = dir.resolve("x.bin");
        int chunk = (int) DirectAppend.EARLY_FLUSH;
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
             Arena arena = Arena.ofConfined()) {
            MemorySegment m = arena.allocate(chunk, 4096);
            try (DirectAppend a = new DirectAppend(ch, null, ch::write, () -> { throw new IOException("Input/output error"); }, 4096, 0)) {
                Thread.sleep(600);
                a.write(m.asByteBuffer());
                Thread.sleep(600);
                a.write(m.asByteBuffer());
                IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, a::finish);
                assertEquals("Input/output error", e.getMessage());
                org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> a.write(ByteBuffer.allocate(1)));
            }
        }
    }

    /** Through AtomicFile: a big file goes direct (where O_DIRECT works) and a small one, or any with the setting off, does not. */
    @Test void bigFilesGoDirectSmallOnesAndTheSettingOffDoNot() throws IOException {
        Assumptions.assumeTrue(directSupported(), "this file system refuses O_DIRECT");
        byte[] chunk = randomBytes(new Random(3), (1 << 20) + 3);
        for (String setting : new String[] {"on", "off"}) {
            System.setProperty(dev.tensorinit.Settings.DIRECT_IO, setting);
            for (int chunks : new int[] {2, 40}) {
                Path out = dir.resolve(setting + chunks + ".bin");
                boolean direct;
                try (AtomicFile a = AtomicFile.create(out, false)) {
                    for (int i = 0; i < chunks; i++) {
                        ByteBuffer b = ByteBuffer.wrap(chunk);
                        while (b.hasRemaining()) a.writer().write(b);
                    }
                    direct = a.writesDirect();
                    a.commit();
                }
                assertEquals(setting.equals("on") && chunks == 40, direct, setting + ", " + chunks + " MiB");
                byte[] got = Files.readAllBytes(out);
                assertEquals((long) chunks * chunk.length, got.length);
                assertArrayEquals(chunk, java.util.Arrays.copyOfRange(got, got.length - chunk.length, got.length));
            }
        }
    }

    /**
     * Told ahead that a big file's data is coming (what the tensor stream does while its first batch fills), the writer
     * opens direct I/O then, after a header written through the page cache, and the bytes are exact; told of a small
     * one it stays on the page cache, and a later big write still goes direct.
     */
    @Test void expectingABigFileOpensDirectWritesBeforeItsData() throws IOException {
        Assumptions.assumeTrue(directSupported(), "this file system refuses O_DIRECT");
        Random rnd = new Random(5);
        byte[] header = randomBytes(rnd, 128);
        byte[] data = randomBytes(rnd, (AtomicFile.DIRECT_FROM_MIB << 20) + 4097);
        for (boolean bigAnnounced : new boolean[] {true, false}) {
            Path out = dir.resolve("expect-" + bigAnnounced + ".bin");
            try (AtomicFile a = AtomicFile.create(out, false)) {
                ByteBuffer h = ByteBuffer.wrap(header);
                while (h.hasRemaining()) a.writer().write(h);
                a.writer().expect(bigAnnounced ? data.length : 1000);
                assertEquals(bigAnnounced, a.writesDirect(), "direct before the data, announced big: " + bigAnnounced);
                ByteBuffer b = ByteBuffer.wrap(data);
                while (b.hasRemaining()) a.writer().write(b);
                assertTrue(a.writesDirect(), "the big write goes direct either way");
                a.commit();
            }
            byte[] got = Files.readAllBytes(out);
            assertArrayEquals(header, java.util.Arrays.copyOf(got, header.length));
            assertArrayEquals(data, java.util.Arrays.copyOfRange(got, header.length, got.length));
        }
    }

    @Test void aMalformedSettingIsNamed() {
        System.setProperty(dev.tensorinit.Settings.DIRECT_IO, "maybe");
        var e = org.junit.jupiter.api.Assertions.assertThrows(UsageException.class, () -> AtomicFile.create(dir.resolve("x"), false));
        assertTrue(e.getMessage().contains("'maybe'"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("x")));
    }

    private static byte[] randomBytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }
}
