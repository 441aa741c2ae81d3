package dev.tensorinit.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WriteBehindTest {
    @TempDir Path dir;

    private static boolean linux() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux") && Files.isDirectory(Path.of("/proc/self/fd"));
    }

    /**
     * 200 MiB through the writer: windows two behind the end are awaited as it goes, and the bytes are exact. Direct
     * I/O is off here: a big file otherwise bypasses the page cache, and write-behind with it (DirectAppendTest).
     */
    @Test void writesBehindWhileWriting() throws IOException {
        Assumptions.assumeTrue(linux(), "sync_file_range is Linux's");
        System.setProperty(dev.tensorinit.Settings.DIRECT_IO, "off");
        try {
            writeBehind200MiB();
        } finally {
            System.clearProperty(dev.tensorinit.Settings.DIRECT_IO);
        }
    }

    private void writeBehind200MiB() throws IOException {
        Path out = dir.resolve("w.bin");
        ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
        for (int i = 0; i < chunk.capacity(); i++) chunk.put(i, (byte) (i * 7));
        try (AtomicFile f = AtomicFile.create(out, false)) {
            Assumptions.assumeTrue(f.writesBehind(), "this file system refuses sync_file_range");
            for (int i = 0; i < 200; i++) {
                ByteBuffer b = chunk.duplicate().clear();
                while (b.hasRemaining()) f.writer().write(b);
            }
            // 3 full 64 MiB windows started; all but the last 2 awaited.
            assertEquals(64L << 20, f.settledBytes());
            f.commit();
        }
        assertEquals(200L << 20, Files.size(out));
        byte[] head = new byte[1 << 20], expect = new byte[1 << 20];
        chunk.clear().get(expect);
        try (FileChannel ch = FileChannel.open(out, StandardOpenOption.READ)) {
            ch.read(ByteBuffer.wrap(head), 199L << 20);
        }
        assertArrayEquals(expect, head);
    }

    /** Two descriptors on one file: which is the writer's is unclear, so nothing is done. */
    @Test void aFileOpenTwiceIsLeftAlone() throws IOException {
        Assumptions.assumeTrue(linux());
        Path f = Files.createFile(dir.resolve("twice.bin"));
        try (FileChannel a = FileChannel.open(f, StandardOpenOption.WRITE)) {
            assertTrue(WriteBehind.forOpenFile(f).isOn(), "one descriptor: found");
            try (FileChannel b = FileChannel.open(f, StandardOpenOption.WRITE)) {
                assertFalse(WriteBehind.forOpenFile(f).isOn());
            }
        }
        assertFalse(WriteBehind.forOpenFile(f).isOn(), "not open at all");
    }

    /**
     * The descriptor (and the C calls) are looked up at the first full window, not before: a file opened a second
     * time after the first megabytes is still found unclear then, which shows when the lookup happened.
     */
    @Test void theLookupWaitsForTheFirstFullWindow() throws IOException {
        Assumptions.assumeTrue(linux());
        Path f = Files.createFile(dir.resolve("late.bin"));
        try (FileChannel a = FileChannel.open(f, StandardOpenOption.WRITE)) {
            WriteBehind w = WriteBehind.forOpenFile(f);
            w.written((long) WriteBehind.WINDOW_MIB << 19);    // half a window: nothing looked up yet
            try (FileChannel b = FileChannel.open(f, StandardOpenOption.WRITE)) {
                w.written((long) WriteBehind.WINDOW_MIB << 20); // a full window: looked up now, with two descriptors open
            }
            assertFalse(w.isOn(), "the lookup saw the second descriptor, so it ran at the full window");
            assertEquals(0, w.settled());
        }
    }

    /** A window of 2^44 MiB is 0 bytes once shifted: the writer waited on it forever. Out-of-range settings are refused. */
    @Test void aWindowOrLagOutOfRangeIsRefusedByName() {
        for (String bad : new String[] {"17592186044416:4", "0:2", "-5:2", "64:0", "64:100000", "1048577:2"}) {
            System.setProperty(WriteBehind.PROPERTY, bad);
            try {
                UsageException e = org.junit.jupiter.api.Assertions.assertThrows(UsageException.class, WriteBehind::setting);
                assertTrue(e.getMessage().contains(bad) && e.getMessage().contains("WINDOW_MIB must be 1 to"), e.getMessage());
            } finally {
                System.clearProperty(WriteBehind.PROPERTY);
            }
        }
        System.setProperty(WriteBehind.PROPERTY, "1048576:1024");
        try {
            assertArrayEquals(new long[] {1048576, 1024}, WriteBehind.setting());
        } finally {
            System.clearProperty(WriteBehind.PROPERTY);
        }
    }

    @Test void offDoesNothing() {
        WriteBehind w = WriteBehind.off();
        w.written(1L << 40);
        assertFalse(w.isOn());
        assertEquals(0, w.settled());
    }
}
