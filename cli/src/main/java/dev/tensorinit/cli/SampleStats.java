package dev.tensorinit.cli;

import dev.tensorinit.DType;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Mean, standard deviation, min and max of up to {@code limit} evenly spaced elements of a filled segment. */
record SampleStats(long n, double mean, double std, double min, double max) {

    static final long DEFAULT_LIMIT = 1L << 20;

    static SampleStats of(MemorySegment seg, DType dtype, long count, long limit) {
        long n = Math.min(count, limit);
        long step = count / n; // evenly spaced over [0, n·step) ⊆ [0, count)
        double mean = 0, m2 = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (long i = 0; i < n; i++) {
            double x = value(seg, dtype, i * step);
            double d = x - mean; // Welford: stable for large means with small spread
            mean += d / (i + 1);
            m2 += d * (x - mean);
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        return new SampleStats(n, mean, n > 1 ? Math.sqrt(m2 / (n - 1)) : 0.0, min, max);
    }

    static double value(MemorySegment seg, DType dtype, long index) {
        return switch (dtype) {
            case F32 -> seg.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, index);
            case F64 -> seg.getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, index);
            case BF16 -> Float.intBitsToFloat((seg.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, index) & 0xFFFF) << 16);
            case F16 -> Float.float16ToFloat(seg.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, index));
        };
    }
}
