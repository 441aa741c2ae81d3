package dev.tensorinit.kernel;

import dev.tensorinit.DType;
import dev.tensorinit.Distribution;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The element → randomness mapping of the contract, checked against Philox called directly with the
 * documented counter and key words: U(0, 1) returns the lattice value itself (fma(u, 1, 0) = u), so the
 * output exposes which word each element used.
 */
class ReferenceContractTest {
    static final long SEED = 0xFEDCBA9876543210L, STREAM = 0x0123456789ABCDEFL;

    private static int[] block(long blockIndex) {
        int[] w = new int[4];
        // counter = (block lo, block hi, stream lo, stream hi), key = (seed lo, seed hi)
        Philox.block((int) blockIndex, (int) (blockIndex >>> 32), (int) STREAM, (int) (STREAM >>> 32),
                (int) SEED, (int) (SEED >>> 32), w);
        return w;
    }

    @Test
    void f32ElementUsesWordIMod4OfBlockIDiv4() {
        KernelArgs a = KernelArgs.of(new Distribution.Uniform(0, 1), DType.F32, SEED, STREAM);
        long first = (1L << 33) - 6;  // across 2^33: block index with a non-zero high word
        MemorySegment out = MemorySegment.ofArray(new float[24]);
        Reference.fillRun(a, first, 24, out, 0);
        for (int i = 0; i < 24; i++) {
            long g = first + i;
            float expected = F32Math.uniform(block(g >>> 2)[(int) (g & 3)]);
            assertEquals(expected, out.getAtIndex(ValueLayout.JAVA_FLOAT, i), "element " + g);
            assertEquals(expected, Reference.valueF32(a, g));
        }
    }

    @Test
    void f64ElementUsesWords2jAnd2jPlus1OfBlockIDiv2() {
        KernelArgs a = KernelArgs.of(new Distribution.Uniform(0, 1), DType.F64, SEED, STREAM);
        long first = (1L << 33) - 3;
        MemorySegment out = MemorySegment.ofArray(new double[12]);
        Reference.fillRun(a, first, 12, out, 0);
        for (int i = 0; i < 12; i++) {
            long g = first + i;
            int[] w = block(g >>> 1);
            int j = (int) (g & 1);
            double expected = F64Math.uniform(w[2 * j], w[2 * j + 1]);
            assertEquals(expected, out.getAtIndex(ValueLayout.JAVA_DOUBLE, i), "element " + g);
            assertEquals(expected, Reference.valueF64(a, g));
        }
    }

    @Test
    void halfTypesAreTheRoundedF32Value() {
        Distribution d = new Distribution.Normal(0.5, 3);
        KernelArgs f32 = KernelArgs.of(d, DType.F32, SEED, STREAM);
        for (DType half : new DType[] {DType.BF16, DType.F16}) {
            KernelArgs a = KernelArgs.of(d, half, SEED, STREAM);
            MemorySegment out = MemorySegment.ofArray(new short[1001]);
            Reference.fillRun(a, 77, 1001, out, 0);
            for (int i = 0; i < 1001; i++) {
                float v = Reference.valueF32(f32, 77 + i);
                short expected = half == DType.BF16 ? F32Math.toBf16(v) : Float.floatToFloat16(v);
                if (out.getAtIndex(ValueLayout.JAVA_SHORT, i) != expected) fail(half + " element " + (77 + i));
            }
        }
    }

    @Test
    void anyCutGivesTheSameValues() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (DType dt : DType.values()) {
            KernelArgs a = KernelArgs.of(new Distribution.TruncatedNormal(0, 1, -0.5, 3), dt, SEED, STREAM);
            int n = 4099;
            byte[] whole = new byte[n * dt.bytes()];
            Reference.fillRun(a, 12345, n, MemorySegment.ofArray(whole), 0);
            byte[] pieces = new byte[whole.length];
            for (int at = 0; at < n; ) {
                int len = Math.min(n - at, 1 + rnd.nextInt(13));
                Reference.fillRun(a, 12345 + at, len, MemorySegment.ofArray(pieces), (long) at * dt.bytes());
                at += len;
            }
            assertArrayEquals(whole, pieces, dt.id());
        }
    }

    @Test
    void constantIgnoresRandomness() {
        for (DType dt : DType.values()) {
            KernelArgs a = KernelArgs.of(new Distribution.Constant(-1.25), dt, SEED, STREAM);
            MemorySegment out = MemorySegment.ofArray(new byte[9 * dt.bytes()]);
            Reference.fillRun(a, 3, 9, out, 0);
            for (int i = 0; i < 9; i++) {
                double v = switch (dt) {
                    case F32 -> out.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i);
                    case F64 -> out.getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, i);
                    case BF16 -> Float.intBitsToFloat(out.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i) << 16);
                    case F16 -> Float.float16ToFloat(out.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i));
                };
                assertEquals(-1.25, v, dt.id());
            }
        }
    }

    @Test
    void seedAndStreamChangeEverything() {
        KernelArgs a = KernelArgs.of(new Distribution.Normal(0, 1), DType.F32, 1, 2);
        KernelArgs b = KernelArgs.of(new Distribution.Normal(0, 1), DType.F32, 1, 3);
        KernelArgs c = KernelArgs.of(new Distribution.Normal(0, 1), DType.F32, 2, 2);
        int same = 0;
        for (long i = 0; i < 1000; i++) {
            if (Reference.valueF32(a, i) == Reference.valueF32(b, i)) same++;
            if (Reference.valueF32(a, i) == Reference.valueF32(c, i)) same++;
        }
        assertEquals(0, same, "values shared between streams/seeds");
    }
}
