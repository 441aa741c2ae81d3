package dev.tensorinit.cpu;

import dev.tensorinit.DType;
import dev.tensorinit.kernel.F32Math;
import dev.tensorinit.kernel.KernelArgs;
import dev.tensorinit.kernel.Reference;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** The CONSTANT kind for both CPU kernels: no Philox, no Vector API. */
final class ConstantFill {
    private ConstantFill() {}

    private static final long MASK32 = 0xFFFFFFFFL;
    /** Longs per copied tile (2 KiB). */
    private static final int TILE = 256;

    /**
     * CONSTANT: every element has the same bits, so a tile of longs holding the pattern is copied
     * over the run (byte order does not matter when all elements are equal); the reference writes
     * the last few elements that do not fill a long.
     */
    static void fillRun(KernelArgs a, long first, long count, MemorySegment dst, long dstOffset) {
        DType dt = a.dtype();
        float c = a.f32Params()[1];
        long pattern = switch (dt) {
            case F64 -> Double.doubleToRawLongBits(a.f64Params()[1]);
            case F32 -> (Float.floatToRawIntBits(c) & MASK32) * 0x1_0000_0001L;
            case BF16 -> (F32Math.toBf16(c) & 0xFFFFL) * 0x0001_0001_0001_0001L;
            case F16 -> (F32Math.toF16(c) & 0xFFFFL) * 0x0001_0001_0001_0001L;
        };
        int perLong = 8 / dt.bytes();
        long longs = count / perLong;
        long[] tile = new long[(int) Math.min(longs, TILE)];
        java.util.Arrays.fill(tile, pattern);
        for (long done = 0; done < longs; done += tile.length) {
            int n = (int) Math.min(tile.length, longs - done);
            MemorySegment.copy(tile, 0, dst, ValueLayout.JAVA_LONG_UNALIGNED, dstOffset + done * 8, n);
        }
        long done = longs * perLong;
        if (done < count) Reference.fillRun(a, first + done, count - done, dst, dstOffset + done * dt.bytes());
    }
}
