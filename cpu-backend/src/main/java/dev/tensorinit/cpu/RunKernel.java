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
     * fill then leaves two cores to the warm-up thread and the compiler, which finish sooner than they would
     * competing with every worker, or waits for them ({@link #awaitCompiled}) where no core is left.
     */
    default boolean compiling() { return false; }

    /**
     * While {@link #compiling()}: waits until the compile has ended or {@code maxNanos} have passed since it started
     * (whichever fill waits: once past, later fills wait no more), calling
     * {@code checkpoint} between looks (it throws to stop the wait), and returns the kernel a fill should use then
     * (the same as forFill would). Not compiling: returns this at once.
     */
    default RunKernel awaitCompiled(KernelArgs args, long maxNanos, Runnable checkpoint) { return this; }
}
