package dev.tensorinit.cli.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Cuts the tensors into files the way save_pretrained does (huggingface_hub's
 * split_state_dict_into_shards_factory): walk the state_dict in order; a tensor larger than the maximum
 * gets a shard of its own, at once; otherwise, if it would tip the current shard over the maximum, the
 * current shard is closed first. No packing optimization. Tensors sharing one storage (an MoE layer's experts)
 * move as one unit of their summed size. One shard is {@code model.safetensors}, more are
 * {@code model-0000K-of-0000N.safetensors}.
 */
public final class ShardPlanner {
    private ShardPlanner() {}

    public static List<Shard> plan(List<PlannedTensor> tensors, long maxShardBytes) {
        if (maxShardBytes < 1) throw new IllegalArgumentException("max shard size must be at least 1 byte, got " + maxShardBytes);
        List<List<PlannedTensor>> groups = new ArrayList<>();
        List<PlannedTensor> current = new ArrayList<>();
        long currentBytes = 0;
        for (List<PlannedTensor> unit : storages(tensors)) {
            long size = 0;
            for (PlannedTensor t : unit) size = Math.addExact(size, t.bytes());
            if (size > maxShardBytes) {
                groups.add(unit); // alone, and the open shard stays open for what follows
                continue;
            }
            if (size > maxShardBytes - currentBytes) { // current + size > max, without overflowing near 2^63
                groups.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.addAll(unit);
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

    /**
     * The units huggingface_hub places: a tensor, or the consecutive tensors of one shared storage (a fused parameter's
     * experts), which it sizes by the whole storage at its first tensor and keeps in that tensor's shard. Each shared
     * storage must be one run of the list, as the table makes it.
     */
    private static List<List<PlannedTensor>> storages(List<PlannedTensor> tensors) {
        List<List<PlannedTensor>> units = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (PlannedTensor t : tensors) {
            var storage = t.spec().storage();
            List<PlannedTensor> last = units.isEmpty() ? null : units.getLast();
            if (storage.isPresent() && last != null && storage.equals(last.getFirst().spec().storage())) {
                last.add(t);
                continue;
            }
            if (storage.isPresent() && !seen.add(storage.get())) {
                throw new IllegalStateException("the tensors of storage " + storage.get() + " are not one run: " + t.name());
            }
            units.add(new ArrayList<>(List.of(t)));
        }
        return units;
    }

    static String fileName(int index, int count) {
        return count == 1 ? "model.safetensors" : String.format(Locale.ROOT, "model-%05d-of-%05d.safetensors", index, count);
    }
}
