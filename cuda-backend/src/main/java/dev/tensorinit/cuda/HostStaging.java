package dev.tensorinit.cuda;

import jcuda.Pointer;
import jcuda.driver.JCudaDriver;

import java.lang.foreign.MemorySegment;

/**
 * Page-locked host memory (cuMemAllocHost) for copies into heap segments, which have no stable native
 * address to hand to cuMemcpyDtoH. Freed on close; the context must be current.
 */
final class HostStaging implements AutoCloseable {
    private final Pointer pointer = new Pointer();
    private final long bytes;
    private boolean freed;

    HostStaging(long bytes) {
        this.bytes = Math.max(1, bytes);
        JCudaDriver.cuMemAllocHost(pointer, this.bytes);
    }

    Pointer pointer() { return pointer; }
    long bytes() { return bytes; }

    /** The first n bytes as a segment, for MemorySegment.copy. */
    MemorySegment segment(long n) {
        return MemorySegment.ofBuffer(pointer.getByteBuffer(0, n));
    }

    @Override public void close() {
        if (!freed) {
            freed = true;
            JCudaDriver.cuMemFreeHost(pointer);
        }
    }
}
