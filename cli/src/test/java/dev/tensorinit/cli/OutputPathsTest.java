package dev.tensorinit.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What --out says when the way to it is a broken link or a loop: QA saw "does not exist" and bare paths. */
class OutputPathsTest {
    @TempDir Path dir;

    @Test void aLinkToAMissingFolderIsNamedForModelsOut() throws IOException {
        Path dangling = Files.createSymbolicLink(dir.resolve("dang"), dir.resolve("nowhere"));
        Path loop = Files.createSymbolicLink(dir.resolve("loop"), dir.resolve("loop"));
        for (Path out : new Path[] {dangling, dangling.resolve("x")}) {
            UsageException e = assertThrows(UsageException.class, () -> OutputPaths.folder(out));
            assertTrue(e.getMessage().contains("is a link to a folder that does not exist"), e.getMessage());
        }
        UsageException e = assertThrows(UsageException.class, () -> OutputPaths.folder(loop));
        assertTrue(e.getMessage().startsWith("--out " + loop + ": ") && !e.getMessage().contains("does not exist"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("nowhere")), "nothing created");
    }

    @Test void aLinkLoopOnTheWayIsNotCalledMissing() throws IOException {
        Path loop = Files.createSymbolicLink(dir.resolve("loop"), dir.resolve("loop"));
        IOException e = assertThrows(IOException.class, () -> OutputPaths.file(loop.resolve("w.npy")));
        assertFalse(e.getMessage().contains("does not exist"), e.getMessage());
        Path dangling = Files.createSymbolicLink(dir.resolve("dang"), dir.resolve("nowhere"));
        NoSuchFileException m = assertThrows(NoSuchFileException.class, () -> OutputPaths.file(dangling.resolve("w.npy")));
        assertTrue(m.getMessage().contains("a link to a folder that does not exist"), m.getMessage());
    }
}
