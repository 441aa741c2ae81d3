package dev.tensorinit.cli.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * A safetensors file's parsed header, and which setting of the run it was written with differs from this run's:
 * "has a different header" did not say what to fix, and a --shard machine given another --seed needs to be told so.
 */
final class ShardHeader {
    private ShardHeader() {}

    /** safetensors' own limit on a header (100 MB): a larger length field is not a header. */
    private static final long MAX_HEADER = 100_000_000;

    /** Metadata keys of {@link ModelPlan}'s headers, and the flag that sets each. */
    private static final Map<String, String> FLAGS = Map.of("tensorinit_seed", "--seed", "tensorinit_scheme", "--scheme");

    /** The header of the {@code size}-byte file, parsed; null when it has none that parses. */
    static Object read(Path file, long size) throws IOException {
        if (size < 8) return null;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, len, 0);
            long n = len.flip().getLong();
            if (n < 2 || n > MAX_HEADER || n > size - 8) return null;
            ByteBuffer json = ByteBuffer.allocate((int) n);
            readFully(ch, json, 8);
            return Json.parse(json.array());
        } catch (Json.SyntaxException e) {
            return null;
        }
    }

    /**
     * What differs between a header {@code found} and this run's {@code want} that names a setting: a metadata value
     * (seed, scheme, format), else a tensor's dtype, else the config; null when none does (other tensors or offsets).
     */
    static String differingSetting(Object found, Object want) {
        if (!(found instanceof Map<?, ?> f) || !(want instanceof Map<?, ?> w)) return null;
        Map<?, ?> fm = f.get("__metadata__") instanceof Map<?, ?> m ? m : Map.of();
        String otherConfig = null;   // said last: another --dtype changes the config's copy too, and the dtype says more
        if (w.get("__metadata__") instanceof Map<?, ?> wm) {
            for (Map.Entry<?, ?> e : wm.entrySet()) {
                Object theirs = fm.get(e.getKey());
                if (e.getValue().equals(theirs)) continue;
                String key = (String) e.getKey();
                if (theirs == null) return "has no " + key + " in its metadata (not written by tensorinit model?)";
                if (key.equals("tensorinit_config_sha256")) {
                    if (otherConfig == null) {
                        otherConfig = "was written from another --config (its " + key + " is " + theirs + ", this run's " + e.getValue() + ")";
                    }
                    continue;
                }
                return "was written with " + FLAGS.getOrDefault(key, key) + " " + theirs + " (its " + key + "), this run's is "
                        + e.getValue();
            }
        }
        for (Map.Entry<?, ?> e : w.entrySet()) {
            if (e.getKey().equals("__metadata__") || !(e.getValue() instanceof Map<?, ?> wt)) continue;
            if (f.get(e.getKey()) instanceof Map<?, ?> ft && ft.get("dtype") instanceof String d && !d.equals(wt.get("dtype"))) {
                return "holds " + d + " tensors (--dtype " + d.toLowerCase(java.util.Locale.ROOT) + "), this run writes "
                        + wt.get("dtype") + " (--dtype " + String.valueOf(wt.get("dtype")).toLowerCase(java.util.Locale.ROOT) + ")";
            }
        }
        return otherConfig;
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int r = ch.read(b, pos + b.position());
            if (r < 0) throw new IOException("unexpected end of file");
        }
    }
}
