package dev.tensorinit.cli.model;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The --dry-run report: one row per tensor (name, shape, dtype, init, bytes, file) and the totals. */
public final class DryRun {
    private DryRun() {}

    public static void print(ModelPlan p, PrintWriter o) {
        ModelConfig c = p.config();
        o.printf(Locale.ROOT, "model     %s -> %s state_dict as save_pretrained writes it, %d tensors%n", c.type().id(), c.type().hfClass(),
                p.tensors().size());
        o.printf(Locale.ROOT, "init      scheme %s, seed %s, dtype %s, stream = SHA-256 of each tensor's name%n", p.scheme().id(),
                Long.toUnsignedString(p.seed()), p.dtype().id());
        int nameW = Math.max(4, p.tensors().stream().mapToInt(t -> t.name().length()).max().orElse(4));
        String fmt = "%-" + nameW + "s  %-14s %-5s %-30s %14s  %s%n";
        o.printf(Locale.ROOT, fmt, "NAME", "SHAPE", "DTYPE", "INIT", "BYTES", "FILE");
        for (Shard s : p.shards()) {
            for (PlannedTensor t : s.tensors()) {
                String shape = Arrays.stream(t.spec().shape().dims()).mapToObj(Long::toString).collect(Collectors.joining("x"));
                o.printf(Locale.ROOT, fmt, t.name(), shape, t.dtype().id(), t.describe(), t.bytes(), s.fileName());
            }
        }
        o.printf(Locale.ROOT, "total     %d parameters, %d bytes (%s) in %d file(s), max shard size %d bytes%n", p.parameters(),
                p.dataBytes(), Sizes.human(p.dataBytes()), p.shards().size(), p.maxShardBytes());
        if (!p.selection().isAll()) {
            long mine = 0;
            int count = 0;
            for (Shard s : p.shards()) {
                if (p.selection().owns(s)) {
                    mine += s.dataBytes();
                    count++;
                }
            }
            o.printf(Locale.ROOT, "machine   --shard %s writes %d of the %d shard(s), %d bytes (%s)%n", p.selection(), count, p.shards().size(),
                    mine, Sizes.human(mine));
        }
        o.println("dry run   nothing written");
    }
}
