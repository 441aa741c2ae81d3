package dev.tensorinit.cuda;

import java.util.Locale;

/**
 * Which kernels the philox engine uses for contiguous f32, bf16 and f16 runs of uniform, normal and
 * truncated normals (f64, constants and tiles always use the default kernels). Every variant writes the
 * same bits (KernelEmulationTest checks each against the shared header; LaunchInvarianceTest on a GPU);
 * they differ only in scheduling. {@link #AUTO}, the default, is {@link #V2H} where the kernel image has it (sm_90 and
 * sm_100: on an H200, 2026-11-30, 1.50x the default kernels' f32 uniform, 1.18x normal, 1.24x truncated normal,
 * 1.56x bf16 uniform; cuda-backend/README.md) and the default kernels elsewhere.
 * The non-default variants are kind-specialized and store one 16-byte unit (4 f32 = 1 Philox block, 8
 * bf16/f16 = 2 blocks) per store; K units per thread per tile give K independent Philox chains; index
 * arithmetic inside a tile is 32-bit. Each fill is two launches: the body kernel and an edges kernel for
 * the unaligned head and tail.
 */
public enum KernelVariant {
    /** V2H where the loaded kernel image has it, else DEFAULT: what a backend uses unless told otherwise. */
    AUTO("auto", 0, false),
    /** ti_fill_*: one Philox block per grid-stride iteration, kind chosen at run time. */
    DEFAULT("default", 1, false),
    /** 1 unit per thread per tile. */
    V1("v1", 1, false),
    /** 2 units per thread per tile. */
    V2("v2", 2, false),
    /** 4 units per thread per tile. */
    V4("v4", 4, false),
    /** 2 units per thread per tile, Philox products as __umulhi plus a 32-bit multiply instead of one 64-bit product. */
    V2H("v2h", 2, true),
    /** As V2H with 4 units per thread: more stores in flight (the H200's v2h uniform was latency-bound, not issue-bound). */
    V4H("v4h", 4, true),
    /**
     * As V2H, bf16/f16 rounded two at a time by the hardware (cvt.rn.{bf16,f16}x2.f32) instead of the header's integer
     * code: the same bits for every non-NaN float (ti_check_cvt; CvtCheckTest on a GPU). f32 runs as V2H.
     */
    V2HC("v2hc", 2, true);

    /** System property selecting the variant (overrides the LaunchConfig's); environment TENSORINIT_CUDA_KERNEL. */
    public static final String PROPERTY = dev.tensorinit.Settings.CUDA_KERNEL;

    private final String id;
    private final int unitsPerThread;
    private final boolean umulhi;

    KernelVariant(String id, int unitsPerThread, boolean umulhi) {
        this.id = id;
        this.unitsPerThread = unitsPerThread;
        this.umulhi = umulhi;
    }

    public String id() { return id; }
    /** Units (16-byte stores) per thread per tile. */
    int unitsPerThread() { return unitsPerThread; }
    boolean umulhi() { return umulhi; }

    /** The variant named {@code id}; unknown names fail, naming the known ones. */
    public static KernelVariant parse(String id) {
        String s = id.strip().toLowerCase(Locale.ROOT);
        for (KernelVariant v : values()) if (v.id.equals(s)) return v;
        StringBuilder known = new StringBuilder();
        for (KernelVariant v : values()) known.append(known.isEmpty() ? "" : ", ").append(v.id);
        throw new IllegalArgumentException("unknown CUDA kernel variant '" + id + "' (known: " + known + ")");
    }
}
