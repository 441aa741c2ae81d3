package dev.tensorinit.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of the results table, decoded from a JMH result (or the numpy script). {@code domain} says
 * which memory the row writes and so which limit it is compared with: "host", "alloc" (fresh host
 * memory), "opencl" or "cuda".
 */
public record ResultRow(Kind kind, String who, String init, String dtype, int log2, double gfloats,
                        double gfloatsError, int bytesPerElement, String domain, boolean isDomainLimit) {

    public enum Kind {
        LIMIT("limit"), FILL("fill"), ALLOC_FILL("allocate+fill"), PEER("peer");

        final String label;

        Kind(String label) { this.label = label; }

        public String label() { return label; }
    }

    public double gbps() { return gfloats * bytesPerElement; }

    private static final Pattern SIZE = Pattern.compile("_2pow(\\d+)$");

    /** Decodes one JMH JSON result; empty for benchmarks this report does not know. */
    public static Optional<ResultRow> fromJmh(JsonNode r, Meta meta) {
        String full = r.path("benchmark").asText();
        int dot = full.lastIndexOf('.');
        String method = full.substring(dot + 1);
        String cls = full.substring(full.lastIndexOf('.', dot - 1) + 1, dot);
        Matcher m = SIZE.matcher(method);
        if (!m.find()) return Optional.empty();
        int log2 = Integer.parseInt(m.group(1));
        JsonNode pm = r.path("primaryMetric");
        if (!pm.path("scoreUnit").asText().equals("ops/s")) return Optional.empty();
        double g = pm.path("score").asDouble() / 1e9;
        double err = parseDouble(pm.path("scoreError").asText()) / 1e9;
        Map<String, String> p = new TreeMap<>();
        r.path("params").properties().forEach(e -> p.put(e.getKey(), e.getValue().asText()));
        String name = method.substring(0, m.start());
        String all = meta.cores() + " threads";
        ResultRow row = switch (cls + "." + name) {
            case "FillBench.fill" -> {
                String b = p.getOrDefault("backend", "?");
                String dt = p.getOrDefault("dtype", "f32");
                String who = b.equals(Filler.REFERENCE) ? "tensorinit reference (scalar, 1 thread)" : "tensorinit " + backendLabel(b);
                yield new ResultRow(Kind.FILL, who, p.getOrDefault("init", "?"), dt, log2, g, err, bytes(dt), meta.domainOf(b), false);
            }
            case "AllocFillBench.allocFill" -> {
                String dt = p.getOrDefault("dtype", "f32");
                yield new ResultRow(Kind.ALLOC_FILL, "tensorinit " + backendLabel(p.getOrDefault("backend", "?")), p.getOrDefault("init", "?"),
                        dt, log2, g, err, bytes(dt), "alloc", false);
            }
            case "AllocFillBench.allocMemFill" -> new ResultRow(Kind.LIMIT, "allocate + MemorySegment.fill (" + all + ")", "-", "f32",
                    log2, g, err, 4, "alloc", true);
            case "HostLimitBench.memFill1" -> new ResultRow(Kind.LIMIT, "MemorySegment.fill (1 thread)", "-", "f32", log2, g, err, 4, "host", false);
            case "HostLimitBench.memFillAll" -> new ResultRow(Kind.LIMIT, "MemorySegment.fill (" + all + ")", "-", "f32", log2, g, err, 4, "host", true);
            case "OpenClLimitBench.clFill" -> new ResultRow(Kind.LIMIT, "clEnqueueFillBuffer (" + meta.openclDevice() + ")", "-", "f32",
                    log2, g, err, 4, "opencl", true);
            case "CudaLimitBench.cuMemset" -> new ResultRow(Kind.LIMIT, "cuMemsetD32", "-", "f32", log2, g, err, 4, "cuda", true);
            case "CurandPeerBench.curand" -> new ResultRow(Kind.PEER, "cuRAND host API, Philox" + (p.getOrDefault("dist", "").equals("uniform") ? " (unscaled)" : ""),
                    p.getOrDefault("dist", "?"), "f32", log2, g, err, 4, "cuda", false);
            case "Dl4jPeerBench.dl4j" -> new ResultRow(Kind.PEER, "DL4J WeightInitXavier / XavierUniform (ND4J native, " + all + ")", p.getOrDefault("dist", "?"), "f32", log2, g, err, 4, "host", false);
            case "PeerBench.peer" -> {
                String t = p.getOrDefault("threads", "1");
                String threads = t.equals("all") ? all : t.equals("1") ? "1 thread" : t + " threads";
                yield new ResultRow(Kind.PEER, p.getOrDefault("gen", "?") + " (" + threads + ")", p.getOrDefault("dist", "?"), "f32",
                        log2, g, err, 4, "host", false);
            }
            default -> null;
        };
        return Optional.ofNullable(row);
    }

    /** A numpy row from numpy_bench.py's JSON. */
    public static ResultRow fromNumpy(JsonNode n) {
        return new ResultRow(Kind.PEER, "numpy Generator.random / .standard_normal (1 thread)", n.path("init").asText(), n.path("dtype").asText("f32"),
                n.path("log2").asInt(), n.path("gfloats").asDouble(), Double.NaN, 4, "host", false);
    }

    /** "cuda:curand" reads "cuda (curand engine)". */
    static String backendLabel(String spec) {
        int colon = spec.indexOf(':');
        return colon < 0 ? spec : spec.substring(0, colon) + " (" + spec.substring(colon + 1) + " engine)";
    }

    static int bytes(String dtype) {
        return switch (dtype.toLowerCase(Locale.ROOT)) {
            case "f32" -> 4;
            case "f64" -> 8;
            case "bf16", "f16" -> 2;
            default -> throw new IllegalArgumentException("unknown dtype '" + dtype + "' in JMH result");
        };
    }

    private static double parseDouble(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
