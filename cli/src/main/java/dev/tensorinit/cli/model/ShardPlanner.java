package dev.tensorinit.cli.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Cuts the tensors into files the way save_pretrained does (huggingface_hub's
 * split_state_dict_into_shards_factory): walk the state_dict in order; a tensor larger than the maximum
 * gets a shard of its own, at once; otherwise, if it would tip the current shard over the maximum, the
 * current shard is closed first. No packing optimization. One shard is {@code model.safetensors}, more
 * are {@code model-0000K-of-0000N.safetensors}.
 */
public final class ShardPlanner {
    private ShardPlanner() {}

    public static List<Shard> plan(List<PlannedTensor> tensors, long maxShardBytes) {
        if (maxShardBytes < 1) throw new IllegalArgumentException("max shard size must be at least 1 byte, got " + maxShardBytes);
        List<List<PlannedTensor>> groups = new ArrayList<>();
        List<PlannedTensor> current = new ArrayList<>();
        long currentBytes = 0;
        for (PlannedTensor t : tensors) {
            long size = t.bytes();
            if (size > maxShardBytes) {
                groups.add(List.of(t)); // alone, and the open shard stays open for what follows
                continue;
            }
            if (size > maxShardBytes - currentBytes) { // current + size > max, without overflowing near 2^63
                groups.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(t);
            currentBytes += size;
        }
        if (!current.isEmpty()) groups.add(current);
        int n = groups.size();
        List<Shard> shards = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            List<PlannedTensor> g = groups.get(i);
            long bytes = 0;
            for (PlannedTensor t : g) bytes = Math.addExact(bytes, t.bytes());
            shards.add(new Shard(i + 1, fileName(i + 1, n), g, bytes));
        }
        return List.copyOf(shards);
    }

    static String fileName(int index, int count) {
        return count == 1 ? "model.safetensors" : String.format(Locale.ROOT, "model-%05d-of-%05d.safetensors", index, count);
    }
}
