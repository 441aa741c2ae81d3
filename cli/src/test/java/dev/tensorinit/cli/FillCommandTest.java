package dev.tensorinit.cli;

import com.fasterxml.jackson.databind.JsonNode;

import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Inits;
import dev.tensorinit.Layout;
import dev.tensorinit.Region;
import dev.tensorinit.Shape;
import dev.tensorinit.Streams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fill command in this JVM: files read back and compared bit for bit with core's Reference. */
class FillCommandTest {
    @TempDir Path dir;

    private Cli.Result ok(String... args) {
        Cli.Result r = Cli.run(args);
        assertEquals(0, r.code(), () -> "exit code; stderr: " + r.err());
        return r;
    }

    private static Map<String, String> params(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource({
            "xavier_uniform, 64x48,   f32, npy",
            "xavier_normal,  64x48,   f64, npy",
            "trunc_normal,   33x17,   f16, npy",
            "he_normal,      3x3x16x8, bf16, safetensors",
            "glorot_uniform, 100x7,   f32, bin",
            "kaiming_normal, 8x4x3x3, f32, safetensors",
            "variance_scaling, 20x30, f64, safetensors",
    })
    void wholeTensorMatchesReference(String init, String shape, String dtype, String ext) throws IOException {
        Path out = dir.resolve("t." + ext);
        Cli.Result r = ok("fill", "--shape", shape, "--init", init, "--dtype", dtype, "--seed", "1234", "--stream", "7",
                "--out", out.toString());
        FillRequest req = new FillRequest(Shape.parse(shape), Layout.TORCH, Inits.create(init, Map.of()), DType.parse(dtype),
                1234, 7, Region.whole());
        byte[] data = switch (ext) {
            case "npy" -> {
                TensorFiles.Parsed p = TensorFiles.npy(out);
                assertArrayEquals(req.shape().dims(), p.shape());
                assertEquals(NpyHeader.descr(req.dtype()), p.dtype());
                yield p.data();
            }
            case "safetensors" -> {
                TensorFiles.Parsed p = TensorFiles.safetensors(out, "weight");
                assertArrayEquals(req.shape().dims(), p.shape());
                assertEquals(dtype.toUpperCase(), p.dtype());
                assertEquals(init, p.metadata().get("init").asText());
                assertEquals("1234", p.metadata().get("seed").asText());
                assertEquals("7", p.metadata().get("stream").asText());
                yield p.data();
            }
            default -> Files.readAllBytes(out);
        };
        assertArrayEquals(TensorFiles.reference(req), data);
        assertTrue(r.out().contains("backend   "), r.out());
        assertTrue(r.out().contains("elements  " + req.count()), r.out());
        assertEquals(List.of(out.getFileName()), list(dir), "no temporary file is left");
    }

    /**
     * A file past 16 MiB is written with direct I/O where the file system takes it (an unaligned safetensors header,
     * 1 MiB pieces of an odd element count, a ragged end) and holds exactly the reference's bytes either way.
     */
    /**
     * An append-only folder (chattr +a) takes the file's name but will not let the temporary name go: the run says so
     * (it had left the second link silently). Skipped where chattr cannot set the flag (not root, or another file system).
     */
    @Test void aTemporaryNameThatCannotBeRemovedIsReported() throws Exception {
        Path app = Files.createDirectory(dir.resolve("app"));
        org.junit.jupiter.api.Assumptions.assumeTrue(chattr("+a", app), "chattr +a is not available here");
        try {
            Cli.Result r = ok("fill", "--shape", "4x4", "--init", "ones", "--out", app.resolve("w.npy").toString());
            assertTrue(Files.exists(app.resolve("w.npy")));
            assertTrue(r.err().contains("could not be removed (an append-only folder?)"), r.err());
        } finally {
            assertTrue(chattr("-a", app), "chattr -a");
        }
    }

    private static boolean chattr(String flag, Path p) throws InterruptedException {
        try {
            Process pr = new ProcessBuilder("chattr", flag, p.toString()).redirectErrorStream(true).start();
            pr.getInputStream().readAllBytes();
            return pr.waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** A line break in --out or --name stays inside its report line, escaped as error messages escape it. */
    @Test void lineBreaksInNamesAreEscapedInTheReport() throws IOException {
        Path out = dir.resolve("a\nwrote     b.safetensors");
        Cli.Result r = ok("fill", "--shape", "4x4", "--init", "ones", "--name", "x\ny", "--out", out.toString());
        assertTrue(Files.exists(out));
        assertEquals(1, r.out().lines().filter(l -> l.startsWith("wrote")).count(), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("tensor    \"x\\ny\"")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("wrote") && l.contains("a\\nwrote")), r.out());
    }

    @Test void aBigFileWrittenDirectHoldsTheReferenceBytes() throws IOException {
        Path out = dir.resolve("big.safetensors");
        Cli.Result r = ok("fill", "--shape", "3001x2003", "--init", "xavier_uniform", "--seed", "7", "--buffer-memory", "4M",
                "--out", out.toString());
        boolean direct;
        try (var probe = java.nio.channels.FileChannel.open(dir.resolve("probe"), java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE, com.sun.nio.file.ExtendedOpenOption.DIRECT)) {
            direct = true;
        } catch (IOException | UnsupportedOperationException e) {
            direct = false;
        }
        assertTrue(r.out().contains(direct ? "direct I/O" : "page cache"), r.out());
        FillRequest req = new FillRequest(Shape.of(3001, 2003), Layout.TORCH, Inits.create("xavier_uniform", Map.of()), DType.F32, 7, 0,
                Region.whole());
        assertArrayEquals(TensorFiles.reference(req), TensorFiles.safetensors(out, "weight").data());
    }

    @Test void parametersNameAndJaxLayoutReachTheFill() throws IOException {
        Path out = dir.resolve("e.safetensors");
        ok("fill", "--shape", "16x40", "--layout", "jax", "--init", "variance_scaling", "--scale", "2", "--mode", "fan_out",
                "--distribution", "untruncated_normal", "--name", "layer.0.w", "--seed", "0xFFFFFFFFFFFFFFFF", "--out", out.toString());
        FillRequest req = new FillRequest(Shape.of(16, 40), Layout.JAX, Inits.create("variance_scaling",
                params("scale", "2", "mode", "fan_out", "distribution", "untruncated_normal")), DType.F32, -1L,
                Streams.ofName("layer.0.w"), Region.whole());
        TensorFiles.Parsed p = TensorFiles.safetensors(out, "layer.0.w");
        assertArrayEquals(TensorFiles.reference(req), p.data());
        JsonNode m = p.metadata();
        assertEquals("18446744073709551615", m.get("seed").asText());
        assertEquals(Long.toUnsignedString(Streams.ofName("layer.0.w")), m.get("stream").asText());
        assertEquals("layer.0.w", m.get("stream_name").asText());
        assertEquals("jax", m.get("layout").asText());
        assertEquals("2.0", m.get("init.scale").asText());
        assertEquals("fan_out", m.get("init.mode").asText());
        assertEquals("normal", m.get("init.distribution").asText());
        assertEquals(Version.get(), m.get("tensorinit_version").asText());
        m.fields().forEachRemaining(e -> assertTrue(e.getValue().isTextual(), "metadata values are strings: " + e));
    }

    /** Qwen3.5's A_log: --low and --high reach the log-of-uniform kind; the file holds the reference's bits in every dtype. */
    @Test void logOfUniformWritesTheReferenceBits() throws IOException {
        for (DType dt : DType.values()) {
            Path out = dir.resolve("a_log_" + dt.id() + ".safetensors");
            ok("fill", "--shape", "4099", "--init", "log_of_uniform", "--low", "0.01", "--high", "16", "--dtype", dt.id(),
                    "--name", "model.layers.0.linear_attn.A_log", "--out", out.toString());
            FillRequest req = new FillRequest(Shape.of(4099), Layout.TORCH, InitSpec.logOfUniform(0.01, 16), dt, 0,
                    Streams.ofName("model.layers.0.linear_attn.A_log"), Region.whole());
            TensorFiles.Parsed p = TensorFiles.safetensors(out, "model.layers.0.linear_attn.A_log");
            assertArrayEquals(TensorFiles.reference(req), p.data(), dt.id());
            assertEquals("log_of_uniform", p.metadata().get("init").asText());
            assertEquals("0.01", p.metadata().get("init.low").asText());
        }
        // No defaults, and a low the log cannot take: exit 2, nothing written.
        Path none = dir.resolve("none.npy");
        Cli.Result r = Cli.run("fill", "--shape", "8", "--init", "log_of_uniform", "--high", "16", "--out", none.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("log_of_uniform needs low"), r.err());
        r = Cli.run("fill", "--shape", "8", "--init", "log_of_uniform", "--low", "0", "--high", "16", "--out", none.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("low (0.0) must be above 0"), r.err());
        assertFalse(Files.exists(none));
    }

    @Test void gainNamesAreCalculateGain() throws IOException {
        Path a = dir.resolve("a.bin"), b = dir.resolve("b.bin");
        ok("fill", "--shape", "32x32", "--init", "xavier_uniform", "--gain", "leaky_relu:0.2", "--out", a.toString());
        ok("fill", "--shape", "32x32", "--init", "xavier_uniform", "--gain", Double.toString(Math.sqrt(2 / (1 + 0.04))), "--out", b.toString());
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    }

    @Test void shardEqualsTheSameSliceOfTheWhole() throws IOException {
        Path whole = dir.resolve("whole.npy"), shard = dir.resolve("shard.npy");
        ok("fill", "--shape", "64x50", "--init", "kaiming_uniform", "--seed", "9", "--out", whole.toString());
        ok("fill", "--shape", "64x50", "--init", "kaiming_uniform", "--seed", "9", "--range", "1001:2999", "--out", shard.toString());
        TensorFiles.Parsed w = TensorFiles.npy(whole), s = TensorFiles.npy(shard);
        assertArrayEquals(new long[] {1998}, s.shape());
        assertArrayEquals(Arrays.copyOfRange(w.data(), 1001 * 4, 2999 * 4), s.data());
    }

    @Test void tileEqualsTheTileOfTheWhole() throws IOException {
        Path whole = dir.resolve("whole.safetensors"), tile = dir.resolve("tile.safetensors");
        ok("fill", "--shape", "40x30", "--init", "normal", "--std", "0.5", "--dtype", "bf16", "--out", whole.toString());
        ok("fill", "--shape", "40x30", "--init", "normal", "--std", "0.5", "--dtype", "bf16", "--rows", "5:17", "--cols", "11:29",
                "--out", tile.toString());
        TensorFiles.Parsed w = TensorFiles.safetensors(whole, "weight"), t = TensorFiles.safetensors(tile, "weight");
        assertArrayEquals(new long[] {12, 18}, t.shape());
        byte[] expect = new byte[12 * 18 * 2];
        for (int r = 0; r < 12; r++) System.arraycopy(w.data(), ((5 + r) * 30 + 11) * 2, expect, r * 18 * 2, 18 * 2);
        assertArrayEquals(expect, t.data());
        assertEquals("40x30", t.metadata().get("global_shape").asText());
        assertEquals("tile", t.metadata().get("region").asText());
        assertEquals("5:17", t.metadata().get("rows").asText());
        assertEquals("11:29", t.metadata().get("cols").asText());
    }

    @Test void threadCountDoesNotChangeTheFile() throws IOException {
        Path one = dir.resolve("t1.npy"), two = dir.resolve("t2.npy");
        // 2^20 + 5 elements: several cpu work chunks, so two threads really split the work.
        ok("fill", "--shape", "1048581x1", "--init", "trunc_normal", "--std", "0.02", "--a", "-0.04", "--b", "0.04",
                "--backend", "cpu", "--threads", "1", "--out", one.toString());
        Cli.Result r2 = ok("fill", "--shape", "1048581x1", "--init", "trunc_normal", "--std", "0.02", "--a", "-0.04", "--b", "0.04",
                "--backend", "cpu", "--threads", "2", "--out", two.toString());
        assertTrue(r2.out().contains("2 thread(s)"), r2.out());
        assertArrayEquals(Files.readAllBytes(one), Files.readAllBytes(two));
    }

    /** The chunked paths (fill in pieces, write in chunks) give the same bytes as one piece; small sizes stand in
     *  for the 64 MiB / 2^25-element defaults, since a >2 GiB file is too slow for CI. */
    @Test void smallFillPiecesAndWriteChunksGiveIdenticalFiles() throws IOException {
        for (String region : List.of("whole", "range", "tile")) {
            List<String> extra = switch (region) {
                case "range" -> List.of("--range", "77:2901");
                case "tile" -> List.of("--rows", "3:45", "--cols", "1:63");
                default -> List.of();
            };
            Path big = dir.resolve(region + "-big.npy"), small = dir.resolve(region + "-small.npy");
            ok(cat(List.of("fill", "--shape", "50x64", "--init", "he_uniform", "--dtype", "f64", "--out", big.toString()), extra));
            ok(cat(List.of("fill", "--shape", "50x64", "--init", "he_uniform", "--dtype", "f64", "--out", small.toString(),
                    "--fill-piece", "37", "--write-chunk", "24"), extra));
            assertArrayEquals(Files.readAllBytes(big), Files.readAllBytes(small), region);
        }
    }

    @Test void forceOverwrites() throws IOException {
        Path out = dir.resolve("w.bin");
        Files.writeString(out, "old");
        ok("fill", "--shape", "8x8", "--init", "ones", "--out", out.toString(), "--force");
        assertEquals(8 * 8 * 4, Files.size(out));
        assertEquals(1.0f, java.nio.ByteBuffer.wrap(Files.readAllBytes(out)).order(java.nio.ByteOrder.LITTLE_ENDIAN).getFloat(60));
    }

    /**
     * --out goes where the kernel (and the shell) resolve it: lnk/.. is the parent of lnk's target, not the folder
     * holding lnk. It had been simplified as text and written beside lnk; the report names where the file is.
     */
    @Test void outIsResolvedThroughLinksNotAsText() throws IOException {
        Path sub = Files.createDirectories(dir.resolve("real/sub"));
        Files.createSymbolicLink(dir.resolve("lnk"), sub);
        Cli.Result r = ok("fill", "--shape", "3", "--init", "ones", "--out", dir + "/lnk/../w.npy");
        assertTrue(Files.isRegularFile(dir.resolve("real/w.npy")), "written in real/, lnk's target's parent");
        assertFalse(Files.exists(dir.resolve("w.npy")), "not beside lnk");
        assertTrue(r.out().contains("wrote     " + dir.toRealPath().resolve("real/w.npy")), r.out());
    }

    @Test void reportsSampleNextToExpectedMoments() {
        Cli.Result r = ok("fill", "--shape", "1024x1024", "--init", "uniform", "--low", "-3", "--high", "5",
                "--out", dir.resolve("u.npy").toString());
        String sample = r.out().lines().filter(l -> l.startsWith("sample")).findFirst().orElseThrow();
        String expected = r.out().lines().filter(l -> l.startsWith("expected")).findFirst().orElseThrow();
        double mean = Double.parseDouble(sample.split("\\s+")[2]), std = Double.parseDouble(sample.split("\\s+")[4]);
        // U(-3, 5): mean 1, std 8/sqrt(12) = 2.3094; 2^20 samples give a standard error of 0.0023 for the mean.
        assertEquals(1.0, mean, 0.02);
        assertEquals(8 / Math.sqrt(12), std, 0.02);
        assertTrue(expected.contains("mean +1.00000") && expected.contains("std 2.30940"), expected);
    }

    /** NumPy loads at most 64 dimensions: a .npy of 65 is refused before anything is written; 64 works. */
    @Test void npyHoldsAtMost64Dimensions() {
        String d64 = String.join("x", java.util.Collections.nCopies(64, "1")), d65 = d64 + "x1";
        ok("fill", "--shape", d64, "--init", "normal", "--out", dir.resolve("a.npy").toString());
        Cli.Result r = Cli.run("fill", "--shape", d65, "--init", "normal", "--out", dir.resolve("b.npy").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("64 dimensions") && r.err().contains("65"), r.err());
        assertFalse(Files.exists(dir.resolve("b.npy")));
    }

    /**
     * A file whose header and data together pass 2^63-1 bytes is refused up front: the sum overflowed to a negative
     * size, the free-space check passed, and the fill wrote until the disk was full. Data alone of 2^63-8 bytes fits.
     */
    @Test void aFileOverLongMaxBytesIsRefusedBeforeAnythingIsWritten() {
        Path out = dir.resolve("huge.npy");
        Cli.Result r = Cli.run("fill", "--shape", "1152921504606846975", "--dtype", "f64", "--init", "zeros", "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("more than 2^63-1 bytes") && r.err().contains("9223372036854775800 bytes of data"), r.err());
        assertFalse(Files.exists(out));
        // One element less a header's worth, the file fits a long: refused for the disk's space instead (exit 1).
        Cli.Result space = Cli.run("fill", "--shape", "1152921504606846959", "--dtype", "f64", "--init", "zeros", "--out", out.toString());
        assertEquals(1, space.code(), space.err());
        assertTrue(space.err().contains("is free"), space.err());
    }

    /** The temporary name is shortened, not the target: a valid 240-character file name works. */
    @Test void longFileNameWorks() throws IOException {
        String name = "w".repeat(236) + ".npy";
        Path out = dir.resolve(name);
        ok("fill", "--shape", "16x16", "--init", "ones", "--out", out.toString());
        assertEquals(List.of(out.getFileName()), list(dir));
        String utf8 = "\u00e9".repeat(120) + ".bin"; // 240 two-byte characters: 244 bytes
        ok("fill", "--shape", "16x16", "--init", "ones", "--out", dir.resolve(utf8).toString());
        assertTrue(Files.exists(dir.resolve(utf8)));
        // One byte over the limit: refused before any work (it failed at the final rename, after the whole fill).
        Path tooLong = dir.resolve("\u00e9".repeat(126) + ".npy");   // 256 bytes
        Cli.Result r = Cli.run("fill", "--shape", "16x16", "--init", "ones", "--out", tooLong.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("256 bytes") && r.err().contains("255"), r.err());
        assertEquals(2, list(dir).size(), "nothing new in the folder");
    }

    /** Dates a file back past StaleTemps' quiet time, as a killed run's file is by the time a later run looks. */
    static Path age(Path f) throws IOException {
        Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 2 * StaleTemps.QUIET_MILLIS));
        return f;
    }

    /** SIGKILL leaves a temporary file; a later run in the folder removes it once its process is gone, and says so. */
    @Test void staleTemporaryFilesOfDeadProcessesAreRemoved() throws Exception {
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Process alive = new ProcessBuilder("sleep", "60").start();
        try {
            Path stale = age(Files.writeString(dir.resolve(".w.npy.tensorinit-" + dead.pid() + "-0123abcd.tmp"), "partial"));
            Path fresh = Files.writeString(dir.resolve(".v.npy.tensorinit-" + dead.pid() + "-89abcdef.tmp"), "just created");
            Path future = Files.writeString(dir.resolve(".u.npy.tensorinit-" + dead.pid() + "-01234567.tmp"), "clock set back");
            Files.setLastModifiedTime(future, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 365L * 86_400_000));
            Path live = age(Files.writeString(dir.resolve(".w.npy.tensorinit-" + alive.pid() + "-4567cdef.tmp"), "in progress"));
            Path other = age(Files.writeString(dir.resolve(".w.npy.12345.tmp"), "not ours"));
            Cli.Result r = ok("fill", "--shape", "8x8", "--init", "ones", "--out", dir.resolve("x.npy").toString());
            assertFalse(Files.exists(stale), "the dead process's file is removed");
            assertTrue(Files.exists(fresh), "a file written in the last seconds is kept: its writer may not have locked it yet");
            assertFalse(Files.exists(future), "a time a year ahead is not 'just written'");
            assertTrue(Files.exists(live), "a running process's file is kept");
            assertTrue(Files.exists(other), "files that are not ours are kept");
            assertTrue(r.err().contains("removed " + stale + ", left by process " + dead.pid()), r.err());
        } finally {
            alive.destroy();
        }
    }

    /** Small fills report rates with units that say something, not "0.000 Gfloat/s". */
    @Test void smallFillsReportReadableRates() {
        Cli.Result r = ok("fill", "--shape", "8x8", "--init", "uniform", "--out", dir.resolve("s.npy").toString());
        String fill = r.out().lines().filter(l -> l.startsWith("fill ")).findFirst().orElseThrow();
        assertTrue(fill.matches("fill +[0-9.]+ (us|ms|s) +[1-9][0-9.]* [kMG]? ?elements/s +[1-9][0-9.]* [kMG]?B/s .*"), fill);
        assertFalse(r.out().contains(" 0.000 "), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("memory +256 B buffers; peak resident [0-9.]+ MiB .*")), r.out());
    }

    /** The launcher's AOT training run: every fill it makes succeeds, and it leaves nothing behind. */
    @Test void aotTrainingRunsAndCleansUp() throws IOException {
        Cli.Result r = Cli.run("aot-training", "--dir", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of(), list(dir));
        assertFalse(Cli.run("--help").out().contains("aot-training"), "hidden from users");
    }

    /**
     * The training also warms the vector kernel on every path it has: each (kind, dtype) that warms (not log_of_uniform,
     * which never does, nor constants, which have no Philox), announced as far above any warm-up threshold.
     */
    @Test void aotTrainingAnnouncesEveryVectorPath() {
        java.util.Set<String> paths = new java.util.HashSet<>();
        for (dev.tensorinit.FillRequest r : TrainCommand.vectorPaths()) {
            paths.add(r.kernelArgs().kind() + "/" + r.dtype());
            assertTrue(r.count() >= 1L << 40, r.count() + " elements: below a warm-up threshold on a big machine");
        }
        java.util.Set<String> expected = new java.util.HashSet<>();
        for (dev.tensorinit.kernel.KernelArgs.Kind k : List.of(dev.tensorinit.kernel.KernelArgs.Kind.UNIFORM,
                dev.tensorinit.kernel.KernelArgs.Kind.NORMAL, dev.tensorinit.kernel.KernelArgs.Kind.TRUNC_NORMAL)) {
            for (dev.tensorinit.DType d : dev.tensorinit.DType.values()) expected.add(k + "/" + d);
        }
        assertEquals(expected, paths);
    }

    @Test void versionAndHelp() {
        Cli.Result v = Cli.run("--version");
        assertEquals(0, v.code());
        assertTrue(v.out().startsWith("tensorinit " + Version.get()), v.out());
        for (String sub : List.of("backends", "fill", "bench")) {
            Cli.Result h = Cli.run(sub, "--help");
            assertEquals(0, h.code(), sub);
            assertTrue(h.out().startsWith("Usage: tensorinit " + sub), h.out());
        }
        assertTrue(Cli.run("fill", "--help").out().contains("--rows=R0:R1"));
    }

    @Test void backendsListsCpu() {
        Cli.Result r = Cli.run("backends");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("cpu") && l.contains("available")), r.out());
    }

    static List<Path> list(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(Path::getFileName).sorted().toList();
        }
    }

    private static String[] cat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toArray(String[]::new);
    }
}
