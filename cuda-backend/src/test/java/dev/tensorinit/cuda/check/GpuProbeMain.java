package dev.tensorinit.cuda.check;

import dev.tensorinit.cuda.CudaEngine;
import dev.tensorinit.cuda.CudaProbe;
import dev.tensorinit.spi.Probe;

/**
 * First step of gpu-check/run.sh: prints what the CUDA probe sees. Exit 0 when a GPU is usable,
 * 2 with "no GPU: reason" when not (no stack trace: that is an answer, not a crash).
 */
public final class GpuProbeMain {
    private GpuProbeMain() {}

    public static void main(String[] args) {
        Probe p = CudaProbe.driver();
        if (p instanceof Probe.Unavailable u) {
            System.out.println("no GPU: " + u.reason());
            System.exit(2);
        }
        Probe.Available a = (Probe.Available) p;
        a.devices().forEach(d -> System.out.println("GPU: " + d));
        System.out.println("note: " + a.note());
        Probe c = CudaProbe.forEngine(CudaEngine.CURAND);
        System.out.println("curand engine: " + (c.isAvailable() ? "available" : ((Probe.Unavailable) c).reason()));
    }
}
