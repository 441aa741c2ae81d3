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
}
