package dev.tensorinit.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Decoding JMH JSON into rows, ratios against the right limit, the goal lines, and the files written. */
class ReportTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String P = "dev.tensorinit.bench.";

    static String result(String bench, double opsPerSecond, String params) {
        return "{\"benchmark\":\"" + P + bench + "\",\"params\":{" + params + "},\"primaryMetric\":{\"score\":" + opsPerSecond
                + ",\"scoreError\":\"NaN\",\"scoreUnit\":\"ops/s\"}}";
    }

    static final String RUN = "[" + String.join(",",
            result("HostLimitBench.memFillAll_2pow28", 6e9, ""),
            result("HostLimitBench.memFill1_2pow28", 5e9, ""),
            result("HostLimitBench.memFillAll_2pow24", 8e9, ""),
            result("FillBench.fill_2pow28", 3e9, "\"backend\":\"cpu\",\"init\":\"uniform\",\"dtype\":\"f32\""),
            result("FillBench.fill_2pow28", 1e9, "\"backend\":\"cpu\",\"init\":\"normal\",\"dtype\":\"f32\""),
            result("FillBench.fill_2pow24", 2e9, "\"backend\":\"cpu\",\"init\":\"normal\",\"dtype\":\"bf16\""),
            result("FillBench.fill_2pow24", 0.05e9, "\"backend\":\"reference\",\"init\":\"normal\",\"dtype\":\"f32\""),
            result("FillBench.fill_2pow20", 1e9, "\"backend\":\"cpu\",\"init\":\"normal\",\"dtype\":\"f32\""),
            result("PeerBench.peer_2pow24", 0.6e9, "\"gen\":\"SplittableRandom\",\"dist\":\"uniform\",\"threads\":\"1\""),
            result("PeerBench.peer_2pow24", 0.8e9, "\"gen\":\"SplittableRandom\",\"dist\":\"normal\",\"threads\":\"all\""),
            result("PeerBench.peer_2pow24", 0.7e9, "\"gen\":\"ThreadLocalRandom\",\"dist\":\"normal\",\"threads\":\"1\""),
            result("Dl4jPeerBench.dl4j_2pow24", 0.02e9, "\"dist\":\"normal\""),
            result("SomethingElse.other", 1e9, "")) + "]";
    static final String META = "{\"cores\":2,\"cpu\":\"Test CPU\",\"started\":\"2026-01-01T00:00:00Z\",\"backends\":[{\"name\":\"cpu\",\"gpu\":false}]}";
    static final String NUMPY = "[{\"name\":\"numpy Generator.standard_normal\",\"init\":\"normal\",\"dtype\":\"f32\",\"log2\":24,\"gfloats\":0.07}]";

    static ResultTable table() throws Exception {
        Meta meta = new Meta(JSON.readTree(META));
        List<ResultRow> rows = new ArrayList<>();
        for (JsonNode r : JSON.readTree(RUN)) ResultRow.fromJmh(r, meta).ifPresent(rows::add);
        for (JsonNode n : JSON.readTree(NUMPY)) rows.add(ResultRow.fromNumpy(n));
        return new ResultTable(rows);
    }

    static ResultRow row(ResultTable t, String who, String init, String dtype, int log2) {
        return t.rows().stream().filter(r -> r.who().equals(who) && r.init().equals(init) && r.dtype().equals(dtype) && r.log2() == log2)
                .findFirst().orElseThrow(() -> new AssertionError("no row " + who + " " + init + " " + dtype + " 2^" + log2));
    }

    @Test void rowsCarryElementRatesBytesAndRatiosAgainstTheSameSizeLimit() throws Exception {
        ResultTable t = table();
        assertEquals(13, t.rows().size(), "the unknown benchmark is dropped, numpy is added");
        ResultRow u = row(t, "tensorinit cpu", "uniform", "f32", 28);
        assertEquals(3.0, u.gfloats(), 1e-12);
        assertEquals(12.0, u.gbps(), 1e-12);
        assertEquals(0.5, t.ratio(u), 1e-12, "12 GB/s over the 2^28 limit of 24 GB/s");
        ResultRow bf = row(t, "tensorinit cpu", "normal", "bf16", 24);
        assertEquals(4.0, bf.gbps(), 1e-12, "bf16 is 2 bytes per element");
        assertEquals(4.0 / 32.0, t.ratio(bf), 1e-12, "ratio in bytes against the 2^24 limit");
        ResultRow small = row(t, "tensorinit cpu", "normal", "f32", 20);
        assertEquals(4.0 / 32.0, t.ratio(small), 1e-12, "no 2^20 limit: the nearest size (2^24) is used");
        assertEquals("cuda (curand engine)", ResultRow.backendLabel("cuda:curand"));
        assertEquals("cuda", new Meta(JSON.readTree("{\"backends\":[{\"name\":\"cuda\",\"gpu\":true}]}")).domainOf("cuda:curand"));
        assertEquals("SplittableRandom (2 threads)", row(t, "SplittableRandom (2 threads)", "normal", "f32", 24).who());
    }

    @Test void goalLinesSayMetOrNotMetFromTheNumbers() throws Exception {
        List<String> lines = Targets.lines(table(), 2);
        assertEquals(2, lines.size(), String.join("\n", lines));
        String uniform = lines.get(0), normal = lines.get(1);
        assertTrue(uniform.contains("uniform f32, 2^28") && uniform.contains("**met**"), uniform);
        assertTrue(uniform.contains("ahead"), "1.5 per core beats SplittableRandom's 0.6: " + uniform);
        assertTrue(normal.contains("normal f32, 2^28") && normal.contains("Goal ≥ 1.2 Gfloat/s on 2 cores: **not met**"), normal);
        assertTrue(normal.contains("14.3×") && normal.contains("goal ≥ 10×: **met**"), "1.0 / 0.07 numpy: " + normal);
        assertTrue(normal.contains("ThreadLocalRandom (1 thread) 0.700 per core") && normal.contains("**behind**"),
                "0.5 per core loses to the 1-thread peer's 0.7 (the 2-thread one has only 0.4 per core): " + normal);
    }

    @Test void theGpuGoalAppliesOnlyToGpuDevices(@TempDir Path dir) throws Exception {
        Meta meta = new Meta(JSON.readTree("{\"cores\":2,\"backends\":[{\"name\":\"opencl\",\"gpu\":false},{\"name\":\"cuda\",\"gpu\":true}]}"));
        List<ResultRow> rows = new ArrayList<>();
        for (JsonNode r : JSON.readTree("[" + String.join(",",
                result("OpenClLimitBench.clFill_2pow24", 1e9, ""),
                result("FillBench.fill_2pow24", 0.95e9, "\"backend\":\"opencl\",\"init\":\"uniform\",\"dtype\":\"f32\""),
                result("CudaLimitBench.cuMemset_2pow30", 1000e9, ""),
                result("FillBench.fill_2pow30", 800e9, "\"backend\":\"cuda\",\"init\":\"uniform\",\"dtype\":\"f32\""),
                result("FillBench.fill_2pow30", 950e9, "\"backend\":\"cuda:curand\",\"init\":\"uniform\",\"dtype\":\"f32\"")) + "]")) {
            ResultRow.fromJmh(r, meta).ifPresent(rows::add);
        }
        List<String> lines = Targets.lines(new ResultTable(rows), 2, meta::isGpuRow);
        assertEquals(3, lines.size(), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("tensorinit opencl") && l.contains("the GPU goal does not apply")), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("tensorinit cuda,") && l.contains("80.0 %") && l.contains("**not met**")), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("tensorinit cuda (curand engine)") && l.contains("95.0 %") && l.contains("**met**")), String.join("\n", lines));
        assertEquals(List.of("chart-gpu.png"), ReportMain.writeCharts(dir, new ResultTable(rows), meta), "GPU rows only: no host chart");
        assertTrue(Files.size(dir.resolve("chart-gpu.png")) > 1000);
    }

    @Test void writesTableAndPngChart(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("jmh-results.json"), RUN);
        Files.writeString(dir.resolve("meta.json"), META);
        Files.writeString(dir.resolve("numpy.json"), NUMPY);
        ReportMain.main(new String[] {dir.toString()});
        String md = Files.readString(dir.resolve("results.md"));
        assertTrue(md.contains("| fill | tensorinit cpu | uniform | f32 | 2^28 | 3.00 | 12.0 | 0.500 |"), md);
        assertTrue(md.contains("Test CPU") && md.contains("![chart.png](chart.png)"), md);
        byte[] png = Files.readAllBytes(dir.resolve("chart.png"));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
        assertFalse(Files.exists(dir.resolve("chart-gpu.png")), "no GPU rows, no GPU chart");
    }
}
