package dev.tensorinit.cli.model;

import dev.tensorinit.FillRequest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Writes the planned files: decides first what to keep (files from an earlier identical run), refuses
 * before writing anything when a file from another run is in the way (unless forced), then writes each
 * remaining file through a sink that makes it appear whole or not at all. Tensor bytes come from a
 * {@link TensorWriter}: the CLI's one TensorStream, so fill and model share how data is produced.
 */
public final class CheckpointWriter {

    /**
     * Writes the data bytes of fill requests, one after another (a shard's tensors, as one stream: small tensors share
     * buffers and writes); {@code progress} receives the bytes written so far.
     */
    @FunctionalInterface
    public interface TensorWriter {
        void write(List<FillRequest> requests, WritableByteChannel out, LongConsumer progress) throws IOException;
    }

    /**
     * A file being written: its channel, then commit (durable and in place) or close alone (gone). A sink for an
     * unforced writer should replace nothing: its commit throws FileAlreadyExistsException when a file has the name by
     * then, and the writer judges that file.
     */
    public interface Sink extends AutoCloseable {
        WritableByteChannel channel();

        void commit() throws IOException;

        @Override void close();
    }

    @FunctionalInterface
    public interface Sinks {
        /** A sink for a file of {@code bytes} bytes at {@code target}. */
        Sink open(Path target, long bytes) throws IOException;
    }

    public enum Action { WRITE, KEEP }

    public record Step(PlannedFile file, Action action) {}

    private final TensorWriter tensors;
    private final Sinks sinks;
    private final boolean force;

    public CheckpointWriter(TensorWriter tensors, Sinks sinks) {
        this(tensors, sinks, false);
    }

    /**
     * {@code force}: replace whatever is at a file's name when it is committed. Without it, a file that appeared at
     * the name while this run wrote it (another run into the same folder, with another seed say) is refused at the
     * commit unless it is this run's file, as {@link #decide} refuses one found up front: else both runs reported
     * success and the folder held a mix of their shards.
     */
    public CheckpointWriter(TensorWriter tensors, Sinks sinks, boolean force) {
        this.tensors = tensors;
        this.sinks = sinks;
        this.force = force;
    }

    /** What a run will do with each file; throws (naming the first file) when one belongs to another run and !force. */
    public static List<Step> decide(List<PlannedFile> files, boolean force) throws IOException {
        List<Step> steps = new ArrayList<>();
        for (PlannedFile f : files) {
            // --force replaces files, not folders: refused before anything is written (it failed after earlier shards).
            if (Files.isDirectory(f.target(), LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(f.target().toString(), null, "is a folder, which --force does not replace; remove it");
            }
            FileState s = force ? new FileState.Missing() : f.state();
            switch (s) {
                case FileState.Missing m -> steps.add(new Step(f, Action.WRITE));
                case FileState.Matches m -> steps.add(new Step(f, Action.KEEP));
                case FileState.Differs d -> throw new FileAlreadyExistsException(f.target().toString(), null,
                        "exists and " + d.why() + "; add --force to rewrite it");
            }
        }
        return List.copyOf(steps);
    }

    /** Another --shard machine's file in the folder that differs from what this run would write for it, and why. */
    public record Mismatch(Path file, String why) {}

    /**
     * The other --shard machines' files ({@link ModelPlan#otherMachinesShards}) that are in the folder and differ from
     * what this run would write for them: the machines of one run were given different flags, and together they would
     * leave a checkpoint of mixed shards. Missing files (not written yet) and anything but a regular file (that
     * machine's own check refuses it) pass.
     */
    public static List<Mismatch> mismatched(List<PlannedFile.ShardFile> others, ShardSelection selection) throws IOException {
        List<Mismatch> out = new ArrayList<>();
        for (PlannedFile.ShardFile f : others) {
            if (!Files.isRegularFile(f.target())) continue;
            if (f.state() instanceof FileState.Differs d) {
                int machine = (f.layout().shard().index() - 1) % selection.machines() + 1;
                out.add(new Mismatch(f.target(), "is machine " + machine + "/" + selection.machines() + "'s shard and " + d.why()
                        + ": every machine of a --shard run needs the same flags"));
            }
        }
        return List.copyOf(out);
    }

    /**
     * Shards of another layout ({@link Leftover}s that are not misleading) whose header names a setting this run writes
     * differently. Another --dtype of another element size (f32 beside bf16) gives other shard sizes, so other file
     * names: {@link #mismatched} found none of the other machine's files, and the refusal came later, from the index,
     * saying only that it differs (and suggesting --force, which removes the other machine's shards).
     */
    public static List<Mismatch> mismatchedOtherLayout(List<Leftover> leftovers, ModelPlan plan) throws IOException {
        List<Mismatch> out = new ArrayList<>();
        if (leftovers.stream().allMatch(Leftover::misleading)) return out;   // nothing to read: skip this run's headers
        Map<Object, Object> want = new LinkedHashMap<>();   // every tensor of this run's layout, and its metadata
        for (ShardLayout l : plan.layouts()) {
            byte[] h = l.header();
            if (Json.parse(Arrays.copyOfRange(h, 8, h.length)) instanceof Map<?, ?> m) want.putAll(m);
        }
        for (Leftover l : leftovers) {
            if (l.misleading() || !Files.isRegularFile(l.file())) continue;
            Object found = ShardHeader.read(l.file(), Files.size(l.file()));
            String setting = found == null ? null : ShardHeader.differingSetting(found, want);
            if (setting != null) {
                out.add(new Mismatch(l.file(), l.why() + " and " + setting + ": every machine of a --shard run needs the same flags"));
            }
        }
        return List.copyOf(out);
    }

    /**
     * Throws for the first {@link #mismatched} file. {@code done}: this run's files are already written (the check
     * after them catches a machine that finished meanwhile).
     */
    public static void refuseMixed(List<PlannedFile.ShardFile> others, ShardSelection selection, boolean done) throws IOException {
        for (Mismatch m : mismatched(others, selection)) {
            throw new FileAlreadyExistsException(m.file().toString(), null, done
                    ? m.why() + "; this run's files are written, but the folder now mixes two runs' shards"
                    : m.why() + "; rerun that machine with this run's flags or remove the file (--force skips this check)");
        }
    }

    /** Throws for the first {@link #mismatchedOtherLayout} file, before anything is written. */
    public static void refuseOtherLayout(List<Leftover> leftovers, ModelPlan plan) throws IOException {
        for (Mismatch m : mismatchedOtherLayout(leftovers, plan)) {
            throw new FileAlreadyExistsException(m.file().toString(), null,
                    m.why() + "; rerun that machine with this run's flags or remove the file (--force removes it)");
        }
    }

    /** Writes one file; {@code progress} receives bytes as they are written. */
    public void write(PlannedFile file, LongConsumer progress) throws IOException {
        try (Sink sink = sinks.open(file.target(), file.bytes())) {
            // The sink's own channel, unwrapped: the TensorStream may take faster paths for a FileChannel.
            WritableByteChannel ch = sink.channel();
            switch (file) {
                case PlannedFile.SmallFile s -> writeAll(ch, s.content());
                case PlannedFile.ShardFile s -> {
                    writeAll(ch, s.layout().header());
                    List<FillRequest> requests = new ArrayList<>();
                    for (PlannedTensor t : s.layout().order()) requests.addAll(t.pieces());
                    long[] last = {0};
                    tensors.write(requests, ch, n -> {
                        progress.accept(n - last[0]);
                        last[0] = n;
                    });
                }
            }
            // A short or long write would be a corrupt checkpoint: never rename it into place.
            if (ch instanceof SeekableByteChannel sc && sc.position() != file.bytes()) {
                throw new IOException("wrote " + sc.position() + " bytes to " + file.target() + " but planned " + file.bytes());
            }
            if (!force && file.state() instanceof FileState.Differs d) throw appeared(file, d);
            try {
                sink.commit();
            } catch (FileAlreadyExistsException e) {
                if (force) throw e;
                // Another run's file reached the name after the check above (an unforced sink replaces nothing):
                // judged as that check judges it. An identical run's identical file stays; ours is dropped.
                FileState there;
                try {
                    there = file.state();
                } catch (IOException | RuntimeException unreadable) {
                    e.addSuppressed(unreadable);
                    throw e;
                }
                if (there instanceof FileState.Differs d) throw appeared(file, d);
                if (!(there instanceof FileState.Matches)) throw e;
            }
        }
    }

    private static FileAlreadyExistsException appeared(PlannedFile file, FileState.Differs d) {
        return new FileAlreadyExistsException(file.target().toString(), null,
                "appeared while this run wrote it and " + d.why() + " (another run writing into this folder?); add --force to rewrite it");
    }

    private static void writeAll(WritableByteChannel ch, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) ch.write(b);
    }
}
