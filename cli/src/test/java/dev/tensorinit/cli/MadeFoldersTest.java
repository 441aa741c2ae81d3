package dev.tensorinit.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The folders a `model` run made are removed at its end while empty, and only those. */
class MadeFoldersTest {
    @TempDir Path dir;

    @Test void foldersMadeAndLeftEmptyAreRemovedDeepestFirst() throws IOException {
        Path out = dir.resolve("a/b/c");
        try (MadeFolders made = MadeFolders.create(out)) {
            assertTrue(Files.isDirectory(out));
            assertEquals(List.of(out, dir.resolve("a/b"), dir.resolve("a")), made.made());
        }
        assertFalse(Files.exists(dir.resolve("a")), "a failed run leaves none of them");
        assertTrue(Files.isDirectory(dir), "a folder that was there stays");
    }

    @Test void aFolderWithAFileStaysAndSoDoTheFoldersAboveIt() throws IOException {
        Path out = dir.resolve("a/b");
        try (MadeFolders made = MadeFolders.create(out)) {
            Files.writeString(out.resolve("config.json"), "{}");
        }
        assertTrue(Files.exists(out.resolve("config.json")));
    }

    @Test void aFolderThatExistedIsNeverRemoved() throws IOException {
        Path out = Files.createDirectories(dir.resolve("there"));
        try (MadeFolders made = MadeFolders.create(out)) {
            assertEquals(List.of(), made.made());
        }
        assertTrue(Files.isDirectory(out), "empty, but not this run's");
    }

    /** A folder another process filled meanwhile (a sibling of the output folder, say) keeps it and what is above. */
    @Test void aParentWithSomethingElseInItStays() throws IOException {
        Path out = dir.resolve("a/b");
        try (MadeFolders made = MadeFolders.create(out)) {
            Files.createDirectories(dir.resolve("a/other"));
        }
        assertFalse(Files.exists(out), "the empty output folder goes");
        assertTrue(Files.isDirectory(dir.resolve("a/other")), "the rest stays");
    }
}
