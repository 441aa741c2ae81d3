package dev.tensorinit.opencl;

import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Layout;
import dev.tensorinit.Region;
import dev.tensorinit.Shape;
import dev.tensorinit.spi.DeviceBuffer;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Not a test: the OpenCL kernels' speed on a device for each formulation (1 or 4 Philox blocks per work-item) and
 * work-group size, so a GPU session can see in one call which setting to make the default on GPUs (issue 12: the
 * OpenCL backend on an NVIDIA GPU at 0.8x the CUDA backend; on the H200 the default, 1 block per item, ran at
 * 0.49x for uniforms). Every setting writes the same bits (WorkGroupSizeTest). Device: as the backend chooses it
 * (a GPU first; TENSORINIT_OPENCL_DEVICE). Prints one line per row: median of 7 runs after a warm-up.
 * Usage: OpenClTuningBench [log2 elements = 28]
 */
public final class OpenClTuningBench {
    private OpenClTuningBench() {}

    public static void main(String[] args) {
        int log2 = args.length > 0 ? Integer.parseInt(args[0]) : 28;
        long n = 1L << log2;
        ClDevice device = DeviceSelection.choose(DeviceSelection.all(), dev.tensorinit.Settings.backendOptions().openclDevice());
        System.out.printf(Locale.ROOT, "# %s (%s), 2^%d elements per fill, median of 7 after a warm-up%n", device.name(), device.kind(), log2);
        List<InitSpec> specs = List.of(InitSpec.xavierUniform(), InitSpec.xavierNormal(), InitSpec.truncNormal());
        for (int blocks : new int[] {1, 4}) {
            for (long local : new long[] {0, 64, 128, 512}) {
                Tuning t = Tuning.DEFAULT.withBlocksPerItem(blocks).withLocalSize(local);
                try (OpenClBackend b = new OpenClBackend(device, t)) {
                    for (DType d : new DType[] {DType.F32, DType.BF16}) {
                        try (DeviceBuffer buf = b.allocate(d, n)) {
                            for (InitSpec spec : specs) {
                                if (d == DType.BF16 && spec.equals(InitSpec.truncNormal())) continue;
                                FillRequest r = new FillRequest(Shape.of(n / 1024, 1024), Layout.TORCH, spec, d, 1, 2, Region.whole());
                                double ms = medianMs(() -> b.fill(r, buf));
                                System.out.printf(Locale.ROOT, "opencl blocks/item %d local %-4s %-5s %-15s %9.3f ms %9.1f Gfloat/s%n",
                                        blocks, local == 0 ? "dflt" : Long.toString(local), d.id(), spec.name(), ms, n / ms / 1e6);
                            }
                        }
                    }
                } catch (RuntimeException e) {
                    System.out.printf(Locale.ROOT, "opencl blocks/item %d local %d: FAILED %s%n", blocks, local, e);
                }
            }
        }
    }

    private static double medianMs(Runnable fill) {
        fill.run();
        double[] ms = new double[7];
        for (int i = 0; i < ms.length; i++) {
            long t0 = System.nanoTime();
            fill.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[ms.length / 2];
    }
}
