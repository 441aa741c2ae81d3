package dev.tensorinit.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * BRIEF.md's goals, checked against one run: CPU uniform ≥ 2.5 and normal ≥ 1.2 Gfloat/s on 2 cores,
 * ≥ 10× numpy standard_normal, ahead of every Java peer per core; GPU ≥ 90% of the device's memset.
 * Each line also says what bounds the backend: below half the write limit it is compute-bound.
 */
public final class Targets {
    private Targets() {}

    static final double CPU_UNIFORM = 2.5, CPU_NORMAL = 1.2, NUMPY_FACTOR = 10, GPU_FRACTION = 0.9;

    public static List<String> lines(ResultTable t, int cores) {
        return lines(t, cores, who -> true);
    }

    /** {@code onGpu}: whether a device backend's row (by its "who") ran on a GPU, where the 90 % goal applies. */
    public static List<String> lines(ResultTable t, int cores, Predicate<String> onGpu) {
        List<String> out = new ArrayList<>();
        Set<String> hostBackends = new LinkedHashSet<>(), deviceBackends = new LinkedHashSet<>();
        for (ResultRow r : t.rows()) {
            if (r.kind() != ResultRow.Kind.FILL || r.who().contains("reference")) continue;
            (r.domain().equals("host") ? hostBackends : deviceBackends).add(r.who());
        }
        Optional<ResultRow> numpyNormal = t.find(r -> r.who().startsWith("numpy") && r.init().equals(Workload.NORMAL), 99);
        for (String b : hostBackends) {
            for (String init : List.of(Workload.UNIFORM, Workload.NORMAL)) {
                Optional<ResultRow> row = t.find(r -> r.kind() == ResultRow.Kind.FILL && r.who().equals(b) && r.init().equals(init)
                        && r.dtype().equals("f32"), 28);
                if (row.isEmpty()) continue;
                ResultRow r = row.get();
                double goal = init.equals(Workload.UNIFORM) ? CPU_UNIFORM : CPU_NORMAL;
                StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                        "- **%s, %s f32, 2^%d**: %s Gfloat/s (%s GB/s) = %.1f %% of the write limit → %s. Goal ≥ %.1f Gfloat/s on 2 cores: **%s** (%.2f× the goal%s).",
                        b, init, r.log2(), ResultTable.num(r.gfloats()), ResultTable.num(r.gbps()), 100 * t.ratio(r), bound(t.ratio(r)),
                        goal, r.gfloats() >= goal ? "met" : "not met", r.gfloats() / goal, cores == 2 ? "" : "; this machine has " + cores + " cores"));
                if (init.equals(Workload.NORMAL) && numpyNormal.isPresent()) {
                    double f = r.gfloats() / numpyNormal.get().gfloats();
                    s.append(String.format(Locale.ROOT, " vs numpy standard_normal f32 (1 thread, %s Gfloat/s): %.1f× (goal ≥ 10×: **%s**).",
                            ResultTable.num(numpyNormal.get().gfloats()), f, f >= NUMPY_FACTOR ? "met" : "not met"));
                }
                bestPeerPerCore(t, init, cores).ifPresent(p -> {
                    double mine = r.gfloats() / cores;
                    double theirs = perCore(p, cores);
                    s.append(String.format(Locale.ROOT, " Per core %s vs best Java peer %s %s per core: %.2f× (**%s**).",
                            ResultTable.num(mine), p.who(), ResultTable.num(theirs), mine / theirs, mine > theirs ? "ahead" : "behind"));
                });
                out.add(s.toString());
            }
        }
        for (String b : deviceBackends) {
            for (String init : List.of(Workload.UNIFORM, Workload.NORMAL)) {
                t.find(r -> r.kind() == ResultRow.Kind.FILL && r.who().equals(b) && r.init().equals(init) && r.dtype().equals("f32"), 30)
                        .ifPresent(r -> out.add(String.format(Locale.ROOT,
                                "- **%s, %s f32, 2^%d**: %s Gfloat/s (%s GB/s) = %.1f %% of the device fill limit (%s) → %s.",
                                b, init, r.log2(), ResultTable.num(r.gfloats()), ResultTable.num(r.gbps()), 100 * t.ratio(r),
                                onGpu.test(b) ? "goal ≥ 90 %: **" + (t.ratio(r) >= GPU_FRACTION ? "met" : "not met") + "**"
                                        : "a CPU device: the GPU goal does not apply", bound(t.ratio(r)))));
            }
        }
        if (out.isEmpty()) out.add("- No backend fill was measured in this run.");
        return out;
    }

    static String bound(double ratioToLimit) {
        if (Double.isNaN(ratioToLimit)) return "no limit measured";
        return ratioToLimit < 0.5 ? "compute-bound" : ratioToLimit < 0.85 ? "partly memory-bound" : "memory-bound";
    }

    static double perCore(ResultRow peer, int cores) {
        return peer.who().endsWith("(1 thread)") ? peer.gfloats() : peer.gfloats() / cores;
    }

    static Optional<ResultRow> bestPeerPerCore(ResultTable t, String init, int cores) {
        return t.rows().stream()
                .filter(r -> r.kind() == ResultRow.Kind.PEER && r.domain().equals("host") && !r.who().startsWith("numpy") && r.init().equals(init))
                .max(Comparator.comparingDouble(r -> perCore(r, cores)));
    }
}
