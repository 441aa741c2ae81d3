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
 *
 * <p>The JDK counts its own native allocations and, past a limit, runs a garbage collection so that blocks of
 * dropped {@code Arena.ofAuto()} segments are freed before more are taken. aligned_alloc is not counted there, so
 * this class keeps its own count ({@link Budget}): above a quarter of the machine's memory (or of its cgroup's limit) an
 * allocation first asks for a collection and gives the freed blocks' cleaners a few milliseconds. Without it, a loop
 * of 256 MiB allocateAndFill calls into dropped auto-arena segments grew to 8 GiB of RSS with 20 MiB of heap in use.
 */
public final class NativeMemory {
    private NativeMemory() {}

    /** The blocks of this class not yet freed, against a limit; one per process, as the memory it counts. */
    static final class Budget {
        private final java.util.concurrent.atomic.AtomicLong outstanding = new java.util.concurrent.atomic.AtomicLong();
        private final long limit;

        Budget(long limit) {
            this.limit = limit;
        }

        long outstanding() { return outstanding.get(); }

        /**
         * Counts {@code bytes} as taken. Over the limit, blocks of unreachable segments may be waiting for a collection:
         * one is asked for, and their cleaners get up to about 30 ms while the count keeps falling. Memory that is
         * really in use (explicit arenas) is never refused here; it costs such an allocation a collection of the heap.
         */
        void take(long bytes) {
            long now = outstanding.addAndGet(bytes);
            if (now <= limit) return;
            System.gc();
            long last = now;
            for (int i = 0; i < 5; i++) {
                try {
                    Thread.sleep(1L << i);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();   // the caller's fill sees it
                    return;
                }
                long n = outstanding.get();
                if (n <= limit || n >= last) return;   // under the limit, or nothing more is being freed
                last = n;
            }
        }

        void give(long bytes) {
            outstanding.addAndGet(-bytes);
        }

        /**
         * A quarter of the machine's memory or of this process's cgroup limit ({@link MachineMemory#limit}); 4 GiB when
         * unknown. Low enough that dropped blocks never crowd out the rest of the machine, high enough that fills into
         * explicit arenas, whose blocks a collection cannot free, seldom pay for one.
         */
        static long defaultLimit() {
            return MachineMemory.limit().orElse(16L << 30) / 4;
        }
    }

    /** Made when the first large block is allocated, not when the class loads: it reads /proc. */
    private static final class ProcessWide {
        static final Budget BUDGET = new Budget(Budget.defaultLimit());
    }

    /** Below this many bytes, {@link #allocateUninitialized} takes zeroed memory from the arena. */
    static final long SMALL = 1L << 20;

    private static final class Libc {
        static final MethodHandle ALIGNED_ALLOC;
        static final MethodHandle FREE;
        static {
            Linker linker = Linker.nativeLinker();
            var lookup = linker.defaultLookup();
            ALIGNED_ALLOC = linker.downcallHandle(find(lookup, "aligned_alloc"),
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
            FREE = linker.downcallHandle(find(lookup, "free"), FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
        }

        private static MemorySegment find(java.lang.foreign.SymbolLookup lookup, String name) {
            // Seen with ulimit -n 20: the JDK could not open the C library, and every symbol was "missing".
            return lookup.find(name).orElseThrow(() -> new IllegalStateException(name + " not found in the C library (could it "
                    + "be opened? a process out of file descriptors cannot)"));
        }
    }

    /**
     * Allocates {@code bytes} (contents undefined) aligned to {@code alignment}, freed when the arena closes.
     * Throws {@link dev.tensorinit.spi.DeviceOutOfMemoryException} when the C library refuses or no host could hold
     * {@code bytes} (within {@code alignment} of 2^63).
     */
    public static MemorySegment allocateUninitialized(Arena arena, long bytes, long alignment) {
        return allocateUninitialized(arena, bytes, alignment, null);
    }

    /** As above, counted in {@code budget} (null: the process's). */
    static MemorySegment allocateUninitialized(Arena arena, long bytes, long alignment, Budget budget) {
        java.util.Objects.requireNonNull(arena, "arena");
        if (bytes < 0) throw new IllegalArgumentException("bytes must be >= 0, got " + bytes);
        if (alignment <= 0 || Long.bitCount(alignment) != 1) throw new IllegalArgumentException("alignment must be a power of two, got " + alignment);
        // Checked before allocating: once malloc'd, a block whose arena cannot take it would leak.
        if (!arena.scope().isAlive()) throw new IllegalStateException("the arena is already closed");
        // Small blocks come from the arena, zeroed: zeroing them costs microseconds, while linking aligned_alloc
        // cost a fresh JVM's small fill 35 ms (class loading and generated code, -Xlog:class+load).
        if (bytes < SMALL) {
            try {
                return arena.allocate(bytes, alignment);
            } catch (IllegalStateException e) {
                throw closedMeanwhile(arena, e);
            }
        }
        if (bytes > Long.MAX_VALUE - alignment) {   // a valid size no host has: the SPI's out-of-memory, as aligned_alloc's refusal
            throw new dev.tensorinit.spi.DeviceOutOfMemoryException("host allocation of " + bytes + " bytes cannot be satisfied", bytes, null);
        }
        long rounded = (bytes + alignment - 1) & -alignment; // aligned_alloc wants a multiple of the alignment
        Budget b = budget != null ? budget : ProcessWide.BUDGET;
        b.take(rounded);
        MemorySegment raw;
        try {
            raw = (MemorySegment) Libc.ALIGNED_ALLOC.invokeExact(alignment, rounded);
        } catch (Throwable t) {
            b.give(rounded);
            // Linking it can fail for want of the process's resources (no file descriptor left to open libc with):
            // say why, where "aligned_alloc failed" alone sent people looking for a memory problem.
            Throwable root = t;
            while (root.getCause() != null && root.getCause() != root) root = root.getCause();
            throw new IllegalStateException("the C library's aligned_alloc could not be called: " + root, t);
        }
        if (raw.equals(MemorySegment.NULL)) {
            b.give(rounded);
            throw new dev.tensorinit.spi.DeviceOutOfMemoryException("host allocation of " + bytes + " bytes failed", bytes, null);
        }
        try {
            return raw.reinterpret(bytes, arena, s -> {
                free(s);
                b.give(rounded);
            });
        } catch (RuntimeException e) { // the arena closed meanwhile, or is confined to another thread
            free(raw);
            b.give(rounded);
            throw e instanceof IllegalStateException ise ? closedMeanwhile(arena, ise) : e;
        }
    }

    /**
     * The JDK's bare "Already closed" when another thread closed the arena between the check above and the allocation
     * (seen once in CI: BackendContract's close-during-allocateAndFill race); another IllegalStateException as it is.
     */
    private static IllegalStateException closedMeanwhile(Arena arena, IllegalStateException e) {
        return arena.scope().isAlive() ? e : new IllegalStateException("the arena was closed by another thread during the allocation", e);
    }

    private static void free(MemorySegment s) {
        try {
            Libc.FREE.invokeExact(s);
        } catch (Throwable t) {
            throw new IllegalStateException("free failed", t);
        }
    }
}
