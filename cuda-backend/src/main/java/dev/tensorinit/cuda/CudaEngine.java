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

    public static final String PROPERTY = "tensorinit.cuda.engine";
    public static final String ENV = "TENSORINIT_CUDA_ENGINE";

    public String id() { return name().toLowerCase(Locale.ROOT); }

    public static CudaEngine parse(String s) {
        if (s == null) throw new NullPointerException("engine is null");
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "philox", "" -> PHILOX;
            case "curand" -> CURAND;
            default -> throw new IllegalArgumentException("unknown CUDA engine '" + s + "' (expected philox or curand; set by "
                    + PROPERTY + " or " + ENV + ")");
        };
    }

    /** The engine asked for by the system property (wins) or the environment variable; philox when neither is set. */
    public static CudaEngine configured() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank()) v = System.getenv(ENV);
        return v == null || v.isBlank() ? PHILOX : parse(v);
    }
}
