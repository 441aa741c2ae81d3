package dev.tensorinit;

import dev.tensorinit.kernel.KernelArgs;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * One fill: the full tensor's shape and layout, the init, dtype, seed, stream, and the region to
 * write. Values depend only on (seed, stream, global index, init, dtype). Validated on creation.
 */
public record FillRequest(Shape shape, Layout layout, InitSpec init, DType dtype, long seed, long stream, Region region) {

    public FillRequest {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(init, "init");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(region, "region");
        region.check(shape);
    }

    /** Whole tensor, torch layout, f32, seed 0, stream 0. */
    public static FillRequest of(Shape shape, InitSpec init) {
        return new FillRequest(shape, Layout.TORCH, init, DType.F32, 0, 0, Region.whole());
    }

    public FillRequest withLayout(Layout l) { return new FillRequest(shape, l, init, dtype, seed, stream, region); }
    public FillRequest withDType(DType d) { return new FillRequest(shape, layout, init, d, seed, stream, region); }
    public FillRequest withSeed(long s) { return new FillRequest(shape, layout, init, dtype, s, stream, region); }
    public FillRequest withStream(long s) { return new FillRequest(shape, layout, init, dtype, seed, s, region); }
    /** Stream from a tensor name, see {@link Streams#ofName(String)}. */
    public FillRequest withName(String tensorName) { return withStream(Streams.ofName(tensorName)); }
    public FillRequest withRegion(Region r) { return new FillRequest(shape, layout, init, dtype, seed, stream, r); }

    /** Elements written. */
    public long count() { return region.count(shape); }

    /** Bytes written. */
    public long byteSize() {
        try {
            return Math.multiplyExact(count(), dtype.bytes());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("fill of " + count() + " " + dtype.id() + " elements is more than 2^63-1 bytes", e);
        }
    }

    /** The init resolved against shape and layout. */
    public Distribution distribution() { return init.resolve(shape, layout); }

    /** The kernel parameters every backend receives. */
    public KernelArgs kernelArgs() { return KernelArgs.of(distribution(), dtype, seed, stream); }

    /** Throws when dst cannot hold this fill, or is read-only. */
    public void checkDestination(MemorySegment dst) {
        Objects.requireNonNull(dst, "destination segment");
        if (dst.isReadOnly()) throw new IllegalArgumentException("destination segment is read-only");
        if (!dst.scope().isAlive()) throw new IllegalStateException("destination segment's arena is already closed");
        if (dst.byteSize() < byteSize()) {
            throw new IllegalArgumentException("destination holds " + dst.byteSize() + " bytes but the fill of "
                    + count() + " " + dtype.id() + " elements needs " + byteSize());
        }
    }
}
