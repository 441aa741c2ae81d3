package dev.tensorinit.cuda;

import java.util.Locale;

/**
 * How the CUDA backend generates values.
 * <ul>
 *   <li>{@link #PHILOX} (default): the project's kernels, bit-identical to {@code dev.tensorinit.kernel.Reference}.</li>
 *   <li>{@link #CURAND}: cuRAND's Philox4x32-10 host API for uniform and normal fills, statistically
 *   equivalent but not bit-identical (truncated normal and constants still use the project's kernels).</li>
 * </ul>
 */
public enum CudaEngine {
    PHILOX, CURAND;

    public String id() { return name().toLowerCase(Locale.ROOT); }

    public static CudaEngine parse(String s) {
        if (s == null) throw new NullPointerException("engine is null");
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "philox", "" -> PHILOX;
            case "curand" -> CURAND;
            default -> throw new IllegalArgumentException("unknown CUDA engine '" + s + "' (expected philox or curand; set by "
                    + "--cuda-engine, " + dev.tensorinit.Settings.CUDA_ENGINE + " or TENSORINIT_CUDA_ENGINE)");
        };
    }

    /** The engine the options name; philox when unset. */
    public static CudaEngine of(dev.tensorinit.spi.BackendOptions options) {
        return options.cudaEngine() == null ? PHILOX : parse(options.cudaEngine());
    }
}
