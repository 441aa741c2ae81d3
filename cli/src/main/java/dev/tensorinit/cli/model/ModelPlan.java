package dev.tensorinit.cli.model;

import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.kernel.Sha256;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything {@code tensorinit model} will do, decided and checked before any file is touched: the
 * config, the tensors and their inits, the shards, which shards this machine writes, and the files.
 * Any bad flag or config throws IllegalArgumentException with one line naming it.
 */
public record ModelPlan(ModelConfig config, byte[] configBytes, Scheme scheme, DType dtype, long seed, long maxShardBytes,
                        List<PlannedTensor> tensors, List<Shard> shards, List<ShardLayout> layouts, ShardSelection selection,
                        boolean droppedQuantization) {

    /** The flag values, parsed but not yet checked against each other. {@code dtype} null: the config's, else f32. */
    public record Flags(Path config, DType dtype, Scheme scheme, long seed, long maxShardBytes, ShardSelection selection) {}

    public static final String CONFIG_NAME = "config.json";
    static final int MAX_CONFIG_BYTES = 16 << 20;

    public static ModelPlan of(Flags f) {
        // A model folder (a downloaded config, or the checkpoint itself) stands for the config.json in it.
        Path configFile = Files.isDirectory(f.config()) ? f.config().resolve(CONFIG_NAME) : f.config();
        byte[] bytes;
        try (var in = Files.newInputStream(configFile)) {
            // A config is kilobytes; a bound keeps /dev/zero or a checkpoint given by mistake from filling the heap.
            bytes = in.readNBytes(MAX_CONFIG_BYTES + 1);
            if (bytes.length > MAX_CONFIG_BYTES) {
                throw new IllegalArgumentException("--config " + configFile + " is larger than " + (MAX_CONFIG_BYTES >> 20)
                        + " MiB; a config.json is a few kilobytes of JSON");
            }
        } catch (IOException e) {
            // The command words the cause as its other file errors ("no such file or folder: ..."): ModelCommand.
            throw new java.io.UncheckedIOException("cannot read --config " + configFile, e);
        } catch (SecurityException e) {
            throw new IllegalArgumentException("cannot read --config " + configFile + " (SecurityException"
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        }
        String source = configFile.toString();
        ModelConfig config = ConfigParser.parse(bytes, source);
        DType dtype = f.dtype() != null ? f.dtype() : config.dtype().orElse(DType.F32);
        if (dtype == DType.F64) throw new IllegalArgumentException("--dtype must be f32, bf16 or f16 for a checkpoint, got f64");
        // What goes beside the shards, and what their headers record the SHA-256 of: the same copy whether a rerun
        // names the user's config or the one in the folder (a copy is its own copy).
        byte[] copy = ConfigCopy.of(bytes, config.dtype(), dtype, config.type().hfClass());
        List<PlannedTensor> tensors = new ArrayList<>();
        List<Shard> shards;
        List<ShardLayout> layouts;
        String at = null; // the tensor being planned, for an overflow's message
        try {
            long bytesTotal = 0;
            for (TensorSpec t : TensorTable.of(config)) {
                at = t.name();
                PlannedTensor p = new PlannedTensor(t, f.scheme().initFor(t), t.dtype(dtype), f.seed());
                checkFills(p, config, f.scheme(), source);
                bytesTotal = Math.addExact(bytesTotal, p.bytes());
                tensors.add(p);
            }
            at = null;
            shards = ShardPlanner.plan(tensors, f.maxShardBytes());
            Map<String, String> metadata = metadata(f, copy);
            layouts = shards.stream().map(s -> ShardLayout.of(s, metadata)).toList();
            // Every sum of file sizes a run makes (disk space, progress) is part of this one, so none can overflow.
            long files = Math.addExact(copy.length, IndexFile.json(shards).length());
            for (ShardLayout l : layouts) files = Math.addExact(files, l.fileBytes());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(source + ": the checkpoint would be more than 2^63-1 bytes of " + dtype.id()
                    + (at == null ? "" : " (passed at " + at + ")") + "; these sizes are too large: " + config.sizes(), e);
        }
        return new ModelPlan(config, copy, f.scheme(), dtype, f.seed(), f.maxShardBytes(), List.copyOf(tensors), shards, layouts,
                f.selection(), ConfigCopy.quantized(bytes));
    }

    /**
     * Checks every fill of the tensor as a backend would receive it (dry-run too), so a value the dtype cannot hold,
     * or a std that is 0 in f32, fails here, before the folder is made, naming the config field that set it.
     */
    private static void checkFills(PlannedTensor p, ModelConfig config, Scheme scheme, String source) {
        try {
            for (FillRequest piece : p.pieces()) piece.kernelArgs();
        } catch (IllegalArgumentException e) {
            String field = scheme.drawsFromInitializerRange(p.spec()) ? "initializer_range = " + config.initializerRange() + ": " : "";
            throw new IllegalArgumentException(source + ": " + field + p.name() + " cannot be filled: " + e.getMessage(), e);
        }
    }

    /**
     * save_pretrained's {"format": "pt"}, plus what makes the values reproducible and lets a rerun tell its
     * own shards from another run's: seed, scheme and the config's SHA-256 (loaders ignore extra keys).
     */
    private static Map<String, String> metadata(Flags f, byte[] config) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", "pt");
        m.put("tensorinit_seed", Long.toUnsignedString(f.seed()));
        m.put("tensorinit_scheme", f.scheme().id());
        m.put("tensorinit_config_sha256", sha256(config));
        return m;
    }

    /** Parameters, as save_pretrained's total_parameters counts them (num_parameters(): saved buffers are not). */
    public long parameters() {
        long n = 0;
        for (PlannedTensor t : tensors) if (t.spec().kind().parameter()) n = Math.addExact(n, t.spec().elements());
        return n;
    }

    public long dataBytes() {
        long n = 0;
        for (Shard s : shards) n = Math.addExact(n, s.dataBytes());
        return n;
    }

    /** The files this machine writes in {@code dir}: its shards, then the index (when sharded) and config.json. */
    public List<PlannedFile> files(Path dir) {
        List<PlannedFile> out = new ArrayList<>();
        for (ShardLayout l : layouts) {
            if (selection.owns(l.shard())) out.add(new PlannedFile.ShardFile(dir.resolve(l.shard().fileName()), l));
        }
        // Every machine writes the two small files: identical bytes, each renamed into place atomically, so
        // the N directories (or one shared one) hold the single run's files whichever machine finishes last.
        if (shards.size() > 1) {
            out.add(new PlannedFile.SmallFile(dir.resolve(IndexFile.NAME), IndexFile.json(shards).getBytes(StandardCharsets.UTF_8)));
        }
        out.add(new PlannedFile.SmallFile(dir.resolve(CONFIG_NAME), configBytes));
        return List.copyOf(out);
    }

    /**
     * With --shard: the shards of this plan that the other machines write in {@code dir}. Each machine checks those
     * already there against what it would write for them, so machines given different flags cannot build one mixed
     * checkpoint (each had checked its own files only).
     */
    public List<PlannedFile.ShardFile> otherMachinesShards(Path dir) {
        List<PlannedFile.ShardFile> out = new ArrayList<>();
        for (ShardLayout l : layouts) {
            if (!selection.owns(l.shard())) out.add(new PlannedFile.ShardFile(dir.resolve(l.shard().fileName()), l));
        }
        return List.copyOf(out);
    }

    static String sha256(byte[] b) {
        return HexFormat.of().formatHex(Sha256.digest(b));
    }
}
