package dev.tensorinit.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tensorinit.Dispatcher;
import dev.tensorinit.spi.BackendStatus;
import dev.tensorinit.spi.DeviceInfo;
import dev.tensorinit.spi.Probe;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the profile: probes what is present (printing why anything is skipped), runs one JMH run per
 * {@link Plan.Group}, and merges their JSON into {@code jmh-results.json} next to {@code meta.json}
 * (date, CPU, JDK, load, backends) in the output folder. The table and chart come from {@link ReportMain}.
 * <p>Usage: {@code ProfileMain [--quick] [--out DIR] [--dry-run]}
 */
public final class ProfileMain {
    private ProfileMain() {}

    static final List<String> FORK_FLAGS = List.of("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx3g");

    public static void main(String[] args) throws IOException, RunnerException {
        Plan.Mode mode = Plan.Mode.PROFILE;
        Path out = Path.of("benchmarks/results");
        boolean dryRun = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> mode = Plan.Mode.QUICK;
                case "--dry-run" -> dryRun = true;
                case "--out" -> {
                    if (i + 1 >= args.length) throw new IllegalArgumentException("--out needs a folder");
                    out = Path.of(args[++i]);
                }
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "' (expected --quick, --out DIR, --dry-run)");
            }
        }
        Files.createDirectories(out);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode meta = json.createObjectNode();
        meta.put("mode", mode.name().toLowerCase());
        meta.put("started", Instant.now().toString());
        meta.put("loadavgBefore", SystemInfo.loadAverage());
        Plan.Settings st = mode.settings();
        meta.put("settings", "-f 1 -wi " + st.warmupIterations() + " -w " + st.warmupMillis() + "ms -i " + st.iterations() + " -r " + st.iterationMillis() + "ms");

        Plan.Present present = probe(meta.putArray("backends"), meta.putObject("devices"));
        List<Plan.Group> groups = Plan.of(mode, present);
        System.out.println("Plan (" + mode + "):");
        for (Plan.Group g : groups) System.out.println("  " + g.title() + ": " + g.include() + " " + g.params());
        if (dryRun) return;

        Path parts = Files.createTempDirectory("tensorinit-jmh");
        ArrayNode merged = json.createArrayNode();
        ArrayNode failed = meta.putArray("groupsWithoutResults");
        long t0 = System.nanoTime();
        int n = 0;
        Map<String, Double> rates = new HashMap<>();
        ArrayNode gated = meta.putArray("skippedAsTooSlowForTheProfile");
        for (Plan.Group planned : groups) {
            n++;
            List<String> skipped = new ArrayList<>();
            List<Plan.Group> runs = Plan.gate(planned, rates, skipped);
            for (String s : skipped) {
                System.out.println("SKIPPED (too slow for the short profile; the smaller size's row stands in): " + s);
                gated.add(s);
            }
            for (Plan.Group g : runs) {
                Path part = parts.resolve("part-" + n + "-" + runs.indexOf(g) + ".json");
                System.out.printf("%n=== [%d/%d] %s (%.0f s elapsed) ===%n", n, groups.size(), g.title(), (System.nanoTime() - t0) / 1e9);
                record(new Runner(options(g, mode.settings(), part).build()).run(), rates);
                JsonNode arr = Files.exists(part) && Files.size(part) > 0 ? json.readTree(part.toFile()) : null;
                if (arr == null || !arr.isArray() || arr.isEmpty()) failed.add(g.title());
                else arr.forEach(merged::add);
                Files.deleteIfExists(part);
            }
        }
        Files.deleteIfExists(parts);
        meta.put("jmhSeconds", Math.round((System.nanoTime() - t0) / 1e9));
        meta.put("finished", Instant.now().toString());
        meta.put("loadavgAfter", SystemInfo.loadAverage());
        SystemInfo.describe(meta);
        json.writeValue(out.resolve("jmh-results.json").toFile(), merged);
        json.writeValue(out.resolve("meta.json").toFile(), meta);
        System.out.printf("%nWrote %d results to %s in %d s%n", merged.size(), out.resolve("jmh-results.json"), meta.get("jmhSeconds").asLong());
        if (!failed.isEmpty()) System.out.println("Groups that produced no result (see the JMH output above): " + failed);
    }

    /** Remembers each fill's elements/s, so that {@link Plan#gate} can predict the larger sizes. */
    static void record(Collection<RunResult> results, Map<String, Double> rates) {
        for (RunResult r : results) {
            BenchmarkParams p = r.getParams();
            if (!p.getBenchmark().startsWith(FillBench.class.getName() + ".") || r.getPrimaryResult() == null) continue;
            double score = r.getPrimaryResult().getScore();
            if (score > 0) rates.put(Plan.rateKey(p.getParam("backend"), p.getParam("init"), p.getParam("dtype")), score);
        }
    }

    static ChainedOptionsBuilder options(Plan.Group g, Plan.Settings s, Path result) {
        // Forward the user's tensorinit.* settings (e.g. -Dtensorinit.cpu.threads=1) into the forks.
        List<String> props = new ArrayList<>();
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("tensorinit.")).sorted()
                .forEach(k -> props.add("-D" + k + "=" + System.getProperty(k)));
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include(g.include())
                .forks(1)
                .warmupIterations(s.warmupIterations()).warmupTime(TimeValue.milliseconds(s.warmupMillis()))
                .measurementIterations(s.iterations()).measurementTime(TimeValue.milliseconds(s.iterationMillis()))
                // Both replace their defaults (the parent's flags, the @Fork annotation's), so forks get exactly these.
                .jvmArgs(FORK_FLAGS.toArray(String[]::new))
                .jvmArgsAppend(props.toArray(String[]::new))
                .shouldFailOnError(false)
                .resultFormat(ResultFormatType.JSON).result(result.toString());
        for (Map.Entry<String, List<String>> e : g.params().entrySet()) b.param(e.getKey(), e.getValue().toArray(String[]::new));
        return b;
    }

    /** Probes backends (core SPI) and the devices the limits use; prints every skip with its reason. */
    static Plan.Present probe(ArrayNode backendsOut, ObjectNode devicesOut) {
        List<String> host = new ArrayList<>(), gpu = new ArrayList<>();
        System.out.println("Backends (core SPI):");
        for (BackendStatus st : Dispatcher.standard().report()) {
            ObjectNode b = backendsOut.addObject();
            b.put("name", st.name());
            b.put("summary", st.summary());
            b.put("available", st.probe().isAvailable());
            if (st.probe() instanceof Probe.Available a) {
                boolean onGpu = a.devices().stream().map(DeviceInfo::kind).anyMatch(k -> !k.equals("cpu"));
                b.put("gpu", onGpu);
                (onGpu ? gpu : host).add(st.name());
                System.out.println("  " + st.name() + ": measured — " + st.summary());
            } else {
                System.out.println("  " + st.name() + ": SKIPPED — " + st.summary());
            }
        }
        DeviceProbe.Found cl = DeviceProbe.opencl(), cuda = DeviceProbe.cuda();
        DeviceProbe.Found curand = cuda.available() ? DeviceProbe.curand() : cuda;
        System.out.println("Limits and device peers:");
        report(devicesOut, "opencl", "clEnqueueFillBuffer limit", cl);
        report(devicesOut, "cuda", "cuMemsetD32 limit", cuda);
        report(devicesOut, "curand", "cuRAND host API peer", curand);
        boolean dl4j = dl4jPresent();
        devicesOut.putObject("dl4j").put("available", dl4j).put("summary", dl4j ? "available: ND4J on the class path"
                : "unavailable: DL4J/ND4J not on the class path (benchmarks.jar leaves it out; run-profile.sh adds it)");
        System.out.println("  DL4J WeightInitXavier peer: " + (dl4j ? "measured" : "SKIPPED — DL4J/ND4J not on the class path (run through benchmarks/run-profile.sh)"));
        return new Plan.Present(host, gpu, cl, cuda, curand, dl4j);
    }

    static boolean dl4jPresent() {
        try {
            Class.forName(Dl4jPeerBench.PROBE_CLASS, false, ProfileMain.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static void report(ObjectNode out, String key, String what, DeviceProbe.Found f) {
        ObjectNode d = out.putObject(key);
        d.put("available", f.available());
        d.put("summary", f.summary());
        d.put("gpu", f.gpu());
        System.out.println("  " + what + ": " + (f.available() ? "measured — " : "SKIPPED — ") + f.summary());
    }
}
