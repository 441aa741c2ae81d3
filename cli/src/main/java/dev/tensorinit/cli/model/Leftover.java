package dev.tensorinit.cli.model;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A file in the output folder from another shard layout, at a name this run does not write. transformers'
 * from_pretrained loads {@code model.safetensors} before it looks for an index, so an old single file hides a new
 * sharded checkpoint; an old index beside a new single file names shards that are not this run's. Those two are
 * {@code misleading}: refused unless --force. Shards of another count ({@code model-0000K-of-0000M}, another M) are
 * named by no index of this run; --force removes them too, once this run's files are complete.
 *
 * <p>Only names outside the whole plan count, not just outside this machine's --shard part: the other machines'
 * files of the same run are never leftovers, and their temporary files have other names.
 */
public record Leftover(Path file, String why, boolean misleading) {

    private static final Pattern SHARD = Pattern.compile("model-\\d{5,}-of-\\d{5,}\\.safetensors");

    /** The leftovers in {@code dir} for {@code plan}, in name order; none when the folder does not exist yet. */
    public static List<Leftover> find(ModelPlan plan, Path dir) throws IOException {
        List<Leftover> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        boolean sharded = plan.shards().size() > 1;
        Path single = dir.resolve(ShardPlanner.fileName(1, 1)), index = dir.resolve(IndexFile.NAME);
        // Files.isRegularFile follows links, as Python's os.path.isfile does (a Hugging Face cache folder holds links).
        if (sharded && Files.isRegularFile(single)) {
            out.add(new Leftover(single, "is a single-file checkpoint, which transformers loads instead of this run's "
                    + plan.shards().size() + " shards and index", true));
        }
        if (!sharded && Files.isRegularFile(index)) {
            out.add(new Leftover(index, "names the shards of another layout, which a loader reading it would take instead of this "
                    + "run's single model.safetensors", true));
        }
        Set<String> planned = new HashSet<>();
        for (Shard s : plan.shards()) planned.add(s.fileName());
        List<Path> shards = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "model-*-of-*.safetensors")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (SHARD.matcher(name).matches() && !planned.contains(name) && Files.isRegularFile(f)) shards.add(f);
            }
        }
        shards.sort(null);
        for (Path f : shards) {
            out.add(new Leftover(f, "is a shard of another layout (this run writes " + (sharded ? plan.shards().size() + " shards"
                    : "one model.safetensors") + ")", false));
        }
        return List.copyOf(out);
    }

    /**
     * The leftovers in {@code dir} now that were not there at the run's start ({@code atStart}): another layout's files
     * that another run wrote into the same folder while this one ran (another --max-shard-size or --dtype). Each run
     * checked the folder before it wrote, so only a check at the end sees them.
     */
    public static List<Leftover> appearedSince(List<Leftover> atStart, ModelPlan plan, Path dir) throws IOException {
        Set<Path> before = new HashSet<>();
        for (Leftover l : atStart) before.add(l.file());
        List<Leftover> out = new ArrayList<>();
        for (Leftover l : find(plan, dir)) if (!before.contains(l.file())) out.add(l);
        return List.copyOf(out);
    }

    /** Throws for the first misleading leftover, saying why it is in the way. */
    public static void refuseMisleading(List<Leftover> leftovers) throws FileAlreadyExistsException {
        for (Leftover l : leftovers) {
            if (l.misleading()) {
                throw new FileAlreadyExistsException(l.file().toString(), null, "exists and " + l.why() + "; add --force to remove it");
            }
        }
    }
}
