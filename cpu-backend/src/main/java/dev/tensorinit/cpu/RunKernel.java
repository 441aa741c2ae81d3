package dev.tensorinit.cpu;

import dev.tensorinit.kernel.KernelArgs;

import java.lang.foreign.MemorySegment;

/** Fills global elements [first, first + count) into dst at byte offset dstOffset. Stateless and thread-safe. */
interface RunKernel {
    String description();

    void fillRun(KernelArgs args, long first, long count, MemorySegment dst, long dstOffset);

    /** The kernel to use for a whole fill of {@code count} elements on {@code threads} workers (a kernel may pick by size). */
    default RunKernel forFill(KernelArgs args, long count, int threads) { return this; }

    /** A hint that {@code count} elements of this kind and dtype will be filled on {@code threads} workers. */
    default void expect(KernelArgs args, long count, int threads) {}

    /**
     * True while this kernel is still waiting for the JIT (it fills on the scalar kernel meanwhile): a
     * fill then leaves a core to the compiler, which finishes sooner than it would competing with every
     * worker.
     */
    default boolean compiling() { return false; }
}
