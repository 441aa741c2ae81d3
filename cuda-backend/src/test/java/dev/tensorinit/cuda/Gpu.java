package dev.tensorinit.cuda;

import dev.tensorinit.DType;
import dev.tensorinit.FillRequest;
import dev.tensorinit.NativeMemory;
import dev.tensorinit.kernel.KernelArgs;
import dev.tensorinit.kernel.Reference;
import dev.tensorinit.spi.Probe;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Helpers of the GPU conformance suite: skip without a GPU (with the probe's reason), reference bytes, byte comparison. */
final class Gpu {
    private Gpu() {}

    static void assumeGpu() {
        Probe p = CudaProbe.driver();
        assumeTrue(p.isAvailable(), () -> "no GPU: " + ((Probe.Unavailable) p).reason());
    }

    static void assumeCurand() {
        assumeGpu();
        String missing = CudaProbe.curandMissing();
        assumeTrue(missing == null, () -> "no cuRAND: " + missing);
    }

    /** The reference's bytes for the request, in region order. */
    static MemorySegment reference(Arena arena, FillRequest r) {
        MemorySegment out = NativeMemory.allocateUninitialized(arena, r.byteSize(), 64);
        KernelArgs a = r.kernelArgs();
        int size = r.dtype().bytes();
        r.region().forEachRun(r.shape(), (g, n, d) -> Reference.fillRun(a, g, n, out, d * size));
        return out;
    }

    /** The reference's bytes for global elements [first, first + count). */
    static MemorySegment reference(Arena arena, KernelArgs a, long first, long count) {
        MemorySegment out = NativeMemory.allocateUninitialized(arena, count * a.dtype().bytes(), 64);
        Reference.fillRun(a, first, count, out, 0);
        return out;
    }

    /** Fails at the first differing element, naming its index, both bit patterns and the context. */
    static void assertSameBits(MemorySegment expected, MemorySegment actual, DType dtype, String what) {
        long mismatch = expected.mismatch(actual);
        if (mismatch < 0) return;
        int size = dtype.bytes();
        long e = mismatch / size;
        if (mismatch >= Math.min(expected.byteSize(), actual.byteSize())) {
            fail(what + ": sizes differ, " + expected.byteSize() + " vs " + actual.byteSize() + " bytes");
        }
        fail(what + ": element " + e + " differs: expected " + bits(expected, e, dtype) + ", got " + bits(actual, e, dtype));
    }

    private static String bits(MemorySegment s, long e, DType d) {
        return switch (d) {
            case F32 -> Float.intBitsToFloat(s.get(ValueLayout.JAVA_INT_UNALIGNED, e * 4)) + String.format(" (0x%08x)", s.get(ValueLayout.JAVA_INT_UNALIGNED, e * 4));
            case F64 -> s.get(ValueLayout.JAVA_DOUBLE_UNALIGNED, e * 8) + String.format(" (0x%016x)", s.get(ValueLayout.JAVA_LONG_UNALIGNED, e * 8));
            case BF16, F16 -> String.format("0x%04x", s.get(ValueLayout.JAVA_SHORT_UNALIGNED, e * 2));
        };
    }

    /** Device buffer contents [first, first + count) copied to a fresh host segment. */
    static MemorySegment download(Arena arena, CudaBackend b, CudaBuffer buf, long first, long count) {
        MemorySegment out = NativeMemory.allocateUninitialized(arena, count * buf.dtype().bytes(), 64);
        b.copyToHost(buf, first, out);
        return out;
    }
}
