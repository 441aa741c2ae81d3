package dev.tensorinit.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiskSpaceTest {
    @TempDir Path dir;

    @Test void moreThanAnyDiskHoldsIsRefusedNamingNeedFreeAndFolder() throws IOException {
        long free = Files.getFileStore(dir).getUsableSpace();
        IOException e = assertThrows(IOException.class, () -> DiskSpace.require(dir, Long.MAX_VALUE, "the data"));
        String m = e.getMessage();
        assertTrue(m.startsWith("the data needs " + Units.bytes(Long.MAX_VALUE) + " but only "), m);
        assertTrue(m.endsWith(" is free in " + dir.toAbsolutePath().normalize()), m);
        assertTrue(free < Long.MAX_VALUE, "a real disk");
        assertDoesNotThrow(() -> DiskSpace.require(dir, 1, "one byte"));
        assertDoesNotThrow(() -> DiskSpace.require(dir, 0, "nothing"));
    }

    /** A folder still to be made is judged by its nearest existing parent, and is not made. */
    @Test void aFolderNotYetMadeIsJudgedByItsParent() {
        Path later = dir.resolve("a/b/c");
        IOException e = assertThrows(IOException.class, () -> DiskSpace.require(later, Long.MAX_VALUE, "x"));
        assertTrue(e.getMessage().endsWith(" is free in " + dir.toAbsolutePath().normalize()), e.getMessage());
        assertFalse(Files.exists(dir.resolve("a")));
    }

    /** Needs and free space that round to the same text are told apart by their byte counts (QA: "8.00 MiB but only 8.00 MiB"). */
    @Test void aShortfallSmallerThanTheRoundingShowsTheBytes() {
        Path p = Path.of("/mnt/small");
        assertEquals("the file needs 8.00 MiB (8388736 bytes) but only 8.00 MiB (8388608 bytes) is free in /mnt/small",
                DiskSpace.shortfall("the file", 8388736, 8388608, p));
        assertEquals("the file needs 16.0 MiB but only 8.00 MiB is free in /mnt/small",
                DiskSpace.shortfall("the file", 16L << 20, 8L << 20, p));
    }

    /**
     * A read-only file system is named as the cause before its free space: a full read-only tmpfs (1 MiB) made `model`
     * say "needs 1.39 MiB but only 1.00 MiB is free", where `fill` said "Read-only file system".
     */
    @Test void aReadOnlyFileSystemIsTheCauseNotItsSpace() throws IOException {
        Path p = Path.of("/mnt/ro");
        IOException e = assertThrows(IOException.class, () -> DiskSpace.require(p, new Store(true, 1L << 20), 2L << 20, "x"));
        assertEquals("/mnt/ro: Read-only file system", e.getMessage());
        assertThrows(IOException.class, () -> DiskSpace.require(p, new Store(true, 1L << 30), 1, "x"), "read-only with room");
        IOException full = assertThrows(IOException.class, () -> DiskSpace.require(p, new Store(false, 1L << 20), 2L << 20, "x"));
        assertTrue(full.getMessage().startsWith("x needs 2.00 MiB but only 1.00 MiB is free"), full.getMessage());
        assertDoesNotThrow(() -> DiskSpace.require(p, new Store(false, 1L << 20), 1L << 20, "x"));
    }

    /** A file store that says only whether it is read-only and how much is free. */
    private static final class Store extends java.nio.file.FileStore {
        private final boolean readOnly;
        private final long free;

        Store(boolean readOnly, long free) {
            this.readOnly = readOnly;
            this.free = free;
        }

        @Override public String name() { return "test"; }
        @Override public String type() { return "test"; }
        @Override public boolean isReadOnly() { return readOnly; }
        @Override public long getTotalSpace() { return free; }
        @Override public long getUsableSpace() { return free; }
        @Override public long getUnallocatedSpace() { return free; }
        @Override public boolean supportsFileAttributeView(Class<? extends java.nio.file.attribute.FileAttributeView> type) { return false; }
        @Override public boolean supportsFileAttributeView(String name) { return false; }
        @Override public <V extends java.nio.file.attribute.FileStoreAttributeView> V getFileStoreAttributeView(Class<V> type) { return null; }
        @Override public Object getAttribute(String attribute) { throw new UnsupportedOperationException(attribute); }
    }
}
