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

    /** Checks everything and compiles the fill: the one place where a request is validated whole. */
    public CompiledFill compile() { return CompiledFill.of(this); }

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

    /** The init resolved against shape and layout; a bad combination names the init, its parameters and the shape. */
    public Distribution distribution() {
        try {
            return init.resolve(shape, layout);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException(initText() + ": " + e.getMessage(), e);
        }
    }

    /** The kernel parameters every backend receives. */
    public KernelArgs kernelArgs() {
        Distribution d = distribution();
        try {
            return KernelArgs.of(d, dtype, seed, stream);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(initText() + " in " + dtype.id() + ": " + e.getMessage(), e);
        }
    }

    private String initText() {
        return init.name() + init.parameters() + " on shape " + shape + " (" + layout.id() + " layout)";
    }

    /**
     * Throws when dst cannot hold this fill (IllegalArgumentException), is read-only (likewise), belongs
     * to a closed arena (IllegalStateException) or is confined to another thread (WrongThreadException,
     * for every size: a backend's worker threads must never make such a fill succeed).
     */
    public void checkDestination(MemorySegment dst) {
        Objects.requireNonNull(dst, "destination segment");
        if (dst.isReadOnly()) throw new IllegalArgumentException("destination segment is read-only");
        if (!dst.scope().isAlive()) throw new IllegalStateException("destination segment's arena is already closed");
        if (!dst.isAccessibleBy(Thread.currentThread())) {
            throw new WrongThreadException("destination segment is confined to another thread than " + Thread.currentThread().getName());
        }
        if (dst.byteSize() < byteSize()) {
            throw new IllegalArgumentException("destination holds " + dst.byteSize() + " bytes but the fill of "
                    + count() + " " + dtype.id() + " elements needs " + byteSize());
        }
    }
}
