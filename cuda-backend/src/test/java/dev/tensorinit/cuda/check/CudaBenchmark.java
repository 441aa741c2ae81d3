package dev.tensorinit.cuda.check;

import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Layout;
import dev.tensorinit.Region;
import dev.tensorinit.Shape;
import dev.tensorinit.cuda.CudaBackend;
import dev.tensorinit.cuda.CudaBuffer;
import dev.tensorinit.cuda.CudaEngine;
import dev.tensorinit.cuda.CudaProbe;
import dev.tensorinit.cuda.KernelVariant;
import dev.tensorinit.cuda.LaunchConfig;
import jcuda.driver.JCudaDriver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The GPU benchmark: every row of issue 12's table that Java can measure, in one run, into one device
 * buffer of 2^log2 elements: cuMemsetD32 (the f32 write limit) and cuMemsetD16 (the bf16/f16 limit);
 * the philox engine's xavier_uniform, xavier_normal and trunc_normal in f32 and xavier_uniform/normal in
 * bf16 and f16, for every kernel variant ({@link KernelVariant}) with the default grid (32 blocks per SM)
 * and the resident grid (one wave); and the curand engine's uniform and normal (f32, bf16). Each row is
 * the median of {@value #REPS} timed runs after one warm-up; ratios are to the memset of the same
 * element size in the same run. Peer rows (torch, CuPy's cuRAND, JAX) measured by peers_bench.py in the
 * same bench.sh run are merged in when their TSV is given.
 *
 * <p>Usage: CudaBenchmark [outDir] [log2 elements = 30] [peers.tsv] [quick]. With "quick" only the
 * default and v2h kernels run (the GPU check's 40-second step). Writes outDir/benchmark.txt (aligned text),
 * benchmark.md (a markdown table with date, GPU, driver and commit) and benchmark.tsv (one row per line:
 * source, operation, dtype, elements, median ms, Gfloat/s, ratio to memset).
 */
public final class CudaBenchmark {
    static final int REPS = 7;

    private CudaBenchmark() {}

    interface Op { void run(); }

    /** One measured row. */
    record Row(String source, String operation, DType dtype, long elements, double ms, double limitMs) {
        double gfloats() { return elements / ms / 1e6; }
        double ratio() { return limitMs / ms; }
    }

    public static void main(String[] args) throws IOException {
        Path out = args.length > 0 ? Path.of(args[0]) : null;
        int log2 = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        Path peers = args.length > 2 && !args[2].isBlank() && !args[2].equals("-") ? Path.of(args[2]) : null;
        boolean quick = args.length > 3 && args[3].equals("quick");
        long n = 1L << log2;
        if (!CudaProbe.driver().isAvailable()) {
            System.out.println("no GPU: " + ((dev.tensorinit.spi.Probe.Unavailable) CudaProbe.driver()).reason());
            System.exit(2);
        }
        List<Row> rows = new ArrayList<>();
        List<String> header = new ArrayList<>();
        Shape shape = Shape.of(n / 1024, 1024);
        double memset32, memset16;
        try (CudaBackend philox = CudaBackend.open(0, CudaEngine.PHILOX, null)) {
            header.add(philox.description());
            header.add(String.format(Locale.ROOT, "%d elements per row (f32: %.2f GiB), median of %d runs after a warm-up%s", n,
                    n * 4.0 / (1L << 30), REPS, quick ? ", quick (default and v2h kernels only)" : ""));
            try (CudaBuffer buf = philox.allocate(DType.F32, n)) {
                philox.makeContextCurrent();
                memset32 = time(() -> {
                    JCudaDriver.cuMemsetD32(buf.pointer(), 0x3f800000, n);
                    JCudaDriver.cuCtxSynchronize();
                }, philox);
                add(rows, new Row("cuda", "cuMemsetD32 (f32 write limit)", DType.F32, n, memset32, memset32));
                memset16 = time(() -> {
                    JCudaDriver.cuMemsetD16(buf.pointer(), (short) 0x3f80, n);
                    JCudaDriver.cuCtxSynchronize();
                }, philox);
                add(rows, new Row("cuda", "cuMemsetD16 (bf16/f16 write limit)", DType.BF16, n, memset16, memset16));
                List<KernelVariant> variants = quick ? List.of(KernelVariant.DEFAULT, KernelVariant.V2H)
                        : java.util.Arrays.stream(KernelVariant.values()).filter(v -> v != KernelVariant.AUTO).toList();
                for (String grid : new String[] {"capped", "resident"}) {
                    for (KernelVariant v : variants) {
                        String label = "philox " + v.id() + (grid.equals("resident") ? " resident" : "");
                        try {
                            measurePhilox(rows, label, v, grid, buf, n, shape, memset32, memset16);
                        } catch (RuntimeException e) {
                            System.out.println(label + ": FAILED " + e);
                            header.add(label + ": FAILED " + e);
                        }
                    }
                }
                String curandMissing = CudaProbe.curandMissing();
                if (curandMissing != null) {
                    header.add("curand engine: " + curandMissing);
                } else {
                    try (CudaBackend curand = CudaBackend.open(0, CudaEngine.CURAND, null)) {
                        for (DType d : new DType[] {DType.F32, DType.BF16}) {
                            CudaBuffer view = curand.wrap(buf.pointer(), d, n);
                            double limit = d == DType.F32 ? memset32 : memset16;
                            for (InitSpec spec : List.of(InitSpec.xavierUniform(), InitSpec.xavierNormal())) {
                                FillRequest r = new FillRequest(shape, Layout.TORCH, spec, d, 1, 2, Region.whole());
                                add(rows, new Row("cuda", "curand engine " + spec.name(), d, n, time(() -> curand.fill(r, view), curand), limit));
                            }
                        }
                    }
                }
            }
        } finally {
            System.clearProperty(KernelVariant.PROPERTY);
            System.clearProperty(LaunchConfig.GRID_PROPERTY);
        }
        List<String> peerNotes = new ArrayList<>();
        if (peers != null && Files.isReadable(peers)) readPeers(peers, rows, memset32, memset16, peerNotes);
        String text = text(header, rows, peerNotes);
        System.out.print("\n" + text);
        if (out != null) {
            Files.createDirectories(out);
            Files.writeString(out.resolve("benchmark.txt"), text);
            Files.writeString(out.resolve("benchmark.md"), markdown(header, rows, peerNotes));
            Files.writeString(out.resolve("benchmark.tsv"), tsv(rows));
        }
    }

    /** The philox engine's rows for one kernel variant and grid, on views of the one buffer. */
    private static void measurePhilox(List<Row> rows, String label, KernelVariant v, String grid, CudaBuffer buf, long n,
                                      Shape shape, double memset32, double memset16) {
        System.setProperty(KernelVariant.PROPERTY, v.id());
        System.setProperty(LaunchConfig.GRID_PROPERTY, grid);
        try (CudaBackend b = CudaBackend.open(0, CudaEngine.PHILOX, null)) {
            for (InitSpec spec : List.of(InitSpec.xavierUniform(), InitSpec.xavierNormal(), InitSpec.truncNormal())) {
                FillRequest r = new FillRequest(shape, Layout.TORCH, spec, DType.F32, 1, 2, Region.whole());
                CudaBuffer view = b.wrap(buf.pointer(), DType.F32, n);
                add(rows, new Row("cuda", label + " " + spec.name(), DType.F32, n, time(() -> b.fill(r, view), b), memset32));
            }
            for (DType d : new DType[] {DType.BF16, DType.F16}) {
                CudaBuffer view = b.wrap(buf.pointer(), d, n);
                for (InitSpec spec : List.of(InitSpec.xavierUniform(), InitSpec.xavierNormal())) {
                    FillRequest r = new FillRequest(shape, Layout.TORCH, spec, d, 1, 2, Region.whole());
                    add(rows, new Row("cuda", label + " " + spec.name(), d, n, time(() -> b.fill(r, view), b), memset16));
                }
            }
        }
    }

    private static void add(List<Row> rows, Row r) {
        rows.add(r);
        System.out.println(line(r)); // progress: a run cut short by its time limit still shows what it measured
    }

    /**
     * Lines of peers_bench.py: "ROW framework operation dtype elements median_ms" (tab-separated) become
     * rows with the ratio to this run's memset of the same element size; SKIP and INFO lines become notes.
     */
    static void readPeers(Path tsv, List<Row> rows, double memset32, double memset16, List<String> notes) throws IOException {
        for (String line : Files.readAllLines(tsv)) {
            String[] f = line.split("\t");
            if (f.length >= 6 && f[0].equals("ROW")) {
                try {
                    DType d = DType.parse(f[3]);
                    rows.add(new Row(f[1], f[2], d, Long.parseLong(f[4]), Double.parseDouble(f[5]), d.bytes() == 4 ? memset32 : memset16));
                } catch (RuntimeException e) {
                    notes.add("unreadable peer line: " + line);
                }
            } else if (f.length >= 3 && (f[0].equals("SKIP") || f[0].equals("INFO"))) {
                notes.add(f[1] + ": " + (f[0].equals("SKIP") ? "skipped, " : "") + String.join(" ", Arrays.copyOfRange(f, 2, f.length)));
            }
        }
    }

    private static double time(Op op, CudaBackend b) {
        op.run(); // warm-up: module and generator setup, first-touch of the pages
        double[] ms = new double[REPS];
        for (int i = 0; i < REPS; i++) {
            long t0 = System.nanoTime();
            op.run(); // every op returns after the device finished
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[REPS / 2];
    }

    private static String line(Row r) {
        return String.format(Locale.ROOT, "%-8s %-44s %-5s %10.3f ms %9.1f GB/s %9.1f Gfloat/s %6.2f x memset",
                r.source(), r.operation(), r.dtype().id(), r.ms(), r.elements() * (double) r.dtype().bytes() / r.ms() / 1e6, r.gfloats(), r.ratio());
    }

    static String text(List<String> header, List<Row> rows, List<String> notes) {
        StringBuilder s = new StringBuilder();
        for (String h : header) s.append("# ").append(h).append('\n');
        for (Row r : rows) s.append(line(r)).append('\n');
        for (String n : notes) s.append("# ").append(n).append('\n');
        return s.toString();
    }

    static String markdown(List<String> header, List<Row> rows, List<String> notes) {
        StringBuilder s = new StringBuilder();
        s.append("Measured ").append(Instant.now()).append(", one run; ratios are to the memset of the same element size in this run.\n\n");
        for (String h : header) s.append("- ").append(h).append('\n');
        s.append('\n').append("| source | operation | dtype | elements | ms (median) | Gfloat/s | of memset |\n");
        s.append("|---|---|---|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            s.append(String.format(Locale.ROOT, "| %s | %s | %s | 2^%d | %.3f | %.1f | %.2f |\n", r.source(), r.operation(), r.dtype().id(),
                    63 - Long.numberOfLeadingZeros(r.elements()), r.ms(), r.gfloats(), r.ratio()));
        }
        if (!notes.isEmpty()) {
            s.append('\n');
            for (String n : notes) s.append("- ").append(n).append('\n');
        }
        return s.toString();
    }

    static String tsv(List<Row> rows) {
        StringBuilder s = new StringBuilder("source\toperation\tdtype\telements\tmedian_ms\tgfloat_s\tof_memset\n");
        for (Row r : rows) {
            s.append(String.format(Locale.ROOT, "%s\t%s\t%s\t%d\t%.4f\t%.2f\t%.4f\n", r.source(), r.operation(), r.dtype().id(), r.elements(),
                    r.ms(), r.gfloats(), r.ratio()));
        }
        return s.toString();
    }
}
