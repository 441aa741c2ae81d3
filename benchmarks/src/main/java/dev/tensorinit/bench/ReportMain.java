package dev.tensorinit.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Turns a profile's jmh-results.json, meta.json and (optional) numpy.json into results.md (table and
 * goal check) and chart.png (plus chart-gpu.png when a GPU was measured).
 * <p>Usage: {@code ReportMain [DIR]} (default benchmarks/results).
 */
public final class ReportMain {
    private ReportMain() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "benchmarks/results");
        System.setProperty("java.awt.headless", "true");
        ObjectMapper json = new ObjectMapper();
        Path results = dir.resolve("jmh-results.json");
        if (!Files.exists(results)) throw new IllegalArgumentException(results + " does not exist: run the profile first");
        Meta meta = new Meta(Files.exists(dir.resolve("meta.json")) ? json.readTree(dir.resolve("meta.json").toFile()) : json.createObjectNode());
        List<ResultRow> rows = new ArrayList<>();
        for (JsonNode r : json.readTree(results.toFile())) ResultRow.fromJmh(r, meta).ifPresent(rows::add);
        Path numpy = dir.resolve("numpy.json");
        String numpyNote = "";
        if (Files.exists(numpy)) {
            for (JsonNode n : json.readTree(numpy.toFile())) rows.add(ResultRow.fromNumpy(n));
        } else {
            numpyNote = "numpy was not measured in this run (numpy.json missing; see the profile output).";
        }
        ResultTable table = new ResultTable(rows);
        List<String> charts = writeCharts(dir, table, meta);
        Files.writeString(dir.resolve("results.md"), markdown(table, meta, numpyNote, charts));
        System.out.println("Wrote " + dir.resolve("results.md") + " (" + rows.size() + " rows) and " + String.join(", ", charts));
    }

    static String markdown(ResultTable t, Meta m, String numpyNote, List<String> charts) {
        StringBuilder b = new StringBuilder();
        b.append("# tensorinit benchmark results\n\n");
        b.append("- Date: ").append(m.text("started")).append(" (UTC); mode: ").append(m.text("mode")).append(" (")
                .append(m.text("settings")).append("); JMH time ").append(m.text("jmhSeconds")).append(" s\n");
        b.append("- CPU: ").append(m.text("cpu")).append(", ").append(m.cores()).append(" cores; memory ").append(m.text("memory")).append('\n');
        b.append("- JDK: ").append(m.text("jdk")).append("; OS: ").append(m.text("os")).append('\n');
        b.append("- Load average (1/5/15 min) before: ").append(m.text("loadavgBefore")).append(", after: ").append(m.text("loadavgAfter"))
                .append(" — other processes on the machine share the cores; compare rows through the ratios, which are measured minutes apart in one run.\n");
        for (JsonNode be : m.json().path("backends")) b.append("- Backend `").append(be.path("name").asText()).append("`: ").append(be.path("summary").asText()).append('\n');
        m.json().path("devices").properties().forEach(e -> b.append("- Limit/peer `").append(e.getKey()).append("`: ")
                .append(e.getValue().path("summary").asText()).append('\n'));
        if (!numpyNote.isEmpty()) b.append("- ").append(numpyNote).append('\n');
        for (JsonNode skip : m.json().path("skippedAsTooSlowForTheProfile")) {
            b.append("- Not run at the large size (too slow for a short profile; the smaller size's row stands in): ").append(skip.asText()).append('\n');
        }
        for (JsonNode g : m.json().path("groupsWithoutResults")) {
            b.append("- **No result** for group \"").append(g.asText()).append("\" (it failed; see the profile's console output)\n");
        }
        b.append("\nGfloat/s = 10^9 elements written per second (JMH ops/s with OperationsPerInvocation = elements); GB/s = Gfloat/s × bytes per element. ")
                .append("The ratio is GB/s over the fill limit of the same memory in the same run (host: `MemorySegment.fill` on all threads; fresh memory: ")
                .append("allocation + the same fill; OpenCL: `clEnqueueFillBuffer`; CUDA: `cuMemsetD32`). Fills write pre-touched buffers; ")
                .append("allocate+fill includes allocating, first-touching and freeing 64 MiB. ")
                .append("Java peers fill a float[] with nextFloat scaled to the Xavier bound or nextGaussian scaled to the Xavier std, one generator per thread on its own slice; ")
                .append("DL4J runs its own WeightInitXavier/WeightInitXavierUniform into a preallocated f32 view; numpy (Generator, PCG64) and cuRAND's uniform are unscaled.\n\n");
        b.append("## Against the goals\n\n");
        Targets.lines(t, m.cores(), m::isGpuRow).forEach(l -> b.append(l).append('\n'));
        b.append("\n## All results\n\n").append(t.markdown());
        if (!charts.isEmpty()) {
            b.append('\n');
            for (String c : charts) b.append("![").append(c).append("](").append(c).append(")\n");
        }
        return b.toString();
    }

    /** chart.png: host backends and peers, f32 uniform/normal; chart-gpu.png when device rows exist. */
    static List<String> writeCharts(Path dir, ResultTable t, Meta m) throws IOException {
        List<String> written = new ArrayList<>();
        String subtitle = m.text("cpu") + ", " + m.cores() + " cores, " + m.text("jdk") + ", " + m.text("started").replaceFirst("\\..*", "") + "Z";
        if (chart(dir.resolve("chart.png"), t, "host", "Host fills and peers, f32 at 2^28 (* = measured at a smaller size)", subtitle)) written.add("chart.png");
        if (chart(dir.resolve("chart-gpu.png"), t, "cuda", "CUDA fills and cuRAND, f32 at 2^30 (* = measured at a smaller size)", subtitle)) written.add("chart-gpu.png");
        return written;
    }

    private static boolean chart(Path png, ResultTable t, String domain, String title, String subtitle) throws IOException {
        int target = domain.equals("host") ? 28 : 30;
        Set<String> whos = new LinkedHashSet<>();
        for (ResultRow r : t.rows()) {
            if ((r.kind() == ResultRow.Kind.FILL || r.kind() == ResultRow.Kind.PEER) && r.domain().equals(domain) && r.dtype().equals("f32")) whos.add(r.who());
        }
        if (whos.isEmpty()) return false;
        List<Chart.Bar> bars = new ArrayList<>();
        for (String who : whos) {
            for (String init : List.of(Workload.UNIFORM, Workload.NORMAL)) {
                Predicate<ResultRow> p = r -> (r.kind() == ResultRow.Kind.FILL || r.kind() == ResultRow.Kind.PEER) && r.who().equals(who)
                        && r.init().equals(init) && r.dtype().equals("f32") && r.domain().equals(domain);
                Optional<ResultRow> row = t.find(p, target);
                row.ifPresent(r -> bars.add(new Chart.Bar(r.log2() == target ? who : who + " *", init, r.gfloats())));
            }
        }
        List<Chart.Limit> limits = new ArrayList<>();
        t.limitFor(domain, target).ifPresent(l -> limits.add(new Chart.Limit(l.who() + " at 2^" + l.log2(), l.gfloats())));
        if (domain.equals("host")) {
            t.find(r -> r.kind() == ResultRow.Kind.LIMIT && r.who().equals("MemorySegment.fill (1 thread)"), target)
                    .ifPresent(l -> limits.add(new Chart.Limit(l.who() + " at 2^" + l.log2(), l.gfloats())));
        }
        Chart.write(png, title, subtitle, bars, limits);
        return true;
    }

    static String fmt(double v) { return String.format(Locale.ROOT, "%.3f", v); }
}
