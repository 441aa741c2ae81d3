package dev.tensorinit.cli.model;

import java.io.IOException;
import java.nio.file.Path;

/** A file the run writes: a shard (header and tensor data) or a small file written from bytes. */
public sealed interface PlannedFile {
    Path target();

    long bytes();

    FileState state() throws IOException;

    record ShardFile(Path target, ShardLayout layout) implements PlannedFile {
        public long bytes() { return layout.fileBytes(); }
        public FileState state() throws IOException { return FileState.ofShard(target, layout); }
    }

    record SmallFile(Path target, byte[] content) implements PlannedFile {
        public long bytes() { return content.length; }
        public FileState state() throws IOException { return FileState.ofSmallFile(target, content); }
    }
}
