package dev.tensorinit.kernel;

import dev.tensorinit.DType;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The scalar reference implementation of the determinism contract (docs/determinism.md). Every
 * backend is tested against it bit for bit; backends also use its per-element transforms for their
 * scalar tails, so a tail can never drift from the definition.
 */
public final class Reference {
    private Reference() {}

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    /** Elements per Philox block: 4 for f32/bf16/f16 (one word each), 2 for f64 (two words each). */
    public static int elementsPerBlock(DType dtype) {
        return dtype == DType.F64 ? 2 : 4;
    }

    /** The f32 value of an element whose Philox word is {@code word}; prm is {@link KernelArgs#f32Params()}. */
    public static float f32(KernelArgs.Kind kind, float[] prm, int word) {
        float y;
        switch (kind) {
            case UNIFORM -> y = Math.fma(F32Math.uniform(word), prm[0], prm[1]);
            case NORMAL -> y = Math.fma(F32Math.ndtri(F32Math.uniform(word)), prm[0], prm[1]);
            case TRUNC_NORMAL -> {
                float p = Math.fma(F32Math.uniform(word), prm[5], prm[4]);
                p = p < F32Math.P_MIN ? F32Math.P_MIN : p;
                p = p > F32Math.P_MAX ? F32Math.P_MAX : p;
                y = Math.fma(F32Math.ndtri(p) * prm[6], prm[0], prm[1]);
            }
            case CONSTANT -> { return prm[1]; }
            case LOG_OF_UNIFORM -> {
                float x = Math.fma(F32Math.uniform(word), prm[0], prm[1]);
                x = x < prm[2] ? prm[2] : x;
                return F32Math.log(x > prm[3] ? prm[3] : x);
            }
            default -> throw new AssertionError(kind);
        }
        y = y < prm[2] ? prm[2] : y;
        return y > prm[3] ? prm[3] : y;
    }

    /** The f64 value of an element whose two Philox words are (w0, w1); prm is {@link KernelArgs#f64Params()}. */
    public static double f64(KernelArgs.Kind kind, double[] prm, int w0, int w1) {
        double y;
        switch (kind) {
            case UNIFORM -> y = Math.fma(F64Math.uniform(w0, w1), prm[0], prm[1]);
            case NORMAL -> y = Math.fma(F64Math.ndtri(F64Math.uniform(w0, w1)), prm[0], prm[1]);
            case TRUNC_NORMAL -> {
                double p = Math.fma(F64Math.uniform(w0, w1), prm[5], prm[4]);
                p = p < F64Math.P_MIN ? F64Math.P_MIN : p;
                p = p > F64Math.P_MAX ? F64Math.P_MAX : p;
                y = Math.fma(F64Math.ndtri(p) * prm[6], prm[0], prm[1]);
            }
            case CONSTANT -> { return prm[1]; }
            case LOG_OF_UNIFORM -> {
                double x = Math.fma(F64Math.uniform(w0, w1), prm[0], prm[1]);
                x = x < prm[2] ? prm[2] : x;
                return F64Math.log(x > prm[3] ? prm[3] : x);
            }
            default -> throw new AssertionError(kind);
        }
        y = y < prm[2] ? prm[2] : y;
        return y > prm[3] ? prm[3] : y;
    }

    /** The f32 value of global element {@code index} (for f32, bf16 and f16 before rounding). */
    public static float valueF32(KernelArgs a, long index) {
        int[] w = new int[4];
        Philox.block(a.seed(), a.stream(), index >>> 2, w);
        return f32(a.kind(), a.f32Params(), w[(int) (index & 3)]);
    }

    /** The f64 value of global element {@code index}. */
    public static double valueF64(KernelArgs a, long index) {
        int[] w = new int[4];
        Philox.block(a.seed(), a.stream(), index >>> 1, w);
        int j = (int) (index & 1) * 2;
        return f64(a.kind(), a.f64Params(), w[j], w[j + 1]);
    }

    /**
     * Writes global elements [first, first + count) into dst starting at byte offset
     * {@code dstOffset}, in the dtype's storage format, native byte order.
     */
    public static void fillRun(KernelArgs a, long first, long count, MemorySegment dst, long dstOffset) {
        DType dt = a.dtype();
        int size = dt.bytes();
        int[] w = new int[4];
        long cachedBlock = -1;
        if (dt == DType.F64) {
            double[] prm = a.f64Params();
            for (long i = 0; i < count; i++) {
                long g = first + i;
                if (a.kind() == KernelArgs.Kind.CONSTANT) {
                    dst.set(F64, dstOffset + i * 8, prm[1]);
                    continue;
                }
                long blk = g >>> 1;
                if (blk != cachedBlock) {
                    Philox.block(a.seed(), a.stream(), blk, w);
                    cachedBlock = blk;
                }
                int j = (int) (g & 1) * 2;
                dst.set(F64, dstOffset + i * 8, f64(a.kind(), prm, w[j], w[j + 1]));
            }
            return;
        }
        float[] prm = a.f32Params();
        for (long i = 0; i < count; i++) {
            long g = first + i;
            float y;
            if (a.kind() == KernelArgs.Kind.CONSTANT) {
                y = prm[1];
            } else {
                long blk = g >>> 2;
                if (blk != cachedBlock) {
                    Philox.block(a.seed(), a.stream(), blk, w);
                    cachedBlock = blk;
                }
                y = f32(a.kind(), prm, w[(int) (g & 3)]);
            }
            long at = dstOffset + i * size;
            switch (dt) {
                case F32 -> dst.set(F32, at, y);
                case BF16 -> dst.set(I16, at, F32Math.toBf16(y));
                case F16 -> dst.set(I16, at, F32Math.toF16(y));
                default -> throw new AssertionError(dt);
            }
        }
    }
}
