package dev.tensorinit.opencl;

import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Shape;
import dev.tensorinit.cpu.CpuBackendProvider;
import dev.tensorinit.spi.Backend;
import dev.tensorinit.spi.BackendOptions;
import dev.tensorinit.spi.JvmSignals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Run in a fresh JVM by the signal tests. "status": probe OpenCL, fill, compile a fresh kernel, print
 * the JVM's signal status. "stress ROUNDS": what crashed 16-core machines, with the OpenCL driver
 * loaded: many concurrent large multithreaded CPU fills, OpenCL fills beside them, a fresh kernel
 * compiled every round, and safepoints forced all the while (every thread in compiled code then
 * faults at once); exits 0 if it lives.
 */
public final class SignalStressMain {
    public static void main(String[] args) throws Exception {
        OpenClBackendProvider provider = new OpenClBackendProvider();
        if (!provider.probe().isAvailable()) {
            System.out.println("opencl unavailable: " + provider.probe());
            System.exit(3);
        }
        try (OpenClBackend cl = new OpenClBackend(DeviceSelection.choose(DeviceSelection.all(), null), Tuning.DEFAULT);
             Arena arena = Arena.ofShared()) {
            FillRequest small = FillRequest.of(Shape.of(1 << 20), InitSpec.normal(0, 1));
            cl.fill(small, arena.allocate(small.byteSize(), 64));
            ClProgram.build(cl.context(), cl.device(), KernelSource.text() + "\n// " + System.nanoTime() + "\n", 1).close();
            if (args[0].equals("status")) {
                System.out.println(JvmSignals.original().status());
                return;
            }
            stress(cl, Integer.parseInt(args[1]));
        }
        System.out.println("survived; " + JvmSignals.original().status());
    }

    private static void stress(OpenClBackend cl, int rounds) throws Exception {
        int threads = Math.max(4, Runtime.getRuntime().availableProcessors());
        try (Backend cpu = new CpuBackendProvider().create(BackendOptions.threads(threads))) {
            Thread gc = Thread.ofPlatform().daemon().start(() -> {
                while (true) {
                    System.gc();   // a safepoint: every thread in a compiled loop faults on the armed poll page
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            ExecutorService callers = Executors.newFixedThreadPool(3);
            try {
                for (int round = 0; round < rounds; round++) {
                    // A kernel no cache has seen: the driver's compiler runs and installs its handlers again
                    // wherever they had been given back.
                    ClProgram.build(cl.context(), cl.device(), KernelSource.text() + "\n// " + System.nanoTime() + "\n", 1).close();
                    FillRequest big = FillRequest.of(Shape.of(1L << 24), InitSpec.normal(0, 0.02)).withSeed(round);
                    List<Future<?>> fs = new ArrayList<>();
                    for (int c = 0; c < 2; c++) {
                        fs.add(callers.submit(() -> {
                            try (Arena a = Arena.ofConfined()) {
                                cpu.allocateAndFill(a, big);
                            }
                            return null;
                        }));
                    }
                    fs.add(callers.submit(() -> {
                        try (Arena a = Arena.ofConfined()) {
                            MemorySegment dst = a.allocate(big.byteSize() / 4, 64);
                            cl.fill(big.withRegion(dev.tensorinit.Region.range(0, big.count() / 4)), dst);
                        }
                        return null;
                    }));
                    for (Future<?> f : fs) f.get();
                }
            } finally {
                callers.shutdownNow();
                gc.interrupt();
            }
        }
    }
}
