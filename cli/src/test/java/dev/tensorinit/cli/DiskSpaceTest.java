package dev.tensorinit.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
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
}
