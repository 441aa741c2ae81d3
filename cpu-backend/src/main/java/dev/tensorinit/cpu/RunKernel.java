package dev.tensorinit.cpu;

import dev.tensorinit.kernel.KernelArgs;

import java.lang.foreign.MemorySegment;

/** Fills global elements [first, first + count) into dst at byte offset dstOffset. Stateless and thread-safe. */
interface RunKernel {
    String description();

    void fillRun(KernelArgs args, long first, long count, MemorySegment dst, long dstOffset);

    /** The kernel to use for a whole fill of {@code count} elements (a kernel may pick by size). */
    default RunKernel forFill(KernelArgs args, long count) { return this; }
}
