package dev.tensorinit.cpu;

import dev.tensorinit.DType;
import dev.tensorinit.Distribution;
import dev.tensorinit.kernel.KernelArgs;
import dev.tensorinit.kernel.Reference;
import java.lang.foreign.*;

/**
 * The first seconds of a fresh JVM: fill rate of each successive 2^20-element run on one thread, for the scalar
 * kernel or the reference. Usage: ScalarKernelWarmupMain scalar|ref normal|uniform F32|BF16|F16|F64 RUNS
 */
public class ScalarKernelWarmupMain {
    public static void main(String[] x) {
        String which = x[0];
        Distribution d = x[1].equals("normal") ? new Distribution.Normal(0, 0.01) : new Distribution.Uniform(-0.1, 0.1);
        KernelArgs a = KernelArgs.of(d, DType.valueOf(x[2]), 0, 0);
        int chunk = 1 << 20;
        int chunks = Integer.parseInt(x[3]);
        RunKernel k = which.equals("ref") ? new RunKernel() {
            public String description() { return "ref"; }
            public void fillRun(KernelArgs a, long f, long c, MemorySegment s, long o) { Reference.fillRun(a, f, c, s, o); }
        } : new ScalarKernel();
        long t00 = System.nanoTime();
        try (Arena ar = Arena.ofConfined()) {
            MemorySegment seg = ar.allocate((long) chunk * 8, 64);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < chunks; i++) {
                long t0 = System.nanoTime();
                k.fillRun(a, (long) i * chunk, chunk, seg, 0);
                long t = System.nanoTime() - t0;
                if (i < 8 || i % 8 == 0) sb.append(String.format("%d:%.0f ", i, chunk / (t / 1e3)));
            }
            System.out.println(which + " " + x[1] + " " + x[2] + " M/s per chunk: " + sb + " total " + String.format("%.2f s", (System.nanoTime() - t00) / 1e9));
        }
    }
}
