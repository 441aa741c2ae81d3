package dev.tensorinit.opencl;

import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Layout;
import dev.tensorinit.Region;
import dev.tensorinit.Shape;
import dev.tensorinit.cpu.CpuBackend;
import dev.tensorinit.spi.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Locale;

/**
 * Opt-in measurement (not a test): OpenCL vs the CPU backend vs the memory-fill limit, same run.
 * mvn -pl opencl-backend -am install -Dtest=SpeedComparison -Dtensorinit.opencl.bench=true -Dsurefire.failIfNoSpecifiedTests=false
 */
@EnabledIfSystemProperty(named = "tensorinit.opencl.bench", matches = "true")
class SpeedComparison {
    static final long N = 1L << 26;

    @Test
    void measure() {
        long t0 = System.nanoTime();
        OpenClBackend first = OpenClTesting.backend();
        long firstOpen = System.nanoTime() - t0;
        t0 = System.nanoTime();
        OpenClBackend second = OpenClTesting.backend();
        long secondOpen = System.nanoTime() - t0;
        t0 = System.nanoTime();
        second.release(second.acquire(second.context(), second.device()));
        long cacheHit = System.nanoTime() - t0;
        System.out.printf(Locale.ROOT, "build: first backend %.1f ms (program %.1f ms), second backend %.1f ms (program %.1f ms, driver's cache), in-process cache hit %.3f ms%n",
                firstOpen / 1e6, first.buildNanos() / 1e6, secondOpen / 1e6, second.buildNanos() / 1e6, cacheHit / 1e6);
        second.close();
        int threads = Runtime.getRuntime().availableProcessors();
        try (Backend ocl = first; Backend cpu = new CpuBackend(threads); Arena arena = Arena.ofShared()) {
            MemorySegment dst = arena.allocate(N * 4, 64);
            dst.fill((byte) 1); // first touch outside the timings
            double fillGf = best(() -> dst.fill((byte) 0));
            System.out.printf(Locale.ROOT, "memory-fill limit (MemorySegment.fill, 1 thread): %.2f Gfloat/s%n", fillGf);
            for (InitSpec init : new InitSpec[] {InitSpec.xavierUniform(), InitSpec.xavierNormal()}) {
                FillRequest r = new FillRequest(Shape.of(1 << 13, 1 << 13), Layout.TORCH, init, DType.F32, 1, 2, Region.whole());
                double o = best(() -> ocl.fill(r, dst));
                try (var buf = ocl.allocate(DType.F32, N)) {
                    double ob = best(() -> ocl.fill(r, buf));
                    System.out.printf(Locale.ROOT, "%s f32 2^26 into a device buffer: opencl %.3f Gfloat/s%n", init, ob);
                }
                double c = best(() -> cpu.fill(r, dst));
                System.out.printf(Locale.ROOT, "%s f32 2^26: opencl %.3f Gfloat/s, cpu (%s) %.3f Gfloat/s, opencl/cpu %.2f, opencl/fill-limit %.3f%n",
                        init, o, cpu.description(), c, o / c, o / fillGf);
            }
        }
    }

    private static double best(Runnable r) {
        double best = 0;
        for (int i = 0; i < 4; i++) {
            long t = System.nanoTime();
            r.run();
            best = Math.max(best, N / ((System.nanoTime() - t) / 1e9) / 1e9);
        }
        return best;
    }
}
