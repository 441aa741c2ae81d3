package dev.tensorinit.cuda;

import dev.tensorinit.DType;
import dev.tensorinit.kernel.KernelArgs;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;
import jcuda.jcurand.JCurand;
import jcuda.jcurand.curandGenerator;
import jcuda.jcurand.curandRngType;
import jcuda.runtime.cudaStream_t;

/**
 * The curand engine: cuRAND's Philox4x32-10. Normal fills are the host API's
 * curandGenerateNormal(mean, std) with CURAND_RNG_PSEUDO_PHILOX4_32_10, which writes the output once.
 * f32, bf16 and f16 uniform fills are one kernel (ti_curand_uniform_*): the host API has no affine
 * uniform, and curandGenerateUniform + a scale-and-clamp pass wrote the output, read it and wrote it
 * again (on an H200: 251 Gfloat/s against 497 for the normal). The kernel draws Philox4x32-10 under the
 * same seed, counter (element / 4, 0), and converts with cuRAND's curand_uniform formula, so a value
 * depends only on its index: a range equals the same slice of a whole fill. f64 uniforms keep
 * curandGenerateUniformDouble + the post kernel. Values are statistically equivalent to the philox
 * engine, not bit-identical. The generator is seeded with {@code seed ^ splitmix64(stream)} (cuRAND has
 * no stream id) and offset to the range's first element (twice that for f64, which uses two 32-bit
 * draws), so disjoint ranges draw from disjoint parts of the sequence. One generator per backend, used
 * under a lock.
 */
final class CurandEngine implements AutoCloseable {
    /** f32 scratch for bf16/f16 fills, in elements (64 MiB). */
    static final long SCRATCH_ELEMENTS = 1L << 24;

    private final CudaBackend backend;
    private final CudaKernels kernels;
    private final CUstream stream;
    private final curandGenerator generator = new curandGenerator();
    private boolean closed;

    CurandEngine(CudaBackend backend, CudaKernels kernels, CUstream stream) {
        this.backend = backend;
        this.kernels = kernels;
        this.stream = stream;
        JCurand.curandCreateGenerator(generator, curandRngType.CURAND_RNG_PSEUDO_PHILOX4_32_10);
        try {
            if (stream != null) JCurand.curandSetStream(generator, new cudaStream_t(stream));
        } catch (RuntimeException e) {
            JCurand.curandDestroyGenerator(generator);
            throw e;
        }
    }

    /** cuRAND serves uniform and normal; truncated normal, the log of a uniform and constants go to the philox kernels. */
    static boolean serves(KernelArgs.Kind kind) {
        return kind == KernelArgs.Kind.UNIFORM || kind == KernelArgs.Kind.NORMAL;
    }

    static long seedFor(long seed, long stream) {
        long z = stream + 0x9E3779B97F4A7C15L; // splitmix64 finalizer: nearby streams get unrelated seeds
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return seed ^ (z ^ (z >>> 31));
    }

    /**
     * Largest |z| of cuRAND's normals, rounded up: Box-Muller of its uniform x·2⁻³² + 2⁻³³, whose smallest value
     * 2⁻³³ gives sqrt(-2 ln 2⁻³³) = 6.7636 (curand_normal), and of its double uniform, 8.652 (curand_normal_double):
     * beyond the philox lattice's 5.2947 and 8.2095 std that KernelArgs checks.
     */
    static final double MAX_Z_F32 = 6.77, MAX_Z_F64 = 8.7;

    /**
     * Rejects what cuRAND's values could overflow in the dtype beyond what KernelArgs checked for the philox engine: a
     * normal reaches further (6.77 std against 5.2947), and a uniform reaches high itself, as cuRAND's u lies in (0, 1]
     * (philox's last u is 1 - 2⁻²⁴, so U(0, 65520) passes KernelArgs for f16 but would write 65520 = +inf here).
     */
    static void checkReach(KernelArgs a) {
        if (a.kind() == KernelArgs.Kind.UNIFORM) {
            double maxAbs = Math.max(Math.abs(a.lo()), Math.abs(a.hi()));
            if (!(maxAbs <= a.dtype().maxFinite())) {
                throw new IllegalArgumentException("the curand engine's uniforms reach their bounds, and " + maxAbs + " does not fit in "
                        + a.dtype().id() + " (largest finite " + a.dtype().maxFinite() + "); use the philox engine or narrower bounds");
            }
            return;
        }
        if (a.kind() != KernelArgs.Kind.NORMAL) return;
        double z = a.dtype() == DType.F64 ? MAX_Z_F64 : MAX_Z_F32;
        double maxAbs = Math.abs(a.offset()) + Math.abs(a.scale()) * z;
        if (!(maxAbs <= a.dtype().maxFinite())) {
            throw new IllegalArgumentException("the curand engine's normals reach " + z + " std, so values up to " + maxAbs
                    + " do not fit in " + a.dtype().id() + " (largest finite " + a.dtype().maxFinite()
                    + "); use the philox engine (its normals reach " + (a.dtype() == DType.F64 ? "8.2095" : "5.2947")
                    + " std) or a smaller std");
        }
    }

    /** Global elements [first, first + count) into out[0 .. count), for a kind this engine serves. */
    synchronized void fillRun(CUdeviceptr out, KernelArgs a, long first, long count) {
        if (closed) throw new IllegalStateException("cuRAND engine is closed");
        checkReach(a);   // before the first write: every range of a fill checks the same arguments
        JCurand.curandSetPseudoRandomGeneratorSeed(generator, seedFor(a.seed(), a.stream()));
        switch (a.dtype()) {
            case F32 -> fillF32(out, a, first, count);
            case F64 -> fillF64(out, a, first, count);
            case BF16, F16 -> fillHalf(out, a, first, count);
        }
    }

    private void offset(long valueIndex) {
        JCurand.curandSetGeneratorOffset(generator, valueIndex);
    }

    private void fillF32(CUdeviceptr out, KernelArgs a, long first, long count) {
        float[] p = a.f32Params();
        if (a.kind() == KernelArgs.Kind.UNIFORM) {
            kernels.curandUniform(out, first, count, DType.F32, new float[] {p[0], p[1], p[2], p[3]}, seedFor(a.seed(), a.stream()), stream);
            return;
        }
        // curandGenerateNormal wants an even count: the even part in place, an odd last element via a 2-element scratch.
        long even = count & ~1L;
        if (even > 0) {
            offset(first);
            JCurand.curandGenerateNormal(generator, out, even, p[1], p[0]);
        }
        if (even != count) {
            try (DeviceScratch s = backend.scratch(2 * 4)) {
                offset(first + even);
                JCurand.curandGenerateNormal(generator, s.pointer(), 2, p[1], p[0]);
                JCudaDriver.cuMemcpyDtoDAsync(out.withByteOffset(even * 4), s.pointer(), 4, stream);
                backend.sync();
            }
        }
    }

    private void fillF64(CUdeviceptr out, KernelArgs a, long first, long count) {
        double[] p = a.f64Params();
        if (a.kind() == KernelArgs.Kind.UNIFORM) {
            offset(2 * first);
            JCurand.curandGenerateUniformDouble(generator, out, count);
            kernels.postF64(out, out, count, new double[] {p[0], p[1], p[2], p[3]}, stream);
            return;
        }
        long even = count & ~1L;
        if (even > 0) {
            offset(2 * first);
            JCurand.curandGenerateNormalDouble(generator, out, even, p[1], p[0]);
        }
        if (even != count) {
            try (DeviceScratch s = backend.scratch(2 * 8)) {
                offset(2 * (first + even));
                JCurand.curandGenerateNormalDouble(generator, s.pointer(), 2, p[1], p[0]);
                JCudaDriver.cuMemcpyDtoDAsync(out.withByteOffset(even * 8), s.pointer(), 8, stream);
                backend.sync();
            }
        }
    }

    /** bf16/f16: uniform in one kernel; normal: cuRAND writes f32 into a scratch chunk, the post kernel rounds into out. */
    private void fillHalf(CUdeviceptr out, KernelArgs a, long first, long count) {
        float[] p = a.f32Params();
        if (a.kind() == KernelArgs.Kind.UNIFORM) {
            kernels.curandUniform(out, first, count, a.dtype(), new float[] {p[0], p[1], p[2], p[3]}, seedFor(a.seed(), a.stream()), stream);
            return;
        }
        long chunk = Math.min(SCRATCH_ELEMENTS, count + 1) & ~1L; // even, and room for an odd tail's partner
        chunk = Math.max(chunk, 2);
        float inf = Float.POSITIVE_INFINITY;
        float[] identity = {1f, 0f, -inf, inf};
        try (DeviceScratch s = backend.scratch(chunk * 4)) {
            // Generator and post kernel share one stream, so a chunk's generate starts only after the previous
            // chunk's post has read the scratch: no host sync per chunk (one per 64 MiB cost a round trip each,
            // while the GPU sat idle), one at the end, before the scratch is freed.
            for (long off = 0; off < count; off += chunk) {
                long n = Math.min(chunk, count - off);
                offset(first + off);
                JCurand.curandGenerateNormal(generator, s.pointer(), (n + 1) & ~1L, p[1], p[0]);
                kernels.postF32(s.pointer(), out.withByteOffset(off * 2), n, a.dtype(), identity, stream);
            }
            backend.sync();
        }
    }

    @Override public synchronized void close() {
        if (!closed) {
            closed = true;
            JCurand.curandDestroyGenerator(generator);
        }
    }
}
