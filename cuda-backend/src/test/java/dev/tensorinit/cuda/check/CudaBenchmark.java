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
import jcuda.driver.JCudaDriver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The GPU check's benchmark: Gfloat/s of each engine for uniform and normal f32 into one device buffer
 * of 2^30 elements, next to cuMemsetD32 on the same buffer in the same run (the write-bandwidth limit).
 * Each row is the median of REPS timed runs after one warm-up. Usage: CudaBenchmark [outDir] [log2 elements].
 */
public final class CudaBenchmark {
    static final int REPS = 7;

    private CudaBenchmark() {}

    interface Op { void run(); }

    public static void main(String[] args) throws IOException {
        Path out = args.length > 0 ? Path.of(args[0]) : null;
        int log2 = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        long n = 1L << log2;
        if (!CudaProbe.driver().isAvailable()) {
            System.out.println("no GPU: " + ((dev.tensorinit.spi.Probe.Unavailable) CudaProbe.driver()).reason());
            System.exit(2);
        }
        List<String> rows = new ArrayList<>();
        Shape shape = Shape.of(n / 1024, 1024);
        try (CudaBackend philox = CudaBackend.open(0, CudaEngine.PHILOX, null)) {
            rows.add("# " + philox.description());
            rows.add(String.format(Locale.ROOT, "# %d f32 elements (%.2f GiB), median of %d runs after a warm-up", n, n * 4.0 / (1L << 30), REPS));
            rows.add(String.format(Locale.ROOT, "%-28s %10s %10s %12s", "operation", "ms", "GB/s", "Gfloat/s  vs memset"));
            try (CudaBuffer buf = philox.allocate(DType.F32, n)) {
                philox.makeContextCurrent();
                double memset = time(() -> {
                    JCudaDriver.cuMemsetD32(buf.pointer(), 0x3f800000, n);
                    JCudaDriver.cuCtxSynchronize();
                }, philox);
                rows.add(row("cuMemsetD32", memset, n, memset));
                for (InitSpec spec : List.of(InitSpec.xavierUniform(), InitSpec.xavierNormal(), InitSpec.truncNormal())) {
                    FillRequest r = new FillRequest(shape, Layout.TORCH, spec, DType.F32, 1, 2, Region.whole());
                    rows.add(row("philox " + spec.name(), time(() -> philox.fill(r, buf), philox), n, memset));
                }
                String curandMissing = CudaProbe.curandMissing();
                if (curandMissing != null) {
                    rows.add("curand engine: " + curandMissing);
                } else {
                    try (CudaBackend curand = CudaBackend.open(0, CudaEngine.CURAND, null)) {
                        CudaBuffer same = curand.wrap(buf.pointer(), DType.F32, n);
                        for (InitSpec spec : List.of(InitSpec.xavierUniform(), InitSpec.xavierNormal())) {
                            FillRequest r = new FillRequest(shape, Layout.TORCH, spec, DType.F32, 1, 2, Region.whole());
                            rows.add(row("curand " + spec.name(), time(() -> curand.fill(r, same), curand), n, memset));
                        }
                    }
                }
            }
        }
        String text = String.join("\n", rows) + "\n";
        System.out.print(text);
        if (out != null) {
            Files.createDirectories(out);
            Files.writeString(out.resolve("benchmark.txt"), text);
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

    private static String row(String what, double ms, long n, double memsetMs) {
        return String.format(Locale.ROOT, "%-28s %10.3f %10.1f %10.1f %8.2f", what, ms, n * 4 / ms / 1e6, n / ms / 1e6, memsetMs / ms);
    }
}
