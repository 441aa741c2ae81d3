package dev.tensorinit.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which benchmarks a profile runs, decided from what is present: one {@link Group} per JMH run (a
 * method regex and its parameter values). Unavailable backends and devices simply produce no group.
 */
public final class Plan {

    /**
     * One JMH run: benchmark methods matching {@code include}, with these parameter values. A fill
     * group with {@code gateLog2 > 0} writes 2^gateLog2 elements per op and is first passed through
     * {@link #gate}, which drops the combinations too slow to time at that size in a short profile.
     */
    public record Group(String title, String include, Map<String, List<String>> params, int gateLog2) {
        public Group {
            params = Map.copyOf(params);
        }
    }

    /** A gated fill combination is run at the large size only if one op is predicted to take at most this. */
    public static final double MAX_SECONDS_PER_OP = 0.5;

    /** Key of a measured fill rate: backend, init, dtype. */
    public static String rateKey(String backend, String init, String dtype) { return backend + "|" + init + "|" + dtype; }

    /**
     * Splits a gated group per backend and keeps the inits whose rate measured at a smaller size
     * ({@code rates}: elements/s by {@link #rateKey}) predicts ≤ {@link #MAX_SECONDS_PER_OP} per op at the
     * group's size; combinations never measured are kept. A compute-bound fill runs at the same rate at
     * any size above the caches, so the smaller size's row stands in for a skipped one.
     */
    public static List<Group> gate(Group g, Map<String, Double> rates, List<String> skipped) {
        if (g.gateLog2() <= 0) return List.of(g);
        List<Group> out = new ArrayList<>();
        double elements = Math.scalb(1.0, g.gateLog2());
        for (String b : g.params().getOrDefault("backend", List.of())) {
            List<String> inits = new ArrayList<>();
            for (String init : g.params().getOrDefault("init", List.of())) {
                boolean fast = true;
                for (String dt : g.params().getOrDefault("dtype", List.of("f32"))) {
                    Double r = rates.get(rateKey(b, init, dt));
                    if (r != null && elements / r > MAX_SECONDS_PER_OP) {
                        fast = false;
                        skipped.add(String.format(java.util.Locale.ROOT, "%s %s %s at 2^%d: %.1f s per op predicted from %.3f Gfloat/s measured at a smaller size",
                                b, init, dt, g.gateLog2(), elements / r, r / 1e9));
                    }
                }
                if (fast) inits.add(init);
            }
            if (inits.isEmpty()) continue;
            Map<String, List<String>> p = new LinkedHashMap<>(g.params());
            p.put("backend", List.of(b));
            p.put("init", inits);
            out.add(new Group(g.title() + ", " + b, g.include(), p, g.gateLog2()));
        }
        return out;
    }

    /** Iteration settings. */
    public record Settings(int warmupIterations, long warmupMillis, int iterations, long iterationMillis) {}

    /** The short profile (-f 1 -wi 2 -w 300ms -i 3 -r 500ms; about 4 minutes on 2 cores) and a smoke test of the pipeline (about 100 s of measuring). */
    public enum Mode {
        PROFILE(new Settings(2, 300, 3, 500)),
        QUICK(new Settings(1, 100, 1, 200));

        final Settings settings;

        Mode(Settings s) { this.settings = s; }

        public Settings settings() { return settings; }
    }

    /** What is present here. {@code hostBackends}: SPI backends on the CPU; {@code gpuBackends}: on a GPU. */
    public record Present(List<String> hostBackends, List<String> gpuBackends, DeviceProbe.Found opencl,
                          DeviceProbe.Found cuda, DeviceProbe.Found curand, boolean dl4j) {
        public Present {
            hostBackends = List.copyOf(hostBackends);
            gpuBackends = List.copyOf(gpuBackends);
        }
    }

    private static final List<String> INITS = List.of(Workload.UNIFORM, Workload.NORMAL, Workload.TRUNC_NORMAL);
    private static final List<String> UNIFORM_NORMAL = List.of(Workload.UNIFORM, Workload.NORMAL);

    public static List<Group> of(Mode mode, Present p) {
        boolean quick = mode == Mode.QUICK;
        int small = quick ? 20 : 24, large = quick ? 20 : 28;
        List<String> all = new ArrayList<>(p.hostBackends());
        all.addAll(p.gpuBackends());
        List<Group> g = new ArrayList<>();

        // The limits first: every ratio in the table is against these, measured minutes apart at most.
        g.add(group("host fill limit", HostLimitBench.class, "memFill(1|All)_2pow(" + sizes(small, large) + ")", Map.of()));
        if (p.opencl().available()) {
            String s = sizes(small, large) + (p.opencl().gpu() && p.opencl().maxAllocBytes() >= (4L << 30) && !quick ? "|30" : "");
            g.add(group("OpenCL fill limit", OpenClLimitBench.class, "clFill_2pow(" + s + ")", Map.of()));
        }
        if (p.cuda().available()) {
            g.add(group("CUDA fill limit", CudaLimitBench.class, "cuMemset_2pow(" + (quick ? "24" : "28|30") + ")", Map.of()));
        }

        // Fills on pre-touched buffers.
        if (!all.isEmpty()) {
            g.add(group("fill 2^" + small + " f32", FillBench.class, "fill_2pow" + small,
                    Map.of("backend", all, "init", INITS, "dtype", List.of("f32"))));
            g.add(group("fill 2^" + small + " bf16", FillBench.class, "fill_2pow" + small,
                    Map.of("backend", all, "init", UNIFORM_NORMAL, "dtype", List.of("bf16"))));
        }
        g.add(group("fill 2^" + small + ", scalar reference", FillBench.class, "fill_2pow" + small,
                Map.of("backend", List.of(Filler.REFERENCE), "init", INITS, "dtype", List.of("f32"))));
        if (!all.isEmpty() && !quick) {
            g.add(new Group("fill 2^28", include(FillBench.class, "fill_2pow28"),
                    Map.of("backend", all, "init", INITS, "dtype", List.of("f32")), 28));
        }
        if (!p.gpuBackends().isEmpty() && !quick) {
            g.add(new Group("fill 2^30 (GPUs)", include(FillBench.class, "fill_2pow30"),
                    Map.of("backend", p.gpuBackends(), "init", UNIFORM_NORMAL, "dtype", List.of("f32")), 30));
        }
        if (p.gpuBackends().contains("cuda") && p.curand().available()) {
            // The cuda backend's optional cuRAND engine (uniform and normal only; not bit-identical).
            g.add(group("fill, cuda backend with its curand engine", FillBench.class, "fill_2pow(" + (quick ? "24" : "28|30") + ")",
                    Map.of("backend", List.of("cuda:curand"), "init", UNIFORM_NORMAL, "dtype", List.of("f32"))));
        }

        // What a user waits for: allocate + fill (64 MiB, always fresh pages).
        g.add(group("allocate + fill limit", AllocFillBench.class, "allocMemFill_2pow24", Map.of()));
        if (!all.isEmpty()) {
            g.add(group("allocate + fill", AllocFillBench.class, "allocFill_2pow24",
                    Map.of("backend", all, "init", UNIFORM_NORMAL, "dtype", List.of("f32"))));
        }

        // Peers.
        g.add(group("Java peers", PeerBench.class, "peer_2pow" + small,
                Map.of("gen", List.of("Random", "SplittableRandom", "ThreadLocalRandom"), "dist", UNIFORM_NORMAL,
                        "threads", List.of("1", "all"))));
        if (p.dl4j()) {
            g.add(group("DL4J Xavier", Dl4jPeerBench.class, "dl4j_2pow" + small, Map.of("dist", UNIFORM_NORMAL)));
        }
        if (p.curand().available()) {
            g.add(group("cuRAND host API", CurandPeerBench.class, "curand_2pow(" + (quick ? "24" : "28|30") + ")",
                    Map.of("dist", UNIFORM_NORMAL)));
        }
        return g;
    }

    private static String sizes(int small, int large) {
        return small == large ? Integer.toString(small) : small + "|" + large;
    }

    private static Group group(String title, Class<?> bench, String methodRegex, Map<String, List<String>> params) {
        return new Group(title, include(bench, methodRegex), new LinkedHashMap<>(params), 0);
    }

    private static String include(Class<?> bench, String methodRegex) {
        return "^" + Pattern.quote(bench.getName()) + "\\.(" + methodRegex + ")$";
    }
}
