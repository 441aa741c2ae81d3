package dev.tensorinit.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Locale;

/**
 * Manual benchmark, not a test: the vector kernel's passes one by one on one in-cache tile, in ns per
 * element of this thread's CPU time (steadier than wall time on a shared machine), median and best of
 * the rounds; passes are interleaved within each round, so they see the same machine. Passes that
 * transform the tile in place start from a copy of prepared input each time (the "tile copy" row is
 * that copy alone). Shows what bounds the kernel: on a 2-core AVX2 Zen 3 the Philox pass alone is about
 * 0.8 ns per f32 element, more than the uniform transform and the copy-out together.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *   -cp cpu-backend/target/classes:cpu-backend/target/test-classes:core/target/classes \
 *   dev.tensorinit.cpu.VectorKernelStagesMain [rounds = 11]
 * </pre>
 */
public final class VectorKernelStagesMain {
    interface Op { void run(); }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 11;
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        int T = VectorKernel.TILE;
        long[] key = VectorKernel.keySchedule(7, new long[20]);
        int[] words = new int[T], raw32 = new int[T], raw64 = new int[T], w32 = new int[T], w64 = new int[T], y32 = new int[T];
        float[] xs = new float[T];
        double[] xd = new double[T / 2];
        short[] halves = new short[T];
        VectorKernel.philox(key, 3, 0, T / 4, raw32, false);
        VectorKernel.philox(key, 3, 0, T / 4, raw64, true);
        System.arraycopy(raw32, 0, w32, 0, T);
        VectorKernel.log32(w32, xs, T, false, 0f, 1f);
        System.arraycopy(raw64, 0, w64, 0, T);
        VectorKernel.log64(w64, xd, T / 2, false, 0, 1);
        System.arraycopy(w32, 0, y32, 0, T);
        VectorKernel.giles32(y32, xs, T, 1f, 0f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 1f);
        float inf = Float.POSITIVE_INFINITY;
        double dinf = Double.POSITIVE_INFINITY;
        MemorySegment dst = Arena.ofAuto().allocate((long) T * 4, 64);
        String[] names = {"tile copy (int[] -> int[])", "philox f32", "uniform32", "log32 (normal)", "giles32 (normal)", "bf16 narrowing",
                "f16 narrowing", "copy out f32 (to L1)", "philox f64 (per f64)", "uniform64", "log64 (normal)", "giles64 (normal)"};
        int[] elems = {T, T, T, T, T, T, T, T, T / 2, T / 2, T / 2, T / 2};
        Op[] ops = {
            () -> System.arraycopy(raw32, 0, words, 0, T),
            () -> VectorKernel.philox(key, 3, 0, T / 4, words, false),
            () -> { System.arraycopy(raw32, 0, words, 0, T); VectorKernel.uniform32(words, T, 2f, -1f, -1f, 1f); },
            () -> { System.arraycopy(raw32, 0, words, 0, T); VectorKernel.log32(words, xs, T, false, 0f, 1f); },
            () -> { System.arraycopy(w32, 0, words, 0, T); VectorKernel.giles32(words, xs, T, 1f, 0f, -inf, inf, 1f); },
            () -> VectorKernel.bf16(y32, T, halves),
            () -> VectorKernel.f16(y32, T, halves),
            () -> MemorySegment.copy(y32, 0, dst, ValueLayout.JAVA_INT_UNALIGNED, 0, T),
            () -> VectorKernel.philox(key, 3, 0, T / 4, words, true),
            () -> { System.arraycopy(raw64, 0, words, 0, T); VectorKernel.uniform64(words, T / 2, 2, -1, -1, 1); },
            () -> { System.arraycopy(raw64, 0, words, 0, T); VectorKernel.log64(words, xd, T / 2, false, 0, 1); },
            () -> { System.arraycopy(w64, 0, words, 0, T); VectorKernel.giles64(words, xd, T / 2, 1, 0, -dinf, dinf, 1); },
        };
        int iters = 20_000;
        double[][] ns = new double[ops.length][rounds];
        for (int round = -3; round < rounds; round++) {   // three warm-up rounds
            for (int k = 0; k < ops.length; k++) {
                long c0 = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < iters; i++) ops[k].run();
                double t = (mx.getCurrentThreadCpuTime() - c0) / (double) iters / elems[k];
                if (round >= 0) ns[k][round] = t;
            }
        }
        System.out.println(new VectorKernel().description() + ", tile " + T + " f32 elements; ns per element of thread CPU time");
        for (int k = 0; k < ops.length; k++) {
            Arrays.sort(ns[k]);
            System.out.printf(Locale.ROOT, "%-28s median %.3f  best %.3f%n", names[k], ns[k][rounds / 2], ns[k][0]);
        }
    }
}
