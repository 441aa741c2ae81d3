package dev.tensorinit;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Host memory that is not zeroed. {@code Arena.allocate} zeroes every byte, which is the first touch
 * of fresh pages and runs at 0.3-1.6 GB/s here; a fill that writes every byte anyway should be that
 * first touch instead, in parallel. Uses the C library's aligned_alloc/free for blocks of {@link #SMALL}
 * bytes and more; smaller ones come from the arena, zeroed.
 */
public final class NativeMemory {
    private NativeMemory() {}

    /** Below this many bytes, {@link #allocateUninitialized} takes zeroed memory from the arena. */
    static final long SMALL = 1L << 20;

    private static final class Libc {
        static final MethodHandle ALIGNED_ALLOC;
        static final MethodHandle FREE;
        static {
            Linker linker = Linker.nativeLinker();
            var lookup = linker.defaultLookup();
            ALIGNED_ALLOC = linker.downcallHandle(lookup.find("aligned_alloc").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
            FREE = linker.downcallHandle(lookup.find("free").orElseThrow(),
                    FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
        }
    }

    /**
     * Allocates {@code bytes} (contents undefined) aligned to {@code alignment}, freed when the arena closes.
     * Throws {@link dev.tensorinit.spi.DeviceOutOfMemoryException} when the C library refuses or no host could hold
     * {@code bytes} (within {@code alignment} of 2^63).
     */
    public static MemorySegment allocateUninitialized(Arena arena, long bytes, long alignment) {
        java.util.Objects.requireNonNull(arena, "arena");
        if (bytes < 0) throw new IllegalArgumentException("bytes must be >= 0, got " + bytes);
        if (alignment <= 0 || Long.bitCount(alignment) != 1) throw new IllegalArgumentException("alignment must be a power of two, got " + alignment);
        // Checked before allocating: once malloc'd, a block whose arena cannot take it would leak.
        if (!arena.scope().isAlive()) throw new IllegalStateException("the arena is already closed");
        // Small blocks come from the arena, zeroed: zeroing them costs microseconds, while linking aligned_alloc
        // cost a fresh JVM's small fill 35 ms (class loading and generated code, -Xlog:class+load).
        if (bytes < SMALL) return arena.allocate(bytes, alignment);
        if (bytes > Long.MAX_VALUE - alignment) {   // a valid size no host has: the SPI's out-of-memory, as aligned_alloc's refusal
            throw new dev.tensorinit.spi.DeviceOutOfMemoryException("host allocation of " + bytes + " bytes cannot be satisfied", bytes, null);
        }
        long rounded = (bytes + alignment - 1) & -alignment; // aligned_alloc wants a multiple of the alignment
        MemorySegment raw;
        try {
            raw = (MemorySegment) Libc.ALIGNED_ALLOC.invokeExact(alignment, rounded);
        } catch (Throwable t) {
            throw new IllegalStateException("aligned_alloc failed", t);
        }
        if (raw.equals(MemorySegment.NULL)) {
            throw new dev.tensorinit.spi.DeviceOutOfMemoryException("host allocation of " + bytes + " bytes failed", bytes, null);
        }
        try {
            return raw.reinterpret(bytes, arena, NativeMemory::free);
        } catch (RuntimeException e) { // the arena closed meanwhile, or is confined to another thread
            free(raw);
            throw e;
        }
    }

    private static void free(MemorySegment s) {
        try {
            Libc.FREE.invokeExact(s);
        } catch (Throwable t) {
            throw new IllegalStateException("free failed", t);
        }
    }
}
