package dev.tensorinit.cli.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A file that appears at a planned name while the run writes it: two unforced runs into one folder (another seed,
 * say) both reported success and left a mix of their shards, because only the up-front check looked.
 */
class CheckpointWriterTest {
    @TempDir Path dir;

    /** A sink like the command's: a temporary file renamed over the target at commit; {@code meanwhile} runs on the first write. */
    private CheckpointWriter.Sinks sinks(Runnable meanwhile) {
        return (target, bytes) -> {
            Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
            FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return new CheckpointWriter.Sink() {
                boolean first = true;

                @Override public WritableByteChannel channel() {
                    return new WritableByteChannel() {
                        @Override public int write(ByteBuffer src) throws IOException {
                            if (first) {
                                first = false;
                                meanwhile.run();
                            }
                            return ch.write(src);
                        }

                        @Override public boolean isOpen() { return ch.isOpen(); }

                        @Override public void close() throws IOException { ch.close(); }
                    };
                }

                @Override public void commit() throws IOException {
                    ch.close();
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }

                @Override public void close() {
                    try {
                        ch.close();
                        Files.deleteIfExists(temp);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            };
        };
    }

    private static void put(Path f, String text) {
        try {
            Files.writeString(f, text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test void aForeignFileThatAppearsWhileWritingIsRefusedAtTheCommit() throws IOException {
        Path target = dir.resolve("config.json");
        PlannedFile file = new PlannedFile.SmallFile(target, "{\"ours\": 1}".getBytes(StandardCharsets.UTF_8));
        assertTrue(CheckpointWriter.decide(java.util.List.of(file), false).getFirst().action() == CheckpointWriter.Action.WRITE);
        var writer = new CheckpointWriter((r, ch, p) -> { }, sinks(() -> put(target, "{\"theirs\": 2}")));
        var e = assertThrows(FileAlreadyExistsException.class, () -> writer.write(file, n -> { }));
        assertTrue(e.getMessage().contains("appeared while this run wrote it"), e.getMessage());
        assertArrayEquals("{\"theirs\": 2}".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(target), "the other run's file stays");
        assertFalse(Files.exists(dir.resolve(".config.json.tmp")), "the temporary file is removed");
    }

    @Test void anIdenticalFileThatAppearsWhileWritingIsFineAndForceReplacesAForeignOne() throws IOException {
        Path target = dir.resolve("config.json");
        byte[] ours = "{\"ours\": 1}".getBytes(StandardCharsets.UTF_8);
        PlannedFile file = new PlannedFile.SmallFile(target, ours);
        new CheckpointWriter((r, ch, p) -> { }, sinks(() -> put(target, "{\"ours\": 1}"))).write(file, n -> { });
        assertArrayEquals(ours, Files.readAllBytes(target));
        Files.delete(target);
        new CheckpointWriter((r, ch, p) -> { }, sinks(() -> put(target, "{\"theirs\": 2}")), true).write(file, n -> { });
        assertArrayEquals(ours, Files.readAllBytes(target));
    }
}
