package dev.tensorinit.cuda;

import dev.tensorinit.DType;
import dev.tensorinit.kernel.KernelArgs;
import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The loaded kernel module of one context and launchers for its entry points. The caller makes the
 * context current. Launches are asynchronous on {@code stream}.
 */
final class CudaKernels implements AutoCloseable {
    private final CUmodule module;
    private final String loaded;
    private final Map<DType, CUfunction> fill = new EnumMap<>(DType.class);
    private final Map<DType, CUfunction> tile = new EnumMap<>(DType.class);
    private final CUfunction postF32, postF64;
    private final Map<DType, CUfunction> curandUniform = new EnumMap<>(DType.class);
    /** The variant fills: edges per dtype, bodies per dtype × kind (uniform, normal, truncated normal) for {@link #variant}. */
    private final Map<DType, CUfunction> edges = new EnumMap<>(DType.class);
    private final Map<DType, CUfunction[]> bodies = new EnumMap<>(DType.class);
    /** Resident blocks per SM of each kernel at launch.threadsPerBlock(), asked once (LaunchConfig.RESIDENT). */
    private final Map<CUfunction, Integer> resident = java.util.Collections.synchronizedMap(new IdentityHashMap<>());
    private final LaunchConfig launch;
    /** The variant in force: launch.variant(), with AUTO resolved for the loaded image. */
    private final KernelVariant variant;
    private final int sms;
    private boolean closed;

    /** Variant fills only for runs of at least this many elements: below it the second launch costs more than it saves. */
    static final long VARIANT_MIN_COUNT = 1L << 16;

    CudaKernels(LaunchConfig launch, int sms) {
        this.launch = launch.withOverrides();
        this.sms = sms;
        CUmodule m = null;
        String label = null;
        RuntimeException failures = null;
        for (CudaKernelImage image : CudaKernelImage.candidates()) {
            CUmodule candidate = new CUmodule();
            try {
                JCudaDriver.cuModuleLoadData(candidate, image.bytes());
                m = candidate;
                label = image.label();
                break;
            } catch (CudaException e) {
                // Keep every cause: the last fallback's failure alone would hide why the fatbin was refused.
                RuntimeException f = new IllegalStateException("loading " + image + " failed: " + e.getMessage(), e);
                if (failures == null) failures = f; else failures.addSuppressed(f);
            }
        }
        if (m == null) throw new IllegalStateException("no kernel image loads on this device and driver", failures);
        this.module = m;
        this.loaded = label;
        try {
            for (DType d : DType.values()) {
                fill.put(d, function("ti_fill_" + d.id()));
                tile.put(d, function("ti_tile_" + d.id()));
            }
            postF32 = function("ti_curand_post_f32");
            postF64 = function("ti_curand_post_f64");
            for (DType d : new DType[] {DType.F32, DType.BF16, DType.F16}) curandUniform.put(d, function("ti_curand_uniform_" + d.id()));
            KernelVariant asked = this.launch.variant(), v = asked == KernelVariant.AUTO ? KernelVariant.V2H : asked;
            if (v != KernelVariant.DEFAULT) {
                try {
                    for (DType d : new DType[] {DType.F32, DType.BF16, DType.F16}) {
                        edges.put(d, function("ti_fillv_edges_" + d.id()));
                        CUfunction[] b = new CUfunction[3];
                        for (KernelArgs.Kind k : new KernelArgs.Kind[] {KernelArgs.Kind.UNIFORM, KernelArgs.Kind.NORMAL, KernelArgs.Kind.TRUNC_NORMAL}) {
                            b[k.ordinal()] = function(variantName(d, k, v));
                        }
                        bodies.put(d, b);
                    }
                } catch (CudaException e) {
                    if (asked != KernelVariant.AUTO || !String.valueOf(e.getMessage()).contains("CUDA_ERROR_NOT_FOUND")) {
                        throw new IllegalStateException("CUDA kernel variant " + v.id() + " is not in the " + loaded
                                + " (the variants are built for sm_90 and sm_100 only); use the default kernels", e);
                    }
                    edges.clear();   // auto on another architecture: the default kernels, which every image has
                    bodies.clear();
                    v = KernelVariant.DEFAULT;
                }
            }
            this.variant = v;
        } catch (RuntimeException e) {
            JCudaDriver.cuModuleUnload(module);
            throw e;
        }
    }

    private CUfunction function(String name) {
        CUfunction f = new CUfunction();
        JCudaDriver.cuModuleGetFunction(f, module, name);
        return f;
    }

    /** Which image the driver accepted. */
    String loadedImage() { return loaded; }

    /** The launch configuration in force (the constructor's, with the tuning properties applied and AUTO resolved). */
    LaunchConfig launchConfig() { return launch.withVariant(variant); }

    /** Whether the kind has body kernels of its own (a variant per kind); the others run the default kernels. */
    static boolean hasVariant(KernelArgs.Kind k) {
        return k == KernelArgs.Kind.UNIFORM || k == KernelArgs.Kind.NORMAL || k == KernelArgs.Kind.TRUNC_NORMAL;
    }

    /** ti_fillv_&lt;dtype&gt;_&lt;u|n|t&gt;_&lt;variant&gt;: the body kernel of a variant fill. */
    static String variantName(DType d, KernelArgs.Kind k, KernelVariant v) {
        String kind = switch (k) {
            case UNIFORM -> "u";
            case NORMAL -> "n";
            case TRUNC_NORMAL -> "t";
            case CONSTANT, LOG_OF_UNIFORM -> throw new IllegalArgumentException(k + " uses the default kernels");
        };
        return "ti_fillv_" + d.id() + "_" + kind + "_" + v.id();
    }

    private static Pointer params(KernelArgs a) {
        return a.dtype() == DType.F64 ? Pointer.to(a.f64Params()) : Pointer.to(a.f32Params());
    }

    private static Pointer u64(long v) { return Pointer.to(new long[] {v}); }

    /** Global elements [first, first + count) of the request's values into out[0 .. count). */
    void fillRun(CUdeviceptr out, KernelArgs a, long first, long count, CUstream stream) {
        if (count <= 0) return;
        long perBlock = a.dtype() == DType.F64 ? 2 : 4;
        long blocks = ((first + count - 1) / perBlock) - first / perBlock + 1;
        Pointer args = Pointer.to(Pointer.to(out), u64(first), u64(count), Pointer.to(new int[] {a.kind().code()}),
                params(a), u64(a.seed()), u64(a.stream()));
        CUfunction[] body = bodies.get(a.dtype());
        if (body != null && hasVariant(a.kind()) && count >= VARIANT_MIN_COUNT) {
            // Two launches on one stream: the edges kernel (default code) writes the unaligned head and tail,
            // or the whole run when it has no 16-byte-aligned body; the body kernel writes the rest.
            launch(edges.get(a.dtype()), blocks, args, stream);
            long units = count * a.dtype().bytes() / 16 + 1;
            long k = variant.unitsPerThread();
            Pointer bodyArgs = Pointer.to(Pointer.to(out), u64(first), u64(count), params(a), u64(a.seed()), u64(a.stream()));
            launch(body[a.kind().ordinal()], (units + k - 1) / k, bodyArgs, stream);
            return;
        }
        launch(fill.get(a.dtype()), blocks, args, stream);
    }

    /** Rows [row0, row0 + rows) × columns [col0, col0 + width) of a row-major tensor with {@code cols} columns into out. */
    void fillTile(CUdeviceptr out, KernelArgs a, long cols, long row0, long rows, long col0, long width, CUstream stream) {
        long perBlock = a.dtype() == DType.F64 ? 2 : 4;
        long items = Math.multiplyExact(rows, width / perBlock + 2);
        Pointer args = Pointer.to(Pointer.to(out), u64(cols), u64(row0), u64(col0), u64(rows), u64(width),
                Pointer.to(new int[] {a.kind().code()}), params(a), u64(a.seed()), u64(a.stream()));
        launch(tile.get(a.dtype()), items, args, stream);
    }

    /** out[i] = clamp(fma(in[i], scale, offset), lo, hi) in dtype f32, bf16 or f16; in holds f32 values. */
    void postF32(CUdeviceptr in, CUdeviceptr out, long count, DType dtype, float[] scaleOffsetLoHi, CUstream stream) {
        int code = switch (dtype) { case F32 -> 0; case BF16 -> 2; case F16 -> 3; case F64 -> throw new IllegalArgumentException("f64"); };
        Pointer args = Pointer.to(Pointer.to(in), Pointer.to(out), u64(count), Pointer.to(new int[] {code}),
                Pointer.to(new float[] {scaleOffsetLoHi[0]}), Pointer.to(new float[] {scaleOffsetLoHi[1]}),
                Pointer.to(new float[] {scaleOffsetLoHi[2]}), Pointer.to(new float[] {scaleOffsetLoHi[3]}));
        launch(postF32, count, args, stream);
    }

    /**
     * The curand engine's uniform in one pass: element g of [first, first + count) is cuRAND's conversion
     * (float) x · 2⁻³² + 2⁻³³ of Philox4x32-10 word g & 3 of block g >> 2 under key {@code seed}, then
     * clamp(fma(u, scale, offset), lo, hi) in dtype f32, bf16 or f16.
     */
    void curandUniform(CUdeviceptr out, long first, long count, DType dtype, float[] scaleOffsetLoHi, long seed, CUstream stream) {
        if (count <= 0) return;
        long blocks = ((first + count - 1) >>> 2) - (first >>> 2) + 1;
        Pointer args = Pointer.to(Pointer.to(out), u64(first), u64(count),
                Pointer.to(new float[] {scaleOffsetLoHi[0]}), Pointer.to(new float[] {scaleOffsetLoHi[1]}),
                Pointer.to(new float[] {scaleOffsetLoHi[2]}), Pointer.to(new float[] {scaleOffsetLoHi[3]}), u64(seed));
        launch(curandUniform.get(dtype), blocks, args, stream);
    }

    /** out[i] = clamp(fma(in[i], scale, offset), lo, hi) in f64. */
    void postF64(CUdeviceptr in, CUdeviceptr out, long count, double[] scaleOffsetLoHi, CUstream stream) {
        Pointer args = Pointer.to(Pointer.to(in), Pointer.to(out), u64(count),
                Pointer.to(new double[] {scaleOffsetLoHi[0]}), Pointer.to(new double[] {scaleOffsetLoHi[1]}),
                Pointer.to(new double[] {scaleOffsetLoHi[2]}), Pointer.to(new double[] {scaleOffsetLoHi[3]}));
        launch(postF64, count, args, stream);
    }

    private void launch(CUfunction f, long items, Pointer args, CUstream stream) {
        int blocks = launch.maxBlocks() == LaunchConfig.RESIDENT
                ? launch.blocks(items, sms, resident.computeIfAbsent(f, this::residentBlocks)) : launch.blocks(items, sms);
        JCudaDriver.cuLaunchKernel(f, blocks, 1, 1, launch.threadsPerBlock(), 1, 1, 0, stream, args, null);
    }

    private int residentBlocks(CUfunction f) {
        int[] n = new int[1];
        JCudaDriver.cuOccupancyMaxActiveBlocksPerMultiprocessor(n, f, launch.threadsPerBlock(), 0);
        return Math.max(1, n[0]);
    }

    @Override public void close() {
        if (!closed) {
            closed = true;
            JCudaDriver.cuModuleUnload(module);
        }
    }
}
