package dev.tensorinit.cpu;

import dev.tensorinit.kernel.KernelArgs;
import dev.tensorinit.kernel.Reference;

import java.lang.foreign.MemorySegment;

/** The reference itself: used when the Vector API module is absent. */
final class ScalarKernel implements RunKernel {
    @Override public String description() { return "scalar (reference)"; }

    @Override public void fillRun(KernelArgs args, long first, long count, MemorySegment dst, long dstOffset) {
        Reference.fillRun(args, first, count, dst, dstOffset);
    }
}
