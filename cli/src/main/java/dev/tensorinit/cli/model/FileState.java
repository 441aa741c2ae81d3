package dev.tensorinit.cli.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What a rerun finds at a path it is about to write: nothing, the file this run would write (keep it),
 * or something else (refused unless --force). A shard is this run's when its size and its parsed
 * safetensors header equal the planned ones (the header's metadata carries seed, scheme and the
 * config's SHA-256, so a shard from another seed or config does not pass) and the first, middle and
 * last element of each tensor hold this run's bytes ({@link SpotCheck}).
 */
public sealed interface FileState {
    record Missing() implements FileState {}
    record Matches() implements FileState {}
    record Differs(String why) implements FileState {}

    static FileState ofShard(Path file, ShardLayout layout) throws IOException {
        FileState odd = existing(file);
        if (odd != null) return odd;
        long size = Files.size(file);
        byte[] expected = layout.header();
        Object want = Json.parse(Arrays.copyOfRange(expected, 8, expected.length));
        Object found = ShardHeader.read(file, size);
        // The setting that differs first, when the header names one: it says what to fix (--seed 5, not "a different header").
        String setting = found == null || found.equals(want) ? null : ShardHeader.differingSetting(found, want);
        if (setting != null) return new Differs(setting);
        if (size != layout.fileBytes()) return new Differs("has " + size + " bytes, this run writes " + layout.fileBytes());
        if (found == null) return new Differs("has an unreadable safetensors header");
        if (!found.equals(want)) return new Differs("has a different safetensors header (other tensors or offsets)");
        String changed = SpotCheck.firstDifference(file, layout);
        return changed == null ? new Matches()
                : new Differs("holds other data than this run writes (" + changed + "): a copy or write that did not finish?");
    }

    /** Small files (index, config): equal bytes or not. */
    static FileState ofSmallFile(Path file, byte[] content) throws IOException {
        FileState odd = existing(file);
        if (odd != null) return odd;
        if (Files.size(file) != content.length) return new Differs("differs from what this run writes");
        return Arrays.equals(Files.readAllBytes(file), content) ? new Matches() : new Differs("differs from what this run writes");
    }

    /**
     * Missing, or refused for what it is, or null for a regular file to compare. A symbolic link to a missing file
     * counts as existing, as fill counts it: replacing it silently would lose what the user pointed at.
     */
    private static FileState existing(Path file) {
        if (!Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return new Missing();
        if (Files.isSymbolicLink(file) && !Files.exists(file)) return new Differs("is a symbolic link to a missing file");
        if (!Files.isRegularFile(file)) return new Differs("is not a regular file");
        return null;
    }
}
