package dev.tensorinit.kernel;

import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.InitSpec;
import dev.tensorinit.Layout;
import dev.tensorinit.Region;
import dev.tensorinit.Shape;
import dev.tensorinit.testing.Conformance;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Known-answer vectors of the contract: the exact output bits of elements 0..7 of a [256, 128] tensor
 * (torch layout) with seed 42, stream 7, for a uniform, a normal and two truncated normals (one
 * mirrored) in every dtype. They pin docs/determinism.md: a re-implementation from that text must
 * produce these bits, and a change to any of them is a change of the contract (and of every user's
 * values), never a refactoring. Computed from {@link Reference} at the time the contract was fixed.
 */
class KnownAnswerTest {

    private static void check(InitSpec init, DType dt, long[] expected) {
        FillRequest r = new FillRequest(Shape.of(256, 128), Layout.TORCH, init, dt, 42, 7, Region.range(0, 8));
        MemorySegment s = MemorySegment.ofArray(Conformance.referenceBytes(r));
        long[] actual = new long[8];
        for (int i = 0; i < 8; i++) actual[i] = Conformance.bits(s, dt, i);
        assertArrayEquals(expected, actual, () -> {
            StringBuilder b = new StringBuilder(init.name() + " " + dt.id() + " got:");
            for (long v : actual) b.append(String.format(" 0x%x", v));
            return b.toString();
        });
    }

    @Test void xavieruniformF32() {
        check(InitSpec.xavierUniform(), DType.F32,
                new long[] {0xbcc08c88L, 0x3dcaa822L, 0xbc9c09a8L, 0xbd2a319cL, 0x3dcbbbd2L, 0xbcff84f8L, 0x3c7cdf90L, 0xbda6e24eL});
    }

    @Test void normalF32() {
        check(InitSpec.normal(0, 1), DType.F32,
                new long[] {0xbe739a48L, 0x3fa107efL, 0xbe44c4bdL, 0xbedbe1dfL, 0x3fa287f1L, 0xbea2d399L, 0x3e1f1a49L, 0xbf7031fcL});
    }

    @Test void truncnormalF32() {
        check(InitSpec.truncNormal(), DType.F32,
                new long[] {0xbe685263L, 0x3f950099L, 0xbe3bb64dL, 0xbed14925L, 0x3f964731L, 0xbe9b2e53L, 0x3e17cf12L, 0xbf61cb81L});
    }

    @Test void truncnormalMirroredF32() {
        check(InitSpec.truncNormal(0.5, 2.0, -1.0, 4.0), DType.F32,
                new long[] {0x3fab2656L, 0xbf080b32L, 0x3fa20f02L, 0x3fd18b8fL, 0xbf0a4eaeL, 0x3fbb292cL, 0x3f3dc47cL, 0x401b4dc3L});
    }

    @Test void xavieruniformF64() {
        check(InitSpec.xavierUniform(), DType.F64,
                new long[] {0xbf981190c6aafbc7L, 0xbf938135eaa319c7L, 0x3fb9777a5600f619L, 0x3f8f9bf196476c0fL, 0xbfb6c4c0e0fff551L, 0xbfa472d9859fcb83L, 0x3f945bcadf90b557L, 0x3f7d1f56fcd7d3dfL});
    }

    @Test void normalF64() {
        check(InitSpec.normal(0, 1), DType.F64,
                new long[] {0xbfce7348a99b278fL, 0xbfc89898e9d720acL, 0x3ff450fe16cd7f33L, 0x3fc3e348d623eebfL, 0xbff0fbba604b6510L, 0xbfda5ad6df6de8deL, 0x3fc9afe2bf1c3023L, 0x3fb243e7d39ea56dL});
    }

    @Test void truncnormalF64() {
        check(InitSpec.truncNormal(), DType.F64,
                new long[] {0xbfcd0a4b911eb020L, 0xbfc776ca6a6f912cL, 0x3ff2c8e610a420ffL, 0x3fc2f9e240884e2eL, 0xbfefc4316ca98602L, 0xbfd917332adbd596L, 0x3fc880e8b5a1e459L, 0x3fb16ed0479c5e24L});
    }

    @Test void truncnormalMirroredF64() {
        check(InitSpec.truncNormal(0.5, 2.0, -1.0, 4.0), DType.F64,
                new long[] {0x3ff564ca75d4452eL, 0x3ff441e045af0c64L, 0xbfe149d5f1fb6aeeL, 0x3fe7b88f9fedb2b1L, 0x4004df1f7d5619e3L, 0x3ff9bfbb16ffcf8dL, 0x3fe59de2500320deL, 0x3febaf1463a67354L});
    }

    @Test void xavieruniformBf16() {
        check(InitSpec.xavierUniform(), DType.BF16,
                new long[] {0xbcc1, 0x3dcb, 0xbc9c, 0xbd2a, 0x3dcc, 0xbd00, 0x3c7d, 0xbda7});
    }

    @Test void normalBf16() {
        check(InitSpec.normal(0, 1), DType.BF16,
                new long[] {0xbe74, 0x3fa1, 0xbe45, 0xbedc, 0x3fa3, 0xbea3, 0x3e1f, 0xbf70});
    }

    @Test void truncnormalBf16() {
        check(InitSpec.truncNormal(), DType.BF16,
                new long[] {0xbe68, 0x3f95, 0xbe3c, 0xbed1, 0x3f96, 0xbe9b, 0x3e18, 0xbf62});
    }

    @Test void truncnormalMirroredBf16() {
        check(InitSpec.truncNormal(0.5, 2.0, -1.0, 4.0), DType.BF16,
                new long[] {0x3fab, 0xbf08, 0x3fa2, 0x3fd2, 0xbf0a, 0x3fbb, 0x3f3e, 0x401b});
    }

    @Test void xavieruniformF16() {
        check(InitSpec.xavierUniform(), DType.F16,
                new long[] {0xa604, 0x2e55, 0xa4e0, 0xa952, 0x2e5e, 0xa7fc, 0x23e7, 0xad37});
    }

    @Test void normalF16() {
        check(InitSpec.normal(0, 1), DType.F16,
                new long[] {0xb39d, 0x3d08, 0xb226, 0xb6df, 0x3d14, 0xb517, 0x30f9, 0xbb82});
    }

    @Test void truncnormalF16() {
        check(InitSpec.truncNormal(), DType.F16,
                new long[] {0xb343, 0x3ca8, 0xb1de, 0xb68a, 0x3cb2, 0xb4d9, 0x30be, 0xbb0e});
    }

    @Test void truncnormalMirroredF16() {
        check(InitSpec.truncNormal(0.5, 2.0, -1.0, 4.0), DType.F16,
                new long[] {0x3d59, 0xb840, 0x3d10, 0x3e8c, 0xb852, 0x3dd9, 0x39ee, 0x40da});
    }

    /** A slice far from the origin pins the 64-bit block index (high counter word non-zero) too. */
    @Test void elementsPast2To34() {
        FillRequest r = new FillRequest(Shape.of(1L << 20, 1L << 15), Layout.TORCH, InitSpec.xavierUniform(), DType.F32, 42, 7,
                Region.range((1L << 34) + 1, (1L << 34) + 5));
        MemorySegment s = MemorySegment.ofArray(Conformance.referenceBytes(r));
        long[] actual = new long[4];
        for (int i = 0; i < 4; i++) actual[i] = Conformance.bits(s, DType.F32, i);
        assertArrayEquals(new long[] {0x3a40b0e5L, 0x3b10794aL, 0x3a0cccb8L, 0xbb12bbccL}, actual, java.util.Arrays.toString(actual));
    }
}
