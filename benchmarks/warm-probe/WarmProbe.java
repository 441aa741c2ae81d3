package dev.tensorinit.cpu;

import dev.tensorinit.DType;
import dev.tensorinit.kernel.KernelArgs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * How long the CPU backend's vector kernel takes to warm in a fresh JVM: announces a tensor far above the warm-up bound
 * (as the command's streaming writer does), waits until WarmingKernel reports the (kind, dtype) warm, then times the warm
 * kernel on one thread. Prints "warm_seconds S ns_per_element N" (with "stalled_at S" if the warm-up stalled on the way:
 * WarmingKernel.STALL_MILLIS without getting faster), or "gave_up_seconds S" when it stays scalar.
 * In package dev.tensorinit.cpu for WarmingKernel's package-private state; compiled and run by benchmarks/warm-probe.sh.
 * Usage: java ... -cp CLASSPATH:DIR dev.tensorinit.cpu.WarmProbe [KIND] [DTYPE]   (default NORMAL F32)
 */
public final class WarmProbe {
    private WarmProbe() {}

    public static void main(String[] a) throws InterruptedException {
        KernelArgs.Kind kind = KernelArgs.Kind.valueOf(a.length > 0 ? a[0] : "NORMAL");
        DType dtype = DType.valueOf(a.length > 1 ? a[1] : "F32");
        long t0 = System.nanoTime();
        if (!(Kernels.best() instanceof WarmingKernel k)) {
            System.out.println("no_vector_kernel " + Kernels.best().description());
            return;
        }
        // Untruncated parameters: scale 1, offset 0, no clamp; TRUNC_NORMAL's p-range [0, 1] and sign 1.
        KernelArgs args = new KernelArgs(kind, dtype, 1, 2, 1, 0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 0, 1, 1);
        k.expect(args, 1L << 40, 2);
        long stalledAt = -1;   // when the warm-up was first seen stalled (WarmingKernel.STALL_MILLIS without getting faster)
        while (!k.isWarm(kind, dtype) && !k.gaveUp(kind, dtype)) {
            if (stalledAt < 0 && k.stalled(kind, dtype)) stalledAt = System.nanoTime();
            Thread.sleep(1);
        }
        long t1 = System.nanoTime();
        if (k.gaveUp(kind, dtype)) {
            System.out.printf(java.util.Locale.ROOT, "gave_up_seconds %.3f%n", (t1 - t0) / 1e9);
            return;
        }
        long n = 1L << 22;
        MemorySegment dst = Arena.global().allocate(n * dtype.bytes(), 64);
        RunKernel v = k.vector();
        v.fillRun(args, 0, n, dst, 0);   // touches dst
        long t2 = System.nanoTime();
        for (int r = 0; r < 4; r++) v.fillRun(args, r * n, n, dst, 0);
        long t3 = System.nanoTime();
        System.out.printf(java.util.Locale.ROOT, "warm_seconds %.3f ns_per_element %.2f%s%n", (t1 - t0) / 1e9, (t3 - t2) / (4.0 * n),
                stalledAt < 0 ? "" : String.format(java.util.Locale.ROOT, " stalled_at %.3f", (stalledAt - t0) / 1e9));
    }
}
