package dev.tensorinit.cuda;

import dev.tensorinit.NativeMemory;
import dev.tensorinit.kernel.KernelArgs;
import dev.tensorinit.kernel.Reference;
import dev.tensorinit.testing.BackendContract;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Helpers of the GPU suites: skip (or fail where cuda is required) without a GPU, windows of reference bytes, downloads. */
final class Gpu {
    private Gpu() {}

    /** Skips without a GPU, or fails where TENSORINIT_REQUIRE_BACKENDS names cuda (the GPU check does). */
    static void assumeGpu() {
        BackendContract.requireOrSkip("cuda", CudaProbe.driver());
    }

    /** Likewise for the curand engine, which needs libcurand.so.10 too. */
    static void assumeCurand() {
        BackendContract.requireOrSkip("cuda", CudaProbe.forEngine(CudaEngine.CURAND));
    }

    /** The reference's bytes for global elements [first, first + count). */
    static MemorySegment reference(Arena arena, KernelArgs a, long first, long count) {
        MemorySegment out = NativeMemory.allocateUninitialized(arena, count * a.dtype().bytes(), 64);
        Reference.fillRun(a, first, count, out, 0);
        return out;
    }

    /** Device buffer contents [first, first + count) copied to a fresh host segment. */
    static MemorySegment download(Arena arena, CudaBackend b, CudaBuffer buf, long first, long count) {
        MemorySegment out = NativeMemory.allocateUninitialized(arena, count * buf.dtype().bytes(), 64);
        b.copyToHost(buf, first, out);
        return out;
    }
}
