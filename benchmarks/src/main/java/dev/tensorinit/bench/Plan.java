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

    /** One JMH run: benchmark methods matching {@code include}, with these parameter values. */
    public record Group(String title, String include, Map<String, List<String>> params) {
        public Group {
            params = Map.copyOf(params);
        }
    }

    /** Iteration settings. */
    public record Settings(int warmupIterations, long warmupMillis, int iterations, long iterationMillis) {}

    /** The short profile (about 4-5 minutes on 2 cores) and a seconds-long smoke test of the pipeline. */
    public enum Mode {
        PROFILE(new Settings(2, 400, 3, 600)),
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
            g.add(group("fill 2^" + small, FillBench.class, "fill_2pow" + small,
                    Map.of("backend", all, "init", INITS, "dtype", List.of("f32", "bf16"))));
        }
        g.add(group("fill 2^" + small + ", scalar reference", FillBench.class, "fill_2pow" + small,
                Map.of("backend", List.of(Filler.REFERENCE), "init", INITS, "dtype", List.of("f32"))));
        if (!all.isEmpty() && !quick) {
            g.add(group("fill 2^28", FillBench.class, "fill_2pow28",
                    Map.of("backend", all, "init", INITS, "dtype", List.of("f32"))));
        }
        if (!p.gpuBackends().isEmpty() && !quick) {
            g.add(group("fill 2^30 (GPUs)", FillBench.class, "fill_2pow30",
                    Map.of("backend", p.gpuBackends(), "init", UNIFORM_NORMAL, "dtype", List.of("f32"))));
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
        return new Group(title, "^" + Pattern.quote(bench.getName()) + "\\.(" + methodRegex + ")$", new LinkedHashMap<>(params));
    }
}
