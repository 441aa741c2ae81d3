package dev.tensorinit.cli.model;

import java.util.List;

/** One checkpoint file: its 1-based index, its file name, its tensors in state_dict order, its data bytes. */
public record Shard(int index, String fileName, List<PlannedTensor> tensors, long dataBytes) {
    public Shard {
        tensors = List.copyOf(tensors);
    }
}
