package dev.tensorinit.cpu;

import dev.tensorinit.DType;
import dev.tensorinit.Distribution;
import dev.tensorinit.kernel.KernelArgs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Manual benchmark, not a test: elements/s of the vector kernel on the current thread (wall and
 * per CPU-second, which is steadier on a shared machine), with the bytes allocated per element,
 * next to MemorySegment.fill on the same pre-touched buffer, for uniform, normal and truncated normal.
 * Args: [log2 elements = 24] [dtype = f32]
 */
public final class VectorKernelPerfMain {
    public static void main(String[] args) {
        int log2 = args.length > 0 ? Integer.parseInt(args[0]) : 24;
        DType dt = args.length > 1 ? DType.parse(args[1]) : DType.F32;
        long n = 1L << log2;
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        VectorKernel k = new VectorKernel();
        System.out.println(k.description());
        try (Arena arena = Arena.ofShared()) {
            MemorySegment seg = arena.allocate(n * dt.bytes(), 64);
            for (int rep = 0; rep < 3; rep++) {
                long t0 = System.nanoTime();
                seg.fill((byte) rep);
                System.out.printf("fill %.2f GB/s%n", n * dt.bytes() / (double) (System.nanoTime() - t0));
            }
            for (Distribution d : new Distribution[] {new Distribution.Uniform(-1, 1), new Distribution.Normal(0, 1),
                    new Distribution.TruncatedNormal(0, 1, -2, 2)}) {
                KernelArgs a = KernelArgs.of(d, dt, 1, 2);
                for (int rep = 0; rep < 4; rep++) {
                    long b0 = mx.getThreadAllocatedBytes(Thread.currentThread().threadId());
                    long c0 = mx.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    for (long g = 0; g < n; g += CpuBackend.CHUNK) k.fillRun(a, g, Math.min(CpuBackend.CHUNK, n - g), seg, g * dt.bytes());
                    long t = System.nanoTime() - t0;
                    long c = mx.getCurrentThreadCpuTime() - c0;
                    long b1 = mx.getThreadAllocatedBytes(Thread.currentThread().threadId());
                    System.out.printf("%s %s: %.3f Gelem/s wall, %.3f per CPU-second, %.4f B/elem%n", a.kind(), dt.id(), n / (double) t, n / (double) c, (b1 - b0) / (double) n);
                }
            }
        }
    }
}
