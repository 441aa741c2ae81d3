package dev.tensorinit.cli;

import dev.tensorinit.cli.model.CheckpointWriter;
import dev.tensorinit.cli.model.PlannedFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Another unforced run's file that reaches a planned name after the writer's last check and before its commit (the
 * final fsync lies between them). The command's sink renamed over it: two concurrent model runs with --seed 5 and
 * --seed 6 into one folder left a checkpoint mixing their shards while one of them exited 0 (QA, 1 of 6 tries).
 */
class ModelCommitRaceTest {
    @TempDir Path dir;

    /** The command's own sink, with {@code other} put at the target just before its commit. */
    private static CheckpointWriter.Sinks racedBy(byte[] other, boolean force) {
        return (target, bytes) -> {
            CheckpointWriter.Sink real = ModelCommand.sink(target, bytes, force, n -> { });
            return new CheckpointWriter.Sink() {
                @Override public WritableByteChannel channel() { return real.channel(); }

                @Override public void commit() throws IOException {
                    Files.write(target, other); // the other run's rename lands now
                    real.commit();
                }

                @Override public void close() { real.close(); }
            };
        };
    }

    private List<Path> folder() throws IOException {
        try (var s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test void aForeignFileThatLandsAtTheCommitIsNeitherReplacedNorTakenForOurs() throws IOException {
        Path target = dir.resolve("config.json");
        PlannedFile file = new PlannedFile.SmallFile(target, "{\"ours\": 1}".getBytes(StandardCharsets.UTF_8));
        byte[] theirs = "{\"theirs\": 2}".getBytes(StandardCharsets.UTF_8);
        var writer = new CheckpointWriter((r, ch, p) -> { }, racedBy(theirs, false), false);
        var e = assertThrows(FileAlreadyExistsException.class, () -> writer.write(file, n -> { }));
        assertTrue(e.getMessage().contains("appeared while this run wrote it"), e.getMessage());
        assertArrayEquals(theirs, Files.readAllBytes(target), "the other run's file stays");
        assertEquals(List.of(target), folder(), "no temporary file is left");
    }

    @Test void anIdenticalFileThatLandsAtTheCommitIsFineAndForceReplacesAForeignOne() throws IOException {
        Path target = dir.resolve("config.json");
        byte[] ours = "{\"ours\": 1}".getBytes(StandardCharsets.UTF_8);
        PlannedFile file = new PlannedFile.SmallFile(target, ours);
        new CheckpointWriter((r, ch, p) -> { }, racedBy(ours, false), false).write(file, n -> { });
        assertArrayEquals(ours, Files.readAllBytes(target));
        assertEquals(List.of(target), folder(), "no temporary file is left");
        new CheckpointWriter((r, ch, p) -> { }, racedBy("{\"theirs\": 2}".getBytes(StandardCharsets.UTF_8), true), true)
                .write(file, n -> { });
        assertArrayEquals(ours, Files.readAllBytes(target));
        assertEquals(List.of(target), folder(), "no temporary file is left");
    }

    @Test void fillWithoutForceNeverReplacesAFileThatAppearsAtTheCommit() throws IOException {
        Path target = dir.resolve("w.bin");
        AtomicFile f = AtomicFile.createNoReplace(target, n -> { });
        try (f) {
            f.writer().write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}));
            Files.write(target, new byte[] {9});
            assertThrows(FileAlreadyExistsException.class, f::commit);
        }
        assertArrayEquals(new byte[] {9}, Files.readAllBytes(target));
        assertEquals(List.of(target), folder(), "no temporary file is left");
    }
}
