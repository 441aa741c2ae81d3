package dev.tensorinit.cli.model;

/**
 * --shard I/N: machine I of N (1-based) writes shards I, I+N, I+2N, ... Every machine computes the same
 * shard list from the same config and flags, so the N runs never overlap and together write every shard.
 */
public record ShardSelection(int machine, int machines) {
    public static final ShardSelection ALL = new ShardSelection(1, 1);

    public ShardSelection {
        if (machines < 1 || machine < 1 || machine > machines) {
            throw new IllegalArgumentException("--shard " + machine + "/" + machines + " must be I/N with 1 <= I <= N");
        }
    }

    public static ShardSelection parse(String text) {
        String t = text.strip();
        int slash = t.indexOf('/');
        if (slash < 0) throw new IllegalArgumentException("--shard '" + text + "' must be I/N, e.g. 2/8 (machine 2 of 8)");
        try {
            return new ShardSelection(Integer.parseInt(t.substring(0, slash).strip()), Integer.parseInt(t.substring(slash + 1).strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--shard '" + text + "' must be I/N with whole numbers, e.g. 2/8", e);
        }
    }

    public boolean owns(Shard s) {
        return (s.index() - 1) % machines == machine - 1;
    }

    public boolean isAll() { return machines == 1; }

    @Override public String toString() { return machine + "/" + machines; }
}
