package dev.tensorinit.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** AtomicFile's clean-up when the output folder moves under a run. */
class AtomicFileTest {
    @TempDir Path dir;

    /**
     * The folder renamed while the file was written (`mv out out2`): the temporary file had been deleted by its old
     * path, which no longer existed, and a 1.2 GB temporary file stayed in out2. It is deleted through the folder's handle.
     */
    @Test void aFailedWriteRemovesItsTemporaryFileFromTheRenamedFolder() throws IOException {
        Path out = Files.createDirectory(dir.resolve("out")), moved = dir.resolve("moved");
        try (AtomicFile f = AtomicFile.create(out.resolve("w.bin"), false)) {
            f.writer().write(ByteBuffer.allocate(4096));
            assertEquals(1, FillCommandTest.list(out).size(), "the temporary file is there");
            Files.move(out, moved);
            IOException e = assertThrows(IOException.class, f::commit, "the rename's target folder is gone");
            assertEquals(out + ": the output folder was moved or removed during the run; w.bin was not written", e.getMessage());
        }
        assertEquals(List.of(), FillCommandTest.list(moved), "no temporary file left in the moved folder");
        assertEquals(List.of(moved.getFileName()), FillCommandTest.list(dir));
    }

    /**
     * A signal whose shutdown hook removes the temporary file while the commit runs: the commit's failure said the
     * folder had been moved (QA: 1 SIGTERM in 16 during model). It says the process is exiting.
     */
    @Test void aCommitAfterTheShutdownHookSaysTheProcessIsExiting() throws IOException {
        for (boolean overwrite : new boolean[] {false, true}) {
            try (AtomicFile f = AtomicFile.create(dir.resolve("w.bin"), overwrite)) {
                f.writer().write(ByteBuffer.allocate(4096));
                f.deleteAtExit();
                IOException e = assertThrows(java.io.InterruptedIOException.class, f::commit);
                assertEquals("stopped: the process is exiting (a signal); w.bin was not written", e.getMessage());
            }
            assertEquals(List.of(), FillCommandTest.list(dir));
        }
    }

    /**
     * A file that lands at the target after the commit's last check and before the data gets its name (another run's
     * commit in that window) is never replaced without overwrite: link(2) refuses the taken name. A rename there
     * replaced it (two model runs left a mixed checkpoint, one exiting 0).
     */
    @Test void aFileLandingJustBeforePlacingIsNotReplacedWithoutOverwrite() throws IOException {
        Path target = dir.resolve("w.bin");
        for (boolean noReplace : new boolean[] {false, true}) {
            Files.deleteIfExists(target);
            try (AtomicFile f = noReplace ? AtomicFile.createNoReplace(target, n -> { }) : AtomicFile.create(target, false)) {
                f.writer().write(ByteBuffer.allocate(4096));
                f.beforePlacing(() -> {
                    try {
                        Files.write(target, new byte[] {42});
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                assertThrows(java.nio.file.FileAlreadyExistsException.class, f::commit);
            }
            assertEquals(1, Files.size(target), "the other run's file stays");
            assertEquals(List.of(target.getFileName()), FillCommandTest.list(dir), "no temporary file is left");
        }
    }

    /** The same for a run that stops before its commit (a failed fill: close alone). */
    @Test void closingWithoutCommitRemovesTheTemporaryFileFromTheRenamedFolder() throws IOException {
        Path out = Files.createDirectory(dir.resolve("out")), moved = dir.resolve("moved");
        try (AtomicFile f = AtomicFile.create(out.resolve("w.bin"), false)) {
            f.writer().write(ByteBuffer.allocate(4096));
            Files.move(out, moved);
            Files.createDirectory(out); // a new folder at the old name: it holds nothing of ours, and keeps nothing
        }
        assertEquals(List.of(), FillCommandTest.list(moved));
        assertEquals(List.of(), FillCommandTest.list(out));
    }
}
