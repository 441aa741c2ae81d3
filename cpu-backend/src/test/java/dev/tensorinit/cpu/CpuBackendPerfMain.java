package dev.tensorinit.cpu;

import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Shape;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Locale;

/**
 * Manual benchmark, not a test. Gfloat/s of CpuBackend.fill for uniform and normal f32 on 1 and 2
 * threads, next to MemorySegment.fill on the same pre-touched buffer in the same run (on as many
 * threads as the row, each filling one slice: the host fill limit); then
 * allocate+fill (uninitialized memory, the fill is the first touch) against zeroed allocation + fill.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx2g \
 *   -cp cpu-backend/target/classes:cpu-backend/target/test-classes:core/target/classes \
 *   dev.tensorinit.cpu.CpuBackendPerfMain [log2 elements = 28] [reps = 5] [dtype = f32]
 * </pre>
 */
public final class CpuBackendPerfMain {
    public static void main(String[] args) {
        int log2 = args.length > 0 ? Integer.parseInt(args[0]) : 28;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        DType dt = args.length > 2 ? DType.parse(args[2]) : DType.F32;
        long n = 1L << log2;
        Shape shape = Shape.of(n);
        FillRequest uniform = FillRequest.of(shape, InitSpec.uniform(-1, 1)).withDType(dt).withSeed(7);
        FillRequest normal = FillRequest.of(shape, InitSpec.normal(0, 1)).withDType(dt).withSeed(7);
        System.out.printf(Locale.ROOT, "n = 2^%d %s (%.2f GiB), %d reps; best and median per row%n", log2, dt.id(), n * dt.bytes() / (double) (1L << 30), reps);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment seg = arena.allocate(n * dt.bytes(), 64);   // zeroed: pre-touched
            for (int threads : new int[] {1, 2}) {
                try (CpuBackend cpu = new CpuBackend(threads, new VectorKernel())) {
                    if (threads == 1) System.out.println(cpu.description());
                    for (int w = 0; w < 2; w++) { cpu.fill(uniform, seg); cpu.fill(normal, seg); } // JIT warm-up
                    row("MemorySegment.fill", threads, n, dt, reps, () -> parallelFill(seg, threads));
                    row("uniform", threads, n, dt, reps, () -> cpu.fill(uniform, seg));
                    row("normal", threads, n, dt, reps, () -> cpu.fill(normal, seg));
                }
            }
        }
        // Peers on the current thread, 2^24 elements: the scalar kernel and SplittableRandom.
        long m = Math.min(n, 1L << 24);
        FillRequest su = FillRequest.of(Shape.of(m), InitSpec.uniform(-1, 1)).withDType(DType.F32).withSeed(7);
        FillRequest sn = FillRequest.of(Shape.of(m), InitSpec.normal(0, 1)).withDType(DType.F32).withSeed(7);
        try (Arena arena = Arena.ofShared(); CpuBackend scalar = new CpuBackend(1, new ScalarKernel())) {
            MemorySegment seg = arena.allocate(m * 4, 64);
            row("scalar kernel uniform", 1, m, DType.F32, 3, () -> scalar.fill(su, seg));
            row("scalar kernel normal", 1, m, DType.F32, 3, () -> scalar.fill(sn, seg));
            java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
            row("SplittableRandom nextFloat", 1, m, DType.F32, 3, () -> {
                for (long i = 0; i < m; i++) seg.setAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, i, rnd.nextFloat() * 2 - 1);
            });
            row("SplittableRandom nextGaussian", 1, m, DType.F32, 3, () -> {
                for (long i = 0; i < m; i++) seg.setAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, i, (float) rnd.nextGaussian());
            });
        }
        try (CpuBackend cpu = new CpuBackend(2, new VectorKernel())) {
            row("alloc uninit + fill uniform", 2, n, dt, reps, () -> {
                try (Arena a = Arena.ofConfined()) { cpu.allocateAndFill(a, uniform); }
            });
            row("alloc zeroed + fill uniform", 2, n, dt, reps, () -> {
                try (Arena a = Arena.ofConfined()) { cpu.fill(uniform, a.allocate(n * dt.bytes(), 64)); }
            });
        }
    }

    /** The host fill limit on {@code threads} threads: seg.fill on contiguous slices, one per thread. */
    private static void parallelFill(MemorySegment seg, int threads) {
        if (threads == 1) {
            seg.fill((byte) 1);
            return;
        }
        long part = seg.byteSize() / threads;
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            long off = t * part, len = t == threads - 1 ? seg.byteSize() - off : part;
            ts[t] = Thread.ofPlatform().start(() -> seg.asSlice(off, len).fill((byte) 1));
        }
        for (Thread t : ts) {
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static void row(String what, int threads, long n, DType dt, int reps, Runnable r) {
        double[] g = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            r.run();
            g[i] = n / (double) (System.nanoTime() - t0);
        }
        java.util.Arrays.sort(g);
        System.out.printf(Locale.ROOT, "%-30s %d thr: %.3f Gelem/s best, %.3f median (%.1f GB/s best)%n", what, threads,
                g[reps - 1], g[reps / 2], g[reps - 1] * dt.bytes());
    }
}
